/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _PKTPOOL_POOL_H
#define _PKTPOOL_POOL_H

#include <linux/atomic.h>
#include <linux/mutex.h>
#include <linux/refcount.h>
#include <linux/workqueue.h>
#include <linux/spinlock.h>
#include <linux/xarray.h>
#include <linux/pktpool.h>

#include "pktpool.h"
#include "ring.h"

struct pktpool_class;
struct pktpool_pcpu;

/*
 * Limits are kept as tokens: avail (global) + every CPU's credit + objects
 * in use always equals the effective limit. A CPU spends its own credit on
 * the fast path and returns to the global counter only in batches, so the
 * limit is exact without a shared atomic per allocation. An unlimited pool
 * simply has a limit no one reaches. See pcpu.c.
 */
#define PKTPOOL_UNLIMITED	(LONG_MAX / 4)

#define PKTPOOL_PCPU_CACHE	64	/* free objects a CPU keeps per pool */

struct pktpool {
	/* Read on every allocation; written only by configuration. */
	struct pktpool_pcpu __percpu *pcpu;
	const struct pktpool_class *class;
	struct pktpool_ring *ring;	/* region-backed pools, else NULL */
	bool debug;		/* track objects, check every free */
	bool reserve_low;	/* frees top up the reserve first */
	unsigned int batch;	/* credits taken from avail at once, 0: tight */
	unsigned int batch_max;	/* batch far from the limit */

	/* Shared between CPUs, touched on slow paths only. */
	atomic_long_t avail ____cacheline_aligned_in_smp;
	atomic_long_t peak;
	atomic_long_t bad_frees;
	/* Counters as they were at the last reset, subtracted on read. */
	unsigned long base_fail_limit;
	unsigned long base_fail_nomem;
	unsigned long base_reserve_hits;
	spinlock_t lock;	/* reserve array and count */
	void **reserve;
	unsigned int reserve_count;
	unsigned int reserve_target;
	struct xarray objs;	/* debug: records of objects out, objects.c */
	atomic64_t obj_seq;	/* debug: allocations numbered, from 1 */

	/* The shrinker's view, under pktpool_pools_lock (see reclaim.c). */
	unsigned long shrink_allocs;	/* allocations when it last looked */
	bool shrink_idle;		/* none since the look before */

	/* Netlink alerts (limit reached, reserve used), see netlink.c. */
	unsigned long ntf_pending;
	unsigned long ntf_next;	/* jiffies before which none is sent */
	u64 ntf_fail_limit;	/* fail_limit at the last alert */
	u8 health;		/* enum pktpool_health last sent, see health.c */
	struct delayed_work ntf_work;

	/* Configuration, changed under pktpool_pools_lock. */
	refcount_t ref;		/* one for the registry, one per holder */
	u32 id;
	u32 flags;
	unsigned int obj_size;
	int node;
	u64 limit;
	char name[PKTPOOL_NAME_MAX];

	/* Region-backed pools: where the objects come from. */
	struct pktpool_region *region;
	struct pktpool_ring_user ring_user;	/* its tx callback */
	atomic_long_t ring_out;	/* objects the pool's users hold */
};

extern struct mutex pktpool_pools_lock;

int __init pktpool_pool_init(void);
void pktpool_pool_exit(void);
bool pktpool_name_valid(const char *name, size_t size);
bool pktpool_node_valid(int node);
int pktpool_params_check(const struct pktpool_params *p);

/* Registry access for the ioctl and netlink front ends. */
struct pktpool *pktpool_find_locked(u32 id, const char *name);
struct pktpool *pktpool_create_locked(const struct pktpool_params *p);
int pktpool_destroy_locked(struct pktpool *pool, unsigned int refs);
int pktpool_set_locked(struct pktpool *pool, bool set_limit, u64 limit,
		       bool set_reserve, u64 reserve);
void pktpool_reset_stats_locked(struct pktpool *pool);
unsigned int pktpool_max_pools(void);
extern struct xarray pktpool_pools;

/* pcpu.c */
int pktpool_pcpu_init(struct pktpool *pool);
void pktpool_pcpu_exit(struct pktpool *pool);
void pktpool_pcpu_set_limit(struct pktpool *pool, u64 old_limit, u64 limit);
void pktpool_pcpu_stats(struct pktpool *pool, struct pktpool_stats *s);
long pktpool_in_use(struct pktpool *pool);
unsigned long pktpool_pcpu_cached(struct pktpool *pool);
unsigned long pktpool_pcpu_allocs(struct pktpool *pool);
unsigned int pktpool_pcpu_drain(struct pktpool *pool, int cpu, void **buf);
void pktpool_pcpu_dead(struct pktpool *pool, int cpu);
void pktpool_peak_update(struct pktpool *pool, long in_use);

/* The reserve, in pool.c. */
void *pktpool_reserve_pop(struct pktpool *pool);
bool pktpool_reserve_push(struct pktpool *pool, void *obj);

#endif /* _PKTPOOL_POOL_H */
