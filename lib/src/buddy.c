// SPDX-License-Identifier: MIT
/*
 * Buddy allocator over one region, on the public region API: the region
 * (slot size 64 KiB) is only memory here; the allocator's state lives in
 * a file of its own, mapped shared by every process:
 *
 *   struct buddy_hdr   one page: magic, geometry, busy flag, counters,
 *                      the free-list head of each order
 *   u8  state[units]   per 64-byte unit: 0 inside a block, else the head
 *                      of a block: BH_HEAD | BH_USED? | order
 *   u32 next[units]    free-list links of free heads
 *   u32 prev[units]
 *
 * Hostile: anyone who can open the file may write anything. Every unit
 * index, state byte and link read from it is checked where it is used
 * (in range, aligned to its order, the state it must have, the link back
 * agreeing) and every walk is bounded by the unit count; what fails is
 * -EUCLEAN. The geometry (units, base, length) is private.
 *
 * Every call holds the set's process mutex and an OFD write lock on the
 * file, and marks busy while it changes anything. A call that finds busy
 * set holds the lock, so its writer died mid-way (or someone wrote it):
 * it rebuilds the free lists from the unit map (repair()), in which a
 * block counts as allocated only under a valid used head, so nothing in
 * use is handed out again. Allocation marks a block used last, free marks
 * it free last: a death in between leaves it used (lost, not shared).
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "libpktpool.h"

#define EXPORT	__attribute__((visibility("default")))

#define BUDDY_MAGIC	0x3159444455424b50ull	/* "PKBUDDY1" */
#define BUDDY_VERSION	1u
#define BUDDY_DIR	"/dev/shm"
#define UNIT		64u
#define SB_UNITS	1024u		/* units of a 64 KiB block */
#define TOP		(PKTPOOL_BUDDY_ORDERS - 1)
#define NIL		0xffffffffu
#define HDR_SIZE	4096u

#define BH_HEAD		0x80u
#define BH_USED		0x40u
#define BH_ORDER	0x0fu

struct buddy_hdr {
	uint64_t magic;
	uint32_t version;
	uint32_t nsb;		/* 64 KiB blocks = the region's slots */
	uint32_t busy;		/* a call is changing the state */
	uint32_t __pad;
	uint64_t allocs, frees, failures, repairs;
	uint32_t head[PKTPOOL_BUDDY_ORDERS];
};

struct pktpool_buddy {
	pthread_mutex_t lock;
	struct pktpool *region;
	int fd;
	pid_t pid;		/* whose fd: a fork child opens its own */
	unsigned char *base;	/* the region's slots, this process */
	uint64_t len;
	uint32_t units;
	void *map;		/* the state file */
	size_t map_len;
	struct buddy_hdr *h;
	unsigned char *state;
	uint32_t *next, *prev;
};

static size_t meta_size(uint32_t units)
{
	return HDR_SIZE + (size_t)units * (1 + 4 + 4);
}

static bool name_ok(const char *name)
{
	size_t i, len = strnlen(name, PKTPOOL_NAME_MAX);

	if (len == 0 || len >= PKTPOOL_NAME_MAX)
		return false;
	for (i = 0; i < len; i++)
		if (!((name[i] >= 'a' && name[i] <= 'z') ||
		      (name[i] >= '0' && name[i] <= '9') ||
		      name[i] == '_' || name[i] == '-'))
			return false;
	return true;
}

static void meta_path(char *buf, size_t len, const char *name)
{
	snprintf(buf, len, BUDDY_DIR "/pktpool-buddy.%s", name);
}

/* ------------------------------------------------------------------ */
/* Locking: the process mutex, then the file's OFD lock. */

static int lock(struct pktpool_buddy *b, int *cs)
{
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
	int fd;

	pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, cs);
	pthread_mutex_lock(&b->lock);
	if (b->pid != getpid()) {
		char self[64];

		/* forked: the OFD lock goes with the open file, which the
		 * parent shares; open our own */
		snprintf(self, sizeof(self), "/proc/self/fd/%d", b->fd);
		fd = open(self, O_RDWR | O_CLOEXEC);
		if (fd < 0)
			goto fail;
		close(b->fd);
		b->fd = fd;
		b->pid = getpid();
	}
	while (fcntl(b->fd, F_OFD_SETLKW, &fl))
		if (errno != EINTR)
			goto fail;
	return 0;
