// SPDX-License-Identifier: MIT
/*
 * The plain forwarder of bench/vdev/vdev-bench.sh, the same logic over
 * TUN and over a pktpool_vdev device: every IPv4/UDP packet the stack
 * sends on the device comes back into the stack through the same device
 * with source and destination addresses and ports swapped (the IP header
 * checksum is a sum, which a swap leaves unchanged; the UDP checksum is
 * set to 0, "none", which IPv4 allows), so a socket that sent to the
 * device's peer gets its datagrams back.
 *
 *   vdev_fwd tun IFNAME         IFF_TUN | IFF_NO_PI: read() and write()
 *                               per packet
 *   vdev_fwd tun-mq IFNAME Q    IFF_MULTI_QUEUE, Q queues, a thread each
 *                               (the stack picks a queue by flow hash)
 *   vdev_fwd tun-uring IFNAME   one queue, reads and writes batched through
 *                               io_uring: 32 buffers, each read, rewritten,
 *                               written; a round's due requests in one
 *                               io_uring_enter() (built with liburing)
 *   vdev_fwd pktpool REGION     the device bound to REGION: a batch of
 *                               descriptors from the rx ring, each packet
 *                               rewritten in its slot and put on the tx
 *                               ring as {slot, len}, one kick a batch; the
 *                               slots coming back (PKTPOOL_DESC_F_RETURNED)
 *                               go on the fill ring again
 *
 * The TUN device is created here (not persistent): the caller configures
 * it once "ready" is on stderr. On SIGTERM or SIGINT prints
 * "packets N cpu_us U" (packets forwarded, this process's user + system
 * CPU time from getrusage) on stdout and exits 0.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <net/if.h>
#include <linux/if_tun.h>
#include <sys/ioctl.h>
#include <sys/resource.h>

#include <libpktpool.h>

#define BATCH		64
#define MAX_QUEUES	16

static volatile sig_atomic_t stop;
static _Atomic uint64_t forwarded, invalid;

static void on_term(int sig)
{
	(void)sig;
	stop = 1;
}

/* Swap in place: 0, or -1 when it is not an IPv4 UDP packet of len bytes. */
static int swap(uint8_t *p, uint32_t len)
{
	uint32_t ihl, i;
	uint8_t t;

	if (len < 28 || (p[0] >> 4) != 4 || p[9] != 17)
		return -1;
	ihl = (p[0] & 15u) * 4;
	if (ihl < 20 || len < ihl + 8)
		return -1;
	for (i = 0; i < 4; i++) {
		t = p[12 + i];
		p[12 + i] = p[16 + i];
		p[16 + i] = t;
	}
	for (i = 0; i < 2; i++) {
		t = p[ihl + i];
		p[ihl + i] = p[ihl + 2 + i];
		p[ihl + 2 + i] = t;
	}
	p[ihl + 6] = 0;
	p[ihl + 7] = 0;
	return 0;
}

/* ---- TUN ------------------------------------------------------------------ */

static int tun_open(const char *name, bool mq)
{
	struct ifreq ifr;
	int fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_flags = IFF_TUN | IFF_NO_PI | (mq ? IFF_MULTI_QUEUE : 0);
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	if (ioctl(fd, TUNSETIFF, &ifr)) {
		int err = -errno;

		close(fd);
		return err;
	}
	return fd;
}

/* One queue: read a packet, swap, write it back; poll only when idle. */
static void *tun_loop(void *arg)
{
	int fd = (int)(intptr_t)arg;
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	uint8_t buf[2048];
	uint64_t n = 0, bad = 0;
	ssize_t len;

	while (!stop) {
		len = read(fd, buf, sizeof(buf));
		if (len < 0) {
			if (errno == EAGAIN)
				poll(&pfd, 1, 100);
			else if (errno != EINTR)
				break;
			continue;
		}
		if (swap(buf, (uint32_t)len)) {
			bad++;
			continue;
		}
		if (write(fd, buf, (size_t)len) == len)
			n++;
	}
	atomic_fetch_add(&forwarded, n);
	atomic_fetch_add(&invalid, bad);
	return NULL;
}

static int run_tun(const char *name, unsigned int queues, bool mq)
{
	pthread_t th[MAX_QUEUES];
	int fds[MAX_QUEUES] = { 0 };
	unsigned int i;

	for (i = 0; i < queues; i++) {
		fds[i] = tun_open(name, mq);
		if (fds[i] < 0) {
			fprintf(stderr, "vdev_fwd: TUNSETIFF %s (queue %u): %s\n",
				name, i, strerror(-fds[i]));
			return 1;
		}
	}
	fprintf(stderr, "vdev_fwd: ready on %s, %u queue(s)\n", name, queues);
	for (i = 1; i < queues; i++)
		if (pthread_create(&th[i], NULL, tun_loop,
				   (void *)(intptr_t)fds[i]))
			return 1;
	tun_loop((void *)(intptr_t)fds[0]);
	for (i = 1; i < queues; i++)
		pthread_join(th[i], NULL);
	return 0;
}

#ifdef HAVE_LIBURING
#include <liburing.h>

