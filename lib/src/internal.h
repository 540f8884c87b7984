/* SPDX-License-Identifier: MIT */
/*
 * libpktpool internals: the region's shared header, the handle's private
 * state, and the functions the library's files call across each other.
 *
 * Memory-ordering pairs used throughout (every acquire/release names one):
 *  [A] creator: header published by a release store of magic;
 *      attacher: acquire load of magic before reading the header.
 *  [B] shared-list push: the head CAS (a full barrier), after the pushed
 *      slots' links, tags and contents were written;
 *      [C] shared-list pop: acquire load of the head, and the head CAS,
 *      before reading links and before the slots go to the caller.
 *  [D] process entry: release store of state ALIVE/EXITED/FREE after its
 *      other fields; acquire load of state by whoever holds the entry's
 *      lock next. The lock itself (a syscall each side) orders the rest.
 *  [E] thread cache entry: release store of owner 0 after the entry was
 *      emptied; claimer's acquire CAS of owner before resetting it.
 *  [F] transit record: release stores of transit_op (begin, done, end)
 *      after the fields and tags they cover; a survivor's acquire load of
 *      transit_op before reading them (the dead process's stores are all
 *      visible by then: its lock was released at its exit).
 *
 * Relaxed everywhere else: counters, tags (changed only by the slot's
 * owner or by CAS), the thread cache fields (one writer).
 */
#ifndef PKTPOOL_INTERNAL_H
#define PKTPOOL_INTERNAL_H

#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "libpktpool.h"

#define PKTPOOL_EXPORT	__attribute__((visibility("default")))
#define PKTPOOL_COLD	__attribute__((cold, noinline))

#define PKTPOOL_MAGIC		0x314c4f4f50544b50ull	/* "PKTPOOL1" */
/* In magic while one process lays the header out; see hdr_claim(). */
#define PKTPOOL_MAGIC_CLAIMED	0x2e2e2e4c4f4f504bull	/* "KPOOL..." */
#define PKTPOOL_LAYOUT_VERSION	5u	/* 5: statistics bases (384), debug
					 * state (dbg[]) and trailers, depot
					 * after dbg[]; 4: magazine depot;
					 * 3: rx, fill, tx rings; 2: 128-bit
					 * head, entry locks */
#define PKTPOOL_PAGE		4096u
#define PKTPOOL_HDR_SIZE	PKTPOOL_PAGE
#define PKTPOOL_CTRL_SIZE	16384u		/* = PKTPOOL_REGION_CTRL_SIZE */
#define PKTPOOL_META_SIZE	8u		/* = PKTPOOL_REGION_META_SIZE */
#define PKTPOOL_RING_HDR	128u		/* = PKTPOOL_REGION_RING_HDR */
#define PKTPOOL_NIL		0xffffffffu	/* end of a free-list chain */
#define PKTPOOL_POISON		0x6bu		/* debug: freed slot bytes */

/* Region header flags. */
#define PKTPOOL_HDR_F_DEBUG	(1u << 0)

/*
 * Slot tag: owner in bits 0..5 (PKTPOOL__TAG_OWNER), state in 6..7. Owner 0
 * is only ever TAG_FREE. The tag is each slot's one linearization point:
 * whoever changes it by CAS from a dead or handing-over owner has the slot.
 */
#define TAG_STATE_SHIFT		6
#define TAG_FREE		(0u << TAG_STATE_SHIFT)	/* on the shared list */
#define TAG_CACHED		(1u << TAG_STATE_SHIFT)	/* owned (cache or user) */
#define TAG_INUSE		(2u << TAG_STATE_SHIFT)	/* debug: with a user */
#define TAG_RECLAIM		(3u << TAG_STATE_SHIFT)	/* taken by a reclaimer,
							 * on its way to the list */
#define TAG_STATE_MASK		(3u << TAG_STATE_SHIFT)
#define TAG(owner, state)	((uint8_t)((owner) | (state)))
_Static_assert(TAG_CACHED == PKTPOOL__TAG_CACHED, "cached tag");

/* pktpool.owner of a handle not registered: no tag has these bits. */
#define OWNER_NONE		0x100u

/*
 * Process table entry states. Only the holder of the entry's lock (see
 * proc.c) changes its state.
 */
enum {
	PROC_FREE = 0,
	PROC_CLAIMING,		/* being filled in (the lock says whose) */
	PROC_ALIVE,
	PROC_EXITED,		/* detached with slots still charged */
	PROC_RECLAIMING,	/* a survivor is returning its slots */
};

