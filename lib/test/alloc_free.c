// SPDX-License-Identifier: MIT
/*
 * Single-thread behaviour of alloc and free, the index conversions, bulk
 * calls, statistics, and every error they return.
 */
#include <stdint.h>

#include "util.h"

static struct errlog elog;

static void test_exhaust_and_refill(uint32_t size, uint32_t count)
{
	struct pktpool *p = make_pool(size, count, 0);
	struct pktpool_stats st;
	void **objs = calloc(count + 1, sizeof(*objs));
	uint8_t *seen = calloc(count, 1);
	uint32_t i, n = 0, idx;
	int dup = 0, misaligned = 0, outside = 0, err = 0, roundtrip = 1;

	require(p && objs && seen);
	pktpool_set_error_handler(p, errlog_fn, &elog);
	while ((objs[n] = pktpool_alloc(p)) != NULL) {
		if ((uintptr_t)objs[n] % 64)
			misaligned++;
		if (!pktpool_contains(p, objs[n]) ||
		    pktpool_ptr_to_idx(p, objs[n], &idx)) {
			outside++;
		} else {
			dup += seen[idx]++;
			roundtrip &= pktpool_idx_to_ptr(p, idx) == objs[n];
		}
		memset(objs[n], 0xA5, size);
		if (++n > count)
			break;
	}
	ok(n == count, "%u-byte slots: all %u slots can be allocated (%u)",
	   size, count, n);
	ok(!dup && !misaligned && !outside,
	   "%u-byte slots: each handed out once, 64-byte aligned, inside the region",
	   size);
	ok(roundtrip, "%u-byte slots: index and pointer convert both ways",
	   size);
	errno = 0;
	ok(pktpool_alloc(p) == NULL && errno == ENOMEM,
	   "%u-byte slots: alloc on an exhausted region fails with ENOMEM",
	   size);
	pktpool_stats(p, &st);
	ok(st.in_use == count && st.failures >= 1 && st.peak == count,
	   "%u-byte slots: stats count in_use %llu, failures %llu, peak %llu",
	   size, (unsigned long long)st.in_use,
	   (unsigned long long)st.failures, (unsigned long long)st.peak);
	for (i = 0; i < n; i++)
		err |= pktpool_free(p, objs[i]);
	ok(err == 0, "%u-byte slots: every slot frees", size);
	pktpool_stats(p, &st);
	ok(st.in_use == 0 && st.free + st.cached == count &&
	   st.allocs == count && st.frees == count,
	   "%u-byte slots: after freeing all, in_use 0, free+cached = count, allocs = frees",
	   size);
	ok(pktpool_validate(p) == 0, "%u-byte slots: validate passes", size);
	ok(pktpool_detach(p) == 0, "%u-byte slots: detach", size);
	free(objs);
	free(seen);
}

static void test_free_errors(void)
{
	struct pktpool *p = make_pool(2048, 64, 0);
	char local[64];
	void *a;
	int e;

	require(p);
	pktpool_set_error_handler(p, errlog_fn, &elog);
	a = pktpool_alloc(p);
	require(a);
	ok(pktpool_free(p, NULL) == 0, "free of NULL is ignored");
	elog.count = 0;
	e = pktpool_free(p, local);
	ok(e == -EFAULT && elog.count == 1 && elog.last == -EFAULT,
	   "free of a pointer outside the region returns -EFAULT and is reported");
	e = pktpool_free(p, (char *)a + 1);
	ok(e == -EINVAL && elog.last == -EINVAL,
	   "free of a pointer inside a slot returns -EINVAL and is reported");
	e = pktpool_free(p, (char *)a + 64);
	ok(e == -EINVAL, "free of a pointer 64 bytes into a slot returns -EINVAL");
	ok(pktpool_free(p, a) == 0, "free of the slot itself works");
	ok(pktpool_flush_cache(p) == 0, "flush_cache gives the cache back");
	e = pktpool_free(p, a);
	ok(e == -EALREADY,
	   "double free of a slot on the shared list returns -EALREADY even without debug");
	ok(pktpool_validate(p) == 0, "validate passes after refused frees");
	ok(pktpool_free(NULL, a) == -EINVAL, "free with a NULL pool is -EINVAL");
	errno = 0;
	ok(pktpool_alloc(NULL) == NULL && errno == EINVAL,
	   "alloc with a NULL pool fails with EINVAL");
	ok(pktpool_free((struct pktpool *)local, a) == -EINVAL,
	   "free with a pointer that is not a handle is -EINVAL");
	pktpool_detach(p);
	ok(pktpool_free(p, a) == -EBADF, "free on a detached handle is -EBADF");
	errno = 0;
	ok(pktpool_alloc(p) == NULL && errno == EBADF,
	   "alloc on a detached handle fails with EBADF");
}

