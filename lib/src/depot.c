// SPDX-License-Identifier: MIT
/*
 * The depot: magazines of slot indices (after Bonwick and Adams,
 * "Magazines and Vmem", USENIX 2001) on two lock-free stacks, one of full
 * magazines and one of empty ones. A thread cache refills by taking a
 * full magazine off with one CAS and copying its batch of indices out,
 * and drains a batch by copying it into an empty magazine and putting
 * that on with one CAS: contiguous arrays move, no per-slot links are
 * walked. Each thread cache keeps one spare empty magazine, so a thread
 * that alternates refills and drains does one CAS per batch.
 *
 * The stacks are built like the shared free list (freelist.c): a 16-byte
 * head (top magazine, magazines on the stack, 64-bit generation) changed
 * only by CAS, links in the magazines. What the depot does not hold (a
 * partial batch, a drain that finds no empty magazine, threads without a
 * cache) goes to and comes from that list, which stays the fallback.
 *
 * Slot ownership is unchanged: a slot in a full magazine is tagged free,
 * one in a cache tagged for its process, and a refill hands out only
 * slots it found tagged free. Before each CAS the thread records in its
 * cache entry (the transit record) which magazine it moves and which head
 * it expects; a survivor (proc.c) reads the record of a dead process and
 * returns the magazine's slots, or counts them as uncertain until an idle
 * reclaim. A magazine (the container, never a slot) a process dies holding
 * outside a record is lost until an idle reclaim finds it.
 */
#include <errno.h>

#include "internal.h"
#include "transit.h"

#define CAS_TRIES_MAX	(1u << 24)	/* others keep winning: give up */

/*
 * Take the top magazine off stack s; *m = PKTPOOL_NIL when it is empty.
 * The record (op, magazine, expected head) is written before every CAS
 * attempt, when rec. 0, -EUCLEAN (a link out of range that
 * a second look confirms) or -EBUSY.
 */
static int stack_pop(struct pktpool *p, struct pktpool__tcache *tc,
		     bool rec, struct pktpool__head *s, uint32_t op,
		     uint32_t *m)
{
	struct pktpool__priv *pv = p->priv;
	const uint32_t mags = pv->mag_count;
	struct hv head = head_load(s);
	uint32_t top, nx, c, tries = 0;

	*m = PKTPOOL_NIL;
	for (;;) {
		if (++tries > CAS_TRIES_MAX)
			return -EBUSY;
		top = hv_idx(head);
		if (top == PKTPOOL_NIL)
			return 0;
		if (top >= mags)
			goto check;
		nx = atomic_load_explicit(&pv->mag[top].next,
					  memory_order_relaxed);
		if (nx != PKTPOOL_NIL && nx >= mags)
			goto check;
		c = hv_count(head);
		if (rec)
			pktpool__transit_begin(p, tc, op, top, pv->batch, head);
		/* [B]/[C]: pairs with the pusher's CAS: the magazine's
		 * contents written before its push are visible after */
		if (head_cas(s, &head, hv_make(nx, c ? c - 1 : 0,
					       head.gen + 1))) {
			*m = top;
			return 0;
		}
		continue;
check:
		/* garbage read while another thread relinked that magazine
		 * is corruption only if the head has not moved meanwhile */
		{
			struct hv now = head_snapshot(s);

			if (hv_eq(now, head))
				return pktpool__report(p, -EUCLEAN,
					"magazine stack corrupt: top %u links out of the %u magazines",
					top, mags);
			head = now;
		}
	}
}

/* Put magazine m (ours alone) on stack s with one CAS. */
static int stack_push(struct pktpool *p, struct pktpool__tcache *tc,
		      bool rec, struct pktpool__head *s, uint32_t m)
{
	struct hv head = head_load(s);
	uint32_t tries = 0;

	for (;;) {
		if (++tries > CAS_TRIES_MAX)
			return -EBUSY;
		atomic_store_explicit(&p->priv->mag[m].next, hv_idx(head),
				      memory_order_relaxed);
		if (rec)
			pktpool__transit_expect(p, tc, head);
		/* [B] pairs with the acquire load/CAS [C] of the next
		 * popper: the magazine's slots, link and tags are written */
		if (head_cas(s, &head, hv_make(m, hv_count(head) + 1,
					       head.gen + 1)))
			return 0;
	}
}

/*
 * An empty magazine we hold goes back on the empty stack. rec: with a
 * record in tc (ours, or NULL for our process entry's); a reclaimer
 * passes its own cache or none.
 */