fail:
	fd = -errno;
	pthread_mutex_unlock(&b->lock);
	pthread_setcancelstate(*cs, cs);
	return fd;
}

static void unlock(struct pktpool_buddy *b, int cs)
{
	struct flock fl = { .l_type = F_UNLCK, .l_whence = SEEK_SET };

	fcntl(b->fd, F_OFD_SETLK, &fl);
	pthread_mutex_unlock(&b->lock);
	pthread_setcancelstate(cs, &cs);
}

/* ------------------------------------------------------------------ */
/* Free lists. Each check is of shared, hostile values. */

static bool is_free_head(const struct pktpool_buddy *b, uint32_t u, uint32_t k)
{
	return u < b->units && (u & ((1u << k) - 1)) == 0 &&
	       b->state[u] == (BH_HEAD | k);
}

static void push(struct pktpool_buddy *b, uint32_t u, uint32_t k)
{
	uint32_t first = b->h->head[k];

	b->state[u] = (unsigned char)(BH_HEAD | k);
	b->prev[u] = NIL;
	b->next[u] = is_free_head(b, first, k) ? first : NIL;
	if (b->next[u] != NIL)
		b->prev[first] = u;
	b->h->head[k] = u;
}

/* Take free head u off list k: -EUCLEAN unless its links agree. */
static int unlink_free(struct pktpool_buddy *b, uint32_t u, uint32_t k)
{
	uint32_t n, p;

	if (!is_free_head(b, u, k))
		return -EUCLEAN;
	n = b->next[u];		/* u is in range only now */
	p = b->prev[u];
	if (p == NIL ? b->h->head[k] != u :
	    !is_free_head(b, p, k) || b->next[p] != u)
		return -EUCLEAN;
	if (n != NIL && (!is_free_head(b, n, k) || b->prev[n] != u))
		return -EUCLEAN;
	if (p == NIL)
		b->h->head[k] = n;
	else
		b->next[p] = n;
	if (n != NIL)
		b->prev[n] = p;
	b->next[u] = b->prev[u] = NIL;
	return 0;
}

/*
 * Rebuild the free lists from the unit map. A used head of a valid order
 * that is aligned stays used with the units it covers; every other unit
 * is free, carved into the largest aligned blocks. Returns free bytes.
 */
static uint64_t repair(struct pktpool_buddy *b)
{
	uint32_t u = 0, k, run = NIL;
	uint64_t freed = 0;

	for (k = 0; k < PKTPOOL_BUDDY_ORDERS; k++)
		b->h->head[k] = NIL;
	while (u <= b->units) {
		unsigned char st = u < b->units ? b->state[u] : 0;
		uint32_t end = u + 1;

		k = st & BH_ORDER;
		if (u < b->units && (st & ~BH_ORDER) == (BH_HEAD | BH_USED) &&
		    k <= TOP && (u & ((1u << k) - 1)) == 0)
			end = u + (1u << k);
		else if (u < b->units) {
			if (run == NIL)
				run = u;
			b->state[u] = 0;
			u++;
			continue;
		}
		/* a used block (or the end): the free run before it */
		while (run != NIL && run < u) {
			for (k = TOP; k > 0; k--)
				if ((run & ((1u << k) - 1)) == 0 &&
				    run + (1u << k) <= u)
					break;
			push(b, run, k);
			freed += (uint64_t)UNIT << k;
			run += 1u << k;
		}
		run = NIL;
		if (u == b->units)
			break;
		memset(b->state + u + 1, 0, end - u - 1);
		u = end;
	}
	b->h->repairs++;
	return freed;
}

/* Start a change: repair first if the last one was cut short. */
static void begin(struct pktpool_buddy *b)
{
	if (b->h->busy)
		repair(b);
	b->h->busy = 1;
}

static void end(struct pktpool_buddy *b)
{
	b->h->busy = 0;
}

/* ------------------------------------------------------------------ */

static uint32_t order_of(size_t bytes)
{
	uint32_t k = 0;

	while (((size_t)UNIT << k) < bytes)
		k++;
	return k;
}

