// SPDX-License-Identifier: MIT
/*
 * The shared free list: a lock-free stack of slot indices whose head is one
 * 64-bit word (index, generation) changed only by CAS, and whose links live
 * in the region's next[] array, never in the slots. Every successful CAS
 * bumps the generation, so a head read, a walk and a CAS that succeeds
 * prove nothing was pushed or popped meanwhile (ABA-safe across processes).
 *
 * Chains move whole: a refill walks up to a batch of links from the head
 * and takes them with one CAS; a drain links its slots privately and puts
 * them on with one CAS.
 *
 * Before each CAS the caller's thread cache records what it is about to do
 * (transit_*) and right after it that it is done; a pop tags its chain as
 * ours after the CAS, a push tags its chain free before it. So a survivor
 * can tell, for a process killed at any point, which slots were in flight
 * and where they are, except for a kill between the last tag store and the
 * mark after the CAS (see proc.c).
 */
#include <errno.h>

#include "internal.h"

#define CAS_TRIES_MAX	(1u << 24)	/* others keep winning: give up */

static void transit_begin(struct pktpool__tcache *tc, uint32_t op,
			  uint32_t first, uint32_t n, uint64_t head)
{
	if (!tc)
		return;
	atomic_store_explicit(&tc->transit_first, first, memory_order_relaxed);
	atomic_store_explicit(&tc->transit_n, n, memory_order_relaxed);
	atomic_store_explicit(&tc->transit_head, head, memory_order_relaxed);
	/* [F] pairs with the acquire load of transit_op in proc.c */
	atomic_store_explicit(&tc->transit_op, op, memory_order_release);
}

static void transit_mark(struct pktpool__tcache *tc, uint32_t op)
{
	if (!tc)
		return;
	/* [F] pairs with the acquire load of transit_op in proc.c */
	atomic_store_explicit(&tc->transit_op, op, memory_order_release);
}

static void transit_end(struct pktpool__tcache *tc)
{
	if (!tc)
		return;
	/* [F] pairs with the acquire load of transit_op in proc.c: the tags
	 * written before are visible to whoever sees the record cleared. */
	atomic_store_explicit(&tc->transit_op, TRANSIT_NONE,
			      memory_order_release);
}

static void peak_update(struct pktpool__hdr *h, uint64_t out)
{
	uint64_t old = atomic_load_explicit(&h->peak, memory_order_relaxed);

	while (out > old &&
	       !atomic_compare_exchange_weak_explicit(&h->peak, &old, out,
			memory_order_relaxed, memory_order_relaxed))
		;
}

/*
 * Take up to want slots off the shared list into out[], tagged as cached
 * by this process. *got is how many (0 when the list is empty).
 */
