// SPDX-License-Identifier: MIT
/*
 * Debug mode (PKTPOOL_F_DEBUG or PKTPOOL_DEBUG=1): double frees, foreign
 * and misaligned pointers and writes to freed slots become reported errors,
 * never aborts; the region stays usable.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <sys/wait.h>

#include "util.h"

static struct errlog elog;

static void test_double_free_in_cache(void)
{
	struct pktpool *p = make_pool(2048, 64, PKTPOOL_F_DEBUG);
	void *a, *b;

	require(p);
	pktpool_set_error_handler(p, errlog_fn, &elog);
	a = pktpool_alloc(p);
	b = pktpool_alloc(p);
	require(a && b);
	ok(pktpool_free(p, a) == 0, "debug: first free works");
	elog.count = 0;
	ok(pktpool_free(p, a) == -EALREADY && elog.count == 1 &&
	   elog.last == -EALREADY,
	   "debug: a double free of a cached slot is -EALREADY and reported (%s)",
	   elog.msg);
	ok(pktpool_free(p, b) == 0, "debug: the region still works after it");
	ok(pktpool_validate(p) == 0, "debug: validate passes after a refused double free");
	pktpool_detach(p);
}

static void test_use_after_free(void)
{
	struct pktpool *p = make_pool(256, 4, PKTPOOL_F_DEBUG);
	struct pktpool_stats st;
	unsigned char *a, *got[4];
	int i, n = 0;

	require(p);
	pktpool_set_error_handler(p, errlog_fn, &elog);
	a = pktpool_alloc(p);
	require(a);
	memset(a, 0, pktpool_usable_size(p));	/* 224: the rest is the guard */
	pktpool_free(p, a);
	ok(a[0] == 0x6b && a[255] == 0x6b, "debug: a freed slot is poisoned");
	a[100] = 42;	/* use after free */
	elog.count = 0;
	for (i = 0; i < 4; i++)
		if ((got[n] = pktpool_alloc(p)))
			n++;
	ok(n == 4 && elog.count == 1 && elog.last == -EBADMSG,
	   "debug: a write to a freed slot is reported as -EBADMSG at its next alloc (%s)",
	   elog.msg);
	pktpool_stats(p, &st);
	ok(st.errors >= 1, "debug: the error is counted in stats");
	for (i = 0; i < n; i++)
		pktpool_free(p, got[i]);
	pktpool_detach(p);
}

static void test_bad_pointers(void)
{
	struct pktpool *p = make_pool(1536, 16, PKTPOOL_F_DEBUG);
	char local[16];
	char *a;

	require(p);
	pktpool_set_error_handler(p, errlog_fn, &elog);
	a = pktpool_alloc(p);
	elog.count = 0;
	ok(pktpool_free(p, local) == -EFAULT && elog.last == -EFAULT,
	   "debug: a foreign pointer is -EFAULT and reported");
	ok(pktpool_free(p, a + 100) == -EINVAL && elog.last == -EINVAL,
	   "debug: a misaligned pointer is -EINVAL and reported");
	ok(elog.count == 2, "debug: one report per bad free");
	ok(pktpool_free(p, a) == 0, "debug: the real pointer still frees");
	ok(pktpool_validate(p) == 0, "debug: validate passes");
	pktpool_detach(p);
}

static void test_env_and_default_handler(void)
{
	struct pktpool *p;
	void *a;
	int err;

	setenv("PKTPOOL_DEBUG", "1", 1);
	p = make_pool(512, 8, 0);
	unsetenv("PKTPOOL_DEBUG");
	require(p);
	a = pktpool_alloc(p);
	pktpool_free(p, a);
	/* The default handler prints one line on stderr. */
	err = pktpool_free(p, a);
	ok(err == -EALREADY, "PKTPOOL_DEBUG=1 turns debug mode on");
	pktpool_set_error_handler(p, NULL, NULL);
	ok(pktpool_free(p, (char *)a + 64) == -EINVAL,
	   "the default handler reports on stderr and returns");
	pktpool_detach(p);
}

static void test_debug_attach_inherits(void)
{
	struct pktpool_config cfg = {
		.slot_size = 256, .slot_count = 32, .flags = PKTPOOL_F_DEBUG,
	};
	struct pktpool *a = NULL, *b = NULL;
	char name[32];
	void *x;

	snprintf(name, sizeof(name), "t-debug-%d", (int)getpid());
	cfg.name = name;
	require(pktpool_create(&cfg, &a) == 0);
	require(pktpool_attach(name, 0, &b) == 0);
	pktpool_unlink(name);
	pktpool_set_error_handler(b, errlog_fn, &elog);
	x = pktpool_alloc(b);
	pktpool_free(b, x);
	ok(pktpool_free(b, x) == -EALREADY,
	   "an attacher of a debug region is in debug mode too");
	pktpool_detach(b);
	pktpool_detach(a);
}

