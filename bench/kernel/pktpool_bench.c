// SPDX-License-Identifier: GPL-2.0
/*
 * pktpool_bench: pktpool against the kernel's own allocators, measured in
 * the kernel. Built beside pktpool.ko, never loaded by anything by default.
 *
 *   insmod kmod/pktpool.ko
 *   insmod bench/kernel/pktpool_bench.ko [size=256 rounds=16384 repeats=11
 *                                         limit=1048576 reserve=64]
 *   cat /sys/kernel/debug/pktpool_bench/run
 *   rmmod pktpool_bench pktpool
 *
 * (bench/kernel/run-vm.sh does this, in the test VM or on a real machine.)
 *
 * Opening "run" measures and the read returns a markdown table. Every case
 * repeats one shape of work in timed batches: "rounds" rounds of (alloc
 * one, free it), or rounds/16 rounds of (alloc 16, free 16) for the bulk
 * cases, so that every batch moves the same number of objects. A batch runs
 * in process context with preemption disabled (on PREEMPT_RT only migration:
 * pktpool's and the slab's spinlocks sleep there), or whole inside a tasklet
 * for softirq, on one CPU or on every online CPU at once (a bound kthread
 * per CPU, started together for every batch). The cases take turns batch
 * by batch, so whatever disturbs the machine disturbs them all alike; each
 * figure is the median batch, and each is also given as a ratio to
 * kmem_cache_alloc/free of the same shape, context and CPUs measured in the
 * same run. Under emulation only those ratios mean anything.
 *
 * The pktpool pool under test has a limit and a reserve, so its fast path
 * does the limit accounting and keeps the statistics, as in production.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/completion.h>
#include <linux/cpu.h>
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/interrupt.h>
#include <linux/kthread.h>
#include <linux/math64.h>
#include <linux/mempool.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/timekeeping.h>
#include <linux/wait.h>

#include "pktpool.h"

#define BENCH_NAME		"pktpool_bench"
#define BENCH_BULK		16	/* objects per bulk round */
#define BENCH_MEMPOOL_MIN	64	/* min_nr of the mempool peer */
#define BENCH_REPEATS_MAX	101
#define BENCH_ROUNDS_MIN	BENCH_BULK
#define BENCH_ROUNDS_MAX	(16U * 1024 * 1024)
#define BENCH_ALIGN_NS		(100 * NSEC_PER_MSEC)

static unsigned int bench_size = 256;
module_param_named(size, bench_size, uint, 0644);
MODULE_PARM_DESC(size, "Object size in bytes (default 256)");

/*
 * Under QEMU TCG a kmem_cache alloc+free takes about a microsecond, so
 * 16384 rounds keep one batch, which runs without a scheduling point, at
 * tens of milliseconds: far from the soft lockup detector even on a busy
 * host. On hardware a batch takes well under a millisecond.
 */
static unsigned int bench_rounds = 16384;
module_param_named(rounds, bench_rounds, uint, 0644);
MODULE_PARM_DESC(rounds,
		 "Objects allocated and freed per timed batch, 16..16777216 (default 16384)");

static unsigned int bench_repeats = 11;
module_param_named(repeats, bench_repeats, uint, 0644);
MODULE_PARM_DESC(repeats,
		 "Timed batches per case, the median is reported, 1..101 (default 11)");

static unsigned long bench_limit = 1UL << 20;
module_param_named(limit, bench_limit, ulong, 0644);
MODULE_PARM_DESC(limit,
		 "Limit of the pktpool pool under test, 0 for none (default 1048576)");

static unsigned int bench_reserve = 64;
module_param_named(reserve, bench_reserve, uint, 0644);
MODULE_PARM_DESC(reserve,
		 "Reserve of the pktpool pool under test (default 64)");

enum bench_ctx {
	BENCH_PROCESS,
	BENCH_SOFTIRQ,
};

