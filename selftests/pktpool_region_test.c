// SPDX-License-Identifier: GPL-2.0
/*
 * Regions: create, share between processes, and every way of mapping one
 * wrongly. Runs as root in the VM; the permission tests fork and drop to
 * uid/gid 65534 (which also drops every capability).
 */
#define _GNU_SOURCE	/* setresuid, mremap */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <grp.h>
#include <sys/ioctl.h>
#include <grp.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <linux/pktpool.h>

/* The harness and TEST() bodies have parameters plain tests never use. */
#pragma GCC diagnostic ignored "-Wunused-parameter"
#include "kselftest_harness.h"

#define NOBODY 65534

static int dev_open(void)
{
	return open(PKTPOOL_DEVICE, O_RDWR | O_CLOEXEC);
}

static void set_name(char *dst, const char *tag)
{
	memset(dst, 0, PKTPOOL_NAME_MAX);
	snprintf(dst, PKTPOOL_NAME_MAX, "rt%d-%s", (int)getpid(), tag);
}

static int region_create(int fd, struct pktpool_region_create *c,
			 const char *tag, __u32 slot_size, __u32 count,
			 __u32 mode)
{
	memset(c, 0, sizeof(*c));
	c->size = sizeof(*c);
	set_name(c->name, tag);
	c->slot_size = slot_size;
	c->slot_count = count;
	c->node = -1;
	c->mode = mode;
	return ioctl(fd, PKTPOOL_IOC_REGION_CREATE, c) ? -errno : 0;
}

static int region_info(int fd, const char *name, __u32 id,
		       struct pktpool_region_info *i, unsigned long cmd,
		       __u32 access)
{
	memset(i, 0, sizeof(*i));
	i->size = sizeof(*i);
	i->id = id;
	if (name)
		memcpy(i->name, name, strnlen(name, PKTPOOL_NAME_MAX - 1));
	i->access = access;
	return ioctl(fd, cmd, i) ? -errno : 0;
}

static int region_destroy(int fd, __u32 id)
{
	struct pktpool_pool_id d = { .size = sizeof(d), .id = id };

	return ioctl(fd, PKTPOOL_IOC_REGION_DESTROY, &d) ? -errno : 0;
}

static void *map(int fd, size_t len, int prot, int flags, __u64 off)
{
	return mmap(NULL, len, prot, flags, fd, (off_t)off);
}

/* Run fn in a child as nobody; its exit code is the result. */
static int as_nobody(int (*fn)(int fd, void *arg), int fd, void *arg)
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		/* Root's supplementary group 0 would still match the owner's. */
		if (setgroups(0, NULL) || setresgid(NOBODY, NOBODY, NOBODY) ||
		    setresuid(NOBODY, NOBODY, NOBODY))
			_exit(100);
		_exit(fn(fd, arg));
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

FIXTURE(region) {
	int fd;
	struct pktpool_region_create c;
	void *mem;
};

FIXTURE_SETUP(region)
{
	self->fd = dev_open();
	ASSERT_LE(0, self->fd);
	ASSERT_EQ(0, region_create(self->fd, &self->c, "fx", 2048, 64, 0600));
	self->mem = MAP_FAILED;
}

FIXTURE_TEARDOWN(region)
{
	if (self->mem != MAP_FAILED)
		munmap(self->mem, self->c.mmap_size);
	region_destroy(self->fd, self->c.id);
	close(self->fd);
}

