// SPDX-License-Identifier: GPL-2.0
/*
 * capture_feed: plays pktpool.ko's part for pktpool-capture's test, on a
 * memfd region (PKTPOOL_BACKEND=memfd): creates REGION, waits for slots
 * on the fill ring, then delivers COUNT packets on rx exactly as the
 * uapi describes, and writes each one's full bytes to REF (4-byte length
 * in host order, then the bytes) for the test to compare with the file
 * pktpool-capture wrote. Packets alternate IPv4 and IPv6 UDP with a
 * sequence number and a pattern; every 5th is truncated to SNAP bytes.
 * Half way through, one slot comes back unused (PKTPOOL_DESC_F_RETURNED).
 * Waits until the capture consumed everything, then removes the region.
 *
 *   capture_feed REGION COUNT REF [DROP_PORT OFFSET BYTE]
 *
 * With the last three it plays a queue binding for lib/examples/verdict
 * (run as verdict -d DROP_PORT -m OFFSET:BYTE): every packet is queued,
 * every third goes to DROP_PORT, and it checks each verdict on tx: in
 * order, for the right slot, DROP for DROP_PORT (when the captured bytes
 * show the port), an unmodified ACCEPT for a truncated packet, else ACCEPT with PKTPOOL_DESC_F_MODIFIED, the full
 * length, and the slot holding the packet with only payload byte OFFSET
 * changed to BYTE.
 */
#include <errno.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "libpktpool.h"

#define SNAP		40
#define TS_BASE		1700000000000000000ull	/* ns */
#define WAIT_MS		20000

struct kring {
	_Atomic uint32_t *prod, *cons;
	unsigned char *e;
};

static void at(struct kring *k, unsigned char *base)
{
	k->prod = (_Atomic uint32_t *)base;
	k->cons = (_Atomic uint32_t *)(base + 64);
	k->e = base + 128;
}