int pktpool__pop(struct pktpool *p, struct pktpool__tcache *tc,
		 uint32_t *out, uint32_t want, uint32_t *got)
{
	struct pktpool__priv *pv = p->priv;
	struct pktpool__hdr *h = pv->hdr;
	const uint32_t n = p->slot_count;
	uint64_t head, fc;
	uint32_t first, cur, nx, rest, k, i, tries = 0;

	*got = 0;
	if (want == 0)
		return 0;
	/* [C] pairs with the release CAS [B] in pktpool__push_chain() */
	head = atomic_load_explicit(&h->head, memory_order_acquire);
	for (;;) {
		if (++tries > CAS_TRIES_MAX)
			return -EBUSY;
		first = head_idx(head);
		if (first == PKTPOOL_NIL)
			return 0;
		if (first >= n)
			goto corrupt;
		k = 0;
		cur = first;
		/*
		 * The walk is a chain of dependent loads. Batches are mostly
		 * runs of nearby slots, so fetch the lines around the first
		 * link at once instead of one miss after another.
		 */
		{
			const char *l = (const char *)&p->priv->next[first & ~15u];

			__builtin_prefetch(l - 64);
			__builtin_prefetch(l);
			__builtin_prefetch(l + 64);
			__builtin_prefetch(l + 128);
		}
		out[k++] = cur;
		rest = PKTPOOL_NIL;
		for (;;) {
			nx = atomic_load_explicit(&p->priv->next[cur],
						  memory_order_relaxed);
			if (nx != PKTPOOL_NIL && nx >= n)
				goto bad_link;
			if (k == want || nx == PKTPOOL_NIL) {
				rest = nx;
				break;
			}
			out[k++] = nx;
			cur = nx;
		}
		transit_begin(tc, TRANSIT_POP, first, k, head);
		/* [B]/[C] acq_rel: acquire pairs with the release CAS [B] of
		 * the pusher; release publishes the transit record. */
		if (atomic_compare_exchange_weak_explicit(&h->head, &head,
				head_make(rest, head_gen(head) + 1),
				memory_order_acq_rel, memory_order_acquire))
			break;
		continue;
bad_link:
		/* A link read while another thread was relinking that slot
		 * is garbage only if the head moved meanwhile. */
		/* [C] pairs with the release CAS [B] in push_chain() */
		if (atomic_load_explicit(&h->head, memory_order_acquire) ==
		    head)
			goto corrupt;
		/* [C] pairs with the release CAS [B] in push_chain() */
		head = atomic_load_explicit(&h->head, memory_order_acquire);
	}

	/* The count right after the CAS, before the mark: a survivor that
	 * sees POPPED knows both happened. */
	fc = atomic_fetch_sub_explicit(&h->free_count, k, memory_order_relaxed);
	transit_mark(tc, TRANSIT_POPPED);
	for (i = 0; i < k; i++)
		atomic_store_explicit(&p->tag[out[i]], TAG(p->owner, TAG_CACHED),
				      memory_order_relaxed);
	transit_end(tc);
	if (fc >= k && fc <= n)
		peak_update(h, n - (fc - k));
	*got = k;
	return 0;

corrupt:
	transit_end(tc);
	return pktpool__report(p, -EUCLEAN,
		"free list corrupt: head %u gen %u points out of range (%u slots)",
		head_idx(head), head_gen(head), n);
}

/*
 * Put a chain first..last of n slots, already linked through next[], on
 * the shared list with one CAS.
 */
int pktpool__push_chain(struct pktpool *p, struct pktpool__tcache *tc,
			uint32_t first, uint32_t last, uint32_t n)
{
	struct pktpool__hdr *h = p->priv->hdr;
	uint64_t head;
	uint32_t tries = 0;

	head = atomic_load_explicit(&h->head, memory_order_relaxed);
	for (;;) {
		if (++tries > CAS_TRIES_MAX)
			return -EBUSY;
		atomic_store_explicit(&p->priv->next[last], head_idx(head),
				      memory_order_relaxed);
		if (tc)
			atomic_store_explicit(&tc->transit_head, head,
					      memory_order_relaxed);
		/* [B] pairs with the acquire load/CAS [C] in pktpool__pop():
		 * links, tags and slot contents written before are visible to
		 * whoever pops these slots. */
		if (atomic_compare_exchange_weak_explicit(&h->head, &head,
				head_make(first, head_gen(head) + 1),
				memory_order_release, memory_order_relaxed))
			break;
	}
	atomic_fetch_add_explicit(&h->free_count, n, memory_order_relaxed);
	transit_mark(tc, TRANSIT_PUSHED);
	return 0;
}

/*
 * Link idx[0..n) into a chain, tag it free and push it. The tags change
 * before the CAS: after it, another thread of this process could pop a
 * slot and tag it with the same owner id, and clearing that would be
 * wrong.
 */
int pktpool__push(struct pktpool *p, struct pktpool__tcache *tc,
		  const uint32_t *idx, uint32_t n)
{
	uint32_t i;
	int err;

	if (n == 0)
		return 0;
	/* Links before the transit record: a survivor walks them. */
	for (i = 0; i + 1 < n; i++)
		atomic_store_explicit(&p->priv->next[idx[i]], idx[i + 1],
				      memory_order_relaxed);
	transit_begin(tc, TRANSIT_PUSH, idx[0], n,
		      atomic_load_explicit(&p->priv->hdr->head,
					   memory_order_relaxed));
	for (i = 0; i < n; i++)
		atomic_store_explicit(&p->tag[idx[i]], TAG(0, TAG_FREE),
				      memory_order_relaxed);
	err = pktpool__push_chain(p, tc, idx[0], idx[n - 1], n);
	transit_end(tc);
	return err;
}