TEST_F(region, info_reports_page_aligned_layout)
{
	struct pktpool_region_info i;

	ASSERT_EQ(0, region_info(self->fd, NULL, self->c.id, &i,
				 PKTPOOL_IOC_REGION_INFO, 0));
	EXPECT_EQ(2048U, i.slot_size);
	EXPECT_EQ(64U, i.slot_count);
	EXPECT_EQ(0ULL, i.ctrl_offset);
	EXPECT_EQ((__u64)PKTPOOL_REGION_CTRL_SIZE, i.ctrl_size);
	EXPECT_EQ(i.ctrl_offset + i.ctrl_size, i.ring_offset);
	EXPECT_EQ(i.ring_offset + i.ring_size, i.meta_offset);
	EXPECT_LE(64ULL * PKTPOOL_REGION_META_SIZE, i.meta_size);
	EXPECT_EQ(i.meta_offset + i.meta_size, i.slots_offset);
	EXPECT_EQ(64ULL * 2048, i.slots_size);
	EXPECT_EQ(i.slots_offset + i.slots_size, i.mmap_size);
	EXPECT_EQ(self->c.mmap_size, i.mmap_size);
	EXPECT_EQ(0ULL, i.slots_offset % 4096);
	EXPECT_EQ(0600U, i.mode);
	EXPECT_EQ(1ULL, i.attached);	/* the creating file */
	EXPECT_EQ(0ULL, i.mappings);
}

TEST_F(region, memory_starts_zeroed_and_is_writable)
{
	unsigned char *p;
	size_t n;

	self->mem = map(self->fd, self->c.mmap_size, PROT_READ | PROT_WRITE,
			MAP_SHARED, self->c.mmap_offset);
	ASSERT_NE(MAP_FAILED, self->mem);
	p = self->mem;
	for (n = 0; n < self->c.mmap_size; n++)
		if (p[n])
			break;
	EXPECT_EQ(self->c.mmap_size, n);
	memset(p, 0xa5, self->c.mmap_size);
	EXPECT_EQ(0xa5, p[self->c.mmap_size - 1]);
}

TEST_F(region, two_processes_exchange_a_buffer_by_name)
{
	struct pktpool_region_info i;
	char *mem;
	int status;
	pid_t pid;

	self->mem = map(self->fd, self->c.mmap_size, PROT_READ | PROT_WRITE,
			MAP_SHARED, self->c.mmap_offset);
	ASSERT_NE(MAP_FAILED, self->mem);
	ASSERT_EQ(0, region_info(self->fd, NULL, self->c.id, &i,
				 PKTPOOL_IOC_REGION_INFO, 0));
	mem = self->mem;
	strcpy(mem + i.slots_offset + 5 * 2048, "ping");

	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		/* A fresh open: the child attaches by name, as a peer would. */
		int fd = dev_open();
		struct pktpool_region_info a;
		char *m;

		if (fd < 0 || region_info(fd, self->c.name, 0, &a,
					  PKTPOOL_IOC_REGION_ATTACH, 0))
			_exit(1);
		m = map(fd, a.mmap_size, PROT_READ | PROT_WRITE, MAP_SHARED,
			a.mmap_offset);
		if (m == MAP_FAILED || strcmp(m + a.slots_offset + 5 * 2048, "ping"))
			_exit(2);
		strcpy(m + a.slots_offset + 6 * 2048, "pong");
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(0, WEXITSTATUS(status));
	EXPECT_STREQ("pong", mem + i.slots_offset + 6 * 2048);
}

TEST_F(region, stats_count_attached_files_and_mappings)
{
	struct pktpool_region_info i, a;
	void *m2;
	int fd2 = dev_open();

	ASSERT_LE(0, fd2);
	self->mem = map(self->fd, self->c.mmap_size, PROT_READ, MAP_SHARED,
			self->c.mmap_offset);
	ASSERT_NE(MAP_FAILED, self->mem);
	ASSERT_EQ(0, region_info(fd2, NULL, self->c.id, &a,
				 PKTPOOL_IOC_REGION_ATTACH, 0));
	m2 = map(fd2, a.mmap_size, PROT_READ, MAP_SHARED, a.mmap_offset);
	ASSERT_NE(MAP_FAILED, m2);
	ASSERT_EQ(0, region_info(self->fd, NULL, self->c.id, &i,
				 PKTPOOL_IOC_REGION_INFO, 0));
	EXPECT_EQ(2ULL, i.attached);
	EXPECT_EQ(2ULL, i.mappings);
	munmap(m2, a.mmap_size);
	close(fd2);
	ASSERT_EQ(0, region_info(self->fd, NULL, self->c.id, &i,
				 PKTPOOL_IOC_REGION_INFO, 0));
	EXPECT_EQ(1ULL, i.attached);
	EXPECT_EQ(1ULL, i.mappings);
}