/* The order of the table; each baseline comes first in its group. */
enum bench_case_id {
	BENCH_KMEM,
	BENCH_PKTPOOL,
	BENCH_KMALLOC,
	BENCH_MEMPOOL,
	BENCH_KMEM_BULK,
	BENCH_PKTPOOL_BULK,
	BENCH_NR_CASES
};

/* Text of one run: what reading "run" returns. */
struct bench_text {
	size_t len;
	size_t size;
	char buf[];
};

struct bench_run;

struct bench_case {
	const char *name;
	unsigned int per_round;		/* objects per round */
	enum bench_case_id base;	/* the kmem_cache case of this shape */
	int (*batch)(struct bench_run *r, void **objs, unsigned int nr);
};

struct bench_config {
	enum bench_ctx ctx;
	bool all_cpus;
};

static const struct bench_config bench_configs[] = {
	{ BENCH_PROCESS, false },
	{ BENCH_SOFTIRQ, false },
	{ BENCH_PROCESS, true },
	{ BENCH_SOFTIRQ, true },
};

#define BENCH_NR_CONFIGS	ARRAY_SIZE(bench_configs)

/* One per online CPU, bound to it, alive for one run. */
struct bench_worker {
	struct bench_run *run;
	struct task_struct *task;
	struct tasklet_struct tasklet;
	struct completion sirq_done;	/* the tasklet ran the batch */
	struct completion done;		/* the step is over */
	unsigned int go;		/* bumped by the coordinator */
	unsigned int seen;		/* last go served */
	unsigned int index;
	int cpu;
	int err;
	u64 ns;
	void *objs[BENCH_BULK];
};

struct bench_run {
	/* Settings, fixed for the run. */
	unsigned int size;
	unsigned int rounds;
	unsigned int repeats;
	u64 limit;
	unsigned int reserve;

	struct pktpool *pool;
	struct kmem_cache *cache;
	mempool_t *mempool;

	/*
	 * The current step. Written by the coordinator only while every
	 * worker taking part is idle; published by the go counters.
	 */
	const struct bench_case *c;
	enum bench_ctx ctx;
	atomic_t arrive;		/* workers not yet at the start line */
	wait_queue_head_t go_wq;

	unsigned int nr_workers;
	struct bench_worker *workers;
	/* ns per batch: [config][case][worker][repeat] */
	u64 *samples;
	u64 *tmp;			/* one worker's samples, sorted */
	struct bench_text *text;
};

static DEFINE_MUTEX(bench_lock);	/* one run at a time */
static struct dentry *bench_dir;

/* ---- The cases: the same loop for every allocator ---------------------- */

static int bench_kmem(struct bench_run *r, void **objs, unsigned int nr)
{
	unsigned int i;
	void *obj;

	for (i = 0; i < nr; i++) {
		obj = kmem_cache_alloc(r->cache, GFP_ATOMIC);
		if (!obj)
			return -ENOMEM;
		kmem_cache_free(r->cache, obj);
	}
	return 0;
}

static int bench_pktpool(struct bench_run *r, void **objs, unsigned int nr)
{
	unsigned int i;
	void *obj;

	for (i = 0; i < nr; i++) {
		obj = pktpool_alloc(r->pool, GFP_ATOMIC);
		if (!obj)
			return -ENOMEM;
		pktpool_free(r->pool, obj);
	}
	return 0;
}

static int bench_kmalloc(struct bench_run *r, void **objs, unsigned int nr)
{
	unsigned int i;
	void *obj;

	for (i = 0; i < nr; i++) {
		obj = kmalloc(r->size, GFP_ATOMIC);
		if (!obj)
			return -ENOMEM;
		kfree(obj);
	}
	return 0;
}

static int bench_mempool(struct bench_run *r, void **objs, unsigned int nr)
{
	unsigned int i;
	void *obj;

	for (i = 0; i < nr; i++) {
		obj = mempool_alloc(r->mempool, GFP_ATOMIC);
		if (!obj)
			return -ENOMEM;
		mempool_free(obj, r->mempool);
	}
	return 0;
}

