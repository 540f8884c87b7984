// SPDX-License-Identifier: MIT
/*
 * libpktpool, with its per-thread cache and without (PKTPOOL_F_NOCACHE:
 * every alloc and free is a CAS on the shared list), and through its
 * index calls (pktpool_alloc_idx_bulk() and friends: what a user of
 * rings of slot indices calls). memfd backend: the host has no
 * /dev/pktpool. The pipeline passes slot indices, as two processes
 * sharing a region would.
 */
#include <stdio.h>

#include "bench.h"
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

const struct bench_peer bench_pktpool_nc = {
	.id = "pktpool-nocache",
	.name = "libpktpool, no cache",
	.version = pp_version,
	.setup = pp_nc_setup,
	.teardown = pp_nc_teardown,
	.run = BENCH_CASES(pp_nc),
};
