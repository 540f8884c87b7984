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

static int try_destroy_anonymous(int fd, void *arg)
{
	return region_destroy(fd, *(__u32 *)arg) == -EINVAL ? 0 : 1;
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
	/* Only CAP_NET_ADMIN may destroy an anonymous region. */
	EXPECT_EQ(0, as_nobody(try_destroy_anonymous, watcher, &c.id));
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

/* --- hardening: each of these once crashed, leaked or let too much in --- */

static int attach_write_only_and_close(int fd, void *arg)
{
	struct pktpool_region_info i;
	int err;

	err = region_info(fd, NULL, *(__u32 *)arg, &i,
			  PKTPOOL_IOC_REGION_ATTACH, PKTPOOL_ACCESS_WRITE);
	if (err)
		return 20 - err;
	if (i.access != PKTPOOL_ACCESS_WRITE)
		return 2;
	close(fd);	/* the release walks the file's attachments */
	return 0;
}

TEST(region_write_only_attachment_is_released_cleanly)
{
	struct pktpool_region_create c;
	struct pktpool_region_info i;
	int fd = dev_open(), fd2;

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, region_create(fd, &c, "wo", 64, 16, 0602));
	fd2 = dev_open();
	ASSERT_LE(0, fd2);
	EXPECT_EQ(0, as_nobody(attach_write_only_and_close, fd2, &c.id));
	close(fd2);
	ASSERT_EQ(0, region_info(fd, NULL, c.id, &i, PKTPOOL_IOC_REGION_INFO, 0));
	EXPECT_EQ(1U, i.attached);	/* only the creator's file is left */
	EXPECT_EQ(0, region_destroy(fd, c.id));
	close(fd);
}

static int write_only_cannot_map(int fd, void *arg)
{
	struct pktpool_region_info i;
	int err;

	err = region_info(fd, NULL, *(__u32 *)arg, &i,
			  PKTPOOL_IOC_REGION_ATTACH, PKTPOOL_ACCESS_WRITE);
	if (err)
		return 20 - err;
	if (map(fd, i.mmap_size, PROT_READ, MAP_SHARED,
		i.mmap_offset) != MAP_FAILED || errno != EACCES)
		return 2;
	/* Writable pages are readable pages on x86: refused as well. */
	if (map(fd, i.mmap_size, PROT_WRITE, MAP_SHARED,
		i.mmap_offset) != MAP_FAILED || errno != EACCES)
		return 3;
	return 0;
}

TEST(region_write_only_grant_cannot_map_for_reading)
{
	struct pktpool_region_create c;
	int fd = dev_open(), fd2;

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, region_create(fd, &c, "wo2", 64, 16, 0602));
	fd2 = dev_open();
	ASSERT_LE(0, fd2);
	EXPECT_EQ(0, as_nobody(write_only_cannot_map, fd2, &c.id));
	EXPECT_EQ(0, region_destroy(fd, c.id));
	close(fd2);
	close(fd);
}

TEST(region_read_only_file_cannot_create_destroy_or_attach_for_writing)
{
	struct pktpool_region_create c, mine;
	struct pktpool_region_info i;
	int rw = dev_open();
	int ro = open(PKTPOOL_DEVICE, O_RDONLY | O_CLOEXEC);

	ASSERT_LE(0, rw);
	ASSERT_LE(0, ro);
	EXPECT_EQ(-EBADF, region_create(ro, &c, "ro-file", 64, 4, 0600));
	EXPECT_EQ(-ENOENT, region_info(rw, c.name, 0, &i,
				       PKTPOOL_IOC_REGION_INFO, 0));
	ASSERT_EQ(0, region_create(rw, &mine, "ro-target", 64, 4, 0600));
	EXPECT_EQ(-EBADF, region_info(ro, NULL, mine.id, &i,
				      PKTPOOL_IOC_REGION_ATTACH, 0));
	EXPECT_EQ(-EBADF, region_info(ro, NULL, mine.id, &i,
				      PKTPOOL_IOC_REGION_ATTACH,
				      PKTPOOL_ACCESS_READ | PKTPOOL_ACCESS_WRITE));
	EXPECT_EQ(-EBADF, region_destroy(ro, mine.id));
	/* Reading is what a read-only file is for. */
	EXPECT_EQ(0, region_info(ro, NULL, mine.id, &i,
				 PKTPOOL_IOC_REGION_ATTACH, PKTPOOL_ACCESS_READ));
	EXPECT_EQ(2U, i.attached);
	EXPECT_EQ(0, region_destroy(rw, mine.id));
	close(ro);
	close(rw);
}

