// SPDX-License-Identifier: MIT
/*
 * Pool sets, growth and shrink: a class that runs out adds regions by the
 * policy up to grow_max and no further; trim gives idle added regions
 * back and keeps busy ones; another process sees regions added after it
 * attached (by reference) and a region leaves the set only when no
 * process has it attached; threads growing one set at once.
 */
#include <pthread.h>
#include <sys/wait.h>

#include "util.h"

static struct pktpool_set *grow_set(const char *name, uint32_t count,
				    uint32_t max, uint32_t step,
				    uint32_t factor)
{
	struct pktpool_set_config cfg = {
		.name = name, .nclasses = 2, .grow_max = max,
		.grow_step = step, .grow_factor = factor,
		.cls = { { 64, count }, { 1024, count } },
	};
	struct pktpool_set *s = NULL;
	int err = pktpool_set_create(&cfg, &s);

	if (err == -ENODEV || err == -EOPNOTSUPP)
		tap_skip_all("backend not available");
	if (err)
		diag("pktpool_set_create: %s", pktpool_strerror(err));
	return s;
}

static struct pktpool_set_class_info info(struct pktpool_set *s,
					  unsigned int c)
{
	struct pktpool_set_class_info ci;

	memset(&ci, 0xff, sizeof(ci));
	pktpool_set_class_info(s, c, &ci);
	return ci;
}

/* Whether the region NAME-SERIAL exists, on either backend (a kernel
 * region is no file): attach it for a moment. */
static bool region_named(const char *set, unsigned int serial)
{
	char name[PKTPOOL_NAME_MAX];
	struct pktpool *p;

	snprintf(name, sizeof(name), "%s-%x", set, serial);
	if (pktpool_attach(name, 0, &p))
		return false;
	pktpool_detach(p);
	return true;
}

static void test_growth(const char *name)
{
	struct pktpool_set *s = grow_set(name, 4, 3, 4, 2);
	void *o[17];
	int i, got = 0;

	require(s);
	/* regions of 4, then 4 (step), then 8 (factor 2): 16 slots */
	for (i = 0; i < 16; i++)
		got += (o[i] = pktpool_set_alloc(s, 100)) != NULL;
	ok(got == 16, "growth: a class that runs out adds regions (16 slots)");
	ok(info(s, 1).regions == 3 && info(s, 1).slot_count == 16,
	   "growth: regions of 4, 4 (step) and 8 (factor 2)");
	ok(info(s, 0).regions == 1, "growth: other classes did not grow");
	ok(region_named(name, 2) && region_named(name, 3),
	   "growth: added regions are NAME-SERIAL");
	errno = 0;
	o[16] = pktpool_set_alloc(s, 100);
	ok(!o[16] && errno == ENOMEM && info(s, 1).regions == 3,
	   "growth: past grow_max is ENOMEM, no region added");
	ok(info(s, 1).failures > 0, "growth: the failures are counted");

	/* busy regions stay */
	ok(pktpool_set_trim(s) == 0 && info(s, 1).regions == 3,
	   "trim: regions with slots in use stay");
	for (i = 4; i < 16; i++)
		pktpool_set_free(s, o[i]);
	got = pktpool_set_trim(s);
	ok(got == 2 && info(s, 1).regions == 1 && info(s, 1).slot_count == 4,
	   "trim: idle added regions go, the first stays (%d)", got);
	ok(!region_named(name, 2) && !region_named(name, 3),
	   "trim: their names are removed");
	ok(info(s, 1).in_use == 4, "trim: slots of the first region untouched");
	for (i = 0; i < 4; i++)
		pktpool_set_free(s, o[i]);
	ok(pktpool_set_trim(s) == 0 && info(s, 1).regions == 1,
	   "trim: a class's first region is never trimmed");
	/* and it grows again, with new serials */
	got = 0;
	for (i = 0; i < 6; i++)
		got += (o[i] = pktpool_set_alloc(s, 1000)) != NULL;
	ok(got == 6 && info(s, 1).regions == 2 && region_named(name, 4) &&
	   !region_named(name, 2),
	   "growth: after a trim it grows again under a new serial");
	for (i = 0; i < 6; i++)
		pktpool_set_free(s, o[i]);
	pktpool_set_detach(s);
	pktpool_set_unlink(name);
}

