// SPDX-License-Identifier: GPL-2.0
/*
 * The ioctl ABI of /dev/pktpool: the VERSION answer, the published struct
 * sizes, how commands are matched and how the leading size field of every
 * argument is checked.
 */
#include <stdint.h>
#include <sys/mman.h>

#include "pktpool_harness.h"
#include "pktpool_util.h"

FIXTURE(dev) {
	int fd;
	const char *skip;
};

FIXTURE_SETUP(dev)
{
	self->fd = pp_open_dev(PKTPOOL_DEVICE);
	if (self->fd == -ENOENT)
		self->skip = PKTPOOL_DEVICE " missing: pktpool.ko not loaded";
	else if (self->fd < 0)
		self->skip = "cannot open " PKTPOOL_DEVICE " (not root?)";
}

FIXTURE_TEARDOWN(dev)
{
	if (self->fd >= 0)
		close(self->fd);
}

#define REQUIRE_DEV() do {					\
	if (self->skip)						\
		SKIP(return, "%s", self->skip);			\
} while (0)

/* A version struct followed by bytes a newer userspace might send. */
struct version_ext {
	struct pktpool_version v;
	unsigned char tail[64];
};

static int read_param(const char *name, char *buf, size_t size)
{
	char path[128];

	snprintf(path, sizeof(path), PP_PARAMS "%s", name);
	return pp_read_file(path, buf, size);
}

/* Compile-time facts: these sizes are the v1 ABI and may never change. */
TEST_F(dev, uapi_struct_sizes_are_v1)
{
	/* Needs no module: the facts are in the header. */
	EXPECT_EQ(88U, sizeof(struct pktpool_version));
	EXPECT_EQ(72U, sizeof(struct pktpool_pool_create));
	EXPECT_EQ(40U, sizeof(struct pktpool_pool_id));
	EXPECT_EQ(160U, sizeof(struct pktpool_pool_info));
	EXPECT_EQ(64U, sizeof(struct pktpool_pool_set));
	EXPECT_EQ(24U, sizeof(struct pktpool_pool_list));
}

TEST_F(dev, ioctl_numbers_encode_v1_struct_sizes)
{
	EXPECT_EQ(sizeof(struct pktpool_version),
		  _IOC_SIZE(PKTPOOL_IOC_VERSION));
	EXPECT_EQ(sizeof(struct pktpool_pool_create),
		  _IOC_SIZE(PKTPOOL_IOC_POOL_CREATE));
	EXPECT_EQ(sizeof(struct pktpool_pool_id),
		  _IOC_SIZE(PKTPOOL_IOC_POOL_DESTROY));
	EXPECT_EQ(sizeof(struct pktpool_pool_info),
		  _IOC_SIZE(PKTPOOL_IOC_POOL_INFO));
	EXPECT_EQ(sizeof(struct pktpool_pool_set),
		  _IOC_SIZE(PKTPOOL_IOC_POOL_SET));
	EXPECT_EQ(sizeof(struct pktpool_pool_list),
		  _IOC_SIZE(PKTPOOL_IOC_POOL_LIST));
	EXPECT_EQ((unsigned int)PKTPOOL_IOC_MAGIC, _IOC_TYPE(PKTPOOL_IOC_VERSION));
}

TEST_F(dev, version_reports_the_abi_version_of_the_header)
{
	struct pktpool_version v;

	REQUIRE_DEV();
	ASSERT_EQ(0, pp_version(self->fd, &v));
	EXPECT_EQ((__u32)PKTPOOL_ABI_VERSION, v.abi_version);
	EXPECT_EQ(sizeof(v), v.size);
}

TEST_F(dev, version_advertises_pools_feature)
{
	struct pktpool_version v;

	REQUIRE_DEV();
	ASSERT_EQ(0, pp_version(self->fd, &v));
	EXPECT_TRUE(!!(v.features & PKTPOOL_FEAT_POOLS));
}

TEST_F(dev, version_debug_feature_follows_debug_param)
{
	struct pktpool_version v;
	bool debug;
	char buf[16];

	REQUIRE_DEV();
	if (read_param("debug", buf, sizeof(buf)))
		SKIP(return, "module parameter debug not readable");
	debug = buf[0] == 'Y' || buf[0] == 'y' || buf[0] == '1';
	ASSERT_EQ(0, pp_version(self->fd, &v));
	EXPECT_EQ(debug, !!(v.features & PKTPOOL_FEAT_DEBUG));
}

