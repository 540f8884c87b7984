// SPDX-License-Identifier: MIT
/*
 * The pool a firewall developer writes in an afternoon: fixed slots carved
 * from one allocation, a singly-linked free list threaded through the free
 * slots themselves, one pthread mutex around every alloc and free, and no
 * bulk call (bulk is a loop of single calls).
 */
#include <pthread.h>
#include <stdio.h>

#include "bench.h"

struct mlist {
	pthread_mutex_t lock;
	void *head;		/* first free slot; each holds the next */
	void *mem;
};

static struct mlist ml = { .lock = PTHREAD_MUTEX_INITIALIZER };

static void *ml_alloc(struct mlist *l)
{
	void *o;

	pthread_mutex_lock(&l->lock);
	o = l->head;
	if (o)
		l->head = *(void **)o;
	pthread_mutex_unlock(&l->lock);
	return o;
}

static void ml_free(struct mlist *l, void *o)
{
	pthread_mutex_lock(&l->lock);
	*(void **)o = l->head;
	l->head = o;
	pthread_mutex_unlock(&l->lock);
}

static int ml_setup(uint32_t size)
{
	unsigned char *p;
	int i;

	ml.mem = aligned_alloc(64, (size_t)size * BENCH_NOBJ);
	if (!ml.mem) {
		perror("bench: mutex list");
		return -1;
	}
	p = ml.mem;
	ml.head = NULL;
	for (i = BENCH_NOBJ - 1; i >= 0; i--) {
		*(void **)(p + (size_t)i * size) = ml.head;
		ml.head = p + (size_t)i * size;
	}
	return 0;
}

static void ml_teardown(void)
{
	free(ml.mem);
	ml.mem = NULL;
	ml.head = NULL;
}

static const char *ml_version(void)
{
	return "pthread_mutex_t + free list";
}

#define ML_FREE(o)		ml_free(L, o)
#define ML_ALLOC_BULK(objs)	BENCH_LOOP_ALLOC_BULK(objs, ml_alloc(L))
#define ML_FREE_BULK(objs)	BENCH_LOOP_FREE_BULK(objs, ML_FREE)

BENCH_DEFINE_CASES(ml, struct mlist *L = &ml, ml_alloc(L), ML_FREE,
		   ML_ALLOC_BULK, ML_FREE_BULK, (uint64_t)(uintptr_t)o,
		   (void *)(uintptr_t)v)

const struct bench_peer bench_mutex = {
	.id = "mutex-list",
	.name = "mutex free list",
	.version = ml_version,
	.setup = ml_setup,
	.teardown = ml_teardown,
	.run = BENCH_CASES(ml),
};
