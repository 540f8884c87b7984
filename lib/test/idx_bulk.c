// SPDX-License-Identifier: MIT
/*
 * pktpool_alloc_idx_bulk() and pktpool_free_idx_bulk(): slot indices in
 * and out, inline from the thread cache or through the library; bad
 * indices refused with nothing changed.
 */
#include "util.h"

#define COUNT	512

static struct errlog elog;

static uint64_t in_use(struct pktpool *p)
{
	struct pktpool_stats st;

	require(pktpool_stats(p, &st) == 0);
	return st.in_use;
}

static void test_alloc_free(uint32_t flags, const char *what)
{
	struct pktpool *p = make_pool(256, COUNT, flags);
	static uint8_t seen[COUNT];
	uint32_t idx[COUNT];
	int k, total = 0, i;
	bool distinct = true;

	require(p);
	memset(seen, 0, sizeof(seen));
	/* odd sizes too: inline when the cache has them, else not */
	while ((k = pktpool_alloc_idx_bulk(p, &idx[total],
			COUNT - total < 37 ? (unsigned)(COUNT - total) : 37)) > 0) {
		for (i = total; i < total + k; i++)
			distinct &= idx[i] < COUNT && !seen[idx[i]]++;
		total += k;
	}
	ok(total == COUNT && distinct,
	   "%s: alloc_idx_bulk hands out every slot once (%d)", what, total);
	ok(pktpool_alloc_idx_bulk(p, idx, 32) == 0,
	   "%s: alloc_idx_bulk on an exhausted region returns 0", what);
	ok(in_use(p) == COUNT, "%s: all counted in use", what);
	for (i = 0; i < COUNT; i += 32)
		require(pktpool_free_idx_bulk(p, &idx[i], 32) == 0);
	ok(in_use(p) == 0, "%s: free_idx_bulk gives them all back", what);
	ok(pktpool_validate(p) == 0, "%s: validate after", what);
	pktpool_detach(p);
}

/* Each index is the slot pktpool_idx_to_ptr() names, and frees by ptr. */
static void test_matches_pointers(void)
{
	struct pktpool *p = make_pool(192, COUNT, 0);
	uint32_t idx[32];
	void *obj[32];
	int i, k;
	bool same = true;

	require(p);
	k = pktpool_alloc_idx_bulk(p, idx, 32);
	for (i = 0; i < k; i++) {
		obj[i] = pktpool_idx_to_ptr(p, idx[i]);
		same &= obj[i] != NULL;
	}
	ok(k == 32 && same && pktpool_free_bulk(p, obj, 32) == 0 &&
	   in_use(p) == 0,
	   "indices from alloc_idx_bulk are the slots free_bulk takes by pointer (192-byte slots)");
	pktpool_detach(p);
}

static void test_bad_arguments(void)
{
	struct pktpool *p = make_pool(256, COUNT, 0);
	uint32_t idx[4];

	require(p);
	ok(pktpool_alloc_idx_bulk(NULL, idx, 4) == -EINVAL &&
	   pktpool_free_idx_bulk(NULL, idx, 4) == -EINVAL &&
	   pktpool_alloc_idx_bulk((struct pktpool *)idx, idx, 4) == -EINVAL,
	   "a bad handle is -EINVAL");
	ok(pktpool_alloc_idx_bulk(p, NULL, 4) == -EINVAL &&
	   pktpool_free_idx_bulk(p, NULL, 4) == -EINVAL,
	   "a NULL array with n > 0 is -EINVAL");
	ok(pktpool_alloc_idx_bulk(p, NULL, 0) == 0 &&
	   pktpool_free_idx_bulk(p, NULL, 0) == 0 && in_use(p) == 0,
	   "n = 0 does nothing");
	pktpool_detach(p);
}

/* Out of range: -EFAULT, the valid ones in the same call freed. */
static void test_out_of_range(void)
{
	struct pktpool *p = make_pool(256, COUNT, 0);
	uint32_t idx[4], bad[5];
	uint64_t errors;
	struct pktpool_stats st;

	require(p && pktpool_alloc_idx_bulk(p, idx, 4) == 4);
	pktpool_set_error_handler(p, errlog_fn, &elog);
	pktpool_stats(p, &st);
	errors = st.errors;
	bad[0] = COUNT;
	bad[1] = 0xffffffffu;
	bad[2] = 0x80000000u | idx[0];
	bad[3] = idx[1];	/* in range: freed */
	bad[4] = COUNT + idx[2];
	ok(pktpool_free_idx_bulk(p, bad, 5) == -EFAULT,
	   "indices out of range are refused with -EFAULT");
	pktpool_stats(p, &st);
	ok(in_use(p) == 3 && st.errors == errors + 4,
	   "only the one valid index was freed; the four bad ones reported");
	ok(pktpool_free_idx_bulk(p, idx, 1) == 0 &&
	   pktpool_free_idx_bulk(p, &idx[2], 2) == 0 && in_use(p) == 0 &&
	   pktpool_validate(p) == 0,
	   "the others free normally after");
	pktpool_detach(p);
}

/*
 * A double free of an index on the shared list (its thread flushed) is
 * refused, nothing changed; in debug mode also while it is cached.
 */
static void test_double_free(void)
{
	struct pktpool *p = make_pool(256, COUNT, 0);
	struct pktpool_stats a, b;
	uint32_t idx[32];

	require(p && pktpool_alloc_idx_bulk(p, idx, 32) == 32);
	pktpool_set_error_handler(p, errlog_fn, &elog);
	require(pktpool_free_idx_bulk(p, idx, 32) == 0);
	require(pktpool_flush_cache(p) == 0);
	pktpool_stats(p, &a);
	ok(pktpool_free_idx_bulk(p, &idx[3], 2) == -EALREADY,
	   "freeing indices already free is -EALREADY");
	pktpool_stats(p, &b);
	ok(a.free == b.free && b.in_use == 0 && b.frees == a.frees &&
	   pktpool_validate(p) == 0,
	   "and changes nothing (free %llu, frees %llu)",
	   (unsigned long long)b.free, (unsigned long long)b.frees);
	pktpool_detach(p);

	p = make_pool(256, COUNT, PKTPOOL_F_DEBUG);
	require(p && pktpool_alloc_idx_bulk(p, idx, 4) == 4);
	pktpool_set_error_handler(p, errlog_fn, &elog);
	idx[3] = idx[2];
	ok(pktpool_free_idx_bulk(p, idx, 4) == -EALREADY && in_use(p) == 1,
	   "debug: an index twice in one call is freed once, then -EALREADY");
	pktpool_detach(p);
}

/* Over the cache's capacity in one call: through the library, exact. */
static void test_large_batches(void)
{
	struct pktpool *p = make_pool(256, COUNT, 0);
	uint32_t idx[300];

	require(p);
	ok(pktpool_alloc_idx_bulk(p, idx, 300) == 300 && in_use(p) == 300,
	   "300 at once (more than a cache holds)");
	ok(pktpool_free_idx_bulk(p, idx, 300) == 0 && in_use(p) == 0 &&
	   pktpool_validate(p) == 0,
	   "and back at once");
	pktpool_detach(p);
}

int main(void)
{
	test_alloc_free(0, "cached");
	test_alloc_free(PKTPOOL_F_NOCACHE, "no cache");
	test_alloc_free(PKTPOOL_F_DEBUG, "debug");
	test_matches_pointers();
	test_bad_arguments();
	test_out_of_range();
	test_double_free();
	test_large_batches();
	return tap_done();
}
