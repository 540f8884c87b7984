// SPDX-License-Identifier: MIT
/*
 * Region layout: where each part lives, as a function of slot size and
 * count alone, and the header that records it. The parts and their sizes
 * are those pktpool.ko gives its regions (uapi/linux/pktpool.h), so a
 * region looks the same from either backend:
 *
 *   0              control block, PKTPOOL_CTRL_SIZE bytes:
 *     0              header page: identity and geometry copy, free-list
 *                    head and count (own cache line), counters (own line),
 *                    process table (at 1024)
 *     4096           PKTPOOL_THREADS_MAX thread caches of 320 bytes
 *   off_rx_ring    receive ring, kernel -> userspace: descriptors
 *   off_fill_ring  fill ring, userspace -> kernel: u32 slot indices
 *   off_tx_ring    transmit/verdict ring, userspace -> kernel: descriptors
 *   off_meta       8 bytes per slot: u32 next[] then u8 tag[]
 *   off_slots      the slots
 *
 * Each ring: producer at +0, consumer at +64, flags at +68, ring_entries
 * entries from +128 (PKTPOOL_RING_HDR), rounded up to a page. Rings, meta
 * and slots each start on a page. ring.c drives the rings; on the memfd
 * backend no kernel reads them, but the bytes are the same.
 */
#include <errno.h>
#include <string.h>

#include "internal.h"

static uint64_t page_up(uint64_t v)
{
	return (v + PKTPOOL_PAGE - 1) & ~(uint64_t)(PKTPOOL_PAGE - 1);
}

_Static_assert(PKTPOOL_HDR_SIZE + PKTPOOL_THREADS_MAX *
	       sizeof(struct pktpool__tcache) <= PKTPOOL_CTRL_SIZE,
	       "thread caches fit the control block");

int pktpool__layout(uint32_t slot_size, uint32_t slot_count,
		    struct pktpool_layout *lay)
{
	uint64_t ring;

	if (slot_size < PKTPOOL_SLOT_SIZE_MIN ||
	    slot_size > PKTPOOL_SLOT_SIZE_MAX ||
	    slot_size % PKTPOOL_SLOT_ALIGN || slot_count == 0 ||
	    slot_count > PKTPOOL_SLOT_COUNT_MAX)
		return -EINVAL;

	/* Bounded inputs: nothing below can overflow 64 bits. */
	memset(lay, 0, sizeof(*lay));
	lay->slot_size = slot_size;
	lay->slot_count = slot_count;
	lay->layout_version = PKTPOOL_LAYOUT_VERSION;
	ring = 1;
	while (ring < slot_count)
		ring <<= 1;
	lay->ring_entries = (uint32_t)ring;

	lay->ctrl_size = PKTPOOL_CTRL_SIZE;
	lay->off_tcache = PKTPOOL_HDR_SIZE;
	lay->rx_ring_size = page_up(PKTPOOL_RING_HDR +
				    ring * sizeof(struct pktpool_ring_desc));
	lay->fill_ring_size = page_up(PKTPOOL_RING_HDR + ring * 4);
	lay->tx_ring_size = lay->rx_ring_size;
	lay->off_rx_ring = PKTPOOL_CTRL_SIZE;
	lay->off_fill_ring = lay->off_rx_ring + lay->rx_ring_size;
	lay->off_tx_ring = lay->off_fill_ring + lay->fill_ring_size;
	lay->off_meta = lay->off_tx_ring + lay->tx_ring_size;
	lay->off_next = lay->off_meta;
	lay->off_tag = lay->off_meta + (uint64_t)slot_count * 4;
	lay->off_slots = lay->off_meta +
			 page_up((uint64_t)slot_count * PKTPOOL_META_SIZE);
	lay->size = lay->off_slots + page_up((uint64_t)slot_count * slot_size);
	if (lay->size > PKTPOOL_REGION_SIZE_MAX)
		return -EINVAL;
	return 0;
}

PKTPOOL_EXPORT int pktpool_layout(uint32_t slot_size, uint32_t slot_count,
				  struct pktpool_layout *lay)
{
	if (!lay)
		return -EINVAL;
	return pktpool__layout(slot_size, slot_count, lay);
}

/*
 * Whoever first finds the header all zero lays it out: the creator, or,
 * for a kernel region someone else created (pktpoolctl region create,
 * apply), the first process to attach it. The CAS makes that one process.
 */
bool pktpool__hdr_claim(struct pktpool__priv *pv)
{
	uint64_t zero = 0;

	/* [A'] the claim itself publishes nothing: hdr_init's release does */
	return atomic_compare_exchange_strong_explicit(&pv->hdr->magic, &zero,
						       PKTPOOL_MAGIC_CLAIMED,
						       memory_order_relaxed,
						       memory_order_relaxed);
}

/*
 * The claimant only, before anyone else can use the region: every slot on the
 * shared list in index order, all tags free, thread caches and process
 * table empty (the backend hands out zeroed memory).
 */
void pktpool__hdr_init(struct pktpool__priv *pv, uint32_t flags)
{
	struct pktpool__hdr *h = pv->hdr;
	const struct pktpool_layout *lay = &pv->lay;
	uint32_t i, n = lay->slot_count;

	h->layout_version = lay->layout_version;
	h->hdr_size = PKTPOOL_HDR_SIZE;
	h->slot_size = lay->slot_size;
	h->slot_count = n;
	h->flags = (flags & PKTPOOL_F_DEBUG) ? PKTPOOL_HDR_F_DEBUG : 0;
	h->ring_entries = lay->ring_entries;
	h->size = lay->size;
	h->off_slots = lay->off_slots;
	memcpy(h->name, pv->name, sizeof(h->name));

	for (i = 0; i < n; i++) {
		atomic_store_explicit(&pv->next[i], i + 1 < n ? i + 1 :
				      PKTPOOL_NIL, memory_order_relaxed);
		atomic_store_explicit(&pv->tag[i], TAG(0, TAG_FREE),
				      memory_order_relaxed);
	}
	atomic_store_explicit(&h->head, head_make(0, 0), memory_order_relaxed);
	atomic_store_explicit(&h->free_count, n, memory_order_relaxed);
	/* [A] pairs with the acquire load of magic in pktpool__hdr_check() */
	atomic_store_explicit(&h->magic, PKTPOOL_MAGIC, memory_order_release);
}

/*
 * Compare the header with the private layout. -EAGAIN while the creator
 * has not published it yet, -EUCLEAN when it disagrees.
 */
int pktpool__hdr_check(struct pktpool__priv *pv)
{
	struct pktpool__hdr *h = pv->hdr;
	const struct pktpool_layout *lay = &pv->lay;
	uint64_t magic;

	/* [A] pairs with the release store of magic in pktpool__hdr_init() */
	magic = atomic_load_explicit(&h->magic, memory_order_acquire);
	if (magic == 0 || magic == PKTPOOL_MAGIC_CLAIMED)
		return -EAGAIN;
	if (magic != PKTPOOL_MAGIC || h->layout_version != lay->layout_version ||
	    h->hdr_size != PKTPOOL_HDR_SIZE ||
	    h->slot_size != lay->slot_size ||
	    h->slot_count != lay->slot_count ||
	    h->ring_entries != lay->ring_entries ||
	    h->size != lay->size || h->off_slots != lay->off_slots)
		return -EUCLEAN;
	return 0;
}
