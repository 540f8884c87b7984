// SPDX-License-Identifier: GPL-2.0
/*
 * capture_feed: plays pktpool.ko's part for pktpool-capture's test, on a
 * memfd region (PKTPOOL_BACKEND=memfd): creates REGION, waits for slots
 * on the fill ring, then delivers COUNT packets on rx exactly as the
 * uapi describes, and writes each one's full bytes to REF (4-byte length
 * in host order, then the bytes) for the test to compare with the file
 * pktpool-capture wrote. Packets alternate IPv4 and IPv6 UDP with a
 * sequence number and a pattern; every 5th is truncated to SNAP bytes.
 * Waits until the capture consumed everything, then removes the region.
 *
 *   capture_feed REGION COUNT REF
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

static void nap(void)
{
	struct timespec ts = { 0, 1000000 };

	nanosleep(&ts, NULL);
}

int main(int argc, char **argv)
{
	struct pktpool_config cfg = { .slot_size = 256, .slot_count = 16 };
	struct pktpool_layout lay;
	struct kring rx, fill;
	struct pktpool *p;
	unsigned char *slots, *base;
	uint32_t count, seq = 0, rx_prod = 0, fill_cons = 0, free_s[16], nfree = 0;
	FILE *ref;
	int err, ms = 0;

	if (argc != 4)
		return 2;
	count = (uint32_t)atoi(argv[2]);
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

	while (seq < count && ms < WAIT_MS) {
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
		if (!nfree || rx_prod - rc >= lay.ring_entries) {
			nap();
			ms++;
			continue;
		}
		memset(&d, 0, sizeof(d));
		d.slot = free_s[--nfree];
		b = slots + (size_t)d.slot * lay.slot_size;
		len = make_packet(b, seq);
		fwrite(&len, 4, 1, ref);
		fwrite(b, 1, len, ref);
		d.orig_len = len;
		d.len = seq % 5 == 4 ? SNAP : len;
		if (d.len < len)
			d.flags = PKTPOOL_DESC_F_TRUNCATED;
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
	return 0;
}
