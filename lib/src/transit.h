/* SPDX-License-Identifier: MIT */
/*
 * The transit record: before each CAS that moves slots between a process
 * and the shared structures (the free list, freelist.c; the depot,
 * depot.c), the mover writes here what it is about to move and which head
 * it expects, and clears it right after. A survivor reads the record of a
 * process that died (proc.c) and settles where the slots are, or counts
 * them as uncertain. The record is the thread cache's, or for a thread
 * without one (one such thread at a time, under nc_lock) its process
 * entry's.
 */
#ifndef PKTPOOL_TRANSIT_H
#define PKTPOOL_TRANSIT_H

#include "internal.h"

static inline struct pktpool__proc *pktpool__transit_proc(struct pktpool *p)
{
	return &p->priv->hdr->proc[p->owner - 1];
}

/* op moves n slots starting at first (a slot, or a magazine), expecting
 * the head expect. */
static inline void pktpool__transit_begin(struct pktpool *p,
					  struct pktpool__tcache *tc,
					  uint32_t op, uint32_t first,
					  uint32_t n, struct hv expect)
{
	if (tc) {
		atomic_store_explicit(&tc->transit_first, first,
				      memory_order_relaxed);
		atomic_store_explicit(&tc->transit_n, n, memory_order_relaxed);
		atomic_store_explicit(&tc->transit_lo, expect.lo,
				      memory_order_relaxed);
		atomic_store_explicit(&tc->transit_gen, expect.gen,
				      memory_order_relaxed);
		/* [F] pairs with the acquire load of transit_op in proc.c */
		atomic_store_explicit(&tc->transit_op, op, memory_order_release);
	} else {
		struct pktpool__proc *e = pktpool__transit_proc(p);

		atomic_store_explicit(&e->t_first, first, memory_order_relaxed);
		atomic_store_explicit(&e->t_gen, expect.gen,
				      memory_order_relaxed);
		/* [F] pairs with the acquire load of t_op in proc.c */
		atomic_store_explicit(&e->t_op, op | n << 8,
				      memory_order_release);
	}
}

/* The head the next CAS attempt expects. */
static inline void pktpool__transit_expect(struct pktpool *p,
					   struct pktpool__tcache *tc,
					   struct hv expect)
{
	if (tc) {
		atomic_store_explicit(&tc->transit_lo, expect.lo,
				      memory_order_relaxed);
		atomic_store_explicit(&tc->transit_gen, expect.gen,
				      memory_order_relaxed);
	} else {
		atomic_store_explicit(&pktpool__transit_proc(p)->t_gen,
				      expect.gen, memory_order_relaxed);
	}
}

/* The same record, another op. */
static inline void pktpool__transit_mark(struct pktpool *p,
					 struct pktpool__tcache *tc,
					 uint32_t op)
{
	if (tc) {
		/* [F] pairs with the acquire load of transit_op in proc.c */
		atomic_store_explicit(&tc->transit_op, op, memory_order_release);
	} else {
		struct pktpool__proc *e = pktpool__transit_proc(p);
		uint32_t v = atomic_load_explicit(&e->t_op,
						  memory_order_relaxed);

		/* [F] pairs with the acquire load of t_op in proc.c */
		atomic_store_explicit(&e->t_op, (v & ~0xffu) | op,
				      memory_order_release);
	}
}

static inline void pktpool__transit_end(struct pktpool *p,
					struct pktpool__tcache *tc)
{
	/* [F]: what was written before (tags, magazines) is visible to
	 * whoever sees the record cleared */
	if (tc)
		atomic_store_explicit(&tc->transit_op, TRANSIT_NONE,
				      memory_order_release);
	else
		atomic_store_explicit(&pktpool__transit_proc(p)->t_op,
				      TRANSIT_NONE, memory_order_release);
}

#endif /* PKTPOOL_TRANSIT_H */
