// SPDX-License-Identifier: MIT
/*
 * Visibility from outside (1.4): statistics reset, health against
 * thresholds, what each process holds, read-only handles, and the same
 * with hostile values written into the header, the process table and the
 * thread caches.
 */
#include <pthread.h>
#include <stdint.h>
#include <sys/wait.h>

#include "internal.h"
#include "util.h"

static struct errlog elog;

static struct pktpool__hdr *hdr_of(struct pktpool *p)
{
	return p->priv->hdr;
}

static void test_reset(void)
{
	struct pktpool *p = make_pool(256, 64, 0);
	struct pktpool_stats st, st2;
	void *held[64];
	int i, n = 0;

	require(p);
	while (n < 64 && (held[n] = pktpool_alloc(p)))
		n++;
	ok(n == 64 && pktpool_alloc(p) == NULL && pktpool_alloc(p) == NULL,
	   "reset: the region is exhausted");
	for (i = 0; i < 60; i++)
		pktpool_free(p, held[--n]);
	pktpool_stats(p, &st);
	ok(st.failures == 2 && st.allocs == 64 && st.frees == 60 &&
	   st.peak == 64, "reset: before, 64 allocs, 60 frees, 2 failures, peak 64 (%llu %llu %llu %llu)",
	   (unsigned long long)st.allocs, (unsigned long long)st.frees,
	   (unsigned long long)st.failures, (unsigned long long)st.peak);
	ok(pktpool_stats_reset(p) == 0, "reset: pktpool_stats_reset() works");
	pktpool_stats(p, &st2);
	ok(st2.failures == 0 && st2.allocs == 0 && st2.frees == 0 &&
	   st2.errors == 0 && st2.reclaimed == 0,
	   "reset: the counters read 0 after it");
	ok(st2.in_use == st.in_use && st2.free == st.free &&
	   st2.cached == st.cached,
	   "reset: in use, free and cached stay as they were (%llu in use)",
	   (unsigned long long)st2.in_use);
	ok(st2.peak == 64 - st2.free && st2.peak < 64,
	   "reset: peak restarts from what is out now (%llu)",
	   (unsigned long long)st2.peak);
	for (i = 0; i < 3; i++)
		held[n++] = pktpool_alloc(p);
	pktpool_free(p, held[--n]);
	pktpool_stats(p, &st2);
	ok(st2.allocs == 3 && st2.frees == 1 && st2.failures == 0,
	   "reset: counting resumes from 0 (%llu allocs, %llu frees)",
	   (unsigned long long)st2.allocs, (unsigned long long)st2.frees);
	ok(pktpool_stats_reset(NULL) == -EINVAL,
	   "reset: a NULL handle is -EINVAL");
	while (n)
		pktpool_free(p, held[--n]);
	pktpool_detach(p);
	ok(pktpool_stats_reset(p) == -EBADF,
	   "reset: a detached handle is -EBADF");
}

/* A thread's counters live in its cache entry; a reset from another
 * thread must not lose what that thread counts afterwards. */
static struct pktpool *thr_pool;

static void *thr_allocs(void *arg)
{
	void *o[10];
	int i;

	(void)arg;
	for (i = 0; i < 10; i++)
		o[i] = pktpool_alloc(thr_pool);
	for (i = 0; i < 10; i++)
		pktpool_free(thr_pool, o[i]);
	return NULL;
}

static void test_reset_other_thread(void)
{
	struct pktpool_stats st;
	pthread_t th;

	thr_pool = make_pool(128, 256, 0);
	require(thr_pool);
	pthread_create(&th, NULL, thr_allocs, NULL);
	pthread_join(th, NULL);
	pktpool_stats_reset(thr_pool);
	pthread_create(&th, NULL, thr_allocs, NULL);
	pthread_join(th, NULL);
	pktpool_stats(thr_pool, &st);
	ok(st.allocs == 10 && st.frees == 10,
	   "reset: another thread's later counts are kept (%llu allocs, %llu frees)",
	   (unsigned long long)st.allocs, (unsigned long long)st.frees);
	pktpool_detach(thr_pool);
}