/*
 * Thread cache transit_op: the shared-list or depot CAS its thread is
 * inside. For the depot ops transit_first is the magazine.
 */
enum {
	TRANSIT_NONE = 0,
	TRANSIT_POP,		/* about to CAS a chain off the list */
	TRANSIT_POPPED,		/* CAS done, tagging the chain */
	TRANSIT_PUSH,		/* about to CAS a chain onto the list */
	TRANSIT_PUSHED,		/* CAS done, untagging the chain */
	TRANSIT_MPOP,		/* about to CAS a full magazine off */
	TRANSIT_MPOPPED,	/* CAS done: tagging its slots, then it is
				 * an empty magazine we hold */
	TRANSIT_MPUSH,		/* filled, about to CAS a full magazine on
				 * (its slots tagged free before) */
	TRANSIT_EPOP,		/* about to CAS an empty magazine off */
	TRANSIT_EHELD,		/* holding an empty magazine, filling it */
	TRANSIT_EPUSH,		/* about to CAS an empty magazine on */
	TRANSIT_OP_MAX = TRANSIT_EPUSH,
};

/*
 * Free-list head, 16 bytes changed by one 128-bit CAS: lo = first slot
 * index | free count << 32, gen = 64-bit generation bumped by every CAS.
 * A generation cannot come round again (2^64 CAS), so a head read, a walk
 * and a CAS that succeeds prove nothing moved meanwhile; the count moves
 * with the list, so it is exact whenever the head is.
 */
struct pktpool__head {
	_Atomic uint64_t lo;
	_Atomic uint64_t gen;
} __attribute__((aligned(16)));

struct hv {			/* a head value, private */
	uint64_t lo, gen;
};

static inline uint32_t hv_idx(struct hv v) { return (uint32_t)v.lo; }
static inline uint32_t hv_count(struct hv v) { return (uint32_t)(v.lo >> 32); }
static inline struct hv hv_make(uint32_t idx, uint32_t count, uint64_t gen)
{
	struct hv v = { (uint64_t)count << 32 | idx, gen };

	return v;
}

#ifdef __SANITIZE_THREAD__
/* TSan cannot see the CAS below (and its own 16-byte CAS is a lock local
 * to the process): tell it about the ordering by hand. */
void __tsan_acquire(void *addr);
void __tsan_release(void *addr);
#define head_tsan_release(h)	__tsan_release(h)
#define head_tsan_acquire(h)	__tsan_acquire(h)
#else
#define head_tsan_release(h)	do { } while (0)
#define head_tsan_acquire(h)	do { } while (0)
#endif

/*
 * CAS the head from *expect to want; on failure *expect is the current
 * value, read atomically. A full barrier either way ([B], [C]). On x86-64
 * this is lock cmpxchg16b, lock-free across processes (GCC's own 16-byte
 * atomics may call libatomic, which need not be).
 */
static inline bool head_cas(struct pktpool__head *h, struct hv *expect,
			    struct hv want)
{
	bool ok;

	head_tsan_release(h);
#if defined(__x86_64__)
	__asm__ __volatile__("lock cmpxchg16b %1"
			     : "=@ccz"(ok), "+m"(*h),
			       "+a"(expect->lo), "+d"(expect->gen)
			     : "b"(want.lo), "c"(want.gen)
			     : "memory");
#else
	{
		typedef unsigned __int128 u128 __attribute__((may_alias));
		u128 e = (u128)expect->gen << 64 | expect->lo;
		u128 w = (u128)want.gen << 64 | want.lo;
		u128 old = __sync_val_compare_and_swap((u128 *)h, e, w);

		ok = old == e;
		expect->lo = (uint64_t)old;
		expect->gen = (uint64_t)(old >> 64);
	}
#endif
	head_tsan_acquire(h);
	return ok;
}

/* The head, read atomically (a CAS that changes nothing). */
static inline struct hv head_snapshot(struct pktpool__head *h)
{
	struct hv v = { 0, 0 };

	head_cas(h, &v, v);
	return v;
}

/*
 * The head, read cheaply: the two halves may be from different moments,
 * which only makes the CAS that follows fail and return the real value.
 * The generation first: a CAS that succeeds with (lo, gen) read this way
 * proves the head was (lo, gen) from the generation load on, so the links
 * read after lo (acquire) are the list's.
 */
