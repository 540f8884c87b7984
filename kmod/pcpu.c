// SPDX-License-Identifier: GPL-2.0
/*
 * The allocation fast path. Every pool has, on every CPU, a small stack of
 * free objects and some limit credit. An allocation pops one object and
 * spends one credit; a free pushes one and earns one. Only when a CPU runs
 * out of objects (refill from the slab in bulk), fills up (drain in bulk),
 * or runs out of credit (take a batch from the pool, or ask other CPUs for
 * theirs at the limit) does it touch anything shared.
 *
 * The limit is exact: credit is in exactly one place at a time, the pool's
 * shared counter (avail, atomic), one CPU's cache (pktpool_pcpu.credit) or
 * spent on an object that is out, and avail + every CPU's credit + objects
 * out equals the limit. Moving credit between a CPU's cache and avail is an
 * atomic on avail plus a change to the cache under the rules below, so
 * nothing is counted twice and the limit cannot be exceeded, by one or by
 * any number, whatever races.
 *
 * Who touches a CPU's cache, and why the common path needs no atomic and
 * no interrupt-flag change:
 *
 * - Its own CPU, in a section (pktpool_pcpu_get() .. pktpool_pcpu_put()):
 *   preemption off, so no other task runs on this CPU meanwhile, and busy
 *   set, a plain store. A section is a few loads and stores that never
 *   sleep or wait, so preemption off is fine on PREEMPT_RT too. What can
 *   still run on the CPU in the middle of a section is an interrupt (a
 *   hard irq, or softirqs run on the way out of one). If it calls pktpool
 *   on the same pool it finds busy set and leaves the cache alone: it
 *   takes credit from avail and its object from the slab or the reserve
 *   directly (pktpool_alloc_nested(), pktpool_free_nested()). That path
 *   uses atomics and is rare: the interrupt has to land within those few
 *   instructions. Interrupts nest, so the section finds its cache as it
 *   left it. Statistics are this_cpu_add()s, each one instruction on x86
 *   that no interrupt can split (and irq-safe on every architecture), so
 *   both paths count into the same per-CPU fields.
 *   On PREEMPT_RT hard irq context may not call pktpool at all (see
 *   kmod/pktpool.h), and softirqs and irq threads are tasks that cannot
 *   preempt a section, so there the nested path is never taken.
 * - Another CPU never writes this CPU's cache. It asks the owner with an
 *   IPI (pktpool_pcpu_call()): the handler runs on the owner with
 *   interrupts off. If the owner is not in a section, the handler does the
 *   work at once; if the IPI interrupted a section, the handler leaves the
 *   request in req and the section does it in pktpool_pcpu_put() on its
 *   way out, a few instructions later. The asker waits for req to clear.
 *   Waiting for an IPI is only safe in task context with interrupts on
 *   (see smp_call_function_single()); elsewhere the asker sends the IPI
 *   without waiting (pktpool_pcpu_kick()) and does not wait for its
 *   answer.
 * - A CPU that went offline: the hotplug callback, once the CPU is dead.
 * - A pool being destroyed: it has no users any more.
 *
 * Near the limit (avail below about one batch per CPU) the pool runs
 * "tight": batch 0, so that no CPU keeps credit: each allocation takes
 * exactly one from avail and each free gives its credit straight back.
 * Entering tight mode asks every CPU that holds credit to give it back.
 * Far from the limit, which is the common case, no allocation or free
 * touches avail.
 *
 * So an allocation fails at the limit only when avail and every CPU's
 * credit are spent, with one exception: in softirq or hard irq context,
 * or with interrupts off, an allocation cannot wait for another CPU's
 * answer. If at that moment another CPU still holds credit (only possible
 * right after the pool went tight), the allocation fails and that CPU is
 * asked to give its credit back; the next allocation gets it.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpumask.h>
#include <linux/minmax.h>
#include <linux/module.h>
#include <linux/percpu.h>
#include <linux/preempt.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/string.h>

#include "class.h"
#include "ring.h"
#include "debugfs.h"
#include "health.h"
#include "netlink.h"
#include "objects.h"
#include "pool.h"
#include "trace.h"

#define PKTPOOL_PCPU_BATCH	32	/* objects moved to or from the slab */

