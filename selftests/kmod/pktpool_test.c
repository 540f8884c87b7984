// SPDX-License-Identifier: GPL-2.0
/*
 * pktpool_test: drives pktpool's in-kernel API for the selftests.
 *
 * /dev/pktpool_test holds objects on behalf of userspace (HOLD, RELEASE)
 * in process context, softirq context or an interrupt handler, and runs
 * scenarios only the kernel side can set up (RUN): every CPU at once, frees
 * on another CPU, the API's reference rules, the debug checks on bad frees
 * and where a NUMA pool's objects come from.
 *
 * Held objects live in one array per pool, under pktpool_test_lock. A pool
 * with objects held is pinned by a pktpool_get() reference, dropped when
 * its last object is released or the module goes away.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/completion.h>
#include <linux/cpumask.h>
#include <linux/err.h>
#include <linux/fs.h>
#include <linux/interrupt.h>
#include <linux/irq.h>
#include <linux/irq_work.h>
#include <linux/kthread.h>
#include <linux/list.h>
#include <linux/miscdevice.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/numa.h>
#include <linux/preempt.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>
#include <linux/smp.h>
#include <linux/string.h>
#include <linux/timer.h>
#include <linux/uaccess.h>
#include <linux/pktpool.h>

#include "pktpool.h"
#include "pktpool_test.h"

#define PKTPOOL_TEST_BULK	16
#define PKTPOOL_TEST_F_ALL	(PKTPOOL_TEST_F_ATOMIC | PKTPOOL_TEST_F_BULK | \
				 PKTPOOL_TEST_F_ZERO)
#define PKTPOOL_TEST_ROUNDS_DEF	1000
#define PKTPOOL_TEST_CROSS_DEF	1024

/* Objects held for userspace from one pool. */
struct pktpool_test_held {
	struct list_head node;
	struct pktpool *pool;		/* pktpool_get() reference */
	char name[PKTPOOL_NAME_MAX];
	void **objs;
	unsigned int nr;
	unsigned int cap;
};

static LIST_HEAD(pktpool_test_held_list);
static DEFINE_MUTEX(pktpool_test_lock);	/* the list and every array */

/* One batch of allocations or frees, run in the requested context. */
struct pktpool_test_job {
	struct pktpool *pool;
	void **objs;
	unsigned int count;
	unsigned int flags;
	gfp_t gfp;
	bool free;
	unsigned int ctx;
	unsigned int done;
	int err;
	struct completion completion;
	struct timer_list timer;
	struct irq_work work;
};

static bool pktpool_test_name_ok(const char *name)
{
	size_t len = strnlen(name, PKTPOOL_NAME_MAX);

	return len && len < PKTPOOL_NAME_MAX;
}

static void pktpool_test_job_alloc(struct pktpool_test_job *job)
{
	unsigned int size = pktpool_obj_size(job->pool);
	unsigned int i;
	void *obj;

	if (job->flags & PKTPOOL_TEST_F_BULK) {
		job->done = pktpool_alloc_bulk(job->pool, job->gfp, job->count,
					       job->objs);
		for (i = 0; i < job->done; i++)
			memset(job->objs[i], PKTPOOL_TEST_POISON, size);
		return;
	}

	/* Keep trying after a failure: every refused attempt is counted. */
	for (i = 0; i < job->count; i++) {
		if (job->flags & PKTPOOL_TEST_F_ZERO)
			obj = pktpool_zalloc(job->pool, job->gfp);
		else
			obj = pktpool_alloc(job->pool, job->gfp);
		if (!obj)
			continue;
		if (!(job->flags & PKTPOOL_TEST_F_ZERO))
			memset(obj, PKTPOOL_TEST_POISON, size);
		else if (memchr_inv(obj, 0, size))
			job->err = -EIO;
		job->objs[job->done++] = obj;
	}
}

static void pktpool_test_job_free(struct pktpool_test_job *job)
{
	unsigned int i;

	if (job->flags & PKTPOOL_TEST_F_BULK) {
		pktpool_free_bulk(job->pool, job->count, job->objs);
	} else {
		for (i = job->count; i > 0; i--)
			pktpool_free(job->pool, job->objs[i - 1]);
	}
	job->done = job->count;
}

static void pktpool_test_job_do(struct pktpool_test_job *job)
{
	if (job->free)
		pktpool_test_job_free(job);
	else
		pktpool_test_job_alloc(job);
}

static void pktpool_test_timer_fn(struct timer_list *t)
{
	struct pktpool_test_job *job = from_timer(job, t, timer);

	if (!in_serving_softirq())
		job->err = -EPROTO;
	else
		pktpool_test_job_do(job);
	complete(&job->completion);
}

/*
 * The context a driver's interrupt handler runs in: a handler registered
 * with request_irq() on an interrupt of this module's own, raised from
 * hard irq context (irq_work) through generic_handle_irq(), as an
 * interrupt controller's code would. Without PREEMPT_RT the handler runs
 * right there, in hard irq context; PREEMPT_RT forces every such handler
 * into an irq thread, which is where drivers allocate on that kernel.
 */
static unsigned int pktpool_test_irq;
/* The job of the one HOLD or RELEASE running, under pktpool_test_lock. */
static struct pktpool_test_job *pktpool_test_irq_job;

static irqreturn_t pktpool_test_irq_fn(int irq, void *dev_id)
{
	struct pktpool_test_job *job = READ_ONCE(pktpool_test_irq_job);

	if (!job)
		return IRQ_NONE;
	if (in_hardirq() == IS_ENABLED(CONFIG_PREEMPT_RT))
		job->err = -EPROTO;
	else
		pktpool_test_job_do(job);
	complete(&job->completion);
	return IRQ_HANDLED;
}

static void pktpool_test_irq_raise(struct irq_work *work)
{
	generic_handle_irq(pktpool_test_irq);
}

static int __init pktpool_test_irq_init(void)
{
	int irq, err;

	/*
	 * No owner: an owner module is pinned while its interrupt is
	 * requested, and this module only frees it on its way out.
	 */
	irq = __irq_alloc_descs(-1, 0, 1, NUMA_NO_NODE, NULL, NULL);
	if (irq < 0)
		return irq;
	irq_set_chip_and_handler(irq, &dummy_irq_chip, handle_simple_irq);
	irq_modify_status(irq, IRQ_NOREQUEST | IRQ_NOPROBE, 0);
	err = request_irq(irq, pktpool_test_irq_fn, 0, "pktpool_test",
			  &pktpool_test_irq);
	if (err) {
		irq_free_desc(irq);
		return err;
	}
	pktpool_test_irq = irq;
	return 0;
}

