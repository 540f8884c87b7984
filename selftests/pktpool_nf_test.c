// SPDX-License-Identifier: GPL-2.0
/*
 * pktpool_nf.ko with real packets: UDP datagrams sent over loopback with
 * a mark are copied, byte for byte, into the slots of a region and show up
 * on its rx ring; unmarked ones are not; snaplen cuts; a missing fill is
 * counted; unbinding gives unused slots back. With action queue a
 * datagram waits for the verdict on the tx ring: accepted it arrives,
 * dropped it does not, modified it arrives with the new bytes (the
 * receiving socket checks the fixed checksum), timeouts and a full queue
 * fail closed or open as set, and garbage on the tx ring is counted and
 * ignored. Runs as root in the VM with
 * pktpool.ko and pktpool_nf.ko loaded, from the top of the tree (it runs
 * build/tools/pktpoolctl for the netlink side).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <linux/netfilter.h>
#include <linux/pktpool.h>

/* The harness and TEST() bodies have parameters plain tests never use. */
#pragma GCC diagnostic ignored "-Wunused-parameter"
#include "kselftest_harness.h"
#include "pktpool_util.h"

#define CTL	"build/tools/pktpoolctl"
#define SLOTS	32
#define MARK	0x77
#define PORT	9431

FIXTURE(nf) {
	int fd;
	struct pktpool_region_create c;
	struct pktpool_region_info i;
	unsigned char *mem;
	_Atomic __u32 *rx_prod, *rx_cons, *fill_prod, *tx_prod;
	struct pktpool_desc *rx, *tx;
	__u32 *fill;
	int sink;		/* a UDP socket on PORT, non-blocking */
	__u32 mask, bind_id;
};

FIXTURE_SETUP(nf)
{
	char name[PKTPOOL_NAME_MAX];
	struct sockaddr_in at = {
		.sin_family = AF_INET,
		.sin_port = htons(PORT),
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
	};

	self->bind_id = 0;
	self->mem = MAP_FAILED;
	self->sink = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	ASSERT_LE(0, self->sink);
	ASSERT_EQ(0, bind(self->sink, (void *)&at, sizeof(at)));
	self->fd = open(PKTPOOL_DEVICE, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->fd);
	snprintf(name, sizeof(name), "nf%d", (int)getpid());
	ASSERT_EQ(0, pp_region_map(self->fd, name, 2048, SLOTS, &self->c,
				   &self->i, &self->mem));
	self->rx_prod = (void *)(self->mem + self->i.rx_offset + PKTPOOL_RING_PRODUCER);
	self->rx_cons = (void *)(self->mem + self->i.rx_offset + PKTPOOL_RING_CONSUMER);
	self->rx = (void *)(self->mem + self->i.rx_offset + PKTPOOL_REGION_RING_HDR);
	self->fill_prod = (void *)(self->mem + self->i.fill_offset + PKTPOOL_RING_PRODUCER);
	self->fill = (void *)(self->mem + self->i.fill_offset + PKTPOOL_REGION_RING_HDR);
	self->tx_prod = (void *)(self->mem + self->i.tx_offset + PKTPOOL_RING_PRODUCER);
	self->tx = (void *)(self->mem + self->i.tx_offset + PKTPOOL_REGION_RING_HDR);
	self->mask = self->i.ring_entries - 1;
}

static int unbind(__u32 id)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), CTL " nf unbind %u", id);
	return system(cmd);
}

FIXTURE_TEARDOWN(nf)
{
	struct pktpool_pool_id d = { .size = sizeof(d), .id = self->c.id };

	if (self->bind_id)
		unbind(self->bind_id);
	if (self->mem != MAP_FAILED)
		munmap(self->mem, self->c.mmap_size);
	ioctl(self->fd, PKTPOOL_IOC_REGION_DESTROY, &d);
	close(self->fd);
	close(self->sink);
}