enum pktpool_stat {
	PKTPOOL_STAT_ALLOC,
	PKTPOOL_STAT_FREE,
	PKTPOOL_STAT_FAIL_LIMIT,
	PKTPOOL_STAT_FAIL_NOMEM,
	PKTPOOL_STAT_RESERVE_HIT,
	PKTPOOL_STAT_NR
};

/* What another CPU asks of this one (pktpool_pcpu.req). */
#define PKTPOOL_REQ_CREDIT	BIT(0)	/* give all credit back to avail */
#define PKTPOOL_REQ_DRAIN	BIT(1)	/* hand every cached object over */

struct pktpool_pcpu {
	/* The fast path's: written by this CPU only, see the head comment. */
	unsigned int busy;	/* in a section */
	unsigned int req;	/* PKTPOOL_REQ_*, left by an IPI */
	unsigned int count;
	long credit;
	/* Statistics: this_cpu_add() only, summed by readers. */
	unsigned long stat[PKTPOOL_STAT_NR];
	void *objs[PKTPOOL_PCPU_CACHE];

	/* Rare paths. */
	void **drain;		/* where PKTPOOL_REQ_DRAIN puts the objects */
	unsigned int drained;	/* and how many it put there */
	bool draining;		/* that drain is still to be done */
	unsigned long kicking;	/* bit 0: the kick below is in flight */
	struct pktpool *pool;
	call_single_data_t kick;
};

static void pktpool_pcpu_serve(struct pktpool *pool, struct pktpool_pcpu *pc);

/*
 * Enter a section on this CPU's cache: preemption off, busy set. NULL, with
 * nothing held, when the caller is an interrupt that arrived in the middle
 * of a section on this same pool and CPU.
 */
static __always_inline struct pktpool_pcpu *
pktpool_pcpu_get(struct pktpool *pool)
{
	struct pktpool_pcpu *pc;

	preempt_disable();
	pc = this_cpu_ptr(pool->pcpu);
	if (unlikely(READ_ONCE(pc->busy))) {
		preempt_enable();
		return NULL;
	}
	WRITE_ONCE(pc->busy, 1);
	/* Only this CPU looks at busy: a compiler barrier orders it. */
	barrier();
	return pc;
}

/*
 * Leave the section, and do what an IPI asked while it ran. An IPI after
 * busy is clear does the work itself, so none is left behind.
 */
static __always_inline void pktpool_pcpu_put(struct pktpool *pool,
					     struct pktpool_pcpu *pc)
{
	barrier();
	WRITE_ONCE(pc->busy, 0);
	barrier();
	if (unlikely(READ_ONCE(pc->req)))
		pktpool_pcpu_serve(pool, pc);
	preempt_enable();
}

/*
 * On the owner, outside any section (from pktpool_pcpu_put() or an IPI
 * handler): do what req asks. It takes busy itself, so an IPI arriving
 * meanwhile only adds to req, which the loop then serves too.
 */
static noinline void pktpool_pcpu_serve(struct pktpool *pool,
					struct pktpool_pcpu *pc)
{
	unsigned int req;

	while ((req = READ_ONCE(pc->req))) {
		WRITE_ONCE(pc->busy, 1);
		barrier();
		if ((req & PKTPOOL_REQ_CREDIT) && pc->credit) {
			atomic_long_add(pc->credit, &pool->avail);
			/* Seen as 0 only once in avail: credit_steal()'s rmb */
			smp_mb__after_atomic();
			WRITE_ONCE(pc->credit, 0);
		}
		/*
		 * Once per request: until the bit clears below, an IPI or an
		 * interrupt's own section may serve again, and must neither
		 * overwrite drained nor overflow drain.
		 */
		if ((req & PKTPOOL_REQ_DRAIN) && pc->draining) {
			memcpy(pc->drain, pc->objs, pc->count * sizeof(void *));
			pc->drained = pc->count;
			pc->count = 0;
			pc->draining = false;
		}
		barrier();
		WRITE_ONCE(pc->busy, 0);
		/* The work is visible before the answer: pktpool_pcpu_call(). */
		smp_wmb();
		/* One instruction: an IPI adding to req cannot split it. */
		this_cpu_and(pool->pcpu->req, ~req);
	}
}

