// SPDX-License-Identifier: MIT
/*
 * The traffic of bench/vdev/vdev-bench.sh: UDP datagrams sent as fast as
 * a window of packets in flight allows, and a sink that counts what
 * arrives.
 *
 *   vdev_blast loop LOCAL PEER PORT SIZE SECONDS [FLOWS]
 *       one socket bound to LOCAL:PORT sends SIZE-byte datagrams to
 *       PEER:PORT .. PEER:PORT+FLOWS-1 (default 1 flow); a second thread
 *       counts the datagrams that come back to LOCAL:PORT (the forwarder
 *       behind PEER swaps addresses and ports).
 *   vdev_blast send BIND DEST PORT SIZE SECONDS COUNTER
 *       SIZE-byte datagrams from BIND to DEST:PORT; what arrived is read
 *       from COUNTER, a file the sink (in another namespace) updates.
 *   vdev_blast sink BIND PORT COUNTER
 *       counts datagrams to BIND:PORT into COUNTER until SIGTERM.
 *
 * The sender keeps at most WINDOW (256, env VDEV_BLAST_WINDOW) packets
 * in flight: above it, it sleeps 20 us at a time. A window that makes no
 * progress for 50 ms counts its packets as lost and opens again, so drops
 * cannot stop the flow. Not an open-loop flood: on a 2-CPU guest a sender
 * spinning on a full queue would take the CPU the path under test needs.
 *
 * Prints "sent N received M lost_windows L seconds S" on stdout; the sink
 * prints "packets N". Exit status 0, 1 on a failure, 2 on a usage error.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/socket.h>

#define BATCH		32
#define MAX_SIZE	1472
#define MAX_FLOWS	16

static volatile sig_atomic_t stop;

static void on_term(int sig)
{
	(void)sig;
	stop = 1;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int usage(void)
{
	fprintf(stderr,
		"usage: vdev_blast loop LOCAL PEER PORT SIZE SECONDS [FLOWS]\n"
		"       vdev_blast send BIND DEST PORT SIZE SECONDS COUNTER\n"
		"       vdev_blast sink BIND PORT COUNTER\n");
	return 2;
}

static int addr(const char *ip, unsigned int port, struct sockaddr_in *a)
{
	memset(a, 0, sizeof(*a));
	a->sin_family = AF_INET;
	a->sin_port = htons((uint16_t)port);
	return inet_pton(AF_INET, ip, &a->sin_addr) == 1 ? 0 : -1;
}

static int udp_socket(const struct sockaddr_in *bind_to)
{
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	int buf = 4 << 20;

	if (fd < 0)
		return -1;
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &buf, sizeof(buf)))
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &buf, sizeof(buf));
	if (bind(fd, (const struct sockaddr *)bind_to, sizeof(*bind_to))) {
		close(fd);
		return -1;
	}
	return fd;
}

/* A counter in a file both namespaces see (the sink's writes, the
 * sender's reads), or in private memory. */
static _Atomic uint64_t *counter_map(const char *path)
{
	void *p;
	int fd;

	if (!path) {
		p = calloc(1, sizeof(_Atomic uint64_t));
		return p;
	}
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0 || ftruncate(fd, sizeof(uint64_t))) {
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	p = mmap(NULL, sizeof(uint64_t), PROT_READ | PROT_WRITE, MAP_SHARED,
		 fd, 0);
	close(fd);
	return p == MAP_FAILED ? NULL : p;
}

struct sink {
	int fd;
	_Atomic uint64_t *count;
};

