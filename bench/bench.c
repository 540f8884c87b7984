// SPDX-License-Identifier: MIT
/*
 * libpktpool against its peers, same run, same machine: glibc malloc/free
 * and (when built with it) DPDK's rte_mempool with a per-lcore cache of 256
 * and without one; libpktpool with and without its thread cache.
 *
 * For 2 KiB and 64 B objects:
 *   pair      one alloc then one free, ns per pair
 *   bulk32    alloc 32 then free 32 (bulk calls where the peer has them),
 *             ns per object
 *   pipeline  a producer thread allocates and passes each object through an
 *             SPSC ring (slot indices for libpktpool, pointers for the
 *             others) to a consumer thread on the other core that frees
 *             it; ns per object, i.e. 1 / throughput
 * Threads are pinned to cores 0 and 1 (DPDK's lcores 0 and 1 when DPDK is
 * in); each number is the median of several repeats.
 *
 * Prints a markdown table and writes it to the file given with -o.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "libpktpool.h"

#ifdef HAVE_DPDK
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_mempool.h>
#endif

#define REPEATS		7
#define NOBJ		8192	/* objects in each pool */
#define RING		1024	/* pipeline ring entries */

static long pair_iters = 2000000;
static long bulk_rounds = 200000;
static long pipe_objs = 1000000;
static uint32_t obj_size;

/* Keep the compiler from dropping an allocation or a store. */
#define sink(p)	__asm__ volatile("" : : "r"(p) : "memory")

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static __attribute__((unused)) void pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
}

/* ------------------------------------------------------------------ */
/* SPSC ring of 64-bit values, AF_XDP style: each side works on a private
 * copy of its own index and of the other side's, publishes its index once
 * per PUBLISH entries (and when it has to wait), and reads the other
 * side's only when its copy says full or empty. So the two cores exchange
 * index cache lines once per batch, not once per object, and the
 * allocators' own costs are what the pipeline measures. */

#define PUBLISH	32

struct ring {
	_Atomic uint64_t head __attribute__((aligned(64)));	/* producer */
	uint64_t p_head, p_tail;	/* producer's private copies */
	_Atomic uint64_t tail __attribute__((aligned(64)));	/* consumer */
	uint64_t c_head, c_tail;	/* consumer's private copies */
	uint64_t slot[RING] __attribute__((aligned(64)));
	_Atomic int go __attribute__((aligned(64)));
};

static struct ring ring;

static inline void ring_put(struct ring *r, uint64_t v)
{
	while (r->p_head - r->p_tail >= RING) {
		/* release pairs with the consumer's acquire of head */
		atomic_store_explicit(&r->head, r->p_head,
				      memory_order_release);
		/* acquire pairs with the consumer's release of tail */
		r->p_tail = atomic_load_explicit(&r->tail,
						 memory_order_acquire);
	}
	r->slot[r->p_head % RING] = v;
	if (++r->p_head % PUBLISH == 0)
		/* release pairs with the consumer's acquire of head */
		atomic_store_explicit(&r->head, r->p_head,
				      memory_order_release);
}

static inline void ring_flush(struct ring *r)
{
	/* release pairs with the consumer's acquire of head */
	atomic_store_explicit(&r->head, r->p_head, memory_order_release);
}

static inline uint64_t ring_get(struct ring *r)
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
	v = r->slot[r->c_tail % RING];
	if (++r->c_tail % PUBLISH == 0)
		/* release pairs with the producer's acquire of tail */
		atomic_store_explicit(&r->tail, r->c_tail,
				      memory_order_release);
	return v;
}

static void ring_reset(void)
{
	memset(&ring, 0, sizeof(ring));
}

/* Run fn on core 1 while the caller runs on core 0. */
typedef int (*lcore_fn)(void *);

#ifndef HAVE_DPDK
struct thread_arg {
	lcore_fn fn;
	void *arg;
};

static void *thread_main(void *p)
{
	struct thread_arg *a = p;

	pin(1);
	a->fn(a->arg);
	return NULL;
}
#endif

struct remote {
#ifdef HAVE_DPDK
	int dummy;
#else
	pthread_t th;
	struct thread_arg arg;
#endif
};

static void remote_start(struct remote *r, lcore_fn fn, void *arg)
{
#ifdef HAVE_DPDK
	(void)r;
	rte_eal_remote_launch(fn, arg, 1);
#else
	r->arg.fn = fn;
	r->arg.arg = arg;
	pthread_create(&r->th, NULL, thread_main, &r->arg);
#endif
}

