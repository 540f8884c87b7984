// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel side of a region's rings (uapi/linux/pktpool.h, "Rings"):
 * region-backed pools take their objects from slots userspace put on the
 * fill ring and hand filled slots back on the rx ring.
 *
 * Nothing read from the region is trusted. The kernel keeps its own record
 * of every slot (struct pktpool_ring.state) and of which slot it put at
 * each rx position (rx_slot), so an index userspace writes can only be
 * accepted or counted as invalid: a slot out of range or not the user's,
 * a producer more than a ring ahead, a consumer outside what the kernel
 * produced. A misbehaving process hurts only its own region's traffic.
 *
 * The region's pages are mapped into one contiguous kernel range (vmap),
 * so a slot may span pages. The rings' state lives as long as the region;
 * pools come and go (users).
 *
 * Contexts: alloc, free and submit run in process or softirq context and
 * take ring->lock with the _bh variants (a sleeping lock on PREEMPT_RT,
 * where softirqs run in threads); never from hardirq context. The tx ring
 * is read only on PKTPOOL_IOC_REGION_KICK, in process context, under
 * ring->tx_mutex, which also keeps a pool from unbinding while its tx
 * or kick callback runs.
 *
 * Liveness: the ring is live while some file has the region attached for
 * writing. When the last such file goes (its process detached or died)
 * the kernel tells its users (their live callback) and, on a region that
 * carries a device (a tx_any user), takes the ring back
 * (pktpool_ring_reset()) so that the daemon that attaches next starts
 * clean.
 *
 * Lock order: pktpool_ring_mutex, ring->tx_mutex, ring->lock.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/poll.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/vmalloc.h>

#include "region.h"
#include "ring.h"

/* What the kernel knows about a slot; userspace never sees this. */
enum {
	PKTPOOL_SLOT_USER,	/* userspace's, or on no ring */
	PKTPOOL_SLOT_FREE,	/* the kernel's, on its free stack */
	PKTPOOL_SLOT_BUSY,	/* allocated by a kernel pool user */
	PKTPOOL_SLOT_RX,	/* on the rx ring, not yet consumed */
	PKTPOOL_SLOT_TX,	/* taken off the tx ring, its user called */
};

/* tx entries handled per pass under ring->lock. */
#define PKTPOOL_TX_BATCH	32

struct pktpool_ring {
	struct pktpool_region *region;	/* pins nothing: the region owns us */
	void *base;			/* the whole region, vmap'd */
	void *slots;
	u32 *rx_prod_p, *rx_cons_p, *fill_prod_p, *fill_cons_p;
	u32 *fill_flags_p;
	u32 *tx_prod_p, *tx_cons_p, *tx_flags_p;
	struct pktpool_desc *rx;
	u32 *fill;
	struct pktpool_desc *tx;
	u32 mask;
	u32 slot_count;
	u32 slot_size;

	spinlock_t lock;	/* everything below */
	unsigned int users;	/* pools bound; also under pktpool_ring_mutex */
	u8 *state;		/* per slot: PKTPOOL_SLOT_* */
	u32 *rx_slot;		/* the slot at each rx position */
	u32 *free;		/* the kernel's free slots, a stack */
	u32 nfree;
	u32 busy;
	u32 inflight;
	u32 rx_prod;		/* the kernel's producer index */
	u32 rx_cons;		/* the last consumer index that made sense */
	u32 fill_cons;
	u32 fill_bad_prod;	/* a producer counted as invalid already */
	u32 rx_bad_cons;
	u32 tx_cons;
	u32 tx_bad_prod;
	u64 invalid;
	unsigned int want_fill;	/* users that asked for fill kicks */
	/* Per slot: the user whose rx entry it was, for its tx entry. */
	struct pktpool_ring_user **owner;
	/* tx entries of slots no user put on rx; under both mutexes. */
	struct pktpool_ring_user *tx_any;
	struct list_head user_list;	/* under pktpool_ring_mutex, tx_mutex */
	bool live;			/* under pktpool_ring_mutex */

	struct mutex tx_mutex;	/* one tx reader; the batch below */
	struct pktpool_desc tx_batch[PKTPOOL_TX_BATCH];
	struct pktpool_ring_user *tx_who[PKTPOOL_TX_BATCH];
};

/* Serializes binding and unbinding, which may sleep. */
static DEFINE_MUTEX(pktpool_ring_mutex);

static void *pktpool_ring_at(struct pktpool_ring *ring, u64 off)
{
	return ring->base + off;
}

