// SPDX-License-Identifier: MIT
/*
 * Kill stress: worker processes (one to three threads each, with and
 * without thread caches, threads coming and going) allocate and free at
 * random while the parent SIGKILLs workers and reclaimers at random and
 * starts new ones, and reclaimer processes call pktpool_reclaim() all the
 * time. A ledger outside the pool (shared memory the library never sees)
 * records which worker holds each slot: a slot handed to a worker while
 * another live worker holds it is a failure. The parent marks a worker
 * doomed before it kills it, so its slots may legitimately go to others.
 * At the end every worker stops cleanly, a final reclaim (and an idle
 * one, for batches a kill left uncertain) runs, and every slot must be
 * free exactly once: a fresh attach allocates all of them, each once.
 *
 * PKTPOOL_STRESS_SECONDS: how long (default 4); the figures go to stdout.
 */
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>

#include "util.h"
#include "../src/internal.h"

#define COUNT		512
#define WORKERS		5
#define RECLAIMERS	2
#define SERIALS		(1u << 20)
#define HOLD		48

struct ledger {
	_Atomic uint32_t stop;
	_Atomic uint32_t doubles;	/* a slot given to two live holders */
	_Atomic uint32_t bad_free;	/* a free the library refused */
	_Atomic uint64_t ops;
	_Atomic uint64_t reclaimed;
	_Atomic uint64_t reclaims;
	_Atomic uint64_t takeovers;	/* slots of a doomed worker re-issued */
	_Atomic uint32_t holder[COUNT];	/* worker serial, 0: free */
	_Atomic uint8_t doomed[SERIALS];
};

static struct ledger *lg;
static struct pktpool *pool;	/* the parent's */
static int region_fd;
static struct pktpool_layout region_lay;	/* kernel regions need its id */

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

struct wthread {
	struct pktpool *p;
	uint32_t serial;
	uint64_t seed;
	long ops;		/* 0: until told to stop */
};

/* Record slot idx as serial's; a live other holder is a double. */
static void ledger_take(uint32_t idx, uint32_t serial)
{
	uint32_t h = 0;

	while (!atomic_compare_exchange_strong(&lg->holder[idx], &h, serial)) {
		if (h == serial || !atomic_load(&lg->doomed[h])) {
			atomic_fetch_add(&lg->doubles, 1);
			printf("# slot %u given to %u while %u holds it\n", idx,
			       serial, h);
			fflush(stdout);
			atomic_store(&lg->holder[idx], serial);
			return;
		}
		atomic_fetch_add(&lg->takeovers, 1);
	}
}

static void *wthread_run(void *arg)
{
	struct wthread *w = arg;
	uint32_t held[HOLD], idx;
	long i;
	int n = 0;

	for (i = 0; w->ops ? i < w->ops :
	     !atomic_load_explicit(&lg->stop, memory_order_relaxed); i++) {
		uint64_t r = xorshift(&w->seed);

		if ((r & 1) && n) {
			int k = (int)((r >> 8) % (uint64_t)n);

			idx = held[k];
			held[k] = held[--n];
			atomic_store(&lg->holder[idx], 0);
			if (pktpool_free_idx(w->p, idx))
				atomic_fetch_add(&lg->bad_free, 1);
		} else if (n < HOLD && pktpool_alloc_idx(w->p, &idx) == 0) {
			ledger_take(idx, w->serial);
			held[n++] = idx;
		}
		if ((i & 255) == 0)
			atomic_fetch_add_explicit(&lg->ops, 256,
						  memory_order_relaxed);
	}
	while (n) {
		idx = held[--n];
		atomic_store(&lg->holder[idx], 0);
		if (pktpool_free_idx(w->p, idx))
			atomic_fetch_add(&lg->bad_free, 1);
	}
	return NULL;
}

static void worker(uint32_t serial, uint64_t seed)
{
	struct pktpool *p = NULL;
	struct wthread w[3];
	pthread_t th[3];
	int i, nth, tries, err;

	for (tries = 0;; tries++) {
		err = pktpool_attach_fd(region_fd, &region_lay, xorshift(&seed) & 1 ?
					PKTPOOL_F_NOCACHE : 0, &p);
		if (err != -ENOSPC || tries > 2000)
			break;
		usleep(1000);	/* table full of the dead: reclaimers */
	}
	if (err)
		_exit(10);
	pktpool_set_error_handler(p, quiet_fn, NULL);
	nth = 1 + (int)(xorshift(&seed) % 3);
	while (!atomic_load(&lg->stop)) {
		for (i = 0; i < nth; i++) {
			w[i].p = p;
			w[i].serial = serial;
			w[i].seed = xorshift(&seed) | 1;
			/* some threads come and go, one stays */
			w[i].ops = i ? 2000 + (long)(xorshift(&seed) % 20000) : 0;
			pthread_create(&th[i], NULL, wthread_run, &w[i]);
		}
		for (i = nth - 1; i >= 0; i--)
			pthread_join(th[i], NULL);
	}
	_exit(pktpool_detach(p) ? 11 : 0);
}

static void reclaimer(uint64_t seed)
{
	struct pktpool *p = NULL;

	if (pktpool_attach_fd(region_fd, &region_lay, xorshift(&seed) & 1 ?
			      PKTPOOL_F_NOCACHE : 0, &p))
		_exit(10);
	pktpool_set_error_handler(p, quiet_fn, NULL);
	while (!atomic_load(&lg->stop)) {
		int r = pktpool_reclaim(p, 0, 0);

		atomic_fetch_add(&lg->reclaims, 1);
		if (r > 0)
			atomic_fetch_add(&lg->reclaimed, (uint64_t)r);
		if (xorshift(&seed) % 64 == 0)
			pktpool_validate(p);
		usleep((useconds_t)(xorshift(&seed) % 2000));
	}
	_exit(pktpool_detach(p) ? 11 : 0);
}

