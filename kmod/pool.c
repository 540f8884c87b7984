// SPDX-License-Identifier: GPL-2.0
/*
 * Pools: the registry of named pools, their life cycle, reserves and
 * configuration. Everything here is process context under
 * pktpool_pools_lock except the reserve pop/push and pktpool_put(), which
 * the allocation paths call from any context.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/err.h>
#include <linux/module.h>
#include <linux/nodemask.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "class.h"
#include "health.h"
#include "region.h"
#include "ring.h"
#include "netlink.h"
#include "objects.h"
#include "pool.h"
#include "trace.h"

#define PKTPOOL_MAX_POOLS_LIMIT	4096

static char *pools;
module_param(pools, charp, 0444);
MODULE_PARM_DESC(pools,
		 "Pools to create at load: name:size[:limit[:reserve]],... e.g. fw:256:65536,vpn:1500:8192");

static unsigned int max_pools = 64;
module_param(max_pools, uint, 0444);
MODULE_PARM_DESC(max_pools, "Most pools that may exist at once, 1..4096 (default 64)");

/* Serialises the registry and every configuration change of a pool. */
DEFINE_MUTEX(pktpool_pools_lock);
DEFINE_XARRAY_ALLOC1(pktpool_pools);
static unsigned int pktpool_nr_pools;
static u32 pktpool_next_id;

unsigned int pktpool_max_pools(void)
{
	return max_pools;
}

/* 1..31 characters of [a-z0-9_-]. */
static bool pktpool_name_ok(const char *name)
{
	size_t len = strnlen(name, PKTPOOL_NAME_MAX), i;

	if (!len || len == PKTPOOL_NAME_MAX)
		return false;
	for (i = 0; i < len; i++) {
		char c = name[i];

		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '_' || c == '-'))
			return false;
	}
	return true;
}

/*
 * A name in a fixed-size field from userspace: valid, NUL-terminated, and
 * nothing but zeroes after the NUL (so the field can be reused later).
 */
bool pktpool_name_valid(const char *name, size_t size)
{
	size_t len = strnlen(name, size);

	if (size != PKTPOOL_NAME_MAX || len == size || !pktpool_name_ok(name))
		return false;
	return !memchr_inv(name + len, 0, size - len);
}

static int pktpool_limits_check(u64 limit, u64 reserve)
{
	if (limit > PKTPOOL_LIMIT_MAX || reserve > PKTPOOL_RESERVE_MAX)
		return -EINVAL;
	if (limit && reserve > limit)
		return -EINVAL;
	return 0;
}

int pktpool_params_check(const struct pktpool_params *p)
{
	if (!p->name || !pktpool_name_ok(p->name))
		return -EINVAL;
	/* A region-backed pool's objects are slots: 0 means the slot size. */
	if (p->region ? p->obj_size > PKTPOOL_REGION_SLOT_MAX :
	    !p->obj_size || !pktpool_class_find(p->obj_size))
		return -EINVAL;
	if (p->flags & ~PKTPOOL_POOL_F_ALL)
		return -EINVAL;
	if ((p->tx || p->kick || p->live || p->tx_any) && !p->region)
		return -EINVAL;	/* only a region has rings */
	if (!pktpool_node_valid(p->node))
		return -EINVAL;
	return pktpool_limits_check(p->limit, p->reserve);
}

bool pktpool_node_valid(int node)
{
	return node == NUMA_NO_NODE ||
	       (node >= 0 && node < nr_node_ids && node_online(node));
}

/* By id when id is non-zero, else by name. */
struct pktpool *pktpool_find_locked(u32 id, const char *name)
{
	struct pktpool *pool;
	unsigned long i;

	lockdep_assert_held(&pktpool_pools_lock);
	if (id)
		return xa_load(&pktpool_pools, id);
	if (!name)
		return NULL;
	xa_for_each(&pktpool_pools, i, pool)
		if (!strncmp(pool->name, name, PKTPOOL_NAME_MAX))
			return pool;
	return NULL;
}

