// SPDX-License-Identifier: GPL-2.0
/*
 * Pool ioctls of /dev/pktpool: create, destroy, info, set and list, with
 * every bad input the ABI rejects. A rejected call must change nothing, so
 * each rejection test also compares the pool list (and the pool's info)
 * before and after.
 *
 * Needs CAP_NET_ADMIN. Every test names its pools after its pid, and the
 * fixture destroys whatever a test created, pass or fail.
 */
#include <stdint.h>
#include <sys/mman.h>

#include "pktpool_harness.h"
#include "pktpool_util.h"

#define MAX_TRACKED	256

FIXTURE(pool) {
	int fd;
	const char *skip;
	unsigned int nr;
	char names[MAX_TRACKED][PKTPOOL_NAME_MAX];
};

FIXTURE_SETUP(pool)
{
	self->fd = pp_open_dev(PKTPOOL_DEVICE);
	if (self->fd == -ENOENT)
		self->skip = PKTPOOL_DEVICE " missing: pktpool.ko not loaded";
	else if (self->fd < 0)
		self->skip = "cannot open " PKTPOOL_DEVICE " (not root?)";
	else if (!pp_status_cap("CapEff", CAP_NET_ADMIN))
		self->skip = "needs CAP_NET_ADMIN";
}

FIXTURE_TEARDOWN(pool)
{
	unsigned int i;

	if (self->fd < 0)
		return;
	for (i = 0; i < self->nr; i++)
		pp_destroy(self->fd, 0, self->names[i]);
	close(self->fd);
}

#define REQUIRE_DEV() do {					\
	if (self->skip)						\
		SKIP(return, "%s", self->skip);			\
} while (0)

/* A fresh unique name, destroyed by the teardown if it ever exists. */
static const char *track(FIXTURE_DATA(pool) *self, const char *tag)
{
	char *name = self->names[self->nr < MAX_TRACKED ? self->nr++ : 0];

	pp_name(name, tag);
	return name;
}

/* Create a tracked pool; fails the test when that is not possible. */
static __u32 make_pool(struct __test_metadata *_metadata,
		       FIXTURE_DATA(pool) *self, const char *tag,
		       __u32 obj_size, __u64 limit, __u64 reserve)
{
	const char *name = track(self, tag);
	__u32 id = 0;

	ASSERT_EQ(0, pp_create_simple(self->fd, name, obj_size, limit, reserve,
				      &id));
	EXPECT_NE(0U, id);
	return id;
}

/* The create must fail with err and leave no trace. */
static void expect_create_fails(struct __test_metadata *_metadata,
				FIXTURE_DATA(pool) *self,
				struct pktpool_pool_create *c, int err)
{
	struct pktpool_pool_info info;
	long before, after;
	char name[PKTPOOL_NAME_MAX];

	memcpy(name, c->name, sizeof(name));
	name[sizeof(name) - 1] = '\0';
	before = pp_count(self->fd);
	ASSERT_GE(before, 0);
	c->id = 0;
	EXPECT_EQ(err, pp_create(self->fd, c));
	EXPECT_EQ(0U, c->id);
	after = pp_count(self->fd);
	EXPECT_EQ(before, after);
	/* A valid name of a rejected pool must not resolve. */
	if (err != -EEXIST && name[0])
		EXPECT_NE(0, pp_info(self->fd, 0, name, &info));
}

/* A create with a tracked, valid name and the given object size. */
static void create_init(FIXTURE_DATA(pool) *self,
			struct pktpool_pool_create *c, const char *tag,
			__u32 obj_size)
{
	pp_create_init(c, track(self, tag), obj_size);
}

static __u32 largest_class(struct __test_metadata *_metadata,
			   FIXTURE_DATA(pool) *self)
{
	struct pktpool_version v;

	ASSERT_EQ(0, pp_version(self->fd, &v));
	ASSERT_GE(v.nr_classes, 1U);
	return v.class_size[v.nr_classes - 1];
}

/* The set must fail with err and leave the pool exactly as it was. */
static void expect_set_fails(struct __test_metadata *_metadata,
			     FIXTURE_DATA(pool) *self,
			     struct pktpool_pool_set *s, int err)
{
	struct pktpool_pool_info before, after;
	const char *name = s->name[0] ? s->name : NULL;

	if (s->id || name)
		ASSERT_EQ(0, pp_info(self->fd, s->id, name, &before));
	EXPECT_EQ(err, pp_ioctl(self->fd, PKTPOOL_IOC_POOL_SET, s));
	if (s->id || name) {
		ASSERT_EQ(0, pp_info(self->fd, s->id, name, &after));
		EXPECT_EQ(0, memcmp(&before, &after, sizeof(before)));
	}
}

