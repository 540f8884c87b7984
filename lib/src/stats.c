// SPDX-License-Identifier: MIT
/*
 * Statistics (summed from every thread cache in the region when read) and
 * the consistency check. Both are read sides: slow, bounded, and never
 * trusting a value from the region to index anything unchecked.
 */
#include <errno.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "internal.h"

/*
 * The counters as summed now, since the region was made: the header's
 * (retired thread caches, threads without one) plus every live cache's.
 * Each addend only grows, so the sums do too, apart from the moment a
 * cache is folded into the header, which a reader may see twice or not
 * at all: a snapshot, exact when the region is idle.
 */
void pktpool__totals(struct pktpool__priv *pv, struct pktpool__totals *t)
{
	struct pktpool__hdr *h = pv->hdr;
	uint32_t i;

	memset(t, 0, sizeof(*t));
	t->allocs = atomic_load_explicit(&h->retired_allocs,
					 memory_order_relaxed);
	t->frees = atomic_load_explicit(&h->retired_frees,
					memory_order_relaxed);
	t->failures = atomic_load_explicit(&h->retired_failures,
					   memory_order_relaxed) +
		      atomic_load_explicit(&h->shared_failures,
					   memory_order_relaxed);
	t->errors = atomic_load_explicit(&h->errors, memory_order_relaxed);
	t->reclaimed = atomic_load_explicit(&h->reclaimed,
					    memory_order_relaxed);
	for (i = 0; i < PKTPOOL_THREADS_MAX; i++) {
		struct pktpool__tcache *tc = &pv->tcache[i];
		uint32_t c;

		if (!atomic_load_explicit(&tc->owner, memory_order_relaxed))
			continue;
		t->threads++;
		c = atomic_load_explicit(&tc->count, memory_order_relaxed);
		t->cached += c <= PKTPOOL_CACHE_MAX ? c : 0;
		t->allocs += pktpool__tcache_allocs(tc);
		t->frees += atomic_load_explicit(&tc->frees,
						 memory_order_relaxed);
		t->failures += atomic_load_explicit(&tc->failures,
						    memory_order_relaxed);
	}
}

/* A counter since the last reset; a base above it (hostile, or a fold
 * seen twice) gives 0, never a wrapped count. */
static uint64_t since(uint64_t total, _Atomic uint64_t *base)
{
	uint64_t b = atomic_load_explicit(base, memory_order_relaxed);

	return total > b ? total - b : 0;
}

/* Slots neither on the shared list nor in the depot's full magazines
 * now, at most slot_count. */
static uint64_t out_now(struct pktpool *p, uint64_t *free_now)
{
	uint64_t f = hv_count(head_load(&p->priv->hdr->head)) +
		     pktpool__depot_free(p->priv);

	if (f > p->slot_count)
		f = p->slot_count;
	if (free_now)
		*free_now = f;
	return p->slot_count - f;
}

/* pktpool_stats() on any live handle (read-only ones too). */
int pktpool__stats(struct pktpool *p, struct pktpool__priv *pv,
		   struct pktpool_stats *st)
{
	struct pktpool__hdr *h = pv->hdr;
	struct pktpool__tcache *mine;
	struct pktpool__totals t;
	uint64_t free_now, cached, out;
	uint32_t i;

	memset(st, 0, sizeof(*st));
	st->slot_size = p->slot_size;
	st->slot_count = p->slot_count;
	pktpool__totals(pv, &t);
	st->allocs = since(t.allocs, &h->base_allocs);
	st->frees = since(t.frees, &h->base_frees);
	st->failures = since(t.failures, &h->base_failures);
	st->errors = since(t.errors, &h->base_errors);
	st->reclaimed = since(t.reclaimed, &h->base_reclaimed);
	st->threads = t.threads;
	for (i = 0; i < PKTPOOL_PROCS_MAX; i++) {
		uint32_t s = atomic_load_explicit(&h->proc[i].state,
						  memory_order_relaxed);

		st->procs += s == PROC_ALIVE;
	}
	out = out_now(p, &free_now);
	cached = t.cached;
	if (cached > out)
		cached = out;
	st->free = free_now;
	st->cached = cached;
	st->in_use = out - cached;
	st->peak = atomic_load_explicit(&h->peak, memory_order_relaxed);
	if (st->peak < out)
		st->peak = out;
	if (st->peak > p->slot_count)
		st->peak = p->slot_count;
	mine = pktpool__thread_cache_peek(p);
	if (mine) {
		uint32_t c = atomic_load_explicit(&mine->count,
						  memory_order_relaxed);

		st->cache_fill = c <= PKTPOOL_CACHE_MAX ? c : 0;
	}
	st->cache_cap = p->cap;
	return 0;
}