TEST(region_read_only_file_maps_shared_for_reading)
{
	struct pktpool_region_create c;
	struct pktpool_region_info i;
	int rw = dev_open();
	int ro = open(PKTPOOL_DEVICE, O_RDONLY | O_CLOEXEC);
	volatile unsigned char *w;
	unsigned char *r;

	ASSERT_LE(0, rw);
	ASSERT_LE(0, ro);
	ASSERT_EQ(0, region_create(rw, &c, "ro-map", 64, 4, 0600));
	w = map(rw, c.mmap_size, PROT_READ | PROT_WRITE, MAP_SHARED,
		c.mmap_offset);
	ASSERT_NE(MAP_FAILED, (void *)w);
	ASSERT_EQ(0, region_info(ro, NULL, c.id, &i,
				 PKTPOOL_IOC_REGION_ATTACH, PKTPOOL_ACCESS_READ));
	/* MAP_SHARED on a file opened O_RDONLY: the kernel drops VM_SHARED
	 * (keeps VM_MAYSHARE); the mapping must still be made. */
	r = map(ro, i.mmap_size, PROT_READ, MAP_SHARED, i.mmap_offset);
	ASSERT_NE(MAP_FAILED, (void *)r);
	w[100] = 0x5a;
	EXPECT_EQ(0x5a, r[100]);	/* the same pages */
	EXPECT_NE(0, mprotect(r, i.mmap_size, PROT_READ | PROT_WRITE));
	EXPECT_EQ(MAP_FAILED, map(ro, i.mmap_size, PROT_READ, MAP_PRIVATE,
				  i.mmap_offset));
	EXPECT_EQ(EINVAL, errno);
	munmap(r, i.mmap_size);
	munmap((void *)w, c.mmap_size);
	EXPECT_EQ(0, region_destroy(rw, c.id));
	close(ro);
	close(rw);
}

static int debugfs_write(const char *knob, const char *val)
{
	char path[128];
	int fd, n;

	snprintf(path, sizeof(path), "/sys/kernel/debug/pktpool/%s", knob);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = write(fd, val, strlen(val));
	close(fd);
	return n == (int)strlen(val) ? 0 : -EIO;
}

TEST(region_failed_page_allocation_unwinds_and_returns_the_bytes)
{
	/* 1: the page array fails; 3: the second page does. */
	static const char *const fail_at[] = { "1", "3" };
	struct pktpool_region_create a, b;
	int fd = dev_open();

	ASSERT_LE(0, fd);
	for (size_t k = 0; k < 2; k++) {
		ASSERT_EQ(0, debugfs_write("fail_region", fail_at[k]));
		EXPECT_EQ(-ENOMEM, region_create(fd, &a, "fail", 65536, 2560,
						 0600)) {
			TH_LOG("fail_region=%s", fail_at[k]);
		}
		debugfs_write("fail_region", "0");
		EXPECT_EQ(-ENOENT, region_info(fd, a.name, 0,
					       (struct pktpool_region_info[1]){},
					       PKTPOOL_IOC_REGION_INFO, 0));
	}
	/*
	 * Two 160 MiB regions do not fit in the 256 MiB for all regions; had
	 * a failed one kept its bytes, this first one would not either.
	 */
	ASSERT_EQ(0, region_create(fd, &a, "after-fail", 65536, 2560, 0600));
	EXPECT_EQ(-ENOSPC, region_create(fd, &b, "second", 65536, 2560, 0600));
	EXPECT_EQ(0, region_destroy(fd, a.id));
	close(fd);
}