TEST_F(region, mmap_at_a_wrong_offset_is_refused)
{
	void *m;

	m = map(self->fd, self->c.mmap_size - 4096, PROT_READ, MAP_SHARED,
		self->c.mmap_offset + 4096);
	EXPECT_EQ(MAP_FAILED, m);
	EXPECT_EQ(EINVAL, errno);
	m = map(self->fd, self->c.mmap_size, PROT_READ, MAP_SHARED,
		self->c.mmap_offset + (1ULL << 32) * 1000);
	EXPECT_EQ(MAP_FAILED, m);
	EXPECT_EQ(EINVAL, errno);
	m = map(self->fd, self->c.mmap_size, PROT_READ, MAP_SHARED, 0);
	EXPECT_EQ(MAP_FAILED, m);
	EXPECT_EQ(EINVAL, errno);
}

TEST_F(region, mmap_of_a_wrong_length_is_refused)
{
	void *m;

	m = map(self->fd, self->c.mmap_size - 4096, PROT_READ, MAP_SHARED,
		self->c.mmap_offset);
	EXPECT_EQ(MAP_FAILED, m);
	EXPECT_EQ(EINVAL, errno);
	m = map(self->fd, self->c.mmap_size + 4096, PROT_READ, MAP_SHARED,
		self->c.mmap_offset);
	EXPECT_EQ(MAP_FAILED, m);
	EXPECT_EQ(EINVAL, errno);
}

TEST_F(region, mmap_private_is_refused)
{
	void *m = map(self->fd, self->c.mmap_size, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE, self->c.mmap_offset);

	EXPECT_EQ(MAP_FAILED, m);
	EXPECT_EQ(EINVAL, errno);
}

TEST_F(region, mmap_exec_and_mprotect_exec_are_refused)
{
	void *m = map(self->fd, self->c.mmap_size, PROT_READ | PROT_EXEC,
		      MAP_SHARED, self->c.mmap_offset);

	EXPECT_EQ(MAP_FAILED, m);
	EXPECT_EQ(EPERM, errno);
	self->mem = map(self->fd, self->c.mmap_size, PROT_READ, MAP_SHARED,
			self->c.mmap_offset);
	ASSERT_NE(MAP_FAILED, self->mem);
	EXPECT_EQ(-1, mprotect(self->mem, self->c.mmap_size,
			       PROT_READ | PROT_EXEC));
}

TEST_F(region, partial_munmap_and_mremap_growth_are_refused)
{
	volatile char *p;

	self->mem = map(self->fd, self->c.mmap_size, PROT_READ | PROT_WRITE,
			MAP_SHARED, self->c.mmap_offset);
	ASSERT_NE(MAP_FAILED, self->mem);
	EXPECT_EQ(-1, munmap(self->mem, 4096));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(MAP_FAILED, mremap(self->mem, self->c.mmap_size,
				     self->c.mmap_size + 4096, MREMAP_MAYMOVE));
	p = self->mem;
	p[0] = 1;	/* still mapped whole */
	EXPECT_EQ(1, p[0]);
}

TEST_F(region, mapping_is_excluded_from_core_dumps)
{
	char line[512], want[32];
	bool in_vma = false, dd = false;
	FILE *f;

	self->mem = map(self->fd, self->c.mmap_size, PROT_READ, MAP_SHARED,
			self->c.mmap_offset);
	ASSERT_NE(MAP_FAILED, self->mem);
	snprintf(want, sizeof(want), "%lx-", (unsigned long)self->mem);
	f = fopen("/proc/self/smaps", "r");
	ASSERT_NE(NULL, f);
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, want, strlen(want)))
			in_vma = true;
		else if (in_vma && !strncmp(line, "VmFlags:", 8)) {
			dd = strstr(line, " dd") != NULL;
			break;
		}
	}
	fclose(f);
	EXPECT_TRUE(in_vma);
	EXPECT_TRUE(dd);
}

