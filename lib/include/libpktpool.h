/* SPDX-License-Identifier: MIT */
/*
 * libpktpool: fixed-size packet buffers in memory shared by threads and
 * processes.
 *
 * A region holds slot_count slots of slot_size bytes each. Any thread of any
 * process that has the region attached may allocate a slot and any other may
 * free it. Slots are named across processes by their index, which
 * pktpool_idx_to_ptr() and pktpool_ptr_to_idx() turn into this process's
 * address and back.
 *
 * Errors are negative errno values; no call aborts on bad input. The region
 * lives in shared memory that any attached process can scribble on, so the
 * library treats every value it reads from the region as untrusted: the
 * geometry is kept in a private copy, every index is bounds-checked, every
 * walk is bounded. What it finds is returned as -EUCLEAN (broken structure)
 * or -EBADMSG (counts or slot contents that do not add up) and reported
 * through the error handler (pktpool_set_error_handler()).
 *
 * The alloc/free fast path is inline below: it touches only the calling
 * thread's cache, which lives in the region but is written by that thread
 * alone. Everything else is out of line in the library.
 *
 * C11 or later, or C++11 or later (GCC or Clang: the inline functions use
 * the __atomic builtins, so this header needs no <stdatomic.h>).
 */
#ifndef LIBPKTPOOL_H
#define LIBPKTPOOL_H

#ifndef __cplusplus
#include <stdbool.h>
#endif
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

#define PKTPOOL_LIB_VERSION_MAJOR	1
#define PKTPOOL_LIB_VERSION_MINOR	4

/* Geometry bounds. */
#define PKTPOOL_SLOT_SIZE_MIN	64u
#define PKTPOOL_SLOT_SIZE_MAX	65536u
#define PKTPOOL_SLOT_ALIGN	64u		/* slot_size is a multiple */
#define PKTPOOL_SLOT_COUNT_MAX	(1u << 26)
#define PKTPOOL_REGION_SIZE_MAX	(1ull << 38)	/* whole region, bytes */

#define PKTPOOL_NAME_MAX	32	/* bytes including the NUL */
#define PKTPOOL_PROCS_MAX	63	/* processes attached to a region */
#define PKTPOOL_THREADS_MAX	32	/* thread caches in a region */
#define PKTPOOL_CACHE_MAX	64	/* slots one thread cache holds */
#define PKTPOOL_BATCH_MAX	32	/* slots moved per shared-list CAS */
#define PKTPOOL_HANDLES_MAX	32	/* regions one process has attached */

/* Flags of pktpool_config.flags and the attach calls. */
#define PKTPOOL_F_DEBUG		(1u << 0)	/* per-slot state, poison, checks */
#define PKTPOOL_F_NOCACHE	(1u << 1)	/* no per-thread cache: every
						 * alloc/free uses the shared list */
#define PKTPOOL_F_ALL		(PKTPOOL_F_DEBUG | PKTPOOL_F_NOCACHE)
/* pktpool_attach() only (1.4): map the region read-only and take no
 * process entry, to look at it from outside (see "Visibility"). */
#define PKTPOOL_F_RDONLY	(1u << 2)

/* Flags of pktpool_reclaim(). */
#define PKTPOOL_RECLAIM_IDLE	(1u << 0)	/* caller guarantees no other
						 * process uses the region now:
						 * also recover slots lost in a
						 * dead process's last CAS */

/* What pktpool_create() makes. */
struct pktpool_config {
	const char *name;	/* NULL or "": anonymous region (a memfd);
				 * else 1..31 chars of [a-z0-9_-] */
	uint32_t slot_size;	/* 64..65536, a multiple of 64 */
	uint32_t slot_count;	/* 1..PKTPOOL_SLOT_COUNT_MAX */
	uint32_t flags;		/* PKTPOOL_F_* */
	uint32_t mode;		/* permission bits of a named region, 0: 0600 */
};

/*
 * Where things are in a region, all offsets from its start. A function of
 * (slot_size, slot_count) alone (see pktpool_layout()), the same for every
 * backend and the same as pktpool.ko computes for its regions:
 *
 *   0            control block, ctrl_size bytes: header page (identity,
 *                geometry copy, free-list head, counters, process table),
 *                then the thread caches at off_tcache
 *   off_rx_ring  receive ring, kernel to userspace: struct
 *                pktpool_ring_desc entries (see "Rings" below)
 *   off_fill_ring  fill ring, userspace to kernel: u32 slot indices
 *   off_tx_ring  transmit/verdict ring, userspace to kernel: descriptors
 *                Each ring: producer index at +0, consumer at +64, flags
 *                at +68, ring_entries entries from +128, rounded up to a
 *                page (rx_ring_size, fill_ring_size, tx_ring_size); the
 *                memfd backend has them too, unused by any kernel
 *   off_meta     8 bytes per slot: u32 free-list links at off_next, then
 *                u8 owner/state tags at off_tag, rest reserved
 *   off_slots    slot_count slots of slot_size bytes
 */
struct pktpool_layout {
	uint32_t slot_size;
	uint32_t slot_count;
	uint32_t ring_entries;	/* entries of each ring: slot_count rounded
				 * up to a power of 2 */
	uint32_t layout_version;
	uint64_t ctrl_size;
	uint64_t off_tcache;
	uint64_t off_rx_ring;
	uint64_t off_fill_ring;
	uint64_t off_tx_ring;
	uint64_t rx_ring_size;
	uint64_t fill_ring_size;
	uint64_t tx_ring_size;
	uint64_t off_meta;
	uint64_t off_next;
	uint64_t off_tag;
	uint64_t off_slots;
	uint64_t size;		/* whole region */
	uint32_t region_id;	/* kernel backend's region id, 0 for memfd */
	uint32_t __pad;
};

/* A snapshot; counters of all processes, summed when read. */
struct pktpool_stats {
	uint32_t slot_size;
	uint32_t slot_count;
	uint64_t in_use;	/* handed to users: not free, not cached */
	uint64_t peak;		/* most slots ever off the shared list (in use
				 * plus cached) seen when a cache refilled */
	uint64_t free;		/* on the shared free list */
	uint64_t cached;	/* in thread caches of all processes */
	uint64_t allocs;	/* successful allocations */
	uint64_t frees;		/* successful frees */
	uint64_t failures;	/* allocations that found no free slot */
	uint64_t errors;	/* misuse and corruption reported */
	uint64_t reclaimed;	/* slots returned by pktpool_reclaim() */
	uint32_t cache_fill;	/* slots in the calling thread's cache */
	uint32_t cache_cap;	/* its capacity (0 with PKTPOOL_F_NOCACHE) */
	uint32_t procs;		/* processes attached */
	uint32_t threads;	/* thread caches in use */
};

struct pktpool;

/* Called for every error the library detects and reports; msg is one line. */
typedef void (*pktpool_error_fn)(struct pktpool *pool, int err,
				 const char *msg, void *arg);

/*
 * Create a region and attach it. Named regions can be attached by name
 * from any process (see pktpool_attach()); anonymous ones are shared by
 * fork() or by passing pktpool_region_fd() over a unix socket.
 * -EINVAL bad config, -EEXIST name taken, -ENOMEM, -ENOSPC too many
 * regions attached, -ENODEV/-EOPNOTSUPP backend not available.
 */
int pktpool_create(const struct pktpool_config *cfg, struct pktpool **pool);

/*
 * Attach a named region. The geometry comes from the backend: the kernel's
 * info, or for a shared-memory file its size, against which the slot size
 * and count written by the creator are checked (they must reproduce the
 * size exactly). -ENOENT no such region, -EUCLEAN/-EBADMSG not a valid
 * region, -EAGAIN still being created.
 */
int pktpool_attach(const char *name, uint32_t flags, struct pktpool **pool);

/*
 * Attach a region from a file descriptor (pktpool_region_fd() of another
 * process). fd is duplicated; the caller keeps its own. When expect is not
 * NULL its slot_size and slot_count must match the region (other fields
 * are ignored); when NULL they are taken from the region and checked
 * against the file size as for pktpool_attach(). A kernel region's fd is a
 * /dev/pktpool file: expect is required and its region_id (from the
 * sender's pktpool_get_layout()) names the region.
 */
int pktpool_attach_fd(int fd, const struct pktpool_layout *expect,
		      uint32_t flags, struct pktpool **pool);

/*
 * Drain every thread cache this process holds for the region, give back
 * its process slot and unmap. No other thread of this process may use the
 * handle during or after the call. Slots this process still has out stay
 * charged to it until pktpool_reclaim() by a survivor.
 */
