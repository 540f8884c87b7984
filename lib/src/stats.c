// SPDX-License-Identifier: MIT
/*
 * Statistics (summed from every thread cache in the region when read) and
 * the consistency check. Both are read sides: slow, bounded, and never
 * trusting a value from the region to index anything unchecked.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

PKTPOOL_EXPORT int pktpool_stats(struct pktpool *p, struct pktpool_stats *st)
{
	struct pktpool__priv *pv;
	struct pktpool__hdr *h;
	struct pktpool__tcache *mine;
	uint64_t free_now, cached = 0, out;
	uint32_t i;
	int err;

	err = pktpool__handle_get(p, &pv);
	if (err)
		return err;
	if (!st)
		return -EINVAL;
	h = pv->hdr;
	memset(st, 0, sizeof(*st));
	st->slot_size = p->slot_size;
	st->slot_count = p->slot_count;
	st->allocs = atomic_load_explicit(&h->retired_allocs,
					  memory_order_relaxed);
	st->frees = atomic_load_explicit(&h->retired_frees,
					 memory_order_relaxed);
	st->failures = atomic_load_explicit(&h->retired_failures,
					    memory_order_relaxed) +
		       atomic_load_explicit(&h->shared_failures,
					    memory_order_relaxed);
	for (i = 0; i < PKTPOOL_THREADS_MAX; i++) {
		struct pktpool__tcache *tc = &pv->tcache[i];
		uint32_t c;

		if (!atomic_load_explicit(&tc->owner, memory_order_relaxed))
			continue;
		st->threads++;
		c = atomic_load_explicit(&tc->count, memory_order_relaxed);
		cached += c <= PKTPOOL_CACHE_MAX ? c : 0;
		st->allocs += pktpool__tcache_allocs(tc);
		st->frees += atomic_load_explicit(&tc->frees,
						  memory_order_relaxed);
		st->failures += atomic_load_explicit(&tc->failures,
						     memory_order_relaxed);
	}
	for (i = 0; i < PKTPOOL_PROCS_MAX; i++) {
		uint32_t s = atomic_load_explicit(&h->proc[i].state,
						  memory_order_relaxed);

		st->procs += s == PROC_ALIVE;
	}
	free_now = atomic_load_explicit(&h->free_count, memory_order_relaxed);
	if (free_now > p->slot_count)
		free_now = p->slot_count;
	if (cached > p->slot_count - free_now)
		cached = p->slot_count - free_now;
	out = p->slot_count - free_now;
	st->free = free_now;
	st->cached = cached;
	st->in_use = out - cached;
	st->peak = atomic_load_explicit(&h->peak, memory_order_relaxed);
	if (st->peak < out)
		st->peak = out;
	if (st->peak > p->slot_count)
		st->peak = p->slot_count;
	st->errors = atomic_load_explicit(&h->errors, memory_order_relaxed);
	st->reclaimed = atomic_load_explicit(&h->reclaimed,
					     memory_order_relaxed);
	mine = pktpool__thread_cache_peek(p);
	if (mine) {
		uint32_t c = atomic_load_explicit(&mine->count,
						  memory_order_relaxed);

		st->cache_fill = c <= PKTPOOL_CACHE_MAX ? c : 0;
	}
	st->cache_cap = p->cap;
	return 0;
}

/* One pass of pktpool_validate(); -EAGAIN when the list moved under it. */
static int validate_once(struct pktpool *p, uint8_t *seen)
{
	struct pktpool__priv *pv = p->priv;
	struct pktpool__hdr *h = pv->hdr;
	const uint32_t n = p->slot_count;
	uint64_t head, listed = 0, tag_free = 0, fc;
	uint32_t cur, i, j;
	int err;

	memset(seen, 0, n);
	err = pktpool__hdr_check(pv);
	if (err)
		return pktpool__report(p, -EUCLEAN,
			"header does not match the region's geometry");

	/* [C] pairs with the release CAS [B] in pktpool__push_chain() */
	head = atomic_load_explicit(&h->head, memory_order_acquire);
	for (cur = head_idx(head); cur != PKTPOOL_NIL; listed++) {
		uint8_t tag;

		if (cur >= n || seen[cur] || listed >= n) {
			if (atomic_load_explicit(&h->head,
					memory_order_acquire) != head)
				return -EAGAIN;	/* [C] pairs with [B] */
			if (cur >= n)
				return pktpool__report(p, -EUCLEAN,
					"free list links to slot %u of %u",
					cur, n);
			return pktpool__report(p, -EUCLEAN,
				"free list has a cycle at slot %u", cur);
		}
		seen[cur] = 1;
		tag = atomic_load_explicit(&p->tag[cur], memory_order_relaxed);
		if (tag != TAG(0, TAG_FREE)) {
			if (atomic_load_explicit(&h->head,
					memory_order_acquire) != head)
				return -EAGAIN;	/* [C] pairs with [B] */
			return pktpool__report(p, -EUCLEAN,
				"slot %u on the free list has tag 0x%02x",
				cur, tag);
		}
		cur = atomic_load_explicit(&pv->next[cur], memory_order_relaxed);
	}
	/* [C] pairs with the release CAS [B] in pktpool__push_chain() */
	if (atomic_load_explicit(&h->head, memory_order_acquire) != head)
		return -EAGAIN;
	fc = atomic_load_explicit(&h->free_count, memory_order_relaxed);
	if (fc != listed)
		return pktpool__report(p, -EBADMSG,
			"free count %llu but %llu slots on the list",
			(unsigned long long)fc, (unsigned long long)listed);

	for (i = 0; i < n; i++)
		tag_free += (atomic_load_explicit(&p->tag[i],
				memory_order_relaxed) & PKTPOOL__TAG_OWNER) == 0;
	if (tag_free != listed)
		return pktpool__report(p, -EBADMSG,
			"%llu slots tagged free but %llu on the list",
			(unsigned long long)tag_free,
			(unsigned long long)listed);

	for (i = 0; i < PKTPOOL_PROCS_MAX; i++) {
		uint32_t s = atomic_load_explicit(&h->proc[i].state,
						  memory_order_relaxed);

		if (s > PROC_RECLAIMING)
			return pktpool__report(p, -EUCLEAN,
				"process entry %u has state %u", i + 1, s);
	}

	for (i = 0; i < PKTPOOL_THREADS_MAX; i++) {
		struct pktpool__tcache *tc = &pv->tcache[i];
		uint32_t owner = atomic_load_explicit(&tc->owner,
						      memory_order_relaxed);
		uint32_t c = atomic_load_explicit(&tc->count,
						  memory_order_relaxed);

		if (!owner)
			continue;
		if (owner > PKTPOOL_PROCS_MAX ||
		    atomic_load_explicit(&h->proc[owner - 1].state,
					 memory_order_relaxed) == PROC_FREE)
			return pktpool__report(p, -EUCLEAN,
				"thread cache %u belongs to unknown process %u",
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
				return pktpool__report(p, -EUCLEAN,
					"slot %u is in thread cache %u and %s",
					s, i, seen[s] == 1 ?
					"on the free list" : "another cache");
			seen[s] = 2;
			if ((atomic_load_explicit(&p->tag[s],
				memory_order_relaxed) & PKTPOOL__TAG_OWNER) != owner)
				return pktpool__report(p, -EBADMSG,
					"slot %u in a cache of process %u is tagged for another",
					s, owner);
		}
	}
	return 0;
}

PKTPOOL_EXPORT int pktpool_validate(struct pktpool *p)
{
	struct pktpool__priv *pv;
	uint8_t *seen;
	int err, tries;

	err = pktpool__handle_get(p, &pv);
	if (err)
		return err;
	seen = malloc(p->slot_count);
	if (!seen)
		return -ENOMEM;
	for (tries = 0; tries < 8; tries++) {
		err = validate_once(p, seen);
		if (err != -EAGAIN)
			break;
	}
	free(seen);
	return err;
}
