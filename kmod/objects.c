// SPDX-License-Identifier: GPL-2.0
/*
 * Debug mode: the record of every object a pool has out. pool->objs maps
 * each object (by address) to a record of where it came from: the call
 * site, when, and which task (or softirq or hard irq) allocated it. Frees
 * are checked against it (a pointer the pool does not have out is
 * reported, not freed), and netlink's pool-objects-get dumps copies of it
 * for leak hunting (see netlink.c).
 *
 * Only debug pools come here: pktpool_special() takes them off the fast
 * path, so the cost (a record from a slab cache, the xarray's lock with
 * interrupts off) is theirs alone. A record is allocated with the
 * caller's gfp, so it never sleeps where the caller cannot; xarray nodes
 * are allocated under the xarray's lock, so with GFP_ATOMIC. Interrupts
 * are off only for the few stores and loads under that lock: on
 * PREEMPT_RT that lock is a sleeping spinlock_t, like the rest of
 * pktpool's slow paths (see pktpool.h on contexts).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/preempt.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/timekeeping.h>
#include <linux/xarray.h>

#include "debugfs.h"
#include "objects.h"
#include "pool.h"

struct pktpool_obj_rec {
	void *obj;			/* to tell a misaligned pointer apart */
	struct pktpool_obj_info info;	/* info.key unused here */
};

static struct kmem_cache *pktpool_obj_cache;
/* Records alive, in every pool: debugfs object_records, checked at exit. */
atomic_t pktpool_obj_records = ATOMIC_INIT(0);

/* Objects are at least 8-byte aligned, so this loses nothing. */
static unsigned long pktpool_obj_key(const void *obj)
{
	return (unsigned long)obj >> 3;
}

static void pktpool_obj_rec_free(struct pktpool_obj_rec *rec)
{
	kmem_cache_free(pktpool_obj_cache, rec);
	atomic_dec(&pktpool_obj_records);
}

/*
 * Who is allocating. In softirq and hard irq context current is whatever
 * the interrupt landed on, so no task is named; on PREEMPT_RT interrupt
 * handlers are threads and are named as the tasks they are.
 */
static void pktpool_obj_who(struct pktpool_obj_info *info)
{
	if (in_task()) {
		info->ctx = PKTPOOL_OBJ_CTX_TASK;
		info->pid = task_tgid_nr(current);
		info->tid = task_pid_nr(current);
		/* Our own comm: only a racing rename could tear it. */
		strscpy(info->comm, current->comm, sizeof(info->comm));
		return;
	}
	info->ctx = in_serving_softirq() && !in_hardirq() && !in_nmi() ?
		    PKTPOOL_OBJ_CTX_SOFTIRQ : PKTPOOL_OBJ_CTX_HARDIRQ;
}

bool pktpool_obj_track(struct pktpool *pool, void *obj, gfp_t gfp,
		       unsigned long ip)
{
	struct pktpool_obj_rec *rec;
	unsigned long flags;
	int err;

	if (pktpool_fault_record())
		return false;
	rec = kmem_cache_zalloc(pktpool_obj_cache,
				(gfp & ~__GFP_ZERO) | __GFP_NOWARN);
	if (!rec)
		return false;
	atomic_inc(&pktpool_obj_records);
	rec->obj = obj;
	rec->info.seq = atomic64_inc_return(&pool->obj_seq);
	rec->info.time_ns = ktime_get_ns();
	rec->info.site = ip;
	pktpool_obj_who(&rec->info);

	xa_lock_irqsave(&pool->objs, flags);
	err = __xa_insert(&pool->objs, pktpool_obj_key(obj), rec,
			  GFP_ATOMIC | __GFP_NOWARN);
	xa_unlock_irqrestore(&pool->objs, flags);
	if (!err)
		return true;
	if (err == -EBUSY)
		pr_err("pool %s: slab handed out %p twice\n", pool->name, obj);
	pktpool_obj_rec_free(rec);
	return false;
}

bool pktpool_obj_untrack(struct pktpool *pool, void *obj)
{
	unsigned long key = pktpool_obj_key(obj), flags;
	struct pktpool_obj_rec *rec;

	xa_lock_irqsave(&pool->objs, flags);
	rec = xa_load(&pool->objs, key);
	if (rec && rec->obj == obj)
		__xa_erase(&pool->objs, key);
	else
		rec = NULL;
	xa_unlock_irqrestore(&pool->objs, flags);
	if (rec) {
		/* Out of the xarray under its lock: no dump can see it now. */
		pktpool_obj_rec_free(rec);
		return true;
	}

	atomic_long_inc(&pool->bad_frees);
	pr_warn_ratelimited("pool %s: free of %p, which it does not have out: ignored\n",
			    pool->name, obj);
	return false;
}

/*
 * Only at module unload can a pool go with objects out (destroy refuses
 * while any are): a module leaked them. The objects stay leaked; their
 * records do not.
 */
void pktpool_obj_forget_all(struct pktpool *pool)
{
	struct pktpool_obj_rec *rec;
	unsigned long key;

	xa_for_each(&pool->objs, key, rec)
		pktpool_obj_rec_free(rec);
	xa_destroy(&pool->objs);
}

unsigned int pktpool_obj_copy(struct pktpool *pool, unsigned long *next,
			      struct pktpool_obj_info *out, unsigned int max)
{
	XA_STATE(xas, &pool->objs, *next);
	struct pktpool_obj_rec *rec;
	unsigned int n = 0;
	unsigned long flags;

	if (!max)
		return 0;
	/* A short copy under the lock; the caller formats it outside. */
	xa_lock_irqsave(&pool->objs, flags);
	xas_for_each(&xas, rec, ULONG_MAX) {
		out[n] = rec->info;
		out[n].key = xas.xa_index;
		*next = xas.xa_index + 1;
		if (++n == max)
			break;
	}
	xa_unlock_irqrestore(&pool->objs, flags);
	return n;
}

int __init pktpool_objects_init(void)
{
	pktpool_obj_cache = KMEM_CACHE(pktpool_obj_rec, 0);
	return pktpool_obj_cache ? 0 : -ENOMEM;
}

/* After every pool is gone. */
void pktpool_objects_exit(void)
{
	int left = atomic_read(&pktpool_obj_records);

	if (left)
		pr_err("%d object records left at unload\n", left);
	kmem_cache_destroy(pktpool_obj_cache);
}
