// SPDX-License-Identifier: GPL-2.0
/*
 * vdev_garbage: plays a broken daemon for selftests/vdev/vdev-tests.sh.
 * Attaches REGION (a pktpool_vdev device's, with no daemon on it), puts
 * descriptors on its tx ring that the device must count and drop, kicks,
 * and detaches. Each descriptor names a slot this process holds (the
 * rings were reset when the last daemon left, so every slot not being
 * filled is ours) unless it is the out-of-range one:
 *
 *   ring level (the region's ring_invalid, or the device's rx_invalid):
 *     slot == slot_count; len == slot_size + 1
 *   device level (rx_invalid: not a packet the stack may see):
 *     len 0; 8 bytes of an IPv4 header; an IPv4 header whose IHL says
 *     60 bytes in a 40-byte packet; 20 bytes of an IPv6 header; version
 *     0 bytes; version 5; a valid-looking IPv4 packet of MTU + 1 bytes
 *
 * Prints "submitted N: D device-level, R ring-level" and exits 0 when
 * all N went on the ring and the kick was taken.
 *
 *   vdev_garbage REGION MTU
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libpktpool.h"

#define NR_DESC	9

static void ipv4_header(unsigned char *b, unsigned int len)
{
	memset(b, 0, 20);
	b[0] = 0x45;
	b[2] = (unsigned char)(len >> 8);
	b[3] = (unsigned char)len;
	b[8] = 64;
	b[9] = 17;
	memcpy(b + 12, "\x0a\x4e\x00\x02\x0a\x4e\x00\x01", 8);
}

int main(int argc, char **argv)
{
	struct pktpool_ring_desc d[NR_DESC];
	struct pktpool_rings r;
	struct pktpool *p;
	unsigned char *b;
	unsigned int mtu, n = 0, dev = 0, ring = 0, i;
	int err, put;

	if (argc != 3 || (mtu = (unsigned int)strtoul(argv[2], NULL, 10)) < 68) {
		fprintf(stderr, "usage: vdev_garbage REGION MTU\n");
		return 2;
	}
	err = pktpool_attach(argv[1], 0, &p);
	if (!err)
		err = pktpool_rings_init(p, &r);
	if (err) {
		fprintf(stderr, "vdev_garbage: %s: %s\n", argv[1],
			pktpool_strerror(err));
		return 1;
	}
	if (r.slot_count < NR_DESC || r.slot_size <= mtu) {
		fprintf(stderr, "vdev_garbage: %s: need %d slots larger than %u bytes\n",
			argv[1], NR_DESC, mtu);
		pktpool_detach(p);
		return 1;
	}
	memset(d, 0, sizeof(d));
	/* Ring level. */
	d[n].slot = r.slot_count;
	d[n++].len = 64;
	d[n].slot = n;
	d[n++].len = r.slot_size + 1;
	ring = n;
	/* Device level, one slot each: slot i for descriptor i. */
	for (i = n; i < NR_DESC; i++) {
		d[i].slot = i;
		b = pktpool_idx_to_ptr(p, i);
		memset(b, 0, r.slot_size);
		switch (i - n) {
		case 0:		/* len 0 */
			break;
		case 1:		/* shorter than the IPv4 header */
			ipv4_header(b, 8);
			d[i].len = 8;
			break;
		case 2:		/* IHL 15 (60 bytes) in 40 */
			ipv4_header(b, 40);
			b[0] = 0x4f;
			d[i].len = 40;
			break;
		case 3:		/* shorter than the IPv6 header */
			b[0] = 0x60;
			d[i].len = 20;
			break;
		case 4:		/* version 0: not IP */
			memset(b, 0x0a, 100);
			b[0] = 0x00;
			d[i].len = 100;
			break;
		case 5:		/* version 5 */
			ipv4_header(b, 60);
			b[0] = 0x55;
			d[i].len = 60;
			break;
		case 6:		/* one byte over the MTU */
			ipv4_header(b, mtu + 1);
			d[i].len = mtu + 1;
			break;
		}
	}
	dev = NR_DESC - ring;
	n = NR_DESC;
	put = pktpool_tx_put(&r, d, n);
	if (put != (int)n) {
		fprintf(stderr, "vdev_garbage: only %d of %u descriptors fit the tx ring\n",
			put, n);
		pktpool_detach(p);
		return 1;
	}
	err = pktpool_rings_kick(&r);
	if (err) {
		fprintf(stderr, "vdev_garbage: kick: %s\n", pktpool_strerror(err));
		pktpool_detach(p);
		return 1;
	}
	printf("submitted %u: %u device-level, %u ring-level\n", n, dev, ring);
	pktpool_detach(p);
	return 0;
}