/* Count datagrams until stop; recvmmsg wakes at least every 100 ms. */
static void *sink_run(void *arg)
{
	static char bufs[BATCH][2048];
	struct sink *s = arg;
	struct mmsghdr m[BATCH];
	struct iovec iov[BATCH];
	struct timeval tv = { .tv_usec = 100000 };
	int i, n;

	setsockopt(s->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	for (i = 0; i < BATCH; i++) {
		iov[i] = (struct iovec){ bufs[i], sizeof(bufs[i]) };
		memset(&m[i], 0, sizeof(m[i]));
		m[i].msg_hdr.msg_iov = &iov[i];
		m[i].msg_hdr.msg_iovlen = 1;
	}
	while (!stop) {
		n = recvmmsg(s->fd, m, BATCH, MSG_WAITFORONE, NULL);
		if (n > 0)
			atomic_fetch_add_explicit(s->count, (uint64_t)n,
						  memory_order_relaxed);
	}
	return NULL;
}

struct sender {
	int fd;
	struct sockaddr_in to[MAX_FLOWS];
	unsigned int flows, size;
	double seconds;
	_Atomic uint64_t *count;
	uint64_t sent, lost, lost_windows;
};

static void send_run(struct sender *s)
{
	static char payload[MAX_SIZE];
	struct mmsghdr m[BATCH];
	struct iovec iov = { payload, s->size };
	unsigned int window = 256, i, flow = 0;
	uint64_t seen, last_seen = 0, base;
	double end, stuck_since = 0, t;
	const char *w = getenv("VDEV_BLAST_WINDOW");
	int n;

	if (w && atoi(w) > 0)
		window = (unsigned int)atoi(w);
	memset(payload, 0xa5, sizeof(payload));
	/* The sink may have counted before: only what arrives from now. */
	base = atomic_load_explicit(s->count, memory_order_relaxed);
	end = now_s() + s->seconds;
	while (!stop && (t = now_s()) < end) {
		seen = atomic_load_explicit(s->count, memory_order_relaxed) - base;
		/* Packets given up on that arrived after all. */
		if (seen > s->sent - s->lost)
			s->lost = s->sent - seen;
		if (s->sent - s->lost - seen + BATCH > window) {
			if (seen != last_seen) {
				last_seen = seen;
				stuck_since = t;
			} else if (!stuck_since) {
				stuck_since = t;
			} else if (t - stuck_since > 0.05) {
				/* Dropped on the way: give up on them. */
				s->lost = s->sent - seen;
				s->lost_windows++;
				stuck_since = 0;
				continue;
			}
			nanosleep(&(struct timespec){ .tv_nsec = 20000 }, NULL);
			continue;
		}
		stuck_since = 0;
		for (i = 0; i < BATCH; i++) {
			memset(&m[i], 0, sizeof(m[i]));
			m[i].msg_hdr.msg_name = &s->to[flow];
			m[i].msg_hdr.msg_namelen = sizeof(s->to[flow]);
			m[i].msg_hdr.msg_iov = &iov;
			m[i].msg_hdr.msg_iovlen = 1;
			if (++flow == s->flows)
				flow = 0;
		}
		n = sendmmsg(s->fd, m, BATCH, 0);
		if (n > 0)
			s->sent += (unsigned int)n;
		else if (n < 0 && errno != EINTR && errno != ENOBUFS &&
			 errno != EAGAIN)
			break;
	}
}

static int parse_uint(const char *s, unsigned int lo, unsigned int hi,
		      unsigned int *v)
{
	char *end;
	unsigned long x;

	errno = 0;
	x = strtoul(s, &end, 10);
	if (errno || end == s || *end || x < lo || x > hi)
		return -1;
	*v = (unsigned int)x;
	return 0;
}

static int do_sink(int argc, char **argv)
{
	struct sockaddr_in at;
	struct sink s;
	unsigned int port;

	if (argc != 5 || parse_uint(argv[3], 1, 65535, &port) ||
	    addr(argv[2], port, &at))
		return usage();
	s.count = counter_map(argv[4]);
	s.fd = udp_socket(&at);
	if (!s.count || s.fd < 0) {
		fprintf(stderr, "vdev_blast: sink on %s:%u: %s\n", argv[2],
			port, strerror(errno));
		return 1;
	}
	atomic_store(s.count, 0);
	fprintf(stderr, "vdev_blast: sink ready\n");
	sink_run(&s);
	printf("packets %llu\n", (unsigned long long)atomic_load(s.count));
	return 0;
}

static int do_send(int argc, char **argv, bool loop)
{
	struct sender s = { .flows = 1 };
	uint64_t base;
	struct sockaddr_in local;
	struct sink k = { .fd = -1 };
	unsigned int port, secs, i;
	pthread_t th;
	double t0, dt;

	if (argc < 7 || argc > 8 || parse_uint(argv[4], 1, 65535, &port) ||
	    parse_uint(argv[5], 1, MAX_SIZE, &s.size) ||
	    parse_uint(argv[6], 1, 3600, &secs) ||
	    (loop && argc == 8 &&
	     parse_uint(argv[7], 1, MAX_FLOWS, &s.flows)) ||
	    (!loop && argc != 8) ||
	    addr(argv[2], loop ? port : 0, &local))
		return usage();
	s.seconds = secs;
	for (i = 0; i < s.flows; i++)
		if (addr(argv[3], port + i, &s.to[i]))
			return usage();
	s.count = counter_map(loop ? NULL : argv[7]);
	s.fd = udp_socket(&local);
	if (!s.count || s.fd < 0) {
		fprintf(stderr, "vdev_blast: socket on %s: %s\n", argv[2],
			strerror(errno));
		return 1;
	}
	if (loop) {
		k.fd = s.fd;
		k.count = s.count;
		if (pthread_create(&th, NULL, sink_run, &k)) {
			fprintf(stderr, "vdev_blast: no sink thread\n");
			return 1;
		}
	}
	base = atomic_load(s.count);
	t0 = now_s();
	send_run(&s);
	dt = now_s() - t0;
	/* What is still in flight arrives (or not) within a moment. */
	usleep(300000);
	if (loop) {
		stop = 1;
		pthread_join(th, NULL);
	}
	printf("sent %llu received %llu lost_windows %llu seconds %.3f\n",
	       (unsigned long long)s.sent,
	       (unsigned long long)(atomic_load(s.count) - base),
	       (unsigned long long)s.lost_windows, dt);
	return 0;
}

int main(int argc, char **argv)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_term;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	if (argc < 2)
		return usage();
	if (!strcmp(argv[1], "loop"))
		return do_send(argc, argv, true);
	if (!strcmp(argv[1], "send"))
		return do_send(argc, argv, false);
	if (!strcmp(argv[1], "sink"))
		return do_sink(argc, argv);
	return usage();
}
