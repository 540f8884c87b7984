// SPDX-License-Identifier: MIT
/*
 * pktpool-vpn: a small VPN daemon on a pktpool_vdev device. IP packets
 * the stack sends on the device arrive on the region's rx ring; each is
 * encrypted in place (ChaCha20-Poly1305, pre-shared key) and sent to the
 * peer over UDP. Datagrams from the peer are received straight into free
 * slots, authenticated, checked against a replay window, decrypted in
 * place and put on the tx ring for the device. Forged, replayed and
 * too-old datagrams are dropped and counted.
 *
 *   pktpool-vpn --region R --ifname IF --key KEYFILE --listen ADDR:PORT
 *               --peer ADDR:PORT [--stats-fd FD] [--stats-interval S]
 *
 * ADDR is IPv4 (10.0.0.1) or IPv6 in brackets ([fd00::1]); listen and
 * peer of one family. The device IF must already be bound to R
 * (pktpoolctl vdev add IF --region R); the daemon checks it exists, and
 * the device's carrier is up while the daemon runs. One daemon per
 * region: the rings have one user side.
 *
 * Counters (key=value, see vpn.h) go to stderr on SIGUSR1 and at exit,
 * and to FD every S seconds (default 1) and at exit with --stats-fd.
 * SIGINT and SIGTERM end it cleanly. Exit status 0 after a signal, 1 on
 * a failure, 2 on a usage error.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <net/if.h>
#include <netdb.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sodium.h>

#include "vpn_path.h"

#define PROG		"pktpool-vpn"
#define SOCK_BUF	(4 << 20)	/* bytes of socket buffer asked for */
#define MAX_ROUNDS	8		/* batches per path per wakeup */

static volatile sig_atomic_t stop_sig, usr1;

static void on_signal(int sig)
{
	if (sig == SIGUSR1)
		usr1 = 1;
	else
		stop_sig = sig;
}

struct opts {
	const char *region, *ifname, *key, *listen, *peer;
	int stats_fd;
	unsigned int stats_interval;	/* seconds */
};

static int usage(const char *why)
{
	if (why)
		fprintf(stderr, "%s: %s\n", PROG, why);
	fprintf(stderr,
		"usage: %s --region R --ifname IF --key KEYFILE --listen ADDR:PORT --peer ADDR:PORT\n"
		"       [--stats-fd FD] [--stats-interval S]\n"
		"ADDR: IPv4, or IPv6 in brackets ([fd00::1]:51820)\n", PROG);
	return 2;
}

/* "10.0.0.1:5000" or "[fd00::1]:5000", numeric only. */
static int parse_addr(const char *s, struct sockaddr_storage *ss,
		      socklen_t *len)
{
	struct addrinfo hints = { .ai_flags = AI_NUMERICHOST | AI_NUMERICSERV,
				  .ai_socktype = SOCK_DGRAM };
	char host[INET6_ADDRSTRLEN + 2];
	const char *colon, *port;
	struct addrinfo *ai;
	size_t n;

	if (s[0] == '[') {
		colon = strstr(s, "]:");
		if (!colon)
			return -EINVAL;
		n = (size_t)(colon - s - 1);
		port = colon + 2;
		s++;
	} else {
		colon = strrchr(s, ':');
		if (!colon || strchr(s, ':') != colon)
			return -EINVAL;
		n = (size_t)(colon - s);
		port = colon + 1;
	}
	if (!n || n >= sizeof(host) || !*port)
		return -EINVAL;
	memcpy(host, s, n);
	host[n] = '\0';
	if (getaddrinfo(host, port, &hints, &ai))
		return -EINVAL;
	if (ai->ai_addrlen > sizeof(*ss)) {
		freeaddrinfo(ai);
		return -EINVAL;
	}
	memset(ss, 0, sizeof(*ss));
	memcpy(ss, ai->ai_addr, ai->ai_addrlen);
	*len = ai->ai_addrlen;
	freeaddrinfo(ai);
	return 0;
}

