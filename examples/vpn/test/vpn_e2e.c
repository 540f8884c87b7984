// SPDX-License-Identifier: MIT
/*
 * Two real pktpool-vpn daemons on the host, with no kernel module: two
 * memfd regions (PKTPOOL_BACKEND=memfd) whose kernel side this program
 * plays (fill ring in, rx ring out, tx ring in, as uapi/linux/pktpool.h
 * "Rings" and pktpool_vdev.h describe), and a UDP relay between the
 * daemons on 127.0.0.1 that can corrupt and duplicate datagrams.
 *
 *   phase 1 (ping-pong, tx'd slots stay the kernel's as the uapi says):
 *     COUNT packets from A's "stack", each answered by B's "stack"; every
 *     10th datagram A->B corrupted by the relay, every 7th duplicated;
 *     two garbage rx descriptors on A. B's stack must see exactly the
 *     genuine packets, once each, in order, byte for byte; A's stack the
 *     answers; the daemons' counters must say forged, replayed, invalid.
 *   phase 2 (one way, the kernel hands tx'd slots back on rx with
 *     PKTPOOL_DESC_F_RETURNED): COUNT more packets A->B only.
 *
 * Packet sizes run over 1..slot size, including the sizes where the tag
 * lands partly or wholly in the receive tail. TAP; exit 0 iff all passed.
 *
 *   vpn_e2e PKTPOOL-VPN DIR [COUNT]   (DIR: scratch, for the key file)
 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include "libpktpool.h"

#define SLOT_SIZE	2048
#define SLOTS		64
#define MAXLEN		SLOT_SIZE
#define WAIT_MS		30000

static int nr, failed;

static void result(int ok, const char *what)
{
	nr++;
	failed += !ok;
	printf("%sok %d - %s\n", ok ? "" : "not ", nr, what);
	fflush(stdout);
}

/* The kernel's side of one region. */
struct kring {
	_Atomic uint32_t *prod, *cons;
	unsigned char *e;
};

struct fk {
	struct pktpool *p;
	struct pktpool_layout lay;
	unsigned char *slots;
	struct kring rx, fill, tx;
	uint32_t rx_prod, fill_cons, tx_cons, mask;
	uint32_t freel[SLOTS], nfree;
	uint8_t held[SLOTS];	/* the kernel has it (free list) */
	int give_back;		/* phase 2: tx'd slots come back on rx */
	uint64_t bad_fill, bad_tx;
};

static void at(struct kring *k, unsigned char *base)
{
	k->prod = (_Atomic uint32_t *)base;
	k->cons = (_Atomic uint32_t *)(base + 64);
	k->e = base + 128;
}

static int fk_create(struct fk *k, const char *name)
{
	struct pktpool_config cfg = { .name = name, .slot_size = SLOT_SIZE,
				      .slot_count = SLOTS };
	unsigned char *base;
	int err;

	memset(k, 0, sizeof(*k));
	err = pktpool_create(&cfg, &k->p);
	if (err)
		return err;
	pktpool_get_layout(k->p, &k->lay);
	k->slots = pktpool_idx_to_ptr(k->p, 0);
	base = k->slots - k->lay.off_slots;
	at(&k->rx, base + k->lay.off_rx_ring);
	at(&k->fill, base + k->lay.off_fill_ring);
	at(&k->tx, base + k->lay.off_tx_ring);
	k->mask = k->lay.ring_entries - 1;
	return 0;
}

static void fk_take(struct fk *k, uint32_t slot)
{
	if (slot >= SLOTS || k->held[slot]) {
		k->bad_fill++;
		return;
	}
	k->held[slot] = 1;
	k->freel[k->nfree++] = slot;
}

/* Put one descriptor on rx; 0 or -1 when the ring is full. */
static int fk_rx(struct fk *k, const struct pktpool_ring_desc *d)
{
	uint32_t c = atomic_load_explicit(k->rx.cons, memory_order_acquire);

	if (k->rx_prod - c >= k->lay.ring_entries)
		return -1;
	((struct pktpool_ring_desc *)k->rx.e)[k->rx_prod++ & k->mask] = *d;
	atomic_store_explicit(k->rx.prod, k->rx_prod, memory_order_release);
	return 0;
}

