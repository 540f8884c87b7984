// SPDX-License-Identifier: MIT
/*
 * The clock, pinning, the ring, and the second core. Without DPDK the
 * second core is one worker thread pinned to core 1 for the whole run (so
 * an allocator's per-thread cache on the consumer side lives as long as
 * DPDK's per-lcore one does); with DPDK it is EAL's lcore 1.
 */
#include <pthread.h>
#include <sched.h>
#include <semaphore.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "bench.h"

#ifdef HAVE_DPDK
#include <rte_launch.h>
#endif

struct bench_ring bench_ring;
int bench_cg;
double bench_lost, bench_cpu0;

double bench_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

double bench_cpu_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

void bench_pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
}

void bench_ring_reset(long n)
{
	memset(&bench_ring, 0, sizeof(bench_ring));
	bench_ring.n = n;
}

#ifdef HAVE_DPDK

int bench_env_init(void)
{
	return bench_dpdk_init();	/* pins us to lcore 0 */
}

void bench_env_fini(void)
{
	bench_dpdk_fini();
}

void bench_remote_start(bench_fn fn, void *arg)
{
	rte_eal_remote_launch(fn, arg, 1);
}

void bench_remote_wait(void)
{
	rte_eal_wait_lcore(1);
}

#else /* !HAVE_DPDK */

static struct {
	pthread_t th;
	sem_t go, done;
	bench_fn fn;	/* NULL: exit */
	void *arg;
	int started;
} worker;

static void *worker_main(void *unused)
{
	(void)unused;
	bench_pin(1);
	for (;;) {
		while (sem_wait(&worker.go))
			;
		if (!worker.fn)
			return NULL;
		worker.fn(worker.arg);
		sem_post(&worker.done);
	}
}

int bench_env_init(void)
{
	bench_pin(0);
	if (sem_init(&worker.go, 0, 0) || sem_init(&worker.done, 0, 0) ||
	    pthread_create(&worker.th, NULL, worker_main, NULL)) {
		perror("bench: worker thread");
		return -1;
	}
	worker.started = 1;
	return 0;
}

void bench_env_fini(void)
{
	if (!worker.started)
		return;
	worker.fn = NULL;
	sem_post(&worker.go);
	pthread_join(worker.th, NULL);
	worker.started = 0;
}

void bench_remote_start(bench_fn fn, void *arg)
{
	worker.fn = fn;
	worker.arg = arg;
	sem_post(&worker.go);	/* orders the stores above before the run */
}

void bench_remote_wait(void)
{
	while (sem_wait(&worker.done))
		;
}

#endif /* HAVE_DPDK */
