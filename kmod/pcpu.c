// SPDX-License-Identifier: GPL-2.0
/*
 * The allocation fast path. Every pool has, on every CPU, a small stack of
 * free objects and some limit credit. An allocation pops one object and
 * spends one credit; a free pushes one and earns one. Only when a CPU runs
 * out of objects (refill from the slab in bulk), fills up (drain in bulk),
 * or runs out of credit (take a batch from the pool, or steal from other
 * CPUs at the limit) does it touch anything shared.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpumask.h>
#include <linux/minmax.h>
#include <linux/module.h>
#include <linux/percpu.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "class.h"
#include "ring.h"
#include "debugfs.h"
#include "netlink.h"
#include "pool.h"
#include "trace.h"

#define PKTPOOL_PCPU_CACHE	64	/* free objects a CPU keeps per pool */
#define PKTPOOL_PCPU_BATCH	32	/* objects moved to or from the slab */

enum pktpool_stat {
	PKTPOOL_STAT_ALLOC,
	PKTPOOL_STAT_FREE,
	PKTPOOL_STAT_FAIL_LIMIT,
	PKTPOOL_STAT_FAIL_NOMEM,
	PKTPOOL_STAT_RESERVE_HIT,
	PKTPOOL_STAT_NR
};

struct pktpool_pcpu {
	/*
	 * Taken by its own CPU on every alloc and free: uncontended, and the
	 * line stays in that CPU's cache. Other CPUs take it only on rare
	 * slow paths (stealing credit at the limit, changing the limit,
	 * destroying the pool), which is why this is a spinlock and not a
	 * local_lock. It also makes a migration between picking the CPU and
	 * locking harmless: the task then just uses another CPU's cache.
	 */
	spinlock_t lock;
	unsigned int count;
	long credit;
	/* Statistics, written under lock, summed without it. */
	unsigned long stat[PKTPOOL_STAT_NR];
	void *objs[PKTPOOL_PCPU_CACHE];
};

static __always_inline struct pktpool_pcpu *
pktpool_pcpu_lock(struct pktpool *pool, unsigned long *flags)
{
	struct pktpool_pcpu *pc = raw_cpu_ptr(pool->pcpu);

	spin_lock_irqsave(&pc->lock, *flags);
	return pc;
}

static __always_inline void pktpool_pcpu_unlock(struct pktpool_pcpu *pc,
						unsigned long flags)
{
	spin_unlock_irqrestore(&pc->lock, flags);
}

/* Credit a CPU takes at once: small enough that CPUs cannot hoard it. */
static unsigned int pktpool_batch_for(long limit)
{
	long batch = limit / (4 * (long)num_possible_cpus());

	return clamp_t(long, batch, 1, PKTPOOL_PCPU_BATCH);
}

static long pktpool_effective_limit(u64 limit)
{
	return limit ? (long)limit : PKTPOOL_UNLIMITED;
}

long pktpool_in_use(struct pktpool *pool)
{
	unsigned long allocs = 0, frees = 0;
	int cpu;

	for_each_possible_cpu(cpu) {
		struct pktpool_pcpu *pc = per_cpu_ptr(pool->pcpu, cpu);

		allocs += READ_ONCE(pc->stat[PKTPOOL_STAT_ALLOC]);
		frees += READ_ONCE(pc->stat[PKTPOOL_STAT_FREE]);
	}
	/* Unlocked sums may catch a free before its allocation. */
	return allocs > frees ? allocs - frees : 0;
}

void pktpool_peak_update(struct pktpool *pool, long in_use)
{
	long peak = atomic_long_read(&pool->peak);

	while (in_use > peak &&
	       !atomic_long_try_cmpxchg(&pool->peak, &peak, in_use))
		;
}

/*
 * At the limit: take the credit some other CPU holds. Runs without any
 * lock held, and takes one CPU's lock at a time, so two CPUs stealing from
 * each other cannot deadlock.
 */
