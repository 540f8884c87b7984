// SPDX-License-Identifier: GPL-2.0
/*
 * pktpool-capture: write the packets a region's rx ring delivers to a pcap
 * or pcapng file.
 *
 *   pktpool-capture [-n] [-w FILE] [-c COUNT] [-t SECONDS] [-q] REGION
 *
 * Attaches REGION by name (libpktpool: the kernel's region when
 * /dev/pktpool has regions), puts every free slot it can on the fill ring,
 * then loops: peek rx descriptors, write each packet (caplen = the
 * descriptor's len, len = its orig_len, the timestamp the hook took),
 * release them and give the slots straight back on the fill ring. A packet
 * queued for a verdict (another program's job) is accepted unchanged, so a
 * capture never holds traffic up. Kicks the kernel only when it asks
 * (NEED_WAKEUP), sleeps in poll() when rx is empty.
 *
 * Exit: 0 done (COUNT packets, the time limit, or SIGINT/SIGTERM), 1 an
 * error, 2 usage. Statistics go to stderr unless -q.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include <linux/pktpool.h>
#include "libpktpool.h"

#include "pcap.h"

#define BATCH		64
#define IDLE_WAIT_MS	100	/* wake up this often to check the clock */

static volatile sig_atomic_t stop;

struct stats {
	uint64_t packets;
	uint64_t bytes;
	uint64_t truncated;
	uint64_t queued;	/* accepted for another program */
	uint64_t invalid;	/* descriptors naming no slot of the region */
	uint64_t returned;	/* unused slots the kernel gave back */
	uint64_t kicks;
};

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: pktpool-capture [-n] [-w FILE] [-c COUNT] [-t SECONDS] [-q] REGION\n"
		"Write the packets delivered on REGION's rx ring as pcap (LINKTYPE_RAW,\n"
		"nanosecond timestamps).\n"
		"  -w FILE     output file, '-' for stdout (default)\n"
		"  -n          pcapng instead of pcap\n"
		"  -c COUNT    stop after COUNT packets\n"
		"  -t SECONDS  stop after SECONDS\n"
		"  -q          no statistics on stderr at exit\n");
}

