// SPDX-License-Identifier: MIT
/*
 * Processes: several processes attach one named region and do random
 * alloc/free, handing slots to each other through a shared queue (RX in
 * one process, free in another). A side table in shared memory records
 * who holds each slot; a slot handed out twice, a broken stamp, or a slot
 * lost at the end fails the test. Also an RX->TX pipeline of indices.
 */
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <sys/mman.h>
#include <sys/wait.h>

#include "util.h"

#define NPROCS	3
#define HOLD	32
#define QLEN	256

struct shared {
	_Atomic uint32_t lock;
	uint32_t qn;
	uint32_t q[QLEN];		/* slot indices to be freed by anyone */
	_Atomic uint32_t errors;
	_Atomic uint32_t ring_head, ring_tail;	/* SPSC pipeline */
	uint32_t ring[1024];
	_Atomic uint32_t holder[];	/* slot -> process number + 1 */
};

static struct shared *sh;
static char name[32];

static void qlock(void)
{
	uint32_t z;

	do {
		z = 0;
	} while (!atomic_compare_exchange_weak(&sh->lock, &z, 1));
}

static void qunlock(void)
{
	atomic_store(&sh->lock, 0);
}

static int hold(struct pktpool *p, uint32_t me, void *s)
{
	uint32_t idx, z = 0;

	if (pktpool_ptr_to_idx(p, s, &idx) ||
	    !atomic_compare_exchange_strong(&sh->holder[idx], &z, me + 1))
		return -1;
	memcpy(s, &me, sizeof(me));
	return 0;
}

static int release(struct pktpool *p, uint32_t idx)
{
	void *s = pktpool_idx_to_ptr(p, idx);
	uint32_t who, h;

	if (!s)
		return -1;
	memcpy(&who, s, sizeof(who));
	h = atomic_load(&sh->holder[idx]);
	if (h != who + 1)
		return -1;
	atomic_store(&sh->holder[idx], 0);
	return pktpool_free(p, s);
}

static void worker(uint32_t me, long iters)
{
	struct pktpool *p = NULL;
	uint64_t seed = 0xD1B54A32D192ED03ull * (me + 7);
	uint32_t held[HOLD], idx;
	int n = 0, bad = 0;
	long it;

	if (pktpool_attach(name, 0, &p))
		_exit(10);
	for (it = 0; it < iters; it++) {
		uint64_t r = xorshift(&seed);

		if ((r & 7) == 0 && n) {
			qlock();
			if (sh->qn < QLEN)
				sh->q[sh->qn++] = held[--n];
			qunlock();
		} else if ((r & 7) == 1) {
			uint32_t k = 0, mine[QLEN], i;

			qlock();
			k = sh->qn;
			memcpy(mine, sh->q, k * sizeof(uint32_t));
			sh->qn = 0;
			qunlock();
			for (i = 0; i < k; i++)
				bad |= release(p, mine[i]) != 0;
		} else if ((r & 1) && n) {
			int k = (int)((r >> 8) % (uint64_t)n);

			bad |= release(p, held[k]) != 0;
			held[k] = held[--n];
		} else if (n < HOLD) {
			void *s = pktpool_alloc(p);

			if (s) {
				bad |= hold(p, me, s) != 0;
				pktpool_ptr_to_idx(p, s, &idx);
				held[n++] = idx;
			}
		}
	}
	while (n)
		bad |= release(p, held[--n]) != 0;
	if (bad)
		atomic_fetch_add(&sh->errors, 1);
	_exit(pktpool_detach(p) == 0 ? 0 : 11);
}

static int wait_all(pid_t *pids, int n)
{
	int i, st, fails = 0;

	for (i = 0; i < n; i++) {
		if (waitpid(pids[i], &st, 0) != pids[i] || !WIFEXITED(st) ||
		    WEXITSTATUS(st) != 0)
			fails++;
	}
	return fails;
}

