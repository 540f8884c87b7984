// SPDX-License-Identifier: MIT
/*
 * The rings (rx, fill, tx) from the user side, on a memfd region where a
 * thread of the test plays the kernel: it takes slots from fill, writes a
 * packet into each and hands it over on rx, and takes verdicts from tx.
 * Covers the layout, empty and full rings, 32-bit index wraparound, and
 * peers that write impossible indices or descriptors.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <sched.h>

#include "util.h"

#define RING_HDR	128u
#define PAGE		4096u

static struct errlog elog;

static uint64_t page_up(uint64_t v)
{
	return (v + PAGE - 1) & ~(uint64_t)(PAGE - 1);
}

/* ---- the kernel's side, from the uapi's description alone ---------- */

struct kring {
	_Atomic uint32_t *prod, *cons, *flags;
	unsigned char *entries;
};

struct kside {
	struct kring rx, fill, tx;
	unsigned char *slots;
	uint32_t mask, slot_size, slot_count;
	uint32_t rx_prod, fill_cons, tx_cons;	/* the kernel's own indices */
	uint32_t free_slots[64], nfree;
	/* test parameters and results */
	uint32_t packets;			/* to send */
	bool queue;				/* wait for verdicts */
	uint32_t verdicts, bad_verdicts;
};

static void kring_at(struct kring *k, unsigned char *base)
{
	k->prod = (_Atomic uint32_t *)base;
	k->cons = (_Atomic uint32_t *)(base + 64);
	k->flags = (_Atomic uint32_t *)(base + 68);
	k->entries = base + RING_HDR;
}

static void kside_init(struct kside *k, struct pktpool *p)
{
	struct pktpool_layout lay;
	unsigned char *base;

	memset(k, 0, sizeof(*k));
	require(pktpool_get_layout(p, &lay) == 0);
	k->slots = pktpool_idx_to_ptr(p, 0);
	base = k->slots - lay.off_slots;
	kring_at(&k->rx, base + lay.off_rx_ring);
	kring_at(&k->fill, base + lay.off_fill_ring);
	kring_at(&k->tx, base + lay.off_tx_ring);
	k->mask = lay.ring_entries - 1;
	k->slot_size = lay.slot_size;
	k->slot_count = lay.slot_count;
}

/* All three rings' indices set to v before the user side starts. */
static void kside_set_indices(struct kside *k, uint32_t v)
{
	struct kring *r[3] = { &k->rx, &k->fill, &k->tx };
	int i;

	for (i = 0; i < 3; i++) {
		atomic_store(r[i]->prod, v);
		atomic_store(r[i]->cons, v);
	}
	k->rx_prod = k->fill_cons = k->tx_cons = v;
}

/* The packet with sequence number seq: its length and bytes. */
static uint32_t pkt_len(uint32_t seq, uint32_t slot_size)
{
	return 20 + (seq * 37) % (slot_size - 20);
}

static void pkt_fill(unsigned char *b, uint32_t seq, uint32_t len)
{
	uint32_t i;

	memcpy(b, &seq, 4);
	for (i = 4; i < len; i++)
		b[i] = (unsigned char)(seq + i);
}

static bool pkt_check(const unsigned char *b, uint32_t seq, uint32_t len)
{
	uint32_t i, s;

	memcpy(&s, b, 4);
	if (s != seq)
		return false;
	for (i = 4; i < len; i++)
		if (b[i] != (unsigned char)(seq + i))
			return false;
	return true;
}

/* Take what the user put on fill (acquire [B], release [C]). */
static void kside_take_fill(struct kside *k)
{
	uint32_t p = atomic_load_explicit(k->fill.prod, memory_order_acquire);
	uint32_t *e = (uint32_t *)k->fill.entries;

	while (k->fill_cons != p && k->nfree < 64) {
		uint32_t s = e[k->fill_cons++ & k->mask];

		if (s < k->slot_count)
			k->free_slots[k->nfree++] = s;
	}
	atomic_store_explicit(k->fill.cons, k->fill_cons, memory_order_release);
}