/* Run pktpoolctl nf bind with extra options; the new id, or 0. */
static __u32 nf_bind(FIXTURE_DATA(nf) *self, const char *opts)
{
	char cmd[256];
	unsigned int id = 0;
	FILE *p;

	snprintf(cmd, sizeof(cmd), CTL " nf bind %s --family ipv4 --hook output %s",
		 self->c.name, opts);
	p = popen(cmd, "r");
	if (!p)
		return 0;
	if (fscanf(p, "%u", &id) != 1)
		id = 0;
	if (pclose(p))
		id = 0;
	self->bind_id = id;
	return id;
}

static void give_all(FIXTURE_DATA(nf) *self)
{
	__u32 prod = atomic_load(self->fill_prod);

	for (__u32 k = 0; k < SLOTS; k++)
		self->fill[(prod + k) & self->mask] = k;
	/* (A) entries before the index: pairs with the kernel's (B). */
	atomic_store_explicit(self->fill_prod, prod + SLOTS,
			      memory_order_release);
}

/* Send n datagrams of len bytes (seq, then a pattern), with mark. */
static int send_udp(unsigned int n, unsigned int len, int mark)
{
	struct sockaddr_in to = {
		.sin_family = AF_INET,
		.sin_port = htons(PORT),
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
	};
	unsigned char buf[1500];
	int s = socket(AF_INET, SOCK_DGRAM, 0);

	int err = 0;

	if (s < 0)
		return -errno;
	if (mark && setsockopt(s, SOL_SOCKET, SO_MARK, &mark, sizeof(mark)))
		err = -errno;
	for (unsigned int i = 0; i < n && !err; i++) {
		memcpy(buf, &i, sizeof(i));
		for (unsigned int k = 4; k < len; k++)
			buf[k] = (unsigned char)(i + k);
		if (sendto(s, buf, len, 0, (void *)&to, sizeof(to)) != (ssize_t)len)
			err = -errno;
	}
	close(s);
	return err;
}

static int tx_put(FIXTURE_DATA(nf) *self, const struct pktpool_desc *v);

/* A verdict on d's slot for another packet id. */
static int give_slot_back_with_wrong_id(FIXTURE_DATA(nf) *self,
					const struct pktpool_desc *d)
{
	struct pktpool_desc v = { .slot = d->slot, .id = d->id + 1000,
				  .verdict = PKTPOOL_VERDICT_ACCEPT };

	return tx_put(self, &v);
}

static __u32 rx_count(FIXTURE_DATA(nf) *self)
{
	return atomic_load_explicit(self->rx_prod, memory_order_acquire) -
	       atomic_load(self->rx_cons);
}

TEST_F(nf, marked_datagrams_arrive_byte_for_byte_and_in_order)
{
	__u32 prod;

	give_all(self);
	ASSERT_NE(0U, nf_bind(self, "--mark 0x77"));
	ASSERT_EQ(0, send_udp(5, 100, 0));	/* not marked: not taken */
	ASSERT_EQ(0, send_udp(10, 300, MARK));
	prod = atomic_load_explicit(self->rx_prod, memory_order_acquire);
	ASSERT_EQ(10U, prod);
	for (__u32 i = 0; i < prod; i++) {
		struct pktpool_desc *d = &self->rx[i & self->mask];
		unsigned char *p = self->mem + self->i.slots_offset +
				   (size_t)d->slot * 2048;
		__u32 seq;

		ASSERT_GT((__u32)SLOTS, d->slot);
		EXPECT_EQ(20U + 8 + 300, d->len);
		EXPECT_EQ(d->len, d->orig_len);
		EXPECT_EQ(NFPROTO_IPV4, d->family);
		EXPECT_EQ(NF_INET_LOCAL_OUT, d->hook);
		EXPECT_EQ((__u32)MARK, d->mark);
		EXPECT_EQ(self->bind_id, d->binding);
		EXPECT_EQ(0U, d->flags & PKTPOOL_DESC_F_TRUNCATED);
		EXPECT_EQ(0x45, p[0]);			/* IPv4, 20-byte header */
		EXPECT_EQ(17, p[9]);			/* UDP */
		EXPECT_EQ(PORT, (int)((p[22] << 8) | p[23]));	/* destination port */
		memcpy(&seq, p + 28, sizeof(seq));
		EXPECT_EQ(i, seq);
		for (unsigned int k = 4; k < 300; k++)
			if (p[28 + k] != (unsigned char)(i + k)) {
				EXPECT_EQ((unsigned char)(i + k), p[28 + k]);
				break;
			}
	}
	/* (C) consumed: the kernel may reuse nothing it did not get back. */
	atomic_store_explicit(self->rx_cons, prod, memory_order_release);
	memset(&self->i, 0, sizeof(self->i));
	self->i.size = sizeof(self->i);
	self->i.id = self->c.id;
	ASSERT_EQ(0, ioctl(self->fd, PKTPOOL_IOC_REGION_INFO, &self->i));
	EXPECT_EQ((__u64)SLOTS - 10, self->i.kernel_slots);
	EXPECT_EQ(0ULL, self->i.inflight_slots);
	EXPECT_EQ(0ULL, self->i.ring_invalid);
}

