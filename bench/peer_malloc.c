// SPDX-License-Identifier: MIT
/*
 * General-purpose allocators, one per binary: built with -DBENCH_JEMALLOC,
 * -DBENCH_MIMALLOC or -DBENCH_TCMALLOC, else glibc's malloc. jemalloc,
 * mimalloc and tcmalloc as Debian ships them all replace malloc in any
 * process that links them, hence a binary each. They have no bulk calls:
 * bulk is a loop.
 */
#include <stdio.h>
#include <string.h>

#include "bench.h"

#if defined(BENCH_JEMALLOC)

#include <jemalloc/jemalloc.h>

#define M_ID		"jemalloc"
#define M_NAME		"jemalloc"
#define M_ALLOC(n)	malloc(n)
#define M_FREE(p)	free(p)

static const char *m_version(void)
{
	static char v[32];

	/* "5.3.0-0-g<hash>": the release is enough */
	snprintf(v, sizeof(v), "jemalloc %d.%d.%d", JEMALLOC_VERSION_MAJOR,
		 JEMALLOC_VERSION_MINOR, JEMALLOC_VERSION_BUGFIX);
	return v;
}

/* Debian's jemalloc is unprefixed: make sure malloc is really its own. */
static int m_check(uint32_t size)
{
	uint64_t a0 = 0, a1 = 0;
	size_t len = sizeof(a0);
	void *p;

	if (mallctl("thread.allocated", &a0, &len, NULL, 0))
		return -1;
	p = malloc(size);
	bench_sink(p);
	len = sizeof(a1);
	mallctl("thread.allocated", &a1, &len, NULL, 0);
	free(p);
	return a1 > a0 ? 0 : -1;
}

#elif defined(BENCH_MIMALLOC)

#include <mimalloc.h>

#define M_ID		"mimalloc"
#define M_NAME		"mimalloc"
#define M_ALLOC(n)	mi_malloc(n)
#define M_FREE(p)	mi_free(p)

static const char *m_version(void)
{
	static char v[32];

	snprintf(v, sizeof(v), "mimalloc %d.%d.%d", mi_version() / 100,
		 mi_version() / 10 % 10, mi_version() % 10);
	return v;
}

static int m_check(uint32_t size)
{
	(void)size;
	return 0;
}

#elif defined(BENCH_TCMALLOC)

#include <gperftools/tcmalloc.h>

#define M_ID		"tcmalloc"
#define M_NAME		"tcmalloc"
#define M_ALLOC(n)	tc_malloc(n)
#define M_FREE(p)	tc_free(p)

static const char *m_version(void)
{
	return TC_VERSION_STRING " (tcmalloc_minimal)";
}

static int m_check(uint32_t size)
{
	(void)size;
	return 0;
}

#else

#include <gnu/libc-version.h>

#define M_ID		"glibc"
#define M_NAME		"glibc malloc"
#define M_ALLOC(n)	malloc(n)
#define M_FREE(p)	free(p)

static const char *m_version(void)
{
	static char v[32];

	snprintf(v, sizeof(v), "glibc %s", gnu_get_libc_version());
	return v;
}

static int m_check(uint32_t size)
{
	(void)size;
	return 0;
}

#endif

static size_t obj_size;

static int m_setup(uint32_t size)
{
	obj_size = size;
	if (m_check(size)) {
		fprintf(stderr, "bench: malloc is not %s's in this binary\n",
			M_NAME);
		return -1;
	}
	return 0;
}

static void m_teardown(void)
{
}

#define MM_ALLOC_BULK(objs)	BENCH_LOOP_ALLOC_BULK(objs, M_ALLOC(obj_size))
#define MM_FREE_BULK(objs)	BENCH_LOOP_FREE_BULK(objs, M_FREE)

BENCH_DEFINE_CASES(mm, (void)0, M_ALLOC(obj_size), M_FREE, MM_ALLOC_BULK,
		   MM_FREE_BULK, (uint64_t)(uintptr_t)o, (void *)(uintptr_t)v)

const struct bench_peer bench_malloc = {
	.id = M_ID,
	.name = M_NAME,
	.version = m_version,
	.setup = m_setup,
	.teardown = m_teardown,
	.run = BENCH_CASES(mm),
};