/* create */

TEST_F(pool, create_returns_nonzero_id)
{
	REQUIRE_DEV();
	EXPECT_GE(make_pool(_metadata, self, "id", 256, 0, 0), 1U);
}

TEST_F(pool, create_gives_distinct_ids)
{
	__u32 a, b;

	REQUIRE_DEV();
	a = make_pool(_metadata, self, "a", 256, 0, 0);
	b = make_pool(_metadata, self, "b", 256, 0, 0);
	EXPECT_NE(a, b);
}

TEST_F(pool, info_reports_created_configuration)
{
	struct pktpool_pool_create c;
	struct pktpool_pool_info info;

	REQUIRE_DEV();
	create_init(self, &c, "cfg", 1000);
	c.limit = 5000;
	c.reserve = 10;
	c.flags = PKTPOOL_POOL_F_DEBUG;
	c.node = 0;
	ASSERT_EQ(0, pp_create(self->fd, &c));
	ASSERT_EQ(0, pp_info(self->fd, c.id, NULL, &info));
	EXPECT_EQ(c.id, info.id);
	EXPECT_STREQ(c.name, info.name);
	EXPECT_EQ(1000U, info.obj_size);
	EXPECT_EQ(0, info.node);
	EXPECT_EQ(PKTPOOL_POOL_F_DEBUG, info.flags);
	EXPECT_EQ(5000U, info.limit);
	EXPECT_EQ(10U, info.reserve);
}

TEST_F(pool, fresh_pool_has_zero_statistics)
{
	struct pktpool_pool_info info;
	__u32 id;

	REQUIRE_DEV();
	id = make_pool(_metadata, self, "fresh", 256, 100, 0);
	ASSERT_EQ(0, pp_info(self->fd, id, NULL, &info));
	EXPECT_EQ(0U, info.in_use);
	EXPECT_EQ(0U, info.peak);
	EXPECT_EQ(0U, info.allocs);
	EXPECT_EQ(0U, info.frees);
	EXPECT_EQ(0U, info.fail_limit);
	EXPECT_EQ(0U, info.fail_nomem);
	EXPECT_EQ(0U, info.reserve_hits);
	EXPECT_EQ(0U, info.reserve_avail);
	EXPECT_EQ(0U, info.holders);
	EXPECT_EQ(0U, info.bad_frees);
}

TEST_F(pool, create_picks_smallest_fitting_class)
{
	struct pktpool_pool_info info;
	struct pktpool_version v;
	__u32 i, size, id;
	char tag[16];

	REQUIRE_DEV();
	ASSERT_EQ(0, pp_version(self->fd, &v));
	for (i = 0; i < v.nr_classes; i++) {
		/* Exactly a class, and one byte more than the one below. */
		size = v.class_size[i];
		snprintf(tag, sizeof(tag), "eq%u", i);
		id = make_pool(_metadata, self, tag, size, 0, 0);
		ASSERT_EQ(0, pp_info(self->fd, id, NULL, &info));
		EXPECT_EQ(size, info.class_size);

		size = i ? v.class_size[i - 1] + 1 : 1;
		snprintf(tag, sizeof(tag), "up%u", i);
		id = make_pool(_metadata, self, tag, size, 0, 0);
		ASSERT_EQ(0, pp_info(self->fd, id, NULL, &info));
		EXPECT_EQ(v.class_size[i], info.class_size);
		EXPECT_EQ(size, info.obj_size);
	}
}

TEST_F(pool, create_fills_reserve)
{
	struct pktpool_pool_info info;
	__u32 id;

	REQUIRE_DEV();
	id = make_pool(_metadata, self, "res", 256, 0, 16);
	ASSERT_EQ(0, pp_info(self->fd, id, NULL, &info));
	EXPECT_EQ(16U, info.reserve);
	EXPECT_EQ(16U, info.reserve_avail);
	EXPECT_EQ(0U, info.in_use);
}

TEST_F(pool, create_rejects_zero_obj_size)
{
	struct pktpool_pool_create c;

	REQUIRE_DEV();
	create_init(self, &c, "z", 0);
	expect_create_fails(_metadata, self, &c, -EINVAL);
}

TEST_F(pool, create_accepts_largest_class_size)
{
	REQUIRE_DEV();
	make_pool(_metadata, self, "max", largest_class(_metadata, self), 0, 0);
}

TEST_F(pool, create_rejects_obj_size_above_largest_class)
{
	struct pktpool_pool_create c;

	REQUIRE_DEV();
	create_init(self, &c, "big", largest_class(_metadata, self) + 1);
	expect_create_fails(_metadata, self, &c, -EINVAL);
	create_init(self, &c, "huge", UINT32_MAX);
	expect_create_fails(_metadata, self, &c, -EINVAL);
}