static void test_reset_hostile(void)
{
	struct pktpool *p = make_pool(128, 32, 0);
	struct pktpool_stats st;
	struct pktpool_health_report h;
	void *a;

	require(p);
	a = pktpool_alloc(p);
	hdr_of(p)->base_allocs = UINT64_MAX;
	hdr_of(p)->base_failures = UINT64_MAX - 1;
	hdr_of(p)->base_errors = 1ull << 63;
	hdr_of(p)->peak = UINT64_MAX;
	hdr_of(p)->reset_time = -5;
	pktpool_stats(p, &st);
	ok(st.allocs == 0 && st.failures == 0 && st.errors == 0,
	   "hostile bases above the counts read as 0, not wrapped");
	ok(st.peak == 32, "a hostile peak is clamped to the slot count");
	ok(pktpool_health(p, NULL, &h) >= 0 && h.stats_since == 0 &&
	   h.failures == 0, "a negative reset time reads as never");
	pktpool_stats_reset(p);
	pktpool_stats(p, &st);
	ok(st.allocs == 0 && st.peak == 32 - st.free && st.peak >= 1,
	   "a reset repairs hostile bases and the peak (peak %llu)",
	   (unsigned long long)st.peak);
	pktpool_free(p, a);
	pktpool_stats(p, &st);
	ok(st.frees == 1, "and counting goes on from there");
	pktpool_detach(p);
}

static void take(struct pktpool *p, void **held, int *n, int want)
{
	while (*n < want && (held[*n] = pktpool_alloc(p)))
		(*n)++;
}

static void test_health(void)
{
	struct pktpool_health_limits lim = { 50, 60 };
	struct pktpool *p = make_pool(64, 100, PKTPOOL_F_NOCACHE);
	struct pktpool_health_report h, before;
	void *held[100];
	int n = 0, lv;

	require(p);
	take(p, held, &n, 79);
	lv = pktpool_health(p, NULL, &h);
	ok(lv == PKTPOOL_HEALTH_LEVEL_OK && h.level == 0 && h.used == 79 &&
	   h.warn_pct == 80 && h.crit_pct == 95 && h.slot_count == 100,
	   "health: 79 of 100 slots out is OK by default (%d, used %llu)",
	   lv, (unsigned long long)h.used);
	take(p, held, &n, 80);
	lv = pktpool_health(p, NULL, &h);
	ok(lv == PKTPOOL_HEALTH_LEVEL_WARN && h.reasons == PKTPOOL_HEALTH_R_SLOTS,
	   "health: 80 of 100 is WARN, for the slots (%d, reasons %#x)", lv,
	   h.reasons);
	take(p, held, &n, 94);
	ok(pktpool_health(p, NULL, &h) == PKTPOOL_HEALTH_LEVEL_WARN,
	   "health: 94 of 100 is still WARN");
	take(p, held, &n, 95);
	ok(pktpool_health(p, NULL, &h) == PKTPOOL_HEALTH_LEVEL_CRIT,
	   "health: 95 of 100 is CRIT");
	while (n > 55)
		pktpool_free(p, held[--n]);
	ok(pktpool_health(p, &lim, &h) == PKTPOOL_HEALTH_LEVEL_WARN &&
	   h.warn_pct == 50 && h.crit_pct == 60,
	   "health: 55 of 100 with --warn 50 --crit 60 is WARN");
	lim.warn_pct = 0;	/* default warn 80 > crit 60: refused */
	ok(pktpool_health(p, &lim, &h) == -EINVAL,
	   "health: thresholds where warn would exceed crit are -EINVAL");
	memset(&before, 0x5a, sizeof(before));
	h = before;
	lim.warn_pct = 101;
	lim.crit_pct = 101;
	ok(pktpool_health(p, &lim, &h) == -EINVAL &&
	   !memcmp(&h, &before, sizeof(h)),
	   "health: a threshold over 100 is -EINVAL and fills in nothing");
	lim.warn_pct = 90;
	lim.crit_pct = 80;
	ok(pktpool_health(p, &lim, &h) == -EINVAL,
	   "health: warn above crit is -EINVAL");
	ok(pktpool_health(p, NULL, NULL) == -EINVAL &&
	   pktpool_health(NULL, NULL, &h) == -EINVAL,
	   "health: NULL arguments are -EINVAL");
	while (n)
		pktpool_free(p, held[--n]);
	ok(pktpool_health(p, NULL, &h) == PKTPOOL_HEALTH_LEVEL_OK && h.used == 0,
	   "health: an idle region is OK");
	take(p, held, &n, 100);
	ok(pktpool_alloc(p) == NULL, "health: the region ran out once");
	while (n)
		pktpool_free(p, held[--n]);
	ok(pktpool_health(p, NULL, &h) == PKTPOOL_HEALTH_LEVEL_WARN &&
	   h.reasons == PKTPOOL_HEALTH_R_FAILURES && h.failures == 1,
	   "health: a failed allocation since the reset makes it WARN");
	pktpool_stats_reset(p);
	ok(pktpool_health(p, NULL, &h) == PKTPOOL_HEALTH_LEVEL_OK &&
	   h.stats_since > 0 && h.resets == 1,
	   "health: OK again after a reset, which it dates");
	pktpool_set_error_handler(p, errlog_fn, &elog);
	pktpool_free(p, (char *)held[0] + 1);
	ok(pktpool_health(p, NULL, &h) == PKTPOOL_HEALTH_LEVEL_WARN &&
	   h.reasons == PKTPOOL_HEALTH_R_ERRORS && h.errors == 1,
	   "health: a reported error makes it WARN");
	pktpool_detach(p);
}