int main(void)
{
	const char *env = getenv("PKTPOOL_STRESS_SECONDS");
	double seconds = env ? atof(env) : 4, t0;
	pid_t w[WORKERS], rc[RECLAIMERS];
	uint32_t serial = 1, i, got = 0;
	uint64_t seed = 0x2545F4914F6CDD1Dull, kills = 0, reclaimer_kills = 0;
	int st, unclean = 0, r, idle;
	uint64_t uncertain;
	struct pktpool *fresh = NULL;
	struct pktpool_stats sts;
	static uint8_t seen[COUNT];

	lg = mmap(NULL, sizeof(*lg), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	require(lg != MAP_FAILED);
	pool = make_pool(256, COUNT, 0);
	require(pool);
	pktpool_set_error_handler(pool, quiet_fn, NULL);
	region_fd = pktpool_region_fd(pool);
	pktpool_get_layout(pool, &region_lay);

	for (i = 0; i < WORKERS; i++, serial++) {
		w[i] = fork();
		if (w[i] == 0)
			worker(serial, seed ^ serial);
	}
	for (i = 0; i < RECLAIMERS; i++) {
		rc[i] = fork();
		if (rc[i] == 0)
			reclaimer(seed ^ (i + 99));
	}
	/* serials of the running workers, by slot in w[] */
	uint32_t wserial[WORKERS];

	for (i = 0; i < WORKERS; i++)
		wserial[i] = i + 1;
	t0 = now_s();
	while (now_s() - t0 < seconds && serial < SERIALS - 1) {
		uint64_t x = xorshift(&seed);

		usleep((useconds_t)(2000 + x % 15000));
		if (x % 8 == 0) {	/* a reclaimer, maybe mid-reclaim */
			uint32_t k = (uint32_t)(x >> 8) % RECLAIMERS;

			kill(rc[k], SIGKILL);
			waitpid(rc[k], NULL, 0);
			reclaimer_kills++;
			rc[k] = fork();
			if (rc[k] == 0)
				reclaimer(x);
		} else {
			uint32_t k = (uint32_t)(x >> 8) % WORKERS;

			atomic_store(&lg->doomed[wserial[k]], 1);
			kill(w[k], SIGKILL);
			waitpid(w[k], NULL, 0);
			kills++;
			wserial[k] = serial++;
			w[k] = fork();
			if (w[k] == 0)
				worker(wserial[k], x);
		}
	}
	atomic_store(&lg->stop, 1);
	for (i = 0; i < WORKERS; i++) {
		waitpid(w[i], &st, 0);
		unclean += !WIFEXITED(st) || WEXITSTATUS(st);
	}
	for (i = 0; i < RECLAIMERS; i++) {
		waitpid(rc[i], &st, 0);
		unclean += !WIFEXITED(st) || WEXITSTATUS(st);
	}
	r = pktpool_reclaim(pool, 0, 0);
	{
		struct pktpool__hdr *h = (struct pktpool__hdr *)
			((char *)pktpool_idx_to_ptr(pool, 0) - region_lay.off_slots);

		uncertain = atomic_load(&h->uncertain);
	}
	idle = pktpool_reclaim(pool, 0, PKTPOOL_RECLAIM_IDLE);
	pktpool_flush_cache(pool);
	pktpool_stats(pool, &sts);

	printf("# %.0f s: %llu operations, %llu workers and %llu reclaimers killed\n",
	       now_s() - t0, (unsigned long long)atomic_load(&lg->ops),
	       (unsigned long long)kills, (unsigned long long)reclaimer_kills);
	printf("# %llu reclaims returned %llu slots (%llu re-issued from the dead); final reclaim %d; %llu slots counted uncertain, idle reclaim %d\n",
	       (unsigned long long)atomic_load(&lg->reclaims),
	       (unsigned long long)atomic_load(&lg->reclaimed),
	       (unsigned long long)atomic_load(&lg->takeovers), r,
	       (unsigned long long)uncertain, idle);
	ok(atomic_load(&lg->doubles) == 0,
	   "kill stress: no slot was given to a worker while another live one held it (%u were)",
	   atomic_load(&lg->doubles));
	ok(atomic_load(&lg->bad_free) == 0,
	   "kill stress: every free of a held slot succeeded (%u did not)",
	   atomic_load(&lg->bad_free));
	ok(unclean == 0, "kill stress: every worker and reclaimer still running at the end stopped cleanly");
	ok(r >= 0 && idle >= 0 && sts.free == COUNT && sts.in_use == 0,
	   "kill stress: after the final reclaims every slot is free (%llu of %u)",
	   (unsigned long long)sts.free, COUNT);
	ok(pktpool_validate(pool) == 0, "kill stress: validate passes at the end");
	/* Every slot free exactly once: a new process allocates all. */
	if (pktpool_attach_fd(region_fd, &region_lay, PKTPOOL_F_NOCACHE, &fresh) == 0) {
		uint32_t idx;

		while (pktpool_alloc_idx(fresh, &idx) == 0 && got <= COUNT) {
			if (idx >= COUNT || seen[idx]++)
				break;
			got++;
		}
		pktpool_detach(fresh);
	}
	ok(got == COUNT, "kill stress: a fresh attach allocates every slot, each once (%u)",
	   got);
	pktpool_detach(pool);
	return tap_done();
}