/* Any context. One object from the reserve, or NULL when it is empty. */
void *pktpool_reserve_pop(struct pktpool *pool)
{
	unsigned long flags;
	void *obj = NULL;

	spin_lock_irqsave(&pool->lock, flags);
	if (pool->reserve_count) {
		obj = pool->reserve[--pool->reserve_count];
		WRITE_ONCE(pool->reserve_low, true);
	}
	spin_unlock_irqrestore(&pool->lock, flags);
	if (obj)
		pktpool_nl_pool_alert(pool, PKTPOOL_NTF_RESERVE);
	return obj;
}

/* Any context. Keep obj in the reserve if it is short; true if kept. */
bool pktpool_reserve_push(struct pktpool *pool, void *obj)
{
	unsigned long flags;
	bool kept = false;

	spin_lock_irqsave(&pool->lock, flags);
	if (pool->reserve_count < pool->reserve_target) {
		pool->reserve[pool->reserve_count++] = obj;
		kept = true;
	}
	WRITE_ONCE(pool->reserve_low,
		   pool->reserve_count < pool->reserve_target);
	spin_unlock_irqrestore(&pool->lock, flags);
	return kept;
}

/*
 * Process context. Make the reserve hold target objects. New objects come
 * from the slab with GFP_KERNEL before anything changes, so on -ENOMEM the
 * reserve is as it was.
 */
static int pktpool_reserve_resize(struct pktpool *pool, unsigned int target)
{
	struct kmem_cache *cache = pool->class->cache;
	unsigned int have, need, keep, old_count, i;
	void **arr = NULL, **old;
	unsigned long flags;

	if (target) {
		arr = kvmalloc_array(target, sizeof(*arr), GFP_KERNEL);
		if (!arr)
			return -ENOMEM;
	}

	spin_lock_irqsave(&pool->lock, flags);
	have = pool->reserve_count;
	spin_unlock_irqrestore(&pool->lock, flags);

	need = target > have ? target - have : 0;
	for (i = 0; i < need; i++) {
		arr[i] = kmem_cache_alloc_node(cache, GFP_KERNEL, pool->node);
		if (!arr[i]) {
			kmem_cache_free_bulk(cache, i, arr);
			kvfree(arr);
			return -ENOMEM;
		}
	}

	/* Allocations may have dipped into the reserve meanwhile. */
	spin_lock_irqsave(&pool->lock, flags);
	old = pool->reserve;
	old_count = pool->reserve_count;
	keep = min(old_count, target - need);
	if (keep)
		memcpy(arr + need, old, keep * sizeof(*arr));
	pool->reserve = arr;
	pool->reserve_count = need + keep;
	WRITE_ONCE(pool->reserve_target, target);
	WRITE_ONCE(pool->reserve_low, pool->reserve_count < target);
	spin_unlock_irqrestore(&pool->lock, flags);

	if (old_count > keep)
		kmem_cache_free_bulk(cache, old_count - keep, old + keep);
	kvfree(old);
	return 0;
}

/* A region-backed pool's region and the kernel side of its rings. */
static int pktpool_pool_bind_region(struct pktpool *pool, const char *name)
{
	struct pktpool_region *r;
	struct pktpool_ring *ring;

	if (!pktpool_name_ok(name))
		return -EINVAL;
	r = pktpool_region_get(name);
	if (!r)
		return -ENOENT;
	if (pool->obj_size > r->slot_size) {
		pktpool_region_put(r);
		return -EINVAL;
	}
	if (!pool->obj_size)
		pool->obj_size = r->slot_size;
	ring = pktpool_ring_bind(r, &pool->ring_user);
	if (IS_ERR(ring)) {
		pktpool_region_put(r);
		return PTR_ERR(ring);
	}
	pool->region = r;
	pool->ring = ring;
	return 0;
}

