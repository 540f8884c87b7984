// SPDX-License-Identifier: MIT
/*
 * The user side of a region's three rings (rx, fill, tx): setting it up,
 * the rare paths the inline functions in libpktpool.h call out to, and the
 * syscalls (kick, wait). The fast paths themselves are in the header.
 *
 * Ordering pairs [A]..[E] are described in libpktpool.h ("Rings") and in
 * uapi/linux/pktpool.h.
 */
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>

#include <linux/pktpool.h>

#include "internal.h"

#define FILL_ALLOC_BATCH	64	/* slots per allocator call */
#define MEMFD_WAIT_MS		1	/* memfd: no kernel to wake us */

/* The library's descriptor is the kernel's, byte for byte. */
#define SAME_FIELD(f) \
	_Static_assert(offsetof(struct pktpool_ring_desc, f) == \
		       offsetof(struct pktpool_desc, f) && \
		       sizeof(((struct pktpool_ring_desc *)0)->f) == \
		       sizeof(((struct pktpool_desc *)0)->f), #f)
SAME_FIELD(slot);
SAME_FIELD(len);
SAME_FIELD(orig_len);
SAME_FIELD(id);
SAME_FIELD(tstamp);
SAME_FIELD(ifindex);
SAME_FIELD(mark);
SAME_FIELD(flags);
SAME_FIELD(family);
SAME_FIELD(hook);
SAME_FIELD(verdict);
SAME_FIELD(binding);
SAME_FIELD(reserved);
_Static_assert(sizeof(struct pktpool_ring_desc) == sizeof(struct pktpool_desc),
	       "descriptor size");
_Static_assert(PKTPOOL_RING_PRODUCER == 0 && PKTPOOL_RING_CONSUMER == 64 &&
	       PKTPOOL_RING_FLAGS == 68, "ring header offsets");

static void ring_setup(struct pktpool_ring *q, unsigned char *base,
		       uint32_t entries)
{
	memset(q, 0, sizeof(*q));
	q->producer = (_Atomic uint32_t *)(base + PKTPOOL_RING_PRODUCER);
	q->consumer = (_Atomic uint32_t *)(base + PKTPOOL_RING_CONSUMER);
	q->flags = (_Atomic uint32_t *)(base + PKTPOOL_RING_FLAGS);
	q->entries = base + PKTPOOL_RING_HDR;
	q->size = entries;
	q->mask = entries - 1;
}

PKTPOOL_EXPORT int pktpool_rings_init(struct pktpool *p,
				      struct pktpool_rings *r)
{
	struct pktpool__priv *pv;
	const struct pktpool_layout *lay;
	int err = pktpool__handle_get(p, &pv);

	if (err)
		return err;
	if (!r)
		return -EINVAL;
	lay = &pv->lay;
	memset(r, 0, sizeof(*r));
	ring_setup(&r->rx, pv->base + lay->off_rx_ring, lay->ring_entries);
	ring_setup(&r->fill, pv->base + lay->off_fill_ring, lay->ring_entries);
	ring_setup(&r->tx, pv->base + lay->off_tx_ring, lay->ring_entries);
	r->pool = p;
	r->slots = p->slots;
	r->slot_size = p->slot_size;
	r->slot_count = p->slot_count;
	r->fd = pv->fd;
	r->region_id = lay->region_id;

	/*
	 * Our side's indices are ours from now on; the other side's are
	 * only cached. [B]/[D]: acquire, as every load of the peer's index.
	 */
	r->rx.cons = atomic_load_explicit(r->rx.consumer, memory_order_relaxed);
	r->rx.prod = atomic_load_explicit(r->rx.producer, memory_order_acquire);
	r->fill.prod = atomic_load_explicit(r->fill.producer,
					    memory_order_relaxed);
	r->fill.cons = atomic_load_explicit(r->fill.consumer,
					    memory_order_acquire);
	r->tx.prod = atomic_load_explicit(r->tx.producer, memory_order_relaxed);
	r->tx.cons = atomic_load_explicit(r->tx.consumer, memory_order_acquire);
	if (r->rx.prod - r->rx.cons > r->rx.size)
		return pktpool__ring_corrupt(r, &r->rx, r->rx.prod);
	if (r->fill.prod - r->fill.cons > r->fill.size)
		return pktpool__ring_corrupt(r, &r->fill, r->fill.cons);
	if (r->tx.prod - r->tx.cons > r->tx.size)
		return pktpool__ring_corrupt(r, &r->tx, r->tx.cons);
	return 0;
}

static const char *ring_name(const struct pktpool_rings *r,
			     const struct pktpool_ring *q)
{
	return q == &r->rx ? "rx" : q == &r->fill ? "fill" : "tx";
}

/* The index seen is not one an honest peer could have stored. */
PKTPOOL_EXPORT PKTPOOL_COLD int pktpool__ring_corrupt(struct pktpool_rings *r,
						      struct pktpool_ring *q,
						      uint32_t seen)
{
	r->corrupt++;
	return pktpool__report(r->pool, -EUCLEAN,
			       "%s ring: peer index %u impossible (producer %u, consumer %u, %u entries)",
			       ring_name(r, q), seen, q->prod, q->cons,
			       q->size);
}

PKTPOOL_EXPORT int pktpool_fill_alloc(struct pktpool_rings *r,
				      unsigned int max)
{
	void *objs[FILL_ALLOC_BATCH];
	unsigned int total = 0;
	uint32_t idx = 0, slot, i;
	int want, got;

	if (!r || !pktpool__handle_ok(r->pool))
		return -EINVAL;
	while (total < max) {
		want = pktpool_fill_reserve(r, max - total < FILL_ALLOC_BATCH ?
					    max - total : FILL_ALLOC_BATCH,
					    &idx);
		if (want <= 0)
			return total ? (int)total : want;
		got = pktpool_alloc_bulk(r->pool, objs, (unsigned int)want);
		if (got < 0) {
			pktpool_fill_submit(r, 0);
			return total ? (int)total : got;
		}
		for (i = 0; i < (uint32_t)got; i++) {
			/* from our own allocator: in range and aligned */
			slot = (uint32_t)(((unsigned char *)objs[i] - r->slots) /
					  r->slot_size);
			pktpool_fill_set(r, idx + i, slot);
			/* debug: the kernel does not know the usable size */
			pktpool__debug_unguard(r->pool, slot);
		}
		pktpool_fill_submit(r, (unsigned int)got);
		total += (unsigned int)got;
		if (got < want)
			break;		/* the region ran out */
	}
	return (int)total;
}

PKTPOOL_EXPORT int pktpool_rings_kick(struct pktpool_rings *r)
{
	struct pktpool_pool_id id;

	if (!r)
		return -EINVAL;
	if (!r->region_id)
		return -EOPNOTSUPP;
	memset(&id, 0, sizeof(id));
	id.size = sizeof(id);
	id.id = r->region_id;
	return ioctl(r->fd, PKTPOOL_IOC_REGION_KICK, &id) ? -errno : 0;
}

/* rx has entries we have not peeked (an acquire load, as in peek [B]). */
static bool rx_ready(struct pktpool_rings *r)
{
	uint32_t p = atomic_load_explicit(r->rx.producer, memory_order_acquire);

	return p != r->rx.cons + r->rx.pending;
}

PKTPOOL_EXPORT int pktpool_rings_wait(struct pktpool_rings *r, int timeout_ms)
{
	struct pollfd pfd;
	int n;

	if (!r)
		return -EINVAL;
	if (rx_ready(r))
		return 1;
	if (!r->region_id) {
		struct timespec ts = { 0, MEMFD_WAIT_MS * 1000000L };

		if (timeout_ms == 0)
			return 0;
		if (timeout_ms > 0 && timeout_ms < MEMFD_WAIT_MS)
			ts.tv_nsec = timeout_ms * 1000000L;
		if (nanosleep(&ts, NULL))
			return -errno;
		return rx_ready(r);
	}
	pfd.fd = r->fd;
	pfd.events = POLLIN;
	pfd.revents = 0;
	n = poll(&pfd, 1, timeout_ms);
	if (n < 0)
		return -errno;
	if (n > 0 && (pfd.revents & (POLLERR | POLLNVAL)))
		return -EIO;
	return n > 0 ? 1 : 0;
}
