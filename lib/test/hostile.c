// SPDX-License-Identifier: MIT
/*
 * A hostile writer: one process scribbles over the control block, the
 * thread caches (counts and slot indices), the links, the depot's
 * magazines (links and slot indices) and the tags while
 * other processes allocate and free. Errors are fine; a crash, a hang or
 * a write outside the region is not. The region sits between guard pages
 * and most of the address space around it is unmapped, so a store the
 * library aims by a value read back from the region faults; a victim that
 * hangs is killed by its alarm and counts as a failure.
 *
 * PKTPOOL_STRESS_SECONDS sets how long each round runs (default: a bounded
 * number of operations, about a second).
 */
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>

#include "util.h"
#include "../src/internal.h"

struct shared {
	_Atomic uint32_t stop;
	_Atomic uint32_t running;
	_Atomic uint64_t ops;
};

static struct shared *sh;
static struct pktpool *pool;
static long victim_ops;
static double run_seconds;

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void *victim_thread(void *arg)
{
	uint64_t seed = 0x9E3779B97F4A7C15ull ^ (uintptr_t)arg ^
			(uint64_t)getpid() << 20;
	void *held[64];
	long i;
	int n = 0;

	for (i = 0; victim_ops ? i < victim_ops :
	     !atomic_load_explicit(&sh->stop, memory_order_relaxed); i++) {
		uint64_t r = xorshift(&seed);

		switch (r % 16) {
		case 0:
			pktpool_flush_cache(pool);
			break;
		case 1: {
			void *b[16];
			int k = pktpool_alloc_bulk(pool, b, (unsigned)(r >> 8) % 16);

			if (k > 0)
				pktpool_free_bulk(pool, b, (unsigned)k);
			break;
		}
		case 2:
			if (n)
				pktpool_adopt(pool, held[n - 1]);
			break;
		default:
			if ((r & 32) && n) {
				pktpool_free(pool, held[--n]);
			} else if (n < 64) {
				held[n] = pktpool_alloc(pool);
				if (held[n]) {
					memset(held[n], 0x5a, 64);
					n++;
				}
			}
			break;
		}
		if ((i & 1023) == 0)
			atomic_fetch_add_explicit(&sh->ops, 1024,
						  memory_order_relaxed);
	}
	while (n)
		pktpool_free(pool, held[--n]);
	return NULL;
}

static void victim(uint32_t flags)
{
	struct pktpool *p = NULL;
	struct pktpool_layout lay;
	pthread_t th[3];
	int i;

	/* a hang is a failure, not a stuck suite */
	alarm(120 + (unsigned int)run_seconds);
	pktpool_get_layout(pool, &lay);	/* kernel regions need its id */
	if (pktpool_attach_fd(pktpool_region_fd(pool), &lay, flags, &p) &&
	    pktpool_attach_fd(pktpool_region_fd(pool), &lay, flags, &p))
		_exit(0);	/* the writer broke the header first: fine */
	pool = p;
	pktpool_set_error_handler(p, quiet_fn, NULL);
	atomic_fetch_add(&sh->running, 1);
	for (i = 0; i < 3; i++)
		pthread_create(&th[i], NULL, victim_thread, (void *)(uintptr_t)i);
	for (i = 0; i < 3; i++)
		pthread_join(th[i], NULL);
	{
		struct pktpool_stats st;

		pktpool_stats(p, &st);
		pktpool_validate(p);
		pktpool_reclaim(p, 0, 0);
	}
	_exit(pktpool_detach(p) == 0 ? 0 : 5);
}