static uint16_t csum_fold(uint32_t s)
{
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

static uint32_t sum16(const unsigned char *b, size_t n)
{
	uint32_t s = 0;
	size_t i;

	for (i = 0; i + 1 < n; i += 2)
		s += (uint32_t)b[i] << 8 | b[i + 1];
	if (n & 1)
		s += (uint32_t)b[n - 1] << 8;
	return s;
}

static unsigned int drop_port;	/* queue mode when not 0 */

/* An IPv4 or IPv6 UDP packet carrying seq; returns its length. */
static uint32_t make_packet(unsigned char *b, uint32_t seq)
{
	uint32_t plen = 8 + 4 + 20 + seq % 60, i, h;
	unsigned char *u;

	if (seq % 2 == 0) {
		h = 20;
		memset(b, 0, h);
		b[0] = 0x45;
		b[2] = (unsigned char)((h + plen) >> 8);
		b[3] = (unsigned char)(h + plen);
		b[8] = 64;
		b[9] = 17;
		memcpy(b + 12, "\x0a\x00\x00\x01\x0a\x00\x00\x02", 8);
		i = csum_fold(sum16(b, h));
		b[10] = (unsigned char)(i >> 8);
		b[11] = (unsigned char)i;
	} else {
		h = 40;
		memset(b, 0, h);
		b[0] = 0x60;
		b[4] = (unsigned char)(plen >> 8);
		b[5] = (unsigned char)plen;
		b[6] = 17;
		b[7] = 64;
		b[8] = 0xfd; b[23] = 1;
		b[24] = 0xfd; b[39] = 2;
	}
	u = b + h;
	u[0] = 0x13; u[1] = 0x88;		/* 5000 */
	u[2] = 0x17; u[3] = 0x70;		/* 6000 */
	if (drop_port && seq % 3 == 1) {
		u[2] = (unsigned char)(drop_port >> 8);
		u[3] = (unsigned char)drop_port;
	}
	u[4] = (unsigned char)(plen >> 8);
	u[5] = (unsigned char)plen;
	u[6] = u[7] = 0;			/* no checksum: not checked here */
	u[8] = (unsigned char)(seq >> 24);
	u[9] = (unsigned char)(seq >> 16);
	u[10] = (unsigned char)(seq >> 8);
	u[11] = (unsigned char)seq;
	for (i = 12; i < plen; i++)
		u[i] = (unsigned char)(seq + i);
	return h + plen;
}

struct sent {
	uint32_t slot, len, udp;
	unsigned char bytes[256];
};

static struct sent *sent;
static uint32_t verdicts, wrong, dropped, modified, accepted;
static long mod_off;
static unsigned int mod_byte;

/* One verdict from tx, checked against what was queued. */
static void judge(const struct pktpool_ring_desc *v, const unsigned char *slots,
		  uint32_t slot_size)
{
	const struct sent *q = &sent[verdicts];
	uint32_t seq = verdicts++, at;
	unsigned char want[256];

	if (v->id != seq || v->slot != q->slot) {
		wrong++;
		return;
	}
	/* a truncated IPv6 packet (40 bytes) shows no UDP port to drop by */
	if (seq % 3 == 1 && !(seq % 5 == 4 && seq % 2 == 1)) {
		dropped++;
		wrong += v->verdict != PKTPOOL_VERDICT_DROP;
		return;
	}
	if (v->verdict != PKTPOOL_VERDICT_ACCEPT) {
		wrong++;
		return;
	}
	if (seq % 5 == 4) {			/* truncated: left alone */
		accepted++;
		wrong += v->flags != 0;
		return;
	}
	modified++;
	memcpy(want, q->bytes, q->len);
	at = q->udp + 8 + (uint32_t)mod_off;
	if (at < q->len)
		want[at] = (unsigned char)mod_byte;
	if (!(v->flags & PKTPOOL_DESC_F_MODIFIED) || v->len != q->len ||
	    memcmp(slots + (size_t)v->slot * slot_size, want, q->len))
		wrong++;
}

static void nap(void)
{
	struct timespec ts = { 0, 1000000 };

	nanosleep(&ts, NULL);
}

int main(int argc, char **argv)
{
	struct pktpool_config cfg = { .slot_size = 256, .slot_count = 16 };
	struct pktpool_layout lay;
	struct kring rx, fill, tx;
	struct pktpool *p;
	unsigned char *slots, *base;
	uint32_t count, seq = 0, rx_prod = 0, fill_cons = 0, tx_cons = 0;
	uint32_t free_s[16], nfree = 0, returned = 0;
	FILE *ref;
	int err, ms = 0;

	if (argc != 4 && argc != 7)
		return 2;
	count = (uint32_t)atoi(argv[2]);
	if (argc == 7) {
		drop_port = (unsigned int)atoi(argv[4]);
		mod_off = atol(argv[5]);
		mod_byte = (unsigned int)strtoul(argv[6], NULL, 0);
		sent = calloc(count, sizeof(*sent));
		if (!drop_port || mod_off < 0 || !sent)
			return 2;
	}
	ref = fopen(argv[3], "wb");
	if (!ref)
		return 1;
	setenv("PKTPOOL_BACKEND", "memfd", 1);
	cfg.name = argv[1];
	err = pktpool_create(&cfg, &p);
	if (err) {
		fprintf(stderr, "capture_feed: create: %s\n", pktpool_strerror(err));
		return 1;
	}
	pktpool_get_layout(p, &lay);
	slots = pktpool_idx_to_ptr(p, 0);
	base = slots - lay.off_slots;
	at(&rx, base + lay.off_rx_ring);
	at(&fill, base + lay.off_fill_ring);
	at(&tx, base + lay.off_tx_ring);

	while ((seq < count || (drop_port && verdicts < count)) && ms < WAIT_MS) {
		uint32_t fp = atomic_load_explicit(fill.prod, memory_order_acquire);
		uint32_t rc = atomic_load_explicit(rx.cons, memory_order_acquire);
		struct pktpool_ring_desc d;
		unsigned char *b;
		uint32_t len;

		while (fill_cons != fp && nfree < 16) {
			uint32_t s = ((uint32_t *)fill.e)[fill_cons++ & (lay.ring_entries - 1)];

			if (s < lay.slot_count)
				free_s[nfree++] = s;
		}
		atomic_store_explicit(fill.cons, fill_cons, memory_order_release);
		if (drop_port) {
			uint32_t tp = atomic_load_explicit(tx.prod, memory_order_acquire);

			while (tx_cons != tp && nfree < 16 && verdicts < count) {
				struct pktpool_ring_desc v =
					((struct pktpool_ring_desc *)tx.e)[tx_cons++ & (lay.ring_entries - 1)];

				judge(&v, slots, lay.slot_size);
				if (v.slot < lay.slot_count)
					free_s[nfree++] = v.slot;
			}
			atomic_store_explicit(tx.cons, tx_cons, memory_order_release);
		}
		if (seq == count || !nfree || rx_prod - rc >= lay.ring_entries) {
			nap();
			ms++;
			continue;
		}
		memset(&d, 0, sizeof(d));
		d.slot = free_s[--nfree];
		if (!drop_port && seq == count / 2 && !returned) {
			/* a slot handed back unused: no packet to write */
			d.flags = PKTPOOL_DESC_F_RETURNED;
			((struct pktpool_ring_desc *)rx.e)[rx_prod++ & (lay.ring_entries - 1)] = d;
			atomic_store_explicit(rx.prod, rx_prod, memory_order_release);
			returned = 1;
			continue;
		}
		b = slots + (size_t)d.slot * lay.slot_size;
		len = make_packet(b, seq);
		fwrite(&len, 4, 1, ref);
		fwrite(b, 1, len, ref);
		d.orig_len = len;
		d.len = seq % 5 == 4 ? SNAP : len;
		if (d.len < len)
			d.flags = PKTPOOL_DESC_F_TRUNCATED;
		if (drop_port) {
			d.flags |= PKTPOOL_DESC_F_QUEUED;
			sent[seq].slot = d.slot;
			sent[seq].len = len;
			sent[seq].udp = seq % 2 ? 40 : 20;
			memcpy(sent[seq].bytes, b, len);
		}
		d.id = seq;
		d.family = seq % 2 ? 10 : 2;
		d.tstamp = TS_BASE + (uint64_t)seq * 1000001u;
		((struct pktpool_ring_desc *)rx.e)[rx_prod++ & (lay.ring_entries - 1)] = d;
		atomic_store_explicit(rx.prod, rx_prod, memory_order_release);
		seq++;
	}
	fclose(ref);
	/* until the capture released every descriptor */
	while (atomic_load_explicit(rx.cons, memory_order_acquire) != rx_prod &&
	       ms++ < WAIT_MS)
		nap();
	pktpool_unlink(argv[1]);
	pktpool_detach(p);
	if (seq != count) {
		fprintf(stderr, "capture_feed: only %u of %u delivered\n", seq, count);
		return 1;
	}
	if (drop_port) {
		printf("%u verdicts: %u dropped, %u modified, %u accepted, %u wrong\n",
		       verdicts, dropped, modified, accepted, wrong);
		return verdicts == count && !wrong ? 0 : 1;
	}
	return 0;
}