int pktpool_detach(struct pktpool *pool);

/* Remove a named region: it lives on until the last process detaches. */
int pktpool_unlink(const char *name);

/* The region's file descriptor, owned by the handle (do not close). */
int pktpool_region_fd(const struct pktpool *pool);

/* "memfd" or "kernel". */
const char *pktpool_backend_name(const struct pktpool *pool);

/* Fill lay for a geometry. -EINVAL when out of bounds. */
int pktpool_layout(uint32_t slot_size, uint32_t slot_count,
		   struct pktpool_layout *lay);

/* The layout the handle uses (its private copy). */
int pktpool_get_layout(const struct pktpool *pool, struct pktpool_layout *lay);

/* Index forms of alloc/free, for rings of indices between processes. */
int pktpool_alloc_idx(struct pktpool *pool, uint32_t *idx);
int pktpool_free_idx(struct pktpool *pool, uint32_t idx);

/*
 * Take over a slot another process allocated and handed over, so that the
 * sender's crash and reclaim no longer return it. Optional: freeing it
 * does the same. -ESTALE when a reclaim of the (dead) sender took the slot
 * first, -EALREADY when it is free.
 */
int pktpool_adopt(struct pktpool *pool, void *obj);

/* Give the calling thread's cached slots back to the shared list. */
int pktpool_flush_cache(struct pktpool *pool);

int pktpool_stats(struct pktpool *pool, struct pktpool_stats *st);

/*
 * Check the region: header against the private geometry, a bounded walk of
 * the free list (cycles, out-of-range links, slots on the list not marked
 * free), thread caches, process table and the counts. Exact only when no
 * other thread or process is allocating or freeing; under load it looks
 * again, reports a finding only if two looks agree with nothing moved in
 * between, and returns -EAGAIN (busy, nothing reported or counted) when it
 * cannot get a still picture. 0, -EUCLEAN, -EBADMSG or -EAGAIN.
 */
int pktpool_validate(struct pktpool *pool);

/*
 * Return the slots of processes that are gone: those that detached with
 * slots still out, and those that died or exec()ed. A process is alive
 * exactly while it holds its entry's lock (an OFD lock the kernel drops
 * at exit or exec; see lib/README.md): no /proc is read, and PID
 * namespaces, hidepid and exited main threads do not matter. pid 0 means
 * every such process; otherwise only the one whose entry recorded that
 * pid (as it saw it): -EBUSY when it is still running, -ESRCH when no
 * entry has it. Includes the dead process's thread caches. Returns the
 * number of slots returned.
 */
int pktpool_reclaim(struct pktpool *pool, pid_t pid, uint32_t flags);

/* Install a handler for reported errors; NULL restores the default
 * (one line on stderr). */
void pktpool_set_error_handler(struct pktpool *pool, pktpool_error_fn fn,
			       void *arg);

/* A static string for a (negative or positive) errno this library returns. */
const char *pktpool_strerror(int err);

/* ---------------------------------------------------------------------
 * Visibility (1.4): the library's counters and holdings as any process
 * sees them in the region, reset, health, and in debug mode what is still
 * out and who allocated it. All of it reads the region as hostile memory:
 * every value is bounds-checked and clamped where it is used. A handle
 * attached with PKTPOOL_F_RDONLY (a read-only mapping, no process entry)
 * can do everything here but pktpool_stats_reset().
 */

/*
 * Zero the counters pktpool_stats() reports since the last reset
 * (allocs, frees, failures, errors, reclaimed) and set peak to what is out
 * now. in_use, free and cached are states, not counters: they stay. The
 * counters keep counting in every thread; the reset records their sums,
 * which readers subtract. -EPERM on a read-only handle.
 */
int pktpool_stats_reset(struct pktpool *pool);

/*
 * Write the region's summary for readers who do not map it now: what
 * pktpool_stats() and pktpool_procs() say, into the control block, where
 * pktpool.ko shows it in netlink's region-get (the lib-* attributes) to
 * users who may read the region. The library also does this by itself:
 * the counters at most every 100 ms from its slow paths, everything when
 * a process attaches or detaches and on a reset. Call it when an idle
 * region must look exact from outside. Takes one pass over the slots'
 * tags. -EPERM on a read-only handle.
 */
int pktpool_stats_publish(struct pktpool *pool);

#define PKTPOOL_HEALTH_LEVEL_OK	0
#define PKTPOOL_HEALTH_LEVEL_WARN	1
#define PKTPOOL_HEALTH_LEVEL_CRIT	2

#define PKTPOOL_HEALTH_WARN_PCT	80	/* defaults */
#define PKTPOOL_HEALTH_CRIT_PCT	95

/* Why a region is not OK: bits of pktpool_health_report.reasons. */
#define PKTPOOL_HEALTH_R_SLOTS	  (1u << 0)	/* slots out >= a threshold */
#define PKTPOOL_HEALTH_R_PROCS	  (1u << 1)	/* process table >= a threshold */
#define PKTPOOL_HEALTH_R_FAILURES (1u << 2)	/* allocations failed since
						 * the last reset (warn) */
#define PKTPOOL_HEALTH_R_ERRORS	  (1u << 3)	/* errors reported since the
						 * last reset (warn) */

/* pktpool_health_report.flags */
#define PKTPOOL_HEALTH_F_DEBUG	(1u << 0)	/* region made in debug mode */

/* Thresholds in percent, 1..100, warn <= crit; 0 takes the default. */
struct pktpool_health_limits {
	uint32_t warn_pct;
	uint32_t crit_pct;
};

struct pktpool_health_report {
	uint32_t level;		/* PKTPOOL_HEALTH_LEVEL_OK, _WARN or _CRIT */
	uint32_t reasons;	/* PKTPOOL_HEALTH_R_* that raised it */
	uint32_t warn_pct;	/* the thresholds applied */
	uint32_t crit_pct;
	uint64_t used;		/* slots off the shared list (in use + cached) */
	uint64_t slot_count;
	uint64_t failures;	/* since the last reset */
	uint64_t errors;	/* since the last reset */
	uint32_t procs;		/* process entries taken (any state) */
	uint32_t procs_max;	/* PKTPOOL_PROCS_MAX */
	int64_t stats_since;	/* CLOCK_REALTIME seconds of the last reset,
				 * 0: never reset */
	uint32_t resets;	/* pktpool_stats_reset() calls so far */
	uint32_t flags;		/* PKTPOOL_HEALTH_F_* */
};

/*
 * The region's health: PKTPOOL_HEALTH_LEVEL_OK, _WARN or _CRIT (also in
 * h->level), or a negative errno. Slots out (in use plus cached) and
 * process entries taken are compared with the thresholds (lim NULL or 0
 * fields: 80% and 95%); failed allocations or reported errors since the
 * last reset make it at least WARN. -EINVAL for thresholds out of range.
 */
int pktpool_health(struct pktpool *pool,
		   const struct pktpool_health_limits *lim,
		   struct pktpool_health_report *h);

/* Process entry states, pktpool_proc_info.state. */
#define PKTPOOL_PROC_CLAIMING	1
#define PKTPOOL_PROC_ALIVE	2	/* as recorded: it may have died
					 * since, until a reclaim */
#define PKTPOOL_PROC_EXITED	3	/* detached with slots still out */
#define PKTPOOL_PROC_RECLAIMING	4

struct pktpool_proc_info {
	uint32_t id;		/* owner id in the region, 1..63 */
	int32_t pid;		/* as that process saw it (0: not recorded) */
	uint32_t state;		/* PKTPOOL_PROC_* */
	uint32_t threads;	/* thread cache entries it holds */
	uint64_t held;		/* slots charged to it: in use + cached */
	uint64_t cached;	/* of which in its thread caches */
};

/*
 * Every process entry in use, with the slots charged to each, into
 * out[0..max-1], ascending by id. Returns how many entries are in use
 * (may exceed max: only max are written) or a negative errno. Counted
 * from the slots' tags: a snapshot, exact when the region is idle.
 */
int pktpool_procs(struct pktpool *pool, struct pktpool_proc_info *out,
		  unsigned int max);

/* pktpool_object.flags */
#define PKTPOOL_OBJ_RECORD	(1u << 0)	/* pid, tid, site, time valid */
#define PKTPOOL_OBJ_OVERRUN	(1u << 1)	/* guard bytes overwritten */
#define PKTPOOL_OBJ_QUARANTINED	(1u << 2)	/* a free found the overrun:
						 * kept out of circulation */