TEST_F(nf, snaplen_cuts_and_flags_the_copy)
{
	give_all(self);
	ASSERT_NE(0U, nf_bind(self, "--mark 0x77 --snaplen 40"));
	ASSERT_EQ(0, send_udp(1, 500, MARK));
	ASSERT_EQ(1U, rx_count(self));
	EXPECT_EQ(40U, self->rx[0].len);
	EXPECT_EQ(20U + 8 + 500, self->rx[0].orig_len);
	EXPECT_NE(0U, self->rx[0].flags & PKTPOOL_DESC_F_TRUNCATED);
}

TEST_F(nf, largest_snaplen_is_taken)
{
	/* 65535 once overflowed an s16 policy bound and WARNed on 6.1. */
	ASSERT_NE(0U, nf_bind(self, "--snaplen 65535"));
}

TEST_F(nf, without_free_slots_packets_pass_and_are_counted)
{
	char line[512];
	FILE *p;
	unsigned long long no_slot = ~0ULL;

	ASSERT_NE(0U, nf_bind(self, "--mark 0x77"));
	ASSERT_EQ(0, send_udp(3, 64, MARK));
	EXPECT_EQ(0U, rx_count(self));
	p = popen(CTL " --json nf list", "r");
	ASSERT_NE(NULL, p);
	while (fgets(line, sizeof(line), p)) {
		char *s = strstr(line, "\"no_slot\":");

		if (s)
			no_slot = strtoull(s + 10, NULL, 10);
	}
	pclose(p);
	EXPECT_EQ(3ULL, no_slot);
}

TEST_F(nf, unbinding_gives_unused_slots_back_on_rx)
{
	__u32 n, returned = 0;

	give_all(self);
	ASSERT_NE(0U, nf_bind(self, "--mark 0x77"));
	ASSERT_EQ(0, send_udp(2, 64, MARK));
	ASSERT_EQ(0, unbind(self->bind_id));
	self->bind_id = 0;
	n = rx_count(self);
	EXPECT_EQ((__u32)SLOTS, n);
	for (__u32 i = 0; i < n; i++)
		returned += !!(self->rx[i & self->mask].flags &
			       PKTPOOL_DESC_F_RETURNED);
	EXPECT_EQ((__u32)SLOTS - 2, returned);
}

TEST_F(nf, bind_refuses_bad_requests_with_a_reason)
{
	char cmd[256];

	/* No such region. */
	EXPECT_NE(0, system(CTL " nf bind no-such-region --family ipv4 --hook input 2>/dev/null"));
	/* Mark bits outside the mask. */
	snprintf(cmd, sizeof(cmd), CTL " nf bind %s --family ipv4 --hook input --mark 3/1 2>/dev/null",
		 self->c.name);
	EXPECT_NE(0, system(cmd));
	/* Unknown id. */
	EXPECT_NE(0, system(CTL " nf unbind 999999 2>/dev/null"));
}

