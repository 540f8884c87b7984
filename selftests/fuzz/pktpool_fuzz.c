// SPDX-License-Identifier: GPL-2.0
/*
 * pktpool_fuzz: a structure-aware fuzzer for /dev/pktpool (every ioctl),
 * the mappings of its regions (mmap, munmap, mremap, mprotect, madvise,
 * mlock, fork, touching the memory) and the "pktpool" generic netlink
 * family (raw messages, valid and malformed attributes).
 *
 * Requests are mostly valid-looking: ids and names that exist or existed a
 * moment ago, sizes at and around the module's limits, off-by-one offsets,
 * sums that overflow; the rest is random bytes. Several worker processes
 * run at once as root, as root without CAP_NET_ADMIN and as nobody, some
 * of them inside a memory cgroup, and the supervisor SIGKILLs them at
 * random points and starts new ones.
 *
 * Everything random comes from one seed, printed first. Each worker's
 * sequence of operations depends only on its own seed (printed when it
 * starts), so a worker that found something can be replayed alone:
 *   pktpool_fuzz --replay SEED --role ROLE [--ops N] --trace
 * prints every call it makes with its arguments and result.
 *
 * The kernel decides whether the module survived (an oops or WARN shows in
 * the guest's log); the fuzzer also checks a few rules that must hold
 * whatever the input (a "violation"): unprivileged pool commands fail with
 * EPERM, errors are from the documented set, region layouts add up, a
 * file maps only regions it attached and only with the access granted.
 *
 * Exit status: 0 no violation and every worker ended as expected; 1 a
 * violation or an unexpected worker death; 2 usage or setup error.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <inttypes.h>
#include <limits.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <linux/capability.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/pktpool.h>

#ifndef MADV_POPULATE_READ
#define MADV_POPULATE_READ	22
#endif
#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE	23
#endif
#ifndef MREMAP_DONTUNMAP
#define MREMAP_DONTUNMAP	4
#endif
#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE	0x100000
#endif

#define FZ_PAGE		4096UL
#define FZ_MAX_WORKERS	16
#define FZ_FDS		6
#define FZ_MAPS		8
#define FZ_KNOWN	24	/* remembered ids of each kind */
#define FZ_NAMES	10	/* shared names: fz-0 .. fz-9 */
#define FZ_ARENA	(256UL << 20)	/* where MAP_FIXED and mremap aim */
#define FZ_NOBODY	65534

/* ---- the seeded generator ------------------------------------------------ */

static uint64_t fz_state;