#define PKTPOOL_OBJ_UNGUARDED	(1u << 3)	/* went to a ring: no guard */

/* Bytes at the end of each slot debug mode keeps for itself. */
#define PKTPOOL_DEBUG_TRAILER	32u

struct pktpool_object {
	uint32_t idx;		/* slot index */
	uint32_t owner;		/* owner id holding it now, 1..63 */
	int32_t holder_pid;	/* that owner's recorded pid, 0 unknown */
	int32_t pid;		/* the allocating process (whose address
				 * space site is in), 0 unknown */
	int32_t tid;		/* the allocating thread, 0 unknown */
	uint32_t flags;		/* PKTPOOL_OBJ_* */
	uint64_t site;		/* return address of the alloc call */
	uint64_t alloc_ns;	/* CLOCK_MONOTONIC_COARSE at the alloc (a
				 * tick's resolution, a few ms) */
	uint64_t age_ns;	/* now - alloc_ns (0 if unknown) */
};

/*
 * Debug mode: the slots handed out by debug handles and not freed yet,
 * from slot index start up, into out[0..max-1]. Returns how many were
 * written (fewer than max: the end was reached; call again from the last
 * idx + 1 for more) or a negative errno. Slots out without debug mode
 * carry no record and are not listed.
 */
int pktpool_objects(struct pktpool *pool, uint32_t start,
		    struct pktpool_object *out, unsigned int max);

/*
 * Bytes of a slot the caller may use: the slot size, less
 * PKTPOOL_DEBUG_TRAILER for a debug handle. 0 for a bad handle.
 */
uint32_t pktpool_usable_size(const struct pktpool *pool);

/* ---------------------------------------------------------------------
 * Inline fast path. Everything below named pktpool__* is internal: its
 * layout is part of the library's ABI only in that the inline functions
 * use it.
 */

#define PKTPOOL__LIKELY(x)	__builtin_expect(!!(x), 1)
#define PKTPOOL__UNLIKELY(x)	__builtin_expect(!!(x), 0)

/*
 * Fields other processes or threads read or write concurrently: _Atomic
 * in C, where the library itself uses <stdatomic.h> on them; plain in C++,
 * which has no _Atomic. Same size and alignment either way; the inline
 * functions below only touch them through the __atomic builtins.
 */
#ifdef __cplusplus
#define PKTPOOL__A(T)		T
#else
#define PKTPOOL__A(T)		_Atomic T
#endif
#define PKTPOOL__LOAD(p)	__atomic_load_n((p), __ATOMIC_RELAXED)
#define PKTPOOL__STORE(p, v)	__atomic_store_n((p), (v), __ATOMIC_RELAXED)

/* Low 6 bits of a slot's tag: the owning process, 0 while on the list. */
#define PKTPOOL__TAG_OWNER	0x3fu
/* Bits 6..7: the state; "cached" is every owned slot's without debug. */
#define PKTPOOL__TAG_CACHED	0x40u

/*
 * One thread's cache, in the region. Written by its thread alone; count
 * and the counters are atomics because other threads read them for stats;
 * slot[] is read by others only when its thread is gone or the region is
 * idle. A hostile process may write anything here: the fast path checks
 * count against its private capacity and every index against slot_count.
 */
struct pktpool__tcache {
	PKTPOOL__A(uint32_t) owner;	/* process id (1..63), 0: unused */
	PKTPOOL__A(uint32_t) count;	/* slots in slot[] */
	PKTPOOL__A(uint32_t) tid;
	PKTPOOL__A(uint32_t) transit_op;	/* shared-list CAS in flight */
	PKTPOOL__A(uint32_t) transit_first;
	PKTPOOL__A(uint32_t) transit_n;
	PKTPOOL__A(uint32_t) mag;	/* spare empty magazine, or ~0 */
	uint32_t __pad0;
	PKTPOOL__A(uint64_t) transit_lo;	/* head the CAS expects: */
	PKTPOOL__A(uint64_t) transit_gen;	/* index, count, generation */
	/*
	 * Slots come into slot[] by refill (filled) or free (frees) and
	 * leave by drain (drained) or alloc, so allocations are
	 * filled + frees - drained - count and the alloc fast path counts
	 * nothing.
	 */
	PKTPOOL__A(uint64_t) frees;
	PKTPOOL__A(uint64_t) filled;
	PKTPOOL__A(uint64_t) drained;
	PKTPOOL__A(uint64_t) failures;
	uint8_t __pad[48];
	uint32_t slot[PKTPOOL_CACHE_MAX];
};

/* The calling thread's fast caches, one per attached handle. */
struct pktpool__tls {
	struct pktpool__tcache *tc[PKTPOOL_HANDLES_MAX];
};

extern __thread struct pktpool__tls pktpool__tls
	__attribute__((tls_model("initial-exec")));

/*
 * A handle. The fields are the private copy of the geometry the inline
 * functions need; treat them as read-only.
 */
struct pktpool {
	unsigned char *slots;		/* this process's address of slot 0 */
	PKTPOOL__A(uint8_t) *tag;	/* per-slot owner and state */
	uint64_t slots_len;		/* slot_count * slot_size */
	uint64_t div_magic;		/* ceil(2^64 / (slot_size / 64)) */
	uint32_t slot_size;
	uint32_t slot_count;
	uint32_t shift;			/* log2(slot_size) if a power of 2 */
	uint32_t cap;			/* thread cache capacity */
	uint32_t hid;			/* index of the handle in this process */
	uint32_t owner;			/* this process's id in the region;
					 * 0x100 (matches no tag) until then */
	struct pktpool__priv *priv;
};

/* Every handle lives in this table; a pointer outside it is no handle. */
extern struct pktpool pktpool__handles[PKTPOOL_HANDLES_MAX];

static inline bool pktpool__handle_ok(const struct pktpool *p)
{
	uintptr_t off = (uintptr_t)p - (uintptr_t)pktpool__handles;

	return off < sizeof(pktpool__handles) &&
	       off % sizeof(struct pktpool) == 0;
}

void *pktpool__alloc_slow(struct pktpool *pool);
int pktpool__free_slow(struct pktpool *pool, void *obj);
int pktpool__alloc_bulk_slow(struct pktpool *pool, void **objs, unsigned int n);
int pktpool__free_bulk_slow(struct pktpool *pool, void *const *objs,
			    unsigned int n);
int pktpool__alloc_idx_bulk_slow(struct pktpool *pool, uint32_t *idx,
				 unsigned int n);
int pktpool__free_idx_bulk_slow(struct pktpool *pool, const uint32_t *idx,
				unsigned int n);

/* Slot index of a byte offset below slots_len (not checked for alignment). */
static inline uint32_t pktpool__off_to_idx(const struct pktpool *p,
					   uint64_t off)
{
	__extension__ typedef unsigned __int128 u128;

	if (PKTPOOL__LIKELY(p->shift))
		return (uint32_t)(off >> p->shift);
	return (uint32_t)(((u128)(off >> 6) * p->div_magic) >> 64);
}

static inline void pktpool__add(PKTPOOL__A(uint64_t) *ctr, uint64_t n)
{
	/* Only the owning thread writes: no read-modify-write needed. */
	PKTPOOL__STORE(ctr, PKTPOOL__LOAD(ctr) + n);
}

static inline uint32_t pktpool_slot_size(const struct pktpool *p)
{
	return pktpool__handle_ok(p) ? p->slot_size : 0;
}

static inline uint32_t pktpool_slot_count(const struct pktpool *p)
{
	return pktpool__handle_ok(p) ? p->slot_count : 0;
}

/*
 * The helpers below take any pointer as the handle: one that is not a
 * handle (or NULL) gives 0, NULL, false or -EINVAL.
 */

/* True when ptr points into any slot of the region. */
static inline bool pktpool_contains(const struct pktpool *p, const void *ptr)
{
	return pktpool__handle_ok(p) &&
	       (uint64_t)((uintptr_t)ptr - (uintptr_t)p->slots) < p->slots_len;
}

/* This process's address of slot idx, NULL when out of range. */
static inline void *pktpool_idx_to_ptr(const struct pktpool *p, uint32_t idx)
{
	if (PKTPOOL__UNLIKELY(!pktpool__handle_ok(p) || idx >= p->slot_count))
		return NULL;
	return p->slots + (size_t)idx * p->slot_size;
}