static struct pktpool_ring *pktpool_ring_create(struct pktpool_region *r)
{
	u32 n = r->ring_entries;
	struct pktpool_ring *ring;

	ring = kzalloc(sizeof(*ring), GFP_KERNEL);
	if (!ring)
		return NULL;
	ring->state = kvcalloc(r->slot_count, sizeof(*ring->state), GFP_KERNEL);
	ring->free = kvcalloc(r->slot_count, sizeof(*ring->free), GFP_KERNEL);
	ring->rx_slot = kvcalloc(n, sizeof(*ring->rx_slot), GFP_KERNEL);
	ring->owner = kvcalloc(r->slot_count, sizeof(*ring->owner), GFP_KERNEL);
	ring->base = vmap(r->pages, r->nr_pages, VM_MAP, PAGE_KERNEL);
	if (!ring->state || !ring->free || !ring->rx_slot || !ring->owner ||
	    !ring->base) {
		pktpool_ring_release(ring);
		return NULL;
	}
	spin_lock_init(&ring->lock);
	mutex_init(&ring->tx_mutex);
	INIT_LIST_HEAD(&ring->user_list);
	ring->live = atomic_read(&r->writers) > 0;
	ring->region = r;
	ring->mask = n - 1;
	ring->slot_count = r->slot_count;
	ring->slot_size = r->slot_size;
	ring->slots = pktpool_ring_at(ring, r->slots_off);
	ring->rx = pktpool_ring_at(ring, r->rx_off + PKTPOOL_REGION_RING_HDR);
	ring->fill = pktpool_ring_at(ring, r->fill_off + PKTPOOL_REGION_RING_HDR);
	ring->tx = pktpool_ring_at(ring, r->tx_off + PKTPOOL_REGION_RING_HDR);
	ring->rx_prod_p = pktpool_ring_at(ring, r->rx_off + PKTPOOL_RING_PRODUCER);
	ring->rx_cons_p = pktpool_ring_at(ring, r->rx_off + PKTPOOL_RING_CONSUMER);
	ring->fill_prod_p = pktpool_ring_at(ring, r->fill_off + PKTPOOL_RING_PRODUCER);
	ring->fill_cons_p = pktpool_ring_at(ring, r->fill_off + PKTPOOL_RING_CONSUMER);
	ring->fill_flags_p = pktpool_ring_at(ring, r->fill_off + PKTPOOL_RING_FLAGS);
	ring->tx_prod_p = pktpool_ring_at(ring, r->tx_off + PKTPOOL_RING_PRODUCER);
	ring->tx_cons_p = pktpool_ring_at(ring, r->tx_off + PKTPOOL_RING_CONSUMER);
	ring->tx_flags_p = pktpool_ring_at(ring, r->tx_off + PKTPOOL_RING_FLAGS);
	/*
	 * Start where userspace left the indices: it may have produced
	 * into the fill ring before any kernel user came. A hostile start
	 * is caught like any other bad index.
	 */
	ring->rx_prod = READ_ONCE(*ring->rx_prod_p);
	ring->rx_cons = ring->rx_prod;
	WRITE_ONCE(*ring->rx_cons_p, ring->rx_prod);
	ring->fill_cons = READ_ONCE(*ring->fill_cons_p);
	ring->tx_cons = READ_ONCE(*ring->tx_cons_p);
	/* The kernel reads the tx ring only when kicked. */
	WRITE_ONCE(*ring->tx_flags_p, PKTPOOL_RING_F_NEED_WAKEUP);
	return ring;
}

/* From the region's last put, process context. */
void pktpool_ring_release(struct pktpool_ring *ring)
{
	if (!ring)
		return;
	if (ring->base)
		vunmap(ring->base);
	kvfree(ring->owner);
	kvfree(ring->rx_slot);
	kvfree(ring->free);
	kvfree(ring->state);
	kfree(ring);
}

/*
 * The user consumed rx entries up to its consumer index: those slots are
 * the user's now. A consumer outside [rx_cons, rx_prod] is counted once
 * and ignored.
 */
static void pktpool_ring_rx_reap(struct pktpool_ring *ring)
{
	u32 cons, n;

	lockdep_assert_held(&ring->lock);
	/* (D) pairs with the consumer's release (C): entries are read. */
	cons = smp_load_acquire(ring->rx_cons_p);
	n = cons - ring->rx_cons;
	if (n > ring->rx_prod - ring->rx_cons) {
		if (cons != ring->rx_bad_cons) {
			ring->rx_bad_cons = cons;
			ring->invalid++;
		}
		return;
	}
	while (n--) {
		u32 slot = ring->rx_slot[ring->rx_cons++ & ring->mask];

		ring->state[slot] = PKTPOOL_SLOT_USER;
		ring->inflight--;
	}
}

