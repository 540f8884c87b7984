// SPDX-License-Identifier: MIT
/*
 * Threads: random alloc/free from several threads at once, with slots
 * handed between threads (allocated in one, freed in another). Every
 * holder stamps its id into the slot and into a side table and checks both
 * on free, so a slot handed out twice is caught; at the end nothing is lost
 * and the counts balance. Thread exit drains the thread's cache.
 */
#include <pthread.h>
#include <stdatomic.h>

#include "util.h"

#define NTHREADS	4
#define HOLD		48
#define XFER		64	/* per-thread inbox of slots to free */

struct inbox {
	pthread_mutex_t lock;
	void *slot[XFER];
	int n;
};

static struct pktpool *pool;
static _Atomic uint32_t *holder;	/* slot index -> thread id + 1 */
static struct inbox inbox[NTHREADS];
static _Atomic int errors;
static long iters;

static int take(uint32_t me, void *s)
{
	uint32_t idx, zero = 0;

	if (pktpool_ptr_to_idx(pool, s, &idx))
		return -1;
	if (!atomic_compare_exchange_strong(&holder[idx], &zero, me + 1))
		return -1;	/* someone else holds it: handed out twice */
	memcpy(s, &me, sizeof(me));
	return 0;
}

static int give_back(uint32_t me, void *s, uint32_t stamped)
{
	uint32_t idx, who;

	(void)me;
	if (pktpool_ptr_to_idx(pool, s, &idx))
		return -1;
	memcpy(&who, s, sizeof(who));
	if (who != stamped || atomic_load(&holder[idx]) != stamped + 1)
		return -1;
	atomic_store(&holder[idx], 0);
	return pktpool_free(pool, s);
}

static void *worker(void *arg)
{
	uint32_t me = (uint32_t)(uintptr_t)arg, w;
	uint64_t seed = 0x9E3779B97F4A7C15ull * (me + 1);
	void *held[HOLD];
	int n = 0, i;
	long it;

	for (it = 0; it < iters; it++) {
		uint64_t r = xorshift(&seed);
		struct inbox *in = &inbox[me];

		if ((r & 7) == 0 && n) {
			/* hand one to a neighbour, who frees it */
			struct inbox *to = &inbox[(me + 1) % NTHREADS];
			uint32_t idx;

			pktpool_ptr_to_idx(pool, held[n - 1], &idx);
			pthread_mutex_lock(&to->lock);
			if (to->n < XFER) {
				to->slot[to->n++] = held[--n];
				r = 0;
			}
			pthread_mutex_unlock(&to->lock);
		} else if ((r & 7) == 1) {
			void *mine[XFER];
			int k;

			pthread_mutex_lock(&in->lock);
			k = in->n;
			memcpy(mine, in->slot, (size_t)k * sizeof(void *));
			in->n = 0;
			pthread_mutex_unlock(&in->lock);
			for (i = 0; i < k; i++) {
				memcpy(&w, mine[i], sizeof(w));
				if (give_back(me, mine[i], w))
					atomic_fetch_add(&errors, 1);
			}
		} else if ((r & 1) && n) {
			int k = (int)((r >> 8) % (uint64_t)n);

			if (give_back(me, held[k], me))
				atomic_fetch_add(&errors, 1);
			held[k] = held[--n];
		} else if (n < HOLD) {
			void *s = pktpool_alloc(pool);

			if (s) {
				if (take(me, s))
					atomic_fetch_add(&errors, 1);
				held[n++] = s;
			}
		}
	}
	while (n)
		if (give_back(me, held[--n], me))
			atomic_fetch_add(&errors, 1);
	return NULL;
}

static void drain_inboxes(void)
{
	int t, i;
	uint32_t w;

	for (t = 0; t < NTHREADS; t++) {
		for (i = 0; i < inbox[t].n; i++) {
			memcpy(&w, inbox[t].slot[i], sizeof(w));
			if (give_back(0, inbox[t].slot[i], w))
				atomic_fetch_add(&errors, 1);
		}
		inbox[t].n = 0;
	}
}