static void pktpool_test_irq_exit(void)
{
	free_irq(pktpool_test_irq, &pktpool_test_irq);
	irq_free_desc(pktpool_test_irq);
}

/* Process context. Run the job where it asks to run and wait for it. */
static int pktpool_test_job_run(struct pktpool_test_job *job)
{
	switch (job->ctx) {
	case PKTPOOL_TEST_CTX_PROCESS:
		pktpool_test_job_do(job);
		break;
	case PKTPOOL_TEST_CTX_SOFTIRQ:
		init_completion(&job->completion);
		timer_setup(&job->timer, pktpool_test_timer_fn, 0);
		mod_timer(&job->timer, jiffies);
		wait_for_completion(&job->completion);
		/* The callback may still be returning; let it finish. */
		del_timer_sync(&job->timer);
		break;
	case PKTPOOL_TEST_CTX_IRQ:
		lockdep_assert_held(&pktpool_test_lock);
		init_completion(&job->completion);
		WRITE_ONCE(pktpool_test_irq_job, job);
		job->work = IRQ_WORK_INIT_HARD(pktpool_test_irq_raise);
		irq_work_queue(&job->work);
		wait_for_completion(&job->completion);
		irq_work_sync(&job->work);
		/* The handler (or its thread) may still be returning. */
		synchronize_irq(pktpool_test_irq);
		WRITE_ONCE(pktpool_test_irq_job, NULL);
		break;
	default:
		return -EINVAL;
	}
	return job->err;
}

static struct pktpool_test_held *pktpool_test_held_find(const char *name)
{
	struct pktpool_test_held *h;

	lockdep_assert_held(&pktpool_test_lock);
	list_for_each_entry(h, &pktpool_test_held_list, node) {
		if (!strcmp(h->name, name))
			return h;
	}
	return NULL;
}

static void pktpool_test_held_drop(struct pktpool_test_held *h)
{
	list_del(&h->node);
	pktpool_put(h->pool);
	kvfree(h->objs);
	kfree(h);
}

static int pktpool_test_held_grow(struct pktpool_test_held *h,
				  unsigned int more)
{
	unsigned int cap = max(h->cap, 64U);
	void **objs;

	if (h->nr + more <= h->cap)
		return 0;
	while (cap < h->nr + more)
		cap *= 2;
	objs = kvmalloc_array(cap, sizeof(*objs), GFP_KERNEL);
	if (!objs)
		return -ENOMEM;
	if (h->nr)
		memcpy(objs, h->objs, h->nr * sizeof(*objs));
	kvfree(h->objs);
	h->objs = objs;
	h->cap = cap;
	return 0;
}

static int pktpool_test_hold_check(const struct pktpool_test_hold *req,
				   bool release)
{
	if (!pktpool_test_name_ok(req->pool))
		return -EINVAL;
	if (req->ctx > PKTPOOL_TEST_CTX_IRQ)
		return -EINVAL;
	if (req->flags & ~PKTPOOL_TEST_F_ALL)
		return -EINVAL;
	if (release)
		return 0;
	if ((req->flags & PKTPOOL_TEST_F_ZERO) &&
	    (req->flags & PKTPOOL_TEST_F_BULK))
		return -EINVAL;
	if (req->count > PKTPOOL_TEST_HOLD_MAX)
		return -EINVAL;
	if (req->ctx != PKTPOOL_TEST_CTX_PROCESS &&
	    req->count > PKTPOOL_TEST_IRQ_MAX)
		return -EINVAL;
	return 0;
}

static gfp_t pktpool_test_gfp(const struct pktpool_test_hold *req)
{
	if (req->ctx != PKTPOOL_TEST_CTX_PROCESS ||
	    (req->flags & PKTPOOL_TEST_F_ATOMIC))
		return GFP_ATOMIC;
	return GFP_KERNEL;
}

static int pktpool_test_hold(struct pktpool_test_hold *req)
{
	struct pktpool_test_job job = {};
	struct pktpool_test_held *h;
	struct pktpool *pool;
	int err;

	err = pktpool_test_hold_check(req, false);
	if (err)
		return err;
	req->done = 0;

	mutex_lock(&pktpool_test_lock);
	h = pktpool_test_held_find(req->pool);
	if (!h) {
		pool = pktpool_get(req->pool);
		if (!pool) {
			err = -ENOENT;
			goto out_unlock;
		}
		h = kzalloc(sizeof(*h), GFP_KERNEL);
		if (!h) {
			pktpool_put(pool);
			err = -ENOMEM;
			goto out_unlock;
		}
		h->pool = pool;
		strscpy(h->name, req->pool, sizeof(h->name));
		list_add_tail(&h->node, &pktpool_test_held_list);
	}

	err = pktpool_test_held_grow(h, req->count);
	if (err)
		goto out_drop;

	job.pool = h->pool;
	job.objs = h->objs + h->nr;
	job.count = req->count;
	job.flags = req->flags;
	job.gfp = pktpool_test_gfp(req);
	job.ctx = req->ctx;
	err = pktpool_test_job_run(&job);
	h->nr += job.done;
	req->done = job.done;

out_drop:
	if (!h->nr)
		pktpool_test_held_drop(h);
out_unlock:
	mutex_unlock(&pktpool_test_lock);
	return err;
}

static int pktpool_test_release(struct pktpool_test_hold *req)
{
	struct pktpool_test_job job = {};
	struct pktpool_test_held *h;
	struct pktpool *pool;
	int err;

	err = pktpool_test_hold_check(req, true);
	if (err)
		return err;
	req->done = 0;

	mutex_lock(&pktpool_test_lock);
	h = pktpool_test_held_find(req->pool);
	if (!h) {
		/* Nothing held: fine for a pool that exists. */
		pool = pktpool_get(req->pool);
		if (pool)
			pktpool_put(pool);
		else
			err = -ENOENT;
		goto out_unlock;
	}

	job.pool = h->pool;
	job.count = req->count && req->count < h->nr ? req->count : h->nr;
	job.objs = h->objs + h->nr - job.count;
	job.flags = req->flags;
	job.free = true;
	job.ctx = req->ctx;
	err = pktpool_test_job_run(&job);
	h->nr -= job.done;
	req->done = job.done;
	if (!h->nr)
		pktpool_test_held_drop(h);
out_unlock:
	mutex_unlock(&pktpool_test_lock);
	return err;
}