/*
 * Index of the slot that starts at ptr: -EINVAL for a NULL pool or a
 * pointer inside a slot but not at its start, -EFAULT outside the region.
 */
static inline int pktpool_ptr_to_idx(const struct pktpool *p, const void *ptr,
				     uint32_t *idx)
{
	uint64_t off;
	uint32_t i;

	if (PKTPOOL__UNLIKELY(!pktpool__handle_ok(p) || !idx))
		return -22; /* EINVAL */
	off = (uintptr_t)ptr - (uintptr_t)p->slots;
	if (PKTPOOL__UNLIKELY(off >= p->slots_len))
		return -14; /* EFAULT */
	i = pktpool__off_to_idx(p, off);
	if (PKTPOOL__UNLIKELY((uint64_t)i * p->slot_size != off))
		return -22; /* EINVAL */
	*idx = i;
	return 0;
}

/*
 * One slot, or NULL with errno set (ENOMEM when the region is exhausted,
 * EINVAL for a bad handle, EUCLEAN/EBADMSG for corruption).
 */
static inline void *pktpool_alloc(struct pktpool *p)
{
	struct pktpool__tcache *c;
	uint32_t n, idx;

	if (PKTPOOL__LIKELY(pktpool__handle_ok(p))) {
		c = pktpool__tls.tc[p->hid];
		if (PKTPOOL__LIKELY(c != NULL)) {
			n = PKTPOOL__LOAD(&c->count);
			/* 1..cap, whatever the region holds */
			if (PKTPOOL__LIKELY(n - 1 < p->cap)) {
				idx = c->slot[n - 1];
				if (PKTPOOL__LIKELY(idx < p->slot_count)) {
					PKTPOOL__STORE(&c->count, n - 1);
					return p->slots +
					       (size_t)idx * p->slot_size;
				}
			}
		}
	}
	return pktpool__alloc_slow(p);
}

/*
 * Give a slot back: 0, or -EFAULT (not in the region), -EINVAL (not the
 * start of a slot, or a bad handle), -EALREADY (double free, detected
 * always when the slot is on the shared list, else in debug mode).
 * NULL is ignored (returns 0).
 */
static inline int pktpool_free(struct pktpool *p, void *obj)
{
	struct pktpool__tcache *c;
	uint64_t off;
	uint32_t n, idx;

	if (PKTPOOL__LIKELY(pktpool__handle_ok(p))) {
		c = pktpool__tls.tc[p->hid];
		off = (uintptr_t)obj - (uintptr_t)p->slots;
		if (PKTPOOL__LIKELY(c != NULL && off < p->slots_len)) {
			idx = pktpool__off_to_idx(p, off);
			n = PKTPOOL__LOAD(&c->count);
			if (PKTPOOL__LIKELY((uint64_t)idx * p->slot_size == off &&
					    n < p->cap &&
					    PKTPOOL__LOAD(&p->tag[idx]) ==
					    (p->owner | PKTPOOL__TAG_CACHED))) {
				c->slot[n] = idx;
				PKTPOOL__STORE(&c->count, n + 1);
				pktpool__add(&c->frees, 1);
				return 0;
			}
		}
	}
	return pktpool__free_slow(p, obj);
}

/*
 * Allocate up to n slots into objs; returns how many (fewer only when the
 * region ran out), or a negative errno for bad arguments. Served from the
 * thread cache inline when it holds n.
 */
static inline int pktpool_alloc_bulk(struct pktpool *p, void **objs,
				     unsigned int n)
{
	struct pktpool__tcache *c;
	uint32_t have, i, bad = 0;

	if (PKTPOOL__LIKELY(pktpool__handle_ok(p) && objs != NULL)) {
		c = pktpool__tls.tc[p->hid];
		if (PKTPOOL__LIKELY(c != NULL)) {
			have = PKTPOOL__LOAD(&c->count);
			/* have <= cap <= PKTPOOL_CACHE_MAX bounds n */
			if (PKTPOOL__LIKELY(have <= p->cap && n <= have)) {
				/* locals: stores to objs[] may alias *p */
				uint32_t idx[PKTPOOL_CACHE_MAX];
				unsigned char *base = p->slots;
				const uint32_t last = p->slot_count - 1;
				const uint32_t shift = p->shift;
				const size_t size = p->slot_size;

				/* a private copy, checked, then converted:
				 * plain loops, which compilers vectorize;
				 * v > last sets the top bit of (last - v) | v
				 * (slot_count <= 2^26) */
				__builtin_memcpy(idx, &c->slot[have - n],
						 n * sizeof(idx[0]));
				for (i = 0; i < n; i++)
					bad |= (last - idx[i]) | idx[i];
				if (PKTPOOL__LIKELY(!(bad >> 31))) {
					if (PKTPOOL__LIKELY(shift != 0))
						for (i = 0; i < n; i++)
							objs[i] = base + ((size_t)idx[i] << shift);
					else
						for (i = 0; i < n; i++)
							objs[i] = base + (size_t)idx[i] * size;
					PKTPOOL__STORE(&c->count, have - n);
					return (int)n;
				}
			}
		}
	}
	return pktpool__alloc_bulk_slow(p, objs, n);
}

/*
 * Free n slots: every valid one is freed; returns 0 or the first error
 * (as pktpool_free()).
 */
static inline int pktpool_free_bulk(struct pktpool *p,
				    void *const *objs, unsigned int n)
{
	struct pktpool__tcache *c;
	uint32_t have, i, bad = 0;

	if (PKTPOOL__LIKELY(pktpool__handle_ok(p) && objs != NULL)) {
		c = pktpool__tls.tc[p->hid];
		if (PKTPOOL__LIKELY(c != NULL)) {
			have = PKTPOOL__LOAD(&c->count);
			if (PKTPOOL__LIKELY(have <= p->cap &&
					    n <= p->cap - have)) {
				/* locals: stores to the cache may alias *p */
				uint32_t idx[PKTPOOL_CACHE_MAX];
				const uintptr_t base = (uintptr_t)p->slots;
				const uint64_t len = p->slots_len;
				const uint64_t size = p->slot_size;
				const uint32_t shift = p->shift;
				/* owned and cached: the whole tag */
				const uint32_t mine = p->owner | PKTPOOL__TAG_CACHED;
				PKTPOOL__A(uint8_t) *const tag = p->tag;

				if (PKTPOOL__LIKELY(shift != 0)) {
					/* power-of-2 slots: a mask checks the
					 * alignment; off >> shift > last sets
					 * the top bit of last - (off >> shift)
					 * (shift >= 6: off >> shift < 2^58):
					 * a loop compilers vectorize */
					const uint64_t mask = size - 1;
					const uint64_t last = p->slot_count - 1;
					uint64_t wrong = 0;

					for (i = 0; i < n; i++) {
						uint64_t off = (uintptr_t)objs[i] -
							       base;
						uint64_t ix = off >> shift;

						wrong |= (off & mask) |
							 ((last - ix) &
							  (1ull << 63));
						idx[i] = (uint32_t)ix;
					}
					bad = wrong != 0;
				} else {
					for (i = 0; i < n; i++) {
						uint64_t off = (uintptr_t)objs[i] -
							       base;

						if (PKTPOOL__UNLIKELY(off >= len)) {
							bad = 1;
							break;
						}
						idx[i] = pktpool__off_to_idx(p, off);
						bad |= idx[i] * size != off;
					}
				}
				/* every index in range: the tags */
				if (PKTPOOL__LIKELY(!bad)) {
					/* unrolled when n allows */
					for (i = 0; !(n & 3) && i < n; i += 4)
						bad |= (PKTPOOL__LOAD(&tag[idx[i]]) ^ mine) |
						       (PKTPOOL__LOAD(&tag[idx[i + 1]]) ^ mine) |
						       (PKTPOOL__LOAD(&tag[idx[i + 2]]) ^ mine) |
						       (PKTPOOL__LOAD(&tag[idx[i + 3]]) ^ mine);
					for (i = 0; (n & 3) && i < n; i++)
						bad |= PKTPOOL__LOAD(&tag[idx[i]]) ^ mine;
				}
				if (PKTPOOL__LIKELY(!bad)) {
					__builtin_memcpy(&c->slot[have], idx,
							 n * sizeof(idx[0]));
					PKTPOOL__STORE(&c->count, have + n);
					pktpool__add(&c->frees, n);
					return 0;
				}
			}
		}
	}
	return pktpool__free_bulk_slow(p, objs, n);
}