TEST_F(pool, create_rejects_unknown_flags)
{
	struct pktpool_pool_create c;

	REQUIRE_DEV();
	create_init(self, &c, "fl", 256);
	c.flags = PKTPOOL_POOL_F_ALL + 1;
	expect_create_fails(_metadata, self, &c, -EINVAL);
	c.flags = 1U << 31;
	expect_create_fails(_metadata, self, &c, -EINVAL);
}

TEST_F(pool, create_rejects_nonzero_reserved)
{
	struct pktpool_pool_create c;

	REQUIRE_DEV();
	create_init(self, &c, "rsv", 256);
	c.reserved = 1;
	expect_create_fails(_metadata, self, &c, -EINVAL);
}

TEST_F(pool, create_rejects_unterminated_name)
{
	struct pktpool_pool_create c;

	REQUIRE_DEV();
	pp_create_init(&c, "", 256);
	memset(c.name, 'a', sizeof(c.name));
	expect_create_fails(_metadata, self, &c, -EINVAL);
}

TEST_F(pool, create_rejects_empty_name)
{
	struct pktpool_pool_create c;

	REQUIRE_DEV();
	pp_create_init(&c, "", 256);
	expect_create_fails(_metadata, self, &c, -EINVAL);
}

TEST_F(pool, create_accepts_31_chars_of_every_allowed_kind)
{
	const char *name = "abcdefghijklmnopqrstuvwxyz09_-x";
	struct pktpool_pool_info info;
	__u32 id = 0;

	REQUIRE_DEV();
	ASSERT_EQ(31U, strlen(name));
	/* Fixed name: clear a leftover of an earlier, aborted run. */
	pp_destroy(self->fd, 0, name);
	ASSERT_EQ(0, pp_create_simple(self->fd, name, 64, 0, 0, &id));
	EXPECT_EQ(0, pp_info(self->fd, id, NULL, &info));
	EXPECT_STREQ(name, info.name);
	EXPECT_EQ(0, pp_destroy(self->fd, id, NULL));
}

TEST_F(pool, create_rejects_uppercase_in_name)
{
	struct pktpool_pool_create c;

	REQUIRE_DEV();
	pp_create_init(&c, "", 256);
	pp_name(c.name, "Upper");
	expect_create_fails(_metadata, self, &c, -EINVAL);
}

TEST_F(pool, create_rejects_space_in_name)
{
	struct pktpool_pool_create c;

	REQUIRE_DEV();
	pp_create_init(&c, "", 256);
	pp_name(c.name, "a b");
	expect_create_fails(_metadata, self, &c, -EINVAL);
}

TEST_F(pool, create_rejects_slash_in_name)
{
	struct pktpool_pool_create c;

	REQUIRE_DEV();
	pp_create_init(&c, "", 256);
	pp_name(c.name, "a/b");
	expect_create_fails(_metadata, self, &c, -EINVAL);
}

TEST_F(pool, create_rejects_dot_in_name)
{
	struct pktpool_pool_create c;

	REQUIRE_DEV();
	pp_create_init(&c, "", 256);
	pp_name(c.name, "a.b");
	expect_create_fails(_metadata, self, &c, -EINVAL);
	memset(c.name, 0, sizeof(c.name));
	strcpy(c.name, "..");
	expect_create_fails(_metadata, self, &c, -EINVAL);
}

TEST_F(pool, create_rejects_bytes_after_name_nul)
{
	struct pktpool_pool_create c;

	REQUIRE_DEV();
	create_init(self, &c, "tail", 256);
	c.name[sizeof(c.name) - 1] = 'x';
	expect_create_fails(_metadata, self, &c, -EINVAL);
}

TEST_F(pool, create_rejects_node_below_minus_one)
{
	struct pktpool_pool_create c;

	REQUIRE_DEV();
	create_init(self, &c, "nd", 256);
	c.node = -2;
	expect_create_fails(_metadata, self, &c, -EINVAL);
	c.node = INT32_MIN;
	expect_create_fails(_metadata, self, &c, -EINVAL);
}

TEST_F(pool, create_rejects_node_not_online)
{
	struct pktpool_pool_create c;

	REQUIRE_DEV();
	create_init(self, &c, "nd", 256);
	c.node = 4095;
	expect_create_fails(_metadata, self, &c, -EINVAL);
	c.node = INT32_MAX;
	expect_create_fails(_metadata, self, &c, -EINVAL);
}

