// SPDX-License-Identifier: MIT
/*
 * libpktpool, with its per-thread cache and without (PKTPOOL_F_NOCACHE:
 * every alloc and free is a CAS on the shared list), and through its
 * index calls (pktpool_alloc_idx_bulk() and friends: what a user of
 * rings of slot indices calls). memfd backend: the host has no
 * /dev/pktpool. The pipeline passes slot indices, as two processes
 * sharing a region would.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "bench.h"
#include "driver.h"
#include "libpktpool.h"

static struct pktpool *pp_cache, *pp_nocache, *pp_idx;

static int pp_make(uint32_t size, uint32_t flags, struct pktpool **pp)
{
	struct pktpool_config cfg = {
		.slot_size = size, .slot_count = BENCH_NOBJ, .flags = flags,
	};
	int err;

	setenv("PKTPOOL_BACKEND", "memfd", 0);
	err = pktpool_create(&cfg, pp);
	if (err) {
		fprintf(stderr, "bench: pktpool_create(%u): %s\n", size,
			pktpool_strerror(err));
		return -1;
	}
	return 0;
}

static int pp_setup(uint32_t size)
{
	return pp_make(size, 0, &pp_cache);
}

static int pp_nc_setup(uint32_t size)
{
	return pp_make(size, PKTPOOL_F_NOCACHE, &pp_nocache);
}

static int pp_idx_setup(uint32_t size)
{
	return pp_make(size, 0, &pp_idx);
}

static void pp_idx_teardown(void)
{
	pktpool_detach(pp_idx);
	pp_idx = NULL;
}

static void pp_teardown(void)
{
	pktpool_detach(pp_cache);
	pp_cache = NULL;
}

static void pp_nc_teardown(void)
{
	pktpool_detach(pp_nocache);
	pp_nocache = NULL;
}

static const char *pp_version(void)
{
	return "libpktpool " BENCH_STR(PKTPOOL_LIB_VERSION_MAJOR) "."
	       BENCH_STR(PKTPOOL_LIB_VERSION_MINOR);
}

static inline uint64_t pp_to_ring(struct pktpool *p, void *o)
{
	uint32_t idx = 0;

	pktpool_ptr_to_idx(p, o, &idx);
	return idx;
}

#define PP_ALLOC_BULK(objs)						\
	do {								\
		if (pktpool_alloc_bulk(P, objs, BENCH_BULK) != BENCH_BULK) \
			abort();					\
	} while (0)
#define PP_FREE_BULK(objs)	pktpool_free_bulk(P, objs, BENCH_BULK)
#define PP_FREE(o)		pktpool_free(P, o)

BENCH_DEFINE_CASES(pp, struct pktpool *P = pp_cache, pktpool_alloc(P),
		   PP_FREE, PP_ALLOC_BULK, PP_FREE_BULK, pp_to_ring(P, o),
		   pktpool_idx_to_ptr(P, (uint32_t)v))
BENCH_DEFINE_CASES(pp_nc, struct pktpool *P = pp_nocache, pktpool_alloc(P),
		   PP_FREE, PP_ALLOC_BULK, PP_FREE_BULK, pp_to_ring(P, o),
		   pktpool_idx_to_ptr(P, (uint32_t)v))

/*
 * The index peer: objects are slot indices, carried as idx + 1 in the
 * cases' pointers (never dereferenced).
 */
static inline void *ppi_alloc(struct pktpool *p)
{
	uint32_t idx;

	return pktpool_alloc_idx(p, &idx) ? NULL : (void *)(uintptr_t)(idx + 1);
}

#define PPI_FREE(o)	pktpool_free_idx(P, (uint32_t)((uintptr_t)(o) - 1))
/* bulk: on an array of indices (the cases' objs is left unused) */
static uint32_t ppi_idx[BENCH_BULK];
#define PPI_ALLOC_BULK(objs)						\
	do {								\
		(void)(objs);						\
		if (pktpool_alloc_idx_bulk(P, ppi_idx, BENCH_BULK) !=	\
		    BENCH_BULK)						\
			abort();					\
	} while (0)
#define PPI_FREE_BULK(objs)	pktpool_free_idx_bulk(P, ppi_idx, BENCH_BULK)

BENCH_DEFINE_CASES(ppi, struct pktpool *P = pp_idx, ppi_alloc(P), PPI_FREE,
		   PPI_ALLOC_BULK, PPI_FREE_BULK, (uint64_t)(uintptr_t)o - 1,
		   (void *)(uintptr_t)(v + 1))

const struct bench_peer bench_pktpool_idx = {
	.id = "pktpool-idx",
	.name = "libpktpool, index calls",
	.version = pp_version,
	.setup = pp_idx_setup,
	.teardown = pp_idx_teardown,
	.run = BENCH_CASES(ppi),
};

const struct bench_peer bench_pktpool = {
	.id = "pktpool",
	.name = "libpktpool",
	.version = pp_version,
	.setup = pp_setup,
	.teardown = pp_teardown,
	.run = BENCH_CASES(pp),
};

/*
 * A pool set over four classes (64, 256, 2048, 9216), allocating by the
 * object size: the set's class lookup and region pick on top of the
 * region's fast path. Only the class in use gets BENCH_NOBJ slots. The
 * pipeline passes pointers (one process).
 */
static struct pktpool_set *pp_set;
static size_t pp_set_bytes;