static void remote_wait(struct remote *r)
{
#ifdef HAVE_DPDK
	(void)r;
	rte_eal_wait_lcore(1);
#else
	pthread_join(r->th, NULL);
#endif
}

/* ------------------------------------------------------------------ */
/* The peers. Each benchmark is expanded per peer so inline fast paths
 * stay inline. */

static struct pktpool *pp_cache, *pp_nocache;
#ifdef HAVE_DPDK
static struct rte_mempool *mp_cache, *mp_nocache;
#endif

#define DEFINE_PEER(NAME, DECL, ALLOC, FREE, ALLOC_BULK, FREE_BULK,	\
		    TO_RING, FROM_RING)					\
static double NAME##_pair(void)						\
{									\
	DECL;								\
	double t0 = now_ns();						\
	long i;								\
									\
	for (i = 0; i < pair_iters; i++) {				\
		void *o = ALLOC;					\
		sink(o);						\
		FREE(o);						\
	}								\
	return (now_ns() - t0) / (double)pair_iters;			\
}									\
									\
static double NAME##_bulk(void)						\
{									\
	DECL;								\
	void *objs[32];							\
	double t0 = now_ns();						\
	long i;								\
									\
	for (i = 0; i < bulk_rounds; i++) {				\
		ALLOC_BULK(objs);					\
		sink(objs);						\
		FREE_BULK(objs);					\
	}								\
	return (now_ns() - t0) / (double)(bulk_rounds * 32);		\
}									\
									\
static int NAME##_consumer(void *arg)					\
{									\
	DECL;								\
	long i;								\
									\
	(void)arg;							\
	atomic_store(&ring.go, 1);					\
	for (i = 0; i < pipe_objs; i++) {				\
		uint64_t v = ring_get(&ring);				\
		void *o = FROM_RING;					\
		FREE(o);						\
	}								\
	return 0;							\
}									\
									\