TEST_F(pool, create_accepts_any_node_and_node_0)
{
	struct pktpool_pool_create c;
	struct pktpool_pool_info info;

	REQUIRE_DEV();
	create_init(self, &c, "any", 256);
	ASSERT_EQ(0, pp_create(self->fd, &c));
	ASSERT_EQ(0, pp_info(self->fd, c.id, NULL, &info));
	EXPECT_EQ(-1, info.node);

	create_init(self, &c, "n0", 256);
	c.node = 0;
	ASSERT_EQ(0, pp_create(self->fd, &c));
	ASSERT_EQ(0, pp_info(self->fd, c.id, NULL, &info));
	EXPECT_EQ(0, info.node);
}

TEST_F(pool, create_accepts_limit_max)
{
	struct pktpool_pool_info info;
	__u32 id;

	REQUIRE_DEV();
	id = make_pool(_metadata, self, "lim", 256, PKTPOOL_LIMIT_MAX, 0);
	ASSERT_EQ(0, pp_info(self->fd, id, NULL, &info));
	EXPECT_EQ(PKTPOOL_LIMIT_MAX, info.limit);
}

TEST_F(pool, create_rejects_limit_above_max)
{
	struct pktpool_pool_create c;

	REQUIRE_DEV();
	create_init(self, &c, "lim", 256);
	c.limit = PKTPOOL_LIMIT_MAX + 1;
	expect_create_fails(_metadata, self, &c, -EINVAL);
	c.limit = UINT64_MAX;
	expect_create_fails(_metadata, self, &c, -EINVAL);
}

TEST_F(pool, create_rejects_reserve_above_max)
{
	struct pktpool_pool_create c;

	REQUIRE_DEV();
	create_init(self, &c, "res", 64);
	c.reserve = PKTPOOL_RESERVE_MAX + 1;
	expect_create_fails(_metadata, self, &c, -EINVAL);
	c.reserve = UINT64_MAX;
	expect_create_fails(_metadata, self, &c, -EINVAL);
}

TEST_F(pool, create_rejects_reserve_above_limit)
{
	struct pktpool_pool_create c;

	REQUIRE_DEV();
	create_init(self, &c, "res", 256);
	c.limit = 10;
	c.reserve = 11;
	expect_create_fails(_metadata, self, &c, -EINVAL);
}

TEST_F(pool, create_accepts_reserve_equal_to_limit)
{
	REQUIRE_DEV();
	make_pool(_metadata, self, "req", 256, 10, 10);
}

TEST_F(pool, create_accepts_reserve_with_unlimited_pool)
{
	REQUIRE_DEV();
	make_pool(_metadata, self, "runl", 256, 0, 32);
}

TEST_F(pool, create_rejects_taken_name_with_eexist)
{
	struct pktpool_pool_create c;
	struct pktpool_pool_info before, after;
	__u32 id;

	REQUIRE_DEV();
	id = make_pool(_metadata, self, "dup", 256, 100, 0);
	ASSERT_EQ(0, pp_info(self->fd, id, NULL, &before));
	/* Same name, different parameters: the first pool stays as it is. */
	pp_create_init(&c, self->names[self->nr - 1], 1024);
	c.limit = 7;
	expect_create_fails(_metadata, self, &c, -EEXIST);
	ASSERT_EQ(0, pp_info(self->fd, id, NULL, &after));
	EXPECT_EQ(0, memcmp(&before, &after, sizeof(before)));
}

TEST_F_TIMEOUT(pool, create_fails_with_enospc_at_max_pools, 120)
{
	struct pktpool_pool_create c;
	struct pktpool_version v;
	long count;
	char tag[16];
	__u32 i;

	REQUIRE_DEV();
	ASSERT_EQ(0, pp_version(self->fd, &v));
	count = pp_count(self->fd);
	ASSERT_GE(count, 0);
	if (v.max_pools - count + 1 > MAX_TRACKED)
		SKIP(return, "max_pools %u too large for this test", v.max_pools);
	for (i = count; i < v.max_pools; i++) {
		snprintf(tag, sizeof(tag), "m%u", i);
		make_pool(_metadata, self, tag, 64, 0, 0);
	}
	ASSERT_EQ(v.max_pools, pp_count(self->fd));
	create_init(self, &c, "over", 64);
	expect_create_fails(_metadata, self, &c, -ENOSPC);
	/* Room again after one destroy. */
	ASSERT_EQ(0, pp_destroy(self->fd, 0, self->names[0]));
	create_init(self, &c, "again", 64);
	EXPECT_EQ(0, pp_create(self->fd, &c));
}

TEST_F(pool, create_rejects_short_size)
{
	struct pktpool_pool_create c;

	REQUIRE_DEV();
	create_init(self, &c, "short", 256);
	c.size = sizeof(c) - 8;
	expect_create_fails(_metadata, self, &c, -EINVAL);
}