static inline struct hv head_load(struct pktpool__head *h)
{
	struct hv v;

	/* [C] pairs with the head CAS [B] of the pusher */
	v.gen = atomic_load_explicit(&h->gen, memory_order_acquire);
	v.lo = atomic_load_explicit(&h->lo, memory_order_acquire);
	return v;
}

static inline bool hv_eq(struct hv a, struct hv b)
{
	return a.lo == b.lo && a.gen == b.gen;
}

/*
 * 32 bytes. Entry i describes owner id i + 1, and is held by whoever holds
 * the OFD lock on its byte of the region's file (see proc.c).
 */
struct pktpool__proc {
	_Atomic uint32_t state;
	_Atomic int32_t pid;		/* as its process saw it; a label */
	_Atomic uint64_t lock_id;	/* file its lock is on (dev, inode) */
	/* transit record of the process's threads without a cache */
	_Atomic uint32_t t_op;		/* op | n << 8 */
	_Atomic uint32_t t_first;
	_Atomic uint64_t t_gen;		/* generation the CAS expects */
};

/*
 * The header page at offset 0 of every region. Anything here may have
 * been overwritten by any attached process; nothing in it is used to
 * compute an address.
 */
struct pktpool__hdr {
	/* 0: identity, written once by the creator. */
	_Atomic uint64_t magic;			/* [A] published last */
	uint32_t layout_version;
	uint32_t hdr_size;
	uint32_t slot_size;
	uint32_t slot_count;
	uint32_t flags;				/* PKTPOOL_HDR_F_* */
	uint32_t ring_entries;
	uint64_t size;
	uint64_t off_slots;
	uint8_t __pad0[16];
	/* 64: the shared free list ("loose" slots) and its count, one line. */
	struct pktpool__head head;
	uint8_t __pad1[48];
	/* 128: rarely written counters. */
	_Atomic uint64_t peak;
	_Atomic uint64_t retired_allocs;	/* of thread caches released */
	_Atomic uint64_t retired_frees;
	_Atomic uint64_t retired_failures;
	_Atomic uint64_t errors;
	_Atomic uint64_t reclaimed;
	_Atomic uint64_t uncertain;		/* slots a dead process may
						 * have lost mid-CAS */
	_Atomic uint64_t shared_failures;	/* no thread cache entry */
	/* 192: creator's name, for tools. */
	char name[PKTPOOL_NAME_MAX];
	uint8_t __pad2[256 - 192 - PKTPOOL_NAME_MAX];
	/* 256, 320: the depot's stacks of full and of empty magazines (see
	 * depot.c), a line each; count = magazines on the stack. */
	struct pktpool__head full;
	uint8_t __pad3[48];
	struct pktpool__head empty;
	uint8_t __pad4[384 - 336];
	/*
	 * 384: statistics reset (stats.c). The counters themselves are
	 * summed from every thread cache and only ever grow; a reset stores
	 * here what the sums were, and readers subtract (clamping at 0). So
	 * a reset writes nothing a thread owns and costs the fast path
	 * nothing.
	 */
	_Atomic uint64_t base_allocs;
	_Atomic uint64_t base_frees;
	_Atomic uint64_t base_failures;
	_Atomic uint64_t base_errors;
	_Atomic uint64_t base_reclaimed;
	_Atomic int64_t reset_time;		/* CLOCK_REALTIME s, 0: never */
	_Atomic uint32_t resets;
	uint8_t __pad6[1024 - 384 - 52];
	/* 1024: process table. */
	struct pktpool__proc proc[PKTPOOL_PROCS_MAX];
	uint8_t __pad5[PKTPOOL_HDR_SIZE - 1024 -
		       PKTPOOL_PROCS_MAX * sizeof(struct pktpool__proc)];
};

/*
 * A magazine: up to PKTPOOL_BATCH_MAX slot indices moved as one. Full
 * magazines hold exactly the handle's batch (the same in every process:
 * a function of slot_count), so a refill or a drain of a batch is one CAS
 * and one copy. The magazines live in the meta area after the tags (see
 * layout.c), where anyone may write them: every index read back is
 * checked, and a slot is only handed out if its tag said free.
 */
struct pktpool__mag {
	_Atomic uint32_t next;		/* next magazine on its stack */
	uint32_t __pad[3];
	_Atomic uint32_t slot[PKTPOOL_BATCH_MAX];
};

