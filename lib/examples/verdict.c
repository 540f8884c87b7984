// SPDX-License-Identifier: MIT
/*
 * A userspace firewall on a region's rings: pktpool_nf.ko queues packets
 * (a binding with action queue) on the rx ring; this program reads each
 * one in place, decides, and answers on the tx ring:
 *   - UDP to the port given with -d: dropped;
 *   - other UDP with a payload longer than OFFSET (-m OFFSET:BYTE): the
 *     payload byte at OFFSET becomes BYTE and the packet is accepted as
 *     modified (PKTPOOL_DESC_F_MODIFIED: the kernel takes the slot's bytes
 *     and fixes the checksums);
 *   - everything else: accepted unchanged.
 * Copied (not queued) packets are only counted; their slots go back on
 * the fill ring. No syscall per packet: a kick only when the kernel sets
 * NEED_WAKEUP, poll() only when rx is empty.
 *
 *   verdict [-d PORT] [-m OFFSET:BYTE] [-c COUNT] [-t SECONDS] [-v] REGION
 *
 * Statistics go to stderr at exit (COUNT packets, SECONDS, or SIGINT/TERM).
 */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "libpktpool.h"

#define BATCH	64
#define HDR_MAX	(60 + 8)	/* longest IPv4 header and a UDP header */

struct rule {
	long drop_port;		/* -1: none */
	long mod_off;		/* -1: none */
	unsigned char mod_byte;
};

struct counts {
	unsigned long long packets, dropped, modified, accepted, copies,
			   invalid, kicks;
};

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

/*
 * The UDP header of a packet: its offset in *udp, or -1. hdr is a private
 * copy of the packet's first bytes (another process may write the slot
 * while we look), len the packet's length.
 */
static int find_udp(const unsigned char *hdr, uint32_t len, uint32_t *udp)
{
	uint32_t off;

	if (len < 1)
		return -1;
	switch (hdr[0] >> 4) {
	case 4:
		off = (hdr[0] & 0xfu) * 4u;
		/* UDP, not a fragment (MF set or an offset) */
		if (off < 20 || len < off + 8 || hdr[9] != 17 ||
		    ((hdr[6] & 0x3fu) | hdr[7]))
			return -1;
		break;
	case 6:
		off = 40;	/* no extension headers in this example */
		if (len < off + 8 || hdr[6] != 17)
			return -1;
		break;
	default:
		return -1;
	}
	*udp = off;
	return 0;
}

/* The verdict for one queued packet; may rewrite one byte of it. */
static void decide(const struct rule *rule, unsigned char *pkt,
		   const struct pktpool_ring_desc *d,
		   struct pktpool_ring_desc *v, struct counts *c)
{
	unsigned char hdr[HDR_MAX];
	uint32_t udp, n = d->len < HDR_MAX ? d->len : HDR_MAX;
	unsigned int dport;

	memset(v, 0, sizeof(*v));
	v->slot = d->slot;
	v->id = d->id;
	v->verdict = PKTPOOL_VERDICT_ACCEPT;
	memcpy(hdr, pkt, n);
	if (find_udp(hdr, d->len, &udp) == 0) {
		dport = (unsigned int)hdr[udp + 2] << 8 | hdr[udp + 3];
		if ((long)dport == rule->drop_port) {
			v->verdict = PKTPOOL_VERDICT_DROP;
			c->dropped++;
			return;
		}
		/* only a whole packet can be given back modified */
		if (rule->mod_off >= 0 &&
		    !(d->flags & PKTPOOL_DESC_F_TRUNCATED) &&
		    udp + 8 + (uint32_t)rule->mod_off < d->len) {
			pkt[udp + 8 + rule->mod_off] = rule->mod_byte;
			v->flags = PKTPOOL_DESC_F_MODIFIED;
			v->len = d->len;
			c->modified++;
			return;
		}
	}
	c->accepted++;
}

static void kick_if_asked(struct pktpool_rings *r, struct counts *c)
{
	if ((pktpool_fill_needs_wakeup(r) || pktpool_tx_needs_wakeup(r)) &&
	    pktpool_rings_kick(r) == 0)
		c->kicks++;
}

/* One batch: verdicts on tx, copies' slots on fill. Packets or -errno. */
static int one_batch(struct pktpool_rings *r, const struct rule *rule,
		     struct counts *c, unsigned int max, int verbose)
{
	struct pktpool_ring_desc d[BATCH], v[BATCH];
	uint32_t slots[BATCH];
	unsigned int nv = 0, nf = 0;
	int n, i;