static noinline long pktpool_credit_steal(struct pktpool *pool)
{
	unsigned long flags;
	long credit = 0;
	int cpu;

	for_each_possible_cpu(cpu) {
		struct pktpool_pcpu *pc = per_cpu_ptr(pool->pcpu, cpu);

		spin_lock_irqsave(&pc->lock, flags);
		if (pc->credit > 0) {
			credit = pc->credit;
			pc->credit = 0;
		}
		spin_unlock_irqrestore(&pc->lock, flags);
		if (credit)
			break;
	}
	return credit;
}

/* Take up to one batch of credit from the pool; 0 at the limit. */
static long pktpool_credit_take(struct pktpool *pool)
{
	long want = READ_ONCE(pool->batch);
	long avail = atomic_long_read(&pool->avail);
	long take;

	do {
		if (avail <= 0)
			return pktpool_credit_steal(pool);
		take = min(avail, want);
	} while (!atomic_long_try_cmpxchg(&pool->avail, &avail, avail - take));

	/*
	 * in_use can only grow past what CPUs already hold credit for by
	 * coming here, so sampling the high-water mark here is enough.
	 */
	pktpool_peak_update(pool, pktpool_in_use(pool));
	return take;
}

/*
 * SLUB's bulk calls re-enable interrupts on their way out, so with
 * interrupts off (hardirq context, or a caller's irqsave lock) objects go
 * one at a time, and fewer of them.
 */
static unsigned int pktpool_slab_alloc(struct pktpool *pool, gfp_t gfp,
				       void **objs, unsigned int nr)
{
	struct kmem_cache *cache = pool->class->cache;
	unsigned int i;

	if (pktpool_fault_slab())
		return 0;
	/* A failed refill is counted, and the reserve may still serve. */
	gfp = (gfp & ~__GFP_ZERO) | __GFP_NOWARN;
	if (irqs_disabled())
		nr = min(nr, PKTPOOL_PCPU_BATCH / 4);
	else if (pool->node == NUMA_NO_NODE)
		return kmem_cache_alloc_bulk(cache, gfp, nr, objs);
	for (i = 0; i < nr; i++) {
		objs[i] = kmem_cache_alloc_node(cache, gfp, pool->node);
		if (!objs[i])
			break;
	}
	return i;
}

static void pktpool_slab_free(struct pktpool *pool, void **objs,
			      unsigned int nr)
{
	struct kmem_cache *cache = pool->class->cache;

	if (!irqs_disabled()) {
		kmem_cache_free_bulk(cache, nr, objs);
		return;
	}
	while (nr--)
		kmem_cache_free(cache, objs[nr]);
}

/*
 * Return credit and objects to this CPU and count one event. Objects that
 * do not fit go back to the slab.
 */
static void pktpool_pcpu_give(struct pktpool *pool, long credit,
			      void **objs, unsigned int nr,
			      enum pktpool_stat event)
{
	struct pktpool_pcpu *pc;
	unsigned long flags;
	unsigned int fit;

	pc = pktpool_pcpu_lock(pool, &flags);
	pc->credit += credit;
	fit = min(nr, PKTPOOL_PCPU_CACHE - pc->count);
	memcpy(&pc->objs[pc->count], objs, fit * sizeof(*objs));
	pc->count += fit;
	pc->stat[event]++;
	pktpool_pcpu_unlock(pc, flags);
	if (fit < nr)
		pktpool_slab_free(pool, objs + fit, nr - fit);
}

