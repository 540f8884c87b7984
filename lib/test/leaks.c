// SPDX-License-Identifier: MIT
/*
 * Leak hunting in debug mode: every slot out carries who allocated it
 * (pid, tid, call site, time), pktpool_objects() lists them from any
 * handle, read-only ones too; guard bytes after the usable size catch an
 * overrun at free, which quarantines the slot. Hostile records and state
 * bytes are not believed.
 */
#include <pthread.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>

#include "internal.h"
#include "util.h"

static struct errlog elog;

/* The call sites the records must point into. */
static __attribute__((noinline)) void *alloc_here(struct pktpool *p)
{
	void *o = pktpool_alloc(p);

	__asm__ __volatile__("" ::: "memory");	/* not a tail call */
	return o;
}

static __attribute__((noinline)) int bulk_here(struct pktpool *p, void **o,
					       unsigned int n)
{
	int k = pktpool_alloc_bulk(p, o, n);

	__asm__ __volatile__("" ::: "memory");
	return k;
}

static __attribute__((noinline)) int idx_here(struct pktpool *p,
					      uint32_t *idx)
{
	int err = pktpool_alloc_idx(p, idx);

	__asm__ __volatile__("" ::: "memory");
	return err;
}

static __attribute__((noinline)) int idx_bulk_here(struct pktpool *p,
						   uint32_t *idx,
						   unsigned int n)
{
	int k = pktpool_alloc_idx_bulk(p, idx, n);

	__asm__ __volatile__("" ::: "memory");
	return k;
}

static __attribute__((noinline)) void *set_here(struct pktpool_set *s,
						size_t n)
{
	void *o = pktpool_set_alloc(s, n);

	__asm__ __volatile__("" ::: "memory");
	return o;
}

static __attribute__((noinline)) void *calloc_here(struct pktpool_set *s,
						   size_t n)
{
	void *o = pktpool_set_calloc(s, 1, n);

	__asm__ __volatile__("" ::: "memory");
	return o;
}

/* Within the first 4 KiB of fn: sanitizer builds make bodies long. */
static bool site_in(uint64_t site, void *fn)
{
	return site > (uintptr_t)fn && site < (uintptr_t)fn + 4096;
}

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);	/* as the records */
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int find_obj(struct pktpool_object *o, int n, uint32_t idx)
{
	int i;

	for (i = 0; i < n; i++)
		if (o[i].idx == idx)
			return i;
	return -1;
}

static uint32_t idx_of(struct pktpool *p, void *obj)
{
	uint32_t i = UINT32_MAX;

	pktpool_ptr_to_idx(p, obj, &i);
	return i;
}