/*
 * Index forms of the bulk calls, for rings of slot indices: no pointer to
 * convert or check for range and alignment. Allocate up to n slots into
 * idx[]; returns how many (fewer only when the region ran out), or a
 * negative errno for bad arguments.
 */
static inline int pktpool_alloc_idx_bulk(struct pktpool *p, uint32_t *idx,
					 unsigned int n)
{
	struct pktpool__tcache *c;
	uint32_t have, i, bad = 0;

	if (PKTPOOL__LIKELY(pktpool__handle_ok(p) && idx != NULL)) {
		c = pktpool__tls.tc[p->hid];
		if (PKTPOOL__LIKELY(c != NULL)) {
			have = PKTPOOL__LOAD(&c->count);
			if (PKTPOOL__LIKELY(have <= p->cap && n <= have)) {
				/* locals: stores to idx[] may alias *p */
				const uint32_t last = p->slot_count - 1;

				/* copy, then check the private copy: the
				 * region may change under us. Two plain
				 * loops, which compilers vectorize; v > last
				 * sets the top bit of (last - v) | v, as
				 * last < 2^26 */
				__builtin_memcpy(idx, &c->slot[have - n],
						 n * sizeof(*idx));
				for (i = 0; i < n; i++)
					bad |= (last - idx[i]) | idx[i];
				/* top bit: v > last (slot_count <= 2^26) */
				if (PKTPOOL__LIKELY(!(bad >> 31))) {
					PKTPOOL__STORE(&c->count, have - n);
					return (int)n;
				}
			}
		}
	}
	return pktpool__alloc_idx_bulk_slow(p, idx, n);
}

/*
 * Free n slots by index: every valid one is freed; returns 0 or the first
 * error (as pktpool_free_idx(): -EFAULT for an index out of range,
 * -EALREADY for a slot already free).
 */
static inline int pktpool_free_idx_bulk(struct pktpool *p,
					const uint32_t *idx, unsigned int n)
{
	struct pktpool__tcache *c;
	uint32_t have, i, bad = 0;

	if (PKTPOOL__LIKELY(pktpool__handle_ok(p) && idx != NULL)) {
		c = pktpool__tls.tc[p->hid];
		if (PKTPOOL__LIKELY(c != NULL)) {
			have = PKTPOOL__LOAD(&c->count);
			if (PKTPOOL__LIKELY(have <= p->cap &&
					    n <= p->cap - have)) {
				/* locals: stores to the cache may alias *p */
				const uint32_t last = p->slot_count - 1;
				/* owned and cached: the whole tag */
				const uint32_t mine = p->owner | PKTPOOL__TAG_CACHED;
				PKTPOOL__A(uint8_t) *const tag = p->tag;

				/* the range first (vectorized), so the tag
				 * loads below need no check of their own */
				for (i = 0; i < n; i++)
					bad |= (last - idx[i]) | idx[i];
				/* top bit: v > last (slot_count <= 2^26) */
				bad >>= 31;
				if (PKTPOOL__LIKELY(!bad)) {
					/* unrolled when n allows */
					for (i = 0; !(n & 3) && i < n; i += 4)
						bad |= (PKTPOOL__LOAD(&tag[idx[i]]) ^ mine) |
						       (PKTPOOL__LOAD(&tag[idx[i + 1]]) ^ mine) |
						       (PKTPOOL__LOAD(&tag[idx[i + 2]]) ^ mine) |
						       (PKTPOOL__LOAD(&tag[idx[i + 3]]) ^ mine);
					for (i = 0; (n & 3) && i < n; i++)
						bad |= PKTPOOL__LOAD(&tag[idx[i]]) ^ mine;
				}
				if (PKTPOOL__LIKELY(!bad)) {
					__builtin_memcpy(&c->slot[have], idx,
							 n * sizeof(*idx));
					PKTPOOL__STORE(&c->count, have + n);
					pktpool__add(&c->frees, n);
					return 0;
				}
			}
		}
	}
	return pktpool__free_idx_bulk_slow(p, idx, n);
}

/* ---------------------------------------------------------------------
 * Rings: the packet path between pktpool.ko and userspace.
 *
 * Three single-producer single-consumer rings live in every region (see
 * struct pktpool_layout and uapi/linux/pktpool.h, "Rings"):
 *   rx    kernel -> user: descriptors of slots the kernel filled (a copied
 *         packet, or one queued for a verdict)
 *   fill  user -> kernel: indices of free slots the kernel may fill
 *   tx    user -> kernel: verdicts on queued packets, or packets for a
 *         pktpool_vdev device (same descriptors)
 * A slot belongs to userspace until it is put on the fill ring (or on tx
 * with a verdict); it comes back on rx, with a packet, or with
 * PKTPOOL_DESC_F_RETURNED and len 0 when the kernel's last user of the
 * region went away without using it.
 *
 * One thread per process drives each ring (its "user side"); the library
 * keeps that side's indices privately in struct pktpool_rings and never
 * trusts the shared copies: an index another process wrote that no
 * honest peer could have written makes the call fail with -EUCLEAN (and
 * is reported through the error handler); entries are always taken modulo
 * the ring; descriptors are copied out before they are looked at, and
 * pktpool_rx_data() checks slot and length against the private geometry.
 *
 * Ordering, as in uapi/linux/pktpool.h and if_xdp.h: a producer writes
 * entries, then stores its index with release [A]; a consumer loads it
 * with acquire [B], reads the entries, then stores its own index with
 * release [C]; a producer loads that with acquire [D] before reusing
 * entries. [E]: after publishing fill or tx entries, a full fence before
 * reading the ring's flags, paired with the kernel's full barrier between
 * setting PKTPOOL_RING_F_NEED_WAKEUP and looking at the ring again, so
 * that one of the two always sees the other (no lost wakeup).
 *
 * Reservations: reserve or peek hands out entries, submit or release
 * publishes the first n of them and cancels the rest (they are handed out
 * again by the next reserve or peek).
 *
 * On the memfd backend there is no kernel: the rings work (a test or
 * another process may play the kernel's part), kick fails with
 * -EOPNOTSUPP and wait only sleeps briefly.
 */

/* The same values as uapi/linux/pktpool.h; either header may come first. */
#ifndef PKTPOOL_DESC_F_TRUNCATED
#define PKTPOOL_DESC_F_TRUNCATED	(1U << 0)	/* rx: len < orig_len */
#define PKTPOOL_DESC_F_QUEUED		(1U << 1)	/* rx: awaits a verdict */
#define PKTPOOL_DESC_F_MODIFIED		(1U << 2)	/* tx: take the slot's len bytes */
#define PKTPOOL_DESC_F_MARK		(1U << 3)	/* tx: set the packet's mark */
#define PKTPOOL_VERDICT_ACCEPT		1
#define PKTPOOL_VERDICT_DROP		2
#define PKTPOOL_RING_F_NEED_WAKEUP	(1U << 0)
#endif
#ifndef PKTPOOL_DESC_F_RETURNED
#define PKTPOOL_DESC_F_RETURNED		(1U << 4)	/* rx: an unused slot given back */
#endif

/* struct pktpool_desc of the uapi, field for field (checked in ring.c). */
struct pktpool_ring_desc {
	uint32_t slot;		/* slot index */
	uint32_t len;		/* bytes of packet at the start of the slot */
	uint32_t orig_len;	/* rx: the packet's full length */
	uint32_t id;		/* rx: packet id; tx: the packet of the verdict */
	uint64_t tstamp;	/* rx: CLOCK_REALTIME ns when the hook saw it */
	uint32_t ifindex;	/* rx: input (output on output hooks) device */
	uint32_t mark;		/* rx: skb mark; tx: with PKTPOOL_DESC_F_MARK */
	uint16_t flags;		/* PKTPOOL_DESC_F_* */
	uint8_t family;		/* rx: NFPROTO_IPV4 (2) or NFPROTO_IPV6 (10) */
	uint8_t hook;		/* rx: NF_INET_* */
	uint32_t verdict;	/* tx: PKTPOOL_VERDICT_* */
	uint32_t binding;	/* rx: the binding that produced it */
	uint32_t reserved;	/* 0 */
};