static void test_debug_threads_churn(void)
{
	struct pktpool *p = make_pool(128, 512, PKTPOOL_F_DEBUG);
	static void *held[512];
	uint64_t seed = 88172645463325252ull;
	int i, n = 0, bad = 0;

	require(p);
	pktpool_set_error_handler(p, errlog_fn, &elog);
	elog.count = 0;
	for (i = 0; i < 20000; i++) {
		if (n && (xorshift(&seed) & 1 || n == 512)) {
			uint32_t k = (uint32_t)(xorshift(&seed) % (uint64_t)n);

			bad |= pktpool_free(p, held[k]) != 0;
			held[k] = held[--n];
		} else {
			held[n] = pktpool_alloc(p);
			if (held[n]) {
				memset(held[n], n & 0xff,
				       pktpool_usable_size(p));
				n++;
			}
		}
	}
	while (n)
		bad |= pktpool_free(p, held[--n]) != 0;
	ok(!bad && elog.count == 0,
	   "debug: 20000 random allocs and frees raise no false alarm");
	ok(pktpool_validate(p) == 0, "debug: validate after churn");
	pktpool_detach(p);
}

/* A double free from another process is refused without taking the slot. */
static void test_foreign_double_free(void)
{
	struct pktpool *p = make_pool(256, 64, PKTPOOL_F_DEBUG);
	pid_t pid;
	void *a, *b;
	int st;

	require(p);
	pktpool_set_error_handler(p, errlog_fn, &elog);
	a = pktpool_alloc(p);
	require(a && pktpool_free(p, a) == 0);
	pid = fork();
	if (pid == 0) {
		pktpool_set_error_handler(p, quiet_fn, NULL);
		_exit(pktpool_free(p, a) == -EALREADY ? 0 : 1);
	}
	waitpid(pid, &st, 0);
	ok(WIFEXITED(st) && WEXITSTATUS(st) == 0,
	   "debug: another process's double free is -EALREADY");
	elog.count = 0;
	b = pktpool_alloc(p);
	ok(b == a && elog.count == 0,
	   "debug: the slot is still the owner's and cached: no report at alloc (%s)",
	   elog.count ? elog.msg : "none");
	ok(pktpool_free(p, b) == 0 && elog.count == 0,
	   "debug: the owner's real free still works");
	ok(pktpool_validate(p) == 0, "debug: validate after a foreign double free");
	pktpool_detach(p);
}

/* An attacher that gets in while the creator lays the region out. */
static char race_name[32];
static _Atomic int race_done;
static struct pktpool *race_pool;

static void *race_create(void *arg)
{
	struct pktpool_config cfg = {
		.name = race_name, .slot_size = 2048, .slot_count = 8192,
		.flags = PKTPOOL_F_DEBUG,
	};

	*(int *)arg = pktpool_create(&cfg, &race_pool);
	atomic_store(&race_done, 1);
	return NULL;
}

static void test_debug_attach_during_create(void)
{
	static unsigned char *got[8192];
	struct pktpool *b = NULL;
	pthread_t th;
	int err = -1, i, n = 0, broken = 0;

	snprintf(race_name, sizeof(race_name), "t-dbgrace-%d", (int)getpid());
	pthread_create(&th, NULL, race_create, &err);
	while (pktpool_attach(race_name, 0, &b) != 0)
		if (atomic_load(&race_done) && err)
			break;
	elog.count = 0;
	if (b) {
		pktpool_set_error_handler(b, errlog_fn, &elog);
		while (n < 8192 && (got[n] = pktpool_alloc(b)))
			n++;
		/* from the end: towards a creator still poisoning upwards */
		for (i = n; i-- > 0;)
			memset(got[i], 0x11, 2048 - PKTPOOL_DEBUG_TRAILER);
	}
	pthread_join(th, NULL);
	for (i = 0; i < n; i++)
		broken += got[i][0] != 0x11 ||
			  got[i][2047 - PKTPOOL_DEBUG_TRAILER] != 0x11;
	ok(err == 0 && b && n == 8192 && broken == 0 && elog.count == 0,
	   "debug: an attacher racing the creator loses no data to poisoning and gets no false report (%d of %d slots overwritten, %d reports)",
	   broken, n, elog.count);
	pktpool_unlink(race_name);
	if (b)
		pktpool_detach(b);
	if (race_pool)
		pktpool_detach(race_pool);
}

int main(void)
{
	test_double_free_in_cache();
	test_use_after_free();
	test_bad_pointers();
	test_env_and_default_handler();
	test_debug_attach_inherits();
	test_debug_threads_churn();
	test_foreign_double_free();
	test_debug_attach_during_create();
	return tap_done();
}