static void test_records(void)
{
	struct pktpool *p = make_pool(256, 64, PKTPOOL_F_DEBUG);
	struct pktpool_object o[64];
	uint64_t before, after;
	void *a, *b[3];
	uint32_t ix;
	int n, k;

	require(p);
	before = mono_ns();
	a = alloc_here(p);
	after = mono_ns();
	n = pktpool_objects(p, 0, o, 64);
	k = find_obj(o, n > 0 ? n : 0, idx_of(p, a));
	ok(n == 1 && k == 0, "objects: the one slot out is listed (%d)", n);
	ok(k == 0 && (o[0].flags & PKTPOOL_OBJ_RECORD) &&
	   o[0].pid == getpid() && o[0].holder_pid == getpid() &&
	   o[0].tid == (pid_t)syscall(SYS_gettid) && o[0].owner >= 1,
	   "objects: with this process and thread as allocator and holder");
	ok(k == 0 && site_in(o[0].site, (void *)alloc_here),
	   "objects: the call site is in the function that called pktpool_alloc() (%#llx, function at %p)",
	   (unsigned long long)o[0].site, (void *)alloc_here);
	ok(k == 0 && o[0].alloc_ns >= before && o[0].alloc_ns <= after &&
	   o[0].flags == PKTPOOL_OBJ_RECORD,
	   "objects: allocated between the two clock reads, guard intact");
	ok(bulk_here(p, b, 3) == 3, "objects: a bulk alloc");
	n = pktpool_objects(p, 0, o, 64);
	k = find_obj(o, n > 0 ? n : 0, idx_of(p, b[2]));
	ok(n == 4 && k >= 0 && site_in(o[k].site, (void *)bulk_here),
	   "objects: a bulk alloc records its caller too");
	ok(idx_here(p, &ix) == 0, "objects: an index alloc");
	n = pktpool_objects(p, 0, o, 64);
	k = find_obj(o, n > 0 ? n : 0, ix);
	ok(n == 5 && k >= 0 && site_in(o[k].site, (void *)idx_here),
	   "objects: pktpool_alloc_idx() records its caller too");
	{
		uint32_t ixb[2];

		ok(idx_bulk_here(p, ixb, 2) == 2,
		   "objects: an index bulk alloc");
		n = pktpool_objects(p, 0, o, 64);
		k = find_obj(o, n > 0 ? n : 0, ixb[1]);
		ok(n == 7 && k >= 0 && site_in(o[k].site, (void *)idx_bulk_here),
		   "objects: pktpool_alloc_idx_bulk() records its caller too");
		require(pktpool_free_idx_bulk(p, ixb, 2) == 0);
	}
	ok(pktpool_objects(p, 0, o, 2) == 2,
	   "objects: at most max are written");
	k = pktpool_objects(p, 0, o, 2);
	ok(k == 2 && pktpool_objects(p, o[1].idx + 1, o, 64) == 3,
	   "objects: the rest follows from the last index + 1");
	ok(pktpool_objects(p, 64, o, 64) == 0 &&
	   pktpool_objects(p, UINT32_MAX, o, 64) == 0,
	   "objects: a start past the end lists nothing");
	ok(pktpool_objects(p, 0, NULL, 1) == -EINVAL &&
	   pktpool_objects(NULL, 0, o, 1) == -EINVAL &&
	   pktpool_objects(p, 0, NULL, 0) == 0,
	   "objects: NULL arguments are -EINVAL (NULL with max 0 is 0)");
	pktpool_free(p, a);
	pktpool_free_bulk(p, b, 3);
	pktpool_free_idx(p, ix);
	ok(pktpool_objects(p, 0, o, 64) == 0,
	   "objects: nothing is listed once everything is freed");
	pktpool_detach(p);
}

static struct pktpool *thr_pool;
static void *thr_obj;
static pid_t thr_tid;

static void *thr_alloc(void *arg)
{
	(void)arg;
	thr_tid = (pid_t)syscall(SYS_gettid);
	thr_obj = alloc_here(thr_pool);
	return NULL;
}