struct pktpool_pcpu_call {
	struct pktpool *pool;
	unsigned int req;
	void **drain;
};

/* IPI handler, on the owner with interrupts off (hard irq on RT too). */
static void pktpool_pcpu_ipi(void *info)
{
	const struct pktpool_pcpu_call *call = info;
	struct pktpool_pcpu *pc = this_cpu_ptr(call->pool->pcpu);

	if (call->drain) {
		pc->drain = call->drain;
		pc->draining = true;
	}
	pc->req |= call->req;
	if (!READ_ONCE(pc->busy))
		pktpool_pcpu_serve(call->pool, pc);
	/* else the interrupted section serves it on its way out */
}

/*
 * Task context, interrupts on: have cpu do req and wait until it has.
 * -ENXIO when cpu is offline (the hotplug callback drains it). With
 * PKTPOOL_REQ_DRAIN, drain receives the objects (room for
 * PKTPOOL_PCPU_CACHE) and *drained their number; one drainer at a time.
 */
static int pktpool_pcpu_call(struct pktpool *pool, int cpu, unsigned int req,
			     void **drain, unsigned int *drained)
{
	struct pktpool_pcpu_call call = {
		.pool = pool, .req = req, .drain = drain,
	};
	struct pktpool_pcpu *pc = per_cpu_ptr(pool->pcpu, cpu);
	int err;

	err = smp_call_function_single(cpu, pktpool_pcpu_ipi, &call, 1);
	if (err)
		return err;
	/*
	 * A section the IPI interrupted serves the request in a few
	 * instructions: it runs with preemption off and waits for nothing.
	 * Pairs with the smp_wmb() in pktpool_pcpu_serve().
	 */
	while (smp_load_acquire(&pc->req) & req)
		cpu_relax();
	if (drained)
		*drained = pc->drained;
	return 0;
}

/* The kick's IPI handler, on the CPU it was sent to. */
static void pktpool_pcpu_kick_fn(void *info)
{
	struct pktpool_pcpu *pc = info;

	pc->req |= PKTPOOL_REQ_CREDIT;
	if (!READ_ONCE(pc->busy))
		pktpool_pcpu_serve(pc->pool, pc);
	/* Last touch of the pool: pktpool_pcpu_exit() waits for this. */
	clear_bit_unlock(0, &pc->kicking);
}

/*
 * Any context: ask cpu to give its credit back, without waiting for it.
 * A kick already on its way to that CPU does the same job.
 */