static double NAME##_pipeline(void)					\
{									\
	DECL;								\
	struct remote r;						\
	double t0;							\
	long i;								\
									\
	ring_reset();							\
	remote_start(&r, NAME##_consumer, NULL);			\
	while (!atomic_load(&ring.go))					\
		;							\
	t0 = now_ns();							\
	for (i = 0; i < pipe_objs; i++) {				\
		void *o;						\
		while (!(o = ALLOC))					\
			ring_flush(&ring); /* let the consumer free */	\
		ring_put(&ring, TO_RING);				\
	}								\
	ring_flush(&ring);						\
	remote_wait(&r);						\
	return (now_ns() - t0) / (double)pipe_objs;			\
}

static inline uint64_t pp_to_ring(struct pktpool *p, void *o)
{
	uint32_t idx = 0;

	pktpool_ptr_to_idx(p, o, &idx);
	return idx;
}

#define PP_BULK_ALLOC(objs)	do { if (pktpool_alloc_bulk(P, objs, 32) != 32) abort(); } while (0)
#define PP_BULK_FREE(objs)	pktpool_free_bulk(P, objs, 32)
#define PP_FREE(o)		pktpool_free(P, o)

DEFINE_PEER(pktpool, struct pktpool *P = pp_cache, pktpool_alloc(P), PP_FREE,
	    PP_BULK_ALLOC, PP_BULK_FREE, pp_to_ring(P, o),
	    pktpool_idx_to_ptr(P, (uint32_t)v))
DEFINE_PEER(pktpool_nc, struct pktpool *P = pp_nocache, pktpool_alloc(P),
	    PP_FREE, PP_BULK_ALLOC, PP_BULK_FREE, pp_to_ring(P, o),
	    pktpool_idx_to_ptr(P, (uint32_t)v))

#define M_BULK_ALLOC(objs)	do { int k; for (k = 0; k < 32; k++) objs[k] = malloc(obj_size); } while (0)
#define M_BULK_FREE(objs)	do { int k; for (k = 0; k < 32; k++) free(objs[k]); } while (0)

DEFINE_PEER(glibc, (void)0, malloc(obj_size), free, M_BULK_ALLOC, M_BULK_FREE,
	    (uint64_t)(uintptr_t)o, (void *)(uintptr_t)v)

#ifdef HAVE_DPDK
static inline void *mp_get(struct rte_mempool *mp)
{
	void *o;

	return rte_mempool_get(mp, &o) == 0 ? o : NULL;
}

#define D_FREE(o)		rte_mempool_put(MP, o)
#define D_BULK_ALLOC(objs)	do { if (rte_mempool_get_bulk(MP, objs, 32)) abort(); } while (0)
#define D_BULK_FREE(objs)	rte_mempool_put_bulk(MP, objs, 32)

DEFINE_PEER(dpdk, struct rte_mempool *MP = mp_cache, mp_get(MP), D_FREE,
	    D_BULK_ALLOC, D_BULK_FREE, (uint64_t)(uintptr_t)o,
	    (void *)(uintptr_t)v)
DEFINE_PEER(dpdk_nc, struct rte_mempool *MP = mp_nocache, mp_get(MP), D_FREE,
	    D_BULK_ALLOC, D_BULK_FREE, (uint64_t)(uintptr_t)o,
	    (void *)(uintptr_t)v)
#endif

struct peer {
	const char *name;
	double (*bench[3])(void);
	double ns[2][3];	/* [size][benchmark] */
};

static struct peer peers[] = {
	{ "libpktpool", { pktpool_pair, pktpool_bulk, pktpool_pipeline  }, { { 0 } } },
	{ "libpktpool, no cache",
	  { pktpool_nc_pair, pktpool_nc_bulk, pktpool_nc_pipeline  }, { { 0 } } },
#ifdef HAVE_DPDK
	{ "DPDK mempool, cache 256", { dpdk_pair, dpdk_bulk, dpdk_pipeline  }, { { 0 } } },
	{ "DPDK mempool, cache 0",
	  { dpdk_nc_pair, dpdk_nc_bulk, dpdk_nc_pipeline  }, { { 0 } } },
#endif
	{ "glibc malloc", { glibc_pair, glibc_bulk, glibc_pipeline  }, { { 0 } } },
};
#define NPEERS	(sizeof(peers) / sizeof(peers[0]))

static const char *const bench_name[3] = {
	"alloc+free pair (ns/pair)",
	"bulk 32 (ns/object)",
	"producer->consumer (ns/object)",
};

/*
 * Run benchmark b for every peer REPEATS times, round robin (so that a
 * slow spell of this shared machine hits every peer alike), and keep each
 * peer's median.
 */
static void measure(unsigned int s, unsigned int b)
{
	double v[NPEERS][REPEATS];
	unsigned int i;
	int r;

	for (i = 0; i < NPEERS; i++)
		peers[i].bench[b]();	/* warm up */
	for (r = 0; r < REPEATS; r++)
		for (i = 0; i < NPEERS; i++)
			v[i][r] = peers[i].bench[b]();
	for (i = 0; i < NPEERS; i++) {
		qsort(v[i], REPEATS, sizeof(v[i][0]), cmp_double);
		peers[i].ns[s][b] = v[i][REPEATS / 2];
	}
}

static int setup(uint32_t size)
{
	struct pktpool_config cfg = { .slot_size = size, .slot_count = NOBJ };
	int err;

	setenv("PKTPOOL_BACKEND", "memfd", 0);
	obj_size = size;
	err = pktpool_create(&cfg, &pp_cache);
	cfg.flags = PKTPOOL_F_NOCACHE;
	if (!err)
		err = pktpool_create(&cfg, &pp_nocache);
	if (err) {
		fprintf(stderr, "pktpool_create: %s\n", pktpool_strerror(err));
		return -1;
	}
#ifdef HAVE_DPDK
	{
		char n1[32], n2[32];

		snprintf(n1, sizeof(n1), "bench256-%u", size);
		snprintf(n2, sizeof(n2), "bench0-%u", size);
		mp_cache = rte_mempool_create(n1, NOBJ - 1, size, 256, 0, NULL,
					      NULL, NULL, NULL, SOCKET_ID_ANY, 0);
		mp_nocache = rte_mempool_create(n2, NOBJ - 1, size, 0, 0, NULL,
						NULL, NULL, NULL, SOCKET_ID_ANY, 0);
		if (!mp_cache || !mp_nocache) {
			fprintf(stderr, "rte_mempool_create: %s\n",
				rte_strerror(rte_errno));
			return -1;
		}
	}
#endif
	return 0;
}

static void teardown(void)
{
	pktpool_detach(pp_cache);
	pktpool_detach(pp_nocache);
#ifdef HAVE_DPDK
	rte_mempool_free(mp_cache);
	rte_mempool_free(mp_nocache);
#endif
}

static void emit(FILE *f, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void emit(FILE *f, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	if (f) {
		va_start(ap, fmt);
		vfprintf(f, fmt, ap);
		va_end(ap);
	}
}

static struct peer *find(const char *name)
{
	unsigned int i;

	for (i = 0; i < NPEERS; i++)
		if (!strcmp(peers[i].name, name))
			return &peers[i];
	return NULL;
}

static const uint32_t sizes[] = { 2048, 64 };

static void table(FILE *f, unsigned int s)
{
	uint32_t size = sizes[s];
	unsigned int b, i;

	emit(f, "\n### %u-byte objects\n\n", size);
	emit(f, "| benchmark |");
	for (i = 0; i < NPEERS; i++)
		emit(f, " %s |", peers[i].name);
	emit(f, "\n|---|");
	for (i = 0; i < NPEERS; i++)
		emit(f, "---:|");
	emit(f, "\n");
	for (b = 0; b < 3; b++) {
		emit(f, "| %s |", bench_name[b]);
		for (i = 0; i < NPEERS; i++) {
			if (i == 0)
				emit(f, " %.2f |", peers[i].ns[s][b]);
			else
				emit(f, " %.2f (%.2fx) |", peers[i].ns[s][b],
				     peers[i].ns[s][b] / peers[0].ns[s][b]);
		}
		emit(f, "\n");
	}
}

static void targets(FILE *f, unsigned int s)
{
	uint32_t size = sizes[s];
	struct peer *me = &peers[0], *glibc = find("glibc malloc");
#ifdef HAVE_DPDK
	struct peer *d = find("DPDK mempool, cache 256");
	double r;

	r = me->ns[s][0] / d->ns[s][0];
	emit(f, "- %u B pair: libpktpool takes %.2fx DPDK's time (target <= 0.35): %s\n",
	     size, r, r <= 0.35 ? "met" : "short");
	r = me->ns[s][1] / d->ns[s][1];
	emit(f, "- %u B bulk 32: libpktpool takes %.2fx DPDK's time per object (target <= 0.5): %s\n",
	     size, r, r <= 0.5 ? "met" : "short");
	r = d->ns[s][2] / me->ns[s][2];
	emit(f, "- %u B producer->consumer: libpktpool has %.2fx DPDK's throughput (target >= 1.5): %s\n",
	     size, r, r >= 1.5 ? "met" : "short");
#endif
	if (size == 2048) {
		unsigned int b;

		for (b = 0; b < 3; b++)
			emit(f, "- %u B %s: glibc takes %.1fx libpktpool's time (target >= 20): %s\n",
			     size, bench_name[b], glibc->ns[s][b] / me->ns[s][b],
			     glibc->ns[s][b] / me->ns[s][b] >= 20 ? "met" : "short");
	}
}

int main(int argc, char **argv)
{
	const char *out = NULL;
	unsigned int s, b;
	FILE *f = NULL;
	int opt;

	while ((opt = getopt(argc, argv, "o:q")) != -1) {
		if (opt == 'o') {
			out = optarg;
		} else if (opt == 'q') {	/* quick: a tenth of the work */
			pair_iters /= 10;
			bulk_rounds /= 10;
			pipe_objs /= 10;
		}
	}
#ifdef HAVE_DPDK
	{
		char prefix[64];
		char *eal[] = { "bench", "-l", "0-1", "--no-huge", "--no-pci",
				"-m", "512", "--file-prefix", prefix, NULL };

		snprintf(prefix, sizeof(prefix), "pktpool-bench-%d",
			 (int)getpid());
		if (rte_eal_init(9, eal) < 0) {
			fprintf(stderr, "rte_eal_init failed: %s\n",
				rte_strerror(rte_errno));
			return 1;
		}
	}
#else
	pin(0);
#endif
	if (out) {
		f = fopen(out, "w");
		if (!f)
			perror(out);
	}
	emit(f, "## libpktpool benchmark\n\n");
	emit(f, "Median of %d runs (peers interleaved), threads pinned to cores 0 and 1; ns per operation, lower is better; "
	     "(Nx) is the peer's time over libpktpool's.\n", REPEATS);
#ifndef HAVE_DPDK
	emit(f, "\nDPDK was not found at build time: no rte_mempool columns.\n");
#endif
	for (s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
		if (setup(sizes[s]))
			return 1;
		for (b = 0; b < 3; b++)
			measure(s, b);
		teardown();
		table(f, s);
	}
	emit(f, "\n### Targets\n\n");
	for (s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++)
		targets(f, s);
	if (f)
		fclose(f);
#ifdef HAVE_DPDK
	{
		/* EAL leaves its runtime directory behind: remove ours */
		char dir[PATH_MAX], cmd[PATH_MAX + 16];

		snprintf(dir, sizeof(dir), "%s", rte_eal_get_runtime_dir());
		rte_eal_cleanup();
		if (strstr(dir, "pktpool-bench-") && !strchr(dir, '\'')) {
			snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
			if (system(cmd))
				fprintf(stderr, "could not remove %s\n", dir);
		}
	}
#endif
	return 0;
}