PKTPOOL_EXPORT int pktpool_stats(struct pktpool *p, struct pktpool_stats *st)
{
	struct pktpool__priv *pv;
	int err;

	err = pktpool__handle_get_ro(p, &pv);
	if (err)
		return err;
	if (!st)
		return -EINVAL;
	return pktpool__stats(p, pv, st);
}

/*
 * Nothing a thread owns is written: the bases take the sums as they are
 * now, and peak restarts from what is out now (the poppers raise it
 * again from there). Two resets at once leave one's bases: either is a
 * reset.
 */
PKTPOOL_EXPORT int pktpool_stats_reset(struct pktpool *p)
{
	struct pktpool__priv *pv;
	struct pktpool__totals t;
	struct pktpool__hdr *h;
	struct timespec ts;
	int err;

	err = pktpool__handle_get(p, &pv);
	if (err)
		return err;
	h = pv->hdr;
	pktpool__totals(pv, &t);
	atomic_store_explicit(&h->base_allocs, t.allocs, memory_order_relaxed);
	atomic_store_explicit(&h->base_frees, t.frees, memory_order_relaxed);
	atomic_store_explicit(&h->base_failures, t.failures,
			      memory_order_relaxed);
	atomic_store_explicit(&h->base_errors, t.errors, memory_order_relaxed);
	atomic_store_explicit(&h->base_reclaimed, t.reclaimed,
			      memory_order_relaxed);
	atomic_store_explicit(&h->peak, out_now(p, NULL), memory_order_relaxed);
	clock_gettime(CLOCK_REALTIME, &ts);
	atomic_store_explicit(&h->reset_time, ts.tv_sec > 0 ? ts.tv_sec : 1,
			      memory_order_relaxed);
	atomic_fetch_add_explicit(&h->resets, 1, memory_order_relaxed);
	pktpool__publish(p, NULL);
	return 0;
}

/* What identifies a thread cache's contents: any change moves one. */
struct tc_stamp {
	uint32_t owner, count;
	uint64_t frees, filled, drained;
};

static void tc_stamp(struct pktpool__tcache *tc, struct tc_stamp *s)
{
	s->owner = atomic_load_explicit(&tc->owner, memory_order_acquire);
	s->count = atomic_load_explicit(&tc->count, memory_order_relaxed);
	s->frees = atomic_load_explicit(&tc->frees, memory_order_relaxed);
	s->filled = atomic_load_explicit(&tc->filled, memory_order_relaxed);
	s->drained = atomic_load_explicit(&tc->drained, memory_order_relaxed);
}

/*
 * One pass of pktpool_validate(). Some findings are corruption whenever
 * they are seen (an index out of range, a state no process writes); the
 * others (a cycle, a slot in two places, counts that disagree) can be a
 * snapshot taken while others moved slots. Those are kept and reported
 * only if nothing moved during the pass (the head, with its never-reused
 * generation, and every thread cache's stamp are unchanged at the end);
 * otherwise the pass says -EAGAIN, busy, and reports nothing.
 */
struct finding {
	int err;
	char msg[160];
};

#define NOTE(f, e, ...) do {						\
	if (!(f)->err) {						\
		(f)->err = (e);						\
		snprintf((f)->msg, sizeof((f)->msg), __VA_ARGS__);	\
	}								\
} while (0)

/* What the previous pass saw, to confirm a finding by a second look. */
struct last_pass {
	bool valid;
	struct hv head, full, empty;
	struct tc_stamp stamp[PKTPOOL_THREADS_MAX];
	struct finding f;
};

static bool in_flight_now(struct pktpool__priv *pv)
{
	uint32_t i;
	bool any = false;

	for (i = 0; i < PKTPOOL_PROCS_MAX; i++)
		any |= atomic_load_explicit(&pv->hdr->proc[i].state,
					    memory_order_relaxed) != PROC_FREE &&
		       atomic_load_explicit(&pv->hdr->proc[i].t_op,
					    memory_order_acquire) != 0;
	for (i = 0; i < PKTPOOL_THREADS_MAX; i++)
		any |= atomic_load_explicit(&pv->tcache[i].owner,
					    memory_order_relaxed) &&
		       atomic_load_explicit(&pv->tcache[i].transit_op,
					    memory_order_acquire) != 0;
	return any;
}