static noinline void *pktpool_alloc_slow(struct pktpool *pool, gfp_t gfp,
					 unsigned long ip)
{
	void *objs[PKTPOOL_PCPU_BATCH];
	struct pktpool_pcpu *pc;
	unsigned long flags;
	unsigned int nr = 0;
	bool have_credit = false;
	long credit = 0;
	void *obj = NULL;

	/* Use what this CPU has before going further. */
	pc = pktpool_pcpu_lock(pool, &flags);
	if (pc->credit > 0) {
		pc->credit--;
		have_credit = true;
	}
	if (pc->count)
		obj = pc->objs[--pc->count];
	pktpool_pcpu_unlock(pc, flags);

	if (!have_credit) {
		credit = pktpool_credit_take(pool);
		if (!credit) {
			pktpool_pcpu_give(pool, 0, &obj, obj ? 1 : 0,
					  PKTPOOL_STAT_FAIL_LIMIT);
			trace_pktpool_alloc_fail(pool, PKTPOOL_FAIL_LIMIT, ip);
			pktpool_nl_pool_alert(pool, PKTPOOL_NTF_LIMIT);
			return NULL;
		}
		credit--;	/* the one this allocation spends */
	}

	if (!obj) {
		nr = pktpool_slab_alloc(pool, gfp, objs, PKTPOOL_PCPU_BATCH);
		if (nr) {
			obj = objs[--nr];
		} else {
			obj = pktpool_reserve_pop(pool);
			if (!obj) {
				pktpool_pcpu_give(pool, credit + 1, NULL, 0,
						  PKTPOOL_STAT_FAIL_NOMEM);
				trace_pktpool_alloc_fail(pool, PKTPOOL_FAIL_NOMEM,
							 ip);
				return NULL;
			}
			pktpool_pcpu_give(pool, 0, NULL, 0,
					  PKTPOOL_STAT_RESERVE_HIT);
		}
	}

	pktpool_pcpu_give(pool, credit, objs, nr, PKTPOOL_STAT_ALLOC);
	return obj;
}

static __always_inline void *__pktpool_alloc(struct pktpool *pool, gfp_t gfp,
					     unsigned long ip)
{
	struct pktpool_pcpu *pc;
	unsigned long flags;
	void *obj;

	pc = pktpool_pcpu_lock(pool, &flags);
	if (likely(pc->credit > 0 && pc->count)) {
		pc->credit--;
		obj = pc->objs[--pc->count];
		pc->stat[PKTPOOL_STAT_ALLOC]++;
		pktpool_pcpu_unlock(pc, flags);
		return obj;
	}
	pktpool_pcpu_unlock(pc, flags);
	return pktpool_alloc_slow(pool, gfp, ip);
}

static noinline void pktpool_free_slow(struct pktpool *pool, void *obj)
{
	void *drain[PKTPOOL_PCPU_BATCH];
	struct pktpool_pcpu *pc;
	unsigned long flags;
	unsigned int nr = 0;
	long give = 0;

	/* Like mempool: a reserve that was dipped into is refilled first. */
	if (READ_ONCE(pool->reserve_low) && pktpool_reserve_push(pool, obj))
		obj = NULL;

	pc = pktpool_pcpu_lock(pool, &flags);
	if (obj) {
		if (pc->count == PKTPOOL_PCPU_CACHE) {
			nr = PKTPOOL_PCPU_BATCH;
			pc->count -= nr;
			memcpy(drain, &pc->objs[pc->count], nr * sizeof(*drain));
		}
		pc->objs[pc->count++] = obj;
	}
	pc->stat[PKTPOOL_STAT_FREE]++;
	if (++pc->credit > 2 * READ_ONCE(pool->batch)) {
		give = pc->credit - READ_ONCE(pool->batch);
		pc->credit -= give;
	}
	pktpool_pcpu_unlock(pc, flags);

	if (give)
		atomic_long_add(give, &pool->avail);
	if (nr)
		pktpool_slab_free(pool, drain, nr);
}

static __always_inline void __pktpool_free(struct pktpool *pool, void *obj)
{
	struct pktpool_pcpu *pc;
	unsigned long flags;

	pc = pktpool_pcpu_lock(pool, &flags);
	if (likely(pc->count < PKTPOOL_PCPU_CACHE &&
		   pc->credit < 2 * READ_ONCE(pool->batch) &&
		   !READ_ONCE(pool->reserve_low))) {
		pc->objs[pc->count++] = obj;
		pc->credit++;
		pc->stat[PKTPOOL_STAT_FREE]++;
		pktpool_pcpu_unlock(pc, flags);
		return;
	}
	pktpool_pcpu_unlock(pc, flags);
	pktpool_free_slow(pool, obj);
}