void pktpool_rx_want_fill(struct pktpool *pool, bool want)
{
	if (pool->ring)
		pktpool_ring_want_fill(pool->ring, &pool->ring_user, want);
}
EXPORT_SYMBOL_GPL(pktpool_rx_want_fill);

static void pktpool_pool_unbind_region(struct pktpool *pool)
{
	if (!pool->ring)
		return;
	pktpool_ring_unbind(pool->ring, &pool->ring_user);
	pktpool_region_put(pool->region);
	pool->ring = NULL;
	pool->region = NULL;
}

static void pktpool_free_pool(struct pktpool *pool)
{
	cancel_delayed_work_sync(&pool->ntf_work);
	pktpool_pool_unbind_region(pool);
	pktpool_reserve_resize(pool, 0);	/* shrinking cannot fail */
	pktpool_pcpu_exit(pool);
	pktpool_obj_forget_all(pool);
	kfree(pool);
}

struct pktpool *pktpool_create_locked(const struct pktpool_params *p)
{
	struct pktpool *pool;
	int err;

	lockdep_assert_held(&pktpool_pools_lock);
	err = pktpool_params_check(p);
	if (err)
		return ERR_PTR(err);
	if (pktpool_find_locked(0, p->name))
		return ERR_PTR(-EEXIST);
	if (pktpool_nr_pools >= max_pools)
		return ERR_PTR(-ENOSPC);

	pool = kzalloc(sizeof(*pool), GFP_KERNEL);
	if (!pool)
		return ERR_PTR(-ENOMEM);
	strscpy(pool->name, p->name, sizeof(pool->name));
	/*
	 * A region-backed pool never touches its class; it has one only so
	 * that every pool does (statistics, dumps by class).
	 */
	pool->class = pktpool_class_find(p->obj_size ?: 1) ?:
		      pktpool_class_get(pktpool_class_count() - 1);
	pool->obj_size = p->obj_size;
	pool->node = p->node;
	pool->flags = p->flags;
	pool->limit = p->limit;
	pool->health = PKTPOOL_HEALTH_OK;
	pool->debug = pktpool_debug || (p->flags & PKTPOOL_POOL_F_DEBUG);
	spin_lock_init(&pool->lock);
	xa_init_flags(&pool->objs, XA_FLAGS_LOCK_IRQ);
	INIT_DELAYED_WORK(&pool->ntf_work, pktpool_nl_alert_work);
	refcount_set(&pool->ref, 1);

	err = pktpool_pcpu_init(pool);
	if (err)
		goto err_free;
	err = pktpool_reserve_resize(pool, p->reserve);
	if (err)
		goto err_pcpu;
	if (p->region) {
		err = -EINVAL;
		if (p->reserve || p->limit)
			goto err_reserve;
		pool->ring_user.tx = p->tx;
		pool->ring_user.kick = p->kick;
		pool->ring_user.live = p->live;
		pool->ring_user.arg = p->tx_arg;
		pool->ring_user.tx_any = p->tx_any;
		err = pktpool_pool_bind_region(pool, p->region);
		if (err)
			goto err_reserve;
	}
	/* Cyclic ids: a stale id does not silently name a newer pool. */
	err = xa_alloc_cyclic(&pktpool_pools, &pool->id, pool, xa_limit_31b,
			      &pktpool_next_id, GFP_KERNEL);
	if (err < 0) {
		err = err == -EBUSY ? -ENOSPC : err;	/* no id left */
		goto err_reserve;
	}
	pktpool_nr_pools++;
	trace_pktpool_pool_create(pool);
	pktpool_nl_pool_event(pool, PKTPOOL_CMD_POOL_ADD_NTF);
	return pool;

err_reserve:
	pktpool_pool_unbind_region(pool);
	pktpool_reserve_resize(pool, 0);
err_pcpu:
	pktpool_pcpu_exit(pool);
err_free:
	kfree(pool);
	return ERR_PTR(err);
}

