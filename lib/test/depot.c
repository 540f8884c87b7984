// SPDX-License-Identifier: MIT
/*
 * The depot (magazines of slot indices, depot.c): a process killed while
 * it moved a magazine loses no slot for good. A kill cannot be aimed at
 * one instruction, so each case kills a process that holds a thread cache
 * and then forges, in its cache entry and the region, the state it would
 * have left at that point; a survivor's pktpool_reclaim() must return
 * every slot exactly once, and validate must find the region sound.
 */
#include <signal.h>
#include <sys/wait.h>

#include "util.h"
#include "../src/internal.h"

#define COUNT	256
#define BATCH	(COUNT / 16)

struct dead {
	struct pktpool *p;
	struct pktpool__hdr *h;
	struct pktpool__mag *mag;
	uint32_t mags;
	struct pktpool__tcache *tc;	/* the dead process's entry */
	pid_t pid;
	uint32_t owner;
	uint32_t held[BATCH];		/* its slots: all tagged for it */
};

/* A pool and a killed child holding one batch (one in use, the rest in
 * its cache, its spare magazine the one it refilled from). */
static void setup(struct dead *d)
{
	struct pktpool_layout lay;
	int pipefd[2], i;
	uint32_t idx, k = 0;
	uint64_t off;

	memset(d, 0, sizeof(*d));
	d->p = make_pool(256, COUNT, 0);
	require(d->p && pipe(pipefd) == 0);
	pktpool_set_error_handler(d->p, quiet_fn, NULL);
	d->pid = fork();
	if (d->pid == 0) {
		if (pktpool_alloc_idx(d->p, &idx) ||
		    write(pipefd[1], &idx, sizeof(idx)) != sizeof(idx))
			_exit(1);
		pause();
		_exit(0);
	}
	require(read(pipefd[0], &idx, sizeof(idx)) == sizeof(idx));
	kill(d->pid, SIGKILL);
	waitpid(d->pid, NULL, 0);
	close(pipefd[0]);
	close(pipefd[1]);
	pktpool_get_layout(d->p, &lay);
	d->h = (struct pktpool__hdr *)((char *)pktpool_idx_to_ptr(d->p, 0) -
				       lay.off_slots);
	pktpool__mag_area(COUNT, &off, &d->mags);
	d->mag = (struct pktpool__mag *)((char *)d->h + lay.off_meta + off);
	d->owner = atomic_load(&d->p->tag[idx]) & PKTPOOL__TAG_OWNER;
	for (i = 0; i < PKTPOOL_THREADS_MAX; i++) {
		d->tc = (struct pktpool__tcache *)((char *)d->h +
						   lay.off_tcache) + i;
		if (atomic_load(&d->tc->owner) == d->owner)
			break;
	}
	require(i < PKTPOOL_THREADS_MAX);
	for (idx = 0; idx < COUNT && k < BATCH; idx++)
		if ((atomic_load(&d->p->tag[idx]) & PKTPOOL__TAG_OWNER) ==
		    d->owner)
			d->held[k++] = idx;
	require(k == BATCH);
}

/* Take the top magazine off a stack, as a popper's CAS would. */
static uint32_t pop(struct pktpool__head *s, struct pktpool__mag *mag,
		    struct hv *before)
{
	struct hv h = head_snapshot(s);
	uint32_t m = hv_idx(h);

	require(m != PKTPOOL_NIL);
	*before = h;
	require(head_cas(s, &h, hv_make(atomic_load(&mag[m].next),
					hv_count(h) - 1, h.gen + 1)));
	return m;
}

static void push(struct pktpool__head *s, struct pktpool__mag *mag,
		 uint32_t m, struct hv *before)
{
	struct hv h = head_snapshot(s);

	*before = h;
	atomic_store(&mag[m].next, hv_idx(h));
	require(head_cas(s, &h, hv_make(m, hv_count(h) + 1, h.gen + 1)));
}

static void record(struct dead *d, uint32_t op, uint32_t m, struct hv expect)
{
	atomic_store(&d->tc->transit_first, m);
	atomic_store(&d->tc->transit_n, BATCH);
	atomic_store(&d->tc->transit_lo, expect.lo);
	atomic_store(&d->tc->transit_gen, expect.gen);
	atomic_store(&d->tc->transit_op, op);
}

/* Every slot free, once: all of them come out of alloc, none twice. */
static bool all_back(struct dead *d)
{
	static uint8_t seen[COUNT];
	uint32_t idx[32];
	struct pktpool_stats st;
	long total = 0;
	int k, i;
	bool good = true;

	if (pktpool_stats(d->p, &st) || st.free != COUNT ||
	    atomic_load(&d->h->uncertain) != 0 || pktpool_validate(d->p)) {
		diag("free %llu, uncertain %llu", (unsigned long long)st.free,
		     (unsigned long long)atomic_load(&d->h->uncertain));
		return false;
	}
	memset(seen, 0, sizeof(seen));
	while ((k = pktpool_alloc_idx_bulk(d->p, idx, 32)) > 0) {
		for (i = 0; i < k; i++)
			good &= idx[i] < COUNT && !seen[idx[i]]++;
		total += k;
		if (total > COUNT)
			return false;
	}
	return good && total == COUNT;
}