static int parse_opts(int argc, char **argv, struct opts *o)
{
	static const struct option lo[] = {
		{ "region", required_argument, NULL, 'r' },
		{ "ifname", required_argument, NULL, 'i' },
		{ "key", required_argument, NULL, 'k' },
		{ "listen", required_argument, NULL, 'l' },
		{ "peer", required_argument, NULL, 'p' },
		{ "stats-fd", required_argument, NULL, 'f' },
		{ "stats-interval", required_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char *end;
	long v;
	int c;

	memset(o, 0, sizeof(*o));
	o->stats_fd = -1;
	o->stats_interval = 1;
	while ((c = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
		switch (c) {
		case 'r': o->region = optarg; break;
		case 'i': o->ifname = optarg; break;
		case 'k': o->key = optarg; break;
		case 'l': o->listen = optarg; break;
		case 'p': o->peer = optarg; break;
		case 'f':
		case 's':
			errno = 0;
			v = strtol(optarg, &end, 10);
			if (errno || end == optarg || *end || v < 0 ||
			    v > INT_MAX || (c == 's' && v == 0))
				return usage(c == 'f' ? "--stats-fd: a file descriptor number" :
					     "--stats-interval: seconds, 1 or more");
			if (c == 'f')
				o->stats_fd = (int)v;
			else
				o->stats_interval = (unsigned int)v;
			break;
		case 'h':
			usage(NULL);
			exit(0);
		default:
			return usage(NULL);
		}
	}
	if (optind != argc)
		return usage("unexpected argument");
	if (!o->region || !o->ifname || !o->key || !o->listen || !o->peer)
		return usage("--region, --ifname, --key, --listen and --peer are required");
	if (o->stats_fd >= 0 && fcntl(o->stats_fd, F_GETFL) < 0)
		return usage("--stats-fd: not an open file descriptor");
	return 0;
}

static int open_socket(const struct opts *o, struct pktpool_vpn *v)
{
	struct sockaddr_storage local;
	socklen_t local_len;
	int fd, one = 1, buf = SOCK_BUF, dont;

	if (parse_addr(o->listen, &local, &local_len)) {
		fprintf(stderr, "%s: --listen %s: not ADDR:PORT\n", PROG, o->listen);
		return -2;
	}
	if (parse_addr(o->peer, &v->peer, &v->peer_len)) {
		fprintf(stderr, "%s: --peer %s: not ADDR:PORT\n", PROG, o->peer);
		return -2;
	}
	if (local.ss_family != v->peer.ss_family) {
		fprintf(stderr, "%s: --listen and --peer must both be IPv4 or both IPv6\n",
			PROG);
		return -2;
	}
	fd = socket(local.ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		goto fail;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	/* Best effort, FORCE as root: a burst fits in the buffers. */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &buf, sizeof(buf)))
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &buf, sizeof(buf));
	if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &buf, sizeof(buf)))
		setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &buf, sizeof(buf));
	/* The underlay fragments what does not fit its MTU: the tunnel
	 * carries every packet the device's MTU allows. */
	if (local.ss_family == AF_INET) {
		dont = IP_PMTUDISC_DONT;
		setsockopt(fd, IPPROTO_IP, IP_MTU_DISCOVER, &dont, sizeof(dont));
	} else {
		dont = IPV6_PMTUDISC_DONT;
		setsockopt(fd, IPPROTO_IPV6, IPV6_MTU_DISCOVER, &dont,
			   sizeof(dont));
	}
	if (bind(fd, (struct sockaddr *)&local, local_len))
		goto fail_fd;
	v->sock = fd;
	return 0;
fail_fd:
	fprintf(stderr, "%s: bind %s: %s\n", PROG, o->listen, strerror(errno));
	close(fd);
	return -1;
fail:
	fprintf(stderr, "%s: socket: %s\n", PROG, strerror(errno));
	return -1;
}