/* Debug mode: every object out is recorded, by address, in pool->objs. */
static unsigned long pktpool_obj_key(const void *obj)
{
	return (unsigned long)obj >> 3;	/* objects are 8-byte aligned */
}

static noinline bool pktpool_track(struct pktpool *pool, void *obj)
{
	unsigned long flags;
	int err;

	xa_lock_irqsave(&pool->objs, flags);
	err = __xa_insert(&pool->objs, pktpool_obj_key(obj), obj,
			  GFP_ATOMIC | __GFP_NOWARN);
	xa_unlock_irqrestore(&pool->objs, flags);
	if (err == -EBUSY)
		pr_err("pool %s: slab handed out %p twice\n", pool->name, obj);
	return !err;
}

static noinline bool pktpool_untrack(struct pktpool *pool, void *obj)
{
	unsigned long flags;
	void *old;

	xa_lock_irqsave(&pool->objs, flags);
	old = __xa_cmpxchg(&pool->objs, pktpool_obj_key(obj), obj, NULL, 0);
	xa_unlock_irqrestore(&pool->objs, flags);
	if (old == obj)
		return true;

	atomic_long_inc(&pool->bad_frees);
	pr_warn_ratelimited("pool %s: free of %p, which it does not have out: ignored\n",
			    pool->name, obj);
	return false;
}

static noinline void *pktpool_alloc_debug(struct pktpool *pool, gfp_t gfp,
					  unsigned long ip)
{
	void *obj = __pktpool_alloc(pool, gfp, ip);

	if (obj && !pktpool_track(pool, obj)) {
		__pktpool_free(pool, obj);
		pktpool_pcpu_give(pool, 0, NULL, 0, PKTPOOL_STAT_FAIL_NOMEM);
		return NULL;
	}
	return obj;
}

/*
 * Region-backed pools: the slots userspace gave the kernel, no slab, no
 * limit but the slots themselves. The ring keeps its own record of every
 * slot, so a free is always checked. Counted as the slab path counts.
 */
static noinline void *pktpool_alloc_ring(struct pktpool *pool)
{
	void *obj = pktpool_ring_alloc(pool->ring);

	if (!obj) {
		this_cpu_inc(pool->pcpu->stat[PKTPOOL_STAT_FAIL_NOMEM]);
		return NULL;
	}
	this_cpu_inc(pool->pcpu->stat[PKTPOOL_STAT_ALLOC]);
	pktpool_peak_update(pool, atomic_long_inc_return(&pool->ring_out));
	return obj;
}

static noinline void pktpool_free_ring(struct pktpool *pool, void *obj)
{
	if (!pktpool_ring_free(pool->ring, obj)) {
		atomic_long_inc(&pool->bad_frees);
		pr_warn_ratelimited("pool %s: free of %p, not a slot it has out: ignored\n",
				    pool->name, obj);
		return;
	}
	atomic_long_dec(&pool->ring_out);
	this_cpu_inc(pool->pcpu->stat[PKTPOOL_STAT_FREE]);
}

int pktpool_rx_submit(struct pktpool *pool, void *obj,
		      const struct pktpool_desc *desc)
{
	int err;

	if (!pool->ring)
		return -EINVAL;
	err = pktpool_ring_rx_submit(pool->ring, &pool->ring_user, obj, desc);
	if (err)
		return err;
	atomic_long_dec(&pool->ring_out);
	this_cpu_inc(pool->pcpu->stat[PKTPOOL_STAT_FREE]);
	return 0;
}
EXPORT_SYMBOL_GPL(pktpool_rx_submit);

/* Debug and region-backed pools take every call off the fast path. */
static __always_inline bool pktpool_special(const struct pktpool *pool)
{
	return unlikely(pool->debug || pool->ring);
}

