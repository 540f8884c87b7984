/* SPDX-License-Identifier: MIT */
/*
 * The userspace benchmark's shared parts: what a peer is, the four cases
 * every peer runs (expanded per peer by BENCH_DEFINE_CASES so that inline
 * fast paths stay inline), the clock, the SPSC ring between the two cores
 * and the second core's worker.
 *
 * A peer is one allocator in one configuration. Peers that replace malloc
 * (jemalloc, mimalloc, tcmalloc) live in binaries of their own, which the
 * driver (main.c) starts and talks to over a pipe, so every peer runs in
 * the same `make bench` on the same cores, interleaved.
 */
#ifndef BENCH_H
#define BENCH_H

#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>

#ifdef HAVE_CALLGRIND
#include <valgrind/callgrind.h>
#endif

#define BENCH_NOBJ	8192	/* objects in each fixed-size pool */
#define BENCH_KEEP	1024	/* live objects held by the keep case */
#define BENCH_KEEP_SEED	0x2545f491u
#define BENCH_BULK	32
#define BENCH_RING	1024	/* producer->consumer ring entries */
#define BENCH_PUBLISH	32	/* ring index published once per this many */

enum bench_case {
	BENCH_PAIR,	/* alloc then free, ns per pair */
	BENCH_BULK32,	/* alloc 32 then free 32, ns per object */
	BENCH_KEEPN,	/* free a random one of 1024 live, alloc again */
	BENCH_PIPE,	/* core 0 allocates, core 1 frees, ns per object */
	BENCH_NCASES
};
/* The single-thread cases, the ones counted under callgrind. */
#define BENCH_NCASES_ST	BENCH_PIPE

/*
 * One allocator in one configuration. setup() makes its pool for one
 * object size (0, or -1 after a line on stderr); run[c](n) does n
 * operations of case c and returns the ns its measured loop took.
 */
struct bench_peer {
	const char *id;		/* short, for data files: [a-z0-9-] */
	const char *name;	/* for tables and plots */
	const char *(*version)(void);
	int (*setup)(uint32_t size);
	void (*teardown)(void);
	double (*run[BENCH_NCASES])(long n);
};

/* peers.c: this binary's own peers, and (the driver's) the binaries
 * holding the others, found beside this one. */
extern const struct bench_peer *const bench_local_peers[];
extern const unsigned int bench_nlocal;
extern const char *const bench_children[];

/* ------------------------------------------------------------------ */
/* Clocks, and the callgrind switch: under `main -C` the measured loops,
 * and only they, are collected.
 *
 * Each run also says how long its threads were off their cores
 * (bench_lost: wall time less the thread's CPU time, for the pipeline the
 * worse of its two threads), so that the driver can tell a clean run
 * from one that other work on the machine preempted, and repeat it. */

extern int bench_cg;
extern double bench_lost;	/* ns, of the last run */
extern double bench_cpu0;	/* the calling thread's CPU clock at start */

double bench_now(void);		/* CLOCK_MONOTONIC, ns */
double bench_cpu_now(void);	/* this thread's CPU time, ns */

static inline double bench_start(void)
{
	double t;

	bench_cpu0 = bench_cpu_now();
	t = bench_now();
#ifdef HAVE_CALLGRIND
	if (bench_cg)
		CALLGRIND_TOGGLE_COLLECT;
#endif
	return t;
}

static inline double bench_stop(double t0)
{
	double wall, cpu;

#ifdef HAVE_CALLGRIND
	if (bench_cg)
		CALLGRIND_TOGGLE_COLLECT;
#endif
	wall = bench_now() - t0;
	cpu = bench_cpu_now() - bench_cpu0;
	bench_lost = wall > cpu ? wall - cpu : 0;
	return wall;
}

#define BENCH_STR_(x)	#x
#define BENCH_STR(x)	BENCH_STR_(x)

/* Keep the compiler from dropping an allocation or a store. */
#define bench_sink(p)	__asm__ volatile("" : : "r"(p) : "memory")

void bench_pin(int cpu);