TEST_F(dev, version_classes_ascend_in_multiples_of_8)
{
	struct pktpool_version v;
	__u32 i;

	REQUIRE_DEV();
	ASSERT_EQ(0, pp_version(self->fd, &v));
	ASSERT_GE(v.nr_classes, 1U);
	ASSERT_LE(v.nr_classes, (__u32)PKTPOOL_CLASSES_MAX);
	for (i = 0; i < v.nr_classes; i++) {
		EXPECT_EQ(0U, v.class_size[i] % 8);
		EXPECT_GE(v.class_size[i], 8U);
		EXPECT_LE(v.class_size[i], (__u32)PKTPOOL_OBJ_SIZE_MAX);
		if (i)
			EXPECT_GT(v.class_size[i], v.class_size[i - 1]);
	}
	for (; i < PKTPOOL_CLASSES_MAX; i++)
		EXPECT_EQ(0U, v.class_size[i]);
}

TEST_F(dev, version_classes_match_classes_param)
{
	struct pktpool_version v;
	char buf[256], want[256];
	size_t off = 0;
	__u32 i;

	REQUIRE_DEV();
	if (read_param("classes", buf, sizeof(buf)))
		SKIP(return, "module parameter classes not readable");
	ASSERT_EQ(0, pp_version(self->fd, &v));
	want[0] = '\0';
	for (i = 0; i < v.nr_classes && off < sizeof(want); i++)
		off += snprintf(want + off, sizeof(want) - off, "%s%u",
				i ? "," : "", v.class_size[i]);
	EXPECT_STREQ(buf, want);
}

TEST_F(dev, version_max_pools_matches_param)
{
	struct pktpool_version v;
	char buf[32];

	REQUIRE_DEV();
	if (read_param("max_pools", buf, sizeof(buf)))
		SKIP(return, "module parameter max_pools not readable");
	ASSERT_EQ(0, pp_version(self->fd, &v));
	EXPECT_EQ(strtoul(buf, NULL, 10), v.max_pools);
	EXPECT_GE(v.max_pools, 1U);
}

TEST_F(dev, unknown_ioctl_number_gives_enotty)
{
	struct pktpool_version v;

	REQUIRE_DEV();
	memset(&v, 0, sizeof(v));
	v.size = sizeof(v);
	EXPECT_EQ(-ENOTTY, pp_ioctl(self->fd,
				    _IOWR(PKTPOOL_IOC_MAGIC, 0x0f,
					  struct pktpool_version), &v));
	EXPECT_EQ(-ENOTTY, pp_ioctl(self->fd,
				    _IOWR(PKTPOOL_IOC_MAGIC, 0xff,
					  struct pktpool_version), &v));
}

TEST_F(dev, wrong_ioctl_type_gives_enotty)
{
	struct pktpool_version v;

	REQUIRE_DEV();
	memset(&v, 0, sizeof(v));
	v.size = sizeof(v);
	EXPECT_EQ(-ENOTTY, pp_ioctl(self->fd,
				    _IOWR(PKTPOOL_IOC_MAGIC + 1, 0x00,
					  struct pktpool_version), &v));
	EXPECT_EQ(-ENOTTY, pp_ioctl(self->fd, _IO('T', 0x00), &v));
}

/* The struct's own size field counts, not the size in the command. */
TEST_F(dev, ioctl_ignores_size_bits_of_command)
{
	struct version_ext big;

	REQUIRE_DEV();
	memset(&big, 0, sizeof(big));
	big.v.size = sizeof(big.v);
	ASSERT_EQ(0, pp_ioctl(self->fd,
			      _IOC(_IOC_READ | _IOC_WRITE, PKTPOOL_IOC_MAGIC,
				   0x00, sizeof(big)), &big));
	EXPECT_EQ((__u32)PKTPOOL_ABI_VERSION, big.v.abi_version);
}

/* The ABI promises a match on type and number only: direction too. */
TEST_F(dev, ioctl_with_wrong_direction_bits_gives_enotty)
{
	struct version_ext big;

	REQUIRE_DEV();
	memset(&big, 0, sizeof(big));
	big.v.size = sizeof(big.v);
	EXPECT_EQ(-ENOTTY, pp_ioctl(self->fd, _IO(PKTPOOL_IOC_MAGIC, 0x00), &big));
	EXPECT_EQ(0U, big.v.abi_version);
}

TEST_F(dev, size_below_v1_gives_einval)
{
	struct pktpool_version v;

	REQUIRE_DEV();
	memset(&v, 0, sizeof(v));
	v.size = sizeof(v) - 1;
	EXPECT_EQ(-EINVAL, pp_ioctl(self->fd, PKTPOOL_IOC_VERSION, &v));
	EXPECT_EQ(0U, v.abi_version);
	v.size = 4;
	EXPECT_EQ(-EINVAL, pp_ioctl(self->fd, PKTPOOL_IOC_VERSION, &v));
}

TEST_F(dev, size_zero_gives_einval)
{
	struct pktpool_version v;

	REQUIRE_DEV();
	memset(&v, 0, sizeof(v));
	EXPECT_EQ(-EINVAL, pp_ioctl(self->fd, PKTPOOL_IOC_VERSION, &v));
}