static int bench_kmem_bulk(struct bench_run *r, void **objs, unsigned int nr)
{
	unsigned int i;

	for (i = 0; i < nr; i++) {
		/* All or nothing: a failed bulk allocation frees its part. */
		if (!kmem_cache_alloc_bulk(r->cache, GFP_ATOMIC, BENCH_BULK,
					   objs))
			return -ENOMEM;
		kmem_cache_free_bulk(r->cache, BENCH_BULK, objs);
	}
	return 0;
}

static int bench_pktpool_bulk(struct bench_run *r, void **objs,
			      unsigned int nr)
{
	unsigned int i, got;

	for (i = 0; i < nr; i++) {
		got = pktpool_alloc_bulk(r->pool, GFP_ATOMIC, BENCH_BULK, objs);
		if (got < BENCH_BULK) {
			pktpool_free_bulk(r->pool, got, objs);
			return -ENOMEM;
		}
		pktpool_free_bulk(r->pool, BENCH_BULK, objs);
	}
	return 0;
}

static const struct bench_case bench_cases[BENCH_NR_CASES] = {
	[BENCH_KMEM] = {
		"kmem_cache alloc+free", 1, BENCH_KMEM, bench_kmem },
	[BENCH_PKTPOOL] = {
		"pktpool alloc+free", 1, BENCH_KMEM, bench_pktpool },
	[BENCH_KMALLOC] = {
		"kmalloc+kfree", 1, BENCH_KMEM, bench_kmalloc },
	[BENCH_MEMPOOL] = {
		"mempool alloc+free", 1, BENCH_KMEM, bench_mempool },
	[BENCH_KMEM_BULK] = {
		"kmem_cache bulk 16", BENCH_BULK, BENCH_KMEM_BULK,
		bench_kmem_bulk },
	[BENCH_PKTPOOL_BULK] = {
		"pktpool bulk 16", BENCH_BULK, BENCH_KMEM_BULK,
		bench_pktpool_bulk },
};

static unsigned int bench_rounds_of(const struct bench_run *r,
				    const struct bench_case *c)
{
	return r->rounds / c->per_round;
}

/* ---- Workers: one timed batch per step --------------------------------- */

/*
 * Runs in a tasklet, or in process context pinned to its CPU by
 * bench_pin(): never preempted there without PREEMPT_RT.
 */
static void bench_batch(struct bench_worker *w)
{
	struct bench_run *r = w->run;
	u64 t0;

	t0 = ktime_get_ns();
	w->err = r->c->batch(r, w->objs, bench_rounds_of(r, r->c));
	w->ns = ktime_get_ns() - t0;
}

/*
 * A process-context batch runs undisturbed by other tasks: preemption off.
 * Not on PREEMPT_RT, where spinlock_t sleeps and so may every pktpool and
 * slab call; staying on the CPU is all the batch needs there.
 */
static void bench_pin(void)
{
	if (IS_ENABLED(CONFIG_PREEMPT_RT))
		migrate_disable();
	else
		preempt_disable();
}

static void bench_unpin(void)
{
	if (IS_ENABLED(CONFIG_PREEMPT_RT))
		migrate_enable();
	else
		preempt_enable();
}

static void bench_tasklet(struct tasklet_struct *t)
{
	struct bench_worker *w = from_tasklet(w, t, tasklet);

	bench_batch(w);
	complete(&w->sirq_done);
}

/*
 * Every worker of the step spins here until all have arrived, so that the
 * batches on different CPUs overlap. They were all woken at once and each
 * has a CPU of its own, so the wait is one wakeup latency; the deadline
 * only keeps a CPU stuck elsewhere from holding the others forever.
 */
static void bench_start_line(struct bench_run *r)
{
	u64 deadline = ktime_get_ns() + BENCH_ALIGN_NS;

	atomic_dec(&r->arrive);
	while (atomic_read(&r->arrive) > 0 && ktime_get_ns() < deadline)
		cpu_relax();
}