TEST_F(pool, create_rejects_nonzero_tail_with_e2big)
{
	struct {
		struct pktpool_pool_create c;
		__u64 next;
	} ext;

	REQUIRE_DEV();
	create_init(self, &ext.c, "ext", 256);
	ext.c.size = sizeof(ext);
	ext.next = 1;
	expect_create_fails(_metadata, self, &ext.c, -E2BIG);
}

TEST_F(pool, create_accepts_zero_tail_and_writes_id)
{
	struct {
		struct pktpool_pool_create c;
		__u64 next;
	} ext;

	REQUIRE_DEV();
	create_init(self, &ext.c, "ext", 256);
	ext.c.size = sizeof(ext);
	ext.next = 0;
	ASSERT_EQ(0, pp_create(self->fd, &ext.c));
	EXPECT_NE(0U, ext.c.id);
	EXPECT_EQ(0U, ext.next);
}

TEST_F(pool, create_bad_pointer_gives_efault)
{
	long before;
	void *page;

	REQUIRE_DEV();
	before = pp_count(self->fd);
	page = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, page);
	EXPECT_EQ(-EFAULT, pp_ioctl(self->fd, PKTPOOL_IOC_POOL_CREATE, page));
	munmap(page, 4096);
	EXPECT_EQ(before, pp_count(self->fd));
}

/* naming a pool */

TEST_F(pool, info_finds_pool_by_id_and_by_name)
{
	struct pktpool_pool_info a, b;
	const char *name;
	__u32 id;

	REQUIRE_DEV();
	id = make_pool(_metadata, self, "find", 2048, 0, 0);
	name = self->names[self->nr - 1];
	ASSERT_EQ(0, pp_info(self->fd, id, NULL, &a));
	ASSERT_EQ(0, pp_info(self->fd, 0, name, &b));
	EXPECT_EQ(id, a.id);
	EXPECT_EQ(id, b.id);
	EXPECT_STREQ(name, a.name);
	EXPECT_EQ(0, memcmp(&a, &b, sizeof(a)));
}

TEST_F(pool, info_of_unknown_id_gives_enoent)
{
	struct pktpool_pool_info info;

	REQUIRE_DEV();
	EXPECT_EQ(-ENOENT, pp_info(self->fd, UINT32_MAX, NULL, &info));
}

TEST_F(pool, info_of_unknown_name_gives_enoent)
{
	struct pktpool_pool_info info;
	char name[PKTPOOL_NAME_MAX];

	REQUIRE_DEV();
	pp_name(name, "nosuch");
	EXPECT_EQ(-ENOENT, pp_info(self->fd, 0, name, &info));
}

TEST_F(pool, id_together_with_name_gives_einval)
{
	struct pktpool_pool_info info;
	__u32 id;

	REQUIRE_DEV();
	id = make_pool(_metadata, self, "both", 256, 0, 0);
	EXPECT_EQ(-EINVAL, pp_info(self->fd, id, self->names[self->nr - 1],
				   &info));
	EXPECT_EQ(-EINVAL, pp_destroy(self->fd, id, self->names[self->nr - 1]));
	EXPECT_EQ(0, pp_info(self->fd, id, NULL, &info));
}

TEST_F(pool, neither_id_nor_name_gives_einval)
{
	struct pktpool_pool_info info;
	long before;

	REQUIRE_DEV();
	make_pool(_metadata, self, "keep", 256, 0, 0);
	before = pp_count(self->fd);
	EXPECT_EQ(-EINVAL, pp_info(self->fd, 0, NULL, &info));
	EXPECT_EQ(-EINVAL, pp_destroy(self->fd, 0, NULL));
	EXPECT_EQ(before, pp_count(self->fd));
}

TEST_F(pool, info_rejects_short_size)
{
	struct pktpool_pool_info info;
	__u32 id;

	REQUIRE_DEV();
	id = make_pool(_metadata, self, "sz", 256, 0, 0);
	memset(&info, 0, sizeof(info));
	info.size = sizeof(info) - 8;
	info.id = id;
	EXPECT_EQ(-EINVAL, pp_ioctl(self->fd, PKTPOOL_IOC_POOL_INFO, &info));
}

/* destroy */

TEST_F(pool, destroy_by_id_removes_pool)
{
	struct pktpool_pool_info info;
	long before;
	__u32 id;

	REQUIRE_DEV();
	id = make_pool(_metadata, self, "did", 256, 0, 0);
	before = pp_count(self->fd);
	EXPECT_EQ(0, pp_destroy(self->fd, id, NULL));
	EXPECT_EQ(before - 1, pp_count(self->fd));
	EXPECT_EQ(-ENOENT, pp_info(self->fd, id, NULL, &info));
}