static void test_health_hostile(void)
{
	struct pktpool *p = make_pool(64, 100, PKTPOOL_F_NOCACHE);
	struct pktpool__hdr *hd;
	struct pktpool_health_report h;
	uint64_t lo;
	int i;

	require(p);
	hd = hdr_of(p);
	/* free count 0xffffffff: more than the region has */
	lo = atomic_load(&hd->head.lo);
	atomic_store(&hd->head.lo, lo | 0xffffffff00000000ull);
	ok(pktpool_health(p, NULL, &h) == PKTPOOL_HEALTH_LEVEL_OK && h.used == 0,
	   "health: a free count above the slot count reads as all free");
	atomic_store(&hd->head.lo, lo);
	for (i = 1; i < PKTPOOL_PROCS_MAX; i++)
		atomic_store(&hd->proc[i].state, 99u);
	ok(pktpool_health(p, NULL, &h) == PKTPOOL_HEALTH_LEVEL_CRIT &&
	   (h.reasons & PKTPOOL_HEALTH_R_PROCS) && h.procs == 63,
	   "health: a process table full (of junk) is CRIT for the processes");
	for (i = 1; i < PKTPOOL_PROCS_MAX; i++)
		atomic_store(&hd->proc[i].state, 0u);
	pktpool_detach(p);
}

static int find_proc(struct pktpool_proc_info *pi, int n, pid_t pid)
{
	int i;

	for (i = 0; i < n; i++)
		if (pi[i].pid == pid)
			return i;
	return -1;
}

static void test_procs(void)
{
	struct pktpool_proc_info pi[PKTPOOL_PROCS_MAX];
	struct pktpool *p = make_pool(128, 256, 0);
	int to_child[2], to_parent[2], n, me, ch, i;
	void *held[10];
	char c = 0;
	pid_t pid;

	require(p);
	for (i = 0; i < 10; i++)
		held[i] = pktpool_alloc(p);
	require(pipe(to_child) == 0 && pipe(to_parent) == 0);
	pid = fork();
	if (pid == 0) {
		void *o[3];

		for (i = 0; i < 3; i++)
			o[i] = pktpool_alloc(p);
		pktpool_flush_cache(p);
		(void)!write(to_parent[1], "a", 1);
		(void)!read(to_child[0], &c, 1);
		for (i = 0; i < 3; i++)
			pktpool_free(p, o[i]);
		pktpool_detach(p);
		_exit(0);
	}
	(void)!read(to_parent[0], &c, 1);
	n = pktpool_procs(p, pi, PKTPOOL_PROCS_MAX);
	me = find_proc(pi, n > 0 ? n : 0, getpid());
	ch = find_proc(pi, n > 0 ? n : 0, pid);
	ok(n == 2 && me >= 0 && ch >= 0,
	   "procs: both processes are listed with their pids (%d entries)", n);
	ok(me >= 0 && pi[me].held >= 10 && pi[me].held - pi[me].cached == 10 &&
	   pi[me].state == PKTPOOL_PROC_ALIVE && pi[me].threads == 1,
	   "procs: this process holds its 10 slots (+%llu cached)",
	   me >= 0 ? (unsigned long long)pi[me].cached : 0ull);
	ok(ch >= 0 && pi[ch].held == 3 && pi[ch].cached == 0,
	   "procs: the child holds its 3, none cached after a flush");
	ok(pktpool_procs(p, pi, 1) == 2,
	   "procs: a short array gets the count of all entries");
	ok(pktpool_procs(p, NULL, 0) == 2 && pktpool_procs(p, NULL, 1) == -EINVAL,
	   "procs: NULL with max 0 counts; NULL with max 1 is -EINVAL");
	(void)!write(to_child[1], "b", 1);
	waitpid(pid, NULL, 0);
	n = pktpool_procs(p, pi, PKTPOOL_PROCS_MAX);
	ok(n == 1 && pi[0].pid == getpid(),
	   "procs: a child that detached cleanly is gone from the list");
	for (i = 0; i < 10; i++)
		pktpool_free(p, held[i]);
	pktpool_detach(p);
}