struct pktpool_test_race;

/* A kthread bound to one CPU that runs fn once, then waits to be stopped. */
struct pktpool_test_worker {
	struct task_struct *task;
	struct completion done;
	void (*fn)(struct pktpool_test_worker *w);
	struct pktpool *pool;
	unsigned int cpu;
	unsigned int ran_on;
	unsigned int rounds;
	void **objs;
	unsigned int nr;
	u64 allocs;
	u64 failed;
	struct pktpool_test_race *race;	/* LIMIT_RACE */
	unsigned int want;		/* LIMIT_RACE: objects per round */
};

static int pktpool_test_worker_fn(void *data)
{
	struct pktpool_test_worker *w = data;

	w->ran_on = raw_smp_processor_id();
	w->fn(w);
	complete(&w->done);

	/* Exit only through kthread_stop(), so the creator owns the task. */
	set_current_state(TASK_INTERRUPTIBLE);
	while (!kthread_should_stop()) {
		schedule();
		set_current_state(TASK_INTERRUPTIBLE);
	}
	__set_current_state(TASK_RUNNING);
	return 0;
}

static int pktpool_test_worker_create(struct pktpool_test_worker *w)
{
	struct task_struct *task;

	init_completion(&w->done);
	task = kthread_create(pktpool_test_worker_fn, w, "pktpool_test/%u",
			      w->cpu);
	if (IS_ERR(task))
		return PTR_ERR(task);
	kthread_bind(task, w->cpu);
	w->task = task;
	return 0;
}

/* Wait for a started worker to finish its work and reap it. */
static void pktpool_test_worker_finish(struct pktpool_test_worker *w)
{
	wait_for_completion(&w->done);
	kthread_stop(w->task);
	w->task = NULL;
}

/* Run fn on one CPU and wait for it. */
static int pktpool_test_on_cpu(struct pktpool_test_worker *w)
{
	int err;

	err = pktpool_test_worker_create(w);
	if (err)
		return err;
	wake_up_process(w->task);
	pktpool_test_worker_finish(w);
	return 0;
}

static __printf(3, 4)
void pktpool_test_fail(struct pktpool_test_run *run, int err,
		       const char *fmt, ...)
{
	va_list args;

	run->result = err;
	va_start(args, fmt);
	vsnprintf(run->msg, sizeof(run->msg), fmt, args);
	va_end(args);
}

static void pktpool_test_rounds(struct pktpool_test_worker *w)
{
	void *objs[PKTPOOL_TEST_BULK];
	unsigned int i, n;
	void *obj;

	for (i = 0; i < w->rounds; i++) {
		obj = pktpool_alloc(w->pool, GFP_KERNEL);
		if (obj) {
			w->allocs++;
			pktpool_free(w->pool, obj);
		} else {
			w->failed++;
		}
		n = pktpool_alloc_bulk(w->pool, GFP_KERNEL, PKTPOOL_TEST_BULK,
				       objs);
		w->allocs += n;
		w->failed += PKTPOOL_TEST_BULK - n;
		pktpool_free_bulk(w->pool, n, objs);
		cond_resched();
	}
}

static void pktpool_test_both_cpus(struct pktpool_test_run *run,
				   struct pktpool *pool)
{
	struct pktpool_stats before, after;
	struct pktpool_test_worker *w;
	unsigned int nr = 0, i, cpu;
	u64 expected = 0, failed = 0;
	int err = 0;

	w = kcalloc(nr_cpu_ids, sizeof(*w), GFP_KERNEL);
	if (!w) {
		pktpool_test_fail(run, -ENOMEM, "no memory for workers");
		return;
	}

	pktpool_get_stats(pool, &before);
	for_each_online_cpu(cpu) {
		w[nr].fn = pktpool_test_rounds;
		w[nr].pool = pool;
		w[nr].cpu = cpu;
		w[nr].rounds = run->arg ? run->arg : PKTPOOL_TEST_ROUNDS_DEF;
		err = pktpool_test_worker_create(&w[nr]);
		if (err)
			break;
		nr++;
	}
	if (err) {
		/* Never woken: kthread_stop() makes them exit unrun. */
		for (i = 0; i < nr; i++)
			kthread_stop(w[i].task);
		pktpool_test_fail(run, err, "kthread_create: %d", err);
		goto out;
	}

	for (i = 0; i < nr; i++)
		wake_up_process(w[i].task);
	for (i = 0; i < nr; i++)
		pktpool_test_worker_finish(&w[i]);
	pktpool_get_stats(pool, &after);

	for (i = 0; i < nr; i++) {
		expected += w[i].allocs;
		failed += w[i].failed;
		if (w[i].ran_on != w[i].cpu) {
			pktpool_test_fail(run, -EIO, "worker for CPU %u ran on %u",
					  w[i].cpu, w[i].ran_on);
			goto out;
		}
	}
	run->out[0] = expected;
	run->out[1] = after.allocs - before.allocs;
	run->out[2] = after.frees - before.frees;
	run->out[3] = nr;

	if (failed)
		pktpool_test_fail(run, -ENOMEM, "%llu of %llu allocations failed",
				  failed, failed + expected);
	else if (run->out[1] != expected || run->out[2] != expected)
		pktpool_test_fail(run, -EIO,
				  "allocs +%llu frees +%llu, expected +%llu each",
				  run->out[1], run->out[2], expected);
	else if (after.in_use != before.in_use)
		pktpool_test_fail(run, -EIO, "in_use %llu after, %llu before",
				  after.in_use, before.in_use);
out:
	kfree(w);
}

static void pktpool_test_cross_alloc(struct pktpool_test_worker *w)
{
	unsigned int i;
	void *obj;

	for (i = 0; i < w->rounds; i++) {
		obj = pktpool_alloc(w->pool, GFP_KERNEL);
		if (obj)
			w->objs[w->nr++] = obj;
		else
			w->failed++;
	}
}

static void pktpool_test_cross_free(struct pktpool_test_worker *w)
{
	unsigned int i;

	for (i = 0; i < w->nr; i++)
		pktpool_free(w->pool, w->objs[i]);
}

static void pktpool_test_cross_cpu(struct pktpool_test_run *run,
				   struct pktpool *pool)
{
	struct pktpool_test_worker a = {}, b = {};
	struct pktpool_stats before, after;
	unsigned int n = run->arg ? run->arg : PKTPOOL_TEST_CROSS_DEF;
	int err;

