// SPDX-License-Identifier: MIT
/*
 * Which slots are the daemon's, kept in private memory: the region's
 * rings and bytes may be written by anyone who can attach it, so a slot
 * index read from the rx ring is used only when this table says the
 * kernel had that slot. The daemon uses no allocator in the region: at
 * start it owns every slot (pktpool_vdev resets the rings when the last
 * writer goes, so the next one "starts with every slot but those the
 * kernel is filling"; such a slot put on fill is refused as
 * ring_invalid and comes back on rx with its packet, which this table
 * takes as the kernel's slot coming home). A daemon that restarts after
 * a crash therefore needs no reclaim.
 */
#include <errno.h>
#include <stdlib.h>

#include "vpn.h"

int pktpool_vpn_slots_init(struct pktpool_vpn_slots *s, uint32_t count)
{
	uint32_t i;

	s->count = count;
	s->state = calloc(count ? count : 1, sizeof(*s->state));
	s->free = calloc(count ? count : 1, sizeof(*s->free));
	if (!s->state || !s->free) {
		pktpool_vpn_slots_destroy(s);
		return -ENOMEM;
	}
	/* Pushed high to low: slot 0 is taken first. */
	for (i = 0; i < count; i++) {
		s->state[i] = PKTPOOL_VPN_SLOT_FREE;
		s->free[i] = count - 1 - i;
	}
	s->nfree = count;
	return 0;
}

void pktpool_vpn_slots_destroy(struct pktpool_vpn_slots *s)
{
	free(s->state);
	free(s->free);
	s->state = NULL;
	s->free = NULL;
	s->count = s->nfree = 0;
}

/* A free slot for the daemon to work on; -ENOBUFS when none is left. */
int pktpool_vpn_slot_take(struct pktpool_vpn_slots *s, uint32_t *slot)
{
	if (!s->nfree)
		return -ENOBUFS;
	*slot = s->free[--s->nfree];
	s->state[*slot] = PKTPOOL_VPN_SLOT_HELD;
	return 0;
}

/* A slot the daemon held goes back on its free stack. */
int pktpool_vpn_slot_put(struct pktpool_vpn_slots *s, uint32_t slot)
{
	if (slot >= s->count || s->state[slot] != PKTPOOL_VPN_SLOT_HELD)
		return -EINVAL;
	s->state[slot] = PKTPOOL_VPN_SLOT_FREE;
	s->free[s->nfree++] = slot;
	return 0;
}

/* A held slot goes to the kernel (on fill, or with a packet on tx). */
int pktpool_vpn_slot_to_kernel(struct pktpool_vpn_slots *s, uint32_t slot)
{
	if (slot >= s->count || s->state[slot] != PKTPOOL_VPN_SLOT_HELD)
		return -EINVAL;
	s->state[slot] = PKTPOOL_VPN_SLOT_KERNEL;
	return 0;
}

/*
 * A slot named on the rx ring: the daemon holds it now, if the kernel
 * had it. -EINVAL for an index out of range or a slot the daemon has
 * (a descriptor no honest kernel wrote): the caller ignores it.
 */
int pktpool_vpn_slot_from_kernel(struct pktpool_vpn_slots *s, uint32_t slot)
{
	if (slot >= s->count || s->state[slot] != PKTPOOL_VPN_SLOT_KERNEL)
		return -EINVAL;
	s->state[slot] = PKTPOOL_VPN_SLOT_HELD;
	return 0;
}