static int open_region(const struct opts *o, struct pktpool_vpn *v)
{
	int err;

	err = pktpool_attach(o->region, 0, &v->pool);
	if (err) {
		fprintf(stderr, "%s: attaching region %s: %s\n", PROG, o->region,
			pktpool_strerror(err));
		return -1;
	}
	/* Entries of processes that died attached (an earlier daemon
	 * killed) would fill the region's process table; their allocator
	 * slots are none of ours: we use no allocator. */
	pktpool_reclaim(v->pool, 0, 0);
	err = pktpool_rings_init(v->pool, &v->rings);
	if (!err)
		err = pktpool_vpn_slots_init(&v->slots, v->rings.slot_count);
	if (err) {
		fprintf(stderr, "%s: region %s: %s\n", PROG, o->region,
			pktpool_strerror(err));
		return -1;
	}
	if (v->rings.slot_count < 2) {
		fprintf(stderr, "%s: region %s has %u slot: need 2 or more\n",
			PROG, o->region, v->rings.slot_count);
		return -1;
	}
	/* Half the slots, up to two batches, stay ours to receive into. */
	v->keep = v->rings.slot_count / 2;
	if (v->keep > 2 * PKTPOOL_VPN_BATCH)
		v->keep = 2 * PKTPOOL_VPN_BATCH;
	return 0;
}

static int epoll_set(int ep, int op, int fd, uint32_t events)
{
	struct epoll_event ev = { .events = events, .data.fd = fd };

	return epoll_ctl(ep, op, fd, &ev);
}

static void report(const struct pktpool_vpn *v, int fd, const char *state)
{
	int err = pktpool_vpn_stats_write(fd, &v->st, state);

	if (err && fd != STDERR_FILENO)
		fprintf(stderr, "%s: writing statistics: %s\n", PROG,
			strerror(-err));
}

static uint64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static int run(const struct opts *o, struct pktpool_vpn *v)
{
	struct epoll_event ev[4];
	uint64_t next = mono_ms() + 1000ULL * o->stats_interval, now;
	int ep, n, i, r, rounds, timeout, err = 0;
	bool sock_ready, polling_sock = true;

	/* A memfd region (tests: another process plays the kernel) cannot
	 * be polled: look at its rx ring every millisecond instead. */
	ep = epoll_create1(EPOLL_CLOEXEC);
	if (ep < 0 || (v->rings.region_id &&
		       epoll_set(ep, EPOLL_CTL_ADD, v->rings.fd, EPOLLIN)) ||
	    epoll_set(ep, EPOLL_CTL_ADD, v->sock, EPOLLIN)) {
		fprintf(stderr, "%s: epoll: %s\n", PROG, strerror(errno));
		return -1;
	}
	while (!stop_sig) {
		if (usr1) {
			usr1 = 0;
			report(v, STDERR_FILENO, "running");
		}
		timeout = -1;
		if (o->stats_fd >= 0) {
			now = mono_ms();
			if (now >= next) {
				report(v, o->stats_fd, "running");
				next = now + 1000ULL * o->stats_interval;
			}
			timeout = (int)(next - now > 1000ULL * o->stats_interval ?
					1000ULL * o->stats_interval : next - now);
		}
		if (!v->rings.region_id)
			timeout = 1;
		n = epoll_wait(ep, ev, 4, timeout);
		if (n < 0 && errno != EINTR) {
			fprintf(stderr, "%s: epoll_wait: %s\n", PROG, strerror(errno));
			err = -1;
			break;
		}
		sock_ready = false;
		for (i = 0; i < n; i++)
			if (ev[i].data.fd == v->sock)
				sock_ready = true;
		/* The rx ring is read every time: a peek is a memory load. */
		for (rounds = 0; rounds < MAX_ROUNDS; rounds++) {
			r = pktpool_vpn_from_dev(v);
			if (r < 0) {
				fprintf(stderr, "%s: rx ring: %s\n", PROG,
					pktpool_strerror(r));
				err = -1;
				goto out;
			}
			if (r < PKTPOOL_VPN_BATCH)
				break;
		}
		for (rounds = 0; sock_ready && rounds < MAX_ROUNDS; rounds++) {
			r = pktpool_vpn_from_peer(v);
			if (r < 0) {
				fprintf(stderr, "%s: from the peer: %s\n", PROG,
					strerror(-r));
				err = -1;
				goto out;
			}
			if (r < PKTPOOL_VPN_BATCH)
				break;
		}
		r = pktpool_vpn_fill(v);
		if (!r)
			r = pktpool_vpn_kick(v);
		if (r) {
			fprintf(stderr, "%s: fill ring or kick: %s\n", PROG,
				pktpool_strerror(r));
			err = -1;
			break;
		}
		/* With no slot to receive into, a readable socket would wake
		 * us forever: listen to it again once a slot is back. */
		if (v->starving == polling_sock) {
			polling_sock = !v->starving;
			epoll_set(ep, EPOLL_CTL_MOD, v->sock,
				  polling_sock ? EPOLLIN : 0);
		}
	}
out:
	close(ep);
	return err;
}