#define PKTPOOL_MAG_SIZE	144u
_Static_assert(sizeof(struct pktpool__mag) == PKTPOOL_MAG_SIZE, "magazine");

_Static_assert(sizeof(struct pktpool__proc) == 32, "proc entry size");
_Static_assert(offsetof(struct pktpool__hdr, head) == 64, "head line");
_Static_assert(offsetof(struct pktpool__hdr, peak) == 128, "counter line");
_Static_assert(offsetof(struct pktpool__hdr, full) == 256, "depot full line");
_Static_assert(offsetof(struct pktpool__hdr, empty) == 320, "depot empty line");
_Static_assert(offsetof(struct pktpool__hdr, base_allocs) == 384, "reset line");
_Static_assert(offsetof(struct pktpool__hdr, proc) == 1024, "proc table");
_Static_assert(sizeof(struct pktpool__hdr) == PKTPOOL_HDR_SIZE, "header");
_Static_assert(sizeof(struct pktpool__tcache) ==
	       128 + 4 * PKTPOOL_CACHE_MAX, "thread cache entry");

/* ------------------------------------------------------------------ */
/* Backends: where a region's memory comes from. */

struct pktpool__region {
	int fd;
	uint64_t size;			/* bytes to map */
	uint64_t mmap_off;		/* offset to map fd at */
	uint32_t slot_size;		/* 0 when the backend does not know */
	uint32_t slot_count;
	bool sealed;			/* size cannot change under us */
	bool unnamed;			/* made nameless, publish() names it */
	bool rdonly;			/* in: open for reading only */
	uint32_t id;			/* kernel region id */
	char name[PKTPOOL_NAME_MAX];	/* kernel: the region's name */
};

struct pktpool__backend {
	const char *name;
	/* Make memory for lay; r->fd and size filled. */
	int (*create)(const struct pktpool_config *cfg,
		      const struct pktpool_layout *lay,
		      struct pktpool__region *r);
	/* Open a named region; geometry filled when the backend has it. */
	int (*attach)(const char *name, struct pktpool__region *r);
	/* Describe a region from an fd already dup'ed into r->fd. */
	int (*attach_fd)(struct pktpool__region *r);
	/* Give a created region its name, once laid out (NULL: it has it). */
	int (*publish)(const struct pktpool_config *cfg,
		       struct pktpool__region *r);
	/* Remove a name; also used to undo a failed create. */
	int (*unlink)(const char *name);
};

extern const struct pktpool__backend pktpool__backend_memfd;
extern const struct pktpool__backend pktpool__backend_kernel;

/* PKTPOOL_BACKEND: memfd, kernel, or auto (kernel when it works). */
int pktpool__backend_select(const struct pktpool__backend **be);

/* ------------------------------------------------------------------ */
/* Handle private state. */

struct pktpool__priv {
	struct pktpool__hdr *hdr;
	void *map;			/* reservation incl. guard pages */
	size_t map_len;
	unsigned char *base;		/* region start */
	struct pktpool_layout lay;
	_Atomic uint32_t *next;		/* per-slot links */
	_Atomic uint8_t *tag;		/* per-slot tags */
	struct pktpool__mag *mag;	/* the depot's magazines */
	uint32_t mag_count;
	/* Private truth of each of our thread caches' spare empty magazine
	 * (the entry's mag field is a copy for reclaim to find); written by
	 * the entry's thread alone. */
	uint32_t stash[PKTPOOL_THREADS_MAX];
	_Atomic uint8_t *dbg;		/* per-slot debug state (DBG_*), in
					 * the meta's spare bytes */
	struct pktpool__tcache *tcache;	/* PKTPOOL_THREADS_MAX entries */
	int fd;
	int lockfd;			/* this process's own open file
					 * description for entry locks */
	uint64_t lock_id;
	pthread_mutex_t nc_lock;	/* threads without a cache: one
					 * shared-list op at a time (one
					 * transit record per process) */
	const struct pktpool__backend *be;
	char name[PKTPOOL_NAME_MAX];
	bool live;
	bool debug;
	bool nocache;
	bool rdonly;			/* PKTPOOL_F_RDONLY: mapped read-only,
					 * no process entry; reads only */
	uint32_t batch;			/* slots per refill/drain */
	pktpool_error_fn errfn;
	void *errarg;
	unsigned int fork_gen;		/* registration is for this fork */
	pid_t pid;
	uint32_t owner;			/* 0 until registered */
};