static void kside_take_tx(struct kside *k)
{
	uint32_t p = atomic_load_explicit(k->tx.prod, memory_order_acquire);
	struct pktpool_ring_desc *e = (struct pktpool_ring_desc *)k->tx.entries;

	while (k->tx_cons != p && k->nfree < 64) {
		struct pktpool_ring_desc d = e[k->tx_cons++ & k->mask];

		if (d.id != k->verdicts ||
		    d.verdict != (d.id % 3 ? PKTPOOL_VERDICT_ACCEPT :
					     PKTPOOL_VERDICT_DROP) ||
		    d.slot >= k->slot_count)
			k->bad_verdicts++;
		k->verdicts++;
		if (d.slot < k->slot_count)
			k->free_slots[k->nfree++] = d.slot;
	}
	atomic_store_explicit(k->tx.cons, k->tx_cons, memory_order_release);
}

static void *kside_run(void *arg)
{
	struct kside *k = arg;
	struct pktpool_ring_desc *e = (struct pktpool_ring_desc *)k->rx.entries;
	uint32_t seq = 0;

	while (seq < k->packets || (k->queue && k->verdicts < k->packets)) {
		uint32_t c, len;
		struct pktpool_ring_desc d;

		kside_take_fill(k);
		if (k->queue)
			kside_take_tx(k);
		/* [D] before overwriting rx entries */
		c = atomic_load_explicit(k->rx.cons, memory_order_acquire);
		if (seq == k->packets || k->nfree == 0 ||
		    k->rx_prod - c > k->mask) {
			sched_yield();
			continue;
		}
		memset(&d, 0, sizeof(d));
		d.slot = k->free_slots[--k->nfree];
		len = pkt_len(seq, k->slot_size);
		pkt_fill(k->slots + (size_t)d.slot * k->slot_size, seq, len);
		d.len = len;
		d.orig_len = len + (seq % 2);
		d.flags = (seq % 2 ? PKTPOOL_DESC_F_TRUNCATED : 0) |
			  (k->queue ? PKTPOOL_DESC_F_QUEUED : 0);
		d.id = seq++;
		d.tstamp = 1000000000ull * d.id;
		d.family = 2;
		e[k->rx_prod++ & k->mask] = d;
		/* [A] the entry and the slot's bytes are written */
		atomic_store_explicit(k->rx.prod, k->rx_prod,
				      memory_order_release);
	}
	return NULL;
}

/* ---- tests --------------------------------------------------------- */

static struct pktpool *ring_pool(uint32_t slot_size, uint32_t count)
{
	struct pktpool *p = make_pool(slot_size, count, 0);

	require(p);
	memset(&elog, 0, sizeof(elog));
	pktpool_set_error_handler(p, errlog_fn, &elog);
	return p;
}

static void test_layout_follows_uapi(void)
{
	struct pktpool_layout lay;
	bool good;

	require(pktpool_layout(2048, 1000, &lay) == 0);
	good = lay.ring_entries == 1024 && lay.off_rx_ring == 16384 &&
	       lay.rx_ring_size == page_up(128 + 1024 * 48) &&
	       lay.fill_ring_size == page_up(128 + 1024 * 4) &&
	       lay.tx_ring_size == lay.rx_ring_size &&
	       lay.off_fill_ring == lay.off_rx_ring + lay.rx_ring_size &&
	       lay.off_tx_ring == lay.off_fill_ring + lay.fill_ring_size &&
	       lay.off_meta == lay.off_tx_ring + lay.tx_ring_size;
	ok(good, "layout: rx, fill, tx rings sized and placed as the uapi says");
	require(pktpool_layout(64, 1, &lay) == 0);
	ok(lay.ring_entries == 1 && lay.rx_ring_size == PAGE &&
	   lay.fill_ring_size == PAGE && lay.off_meta == 16384 + 3 * PAGE,
	   "layout: one slot gives one-entry rings of a page each");
	require(pktpool_layout(64, 1025, &lay) == 0);
	ok(lay.ring_entries == 2048, "layout: ring entries round up to a power of 2");
	ok(sizeof(struct pktpool_ring_desc) == 48,
	   "descriptor is 48 bytes, as struct pktpool_desc");
}