	a.cpu = cpumask_first(cpu_online_mask);
	b.cpu = cpumask_next(a.cpu, cpu_online_mask);
	if (b.cpu >= nr_cpu_ids) {
		pktpool_test_fail(run, -EOPNOTSUPP, "needs two online CPUs");
		return;
	}
	if (n > PKTPOOL_TEST_HOLD_MAX) {
		pktpool_test_fail(run, -EINVAL, "at most %u objects",
				  PKTPOOL_TEST_HOLD_MAX);
		return;
	}
	a.objs = kvmalloc_array(n, sizeof(*a.objs), GFP_KERNEL);
	if (!a.objs) {
		pktpool_test_fail(run, -ENOMEM, "no memory for %u pointers", n);
		return;
	}

	pktpool_get_stats(pool, &before);
	a.fn = pktpool_test_cross_alloc;
	a.pool = pool;
	a.rounds = n;
	err = pktpool_test_on_cpu(&a);
	if (err) {
		pktpool_test_fail(run, err, "kthread_create: %d", err);
		goto out;
	}

	b.fn = pktpool_test_cross_free;
	b.pool = pool;
	b.objs = a.objs;
	b.nr = a.nr;
	err = pktpool_test_on_cpu(&b);
	if (err) {
		/* Do not leak what CPU a allocated. */
		pktpool_test_cross_free(&b);
		pktpool_test_fail(run, err, "kthread_create: %d", err);
		goto out;
	}
	pktpool_get_stats(pool, &after);

	run->out[0] = a.nr;
	run->out[1] = after.allocs - before.allocs;
	run->out[2] = after.frees - before.frees;
	run->out[3] = after.in_use;

	if (a.ran_on != a.cpu || b.ran_on != b.cpu)
		pktpool_test_fail(run, -EIO,
				  "workers ran on CPUs %u and %u, not %u and %u",
				  a.ran_on, b.ran_on, a.cpu, b.cpu);
	else if (a.failed)
		pktpool_test_fail(run, -ENOMEM, "%llu of %u allocations failed",
				  a.failed, n);
	else if (run->out[1] != n || run->out[2] != n)
		pktpool_test_fail(run, -EIO,
				  "allocs +%llu frees +%llu, expected +%u each",
				  run->out[1], run->out[2], n);
	else if (after.in_use != before.in_use)
		pktpool_test_fail(run, -EIO, "in_use %llu after, %llu before",
				  after.in_use, before.in_use);
out:
	kvfree(a.objs);
}

static void pktpool_test_bad_free(struct pktpool_test_run *run)
{
	struct pktpool_params params = {
		.name = run->pool[0] ? run->pool : "pktpool_test_bad_free",
		.obj_size = 64,
		.node = NUMA_NO_NODE,
		.flags = PKTPOOL_POOL_F_DEBUG,
	};
	struct pktpool_stats stats;
	struct pktpool *pool;
	void *foreign, *obj;
	int err;

	foreign = kmalloc(params.obj_size, GFP_KERNEL);
	if (!foreign) {
		pktpool_test_fail(run, -ENOMEM, "kmalloc failed");
		return;
	}
	pool = pktpool_create(&params);
	if (IS_ERR(pool)) {
		pktpool_test_fail(run, PTR_ERR(pool), "pktpool_create: %ld",
				  PTR_ERR(pool));
		goto out_kfree;
	}
	obj = pktpool_alloc(pool, GFP_KERNEL);
	if (!obj) {
		pktpool_test_fail(run, -ENOMEM, "pktpool_alloc failed");
		goto out_destroy;
	}

	/* Both must be refused: a pointer that is not the pool's, ... */
	pktpool_free(pool, foreign);
	pktpool_get_stats(pool, &stats);
	if (stats.bad_frees != 1) {
		/* The pool may own it now: leaking beats a double owner. */
		foreign = NULL;
		pktpool_free(pool, obj);
		pktpool_test_fail(run, -EIO,
				  "foreign pointer not caught: bad_frees %llu",
				  stats.bad_frees);
		goto out_destroy;
	}
	pktpool_free(pool, obj);
	/* ... and one the pool already has back. */
	pktpool_free(pool, obj);

	pktpool_get_stats(pool, &stats);
	run->out[0] = stats.bad_frees;
	run->out[1] = stats.in_use;
	run->out[2] = stats.allocs;
	run->out[3] = stats.frees;
	if (stats.bad_frees != 2)
		pktpool_test_fail(run, -EIO, "bad_frees %llu, expected 2",
				  stats.bad_frees);
	else if (stats.in_use)
		pktpool_test_fail(run, -EIO, "in_use %llu, expected 0",
				  stats.in_use);
	else if (stats.allocs != 1 || stats.frees != 1)
		pktpool_test_fail(run, -EIO,
				  "allocs %llu frees %llu, expected 1 each",
				  stats.allocs, stats.frees);

out_destroy:
	err = pktpool_destroy(pool);
	if (err && !run->result)
		pktpool_test_fail(run, err, "pktpool_destroy: %d", err);
	if (err)
		pr_warn("bad_free: pool %s left behind: %d\n", params.name, err);
out_kfree:
	kfree(foreign);
}

