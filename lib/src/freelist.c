// SPDX-License-Identifier: MIT
/*
 * The shared free list: a lock-free stack of slot indices whose head is one
 * 16-byte word (index, count, 64-bit generation) changed only by CAS, and
 * whose links live in the region's next[] array, never in the slots. Every
 * successful CAS bumps the generation, so a head read, a walk and a CAS
 * that succeeds prove nothing was pushed or popped meanwhile (ABA-safe
 * across processes, for good: the generation does not wrap).
 *
 * Chains move whole: a refill walks up to a batch of links from the head
 * and takes them with one CAS; a drain links its slots privately and puts
 * them on with one CAS.
 *
 * Before each CAS the caller records what it is about to do (the transit
 * record: its thread cache's, or for a thread without a cache its process
 * entry's, one such thread at a time) and right after it that it is done;
 * a pop tags its chain as ours after the CAS, a push tags its chain free
 * before it. A survivor reads the record of a process that died (proc.c)
 * and settles where the chain is, or counts it as uncertain.
 */
#include <errno.h>

#include "internal.h"
#include "transit.h"

#define CAS_TRIES_MAX	(1u << 24)	/* others keep winning: give up */

static void peak_update(struct pktpool__hdr *h, uint64_t out)
{
	uint64_t old = atomic_load_explicit(&h->peak, memory_order_relaxed);

	while (out > old &&
	       !atomic_compare_exchange_weak_explicit(&h->peak, &old, out,
			memory_order_relaxed, memory_order_relaxed))
		;
}

/*
 * Take up to want slots off the shared list into out[] (private memory),
 * tagged as cached by this process. *got is how many (0 when the list is
 * empty). A slot that comes off the list not tagged free (a cycle in the
 * links, a slot on the list twice, a hostile tag) is reported and kept
 * back: never handed out twice.
 */
int pktpool__pop(struct pktpool *p, struct pktpool__tcache *tc,
		 uint32_t *out, uint32_t want, uint32_t *got)
{
	struct pktpool__priv *pv = p->priv;
	struct pktpool__hdr *h = pv->hdr;
	const uint32_t n = p->slot_count;
	struct hv head;
	uint32_t first, cur, nx, rest, k, i, c, tries = 0, bad = 0;
	int err = 0;

	*got = 0;
	if (want == 0)
		return 0;
	head = head_load(&h->head);
	for (;;) {
		if (++tries > CAS_TRIES_MAX) {
			pktpool__transit_end(p, tc);
			return -EBUSY;
		}
		first = hv_idx(head);
		if (first == PKTPOOL_NIL) {
			if (tries > 1)
				pktpool__transit_end(p, tc);
			return 0;
		}
		if (first >= n)
			goto check;
		k = 0;
		cur = first;
		/*
		 * The walk is a chain of dependent loads. Batches are mostly
		 * runs of nearby slots, so fetch the lines around the first
		 * link at once instead of one miss after another.
		 */
		{
			const char *l = (const char *)&pv->next[first & ~15u];

			__builtin_prefetch(l - 64);
			__builtin_prefetch(l);
			__builtin_prefetch(l + 64);
			__builtin_prefetch(l + 128);
		}
		out[k++] = cur;
		for (;;) {
			nx = atomic_load_explicit(&pv->next[cur],
						  memory_order_relaxed);
			if (nx != PKTPOOL_NIL && nx >= n)
				goto check;
			if (k == want || nx == PKTPOOL_NIL) {
				rest = nx;
				break;
			}
			out[k++] = nx;
			cur = nx;
		}
		c = hv_count(head);
		pktpool__transit_begin(p, tc, TRANSIT_POP, first, k, head);
		/* [B]/[C]: pairs with the pusher's CAS; also publishes the
		 * transit record */
		if (head_cas(&h->head, &head,
			     hv_make(rest, c >= k ? c - k : 0, head.gen + 1)))
			break;
		pktpool__transit_expect(p, tc, head);
		continue;
check:
		/* A link read while another thread was relinking that slot
		 * is garbage only if the head has not moved meanwhile. */
		{
			struct hv now = head_snapshot(&h->head);

			if (hv_eq(now, head)) {
				pktpool__transit_end(p, tc);
				return pktpool__report(p, -EUCLEAN,
					"free list corrupt: a link from the head (slot %u, gen %llu) leaves the %u slots",
					first, (unsigned long long)head.gen, n);
			}
			head = now;
		}
	}

	pktpool__transit_mark(p, tc, TRANSIT_POPPED);
	for (i = 0; i < k; i++) {
		uint32_t idx = out[i];
		uint8_t t = atomic_load_explicit(&p->tag[idx],
						 memory_order_relaxed);

		if (t != TAG(0, TAG_FREE)) {
			bad++;
			continue;
		}
		atomic_store_explicit(&p->tag[idx], TAG(p->owner, TAG_CACHED),
				      memory_order_relaxed);
		out[i - bad] = idx;
	}
	pktpool__transit_end(p, tc);
	if (c >= k && c <= n) {
		uint64_t in_depot = pktpool__depot_free(pv);

		/* free = what the list and the full magazines hold */
		if (in_depot <= n - (c - k))
			peak_update(h, n - (c - k) - in_depot);
	}
	if (bad)
		err = pktpool__report(p, -EUCLEAN,
			"%u slots came off the free list not tagged free (a cycle, or a slot listed twice); kept back",
			bad);
	*got = k - bad;
	return *got ? 0 : err;
}

/*
 * Put a chain first..last of n slots, already linked through next[] and
 * tagged free, on the shared list with one CAS.
 */
static int push_chain(struct pktpool *p, struct pktpool__tcache *tc,
		      uint32_t first, uint32_t last, uint32_t n)
{
	struct pktpool__hdr *h = p->priv->hdr;
	struct hv head = head_load(&h->head);
	uint32_t tries = 0;

	for (;;) {
		if (++tries > CAS_TRIES_MAX)
			return -EBUSY;
		atomic_store_explicit(&p->priv->next[last], hv_idx(head),
				      memory_order_relaxed);
		pktpool__transit_expect(p, tc, head);
		/* [B] pairs with the acquire load/CAS [C] in pktpool__pop():
		 * links, tags and slot contents written before are visible to
		 * whoever pops these slots. */
		if (head_cas(&h->head, &head,
			     hv_make(first, hv_count(head) + n, head.gen + 1)))
			break;
	}
	pktpool__transit_mark(p, tc, TRANSIT_PUSHED);
	return 0;
}

/*
 * Link idx[0..n) (private memory, every index checked by the caller) into
 * a chain, tag it free and push it. The tags change before the CAS:
 * after it, another thread of this process could pop a slot and tag it
 * with the same owner id, and clearing that would be wrong.
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
	pktpool__transit_begin(p, tc, TRANSIT_PUSH, idx[0], n,
		      head_load(&p->priv->hdr->head));
	/* whoever sees a tag below free sees the record (validate) */
	atomic_thread_fence(memory_order_release);
	for (i = 0; i < n; i++)
		atomic_store_explicit(&p->tag[idx[i]], TAG(0, TAG_FREE),
				      memory_order_relaxed);
	err = push_chain(p, tc, idx[0], idx[n - 1], n);
	pktpool__transit_end(p, tc);
	return err;
}
