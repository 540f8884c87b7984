// SPDX-License-Identifier: MIT
/*
 * nf_peers: what users pick today to see or judge packets in userspace,
 * the peers of pktpool-capture and the verdict example in nf-bench.sh:
 *
 *   nf_peers tpacket IFACE PORT   AF_PACKET TPACKET_V3 ring on IFACE,
 *                                 counting UDP to PORT
 *   nf_peers nflog GROUP          NFLOG (libnetfilter_log), packets copied
 *   nf_peers nfqueue NUM BATCH    NFQUEUE (libnetfilter_queue), whole
 *                                 packets copied, an accept verdict per
 *                                 BATCH packets (nfq_set_verdict_batch)
 *
 * Each runs until SIGTERM/SIGINT, then prints "packets N" on stdout; it
 * prints "ready" on stderr once it listens. The CPU it used is read by
 * the script from /proc.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/netfilter.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include <libnetfilter_log/libnetfilter_log.h>
#include <libnetfilter_queue/libnetfilter_queue.h>

static volatile sig_atomic_t stop;
static unsigned long long packets;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

/* ---- AF_PACKET, TPACKET_V3 ---------------------------------------- */

#define TP_BLOCK	(1u << 20)
#define TP_BLOCKS	16
#define TP_FRAME	2048

static bool udp_to(const unsigned char *eth, uint32_t len, unsigned int port)
{
	const unsigned char *ip = eth + ETH_HLEN;
	uint32_t ihl;

	if (len < ETH_HLEN + 28 || eth[12] != 0x08 || eth[13] != 0x00 ||
	    ip[9] != 17)
		return false;
	ihl = (ip[0] & 15u) * 4;
	if (len < ETH_HLEN + ihl + 8)
		return false;
	return ((unsigned int)ip[ihl + 2] << 8 | ip[ihl + 3]) == port;
}

static int run_tpacket(const char *ifname, unsigned int port)
{
	struct tpacket_req3 req = {
		.tp_block_size = TP_BLOCK, .tp_block_nr = TP_BLOCKS,
		.tp_frame_size = TP_FRAME,
		.tp_frame_nr = TP_BLOCK / TP_FRAME * TP_BLOCKS,
		.tp_retire_blk_tov = 10,	/* ms */
	};
	int v = TPACKET_V3, fd, blk = 0;
	struct sockaddr_ll sll = { 0 };
	unsigned char *ring;

	fd = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));
	if (fd < 0 ||
	    setsockopt(fd, SOL_PACKET, PACKET_VERSION, &v, sizeof(v)) ||
	    setsockopt(fd, SOL_PACKET, PACKET_RX_RING, &req, sizeof(req))) {
		perror("nf_peers: tpacket socket");
		return 1;
	}
	ring = mmap(NULL, (size_t)TP_BLOCK * TP_BLOCKS, PROT_READ | PROT_WRITE,
		    MAP_SHARED | MAP_LOCKED, fd, 0);
	if (ring == MAP_FAILED)
		ring = mmap(NULL, (size_t)TP_BLOCK * TP_BLOCKS,
			    PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	sll.sll_family = AF_PACKET;
	sll.sll_protocol = htons(ETH_P_ALL);
	sll.sll_ifindex = (int)if_nametoindex(ifname);
	if (ring == MAP_FAILED || !sll.sll_ifindex ||
	    bind(fd, (struct sockaddr *)&sll, sizeof(sll))) {
		perror("nf_peers: tpacket ring/bind");
		return 1;
	}
	fprintf(stderr, "ready\n");
	while (!stop) {
		struct tpacket_block_desc *b =
			(void *)(ring + (size_t)blk * TP_BLOCK);
		struct tpacket3_hdr *h;
		uint32_t i;

		if (!(__atomic_load_n(&b->hdr.bh1.block_status, __ATOMIC_ACQUIRE) &
		      TP_STATUS_USER)) {
			struct pollfd p = { .fd = fd, .events = POLLIN };

			poll(&p, 1, 100);
			continue;
		}
		h = (void *)((unsigned char *)b + b->hdr.bh1.offset_to_first_pkt);
		for (i = 0; i < b->hdr.bh1.num_pkts; i++) {
			packets += udp_to((unsigned char *)h + h->tp_mac,
					  h->tp_snaplen, port);
			h = (void *)((unsigned char *)h + h->tp_next_offset);
		}
		__atomic_store_n(&b->hdr.bh1.block_status, TP_STATUS_KERNEL,
				 __ATOMIC_RELEASE);
		blk = (blk + 1) % TP_BLOCKS;
	}
	return 0;
}

/* ---- NFLOG ---------------------------------------------------------- */