static void pktpool_test_lifecycle(struct pktpool_test_run *run)
{
	struct pktpool_params params = {
		.name = run->pool[0] ? run->pool : "pktpool_test_lifecycle",
		.obj_size = 256,
		.node = NUMA_NO_NODE,
	};
	struct pktpool *pool, *other, *held = NULL;
	void *obj = NULL;
	unsigned int step = 0;
	int err;

	pool = pktpool_create(&params);
	if (IS_ERR(pool)) {
		pktpool_test_fail(run, PTR_ERR(pool), "create: %ld",
				  PTR_ERR(pool));
		return;
	}
	step++;

	other = pktpool_create(&params);
	if (!IS_ERR(other)) {
		pktpool_test_fail(run, -EIO, "second create of %s succeeded",
				  params.name);
		pktpool_destroy(other);
		goto out;
	}
	if (PTR_ERR(other) != -EEXIST) {
		pktpool_test_fail(run, -EIO, "second create: %ld, expected %d",
				  PTR_ERR(other), -EEXIST);
		goto out;
	}
	step++;

	held = pktpool_get(params.name);
	if (held != pool) {
		pktpool_test_fail(run, -EIO, "get returned %p, expected %p",
				  held, pool);
		goto out;
	}
	step++;

	err = pktpool_destroy(pool);
	if (err != -EBUSY) {
		pktpool_test_fail(run, -EIO,
				  "destroy with a holder: %d, expected %d",
				  err, -EBUSY);
		if (!err)
			pool = NULL;
		goto out;
	}
	step++;

	/* The refused destroy changed nothing: the name still resolves. */
	other = pktpool_get(params.name);
	if (other)
		pktpool_put(other);
	if (other != pool) {
		pktpool_test_fail(run, -EIO, "after -EBUSY get returned %p",
				  other);
		goto out;
	}
	step++;

	pktpool_put(held);
	held = NULL;
	obj = pktpool_alloc(pool, GFP_KERNEL);
	if (!obj) {
		pktpool_test_fail(run, -ENOMEM, "alloc failed");
		goto out;
	}
	step++;

	err = pktpool_destroy(pool);
	if (err != -EBUSY) {
		pktpool_test_fail(run, -EIO,
				  "destroy with an object out: %d, expected %d",
				  err, -EBUSY);
		if (!err)
			pool = NULL;
		goto out;
	}
	step++;

	pktpool_free(pool, obj);
	obj = NULL;
	err = pktpool_destroy(pool);
	if (err) {
		pktpool_test_fail(run, -EIO, "final destroy: %d", err);
		goto out;
	}
	pool = NULL;
	step++;

	other = pktpool_get(params.name);
	if (other) {
		pktpool_put(other);
		pktpool_test_fail(run, -EIO, "get after destroy found the pool");
		goto out;
	}
	step++;

out:
	run->out[0] = step;
	if (held)
		pktpool_put(held);
	if (obj)
		pktpool_free(pool, obj);
	if (pool) {
		err = pktpool_destroy(pool);
		if (err)
			pr_warn("lifecycle: pool %s left behind: %d\n",
				params.name, err);
	}
}

/*
 * NODE_COUNT: where the objects held from a pool are, for a test that
 * created the pool on a node.
 */
static void pktpool_test_node_count(struct pktpool_test_run *run)
{
	struct pktpool_test_held *h;
	unsigned int i;

	if (run->arg >= nr_node_ids) {
		pktpool_test_fail(run, -EINVAL, "no node %u", run->arg);
		return;
	}
	mutex_lock(&pktpool_test_lock);
	h = pktpool_test_held_find(run->pool);
	if (!h) {
		pktpool_test_fail(run, -ENOENT, "nothing held from '%s'",
				  run->pool);
		goto out;
	}
	run->out[0] = h->nr;
	for (i = 0; i < h->nr; i++) {
		if (page_to_nid(virt_to_page(h->objs[i])) == run->arg)
			run->out[1]++;
		else
			run->out[2]++;
	}
out:
	mutex_unlock(&pktpool_test_lock);
}

/* Pages DRAIN_NODE took, until UNDRAIN_NODE or rmmod; pktpool_test_lock. */
static LIST_HEAD(pktpool_test_drained);

/*
 * DRAIN_NODE: run a node dry the way the page allocator sees it. Take every
 * page it hands out from that node alone without reclaiming anything, so
 * the node is left at its watermark and allocations that prefer it fall
 * back to other nodes. Large pages first, then smaller: quick under TCG.
 */
static void pktpool_test_drain_node(struct pktpool_test_run *run)
{
	const gfp_t gfp = __GFP_THISNODE | __GFP_NORETRY | __GFP_NOWARN |
			  __GFP_NOMEMALLOC | __GFP_COMP;
	struct page *page;
	int order;

	if (run->arg >= nr_node_ids || !node_online(run->arg)) {
		pktpool_test_fail(run, -EINVAL, "no node %u online", run->arg);
		return;
	}
	mutex_lock(&pktpool_test_lock);
	if (!list_empty(&pktpool_test_drained)) {
		pktpool_test_fail(run, -EBUSY, "a node is drained already");
		goto out;
	}
	for (order = 9; order >= 0; order--) {
		while ((page = alloc_pages_node(run->arg, gfp, order))) {
			list_add(&page->lru, &pktpool_test_drained);
			run->out[0] += 1UL << order;
			cond_resched();
		}
	}
out:
	mutex_unlock(&pktpool_test_lock);
}

/* Give back what DRAIN_NODE took; returns the number of pages. */
static unsigned long pktpool_test_undrain(void)
{
	struct page *page, *tmp;
	unsigned long nr = 0;

	lockdep_assert_held(&pktpool_test_lock);
	list_for_each_entry_safe(page, tmp, &pktpool_test_drained, lru) {
		list_del(&page->lru);
		nr += 1UL << compound_order(page);
		__free_pages(page, compound_order(page));
	}
	return nr;
}

/*
 * free_bulk with NULLs between the objects: the NULLs must not reach the
 * per-CPU cache, where a later alloc_bulk would hand them out as objects.
 */
static void pktpool_test_bulk_null(struct pktpool_test_run *run)
{
	struct pktpool_params params = {
		.name = run->pool[0] ? run->pool : "pktpool_test_bulk_null",
		.obj_size = 128,
		.limit = 64,
		.node = NUMA_NO_NODE,
	};
	enum { NR = 16 };
	void *objs[NR], *mixed[2 * NR + 1] = {};
	struct pktpool_stats stats;
	struct pktpool *pool;
	unsigned int i, n, nulls = 0;
	int err;

	pool = pktpool_create(&params);
	if (IS_ERR(pool)) {
		pktpool_test_fail(run, PTR_ERR(pool), "pktpool_create: %ld",
				  PTR_ERR(pool));
		return;
	}
	n = pktpool_alloc_bulk(pool, GFP_KERNEL, NR, objs);
	run->out[0] = n;
	if (n != NR) {
		pktpool_test_fail(run, -ENOMEM, "alloc_bulk: %u of %u", n, NR);
		goto out_free;
	}
	/* NULL, obj, NULL, obj, ..., NULL */
	for (i = 0; i < NR; i++)
		mixed[2 * i + 1] = objs[i];
	pktpool_free_bulk(pool, ARRAY_SIZE(mixed), mixed);
	n = 0;
	pktpool_get_stats(pool, &stats);
	run->out[1] = stats.in_use;
	if (stats.in_use) {
		pktpool_test_fail(run, -EIO, "in_use %llu after free_bulk",
				  stats.in_use);
		goto out_destroy;
	}
	n = pktpool_alloc_bulk(pool, GFP_KERNEL, NR, objs);
	for (i = 0; i < n; i++)
		if (!objs[i])
			nulls++;
	run->out[2] = nulls;
	run->out[3] = n;
	if (nulls) {
		pktpool_test_fail(run, -EIO, "alloc_bulk handed out %u NULLs",
				  nulls);
		/* Free only the real objects: a NULL must not go back. */
		for (i = 0; i < n; i++)
			if (objs[i])
				pktpool_free(pool, objs[i]);
		n = 0;
		goto out_destroy;
	}
out_free:
	pktpool_free_bulk(pool, n, objs);
out_destroy:
	err = pktpool_destroy(pool);
	if (err)
		pktpool_test_fail(run, err, "destroy: %d", err);
}