static int validate_once(struct pktpool *p, uint8_t *seen,
			 struct tc_stamp *stamp, struct last_pass *last)
{
	struct pktpool__priv *pv = p->priv;
	struct pktpool__hdr *h = pv->hdr;
	const uint32_t n = p->slot_count;
	struct finding f = { 0, "" };
	uint64_t listed = 0, tag_free = 0;
	uint32_t cur, i, j, where;
	bool in_flight = false, dup;
	struct hv head, full, empty;
	long nf, ne;
	int err;

	memset(seen, 0, n);
	err = pktpool__hdr_check(pv);
	if (err)
		return pktpool__report(p, -EUCLEAN,
			"header does not match the region's geometry");
	for (i = 0; i < PKTPOOL_PROCS_MAX; i++) {
		uint32_t s = atomic_load_explicit(&h->proc[i].state,
						  memory_order_relaxed);

		if (s > PROC_RECLAIMING)
			return pktpool__report(p, -EUCLEAN,
				"process entry %u has state %u", i + 1, s);
	}
	in_flight = in_flight_now(pv);
	for (i = 0; i < PKTPOOL_THREADS_MAX; i++)
		tc_stamp(&pv->tcache[i], &stamp[i]);
	head = head_snapshot(&h->head);
	full = head_snapshot(&h->full);
	empty = head_snapshot(&h->empty);

	for (cur = hv_idx(head); cur != PKTPOOL_NIL; listed++) {
		uint8_t tag;

		if (cur >= n) {
			NOTE(&f, -EUCLEAN, "free list links to slot %u of %u",
			     cur, n);
			break;
		}
		if (seen[cur] || listed >= n) {
			NOTE(&f, -EUCLEAN, "free list has a cycle at slot %u",
			     cur);
			break;
		}
		seen[cur] = 1;
		tag = atomic_load_explicit(&p->tag[cur], memory_order_relaxed);
		if (tag != TAG(0, TAG_FREE))
			NOTE(&f, -EUCLEAN,
			     "slot %u on the free list has tag 0x%02x", cur, tag);
		cur = atomic_load_explicit(&pv->next[cur], memory_order_relaxed);
	}
	if (!f.err && hv_count(head) != listed)
		NOTE(&f, -EBADMSG, "free count %u but %llu slots on the list",
		     hv_count(head), (unsigned long long)listed);

	/* the depot: full magazines hold a batch each, all tagged free */
	nf = pktpool__depot_walk(p, full, seen, NULL, &where, &dup);
	if (nf < 0) {
		NOTE(&f, -EUCLEAN, "full magazines broken at magazine %u",
		     where);
	} else {
		if (dup)
			NOTE(&f, -EUCLEAN,
			     "a slot is in two full magazines, or in one and on the list");
		if (hv_count(full) != nf)
			NOTE(&f, -EBADMSG,
			     "%u full magazines counted but %ld on the stack",
			     hv_count(full), nf);
		/* again for the tags: the stack may have moved since, so
		 * every value is checked again (the head check below then
		 * discards the pass) */
		for (i = 0, cur = hv_idx(full);
		     i < (uint32_t)nf && cur < pv->mag_count; i++) {
			for (j = 0; j < pv->batch; j++) {
				uint32_t s = atomic_load_explicit(
					&pv->mag[cur].slot[j],
					memory_order_relaxed);
				uint8_t tag;

				if (s >= n)
					break;
				tag = atomic_load_explicit(&p->tag[s],
							   memory_order_relaxed);
				if (tag != TAG(0, TAG_FREE))
					NOTE(&f, -EUCLEAN,
					     "slot %u in full magazine %u has tag 0x%02x",
					     s, cur, tag);
			}
			cur = atomic_load_explicit(&pv->mag[cur].next,
						   memory_order_relaxed);
		}
		listed += (uint64_t)nf * pv->batch;
	}
	ne = pktpool__depot_walk_empty(p, empty, NULL);
	if (ne < 0)
		NOTE(&f, -EUCLEAN, "empty magazines broken");
	else if (hv_count(empty) != ne)
		NOTE(&f, -EBADMSG,
		     "%u empty magazines counted but %ld on the stack",
		     hv_count(empty), ne);