/* Child as nobody: fill its share, one more must be refused. */
static int user_share_is_bounded(int fd, void *arg)
{
	struct pktpool_region_create c;
	unsigned int n = *(unsigned int *)arg, k;
	char tag[16];
	int err;

	for (k = 0; k < n; k++) {
		snprintf(tag, sizeof(tag), "share%u", k);
		err = region_create(fd, &c, tag, 64, 1, 0600);
		if (err)
			return 10;
	}
	if (region_create(fd, &c, "share-over", 64, 1, 0600) != -EDQUOT)
		return 11;
	/* Bytes: 65 MiB in one region is over the 64 MiB share. */
	if (region_create(fd, &c, "share-big", 65536, 1040, 0600) != -EDQUOT)
		return 12;
	/*
	 * A region counts until its memory is freed: destroyed and no longer
	 * attached to the creator's file.
	 */
	for (k = 0; k < n; k++) {
		struct pktpool_region_info i;
		struct pktpool_pool_id d = { .size = sizeof(d) };

		snprintf(tag, sizeof(tag), "share%u", k);
		set_name(c.name, tag);
		if (region_info(fd, c.name, 0, &i, PKTPOOL_IOC_REGION_INFO, 0) ||
		    region_destroy(fd, i.id))
			return 13;
		if (!k && region_create(fd, &c, "share-early", 64, 1,
					0600) != -EDQUOT)
			return 16;	/* destroyed but still attached */
		d.id = i.id;
		if (ioctl(fd, PKTPOOL_IOC_REGION_DETACH, &d))
			return 17;
	}
	/* The share is back. */
	if (region_create(fd, &c, "share-again", 64, 1, 0600))
		return 14;
	return region_destroy(fd, c.id) ? 15 : 0;
}

TEST(region_one_user_cannot_take_more_than_its_share)
{
	unsigned int share = 16;	/* user_max_regions by default */
	struct pktpool_region_create c;
	int fd = dev_open();

	ASSERT_LE(0, fd);
	EXPECT_EQ(0, as_nobody(user_share_is_bounded, fd, &share));
	/* CAP_NET_ADMIN is held only to the global limits. */
	ASSERT_EQ(0, region_create(fd, &c, "root-big", 65536, 1040, 0600));
	EXPECT_EQ(0, region_destroy(fd, c.id));
	close(fd);
}

TEST(region_anonymous_can_be_destroyed_by_net_admin)
{
	struct pktpool_region_create c;
	struct pktpool_region_info i;
	int fd = dev_open(), admin = dev_open();

	ASSERT_LE(0, fd);
	ASSERT_LE(0, admin);
	memset(&c, 0, sizeof(c));
	c.size = sizeof(c);
	c.slot_size = 64;
	c.slot_count = 4;
	c.node = -1;
	c.mode = 0600;
	ASSERT_EQ(0, ioctl(fd, PKTPOOL_IOC_REGION_CREATE, &c));
	EXPECT_EQ(0, region_destroy(admin, c.id));
	EXPECT_FALSE(region_listed(admin, c.id));
	EXPECT_EQ(-ENOENT, region_info(admin, NULL, c.id, &i,
				       PKTPOOL_IOC_REGION_ATTACH, 0));
	/* Its file still holds it and may still map it. */
	void *m = map(fd, c.mmap_size, PROT_READ | PROT_WRITE, MAP_SHARED,
		      c.mmap_offset);
	EXPECT_NE(MAP_FAILED, m);
	if (m != MAP_FAILED)
		munmap(m, c.mmap_size);
	close(fd);
	close(admin);
}

TEST(region_ids_stay_below_4096_however_many_were_made)
{
	struct pktpool_pool_id d = { .size = sizeof(d) };
	struct pktpool_region_create c;
	__u32 max_id = 0;
	int fd = dev_open();

	ASSERT_LE(0, fd);
	for (int k = 0; k < 4200; k++) {
		ASSERT_EQ(0, region_create(fd, &c, "idcycle", 64, 1, 0600));
		if (c.id > max_id)
			max_id = c.id;
		ASSERT_EQ(0, region_destroy(fd, c.id));
		d.id = c.id;
		ASSERT_EQ(0, ioctl(fd, PKTPOOL_IOC_REGION_DETACH, &d));
	}
	EXPECT_GE(4095U, max_id);
	EXPECT_LE(4000U, max_id);	/* handed out in turn, not reused at once */
	close(fd);
}

TEST(region_create_whose_reply_cannot_be_written_leaves_nothing)
{
	struct pktpool_region_create *c;
	struct pktpool_region_info i;
	int fd = dev_open();

	ASSERT_LE(0, fd);
	c = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, c);
	c->size = sizeof(*c);
	set_name(c->name, "noreply");
	c->slot_size = 64;
	c->slot_count = 4;
	c->node = -1;
	c->mode = 0600;
	ASSERT_EQ(0, mprotect(c, 4096, PROT_READ));
	EXPECT_EQ(-1, ioctl(fd, PKTPOOL_IOC_REGION_CREATE, c));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(-ENOENT, region_info(fd, c->name, 0, &i,
				       PKTPOOL_IOC_REGION_INFO, 0));
	munmap(c, 4096);
	close(fd);
}

TEST_HARNESS_MAIN