static void pktpool_test_ring(struct pktpool_test_run *run)
{
	struct pktpool_params params = {
		.name = "pktpool_test_ring",
		.obj_size = 64,
		.node = NUMA_NO_NODE,
		.region = run->pool,
	};
	struct pktpool *pool;
	unsigned int i, k;
	int err;

	pool = pktpool_create(&params);
	if (IS_ERR(pool)) {
		run->out[3] = -PTR_ERR(pool);
		pktpool_test_fail(run, PTR_ERR(pool), "pktpool_create: %ld",
				  PTR_ERR(pool));
		return;
	}
	for (i = 0; i < run->arg; i++) {
		struct pktpool_desc d = {
			.len = PKTPOOL_TEST_RING_LEN(i),
			.orig_len = PKTPOOL_TEST_RING_LEN(i),
			.id = i,
			.tstamp = ktime_get_real_ns(),
		};
		unsigned char *obj = pktpool_alloc(pool, GFP_KERNEL);

		if (!obj) {
			run->out[1]++;
			break;
		}
		for (k = 0; k < d.len; k++)
			obj[k] = PKTPOOL_TEST_RING_BYTE(i, k);
		err = pktpool_rx_submit(pool, obj, &d);
		if (err) {
			run->out[2]++;
			pktpool_free(pool, obj);
			continue;
		}
		run->out[0]++;
	}
	err = pktpool_destroy(pool);
	if (err)
		pktpool_test_fail(run, err, "destroy: %d", err);
}

#define PKTPOOL_TEST_RACE_ROUNDS	200
#define PKTPOOL_TEST_RACE_LIMIT_DEF	64
#define PKTPOOL_TEST_RACE_LIMIT_MAX	65536
#define PKTPOOL_TEST_RACE_BITE		4	/* objects a timer firing holds */

/* LIMIT_RACE: what every kthread and timer shares. */
struct pktpool_test_race {
	struct pktpool *pool;
	long limit;
	/*
	 * Objects held: raised after an allocation returned, lowered before
	 * the free, so it never counts more than the pool has out. Above the
	 * limit means the pool handed out more than its limit.
	 */
	atomic_long_t out;
	atomic_t over;
	atomic_long_t soft;	/* objects the timers got */
	bool stop;
};

/* One timer per CPU: keeps what it got until its next firing. */
struct pktpool_test_race_timer {
	struct timer_list timer;
	struct pktpool_test_race *race;
	void *objs[PKTPOOL_TEST_RACE_BITE];
	unsigned int nr;
};

static void pktpool_test_race_got(struct pktpool_test_race *race)
{
	if (atomic_long_inc_return(&race->out) > race->limit)
		atomic_inc(&race->over);
}

static void pktpool_test_race_put(struct pktpool_test_race *race,
				  void **objs, unsigned int nr)
{
	unsigned int i;

	for (i = 0; i < nr; i++)
		atomic_long_dec(&race->out);
	pktpool_free_bulk(race->pool, nr, objs);
}

static void pktpool_test_race_timer_fn(struct timer_list *t)
{
	struct pktpool_test_race_timer *rt = from_timer(rt, t, timer);
	struct pktpool_test_race *race = rt->race;
	void *obj;

	pktpool_test_race_put(race, rt->objs, rt->nr);
	rt->nr = 0;
	if (READ_ONCE(race->stop))
		return;
	while (rt->nr < PKTPOOL_TEST_RACE_BITE) {
		obj = pktpool_alloc(race->pool, GFP_ATOMIC);
		if (!obj)
			break;
		rt->objs[rt->nr++] = obj;
		pktpool_test_race_got(race);
		atomic_long_inc(&race->soft);
	}
	mod_timer(&rt->timer, jiffies + 1);
}

/* Take more than a fair share, give it back; single calls, then bulk. */
static void pktpool_test_race_rounds(struct pktpool_test_worker *w)
{
	struct pktpool_test_race *race = w->race;
	unsigned int i, n;
	void *obj;

	for (i = 0; i < w->rounds; i++) {
		if (i & 1) {
			n = pktpool_alloc_bulk(w->pool, GFP_KERNEL, w->want,
					       w->objs);
			w->failed += w->want - n;
			for (w->nr = 0; w->nr < n; w->nr++)
				pktpool_test_race_got(race);
		}
		while (!(i & 1) && w->nr < w->want) {
			obj = pktpool_alloc(w->pool, GFP_KERNEL);
			if (!obj) {
				w->failed++;
				break;
			}
			w->objs[w->nr++] = obj;
			pktpool_test_race_got(race);
		}
		w->allocs += w->nr;
		pktpool_test_race_put(race, w->objs, w->nr);
		w->nr = 0;
		cond_resched();
	}
}

static void pktpool_test_race_check(struct pktpool_test_run *run,
				    struct pktpool *pool, long limit)
{
	struct pktpool_stats stats;
	void **objs;
	long n = 0;

	objs = kvmalloc_array(limit + 1, sizeof(*objs), GFP_KERNEL);
	if (!objs) {
		pktpool_test_fail(run, -ENOMEM, "no memory for %ld pointers",
				  limit + 1);
		return;
	}
	pktpool_get_stats(pool, &stats);
	run->out[3] = stats.in_use;
	/* Every credit, wherever it was left, is found by a task. */
	while (n <= limit && (objs[n] = pktpool_alloc(pool, GFP_KERNEL)))
		n++;
	run->out[0] = n;
	pktpool_get_stats(pool, &stats);
	pktpool_free_bulk(pool, n, objs);
	kvfree(objs);