static void test_anonymous_growth(void)
{
	struct pktpool_set *s = grow_set(NULL, 2, 2, 0, 0);
	void *o[5];
	int i, got = 0;

	require(s);
	for (i = 0; i < 4; i++)
		got += (o[i] = pktpool_set_alloc(s, 10)) != NULL;
	errno = 0;
	o[4] = pktpool_set_alloc(s, 10);
	ok(got == 4 && !o[4] && errno == ENOMEM && info(s, 0).regions == 2,
	   "anonymous: grows to grow_max (step 0: the class's count), then ENOMEM");
	for (i = 0; i < 4; i++)
		pktpool_set_free(s, o[i]);
	ok(pktpool_set_trim(s) == 1 && info(s, 0).regions == 1,
	   "anonymous: trim gives the added region back");
	pktpool_set_detach(s);
}

/*
 * Another process: attached before the set grew, it gets a reference to
 * a slot of an added region, attaches that region, frees the slot. Then
 * trim: the parent's trim only lets go (the child still has it), the
 * child's trim, alone, removes it from the set.
 */
static void test_other_process(const char *name)
{
	struct pktpool_set *s = grow_set(name, 2, 3, 2, 1);
	int to_child[2], to_parent[2], st;
	uint64_t ref;
	void *o[4];
	char ack;
	pid_t pid;
	int i;

	require(s);
	require(pipe(to_child) == 0 && pipe(to_parent) == 0);
	pid = fork();
	require(pid >= 0);
	if (pid == 0) {
		struct pktpool_set *c;
		void *p;

		if (pktpool_set_attach(name, 0, &c))
			_exit(2);
		if (write(to_parent[1], "a", 1) != 1 ||
		    read(to_child[0], &ref, sizeof(ref)) != sizeof(ref))
			_exit(3);
		if (pktpool_set_ref_to_ptr(c, ref, &p) ||
		    *(volatile uint32_t *)p != 0xfeedu ||
		    pktpool_set_free(c, p))
			_exit(4);
		if (write(to_parent[1], "f", 1) != 1 ||
		    read(to_child[0], &ack, 1) != 1)
			_exit(5);
		/* alone now: the trim removes the region from the set */
		if (pktpool_set_trim(c) != 1)
			_exit(6);
		pktpool_set_detach(c);
		_exit(0);
	}
	ok(read(to_parent[0], &ack, 1) == 1, "processes: child attached");
	for (i = 0; i < 4; i++)
		o[i] = pktpool_set_alloc(s, 8);
	require(o[3]);
	*(uint32_t *)o[3] = 0xfeedu;
	ok(info(s, 0).regions == 2 && pktpool_set_ptr_to_ref(s, o[3], &ref) == 0,
	   "processes: the parent grew after the child attached");
	require(write(to_child[1], &ref, sizeof(ref)) == sizeof(ref));
	ok(read(to_parent[0], &ack, 1) == 1 && ack == 'f',
	   "processes: the child attached the new region and freed the slot");
	ok(info(s, 0).in_use == 3, "processes: the parent sees the free");
	pktpool_set_free(s, o[2]);
	ok(pktpool_set_trim(s) == 1 && region_named(name, 2),
	   "processes: trim with another process attached lets go, keeps the name");
	require(write(to_child[1], "t", 1) == 1);
	waitpid(pid, &st, 0);
	ok(WIFEXITED(st) && WEXITSTATUS(st) == 0,
	   "processes: the child, alone, trimmed it (exit %d)",
	   WIFEXITED(st) ? WEXITSTATUS(st) : -1);
	ok(!region_named(name, 2), "processes: then the region left the set");
	/* the parent follows: the class grows again under a new serial */
	o[2] = pktpool_set_alloc(s, 8);
	o[3] = pktpool_set_alloc(s, 8);
	ok(o[3] && info(s, 0).regions == 2 && region_named(name, 3),
	   "processes: the parent grows again after the child's trim");
	for (i = 0; i < 4; i++)
		pktpool_set_free(s, o[i]);
	pktpool_set_detach(s);
	pktpool_set_unlink(name);
	close(to_child[0]); close(to_child[1]);
	close(to_parent[0]); close(to_parent[1]);
}

