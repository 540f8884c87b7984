// SPDX-License-Identifier: GPL-2.0
/*
 * region_hold NAME N [--scribble]: attach kernel region NAME with
 * libpktpool, take N slots, publish the region's summary
 * (pktpool_stats_publish()) and exit without freeing or detaching, as a
 * process that died holding them. Prints "held K" (K < N when the region
 * ran out). --scribble then overwrites the summary as a hostile writer
 * would: a valid version and every other byte 0xff. For the lib-*
 * attributes of region-get in pktpoolctl.sh; run inside the VM.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/pktpool.h>

#include "libpktpool.h"

static int scribble(struct pktpool *p)
{
	struct pktpool_region_lib *s;
	struct pktpool_layout lay;
	unsigned char *base;
	int err;

	err = pktpool_get_layout(p, &lay);
	if (err)
		return err;
	base = (unsigned char *)pktpool_idx_to_ptr(p, 0) - lay.off_slots;
	s = (struct pktpool_region_lib *)(base + PKTPOOL_REGION_LIB_OFF);
	memset(s, 0xff, sizeof(*s));
	s->version = PKTPOOL_REGION_LIB_VERSION;
	return 0;
}

int main(int argc, char **argv)
{
	struct pktpool *p = NULL;
	long i, n;
	int err;

	if (argc < 3 || argc > 4 || (n = atol(argv[2])) < 0 ||
	    (argc == 4 && strcmp(argv[3], "--scribble"))) {
		fprintf(stderr, "usage: region_hold NAME N [--scribble]\n");
		return 2;
	}
	setenv("PKTPOOL_BACKEND", "kernel", 1);
	err = pktpool_attach(argv[1], 0, &p);
	if (err) {
		fprintf(stderr, "region_hold: attach %s: %s\n", argv[1],
			pktpool_strerror(err));
		return 1;
	}
	for (i = 0; i < n && pktpool_alloc(p); i++)
		;
	/* what is held is the process's, none of it in a cache */
	err = pktpool_flush_cache(p);
	if (!err)
		err = pktpool_stats_publish(p);
	if (!err && argc == 4)
		err = scribble(p);
	if (err) {
		fprintf(stderr, "region_hold: %s\n", pktpool_strerror(err));
		return 1;
	}
	printf("held %ld\n", i);
	fflush(stdout);
	_exit(0);
}