	if (run->out[1])
		pktpool_test_fail(run, -EIO,
				  "objects held went past the limit %llu times",
				  run->out[1]);
	else if (run->out[3])
		pktpool_test_fail(run, -EIO, "in_use %llu after the race",
				  run->out[3]);
	else if (n != limit)
		pktpool_test_fail(run, -EIO,
				  "a task got %ld objects after the race, limit %ld",
				  n, limit);
	else if (stats.in_use != limit || stats.peak > limit)
		pktpool_test_fail(run, -EIO, "in_use %llu peak %llu, limit %ld",
				  stats.in_use, stats.peak, limit);
}

static void pktpool_test_limit_race(struct pktpool_test_run *run)
{
	struct pktpool_params params = {
		.name = run->pool[0] ? run->pool : "pktpool_test_race",
		.obj_size = 64,
		.limit = run->arg ? run->arg : PKTPOOL_TEST_RACE_LIMIT_DEF,
		.node = NUMA_NO_NODE,
	};
	struct pktpool_test_race race = {};
	struct pktpool_test_race_timer *rt;
	struct pktpool_test_worker *w;
	unsigned int nr = 0, i, cpu, want;
	struct pktpool *pool;
	int err = 0;

	pool = pktpool_create(&params);
	if (IS_ERR(pool)) {
		pktpool_test_fail(run, PTR_ERR(pool), "pktpool_create: %ld",
				  PTR_ERR(pool));
		return;
	}
	w = kcalloc(nr_cpu_ids, sizeof(*w), GFP_KERNEL);
	rt = kcalloc(nr_cpu_ids, sizeof(*rt), GFP_KERNEL);
	if (!w || !rt) {
		pktpool_test_fail(run, -ENOMEM, "no memory for workers");
		goto out;
	}
	race.pool = pool;
	race.limit = params.limit;
	atomic_long_set(&race.out, 0);
	atomic_set(&race.over, 0);
	atomic_long_set(&race.soft, 0);
	/* Half as much again as a fair share: the CPUs meet at the limit. */
	want = params.limit * 3 / (2 * num_online_cpus()) + 1;

	for_each_online_cpu(cpu) {
		w[nr].fn = pktpool_test_race_rounds;
		w[nr].pool = pool;
		w[nr].cpu = cpu;
		w[nr].rounds = PKTPOOL_TEST_RACE_ROUNDS;
		w[nr].race = &race;
		w[nr].want = want;
		w[nr].objs = kvmalloc_array(want, sizeof(void *), GFP_KERNEL);
		if (!w[nr].objs) {
			err = -ENOMEM;
			break;
		}
		err = pktpool_test_worker_create(&w[nr]);
		if (err) {
			kvfree(w[nr].objs);
			break;
		}
		nr++;
	}
	if (err) {
		for (i = 0; i < nr; i++)
			kthread_stop(w[i].task);
		pktpool_test_fail(run, err, "workers: %d", err);
		goto out_objs;
	}

	for (i = 0; i < nr; i++) {
		rt[i].race = &race;
		timer_setup(&rt[i].timer, pktpool_test_race_timer_fn,
			    TIMER_PINNED);
		rt[i].timer.expires = jiffies;
		add_timer_on(&rt[i].timer, w[i].cpu);
	}
	for (i = 0; i < nr; i++)
		wake_up_process(w[i].task);
	for (i = 0; i < nr; i++)
		pktpool_test_worker_finish(&w[i]);
	WRITE_ONCE(race.stop, true);
	for (i = 0; i < nr; i++) {
		/* Re-arms itself until it sees stop; then it is gone. */
		del_timer_sync(&rt[i].timer);
		pktpool_test_race_put(&race, rt[i].objs, rt[i].nr);
	}

	run->out[1] = atomic_read(&race.over);
	run->out[2] = atomic_long_read(&race.soft);
	pktpool_test_race_check(run, pool, params.limit);
out_objs:
	for (i = 0; i < nr; i++)
		kvfree(w[i].objs);
out:
	kfree(rt);
	kfree(w);
	err = pktpool_destroy(pool);
	if (err && !run->result)
		pktpool_test_fail(run, err, "pktpool_destroy: %d", err);
}

static void pktpool_test_steal_alloc(struct pktpool_test_worker *w)
{
	void *obj;

	while (w->nr < w->rounds) {
		obj = pktpool_alloc(w->pool, GFP_KERNEL);
		if (!obj) {
			w->failed++;
			break;
		}
		w->objs[w->nr++] = obj;
	}
}

static void pktpool_test_credit_steal(struct pktpool_test_run *run)
{
	enum { LIMIT = 64, FIRST = 40, FREED = 10 };
	struct pktpool_params params = {
		.name = run->pool[0] ? run->pool : "pktpool_test_steal",
		.obj_size = 64,
		.limit = LIMIT,
		.node = NUMA_NO_NODE,
	};
	struct pktpool_test_worker a = {}, b = {};
	struct pktpool_stats stats;
	struct pktpool *pool;
	int err;

	a.cpu = cpumask_first(cpu_online_mask);
	b.cpu = cpumask_next(a.cpu, cpu_online_mask);
	if (b.cpu >= nr_cpu_ids) {
		pktpool_test_fail(run, -EOPNOTSUPP, "needs two online CPUs");
		return;
	}
	a.objs = kcalloc(LIMIT + 1, sizeof(void *), GFP_KERNEL);
	if (!a.objs) {
		pktpool_test_fail(run, -ENOMEM, "no memory");
		return;
	}
	pool = pktpool_create(&params);
	if (IS_ERR(pool)) {
		pktpool_test_fail(run, PTR_ERR(pool), "pktpool_create: %ld",
				  PTR_ERR(pool));
		goto out_free;
	}
	a.pool = pool;
	b.pool = pool;

	a.fn = pktpool_test_steal_alloc;
	a.rounds = FIRST;
	err = pktpool_test_on_cpu(&a);
	if (err)
		goto out_err;
	run->out[3] = a.nr;
	if (a.nr != FIRST) {
		pktpool_test_fail(run, -EIO, "CPU %u got %u of %u", a.cpu,
				  a.nr, FIRST);
		goto out_release;
	}

	/* CPU b keeps the credit of what it frees (its cache has room). */
	b.fn = pktpool_test_cross_free;
	b.objs = a.objs + FIRST - FREED;
	b.nr = FREED;
	err = pktpool_test_on_cpu(&b);
	if (err)
		goto out_err;
	a.nr -= FREED;

	a.rounds = LIMIT + 1;
	err = pktpool_test_on_cpu(&a);
	if (err)
		goto out_err;
	pktpool_get_stats(pool, &stats);
	run->out[0] = a.nr - (FIRST - FREED);
	run->out[1] = stats.in_use;
	run->out[2] = stats.fail_limit;
	if (a.ran_on != a.cpu || b.ran_on != b.cpu)
		pktpool_test_fail(run, -EIO,
				  "workers ran on CPUs %u and %u, not %u and %u",
				  a.ran_on, b.ran_on, a.cpu, b.cpu);
	else if (a.nr != LIMIT)
		pktpool_test_fail(run, -EIO,
				  "CPU %u got %llu more at the limit, expected %u",
				  a.cpu, run->out[0], LIMIT - FIRST + FREED);
	else if (stats.in_use != LIMIT || stats.fail_limit != 1)
		pktpool_test_fail(run, -EIO, "in_use %llu fail_limit %llu",
				  stats.in_use, stats.fail_limit);
	goto out_release;

out_err:
	pktpool_test_fail(run, err, "kthread_create: %d", err);
out_release:
	pktpool_free_bulk(pool, a.nr, a.objs);
	err = pktpool_destroy(pool);
	if (err && !run->result)
		pktpool_test_fail(run, err, "pktpool_destroy: %d", err);
out_free:
	kfree(a.objs);
}