TEST_F(pool, destroy_by_name_removes_pool)
{
	struct pktpool_pool_info info;
	const char *name;

	REQUIRE_DEV();
	make_pool(_metadata, self, "dname", 256, 0, 16);
	name = self->names[self->nr - 1];
	EXPECT_EQ(0, pp_destroy(self->fd, 0, name));
	EXPECT_EQ(-ENOENT, pp_info(self->fd, 0, name, &info));
}

TEST_F(pool, destroy_of_unknown_pool_gives_enoent)
{
	char name[PKTPOOL_NAME_MAX];
	long before;

	REQUIRE_DEV();
	pp_name(name, "nosuch");
	before = pp_count(self->fd);
	EXPECT_EQ(-ENOENT, pp_destroy(self->fd, 0, name));
	EXPECT_EQ(-ENOENT, pp_destroy(self->fd, UINT32_MAX, NULL));
	EXPECT_EQ(before, pp_count(self->fd));
}

TEST_F(pool, destroy_twice_gives_enoent)
{
	__u32 id;

	REQUIRE_DEV();
	id = make_pool(_metadata, self, "twice", 256, 0, 0);
	EXPECT_EQ(0, pp_destroy(self->fd, id, NULL));
	EXPECT_EQ(-ENOENT, pp_destroy(self->fd, id, NULL));
}

TEST_F(pool, destroyed_name_can_be_reused)
{
	const char *name;
	__u32 id = 0;

	REQUIRE_DEV();
	make_pool(_metadata, self, "reuse", 256, 0, 0);
	name = self->names[self->nr - 1];
	ASSERT_EQ(0, pp_destroy(self->fd, 0, name));
	EXPECT_EQ(0, pp_create_simple(self->fd, name, 64, 0, 0, &id));
	EXPECT_NE(0U, id);
}

TEST_F(pool, destroy_rejects_nonzero_tail_with_e2big)
{
	struct {
		struct pktpool_pool_id p;
		__u32 next;
	} ext;
	struct pktpool_pool_info info;
	__u32 id;

	REQUIRE_DEV();
	id = make_pool(_metadata, self, "dtail", 256, 0, 0);
	pp_id_init(&ext.p, id, NULL);
	ext.p.size = sizeof(ext);
	ext.next = 0xff;
	EXPECT_EQ(-E2BIG, pp_ioctl(self->fd, PKTPOOL_IOC_POOL_DESTROY, &ext));
	EXPECT_EQ(0, pp_info(self->fd, id, NULL, &info));
}

/* set */

TEST_F(pool, set_limit_changes_only_limit)
{
	struct pktpool_pool_info info;
	__u32 id;

	REQUIRE_DEV();
	id = make_pool(_metadata, self, "setl", 256, 100, 5);
	/* The reserve field is ignored without PKTPOOL_SET_RESERVE. */
	ASSERT_EQ(0, pp_set(self->fd, self->names[self->nr - 1],
			    PKTPOOL_SET_LIMIT, 500, 7));
	ASSERT_EQ(0, pp_info(self->fd, id, NULL, &info));
	EXPECT_EQ(500U, info.limit);
	EXPECT_EQ(5U, info.reserve);
	EXPECT_EQ(5U, info.reserve_avail);
}

TEST_F(pool, set_limit_zero_makes_pool_unlimited)
{
	struct pktpool_pool_info info;
	__u32 id;

	REQUIRE_DEV();
	id = make_pool(_metadata, self, "setz", 256, 100, 50);
	ASSERT_EQ(0, pp_set(self->fd, self->names[self->nr - 1],
			    PKTPOOL_SET_LIMIT, 0, 0));
	ASSERT_EQ(0, pp_info(self->fd, id, NULL, &info));
	EXPECT_EQ(0U, info.limit);
	EXPECT_EQ(50U, info.reserve);
}

TEST_F(pool, set_by_id_works)
{
	struct pktpool_pool_info info;
	struct pktpool_pool_set s;
	__u32 id;

	REQUIRE_DEV();
	id = make_pool(_metadata, self, "setid", 256, 100, 0);
	pp_set_init(&s, id, NULL, PKTPOOL_SET_ALL, 300, 3);
	ASSERT_EQ(0, pp_ioctl(self->fd, PKTPOOL_IOC_POOL_SET, &s));
	ASSERT_EQ(0, pp_info(self->fd, id, NULL, &info));
	EXPECT_EQ(300U, info.limit);
	EXPECT_EQ(3U, info.reserve);
}

