// SPDX-License-Identifier: MIT
/*
 * Variable-sized buffers from a buddy allocator arena: IP fragments
 * arrive, each datagram's buffer is allocated when its total length is
 * known (its last fragment), fragments are copied in, and the buffer is
 * freed when the datagram is done. The arena's statistics show how the
 * 64 KiB blocks split and merge back.
 *
 *   reassembly
 */
#include <stdio.h>
#include <string.h>

#include "libpktpool.h"

static void show(struct pktpool_buddy *b, const char *when)
{
	struct pktpool_buddy_stats st;
	int k;

	pktpool_buddy_stats(b, &st);
	printf("%-22s used %6llu B in %2llu blocks, free %6llu B, largest %5llu, "
	       "fragmentation %3u%%  free blocks:", when,
	       (unsigned long long)st.used_bytes,
	       (unsigned long long)st.used_blocks,
	       (unsigned long long)st.free_bytes,
	       (unsigned long long)st.largest_free, st.fragmentation);
	for (k = 0; k < PKTPOOL_BUDDY_ORDERS; k++)
		printf(" %llu", (unsigned long long)st.free_blocks[k]);
	printf("\n");
}

int main(void)
{
	static const size_t lens[] = { 1480, 8000, 300, 65000, 3000, 120 };
	struct pktpool_buddy_config cfg = { .size = 256 * 1024 };
	struct pktpool_buddy *b;
	unsigned char *dgram[6];
	int err, i;

	err = pktpool_buddy_create(&cfg, &b);
	if (err) {
		fprintf(stderr, "pktpool_buddy_create: %s\n", pktpool_strerror(err));
		return 1;
	}
	show(b, "empty:");
	for (i = 0; i < 6; i++) {
		dgram[i] = pktpool_buddy_alloc(b, lens[i]);
		if (!dgram[i]) {
			perror("pktpool_buddy_alloc");
			return 1;
		}
		memset(dgram[i], i, lens[i]);	/* the fragments, copied in */
		printf("datagram %d: %5zu bytes in a %5zu-byte block\n", i,
		       lens[i], pktpool_buddy_usable_size(b, dgram[i]));
	}
	show(b, "six datagrams:");
	for (i = 0; i < 6; i += 2)
		pktpool_buddy_free(b, dgram[i]);
	show(b, "three delivered:");
	for (i = 1; i < 6; i += 2)
		pktpool_buddy_free(b, dgram[i]);
	show(b, "all delivered:");
	pktpool_buddy_detach(b);
	return 0;
}