/* One counter of our binding from pktpoolctl --json nf list, or ~0. */
static unsigned long long nf_stat(FIXTURE_DATA(nf) *self, const char *key)
{
	char line[4096], want[64], k[64], *obj, *end, *v;
	unsigned long long val = ~0ULL;
	FILE *p;

	snprintf(want, sizeof(want), "{\"id\":%u,", self->bind_id);
	snprintf(k, sizeof(k), "\"%s\":", key);
	p = popen(CTL " --json nf list", "r");
	if (!p)
		return val;
	while (fgets(line, sizeof(line), p)) {
		obj = strstr(line, want);
		if (!obj)
			continue;
		end = strchr(obj, '}');
		v = strstr(obj, k);
		if (v && (!end || v < end))
			val = strtoull(v + strlen(k), NULL, 10);
	}
	pclose(p);
	return val;
}

static unsigned long long nf_stat_wait(FIXTURE_DATA(nf) *self,
				       const char *key,
				       unsigned long long want)
{
	unsigned long long v = nf_stat(self, key);

	for (int i = 0; i < 100 && v != want; i++) {
		usleep(100 * 1000);
		v = nf_stat(self, key);
	}
	return v;
}

static struct pktpool_region_info region_info(FIXTURE_DATA(nf) *self)
{
	struct pktpool_region_info i = { .size = sizeof(i), .id = self->c.id };

	ioctl(self->fd, PKTPOOL_IOC_REGION_INFO, &i);
	return i;
}

/* Take the next rx entry (a copy) and consume it; -1 if none. */
static int rx_take(FIXTURE_DATA(nf) *self, struct pktpool_desc *d)
{
	__u32 cons = atomic_load(self->rx_cons);

	if (atomic_load_explicit(self->rx_prod, memory_order_acquire) == cons)
		return -1;
	*d = self->rx[cons & self->mask];
	atomic_store_explicit(self->rx_cons, cons + 1, memory_order_release);
	return 0;
}

static int kick(FIXTURE_DATA(nf) *self);

/* Put one descriptor on the tx ring and kick. */
static int tx_put(FIXTURE_DATA(nf) *self, const struct pktpool_desc *v)
{
	__u32 prod = atomic_load(self->tx_prod);

	self->tx[prod & self->mask] = *v;
	/* (A) the entry before the index: pairs with the kernel's (B). */
	atomic_store_explicit(self->tx_prod, prod + 1, memory_order_release);
	return kick(self);
}

static int verdict(FIXTURE_DATA(nf) *self, const struct pktpool_desc *d,
		   __u32 what)
{
	struct pktpool_desc v = { .slot = d->slot, .id = d->id, .verdict = what };

	return tx_put(self, &v);
}

static unsigned char *slot_data(FIXTURE_DATA(nf) *self, __u32 slot)
{
	return self->mem + self->i.slots_offset + (size_t)slot * 2048;
}

/*
 * A datagram on the sink: its length, or -1 when none came within
 * wait_ms (delivery after a verdict may finish in another context).
 */
static ssize_t sink_wait(FIXTURE_DATA(nf) *self, unsigned char *buf,
			 size_t n, int wait_ms)
{
	struct pollfd pfd = { .fd = self->sink, .events = POLLIN };

	if (poll(&pfd, 1, wait_ms) != 1)
		return -1;
	return recv(self->sink, buf, n, 0);
}

/*
 * Queue bindings that do not test the timeout wait long: a slow guest
 * must not time a packet out between two steps of a test.
 */
#define LONG		"--timeout 600000"

/* Up to 10 s for a binding counter to reach want; its last value. */
static unsigned long long nf_stat_wait(FIXTURE_DATA(nf) *self,
				       const char *key,
				       unsigned long long want);

#define ARRIVES		2000	/* ms to wait for what must arrive */
#define NEVER		200	/* ms to wait for what must not */

static int kick(FIXTURE_DATA(nf) *self)
{
	struct pktpool_pool_id k = { .size = sizeof(k), .id = self->c.id };

	return ioctl(self->fd, PKTPOOL_IOC_REGION_KICK, &k);
}