TEST_F(region, mmap_by_a_file_that_did_not_attach_is_refused)
{
	int fd2 = dev_open();
	void *m;

	ASSERT_LE(0, fd2);
	m = map(fd2, self->c.mmap_size, PROT_READ, MAP_SHARED,
		self->c.mmap_offset);
	EXPECT_EQ(MAP_FAILED, m);
	EXPECT_EQ(EINVAL, errno);
	close(fd2);
}

TEST_F(region, destroy_removes_the_name_but_mapping_stays_valid)
{
	struct pktpool_region_info i;
	volatile char *p;

	self->mem = map(self->fd, self->c.mmap_size, PROT_READ | PROT_WRITE,
			MAP_SHARED, self->c.mmap_offset);
	ASSERT_NE(MAP_FAILED, self->mem);
	ASSERT_EQ(0, region_destroy(self->fd, self->c.id));
	EXPECT_EQ(-ENOENT, region_info(self->fd, self->c.name, 0, &i,
				       PKTPOOL_IOC_REGION_INFO, 0));
	p = self->mem;
	p[100] = 42;
	EXPECT_EQ(42, p[100]);
	EXPECT_EQ(0, munmap(self->mem, self->c.mmap_size));
	self->mem = MAP_FAILED;
	/* The name is free again. */
	struct pktpool_region_create again;

	EXPECT_EQ(0, region_create(self->fd, &again, "fx", 64, 1, 0600));
	region_destroy(self->fd, again.id);
}

TEST_F(region, attaching_twice_on_one_file_is_refused)
{
	struct pktpool_region_info i;

	EXPECT_EQ(-EEXIST, region_info(self->fd, NULL, self->c.id, &i,
				       PKTPOOL_IOC_REGION_ATTACH, 0));
}

TEST_F(region, detach_then_mmap_is_refused)
{
	struct pktpool_pool_id d = { .size = sizeof(d), .id = self->c.id };
	void *m;

	ASSERT_EQ(0, ioctl(self->fd, PKTPOOL_IOC_REGION_DETACH, &d));
	m = map(self->fd, self->c.mmap_size, PROT_READ, MAP_SHARED,
		self->c.mmap_offset);
	EXPECT_EQ(MAP_FAILED, m);
	EXPECT_EQ(-1, ioctl(self->fd, PKTPOOL_IOC_REGION_DETACH, &d));
	EXPECT_EQ(ENOENT, errno);
}

static int try_attach_rw(int fd, void *arg)
{
	struct pktpool_region_info i;

	return region_info(fd, NULL, *(__u32 *)arg, &i,
			   PKTPOOL_IOC_REGION_ATTACH, 0) == -EACCES ? 0 : 1;
}

TEST_F(region, another_uid_cannot_attach_a_0600_region)
{
	EXPECT_EQ(0, as_nobody(try_attach_rw, self->fd, &self->c.id));
}

static int try_destroy(int fd, void *arg)
{
	return region_destroy(fd, *(__u32 *)arg) == -EPERM ? 0 : 1;
}

TEST_F(region, another_uid_cannot_destroy_the_region)
{
	struct pktpool_region_info i;

	EXPECT_EQ(0, as_nobody(try_destroy, self->fd, &self->c.id));
	EXPECT_EQ(0, region_info(self->fd, NULL, self->c.id, &i,
				 PKTPOOL_IOC_REGION_INFO, 0));
}