/* The user side of one ring; fields are private to this process. */
struct pktpool_ring {
	PKTPOOL__A(uint32_t) *producer;	/* shared */
	PKTPOOL__A(uint32_t) *consumer;	/* shared */
	PKTPOOL__A(uint32_t) *flags;	/* shared, set by the kernel */
	void *entries;			/* shared, size entries */
	uint32_t size;			/* ring_entries, a power of 2 */
	uint32_t mask;			/* size - 1 */
	/*
	 * Consumer (rx): cons is ours, the last value published; prod the
	 * cached producer. Producer (fill, tx): prod is ours, cons cached.
	 */
	uint32_t prod;
	uint32_t cons;
	uint32_t pending;		/* peeked or reserved, not yet released
					 * or submitted */
	uint32_t __pad;
};

/* All three rings of one attached region, set up by pktpool_rings_init(). */
struct pktpool_rings {
	struct pktpool_ring rx;
	struct pktpool_ring fill;
	struct pktpool_ring tx;
	struct pktpool *pool;
	unsigned char *slots;		/* private copy of the geometry */
	uint32_t slot_size;
	uint32_t slot_count;
	int fd;				/* the region's file */
	uint32_t region_id;		/* 0 on the memfd backend */
	uint64_t corrupt;		/* shared indices refused */
};

/*
 * Set r up for pool's rings. The user-side indices start where the shared
 * ones are (a previous user may have left them anywhere consistent);
 * -EUCLEAN when they are inconsistent, -EINVAL for a bad handle.
 */
int pktpool_rings_init(struct pktpool *pool, struct pktpool_rings *r);

/*
 * Put up to max free slots from the region's allocator on the fill ring;
 * returns how many (fewer when the ring or the region is full), or a
 * negative errno.
 */
int pktpool_fill_alloc(struct pktpool_rings *r, unsigned int max);

/*
 * PKTPOOL_IOC_REGION_KICK: have the kernel look at fill and tx now. 0,
 * -EOPNOTSUPP on the memfd backend, or the ioctl's error.
 */
int pktpool_rings_kick(struct pktpool_rings *r);

/*
 * Wait up to timeout_ms (-1: forever) for rx entries: 1 when there are
 * some, 0 on timeout, -EINTR, or the poll's error. Returns at once,
 * without a syscall, when rx already has entries.
 */
int pktpool_rings_wait(struct pktpool_rings *r, int timeout_ms);

/* Out of line: report a shared index no honest peer writes. */
int pktpool__ring_corrupt(struct pktpool_rings *r, struct pktpool_ring *q,
			  uint32_t seen);

/*
 * Copy up to max rx descriptors, in order, into d; returns how many (0
 * when rx is empty) or -EUCLEAN. They stay on the ring until released.
 */
static inline int pktpool_rx_peek(struct pktpool_rings *r,
				  struct pktpool_ring_desc *d,
				  unsigned int max)
{
	struct pktpool_ring *q = &r->rx;
	const struct pktpool_ring_desc *e = (const struct pktpool_ring_desc *)
					    q->entries;
	uint32_t head = q->cons + q->pending;
	uint32_t avail = q->prod - head, i;

	if (avail < max) {
		uint32_t p;

		/* [B] pairs with the kernel's release store of the rx
		 * producer [A]: the entries up to p are written */
		p = __atomic_load_n(q->producer, __ATOMIC_ACQUIRE);
		/* an honest producer is at most size ahead of what we
		 * released and not behind what we peeked */
		if (PKTPOOL__UNLIKELY(p - q->cons > q->size ||
				      p - q->cons < q->pending))
			return pktpool__ring_corrupt(r, q, p);
		q->prod = p;
		avail = p - head;
	}
	if (avail > max)
		avail = max;
	for (i = 0; i < avail; i++)
		d[i] = e[(head + i) & q->mask];
	q->pending += avail;
	return (int)avail;
}

/*
 * Give the first n peeked rx entries back (their slots are the caller's
 * now); peeked entries beyond n are peeked again next time. -EINVAL when
 * n is more than was peeked.
 */
static inline int pktpool_rx_release(struct pktpool_rings *r, unsigned int n)
{
	struct pktpool_ring *q = &r->rx;

	if (PKTPOOL__UNLIKELY(n > q->pending))
		return -22; /* EINVAL */
	q->pending = 0;
	if (n) {
		q->cons += n;
		/* [C] pairs with the kernel's acquire load of the rx
		 * consumer [D]: we are done reading these entries */
		__atomic_store_n(q->consumer, q->cons, __ATOMIC_RELEASE);
	}
	return 0;
}

/*
 * The packet bytes of a descriptor peeked from rx (the caller's private
 * copy): NULL when its slot or length does not fit the region.
 */
static inline void *pktpool_rx_data(const struct pktpool_rings *r,
				    const struct pktpool_ring_desc *d)
{
	if (PKTPOOL__UNLIKELY(d->slot >= r->slot_count ||
			      d->len > r->slot_size))
		return NULL;
	return r->slots + (size_t)d->slot * r->slot_size;
}

/* Room on a producer ring for up to n more entries; see reserve below. */
static inline int pktpool__prod_reserve(struct pktpool_rings *r,
					struct pktpool_ring *q,
					unsigned int n, uint32_t *idx)
{
	uint32_t head = q->prod + q->pending;
	uint32_t room = q->size - (head - q->cons);

	*idx = head;
	if (room < n) {
		uint32_t c;

		/* [D] pairs with the kernel's release store of the
		 * consumer [C]: entries before c are free to overwrite */
		c = __atomic_load_n(q->consumer, __ATOMIC_ACQUIRE);
		/* an honest consumer is between our cached view of it and
		 * what we published */
		if (PKTPOOL__UNLIKELY(q->prod - c > q->prod - q->cons))
			return pktpool__ring_corrupt(r, q, c);
		q->cons = c;
		room = q->size - (head - c);
	}
	if (room > n)
		room = n;
	q->pending += room;
	return (int)room;
}

/* Publish the first n reserved entries, cancel the rest. */
static inline int pktpool__prod_submit(struct pktpool_ring *q, unsigned int n)
{
	if (PKTPOOL__UNLIKELY(n > q->pending))
		return -22; /* EINVAL */
	q->pending = 0;
	if (n) {
		q->prod += n;
		/* [A] pairs with the kernel's acquire load of the
		 * producer [B]: the n entries are written */
		__atomic_store_n(q->producer, q->prod, __ATOMIC_RELEASE);
	}
	return 0;
}

/* [E] see above; then the ring's NEED_WAKEUP flag. */
static inline bool pktpool__needs_wakeup(const struct pktpool_ring *q)
{
	/* [E] pairs with the kernel's barrier between setting the flag
	 * and re-reading our producer index */
#if defined(__SANITIZE_THREAD__)
	/* TSan refuses fences and does not model store-load order anyway. */
	return __atomic_load_n(q->flags, __ATOMIC_SEQ_CST) &
	       PKTPOOL_RING_F_NEED_WAKEUP;
#else
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	return __atomic_load_n(q->flags, __ATOMIC_RELAXED) &
	       PKTPOOL_RING_F_NEED_WAKEUP;
#endif
}

/*
 * Reserve up to n fill entries: returns how many (0 when full) and their
 * first ring index in *idx, or -EUCLEAN. Set each with pktpool_fill_set(),
 * then pktpool_fill_submit().
 */
static inline int pktpool_fill_reserve(struct pktpool_rings *r,
				       unsigned int n, uint32_t *idx)
{
	return pktpool__prod_reserve(r, &r->fill, n, idx);
}

static inline void pktpool_fill_set(struct pktpool_rings *r, uint32_t idx,
				    uint32_t slot)
{
	((uint32_t *)r->fill.entries)[idx & r->fill.mask] = slot;
}

static inline int pktpool_fill_submit(struct pktpool_rings *r, unsigned int n)
{
	return pktpool__prod_submit(&r->fill, n);
}

/* Reserve, set and submit in one: returns how many of slots went on. */
static inline int pktpool_fill_put(struct pktpool_rings *r,
				   const uint32_t *slots, unsigned int n)
{
	uint32_t idx, i;
	int got = pktpool_fill_reserve(r, n, &idx);

	if (got <= 0)
		return got;
	for (i = 0; i < (uint32_t)got; i++)
		pktpool_fill_set(r, idx + i, slots[i]);
	pktpool_fill_submit(r, (unsigned int)got);
	return got;
}

/* As the fill calls, for verdict descriptors. */
static inline int pktpool_tx_reserve(struct pktpool_rings *r, unsigned int n,
				     uint32_t *idx)
{
	return pktpool__prod_reserve(r, &r->tx, n, idx);
}

/* The ring entry to write a reserved verdict into (write only). */
static inline struct pktpool_ring_desc *
pktpool_tx_desc(struct pktpool_rings *r, uint32_t idx)
{
	return (struct pktpool_ring_desc *)r->tx.entries + (idx & r->tx.mask);
}