#define URING_BUFS	32
#define URING_WRITE	(1ULL << 32)
#define URING_POLL	(1ULL << 33)

/* Buffer indices waiting for one thing: a read, a write, readiness. */
struct uring_list {
	unsigned int n;
	unsigned int i[URING_BUFS];
};

/*
 * Every buffer cycles read -> swap -> write -> read, each step a request;
 * a round submits all that are due in one io_uring_enter() and takes
 * every completion there is. The fd is O_NONBLOCK: kernels whose TUN
 * file lacks FMODE_NOWAIT (6.1) would otherwise park each blocking read
 * in an io-wq worker thread. A read that finds nothing either waits in
 * io_uring (newer kernels) or fails with -EAGAIN; such buffers wait for
 * one poll on the fd, armed when nothing else is due.
 */
static int run_tun_uring(const char *name)
{
	static uint8_t buf[URING_BUFS][2048];
	struct uring_list rd = { 0 }, wr = { 0 }, idle = { 0 };
	uint32_t len[URING_BUFS];
	struct io_uring_sqe *sqe;
	struct io_uring_cqe *cqe;
	struct io_uring ring;
	uint64_t n = 0, bad = 0, data;
	unsigned int i, k, head, seen;
	bool polling = false;
	int fd, err;

	fd = tun_open(name, false);
	if (fd < 0) {
		fprintf(stderr, "vdev_fwd: TUNSETIFF %s: %s\n", name, strerror(-fd));
		return 1;
	}
	err = io_uring_queue_init(4 * URING_BUFS, &ring, 0);
	if (err) {
		fprintf(stderr, "vdev_fwd: io_uring: %s\n", strerror(-err));
		return 1;
	}
	for (i = 0; i < URING_BUFS; i++)
		rd.i[rd.n++] = i;
	fprintf(stderr, "vdev_fwd: ready on %s, io_uring, %u buffers\n",
		name, URING_BUFS);
	while (!stop) {
		for (k = 0; k < wr.n; k++) {
			i = wr.i[k];
			sqe = io_uring_get_sqe(&ring);
			io_uring_prep_write(sqe, fd, buf[i], len[i], 0);
			io_uring_sqe_set_data64(sqe, i | URING_WRITE);
		}
		for (k = 0; k < rd.n; k++) {
			i = rd.i[k];
			sqe = io_uring_get_sqe(&ring);
			io_uring_prep_read(sqe, fd, buf[i], sizeof(buf[i]), 0);
			io_uring_sqe_set_data64(sqe, i);
		}
		if (!wr.n && !rd.n && idle.n && !polling) {
			sqe = io_uring_get_sqe(&ring);
			io_uring_prep_poll_add(sqe, fd, POLLIN);
			io_uring_sqe_set_data64(sqe, URING_POLL);
			polling = true;
		}
		wr.n = rd.n = 0;
		err = io_uring_submit_and_wait(&ring, 1);
		if (err < 0 && err != -EINTR)
			break;
		seen = 0;
		io_uring_for_each_cqe(&ring, head, cqe) {
			seen++;
			data = io_uring_cqe_get_data64(cqe);
			if (data & URING_POLL) {
				polling = false;
				while (idle.n)
					rd.i[rd.n++] = idle.i[--idle.n];
				continue;
			}
			i = (unsigned int)(data & 0xffffffffu);
			if (i >= URING_BUFS)
				continue;
			if (data & URING_WRITE) {
				if (cqe->res > 0)
					n++;
				rd.i[rd.n++] = i;
			} else if (cqe->res == -EAGAIN) {
				idle.i[idle.n++] = i;
			} else if (cqe->res <= 0 ||
				   swap(buf[i], (uint32_t)cqe->res)) {
				if (cqe->res > 0)
					bad++;
				rd.i[rd.n++] = i;
			} else {
				len[i] = (uint32_t)cqe->res;
				wr.i[wr.n++] = i;
			}
		}
		io_uring_cq_advance(&ring, seen);
	}
	io_uring_queue_exit(&ring);
	close(fd);
	atomic_fetch_add(&forwarded, n);
	atomic_fetch_add(&invalid, bad);
	return 0;
}
#else
static int run_tun_uring(const char *name)
{
	fprintf(stderr, "vdev_fwd: %s: built without liburing (liburing-dev)\n",
		name);
	return 1;
}
#endif

/* ---- pktpool_vdev -------------------------------------------------------- */

/*
 * Who has each slot, privately (the region's bytes and rings are shared
 * and never trusted): a slot index from the rx ring is used only when the
 * kernel had it.
 */
struct slots {
	uint32_t count, nfree;
	uint8_t *kernel;	/* 1: on fill, on tx, or being filled */
	uint32_t *free;
};

static int refill(struct pktpool_rings *r, struct slots *s)
{
	uint32_t idx, i;
	int got;

	if (!s->nfree)
		return 0;
	got = pktpool_fill_reserve(r, s->nfree, &idx);
	if (got <= 0)
		return got;
	for (i = 0; i < (uint32_t)got; i++) {
		uint32_t slot = s->free[--s->nfree];

		s->kernel[slot] = 1;
		pktpool_fill_set(r, idx + i, slot);
	}
	return pktpool_fill_submit(r, (unsigned int)got);
}