/* Child as nobody on a 0604 region: read-only attach and map only. */
static int read_only_rules(int fd, void *arg)
{
	struct pktpool_region_info i;
	__u32 id = *(__u32 *)arg;
	void *m;
	int err;

	if (region_info(fd, NULL, id, &i, PKTPOOL_IOC_REGION_ATTACH,
			PKTPOOL_ACCESS_READ | PKTPOOL_ACCESS_WRITE) != -EACCES)
		return 1;
	err = region_info(fd, NULL, id, &i, PKTPOOL_IOC_REGION_ATTACH,
			  PKTPOOL_ACCESS_READ);
	if (err)
		return 20 - err;
	if (map(fd, i.mmap_size, PROT_READ | PROT_WRITE, MAP_SHARED,
		i.mmap_offset) != MAP_FAILED || errno != EACCES)
		return 3;
	m = map(fd, i.mmap_size, PROT_READ, MAP_SHARED, i.mmap_offset);
	if (m == MAP_FAILED)
		return 4;
	if (!mprotect(m, i.mmap_size, PROT_READ | PROT_WRITE))
		return 5;
	return 0;
}

TEST(region_read_only_attach_cannot_map_for_writing)
{
	struct pktpool_region_create c;
	int fd = dev_open(), fd2;

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, region_create(fd, &c, "ro", 64, 16, 0604));
	/* A file opened by root, not yet attached, used by nobody. */
	fd2 = dev_open();
	ASSERT_LE(0, fd2);
	EXPECT_EQ(0, as_nobody(read_only_rules, fd2, &c.id));
	EXPECT_EQ(0, region_destroy(fd, c.id));
	close(fd2);
	close(fd);
}

TEST(region_create_rejects_bad_geometry_and_fields)
{
	static const struct { __u32 slot, count, mode; } bad[] = {
		{ 0, 16, 0600 }, { 32, 16, 0600 }, { 100, 16, 0600 },
		{ 65600, 16, 0600 }, { 0x80000000u, 16, 0600 },
		{ 64, 0, 0600 }, { 64, 0xffffffffu, 0600 },
		{ 65536, 1u << 20, 0600 },	/* 64 GiB: over region_max_bytes */
		{ 64, 16, 01000 },
	};
	struct pktpool_region_create c;
	struct pktpool_pool_list l = { .size = sizeof(l) };
	__u32 before;
	size_t k;
	int fd = dev_open();

	ASSERT_LE(0, fd);
	ioctl(fd, PKTPOOL_IOC_REGION_LIST, &l);
	before = l.count;
	for (k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
		EXPECT_EQ(-EINVAL, region_create(fd, &c, "bad", bad[k].slot,
						 bad[k].count, bad[k].mode)) {
			TH_LOG("slot %u count %u mode %o", bad[k].slot,
			       bad[k].count, bad[k].mode);
		}
	}
	memset(&c, 0, sizeof(c));
	c.size = sizeof(c);
	set_name(c.name, "bad");
	c.slot_size = 64;
	c.slot_count = 1;
	c.node = -1;
	c.flags = 1;
	EXPECT_EQ(-1, ioctl(fd, PKTPOOL_IOC_REGION_CREATE, &c));
	EXPECT_EQ(EINVAL, errno);
	c.flags = 0;
	c.reserved = 1;
	EXPECT_EQ(-1, ioctl(fd, PKTPOOL_IOC_REGION_CREATE, &c));
	EXPECT_EQ(EINVAL, errno);
	c.reserved = 0;
	c.node = 4096;
	EXPECT_EQ(-1, ioctl(fd, PKTPOOL_IOC_REGION_CREATE, &c));
	EXPECT_EQ(EINVAL, errno);
	c.node = -1;
	memset(c.name, 0, sizeof(c.name));
	memcpy(c.name, "Bad Name", 9);
	EXPECT_EQ(-1, ioctl(fd, PKTPOOL_IOC_REGION_CREATE, &c));
	EXPECT_EQ(EINVAL, errno);
	l.capacity = 0;
	ioctl(fd, PKTPOOL_IOC_REGION_LIST, &l);
	EXPECT_EQ(before, l.count);
	close(fd);
}

/* Is a region with this id listed? */
static bool region_listed(int fd, __u32 id)
{
	struct pktpool_pool_list l = { .size = sizeof(l) };
	__u32 ids[256];

	l.capacity = 256;
	l.ids_ptr = (uintptr_t)ids;
	if (ioctl(fd, PKTPOOL_IOC_REGION_LIST, &l))
		return false;
	for (__u32 k = 0; k < l.count; k++)
		if (ids[k] == id)
			return true;
	return false;
}