static void run(const char *what, uint32_t size, uint32_t count,
		uint32_t flags)
{
	pthread_t th[NTHREADS];
	struct pktpool_stats st;
	uintptr_t t;

	pool = make_pool(size, count, flags);
	require(pool);
	holder = calloc(count, sizeof(*holder));
	require(holder);
	atomic_store(&errors, 0);
	for (t = 0; t < NTHREADS; t++) {
		pthread_mutex_init(&inbox[t].lock, NULL);
		inbox[t].n = 0;
	}
	for (t = 0; t < NTHREADS; t++)
		pthread_create(&th[t], NULL, worker, (void *)t);
	for (t = 0; t < NTHREADS; t++)
		pthread_join(th[t], NULL);
	drain_inboxes();
	ok(atomic_load(&errors) == 0,
	   "%s: %d threads, no slot handed out twice, every stamp intact",
	   what, NTHREADS);
	pktpool_stats(pool, &st);
	ok(st.in_use == 0 && st.allocs == st.frees,
	   "%s: counts balance (allocs %llu frees %llu in_use %llu)", what,
	   (unsigned long long)st.allocs, (unsigned long long)st.frees,
	   (unsigned long long)st.in_use);
	pktpool_flush_cache(pool);
	pktpool_stats(pool, &st);
	ok(st.free == count && st.cached == 0,
	   "%s: exited threads drained their caches: all %u slots free (%llu)",
	   what, count, (unsigned long long)st.free);
	ok(pktpool_validate(pool) == 0, "%s: validate passes", what);
	pktpool_detach(pool);
	free(holder);
}

static void *one_alloc(void *arg)
{
	void **out = arg;

	*out = pktpool_alloc(pool);
	return NULL;
}

static void test_exit_drains(void)
{
	struct pktpool_stats st;
	pthread_t th;
	void *s = NULL;

	pool = make_pool(256, 1024, 0);
	require(pool);
	pthread_create(&th, NULL, one_alloc, &s);
	pthread_join(th, NULL);
	pktpool_stats(pool, &st);
	ok(s && st.in_use == 1 && st.cached == 0 && st.threads <= 1,
	   "a thread's cache is drained when it exits (cached %llu)",
	   (unsigned long long)st.cached);
	ok(pktpool_free(pool, s) == 0,
	   "a slot allocated by an exited thread frees in another");
	pktpool_detach(pool);
}

#define MANY	(PKTPOOL_THREADS_MAX + 8)

static pthread_barrier_t many_barrier;

static void *many_worker(void *arg)
{
	void *held[16];
	int i, j, n, bad = 0;

	(void)arg;
	pthread_barrier_wait(&many_barrier);	/* all alive at once */
	for (j = 0; j < 200; j++) {
		for (n = 0; n < 16; n++)
			if (!(held[n] = pktpool_alloc(pool)))
				break;
		for (i = 0; i < n; i++)
			bad |= pktpool_free(pool, held[i]) != 0;
	}
	pthread_barrier_wait(&many_barrier);
	return (void *)(uintptr_t)bad;
}

static void test_more_threads_than_caches(void)
{
	pthread_t th[MANY];
	struct pktpool_stats st;
	void *ret;
	int i, bad = 0;

	pool = make_pool(256, 4096, 0);
	require(pool);
	pthread_barrier_init(&many_barrier, NULL, MANY);
	for (i = 0; i < MANY; i++)
		pthread_create(&th[i], NULL, many_worker, NULL);
	for (i = 0; i < MANY; i++) {
		pthread_join(th[i], &ret);
		bad |= ret != NULL;
	}
	pthread_barrier_destroy(&many_barrier);
	pktpool_stats(pool, &st);
	ok(!bad && st.in_use == 0 && st.free == 4096 && st.threads == 0,
	   "%d threads at once, more than the %d thread caches: the rest use the shared list",
	   MANY, PKTPOOL_THREADS_MAX);
	ok(st.allocs == st.frees && st.allocs > 0,
	   "their counts balance too (%llu)", (unsigned long long)st.allocs);
	ok(pktpool_validate(pool) == 0, "validate after many threads");
	pktpool_detach(pool);
}

int main(void)
{
	iters = scaled(60000);
	run("cached, 2 KiB slots", 2048, 512, 0);
	run("cached, small region runs dry", 64, 96, 0);
	run("no thread cache", 512, 256, PKTPOOL_F_NOCACHE);
	run("debug mode", 256, 256, PKTPOOL_F_DEBUG);
	test_exit_drains();
	test_more_threads_than_caches();
	return tap_done();
}