static void test_random_procs(uint32_t size, uint32_t count, uint32_t flags)
{
	struct pktpool_config cfg = {
		.name = name, .slot_size = size, .slot_count = count,
		.flags = flags,
	};
	struct pktpool *p = NULL;
	struct pktpool_stats st;
	pid_t pids[NPROCS];
	uint32_t i;
	int err;

	sh = mmap(NULL, sizeof(*sh) + count * sizeof(uint32_t),
		  PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	require(sh != MAP_FAILED);
	err = pktpool_create(&cfg, &p);
	if (err == -ENODEV || err == -EOPNOTSUPP)
		tap_skip_all("backend not available");
	require(err == 0);
	for (i = 0; i < NPROCS; i++) {
		pids[i] = fork();
		if (pids[i] == 0)
			worker(i, scaled(40000));
	}
	ok(wait_all(pids, NPROCS) == 0,
	   "%u-byte slots: %d processes attach by name, run and detach",
	   size, NPROCS);
	for (i = 0; i < sh->qn; i++)
		if (release(p, sh->q[i]))
			atomic_fetch_add(&sh->errors, 1);
	sh->qn = 0;
	ok(atomic_load(&sh->errors) == 0,
	   "%u-byte slots: no slot held by two processes, stamps intact across processes",
	   size);
	pktpool_flush_cache(p);
	pktpool_stats(p, &st);
	ok(st.in_use == 0 && st.free == count && st.allocs == st.frees,
	   "%u-byte slots: nothing lost, counts balance (free %llu allocs %llu frees %llu)",
	   size, (unsigned long long)st.free, (unsigned long long)st.allocs,
	   (unsigned long long)st.frees);
	ok(st.procs == 1, "%u-byte slots: only the creator is still attached",
	   size);
	ok(pktpool_validate(p) == 0, "%u-byte slots: validate passes", size);
	pktpool_detach(p);
	pktpool_unlink(name);
	munmap(sh, sizeof(*sh) + count * sizeof(uint32_t));
}

/* RX allocates in one process, TX frees in another: a ring of indices. */
static void test_pipeline(void)
{
	struct pktpool *p = make_pool(2048, 512, 0);
	struct pktpool_stats st;
	const uint32_t total = (uint32_t)scaled(200000);
	pid_t rx, tx;
	pid_t pids[2];

	require(p);
	sh = mmap(NULL, sizeof(*sh) + 512 * sizeof(uint32_t),
		  PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	require(sh != MAP_FAILED);
	rx = fork();
	if (rx == 0) {
		uint32_t i, idx, h;

		for (i = 0; i < total; i++) {
			char *s;

			while (!(s = pktpool_alloc(p)))
				sched_yield();
			memcpy(s, &i, sizeof(i));
			pktpool_ptr_to_idx(p, s, &idx);
			h = atomic_load_explicit(&sh->ring_head,
						 memory_order_relaxed);
			while (h - atomic_load_explicit(&sh->ring_tail,
				memory_order_acquire) >= 1024)
				sched_yield();	/* acquire pairs with TX's release */
			sh->ring[h % 1024] = idx;
			/* release pairs with TX's acquire of ring_head */
			atomic_store_explicit(&sh->ring_head, h + 1,
					      memory_order_release);
		}
		_exit(0);
	}
	tx = fork();
	if (tx == 0) {
		uint32_t i, t, idx, v;
		int bad = 0;

		for (i = 0; i < total; i++) {
			t = atomic_load_explicit(&sh->ring_tail,
						 memory_order_relaxed);
			/* acquire pairs with RX's release of ring_head */
			while (atomic_load_explicit(&sh->ring_head,
				memory_order_acquire) == t)
				sched_yield();
			idx = sh->ring[t % 1024];
			memcpy(&v, pktpool_idx_to_ptr(p, idx), sizeof(v));
			bad |= v != i;
			bad |= pktpool_free_idx(p, idx) != 0;
			/* release pairs with RX's acquire of ring_tail */
			atomic_store_explicit(&sh->ring_tail, t + 1,
					      memory_order_release);
		}
		_exit(bad ? 1 : pktpool_detach(p) == 0 ? 0 : 2);
	}
	pids[0] = rx;
	pids[1] = tx;
	ok(wait_all(pids, 2) == 0,
	   "pipeline: %u slots allocated in one process and freed in another, in order",
	   total);
	pktpool_stats(p, &st);
	ok(st.in_use <= 64 && st.in_use + st.free + st.cached == 512,
	   "pipeline: only the exited RX process's cache is unaccounted (%llu)",
	   (unsigned long long)st.in_use);
	pktpool_reclaim(p, rx, 0);
	pktpool_stats(p, &st);
	ok(st.in_use == 0 && st.free + st.cached == 512,
	   "pipeline: after reclaiming RX every slot is back");
	ok(pktpool_validate(p) == 0, "pipeline: validate passes");
	pktpool_detach(p);
	munmap(sh, sizeof(*sh) + 512 * sizeof(uint32_t));
}

/*
 * pktpool_validate() from a process that does nothing else while others
 * allocate and free: busy is -EAGAIN (or 0), never a corruption report,
 * and nothing is counted as an error.
 */
static struct errlog vlog;

static void test_validate_under_load(void)
{
	struct pktpool *p = make_pool(256, 1024, 0);
	struct pktpool_stats st;
	int i, ok0 = 0, busy = 0, wrong = 0, stopped;
	pid_t pids[2];
	uint64_t errors;

	require(p);
	pktpool_set_error_handler(p, errlog_fn, &vlog);
	sh = mmap(NULL, sizeof(*sh) + 1024 * sizeof(uint32_t),
		  PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	require(sh != MAP_FAILED);
	for (i = 0; i < 2; i++) {
		pids[i] = fork();
		if (pids[i] == 0) {
			uint64_t seed = 0x1234567ull * (uint64_t)(i + 3);
			void *held[400];
			int n = 0, up = 1;

			atomic_fetch_add(&sh->ring_head, 1);
			while (!atomic_load_explicit(&sh->errors,
						     memory_order_relaxed)) {
				/* long runs up and down: through the list */
				if ((xorshift(&seed) & 255) == 0)
					up = !up;
				if (!up && n)
					pktpool_free(p, held[--n]);
				else if (n < 400 && (held[n] = pktpool_alloc(p)))
					n++;
				else
					up = 0;
			}
			while (n)
				pktpool_free(p, held[--n]);
			_exit(pktpool_detach(p) == 0 ? 0 : 1);
		}
	}
	while (atomic_load(&sh->ring_head) < 2)
		sched_yield();
	pktpool_stats(p, &st);
	errors = st.errors;
#ifdef __SANITIZE_THREAD__
	const int looks = 600;	/* TSan is slow */
#else
	const int looks = 3000;
#endif

	for (i = 0; i < looks; i++) {
		int r = pktpool_validate(p);

		if (r == 0)
			ok0++;
		else if (r == -EAGAIN)
			busy++;
		else if (!wrong++)
			diag("validate under load: %s", vlog.msg);
	}
	atomic_store(&sh->errors, 1);
	stopped = wait_all(pids, 2);
	pktpool_stats(p, &st);
	diag("validate under load: %d clean, %d busy", ok0, busy);
	ok(wrong == 0 && st.errors == errors && stopped == 0,
	   "validate under load says busy (-EAGAIN) or clean, never corrupt (%d said corrupt, %llu errors counted)",
	   wrong, (unsigned long long)(st.errors - errors));
	ok(pktpool_validate(p) == 0, "validate once the load stops is clean");
	pktpool_detach(p);
	munmap(sh, sizeof(*sh) + 1024 * sizeof(uint32_t));
}

int main(void)
{
	snprintf(name, sizeof(name), "t-procs-%d", (int)getpid());
	test_random_procs(2048, 256, 0);
	test_random_procs(64, 80, 0);
	test_random_procs(192, 128, PKTPOOL_F_NOCACHE);
	test_random_procs(256, 256, PKTPOOL_F_DEBUG);
	test_pipeline();
	test_validate_under_load();
	return tap_done();
}