#define NTHREADS 4
#define PER_THREAD 40

static struct pktpool_set *shared;
static void *held[NTHREADS][PER_THREAD];

static void *grower(void *arg)
{
	long t = (long)arg;
	int i;

	for (i = 0; i < PER_THREAD; i++)
		held[t][i] = pktpool_set_alloc(shared, (size_t)(i % 2) ? 64 : 512);
	return NULL;
}

static int cmp_ptr(const void *a, const void *b)
{
	uintptr_t x = *(const uintptr_t *)a, y = *(const uintptr_t *)b;

	return x < y ? -1 : x > y;
}

static void test_threads(const char *name)
{
	pthread_t th[NTHREADS];
	uintptr_t all[NTHREADS * PER_THREAD];
	int i, j, n = 0, dup = 0, frees = 0;
	long t;

	struct pktpool_set_config cfg = {
		.name = name, .nclasses = 2, .grow_max = 8,
		/* no thread caches: a slot another thread caches would make
		 * the count below depend on timing */
		.flags = PKTPOOL_F_NOCACHE,
		.cls = { { 64, 8 }, { 512, 8 } },
	};

	require(pktpool_set_create(&cfg, &shared) == 0);
	for (t = 0; t < NTHREADS; t++)
		pthread_create(&th[t], NULL, grower, (void *)t);
	for (t = 0; t < NTHREADS; t++)
		pthread_join(th[t], NULL);
	for (i = 0; i < NTHREADS; i++)
		for (j = 0; j < PER_THREAD; j++)
			if (held[i][j])
				all[n++] = (uintptr_t)held[i][j];
	qsort(all, (size_t)n, sizeof(all[0]), cmp_ptr);
	for (i = 1; i < n; i++)
		dup += all[i] == all[i - 1];
	/* 80 of each class fit in 8 regions of 8 (64 per class): 128 */
	ok(n == 128 && dup == 0,
	   "threads: concurrent growth, every slot handed out once (%d)", n);
	ok(info(shared, 0).regions == 8 && info(shared, 1).regions == 8,
	   "threads: both classes grew to grow_max");
	for (i = 0; i < NTHREADS; i++)
		for (j = 0; j < PER_THREAD; j++)
			frees += pktpool_set_free(shared, held[i][j]) == 0;
	ok(frees == NTHREADS * PER_THREAD, "threads: every slot freed");
	ok(pktpool_set_trim(shared) == 14, "threads: trim gives back all 14 added");
	pktpool_set_detach(shared);
	pktpool_set_unlink(name);
}

/*
 * A fork child uses the set handle it inherited: its growth takes the
 * descriptor's lock on a file of its own (an OFD lock shared with the
 * parent would not exclude it), and the parent sees the new region.
 */
static void test_forked_child(const char *name)
{
	struct pktpool_set *s = grow_set(name, 2, 3, 2, 1);
	int st, i;
	pid_t pid;

	require(s);
	pid = fork();
	require(pid >= 0);
	if (pid == 0) {
		void *o[4];

		for (i = 0; i < 4; i++)
			if (!(o[i] = pktpool_set_alloc(s, 8)))
				_exit(2);
		if (info(s, 0).regions != 2)
			_exit(3);
		for (i = 0; i < 4; i++)
			pktpool_set_free(s, o[i]);
		_exit(0);
	}
	waitpid(pid, &st, 0);
	ok(WIFEXITED(st) && WEXITSTATUS(st) == 0,
	   "fork: the child grows the inherited set (exit %d)",
	   WIFEXITED(st) ? WEXITSTATUS(st) : -1);
	ok(info(s, 0).regions == 2 && region_named(name, 2),
	   "fork: the parent sees the region the child added");
	pktpool_set_detach(s);
	pktpool_set_unlink(name);
}

int main(void)
{
	char name[32];

	snprintf(name, sizeof(name), "t-grow-%d", (int)getpid());
	pktpool_set_unlink(name);
	test_growth(name);
	test_anonymous_growth();
	test_other_process(name);
	test_threads(name);
	test_forked_child(name);
	return tap_done();
}