/* Take what userspace put on the fill ring onto the kernel's free stack. */
static void pktpool_ring_fill_take(struct pktpool_ring *ring)
{
	u32 prod, n;

	lockdep_assert_held(&ring->lock);
	/* (B) pairs with the producer's release (A): entries are written. */
	prod = smp_load_acquire(ring->fill_prod_p);
	n = prod - ring->fill_cons;
	if (n > ring->mask + 1) {
		if (prod != ring->fill_bad_prod) {
			ring->fill_bad_prod = prod;
			ring->invalid++;
		}
		return;
	}
	while (n--) {
		u32 slot = READ_ONCE(ring->fill[ring->fill_cons++ & ring->mask]);

		if (slot >= ring->slot_count ||
		    ring->state[slot] != PKTPOOL_SLOT_USER) {
			ring->invalid++;	/* not the user's to give */
			continue;
		}
		ring->state[slot] = PKTPOOL_SLOT_FREE;
		ring->free[ring->nfree++] = slot;
	}
	/* (C) the entries are read: the producer may overwrite them. */
	smp_store_release(ring->fill_cons_p, ring->fill_cons);
}

void *pktpool_ring_alloc(struct pktpool_ring *ring)
{
	u32 slot;

	spin_lock_bh(&ring->lock);
	if (!ring->nfree) {
		pktpool_ring_rx_reap(ring);
		pktpool_ring_fill_take(ring);
	}
	if (!ring->nfree) {
		spin_unlock_bh(&ring->lock);
		return NULL;
	}
	slot = ring->free[--ring->nfree];
	ring->state[slot] = PKTPOOL_SLOT_BUSY;
	ring->busy++;
	spin_unlock_bh(&ring->lock);
	return ring->slots + (size_t)slot * ring->slot_size;
}

/* The slot index of obj, or -1 when obj is not the start of a slot. */
static long pktpool_ring_slot_of(struct pktpool_ring *ring, const void *obj)
{
	unsigned long off;

	if (obj < ring->slots)
		return -1;
	off = obj - ring->slots;
	if (off % ring->slot_size || off / ring->slot_size >= ring->slot_count)
		return -1;
	return off / ring->slot_size;
}

bool pktpool_ring_free(struct pktpool_ring *ring, void *obj)
{
	long slot = pktpool_ring_slot_of(ring, obj);
	bool ok = false;

	if (slot < 0)
		return false;
	spin_lock_bh(&ring->lock);
	if (ring->state[slot] == PKTPOOL_SLOT_BUSY) {
		ring->state[slot] = PKTPOOL_SLOT_FREE;
		ring->free[ring->nfree++] = slot;
		ring->busy--;
		ok = true;
	}
	spin_unlock_bh(&ring->lock);
	return ok;
}

/*
 * Put one entry on the rx ring for user (NULL: a slot given back); lock
 * held, the slot's state not yet RX.
 */
static void pktpool_ring_rx_put(struct pktpool_ring *ring, u32 slot,
				const struct pktpool_desc *d,
				struct pktpool_ring_user *user)
{
	u32 pos = ring->rx_prod & ring->mask;
	struct pktpool_desc *e = &ring->rx[pos];

	memcpy(e, d, sizeof(*e));
	e->slot = slot;
	ring->rx_slot[pos] = slot;
	ring->owner[slot] = user;
	ring->state[slot] = PKTPOOL_SLOT_RX;
	ring->inflight++;
	/* (A) the entry is written before the producer index moves. */
	smp_store_release(ring->rx_prod_p, ++ring->rx_prod);
}

int pktpool_ring_rx_submit(struct pktpool_ring *ring,
			   struct pktpool_ring_user *user, void *obj,
			   const struct pktpool_desc *d)
{
	long slot = pktpool_ring_slot_of(ring, obj);
	int err = 0;

	if (slot < 0 || d->len > ring->slot_size)
		return -EINVAL;
	spin_lock_bh(&ring->lock);
	if (ring->state[slot] != PKTPOOL_SLOT_BUSY) {
		err = -EINVAL;
	} else {
		/*
		 * Every slot is on the ring at most once and the ring has at
		 * least slot_count entries, so there is always room: a
		 * consumer that does not consume only stops the fill.
		 */
		pktpool_ring_rx_put(ring, slot, d, user);
		ring->busy--;
	}
	spin_unlock_bh(&ring->lock);
	if (!err && wq_has_sleeper(&ring->region->wait))
		wake_up_interruptible_poll(&ring->region->wait, EPOLLIN);
	return err;
}