TEST_F(nf, queued_datagram_waits_for_accept_then_arrives)
{
	struct pktpool_desc d;
	unsigned char buf[2048];
	__u32 seq;

	give_all(self);
	ASSERT_NE(0U, nf_bind(self, "--mark 0x77 --action queue " LONG));
	ASSERT_EQ(0, send_udp(1, 300, MARK));
	ASSERT_EQ(0, rx_take(self, &d));
	EXPECT_NE(0U, d.flags & PKTPOOL_DESC_F_QUEUED);
	EXPECT_EQ(20U + 8 + 300, d.len);
	EXPECT_EQ(-1, sink_wait(self, buf, sizeof(buf), NEVER));	/* it waits */
	EXPECT_EQ(1ULL, nf_stat(self, "waiting"));
	ASSERT_EQ(0, verdict(self, &d, PKTPOOL_VERDICT_ACCEPT));
	ASSERT_EQ(300, sink_wait(self, buf, sizeof(buf), ARRIVES));
	memcpy(&seq, buf, sizeof(seq));
	EXPECT_EQ(0U, seq);
	EXPECT_EQ((unsigned char)(0 + 299), buf[299]);
	EXPECT_EQ(1ULL, nf_stat(self, "accepted"));
	EXPECT_EQ(0ULL, nf_stat(self, "waiting"));
	/* The verdict gave the slot back to the kernel. */
	EXPECT_EQ((__u64)SLOTS, region_info(self).kernel_slots);
	EXPECT_EQ(0ULL, region_info(self).ring_invalid);
}

TEST_F(nf, dropped_datagram_never_arrives)
{
	struct pktpool_desc d;
	unsigned char buf[2048];

	give_all(self);
	ASSERT_NE(0U, nf_bind(self, "--mark 0x77 --action queue " LONG));
	ASSERT_EQ(0, send_udp(1, 100, MARK));
	ASSERT_EQ(0, rx_take(self, &d));
	ASSERT_EQ(0, verdict(self, &d, PKTPOOL_VERDICT_DROP));
	EXPECT_EQ(-1, sink_wait(self, buf, sizeof(buf), NEVER));
	EXPECT_EQ(1ULL, nf_stat(self, "dropped"));
	EXPECT_EQ(0ULL, nf_stat(self, "waiting"));
}

TEST_F(nf, modified_datagram_arrives_with_the_slots_bytes_and_lengths)
{
	struct pktpool_desc d, v;
	unsigned char buf[2048], *p;

	give_all(self);
	ASSERT_NE(0U, nf_bind(self, "--mark 0x77 --action queue " LONG));
	ASSERT_EQ(0, send_udp(2, 200, MARK));
	/* First: one payload byte changed, same length. */
	ASSERT_EQ(0, rx_take(self, &d));
	p = slot_data(self, d.slot);
	p[28 + 10] = 0xee;
	v = (struct pktpool_desc){ .slot = d.slot, .id = d.id, .len = d.len,
				   .flags = PKTPOOL_DESC_F_MODIFIED,
				   .verdict = PKTPOOL_VERDICT_ACCEPT };
	ASSERT_EQ(0, tx_put(self, &v));
	/* The socket checks the UDP checksum the kernel fixed. */
	ASSERT_EQ(200, sink_wait(self, buf, sizeof(buf), ARRIVES));
	EXPECT_EQ(0xee, buf[10]);
	/* Second: cut to 50 payload bytes; IP and UDP lengths follow. */
	ASSERT_EQ(0, rx_take(self, &d));
	v = (struct pktpool_desc){ .slot = d.slot, .id = d.id, .len = 28 + 50,
				   .flags = PKTPOOL_DESC_F_MODIFIED,
				   .verdict = PKTPOOL_VERDICT_ACCEPT };
	ASSERT_EQ(0, tx_put(self, &v));
	ASSERT_EQ(50, sink_wait(self, buf, sizeof(buf), ARRIVES));
	EXPECT_EQ((unsigned char)(1 + 49), buf[49]);
	EXPECT_EQ(2ULL, nf_stat(self, "modified"));
}

