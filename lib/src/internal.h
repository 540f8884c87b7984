/* SPDX-License-Identifier: MIT */
/*
 * libpktpool internals: the region's shared header, the handle's private
 * state, and the functions the library's files call across each other.
 *
 * Memory-ordering pairs used throughout (every acquire/release names one):
 *  [A] creator: header published by a release store of magic;
 *      attacher: acquire load of magic before reading the header.
 *  [B] shared-list push: release CAS of head, after the pushed slots'
 *      links, tags and contents were written;
 *      [C] shared-list pop: acquire load/CAS of head before reading links
 *      and before the slots' contents are handed to the caller.
 *  [D] process entry: release store of state ALIVE/EXITED after pid and
 *      start time; reclaimer's acquire load of state before reading them.
 *  [E] thread cache entry: release store of owner 0 after the entry was
 *      emptied; claimer's acquire CAS of owner before resetting it.
 *  [F] transit record: release stores of transit_op (begin, done, end)
 *      after the fields and tags they cover; a survivor's acquire load of
 *      transit_op before reading them.
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
#define PKTPOOL_LAYOUT_VERSION	2u		/* 2: rx, fill, tx rings */
#define PKTPOOL_PAGE		4096u
#define PKTPOOL_HDR_SIZE	PKTPOOL_PAGE
#define PKTPOOL_CTRL_SIZE	16384u		/* = PKTPOOL_REGION_CTRL_SIZE */
#define PKTPOOL_META_SIZE	8u		/* = PKTPOOL_REGION_META_SIZE */
#define PKTPOOL_RING_HDR	128u		/* = PKTPOOL_REGION_RING_HDR */
#define PKTPOOL_NIL		0xffffffffu	/* end of a free-list chain */
#define PKTPOOL_POISON		0x6bu		/* debug: freed slot bytes */

/* Region header flags. */
#define PKTPOOL_HDR_F_DEBUG	(1u << 0)

/* Slot tag: owner in bits 0..5 (PKTPOOL__TAG_OWNER), state in 6..7. */
#define TAG_STATE_SHIFT		6
#define TAG_FREE		(0u << TAG_STATE_SHIFT)	/* on the shared list */
#define TAG_CACHED		(1u << TAG_STATE_SHIFT)	/* in a thread cache */
#define TAG_INUSE		(2u << TAG_STATE_SHIFT)	/* debug: with a user */
#define TAG_STATE_MASK		(3u << TAG_STATE_SHIFT)
#define TAG(owner, state)	((uint8_t)((owner) | (state)))

/* Process table entry states. */
enum {
	PROC_FREE = 0,
	PROC_CLAIMING,		/* being filled in by its process */
	PROC_ALIVE,
	PROC_EXITED,		/* detached with slots still charged to it */
	PROC_RECLAIMING,	/* a survivor is returning its slots */
};

/* Thread cache transit_op: the shared-list CAS its thread is inside. */
enum {
	TRANSIT_NONE = 0,
	TRANSIT_POP,		/* about to CAS a chain off the list */
	TRANSIT_POPPED,		/* CAS done, tagging the chain */
	TRANSIT_PUSH,		/* about to CAS a chain onto the list */
	TRANSIT_PUSHED,		/* CAS done, untagging the chain */
};

/* Free-list head: slot index in the low 32 bits, generation above. */
static inline uint64_t head_make(uint32_t idx, uint32_t gen)
{
	return (uint64_t)gen << 32 | idx;
}
static inline uint32_t head_idx(uint64_t h) { return (uint32_t)h; }
static inline uint32_t head_gen(uint64_t h) { return (uint32_t)(h >> 32); }

/* 32 bytes. Entry i describes owner id i + 1. */
struct pktpool__proc {
	_Atomic uint32_t state;
	_Atomic int32_t pid;
	_Atomic uint64_t start_time;	/* field 22 of /proc/PID/stat */
	_Atomic int32_t reclaimer;	/* pid of the survivor reclaiming it */
	_Atomic uint32_t epoch;		/* bumped at every claim */
	uint64_t __pad;
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
	/* 64: the shared free list, one line. */
	_Atomic uint64_t head;
	_Atomic uint64_t free_count;
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
	uint8_t __pad3[1024 - 192 - PKTPOOL_NAME_MAX];
	/* 1024: process table. */
	struct pktpool__proc proc[PKTPOOL_PROCS_MAX];
	uint8_t __pad4[PKTPOOL_HDR_SIZE - 1024 -
		       PKTPOOL_PROCS_MAX * sizeof(struct pktpool__proc)];
};

_Static_assert(sizeof(struct pktpool__proc) == 32, "proc entry size");
_Static_assert(offsetof(struct pktpool__hdr, head) == 64, "head line");
_Static_assert(offsetof(struct pktpool__hdr, peak) == 128, "counter line");
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
	struct pktpool__tcache *tcache;	/* PKTPOOL_THREADS_MAX entries */
	int fd;
	const struct pktpool__backend *be;
	char name[PKTPOOL_NAME_MAX];
	bool live;
	bool debug;
	bool nocache;
	uint32_t batch;			/* slots per refill/drain */
	pktpool_error_fn errfn;
	void *errarg;
	unsigned int fork_gen;		/* registration is for this fork */
	pid_t pid;
	uint64_t start_time;
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
int pktpool__handle_get(const struct pktpool *p, struct pktpool__priv **pv);
int pktpool__handle_alloc(struct pktpool **out);
void pktpool__handle_free(struct pktpool *p);

/* layout.c */
int pktpool__layout(uint32_t slot_size, uint32_t slot_count,
		    struct pktpool_layout *lay);
bool pktpool__hdr_claim(struct pktpool__priv *pv);
void pktpool__hdr_init(struct pktpool__priv *pv, uint32_t flags);
int pktpool__hdr_check(struct pktpool__priv *pv);

/* freelist.c */
int pktpool__pop(struct pktpool *p, struct pktpool__tcache *tc,
		 uint32_t *out, uint32_t want, uint32_t *got);
int pktpool__push(struct pktpool *p, struct pktpool__tcache *tc,
		  const uint32_t *idx, uint32_t n);
int pktpool__push_chain(struct pktpool *p, struct pktpool__tcache *tc,
			uint32_t first, uint32_t last, uint32_t n);

/* cache.c */
int pktpool__register(struct pktpool *p);
struct pktpool__tcache *pktpool__thread_cache(struct pktpool *p, int *err);
struct pktpool__tcache *pktpool__thread_cache_peek(struct pktpool *p);
int pktpool__drain_all_local(struct pktpool *p);
void pktpool__forget_handle(struct pktpool *p);
void pktpool__fork_child(void);
int pktpool__drain(struct pktpool *p, struct pktpool__tcache *tc,
		   uint32_t keep);
void pktpool__tcache_release(struct pktpool *p, struct pktpool__tcache *tc);
uint64_t pktpool__tcache_allocs(const struct pktpool__tcache *tc);

/* proc.c */
int pktpool__proc_claim(struct pktpool *p);
void pktpool__proc_release(struct pktpool *p);
int pktpool__proc_start_time(pid_t pid, uint64_t *start, bool *dead);

/* debug.c */
PKTPOOL_COLD int pktpool__report(struct pktpool *p, int err,
				 const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void pktpool__poison(struct pktpool *p, uint32_t idx);
int pktpool__poison_check(struct pktpool *p, uint32_t idx);
bool pktpool__env_debug(void);

static inline void *slot_ptr(const struct pktpool *p, uint32_t idx)
{
	return p->slots + (size_t)idx * p->slot_size;
}

#endif /* PKTPOOL_INTERNAL_H */