static int parse_u64(const char *s, uint64_t *v)
{
	char *end;

	errno = 0;
	if (!*s || *s == '-')
		return -1;
	*v = strtoull(s, &end, 10);
	return errno || *end ? -1 : 0;
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* What the kernel counts for the region, when it is the kernel's. */
static void kernel_stats(struct pktpool_rings *r)
{
	struct pktpool_region_info i;

	if (!r->region_id)
		return;
	memset(&i, 0, sizeof(i));
	i.size = sizeof(i);
	i.id = r->region_id;
	if (ioctl(r->fd, PKTPOOL_IOC_REGION_INFO, &i))
		return;
	fprintf(stderr,
		"kernel: %llu invalid ring entries, slots: %llu kernel, %llu in flight, %llu user\n",
		(unsigned long long)i.ring_invalid,
		(unsigned long long)i.kernel_slots,
		(unsigned long long)i.inflight_slots,
		(unsigned long long)i.user_slots);
}

/* Kick when the kernel asked for it; a missing kernel is not an error. */
static int kick(struct pktpool_rings *r, struct stats *st, bool fill, bool tx)
{
	int err;

	if (!((fill && pktpool_fill_needs_wakeup(r)) ||
	      (tx && pktpool_tx_needs_wakeup(r))))
		return 0;
	err = pktpool_rings_kick(r);
	if (err == -EOPNOTSUPP)
		return 0;
	st->kicks++;
	return err;
}

/*
 * One batch of rx: write, then hand every slot back (fill, or tx with an
 * accept for a queued packet). Returns packets seen or -errno.
 */
static int one_batch(struct pktpool_rings *r, struct pcap_out *out,
		     struct stats *st, unsigned int max)
{
	struct pktpool_ring_desc d[BATCH], acc[BATCH];
	uint32_t slots[BATCH];
	unsigned int nfill = 0, nacc = 0;
	int n, i, err;

	n = pktpool_rx_peek(r, d, max < BATCH ? max : BATCH);
	if (n <= 0)
		return n;
	for (i = 0; i < n; i++) {
		const void *data = pktpool_rx_data(r, &d[i]);

		if (!data) {
			st->invalid++;	/* no slot of ours: nothing to return */
			continue;
		}
		if (d[i].flags & PKTPOOL_DESC_F_RETURNED) {
			/* no packet: the kernel let go of an unused slot */
			st->returned++;
			slots[nfill++] = d[i].slot;
			continue;
		}
		err = pcap_packet(out, d[i].tstamp, data, d[i].len,
				  d[i].orig_len > d[i].len ? d[i].orig_len :
							      d[i].len);
		if (err)
			return err;
		st->packets++;
		st->bytes += d[i].len;
		if (d[i].flags & PKTPOOL_DESC_F_TRUNCATED)
			st->truncated++;
		if (d[i].flags & PKTPOOL_DESC_F_QUEUED) {
			memset(&acc[nacc], 0, sizeof(acc[nacc]));
			acc[nacc].slot = d[i].slot;
			acc[nacc].id = d[i].id;
			acc[nacc].verdict = PKTPOOL_VERDICT_ACCEPT;
			nacc++;
			st->queued++;
		} else {
			slots[nfill++] = d[i].slot;
		}
	}
	if (fflush(out->f))
		return -errno;
	pktpool_rx_release(r, (unsigned int)n);
	/* Each slot came from the kernel, so the rings have room for it. */
	if (nfill && pktpool_fill_put(r, slots, nfill) != (int)nfill)
		return -EUCLEAN;
	if (nacc && pktpool_tx_put(r, acc, nacc) != (int)nacc)
		return -EUCLEAN;
	err = kick(r, st, nfill != 0, nacc != 0);
	return err ? err : n;
}

int main(int argc, char **argv)
{
	const char *file = "-", *name;
	uint64_t count = 0, secs = 0, deadline = 0;
	bool ng = false, quiet = false;
	struct pktpool *pool = NULL;
	struct pktpool_rings r;
	struct pcap_out out;
	struct sigaction sa;
	struct stats st;
	FILE *f;
	int c, n, err = 0, rc = 0;

	while ((c = getopt(argc, argv, "nw:c:t:qh")) != -1) {
		switch (c) {
		case 'n': ng = true; break;
		case 'w': file = optarg; break;
		case 'c':
			if (parse_u64(optarg, &count) || !count) {
				fprintf(stderr, "pktpool-capture: invalid count '%s'\n", optarg);
				return 2;
			}
			break;
		case 't':
			if (parse_u64(optarg, &secs) || !secs || secs > 1u << 30) {
				fprintf(stderr, "pktpool-capture: invalid seconds '%s'\n", optarg);
				return 2;
			}
			break;
		case 'q': quiet = true; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind != argc - 1) {
		usage(stderr);
		return 2;
	}
	name = argv[optind];
	memset(&st, 0, sizeof(st));

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;	/* no SA_RESTART: poll returns EINTR */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	err = pktpool_attach(name, 0, &pool);
	if (err) {
		fprintf(stderr, "pktpool-capture: attach region '%s': %s\n",
			name, pktpool_strerror(err));
		return 1;
	}
	err = pktpool_rings_init(pool, &r);
	if (err) {
		fprintf(stderr, "pktpool-capture: rings of '%s': %s\n", name,
			pktpool_strerror(err));
		pktpool_detach(pool);
		return 1;
	}
	if (strcmp(file, "-") == 0) {
		f = stdout;
	} else {
		f = fopen(file, "wbx");
		if (!f && errno == EEXIST)
			f = fopen(file, "wb");
		if (!f) {
			fprintf(stderr, "pktpool-capture: %s: %s\n", file,
				strerror(errno));
			pktpool_detach(pool);
			return 1;
		}
	}
	err = pcap_start(&out, f, ng, r.slot_size);
	if (!err && fflush(f))
		err = -errno;

	/* Every slot we can get goes to the kernel; they cycle from here. */
	if (!err) {
		n = pktpool_fill_alloc(&r, UINT_MAX);
		if (n < 0)
			err = n;
		else if (n > 0)
			err = kick(&r, &st, true, false);
		if (err == -EOPNOTSUPP)
			err = 0;
		/* scripts wait for this line before they send traffic */
		/* 0: the slots are with the kernel or another process (a
		 * capture before us left them on the fill ring) */
		if (!err && !quiet)
			fprintf(stderr, "pktpool-capture: %s: %d slots on the fill ring\n",
				name, n);
	}
	if (secs)
		deadline = now_ms() + secs * 1000;
	while (!err && !stop && (!count || st.packets < count)) {
		n = one_batch(&r, &out, &st,
			      count && count - st.packets < BATCH ?
			      (unsigned int)(count - st.packets) : BATCH);
		if (n < 0) {
			err = n;
			break;
		}
		if (deadline && now_ms() >= deadline)
			break;
		if (n > 0)
			continue;
		n = pktpool_rings_wait(&r, IDLE_WAIT_MS);
		if (n < 0 && n != -EINTR)
			err = n;
	}
	if (err) {
		fprintf(stderr, "pktpool-capture: %s\n", pktpool_strerror(err));
		rc = 1;
	}
	if (f != stdout && fclose(f)) {
		fprintf(stderr, "pktpool-capture: %s: %s\n", file, strerror(errno));
		rc = 1;
	} else if (f == stdout && fflush(f)) {
		rc = 1;
	}
	if (!quiet) {
		fprintf(stderr,
			"%llu packets (%llu bytes) captured, %llu truncated, %llu queued and accepted, %llu invalid descriptors, %llu slots returned, %llu kicks\n",
			(unsigned long long)st.packets,
			(unsigned long long)st.bytes,
			(unsigned long long)st.truncated,
			(unsigned long long)st.queued,
			(unsigned long long)st.invalid,
			(unsigned long long)st.returned,
			(unsigned long long)st.kicks);
		if (r.corrupt)
			fprintf(stderr, "%llu impossible ring indices seen\n",
				(unsigned long long)r.corrupt);
		kernel_stats(&r);
	}
	pktpool_detach(pool);
	return rc;
}