static __always_inline void *pktpool_alloc_ip(struct pktpool *pool, gfp_t gfp,
					      unsigned long ip)
{
	void *obj;

	if (pktpool_special(pool))
		obj = pool->ring ? pktpool_alloc_ring(pool) :
				   pktpool_alloc_debug(pool, gfp, ip);
	else
		obj = __pktpool_alloc(pool, gfp, ip);
	if (unlikely(!obj))
		return NULL;
	if (unlikely(gfp & __GFP_ZERO))
		memset(obj, 0, pool->obj_size);
	trace_pktpool_alloc(pool, obj, ip);
	return obj;
}

void *pktpool_alloc(struct pktpool *pool, gfp_t gfp)
{
	return pktpool_alloc_ip(pool, gfp, _RET_IP_);
}
EXPORT_SYMBOL_GPL(pktpool_alloc);

void *pktpool_zalloc(struct pktpool *pool, gfp_t gfp)
{
	return pktpool_alloc_ip(pool, gfp | __GFP_ZERO, _RET_IP_);
}
EXPORT_SYMBOL_GPL(pktpool_zalloc);

static __always_inline void pktpool_free_ip(struct pktpool *pool, void *obj,
					    unsigned long ip)
{
	if (unlikely(!obj))
		return;
	if (pktpool_special(pool)) {
		if (pool->ring) {
			trace_pktpool_free(pool, obj, ip);
			pktpool_free_ring(pool, obj);
			return;
		}
		if (!pktpool_untrack(pool, obj))
			return;
	}
	trace_pktpool_free(pool, obj, ip);
	__pktpool_free(pool, obj);
}

void pktpool_free(struct pktpool *pool, void *obj)
{
	pktpool_free_ip(pool, obj, _RET_IP_);
}
EXPORT_SYMBOL_GPL(pktpool_free);

unsigned int pktpool_alloc_bulk(struct pktpool *pool, gfp_t gfp,
				unsigned int nr, void **objs)
{
	struct pktpool_pcpu *pc;
	unsigned int done = 0, n, i;
	unsigned long flags;

	if (pktpool_special(pool)) {
		for (; done < nr; done++) {
			objs[done] = pktpool_alloc_ip(pool, gfp, _RET_IP_);
			if (!objs[done])
				break;
		}
		return done;
	}

	while (done < nr) {
		pc = pktpool_pcpu_lock(pool, &flags);
		n = min3(nr - done, pc->count,
			 (unsigned int)clamp_val(pc->credit, 0, UINT_MAX));
		pc->count -= n;
		memcpy(objs + done, &pc->objs[pc->count], n * sizeof(*objs));
		pc->credit -= n;
		pc->stat[PKTPOOL_STAT_ALLOC] += n;
		pktpool_pcpu_unlock(pc, flags);
		done += n;
		if (done == nr)
			break;
		/* Refills this CPU's cache for the next round. */
		objs[done] = pktpool_alloc_slow(pool, gfp, _RET_IP_);
		if (!objs[done])
			break;
		done++;
	}

	if (unlikely(gfp & __GFP_ZERO))
		for (i = 0; i < done; i++)
			memset(objs[i], 0, pool->obj_size);
	if (trace_pktpool_alloc_enabled())
		for (i = 0; i < done; i++)
			trace_pktpool_alloc(pool, objs[i], _RET_IP_);
	return done;
}
EXPORT_SYMBOL_GPL(pktpool_alloc_bulk);