/*
 * refs is how many references the caller accounts for: 1 (the registry's)
 * from userspace, 2 (registry and creator) from pktpool_destroy().
 */
int pktpool_destroy_locked(struct pktpool *pool, unsigned int refs)
{
	lockdep_assert_held(&pktpool_pools_lock);
	if (refcount_read(&pool->ref) != refs)
		return -EBUSY;
	/* Pairs with the release in pktpool_put(): see the holder's frees. */
	smp_rmb();
	if (pktpool_in_use(pool) || atomic_long_read(&pool->ring_out))
		return -EBUSY;
	xa_erase(&pktpool_pools, pool->id);
	pktpool_nr_pools--;
	trace_pktpool_pool_destroy(pool);
	pktpool_nl_pool_event(pool, PKTPOOL_CMD_POOL_DEL_NTF);
	pktpool_free_pool(pool);
	return 0;
}

int pktpool_set_locked(struct pktpool *pool, bool set_limit, u64 limit,
		       bool set_reserve, u64 reserve)
{
	int err;

	lockdep_assert_held(&pktpool_pools_lock);
	if (!set_limit)
		limit = pool->limit;
	if (!set_reserve)
		reserve = pool->reserve_target;
	err = pktpool_limits_check(limit, reserve);
	if (err)
		return err;
	if (reserve == pool->reserve_target && limit == pool->limit)
		return 0;
	if (reserve != pool->reserve_target) {
		err = pktpool_reserve_resize(pool, reserve);
		if (err)
			return err;
	}
	if (limit != pool->limit) {
		pktpool_pcpu_set_limit(pool, pool->limit, limit);
		WRITE_ONCE(pool->limit, limit);
		/* The objects out are now a different share of the limit. */
		pktpool_health_check_slow(pool, pktpool_in_use(pool));
	}
	pktpool_nl_pool_event(pool, PKTPOOL_CMD_POOL_CHANGE_NTF);
	return 0;
}

/*
 * Counters start over; state (in_use, allocs, frees) stays. The per-CPU
 * counters belong to their CPUs, so what they were is remembered and
 * subtracted on read instead. An event counted meanwhile may land on
 * either side of the reset.
 */
void pktpool_reset_stats_locked(struct pktpool *pool)
{
	struct pktpool_stats s = {};

	lockdep_assert_held(&pktpool_pools_lock);
	pktpool_pcpu_stats(pool, &s);
	WRITE_ONCE(pool->base_fail_limit, pool->base_fail_limit + s.fail_limit);
	WRITE_ONCE(pool->base_fail_nomem, pool->base_fail_nomem + s.fail_nomem);
	WRITE_ONCE(pool->base_reserve_hits,
		   pool->base_reserve_hits + s.reserve_hits);
	atomic_long_set(&pool->bad_frees, 0);
	atomic_long_set(&pool->peak, s.in_use);
}

struct pktpool *pktpool_create(const struct pktpool_params *params)
{
	struct pktpool *pool;

	mutex_lock(&pktpool_pools_lock);
	pool = pktpool_create_locked(params);
	if (!IS_ERR(pool)) {
		refcount_inc(&pool->ref);
		__module_get(THIS_MODULE);
	}
	mutex_unlock(&pktpool_pools_lock);
	return pool;
}
EXPORT_SYMBOL_GPL(pktpool_create);

int pktpool_destroy(struct pktpool *pool)
{
	int err;

	mutex_lock(&pktpool_pools_lock);
	err = pktpool_destroy_locked(pool, 2);
	mutex_unlock(&pktpool_pools_lock);
	if (!err)
		module_put(THIS_MODULE);
	return err;
}
EXPORT_SYMBOL_GPL(pktpool_destroy);

struct pktpool *pktpool_get(const char *name)
{
	struct pktpool *pool;