static void test_empty_and_errors(void)
{
	struct pktpool *p = ring_pool(256, 16);
	struct pktpool_rings r;
	struct pktpool_ring_desc d[4];
	uint32_t idx;

	ok(pktpool_rings_init(p, &r) == 0, "rings_init on a fresh region");
	ok(pktpool_rings_init(NULL, &r) == -EINVAL &&
	   pktpool_rings_init(p, NULL) == -EINVAL,
	   "rings_init refuses a bad handle or NULL");
	ok(pktpool_rx_peek(&r, d, 4) == 0, "rx_peek on an empty ring gives 0");
	ok(pktpool_rings_wait(&r, 0) == 0, "wait(0) on an empty ring gives 0");
	ok(pktpool_rx_release(&r, 1) == -EINVAL,
	   "rx_release of more than was peeked is refused");
	ok(pktpool_fill_reserve(&r, 2, &idx) == 2 &&
	   pktpool_fill_submit(&r, 3) == -EINVAL,
	   "fill_submit of more than was reserved is refused");
	ok(pktpool_fill_submit(&r, 0) == 0 &&
	   atomic_load(r.fill.producer) == 0,
	   "fill_submit(0) cancels a reservation and publishes nothing");
	ok(pktpool_rings_kick(&r) == -EOPNOTSUPP,
	   "kick on the memfd backend: -EOPNOTSUPP");
	ok(!pktpool_fill_needs_wakeup(&r) && !pktpool_tx_needs_wakeup(&r),
	   "no wakeup needed while the flags are clear");
	atomic_store(r.fill.flags, PKTPOOL_RING_F_NEED_WAKEUP);
	ok(pktpool_fill_needs_wakeup(&r) && !pktpool_tx_needs_wakeup(&r),
	   "NEED_WAKEUP in fill's flags is seen");
	ok(elog.count == 0, "no error reported");
	pktpool_detach(p);
}

static void test_fill_full_and_exhausted(void)
{
	struct pktpool *p = ring_pool(256, 8);
	struct pktpool_rings r;
	struct kside k;
	uint32_t idx;

	require(pktpool_rings_init(p, &r) == 0);
	kside_init(&k, p);
	ok(pktpool_fill_alloc(&r, 100) == 8,
	   "fill_alloc fills the 8-entry ring with the region's 8 slots");
	ok(pktpool_fill_reserve(&r, 1, &idx) == 0,
	   "fill_reserve on a full ring gives 0");
	kside_take_fill(&k);
	ok(k.nfree == 8, "the kernel side takes 8 distinct slots");
	ok(pktpool_fill_reserve(&r, 100, &idx) == 8 && idx == 8,
	   "after the kernel consumed them, 8 entries are free again");
	pktpool_fill_submit(&r, 0);
	ok(pktpool_fill_alloc(&r, 1) == 0,
	   "fill_alloc with the region exhausted puts nothing on the ring");
	pktpool_detach(p);

	p = ring_pool(256, 5);
	require(pktpool_rings_init(p, &r) == 0);
	ok(pktpool_fill_alloc(&r, 100) == 5,
	   "fill_alloc stops when the region runs out (5 slots, 8 entries)");
	ok(atomic_load(r.fill.producer) == 5, "and publishes exactly those 5");
	pktpool_detach(p);
}

/* Copy mode across many wraps of an 8-entry ring and of the u32 indices. */
static void test_rx_stream(uint32_t start)
{
	struct pktpool *p = ring_pool(256, 8);
	struct pktpool_rings r;
	struct pktpool_ring_desc d[5];
	struct kside k;
	pthread_t th;
	uint32_t want = 0, bad = 0, slots[5];
	long n = scaled(20000);
	int got, i;

	kside_init(&k, p);
	kside_set_indices(&k, start);
	k.packets = (uint32_t)n;
	require(pktpool_rings_init(p, &r) == 0);
	require(pktpool_fill_alloc(&r, 8) == 8);
	require(pthread_create(&th, NULL, kside_run, &k) == 0);
	while (want < k.packets) {
		got = pktpool_rx_peek(&r, d, 5);
		if (got < 0) {
			bad++;
			break;
		}
		if (got == 0) {
			sched_yield();
			continue;
		}
		for (i = 0; i < got; i++) {
			const unsigned char *b = pktpool_rx_data(&r, &d[i]);

			if (!b || d[i].id != want ||
			    d[i].len != pkt_len(want, 256) ||
			    !pkt_check(b, want, d[i].len) ||
			    d[i].orig_len != d[i].len + want % 2 ||
			    !!(d[i].flags & PKTPOOL_DESC_F_TRUNCATED) != want % 2)
				bad++;
			slots[i] = d[i].slot;
			want++;
		}
		/* done with the bytes: release rx, give the slots back */
		pktpool_rx_release(&r, (unsigned int)got);
		if (pktpool_fill_put(&r, slots, (unsigned int)got) != got)
			bad++;
	}
	pthread_join(th, NULL);
	ok(bad == 0 && want == k.packets,
	   "rx: %u packets in order, bytes intact, indices from %#x", want,
	   start);
	ok(atomic_load(r.rx.consumer) == start + want,
	   "rx: the consumer index ends at start + packets");
	ok(elog.count == 0, "rx stream: no error reported");
	pktpool_detach(p);
}

