// SPDX-License-Identifier: GPL-2.0
/*
 * nf_udp: the traffic of the packet-path tests (selftests/nf/nf-tests.sh).
 *
 *   nf_udp send -d ADDR -p PORT[,PORT...] -n COUNT [-s SIZE] [-r PPS]
 *   nf_udp recv -p PORT[,PORT...] -n COUNT [-s SIZE] [-t IDLE_MS]
 *               [-m OFFSET:BYTE] [-R READYFILE]
 *
 * send: COUNT datagrams of SIZE bytes to ADDR (IPv4 or IPv6), packet seq
 * going to the seq % nports'th port of the list, at most PPS per second.
 * Payload: "PPNF", seq (32-bit big endian), then byte i = (seq * 7 + i)
 * & 0xff (nf_check.py makes the same bytes).
 *
 * recv: listens on every port of the list (IPv6 sockets that take IPv4
 * too), creates READYFILE once bound, and stops after COUNT datagrams or
 * IDLE_MS (default 3000) without one. With -m the byte at OFFSET must be
 * BYTE (the verdict example rewrote it) and every other byte as sent.
 * Prints one line per port:
 *   port P received N in-order 0|1 bad B modified M
 * and exits 1 when any datagram was malformed, 0 otherwise (the counts
 * are for the caller to judge).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define PORTS_MAX	8
#define SIZE_MAX_	9000

static unsigned int ports[PORTS_MAX], nports;

static unsigned char pattern(uint32_t seq, uint32_t i)
{
	return (unsigned char)(seq * 7 + i);
}

static void make_payload(unsigned char *b, uint32_t seq, uint32_t size)
{
	uint32_t i;

	memcpy(b, "PPNF", 4);
	b[4] = (unsigned char)(seq >> 24);
	b[5] = (unsigned char)(seq >> 16);
	b[6] = (unsigned char)(seq >> 8);
	b[7] = (unsigned char)seq;
	for (i = 8; i < size; i++)
		b[i] = pattern(seq, i);
}

static int parse_ports(char *s)
{
	char *tok, *save = NULL;

	for (tok = strtok_r(s, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		long v = strtol(tok, NULL, 10);

		if (nports == PORTS_MAX || v <= 0 || v > 65535)
			return -1;
		ports[nports++] = (unsigned int)v;
	}
	return nports ? 0 : -1;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int do_send(const char *dst, uint32_t count, uint32_t size, long pps)
{
	struct sockaddr_storage ss;
	struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;
	unsigned char buf[SIZE_MAX_];
	socklen_t len;
	uint64_t start = now_ns();
	uint32_t seq;
	int fd;

	memset(&ss, 0, sizeof(ss));
	if (inet_pton(AF_INET, dst, &s4->sin_addr) == 1) {
		s4->sin_family = AF_INET;
		len = sizeof(*s4);
	} else if (inet_pton(AF_INET6, dst, &s6->sin6_addr) == 1) {
		s6->sin6_family = AF_INET6;
		len = sizeof(*s6);
	} else {
		fprintf(stderr, "nf_udp: bad address %s\n", dst);
		return 2;
	}
	fd = socket(ss.ss_family, SOCK_DGRAM, 0);
	if (fd < 0) {
		perror("nf_udp: socket");
		return 1;
	}
	for (seq = 0; seq < count; seq++) {
		uint16_t port = htons((uint16_t)ports[seq % nports]);

		if (ss.ss_family == AF_INET)
			s4->sin_port = port;
		else
			s6->sin6_port = port;
		make_payload(buf, seq, size);
		/* pace: packet seq leaves no earlier than seq / pps seconds */
		if (pps > 0) {
			uint64_t due = start + (uint64_t)seq * 1000000000u / (uint64_t)pps;

			while (now_ns() < due) {
				struct timespec ts = { 0, 200000 };

				nanosleep(&ts, NULL);
			}
		}
		if (sendto(fd, buf, size, 0, (struct sockaddr *)&ss, len) != (ssize_t)size) {
			fprintf(stderr, "nf_udp: sendto seq %u: %s\n", seq, strerror(errno));
			close(fd);
			return 1;
		}
	}
	close(fd);
	printf("sent %u\n", count);
	return 0;
}

struct port_state {
	uint32_t received, bad, modified, next_seq;
	int in_order;
};

static int check_payload(const unsigned char *b, ssize_t n, uint32_t size,
			 long mod_off, unsigned int mod_byte, uint32_t *seq,
			 int *modified)
{
	uint32_t i;

	if (n != (ssize_t)size || memcmp(b, "PPNF", 4))
		return -1;
	*seq = (uint32_t)b[4] << 24 | (uint32_t)b[5] << 16 |
	       (uint32_t)b[6] << 8 | b[7];
	*modified = 0;
	for (i = 8; i < size; i++) {
		if ((long)i == mod_off) {
			if (b[i] != mod_byte)
				return -1;
			*modified = 1;
		} else if (b[i] != pattern(*seq, i)) {
			return -1;
		}
	}
	return 0;
}