static void bench_worker_step(struct bench_worker *w)
{
	struct bench_run *r = w->run;

	bench_start_line(r);
	if (r->ctx == BENCH_SOFTIRQ) {
		/*
		 * The worker is bound to its CPU, so the tasklet is queued
		 * there; re-enabling bottom halves runs it at once (or
		 * ksoftirqd does, soon, when softirqs are being deferred).
		 */
		reinit_completion(&w->sirq_done);
		local_bh_disable();
		tasklet_schedule(&w->tasklet);
		local_bh_enable();
		wait_for_completion(&w->sirq_done);
	} else {
		bench_pin();
		bench_batch(w);
		bench_unpin();
	}
}

/* True when the coordinator has set a step for this worker. */
static bool bench_worker_called(struct bench_worker *w)
{
	/* Pairs with smp_store_release() in bench_step(): step set first. */
	return smp_load_acquire(&w->go) != w->seen;
}

static int bench_thread(void *data)
{
	struct bench_worker *w = data;
	struct bench_run *r = w->run;

	for (;;) {
		/*
		 * Interruptible: an idle worker (the other CPUs' during
		 * one-CPU steps) must not look like a hung task. Kthreads
		 * take no signals, so this only ever returns for a step or
		 * for kthread_stop().
		 */
		wait_event_interruptible(r->go_wq, kthread_should_stop() ||
					 bench_worker_called(w));
		if (kthread_should_stop())
			break;
		if (!bench_worker_called(w))
			continue;
		/* go moves by one per step, and only once this one is done. */
		w->seen++;
		bench_worker_step(w);
		complete(&w->done);
	}
	return 0;
}

/* Run one batch of c on the first nr workers at once; 0 or an error. */
static int bench_step(struct bench_run *r, const struct bench_case *c,
		      enum bench_ctx ctx, unsigned int nr)
{
	unsigned int i;
	int err = 0;

	r->c = c;
	r->ctx = ctx;
	atomic_set(&r->arrive, nr);
	for (i = 0; i < nr; i++) {
		struct bench_worker *w = &r->workers[i];

		reinit_completion(&w->done);
		/* The step above is set before the worker can see go move. */
		smp_store_release(&w->go, w->go + 1);
	}
	wake_up_all(&r->go_wq);
	for (i = 0; i < nr; i++) {
		wait_for_completion(&r->workers[i].done);
		if (!err)
			err = r->workers[i].err;
	}
	return err;
}

static void bench_workers_stop(struct bench_run *r, unsigned int nr)
{
	unsigned int i;

	for (i = 0; i < nr; i++) {
		kthread_stop(r->workers[i].task);
		tasklet_kill(&r->workers[i].tasklet);
	}
}

/* Under cpus_read_lock(): one worker per online CPU. */
static int bench_workers_start(struct bench_run *r)
{
	struct bench_worker *w;
	unsigned int i = 0;
	int cpu;

	for_each_online_cpu(cpu) {
		if (i == r->nr_workers)
			break;
		w = &r->workers[i];
		w->run = r;
		w->index = i;
		w->cpu = cpu;
		init_completion(&w->done);
		init_completion(&w->sirq_done);
		tasklet_setup(&w->tasklet, bench_tasklet);
		w->task = kthread_create_on_cpu(bench_thread, w, cpu,
						BENCH_NAME "/%u");
		if (IS_ERR(w->task)) {
			int err = PTR_ERR(w->task);

			bench_workers_stop(r, i);
			return err;
		}
		i++;
	}
	r->nr_workers = i;
	for (i = 0; i < r->nr_workers; i++)
		wake_up_process(r->workers[i].task);
	return 0;
}

static u64 *bench_sample(struct bench_run *r, unsigned int cfg,
			 unsigned int c, unsigned int w)
{
	return &r->samples[((cfg * BENCH_NR_CASES + c) * r->nr_workers + w) *
			   r->repeats];
}