/* Per-thread bookkeeping, reached through a pthread key. */
struct pktpool__thread {
	struct pktpool__tls *fast;	/* this thread's pktpool__tls */
	struct pktpool__tcache *tc[PKTPOOL_HANDLES_MAX];
	struct pktpool__thread *prev, *next;
	pid_t tid;
};

/* handles.c */
extern struct pktpool pktpool__handles[PKTPOOL_HANDLES_MAX];
extern pthread_mutex_t pktpool__lock;
extern unsigned int pktpool__fork_gen;
/*
 * The library lock, with cancellation off while it is held (and restored
 * after): nothing under it may be a cancellation point that leaves it held.
 */
void pktpool__lock_take(int *cancel_state);
void pktpool__lock_give(int cancel_state);
/* A live handle that may write the region: -EPERM for a read-only one. */
int pktpool__handle_get(const struct pktpool *p, struct pktpool__priv **pv);
/* A live handle, read-only ones included: for calls that only read. */
int pktpool__handle_get_ro(const struct pktpool *p, struct pktpool__priv **pv);
int pktpool__handle_alloc(struct pktpool **out);
void pktpool__handle_free(struct pktpool *p);

/* layout.c */
int pktpool__layout(uint32_t slot_size, uint32_t slot_count,
		    struct pktpool_layout *lay);
/*
 * The depot's place: the meta area's bytes the links, tags and debug
 * states leave (2 per slot, plus the rounding to a page), from the first
 * 64-byte boundary after dbg[]; *off from off_meta. Room for magazines
 * holding about 45% of the slots (batch 32); the others stay on the
 * linked list. The meta area's size is the ABI's
 * (PKTPOOL_REGION_META_SIZE), so the kernel's regions have the same room.
 */
static inline void pktpool__mag_area(uint32_t slot_count, uint64_t *off,
				     uint32_t *count)
{
	uint64_t start = ((uint64_t)slot_count * 6 + 63) & ~(uint64_t)63;
	uint64_t end = ((uint64_t)slot_count * PKTPOOL_META_SIZE +
			PKTPOOL_PAGE - 1) & ~(uint64_t)(PKTPOOL_PAGE - 1);

	*off = start;
	*count = (uint32_t)((end - start) / PKTPOOL_MAG_SIZE);
}
uint32_t pktpool__batch(uint32_t slot_count);
void pktpool__hdr_init(struct pktpool__priv *pv, uint32_t flags);
int pktpool__hdr_check(struct pktpool__priv *pv);
int pktpool__hdr_layout(struct pktpool__priv *pv, uint32_t flags);

/* freelist.c */
int pktpool__pop(struct pktpool *p, struct pktpool__tcache *tc,
		 uint32_t *out, uint32_t want, uint32_t *got);
int pktpool__push(struct pktpool *p, struct pktpool__tcache *tc,
		  const uint32_t *idx, uint32_t n);

/* depot.c */
int pktpool__depot_get(struct pktpool *p, struct pktpool__tcache *tc,
		       uint32_t *out, uint32_t *got);
int pktpool__depot_put(struct pktpool *p, struct pktpool__tcache *tc,
		       const uint32_t *idx);
void pktpool__depot_unstash(struct pktpool *p, struct pktpool__tcache *tc);
void pktpool__mag_push_empty(struct pktpool *p, struct pktpool__tcache *tc,
			     uint32_t m);
/* Slots in full magazines (count of the full stack times the batch). */
uint64_t pktpool__depot_free(struct pktpool__priv *pv);
/*
 * Walk the full stack from head h: mark every slot index found in on[]
 * (slot_count bytes) and every magazine in mon[] (mag_count bytes, may be
 * NULL). Returns magazines walked, or -EUCLEAN for a broken stack (an
 * index out of range, a cycle), with the slot or magazine in *where.
 */
long pktpool__depot_walk(struct pktpool *p, struct hv h, uint8_t *on,
			 uint8_t *mon, uint32_t *where, bool *dup);
long pktpool__depot_walk_empty(struct pktpool *p, struct hv h, uint8_t *mon);