/* ------------------------------------------------------------------ */
/* SPSC ring of 64-bit values, AF_XDP style: each side works on private
 * copies of both indices, publishes its own once per BENCH_PUBLISH
 * entries (and whenever it has to wait), and reads the other side's only
 * when its copy says full or empty. So the cores exchange index lines once
 * per batch and the allocators' own costs are what the pipeline measures. */

struct bench_ring {
	_Atomic uint64_t head __attribute__((aligned(64)));	/* producer */
	uint64_t p_head, p_tail;
	_Atomic uint64_t tail __attribute__((aligned(64)));	/* consumer */
	uint64_t c_head, c_tail;
	uint64_t slot[BENCH_RING] __attribute__((aligned(64)));
	_Atomic int go __attribute__((aligned(64)));
	long n;		/* objects the consumer takes */
	double c_cpu;	/* CPU time the consumer's loop took, ns */
	double c_wall;	/* and its wall time */
};

extern struct bench_ring bench_ring;

static inline void bench_ring_put(struct bench_ring *r, uint64_t v)
{
	while (r->p_head - r->p_tail >= BENCH_RING) {
		/* release pairs with the consumer's acquire of head */
		atomic_store_explicit(&r->head, r->p_head,
				      memory_order_release);
		/* acquire pairs with the consumer's release of tail */
		r->p_tail = atomic_load_explicit(&r->tail,
						 memory_order_acquire);
	}
	r->slot[r->p_head % BENCH_RING] = v;
	if (++r->p_head % BENCH_PUBLISH == 0)
		/* release pairs with the consumer's acquire of head */
		atomic_store_explicit(&r->head, r->p_head,
				      memory_order_release);
}

static inline void bench_ring_flush(struct bench_ring *r)
{
	/* release pairs with the consumer's acquire of head */
	atomic_store_explicit(&r->head, r->p_head, memory_order_release);
}

static inline uint64_t bench_ring_get(struct bench_ring *r)
{
	uint64_t v;

	while (r->c_tail == r->c_head) {
		/* release pairs with the producer's acquire of tail */
		atomic_store_explicit(&r->tail, r->c_tail,
				      memory_order_release);
		/* acquire pairs with the producer's release of head */
		r->c_head = atomic_load_explicit(&r->head,
						 memory_order_acquire);
	}
	v = r->slot[r->c_tail % BENCH_RING];
	if (++r->c_tail % BENCH_PUBLISH == 0)
		/* release pairs with the producer's acquire of tail */
		atomic_store_explicit(&r->tail, r->c_tail,
				      memory_order_release);
	return v;
}

void bench_ring_reset(long n);

/* After a pipeline run: the consumer's time off its core counts too. */
static inline void bench_pipe_lost(void)
{
	double c = bench_ring.c_wall - bench_ring.c_cpu;

	if (c > bench_lost)
		bench_lost = c;
}

/* ------------------------------------------------------------------ */
/* The second core (remote.c): a worker pinned to core 1, or DPDK's lcore 1
 * when DPDK is in (its mempool caches are per lcore). */

typedef int (*bench_fn)(void *);

int bench_env_init(void);	/* pins the caller to core 0 */
void bench_env_fini(void);
void bench_remote_start(bench_fn fn, void *arg);
void bench_remote_wait(void);

#ifdef HAVE_DPDK
int bench_dpdk_init(void);	/* peer_dpdk.c */
void bench_dpdk_fini(void);
#endif

/* ------------------------------------------------------------------ */
/* The cases, expanded per peer.
 *
 *   DECL		declarations at the top of each function (the pool)
 *   ALLOC		an expression: one object or NULL (pool empty)
 *   FREE(o)		give o back
 *   ALLOC_BULK(objs)	32 objects into objs (aborts when short)
 *   FREE_BULK(objs)	give the 32 back
 *   TO_RING		o as a 64-bit value for the ring
 *   FROM_RING		v back to a pointer
 */

static inline uint32_t bench_rand(uint32_t *x)
{
	/* xorshift32: the same sequence for every peer */
	*x ^= *x << 13;
	*x ^= *x >> 17;
	*x ^= *x << 5;
	return *x;
}