/*
 * The cases take turns batch by batch, starting one further on in every
 * repeat, so none always follows the same neighbour. Repeat 0 only warms
 * up caches and per-CPU state and is not recorded.
 */
static int bench_measure(struct bench_run *r)
{
	unsigned int cfg, rep, k, i, nr;
	int err;

	for (cfg = 0; cfg < BENCH_NR_CONFIGS; cfg++) {
		const struct bench_config *conf = &bench_configs[cfg];

		nr = conf->all_cpus ? r->nr_workers : 1;
		if (conf->all_cpus && nr == 1)
			continue;
		for (rep = 0; rep <= r->repeats; rep++) {
			for (k = 0; k < BENCH_NR_CASES; k++) {
				unsigned int c = (k + rep) % BENCH_NR_CASES;

				if (fatal_signal_pending(current))
					return -EINTR;
				err = bench_step(r, &bench_cases[c], conf->ctx,
						 nr);
				if (err)
					return err;
				if (!rep)
					continue;
				for (i = 0; i < nr; i++)
					bench_sample(r, cfg, c, i)[rep - 1] =
						r->workers[i].ns;
			}
		}
	}
	return 0;
}

/* ---- Results ----------------------------------------------------------- */

static int bench_cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

/* Median batch of one worker, as picoseconds per object. */
static u64 bench_ps_per_op(struct bench_run *r, unsigned int cfg,
			   unsigned int c, unsigned int w)
{
	const struct bench_case *bc = &bench_cases[c];
	unsigned int n = r->repeats;
	u64 *tmp = r->tmp;
	u64 ns;

	memcpy(tmp, bench_sample(r, cfg, c, w), n * sizeof(*tmp));
	sort(tmp, n, sizeof(*tmp), bench_cmp_u64, NULL);
	ns = n % 2 ? tmp[n / 2] : (tmp[n / 2 - 1] + tmp[n / 2]) / 2;
	return div_u64(ns * 1000,
		       bench_rounds_of(r, bc) * bc->per_round);
}

/* Mean over the CPUs that ran it of the per-CPU medians. */
static u64 bench_result(struct bench_run *r, unsigned int cfg,
			unsigned int c, unsigned int nr)
{
	u64 sum = 0;
	unsigned int i;

	for (i = 0; i < nr; i++)
		sum += bench_ps_per_op(r, cfg, c, i);
	return div_u64(sum, nr);
}

static __printf(2, 3) void bench_printf(struct bench_text *t,
					const char *fmt, ...)
{
	va_list args;

	va_start(args, fmt);
	t->len += vscnprintf(t->buf + t->len, t->size - t->len, fmt, args);
	va_end(args);
}

/* ps as "12.3" ns. */
static void bench_print_ns(struct bench_text *t, u64 ps)
{
	u64 tenths = div_u64(ps + 50, 100);

	bench_printf(t, "%llu.%llu", div_u64(tenths, 10),
		     tenths - div_u64(tenths, 10) * 10);
}

/* a/b as "0.42x". */
static void bench_print_ratio(struct bench_text *t, u64 a, u64 b)
{
	u64 hundredths = b ? div64_u64(a * 100 + b / 2, b) : 0;

	bench_printf(t, "%llu.%02llux", div_u64(hundredths, 100),
		     hundredths - div_u64(hundredths, 100) * 100);
}

static const char *bench_ctx_name(enum bench_ctx ctx)
{
	return ctx == BENCH_SOFTIRQ ? "softirq" : "process";
}