static inline int pktpool_tx_submit(struct pktpool_rings *r, unsigned int n)
{
	return pktpool__prod_submit(&r->tx, n);
}

static inline int pktpool_tx_put(struct pktpool_rings *r,
				 const struct pktpool_ring_desc *d,
				 unsigned int n)
{
	uint32_t idx, i;
	int got = pktpool_tx_reserve(r, n, &idx);

	if (got <= 0)
		return got;
	for (i = 0; i < (uint32_t)got; i++)
		*pktpool_tx_desc(r, idx + i) = d[i];
	pktpool_tx_submit(r, (unsigned int)got);
	return got;
}

/*
 * True when the kernel asked for PKTPOOL_IOC_REGION_KICK (pktpool_rings_kick())
 * to notice what was submitted on fill or tx. Call after submitting.
 */
static inline bool pktpool_fill_needs_wakeup(const struct pktpool_rings *r)
{
	return pktpool__needs_wakeup(&r->fill);
}

static inline bool pktpool_tx_needs_wakeup(const struct pktpool_rings *r)
{
	return pktpool__needs_wakeup(&r->tx);
}

/* ---------------------------------------------------------------------
 * Pool sets (1.2): allocation by size over several regions.
 *
 * A set has up to PKTPOOL_SET_CLASSES_MAX size classes, each one or more
 * regions of one slot size. pktpool_set_alloc() takes a slot from the
 * smallest class whose slot holds the bytes asked for; pktpool_set_free()
 * finds the region by the pointer alone. A class that runs out may add
 * regions (grow_max, grow_step, grow_factor), and pktpool_set_trim() gives
 * idle added regions back.
 *
 * A named set is shared between processes like a named region: its
 * descriptor (/dev/shm/pktpool-set.NAME, the config and the regions of
 * each class) is read with pread() into a private copy and checked before
 * use, under an OFD lock that the kernel drops when its holder dies; its
 * regions are ordinary named regions, NAME-SERIAL (SERIAL in hex, never
 * reused), attached by name and checked against the class they are listed
 * for. A slot crosses processes as a reference (pktpool_set_ptr_to_ref()),
 * which names the region and the slot; the receiver attaches a region it
 * has not seen yet. An anonymous set (no name) is private to its process.
 *
 * Threads of a process share one set handle: alloc, free, realloc and the
 * reference calls may run concurrently; pktpool_set_trim() and
 * pktpool_set_detach() must not run while another thread of the process
 * uses the set.
 */

#define PKTPOOL_SET_CLASSES_MAX	8	/* size classes in a set */
#define PKTPOOL_SET_REGIONS_MAX	8	/* regions of one class */
#define PKTPOOL_SET_MEMBERS_MAX	PKTPOOL_HANDLES_MAX /* regions one process
						 * has attached for a set */
#define PKTPOOL_SET_NAME_MAX	23	/* bytes including the NUL: region
					 * names add "-" and 8 hex digits */

/* Flags of pktpool_set_config.flags, besides PKTPOOL_F_* for the regions. */
#define PKTPOOL_SET_F_SPILL	(1u << 16)	/* a class that is out (and cannot
						 * grow) takes from the next
						 * larger class */
#define PKTPOOL_SET_F_PREFAULT	(1u << 17)	/* prefault every region as it
						 * is made or attached */
#define PKTPOOL_SET_F_MLOCK	(1u << 18)	/* and lock it in memory */
#define PKTPOOL_SET_F_NODE	(1u << 19)	/* regions made on numa_node
						 * (memfd backend) */
#define PKTPOOL_SET_F_ALL	(PKTPOOL_F_ALL | PKTPOOL_SET_F_SPILL | \
				 PKTPOOL_SET_F_PREFAULT | PKTPOOL_SET_F_MLOCK | \
				 PKTPOOL_SET_F_NODE)

struct pktpool_set_class {
	uint32_t slot_size;	/* as pktpool_config; strictly ascending */
	uint32_t slot_count;	/* of the class's first region */
};

/* What pktpool_set_create() makes. */
struct pktpool_set_config {
	const char *name;	/* NULL or "": private to the process; else
				 * 1..22 chars of [a-z0-9_-] */
	uint32_t nclasses;	/* 1..PKTPOOL_SET_CLASSES_MAX */
	uint32_t flags;		/* PKTPOOL_F_*, PKTPOOL_SET_F_* */
	uint32_t mode;		/* permission bits, 0: 0600 */
	/*
	 * Growth: a class has at most grow_max regions (0 or 1: only its
	 * first); the first region added has grow_step slots (0: the
	 * class's slot_count), each later one grow_factor times the one
	 * before (0 or 1: the same), at most PKTPOOL_SLOT_COUNT_MAX.
	 */
	uint32_t grow_max;
	uint32_t grow_step;
	uint32_t grow_factor;
	uint32_t align;		/* 0 or a power of 2 from 64 to 4096 that
				 * every class's slot size is a multiple
				 * of: its slots are aligned to it */
	uint32_t numa_node;	/* with PKTPOOL_SET_F_NODE */
	uint32_t __reserved[6];	/* 0 */
	struct pktpool_set_class cls[PKTPOOL_SET_CLASSES_MAX];
};

/* One class as this process sees it (pktpool_set_class_info()). */
struct pktpool_set_class_info {
	uint32_t slot_size;
	uint32_t regions;	/* regions of the class attached and in use */
	uint64_t slot_count;	/* slots of those regions */
	uint64_t in_use;	/* summed over them, as pktpool_stats() */
	uint64_t free;
	uint64_t cached;
	uint64_t failures;
};

/*
 * The handle; the library writes it, the inline functions below read it.
 * Regions this process mapped for the set are entries 0..nmembers-1 of
 * base/len/pool (same index), appended under the set's lock and
 * published by a release store of nmembers.
 */
struct pktpool_set {
	uint32_t nclasses;
	PKTPOOL__A(uint32_t) nmembers;
	uint32_t max_size;		/* the largest class's slot size */
	uint32_t __pad0;
	struct pktpool__set *priv;
	uint64_t __pad1[5];
	/* the region each class allocates from first; only touched
	 * through the __atomic builtins */
	struct pktpool *cur[PKTPOOL_SET_CLASSES_MAX];
	uint32_t size[PKTPOOL_SET_CLASSES_MAX];	/* slot size per class */
	uintptr_t base[PKTPOOL_SET_MEMBERS_MAX];	/* slots, this process */
	uint64_t len[PKTPOOL_SET_MEMBERS_MAX];	/* slot_count * slot_size */
	struct pktpool *pool[PKTPOOL_SET_MEMBERS_MAX];
	/* class of a size: cls_of[(bytes + 63) / 64], bytes <= max_size */
	uint8_t cls_of[PKTPOOL_SLOT_SIZE_MAX / 64 + 1];
};

/* Create a set and its first region of each class. -EINVAL bad config,
 * -EEXIST name taken, and the errors of pktpool_create(). */
int pktpool_set_create(const struct pktpool_set_config *cfg,
		       struct pktpool_set **set);

/* Attach a named set (flags: PKTPOOL_F_* for its regions). -ENOENT,
 * -EUCLEAN when the descriptor or a region does not check out. */
int pktpool_set_attach(const char *name, uint32_t flags,
		       struct pktpool_set **set);

/* Detach every region of the set from this process and free the handle. */
int pktpool_set_detach(struct pktpool_set *set);

/* Remove a named set's descriptor and the names of its regions. */
int pktpool_set_unlink(const char *name);

/* Zeroed: n * size bytes (overflow: NULL, EINVAL). */
void *pktpool_set_calloc(struct pktpool_set *set, size_t n, size_t size);

/*
 * Move obj to the class that fits bytes, keeping min(old slot size,
 * bytes) of its contents; obj itself when its class is already the one.
 * NULL obj: pktpool_set_alloc(). On failure NULL with errno, obj intact.
 */
void *pktpool_set_realloc(struct pktpool_set *set, void *obj, size_t bytes);

/* The slot size of the region obj is in, 0 when it is in none. */
size_t pktpool_set_usable_size(struct pktpool_set *set, const void *obj);

/* A slot's name across processes, and back (attaching its region). */
int pktpool_set_ptr_to_ref(struct pktpool_set *set, const void *obj,
			   uint64_t *ref);
int pktpool_set_ref_to_ptr(struct pktpool_set *set, uint64_t ref,
			   void **obj);