void pktpool_free_bulk(struct pktpool *pool, unsigned int nr, void **objs)
{
	struct pktpool_pcpu *pc;
	unsigned int done = 0, n, taken;
	unsigned long flags;
	long room;

	if (pktpool_special(pool)) {
		for (; done < nr; done++)
			pktpool_free_ip(pool, objs[done], _RET_IP_);
		return;
	}
	if (trace_pktpool_free_enabled())
		for (n = 0; n < nr; n++)
			if (objs[n])
				trace_pktpool_free(pool, objs[n], _RET_IP_);

	while (done < nr) {
		pc = pktpool_pcpu_lock(pool, &flags);
		room = 2 * (long)READ_ONCE(pool->batch) - 1 - pc->credit;
		n = 0;
		if (!READ_ONCE(pool->reserve_low) && room > 0)
			n = min(PKTPOOL_PCPU_CACHE - pc->count,
				(unsigned int)room);
		/*
		 * NULL entries are skipped, as pktpool_free() ignores NULL:
		 * in the cache one would be handed out as an object.
		 */
		for (taken = 0; taken < n && done < nr; done++)
			if (objs[done])
				pc->objs[pc->count + taken++] = objs[done];
		pc->count += taken;
		pc->credit += taken;
		pc->stat[PKTPOOL_STAT_FREE] += taken;
		pktpool_pcpu_unlock(pc, flags);
		if (done == nr)
			break;
		if (objs[done])
			pktpool_free_slow(pool, objs[done]);
		done++;
	}
}
EXPORT_SYMBOL_GPL(pktpool_free_bulk);

int pktpool_pcpu_init(struct pktpool *pool)
{
	long limit = pktpool_effective_limit(pool->limit);
	int cpu;

	pool->pcpu = alloc_percpu(struct pktpool_pcpu);
	if (!pool->pcpu)
		return -ENOMEM;
	for_each_possible_cpu(cpu)
		spin_lock_init(&per_cpu_ptr(pool->pcpu, cpu)->lock);
	atomic_long_set(&pool->avail, limit);
	pool->batch = pktpool_batch_for(limit);
	return 0;
}

/* Process context, pool unreachable: give every cached object back. */
void pktpool_pcpu_exit(struct pktpool *pool)
{
	int cpu;

	for_each_possible_cpu(cpu) {
		struct pktpool_pcpu *pc = per_cpu_ptr(pool->pcpu, cpu);

		kmem_cache_free_bulk(pool->class->cache, pc->count, pc->objs);
		pc->count = 0;
	}
	free_percpu(pool->pcpu);
	pool->pcpu = NULL;
}

/*
 * Process context, under pktpool_pools_lock. The difference goes to the
 * shared counter, which may go negative when the limit drops below what is
 * in use; allocations then fail until enough frees come back. All CPUs'
 * credit is pulled back so that the new limit binds at once.
 */
void pktpool_pcpu_set_limit(struct pktpool *pool, u64 old_limit, u64 limit)
{
	long old = pktpool_effective_limit(old_limit);
	long new = pktpool_effective_limit(limit);
	unsigned long flags;
	int cpu;

	WRITE_ONCE(pool->batch, pktpool_batch_for(new));
	atomic_long_add(new - old, &pool->avail);
	for_each_possible_cpu(cpu) {
		struct pktpool_pcpu *pc = per_cpu_ptr(pool->pcpu, cpu);
		long credit;

		spin_lock_irqsave(&pc->lock, flags);
		credit = pc->credit;
		pc->credit = 0;
		spin_unlock_irqrestore(&pc->lock, flags);
		atomic_long_add(credit, &pool->avail);
	}
}

void pktpool_pcpu_stats(struct pktpool *pool, struct pktpool_stats *s)
{
	int cpu;

	for_each_possible_cpu(cpu) {
		struct pktpool_pcpu *pc = per_cpu_ptr(pool->pcpu, cpu);

		s->allocs += READ_ONCE(pc->stat[PKTPOOL_STAT_ALLOC]);
		s->frees += READ_ONCE(pc->stat[PKTPOOL_STAT_FREE]);
		s->fail_limit += READ_ONCE(pc->stat[PKTPOOL_STAT_FAIL_LIMIT]);
		s->fail_nomem += READ_ONCE(pc->stat[PKTPOOL_STAT_FAIL_NOMEM]);
		s->reserve_hits += READ_ONCE(pc->stat[PKTPOOL_STAT_RESERVE_HIT]);
		s->cached += READ_ONCE(pc->count);
	}
	s->in_use = s->allocs > s->frees ? s->allocs - s->frees : 0;
}