static void test_odd_sizes(void)
{
	static const uint32_t sizes[] = { 64, 192, 1536, 9216, 65536 };
	unsigned int i;

	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		struct pktpool *p = make_pool(sizes[i], 37, 0);
		uint32_t idx = 99;
		void *a, *b;

		require(p);
		pktpool_set_error_handler(p, errlog_fn, &elog);
		a = pktpool_alloc(p);
		b = pktpool_alloc(p);
		require(a && b);
		ok(pktpool_ptr_to_idx(p, (char *)a + 64, &idx) ==
		   (sizes[i] == 64 ? 0 : -EINVAL) &&
		   pktpool_ptr_to_idx(p, (char *)b, &idx) == 0 &&
		   pktpool_idx_to_ptr(p, idx) == b,
		   "slot size %u: index math exact, interior pointers refused",
		   sizes[i]);
		ok(pktpool_free(p, a) == 0 && pktpool_free(p, b) == 0 &&
		   pktpool_validate(p) == 0,
		   "slot size %u: alloc, free, validate", sizes[i]);
		pktpool_detach(p);
	}
}

static void test_index_api(void)
{
	struct pktpool *p = make_pool(256, 16, 0);
	uint32_t idx = 1234, i;
	char c;

	require(p);
	pktpool_set_error_handler(p, errlog_fn, &elog);
	ok(pktpool_idx_to_ptr(p, 16) == NULL && pktpool_idx_to_ptr(NULL, 0) == NULL,
	   "idx_to_ptr refuses an index past the end and a NULL pool");
	ok(pktpool_ptr_to_idx(p, &c, &idx) == -EFAULT &&
	   pktpool_ptr_to_idx(p, NULL, &idx) == -EFAULT &&
	   pktpool_ptr_to_idx(p, pktpool_idx_to_ptr(p, 0), NULL) == -EINVAL,
	   "ptr_to_idx refuses foreign pointers and a NULL result");
	ok(!pktpool_contains(p, &c) && pktpool_contains(p,
	   (char *)pktpool_idx_to_ptr(p, 15) + 255) &&
	   !pktpool_contains(p, (char *)pktpool_idx_to_ptr(p, 15) + 256),
	   "contains covers exactly the slots");
	ok(pktpool_alloc_idx(p, &idx) == 0 && idx < 16,
	   "alloc_idx gives an index");
	ok(pktpool_free_idx(p, 16) == -EFAULT, "free_idx past the end is -EFAULT");
	ok(pktpool_free_idx(p, idx) == 0, "free_idx frees it");
	ok(pktpool_alloc_idx(p, NULL) == -EINVAL, "alloc_idx with NULL is -EINVAL");
	ok(pktpool_slot_size(p) == 256 && pktpool_slot_count(p) == 16 &&
	   pktpool_slot_size(NULL) == 0, "slot_size and slot_count");
	for (i = 0; i < 16; i++)
		pktpool_alloc_idx(p, &idx);
	ok(pktpool_alloc_idx(p, &idx) == -ENOMEM,
	   "alloc_idx on an exhausted region is -ENOMEM");
	pktpool_detach(p);
}

