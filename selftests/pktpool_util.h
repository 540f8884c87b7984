/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the pktpool selftests: thin wrappers around the ioctls
 * of /dev/pktpool and /dev/pktpool_test that return 0 or -errno, unique
 * pool names, the fail_slab knob and capability dropping.
 *
 * Nothing here asserts; the tests decide what a result means.
 */
#ifndef PKTPOOL_UTIL_H
#define PKTPOOL_UTIL_H

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <linux/capability.h>
#include <linux/pktpool.h>

#include "pktpool_test.h"

#define PP_FAIL_SLAB	"/sys/kernel/debug/pktpool/fail_slab"
#define PP_PARAMS	"/sys/module/pktpool/parameters/"

/*
 * Copy a pool name into a 32-byte field: zero-filled, at most 31 bytes of
 * src, so the field always ends in NUL.
 */
static inline void pp_copy_name(char *dst, const char *src)
{
	memset(dst, 0, PKTPOOL_NAME_MAX);
	memcpy(dst, src, strnlen(src, PKTPOOL_NAME_MAX - 1));
}

/* Open a device node; -errno on failure. */
static inline int pp_open_dev(const char *path)
{
	int fd = open(path, O_RDWR | O_CLOEXEC);

	return fd < 0 ? -errno : fd;
}

static inline int pp_ioctl(int fd, unsigned long cmd, void *arg)
{
	return ioctl(fd, cmd, arg) ? -errno : 0;
}

static inline int pp_version(int fd, struct pktpool_version *v)
{
	memset(v, 0, sizeof(*v));
	v->size = sizeof(*v);
	return pp_ioctl(fd, PKTPOOL_IOC_VERSION, v);
}

/* A unique, valid pool name: the test's pid keeps runs apart. */
static inline void pp_name(char name[PKTPOOL_NAME_MAX], const char *tag)
{
	memset(name, 0, PKTPOOL_NAME_MAX);
	snprintf(name, PKTPOOL_NAME_MAX, "st%d-%s", (int)getpid(), tag);
}

static inline void pp_create_init(struct pktpool_pool_create *c,
				  const char *name, __u32 obj_size)
{
	memset(c, 0, sizeof(*c));
	c->size = sizeof(*c);
	pp_copy_name(c->name, name);
	c->obj_size = obj_size;
	c->node = -1;
}

static inline int pp_create(int fd, struct pktpool_pool_create *c)
{
	return pp_ioctl(fd, PKTPOOL_IOC_POOL_CREATE, c);
}

/* Create a pool with the given limits; the id goes to *id when non-NULL. */
static inline int pp_create_simple(int fd, const char *name, __u32 obj_size,
				   __u64 limit, __u64 reserve, __u32 *id)
{
	struct pktpool_pool_create c;
	int err;

	pp_create_init(&c, name, obj_size);
	c.limit = limit;
	c.reserve = reserve;
	err = pp_create(fd, &c);
	if (!err && id)
		*id = c.id;
	return err;
}

static inline void pp_id_init(struct pktpool_pool_id *p, __u32 id,
			      const char *name)
{
	memset(p, 0, sizeof(*p));
	p->size = sizeof(*p);
	p->id = id;
	if (name)
		pp_copy_name(p->name, name);
}

static inline int pp_destroy(int fd, __u32 id, const char *name)
{
	struct pktpool_pool_id p;

	pp_id_init(&p, id, name);
	return pp_ioctl(fd, PKTPOOL_IOC_POOL_DESTROY, &p);
}

static inline int pp_reset_stats(int fd, __u32 id, const char *name)
{
	struct pktpool_pool_id p;

	pp_id_init(&p, id, name);
	return pp_ioctl(fd, PKTPOOL_IOC_POOL_RESET_STATS, &p);
}

static inline int pp_info(int fd, __u32 id, const char *name,
			  struct pktpool_pool_info *info)
{
	memset(info, 0, sizeof(*info));
	info->size = sizeof(*info);
	info->id = id;
	if (name)
		pp_copy_name(info->name, name);
	return pp_ioctl(fd, PKTPOOL_IOC_POOL_INFO, info);
}

static inline void pp_set_init(struct pktpool_pool_set *s, __u32 id,
			       const char *name, __u32 mask, __u64 limit,
			       __u64 reserve)
{
	memset(s, 0, sizeof(*s));
	s->size = sizeof(*s);
	s->id = id;
	if (name)
		pp_copy_name(s->name, name);
	s->mask = mask;
	s->limit = limit;
	s->reserve = reserve;
}

static inline int pp_set(int fd, const char *name, __u32 mask, __u64 limit,
			 __u64 reserve)
{
	struct pktpool_pool_set s;

	pp_set_init(&s, 0, name, mask, limit, reserve);
	return pp_ioctl(fd, PKTPOOL_IOC_POOL_SET, &s);
}

static inline int pp_list(int fd, __u32 *ids, __u32 capacity, __u32 *count)
{
	struct pktpool_pool_list l;
	int err;

	memset(&l, 0, sizeof(l));
	l.size = sizeof(l);
	l.capacity = capacity;
	l.ids_ptr = (__u64)(unsigned long)ids;
	err = pp_ioctl(fd, PKTPOOL_IOC_POOL_LIST, &l);
	*count = l.count;
	return err;
}

/* Number of pools, or -errno. */
static inline long pp_count(int fd)
{
	__u32 ids[1024], count = 0;
	int err;

	err = pp_list(fd, ids, 1024, &count);
	return err ? err : (long)count;
}