typedef void (*tx_fn)(void *arg, const unsigned char *pkt, uint32_t len);

/* Slots from fill; packets from tx, handed to fn. */
static void fk_poll(struct fk *k, tx_fn fn, void *arg)
{
	uint32_t fp = atomic_load_explicit(k->fill.prod, memory_order_acquire);
	uint32_t tp;

	while (k->fill_cons != fp)
		fk_take(k, ((uint32_t *)k->fill.e)[k->fill_cons++ & k->mask]);
	atomic_store_explicit(k->fill.cons, k->fill_cons, memory_order_release);
	tp = atomic_load_explicit(k->tx.prod, memory_order_acquire);
	while (k->tx_cons != tp) {
		struct pktpool_ring_desc d =
			((struct pktpool_ring_desc *)k->tx.e)[k->tx_cons & k->mask];

		if (d.slot >= SLOTS || k->held[d.slot] || d.len > SLOT_SIZE) {
			k->bad_tx++;
		} else {
			fn(arg, k->slots + (size_t)d.slot * SLOT_SIZE, d.len);
			if (k->give_back) {
				struct pktpool_ring_desc r = { .slot = d.slot,
					.flags = PKTPOOL_DESC_F_RETURNED };

				if (fk_rx(k, &r))
					break;	/* retried next time */
			} else {
				fk_take(k, d.slot);
			}
		}
		k->tx_cons++;
	}
	atomic_store_explicit(k->tx.cons, k->tx_cons, memory_order_release);
}

/* The stack sends a packet: a free slot, on rx. */
static int fk_send(struct fk *k, const unsigned char *pkt, uint32_t len)
{
	struct pktpool_ring_desc d = { 0 };

	if (!k->nfree)
		return -1;
	d.slot = k->freel[k->nfree - 1];
	d.len = d.orig_len = len;
	d.family = 2;
	memcpy(k->slots + (size_t)d.slot * SLOT_SIZE, pkt, len);
	if (fk_rx(k, &d))
		return -1;
	k->nfree--;
	k->held[d.slot] = 0;
	return 0;
}

/* Packets: a sequence number, a kind (request 1, answer 2), a pattern. */
static uint32_t pkt_len(uint32_t seq)
{
	static const uint32_t edge[] = { 1, 9, MAXLEN - 17, MAXLEN - 16,
					 MAXLEN - 15, MAXLEN - 1, MAXLEN };

	if (seq % 11 < sizeof(edge) / sizeof(edge[0]))
		return edge[seq % 11] < 9 ? 9 : edge[seq % 11];
	return 9 + (seq * 131) % (MAXLEN - 9);
}

static void make_pkt(unsigned char *b, uint32_t seq, uint8_t kind,
		     uint32_t len)
{
	uint32_t i;

	b[0] = 0x45;
	b[1] = kind;
	memcpy(b + 2, &seq, 4);
	for (i = 6; i < len; i++)
		b[i] = (unsigned char)(seq * 7 + i + kind);
	if (len < 9)
		return;
	b[len - 1] = 0xee;
}

struct stack {
	uint8_t kind;		/* what it expects to see */
	uint32_t next;		/* the next sequence number expected */
	uint32_t got, bad, out_of_order;
	struct fk *answer;	/* answer each packet on this region */
	uint32_t answers, answer_fail;
	const uint8_t *skip;	/* sequence numbers that never arrive */
	uint32_t nskip;
};

static void stack_rx(void *arg, const unsigned char *pkt, uint32_t len)
{
	struct stack *s = arg;
	unsigned char want[MAXLEN];
	uint32_t seq;

	if (len < 9) {
		s->bad++;
		return;
	}
	memcpy(&seq, pkt + 2, 4);
	make_pkt(want, seq, s->kind, pkt_len(seq));
	if (pkt[1] != s->kind || len != pkt_len(seq) || memcmp(pkt, want, len)) {
		s->bad++;
		return;
	}
	while (s->next < seq && s->next < s->nskip && s->skip[s->next])
		s->next++;
	if (seq != s->next)
		s->out_of_order++;
	s->next = seq + 1;
	s->got++;
	if (s->answer) {
		make_pkt(want, seq, 2, pkt_len(seq));
		if (fk_send(s->answer, want, pkt_len(seq)))
			s->answer_fail++;
		else
			s->answers++;
	}
}