/*
 * Give back added regions that are idle (nothing in use or cached, no
 * other process attached), and drop regions other processes trimmed once
 * this process has nothing out in them. Returns how many regions this
 * process detached.
 */
int pktpool_set_trim(struct pktpool_set *set);

int pktpool_set_class_info(struct pktpool_set *set, unsigned int cls,
			   struct pktpool_set_class_info *info);

/*
 * Prefault every region of the set this process has (flags as
 * pktpool_prefault()) and fill the calling thread's cache of each class's
 * current region. 0 or the first error.
 */
int pktpool_set_warm(struct pktpool_set *set, uint32_t flags);

void *pktpool__set_alloc_slow(struct pktpool_set *set, unsigned int cls);
void *pktpool__set_bad_size(struct pktpool_set *set);

/*
 * A slot of the smallest class that holds bytes (0 bytes: the smallest
 * class), or NULL with errno: ENOMEM when that class is out and cannot
 * grow, EMSGSIZE when bytes exceeds the largest class, EINVAL for a NULL
 * set.
 */
static inline void *pktpool_set_alloc(struct pktpool_set *s, size_t bytes)
{
	void *obj;
	uint32_t c;

	if (PKTPOOL__UNLIKELY(s == NULL || bytes > s->max_size))
		return pktpool__set_bad_size(s);
	c = s->cls_of[(bytes + 63) >> 6];
	/* acquire pairs with the release store of cur in set.c: the
	 * handle it points to is set up */
	obj = pktpool_alloc(__atomic_load_n(&s->cur[c], __ATOMIC_ACQUIRE));
	if (PKTPOOL__LIKELY(obj != NULL))
		return obj;
	return pktpool__set_alloc_slow(s, c);
}

/*
 * Give a slot back to whichever region of the set holds it: 0, -EFAULT
 * when obj is in none of them (nothing changes), else as pktpool_free().
 * NULL is ignored.
 */
static inline int pktpool_set_free(struct pktpool_set *s, void *obj)
{
	uint32_t i, n;

	if (PKTPOOL__UNLIKELY(s == NULL))
		return -22; /* EINVAL */
	if (obj == NULL)
		return 0;
	/* acquire pairs with the release store of nmembers in set.c:
	 * entries below it are written */
	n = __atomic_load_n(&s->nmembers, __ATOMIC_ACQUIRE);
	if (PKTPOOL__UNLIKELY(n > PKTPOOL_SET_MEMBERS_MAX))
		n = PKTPOOL_SET_MEMBERS_MAX;
	for (i = 0; i < n; i++)
		if ((uintptr_t)obj - s->base[i] < s->len[i])
			return pktpool_free(s->pool[i], obj);
	return -14; /* EFAULT */
}

/* ---------------------------------------------------------------------
 * Warm-up and placement (1.2).
 */

/* Flags of pktpool_prefault(). */
#define PKTPOOL_PREFAULT_MLOCK	(1u << 0)	/* also mlock() the region */

/*
 * Fault every page of the region into this process (writable), so that
 * first touches stay out of the packet path; with PKTPOOL_PREFAULT_MLOCK
 * also lock them. Changes no byte. -EINVAL, or mlock()'s error (-ENOMEM,
 * -EPERM: RLIMIT_MEMLOCK).
 */
int pktpool_prefault(struct pktpool *pool, uint32_t flags);

/*
 * Fill the calling thread's cache from the shared list. Returns the
 * slots now in it, or a negative errno.
 */
int pktpool_warm_cache(struct pktpool *pool);

/* Flags of pktpool_bind_node(). */
#define PKTPOOL_NODE_PREFERRED	(1u << 0)	/* prefer the node, do not insist */

/*
 * Put a memfd region's memory on NUMA node node (mbind(2), MPOL_BIND or
 * with PKTPOOL_NODE_PREFERRED MPOL_PREFERRED): pages faulted from now on,
 * by any process, come from it, and pages only this process maps move.
 * Call before pktpool_prefault(). -EOPNOTSUPP on the kernel backend,
 * -EINVAL for a node the system does not have.
 */
int pktpool_bind_node(struct pktpool *pool, int node, uint32_t flags);

/*
 * The alignment of every slot: slots start on a page and are slot_size
 * apart, so the largest power of 2 dividing slot_size, at most 4096.
 * Choose slot_size as a multiple of the alignment wanted. 0 for a bad
 * handle.
 */
static inline uint32_t pktpool_slot_align(const struct pktpool *p)
{
	uint32_t size = pktpool_slot_size(p);
	uint32_t a = size & (~size + 1);

	return a > 4096u ? 4096u : a;
}

/* ---------------------------------------------------------------------
 * Buddy allocator (1.2): variable sizes, 64 bytes to 64 KiB, in one region.
 *
 * The region's slots are 64 KiB blocks that the buddy allocator splits in
 * halves down to 64 bytes and merges back when both halves are free. Its
 * state (a byte per 64-byte unit, free lists) is shared: a file that any
 * process with access may scribble on, so every index and state read
 * from it is checked before use, walks are bounded, and what does not
 * check out is -EUCLEAN. Calls take an OFD lock on that file (the kernel
 * drops it when its holder dies). An operation a death cut short is
 * noticed by the next one, which rebuilds the free lists from the unit
 * map: a block in use is never handed out twice, but the block the dead
 * process was allocating or freeing may stay counted as used. Blocks a
 * dead process held are not reclaimed. For buffers whose size is known
 * late: GRO aggregates, reassembly.
 */
#define PKTPOOL_BUDDY_MIN	64u
#define PKTPOOL_BUDDY_MAX	65536u
#define PKTPOOL_BUDDY_ORDERS	11	/* 64 << 0 .. 64 << 10 */
#define PKTPOOL_BUDDY_SIZE_MAX	(1ull << 32)	/* arena bytes */

struct pktpool_buddy_config {
	const char *name;	/* NULL or "": private to the process (and
				 * its fork children); else as a region's */
	uint64_t size;		/* bytes, a multiple of 64 KiB, at most
				 * PKTPOOL_BUDDY_SIZE_MAX */
	uint32_t flags;		/* 0 */
	uint32_t mode;		/* permission bits, 0: 0600 */
	uint32_t __reserved[4];	/* 0 */
};

struct pktpool_buddy_stats {
	uint64_t size;		/* arena bytes */
	uint64_t free_bytes;
	uint64_t used_bytes;	/* in allocated blocks (rounded up) */
	uint64_t largest_free;	/* the largest free block */
	uint64_t free_blocks[PKTPOOL_BUDDY_ORDERS];	/* per order */
	uint64_t used_blocks;
	uint32_t fragmentation;	/* percent of free_bytes not in free
				 * 64 KiB blocks (so unusable for the
				 * largest size); 0 when nothing is free */
	uint32_t __pad;
	uint64_t allocs;	/* counters since the arena was made */
	uint64_t frees;
	uint64_t failures;
	uint64_t repairs;	/* free-list rebuilds after a cut-short call */
};

struct pktpool_buddy;

int pktpool_buddy_create(const struct pktpool_buddy_config *cfg,
			 struct pktpool_buddy **buddy);
int pktpool_buddy_attach(const char *name, struct pktpool_buddy **buddy);
int pktpool_buddy_detach(struct pktpool_buddy *buddy);
int pktpool_buddy_unlink(const char *name);

/* A block of at least bytes (1..64 KiB, rounded up to a power of 2), or
 * NULL with errno: ENOMEM, EMSGSIZE (0 or more than 64 KiB), EUCLEAN. */
void *pktpool_buddy_alloc(struct pktpool_buddy *buddy, size_t bytes);

/* 0, -EFAULT (not in the arena), -EINVAL (not the start of a block),
 * -EALREADY (free already), -EUCLEAN. NULL is ignored. */
int pktpool_buddy_free(struct pktpool_buddy *buddy, void *obj);

/* The block's size, 0 when obj starts no allocated block. */
size_t pktpool_buddy_usable_size(struct pktpool_buddy *buddy, const void *obj);

int pktpool_buddy_stats(struct pktpool_buddy *buddy,
			struct pktpool_buddy_stats *st);

/* Rebuild the free lists from the unit map (what a call finds to do
 * after one was cut short). Returns the free bytes, or -EUCLEAN. */
long long pktpool_buddy_repair(struct pktpool_buddy *buddy);

#ifdef __cplusplus
}
#endif

#endif /* LIBPKTPOOL_H */