TEST_F(nf, modification_of_a_truncated_packet_is_refused_and_drops_it)
{
	struct pktpool_desc d, v;
	unsigned char buf[2048];

	give_all(self);
	ASSERT_NE(0U, nf_bind(self, "--mark 0x77 --action queue --snaplen 40 " LONG));
	ASSERT_EQ(0, send_udp(1, 500, MARK));
	ASSERT_EQ(0, rx_take(self, &d));
	ASSERT_NE(0U, d.flags & PKTPOOL_DESC_F_TRUNCATED);
	v = (struct pktpool_desc){ .slot = d.slot, .id = d.id, .len = 40,
				   .flags = PKTPOOL_DESC_F_MODIFIED,
				   .verdict = PKTPOOL_VERDICT_ACCEPT };
	ASSERT_EQ(0, tx_put(self, &v));
	EXPECT_EQ(-1, sink_wait(self, buf, sizeof(buf), NEVER));
	EXPECT_EQ(1ULL, nf_stat(self, "bad_verdicts"));
}

TEST_F(nf, a_packet_without_verdict_times_out_closed_by_default)
{
	unsigned char buf[2048];

	give_all(self);
	ASSERT_NE(0U, nf_bind(self, "--mark 0x77 --action queue --timeout 20"));
	ASSERT_EQ(0, send_udp(1, 100, MARK));
	EXPECT_EQ(1ULL, nf_stat_wait(self, "timed_out", 1));
	EXPECT_EQ(-1, sink_wait(self, buf, sizeof(buf), NEVER));
	EXPECT_EQ(0ULL, nf_stat(self, "waiting"));
}

TEST_F(nf, a_packet_without_verdict_times_out_open_when_asked)
{
	struct pktpool_desc d;
	unsigned char buf[2048];

	give_all(self);
	ASSERT_NE(0U, nf_bind(self, "--mark 0x77 --action queue --timeout 20 --fail-open"));
	ASSERT_EQ(0, send_udp(1, 100, MARK));
	EXPECT_EQ(1ULL, nf_stat_wait(self, "timed_out", 1));
	EXPECT_EQ(100, sink_wait(self, buf, sizeof(buf), ARRIVES));
	EXPECT_EQ(1ULL, nf_stat(self, "timed_out"));
	/* A late verdict is counted, and its slot still goes back. */
	ASSERT_EQ(0, rx_take(self, &d));
	ASSERT_EQ(0, verdict(self, &d, PKTPOOL_VERDICT_ACCEPT));
	EXPECT_EQ(1ULL, nf_stat(self, "bad_verdicts"));
	EXPECT_EQ((__u64)SLOTS, region_info(self).kernel_slots);
}

TEST_F(nf, a_full_queue_drops_what_cannot_wait)
{
	struct pktpool_desc d;

	give_all(self);
	ASSERT_NE(0U, nf_bind(self, "--mark 0x77 --action queue --queue-max 2 " LONG));
	EXPECT_EQ(0, send_udp(1, 100, MARK));
	EXPECT_EQ(0, send_udp(1, 100, MARK));
	/* Dropped at the output hook: the sender is told. */
	EXPECT_EQ(-EPERM, send_udp(1, 100, MARK));
	EXPECT_EQ(-EPERM, send_udp(1, 100, MARK));
	EXPECT_EQ(2ULL, nf_stat(self, "queued"));
	EXPECT_EQ(2ULL, nf_stat(self, "queue_full"));
	EXPECT_EQ(2ULL, nf_stat(self, "waiting"));
	while (rx_take(self, &d) == 0)
		ASSERT_EQ(0, verdict(self, &d, PKTPOOL_VERDICT_ACCEPT));
	EXPECT_EQ(2ULL, nf_stat(self, "accepted"));
}