/* The relay between the daemons. */
struct relay {
	int m1, m2;		/* A's peer, B's peer */
	struct sockaddr_in a, b;
	uint32_t a_to_b, corrupt_every, dup_every, corrupted, duplicated;
};

static void relay_run(struct relay *r)
{
	unsigned char buf[4096];
	ssize_t n;

	while ((n = recv(r->m1, buf, sizeof(buf), MSG_DONTWAIT)) > 0) {
		r->a_to_b++;
		if (r->corrupt_every && r->a_to_b % r->corrupt_every == 0) {
			buf[n / 2] ^= 0x20;
			r->corrupted++;
		}
		sendto(r->m2, buf, (size_t)n, 0, (struct sockaddr *)&r->b,
		       sizeof(r->b));
		if (r->dup_every && r->a_to_b % r->dup_every == 0 &&
		    !(r->corrupt_every && r->a_to_b % r->corrupt_every == 0)) {
			sendto(r->m2, buf, (size_t)n, 0,
			       (struct sockaddr *)&r->b, sizeof(r->b));
			r->duplicated++;
		}
	}
	while ((n = recv(r->m2, buf, sizeof(buf), MSG_DONTWAIT)) > 0)
		sendto(r->m1, buf, (size_t)n, 0, (struct sockaddr *)&r->a,
		       sizeof(r->a));
}

static int udp_socket(uint16_t *port)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	socklen_t len = sizeof(sa);
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), buf = 1 << 22;

	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) ||
	    getsockname(fd, (struct sockaddr *)&sa, &len))
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &buf, sizeof(buf));
	*port = ntohs(sa.sin_port);
	return fd;
}

static pid_t start_daemon(const char *vpn, const char *region,
			  const char *key, uint16_t listen, uint16_t peer,
			  const char *stats, const char *errlog)
{
	char l[32], p[32];
	pid_t pid;
	int fd;

	snprintf(l, sizeof(l), "127.0.0.1:%u", listen);
	snprintf(p, sizeof(p), "127.0.0.1:%u", peer);
	pid = fork();
	if (pid)
		return pid;
	fd = open(stats, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || dup2(fd, 3) < 0)
		_exit(127);
	fd = open(errlog, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || dup2(fd, 2) < 0)
		_exit(127);
	setenv("PKTPOOL_BACKEND", "memfd", 1);
	execl(vpn, vpn, "--region", region, "--ifname", "lo", "--key", key,
	      "--listen", l, "--peer", p, "--stats-fd", "3",
	      "--stats-interval", "1", (char *)NULL);
	_exit(127);
}