static void bench_print_table(struct bench_run *r)
{
	struct bench_text *t = r->text;
	unsigned int cfg, c, i, nr;

	bench_printf(t,
		     "| case | context | CPUs | ns/op | ratio to kmem_cache | per-CPU ns/op |\n"
		     "|---|---|---:|---:|---:|---|\n");
	for (cfg = 0; cfg < BENCH_NR_CONFIGS; cfg++) {
		const struct bench_config *conf = &bench_configs[cfg];

		nr = conf->all_cpus ? r->nr_workers : 1;
		if (conf->all_cpus && nr == 1)
			continue;
		for (c = 0; c < BENCH_NR_CASES; c++) {
			const struct bench_case *bc = &bench_cases[c];
			u64 ps = bench_result(r, cfg, c, nr);
			u64 base = bench_result(r, cfg, bc->base, nr);

			bench_printf(t, "| %s | %s | %u | ", bc->name,
				     bench_ctx_name(conf->ctx), nr);
			bench_print_ns(t, ps);
			bench_printf(t, " | ");
			bench_print_ratio(t, ps, base);
			bench_printf(t, " |");
			for (i = 0; i < nr; i++) {
				bench_printf(t, "%s cpu%d ", i ? "," : "",
					     r->workers[i].cpu);
				bench_print_ns(t, bench_ps_per_op(r, cfg, c, i));
			}
			bench_printf(t, " |\n");
		}
	}
}

/* The targets: pktpool at most half the time of kmem_cache, same shape. */
static void bench_print_targets(struct bench_run *r)
{
	static const enum bench_case_id subject[] = {
		BENCH_PKTPOOL, BENCH_PKTPOOL_BULK
	};
	struct bench_text *t = r->text;
	unsigned int cfg, s, nr, met = 0, total = 0;

	bench_printf(t,
		     "\nTargets (pktpool at most 0.50x the time of kmem_cache, same shape, context and CPUs):\n\n");
	for (s = 0; s < ARRAY_SIZE(subject); s++) {
		const struct bench_case *bc = &bench_cases[subject[s]];

		for (cfg = 0; cfg < BENCH_NR_CONFIGS; cfg++) {
			const struct bench_config *conf = &bench_configs[cfg];
			u64 ps, base;
			bool pass;

			nr = conf->all_cpus ? r->nr_workers : 1;
			if (conf->all_cpus && nr == 1)
				continue;
			ps = bench_result(r, cfg, subject[s], nr);
			base = bench_result(r, cfg, bc->base, nr);
			pass = 2 * ps <= base;
			met += pass;
			total++;
			bench_printf(t, "- %s vs %s, %s, %u CPU%s: ",
				     bc->name, bench_cases[bc->base].name,
				     bench_ctx_name(conf->ctx), nr,
				     nr > 1 ? "s" : "");
			bench_print_ratio(t, ps, base);
			bench_printf(t, " (target <= 0.50x): %s\n",
				     pass ? "PASS" : "SHORT");
		}
	}
	bench_printf(t, "\n%u of %u targets met.\n", met, total);
}

static void bench_print(struct bench_run *r, const struct pktpool_stats *st)
{
	struct bench_text *t = r->text;

	bench_printf(t,
		     "Object size %u B; %u objects per timed batch (bulk: %u rounds of %u); median of %u batches per CPU after one warm-up batch; %u online CPU%s.\n",
		     r->size, r->rounds, r->rounds / BENCH_BULK, BENCH_BULK,
		     r->repeats, r->nr_workers, r->nr_workers > 1 ? "s" : "");
	bench_printf(t,
		     "pktpool pool \"%s\": limit %llu, reserve %u, per-CPU statistics on. Peers: kmem_cache \"%s\" of %u B (SLAB_HWCACHE_ALIGN, not merged, as pktpool's own size classes), kmalloc(%u), mempool_create_slab_pool(%u) over that kmem_cache. GFP_ATOMIC throughout.\n",
		     BENCH_NAME, r->limit, r->reserve, BENCH_NAME, r->size,
		     r->size, BENCH_MEMPOOL_MIN);
	if (want_init_on_alloc(GFP_ATOMIC))
		bench_printf(t,
			     "init_on_alloc is on: kmem_cache, kmalloc and mempool zero every object they hand out; pktpool's per-CPU cache hands objects out as they were freed (only its slab refills are zeroed).\n");
	else
		bench_printf(t, "init_on_alloc is off.\n");
	bench_printf(t,
		     "ns/op: one alloc+free pair, or per object for bulk 16; for all CPUs, the mean of the per-CPU medians. Ratio: to kmem_cache alloc+free (bulk: kmem_cache bulk 16) in the same context and CPUs.\n\n");
	bench_print_table(r);
	bench_print_targets(r);
	bench_printf(t,
		     "\npktpool pool after the run: allocs %llu, frees %llu, in_use %llu, fail_limit %llu, fail_nomem %llu, reserve_hits %llu, reserve_avail %llu.\n",
		     st->allocs, st->frees, st->in_use, st->fail_limit,
		     st->fail_nomem, st->reserve_hits, st->reserve_avail);
}