TEST_F(pool, set_reserve_growth_fills_reserve)
{
	struct pktpool_pool_info info;
	__u32 id;

	REQUIRE_DEV();
	id = make_pool(_metadata, self, "grow", 256, 0, 0);
	ASSERT_EQ(0, pp_set(self->fd, self->names[self->nr - 1],
			    PKTPOOL_SET_RESERVE, 0, 32));
	ASSERT_EQ(0, pp_info(self->fd, id, NULL, &info));
	EXPECT_EQ(32U, info.reserve);
	EXPECT_EQ(32U, info.reserve_avail);
	EXPECT_EQ(0U, info.limit);
	EXPECT_EQ(0U, info.in_use);
}

TEST_F(pool, set_reserve_shrink_frees_reserve)
{
	struct pktpool_pool_info info;
	__u32 id;

	REQUIRE_DEV();
	id = make_pool(_metadata, self, "shrink", 256, 0, 32);
	ASSERT_EQ(0, pp_set(self->fd, self->names[self->nr - 1],
			    PKTPOOL_SET_RESERVE, 0, 4));
	ASSERT_EQ(0, pp_info(self->fd, id, NULL, &info));
	EXPECT_EQ(4U, info.reserve);
	EXPECT_EQ(4U, info.reserve_avail);
	ASSERT_EQ(0, pp_set(self->fd, self->names[self->nr - 1],
			    PKTPOOL_SET_RESERVE, 0, 0));
	ASSERT_EQ(0, pp_info(self->fd, id, NULL, &info));
	EXPECT_EQ(0U, info.reserve_avail);
}

TEST_F(pool, set_rejects_empty_mask)
{
	struct pktpool_pool_set s;
	__u32 id;

	REQUIRE_DEV();
	id = make_pool(_metadata, self, "mask0", 256, 100, 0);
	pp_set_init(&s, id, NULL, 0, 50, 0);
	expect_set_fails(_metadata, self, &s, -EINVAL);
}

TEST_F(pool, set_rejects_unknown_mask_bits)
{
	struct pktpool_pool_set s;
	__u32 id;

	REQUIRE_DEV();
	id = make_pool(_metadata, self, "maskx", 256, 100, 0);
	pp_set_init(&s, id, NULL, PKTPOOL_SET_LIMIT | (PKTPOOL_SET_ALL + 1),
		    50, 0);
	expect_set_fails(_metadata, self, &s, -EINVAL);
	pp_set_init(&s, id, NULL, 1U << 31, 50, 0);
	expect_set_fails(_metadata, self, &s, -EINVAL);
}

TEST_F(pool, set_rejects_nonzero_reserved)
{
	struct pktpool_pool_set s;
	__u32 id;

	REQUIRE_DEV();
	id = make_pool(_metadata, self, "srsv", 256, 100, 0);
	pp_set_init(&s, id, NULL, PKTPOOL_SET_LIMIT, 50, 0);
	s.reserved = 1;
	expect_set_fails(_metadata, self, &s, -EINVAL);
}

TEST_F(pool, set_rejects_limit_above_max)
{
	struct pktpool_pool_set s;
	__u32 id;

	REQUIRE_DEV();
	id = make_pool(_metadata, self, "slim", 256, 100, 0);
	pp_set_init(&s, id, NULL, PKTPOOL_SET_LIMIT, PKTPOOL_LIMIT_MAX + 1, 0);
	expect_set_fails(_metadata, self, &s, -EINVAL);
}

TEST_F(pool, set_rejects_reserve_above_max)
{
	struct pktpool_pool_set s;
	__u32 id;

	REQUIRE_DEV();
	id = make_pool(_metadata, self, "sres", 64, 0, 0);
	pp_set_init(&s, id, NULL, PKTPOOL_SET_RESERVE, 0,
		    PKTPOOL_RESERVE_MAX + 1);
	expect_set_fails(_metadata, self, &s, -EINVAL);
}

TEST_F(pool, set_rejects_reserve_above_new_limit)
{
	struct pktpool_pool_set s;
	__u32 id;

	REQUIRE_DEV();
	id = make_pool(_metadata, self, "sboth", 256, 100, 0);
	pp_set_init(&s, id, NULL, PKTPOOL_SET_ALL, 10, 11);
	expect_set_fails(_metadata, self, &s, -EINVAL);
}

/* The rules apply to the pair as it would be after the change. */
TEST_F(pool, set_rejects_limit_below_current_reserve)
{
	struct pktpool_pool_set s;
	__u32 id;

	REQUIRE_DEV();
	id = make_pool(_metadata, self, "slow", 256, 100, 16);
	pp_set_init(&s, id, NULL, PKTPOOL_SET_LIMIT, 8, 0);
	expect_set_fails(_metadata, self, &s, -EINVAL);
}