static void push_empty(struct pktpool *p, struct pktpool__tcache *tc,
		       bool rec, uint32_t m)
{
	struct pktpool__hdr *h = p->priv->hdr;

	if (m >= p->priv->mag_count)
		return;
	if (rec)
		pktpool__transit_begin(p, tc, TRANSIT_EPUSH, m, 0, head_load(&h->empty));
	stack_push(p, tc, rec, &h->empty, m);
	if (rec)
		pktpool__transit_end(p, tc);
}

void pktpool__mag_push_empty(struct pktpool *p, struct pktpool__tcache *tc,
			     uint32_t m)
{
	push_empty(p, tc, tc != NULL, m);
}

/*
 * A magazine emptied by a refill: the thread's spare if it has none, else
 * back on the empty stack. Between the record's end and the spare's
 * store the magazine is in no record: a process killed right there loses
 * it (not its slots) until an idle reclaim.
 */
static void park(struct pktpool *p, struct pktpool__tcache *tc, uint32_t m)
{
	struct pktpool__priv *pv = p->priv;
	uint32_t ti;

	if (tc && !pv->nocache) {
		ti = tcache_index(pv, tc);
		if (pv->stash[ti] == PKTPOOL_NIL) {
			pktpool__transit_end(p, tc);
			atomic_store_explicit(&tc->mag, m, memory_order_relaxed);
			pv->stash[ti] = m;
			return;
		}
	}
	push_empty(p, tc, true, m);
}

void pktpool__depot_unstash(struct pktpool *p, struct pktpool__tcache *tc)
{
	struct pktpool__priv *pv = p->priv;
	uint32_t ti = tcache_index(pv, tc), m = pv->stash[ti];

	if (m == PKTPOOL_NIL)
		return;
	pv->stash[ti] = PKTPOOL_NIL;
	atomic_store_explicit(&tc->mag, PKTPOOL_NIL, memory_order_relaxed);
	pktpool__mag_push_empty(p, tc, m);
}

uint64_t pktpool__depot_free(struct pktpool__priv *pv)
{
	uint32_t c = hv_count(head_load(&pv->hdr->full));

	if (c > pv->mag_count)
		c = pv->mag_count;
	return (uint64_t)c * pv->batch;
}

static void peak_after(struct pktpool *p, uint32_t full_left)
{
	struct pktpool__priv *pv = p->priv;
	struct pktpool__hdr *h = pv->hdr;
	uint64_t free_now = hv_count(head_load(&h->head)) +
			    (uint64_t)(full_left < pv->mag_count ? full_left :
				       pv->mag_count) * pv->batch;
	uint64_t out, old;

	if (free_now > p->slot_count)
		return;
	out = p->slot_count - free_now;
	old = atomic_load_explicit(&h->peak, memory_order_relaxed);
	while (out > old &&
	       !atomic_compare_exchange_weak_explicit(&h->peak, &old, out,
			memory_order_relaxed, memory_order_relaxed))
		;
}

/*
 * Refill: take a full magazine and tag its batch as cached by this
 * process, into out[] (private memory). tc NULL: a thread without a
 * cache, under nc_lock. *got = 0 when the depot has no
 * full magazine (the caller tries the list). An index out of range or a
 * slot not tagged free (a magazine a hostile writer filled, a slot in two
 * places) is reported and kept back: never handed out twice.
 */
int pktpool__depot_get(struct pktpool *p, struct pktpool__tcache *tc,
		       uint32_t *out, uint32_t *got)
{
	struct pktpool__priv *pv = p->priv;
	const uint32_t n = p->slot_count, b = pv->batch;
	const uint8_t mine = TAG(p->owner, TAG_CACHED);
	struct pktpool__mag *mg;
	uint32_t m, i, k = 0, bad = 0, full_left;
	int err;

	*got = 0;
	err = stack_pop(p, tc, true, &pv->hdr->full, TRANSIT_MPOP, &m);
	if (m == PKTPOOL_NIL) {
		pktpool__transit_end(p, tc);
		return err;
	}
	full_left = hv_count(head_load(&pv->hdr->full));
	/* ours now: the record names it for a survivor */
	pktpool__transit_mark(p, tc, TRANSIT_MPOPPED);
	mg = &pv->mag[m];
	for (i = 0; i < b; i++) {
		uint32_t idx = atomic_load_explicit(&mg->slot[i],
						    memory_order_relaxed);

		if (idx >= n || atomic_load_explicit(&p->tag[idx],
				memory_order_relaxed) != TAG(0, TAG_FREE)) {
			bad++;
			continue;
		}
		atomic_store_explicit(&p->tag[idx], mine, memory_order_relaxed);
		out[k++] = idx;
	}
	park(p, tc, m);
	peak_after(p, full_left);
	if (bad)
		err = pktpool__report(p, -EUCLEAN,
			"magazine %u held %u slots out of range or not tagged free; kept back",
			m, bad);
	*got = k;
	return k ? 0 : err;
}