EXPORT void *pktpool_buddy_alloc(struct pktpool_buddy *b, size_t bytes)
{
	uint32_t k, j, u, bud;
	int err, cs;

	if (!b) {
		errno = EINVAL;
		return NULL;
	}
	if (bytes == 0 || bytes > PKTPOOL_BUDDY_MAX) {
		errno = EMSGSIZE;
		return NULL;
	}
	k = order_of(bytes);
	err = lock(b, &cs);
	if (err) {
		errno = -err;
		return NULL;
	}
	begin(b);
	for (j = k; j <= TOP; j++)
		if (b->h->head[j] != NIL)
			break;
	if (j > TOP) {
		b->h->failures++;
		end(b);
		unlock(b, cs);
		errno = ENOMEM;
		return NULL;
	}
	u = b->h->head[j];
	err = unlink_free(b, u, j);
	if (err) {
		/* leave busy set: the next call rebuilds */
		unlock(b, cs);
		errno = EUCLEAN;
		return NULL;
	}
	while (j > k) {
		j--;
		bud = u + (1u << j);
		push(b, bud, j);
	}
	b->state[u] = (unsigned char)(BH_HEAD | BH_USED | k);
	b->h->allocs++;
	end(b);
	unlock(b, cs);
	return b->base + (size_t)u * UNIT;
}

EXPORT int pktpool_buddy_free(struct pktpool_buddy *b, void *obj)
{
	uint64_t off;
	uint32_t u, k, bud;
	unsigned char st;
	int err, cs;

	if (!b)
		return -EINVAL;
	if (!obj)
		return 0;
	off = (uint64_t)((uintptr_t)obj - (uintptr_t)b->base);
	if (off >= b->len)
		return -EFAULT;
	if (off % UNIT)
		return -EINVAL;
	u = (uint32_t)(off / UNIT);
	err = lock(b, &cs);
	if (err)
		return err;
	begin(b);
	st = b->state[u];
	k = st & BH_ORDER;
	if ((st & BH_HEAD) && !(st & BH_USED) && k <= TOP)
		err = -EALREADY;
	else if (st != (BH_HEAD | BH_USED | k) || k > TOP ||
		 (u & ((1u << k) - 1)))
		err = -EINVAL;
	if (err) {
		end(b);
		unlock(b, cs);
		return err;
	}
	/* merge while the buddy is a free block of the same order */
	while (k < TOP) {
		bud = u ^ (1u << k);
		if (!is_free_head(b, bud, k))
			break;
		err = unlink_free(b, bud, k);
		if (err) {
			unlock(b, cs);	/* busy stays: the next call rebuilds */
			return err;
		}
		b->state[bud > u ? bud : u] = 0;
		u = bud < u ? bud : u;
		k++;
		/* u's head now stands for the merged block, still used */
		b->state[u] = (unsigned char)(BH_HEAD | BH_USED | k);
	}
	push(b, u, k);
	b->h->frees++;
	end(b);
	unlock(b, cs);
	return 0;
}

EXPORT size_t pktpool_buddy_usable_size(struct pktpool_buddy *b,
					const void *obj)
{
	uint64_t off;
	unsigned char st;
	uint32_t u;
	int cs;

	if (!b)
		return 0;
	off = (uint64_t)((uintptr_t)obj - (uintptr_t)b->base);
	if (off >= b->len || off % UNIT)
		return 0;
	u = (uint32_t)(off / UNIT);
	if (lock(b, &cs))
		return 0;
	st = b->state[u];	/* once: checked, then used */
	unlock(b, cs);
	if ((st & (BH_HEAD | BH_USED)) != (BH_HEAD | BH_USED) ||
	    (st & BH_ORDER) > TOP || (u & ((1u << (st & BH_ORDER)) - 1)))
		return 0;
	return (size_t)UNIT << (st & BH_ORDER);
}

EXPORT int pktpool_buddy_stats(struct pktpool_buddy *b,
			       struct pktpool_buddy_stats *st)
{
	uint32_t u, k;
	int err, cs;