#define BENCH_DEFINE_CASES(NAME, DECL, ALLOC, FREE, ALLOC_BULK, FREE_BULK, \
			   TO_RING, FROM_RING)				\
static double NAME##_pair(long n)					\
{									\
	DECL;								\
	double t0 = bench_start();					\
	long i;								\
									\
	for (i = 0; i < n; i++) {					\
		void *o = ALLOC;					\
		bench_sink(o);						\
		FREE(o);						\
	}								\
	return bench_stop(t0);						\
}									\
									\
static double NAME##_bulk(long n)					\
{									\
	DECL;								\
	void *objs[BENCH_BULK];						\
	long i, rounds = n / BENCH_BULK;				\
	double t0 = bench_start();					\
									\
	for (i = 0; i < rounds; i++) {					\
		ALLOC_BULK(objs);					\
		bench_sink(objs);					\
		FREE_BULK(objs);					\
	}								\
	return bench_stop(t0);						\
}									\
									\
static double NAME##_keep(long n)					\
{									\
	DECL;								\
	static void *win[BENCH_KEEP];					\
	uint32_t x = BENCH_KEEP_SEED;					\
	double t0, t;							\
	long i;								\
									\
	for (i = 0; i < BENCH_KEEP; i++)				\
		if (!(win[i] = ALLOC))					\
			abort();					\
	t0 = bench_start();						\
	for (i = 0; i < n; i++) {					\
		uint32_t j = (uint32_t)(((uint64_t)bench_rand(&x) *	\
					 BENCH_KEEP) >> 32);		\
		void *o;						\
									\
		FREE(win[j]);						\
		o = ALLOC;						\
		bench_sink(o);						\
		win[j] = o;						\
	}								\
	t = bench_stop(t0);						\
	for (i = 0; i < BENCH_KEEP; i++)				\
		FREE(win[i]);						\
	return t;							\
}									\
									\
static int NAME##_consumer(void *arg)					\
{									\
	DECL;								\
	double c0 = bench_cpu_now(), t0 = bench_now();			\
	long i;								\
									\
	(void)arg;							\
	atomic_store(&bench_ring.go, 1);				\
	for (i = 0; i < bench_ring.n; i++) {				\
		uint64_t v = bench_ring_get(&bench_ring);		\
		void *o = FROM_RING;					\
		FREE(o);						\
	}								\
	bench_ring.c_wall = bench_now() - t0;				\
	bench_ring.c_cpu = bench_cpu_now() - c0;			\
	return 0;							\
}									\
									\
static double NAME##_pipe(long n)					\
{									\
	DECL;								\
	double t0, t;							\
	long i;								\
									\
	bench_ring_reset(n);						\
	bench_remote_start(NAME##_consumer, NULL);			\
	while (!atomic_load(&bench_ring.go))				\
		;							\
	t0 = bench_start();						\
	for (i = 0; i < n; i++) {					\
		void *o;						\
		while (!(o = ALLOC))					\
			/* pool empty: let the consumer free */		\
			bench_ring_flush(&bench_ring);			\
		bench_ring_put(&bench_ring, TO_RING);			\
	}								\
	bench_ring_flush(&bench_ring);					\
	bench_remote_wait();						\
	t = bench_stop(t0);						\
	bench_pipe_lost();						\
	return t;							\
}

#define BENCH_CASES(NAME)	\
	{ NAME##_pair, NAME##_bulk, NAME##_keep, NAME##_pipe }

/* Bulk by a loop, for allocators without a bulk call. */
#define BENCH_LOOP_ALLOC_BULK(objs, ALLOC1)			\
	do {							\
		int k_;						\
		for (k_ = 0; k_ < BENCH_BULK; k_++)		\
			if (!((objs)[k_] = (ALLOC1)))		\
				abort();			\
	} while (0)
#define BENCH_LOOP_FREE_BULK(objs, FREE1)			\
	do {							\
		int k_;						\
		for (k_ = 0; k_ < BENCH_BULK; k_++)		\
			FREE1((objs)[k_]);			\
	} while (0)

#endif /* BENCH_H */