/*
 * Drain one batch idx[0..batch) (private, every index checked by the
 * caller, every slot tagged for this process) into an empty magazine and
 * put it on the full stack. -ENOSPC when no empty magazine was to be had:
 * nothing done, the caller uses the list. Any other result means the
 * slots are gone from the caller.
 */
int pktpool__depot_put(struct pktpool *p, struct pktpool__tcache *tc,
		       const uint32_t *idx)
{
	struct pktpool__priv *pv = p->priv;
	struct pktpool__hdr *h = pv->hdr;
	const uint32_t b = pv->batch, ti = tcache_index(pv, tc);
	struct pktpool__mag *mg;
	uint32_t m = pv->stash[ti], i;
	int err;

	if (m != PKTPOOL_NIL) {
		pv->stash[ti] = PKTPOOL_NIL;
		atomic_store_explicit(&tc->mag, PKTPOOL_NIL,
				      memory_order_relaxed);
		/* [F] m is named by the record from here on */
		pktpool__transit_begin(p, tc, TRANSIT_EHELD, m, 0, head_load(&h->full));
	} else {
		stack_pop(p, tc, true, &h->empty, TRANSIT_EPOP, &m);
		if (m == PKTPOOL_NIL) {
			pktpool__transit_end(p, tc);
			return -ENOSPC;
		}
		pktpool__transit_mark(p, tc, TRANSIT_EHELD);
	}
	mg = &pv->mag[m];
	for (i = 0; i < b; i++)
		atomic_store_explicit(&mg->slot[i], idx[i], memory_order_relaxed);
	/* the contents before the record: a survivor reads them */
	pktpool__transit_begin(p, tc, TRANSIT_MPUSH, m, b, head_load(&h->full));
	/* whoever sees a tag below free sees the record (validate) */
	atomic_thread_fence(memory_order_release);
	for (i = 0; i < b; i++)
		atomic_store_explicit(&p->tag[idx[i]], TAG(0, TAG_FREE),
				      memory_order_relaxed);
	err = stack_push(p, tc, true, &h->full, m);
	pktpool__transit_end(p, tc);
	return err;
}

/*
 * Walk the full stack from head h (a snapshot): mark each slot in on[]
 * and each magazine in mon[] (either may be NULL). Returns the magazines
 * walked or -EUCLEAN when the stack is broken (*where: what broke it);
 * *dup tells a slot found marked already (listed twice).
 */
long pktpool__depot_walk(struct pktpool *p, struct hv h, uint8_t *on,
			 uint8_t *mon, uint32_t *where, bool *dup)
{
	struct pktpool__priv *pv = p->priv;
	const uint32_t mags = pv->mag_count, b = pv->batch;
	uint32_t m, i;
	long steps = 0;

	*dup = false;
	for (m = hv_idx(h); m != PKTPOOL_NIL; steps++) {
		if (m >= mags || steps >= (long)mags ||
		    (mon && mon[m])) {
			*where = m;
			return -EUCLEAN;
		}
		if (mon)
			mon[m] = 1;
		for (i = 0; i < b; i++) {
			uint32_t s = atomic_load_explicit(&pv->mag[m].slot[i],
							  memory_order_relaxed);

			if (s >= p->slot_count) {
				*where = m;
				return -EUCLEAN;
			}
			if (on) {
				*dup |= on[s] != 0;
				on[s] = 1;
			}
		}
		m = atomic_load_explicit(&pv->mag[m].next,
					 memory_order_relaxed);
	}
	return steps;
}

/* The empty stack likewise: magazines only; -EUCLEAN when broken. */
long pktpool__depot_walk_empty(struct pktpool *p, struct hv h, uint8_t *mon)
{
	struct pktpool__priv *pv = p->priv;
	const uint32_t mags = pv->mag_count;
	uint32_t m;
	long steps = 0;

	for (m = hv_idx(h); m != PKTPOOL_NIL; steps++) {
		if (m >= mags || steps >= (long)mags || (mon && mon[m]))
			return -EUCLEAN;
		if (mon)
			mon[m] = 1;
		m = atomic_load_explicit(&pv->mag[m].next,
					 memory_order_relaxed);
	}
	return steps;
}