TEST_F(nf, garbage_on_the_tx_ring_is_counted_and_ignored)
{
	struct pktpool_desc d, v;
	unsigned char buf[2048];
	__u64 invalid;

	give_all(self);
	ASSERT_NE(0U, nf_bind(self, "--mark 0x77 --action queue " LONG));
	ASSERT_EQ(0, send_udp(1, 100, MARK));
	/* Still on rx, not consumed: not the user's to answer for. */
	v = (struct pktpool_desc){ .slot = self->rx[0].slot,
				   .id = self->rx[0].id,
				   .verdict = PKTPOOL_VERDICT_ACCEPT };
	ASSERT_EQ(0, tx_put(self, &v));
	EXPECT_EQ(1ULL, region_info(self).ring_invalid);
	ASSERT_EQ(0, rx_take(self, &d));
	/* Out of range, and a slot the kernel holds on its free list. */
	v = (struct pktpool_desc){ .slot = 1000000, .id = d.id,
				   .verdict = PKTPOOL_VERDICT_ACCEPT };
	ASSERT_EQ(0, tx_put(self, &v));
	v.slot = (d.slot + 1) % SLOTS;
	ASSERT_EQ(0, tx_put(self, &v));
	invalid = region_info(self).ring_invalid;
	EXPECT_EQ(3ULL, invalid);
	/* Its slot, a wrong id: the slot goes back, the packet still waits. */
	ASSERT_EQ(0, give_slot_back_with_wrong_id(self, &d));
	EXPECT_EQ(1ULL, nf_stat(self, "bad_verdicts"));
	EXPECT_EQ(1ULL, nf_stat(self, "waiting"));
	EXPECT_EQ(-1, sink_wait(self, buf, sizeof(buf), NEVER));
	/* A producer more than a ring ahead is refused as a whole. */
	atomic_store_explicit(self->tx_prod, atomic_load(self->tx_prod) +
			      self->mask + 2, memory_order_release);
	EXPECT_EQ(0, kick(self));
	EXPECT_EQ(invalid + 1, region_info(self).ring_invalid);
	EXPECT_EQ(1ULL, nf_stat(self, "waiting"));
}

TEST_F(nf, unbinding_sends_waiting_packets_on_when_fail_open)
{
	unsigned char buf[2048];

	give_all(self);
	ASSERT_NE(0U, nf_bind(self, "--mark 0x77 --action queue --fail-open " LONG));
	ASSERT_EQ(0, send_udp(3, 100, MARK));
	EXPECT_EQ(3ULL, nf_stat(self, "waiting"));
	ASSERT_EQ(0, unbind(self->bind_id));
	self->bind_id = 0;
	for (int k = 0; k < 3; k++)
		EXPECT_EQ(100, sink_wait(self, buf, sizeof(buf), ARRIVES));
}

static int write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, text, strlen(text));
	close(fd);
	return n == (ssize_t)strlen(text) ? 0 : -EIO;
}

#define TRACING	"/sys/kernel/tracing"

TEST_F(nf, tracepoints_show_the_packet_queued_and_its_verdict)
{
	char want_rx[96], want_rel[96], buf[65536];
	struct pktpool_desc d;
	unsigned char pkt[2048];
	ssize_t n;
	int fd;

	if (access(TRACING "/events/pktpool_nf/enable", W_OK))
		SKIP(return, "no tracefs at " TRACING);
	give_all(self);
	ASSERT_NE(0U, nf_bind(self, "--mark 0x77 --action queue " LONG));
	ASSERT_EQ(0, write_file(TRACING "/trace", ""));
	ASSERT_EQ(0, write_file(TRACING "/events/pktpool_nf/enable", "1"));
	ASSERT_EQ(0, send_udp(1, 100, MARK));
	ASSERT_EQ(0, rx_take(self, &d));
	ASSERT_EQ(0, verdict(self, &d, PKTPOOL_VERDICT_ACCEPT));
	ASSERT_EQ(100, sink_wait(self, pkt, sizeof(pkt), ARRIVES));
	ASSERT_EQ(0, write_file(TRACING "/events/pktpool_nf/enable", "0"));
	fd = open(TRACING "/trace", O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, fd);
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	ASSERT_LT(0, n);
	buf[n] = '\0';
	snprintf(want_rx, sizeof(want_rx),
		 "pktpool_nf_rx: binding=%u id=%u len=128 orig_len=128 queued",
		 self->bind_id, d.id);
	snprintf(want_rel, sizeof(want_rel),
		 "pktpool_nf_release: binding=%u id=%u by=verdict accept",
		 self->bind_id, d.id);
	EXPECT_NE(NULL, strstr(buf, want_rx)) TH_LOG("%s", buf);
	EXPECT_NE(NULL, strstr(buf, want_rel)) TH_LOG("%s", buf);
}

TEST_HARNESS_MAIN