static int do_recv(uint32_t count, uint32_t size, int idle_ms, long mod_off,
		   unsigned int mod_byte, const char *ready)
{
	struct pollfd pfd[PORTS_MAX];
	struct port_state st[PORTS_MAX];
	unsigned char buf[SIZE_MAX_ + 1];
	uint32_t total = 0, i;
	int bad_any = 0;

	memset(st, 0, sizeof(st));
	for (i = 0; i < nports; i++) {
		struct sockaddr_in6 a;
		int off = 0, rcvbuf = 4 << 20;

		st[i].in_order = 1;
		pfd[i].fd = socket(AF_INET6, SOCK_DGRAM, 0);
		pfd[i].events = POLLIN;
		if (pfd[i].fd < 0) {
			perror("nf_udp: socket");
			return 1;
		}
		setsockopt(pfd[i].fd, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof(off));
		setsockopt(pfd[i].fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
		memset(&a, 0, sizeof(a));
		a.sin6_family = AF_INET6;
		a.sin6_addr = in6addr_any;
		a.sin6_port = htons((uint16_t)ports[i]);
		if (bind(pfd[i].fd, (struct sockaddr *)&a, sizeof(a))) {
			fprintf(stderr, "nf_udp: bind %u: %s\n", ports[i], strerror(errno));
			return 1;
		}
	}
	if (ready) {
		FILE *f = fopen(ready, "w");

		if (f)
			fclose(f);
	}
	while (total < count) {
		int n = poll(pfd, nports, idle_ms);

		if (n <= 0)
			break;
		for (i = 0; i < nports; i++) {
			ssize_t len;
			uint32_t seq;
			int modified;

			if (!(pfd[i].revents & POLLIN))
				continue;
			len = recv(pfd[i].fd, buf, sizeof(buf), MSG_DONTWAIT);
			if (len < 0)
				continue;
			total++;
			st[i].received++;
			if (check_payload(buf, len, size, mod_off, mod_byte, &seq,
					  &modified)) {
				st[i].bad++;
				bad_any = 1;
				continue;
			}
			st[i].modified += (uint32_t)modified;
			if (st[i].received > 1 && seq < st[i].next_seq)
				st[i].in_order = 0;
			st[i].next_seq = seq + 1;
		}
	}
	for (i = 0; i < nports; i++) {
		printf("port %u received %u in-order %d bad %u modified %u\n",
		       ports[i], st[i].received, st[i].in_order, st[i].bad,
		       st[i].modified);
		close(pfd[i].fd);
	}
	return bad_any;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: nf_udp send -d ADDR -p PORTS -n COUNT [-s SIZE] [-r PPS]\n"
		"       nf_udp recv -p PORTS -n COUNT [-s SIZE] [-t IDLE_MS] [-m OFF:BYTE] [-R FILE]\n");
}

int main(int argc, char **argv)
{
	const char *dst = NULL, *ready = NULL;
	long count = 0, size = 200, pps = 0, mod_off = -1, idle = 3000;
	unsigned int mod_byte = 0;
	char *colon;
	int opt, send;

	if (argc < 2) {
		usage();
		return 2;
	}
	send = strcmp(argv[1], "send") == 0;
	if (!send && strcmp(argv[1], "recv") != 0) {
		usage();
		return 2;
	}
	optind = 2;
	while ((opt = getopt(argc, argv, "d:p:n:s:r:t:m:R:")) != -1) {
		switch (opt) {
		case 'd': dst = optarg; break;
		case 'p':
			if (parse_ports(optarg))
				goto bad;
			break;
		case 'n': count = strtol(optarg, NULL, 0); break;
		case 's': size = strtol(optarg, NULL, 0); break;
		case 'r': pps = strtol(optarg, NULL, 0); break;
		case 't': idle = strtol(optarg, NULL, 0); break;
		case 'm':
			colon = strchr(optarg, ':');
			if (!colon)
				goto bad;
			mod_off = strtol(optarg, NULL, 0);
			mod_byte = (unsigned int)strtoul(colon + 1, NULL, 0) & 0xff;
			break;
		case 'R': ready = optarg; break;
		default: goto bad;
		}
	}
	if (!nports || count <= 0 || size < 8 || size > SIZE_MAX_ ||
	    (send && !dst) || idle <= 0)
		goto bad;
	if (send)
		return do_send(dst, (uint32_t)count, (uint32_t)size, pps);
	return do_recv((uint32_t)count, (uint32_t)size, (int)idle, mod_off,
		       mod_byte, ready);
bad:
	usage();
	return 2;
}