/* cache.c */
int pktpool__register(struct pktpool *p);
void *pktpool__alloc_at(struct pktpool *p, const void *site);
struct pktpool__tcache *pktpool__thread_cache(struct pktpool *p, int *err);
struct pktpool__tcache *pktpool__thread_cache_peek(struct pktpool *p);
int pktpool__drain_all_local(struct pktpool *p);
void pktpool__forget_handle(struct pktpool *p);
void pktpool__fork_child(void);
int pktpool__drain(struct pktpool *p, struct pktpool__tcache *tc,
		   uint32_t keep, uint32_t *left);
void pktpool__tcache_release(struct pktpool *p, struct pktpool__tcache *tc);
uint64_t pktpool__tcache_allocs(const struct pktpool__tcache *tc);

/* proc.c */
int pktpool__proc_claim(struct pktpool *p);
void pktpool__proc_release(struct pktpool *p);
int pktpool__lock_open(struct pktpool__priv *pv);
int pktpool__lock_try(struct pktpool__priv *pv, uint32_t byte);
void pktpool__lock_drop(struct pktpool__priv *pv, uint32_t byte);
#define LOCK_LAYOUT_BYTE	64	/* entries use bytes 0..62 */

/* stats.c */
struct pktpool__totals {
	uint64_t allocs, frees, failures, errors, reclaimed, cached;
	uint32_t threads;
};
void pktpool__totals(struct pktpool__priv *pv, struct pktpool__totals *t);

/* inspect.c */
void pktpool__held(struct pktpool *p, uint64_t held[PKTPOOL_PROCS_MAX + 1]);

/* publish.c: the region's summary for the kernel (uapi pktpool_region_lib);
 * held: pktpool__held() of now, or NULL to count them here */
void pktpool__publish(struct pktpool *p, const uint64_t *held);
void pktpool__publish_tick(struct pktpool *p);
int pktpool__stats(struct pktpool *p, struct pktpool__priv *pv,
		   struct pktpool_stats *st);

/* debug.c */
PKTPOOL_COLD int pktpool__report(struct pktpool *p, int err,
				 const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void pktpool__poison(struct pktpool *p, uint32_t idx);
void pktpool__poison_all(struct pktpool__priv *pv);
int pktpool__poison_check(struct pktpool *p, uint32_t idx);
bool pktpool__env_debug(void);

static inline uint32_t tcache_index(const struct pktpool__priv *pv,
				    const struct pktpool__tcache *tc)
{
	return (uint32_t)(tc - pv->tcache);
}

/*
 * Debug records (leak hunting). Every slot a debug handle hands out ends
 * in PKTPOOL_DEBUG_TRAILER bytes the user does not get: guard bytes right
 * after the usable size, then who allocated it and where. It lives in the
 * slot because nothing else has room for it: the kernel fixes the meta
 * size of its regions at 8 bytes a slot, of which 3 are spare; one of
 * those (dbg[], right after tag[]) says what the trailer holds, the depot's
 * magazines have the other two. Every field is a label for
 * tools, written by a process that may lie: checked where it is read.
 */
#define PKTPOOL_GUARD_BYTE	0xfdu
#define PKTPOOL_GUARD_LEN	8u
struct pktpool__dbg_rec {
	uint8_t guard[PKTPOOL_GUARD_LEN];
	uint64_t site;			/* return address of the alloc call */
	uint64_t time_ns;		/* CLOCK_MONOTONIC_COARSE at the alloc */
	int32_t pid;			/* allocating process and thread */
	int32_t tid;
};
_Static_assert(sizeof(struct pktpool__dbg_rec) == PKTPOOL_DEBUG_TRAILER,
	       "debug trailer");

enum {
	DBG_NONE = 0,		/* no trailer (free, or not a debug alloc) */
	DBG_ARMED,		/* guard and record written at hand out */
	DBG_UNGUARDED,		/* record written, then the slot went to a
				 * ring: the kernel may fill all of it */
	DBG_QUARANTINE,		/* guard found broken at free: kept out */
};

void pktpool__debug_record(struct pktpool *p, uint32_t idx, const void *site,
			   pid_t tid);
int pktpool__guard_check(struct pktpool *p, uint32_t idx);
void pktpool__debug_unguard(struct pktpool *p, uint32_t idx);
static inline void pktpool__debug_clear(struct pktpool__priv *pv, uint32_t idx)
{
	atomic_store_explicit(&pv->dbg[idx], DBG_NONE, memory_order_relaxed);
}

static inline void *slot_ptr(const struct pktpool *p, uint32_t idx)
{
	return p->slots + (size_t)idx * p->slot_size;
}

#endif /* PKTPOOL_INTERNAL_H */