TEST_F(dev, larger_struct_with_zero_tail_is_accepted)
{
	struct version_ext big;
	size_t i;

	REQUIRE_DEV();
	memset(&big, 0, sizeof(big));
	big.v.size = sizeof(big);
	ASSERT_EQ(0, pp_ioctl(self->fd, PKTPOOL_IOC_VERSION, &big));
	EXPECT_EQ((__u32)PKTPOOL_ABI_VERSION, big.v.abi_version);
	EXPECT_TRUE(!!(big.v.features & PKTPOOL_FEAT_POOLS));
	for (i = 0; i < sizeof(big.tail); i++)
		ASSERT_EQ(0, big.tail[i]);
}

TEST_F(dev, larger_struct_with_nonzero_tail_gives_e2big)
{
	struct version_ext big;

	REQUIRE_DEV();
	memset(&big, 0, sizeof(big));
	big.v.size = sizeof(big);
	big.tail[sizeof(big.tail) - 1] = 1;
	EXPECT_EQ(-E2BIG, pp_ioctl(self->fd, PKTPOOL_IOC_VERSION, &big));
	EXPECT_EQ(0U, big.v.abi_version);

	memset(&big, 0, sizeof(big));
	big.v.size = sizeof(big);
	big.tail[0] = 0x80;
	EXPECT_EQ(-E2BIG, pp_ioctl(self->fd, PKTPOOL_IOC_VERSION, &big));
}

TEST_F(dev, size_of_4096_with_zero_tail_is_accepted)
{
	struct pktpool_version *v;
	unsigned char *buf;

	REQUIRE_DEV();
	buf = calloc(1, 4096);
	ASSERT_NE(NULL, buf);
	v = (struct pktpool_version *)buf;
	v->size = 4096;
	EXPECT_EQ(0, pp_ioctl(self->fd, PKTPOOL_IOC_VERSION, buf));
	EXPECT_EQ((__u32)PKTPOOL_ABI_VERSION, v->abi_version);
	free(buf);
}

TEST_F(dev, size_above_4096_gives_e2big)
{
	struct pktpool_version *v;
	unsigned char *buf;

	REQUIRE_DEV();
	buf = calloc(1, 8192);
	ASSERT_NE(NULL, buf);
	v = (struct pktpool_version *)buf;
	v->size = 4097;
	EXPECT_EQ(-E2BIG, pp_ioctl(self->fd, PKTPOOL_IOC_VERSION, buf));
	v->size = 8192;
	EXPECT_EQ(-E2BIG, pp_ioctl(self->fd, PKTPOOL_IOC_VERSION, buf));
	v->size = UINT32_MAX;
	EXPECT_EQ(-E2BIG, pp_ioctl(self->fd, PKTPOOL_IOC_VERSION, buf));
	EXPECT_EQ(0U, v->abi_version);
	free(buf);
}

/* Bytes past the caller's size are not the caller's struct: untouched. */
TEST_F(dev, output_stops_at_callers_size)
{
	struct version_ext big;
	size_t i;

	REQUIRE_DEV();
	memset(&big, 0, sizeof(big));
	memset(big.tail, 0xa5, sizeof(big.tail));
	big.v.size = sizeof(big.v);
	ASSERT_EQ(0, pp_ioctl(self->fd, PKTPOOL_IOC_VERSION, &big));
	EXPECT_EQ((__u32)PKTPOOL_ABI_VERSION, big.v.abi_version);
	for (i = 0; i < sizeof(big.tail); i++)
		ASSERT_EQ(0xa5, big.tail[i]);
}

TEST_F(dev, bad_pointer_gives_efault)
{
	void *page;

	REQUIRE_DEV();
	page = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, page);
	EXPECT_EQ(-EFAULT, pp_ioctl(self->fd, PKTPOOL_IOC_VERSION, page));
	EXPECT_EQ(-EFAULT, pp_ioctl(self->fd, PKTPOOL_IOC_POOL_INFO, page));
	EXPECT_EQ(-EFAULT, pp_ioctl(self->fd, PKTPOOL_IOC_POOL_LIST, page));
	munmap(page, 4096);
}

/* A struct whose size field is fine but whose end is not mapped. */
TEST_F(dev, struct_crossing_into_unmapped_page_gives_efault)
{
	struct pktpool_version *v;
	unsigned char *map;

	REQUIRE_DEV();
	map = mmap(NULL, 8192, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, map);
	ASSERT_EQ(0, mprotect(map + 4096, 4096, PROT_NONE));
	v = (struct pktpool_version *)(map + 4096 - 8);
	v->size = sizeof(*v);
	EXPECT_EQ(-EFAULT, pp_ioctl(self->fd, PKTPOOL_IOC_VERSION, v));
	munmap(map, 8192);
}

TEST_HARNESS_MAIN