	mutex_lock(&pktpool_pools_lock);
	pool = pktpool_find_locked(0, name);
	if (pool) {
		refcount_inc(&pool->ref);
		__module_get(THIS_MODULE);
	}
	mutex_unlock(&pktpool_pools_lock);
	return pool;
}
EXPORT_SYMBOL_GPL(pktpool_get);

void pktpool_put(struct pktpool *pool)
{
	/* The registry's reference keeps this from reaching zero. */
	refcount_dec(&pool->ref);
	module_put(THIS_MODULE);
}
EXPORT_SYMBOL_GPL(pktpool_put);

const char *pktpool_name(const struct pktpool *pool)
{
	return pool->name;
}
EXPORT_SYMBOL_GPL(pktpool_name);

unsigned int pktpool_obj_size(const struct pktpool *pool)
{
	return pool->obj_size;
}
EXPORT_SYMBOL_GPL(pktpool_obj_size);

void pktpool_get_stats(struct pktpool *pool, struct pktpool_stats *stats)
{
	memset(stats, 0, sizeof(*stats));
	pktpool_pcpu_stats(pool, stats);
	pktpool_peak_update(pool, stats->in_use);
	stats->peak = atomic_long_read(&pool->peak);
	stats->reserve_avail = READ_ONCE(pool->reserve_count);
	stats->holders = refcount_read(&pool->ref) - 1;
	stats->bad_frees = atomic_long_read(&pool->bad_frees);
}
EXPORT_SYMBOL_GPL(pktpool_get_stats);

/* One "name:size[:limit[:reserve]]" item of the pools parameter. */
static int __init pktpool_parse_pool(char *spec)
{
	char *name = strsep(&spec, ":");
	char *size = strsep(&spec, ":");
	char *limit = strsep(&spec, ":");
	char *reserve = strsep(&spec, ":");
	struct pktpool_params p = { .name = name, .node = NUMA_NO_NODE };
	struct pktpool *pool;

	if (!size || spec || kstrtouint(size, 10, &p.obj_size) ||
	    (limit && kstrtou64(limit, 10, &p.limit)) ||
	    (reserve && kstrtou64(reserve, 10, &p.reserve)))
		return -EINVAL;
	pool = pktpool_create_locked(&p);
	return PTR_ERR_OR_ZERO(pool);
}

static void pktpool_destroy_all(void)
{
	struct pktpool *pool;
	unsigned long id;

	mutex_lock(&pktpool_pools_lock);
	xa_for_each(&pktpool_pools, id, pool) {
		/* Module references make this unreachable with holders. */
		if (refcount_read(&pool->ref) != 1 || pktpool_in_use(pool))
			pr_err("pool %s: still in use at unload\n", pool->name);
		xa_erase(&pktpool_pools, id);
		pktpool_free_pool(pool);
	}
	pktpool_nr_pools = 0;
	mutex_unlock(&pktpool_pools_lock);
}

int __init pktpool_pool_init(void)
{
	char *buf, *cur, *spec;
	int err = 0;

	if (!max_pools || max_pools > PKTPOOL_MAX_POOLS_LIMIT) {
		pr_err("max_pools: must be 1..%d\n", PKTPOOL_MAX_POOLS_LIMIT);
		return -EINVAL;
	}
	if (!pools || !*pools)
		return 0;

	buf = kstrdup(pools, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	cur = buf;
	mutex_lock(&pktpool_pools_lock);
	while ((spec = strsep(&cur, ",")) && !err) {
		err = pktpool_parse_pool(spec);
		if (err)
			pr_err("pools: cannot create '%s': %d\n",
			       pools, err);
	}
	mutex_unlock(&pktpool_pools_lock);
	kfree(buf);
	if (err)
		pktpool_destroy_all();
	return err;
}

void pktpool_pool_exit(void)
{
	pktpool_destroy_all();
}