static void test_procs_hostile(void)
{
	struct pktpool_proc_info pi[PKTPOOL_PROCS_MAX];
	struct pktpool *p = make_pool(128, 64, 0);
	struct pktpool__hdr *hd;
	void *a;
	int n, i, junk = -1;

	require(p);
	hd = hdr_of(p);
	a = pktpool_alloc(p);
	/* entry 40: a state no writer uses, a negative pid */
	atomic_store(&hd->proc[39].state, 200u);
	atomic_store(&hd->proc[39].pid, -7);
	/* a thread cache claiming 1000 slots for process 40 */
	atomic_store(&p->priv->tcache[31].owner, 40u);
	atomic_store(&p->priv->tcache[31].count, 1000u);
	/* a thread cache of an owner id beyond the table */
	atomic_store(&p->priv->tcache[30].owner, 1000u);
	n = pktpool_procs(p, pi, PKTPOOL_PROCS_MAX);
	for (i = 0; i < (n > 0 ? n : 0); i++)
		if (pi[i].id == 40)
			junk = i;
	ok(n == 2 && junk >= 0, "procs: the hostile entry is listed (%d)", n);
	ok(junk >= 0 && pi[junk].state == 0 && pi[junk].pid == 0 &&
	   pi[junk].cached == 0 && pi[junk].held == 0 && pi[junk].threads == 1,
	   "procs: its state, pid and cache count are clamped, not believed");
	atomic_store(&p->priv->tcache[31].owner, 0u);
	atomic_store(&p->priv->tcache[31].count, 0u);
	atomic_store(&p->priv->tcache[30].owner, 0u);
	atomic_store(&hd->proc[39].state, 0u);
	atomic_store(&hd->proc[39].pid, 0);
	pktpool_free(p, a);
	pktpool_detach(p);
}

/*
 * The depot's full magazines hold free slots (tagged free, off the shared
 * list): in use + cached + free must still be every slot, and health and
 * holdings must not count them as out.
 */
static void test_depot_counts(void)
{
	struct pktpool_proc_info pi[PKTPOOL_PROCS_MAX];
	struct pktpool_health_report h;
	struct pktpool *p = make_pool(128, 256, 0);
	struct pktpool_stats st;
	void *held[100];
	int i, n;

	require(p);
	pktpool_stats(p, &st);
	ok(st.free == 256 && st.in_use == 0 && st.cached == 0 && st.peak == 0,
	   "depot: a new region's slots are all free, magazines included (free %llu)",
	   (unsigned long long)st.free);
	for (i = 0; i < 100; i++)
		held[i] = pktpool_alloc(p);
	for (i = 0; i < 100; i++)
		pktpool_free(p, held[i]);
	for (i = 0; i < 10; i++)
		held[i] = pktpool_alloc(p);
	pktpool_stats(p, &st);
	ok(st.in_use + st.cached + st.free == 256 && st.in_use == 10 &&
	   st.peak >= 100 && st.peak <= 256,
	   "depot: after drains into magazines in use + cached + free is every slot (%llu + %llu + %llu, peak %llu)",
	   (unsigned long long)st.in_use, (unsigned long long)st.cached,
	   (unsigned long long)st.free, (unsigned long long)st.peak);
	n = pktpool_health(p, NULL, &h);
	ok(n == PKTPOOL_HEALTH_LEVEL_OK && h.used == st.in_use + st.cached,
	   "depot: health counts what is out, not the magazines (%llu)",
	   (unsigned long long)h.used);
	n = pktpool_procs(p, pi, PKTPOOL_PROCS_MAX);
	ok(n == 1 && pi[0].held == st.in_use + st.cached,
	   "depot: this process holds what is out (%llu)",
	   n == 1 ? (unsigned long long)pi[0].held : 0ull);
	for (i = 0; i < 10; i++)
		pktpool_free(p, held[i]);
	pktpool_detach(p);
}