/* Queue mode: every rx descriptor gets a verdict on tx, in order. */
static void test_verdicts(void)
{
	struct pktpool *p = ring_pool(128, 16);
	struct pktpool_rings r;
	struct pktpool_ring_desc d[16], v;
	struct kside k;
	pthread_t th;
	uint32_t seen = 0, bad = 0, idx;
	long n = scaled(10000);
	int got, i;

	kside_init(&k, p);
	k.packets = (uint32_t)n;
	k.queue = true;
	require(pktpool_rings_init(p, &r) == 0);
	require(pktpool_fill_alloc(&r, 16) == 16);
	require(pthread_create(&th, NULL, kside_run, &k) == 0);
	while (seen < k.packets) {
		got = pktpool_rx_peek(&r, d, 16);
		if (got <= 0) {
			if (got < 0)
				break;
			sched_yield();
			continue;
		}
		for (i = 0; i < got; i++) {
			if (!(d[i].flags & PKTPOOL_DESC_F_QUEUED))
				bad++;
			memset(&v, 0, sizeof(v));
			v.slot = d[i].slot;
			v.id = d[i].id;
			v.len = d[i].len;
			v.verdict = d[i].id % 3 ? PKTPOOL_VERDICT_ACCEPT :
						  PKTPOOL_VERDICT_DROP;
			/* the ring has as many entries as there are slots:
			 * a verdict always finds room */
			while (pktpool_tx_reserve(&r, 1, &idx) != 1)
				sched_yield();
			*pktpool_tx_desc(&r, idx) = v;
			pktpool_tx_submit(&r, 1);
		}
		pktpool_rx_release(&r, (unsigned int)got);
		seen += (uint32_t)got;
	}
	pthread_join(th, NULL);
	ok(seen == k.packets && bad == 0, "tx: %u queued packets seen", seen);
	ok(k.verdicts == k.packets && k.bad_verdicts == 0,
	   "tx: the kernel side got every verdict, in order, for the right slot");
	pktpool_detach(p);
}

static void test_hostile_rx_producer(void)
{
	struct pktpool *p = ring_pool(256, 8);
	struct pktpool_rings r;
	struct pktpool_ring_desc d[16], sentinel;
	struct kside k;

	kside_init(&k, p);
	require(pktpool_rings_init(p, &r) == 0);
	memset(&sentinel, 0xa5, sizeof(sentinel));
	d[0] = sentinel;
	atomic_store(k.rx.prod, 9);
	ok(pktpool_rx_peek(&r, d, 16) == -EUCLEAN,
	   "rx producer 9 ahead of an 8-entry ring: -EUCLEAN");
	ok(memcmp(&d[0], &sentinel, sizeof(sentinel)) == 0 && r.rx.pending == 0,
	   "nothing was copied or peeked");
	ok(elog.count == 1 && elog.last == -EUCLEAN && r.corrupt == 1,
	   "the impossible index is reported and counted");
	atomic_store(k.rx.prod, 0xffffffffu);
	ok(pktpool_rx_peek(&r, d, 16) == -EUCLEAN,
	   "rx producer behind the consumer: -EUCLEAN");
	atomic_store(k.rx.prod, 0x80000000u);
	ok(pktpool_rx_peek(&r, d, 16) == -EUCLEAN,
	   "rx producer half the index space away: -EUCLEAN");
	/* two honest entries, peek one, then the producer goes back */
	atomic_store(k.rx.prod, 2);
	ok(pktpool_rx_peek(&r, d, 1) == 1, "an honest producer of 2: peek 1");
	atomic_store(k.rx.prod, 0);
	ok(pktpool_rx_peek(&r, d, 1) == 1,
	   "the cached producer serves what was published, without a reload");
	atomic_store(k.rx.prod, 1);
	ok(pktpool_rx_peek(&r, d, 16) == -EUCLEAN,
	   "a producer moved back below what was peeked: -EUCLEAN");
	ok(pktpool_rx_release(&r, 2) == 0 && atomic_load(k.rx.cons) == 2,
	   "the two honest entries are released");
	pktpool_detach(p);
}