	if (!b || !st)
		return -EINVAL;
	memset(st, 0, sizeof(*st));
	err = lock(b, &cs);
	if (err)
		return err;
	if (b->h->busy) {
		b->h->busy = 1;
		repair(b);
		b->h->busy = 0;
	}
	st->size = b->len;
	/* the unit map, by heads: bounded by the unit count */
	for (u = 0; u < b->units;) {
		unsigned char s = b->state[u];
		uint64_t bytes;

		k = s & BH_ORDER;
		if (!(s & BH_HEAD) || k > TOP || (u & ((1u << k) - 1))) {
			u++;	/* not a head (only after corruption) */
			continue;
		}
		bytes = (uint64_t)UNIT << k;
		if (s & BH_USED) {
			st->used_bytes += bytes;
			st->used_blocks++;
		} else {
			st->free_bytes += bytes;
			st->free_blocks[k]++;
			if (bytes > st->largest_free)
				st->largest_free = bytes;
		}
		u += 1u << k;
	}
	/* the share of free memory that cannot serve a 64 KiB request */
	if (st->free_bytes)
		st->fragmentation = (uint32_t)((st->free_bytes -
			st->free_blocks[TOP] * PKTPOOL_BUDDY_MAX) * 100 /
			st->free_bytes);
	st->allocs = b->h->allocs;
	st->frees = b->h->frees;
	st->failures = b->h->failures;
	st->repairs = b->h->repairs;
	unlock(b, cs);
	return 0;
}

EXPORT long long pktpool_buddy_repair(struct pktpool_buddy *b)
{
	uint64_t freed;
	int err, cs;

	if (!b)
		return -EINVAL;
	err = lock(b, &cs);
	if (err)
		return err;
	b->h->busy = 1;
	freed = repair(b);
	b->h->busy = 0;
	unlock(b, cs);
	return (long long)freed;
}

/* ------------------------------------------------------------------ */
/* Create, attach, detach, unlink. */

static int map_meta(struct pktpool_buddy *b)
{
	b->map_len = meta_size(b->units);
	b->map = mmap(NULL, b->map_len, PROT_READ | PROT_WRITE, MAP_SHARED,
		      b->fd, 0);
	if (b->map == MAP_FAILED) {
		b->map = NULL;
		return -errno;
	}
	b->h = b->map;
	b->state = (unsigned char *)b->map + HDR_SIZE;
	b->next = (uint32_t *)(b->state + b->units);
	b->prev = b->next + b->units;
	return 0;
}

static void destroy(struct pktpool_buddy *b)
{
	if (b->map)
		munmap(b->map, b->map_len);
	if (b->fd >= 0)
		close(b->fd);
	if (b->region)
		pktpool_detach(b->region);
	pthread_mutex_destroy(&b->lock);
	free(b);
}

static struct pktpool_buddy *buddy_new(void)
{
	struct pktpool_buddy *b = calloc(1, sizeof(*b));

	if (!b)
		return NULL;
	pthread_mutex_init(&b->lock, NULL);
	b->fd = -1;
	b->pid = getpid();
	return b;
}

static void set_region(struct pktpool_buddy *b, struct pktpool *p)
{
	b->region = p;
	b->base = pktpool_idx_to_ptr(p, 0);
	b->units = pktpool_slot_count(p) * SB_UNITS;
	b->len = (uint64_t)b->units * UNIT;
}

static int create(const struct pktpool_buddy_config *cfg,
		  struct pktpool_buddy **out)
{
	bool named = cfg->name && cfg->name[0];
	mode_t mode = cfg->mode ? cfg->mode : 0600;
	struct pktpool_config rc = {
		.name = cfg->name, .slot_size = PKTPOOL_BUDDY_MAX,
		.slot_count = (uint32_t)(cfg->size / PKTPOOL_BUDDY_MAX),
		.mode = cfg->mode, .flags = PKTPOOL_F_NOCACHE,
	};
	char path[PKTPOOL_NAME_MAX + 32];
	struct pktpool_buddy *b;
	struct pktpool *p;
	struct stat st;
	uint32_t k, sb;
	int err;