/* ---- One run ------------------------------------------------------------ */

static int bench_settings(struct bench_run *r)
{
	r->size = READ_ONCE(bench_size);
	r->rounds = READ_ONCE(bench_rounds);
	r->repeats = READ_ONCE(bench_repeats);
	r->limit = READ_ONCE(bench_limit);
	r->reserve = READ_ONCE(bench_reserve);
	if (!r->size || r->size > KMALLOC_MAX_CACHE_SIZE) {
		pr_err("size: 1..%lu\n", KMALLOC_MAX_CACHE_SIZE);
		return -EINVAL;
	}
	if (r->rounds < BENCH_ROUNDS_MIN || r->rounds > BENCH_ROUNDS_MAX) {
		pr_err("rounds: %u..%u\n", BENCH_ROUNDS_MIN, BENCH_ROUNDS_MAX);
		return -EINVAL;
	}
	if (!r->repeats || r->repeats > BENCH_REPEATS_MAX) {
		pr_err("repeats: 1..%u\n", BENCH_REPEATS_MAX);
		return -EINVAL;
	}
	return 0;
}

static int bench_peers_create(struct bench_run *r)
{
	struct pktpool_params params = {
		.name = BENCH_NAME,
		.obj_size = r->size,
		.limit = r->limit,
		.reserve = r->reserve,
		.node = NUMA_NO_NODE,
	};
	int err;

	/* Set up as pktpool sets up its size classes, so neither is merged. */
	r->cache = kmem_cache_create_usercopy(BENCH_NAME, r->size, 0,
					      SLAB_HWCACHE_ALIGN, 0, r->size,
					      NULL);
	if (!r->cache)
		return -ENOMEM;
	r->mempool = mempool_create_slab_pool(BENCH_MEMPOOL_MIN, r->cache);
	if (!r->mempool) {
		err = -ENOMEM;
		goto err_mempool;
	}
	r->pool = pktpool_create(&params);
	if (IS_ERR(r->pool)) {
		err = PTR_ERR(r->pool);
		pr_err("pktpool_create: %d\n", err);
		goto err_pool;
	}
	return 0;

err_pool:
	mempool_destroy(r->mempool);
err_mempool:
	kmem_cache_destroy(r->cache);
	return err;
}

static void bench_peers_destroy(struct bench_run *r)
{
	int err = pktpool_destroy(r->pool);

	/* Every object went back, so only a foreign holder can cause this. */
	if (err)
		pr_err("pktpool_destroy: %d; the pool stays\n", err);
	mempool_destroy(r->mempool);
	kmem_cache_destroy(r->cache);
}

static void bench_run_free(struct bench_run *r)
{
	kvfree(r->text);
	kfree(r->tmp);
	kvfree(r->samples);
	kfree(r->workers);
	kfree(r);
}

/* Everything a run needs, allocated before anything is measured. */
static struct bench_run *bench_run_alloc(void)
{
	struct bench_run *r;
	size_t text_size;
	int err;