TEST(region_anonymous_goes_with_its_last_file_and_mapping)
{
	struct pktpool_region_create c;
	struct pktpool_region_info i;
	int fd = dev_open(), watcher = dev_open();
	void *m;

	ASSERT_LE(0, fd);
	ASSERT_LE(0, watcher);
	memset(&c, 0, sizeof(c));
	c.size = sizeof(c);
	c.slot_size = 64;
	c.slot_count = 8;
	c.node = -1;
	c.mode = 0600;
	ASSERT_EQ(0, ioctl(fd, PKTPOOL_IOC_REGION_CREATE, &c));
	ASSERT_EQ(0, region_info(watcher, NULL, c.id, &i,
				 PKTPOOL_IOC_REGION_INFO, 0));
	EXPECT_EQ(0, i.name[0]);
	EXPECT_EQ(-EINVAL, region_destroy(watcher, c.id));
	m = map(fd, c.mmap_size, PROT_READ | PROT_WRITE, MAP_SHARED,
		c.mmap_offset);
	ASSERT_NE(MAP_FAILED, m);
	close(fd);			/* the mapping still holds it */
	EXPECT_TRUE(region_listed(watcher, c.id));
	((volatile char *)m)[0] = 1;
	munmap(m, c.mmap_size);		/* the last user */
	EXPECT_FALSE(region_listed(watcher, c.id));
	EXPECT_EQ(-ENOENT, region_info(watcher, NULL, c.id, &i,
				       PKTPOOL_IOC_REGION_INFO, 0));
	close(watcher);
}

TEST(region_create_rejects_a_taken_name)
{
	struct pktpool_region_create a, b;
	int fd = dev_open();

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, region_create(fd, &a, "dup", 64, 4, 0600));
	EXPECT_EQ(-EEXIST, region_create(fd, &b, "dup", 128, 4, 0600));
	EXPECT_EQ(0, region_destroy(fd, a.id));
	close(fd);
}

TEST(region_total_memory_is_bounded)
{
	struct pktpool_region_create a, b;
	int fd = dev_open();

	/* Two 160 MiB regions exceed the default 256 MiB for all regions. */
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, region_create(fd, &a, "big1", 65536, 2560, 0600));
	EXPECT_EQ(-ENOSPC, region_create(fd, &b, "big2", 65536, 2560, 0600));
	EXPECT_EQ(0, region_destroy(fd, a.id));
	/* Destroyed and unmapped: the memory is back. */
	close(fd);
	fd = dev_open();
	ASSERT_LE(0, fd);
	EXPECT_EQ(0, region_create(fd, &b, "big2", 65536, 2560, 0600));
	region_destroy(fd, b.id);
	close(fd);
}

TEST(region_list_tells_the_needed_count)
{
	struct pktpool_region_create a, b;
	struct pktpool_pool_list l = { .size = sizeof(l) };
	__u32 ids[256];
	int fd = dev_open(), found = 0;

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, region_create(fd, &a, "l1", 64, 1, 0600));
	ASSERT_EQ(0, region_create(fd, &b, "l2", 64, 1, 0600));
	EXPECT_EQ(-1, ioctl(fd, PKTPOOL_IOC_REGION_LIST, &l));
	EXPECT_EQ(ENOSPC, errno);
	EXPECT_LE(2U, l.count);
	l.capacity = 256;
	l.ids_ptr = (uintptr_t)ids;
	ASSERT_EQ(0, ioctl(fd, PKTPOOL_IOC_REGION_LIST, &l));
	for (__u32 k = 0; k < l.count; k++)
		found += ids[k] == a.id || ids[k] == b.id;
	EXPECT_EQ(2, found);
	region_destroy(fd, a.id);
	region_destroy(fd, b.id);
	close(fd);
}

TEST_HARNESS_MAIN