static void test_thread_and_process(void)
{
	struct pktpool_config cfg = { .slot_size = 128, .slot_count = 32,
				      .flags = PKTPOOL_F_DEBUG };
	struct pktpool_object o[32];
	struct pktpool *p = NULL, *r = NULL;
	int to_parent[2], to_child[2], n, k;
	char name[32], c;
	pthread_t th;
	pid_t pid;

	snprintf(name, sizeof(name), "t-leaks-%d", (int)getpid());
	cfg.name = name;
	require(pktpool_create(&cfg, &p) == 0);
	thr_pool = p;
	pthread_create(&th, NULL, thr_alloc, NULL);
	pthread_join(th, NULL);
	n = pktpool_objects(p, 0, o, 32);
	ok(n == 1 && o[0].tid == thr_tid && o[0].tid != getpid(),
	   "objects: another thread's alloc records that thread");
	require(pipe(to_parent) == 0 && pipe(to_child) == 0);
	pid = fork();
	if (pid == 0) {
		struct pktpool *q;

		if (pktpool_attach(name, 0, &q) || !alloc_here(q))
			_exit(1);
		(void)!write(to_parent[1], "a", 1);
		(void)!read(to_child[0], &c, 1);
		_exit(0);	/* leaks its slot */
	}
	(void)!read(to_parent[0], &c, 1);
	require(pktpool_attach(name, PKTPOOL_F_RDONLY, &r) == 0);
	n = pktpool_objects(r, 0, o, 32);
	k = n == 2 ? (o[0].pid == pid ? 0 : 1) : -1;
	ok(n == 2 && k >= 0 && o[k].pid == pid && o[k].holder_pid == pid &&
	   o[k].tid == pid && (o[k].flags & PKTPOOL_OBJ_RECORD),
	   "objects: a read-only handle lists another process's slot with its pid and tid");
	(void)!write(to_child[1], "b", 1);
	waitpid(pid, NULL, 0);
	ok(pktpool_objects(r, 0, o, 32) == 2,
	   "objects: a dead process's slot is still listed (leaked)");
	ok(pktpool_reclaim(p, pid, 0) >= 1 &&
	   pktpool_objects(r, 0, o, 32) == 1,
	   "objects: reclaim returns it and the list shrinks");
	pktpool_free(p, thr_obj);
	pktpool_detach(r);
	pktpool_unlink(name);
	pktpool_detach(p);
}

static void test_guard(void)
{
	struct pktpool *p = make_pool(256, 8, PKTPOOL_F_DEBUG);
	struct pktpool_object o[8];
	struct pktpool_stats st;
	uint32_t usable, bad;
	unsigned char *a, *got[8];
	int n = 0, k, i, hit = 0;

	require(p);
	pktpool_set_error_handler(p, errlog_fn, &elog);
	usable = pktpool_usable_size(p);
	a = alloc_here(p);
	memset(a, 0x33, usable);
	elog.count = 0;
	ok(pktpool_free(p, a) == 0 && elog.count == 0,
	   "guard: writing exactly the usable %u bytes is fine", usable);
	a = alloc_here(p);
	bad = idx_of(p, a);
	memset(a, 0x33, usable + 1);	/* one byte over */
	elog.count = 0;
	ok(pktpool_free(p, a) == -EBADMSG && elog.count == 1 &&
	   elog.last == -EBADMSG && strstr(elog.msg, "overrun") &&
	   strstr(elog.msg, "byte 0"),
	   "guard: one byte over is reported at free as -EBADMSG (%s)",
	   elog.msg);
	pktpool_stats(p, &st);
	ok(st.errors >= 1 && st.in_use == 1,
	   "guard: counted as an error; the slot stays out");
	n = pktpool_objects(p, 0, o, 8);
	ok(n == 1 && o[0].idx == bad &&
	   (o[0].flags & (PKTPOOL_OBJ_OVERRUN | PKTPOOL_OBJ_QUARANTINED |
			  PKTPOOL_OBJ_RECORD)) ==
	   (PKTPOOL_OBJ_OVERRUN | PKTPOOL_OBJ_QUARANTINED | PKTPOOL_OBJ_RECORD) &&
	   site_in(o[0].site, (void *)alloc_here),
	   "guard: the quarantined slot is listed as overrun, with its allocator");
	elog.count = 0;
	ok(pktpool_free(p, a) == -EBADMSG && elog.count == 1,
	   "guard: freeing it again is refused again");
	n = 0;
	while (n < 8 && (got[n] = pktpool_alloc(p)))
		n++;
	for (i = 0; i < n; i++)
		hit |= got[i] == a;
	ok(n == 7 && !hit,
	   "guard: the quarantined slot is never handed out again (%d of 8)", n);
	for (i = 0; i < n; i++)
		pktpool_free(p, got[i]);
	/* an overrun seen from outside before any free */
	a = alloc_here(p);
	a[usable + 3] = 0;
	n = pktpool_objects(p, 0, o, 8);
	k = find_obj(o, n > 0 ? n : 0, idx_of(p, a));
	ok(k >= 0 && (o[k].flags & PKTPOOL_OBJ_OVERRUN) &&
	   !(o[k].flags & PKTPOOL_OBJ_QUARANTINED),
	   "guard: pktpool_objects() shows an overrun not yet freed");
	ok(pktpool_free(p, a) == -EBADMSG, "guard: and its free catches it");
	pktpool_detach(p);
}