/* /dev/pktpool_test */

static inline int pt_hold_op(int fd, unsigned long cmd, const char *pool,
			     __u32 count, __u32 ctx, __u32 flags, __u32 *done)
{
	struct pktpool_test_hold h;
	int err;

	memset(&h, 0, sizeof(h));
	pp_copy_name(h.pool, pool);
	h.count = count;
	h.ctx = ctx;
	h.flags = flags;
	err = pp_ioctl(fd, cmd, &h);
	if (done)
		*done = h.done;
	return err;
}

static inline int pt_hold(int fd, const char *pool, __u32 count, __u32 ctx,
			  __u32 flags, __u32 *done)
{
	return pt_hold_op(fd, PKTPOOL_TEST_IOC_HOLD, pool, count, ctx, flags,
			  done);
}

/* count 0 releases everything held from the pool. */
static inline int pt_release(int fd, const char *pool, __u32 count, __u32 ctx,
			     __u32 flags, __u32 *done)
{
	return pt_hold_op(fd, PKTPOOL_TEST_IOC_RELEASE, pool, count, ctx, flags,
			  done);
}

static inline int pt_run(int fd, __u32 test, __u32 arg, const char *pool,
			 struct pktpool_test_run *run)
{
	memset(run, 0, sizeof(*run));
	run->test = test;
	run->arg = arg;
	if (pool)
		pp_copy_name(run->pool, pool);
	return pp_ioctl(fd, PKTPOOL_TEST_IOC_RUN, run);
}

/* Small files under /sys */

static inline int pp_read_file(const char *path, char *buf, size_t size)
{
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, size - 1);
	if (n < 0) {
		n = -errno;
		close(fd);
		return (int)n;
	}
	close(fd);
	buf[n] = '\0';
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		buf[--n] = '\0';
	return 0;
}

/*
 * Create region name on fd (count slots of slot_size, mode 0600, any
 * node), read its info into i and map it read and write at *mem: 0 or
 * -errno, with *mem MAP_FAILED when it was not mapped.
 */
static inline int pp_region_map(int fd, const char *name, __u32 slot_size,
				__u32 count, struct pktpool_region_create *c,
				struct pktpool_region_info *i,
				unsigned char **mem)
{
	int err;

	*mem = MAP_FAILED;
	memset(c, 0, sizeof(*c));
	c->size = sizeof(*c);
	pp_copy_name(c->name, name);
	c->slot_size = slot_size;
	c->slot_count = count;
	c->node = -1;
	c->mode = 0600;
	err = pp_ioctl(fd, PKTPOOL_IOC_REGION_CREATE, c);
	if (err)
		return err;
	memset(i, 0, sizeof(*i));
	i->size = sizeof(*i);
	i->id = c->id;
	err = pp_ioctl(fd, PKTPOOL_IOC_REGION_INFO, i);
	if (err)
		return err;
	*mem = mmap(NULL, c->mmap_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
		    c->mmap_offset);
	return *mem == MAP_FAILED ? -errno : 0;
}

static inline int pp_write_file(const char *path, const char *val)
{
	size_t len = strlen(val);
	ssize_t n;
	int fd;

	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = write(fd, val, len);
	if (n < 0) {
		n = -errno;
		close(fd);
		return (int)n;
	}
	close(fd);
	return (size_t)n == len ? 0 : -EIO;
}

static inline int pp_fail_slab_set(unsigned long n)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%lu\n", n);
	return pp_write_file(PP_FAIL_SLAB, buf);
}

/* Remaining simulated failures, or -errno. */
static inline long pp_fail_slab_get(void)
{
	char buf[32], *end;
	unsigned long n;
	int err;

	err = pp_read_file(PP_FAIL_SLAB, buf, sizeof(buf));
	if (err)
		return err;
	errno = 0;
	n = strtoul(buf, &end, 10);
	if (errno || end == buf || *end)
		return -EINVAL;
	return (long)n;
}

/* Capabilities, without libcap */

static inline bool pp_status_cap(const char *field, int cap)
{
	unsigned long long mask = 0;
	char line[256];
	size_t flen = strlen(field);
	bool found = false;
	FILE *f;

	f = fopen("/proc/self/status", "re");
	if (!f)
		return true;	/* cannot tell: assume the worst */
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, field, flen) && line[flen] == ':') {
			found = sscanf(line + flen + 1, "%llx", &mask) == 1;
			break;
		}
	}
	fclose(f);
	return !found || (mask >> cap) & 1;
}

/*
 * Drop cap from the bounding set and from the effective, permitted and
 * inheritable sets of this process, then check /proc/self/status agrees.
 * 0 or -errno (-EPERM when the drop did not take effect).
 */
static inline int pp_drop_cap(int cap)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3];
	unsigned int i = (unsigned int)cap / 32;
	__u32 bit = 1U << (cap % 32);

	memset(data, 0, sizeof(data));
	if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0))
		return -errno;
	if (syscall(SYS_capget, &hdr, data))
		return -errno;
	data[i].effective &= ~bit;
	data[i].permitted &= ~bit;
	data[i].inheritable &= ~bit;
	if (syscall(SYS_capset, &hdr, data))
		return -errno;
	/* Ambient caps need the cap in permitted; this cannot fail then. */
	prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_LOWER, cap, 0, 0);

	if (pp_status_cap("CapEff", cap) || pp_status_cap("CapPrm", cap) ||
	    pp_status_cap("CapBnd", cap))
		return -EPERM;
	return 0;
}

#endif /* PKTPOOL_UTIL_H */