static void test_rdonly(void)
{
	struct pktpool_config cfg = { .slot_size = 256, .slot_count = 32 };
	struct pktpool_proc_info pi[PKTPOOL_PROCS_MAX];
	struct pktpool_stats st, rst;
	struct pktpool_health_report h;
	struct pktpool *p = NULL, *r = NULL;
	char name[32];
	void *a, *b;
	uint32_t idx;
	int err;

	snprintf(name, sizeof(name), "t-vis-ro-%d", (int)getpid());
	cfg.name = name;
	err = pktpool_create(&cfg, &p);
	if (err == -ENODEV || err == -EOPNOTSUPP)
		tap_skip_all("backend not available");
	require(err == 0);
	a = pktpool_alloc(p);
	ok(pktpool_attach(name, PKTPOOL_F_RDONLY, &r) == 0,
	   "rdonly: attach read-only");
	require(r);
	pktpool_stats(p, &st);
	ok(pktpool_stats(r, &rst) == 0 && rst.in_use == st.in_use &&
	   rst.cached == st.cached && rst.allocs == st.allocs &&
	   rst.procs == 1,
	   "rdonly: it sees the same statistics, and takes no process entry");
	ok(pktpool_procs(r, pi, PKTPOOL_PROCS_MAX) == 1 &&
	   pi[0].pid == getpid(), "rdonly: procs lists only the writer");
	ok(pktpool_health(r, NULL, &h) == PKTPOOL_HEALTH_LEVEL_OK,
	   "rdonly: health works");
	errno = 0;
	b = pktpool_alloc(r);
	ok(b == NULL && errno == EPERM, "rdonly: alloc is refused with EPERM");
	ok(pktpool_free(r, a) == -EPERM && pktpool_adopt(r, a) == -EPERM &&
	   pktpool_alloc_idx(r, &idx) == -EPERM &&
	   pktpool_free_idx(r, 0) == -EPERM,
	   "rdonly: free, adopt and the index calls are refused with -EPERM");
	ok(pktpool_stats_reset(r) == -EPERM &&
	   pktpool_reclaim(r, 0, 0) == -EPERM &&
	   pktpool_flush_cache(r) == -EPERM,
	   "rdonly: reset, reclaim and flush are refused with -EPERM");
	ok(pktpool_validate(r) == -EPERM,
	   "rdonly: validate is refused with -EPERM (its head snapshot is a CAS)");
	ok(pktpool_usable_size(r) == 256, "rdonly: usable size is the slot size");
	pktpool_detach(r);
	setenv("PKTPOOL_DEBUG", "1", 1);
	r = NULL;
	ok(pktpool_attach(name, PKTPOOL_F_RDONLY, &r) == 0 &&
	   pktpool_usable_size(r) == 256,
	   "rdonly: PKTPOOL_DEBUG does not make a read-only look debug mode");
	unsetenv("PKTPOOL_DEBUG");
	ok(pktpool_free(p, a) == 0, "rdonly: the writer's slot is still its own");
	ok(pktpool_detach(r) == 0, "rdonly: detach");
	ok(pktpool_attach(name, PKTPOOL_F_RDONLY | (1u << 9), &r) == -EINVAL,
	   "rdonly: unknown flags beside it are -EINVAL");
	ok(pktpool_attach("t-vis-nothing-here", PKTPOOL_F_RDONLY, &r) == -ENOENT,
	   "rdonly: a missing name is -ENOENT");
	/* a header that does not match: refused, not believed */
	hdr_of(p)->slot_count = 33;
	r = NULL;
	err = pktpool_attach(name, PKTPOOL_F_RDONLY, &r);
	ok(err == -EUCLEAN && r == NULL,
	   "rdonly: a header whose geometry does not reproduce the size is -EUCLEAN (%s)",
	   pktpool_strerror(err));
	hdr_of(p)->slot_count = 32;
	pktpool_unlink(name);
	pktpool_detach(p);
	cfg.flags = PKTPOOL_F_RDONLY;
	cfg.name = NULL;
	ok(pktpool_create(&cfg, &p) == -EINVAL,
	   "rdonly: pktpool_create() refuses the flag");
}

static void test_usable_size(void)
{
	struct pktpool *p = make_pool(128, 4, 0), *d = make_pool(128, 4,
							   PKTPOOL_F_DEBUG);

	require(p && d);
	ok(pktpool_usable_size(p) == 128, "usable size: the slot size");
	ok(pktpool_usable_size(d) == 128 - PKTPOOL_DEBUG_TRAILER,
	   "usable size: debug mode keeps 32 bytes");
	ok(pktpool_usable_size(NULL) == 0, "usable size: NULL handle gives 0");
	pktpool_detach(p);
	pktpool_detach(d);
	ok(pktpool_usable_size(p) == 0, "usable size: detached handle gives 0");
}

int main(void)
{
	if (getenv("PKTPOOL_DEBUG") && strcmp(getenv("PKTPOOL_DEBUG"), "0"))
		tap_skip_all("PKTPOOL_DEBUG set: these tests count slot sizes");
	test_reset();
	test_reset_other_thread();
	test_reset_hostile();
	test_health();
	test_health_hostile();
	test_procs();
	test_procs_hostile();
	test_depot_counts();
	test_rdonly();
	test_usable_size();
	return tap_done();
}
