// SPDX-License-Identifier: GPL-2.0
/*
 * Giving per-CPU memory back: a shrinker that empties the per-CPU caches
 * of idle pools when the system runs short of memory, and a CPU hotplug
 * callback that empties a CPU's caches, and returns its limit credit, once
 * it is offline. Neither touches a pool's reserve: that is the memory the
 * pool keeps for exactly such times.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpuhotplug.h>
#include <linux/cpumask.h>
#include <linux/mutex.h>
#include <linux/shrinker.h>
#include <linux/xarray.h>

#include "compat.h"
#include "pool.h"
#include "reclaim.h"

static struct shrinker *pktpool_shrinker;
static enum cpuhp_state pktpool_cpuhp_state;
/* Where one CPU's cache is drained to; under pktpool_pools_lock. */
static void *pktpool_drain_buf[PKTPOOL_PCPU_CACHE];

/*
 * A pool is idle when no allocation came since the shrinker last looked;
 * only idle pools are counted and drained, so a busy pool keeps its cache
 * (it would refill it at once). The registry lock is only tried: reclaim
 * may run under it, from a GFP_KERNEL allocation of pool.c.
 */
static unsigned long pktpool_shrink_count(struct shrinker *s,
					  struct shrink_control *sc)
{
	unsigned long n = 0, allocs, id;
	struct pktpool *pool;

	if (!mutex_trylock(&pktpool_pools_lock))
		return 0;
	xa_for_each(&pktpool_pools, id, pool) {
		if (pool->ring)
			continue;
		allocs = pktpool_pcpu_allocs(pool);
		pool->shrink_idle = allocs == pool->shrink_allocs;
		pool->shrink_allocs = allocs;
		if (pool->shrink_idle)
			n += pktpool_pcpu_cached(pool);
	}
	mutex_unlock(&pktpool_pools_lock);
	return n;
}

static unsigned long pktpool_shrink_scan(struct shrinker *s,
					 struct shrink_control *sc)
{
	unsigned long freed = 0, id;
	struct pktpool *pool;
	int cpu;

	if (!mutex_trylock(&pktpool_pools_lock))
		return SHRINK_STOP;
	xa_for_each(&pktpool_pools, id, pool) {
		if (pool->ring || !pool->shrink_idle)
			continue;
		/* A CPU going offline meanwhile is drained by the callback. */
		for_each_online_cpu(cpu)
			freed += pktpool_pcpu_drain(pool, cpu, pktpool_drain_buf);
		if (freed >= sc->nr_to_scan)
			break;
	}
	mutex_unlock(&pktpool_pools_lock);
	return freed;
}

/* Process context, on another CPU once cpu is dead. */
static int pktpool_cpu_dead(unsigned int cpu)
{
	struct pktpool *pool;
	unsigned long id;

	mutex_lock(&pktpool_pools_lock);
	xa_for_each(&pktpool_pools, id, pool)
		if (!pool->ring)
			pktpool_pcpu_dead(pool, cpu);
	mutex_unlock(&pktpool_pools_lock);
	return 0;
}

int pktpool_reclaim_init(void)
{
	int ret;

	/* A prepare-stage state: torn down after the CPU has died. */
	ret = cpuhp_setup_state_nocalls(CPUHP_BP_PREPARE_DYN, "pktpool:dead",
					NULL, pktpool_cpu_dead);
	if (ret < 0)
		return ret;
	pktpool_cpuhp_state = ret;

	pktpool_shrinker = shrinker_alloc(0, "pktpool");
	if (!pktpool_shrinker) {
		cpuhp_remove_state_nocalls(pktpool_cpuhp_state);
		return -ENOMEM;
	}
	pktpool_shrinker->count_objects = pktpool_shrink_count;
	pktpool_shrinker->scan_objects = pktpool_shrink_scan;
	shrinker_register(pktpool_shrinker);
	return 0;
}

void pktpool_reclaim_exit(void)
{
	shrinker_free(pktpool_shrinker);
	cpuhp_remove_state_nocalls(pktpool_cpuhp_state);
}