	r = kzalloc(sizeof(*r), GFP_KERNEL);
	if (!r)
		return ERR_PTR(-ENOMEM);
	err = bench_settings(r);
	if (err)
		goto err_free;
	init_waitqueue_head(&r->go_wq);
	/* Room for the CPUs online now; bench_workers_start() may use less. */
	r->nr_workers = num_online_cpus();
	err = -ENOMEM;
	r->workers = kcalloc(r->nr_workers, sizeof(*r->workers), GFP_KERNEL);
	r->samples = kvcalloc(array3_size(BENCH_NR_CONFIGS * BENCH_NR_CASES,
					  r->nr_workers, r->repeats),
			      sizeof(*r->samples), GFP_KERNEL);
	r->tmp = kcalloc(r->repeats, sizeof(*r->tmp), GFP_KERNEL);
	/* Notes and targets, and a row per case with a figure per CPU. */
	text_size = 8192 + BENCH_NR_CONFIGS * BENCH_NR_CASES *
			   (128 + 24 * (size_t)r->nr_workers);
	r->text = kvzalloc(struct_size(r->text, buf, text_size), GFP_KERNEL);
	if (!r->workers || !r->samples || !r->tmp || !r->text)
		goto err_free;
	r->text->size = text_size;
	return r;

err_free:
	bench_run_free(r);
	return ERR_PTR(err);
}

/* Process context, under bench_lock. On success *textp is the report. */
static int bench_run(struct bench_text **textp)
{
	struct pktpool_stats st = {};
	struct bench_run *r;
	int err;

	r = bench_run_alloc();
	if (IS_ERR(r))
		return PTR_ERR(r);
	err = bench_peers_create(r);
	if (err)
		goto out;

	/* Keeps CPUs online, so that every worker stays on its own. */
	cpus_read_lock();
	err = bench_workers_start(r);
	if (!err) {
		err = bench_measure(r);
		bench_workers_stop(r, r->nr_workers);
	}
	cpus_read_unlock();

	if (err)
		pr_err("measuring failed: %d\n", err);
	else
		pktpool_get_stats(r->pool, &st);
	bench_peers_destroy(r);
	if (!err) {
		bench_print(r, &st);
		*textp = r->text;
		r->text = NULL;
	}
out:
	bench_run_free(r);
	return err;
}

/* ---- debugfs ------------------------------------------------------------ */

/* Opening measures; the file then reads as the text of that run. */
static int bench_open(struct inode *inode, struct file *file)
{
	struct bench_text *t = NULL;
	int err;

	err = mutex_lock_killable(&bench_lock);
	if (err)
		return err;
	err = bench_run(&t);
	mutex_unlock(&bench_lock);
	if (err)
		return err;
	file->private_data = t;
	return 0;
}

static ssize_t bench_read(struct file *file, char __user *buf, size_t count,
			  loff_t *ppos)
{
	struct bench_text *t = file->private_data;

	return simple_read_from_buffer(buf, count, ppos, t->buf, t->len);
}

static int bench_release(struct inode *inode, struct file *file)
{
	kvfree(file->private_data);
	return 0;
}

static const struct file_operations bench_run_fops = {
	.owner = THIS_MODULE,
	.open = bench_open,
	.read = bench_read,
	.release = bench_release,
	.llseek = default_llseek,
};

static int __init pktpool_bench_init(void)
{
	bench_dir = debugfs_create_dir(BENCH_NAME, NULL);
	if (IS_ERR(bench_dir))
		return PTR_ERR(bench_dir);
	debugfs_create_file("run", 0400, bench_dir, NULL, &bench_run_fops);
	return 0;
}

static void __exit pktpool_bench_exit(void)
{
	debugfs_remove_recursive(bench_dir);
}

module_init(pktpool_bench_init);
module_exit(pktpool_bench_exit);

MODULE_DESCRIPTION("pktpool benchmark against kmem_cache, kmalloc and mempool (benchmark only)");
MODULE_AUTHOR("The pktpool authors");
MODULE_LICENSE("GPL");