static int pp_set_make(uint32_t size, struct pktpool_set **set)
{
	static const uint32_t cls[4] = { 64, 256, 2048, 9216 };
	struct pktpool_set_config cfg = { .nclasses = 4 };
	unsigned int c;
	int err;

	setenv("PKTPOOL_BACKEND", "memfd", 0);
	for (c = 0; c < 4; c++) {
		cfg.cls[c].slot_size = cls[c];
		cfg.cls[c].slot_count = cls[c] == size ? BENCH_NOBJ : 64;
	}
	err = pktpool_set_create(&cfg, set);
	if (err) {
		fprintf(stderr, "bench: pktpool_set_create(%u): %s\n", size,
			pktpool_strerror(err));
		return -1;
	}
	return 0;
}

static int pp_set_setup(uint32_t size)
{
	if (pp_set_make(size, &pp_set))
		return -1;
	pp_set_bytes = size;
	return 0;
}

static void pp_set_teardown(void)
{
	pktpool_set_detach(pp_set);
	pp_set = NULL;
}

#define PS_FREE(o)		pktpool_set_free(S, o)
#define PS_ALLOC_BULK(objs)	BENCH_LOOP_ALLOC_BULK(objs, \
					pktpool_set_alloc(S, pp_set_bytes))
#define PS_FREE_BULK(objs)	BENCH_LOOP_FREE_BULK(objs, PS_FREE)

BENCH_DEFINE_CASES(ps, struct pktpool_set *S = pp_set,
		   pktpool_set_alloc(S, pp_set_bytes), PS_FREE, PS_ALLOC_BULK,
		   PS_FREE_BULK, (uint64_t)(uintptr_t)o, (void *)(uintptr_t)v)

const struct bench_peer bench_pktpool_set = {
	.id = "pktpool-set",
	.name = "libpktpool set, by size",
	.version = pp_version,
	.setup = pp_set_setup,
	.teardown = pp_set_teardown,
	.run = BENCH_CASES(ps),
};

const struct bench_peer bench_pktpool_nc = {
	.id = "pktpool-nocache",
	.name = "libpktpool, no cache",
	.version = pp_version,
	.setup = pp_nc_setup,
	.teardown = pp_nc_teardown,
	.run = BENCH_CASES(pp_nc),
};

/*
 * Alloc alone and free alone, a set's by size against a region's: each
 * round allocates SC_BATCH objects with nothing else in the timed loop,
 * then frees them in a loop timed apart, so the free by pointer (which
 * scans the set's regions) does not hide in the alloc's figure or the
 * other way round. SC_BATCH is half the pool: the thread cache refills
 * and drains through the depot as it would under load, the same for both.
 * The two are measured in alternation, and each figure is the median of
 * bench_repeats rounds of SC_REPS batches.
 */
#define SC_BATCH	(BENCH_NOBJ / 2)
#define SC_REPS		64

static void *sc_objs[SC_BATCH];

/* One round: ns per alloc, and per free in *free_ns; NaN when short. */
static double sc_round(struct pktpool *p, struct pktpool_set *s,
		       size_t bytes, double *free_ns)
{
	double ta = 0, tf = 0, t0;
	int rep, i;

	for (rep = 0; rep < SC_REPS; rep++) {
		t0 = bench_now();
		if (s)
			for (i = 0; i < SC_BATCH; i++)
				sc_objs[i] = pktpool_set_alloc(s, bytes);
		else
			for (i = 0; i < SC_BATCH; i++)
				sc_objs[i] = pktpool_alloc(p);
		ta += bench_now() - t0;
		bench_sink(sc_objs);
		for (i = 0; i < SC_BATCH; i++)
			if (!sc_objs[i])
				return NAN;
		t0 = bench_now();
		if (s)
			for (i = 0; i < SC_BATCH; i++)
				pktpool_set_free(s, sc_objs[i]);
		else
			for (i = 0; i < SC_BATCH; i++)
				pktpool_free(p, sc_objs[i]);
		tf += bench_now() - t0;
	}
	*free_ns = tf / (SC_REPS * SC_BATCH);
	return ta / (SC_REPS * SC_BATCH);
}

int bench_set_cost(uint32_t size, int rounds, struct bench_set_cost *out)
{
	double ra[BENCH_SC_ROUNDS_MAX], rf[BENCH_SC_ROUNDS_MAX];
	double sa[BENCH_SC_ROUNDS_MAX], sf[BENCH_SC_ROUNDS_MAX];
	struct pktpool_set *set = NULL;
	struct pktpool *reg = NULL;
	int r, err = -1;

	if (rounds < 1 || rounds > BENCH_SC_ROUNDS_MAX)
		return -1;
	if (pp_make(size, 0, &reg) || pp_set_make(size, &set))
		goto out;
	/* warm both: first touch of the slots and the thread caches */
	sc_round(reg, NULL, size, &rf[0]);
	sc_round(NULL, set, size, &sf[0]);
	for (r = 0; r < rounds; r++) {
		ra[r] = sc_round(reg, NULL, size, &rf[r]);
		sa[r] = sc_round(NULL, set, size, &sf[r]);
		if (isnan(ra[r]) || isnan(sa[r])) {
			fprintf(stderr, "bench: set cost %u B: pool ran out\n",
				size);
			goto out;
		}
	}
	out->region_alloc = bench_median(ra, rounds);
	out->region_free = bench_median(rf, rounds);
	out->set_alloc = bench_median(sa, rounds);
	out->set_free = bench_median(sf, rounds);
	err = 0;
out:
	if (set)
		pktpool_set_detach(set);
	if (reg)
		pktpool_detach(reg);
	return err;
}