static void finish(struct dead *d)
{
	pktpool_detach(d->p);
}

/* Killed after taking a full magazine, before tagging its slots. */
static void test_killed_after_taking_full(void)
{
	struct dead d;
	struct hv before;
	uint32_t m, empties;
	int r;

	setup(&d);
	empties = hv_count(head_snapshot(&d.h->empty));
	m = pop(&d.h->full, d.mag, &before);
	record(&d, TRANSIT_MPOPPED, m, before);
	r = pktpool_reclaim(d.p, d.pid, 0);
	ok(r == 2 * BATCH, "killed holding a full magazine it took: its %d slots and the cache's come back (%d)",
	   BATCH, r);
	/* the dead's spare and the magazine it took */
	ok(hv_count(head_snapshot(&d.h->empty)) == empties + 2,
	   "and both its magazines go back on the empty stack");
	ok(all_back(&d), "every slot is free once after it");
	finish(&d);
}

/* Killed before its pop CAS: the magazine is still on the stack. */
static void test_killed_before_taking_full(void)
{
	struct dead d;
	int r;

	setup(&d);
	record(&d, TRANSIT_MPOP, hv_idx(head_snapshot(&d.h->full)),
	       head_snapshot(&d.h->full));
	r = pktpool_reclaim(d.p, d.pid, 0);
	ok(r == BATCH, "killed before taking a magazine: only its cache comes back (%d)",
	   r);
	ok(all_back(&d), "every slot is free once after it");
	finish(&d);
}

/*
 * Killed after its pop CAS with the stack moved since: the record cannot
 * say whose CAS took the magazine; a quiet region settles it by looking.
 */
static void test_killed_taking_full_ambiguous(void)
{
	struct dead d;
	struct hv before, x;
	uint32_t m, e;
	int r;

	setup(&d);
	m = pop(&d.h->full, d.mag, &before);
	e = pop(&d.h->full, d.mag, &x);		/* someone else's, then back */
	push(&d.h->full, d.mag, e, &x);
	record(&d, TRANSIT_MPOP, m, before);
	r = pktpool_reclaim(d.p, d.pid, 0);
	ok(r == 2 * BATCH, "killed right after taking a magazine, stack moved since: settled by looking (%d)",
	   r);
	ok(all_back(&d), "every slot is free once after it");
	finish(&d);
}

/* Filling an empty magazine, and pushing it: before and after the CAS. */
static void test_killed_putting_full(int when)
{
	static const char *const what[] = {
		"holding an empty magazine it was filling",
		"after clearing its tags, before its push CAS",
		"after its push CAS",
		"after clearing its tags, with the stack moved since",
	};
	struct dead d;
	struct hv before, x;
	uint32_t m, i, e;
	int r, want;

	setup(&d);
	m = pop(&d.h->empty, d.mag, &before);
	for (i = 0; i < BATCH; i++)
		atomic_store(&d.mag[m].slot[i], d.held[i]);
	if (when == 0) {
		record(&d, TRANSIT_EHELD, m, before);
		want = BATCH;
	} else {
		for (i = 0; i < BATCH; i++)
			atomic_store(&d.p->tag[d.held[i]], TAG(0, TAG_FREE));
		before = head_snapshot(&d.h->full);
		if (when == 2)
			push(&d.h->full, d.mag, m, &before);
		if (when == 3) {
			e = pop(&d.h->full, d.mag, &x);
			push(&d.h->full, d.mag, e, &x);
		}
		record(&d, TRANSIT_MPUSH, m, before);
		want = when == 2 ? 0 : BATCH;
	}
	r = pktpool_reclaim(d.p, d.pid, 0);
	ok(r == want, "killed %s: %d slots come back (%d)", what[when], want, r);
	ok(all_back(&d), "every slot is free once after it");
	finish(&d);
}

/*
 * A magazine lost outside any record (killed between giving up its
 * record and storing it as the spare): an idle reclaim finds it.
 */
static void test_idle_finds_lost_magazine(void)
{
	struct dead d;
	struct hv before;
	uint32_t empties;
	int r;

	setup(&d);
	pop(&d.h->empty, d.mag, &before);
	empties = hv_count(head_snapshot(&d.h->empty));
	r = pktpool_reclaim(d.p, 0, PKTPOOL_RECLAIM_IDLE);
	ok(r == BATCH && hv_count(head_snapshot(&d.h->empty)) == empties + 2,
	   "an idle reclaim puts back a magazine nobody holds (%d slots, %u empty)",
	   r, hv_count(head_snapshot(&d.h->empty)));
	ok(all_back(&d), "every slot is free once after it");
	finish(&d);
}

int main(void)
{
	test_killed_after_taking_full();
	test_killed_before_taking_full();
	test_killed_taking_full_ambiguous();
	test_killed_putting_full(0);
	test_killed_putting_full(1);
	test_killed_putting_full(2);
	test_killed_putting_full(3);
	test_idle_finds_lost_magazine();
	return tap_done();
}