/*
 * Process context. The kernel side of region r for a new pool user; the
 * region must stay pinned by the caller until pktpool_ring_unbind().
 */
struct pktpool_ring *pktpool_ring_bind(struct pktpool_region *r,
				       struct pktpool_ring_user *user)
{
	struct pktpool_ring *ring;

	mutex_lock(&pktpool_ring_mutex);
	ring = r->ring;
	if (!ring) {
		ring = pktpool_ring_create(r);
		if (!ring) {
			mutex_unlock(&pktpool_ring_mutex);
			return ERR_PTR(-ENOMEM);
		}
		/* Readers (info, poll) see it only complete. */
		smp_store_release(&r->ring, ring);
	}
	if (user->tx_any && ring->tx_any) {
		mutex_unlock(&pktpool_ring_mutex);
		return ERR_PTR(-EBUSY);	/* one catch-all user per region */
	}
	mutex_lock(&ring->tx_mutex);
	spin_lock_bh(&ring->lock);
	ring->users++;
	user->want_fill = false;
	/* The kernel takes from the fill ring itself: no kick needed. */
	if (!ring->want_fill)
		WRITE_ONCE(*ring->fill_flags_p, 0);
	spin_unlock_bh(&ring->lock);
	list_add_tail(&user->node, &ring->user_list);
	if (user->tx_any)
		ring->tx_any = user;
	mutex_unlock(&ring->tx_mutex);
	if (user->live)
		user->live(user->arg, ring->live);
	mutex_unlock(&pktpool_ring_mutex);
	return ring;
}

/*
 * Process context. The last pool user gone, every free slot the kernel
 * holds goes back on the rx ring marked PKTPOOL_DESC_F_RETURNED, so the
 * process that gave it knows it has it again. Slots still busy must have
 * been freed or submitted before (the pool refuses to go away before).
 */
void pktpool_ring_unbind(struct pktpool_ring *ring,
			 struct pktpool_ring_user *user)
{
	struct pktpool_desc d = { .flags = PKTPOOL_DESC_F_RETURNED };
	bool woke = false;
	u32 i;

	mutex_lock(&pktpool_ring_mutex);
	/* No tx callback of this user runs once we hold tx_mutex. */
	mutex_lock(&ring->tx_mutex);
	list_del(&user->node);
	if (ring->tx_any == user)
		ring->tx_any = NULL;
	spin_lock_bh(&ring->lock);
	if (user->want_fill)
		ring->want_fill--;
	for (i = 0; i < ring->slot_count; i++)
		if (ring->owner[i] == user)
			ring->owner[i] = NULL;
	if (!--ring->users) {
		pktpool_ring_rx_reap(ring);
		while (ring->nfree) {
			pktpool_ring_rx_put(ring, ring->free[--ring->nfree],
					    &d, NULL);
			woke = true;
		}
	}
	spin_unlock_bh(&ring->lock);
	mutex_unlock(&ring->tx_mutex);
	mutex_unlock(&pktpool_ring_mutex);
	if (woke)
		wake_up_interruptible_poll(&ring->region->wait, EPOLLIN);
}

/* Region info, with the regions lock held: the kernel's slot account. */
void pktpool_ring_account(struct pktpool_region *r,
			  struct pktpool_region_info *i)
{
	/* Pairs with the release in pktpool_ring_bind(): a complete ring. */
	struct pktpool_ring *ring = smp_load_acquire(&r->ring);

	i->kernel_slots = 0;
	i->inflight_slots = 0;
	i->user_slots = r->slot_count;
	i->ring_invalid = 0;
	if (!ring)
		return;
	spin_lock_bh(&ring->lock);
	pktpool_ring_rx_reap(ring);
	i->kernel_slots = ring->nfree + ring->busy;
	i->inflight_slots = ring->inflight;
	i->user_slots = ring->slot_count - ring->nfree - ring->busy -
			ring->inflight;
	i->ring_invalid = ring->invalid;
	spin_unlock_bh(&ring->lock);
}