/* splitmix64: good enough, and a seed of 0 works too. */
static uint64_t fz_next(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint64_t rnd(void)
{
	return fz_next(&fz_state);
}

/* 0..n-1; n > 0. */
static uint64_t below(uint64_t n)
{
	return rnd() % n;
}

/* true with probability pct percent. */
static bool chance(unsigned int pct)
{
	return below(100) < pct;
}

/* ---- shared state between supervisor and workers ------------------------- */

enum fz_role {
	FZ_ROOT,	/* uid 0, every capability */
	FZ_NOCAP,	/* uid 0 without CAP_NET_ADMIN */
	FZ_NOBODY_ROLE,	/* uid and gid 65534, no capability */
	FZ_ROLES
};

static const char *const fz_role_names[FZ_ROLES] = {
	"root", "nocap", "nobody",
};

struct fz_limits {
	uint32_t max_slots;	/* region_max_slots */
	uint32_t max_regions;
	uint32_t max_pools;
	uint32_t class_max;	/* largest size class */
	uint32_t class_min;
	uint64_t max_bytes;	/* region_max_bytes */
	uint16_t family;	/* generic netlink family id, 0 unknown */
	uint32_t mcgrp;		/* id of the "monitor" group */
};

struct fz_slot {
	pid_t pid;		/* 0: free */
	int role;
	bool memcg;
	bool killed;		/* the supervisor sent the SIGKILL */
	uint32_t gen;
	uint64_t seed;
	uint64_t kill_at;	/* ops; 0 never */
	uint64_t ops;		/* written by the worker */
	uint64_t calls;
};

/* What got through, summed over all workers: proof the fuzzer gets deep. */
enum fz_stat {
	FZ_S_OPEN, FZ_S_POOL, FZ_S_REGION, FZ_S_ATTACH, FZ_S_DETACH,
	FZ_S_DESTROY, FZ_S_MMAP, FZ_S_MREMAP, FZ_S_MPROTECT, FZ_S_UNMAP,
	FZ_S_TOUCH, FZ_S_FAULT, FZ_S_FORK, FZ_S_NLMSG, FZ_S_NLERR, FZ_S_EFAULT,
	FZ_S_ENOSPC, FZ_S_EDQUOT, FZ_S_ENOMEM, FZ_STATS
};

static const char *const fz_stat_names[FZ_STATS] = {
	"opens", "pools", "regions", "attaches", "detaches", "destroys",
	"mmaps", "mremaps", "mprotects", "munmaps", "touches", "faults",
	"forks", "netlink-replies", "netlink-errors", "EFAULT", "ENOSPC",
	"EDQUOT", "ENOMEM",
};

struct fz_shared {
	struct fz_limits lim;
	uint64_t calls;		/* syscalls of workers that are gone */
	uint64_t stat[FZ_STATS];
	struct fz_slot w[FZ_MAX_WORKERS];
};

static struct fz_shared *sh;
static struct fz_slot *me;	/* this worker's slot, NULL when replaying */
static struct fz_limits lim;
static bool trace;
static uint64_t local_calls;	/* replay mode */
static uint64_t worker_seed;
static int worker_role;
static bool in_child;		/* a forked child of a worker */

static void stat_inc(enum fz_stat s)
{
	if (sh)
		__atomic_fetch_add(&sh->stat[s], 1, __ATOMIC_RELAXED);
}

static void count_call(void)
{
	if (me)
		__atomic_fetch_add(&me->calls, 1, __ATOMIC_RELAXED);
	else
		local_calls++;
}

static void tr(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void tr(const char *fmt, ...)
{
	va_list ap;

	if (!trace)
		return;
	if (in_child)
		fputs("  [child] ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static uint64_t replay_ops;

static uint64_t cur_ops(void)
{
	return me ? me->ops : replay_ops;
}

/* A rule that must hold whatever the input did not: report and stop. */
static void violation(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void violation(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "FZ-VIOLATION: worker seed %#" PRIx64 " role %s op %" PRIu64 ": ",
		worker_seed, fz_role_names[worker_role], cur_ops());
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	_exit(3);
}

/* ---- what a worker knows ------------------------------------------------- */

struct fz_file {
	int fd;			/* -1: free */
	int file;		/* identity of the open file (dup shares it) */
	int accmode;
};

/* Regions a file attached, and how; per open file, not per fd. */
struct fz_attach {
	int file;
	uint32_t id;
	uint32_t access;
	uint64_t size;		/* the region's mmap_size */
};

struct fz_region {
	uint32_t id;
	uint64_t size;
};

struct fz_map {
	char *addr;		/* NULL: free */
	size_t len;
	int prot;
	uint32_t id;
	bool in_arena;		/* calls may reach past it: it is all ours */
};

static struct fz_file files[FZ_FDS];
static struct fz_attach attach[64];
static int next_file = 1;
/* Files a forked child also used: what they attached is not ours alone. */
static bool file_shared[4096];
static struct fz_region regions[FZ_KNOWN];
static uint32_t pool_ids[FZ_KNOWN];
static uint32_t pool_obj[FZ_KNOWN];
static struct fz_map maps[FZ_MAPS];
static char *arena;
static char *argbuf;		/* 2 pages, then a PROT_NONE page */
static char *robuf;		/* 1 read-only page */
static int nl = -1;
static bool nl_joined;
static char *balloon;
static size_t balloon_len;

static void remember_region(uint32_t id, uint64_t size)
{
	unsigned int i;

	for (i = 0; i < FZ_KNOWN; i++)
		if (regions[i].id == id) {
			regions[i].size = size;
			return;
		}
	i = below(FZ_KNOWN);
	regions[i].id = id;
	regions[i].size = size;
}

static void remember_pool(uint32_t id, uint32_t obj_size)
{
	unsigned int i;

	for (i = 0; i < FZ_KNOWN; i++)
		if (pool_ids[i] == id)
			return;
	i = below(FZ_KNOWN);
	pool_ids[i] = id;
	pool_obj[i] = obj_size;
}

static struct fz_attach *find_attach(int file, uint32_t id)
{
	unsigned int i;

	for (i = 0; i < sizeof(attach) / sizeof(attach[0]); i++)
		if (attach[i].file == file && attach[i].id == id)
			return &attach[i];
	return NULL;
}

static void note_attach(int file, uint32_t id, uint32_t access, uint64_t size)
{
	struct fz_attach *a = find_attach(file, id);
	unsigned int i;

	if (!a) {
		for (i = 0; i < sizeof(attach) / sizeof(attach[0]); i++)
			if (!attach[i].file) {
				a = &attach[i];
				break;
			}
	}
	if (!a)
		a = &attach[below(sizeof(attach) / sizeof(attach[0]))];
	a->file = file;
	a->id = id;
	a->access = access;
	a->size = size;
}

static void note_detach(int file, uint32_t id)
{
	struct fz_attach *a = find_attach(file, id);

	if (a)
		a->file = 0;
}

/* A file whose every fd is closed attaches nothing any more. */
static void forget_file(int file)
{
	unsigned int i;

	for (i = 0; i < FZ_FDS; i++)
		if (files[i].fd >= 0 && files[i].file == file)
			return;
	for (i = 0; i < sizeof(attach) / sizeof(attach[0]); i++)
		if (attach[i].file == file)
			attach[i].file = 0;
}

/* ---- value pickers: mostly plausible, sometimes not ---------------------- */

static uint32_t pick_u32_edge(void)
{
	static const uint32_t e[] = {
		0, 1, 2, 63, 64, 65, 4095, 4096, 4097, 65535, 65536, 65537,
		0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff,
	};

	return chance(80) ? e[below(sizeof(e) / sizeof(e[0]))] : (uint32_t)rnd();
}

static uint64_t pick_u64_edge(void)
{
	static const uint64_t e[] = {
		0, 1, PKTPOOL_LIMIT_MAX - 1, PKTPOOL_LIMIT_MAX,
		PKTPOOL_LIMIT_MAX + 1, PKTPOOL_RESERVE_MAX,
		PKTPOOL_RESERVE_MAX + 1, INT64_MAX, UINT64_MAX,
		UINT64_MAX - 4095,
	};

	return chance(80) ? e[below(sizeof(e) / sizeof(e[0]))] : rnd();
}

static uint32_t pick_region_id(void)
{
	uint32_t id = regions[below(FZ_KNOWN)].id;

	if (id && chance(85))
		return chance(90) ? id : id + (chance(50) ? 1 : -1);
	return chance(50) ? (uint32_t)below(64) : pick_u32_edge();
}

static uint32_t pick_pool_id(void)
{
	uint32_t id = pool_ids[below(FZ_KNOWN)];

	if (id && chance(85))
		return chance(90) ? id : id + (chance(50) ? 1 : -1);
	return chance(50) ? (uint32_t)below(64) : pick_u32_edge();
}

/*
 * A name field of 32 bytes. kind: 0 a shared valid name most of the time,
 * 1 also all-zero often (anonymous regions).
 */
static void pick_name(char *name, bool zero_often)
{
	static const char chars[] = "abcdefghijklmnopqrstuvwxyz0123456789_-";
	unsigned int i, len;

	memset(name, 0, PKTPOOL_NAME_MAX);
	if (zero_often && chance(35))
		return;
	if (chance(75)) {
		snprintf(name, PKTPOOL_NAME_MAX, "fz-%u", (unsigned int)below(FZ_NAMES));
		return;
	}
	switch (below(9)) {
	case 0:		/* longest valid */
	case 1:
		for (i = 0; i < PKTPOOL_NAME_MAX - 1; i++)
			name[i] = chars[below(sizeof(chars) - 1)];
		break;
	case 2:		/* no NUL at all */
		memset(name, 'a' + below(26), PKTPOOL_NAME_MAX);
		break;
	case 3:		/* garbage after the NUL */
		strcpy(name, "fz-1");
		name[5 + below(PKTPOOL_NAME_MAX - 5)] = (char)(1 + below(255));
		break;
	case 4:		/* a character outside [a-z0-9_-] */
		snprintf(name, PKTPOOL_NAME_MAX, "fz-%u", (unsigned int)below(FZ_NAMES));
		name[below(4)] = "A/ .\n\xff%"[below(7)];
		break;
	case 5:		/* empty but not zero: a NUL then bytes */
		name[1 + below(PKTPOOL_NAME_MAX - 1)] = 'x';
		break;
	default:	/* random bytes, maybe NUL-terminated */
		len = below(PKTPOOL_NAME_MAX + 1);
		for (i = 0; i < len && i < PKTPOOL_NAME_MAX; i++)
			name[i] = (char)rnd();
		break;
	}
}


/* ---- ioctl arguments ----------------------------------------------------- */

/*
 * Where an ioctl argument goes and what its size field says. Usually the
 * struct sits at the start of a zeroed buffer with its own size; sometimes
 * the size is short, long with a zero or non-zero tail, or absurd; the
 * struct may end inside a PROT_NONE page (the kernel's read faults), sit
 * in a read-only page (copy-in works, copy-out fails, and whatever the
 * command did must be undone) or be a bad pointer altogether.
 */
struct fz_arg {
	void *p;		/* what the ioctl gets */
	char *buf;		/* where the struct is copied, or NULL */
	size_t room;		/* bytes writable at buf */
	uint32_t size;		/* the size field */
	bool ro;		/* buf is robuf, read-only during the call */
};

static void arg_pick(struct fz_arg *a, size_t base)
{
	unsigned int where = below(100);

	memset(argbuf, 0, 2 * FZ_PAGE);
	a->buf = argbuf;
	a->room = 2 * FZ_PAGE;
	a->size = (uint32_t)base;
	a->ro = false;

	switch (below(24)) {
	case 0:
		a->size = (uint32_t)base - 1 - below(4);
		break;
	case 1:
		a->size = (uint32_t)(base + 8);
		break;
	case 2:		/* longer, with a byte the kernel does not know */
		a->size = (uint32_t)(base + 8);
		argbuf[base + below(8)] = (char)(1 + below(255));
		break;
	case 3:
		a->size = (uint32_t)(chance(50) ? FZ_PAGE : FZ_PAGE + 1);
		break;
	case 4:
		a->size = chance(30) ? 0 : pick_u32_edge();
		break;
	case 5:
		a->size = (uint32_t)(base + 1 + below(FZ_PAGE - base));
		break;
	default:
		break;
	}
	if (where < 4) {
		/* The struct ends inside the guard page. */
		a->buf = argbuf + 2 * FZ_PAGE - base + 1 + below(base - 4);
		a->room = (size_t)(argbuf + 2 * FZ_PAGE - a->buf);
	} else if (where < 7) {
		a->buf = robuf;
		a->room = FZ_PAGE;
		a->ro = true;
		if (a->size > FZ_PAGE)
			a->size = (uint32_t)base;
	} else if (where < 9) {
		a->buf = argbuf + 1 + below(7);	/* misaligned */
		a->room = 2 * FZ_PAGE - 8;
	} else if (where < 12) {
		a->buf = NULL;
		a->room = 0;
	}
	a->p = a->buf;
	if (!a->buf) {
		switch (below(4)) {
		case 0:
			a->p = NULL;
			break;
		case 1:
			a->p = (void *)(uintptr_t)0xffff888000000000ULL;
			break;
		case 2:
			a->p = argbuf + 2 * FZ_PAGE;	/* the guard page */
			break;
		default:
			a->p = (void *)(uintptr_t)(rnd() & ~7ULL);
			break;
		}
	}
}

/* The command, usually as defined, sometimes with other size bits or a
 * wrong direction; *exact tells whether the kernel should take it as cmd. */
static unsigned long pick_cmd(unsigned long cmd, bool *exact)
{
	*exact = true;
	switch (below(20)) {
	case 0:	/* another size: the kernel ignores the size bits */
		return (cmd & ~((unsigned long)_IOC_SIZEMASK << _IOC_SIZESHIFT)) |
		       ((unsigned long)below(1U << _IOC_SIZEBITS) << _IOC_SIZESHIFT);
	case 1:
		*exact = false;
		return cmd ^ ((unsigned long)(1 + below(3)) << _IOC_DIRSHIFT);
	default:
		return cmd;
	}
}

static bool errno_documented(int e)
{
	switch (e) {
	case EINVAL: case E2BIG: case EFAULT: case EPERM: case EACCES:
	case ENOENT: case EEXIST: case ENOSPC: case ENOMEM: case ENOTTY:
	case EBUSY: case EINTR: case EBADF: case EDQUOT:
		return true;
	default:
		return false;
	}
}

static const char *cmd_name(unsigned long cmd)
{
	switch (_IOC_NR(cmd)) {
	case 0x00: return "VERSION";
	case 0x01: return "POOL_CREATE";
	case 0x02: return "POOL_DESTROY";
	case 0x03: return "POOL_INFO";
	case 0x04: return "POOL_SET";
	case 0x05: return "POOL_LIST";
	case 0x10: return "REGION_CREATE";
	case 0x11: return "REGION_ATTACH";
	case 0x12: return "REGION_DETACH";
	case 0x13: return "REGION_INFO";
	case 0x14: return "REGION_DESTROY";
	case 0x15: return "REGION_LIST";
	default: return "?";
	}
}

/*
 * Copy the struct k (base bytes, its size field set from a) to where a
 * says, run the ioctl, copy the result back into k. -errno or 0.
 */
static int arg_ioctl(int fd, unsigned long cmd, struct fz_arg *a, void *k,
		     size_t base)
{
	size_t n = base < a->room ? base : a->room;
	int rc;

	memcpy(k, &a->size, sizeof(a->size));
	if (a->ro) {
		mprotect(robuf, FZ_PAGE, PROT_READ | PROT_WRITE);
		memset(robuf, 0, FZ_PAGE);
		count_call();
	}
	if (a->buf) {
		/* Keep a tail byte planted by arg_pick beyond the struct. */
		memcpy(a->buf, k, n);
	}
	if (a->ro) {
		mprotect(robuf, FZ_PAGE, PROT_READ);
		count_call();
	}
	rc = ioctl(fd, cmd, a->p) ? -errno : 0;
	count_call();
	if (a->buf)
		memcpy(k, a->buf, n);
	tr("ioctl(%d, %s %#lx, size=%u buf=%s) = %d", fd, cmd_name(cmd), cmd,
	   a->size, !a->buf ? "bad" : a->ro ? "ro" :
	   a->room < base ? "guard" : "ok", rc);
	if (rc == -EFAULT)
		stat_inc(FZ_S_EFAULT);
	else if (rc == -ENOSPC)
		stat_inc(FZ_S_ENOSPC);
	else if (rc == -EDQUOT)
		stat_inc(FZ_S_EDQUOT);
	else if (rc == -ENOMEM)
		stat_inc(FZ_S_ENOMEM);
	if (rc && !errno_documented(-rc))
		violation("ioctl %s returned undocumented errno %d (%s)",
			  cmd_name(cmd), -rc, strerror(-rc));
	return rc;
}

/* ---- /dev/pktpool files -------------------------------------------------- */

static struct fz_file *pick_file(void)
{
	unsigned int i, start = below(FZ_FDS);

	for (i = 0; i < FZ_FDS; i++)
		if (files[(start + i) % FZ_FDS].fd >= 0)
			return &files[(start + i) % FZ_FDS];
	return NULL;
}

/* An fd for a call: one of ours mostly, sometimes something else. */
static int pick_fd(struct fz_file **fp)
{
	struct fz_file *f = chance(95) ? pick_file() : NULL;

	*fp = f;
	if (f)
		return f->fd;
	switch (below(4)) {
	case 0: return -1;
	case 1: return 0;
	case 2: return nl >= 0 ? nl : 999;
	default: return 999;
	}
}

static void op_open(void)
{
	static const int modes[] = { O_RDWR, O_RDWR, O_RDWR, O_RDONLY, O_WRONLY };
	int mode = modes[below(5)], fd;
	unsigned int i;

	for (i = 0; i < FZ_FDS; i++)
		if (files[i].fd < 0)
			break;
	if (i == FZ_FDS)
		return;
	fd = open(PKTPOOL_DEVICE, mode | O_CLOEXEC | (chance(10) ? O_NONBLOCK : 0));
	count_call();
	tr("open(%s, %d) = %d", PKTPOOL_DEVICE, mode, fd);
	if (fd < 0)
		return;
	stat_inc(FZ_S_OPEN);
	files[i].fd = fd;
	files[i].file = next_file++ % 4096;
	if (!files[i].file)
		files[i].file = next_file++ % 4096;
	file_shared[files[i].file] = false;
	files[i].accmode = mode;
}

static void op_close(void)
{
	struct fz_file *f = pick_file();
	int file;

	if (!f)
		return;
	close(f->fd);
	count_call();
	tr("close(%d)", f->fd);
	file = f->file;
	f->fd = -1;
	forget_file(file);
}

static void op_dup(void)
{
	struct fz_file *f = pick_file();
	unsigned int i;
	int fd;

	if (!f)
		return;
	for (i = 0; i < FZ_FDS; i++)
		if (files[i].fd < 0)
			break;
	if (i == FZ_FDS)
		return;
	fd = fcntl(f->fd, F_DUPFD_CLOEXEC, 0);
	count_call();
	tr("dup(%d) = %d", f->fd, fd);
	if (fd < 0)
		return;
	files[i] = *f;
	files[i].fd = fd;
}

/* ---- the ioctls ---------------------------------------------------------- */

static void op_version(void)
{
	struct pktpool_version v;
	struct fz_file *f;
	struct fz_arg a;
	bool exact;
	int fd = pick_fd(&f);

	memset(&v, 0, sizeof(v));
	arg_pick(&a, sizeof(v));
	arg_ioctl(fd, pick_cmd(PKTPOOL_IOC_VERSION, &exact), &a, &v, sizeof(v));
}

/* Unprivileged state changes must fail with EPERM, before anything else. */
static void check_eperm(struct fz_file *f, bool exact, int rc, const char *what)
{
	if (f && exact && worker_role != FZ_ROOT && rc != -EPERM)
		violation("%s without CAP_NET_ADMIN returned %d, not -EPERM",
			  what, rc);
}

static uint64_t pick_reserve(uint32_t obj_size, uint64_t limit)
{
	static const uint64_t small[] = { 0, 0, 1, 2, 8, 64 };

	switch (below(10)) {
	case 0:
		return PKTPOOL_RESERVE_MAX + 1;
	case 1:
		return limit + 1;
	case 2:
		/* The largest reserve only where it costs little memory. */
		return obj_size && obj_size <= 64 && lim.class_min <= 64 ?
		       PKTPOOL_RESERVE_MAX : pick_u64_edge() | (1ULL << 40);
	default:
		return small[below(sizeof(small) / sizeof(small[0]))];
	}
}

static void op_pool_create(void)
{
	struct pktpool_pool_create c;
	struct fz_file *f;
	struct fz_arg a;
	bool exact;
	int fd = pick_fd(&f), rc;
	unsigned long cmd = pick_cmd(PKTPOOL_IOC_POOL_CREATE, &exact);
	static const int32_t nodes[] = { 0, 1, 64, INT32_MIN, 1 << 20, -2 };

	memset(&c, 0, sizeof(c));
	pick_name(c.name, false);
	switch (below(8)) {
	case 0: c.obj_size = lim.class_max + 1; break;
	case 1: c.obj_size = chance(50) ? 0 : pick_u32_edge(); break;
	case 2: c.obj_size = lim.class_max; break;
	case 3: c.obj_size = lim.class_min; break;
	default: c.obj_size = 1 + below(lim.class_max); break;
	}
	c.node = chance(85) ? -1 : nodes[below(6)];
	c.limit = chance(50) ? 0 : chance(70) ? 1 + below(4096) : pick_u64_edge();
	c.reserve = pick_reserve(c.obj_size, c.limit);
	c.flags = chance(85) ? 0 : chance(50) ? PKTPOOL_POOL_F_DEBUG : pick_u32_edge();
	c.reserved = chance(95) ? 0 : 1;
	tr("POOL_CREATE name=%.32s obj_size=%u node=%d limit=%" PRIu64 " reserve=%" PRIu64 " flags=%#x",
	   c.name, c.obj_size, c.node, (uint64_t)c.limit, (uint64_t)c.reserve, c.flags);
	arg_pick(&a, sizeof(c));
	rc = arg_ioctl(fd, cmd, &a, &c, sizeof(c));
	check_eperm(f, exact, rc, "POOL_CREATE");
	if (!rc) {
		stat_inc(FZ_S_POOL);
		remember_pool(c.id, c.obj_size);
	}
}

static void fill_ref(uint32_t *id, char *name, bool region)
{
	*id = 0;
	memset(name, 0, PKTPOOL_NAME_MAX);
	switch (below(10)) {
	case 0:		/* both: invalid */
		*id = region ? pick_region_id() : pick_pool_id();
		pick_name(name, false);
		break;
	case 1:		/* neither */
		break;
	case 2: case 3: case 4: case 5:
		*id = region ? pick_region_id() : pick_pool_id();
		break;
	default:
		pick_name(name, false);
		break;
	}
}

static void op_pool_destroy(void)
{
	struct pktpool_pool_id d;
	struct fz_file *f;
	struct fz_arg a;
	bool exact;
	int fd = pick_fd(&f), rc;
	unsigned long cmd = pick_cmd(PKTPOOL_IOC_POOL_DESTROY, &exact);

	memset(&d, 0, sizeof(d));
	fill_ref(&d.id, d.name, false);
	tr("POOL_DESTROY id=%u name=%.32s", d.id, d.name);
	arg_pick(&a, sizeof(d));
	rc = arg_ioctl(fd, cmd, &a, &d, sizeof(d));
	check_eperm(f, exact, rc, "POOL_DESTROY");
}

static void op_pool_info(void)
{
	struct pktpool_pool_info i;
	struct fz_file *f;
	struct fz_arg a;
	bool exact;
	int fd = pick_fd(&f), rc;

	memset(&i, 0, sizeof(i));
	fill_ref(&i.id, i.name, false);
	tr("POOL_INFO id=%u name=%.32s", i.id, i.name);
	arg_pick(&a, sizeof(i));
	rc = arg_ioctl(fd, pick_cmd(PKTPOOL_IOC_POOL_INFO, &exact), &a, &i,
		       sizeof(i));
	if (!rc && exact && a.buf && !a.ro) {
		if (i.reserve > PKTPOOL_RESERVE_MAX || i.limit > PKTPOOL_LIMIT_MAX ||
		    (i.limit && i.reserve > i.limit) || i.obj_size > i.class_size)
			violation("POOL_INFO of %u: limit %llu reserve %llu obj %u class %u",
				  i.id, (unsigned long long)i.limit,
				  (unsigned long long)i.reserve, i.obj_size,
				  i.class_size);
		remember_pool(i.id, i.obj_size);
	}
}

static void op_pool_set(void)
{
	struct pktpool_pool_set s;
	struct fz_file *f;
	struct fz_arg a;
	bool exact;
	int fd = pick_fd(&f), rc;
	unsigned long cmd = pick_cmd(PKTPOOL_IOC_POOL_SET, &exact);
	unsigned int k = below(FZ_KNOWN);

	memset(&s, 0, sizeof(s));
	if (chance(70) && pool_ids[k]) {
		s.id = pool_ids[k];
	} else {
		fill_ref(&s.id, s.name, false);
		k = FZ_KNOWN;
	}
	s.mask = chance(85) ? 1 + below(3) : pick_u32_edge();
	s.limit = chance(40) ? 0 : chance(70) ? 1 + below(4096) : pick_u64_edge();
	s.reserve = pick_reserve(k < FZ_KNOWN ? pool_obj[k] : 0, s.limit);
	s.reserved = chance(95) ? 0 : 1;
	tr("POOL_SET id=%u name=%.32s mask=%#x limit=%" PRIu64 " reserve=%" PRIu64,
	   s.id, s.name, s.mask, (uint64_t)s.limit, (uint64_t)s.reserve);
	arg_pick(&a, sizeof(s));
	rc = arg_ioctl(fd, cmd, &a, &s, sizeof(s));
	check_eperm(f, exact, rc, "POOL_SET");
}

static uint32_t ids_out[8192];

static void op_list(void)
{
	bool region = chance(60), exact;
	struct pktpool_pool_list l;
	struct fz_file *f;
	struct fz_arg a;
	int fd = pick_fd(&f), rc;
	uint32_t i, cap_max = region ? lim.max_regions : lim.max_pools;
	unsigned long cmd = pick_cmd(region ? PKTPOOL_IOC_REGION_LIST :
				     PKTPOOL_IOC_POOL_LIST, &exact);

	memset(&l, 0, sizeof(l));
	switch (below(6)) {
	case 0: l.capacity = 0; break;
	case 1: l.capacity = 1; break;
	case 2: l.capacity = UINT32_MAX; break;
	default: l.capacity = cap_max + (uint32_t)below(3) - 1; break;
	}
	switch (below(10)) {
	case 0: l.ids_ptr = 0; break;
	case 1: l.ids_ptr = (uint64_t)(uintptr_t)(argbuf + 2 * FZ_PAGE - 4); break;
	case 2: l.ids_ptr = (uint64_t)(uintptr_t)robuf; break;
	case 3: l.ids_ptr = rnd(); break;
	default: l.ids_ptr = (uint64_t)(uintptr_t)ids_out; break;
	}
	l.reserved = chance(95) ? 0 : (uint32_t)rnd();
	arg_pick(&a, sizeof(l));
	rc = arg_ioctl(fd, cmd, &a, &l, sizeof(l));
	if (rc || !exact || l.ids_ptr != (uint64_t)(uintptr_t)ids_out || !a.buf ||
	    a.ro)
		return;
	if (l.count > l.capacity || l.count > cap_max)
		violation("%s_LIST: count %u, capacity %u, most %u",
			  region ? "REGION" : "POOL", l.count, l.capacity, cap_max);
	for (i = 0; i < l.count; i++) {
		if (!ids_out[i] || (i && ids_out[i] <= ids_out[i - 1]))
			violation("%s_LIST: ids not ascending at %u",
				  region ? "REGION" : "POOL", i);
		if (region)
			remember_region(ids_out[i], 0);
		else
			remember_pool(ids_out[i], 0);
	}
}

/* The layout documented in uapi/linux/pktpool.h, checked part by part. */
static void check_layout(const struct pktpool_region_info *i, const char *what)
{
	bool bad = false;

	bad |= i->mmap_offset != (uint64_t)i->id << 32;
	bad |= i->ctrl_offset != 0 || i->ctrl_size != PKTPOOL_REGION_CTRL_SIZE;
	bad |= i->ring_offset != i->ctrl_offset + i->ctrl_size;
	bad |= i->meta_offset != i->ring_offset + i->ring_size;
	bad |= i->slots_offset != i->meta_offset + i->meta_size;
	bad |= i->mmap_size != i->slots_offset + i->slots_size;
	bad |= (i->mmap_size | i->ring_offset | i->meta_offset |
		i->slots_offset) % FZ_PAGE != 0;
	bad |= i->slots_size < (uint64_t)i->slot_size * i->slot_count;
	bad |= i->meta_size < (uint64_t)PKTPOOL_REGION_META_SIZE * i->slot_count;
	bad |= i->mmap_size > lim.max_bytes;
	bad |= i->slot_count > lim.max_slots || !i->slot_count;
	bad |= i->slot_size % 64 || i->slot_size < PKTPOOL_REGION_SLOT_MIN ||
	       i->slot_size > PKTPOOL_REGION_SLOT_MAX;
	bad |= i->mode & ~0777U;
	if (bad)
		violation("%s: region %u layout does not add up: size %llu ring %llu+%llu meta %llu+%llu slots %llu+%llu, %u x %u",
			  what, i->id, (unsigned long long)i->mmap_size,
			  (unsigned long long)i->ring_offset,
			  (unsigned long long)i->ring_size,
			  (unsigned long long)i->meta_offset,
			  (unsigned long long)i->meta_size,
			  (unsigned long long)i->slots_offset,
			  (unsigned long long)i->slots_size, i->slot_count,
			  i->slot_size);
}

/* Bytes of a region of n slots of s bytes, as the kernel lays it out. */
static uint64_t region_bytes(uint64_t n, uint64_t s)
{
	uint64_t p = 1, ring;

	while (p < n)
		p <<= 1;
	ring = (PKTPOOL_REGION_RING_HDR + p * 4 + FZ_PAGE - 1) & ~(FZ_PAGE - 1);
	return PKTPOOL_REGION_CTRL_SIZE + 2 * ring +
	       ((n * PKTPOOL_REGION_META_SIZE + FZ_PAGE - 1) & ~(FZ_PAGE - 1)) +
	       ((n * s + FZ_PAGE - 1) & ~(FZ_PAGE - 1));
}

/*
 * The limits are tiny and named regions outlive their creators, so the
 * registry is full most of the time: make room now and then by
 * destroying a region that exists (which may belong to someone else).
 */
static void make_room(int fd)
{
	struct pktpool_pool_list l;
	struct pktpool_pool_id d;
	int rc;

	memset(&l, 0, sizeof(l));
	l.size = sizeof(l);
	l.capacity = 8192;
	l.ids_ptr = (uint64_t)(uintptr_t)ids_out;
	rc = ioctl(fd, PKTPOOL_IOC_REGION_LIST, &l) ? -errno : 0;
	count_call();
	if (rc || !l.count || l.count > 8192)
		return;
	memset(&d, 0, sizeof(d));
	d.size = sizeof(d);
	d.id = ids_out[below(l.count)];
	rc = ioctl(fd, PKTPOOL_IOC_REGION_DESTROY, &d) ? -errno : 0;
	count_call();
	tr("make room: REGION_DESTROY id=%u = %d", d.id, rc);
	if (!rc)
		stat_inc(FZ_S_DESTROY);
}

static void op_region_create(void)
{
	struct pktpool_region_create c;
	static const uint32_t modes[] = {
		0600, 0600, 0666, 0644, 0660, 0604, 0602, 0622, 0, 0777,
		01000, 0xffffffff,
	};
	static const int32_t nodes[] = { 0, 1, 64, INT32_MIN, 1 << 20, -2 };
	struct fz_file *f;
	struct fz_arg a;
	bool exact;
	int fd = pick_fd(&f), rc;
	unsigned long cmd = pick_cmd(PKTPOOL_IOC_REGION_CREATE, &exact);
	uint64_t n;

	memset(&c, 0, sizeof(c));
	pick_name(c.name, true);
	switch (below(10)) {
	case 0:
		c.slot_size = chance(50) ? PKTPOOL_REGION_SLOT_MAX + 64 :
			      pick_u32_edge();
		break;
	case 1:
		c.slot_size = 64 * (uint32_t)(1 + below(1024)) + (uint32_t)below(2);
		break;
	case 2:
		c.slot_size = PKTPOOL_REGION_SLOT_MAX;
		break;
	default:
		c.slot_size = 64U << below(6);
		break;
	}
	switch (below(10)) {
	case 0:
		c.slot_count = lim.max_slots + (uint32_t)below(3) - 1;
		break;
	case 1:
		c.slot_count = chance(50) ? 0 : pick_u32_edge();
		break;
	case 2: case 3:
		/* As many as fit in region_max_bytes, give or take one. */
		if (c.slot_size >= 64 && c.slot_size <= PKTPOOL_REGION_SLOT_MAX) {
			n = (lim.max_bytes - 28672) / c.slot_size;
			while (n > 1 && region_bytes(n, c.slot_size) > lim.max_bytes)
				n--;
			c.slot_count = (uint32_t)(n + below(3)) - 1;
			break;
		}
		/* fall through */
	default:
		c.slot_count = 1 + (uint32_t)below(chance(80) ? 64 : lim.max_slots);
		break;
	}
	c.node = chance(90) ? -1 : nodes[below(6)];
	c.mode = modes[below(sizeof(modes) / sizeof(modes[0]))];
	c.flags = chance(95) ? 0 : pick_u32_edge();
	c.reserved = chance(95) ? 0 : 1;
	tr("REGION_CREATE name=%.32s slot_size=%u slot_count=%u node=%d mode=%#o",
	   c.name, c.slot_size, c.slot_count, c.node, c.mode);
	arg_pick(&a, sizeof(c));
	rc = arg_ioctl(fd, cmd, &a, &c, sizeof(c));
	if ((rc == -ENOSPC || rc == -EDQUOT) && f && chance(50))
		make_room(fd);
	if (rc)
		return;
	stat_inc(FZ_S_REGION);
	if (!f || !exact)
		return;
	tr("  -> id %u offset %#llx size %llu", c.id,
	   (unsigned long long)c.mmap_offset, (unsigned long long)c.mmap_size);
	if (!c.id || c.mmap_offset != (uint64_t)c.id << 32 || !c.mmap_size ||
	    c.mmap_size % FZ_PAGE || c.mmap_size > lim.max_bytes)
		violation("REGION_CREATE: id %u offset %#llx size %llu", c.id,
			  (unsigned long long)c.mmap_offset,
			  (unsigned long long)c.mmap_size);
	if (f->accmode == O_RDONLY)
		violation("REGION_CREATE succeeded on a file opened O_RDONLY");
	remember_region(c.id, c.mmap_size);
	note_attach(f->file, c.id, PKTPOOL_ACCESS_READ | PKTPOOL_ACCESS_WRITE,
		    c.mmap_size);
}

static void op_region_attach(bool attach_it)
{
	struct pktpool_region_info i;
	struct fz_file *f;
	struct fz_arg a;
	bool exact;
	int fd = pick_fd(&f), rc;
	unsigned long cmd = pick_cmd(attach_it ? PKTPOOL_IOC_REGION_ATTACH :
				     PKTPOOL_IOC_REGION_INFO, &exact);
	uint32_t access;

	memset(&i, 0, sizeof(i));
	fill_ref(&i.id, i.name, true);
	switch (below(10)) {
	case 0: i.access = 4 + (uint32_t)below(4); break;
	case 1: i.access = pick_u32_edge(); break;
	default: i.access = (uint32_t)below(4); break;
	}
	access = i.access ? i.access :
		 PKTPOOL_ACCESS_READ | PKTPOOL_ACCESS_WRITE;
	tr("REGION_%s id=%u name=%.32s access=%u", attach_it ? "ATTACH" : "INFO",
	   i.id, i.name, i.access);
	arg_pick(&a, sizeof(i));
	rc = arg_ioctl(fd, cmd, &a, &i, sizeof(i));
	if (rc || !exact || !a.buf || a.ro)
		return;
	check_layout(&i, attach_it ? "REGION_ATTACH" : "REGION_INFO");
	remember_region(i.id, i.mmap_size);
	if (attach_it && f) {
		stat_inc(FZ_S_ATTACH);
		if (i.access != access || !i.attached)
			violation("REGION_ATTACH: access %u asked, %u granted, %llu attached",
				  access, i.access,
				  (unsigned long long)i.attached);
		note_attach(f->file, i.id, access, i.mmap_size);
	}
}

static void op_region_id(bool destroy)
{
	struct pktpool_pool_id d;
	struct fz_file *f;
	struct fz_arg a;
	bool exact;
	int fd = pick_fd(&f), rc;
	unsigned long cmd = pick_cmd(destroy ? PKTPOOL_IOC_REGION_DESTROY :
				     PKTPOOL_IOC_REGION_DETACH, &exact);

	memset(&d, 0, sizeof(d));
	fill_ref(&d.id, d.name, true);
	tr("REGION_%s id=%u name=%.32s", destroy ? "DESTROY" : "DETACH", d.id,
	   d.name);
	arg_pick(&a, sizeof(d));
	rc = arg_ioctl(fd, cmd, &a, &d, sizeof(d));
	if (!rc)
		stat_inc(destroy ? FZ_S_DESTROY : FZ_S_DETACH);
	/* Detached by name: which id is not known, so keep the record. */
	if (!rc && !destroy && exact && f && d.id)
		note_detach(f->file, d.id);
}

/* Anything in the pktpool ioctl space, or anywhere, with junk. */
static void op_raw_ioctl(void)
{
	struct fz_file *f;
	int fd = pick_fd(&f), rc;
	unsigned long cmd;
	unsigned int i;

	/* Junk commands go only to pktpool files: root could reconfigure
	 * the network through a socket. */
	if (!f)
		fd = -1;
	if (chance(80))
		cmd = _IOC(below(4), PKTPOOL_IOC_MAGIC, below(0x20),
			   below(1U << _IOC_SIZEBITS));
	else
		cmd = (uint32_t)rnd();
	for (i = 0; i < 2 * FZ_PAGE / 8; i++)
		((uint64_t *)argbuf)[i] = chance(50) ? 0 : rnd();
	if (chance(70))
		*(uint32_t *)argbuf = (uint32_t)(chance(50) ? 16 + 8 * below(30) :
							     rnd());
	rc = ioctl(fd, cmd, chance(90) ? (void *)argbuf :
				       (void *)(uintptr_t)rnd()) ? -errno : 0;
	count_call();
	tr("ioctl(%d, %#lx, junk) = %d", fd, cmd, rc);
	if (f && rc && !errno_documented(-rc))
		violation("ioctl %#lx returned undocumented errno %d", cmd, -rc);
}

/* ---- mappings ------------------------------------------------------------ */

static sigjmp_buf fault_jmp;
static volatile sig_atomic_t fault_armed;

static void on_fault(int sig)
{
	if (!fault_armed) {
		signal(sig, SIG_DFL);
		raise(sig);
		return;
	}
	siglongjmp(fault_jmp, sig);
}

static struct fz_map *pick_map(void)
{
	unsigned int i, start = below(FZ_MAPS);

	for (i = 0; i < FZ_MAPS; i++)
		if (maps[(start + i) % FZ_MAPS].addr)
			return &maps[(start + i) % FZ_MAPS];
	return NULL;
}

/* Forget every mapping that overlaps [addr, addr + len): it was replaced. */
static void maps_forget(char *addr, size_t len)
{
	unsigned int i;

	for (i = 0; i < FZ_MAPS; i++)
		if (maps[i].addr && maps[i].addr < addr + len &&
		    addr < maps[i].addr + maps[i].len)
			maps[i].addr = NULL;
}

static size_t page_up(uint64_t n)
{
	return (size_t)((n + FZ_PAGE - 1) & ~(FZ_PAGE - 1));
}

static bool in_arena(const char *addr, size_t len)
{
	return addr >= arena && len <= FZ_ARENA &&
	       (size_t)(addr - arena) <= FZ_ARENA - len;
}

/*
 * Give freed arena pages back to the arena, so that the kernel places
 * nothing else there for a later MAP_FIXED to clobber.
 */
static void arena_refill(char *addr, size_t len)
{
	if (!in_arena(addr, len))
		return;
	mmap(addr, len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED |
	     MAP_NORESERVE, -1, 0);
	count_call();
}

/* The mapping and the page after it are ours to hit. */
static bool may_overrun(const struct fz_map *m)
{
	return m->in_arena && in_arena(m->addr, m->len + FZ_PAGE);
}

/* An address in the arena with room for len bytes. */
static char *arena_spot(size_t len)
{
	if (len >= FZ_ARENA)
		return arena;
	return arena + below((FZ_ARENA - len) / FZ_PAGE + 1) * FZ_PAGE;
}

static void op_mmap(void)
{
	struct fz_region *r = &regions[below(FZ_KNOWN)];
	struct fz_file *f;
	struct fz_attach *at;
	struct fz_map *m;
	int fd = pick_fd(&f), prot, flags, slot = -1;
	uint64_t off = (uint64_t)r->id << 32;
	size_t len = page_up(r->size);
	char *want = NULL, *p;
	unsigned int i, n;

	for (i = 0; i < FZ_MAPS; i++)
		if (!maps[i].addr)
			slot = (int)i;
	if (slot < 0)
		return;
	/* Mostly a region one of our files attached, through that file. */
	at = NULL;
	for (i = 0, n = (unsigned int)below(64); i < 64 && !at; i++)
		if (attach[(n + i) % 64].file)
			at = &attach[(n + i) % 64];
	if (at && chance(75)) {
		for (i = 0; i < FZ_FDS; i++)
			if (files[i].fd >= 0 && files[i].file == at->file) {
				f = &files[i];
				fd = f->fd;
				off = (uint64_t)at->id << 32;
				len = page_up(at->size);
				r = NULL;
				break;
			}
	}
	if (r && (!r->id || chance(5)))
		off = chance(50) ? 0 : (uint64_t)pick_u32_edge() << 32;
	switch (below(12)) {
	case 0: off += FZ_PAGE; break;
	case 1: off -= FZ_PAGE; break;
	case 2: off += 1ULL << 31; break;
	default: break;
	}
	if (!len || chance(10)) {
		switch (below(5)) {
		case 0: len = FZ_PAGE; break;
		case 1: len = len + FZ_PAGE; break;
		case 2: len = len > FZ_PAGE ? len - FZ_PAGE : 1; break;
		case 3: len = page_up(region_bytes(1 + below(64), 64)); break;
		default: len = 1 + below(1 << 20); break;
		}
	}
	switch (below(20)) {
	case 0: prot = PROT_READ | PROT_EXEC; break;
	case 1: prot = PROT_NONE; break;
	case 2: prot = PROT_WRITE; break;
	case 3: prot = PROT_READ | PROT_WRITE | PROT_EXEC; break;
	case 4: case 5: case 6: case 7: prot = PROT_READ; break;
	default: prot = PROT_READ | PROT_WRITE; break;
	}
	flags = MAP_SHARED;
	switch (below(20)) {
	case 0: flags = MAP_PRIVATE; break;
	case 1: flags |= MAP_POPULATE; break;
	case 2: flags |= MAP_LOCKED; break;
	case 3: flags = MAP_SHARED_VALIDATE | (chance(50) ? MAP_SYNC : 0); break;
	case 4: case 5: case 6: case 7:
		break;	/* where the kernel likes */
	default:
		/* Anywhere in the arena, or over a mapping of ours there. */
		m = pick_map();
		want = m && m->in_arena && len <= m->len && chance(20) ?
		       m->addr : arena_spot(len);
		flags |= chance(90) ? MAP_FIXED : MAP_FIXED_NOREPLACE;
		break;
	}
	p = mmap(want, len, prot, flags, fd, (off_t)off);
	count_call();
	tr("mmap(%p, %zu, %#x, %#x, %d, %#llx) = %p", (void *)want, len, prot,
	   flags, fd, (unsigned long long)off, (void *)p);
	if (p == MAP_FAILED) {
		/*
		 * A failed MAP_FIXED may have unmapped what was there
		 * first: forget it and fill the arena again.
		 */
		if (flags & MAP_FIXED) {
			maps_forget(want, len);
			arena_refill(want, len);
		}
		return;
	}
	stat_inc(FZ_S_MMAP);
	maps_forget(p, len);
	/* What the kernel let through must be what it promises. */
	if (f && !file_shared[f->file] && (off & 0xffffffffULL) == 0) {
		uint32_t id = (uint32_t)(off >> 32);

		at = find_attach(f->file, id);
		if (!at)
			violation("mmap of region %u through a file that never attached it",
				  id);
		if ((prot & PROT_WRITE) && !(at->access & PKTPOOL_ACCESS_WRITE))
			violation("PROT_WRITE mmap of region %u attached for access %u",
				  id, at->access);
		if ((prot & PROT_READ) && !(at->access & PKTPOOL_ACCESS_READ))
			violation("PROT_READ mmap of region %u attached write-only",
				  id);
		if (at->size && len != page_up(at->size))
			violation("mmap of region %u with %zu bytes, region has %llu",
				  id, len, (unsigned long long)at->size);
	}
	if (f && (prot & PROT_EXEC))
		violation("an executable mapping of a region");
	if (f && !(flags & MAP_SHARED))
		violation("a private mapping of a region");
	maps[slot].addr = p;
	maps[slot].len = len;
	maps[slot].prot = prot;
	maps[slot].id = (uint32_t)(off >> 32);
	maps[slot].in_arena = in_arena(p, len);
	if (f) {
		at = find_attach(f->file, maps[slot].id);
		/* mprotect may add PROT_WRITE only where the grant has it */
		if (at && !file_shared[f->file] &&
		    !(at->access & PKTPOOL_ACCESS_WRITE))
			maps[slot].prot |= 0x1000;	/* read-only for good */
	}
}

/*
 * Whether [addr, addr + len) is one whole mapping of /dev/pktpool now, as
 * /proc/self/maps says: checked before calling a partial unmap a defect,
 * since a failed MAP_FIXED or mremap may have unmapped what we recorded.
 */
static bool whole_region_vma(const char *addr, size_t len)
{
	static char buf[65536];
	unsigned long lo, hi;
	char *line, *save = NULL;
	ssize_t n;
	int fd;

	fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	count_call();
	if (n <= 0)
		return false;
	buf[n] = '\0';
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save))
		if (sscanf(line, "%lx-%lx", &lo, &hi) == 2 &&
		    lo == (unsigned long)addr && hi == (unsigned long)addr + len)
			return strstr(line, PKTPOOL_DEVICE) != NULL;
	return false;
}

/* A partial call on m is coming: is m still what we think it is? */
static bool still_mapped(struct fz_map *m)
{
	if (whole_region_vma(m->addr, m->len))
		return true;
	tr("stale mapping record %p+%zu dropped", (void *)m->addr, m->len);
	m->addr = NULL;
	return false;
}

static void op_munmap(void)
{
	struct fz_map *m = pick_map();
	char *addr;
	size_t len;
	int rc;

	if (!m)
		return;
	addr = m->addr;
	len = m->len;
	switch (below(8)) {
	case 0: len = FZ_PAGE; break;			/* the head */
	case 1: addr += m->len - FZ_PAGE; len = FZ_PAGE; break;	/* the tail */
	case 2:		/* and what follows */
		if (may_overrun(m))
			len = m->len + FZ_PAGE;
		break;
	default: break;
	}
	if (len < m->len && !still_mapped(m))
		return;
	rc = munmap(addr, len) ? -errno : 0;
	count_call();
	tr("munmap(%p, %zu) = %d", (void *)addr, len, rc);
	if (rc)
		return;
	stat_inc(FZ_S_UNMAP);
	if (len < m->len && m->len > FZ_PAGE)
		violation("munmap of part of a region mapping (%zu of %zu bytes) succeeded",
			  len, m->len);
	maps_forget(addr, len);
	arena_refill(addr, len);
}

static void op_mremap(void)
{
	struct fz_map *m = pick_map();
	size_t nlen;
	char *p, *to = NULL;
	int flags = MREMAP_MAYMOVE;

	if (!m)
		return;
	nlen = m->len;
	if (!still_mapped(m))
		return;
	switch (below(8)) {
	case 0: nlen += FZ_PAGE; break;
	case 1: nlen = m->len > FZ_PAGE ? m->len - FZ_PAGE : m->len; break;
	case 2:
		if (may_overrun(m)) {
			flags = 0;	/* grow in place, over the arena */
			nlen += FZ_PAGE;
		}
		break;
	case 3: flags |= MREMAP_DONTUNMAP; break;
	default:
		flags |= MREMAP_FIXED;
		to = arena_spot(nlen);
		break;
	}
	p = mremap(m->addr, m->len, nlen, flags, to);
	count_call();
	tr("mremap(%p, %zu, %zu, %#x, %p) = %p", (void *)m->addr, m->len, nlen,
	   flags, (void *)to, (void *)p);
	if (p == MAP_FAILED) {
		/* MREMAP_FIXED unmaps the target before it may fail. */
		if (flags & MREMAP_FIXED) {
			maps_forget(to, nlen);
			arena_refill(to, nlen);
		}
		return;
	}
	stat_inc(FZ_S_MREMAP);
	if (nlen != m->len)
		violation("mremap resized a region mapping from %zu to %zu bytes",
			  m->len, nlen);
	/* With DONTUNMAP the old range stays mapped; it is simply forgotten. */
	if (!(flags & MREMAP_DONTUNMAP) && p != m->addr)
		arena_refill(m->addr, m->len);
	m->addr = NULL;
	maps_forget(p, nlen);
	m->addr = p;
	m->len = nlen;
	m->in_arena = in_arena(p, nlen);
}

static void op_mprotect(void)
{
	struct fz_map *m = pick_map();
	static const int prots[] = {
		PROT_NONE, PROT_READ, PROT_READ | PROT_WRITE, PROT_WRITE,
		PROT_READ | PROT_EXEC, PROT_READ | PROT_WRITE | PROT_EXEC,
	};
	char *addr;
	size_t len;
	int prot = prots[below(6)], rc;

	if (!m)
		return;
	addr = m->addr;
	len = m->len;
	if (chance(20)) {
		len = FZ_PAGE;
		if (chance(50))
			addr += m->len - FZ_PAGE;
	}
	if (len < m->len && !still_mapped(m))
		return;
	rc = mprotect(addr, len, prot) ? -errno : 0;
	count_call();
	tr("mprotect(%p, %zu, %#x) = %d", (void *)addr, len, prot, rc);
	if (rc)
		return;
	stat_inc(FZ_S_MPROTECT);
	/* The same protection again changes nothing and splits nothing. */
	if (len < m->len && prot != (m->prot & 0xfff))
		violation("mprotect of part of a region mapping succeeded");
	if (prot & PROT_EXEC)
		violation("mprotect made a region mapping executable");
	if ((prot & PROT_WRITE) && (m->prot & 0x1000))
		violation("mprotect made a read-only region mapping writable");
	m->prot = prot | (m->prot & 0x1000);
}

static void op_madvise(void)
{
	static const int advice[] = {
		MADV_NORMAL, MADV_RANDOM, MADV_SEQUENTIAL, MADV_WILLNEED,
		MADV_DONTNEED, MADV_FREE, MADV_REMOVE, MADV_DONTFORK,
		MADV_DOFORK, MADV_MERGEABLE, MADV_UNMERGEABLE, MADV_HUGEPAGE,
		MADV_NOHUGEPAGE, MADV_DONTDUMP, MADV_DODUMP, MADV_WIPEONFORK,
		MADV_KEEPONFORK, MADV_COLD, MADV_PAGEOUT, MADV_POPULATE_READ,
		MADV_POPULATE_WRITE,
	};
	struct fz_map *m = pick_map();
	char *addr;
	size_t len;
	int adv, rc;

	if (!m)
		return;
	/* Never the memory-failure advices: root would poison real pages. */
	adv = chance(95) ? advice[below(sizeof(advice) / sizeof(advice[0]))] :
			   (int)below(30);
	addr = m->addr;
	len = m->len;
	switch (below(6)) {
	case 0: len = FZ_PAGE; break;
	case 1: addr += FZ_PAGE * below(m->len / FZ_PAGE); len = FZ_PAGE; break;
	case 2:
		if (may_overrun(m))
			len += FZ_PAGE;
		break;
	default: break;
	}
	rc = madvise(addr, len, adv) ? -errno : 0;
	count_call();
	tr("madvise(%p, %zu, %d) = %d", (void *)addr, len, adv, rc);
}

static void op_mlock(void)
{
	struct fz_map *m = pick_map();
	int rc;

	if (!m)
		return;
	rc = (chance(50) ? mlock(m->addr, m->len) : munlock(m->addr, m->len)) ?
	     -errno : 0;
	count_call();
	tr("mlock/munlock(%p, %zu) = %d", (void *)m->addr, m->len, rc);
	if (chance(30)) {
		rc = msync(m->addr, m->len, chance(50) ? MS_SYNC : MS_ASYNC) ?
		     -errno : 0;
		count_call();
		tr("msync(%p, %zu) = %d", (void *)m->addr, m->len, rc);
	}
}

/* Read or write a byte of a mapping; faults are expected now and then. */
static void op_touch(void)
{
	struct fz_map *m = pick_map();
	volatile char *volatile p;
	int sig;

	if (!m)
		return;
	switch (below(4)) {
	case 0: p = m->addr; break;
	case 1: p = m->addr + m->len - 1; break;
	default: p = m->addr + below(m->len); break;
	}
	sig = sigsetjmp(fault_jmp, 1);
	if (!sig) {
		fault_armed = 1;
		if (chance(50))
			*p = (char)rnd();
		else
			(void)*p;
	}
	fault_armed = 0;
	stat_inc(sig ? FZ_S_FAULT : FZ_S_TOUCH);
	tr("touch(%p) = signal %d", (void *)p, sig);
}

/* ---- generic netlink ----------------------------------------------------- */

static char nlbuf[16384];
static uint32_t nl_seq;
static uint32_t nl_eperm_seq;	/* a pool-set that must fail with EPERM */

static size_t nla_put(size_t off, uint16_t type, const void *data, size_t len)
{
	struct nlattr *a = (struct nlattr *)(nlbuf + off);

	if (off + NLA_HDRLEN + NLA_ALIGN(len) > sizeof(nlbuf))
		return off;
	a->nla_type = type;
	a->nla_len = (uint16_t)(NLA_HDRLEN + len);
	memcpy(nlbuf + off + NLA_HDRLEN, data, len);
	memset(nlbuf + off + NLA_HDRLEN + len, 0, NLA_ALIGN(len) - len);
	return off + NLA_HDRLEN + NLA_ALIGN(len);
}

/* One attribute of a pool or region request, mostly well-formed. */
static size_t nl_attr(size_t off, bool region, bool *wellformed)
{
	char name[PKTPOOL_NAME_MAX + 8];
	uint64_t v64;
	uint32_t v32;
	uint16_t type;
	size_t len;

	switch (below(region ? 3 : 5)) {
	case 0:		/* id */
		v32 = region ? pick_region_id() : pick_pool_id();
		type = region ? PKTPOOL_A_REGION_ID : PKTPOOL_A_POOL_ID;
		if (chance(90))
			return nla_put(off, type, &v32, 4);
		*wellformed = false;
		v64 = v32;
		return nla_put(off, type, &v64, below(9));
	case 1:		/* name */
		type = region ? PKTPOOL_A_REGION_NAME : PKTPOOL_A_POOL_NAME;
		pick_name(name, false);
		memset(name + PKTPOOL_NAME_MAX, 'z', 8);
		len = strnlen(name, PKTPOOL_NAME_MAX) + 1;
		if (chance(15)) {
			*wellformed = false;
			len = below(sizeof(name) + 1);	/* no NUL, too long */
		}
		return nla_put(off, type, name, len);
	case 2:		/* a type the policy does not know, or the pad */
		*wellformed = false;
		type = chance(50) ? (uint16_t)(region ? PKTPOOL_A_REGION_MAX + 1 :
					     PKTPOOL_A_POOL_MAX + 1) :
				    (uint16_t)rnd();
		v64 = rnd();
		return nla_put(off, type, &v64, below(9));
	case 3:		/* limit */
		v64 = chance(60) ? below(4096) : pick_u64_edge();
		if (chance(90))
			return nla_put(off, PKTPOOL_A_POOL_LIMIT, &v64, 8);
		*wellformed = false;
		return nla_put(off, PKTPOOL_A_POOL_LIMIT, &v64, 4);
	default:	/* reserve */
		v64 = pick_reserve(0, 0);
		if (v64 > 64 && v64 <= PKTPOOL_RESERVE_MAX)
			v64 = 64;
		return nla_put(off, PKTPOOL_A_POOL_RESERVE, &v64,
			       chance(95) ? 8 : below(12));
	}
}

static void nl_drain(void)
{
	struct nlmsghdr *h;
	ssize_t n;
	int i, rounds = 0;

	for (i = 0; i < 64; i++) {
		n = recv(nl, nlbuf, sizeof(nlbuf), MSG_DONTWAIT);
		count_call();
		if (n <= 0) {
			if (n < 0 && errno == ENOBUFS && rounds++ < 4)
				continue;	/* overrun: keep reading */
			break;
		}
		for (h = (struct nlmsghdr *)nlbuf; NLMSG_OK(h, (size_t)n);
		     h = NLMSG_NEXT(h, n)) {
			struct nlmsgerr *e = NLMSG_DATA(h);

			stat_inc(h->nlmsg_type == NLMSG_ERROR &&
				 h->nlmsg_len >= NLMSG_LENGTH(sizeof(*e)) &&
				 e->error ? FZ_S_NLERR : FZ_S_NLMSG);
			if (h->nlmsg_type != NLMSG_ERROR ||
			    h->nlmsg_len < NLMSG_LENGTH(sizeof(*e)))
				continue;
			if (nl_eperm_seq && h->nlmsg_seq == nl_eperm_seq) {
				if (e->error != -EPERM)
					violation("pool-set from a process without CAP_NET_ADMIN: %d, not -EPERM",
						  e->error);
				nl_eperm_seq = 0;
			}
		}
	}
}

static void op_nl_sock(void)
{
	int grp, rc;

	if (nl < 0) {
		nl = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
		count_call();
		nl_joined = false;
		tr("socket(NETLINK_GENERIC) = %d", nl);
		return;
	}
	switch (below(4)) {
	case 0:
		close(nl);
		count_call();
		tr("close(netlink %d)", nl);
		nl = -1;
		return;
	default:
		grp = chance(90) ? (int)lim.mcgrp : (int)below(64);
		rc = setsockopt(nl, SOL_NETLINK, nl_joined ? NETLINK_DROP_MEMBERSHIP :
				NETLINK_ADD_MEMBERSHIP, &grp, sizeof(grp)) ? -errno : 0;
		count_call();
		tr("setsockopt(netlink, %s %d) = %d", nl_joined ? "drop" : "add",
		   grp, rc);
		if (!rc && grp == (int)lim.mcgrp)
			nl_joined = !nl_joined;
		nl_drain();
		return;
	}
}

static void op_nl_send(void)
{
	static const uint8_t cmds[] = {
		PKTPOOL_CMD_POOL_GET, PKTPOOL_CMD_POOL_SET,
		PKTPOOL_CMD_REGION_GET, PKTPOOL_CMD_CLASS_GET,
	};
	struct sockaddr_nl to = { .nl_family = AF_NETLINK };
	struct nlmsghdr *h = (struct nlmsghdr *)nlbuf;
	struct genlmsghdr *g;
	bool wellformed = true, region;
	unsigned int i, nattr;
	size_t off, len;
	ssize_t rc;

	if (nl < 0)
		op_nl_sock();
	if (nl < 0 || !lim.family)
		return;
	memset(nlbuf, 0, 512);
	h->nlmsg_type = chance(95) ? lim.family : chance(50) ? GENL_ID_CTRL :
			(uint16_t)rnd();
	h->nlmsg_flags = NLM_F_REQUEST;
	if (chance(40))
		h->nlmsg_flags |= NLM_F_ACK;
	if (chance(30))
		h->nlmsg_flags |= NLM_F_DUMP;
	if (chance(3)) {
		h->nlmsg_flags = (uint16_t)rnd();
		wellformed = false;
	}
	h->nlmsg_seq = ++nl_seq;
	g = NLMSG_DATA(h);
	g->cmd = chance(90) ? cmds[below(4)] : (uint8_t)below(16);
	g->version = chance(90) ? PKTPOOL_GENL_VERSION : (uint8_t)rnd();
	if (chance(3)) {
		g->reserved = (uint16_t)rnd();
		wellformed = false;
	}
	region = g->cmd == PKTPOOL_CMD_REGION_GET;
	off = NLMSG_HDRLEN + GENL_HDRLEN;
	nattr = (unsigned int)below(4);
	for (i = 0; i < nattr; i++)
		off = nl_attr(off, region, &wellformed);
	if (chance(5)) {
		/* An attribute that claims more than is there. */
		struct nlattr *a = (struct nlattr *)(nlbuf + off);

		a->nla_type = PKTPOOL_A_POOL_NAME;
		a->nla_len = (uint16_t)(chance(50) ? 2 : 200);
		off += NLA_HDRLEN;
		wellformed = false;
	}
	if (chance(3)) {
		/* Junk after the header. */
		len = below(256);
		for (i = 0; i < len; i++)
			nlbuf[off + i] = (char)rnd();
		off += len;
		wellformed = false;
	}
	h->nlmsg_len = (uint32_t)off;
	len = off;
	if (chance(4)) {
		switch (below(3)) {
		case 0: h->nlmsg_len = (uint32_t)below(off + 1); break;
		case 1: h->nlmsg_len = (uint32_t)(off + 1 + below(64)); break;
		default: len = below(off + 1); break;
		}
		wellformed = false;
	}
	if (g->cmd == PKTPOOL_CMD_POOL_SET && worker_role != FZ_ROOT &&
	    wellformed && h->nlmsg_type == lim.family &&
	    !(h->nlmsg_flags & NLM_F_DUMP))
		nl_eperm_seq = h->nlmsg_seq;
	rc = sendto(nl, nlbuf, len, MSG_DONTWAIT, (struct sockaddr *)&to,
		    sizeof(to));
	count_call();
	tr("netlink cmd %u flags %#x type %#x attrs %u len %zu/%u = %zd",
	   g->cmd, h->nlmsg_flags, h->nlmsg_type, nattr, len, h->nlmsg_len,
	   rc < 0 ? (ssize_t)-errno : rc);
	nl_drain();
	nl_eperm_seq = 0;
}

/* ---- fork and memory pressure -------------------------------------------- */

static void run_one(void);

static void op_fork(void)
{
	unsigned int i, n = (unsigned int)below(24);
	int status;
	pid_t pid;

	if (in_child)
		return;
	pid = fork();
	count_call();
	if (pid < 0)
		return;
	if (!pid) {
		in_child = true;
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		for (i = 0; i < n; i++)
			run_one();
		_exit(0);
	}
	stat_inc(FZ_S_FORK);
	tr("fork() = %d, child runs %u ops", pid, n);
	/* Its files were ours too: what they attach is no longer known. */
	for (i = 0; i < FZ_FDS; i++)
		if (files[i].fd >= 0)
			file_shared[files[i].file] = true;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	count_call();
	if (WIFEXITED(status) && WEXITSTATUS(status) == 3)
		_exit(3);	/* the child reported a violation */
	if (WIFSIGNALED(status) && WTERMSIG(status) != SIGKILL)
		violation("a forked child died of signal %d", WTERMSIG(status));
}

/* Workers in the memory cgroup push it towards memory.max. */
static void op_balloon(void)
{
	size_t len;

	if (balloon) {
		munmap(balloon, balloon_len);
		count_call();
		balloon = NULL;
		return;
	}
	len = (2 + below(14)) << 20;
	balloon = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	count_call();
	if (balloon == MAP_FAILED) {
		balloon = NULL;
		return;
	}
	balloon_len = len;
	memset(balloon, 1, len);
	tr("balloon %zu MiB", len >> 20);
}

/* ---- the worker ---------------------------------------------------------- */

static bool memcg_worker;

static void run_one(void)
{
	unsigned int op = (unsigned int)below(100);

	if (op < 5) op_open();
	else if (op < 8) op_close();
	else if (op < 10) op_dup();
	else if (op < 11) op_version();
	else if (op < 14) op_pool_create();
	else if (op < 16) op_pool_destroy();
	else if (op < 18) op_pool_info();
	else if (op < 20) op_pool_set();
	else if (op < 24) op_list();
	else if (op < 32) op_region_create();
	else if (op < 40) op_region_attach(true);
	else if (op < 43) op_region_attach(false);
	else if (op < 47) op_region_id(false);
	else if (op < 50) op_region_id(true);
	else if (op < 53) op_raw_ioctl();
	else if (op < 61) op_mmap();
	else if (op < 65) op_munmap();
	else if (op < 68) op_mremap();
	else if (op < 71) op_mprotect();
	else if (op < 75) op_madvise();
	else if (op < 76) op_mlock();
	else if (op < 81) op_touch();
	else if (op < 82) op_fork();
	else if (op < 93) op_nl_send();
	else if (op < 96) op_nl_sock();
	else if (op < 99 && memcg_worker) op_balloon();
	else op_list();
}

static int join_cgroup(const char *cg)
{
	char path[512], pid[32];
	int fd, n;

	snprintf(path, sizeof(path), "%s/cgroup.procs", cg);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = snprintf(pid, sizeof(pid), "%d\n", (int)getpid());
	if (write(fd, pid, (size_t)n) != n) {
		n = -errno;
		close(fd);
		return n;
	}
	close(fd);
	return 0;
}

/* Drop CAP_NET_ADMIN from every set, and check the kernel agrees. */
static int drop_net_admin(void)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct d[_LINUX_CAPABILITY_U32S_3];
	char line[256];
	bool ok = true;
	FILE *f;

	if (prctl(PR_CAPBSET_DROP, CAP_NET_ADMIN, 0, 0, 0) ||
	    syscall(SYS_capget, &hdr, d))
		return -errno;
	d[0].effective &= ~(1U << CAP_NET_ADMIN);
	d[0].permitted &= ~(1U << CAP_NET_ADMIN);
	d[0].inheritable &= ~(1U << CAP_NET_ADMIN);
	if (syscall(SYS_capset, &hdr, d))
		return -errno;
	f = fopen("/proc/self/status", "re");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		unsigned long long m;

		if ((!strncmp(line, "CapEff:", 7) || !strncmp(line, "CapPrm:", 7) ||
		     !strncmp(line, "CapBnd:", 7)) &&
		    sscanf(line + 7, "%llx", &m) == 1 && (m >> CAP_NET_ADMIN) & 1)
			ok = false;
	}
	fclose(f);
	return ok ? 0 : -EPERM;
}