	b = buddy_new();
	if (!b)
		return -ENOMEM;
	if (named) {
		meta_path(path, sizeof(path), cfg->name);
		if (stat(path, &st) == 0) {
			err = -EEXIST;
			goto fail;
		}
		b->fd = open(BUDDY_DIR, O_TMPFILE | O_RDWR | O_CLOEXEC, mode);
	} else {
		b->fd = memfd_create("pktpool-buddy", MFD_CLOEXEC);
	}
	if (b->fd < 0) {
		err = -errno;
		goto fail;
	}
	b->units = rc.slot_count * SB_UNITS;
	if (fchmod(b->fd, mode) ||
	    ftruncate(b->fd, (off_t)meta_size(b->units))) {
		err = -errno;
		goto fail;
	}
	err = map_meta(b);
	if (err)
		goto fail;
	err = pktpool_create(&rc, &p);
	if (err)
		goto fail;
	set_region(b, p);
	b->h->magic = 0;
	b->h->version = BUDDY_VERSION;
	b->h->nsb = rc.slot_count;
	for (k = 0; k < PKTPOOL_BUDDY_ORDERS; k++)
		b->h->head[k] = NIL;
	for (sb = rc.slot_count; sb-- > 0;)
		push(b, sb * SB_UNITS, TOP);
	b->h->magic = BUDDY_MAGIC;
	if (named && linkat(b->fd, "", AT_FDCWD, path, AT_EMPTY_PATH)) {
		char self[64];

		snprintf(self, sizeof(self), "/proc/self/fd/%d", b->fd);
		if (linkat(AT_FDCWD, self, AT_FDCWD, path, AT_SYMLINK_FOLLOW)) {
			err = -errno;
			pktpool_unlink(cfg->name);
			goto fail;
		}
	}
	*out = b;
	return 0;
fail:
	destroy(b);
	return err;
}

EXPORT int pktpool_buddy_create(const struct pktpool_buddy_config *cfg,
				struct pktpool_buddy **out)
{
	int err, cs;
	unsigned int i;

	if (!cfg || !out || cfg->flags || cfg->mode > 07777 ||
	    cfg->size == 0 || cfg->size % PKTPOOL_BUDDY_MAX ||
	    cfg->size > PKTPOOL_BUDDY_SIZE_MAX ||
	    (cfg->name && cfg->name[0] && !name_ok(cfg->name)))
		return -EINVAL;
	for (i = 0; i < 4; i++)
		if (cfg->__reserved[i])
			return -EINVAL;
	pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, &cs);
	err = create(cfg, out);
	pthread_setcancelstate(cs, &cs);
	return err;
}

static int attach(const char *name, struct pktpool_buddy **out)
{
	char path[PKTPOOL_NAME_MAX + 32];
	struct pktpool_buddy *b;
	struct pktpool *p;
	struct stat st;
	int err;

	b = buddy_new();
	if (!b)
		return -ENOMEM;
	meta_path(path, sizeof(path), name);
	b->fd = open(path, O_RDWR | O_CLOEXEC);
	if (b->fd < 0) {
		err = -errno;
		goto fail;
	}
	err = pktpool_attach(name, PKTPOOL_F_NOCACHE, &p);
	if (err)
		goto fail;
	b->region = p;
	err = -EUCLEAN;
	/* the geometry is the region's; the file must fit it exactly */
	if (pktpool_slot_size(p) != PKTPOOL_BUDDY_MAX ||
	    (uint64_t)pktpool_slot_count(p) * PKTPOOL_BUDDY_MAX >
	    PKTPOOL_BUDDY_SIZE_MAX)
		goto fail;
	set_region(b, p);
	if (fstat(b->fd, &st) || (uint64_t)st.st_size != meta_size(b->units))
		goto fail;
	err = map_meta(b);
	if (err)
		goto fail;
	if (b->h->magic != BUDDY_MAGIC || b->h->version != BUDDY_VERSION ||
	    b->h->nsb != pktpool_slot_count(p)) {
		err = -EUCLEAN;
		goto fail;
	}
	*out = b;
	return 0;
fail:
	destroy(b);
	return err;
}

EXPORT int pktpool_buddy_attach(const char *name, struct pktpool_buddy **out)
{
	int err, cs;

	if (!name || !out || !name_ok(name))
		return -EINVAL;
	pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, &cs);
	err = attach(name, out);
	pthread_setcancelstate(cs, &cs);
	return err;
}

EXPORT int pktpool_buddy_detach(struct pktpool_buddy *b)
{
	int cs;

	if (!b)
		return -EINVAL;
	pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, &cs);
	destroy(b);
	pthread_setcancelstate(cs, &cs);
	return 0;
}

EXPORT int pktpool_buddy_unlink(const char *name)
{
	char path[PKTPOOL_NAME_MAX + 32];
	int err, err2;

	if (!name || !name_ok(name))
		return -EINVAL;
	meta_path(path, sizeof(path), name);
	err = unlink(path) ? -errno : 0;
	err2 = pktpool_unlink(name);
	return err ? err : err2;
}