static void test_hostile_fill_consumer(void)
{
	struct pktpool *p = ring_pool(256, 8);
	struct pktpool_rings r;
	struct kside k;
	uint32_t idx;

	kside_init(&k, p);
	require(pktpool_rings_init(p, &r) == 0);
	require(pktpool_fill_alloc(&r, 8) == 8);
	atomic_store(k.fill.cons, 9);
	ok(pktpool_fill_reserve(&r, 1, &idx) == -EUCLEAN,
	   "fill consumer beyond the producer: -EUCLEAN");
	ok(atomic_load(r.fill.producer) == 8 && r.fill.pending == 0,
	   "nothing was reserved or published");
	atomic_store(k.fill.cons, 4);
	ok(pktpool_fill_reserve(&r, 8, &idx) == 4 && idx == 8,
	   "an honest consumer of 4 frees 4 entries");
	pktpool_fill_submit(&r, 0);
	atomic_store(k.fill.cons, 3);
	ok(pktpool_fill_reserve(&r, 8, &idx) == -EUCLEAN,
	   "a fill consumer that moved backwards: -EUCLEAN");
	atomic_store(k.tx.cons, 5);
	ok(pktpool_tx_reserve(&r, 9, &idx) == -EUCLEAN,
	   "tx consumer ahead of an empty tx ring: -EUCLEAN");
	ok(elog.count == 3 && r.corrupt == 3, "three reports");
	pktpool_detach(p);
}

static void test_hostile_descriptors(void)
{
	struct pktpool *p = ring_pool(256, 8);
	struct pktpool_rings r;
	struct pktpool_ring_desc d = { 0 };

	require(pktpool_rings_init(p, &r) == 0);
	d.slot = 7;
	d.len = 256;
	ok(pktpool_rx_data(&r, &d) == pktpool_idx_to_ptr(p, 7),
	   "rx_data: last slot, full length");
	d.slot = 8;
	ok(pktpool_rx_data(&r, &d) == NULL, "rx_data: slot past the end: NULL");
	d.slot = 0xffffffffu;
	ok(pktpool_rx_data(&r, &d) == NULL, "rx_data: slot 2^32-1: NULL");
	d.slot = 0;
	d.len = 257;
	ok(pktpool_rx_data(&r, &d) == NULL,
	   "rx_data: length beyond the slot: NULL");
	pktpool_detach(p);
}

static void test_init_refuses_inconsistent(void)
{
	struct pktpool *p = ring_pool(256, 8);
	struct pktpool_rings r;
	struct kside k;

	kside_init(&k, p);
	atomic_store(k.fill.prod, 100);
	ok(pktpool_rings_init(p, &r) == -EUCLEAN,
	   "rings_init: fill producer 100 ahead of its consumer: -EUCLEAN");
	atomic_store(k.fill.cons, 96);
	ok(pktpool_rings_init(p, &r) == 0 && r.fill.prod == 100 &&
	   r.fill.cons == 96,
	   "rings_init takes over consistent indices a previous user left");
	pktpool_detach(p);
}

static void test_wait_sees_entries(void)
{
	struct pktpool *p = ring_pool(256, 8);
	struct pktpool_rings r;
	struct kside k;

	kside_init(&k, p);
	require(pktpool_rings_init(p, &r) == 0);
	atomic_store(k.rx.prod, 1);
	ok(pktpool_rings_wait(&r, -1) == 1, "wait returns 1 when rx has entries");
	pktpool_detach(p);
}

int main(void)
{
	/* The test plays the kernel: never let a real one take part. */
	setenv("PKTPOOL_BACKEND", "memfd", 1);
	test_layout_follows_uapi();
	test_empty_and_errors();
	test_fill_full_and_exhausted();
	test_rx_stream(0);
	test_rx_stream(0xfffffff0u);
	test_verdicts();
	test_hostile_rx_producer();
	test_hostile_fill_consumer();
	test_hostile_descriptors();
	test_init_refuses_inconsistent();
	test_wait_sees_entries();
	return tap_done();
}