static int pktpool_test_run(struct pktpool_test_run *run)
{
	struct pktpool *pool;

	if (run->pool[0] && !pktpool_test_name_ok(run->pool))
		return -EINVAL;
	run->result = 0;
	memset(run->out, 0, sizeof(run->out));
	memset(run->msg, 0, sizeof(run->msg));

	switch (run->test) {
	case PKTPOOL_TEST_BOTH_CPUS:
	case PKTPOOL_TEST_CROSS_CPU:
		if (run->arg > PKTPOOL_TEST_ROUNDS_MAX)
			return -EINVAL;
		pool = run->pool[0] ? pktpool_get(run->pool) : NULL;
		if (!pool) {
			pktpool_test_fail(run, -ENOENT, "no pool '%s'",
					  run->pool);
			return 0;
		}
		if (run->test == PKTPOOL_TEST_BOTH_CPUS)
			pktpool_test_both_cpus(run, pool);
		else
			pktpool_test_cross_cpu(run, pool);
		pktpool_put(pool);
		return 0;
	case PKTPOOL_TEST_BAD_FREE:
		pktpool_test_bad_free(run);
		return 0;
	case PKTPOOL_TEST_LIFECYCLE:
		pktpool_test_lifecycle(run);
		return 0;
	case PKTPOOL_TEST_NODE_COUNT:
		pktpool_test_node_count(run);
		return 0;
	case PKTPOOL_TEST_DRAIN_NODE:
		pktpool_test_drain_node(run);
		return 0;
	case PKTPOOL_TEST_UNDRAIN_NODE:
		mutex_lock(&pktpool_test_lock);
		run->out[0] = pktpool_test_undrain();
		mutex_unlock(&pktpool_test_lock);
		return 0;
	case PKTPOOL_TEST_BULK_NULL:
		pktpool_test_bulk_null(run);
		return 0;
	case PKTPOOL_TEST_LIMIT_RACE:
		if (run->arg > PKTPOOL_TEST_RACE_LIMIT_MAX)
			return -EINVAL;
		pktpool_test_limit_race(run);
		return 0;
	case PKTPOOL_TEST_CREDIT_STEAL:
		pktpool_test_credit_steal(run);
		return 0;
	case PKTPOOL_TEST_RING:
		if (run->arg > PKTPOOL_TEST_ROUNDS_MAX || !run->pool[0])
			return -EINVAL;
		pktpool_test_ring(run);
		return 0;
	default:
		return -EINVAL;
	}
}

static long pktpool_test_ioctl(struct file *file, unsigned int cmd,
			       unsigned long arg)
{
	void __user *uarg = (void __user *)arg;
	struct pktpool_test_hold hold;
	struct pktpool_test_run run;
	int err;

	switch (cmd) {
	case PKTPOOL_TEST_IOC_HOLD:
	case PKTPOOL_TEST_IOC_RELEASE:
		if (copy_from_user(&hold, uarg, sizeof(hold)))
			return -EFAULT;
		if (cmd == PKTPOOL_TEST_IOC_HOLD)
			err = pktpool_test_hold(&hold);
		else
			err = pktpool_test_release(&hold);
		/* done is worth reporting even when the call failed. */
		if (copy_to_user(uarg, &hold, sizeof(hold)))
			return -EFAULT;
		return err;
	case PKTPOOL_TEST_IOC_RUN:
		if (copy_from_user(&run, uarg, sizeof(run)))
			return -EFAULT;
		err = pktpool_test_run(&run);
		if (err)
			return err;
		if (copy_to_user(uarg, &run, sizeof(run)))
			return -EFAULT;
		return 0;
	default:
		return -ENOTTY;
	}
}

static const struct file_operations pktpool_test_fops = {
	.owner		= THIS_MODULE,
	.unlocked_ioctl	= pktpool_test_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
	.llseek		= noop_llseek,
};

static struct miscdevice pktpool_test_dev = {
	.minor	= MISC_DYNAMIC_MINOR,
	.name	= "pktpool_test",
	.fops	= &pktpool_test_fops,
	.mode	= 0600,
};

static int __init pktpool_test_init(void)
{
	int err;

	err = pktpool_test_irq_init();
	if (err)
		return err;
	err = misc_register(&pktpool_test_dev);
	if (err)
		pktpool_test_irq_exit();
	return err;
}

static void __exit pktpool_test_exit(void)
{
	struct pktpool_test_held *h, *tmp;

	misc_deregister(&pktpool_test_dev);

	/* No ioctl can run any more: give back whatever is still held. */
	mutex_lock(&pktpool_test_lock);
	list_for_each_entry_safe(h, tmp, &pktpool_test_held_list, node) {
		pktpool_free_bulk(h->pool, h->nr, h->objs);
		pktpool_test_held_drop(h);
	}
	pktpool_test_undrain();
	mutex_unlock(&pktpool_test_lock);
	pktpool_test_irq_exit();
}

module_init(pktpool_test_init);
module_exit(pktpool_test_exit);

MODULE_DESCRIPTION("pktpool in-kernel API test driver (test only)");
MODULE_AUTHOR("pktpool authors");
MODULE_LICENSE("GPL");