/* poll(): readable while the rx ring has entries the user has not taken. */
__poll_t pktpool_ring_poll(struct pktpool_region *r)
{
	/* Pairs with the release in pktpool_ring_bind(): a complete ring. */
	struct pktpool_ring *ring = smp_load_acquire(&r->ring);
	__poll_t mask = 0;

	if (!ring)
		return 0;
	spin_lock_bh(&ring->lock);
	pktpool_ring_rx_reap(ring);
	if (ring->rx_prod != ring->rx_cons)
		mask = EPOLLIN | EPOLLRDNORM;
	spin_unlock_bh(&ring->lock);
	return mask;
}

/*
 * Take up to PKTPOOL_TX_BATCH tx entries into ring->tx_batch, each a
 * private copy, and return how many are valid; *taken says how many
 * entries were consumed. A valid entry names a slot the user holds: it
 * becomes PKTPOOL_SLOT_TX, and its rx entry's user is remembered.
 */
static unsigned int pktpool_ring_tx_take(struct pktpool_ring *ring,
					 unsigned int *taken)
{
	unsigned int k = 0;
	u32 prod, slot;

	lockdep_assert_held(&ring->lock);
	lockdep_assert_held(&ring->tx_mutex);
	*taken = 0;
	/* (B) pairs with the producer's release (A): entries are written. */
	prod = smp_load_acquire(ring->tx_prod_p);
	if (prod - ring->tx_cons > ring->mask + 1) {
		if (prod != ring->tx_bad_prod) {
			ring->tx_bad_prod = prod;
			ring->invalid++;
		}
		return 0;
	}
	while (ring->tx_cons != prod && k < PKTPOOL_TX_BATCH) {
		struct pktpool_desc *d = &ring->tx_batch[k];

		memcpy(d, &ring->tx[ring->tx_cons++ & ring->mask], sizeof(*d));
		(*taken)++;
		slot = d->slot;
		if (slot >= ring->slot_count ||
		    ring->state[slot] != PKTPOOL_SLOT_USER) {
			ring->invalid++;	/* not the user's to give */
			continue;
		}
		ring->state[slot] = PKTPOOL_SLOT_TX;
		ring->tx_who[k] = ring->owner[slot] ?: ring->tx_any;
		ring->owner[slot] = NULL;
		k++;
	}
	/* (C) the entries are read: the producer may overwrite them. */
	smp_store_release(ring->tx_cons_p, ring->tx_cons);
	return k;
}

/*
 * The slots of k handled tx entries are the kernel's again, or, when they
 * went to the catch-all user, userspace's (returned on rx).
 */
static bool pktpool_ring_tx_done(struct pktpool_ring *ring, unsigned int k)
{
	struct pktpool_desc ret = { .flags = PKTPOOL_DESC_F_RETURNED };
	bool returned = false;
	unsigned int i;
	u32 slot;

	spin_lock_bh(&ring->lock);
	for (i = 0; i < k; i++) {
		struct pktpool_ring_user *who = ring->tx_who[i];

		slot = ring->tx_batch[i].slot;
		/*
		 * A catch-all user's slots were userspace's own packets: they
		 * come back at once (a completion), or one-way traffic would
		 * pile every slot up on the kernel's side.
		 */
		if (ring->users && !(who && who->tx_any)) {
			ring->state[slot] = PKTPOOL_SLOT_FREE;
			ring->free[ring->nfree++] = slot;
		} else {
			/* No kernel user left to take it: give it back. */
			pktpool_ring_rx_put(ring, slot, &ret, NULL);
			returned = true;
		}
	}
	spin_unlock_bh(&ring->lock);
	return returned;
}

/*
 * Hand each valid tx entry to the user whose rx entry the slot was (or,
 * for a slot no user put on rx, to the catch-all user), with no spinlock
 * held (the callback may send the packet on through the stack, into a
 * hook that allocates from this ring). At most one ring's worth of
 * entries per kick, so one call stays bounded. Then every user that
 * wants to hear about kicks does.
 */
static void pktpool_ring_tx_drain(struct pktpool_ring *ring)
{
	unsigned int k, i, taken, total = 0;
	struct pktpool_ring_user *user;
	bool returned = false;

	mutex_lock(&ring->tx_mutex);
	do {
		spin_lock_bh(&ring->lock);
		k = pktpool_ring_tx_take(ring, &taken);
		spin_unlock_bh(&ring->lock);
		for (i = 0; i < k; i++) {
			const struct pktpool_desc *d = &ring->tx_batch[i];
			struct pktpool_ring_user *who = ring->tx_who[i];

			if (who && who->tx)
				who->tx(who->arg, d, ring->slots +
					(size_t)d->slot * ring->slot_size);
		}
		if (k)
			returned |= pktpool_ring_tx_done(ring, k);
		total += taken;
	} while (taken && total <= ring->mask);
	list_for_each_entry(user, &ring->user_list, node)
		if (user->kick)
			user->kick(user->arg);
	mutex_unlock(&ring->tx_mutex);
	if (returned)
		wake_up_interruptible_poll(&ring->region->wait, EPOLLIN);
}