/* A quarantined slot comes back once its holder is gone. */
static void test_quarantine_reclaim(void)
{
	struct pktpool *p = make_pool(128, 4, PKTPOOL_F_DEBUG);
	void *got[4];
	int n = 0;
	pid_t pid;

	require(p);
	pktpool_set_error_handler(p, errlog_fn, &elog);
	pid = fork();
	if (pid == 0) {
		unsigned char *a;

		pktpool_set_error_handler(p, quiet_fn, NULL);
		a = pktpool_alloc(p);
		if (!a)
			_exit(1);
		memset(a, 1, 128);
		_exit(pktpool_free(p, a) == -EBADMSG ? 0 : 2);
	}
	waitpid(pid, NULL, 0);
	ok(pktpool_reclaim(p, pid, 0) >= 1,
	   "quarantine: reclaim of the dead holder returns the slot");
	elog.count = 0;
	while (n < 4 && (got[n] = pktpool_alloc(p)))
		n++;
	ok(n == 4 && elog.count == 0,
	   "quarantine: all 4 slots are handed out again, poisoned clean (%d, %d reports)",
	   n, elog.count);
	while (n)
		pktpool_free(p, got[--n]);
	pktpool_detach(p);
}

static void test_hostile_records(void)
{
	struct pktpool *p = make_pool(128, 8, PKTPOOL_F_DEBUG);
	struct pktpool__dbg_rec *rec;
	struct pktpool_object o[8];
	unsigned char *a;
	uint32_t ia;
	int n;

	require(p);
	pktpool_set_error_handler(p, errlog_fn, &elog);
	a = alloc_here(p);
	ia = idx_of(p, a);
	rec = (struct pktpool__dbg_rec *)(a + 128 - PKTPOOL_DEBUG_TRAILER);
	rec->pid = -1;
	n = pktpool_objects(p, 0, o, 8);
	ok(n == 1 && !(o[0].flags & PKTPOOL_OBJ_RECORD) && o[0].pid == 0 &&
	   o[0].site == 0, "hostile: a record with a negative pid is not believed");
	rec->pid = getpid();
	rec->time_ns = UINT64_MAX;
	n = pktpool_objects(p, 0, o, 8);
	ok(n == 1 && !(o[0].flags & PKTPOOL_OBJ_RECORD) && o[0].age_ns == 0,
	   "hostile: a record from the future is not believed");
	atomic_store(&p->priv->dbg[ia], 200);
	n = pktpool_objects(p, 0, o, 8);
	ok(n == 1 && o[0].flags == 0,
	   "hostile: an unknown debug state byte means no record");
	elog.count = 0;
	ok(pktpool_free(p, a) == 0 && elog.count == 0,
	   "hostile: and the free does not trust it either (no guard check)");
	/* a tag in use with owner 0: listed by no one */
	atomic_store(&p->tag[3], TAG(0, TAG_INUSE));
	atomic_store(&p->priv->hdr->proc[0].pid, -9);
	a = alloc_here(p);
	n = pktpool_objects(p, 0, o, 8);
	ok(n == 1 && o[0].holder_pid == 0,
	   "hostile: a tag without an owner is skipped, a negative holder pid reads 0");
	pktpool_free(p, a);
	atomic_store(&p->tag[3], TAG(0, TAG_FREE));
	atomic_store(&p->priv->hdr->proc[0].pid, getpid());
	pktpool_detach(p);
}

