// SPDX-License-Identifier: GPL-2.0
/*
 * pktpool_nf.ko with real packets: UDP datagrams sent over loopback with
 * a mark are copied, byte for byte, into the slots of a region and show up
 * on its rx ring; unmarked ones are not; snaplen cuts; a missing fill is
 * counted; unbinding gives unused slots back. Runs as root in the VM with
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

#define CTL	"build/tools/pktpoolctl"
#define SLOTS	32
#define MARK	0x77
#define PORT	9431

FIXTURE(nf) {
	int fd;
	struct pktpool_region_create c;
	struct pktpool_region_info i;
	unsigned char *mem;
	_Atomic __u32 *rx_prod, *rx_cons, *fill_prod;
	struct pktpool_desc *rx;
	__u32 *fill;
	__u32 mask, bind_id;
};

FIXTURE_SETUP(nf)
{
	self->bind_id = 0;
	self->mem = MAP_FAILED;
	self->fd = open(PKTPOOL_DEVICE, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->fd);
	memset(&self->c, 0, sizeof(self->c));
	self->c.size = sizeof(self->c);
	snprintf(self->c.name, sizeof(self->c.name), "nf%d", (int)getpid());
	self->c.slot_size = 2048;
	self->c.slot_count = SLOTS;
	self->c.node = -1;
	self->c.mode = 0600;
	ASSERT_EQ(0, ioctl(self->fd, PKTPOOL_IOC_REGION_CREATE, &self->c));
	memset(&self->i, 0, sizeof(self->i));
	self->i.size = sizeof(self->i);
	self->i.id = self->c.id;
	ASSERT_EQ(0, ioctl(self->fd, PKTPOOL_IOC_REGION_INFO, &self->i));
	self->mem = mmap(NULL, self->c.mmap_size, PROT_READ | PROT_WRITE,
			 MAP_SHARED, self->fd, self->c.mmap_offset);
	ASSERT_NE(MAP_FAILED, self->mem);
	self->rx_prod = (void *)(self->mem + self->i.rx_offset + PKTPOOL_RING_PRODUCER);
	self->rx_cons = (void *)(self->mem + self->i.rx_offset + PKTPOOL_RING_CONSUMER);
	self->rx = (void *)(self->mem + self->i.rx_offset + PKTPOOL_REGION_RING_HDR);
	self->fill_prod = (void *)(self->mem + self->i.fill_offset + PKTPOOL_RING_PRODUCER);
	self->fill = (void *)(self->mem + self->i.fill_offset + PKTPOOL_REGION_RING_HDR);
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

	if (s < 0)
		return -errno;
	if (mark && setsockopt(s, SOL_SOCKET, SO_MARK, &mark, sizeof(mark)))
		return -errno;
	for (unsigned int i = 0; i < n; i++) {
		memcpy(buf, &i, sizeof(i));
		for (unsigned int k = 4; k < len; k++)
			buf[k] = (unsigned char)(i + k);
		if (sendto(s, buf, len, 0, (void *)&to, sizeof(to)) != (ssize_t)len)
			return -errno;
	}
	close(s);
	return 0;
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

TEST_HARNESS_MAIN