int main(int argc, char **argv)
{
	struct pktpool_vpn v;
	struct sigaction sa;
	struct opts o;
	uint8_t *key = NULL;
	char why[160];
	int err, ret = 1, n;

	memset(&v, 0, sizeof(v));
	v.sock = -1;
	err = parse_opts(argc, argv, &o);
	if (err)
		return err;
	if (pktpool_vpn_crypto_init()) {
		fprintf(stderr, "%s: libsodium does not initialise\n", PROG);
		return 1;
	}
	err = pktpool_vpn_key_load(o.key, &key, why, sizeof(why));
	if (err) {
		fprintf(stderr, "%s: key file %s: %s\n", PROG, o.key, why);
		return 1;
	}
	v.key = key;
	if (!if_nametoindex(o.ifname)) {
		fprintf(stderr, "%s: no device %s in this network namespace (pktpoolctl vdev add %s --region %s)\n",
			PROG, o.ifname, o.ifname, o.region);
		goto out;
	}
	err = open_socket(&o, &v);
	if (err) {
		ret = err == -2 ? 2 : 1;
		goto out;
	}
	if (open_region(&o, &v))
		goto out;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;	/* no SA_RESTART: epoll_wait returns */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGUSR1, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	{
		struct timespec ts;
		uint32_t id = 0, offset;

		clock_gettime(CLOCK_REALTIME, &ts);
		while (!id)
			randombytes_buf(&id, sizeof(id));
		randombytes_buf(&offset, sizeof(offset));
		pktpool_vpn_sender_start(&v.tx, id, (uint64_t)ts.tv_sec, offset);
		pktpool_vpn_replay_init(&v.rx,
					pktpool_vpn_floor((uint64_t)ts.tv_sec));
	}
	/* A kick whatever the flags say: the device may hold staged packets. */
	v.kick = true;
	err = pktpool_vpn_fill(&v);
	if (!err)
		err = pktpool_vpn_kick(&v);
	if (err) {
		fprintf(stderr, "%s: stocking the fill ring: %s\n", PROG,
			pktpool_strerror(err));
		goto out;
	}
	n = (int)v.st.fill_slots;
	/* Scripts wait for this line before they send traffic. */
	fprintf(stderr, "%s: %s on %s: %d slots on the fill ring, listening on %s, peer %s\n",
		PROG, o.ifname, o.region, n, o.listen, o.peer);
	ret = run(&o, &v) ? 1 : 0;
	if (stop_sig)
		fprintf(stderr, "%s: %s, exiting\n", PROG, strsignal(stop_sig));
	report(&v, STDERR_FILENO, "exit");
	if (o.stats_fd >= 0)
		report(&v, o.stats_fd, "exit");
out:
	if (v.pool)
		pktpool_detach(v.pool);
	pktpool_vpn_slots_destroy(&v.slots);
	if (v.sock >= 0)
		close(v.sock);
	if (key)
		sodium_free(key);
	return ret;
}