TEST_F(pool, set_rejects_reserve_above_current_limit)
{
	struct pktpool_pool_set s;
	__u32 id;

	REQUIRE_DEV();
	id = make_pool(_metadata, self, "shigh", 256, 10, 0);
	pp_set_init(&s, id, NULL, PKTPOOL_SET_RESERVE, 0, 20);
	expect_set_fails(_metadata, self, &s, -EINVAL);
}

TEST_F(pool, set_of_unknown_pool_gives_enoent)
{
	struct pktpool_pool_set s;
	char name[PKTPOOL_NAME_MAX];

	REQUIRE_DEV();
	pp_name(name, "nosuch");
	pp_set_init(&s, 0, name, PKTPOOL_SET_LIMIT, 10, 0);
	EXPECT_EQ(-ENOENT, pp_ioctl(self->fd, PKTPOOL_IOC_POOL_SET, &s));
	pp_set_init(&s, UINT32_MAX, NULL, PKTPOOL_SET_LIMIT, 10, 0);
	EXPECT_EQ(-ENOENT, pp_ioctl(self->fd, PKTPOOL_IOC_POOL_SET, &s));
}

/* list */

static bool list_has(const __u32 *ids, __u32 count, __u32 id)
{
	__u32 i;

	for (i = 0; i < count; i++)
		if (ids[i] == id)
			return true;
	return false;
}

TEST_F(pool, list_returns_every_pool_in_ascending_order)
{
	__u32 ids[1024], count, a, b, c, i;
	long before;

	REQUIRE_DEV();
	before = pp_count(self->fd);
	a = make_pool(_metadata, self, "la", 64, 0, 0);
	b = make_pool(_metadata, self, "lb", 64, 0, 0);
	c = make_pool(_metadata, self, "lc", 64, 0, 0);
	ASSERT_EQ(0, pp_list(self->fd, ids, 1024, &count));
	EXPECT_EQ(before + 3, count);
	EXPECT_TRUE(list_has(ids, count, a));
	EXPECT_TRUE(list_has(ids, count, b));
	EXPECT_TRUE(list_has(ids, count, c));
	for (i = 1; i < count; i++)
		EXPECT_LT(ids[i - 1], ids[i]);
}

TEST_F(pool, list_drops_destroyed_pool)
{
	__u32 ids[1024], count, id;

	REQUIRE_DEV();
	id = make_pool(_metadata, self, "ld", 64, 0, 0);
	ASSERT_EQ(0, pp_destroy(self->fd, id, NULL));
	ASSERT_EQ(0, pp_list(self->fd, ids, 1024, &count));
	EXPECT_FALSE(list_has(ids, count, id));
}

TEST_F(pool, list_with_short_capacity_gives_enospc_and_count)
{
	__u32 ids[4], count = 0;
	long total;

	REQUIRE_DEV();
	make_pool(_metadata, self, "s1", 64, 0, 0);
	make_pool(_metadata, self, "s2", 64, 0, 0);
	total = pp_count(self->fd);
	ASSERT_GE(total, 2);
	memset(ids, 0xee, sizeof(ids));
	EXPECT_EQ(-ENOSPC, pp_list(self->fd, ids, (__u32)total - 1, &count));
	EXPECT_EQ(total, count);
	/* Nothing was written to the array. */
	EXPECT_EQ(0xeeeeeeee, ids[0]);
	EXPECT_EQ(0xeeeeeeee, ids[1]);
}

TEST_F(pool, list_with_zero_capacity_reports_count)
{
	__u32 count = 0;
	long total;

	REQUIRE_DEV();
	make_pool(_metadata, self, "z1", 64, 0, 0);
	total = pp_count(self->fd);
	EXPECT_EQ(-ENOSPC, pp_list(self->fd, NULL, 0, &count));
	EXPECT_EQ(total, count);
}

TEST_F(pool, list_rejects_nonzero_reserved)
{
	struct pktpool_pool_list l;
	__u32 ids[1024];

	REQUIRE_DEV();
	memset(&l, 0, sizeof(l));
	l.size = sizeof(l);
	l.capacity = 1024;
	l.ids_ptr = (__u64)(unsigned long)ids;
	l.reserved = 1;
	EXPECT_EQ(-EINVAL, pp_ioctl(self->fd, PKTPOOL_IOC_POOL_LIST, &l));
}

TEST_F(pool, list_bad_ids_pointer_gives_efault)
{
	__u32 count;
	void *page;

	REQUIRE_DEV();
	make_pool(_metadata, self, "lf", 64, 0, 0);
	page = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, page);
	EXPECT_EQ(-EFAULT, pp_list(self->fd, page, 16, &count));
	munmap(page, 4096);
}

TEST_HARNESS_MAIN