	for (i = 0; i < PKTPOOL_THREADS_MAX; i++) {
		struct pktpool__tcache *tc = &pv->tcache[i];
		uint32_t owner = stamp[i].owner, c = stamp[i].count;

		if (!owner)
			continue;
		if (owner > PKTPOOL_PROCS_MAX)
			return pktpool__report(p, -EUCLEAN,
				"thread cache %u belongs to unknown process %u",
				i, owner);
		if (atomic_load_explicit(&h->proc[owner - 1].state,
					 memory_order_relaxed) == PROC_FREE)
			NOTE(&f, -EUCLEAN,
			     "thread cache %u belongs to process %u, which is not attached",
			     i, owner);
		if (c > PKTPOOL_CACHE_MAX)
			return pktpool__report(p, -EUCLEAN,
				"thread cache %u holds %u slots", i, c);
		for (j = 0; j < c; j++) {
			uint32_t s = tc->slot[j];

			if (s >= n)
				return pktpool__report(p, -EUCLEAN,
					"thread cache %u holds slot %u of %u",
					i, s, n);
			if (seen[s])
				NOTE(&f, -EUCLEAN,
				     "slot %u is in thread cache %u and %s", s,
				     i, seen[s] == 1 ? "on the free list" :
				     "another cache");
			seen[s] = 2;
			if ((atomic_load_explicit(&p->tag[s],
				memory_order_relaxed) & PKTPOOL__TAG_OWNER) != owner)
				NOTE(&f, -EBADMSG,
				     "slot %u in a cache of process %u is tagged for another",
				     s, owner);
		}
	}

	for (i = 0; i < n; i++)
		tag_free += atomic_load_explicit(&p->tag[i],
				memory_order_relaxed) == TAG(0, TAG_FREE);
	/* More tagged free than listed: a push or pop in flight (or a
	 * dead process's, until reclaimed), else slots lost. */
	in_flight |= in_flight_now(pv);
	if (tag_free != listed && !in_flight)
		NOTE(&f, -EBADMSG, "%llu slots tagged free but %llu on the list",
		     (unsigned long long)tag_free, (unsigned long long)listed);

	/* Did anything move while we looked? */
	if (!hv_eq(head_snapshot(&h->head), head) ||
	    !hv_eq(head_snapshot(&h->full), full) ||
	    !hv_eq(head_snapshot(&h->empty), empty))
		return -EAGAIN;
	for (i = 0; i < PKTPOOL_THREADS_MAX; i++) {
		struct tc_stamp now;

		tc_stamp(&pv->tcache[i], &now);
		if (memcmp(&now, &stamp[i], sizeof(now)))
			return -EAGAIN;
	}
	if (!f.err)
		return tag_free != listed ? -EAGAIN : 0;
	/*
	 * A finding is reported only when a second pass sees the same with
	 * nothing moved in between: an operation that began during a pass
	 * can make it look wrong, but not two passes the same.
	 */
	if (last->valid && hv_eq(last->head, head) &&
	    hv_eq(last->full, full) && hv_eq(last->empty, empty) &&
	    last->f.err == f.err &&
	    !strcmp(last->f.msg, f.msg) &&
	    !memcmp(last->stamp, stamp, sizeof(last->stamp)))
		return pktpool__report(p, f.err, "%s", f.msg);
	last->valid = true;
	last->head = head;
	last->full = full;
	last->empty = empty;
	last->f = f;
	memcpy(last->stamp, stamp, sizeof(last->stamp));
	return -EAGAIN;
}

PKTPOOL_EXPORT int pktpool_validate(struct pktpool *p)
{
	struct tc_stamp stamp[PKTPOOL_THREADS_MAX];
	struct pktpool__priv *pv;
	struct last_pass *last;
	uint8_t *seen;
	int err, tries;

	/* not on a read-only handle: the head snapshot is a CAS */
	err = pktpool__handle_get(p, &pv);
	if (err)
		return err;
	seen = malloc(p->slot_count);
	last = calloc(1, sizeof(*last));
	if (!seen || !last) {
		free(seen);
		free(last);
		return -ENOMEM;
	}
	memset(stamp, 0, sizeof(stamp));
	for (tries = 0; tries < 16; tries++) {
		err = validate_once(p, seen, stamp, last);
		if (err != -EAGAIN)
			break;
	}
	free(seen);
	free(last);
	return err;
}