static int become(int role, const char *cgroup)
{
	int err;

	if (cgroup) {
		err = join_cgroup(cgroup);
		if (err)
			return err;
	}
	if (role == FZ_NOCAP)
		return drop_net_admin();
	if (role == FZ_NOBODY_ROLE) {
		if (setgroups(0, NULL) || setgid(FZ_NOBODY) || setuid(FZ_NOBODY))
			return -errno;
		if (!getuid() || !geteuid())
			return -EPERM;
	}
	return 0;
}

static void worker_setup(void)
{
	struct sigaction sa;
	unsigned int i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_fault;
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	argbuf = mmap(NULL, 3 * FZ_PAGE, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	robuf = mmap(NULL, FZ_PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	arena = mmap(NULL, FZ_ARENA, PROT_NONE,
		     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (argbuf == MAP_FAILED || robuf == MAP_FAILED || arena == MAP_FAILED) {
		fprintf(stderr, "pktpool_fuzz: worker: no memory for buffers\n");
		_exit(2);
	}
	mprotect(argbuf + 2 * FZ_PAGE, FZ_PAGE, PROT_NONE);
	for (i = 0; i < FZ_FDS; i++)
		files[i].fd = -1;
}

/* Run ops operations (0: until killed). */
static int worker(uint64_t seed, int role, const char *cgroup, uint64_t ops)
{
	uint64_t i;
	int err;

	worker_seed = seed;
	worker_role = role;
	fz_state = seed;
	memcg_worker = cgroup != NULL;
	err = become(role, cgroup);
	if (err) {
		fprintf(stderr, "pktpool_fuzz: worker cannot become %s%s: %s\n",
			fz_role_names[role], cgroup ? " in the cgroup" : "",
			strerror(-err));
		return 2;
	}
	worker_setup();
	for (i = 0; !ops || i < ops; i++) {
		if (me)
			__atomic_fetch_add(&me->ops, 1, __ATOMIC_RELAXED);
		else
			replay_ops++;
		tr("#%" PRIu64, i);
		run_one();
	}
	return 0;
}

/* ---- what the loaded module allows --------------------------------------- */

static int read_param(const char *name, char *buf, size_t size)
{
	char path[256];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/sys/module/pktpool/parameters/%s", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n <= 0)
		return -EIO;
	buf[n] = '\0';
	return 0;
}

static int param_u64(const char *name, uint64_t *v)
{
	char buf[256];
	int err = read_param(name, buf, sizeof(buf));

	if (err)
		return err;
	*v = strtoull(buf, NULL, 0);
	return 0;
}

/* The family id and the monitor group's id, through the controller. */
static int resolve_family(void)
{
	struct sockaddr_nl to = { .nl_family = AF_NETLINK };
	struct nlmsghdr *h = (struct nlmsghdr *)nlbuf;
	struct genlmsghdr *g;
	struct nlattr *a, *grp, *ga;
	int fd, left, gleft, galeft;
	ssize_t n;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (fd < 0)
		return -errno;
	memset(nlbuf, 0, 256);
	h->nlmsg_type = GENL_ID_CTRL;
	h->nlmsg_flags = NLM_F_REQUEST;
	h->nlmsg_seq = 1;
	g = NLMSG_DATA(h);
	g->cmd = CTRL_CMD_GETFAMILY;
	g->version = 1;
	h->nlmsg_len = (uint32_t)nla_put(NLMSG_HDRLEN + GENL_HDRLEN,
					 CTRL_ATTR_FAMILY_NAME,
					 PKTPOOL_GENL_NAME,
					 sizeof(PKTPOOL_GENL_NAME));
	if (sendto(fd, nlbuf, h->nlmsg_len, 0, (struct sockaddr *)&to,
		   sizeof(to)) < 0 ||
	    (n = recv(fd, nlbuf, sizeof(nlbuf), 0)) < 0) {
		n = -errno;
		close(fd);
		return (int)n;
	}
	close(fd);
	if (!NLMSG_OK(h, (size_t)n) || h->nlmsg_type != GENL_ID_CTRL)
		return -ENOENT;
	a = (struct nlattr *)((char *)NLMSG_DATA(h) + GENL_HDRLEN);
	left = (int)h->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN;
	for (; left >= NLA_HDRLEN && a->nla_len >= NLA_HDRLEN && a->nla_len <= left;
	     left -= NLA_ALIGN(a->nla_len),
	     a = (struct nlattr *)((char *)a + NLA_ALIGN(a->nla_len))) {
		if ((a->nla_type & NLA_TYPE_MASK) == CTRL_ATTR_FAMILY_ID)
			memcpy(&lim.family, (char *)a + NLA_HDRLEN, 2);
		if ((a->nla_type & NLA_TYPE_MASK) != CTRL_ATTR_MCAST_GROUPS)
			continue;
		grp = (struct nlattr *)((char *)a + NLA_HDRLEN);
		for (gleft = a->nla_len - NLA_HDRLEN;
		     gleft >= NLA_HDRLEN && grp->nla_len >= NLA_HDRLEN &&
		     grp->nla_len <= gleft;
		     gleft -= NLA_ALIGN(grp->nla_len),
		     grp = (struct nlattr *)((char *)grp + NLA_ALIGN(grp->nla_len))) {
			uint32_t id = 0;
			bool monitor = false;

			ga = (struct nlattr *)((char *)grp + NLA_HDRLEN);
			for (galeft = grp->nla_len - NLA_HDRLEN;
			     galeft >= NLA_HDRLEN && ga->nla_len >= NLA_HDRLEN &&
			     ga->nla_len <= galeft;
			     galeft -= NLA_ALIGN(ga->nla_len),
			     ga = (struct nlattr *)((char *)ga + NLA_ALIGN(ga->nla_len))) {
				if (ga->nla_type == CTRL_ATTR_MCAST_GRP_ID)
					memcpy(&id, (char *)ga + NLA_HDRLEN, 4);
				if (ga->nla_type == CTRL_ATTR_MCAST_GRP_NAME)
					monitor = !strcmp((char *)ga + NLA_HDRLEN,
							  PKTPOOL_GENL_MCGRP_MONITOR);
			}
			if (monitor)
				lim.mcgrp = id;
		}
	}
	return lim.family ? 0 : -ENOENT;
}

static int read_limits(void)
{
	struct pktpool_version v;
	uint64_t x;
	int fd, err;

	if ((err = param_u64("region_max_slots", &x)))
		return err;
	lim.max_slots = (uint32_t)x;
	if ((err = param_u64("region_max_bytes", &lim.max_bytes)))
		return err;
	if ((err = param_u64("max_regions", &x)))
		return err;
	lim.max_regions = (uint32_t)x;
	if ((err = param_u64("max_pools", &x)))
		return err;
	lim.max_pools = (uint32_t)x;
	fd = open(PKTPOOL_DEVICE, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	memset(&v, 0, sizeof(v));
	v.size = sizeof(v);
	err = ioctl(fd, PKTPOOL_IOC_VERSION, &v) ? -errno : 0;
	close(fd);
	if (err)
		return err;
	if (!v.nr_classes || v.nr_classes > PKTPOOL_CLASSES_MAX)
		return -EPROTO;
	lim.class_min = v.class_size[0];
	lim.class_max = v.class_size[v.nr_classes - 1];
	err = resolve_family();
	if (err)
		fprintf(stderr, "pktpool_fuzz: generic netlink family: %s\n",
			strerror(-err));
	return err;
}

/* ---- the supervisor ------------------------------------------------------ */

struct fz_opts {
	uint64_t seed;
	unsigned int workers;
	unsigned int seconds;
	uint64_t syscalls;
	const char *cgroup;
	bool kills;
};

static uint64_t slot_seed(uint64_t seed, unsigned int slot, uint32_t gen)
{
	uint64_t s = seed ^ ((uint64_t)(slot + 1) << 48) ^ gen;

	fz_next(&s);
	return fz_next(&s);
}

static bool slot_memcg(const struct fz_opts *o, unsigned int i)
{
	return o->cgroup && (i / FZ_ROLES) % 2;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void spawn(const struct fz_opts *o, unsigned int i)
{
	struct fz_slot *w = &sh->w[i];
	uint64_t k;
	pid_t pid;

	w->role = (int)(i % FZ_ROLES);
	w->memcg = slot_memcg(o, i);
	w->seed = slot_seed(o->seed, i, w->gen);
	k = fz_next(&(uint64_t){ w->seed ^ 0x6b696c6cULL });
	w->kill_at = o->kills && k % 100 < 65 ? 50 + (k >> 8) % 3000 : 0;
	w->ops = 0;
	w->calls = 0;
	w->killed = false;
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		fprintf(stderr, "pktpool_fuzz: fork: %s\n", strerror(errno));
		return;
	}
	if (!pid) {
		setpgid(0, 0);
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		me = w;
		_exit(worker(w->seed, w->role, w->memcg ? o->cgroup : NULL, 0));
	}
	setpgid(pid, pid);
	w->pid = pid;
}

static void replay_hint(const struct fz_opts *o, const struct fz_slot *w)
{
	printf("# replay: pktpool_fuzz --replay %#" PRIx64 " --role %s%s%s --ops %" PRIu64 " --trace\n",
	       w->seed, fz_role_names[w->role], w->memcg ? " --cgroup " : "",
	       w->memcg ? o->cgroup : "", w->ops + 1);
}

static unsigned int live_workers(const struct fz_opts *o)
{
	unsigned int i, n = 0;

	for (i = 0; i < o->workers; i++)
		n += sh->w[i].pid != 0;
	return n;
}

/* Workers that do not go away: where they are in the kernel. */
static void stuck(const struct fz_opts *o)
{
	char path[64], buf[4096];
	unsigned int i;
	ssize_t n;
	int fd;

	for (i = 0; i < o->workers; i++) {
		struct fz_slot *w = &sh->w[i];

		if (!w->pid)
			continue;
		printf("# worker %u (%s%s, seed %#" PRIx64 ", pid %d) stuck after %" PRIu64 " ops, kernel stack:\n",
		       i, fz_role_names[w->role], w->memcg ? ", memcg" : "",
		       w->seed, (int)w->pid, w->ops);
		replay_hint(o, w);
		snprintf(path, sizeof(path), "/proc/%d/stack", (int)w->pid);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue;
		n = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		if (n > 0) {
			char *line, *save = NULL;

			buf[n] = '\0';
			for (line = strtok_r(buf, "\n", &save); line;
			     line = strtok_r(NULL, "\n", &save))
				printf("#   %s\n", line);
		}
	}
}

/* The cgroup's count of OOM kills, from memory.events. */
static uint64_t oom_kills(const struct fz_opts *o)
{
	char path[512], line[128];
	unsigned long long n = 0;
	FILE *f;

	if (!o->cgroup)
		return 0;
	snprintf(path, sizeof(path), "%s/memory.events", o->cgroup);
	f = fopen(path, "re");
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "oom_kill %llu", &n) == 1)
			break;
	fclose(f);
	return n;
}

static int supervise(const struct fz_opts *o)
{
	unsigned int i, started = 0, ours = 0, ooms = 0, bad = 0, live;
	double start = now_s(), last = start, t, stop_at = 0, progress_at = start;
	uint64_t total = 0, last_total = 0;
	bool stopping = false;
	int status;
	pid_t pid;

	uint64_t oom_base = oom_kills(o);

	prctl(PR_SET_CHILD_SUBREAPER, 1);
	for (i = 0; i < o->workers; i++) {
		spawn(o, i);
		started++;
	}
	for (;;) {
		while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
			struct fz_slot *w = NULL;

			for (i = 0; i < o->workers; i++)
				if (sh->w[i].pid == pid)
					w = &sh->w[i];
			if (!w)
				continue;	/* an orphaned child of a worker */
			sh->calls += w->calls;
			w->pid = 0;
			if (WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL &&
			    (w->killed || stopping)) {
				ours++;
			} else if (WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL &&
				   w->memcg) {
				ooms++;	/* the cgroup's OOM killer */
			} else {
				bad++;
				printf("# worker %u gen %u (%s%s, seed %#" PRIx64 ") %s %d%s after %" PRIu64 " ops\n",
				       (unsigned int)(w - sh->w), w->gen,
				       fz_role_names[w->role],
				       w->memcg ? ", memcg" : "", w->seed,
				       WIFSIGNALED(status) ? "died of signal" :
				       "exited with status",
				       WIFSIGNALED(status) ? WTERMSIG(status) :
				       WEXITSTATUS(status),
				       WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL ?
				       " not sent by the fuzzer (a kernel oops kills with SIGKILL)" :
				       "", w->ops);
				replay_hint(o, w);
			}
			w->gen++;
			/* After a failure the kernel may be wedged: stop. */
			if (!stopping && !bad) {
				spawn(o, (unsigned int)(w - sh->w));
				started++;
			}
		}
		if (stopping && !live_workers(o))
			break;
		if (stopping) {
			if (now_s() - stop_at > 60) {
				stuck(o);
				bad++;
				break;
			}
			usleep(20000);
			continue;
		}
		total = sh->calls;
		live = 0;
		for (i = 0; i < o->workers; i++) {
			struct fz_slot *w = &sh->w[i];

			if (!w->pid)
				continue;
			live++;
			total += w->calls;
			if (w->kill_at && w->ops >= w->kill_at && !w->killed) {
				w->killed = true;
				kill(-w->pid, SIGKILL);
				kill(w->pid, SIGKILL);
			}
		}
		t = now_s();
		if (total != last_total) {
			last_total = total;
			progress_at = t;
		}
		if (t - progress_at > 120) {
			printf("# no system call finished in 120 s\n");
			stuck(o);
			bad++;
			stopping = true;
		}
		if ((o->syscalls && total >= o->syscalls) ||
		    (o->seconds && t - start >= o->seconds) || !live || bad) {
			stopping = true;
			stop_at = t;
			for (i = 0; i < o->workers; i++)
				if (sh->w[i].pid) {
					kill(-sh->w[i].pid, SIGKILL);
					kill(sh->w[i].pid, SIGKILL);
				}
			continue;
		}
		if (t - last >= 30) {
			printf("# %" PRIu64 " syscalls after %.0f s, %u workers started\n",
			       total, t - start, started);
			fflush(stdout);
			last = t;
		}
		usleep(20000);
	}
	/* Orphans of killed workers come to us as the subreaper. */
	while (!bad && (waitpid(-1, &status, 0) > 0 || errno == EINTR))
		;
	/* A SIGKILL in the cgroup that its OOM killer did not send: an oops. */
	if (ooms > oom_kills(o) - oom_base) {
		printf("# %u workers in the cgroup died of SIGKILL, its OOM killer killed %" PRIu64 "\n",
		       ooms, oom_kills(o) - oom_base);
		bad++;
	}
	printf("# fuzz: %" PRIu64 " syscalls in %.0f s: %u workers started, %u killed by the fuzzer, %u by the OOM killer, %u ended badly\n",
	       sh->calls, now_s() - start, started, ours, ooms, bad);
	printf("# got through:");
	for (i = 0; i < FZ_STATS; i++)
		printf(" %s %" PRIu64, fz_stat_names[i], sh->stat[i]);
	printf("\n# syscalls: %" PRIu64 "\n", sh->calls);
	return bad ? 1 : 0;
}

/* ---- after the run: nothing left, every byte usable again ---------------- */

static int open_dev(void)
{
	int fd = open(PKTPOOL_DEVICE, O_RDWR | O_CLOEXEC);

	if (fd < 0)
		fprintf(stderr, "pktpool_fuzz: %s: %s\n", PKTPOOL_DEVICE,
			strerror(errno));
	return fd;
}

static int list_ids(int fd, bool region, uint32_t *ids, uint32_t cap)
{
	struct pktpool_pool_list l;

	memset(&l, 0, sizeof(l));
	l.size = sizeof(l);
	l.capacity = cap;
	l.ids_ptr = (uint64_t)(uintptr_t)ids;
	if (ioctl(fd, region ? PKTPOOL_IOC_REGION_LIST : PKTPOOL_IOC_POOL_LIST,
		  &l))
		return -errno;
	return (int)l.count;
}

/*
 * Every worker is gone: no region may be attached or mapped, and no
 * anonymous one may be left. Destroy the named regions and the pools the
 * workers left (they may), then nothing at all must be left.
 */
static int cleanup(void)
{
	struct pktpool_region_info ri;
	struct pktpool_pool_info pi;
	struct pktpool_pool_id d;
	int fd = open_dev(), n, i, rc = 0;

	if (fd < 0)
		return 2;
	n = list_ids(fd, true, ids_out, 8192);
	for (i = 0; i < n; i++) {
		memset(&ri, 0, sizeof(ri));
		ri.size = sizeof(ri);
		ri.id = ids_out[i];
		if (ioctl(fd, PKTPOOL_IOC_REGION_INFO, &ri)) {
			printf("# region %u: info: %s\n", ids_out[i], strerror(errno));
			rc = 1;
			continue;
		}
		printf("# region %u '%s' left: %llu bytes, %llu attached, %llu mappings\n",
		       ri.id, ri.name, (unsigned long long)ri.mmap_size,
		       (unsigned long long)ri.attached,
		       (unsigned long long)ri.mappings);
		if (ri.attached || ri.mappings || !ri.name[0]) {
			printf("# region %u is still in use with no process left\n",
			       ri.id);
			rc = 1;
			continue;
		}
		memset(&d, 0, sizeof(d));
		d.size = sizeof(d);
		d.id = ri.id;
		if (ioctl(fd, PKTPOOL_IOC_REGION_DESTROY, &d)) {
			printf("# region %u: destroy: %s\n", ri.id, strerror(errno));
			rc = 1;
		}
	}
	n = list_ids(fd, false, ids_out, 8192);
	for (i = 0; i < n; i++) {
		memset(&pi, 0, sizeof(pi));
		pi.size = sizeof(pi);
		pi.id = ids_out[i];
		if (ioctl(fd, PKTPOOL_IOC_POOL_INFO, &pi))
			continue;
		if (pi.in_use || pi.holders) {
			printf("# pool %u '%s': %llu in use, %llu holders\n", pi.id,
			       pi.name, (unsigned long long)pi.in_use,
			       (unsigned long long)pi.holders);
			rc = 1;
		}
		memset(&d, 0, sizeof(d));
		d.size = sizeof(d);
		d.id = pi.id;
		if (ioctl(fd, PKTPOOL_IOC_POOL_DESTROY, &d)) {
			printf("# pool %u: destroy: %s\n", pi.id, strerror(errno));
			rc = 1;
		}
	}
	n = list_ids(fd, true, ids_out, 8192);
	i = list_ids(fd, false, ids_out, 8192);
	printf("# after cleanup: %d regions, %d pools\n", n, i);
	if (n || i)
		rc = 1;
	close(fd);
	return rc;
}

static int create_anon(int fd, uint32_t slot_size, uint32_t slot_count,
		       uint64_t *size)
{
	struct pktpool_region_create c;

	memset(&c, 0, sizeof(c));
	c.size = sizeof(c);
	c.slot_size = slot_size;
	c.slot_count = slot_count;
	c.node = -1;
	c.mode = 0600;
	if (ioctl(fd, PKTPOOL_IOC_REGION_CREATE, &c))
		return -errno;
	*size = c.mmap_size;
	return 0;
}

/*
 * region_max_bytes, all of it, in anonymous regions: the largest regions
 * of 64 KiB slots that leave room for a last one, then one of a single
 * slot that takes exactly what is left. Then not one more page fits.
 */
static int fill(void)
{
	uint64_t left = lim.max_bytes, want, got, n, lo, hi;
	unsigned int made = 0;
	uint32_t slot_size, count;
	int fd = open_dev(), err, rc = 0;
	const uint64_t min = region_bytes(1, 64), one_max = region_bytes(1, 65536);

	if (fd < 0)
		return 2;
	if (left % FZ_PAGE || left < min) {
		printf("# region_max_bytes %llu cannot be filled exactly\n",
		       (unsigned long long)left);
		return 2;
	}
	while (left) {
		if (left <= one_max) {
			slot_size = (uint32_t)(left - (min - FZ_PAGE));
			count = 1;
		} else {
			/* Largest n with region_bytes(n, 64K) <= left - min. */
			lo = 0;
			hi = lim.max_slots;
			while (lo < hi) {
				n = (lo + hi + 1) / 2;
				if (region_bytes(n, 65536) <= left - min)
					lo = n;
				else
					hi = n - 1;
			}
			if (lo) {
				slot_size = 65536;
				count = (uint32_t)lo;
			} else {
				slot_size = (uint32_t)(left - min - (min - FZ_PAGE));
				count = 1;
			}
		}
		want = region_bytes(count, slot_size);
		err = create_anon(fd, slot_size, count, &got);
		if (err || got != want) {
			printf("# region %u of %u x %u bytes (%llu of %llu left): %s, size %llu\n",
			       made + 1, count, slot_size, (unsigned long long)want,
			       (unsigned long long)left, err ? strerror(-err) : "made",
			       err ? 0ULL : (unsigned long long)got);
			rc = 1;
			break;
		}
		made++;
		left -= want;
	}
	if (!rc) {
		err = create_anon(fd, 64, 1, &got);
		if (err != -ENOSPC) {
			printf("# one more region once region_max_bytes is used: %s\n",
			       err ? strerror(-err) : "made");
			rc = 1;
		}
	}
	printf("# %u regions made %llu of region_max_bytes %llu\n", made,
	       (unsigned long long)(lim.max_bytes - left),
	       (unsigned long long)lim.max_bytes);
	close(fd);
	/* Anonymous: gone with the file. */
	fd = open_dev();
	if (fd < 0)
		return 2;
	err = list_ids(fd, true, ids_out, 8192);
	if (err) {
		printf("# %d regions left after their only file closed\n", err);
		rc = 1;
	}
	close(fd);
	return rc;
}

/* ---- main ---------------------------------------------------------------- */

static void usage(FILE *f)
{
	fprintf(f,
		"usage: pktpool_fuzz [options]        fuzz with workers until a limit\n"
		"       pktpool_fuzz --replay SEED --role ROLE [--ops N] [--cgroup DIR] [--trace]\n"
		"       pktpool_fuzz --cleanup | --fill\n"
		"options:\n"
		"  --seed N       master seed (default: from the clock), printed first\n"
		"  --workers N    worker processes at a time (default 6, at most %d)\n"
		"  --seconds N    stop after N seconds\n"
		"  --syscalls N   stop after N system calls in all (default 200000\n"
		"                 when --seconds is not given)\n"
		"  --cgroup DIR   a cgroup v2 directory; half the workers run in it\n"
		"  --no-kill      the supervisor kills no worker\n"
		"  --trace        print every call (stderr)\n"
		"roles: root, nocap (root without CAP_NET_ADMIN), nobody\n",
		FZ_MAX_WORKERS);
}

int main(int argc, char **argv)
{
	struct fz_opts o = { .workers = 6, .kills = true };
	uint64_t replay = 0, ops = 0;
	bool have_seed = false, do_replay = false, do_cleanup = false;
	bool do_fill = false;
	int i, role = FZ_ROOT, rc;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(a, "--seed") && v) {
			o.seed = strtoull(v, NULL, 0);
			have_seed = true;
			i++;
		} else if (!strcmp(a, "--workers") && v) {
			o.workers = (unsigned int)strtoul(v, NULL, 0);
			i++;
		} else if (!strcmp(a, "--seconds") && v) {
			o.seconds = (unsigned int)strtoul(v, NULL, 0);
			i++;
		} else if (!strcmp(a, "--syscalls") && v) {
			o.syscalls = strtoull(v, NULL, 0);
			i++;
		} else if (!strcmp(a, "--cgroup") && v) {
			o.cgroup = v;
			i++;
		} else if (!strcmp(a, "--ops") && v) {
			ops = strtoull(v, NULL, 0);
			i++;
		} else if (!strcmp(a, "--replay") && v) {
			replay = strtoull(v, NULL, 0);
			do_replay = true;
			i++;
		} else if (!strcmp(a, "--role") && v) {
			for (role = 0; role < FZ_ROLES; role++)
				if (!strcmp(v, fz_role_names[role]))
					break;
			if (role == FZ_ROLES) {
				usage(stderr);
				return 2;
			}
			i++;
		} else if (!strcmp(a, "--no-kill")) {
			o.kills = false;
		} else if (!strcmp(a, "--trace")) {
			trace = true;
		} else if (!strcmp(a, "--cleanup")) {
			do_cleanup = true;
		} else if (!strcmp(a, "--fill")) {
			do_fill = true;
		} else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			usage(stdout);
			return 0;
		} else {
			usage(stderr);
			return 2;
		}
	}
	if (!o.workers || o.workers > FZ_MAX_WORKERS) {
		usage(stderr);
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	rc = read_limits();
	if (rc && rc != -ENOENT && !lim.max_bytes) {
		fprintf(stderr, "pktpool_fuzz: is pktpool loaded? %s\n",
			strerror(-rc));
		return 2;
	}
	if (do_cleanup)
		return cleanup();
	if (do_fill)
		return fill();
	if (do_replay) {
		printf("# replaying worker seed %#" PRIx64 " as %s%s\n", replay,
		       fz_role_names[role], o.cgroup ? " in the cgroup" : "");
		rc = worker(replay, role, o.cgroup, ops ? ops : 100000);
		printf("# %" PRIu64 " syscalls\n", local_calls);
		return rc;
	}
	if (!have_seed)
		o.seed = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32);
	if (!o.seconds && !o.syscalls)
		o.syscalls = 200000;
	printf("# seed %#" PRIx64 "\n", o.seed);
	printf("# limits: region_max_bytes %llu, region_max_slots %u, max_regions %u, max_pools %u, classes %u..%u, netlink family %u group %u\n",
	       (unsigned long long)lim.max_bytes, lim.max_slots, lim.max_regions,
	       lim.max_pools, lim.class_min, lim.class_max, lim.family, lim.mcgrp);
	printf("# %u workers (%s), %s%s, stop after %s%" PRIu64 "%s\n", o.workers,
	       "root, nocap, nobody in turn", o.cgroup ? "half in cgroup " : "no cgroup",
	       o.cgroup ? o.cgroup : "", o.seconds ? "seconds: " : "syscalls: ",
	       o.seconds ? (uint64_t)o.seconds : o.syscalls, "");
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED) {
		perror("pktpool_fuzz: mmap");
		return 2;
	}
	sh->lim = lim;
	return supervise(&o);
}
