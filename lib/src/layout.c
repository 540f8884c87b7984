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
 *     4096           PKTPOOL_THREADS_MAX thread caches of 384 bytes
 *   off_rx_ring    receive ring, kernel -> userspace: descriptors
 *   off_fill_ring  fill ring, userspace -> kernel: u32 slot indices
 *   off_tx_ring    transmit/verdict ring, userspace -> kernel: descriptors
 *   off_meta       8 bytes per slot: u32 next[], u8 tag[], u8 dbg[]
 *                  (debug state, see internal.h), then (from the next
 *                  64-byte boundary to the end of the meta area's pages)
 *                  the depot's magazines (see depot.c)
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

/* Slots per refill and drain, and per full magazine: the same in every
 * process, a function of the geometry alone. */
uint32_t pktpool__batch(uint32_t slot_count)
{
	uint32_t b = slot_count / 16;

	if (b > PKTPOOL_BATCH_MAX)
		b = PKTPOOL_BATCH_MAX;
	return b ? b : 1;
}

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
 * The layout itself, by the one process entitled to (see
 * pktpool__hdr_layout()): the first slots in full magazines (half the
 * magazines, the rest empty), the others on the shared list, all in index
 * order; all tags free, thread caches and process table empty, in debug
 * mode every slot poisoned, and only then the magic. Everything is written, not
 * assumed zero, so a layout a killed process left half done is redone.
 */
void pktpool__hdr_init(struct pktpool__priv *pv, uint32_t flags)
{
	struct pktpool__hdr *h = pv->hdr;
	const struct pktpool_layout *lay = &pv->lay;
	uint32_t i, j, n = lay->slot_count, b = pktpool__batch(n);
	uint32_t full = pv->mag_count / 2, first;

	atomic_store_explicit(&h->magic, PKTPOOL_MAGIC_CLAIMED,
			      memory_order_relaxed);
	h->layout_version = lay->layout_version;
	h->hdr_size = PKTPOOL_HDR_SIZE;
	h->slot_size = lay->slot_size;
	h->slot_count = n;
	h->flags = (flags & PKTPOOL_F_DEBUG) ? PKTPOOL_HDR_F_DEBUG : 0;
	h->ring_entries = lay->ring_entries;
	h->size = lay->size;
	h->off_slots = lay->off_slots;
	memcpy(h->name, pv->name, sizeof(h->name));
	/* counters (128..191) and the process table */
	memset((char *)h + offsetof(struct pktpool__hdr, peak), 0, 64);
	memset((char *)h + offsetof(struct pktpool__hdr, base_allocs), 0,
	       offsetof(struct pktpool__hdr, proc) -
	       offsetof(struct pktpool__hdr, base_allocs));
	memset((void *)h->proc, 0, sizeof(h->proc));
	memset(pv->tcache, 0, PKTPOOL_THREADS_MAX * sizeof(*pv->tcache));

	if (full > n / b)
		full = n / b;
	for (i = 0; i < pv->mag_count; i++) {
		struct pktpool__mag *m = &pv->mag[i];

		atomic_store_explicit(&m->next, i + 1 == full ||
				      i + 1 == pv->mag_count ? PKTPOOL_NIL : i + 1,
				      memory_order_relaxed);
		for (j = 0; j < PKTPOOL_BATCH_MAX; j++)
			atomic_store_explicit(&m->slot[j], i < full && j < b ?
					      i * b + j : PKTPOOL_NIL,
					      memory_order_relaxed);
	}
	first = full * b;
	for (i = 0; i < n; i++) {
		atomic_store_explicit(&pv->next[i], i + 1 < n ? i + 1 :
				      PKTPOOL_NIL, memory_order_relaxed);
		atomic_store_explicit(&pv->tag[i], TAG(0, TAG_FREE),
				      memory_order_relaxed);
		pktpool__debug_clear(pv, i);
	}
	atomic_store_explicit(&h->head.lo, first < n ?
			      hv_make(first, n - first, 0).lo :
			      hv_make(PKTPOOL_NIL, 0, 0).lo,
			      memory_order_relaxed);
	atomic_store_explicit(&h->head.gen, 0, memory_order_relaxed);
	atomic_store_explicit(&h->full.lo, full ? hv_make(0, full, 0).lo :
			      hv_make(PKTPOOL_NIL, 0, 0).lo,
			      memory_order_relaxed);
	atomic_store_explicit(&h->full.gen, 0, memory_order_relaxed);
	atomic_store_explicit(&h->empty.lo, full < pv->mag_count ?
			      hv_make(full, pv->mag_count - full, 0).lo :
			      hv_make(PKTPOOL_NIL, 0, 0).lo,
			      memory_order_relaxed);
	atomic_store_explicit(&h->empty.gen, 0, memory_order_relaxed);
	/* Before the region is visible as laid out: an early attacher's
	 * data must not be poisoned under it. */
	if (flags & PKTPOOL_F_DEBUG)
		pktpool__poison_all(pv);
	/* [A] pairs with the acquire load of magic in pktpool__hdr_check() */
	atomic_store_explicit(&h->magic, PKTPOOL_MAGIC, memory_order_release);
}

/*
 * Lay out a region whose header nobody has published: a zeroed kernel
 * region (made by its creator, pktpoolctl or apply) or one whose layout a
 * killed process left half done. The layout lock (an OFD lock, see proc.c)
 * picks one process to do it and is released by the kernel if that
 * process dies, so the next one redoes it. 0 when laid out (by us or
 * another), -EAGAIN while another process is at it.
 */
int pktpool__hdr_layout(struct pktpool__priv *pv, uint32_t flags)
{
	uint64_t magic;
	int err;

	/* [A] pairs with the release store of magic in pktpool__hdr_init() */
	magic = atomic_load_explicit(&pv->hdr->magic, memory_order_acquire);
	if (magic != 0 && magic != PKTPOOL_MAGIC_CLAIMED)
		return 0;
	err = pktpool__lock_try(pv, LOCK_LAYOUT_BYTE);
	if (err)
		return err == -EAGAIN ? -EAGAIN : err;
	/* [A] as above: published while we waited for the lock? */
	magic = atomic_load_explicit(&pv->hdr->magic, memory_order_acquire);
	if (magic == 0 || magic == PKTPOOL_MAGIC_CLAIMED)
		pktpool__hdr_init(pv, flags);
	pktpool__lock_drop(pv, LOCK_LAYOUT_BYTE);
	return 0;
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
