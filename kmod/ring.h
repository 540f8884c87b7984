/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _PKTPOOL_RING_H
#define _PKTPOOL_RING_H

#include <linux/poll.h>
#include <linux/types.h>
#include <linux/pktpool.h>

struct pktpool_region;
struct pktpool_ring;

/*
 * A pool bound to a ring: where the tx descriptors for the slots it put
 * on the rx ring go (see pktpool_params.tx).
 */
struct pktpool_ring_user {
	void (*tx)(void *arg, const struct pktpool_desc *d, const void *data);
	void *arg;
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

/* For the region's file operations and info. */
void pktpool_ring_account(struct pktpool_region *r,
			  struct pktpool_region_info *i);
__poll_t pktpool_ring_poll(struct pktpool_region *r);
void pktpool_ring_kick(struct pktpool_region *r);

#endif /* _PKTPOOL_RING_H */
