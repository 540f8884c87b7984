// SPDX-License-Identifier: MIT
/*
 * The region's summary for netlink readers (uapi struct
 * pktpool_region_lib): what is published when, that it says what
 * pktpool_stats() and pktpool_procs() say, the interval between
 * publications from the slow paths, and hostile stamps and values.
 */
#include <stdint.h>
#include <sys/wait.h>
#include <time.h>
#include <linux/pktpool.h>

#include "internal.h"
#include "util.h"

static struct pktpool_region_lib *lib_of(struct pktpool *p)
{
	return (struct pktpool_region_lib *)((unsigned char *)p->priv->hdr +
					     PKTPOOL_REGION_LIB_OFF);
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* Up to n allocations, into held; stops at the first failure. Returns
 * how many. More than a thread cache holds means refills: slow paths. */
static int alloc_some(struct pktpool *p, void **held, int n)
{
	int k = 0;

	while (k < n && (held[k] = pktpool_alloc(p)))
		k++;
	return k;
}

static void free_all(struct pktpool *p, void **held, int n)
{
	while (n)
		pktpool_free(p, held[--n]);
}

static void test_create_publishes(void)
{
	struct pktpool *p = make_pool(256, 64, 0);
	struct pktpool_region_lib *s;

	require(p);
	s = lib_of(p);
	ok(s->version == PKTPOOL_REGION_LIB_VERSION && s->time_ns != 0,
	   "create: the summary is published at once (version %u)",
	   s->version);
	ok(s->free == 64 && s->in_use == 0 && s->cached == 0 && s->procs == 1,
	   "create: it says 64 free, none in use, one process (%llu free)",
	   (unsigned long long)s->free);
	ok(p->owner >= 1 && p->owner <= PKTPOOL_PROCS_MAX &&
	   s->proc[p->owner - 1].pid == getpid() &&
	   s->proc[p->owner - 1].held == 0 && s->procs_time_ns != 0,
	   "create: the creator's process entry is there, holding nothing");
	pktpool_detach(p);
}

static void test_publish_matches_stats(void)
{
	struct pktpool *p = make_pool(128, 256, 0);
	struct pktpool_region_lib *s;
	struct pktpool_stats st;
	void *held[40];
	int n;

	require(p);
	s = lib_of(p);
	n = alloc_some(p, held, 40);
	ok(n == 40, "publish: 40 allocations");
	ok(pktpool_stats_publish(p) == 0, "publish: pktpool_stats_publish() works");
	pktpool_stats(p, &st);
	ok(s->in_use == st.in_use && s->cached == st.cached &&
	   s->free == st.free && s->peak == st.peak &&
	   s->allocs == st.allocs && s->frees == st.frees &&
	   s->failures == st.failures && s->threads == st.threads &&
	   s->procs == st.procs,
	   "publish: the summary says what pktpool_stats() says (%llu in use, %llu cached)",
	   (unsigned long long)s->in_use, (unsigned long long)s->cached);
	ok(s->in_use == 40 && s->allocs == 40,
	   "publish: 40 in use, 40 allocations");
	ok(s->proc[p->owner - 1].held == 40 + s->cached,
	   "publish: this process's entry holds its 40 and its cache (%u)",
	   s->proc[p->owner - 1].held);
	free_all(p, held, n);
	pktpool_stats_reset(p);
	ok(s->allocs == 0 && s->frees == 0 && s->in_use == 0,
	   "publish: a reset publishes the counters from 0");
	pktpool_detach(p);
}

static void test_tick_after_interval(void)
{
	struct pktpool *p = make_pool(128, 1024, 0);
	struct pktpool_region_lib *s;
	void *held[200];
	int n;

	require(p);
	s = lib_of(p);
	s->time_ns = 1;		/* long ago */
	s->allocs = 987654321;
	n = alloc_some(p, held, 200);
	ok(n == 200, "tick: 200 allocations, through several refills");
	ok(s->allocs != 987654321 && s->allocs <= 200 && s->allocs >= 1 &&
	   s->time_ns > 1,
	   "tick: a refill published the counters when the last were old (%llu allocs)",
	   (unsigned long long)s->allocs);
	s->time_ns = UINT64_MAX;	/* ahead of every clock */
	s->allocs = 987654321;
	free_all(p, held, n);
	ok(s->allocs != 987654321 && s->time_ns != UINT64_MAX,
	   "tick: a stamp in the future is stale, not a reason to stop publishing");
	pktpool_detach(p);
}

static void test_tick_throttled(void)
{
	struct pktpool *p = make_pool(128, 1024, 0);
	struct pktpool_region_lib *s;
	void *held[200];
	uint64_t t0, stamp;
	int n;

	require(p);
	s = lib_of(p);
	t0 = now_ms();
	pktpool_stats_publish(p);
	stamp = s->time_ns;
	s->allocs = 987654321;
	n = alloc_some(p, held, 200);
	if (now_ms() - t0 < PKTPOOL_REGION_LIB_MS / 2)
		ok(s->allocs == 987654321 && s->time_ns == stamp,
		   "throttle: refills within the interval publish nothing");
	else
		ok(1, "# SKIP throttle: the machine took over %d ms",
		   PKTPOOL_REGION_LIB_MS / 2);
	free_all(p, held, n);
	pktpool_detach(p);
}

static void test_hostile_summary(void)
{
	struct pktpool *p = make_pool(128, 256, 0);
	struct pktpool_region_lib *s;
	struct pktpool_stats st;
	void *held[50];
	int n;

	require(p);
	s = lib_of(p);
	memset(s, 0xff, sizeof(*s));
	n = alloc_some(p, held, 50);
	pktpool_stats(p, &st);
	ok(n == 50 && st.in_use == 50,
	   "hostile: a summary of 0xff bytes changes nothing the allocator does");
	ok(pktpool_stats_publish(p) == 0 &&
	   s->version == PKTPOOL_REGION_LIB_VERSION && s->in_use == 50 &&
	   s->proc[p->owner - 1].held == 50 + s->cached,
	   "hostile: the next publication writes it whole again");
	ok(s->proc[(p->owner % PKTPOOL_PROCS_MAX)].pid == 0 &&
	   s->proc[(p->owner % PKTPOOL_PROCS_MAX)].held == 0,
	   "hostile: entries of no process are cleared");
	free_all(p, held, n);
	pktpool_detach(p);
}

static void test_refused(void)
{
	struct pktpool_config cfg = { .slot_size = 256, .slot_count = 32 };
	struct pktpool *p = NULL, *r = NULL;
	struct pktpool_region_lib *s;
	uint64_t stamp;
	char name[32];
	int err;

	snprintf(name, sizeof(name), "t-pub-ro-%d", (int)getpid());
	cfg.name = name;
	err = pktpool_create(&cfg, &p);
	if (err == -ENODEV || err == -EOPNOTSUPP)
		tap_skip_all("backend not available");
	require(err == 0);
	require(pktpool_attach(name, PKTPOOL_F_RDONLY, &r) == 0);
	s = lib_of(p);
	stamp = s->time_ns;
	ok(pktpool_stats_publish(r) == -EPERM && s->time_ns == stamp,
	   "refused: a read-only handle gets -EPERM and writes nothing");
	ok(pktpool_stats_publish(NULL) == -EINVAL,
	   "refused: a NULL handle is -EINVAL");
	pktpool_detach(r);
	pktpool_unlink(name);
	pktpool_detach(p);
	ok(pktpool_stats_publish(p) == -EBADF,
	   "refused: a detached handle is -EBADF");
}

static int entry_of(struct pktpool_region_lib *s, pid_t pid)
{
	int i;

	for (i = 0; i < PKTPOOL_REGION_LIB_PROCS; i++)
		if (s->proc[i].pid == pid)
			return i;
	return -1;
}

static void test_attach_detach_publish(void)
{
	struct pktpool *p = make_pool(128, 256, 0);
	int to_child[2], to_parent[2], e;
	struct pktpool_region_lib *s;
	char c = 0;
	pid_t pid;

	require(p);
	s = lib_of(p);
	require(pipe(to_child) == 0 && pipe(to_parent) == 0);
	pid = fork();
	if (pid == 0) {
		void *o[3];
		int i;

		for (i = 0; i < 3; i++)
			o[i] = pktpool_alloc(p);
		pktpool_flush_cache(p);
		pktpool_stats_publish(p);
		(void)!write(to_parent[1], "a", 1);
		(void)!read(to_child[0], &c, 1);
		for (i = 0; i < 3; i++)
			pktpool_free(p, o[i]);
		pktpool_detach(p);
		_exit(0);
	}
	(void)!read(to_parent[0], &c, 1);
	e = entry_of(s, pid);
	ok(e >= 0 && s->proc[e].held == 3 && s->procs == 2,
	   "procs: a second process's entry holds its 3 slots");
	(void)!write(to_child[1], "b", 1);
	waitpid(pid, NULL, 0);
	ok(entry_of(s, pid) < 0 && s->procs == 1 && s->in_use == 0,
	   "procs: its detach published the summary without it");
	pktpool_detach(p);
}

int main(void)
{
	if (getenv("PKTPOOL_DEBUG") && strcmp(getenv("PKTPOOL_DEBUG"), "0"))
		tap_skip_all("PKTPOOL_DEBUG set: these tests count slots");
	test_create_publishes();
	test_publish_matches_stats();
	test_tick_after_interval();
	test_tick_throttled();
	test_hostile_summary();
	test_refused();
	test_attach_detach_publish();
	return tap_done();
}