static int nflog_cb(struct nflog_g_handle *gh, struct nfgenmsg *m,
		    struct nflog_data *d, void *arg)
{
	char *payload;

	(void)gh; (void)m; (void)arg;
	if (nflog_get_payload(d, &payload) > 0)
		packets++;
	return 0;
}

static int run_nflog(unsigned int group)
{
	struct nflog_handle *h = nflog_open();
	struct nflog_g_handle *gh;
	char buf[1 << 16];
	int fd, one = 1, rcvbuf = 8 << 20;

	if (!h || (nflog_bind_pf(h, AF_INET) < 0 && errno != EEXIST)) {
		perror("nf_peers: nflog_open");
		return 1;
	}
	gh = nflog_bind_group(h, (uint16_t)group);
	if (!gh || nflog_set_mode(gh, NFULNL_COPY_PACKET, 0xffff) < 0) {
		perror("nf_peers: nflog group");
		return 1;
	}
	nflog_callback_register(gh, nflog_cb, NULL);
	fd = nflog_fd(h);
	setsockopt(fd, SOL_NETLINK, NETLINK_NO_ENOBUFS, &one, sizeof(one));
	setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof(rcvbuf));
	fprintf(stderr, "ready\n");
	while (!stop) {
		ssize_t n = recv(fd, buf, sizeof(buf), 0);

		if (n > 0)
			nflog_handle_packet(h, buf, (int)n);
	}
	nflog_unbind_group(gh);
	nflog_close(h);
	return 0;
}

/* ---- NFQUEUE, batched verdicts -------------------------------------- */

static unsigned int batch, pending;
static uint32_t last_id;

static int nfq_cb(struct nfq_q_handle *qh, struct nfgenmsg *m,
		  struct nfq_data *d, void *arg)
{
	struct nfqnl_msg_packet_hdr *ph = nfq_get_msg_packet_hdr(d);
	unsigned char *payload;

	(void)m; (void)arg;
	if (!ph)
		return 0;
	if (nfq_get_payload(d, &payload) > 0)
		packets++;
	last_id = ntohl(ph->packet_id);
	if (++pending >= batch) {
		nfq_set_verdict_batch(qh, last_id, NF_ACCEPT);
		pending = 0;
	}
	return 0;
}

static int run_nfqueue(unsigned int num, unsigned int b)
{
	struct nfq_handle *h = nfq_open();
	struct nfq_q_handle *qh;
	char buf[1 << 16];
	int fd, one = 1, rcvbuf = 8 << 20;

	batch = b ? b : 1;
	if (!h) {
		perror("nf_peers: nfq_open");
		return 1;
	}
	qh = nfq_create_queue(h, (uint16_t)num, nfq_cb, NULL);
	if (!qh || nfq_set_mode(qh, NFQNL_COPY_PACKET, 0xffff) < 0) {
		perror("nf_peers: nfq queue");
		return 1;
	}
	nfq_set_queue_maxlen(qh, 4096);
	fd = nfq_fd(h);
	setsockopt(fd, SOL_NETLINK, NETLINK_NO_ENOBUFS, &one, sizeof(one));
	setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof(rcvbuf));
	fprintf(stderr, "ready\n");
	while (!stop) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		ssize_t n;

		/* a partial batch waits at most 1 ms */
		if (poll(&p, 1, pending ? 1 : 100) <= 0) {
			if (pending) {
				nfq_set_verdict_batch(qh, last_id, NF_ACCEPT);
				pending = 0;
			}
			continue;
		}
		n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
		if (n > 0)
			nfq_handle_packet(h, buf, (int)n);
	}
	if (pending)
		nfq_set_verdict_batch(qh, last_id, NF_ACCEPT);
	nfq_destroy_queue(qh);
	nfq_close(h);
	return 0;
}

int main(int argc, char **argv)
{
	struct sigaction sa;
	int rc;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;	/* no SA_RESTART: blocking calls end */
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	if (argc == 4 && !strcmp(argv[1], "tpacket"))
		rc = run_tpacket(argv[2], (unsigned int)atoi(argv[3]));
	else if (argc == 3 && !strcmp(argv[1], "nflog"))
		rc = run_nflog((unsigned int)atoi(argv[2]));
	else if (argc == 4 && !strcmp(argv[1], "nfqueue"))
		rc = run_nfqueue((unsigned int)atoi(argv[2]),
				 (unsigned int)atoi(argv[3]));
	else {
		fprintf(stderr, "usage: nf_peers tpacket IFACE PORT | nflog GROUP | nfqueue NUM BATCH\n");
		return 2;
	}
	printf("packets %llu\n", packets);
	return rc;
}