/* Slots on their way to the kernel carry no guard: it may fill them. */
static void test_ring_unguarded(void)
{
	struct pktpool *p = make_pool(256, 8, PKTPOOL_F_DEBUG);
	struct pktpool_object o[8];
	struct pktpool_rings r;
	uint32_t *fill, k;
	int n;

	require(p);
	pktpool_set_error_handler(p, errlog_fn, &elog);
	if (pktpool_rings_init(p, &r)) {
		ok(0, "rings: rings_init");
		pktpool_detach(p);
		return;
	}
	ok(pktpool_fill_alloc(&r, 4) == 4, "rings: 4 slots to the fill ring");
	n = pktpool_objects(p, 0, o, 8);
	ok(n == 4 && o[0].flags == PKTPOOL_OBJ_UNGUARDED,
	   "rings: they are listed as unguarded, without a record");
	/* play the kernel: fill the slots whole, hand them back */
	fill = (uint32_t *)((unsigned char *)p->priv->base +
			    p->priv->lay.off_fill_ring + PKTPOOL_RING_HDR);
	elog.count = 0;
	for (k = 0; k < 4; k++) {
		void *s = pktpool_idx_to_ptr(p, fill[k]);

		memset(s, 0x77, 256);
		pktpool_free(p, s);
	}
	ok(elog.count == 0, "rings: freeing slots the kernel filled whole reports nothing");
	pktpool_detach(p);
}

static void test_set_usable(void)
{
	struct pktpool_set_config cfg = {
		.nclasses = 2, .flags = PKTPOOL_F_DEBUG,
		.cls = { { 256, 16 }, { 2048, 4 } },
	};
	struct pktpool_set *s = NULL;
	unsigned char *a;
	int err;

	err = pktpool_set_create(&cfg, &s);
	if (err == -ENODEV || err == -EOPNOTSUPP) {
		ok(1, "set: # SKIP backend not available");
		return;
	}
	require(err == 0);
	a = pktpool_set_alloc(s, 192);
	ok(a && pktpool_set_usable_size(s, a) == 224,
	   "set: debug mode serves 192 bytes from the 256 class, 224 usable");
	memset(a, 1, 224);
	elog.count = 0;
	ok(pktpool_set_free(s, a) == 0, "set: writing the usable size is fine");
	a = pktpool_set_alloc(s, 200);
	ok(a && pktpool_set_usable_size(s, a) == 2016,
	   "set: 200 bytes go to the next class in debug mode");
	pktpool_set_free(s, a);
	{
		struct pktpool_object o[20];
		void *x[20];
		int i, n, good = 0;

		/* 16 slots of class 0: the last ones through the slow path
		 * (the region runs dry and the set looks for more) */
		for (i = 0; i < 17; i++)
			x[i] = i < 8 ? set_here(s, 64) : i < 16 ?
			       calloc_here(s, 64) : set_here(s, 64);
		n = pktpool_objects(s->pool[0], 0, o, 20);
		for (i = 0; i < n; i++)
			good += (o[i].flags & PKTPOOL_OBJ_RECORD) &&
				(site_in(o[i].site, (void *)set_here) ||
				 site_in(o[i].site, (void *)calloc_here));
		ok(n == 16 && good == 16 && x[16] == NULL,
		   "set: set_alloc and set_calloc record their callers (%d of %d)",
		   good, n);
		for (i = 0; i < 16; i++)
			pktpool_set_free(s, x[i]);
	}
	errno = 0;
	ok(pktpool_set_alloc(s, 2000) == NULL && errno == EMSGSIZE,
	   "set: the largest request is the largest class's 64-byte steps below its usable size");
	pktpool_set_detach(s);
}

int main(void)
{
	test_records();
	test_thread_and_process();
	test_guard();
	test_quarantine_reclaim();
	test_hostile_records();
	test_ring_unguarded();
	test_set_usable();
	return tap_done();
}