static void pktpool_pcpu_kick(struct pktpool *pool, int cpu)
{
	struct pktpool_pcpu *pc = per_cpu_ptr(pool->pcpu, cpu);

	if (test_and_set_bit_lock(0, &pc->kicking))
		return;
	if (smp_call_function_single_async(cpu, &pc->kick))
		clear_bit_unlock(0, &pc->kicking);
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

/*
 * Below this much credit in avail the pool runs tight (batch 0): about a
 * batch per CPU that can hold one (offline CPUs hold none).
 */
static long pktpool_tight_below(const struct pktpool *pool)
{
	return (long)READ_ONCE(pool->batch_max) * num_online_cpus();
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

static __always_inline void pktpool_count(struct pktpool *pool,
					  enum pktpool_stat event,
					  unsigned long n)
{
	this_cpu_add(pool->pcpu->stat[event], n);
}

/* Up to want credits from avail; 0 when it is empty. */
static long pktpool_avail_take(struct pktpool *pool, long want)
{
	long avail = atomic_long_read(&pool->avail);
	long tight = pktpool_tight_below(pool);
	long take;

	do {
		if (avail <= 0)
			return 0;
		take = min(avail, want);
		/* Close to the limit: one at a time, none kept. */
		if (avail - take < tight)
			take = 1;
	} while (!atomic_long_try_cmpxchg(&pool->avail, &avail, avail - take));

	/* And from here on no CPU keeps credit: go tight, ask for it back. */
	if (avail - take < tight && READ_ONCE(pool->batch)) {
		int cpu;

		WRITE_ONCE(pool->batch, 0);
		for_each_online_cpu(cpu)
			if (READ_ONCE(per_cpu_ptr(pool->pcpu, cpu)->credit) > 0)
				pktpool_pcpu_kick(pool, cpu);
	}
	return take;
}

/* Back in avail; far enough from the limit again, CPUs keep credit. */
static void pktpool_avail_give(struct pktpool *pool, long credit)
{
	long avail = atomic_long_add_return(credit, &pool->avail);

	if (unlikely(!READ_ONCE(pool->batch)) &&
	    avail >= 2 * pktpool_tight_below(pool))
		WRITE_ONCE(pool->batch, READ_ONCE(pool->batch_max));
	if (unlikely(pktpool_health_raised(pool)))
		pktpool_health_check(pool, pktpool_in_use(pool));
}

/*
 * At the limit: ask the CPUs that hold credit for it. In task context with
 * interrupts on the answer is waited for, so the allocation gets any
 * credit that exists; elsewhere the CPUs are only kicked (see the head
 * comment). This CPU's own credit is the caller's business.
 */
static noinline long pktpool_credit_steal(struct pktpool *pool, long want)
{
	bool wait = in_task() && !irqs_disabled();
	int self = raw_smp_processor_id();
	long credit;
	int cpu;

	for_each_online_cpu(cpu) {
		if (READ_ONCE(per_cpu_ptr(pool->pcpu, cpu)->credit) <= 0)
			continue;
		if (!wait) {
			if (cpu != self)
				pktpool_pcpu_kick(pool, cpu);
			continue;
		}
		if (pktpool_pcpu_call(pool, cpu, PKTPOOL_REQ_CREDIT, NULL, NULL))
			continue;
		credit = pktpool_avail_take(pool, want);
		if (credit)
			return credit;
	}
	/*
	 * A CPU found without credit may have just given it back (a kick):
	 * then it is in avail, and seen there after this barrier.
	 */
	smp_rmb();
	return pktpool_avail_take(pool, want);
}

/* Take up to want credits (at least 1); 0 at the limit. */
static long pktpool_credit_take(struct pktpool *pool, long want)
{
	long credit;

	credit = pktpool_avail_take(pool, want);
	if (!credit)
		credit = pktpool_credit_steal(pool, want);
	return credit;
}

/*
 * An allocation that took credit from the pool has been counted. The
 * high-water mark and the health level are sampled here, off the fast
 * path, with this allocation in in_use: near the limit (tight, batch 0)
 * every allocation comes here, so the peak there is exact; far from it a
 * CPU takes a batch at a time and the sample may lag by the rest of its
 * batch, until the next one or a statistics read (pktpool_get_stats()
 * samples too).
 */
static void pktpool_credit_spent(struct pktpool *pool)
{
	long in_use = pktpool_in_use(pool);

	pktpool_peak_update(pool, in_use);
	pktpool_health_check(pool, in_use);
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
	else if (pool->node == NUMA_NO_NODE && nr > 1)
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
 * An interrupt that arrived in a section of this pool on this CPU: the
 * cache is not ours to touch. Credit from avail (or other CPUs'), the
 * object straight from the slab or the reserve.
 */
static noinline void *pktpool_alloc_nested(struct pktpool *pool, gfp_t gfp,
					   unsigned long ip)
{
	void *obj;

	if (!pktpool_credit_take(pool, 1)) {
		pktpool_count(pool, PKTPOOL_STAT_FAIL_LIMIT, 1);
		trace_pktpool_alloc_fail(pool, PKTPOOL_FAIL_LIMIT, ip);
		pktpool_nl_pool_alert(pool, PKTPOOL_NTF_LIMIT);
		return NULL;
	}
	if (!pktpool_slab_alloc(pool, gfp, &obj, 1)) {
		obj = pktpool_reserve_pop(pool);
		if (!obj) {
			pktpool_avail_give(pool, 1);
			pktpool_count(pool, PKTPOOL_STAT_FAIL_NOMEM, 1);
			trace_pktpool_alloc_fail(pool, PKTPOOL_FAIL_NOMEM, ip);
			return NULL;
		}
		pktpool_count(pool, PKTPOOL_STAT_RESERVE_HIT, 1);
	}
	pktpool_count(pool, PKTPOOL_STAT_ALLOC, 1);
	pktpool_credit_spent(pool);
	return obj;
}

static noinline void pktpool_free_nested(struct pktpool *pool, void *obj)
{
	if (obj && !(READ_ONCE(pool->reserve_low) &&
		     pktpool_reserve_push(pool, obj)))
		pktpool_slab_free(pool, &obj, 1);
	pktpool_count(pool, PKTPOOL_STAT_FREE, 1);
	pktpool_avail_give(pool, 1);
}

/*
 * Return credit and objects to this CPU and count one event. Objects that
 * do not fit go back to the slab, and everything goes back to the slab and
 * avail when the caller turns out to be nested.
 */
static void pktpool_pcpu_give(struct pktpool *pool, long credit,
			      void **objs, unsigned int nr,
			      enum pktpool_stat event)
{
	struct pktpool_pcpu *pc;
	unsigned int fit = 0;

	pc = pktpool_pcpu_get(pool);
	if (likely(pc)) {
		pc->credit += credit;
		credit = 0;
		fit = min(nr, PKTPOOL_PCPU_CACHE - pc->count);
		memcpy(&pc->objs[pc->count], objs, fit * sizeof(*objs));
		pc->count += fit;
		pktpool_pcpu_put(pool, pc);
	}
	pktpool_count(pool, event, 1);
	if (credit)
		pktpool_avail_give(pool, credit);
	if (fit < nr)
		pktpool_slab_free(pool, objs + fit, nr - fit);
}

static noinline void *pktpool_alloc_slow(struct pktpool *pool, gfp_t gfp,
					 unsigned long ip)
{
	void *objs[PKTPOOL_PCPU_BATCH];
	struct pktpool_pcpu *pc;
	unsigned int nr = 0;
	bool have_credit = false;
	long credit = 0;
	void *obj = NULL;

	/* Use what this CPU has before going further. */
	pc = pktpool_pcpu_get(pool);
	if (unlikely(!pc))
		return pktpool_alloc_nested(pool, gfp, ip);
	if (pc->credit > 0) {
		pc->credit--;
		have_credit = true;
	}
	if (pc->count)
		obj = pc->objs[--pc->count];
	pktpool_pcpu_put(pool, pc);

	if (!have_credit) {
		credit = pktpool_credit_take(pool,
					     max_t(long, READ_ONCE(pool->batch), 1));
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
			pktpool_count(pool, PKTPOOL_STAT_RESERVE_HIT, 1);
		}
	}

	pktpool_pcpu_give(pool, credit, objs, nr, PKTPOOL_STAT_ALLOC);
	if (!have_credit)
		pktpool_credit_spent(pool);
	return obj;
}

/* The common case: a load of busy, two stores to it, the pop, a count. */
static __always_inline void *__pktpool_alloc(struct pktpool *pool, gfp_t gfp,
					     unsigned long ip)
{
	struct pktpool_pcpu *pc;
	void *obj;

	pc = pktpool_pcpu_get(pool);
	if (likely(pc)) {
		if (likely(pc->credit > 0 && pc->count)) {
			pc->credit--;
			obj = pc->objs[--pc->count];
			pktpool_count(pool, PKTPOOL_STAT_ALLOC, 1);
			pktpool_pcpu_put(pool, pc);
			return obj;
		}
		pktpool_pcpu_put(pool, pc);
	}
	return pktpool_alloc_slow(pool, gfp, ip);
}

static noinline void pktpool_free_slow(struct pktpool *pool, void *obj)
{
	void *drain[PKTPOOL_PCPU_BATCH];
	struct pktpool_pcpu *pc;
	unsigned int nr = 0;
	long give = 0, batch;

	/* Like mempool: a reserve that was dipped into is refilled first. */
	if (READ_ONCE(pool->reserve_low) && pktpool_reserve_push(pool, obj))
		obj = NULL;

	pc = pktpool_pcpu_get(pool);
	if (unlikely(!pc)) {
		pktpool_free_nested(pool, obj);
		return;
	}
	if (obj) {
		if (pc->count == PKTPOOL_PCPU_CACHE) {
			nr = PKTPOOL_PCPU_BATCH;
			pc->count -= nr;
			memcpy(drain, &pc->objs[pc->count], nr * sizeof(*drain));
		}
		pc->objs[pc->count++] = obj;
	}
	/* Tight (batch 0): all of it goes back. */
	batch = READ_ONCE(pool->batch);
	if (++pc->credit > 2 * batch) {
		give = pc->credit - batch;
		pc->credit -= give;
	}
	pktpool_count(pool, PKTPOOL_STAT_FREE, 1);
	pktpool_pcpu_put(pool, pc);

	if (give)
		pktpool_avail_give(pool, give);
	if (nr)
		pktpool_slab_free(pool, drain, nr);
}

static __always_inline void __pktpool_free(struct pktpool *pool, void *obj)
{
	struct pktpool_pcpu *pc;

	pc = pktpool_pcpu_get(pool);
	if (likely(pc)) {
		if (likely(pc->count < PKTPOOL_PCPU_CACHE &&
			   pc->credit < 2 * (long)READ_ONCE(pool->batch) &&
			   !READ_ONCE(pool->reserve_low))) {
			pc->objs[pc->count++] = obj;
			pc->credit++;
			pktpool_count(pool, PKTPOOL_STAT_FREE, 1);
			pktpool_pcpu_put(pool, pc);
			return;
		}
		pktpool_pcpu_put(pool, pc);
	}
	pktpool_free_slow(pool, obj);
}

static noinline void *pktpool_alloc_debug(struct pktpool *pool, gfp_t gfp,
					  unsigned long ip)
{
	void *obj = __pktpool_alloc(pool, gfp, ip);

	/* Debug mode: every object out has a record, see objects.c. */
	if (obj && !pktpool_obj_track(pool, obj, gfp, ip)) {
		__pktpool_free(pool, obj);
		pktpool_count(pool, PKTPOOL_STAT_FAIL_NOMEM, 1);
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
		if (!pktpool_obj_untrack(pool, obj))
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
	unsigned int done = 0, n, i, top;

	if (pktpool_special(pool)) {
		for (; done < nr; done++) {
			objs[done] = pktpool_alloc_ip(pool, gfp, _RET_IP_);
			if (!objs[done])
				break;
		}
		return done;
	}

	while (done < nr) {
		pc = pktpool_pcpu_get(pool);
		if (likely(pc)) {
			n = min3(nr - done, pc->count,
				 (unsigned int)clamp_val(pc->credit, 0, UINT_MAX));
			/* A loop, not memcpy(): a few pointers, no call. */
			top = pc->count;
			for (i = 0; i < n; i++)
				objs[done + i] = pc->objs[--top];
			pc->count = top;
			pc->credit -= n;
			pktpool_count(pool, PKTPOOL_STAT_ALLOC, n);
			pktpool_pcpu_put(pool, pc);
			done += n;
			if (done == nr)
				break;
		}
		/* Refills this CPU's cache for the next round (or nests). */
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
	unsigned int done = 0, n, end, count;
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
		pc = pktpool_pcpu_get(pool);
		if (likely(pc)) {
			room = 2 * (long)READ_ONCE(pool->batch) - 1 - pc->credit;
			n = 0;
			if (!READ_ONCE(pool->reserve_low) && room > 0)
				n = min(PKTPOOL_PCPU_CACHE - pc->count,
					(unsigned int)room);
			/*
			 * NULL entries are skipped, as pktpool_free() ignores
			 * NULL: in the cache one would be handed out as an
			 * object. They take no room, so n entries fit.
			 */
			end = done + min(n, nr - done);
			count = pc->count;
			for (; done < end; done++)
				if (objs[done])
					pc->objs[count++] = objs[done];
			n = count - pc->count;
			pc->count = count;
			pc->credit += n;
			pktpool_count(pool, PKTPOOL_STAT_FREE, n);
			pktpool_pcpu_put(pool, pc);
			if (done == nr)
				break;
		}
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
	for_each_possible_cpu(cpu) {
		struct pktpool_pcpu *pc = per_cpu_ptr(pool->pcpu, cpu);

		pc->pool = pool;
		INIT_CSD(&pc->kick, pktpool_pcpu_kick_fn, pc);
	}
	atomic_long_set(&pool->avail, limit);
	pool->batch_max = pktpool_batch_for(limit);
	pool->batch = pool->batch_max;
	return 0;
}

/* Process context, pool unreachable: give every cached object back. */
void pktpool_pcpu_exit(struct pktpool *pool)
{
	int cpu;

	for_each_possible_cpu(cpu) {
		struct pktpool_pcpu *pc = per_cpu_ptr(pool->pcpu, cpu);

		/* A kick sent at the limit may still be on its way. */
		while (test_bit(0, &pc->kicking))
			cpu_relax();
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
 * credit is pulled back so that the new limit binds at once (an offline
 * CPU has none: pktpool_pcpu_dead() took it).
 */
void pktpool_pcpu_set_limit(struct pktpool *pool, u64 old_limit, u64 limit)
{
	long old = pktpool_effective_limit(old_limit);
	long new = pktpool_effective_limit(limit);
	int cpu;

	WRITE_ONCE(pool->batch_max, pktpool_batch_for(new));
	WRITE_ONCE(pool->batch, pool->batch_max);
	atomic_long_add(new - old, &pool->avail);
	for_each_online_cpu(cpu)
		pktpool_pcpu_call(pool, cpu, PKTPOOL_REQ_CREDIT, NULL, NULL);
}

/*
 * Process context, under pktpool_pools_lock: the shrinker. Give what an
 * online CPU caches of the pool back to the slab and its credit to avail;
 * buf has room for PKTPOOL_PCPU_CACHE objects. Returns the objects freed.
 */
unsigned int pktpool_pcpu_drain(struct pktpool *pool, int cpu, void **buf)
{
	struct pktpool_pcpu *pc = per_cpu_ptr(pool->pcpu, cpu);
	unsigned int n = 0;

	/* No IPI for a CPU with nothing (racy: a miss waits for next time). */
	if (!READ_ONCE(pc->count) && !READ_ONCE(pc->credit))
		return 0;
	if (pktpool_pcpu_call(pool, cpu, PKTPOOL_REQ_CREDIT | PKTPOOL_REQ_DRAIN,
			      buf, &n))
		return 0;
	if (n)
		kmem_cache_free_bulk(pool->class->cache, n, buf);
	return n;
}

/*
 * Process context, under pktpool_pools_lock: cpu is dead, nothing runs
 * there any more. Its objects go back to the slab, its credit to avail;
 * its statistics stay, they are summed over every possible CPU.
 */
void pktpool_pcpu_dead(struct pktpool *pool, int cpu)
{
	struct pktpool_pcpu *pc = per_cpu_ptr(pool->pcpu, cpu);

	if (pc->credit) {
		pktpool_avail_give(pool, pc->credit);
		pc->credit = 0;
	}
	kmem_cache_free_bulk(pool->class->cache, pc->count, pc->objs);
	pc->count = 0;
}

/* Objects cached on every CPU, and allocations so far: both racy sums. */
unsigned long pktpool_pcpu_cached(struct pktpool *pool)
{
	unsigned long n = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		n += READ_ONCE(per_cpu_ptr(pool->pcpu, cpu)->count);
	return n;
}

unsigned long pktpool_pcpu_allocs(struct pktpool *pool)
{
	unsigned long n = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		n += READ_ONCE(per_cpu_ptr(pool->pcpu, cpu)->stat[PKTPOOL_STAT_ALLOC]);
	return n;
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
	/* Per-CPU counters only grow: the sums are at least the bases. */
	s->fail_limit -= min_t(u64, s->fail_limit,
			       READ_ONCE(pool->base_fail_limit));
	s->fail_nomem -= min_t(u64, s->fail_nomem,
			       READ_ONCE(pool->base_fail_nomem));
	s->reserve_hits -= min_t(u64, s->reserve_hits,
				 READ_ONCE(pool->base_reserve_hits));
}