/* PKTPOOL_IOC_REGION_KICK: take the fill ring, then the tx ring, now. */
void pktpool_ring_kick(struct pktpool_region *r)
{
	/* Pairs with the release in pktpool_ring_bind(): a complete ring. */
	struct pktpool_ring *ring = smp_load_acquire(&r->ring);

	if (!ring)
		return;
	spin_lock_bh(&ring->lock);
	pktpool_ring_rx_reap(ring);
	pktpool_ring_fill_take(ring);
	spin_unlock_bh(&ring->lock);
	pktpool_ring_tx_drain(ring);
}

/*
 * Process or softirq context. A user that ran out of slots asks userspace
 * to kick after it fills (PKTPOOL_RING_F_NEED_WAKEUP on the fill ring);
 * its kick callback then runs. After setting the flag, the full barrier
 * pairs with the user's after publishing fill entries ([E] in
 * libpktpool.h): either the user sees the flag or the caller's next
 * allocation sees the entries.
 */
void pktpool_ring_want_fill(struct pktpool_ring *ring,
			    struct pktpool_ring_user *user, bool want)
{
	spin_lock_bh(&ring->lock);
	if (user->want_fill != want) {
		user->want_fill = want;
		ring->want_fill += want ? 1 : -1;
		WRITE_ONCE(*ring->fill_flags_p,
			   ring->want_fill ? PKTPOOL_RING_F_NEED_WAKEUP : 0);
	}
	spin_unlock_bh(&ring->lock);
	/* [E] pairs with the user's fence after it publishes fill entries. */
	smp_mb();
}

/*
 * No one may write the region's rings any more (the last writer left):
 * take back every slot that is not in a kernel user's hands, forget what
 * was on the rings, and start the indices where the shared ones are, so
 * that the next writer owns every slot but those the kernel is filling
 * now (those come on rx as usual). Entries nobody consumed are lost with
 * the process that should have. Both mutexes held.
 */
static void pktpool_ring_reset(struct pktpool_ring *ring)
{
	u32 i;

	lockdep_assert_held(&ring->tx_mutex);
	spin_lock_bh(&ring->lock);
	for (i = 0; i < ring->slot_count; i++) {
		if (ring->state[i] != PKTPOOL_SLOT_BUSY)
			ring->state[i] = PKTPOOL_SLOT_USER;
		ring->owner[i] = NULL;
	}
	ring->nfree = 0;
	ring->inflight = 0;
	ring->rx_cons = ring->rx_prod;
	WRITE_ONCE(*ring->rx_cons_p, ring->rx_cons);
	ring->fill_cons = READ_ONCE(*ring->fill_prod_p);
	WRITE_ONCE(*ring->fill_cons_p, ring->fill_cons);
	ring->tx_cons = READ_ONCE(*ring->tx_prod_p);
	WRITE_ONCE(*ring->tx_cons_p, ring->tx_cons);
	ring->fill_bad_prod = 0;
	ring->rx_bad_cons = 0;
	ring->tx_bad_prod = 0;
	spin_unlock_bh(&ring->lock);
}

void pktpool_ring_liveness(struct pktpool_region *r)
{
	struct pktpool_ring_user *user;
	struct pktpool_ring *ring;
	bool live;

	mutex_lock(&pktpool_ring_mutex);
	/* Read under the mutex: the last caller applies the final state. */
	live = atomic_read(&r->writers) > 0;
	ring = r->ring;
	if (ring && ring->live != live) {
		ring->live = live;
		mutex_lock(&ring->tx_mutex);
		/*
		 * A region that carries a device (a catch-all user) starts
		 * its next daemon clean; a capture's slots stay with the
		 * kernel, which keeps filling them for the next reader.
		 */
		if (!live && ring->tx_any)
			pktpool_ring_reset(ring);
		list_for_each_entry(user, &ring->user_list, node)
			if (user->live)
				user->live(user->arg, live);
		mutex_unlock(&ring->tx_mutex);
	}
	mutex_unlock(&pktpool_ring_mutex);
}