/* KEY's value in the last block of a daemon's stats file. */
static long long stat_of(const char *path, const char *key)
{
	char line[256];
	long long v = -1;
	size_t n = strlen(key);
	FILE *f = fopen(path, "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, n) && line[n] == '=')
			v = atoll(line + n + 1);
	fclose(f);
	return v;
}

static void comment_file(const char *what, const char *path)
{
	char line[256];
	FILE *f = fopen(path, "r");

	printf("# %s (%s):\n", what, path);
	while (f && fgets(line, sizeof(line), f))
		printf("# %s", line);
	if (f)
		fclose(f);
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* Free port numbers for the daemons (bound and closed: a small race). */
static uint16_t free_port(void)
{
	uint16_t port = 0;
	int fd = udp_socket(&port);

	if (fd >= 0)
		close(fd);
	return port;
}

int main(int argc, char **argv)
{
	char ra[64], rb[64], key[512], sa_path[512], sb_path[512], msg[160];
	char ea[512], eb[512];
	uint32_t count = argc > 3 ? (uint32_t)atoi(argv[3]) : 200, sent, i;
	struct stack sb = { .kind = 1 }, sa = { .kind = 2 };
	uint16_t pa, pb, pm1, pm2;
	struct relay r = { 0 };
	unsigned char pkt[MAXLEN];
	uint8_t *skip;
	struct fk ka, kb;
	pid_t da, db;
	uint64_t t0;
	int fd, st_a, st_b;

	if (argc < 3 || !count) {
		fprintf(stderr, "usage: vpn_e2e PKTPOOL-VPN DIR [COUNT]\n");
		return 2;
	}
	printf("TAP version 13\n");
	setenv("PKTPOOL_BACKEND", "memfd", 1);
	signal(SIGPIPE, SIG_IGN);
	snprintf(ra, sizeof(ra), "vpne-a-%d", (int)getpid());
	snprintf(rb, sizeof(rb), "vpne-b-%d", (int)getpid());
	snprintf(key, sizeof(key), "%s/key", argv[2]);
	snprintf(sa_path, sizeof(sa_path), "%s/stats-a", argv[2]);
	snprintf(sb_path, sizeof(sb_path), "%s/stats-b", argv[2]);
	snprintf(ea, sizeof(ea), "%s/err-a", argv[2]);
	snprintf(eb, sizeof(eb), "%s/err-b", argv[2]);
	fd = open(key, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || write(fd, "0123456789abcdef0123456789abcdef", 32) != 32 ||
	    close(fd)) {
		printf("Bail out! key file %s\n", key);
		return 1;
	}
	if (fk_create(&ka, ra) || fk_create(&kb, rb)) {
		printf("Bail out! memfd regions\n");
		return 1;
	}
	r.m1 = udp_socket(&pm1);
	r.m2 = udp_socket(&pm2);
	pa = free_port();
	pb = free_port();
	if (r.m1 < 0 || r.m2 < 0 || !pa || !pb) {
		printf("Bail out! sockets\n");
		return 1;
	}
	r.a.sin_family = r.b.sin_family = AF_INET;
	r.a.sin_addr.s_addr = r.b.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	r.a.sin_port = htons(pa);
	r.b.sin_port = htons(pb);
	r.corrupt_every = 10;
	r.dup_every = 7;
	skip = calloc(count, 1);
	sb.skip = skip;
	sb.nskip = count;
	sb.answer = &kb;

	da = start_daemon(argv[1], ra, key, pa, pm1, sa_path, ea);
	db = start_daemon(argv[1], rb, key, pb, pm2, sb_path, eb);
	/* Both stocked their fill rings. */
	t0 = now_ms();
	while ((ka.nfree < SLOTS / 2 || kb.nfree < SLOTS / 2) &&
	       now_ms() - t0 < WAIT_MS) {
		fk_poll(&ka, stack_rx, &sa);
		fk_poll(&kb, stack_rx, &sb);
		usleep(1000);
	}
	result(ka.nfree == SLOTS / 2 && kb.nfree == SLOTS / 2,
	       "both daemons put half their slots on the fill ring");

	/* Two garbage rx descriptors for A: a slot out of range, and a
	 * slot of the kernel's with a length beyond it. */
	{
		struct pktpool_ring_desc g = { .slot = SLOTS + 5, .len = 64 };

		fk_rx(&ka, &g);
		g.slot = ka.freel[--ka.nfree];
		ka.held[g.slot] = 0;
		g.len = SLOT_SIZE + 1;
		fk_rx(&ka, &g);
	}

	/* Phase 1: ping-pong, at most 8 requests in flight. */
	sent = 0;
	t0 = now_ms();
	while ((sa.got + sa.bad < count - r.corrupted || sent < count) &&
	       now_ms() - t0 < WAIT_MS) {
		if (sent < count && sent - (sa.got + r.corrupted) < 8) {
			make_pkt(pkt, sent, 1, pkt_len(sent));
			if (!fk_send(&ka, pkt, pkt_len(sent))) {
				/* The relay counts A->B datagrams from 1. */
				if ((sent + 1) % r.corrupt_every == 0)
					skip[sent] = 1;
				sent++;
			}
		}
		relay_run(&r);
		fk_poll(&ka, stack_rx, &sa);
		fk_poll(&kb, stack_rx, &sb);
		usleep(100);
	}
	snprintf(msg, sizeof(msg),
		 "ping-pong: %u requests, %u corrupted: B's stack got %u intact in order (%u bad, %u out of order)",
		 sent, r.corrupted, sb.got, sb.bad, sb.out_of_order);
	result(sent == count && sb.got == count - r.corrupted && !sb.bad &&
	       !sb.out_of_order, msg);
	snprintf(msg, sizeof(msg),
		 "ping-pong: A's stack got all %u answers intact (%u bad)",
		 sa.got, sa.bad);
	result(sa.got == count - r.corrupted && !sa.bad && !sb.answer_fail,
	       msg);
	result(!ka.bad_fill && !kb.bad_fill && !ka.bad_tx && !kb.bad_tx,
	       "no bad fill or tx entries from either daemon");

	/* Phase 2: one way, tx'd slots given back on rx. */
	sb.answer = NULL;
	kb.give_back = !getenv("VPN_E2E_KEEP");
	r.corrupt_every = r.dup_every = 0;
	sb.next = count;
	sb.got = 0;
	t0 = now_ms();
	for (i = 0; (sb.got < count || i < count) && now_ms() - t0 < WAIT_MS;) {
		if (i < count && i - sb.got < 8) {
			make_pkt(pkt, count + i, 1, pkt_len(count + i));
			if (!fk_send(&ka, pkt, pkt_len(count + i)))
				i++;
		}
		relay_run(&r);
		fk_poll(&ka, stack_rx, &sa);
		fk_poll(&kb, stack_rx, &sb);
		usleep(100);
	}
	snprintf(msg, sizeof(msg),
		 "one way with slots given back: B's stack got %u of %u intact in order",
		 sb.got, count);
	result(sb.got == count && !sb.bad && !sb.out_of_order, msg);

	kill(da, SIGTERM);
	kill(db, SIGTERM);
	waitpid(da, &st_a, 0);
	waitpid(db, &st_b, 0);
	result(WIFEXITED(st_a) && !WEXITSTATUS(st_a) && WIFEXITED(st_b) &&
	       !WEXITSTATUS(st_b), "both daemons exit 0 on SIGTERM");
	snprintf(msg, sizeof(msg), "B counted %lld forged (relay corrupted %u)",
		 stat_of(sb_path, "forged"), r.corrupted);
	result(stat_of(sb_path, "forged") == r.corrupted, msg);
	snprintf(msg, sizeof(msg), "B counted %lld replayed (relay duplicated %u)",
		 stat_of(sb_path, "replayed"), r.duplicated);
	result(stat_of(sb_path, "replayed") == r.duplicated && r.duplicated,
	       msg);
	snprintf(msg, sizeof(msg), "A counted the 2 garbage descriptors (dev_invalid %lld)",
		 stat_of(sa_path, "dev_invalid"));
	result(stat_of(sa_path, "dev_invalid") == 2, msg);
	snprintf(msg, sizeof(msg), "B took back %lld returned slots",
		 stat_of(sb_path, "dev_returned"));
	result(stat_of(sb_path, "dev_returned") >= count, msg);
	result(stat_of(sa_path, "bad_source") == 0 &&
	       stat_of(sb_path, "bad_source") == 0 &&
	       stat_of(sb_path, "too_old") == 0 &&
	       stat_of(sb_path, "bad_size") == 0,
	       "nothing counted as from elsewhere, too old or the wrong size");
	result(stat_of(sa_path, "sent") >= count * 2 &&
	       stat_of(sa_path, "to_dev") == count - r.corrupted,
	       "A's sent and to_dev match the traffic");

	if (failed) {
		comment_file("daemon A", ea);
		comment_file("daemon B", eb);
	}
	pktpool_unlink(ra);
	pktpool_unlink(rb);
	pktpool_detach(ka.p);
	pktpool_detach(kb.p);
	free(skip);
	printf("1..%d\n", nr);
	return failed ? 1 : 0;
}