static int pp_loop(struct pktpool_rings *r, struct slots *s)
{
	struct pktpool_ring_desc d[BATCH], t[BATCH];
	uint64_t n = 0, bad = 0;
	unsigned int i, nt;
	uint8_t *pkt;
	int got, put, err = 0;

	while (!stop) {
		err = pktpool_rings_wait(r, 100);
		if (err < 0 && err != -EINTR)
			break;
		got = pktpool_rx_peek(r, d, BATCH);
		if (got < 0) {
			err = got;
			break;
		}
		nt = 0;
		for (i = 0; i < (unsigned int)got; i++) {
			if (d[i].slot >= s->count || !s->kernel[d[i].slot]) {
				bad++;
				continue;
			}
			s->kernel[d[i].slot] = 0;
			pkt = pktpool_rx_data(r, &d[i]);
			if ((d[i].flags & PKTPOOL_DESC_F_RETURNED) || !pkt ||
			    swap(pkt, d[i].len)) {
				if (!(d[i].flags & PKTPOOL_DESC_F_RETURNED))
					bad++;
				s->free[s->nfree++] = d[i].slot;
				continue;
			}
			memset(&t[nt], 0, sizeof(t[nt]));
			t[nt].slot = d[i].slot;
			t[nt].len = d[i].len;
			nt++;
		}
		pktpool_rx_release(r, (unsigned int)got);
		put = nt ? pktpool_tx_put(r, t, nt) : 0;
		if (put < 0) {
			err = put;
			break;
		}
		for (i = 0; i < nt; i++) {
			if (i < (unsigned int)put)
				s->kernel[t[i].slot] = 1;
			else
				s->free[s->nfree++] = t[i].slot;
		}
		n += (unsigned int)put;
		err = refill(r, s);
		if (err < 0)
			break;
		if (put > 0 || pktpool_fill_needs_wakeup(r)) {
			err = pktpool_rings_kick(r);
			if (err)
				break;
		}
	}
	atomic_fetch_add(&forwarded, n);
	atomic_fetch_add(&invalid, bad);
	return err;
}

static int run_pktpool(const char *region)
{
	struct pktpool_rings r;
	struct pktpool *pool;
	struct slots s = { 0 };
	uint32_t i;
	int err;

	err = pktpool_attach(region, 0, &pool);
	if (err) {
		fprintf(stderr, "vdev_fwd: attaching %s: %s\n", region,
			pktpool_strerror(err));
		return 1;
	}
	err = pktpool_rings_init(pool, &r);
	if (err)
		goto out;
	s.count = r.slot_count;
	s.kernel = calloc(s.count, 1);
	s.free = calloc(s.count, sizeof(*s.free));
	if (!s.kernel || !s.free) {
		err = -ENOMEM;
		goto out;
	}
	/* A fresh device's rings: every slot is ours. */
	for (i = 0; i < s.count; i++)
		s.free[s.nfree++] = s.count - 1 - i;
	err = refill(&r, &s);
	if (!err)
		err = pktpool_rings_kick(&r);
	if (err)
		goto out;
	fprintf(stderr, "vdev_fwd: ready on region %s, %u slots\n", region,
		s.count - s.nfree);
	err = pp_loop(&r, &s);
out:
	if (err)
		fprintf(stderr, "vdev_fwd: region %s: %s\n", region,
			pktpool_strerror(err));
	free(s.kernel);
	free(s.free);
	pktpool_detach(pool);
	return err ? 1 : 0;
}

int main(int argc, char **argv)
{
	struct sigaction sa;
	struct rusage ru;
	unsigned int q = 0;
	int ret;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_term;	/* no SA_RESTART: poll returns */
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	if (argc == 3 && !strcmp(argv[1], "tun"))
		ret = run_tun(argv[2], 1, false);
	else if (argc == 4 && !strcmp(argv[1], "tun-mq") &&
		 (q = (unsigned int)atoi(argv[3])) >= 1 && q <= MAX_QUEUES)
		ret = run_tun(argv[2], q, true);
	else if (argc == 3 && !strcmp(argv[1], "tun-uring"))
		ret = run_tun_uring(argv[2]);
	else if (argc == 3 && !strcmp(argv[1], "pktpool"))
		ret = run_pktpool(argv[2]);
	else {
		fprintf(stderr,
			"usage: vdev_fwd tun IFNAME | tun-mq IFNAME QUEUES | tun-uring IFNAME |\n"
			"       pktpool REGION\n");
		return 2;
	}
	getrusage(RUSAGE_SELF, &ru);
	printf("packets %llu invalid %llu cpu_us %llu\n",
	       (unsigned long long)atomic_load(&forwarded),
	       (unsigned long long)atomic_load(&invalid),
	       (unsigned long long)(ru.ru_utime.tv_sec * 1000000ULL +
				    ru.ru_utime.tv_usec +
				    ru.ru_stime.tv_sec * 1000000ULL +
				    ru.ru_stime.tv_usec));
	return ret;
}
