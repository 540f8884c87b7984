/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pktpool: the API other kernel modules use to allocate packet objects.
 *
 * A pool is named, serves objects of one size from a shared size-class
 * slab, and keeps its own limit, reserve and statistics. The fast path is a
 * per-CPU object cache refilled and drained in bulk, so the common
 * alloc/free touches only this CPU's cache lines, with no atomic operation,
 * no lock and no change of the interrupt flag (see kmod/pcpu.c).
 *
 * Contexts: functions marked "any context" may be called from process,
 * softirq and hardirq context, with a gfp that fits the context: GFP_KERNEL
 * may sleep and is for process context only, GFP_ATOMIC never sleeps.
 * Functions marked "process context" may sleep.
 *
 * On PREEMPT_RT the slow paths take spinlock_t locks (the reserve's, the
 * slab's), which sleep there, so "any context" means any but hard irq
 * context: interrupt handlers run in irq threads there and may call
 * pktpool, softirqs and timers too; code that still runs in hard irq
 * context on PREEMPT_RT (IRQF_NO_THREAD handlers, HARD hrtimers and
 * irq_work, raw_spinlock_t or preempt_disable() sections) must not, as for
 * kmem_cache_alloc().
 *
 * A region-backed pool (see pktpool_params.region) may be used from
 * process and softirq context only, never from hard irq context.
 *
 * Holding a pool pointer (from pktpool_create() or pktpool_get()) pins the
 * pool and the pktpool module until the matching pktpool_put() or a
 * successful pktpool_destroy().
 */
#ifndef _PKTPOOL_H
#define _PKTPOOL_H

#include <linux/gfp.h>
#include <linux/types.h>

struct pktpool;
struct pktpool_desc;

/* What pktpool_create() takes; see uapi/linux/pktpool.h for the bounds. */
struct pktpool_params {
	const char *name;	/* 1..31 characters of [a-z0-9_-] */
	unsigned int obj_size;	/* 1..largest size class */
	u64 limit;		/* max objects out at once, 0 = unlimited */
	u64 reserve;		/* objects kept aside for atomic callers */
	int node;		/* NUMA node preference, NUMA_NO_NODE for any */
	u32 flags;		/* PKTPOOL_POOL_F_* */
	/*
	 * NULL, or the name of a region whose slots the pool hands out:
	 * obj_size at most the slot size (0: the slot size), no limit or
	 * reserve; objects come from the slots userspace put on the
	 * region's fill ring.
	 */
	const char *region;
	/*
	 * Region-backed pools, optional: called for each valid descriptor
	 * userspace puts on the region's tx ring for a slot this pool put on
	 * the rx ring (a verdict). Process context, from
	 * PKTPOOL_IOC_REGION_KICK, with no pktpool lock held; the pool is not
	 * destroyed while it runs, and it must not create or destroy pools
	 * itself. d is the kernel's private copy of the descriptor, with
	 * d->slot checked; data is the slot, still shared with userspace, so
	 * copy before checking. The slot is the kernel's again on return.
	 */
	void (*tx)(void *arg, const struct pktpool_desc *d, const void *data);
	void *tx_arg;		/* the argument of tx, kick and live */
	/*
	 * Region-backed pools: tx is also called for every tx descriptor
	 * whose slot no pool put on the rx ring (userspace's own packets);
	 * the slots of every descriptor it gets come back to userspace on
	 * the rx ring (PKTPOOL_DESC_F_RETURNED) once tx returns. At most
	 * one pool per region (-EBUSY).
	 */
	bool tx_any;
	/*
	 * Region-backed pools, optional: called after each
	 * PKTPOOL_IOC_REGION_KICK on the region, after the tx descriptors,
	 * as tx is (process context, no pktpool lock held).
	 */
	void (*kick)(void *arg);
	/*
	 * Region-backed pools, optional: whether some file has the region
	 * attached for writing (its daemon). Called once from
	 * pktpool_create() with the state then, and on each change; when
	 * the last writer of a region with a tx_any pool goes, the kernel
	 * takes the rings back first (slots on the rings are userspace's
	 * again). Process context, it may sleep; it must not create or
	 * destroy pools.
	 */
	void (*live)(void *arg, bool live);
};

/* A consistent-enough snapshot: per-CPU counters summed at read time. */
struct pktpool_stats {
	u64 in_use;
	u64 peak;
	u64 allocs;
	u64 frees;
	u64 fail_limit;
	u64 fail_nomem;
	u64 reserve_hits;
	u64 reserve_avail;
	u64 cached;
	u64 holders;
	u64 bad_frees;
};

/*
 * Process context. Create and register a pool; the caller holds the
 * returned reference. ERR_PTR(-EINVAL) for bad parameters, -EEXIST for a
 * taken name, -ENOSPC when max_pools exist, -ENOENT for a missing region,
 * -EBUSY for a second tx_any pool on a region, -ENOMEM.
 */
struct pktpool *pktpool_create(const struct pktpool_params *params);

/*
 * Process context. Unregister the pool and drop the caller's reference.
 * -EBUSY, with nothing changed and the reference still held, while objects
 * are outstanding or anyone else holds the pool.
 */
int pktpool_destroy(struct pktpool *pool);

/* Process context. Find a pool by name and take a reference, or NULL. */
struct pktpool *pktpool_get(const char *name);

/* Any context. Drop a reference taken by pktpool_get(). */
void pktpool_put(struct pktpool *pool);

/* Any context. Name and object size, valid while a reference is held. */
const char *pktpool_name(const struct pktpool *pool);
unsigned int pktpool_obj_size(const struct pktpool *pool);

/*
 * Any context. One object, or NULL when the pool's limit is reached or no
 * memory (nor reserve) is left; both are counted. The limit is never
 * exceeded. In task context with interrupts on, NULL for the limit means
 * that every object the limit allows is out: credit other CPUs still hold
 * is asked for and waited for (an IPI). In softirq or hard irq context, or
 * with interrupts off, nothing can be waited for: at the limit an
 * allocation can then fail while another CPU still holds a little credit,
 * which that CPU is asked to give back and a following allocation gets.
 * The pool keeps no credit on CPUs close to its limit, so this is rare.
 */
void *pktpool_alloc(struct pktpool *pool, gfp_t gfp);

/* Any context. As pktpool_alloc(), with the object's bytes zeroed. */
void *pktpool_zalloc(struct pktpool *pool, gfp_t gfp);

/*
 * Any context. Give back an object from pktpool_alloc() on this pool.
 * NULL is ignored. In debug mode a pointer the pool does not have out is
 * reported, counted in bad_frees and not freed.
 */
void pktpool_free(struct pktpool *pool, void *obj);

/*
 * Any context. Allocate up to nr objects into objs; returns how many, which
 * is fewer than nr only when the limit or memory ran out.
 */
unsigned int pktpool_alloc_bulk(struct pktpool *pool, gfp_t gfp,
				unsigned int nr, void **objs);

/* Any context. Free nr objects, as pktpool_free() each. */
void pktpool_free_bulk(struct pktpool *pool, unsigned int nr, void **objs);

/*
 * Region-backed pools only, process or softirq context (not hardirq).
 * Hand an object to userspace: it goes on the region's rx ring with the
 * metadata in desc (desc->slot is filled in) and no longer belongs to the
 * caller. -EINVAL if obj is not an object of this pool that the caller
 * holds, or desc->len is larger than the slot.
 */
int pktpool_rx_submit(struct pktpool *pool, void *obj,
		      const struct pktpool_desc *desc);

/*
 * Region-backed pools only, process or softirq context (not hardirq).
 * want: the caller found no free slot and waits for some; userspace is
 * asked (PKTPOOL_RING_F_NEED_WAKEUP on the fill ring) to kick after it
 * fills, which calls the pool's kick. Allocate once more after asking: a
 * fill that raced with the request is not announced. !want: no more.
 */
void pktpool_rx_want_fill(struct pktpool *pool, bool want);

/* Any context. Summed statistics of the pool. */
void pktpool_get_stats(struct pktpool *pool, struct pktpool_stats *stats);

#endif /* _PKTPOOL_H */
