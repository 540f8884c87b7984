/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _PKTPOOL_RING_H
#define _PKTPOOL_RING_H

#include <linux/list.h>
#include <linux/poll.h>
#include <linux/types.h>
#include <linux/pktpool.h>

struct pktpool_region;
struct pktpool_ring;

/*
 * A pool bound to a ring: where the tx descriptors for the slots it put
 * on the rx ring go, and what it hears (see pktpool_params.tx, tx_any,
 * kick, live).
 */
struct pktpool_ring_user {
	void (*tx)(void *arg, const struct pktpool_desc *d, const void *data);
	void (*kick)(void *arg);
	void (*live)(void *arg, bool live);
	void *arg;
	bool tx_any;
	bool want_fill;		/* under the ring's lock */
	struct list_head node;	/* the ring's users */
};

/* Process context: region-backed pools come and go. */
struct pktpool_ring *pktpool_ring_bind(struct pktpool_region *r,
				       struct pktpool_ring_user *user);
void pktpool_ring_unbind(struct pktpool_ring *ring,
			 struct pktpool_ring_user *user);
void pktpool_ring_release(struct pktpool_ring *ring);

/* Process or softirq context, never hardirq. */
void *pktpool_ring_alloc(struct pktpool_ring *ring);
bool pktpool_ring_free(struct pktpool_ring *ring, void *obj);
int pktpool_ring_rx_submit(struct pktpool_ring *ring,
			   struct pktpool_ring_user *user, void *obj,
			   const struct pktpool_desc *d);
void pktpool_ring_want_fill(struct pktpool_ring *ring,
			    struct pktpool_ring_user *user, bool want);

/* For the region's file operations and info. */
void pktpool_ring_account(struct pktpool_region *r,
			  struct pktpool_region_info *i);
__poll_t pktpool_ring_poll(struct pktpool_region *r);
void pktpool_ring_kick(struct pktpool_region *r);

/* Process context, r pinned: its writers came or went (region.c). */
void pktpool_ring_liveness(struct pktpool_region *r);

#endif /* _PKTPOOL_RING_H */