static void test_bulk(void)
{
	struct pktpool *p = make_pool(2048, 100, 0);
	void *objs[128];
	struct pktpool_stats st;
	int n, round, bad = 0;

	require(p);
	pktpool_set_error_handler(p, errlog_fn, &elog);
	for (round = 0; round < 50; round++) {
		n = pktpool_alloc_bulk(p, objs, 32);
		bad |= n != 32;
		bad |= pktpool_free_bulk(p, objs, 32) != 0;
	}
	ok(!bad, "alloc_bulk/free_bulk of 32, 50 rounds");
	n = pktpool_alloc_bulk(p, objs, 128);
	ok(n == 100, "alloc_bulk beyond the region returns what there is (%d)",
	   n);
	ok(pktpool_alloc_bulk(p, objs + 100, 5) == 0,
	   "alloc_bulk on an exhausted region returns 0");
	ok(pktpool_free_bulk(p, objs, (unsigned int)n) == 0,
	   "free_bulk of all of them");
	ok(pktpool_alloc_bulk(p, NULL, 4) == -EINVAL &&
	   pktpool_alloc_bulk(NULL, objs, 4) == -EINVAL &&
	   pktpool_free_bulk(p, NULL, 4) == -EINVAL,
	   "bulk calls refuse NULL arrays and pools");
	n = pktpool_alloc_bulk(p, objs, 4);
	objs[1] = (char *)objs[1] + 8;
	ok(pktpool_free_bulk(p, objs, 4) == -EINVAL,
	   "free_bulk with one bad pointer returns its error");
	objs[1] = (char *)objs[1] - 8;
	ok(pktpool_free(p, objs[1]) == 0,
	   "free_bulk freed the valid ones and left the bad one alone");
	pktpool_stats(p, &st);
	ok(st.in_use == 0, "nothing left in use after bulk (%llu)",
	   (unsigned long long)st.in_use);
	ok(pktpool_validate(p) == 0, "validate passes after bulk");
	pktpool_detach(p);
}

static void test_nocache(void)
{
	struct pktpool *p = make_pool(512, 64, PKTPOOL_F_NOCACHE);
	struct pktpool_stats st;
	void *objs[64];
	int i, n = 0;

	require(p);
	while (n < 64 && (objs[n] = pktpool_alloc(p)))
		n++;
	ok(n == 64, "without thread caches every slot can be allocated");
	pktpool_stats(p, &st);
	ok(st.cache_cap == 0 && st.cached == 0 && st.in_use == 64,
	   "without thread caches nothing is cached");
	for (i = 0; i < n; i++)
		pktpool_free(p, objs[i]);
	pktpool_stats(p, &st);
	ok(st.free == 64 && st.in_use == 0,
	   "without thread caches frees go straight to the shared list");
	ok(pktpool_validate(p) == 0, "validate passes without thread caches");
	pktpool_detach(p);
}

static void test_cache_bounded(void)
{
	struct pktpool *p = make_pool(128, 4096, 0);
	struct pktpool_stats st;
	static void *objs[4096];
	int i, n;

	require(p);
	n = pktpool_alloc_bulk(p, objs, 4096);
	for (i = 0; i < n; i++)
		pktpool_free(p, objs[i]);
	pktpool_stats(p, &st);
	ok(n == 4096 && st.cache_fill <= st.cache_cap &&
	   st.cache_cap <= PKTPOOL_CACHE_MAX && st.cached == st.cache_fill,
	   "thread cache stays within its capacity (%u of %u)", st.cache_fill,
	   st.cache_cap);
	ok(pktpool_flush_cache(p) == 0 && pktpool_stats(p, &st) == 0 &&
	   st.cached == 0 && st.free == 4096,
	   "flush_cache empties the calling thread's cache");
	pktpool_detach(p);
}

static void test_strerror(void)
{
	static const int errs[] = { EINVAL, EFAULT, EALREADY, EUCLEAN, EBADMSG,
				    ENOMEM, ENOSPC, EEXIST, ENOENT, EAGAIN,
				    EBUSY, ESRCH, EBADF, ENODEV, EOPNOTSUPP,
				    EPROTO };
	unsigned int i;
	int good = 1;

	for (i = 0; i < sizeof(errs) / sizeof(errs[0]); i++)
		good &= strcmp(pktpool_strerror(-errs[i]), "unknown error") != 0 &&
			pktpool_strerror(-errs[i]) == pktpool_strerror(errs[i]);
	ok(good, "strerror names every error the library returns");
	ok(strcmp(pktpool_strerror(-12345), "unknown error") == 0 &&
	   strcmp(pktpool_strerror(0), "success") == 0,
	   "strerror of unknown codes and of 0");
}

int main(void)
{
	test_exhaust_and_refill(2048, 1000);
	test_exhaust_and_refill(64, 5000);
	test_exhaust_and_refill(1536, 3);
	test_exhaust_and_refill(65536, 17);
	test_free_errors();
	test_odd_sizes();
	test_index_api();
	test_bulk();
	test_nocache();
	test_cache_bounded();
	test_strerror();
	return tap_done();
}