	n = pktpool_rx_peek(r, d, max < BATCH ? max : BATCH);
	if (n <= 0)
		return n;
	for (i = 0; i < n; i++) {
		unsigned char *pkt = pktpool_rx_data(r, &d[i]);

		if (!pkt) {
			c->invalid++;
			continue;
		}
		if (d[i].flags & PKTPOOL_DESC_F_RETURNED) {
			/* an unused slot the kernel gave back: keep it stocked */
			slots[nf++] = d[i].slot;
			continue;
		}
		c->packets++;
		if (!(d[i].flags & PKTPOOL_DESC_F_QUEUED)) {
			c->copies++;
			slots[nf++] = d[i].slot;
			continue;
		}
		decide(rule, pkt, &d[i], &v[nv], c);
		if (verbose)
			fprintf(stderr, "id %u len %u: %s\n", d[i].id, d[i].len,
				v[nv].verdict == PKTPOOL_VERDICT_DROP ? "drop" :
				v[nv].flags ? "accept modified" : "accept");
		nv++;
	}
	pktpool_rx_release(r, (unsigned int)n);
	/* every slot came from the kernel: the rings have room for it */
	if (nv && pktpool_tx_put(r, v, nv) != (int)nv)
		return -EUCLEAN;
	if (nf && pktpool_fill_put(r, slots, nf) != (int)nf)
		return -EUCLEAN;
	kick_if_asked(r, c);
	return n;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: verdict [-d PORT] [-m OFFSET:BYTE] [-c COUNT] [-t SECONDS] [-v] REGION\n");
}

static long num(const char *s, long max)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 0);
	return errno || end == s || *end || v < 0 || v > max ? -1 : v;
}

int main(int argc, char **argv)
{
	struct rule rule = { .drop_port = -1, .mod_off = -1 };
	struct counts c = { 0 };
	long count = 0, secs = 0, b;
	struct pktpool *pool;
	struct pktpool_rings r;
	struct sigaction sa;
	struct timespec t0, t;
	int opt, n, err, verbose = 0;
	char *colon;

	while ((opt = getopt(argc, argv, "d:m:c:t:v")) != -1) {
		switch (opt) {
		case 'd':
			rule.drop_port = num(optarg, 65535);
			if (rule.drop_port < 0)
				goto bad;
			break;
		case 'm':
			colon = strchr(optarg, ':');
			if (!colon)
				goto bad;
			*colon = 0;
			rule.mod_off = num(optarg, 65535);
			b = num(colon + 1, 255);
			if (rule.mod_off < 0 || b < 0)
				goto bad;
			rule.mod_byte = (unsigned char)b;
			break;
		case 'c':
			count = num(optarg, LONG_MAX);
			if (count <= 0)
				goto bad;
			break;
		case 't':
			secs = num(optarg, 1L << 30);
			if (secs <= 0)
				goto bad;
			break;
		case 'v':
			verbose = 1;
			break;
		default:
			goto bad;
		}
	}
	if (optind != argc - 1)
		goto bad;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;	/* no SA_RESTART: poll returns EINTR */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	err = pktpool_attach(argv[optind], 0, &pool);
	if (err) {
		fprintf(stderr, "verdict: attach %s: %s\n", argv[optind],
			pktpool_strerror(err));
		return 1;
	}
	err = pktpool_rings_init(pool, &r);
	if (!err) {
		n = pktpool_fill_alloc(&r, UINT_MAX);
		err = n < 0 ? n : 0;
		kick_if_asked(&r, &c);
		/* scripts wait for this line before they send traffic */
		if (!err)
			fprintf(stderr, "verdict: %s: %d slots on the fill ring\n",
				argv[optind], n);
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (!err && !stop && (!count || (long)c.packets < count)) {
		n = one_batch(&r, &rule, &c, count ?
			      (unsigned int)(count - (long)c.packets < BATCH ?
					     count - (long)c.packets : BATCH) :
			      BATCH, verbose);
		if (n < 0) {
			err = n;
			break;
		}
		clock_gettime(CLOCK_MONOTONIC, &t);
		if (secs && t.tv_sec - t0.tv_sec >= secs)
			break;
		if (n == 0) {
			n = pktpool_rings_wait(&r, 100);
			if (n < 0 && n != -EINTR)
				err = n;
		}
	}
	if (err)
		fprintf(stderr, "verdict: %s\n", pktpool_strerror(err));
	fprintf(stderr,
		"%llu packets: %llu dropped, %llu modified, %llu accepted, %llu copies; %llu invalid descriptors, %llu kicks\n",
		c.packets, c.dropped, c.modified, c.accepted, c.copies,
		c.invalid, c.kicks);
	pktpool_detach(pool);
	return err ? 1 : 0;
bad:
	usage();
	return 2;
}