/* Garbage into every shared structure but the slots, until told to stop. */
static void writer(const struct pktpool_layout *lay, unsigned char *base)
{
	uint64_t seed = 0xC2B2AE3D27D4EB4Full ^ (uint64_t)getpid();
	const uint32_t tcs = PKTPOOL_THREADS_MAX;
	unsigned long k = 0;
	struct pktpool__mag *mag;
	uint32_t mags;
	uint64_t mag_off;

	pktpool__mag_area(lay->slot_count, &mag_off, &mags);
	mag = (struct pktpool__mag *)(base + lay->off_meta + mag_off);

	while (!atomic_load_explicit(&sh->stop, memory_order_relaxed)) {
		uint64_t r = xorshift(&seed), v = xorshift(&seed);
		struct pktpool__tcache *tc = (struct pktpool__tcache *)
			(base + lay->off_tcache) + (r >> 8) % tcs;
		uint32_t big = (uint32_t)v | 0x40000000u;

		/* mostly the caches somebody uses */
		if (!__atomic_load_n((uint32_t *)&tc->owner, __ATOMIC_RELAXED) &&
		    (r & 0x300))
			continue;

		switch (r % 8) {
		case 0: case 1: {	/* cache slot indices: far away */
			uint32_t j;

			for (j = 0; j < PKTPOOL_CACHE_MAX; j++)
				__atomic_store_n(&tc->slot[j], big + j,
						 __ATOMIC_RELAXED);
			break;
		}
		case 2:			/* cache counts */
			__atomic_store_n((uint32_t *)&tc->count,
					 (uint32_t)v % 3 ? big : (uint32_t)v % 70,
					 __ATOMIC_RELAXED);
			break;
		case 3: {		/* links, and magazines */
			uint32_t *next = (uint32_t *)(base + lay->off_next);

			if (r & 0x400) {
				uint32_t *w = (uint32_t *)&mag[(v >> 32) % mags];

				/* a link or a slot index: near or far */
				__atomic_store_n(&w[(v >> 8) % 36 < 4 ? 0 :
						    4 + (v >> 8) % 32],
						 (uint32_t)v % 2 ? big :
						 (uint32_t)(v >> 16) % lay->slot_count,
						 __ATOMIC_RELAXED);
				break;
			}

			__atomic_store_n(&next[(v >> 32) % lay->slot_count],
					 (uint32_t)v % 2 ? big :
					 (uint32_t)(v >> 8) % lay->slot_count,
					 __ATOMIC_RELAXED);
			break;
		}
		case 4: {		/* tags */
			uint8_t *tag = base + lay->off_tag;

			__atomic_store_n(&tag[(v >> 32) % lay->slot_count],
					 (uint8_t)v, __ATOMIC_RELAXED);
			break;
		}
		case 5: {		/* control block words, not the magic */
			uint64_t *w = (uint64_t *)base;
			uint64_t off = 8 + (v >> 40) % (lay->ctrl_size / 8 - 1);

			__atomic_store_n(&w[off], xorshift(&seed),
					 __ATOMIC_RELAXED);
			break;
		}
		case 6: {		/* transit records */
			uint32_t *w = (uint32_t *)tc;

			__atomic_store_n(&w[3 + (v >> 40) % 12], (uint32_t)v,
					 __ATOMIC_RELAXED);
			break;
		}
		default:		/* let the victims make progress */
			if ((++k & 63) == 0)
				sched_yield();
			break;
		}
	}
	_exit(0);
}

static void run(const char *what, uint32_t count, uint32_t flags,
		double seconds)
{
	struct pktpool_layout lay;
	pid_t w, v[3];
	int i, st, crashed = 0, hung = 0;
	double t0;

	pool = make_pool(256, count, 0);
	require(pool);
	pktpool_set_error_handler(pool, quiet_fn, NULL);
	pktpool_get_layout(pool, &lay);
	memset(sh, 0, sizeof(*sh));
	for (i = 0; i < 3; i++) {
		v[i] = fork();
		if (v[i] == 0)
			victim(i == 2 ? PKTPOOL_F_NOCACHE : flags);
	}
	while (atomic_load(&sh->running) < 3 && atomic_load(&sh->ops) == 0)
		sched_yield();
	w = fork();
	if (w == 0)
		writer(&lay, (unsigned char *)pktpool_idx_to_ptr(pool, 0) -
		       lay.off_slots);
	t0 = now_s();
	if (seconds > 0) {
		while (now_s() - t0 < seconds)
			usleep(10000);
		atomic_store(&sh->stop, 1);
	}
	for (i = 0; i < 3; i++) {
		waitpid(v[i], &st, 0);
		if (WIFSIGNALED(st)) {
			if (WTERMSIG(st) == SIGALRM)
				hung++;
			else
				crashed++;
			diag("%s: victim %d killed by signal %d", what, i,
			     WTERMSIG(st));
		}
	}
	atomic_store(&sh->stop, 1);
	waitpid(w, NULL, 0);
	diag("%s: %.1f s, about %llu operations under the writer", what,
	     now_s() - t0, (unsigned long long)atomic_load(&sh->ops));
	ok(crashed == 0, "%s: nobody crashed or wrote outside the region under a hostile writer",
	   what);
	ok(hung == 0, "%s: nobody hung under a hostile writer", what);
	pktpool_detach(pool);
}

int main(void)
{
	const char *s = getenv("PKTPOOL_STRESS_SECONDS");
	double seconds = s ? atof(s) : 0;

	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	require(sh != MAP_FAILED);
#ifdef __SANITIZE_THREAD__
	victim_ops = seconds > 0 ? 0 : scaled(40000);	/* TSan is slow */
#else
	victim_ops = seconds > 0 ? 0 : scaled(200000);
#endif
	run_seconds = seconds;
	run("cached", 256, 0, seconds);
	run("debug", 128, PKTPOOL_F_DEBUG, seconds);
	run("large region", 8192, 0, seconds);
	return tap_done();
}
