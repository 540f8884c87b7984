// SPDX-License-Identifier: GPL-2.0
/*
 * pktpool_vdev.ko with real packets: datagrams the stack sends through
 * the device arrive byte for byte on the region's rx ring; packets put on
 * the tx ring arrive at a local socket as if received on the device;
 * garbage on tx is counted and ignored; without slots packets are staged
 * in order, within queue_max, and go out after fill and kick; carrier
 * follows the region's writer; bad requests are refused with a reason.
 * Runs as root in the VM with pktpool.ko and pktpool_vdev.ko loaded; the
 * generic netlink side is spoken here directly, so the test does not
 * depend on pktpoolctl.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <linux/genetlink.h>
#include <linux/netfilter.h>
#include <linux/netlink.h>
#include <linux/pktpool.h>
#include <linux/pktpool_vdev.h>

/* The harness and TEST() bodies have parameters plain tests never use. */
#pragma GCC diagnostic ignored "-Wunused-parameter"
#include "kselftest_harness.h"
#include "pktpool_util.h"

#define SLOTS		32
#define SLOT_SIZE	2048
#define PORT		9533
#define LOCAL		"10.211.0.1"
#define PEER		"10.211.0.2"

/* ---- a minimal generic netlink client ---------------------------------- */

struct nlmsg {
	struct nlmsghdr n;
	struct genlmsghdr g;
	char buf[4096];
};

static void put_attr(struct nlmsg *m, unsigned short type, const void *data,
		     unsigned short len)
{
	struct nlattr *a = (void *)((char *)m + NLMSG_ALIGN(m->n.nlmsg_len));

	a->nla_type = type;
	a->nla_len = NLA_HDRLEN + len;
	memcpy((char *)a + NLA_HDRLEN, data, len);
	m->n.nlmsg_len = NLMSG_ALIGN(m->n.nlmsg_len) + NLA_ALIGN(a->nla_len);
}

static void put_u32(struct nlmsg *m, unsigned short type, __u32 v)
{
	put_attr(m, type, &v, sizeof(v));
}

static void put_u8(struct nlmsg *m, unsigned short type, __u8 v)
{
	put_attr(m, type, &v, sizeof(v));
}

static void put_str(struct nlmsg *m, unsigned short type, const char *s)
{
	put_attr(m, type, s, strlen(s) + 1);
}

static void msg_init(struct nlmsg *m, __u16 family, __u8 cmd, __u16 flags)
{
	memset(m, 0, sizeof(*m));
	m->n.nlmsg_len = NLMSG_LENGTH(GENL_HDRLEN);
	m->n.nlmsg_type = family;
	m->n.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	m->g.cmd = cmd;
	m->g.version = 1;
}

/*
 * Send m and read the answer into reply (if not NULL): 0, or the kernel's
 * -errno, with its extack message copied into why.
 */
static int nl_talk(struct nlmsg *m, struct nlmsg *reply, char *why,
		   size_t why_len)
{
	int s = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	int one = 1, err = -EIO;
	char buf[8192];
	ssize_t n;

	if (why)
		why[0] = 0;
	if (s < 0)
		return -errno;
	setsockopt(s, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	if (send(s, m, m->n.nlmsg_len, 0) < 0) {
		err = -errno;
		goto out;
	}
	for (;;) {
		struct nlmsghdr *h;

		n = recv(s, buf, sizeof(buf), 0);
		if (n < 0) {
			err = -errno;
			goto out;
		}
		for (h = (void *)buf; NLMSG_OK(h, (size_t)n); h = NLMSG_NEXT(h, n)) {
			if (h->nlmsg_type == NLMSG_ERROR) {
				struct nlmsgerr *e = NLMSG_DATA(h);
				struct nlattr *a;
				size_t off = sizeof(*h) + sizeof(*e);

				err = e->error;
				/* The request is echoed only without CAPPED. */
				if (!(h->nlmsg_flags & NLM_F_CAPPED))
					off += e->msg.nlmsg_len - sizeof(e->msg);
				if (why && (h->nlmsg_flags & NLM_F_ACK_TLVS))
					for (a = (void *)((char *)h + off);
					     (char *)a + NLA_HDRLEN <= (char *)h + h->nlmsg_len &&
					     a->nla_len >= NLA_HDRLEN;
					     a = (void *)((char *)a + NLA_ALIGN(a->nla_len)))
						if (a->nla_type == NLMSGERR_ATTR_MSG)
							snprintf(why, why_len, "%s",
								 (char *)a + NLA_HDRLEN);
				goto out;
			}
			if (reply && h->nlmsg_len <= sizeof(*reply))
				memcpy(reply, h, h->nlmsg_len);
		}
	}
out:
	close(s);
	return err;
}

/* The attribute type of reply, or NULL. */
static struct nlattr *get_attr(struct nlmsg *r, unsigned short type)
{
	struct nlattr *a = (void *)r->buf;
	char *end = (char *)r + r->n.nlmsg_len;

	while ((char *)a + NLA_HDRLEN <= end && a->nla_len >= NLA_HDRLEN) {
		if ((a->nla_type & NLA_TYPE_MASK) == type)
			return a;
		a = (void *)((char *)a + NLA_ALIGN(a->nla_len));
	}
	return NULL;
}

static __u64 get_u64(struct nlmsg *r, unsigned short type)
{
	struct nlattr *a = get_attr(r, type);
	__u64 v = ~0ULL;

	if (a && a->nla_len == NLA_HDRLEN + 8)
		memcpy(&v, (char *)a + NLA_HDRLEN, 8);
	else if (a && a->nla_len >= NLA_HDRLEN + 4) {
		__u32 w;

		memcpy(&w, (char *)a + NLA_HDRLEN, 4);
		v = w;
	} else if (a && a->nla_len == NLA_HDRLEN + 1)
		v = *((__u8 *)a + NLA_HDRLEN);
	return v;
}

static __u16 vdev_family(void)
{
	struct nlmsg m, r;
	struct nlattr *a;
	__u16 id = 0;

	msg_init(&m, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 0);
	put_str(&m, CTRL_ATTR_FAMILY_NAME, PKTPOOL_VDEV_GENL_NAME);
	if (nl_talk(&m, &r, NULL, 0))
		return 0;
	a = get_attr(&r, CTRL_ATTR_FAMILY_ID);
	if (a)
		memcpy(&id, (char *)a + NLA_HDRLEN, sizeof(id));
	return id;
}

/* ---- the fixture: a region, a device on it, fill/rx/tx rings ---------- */

FIXTURE(vdev) {
	int fd;
	__u16 family;
	struct pktpool_region_create c;
	struct pktpool_region_info i;
	unsigned char *mem;
	_Atomic __u32 *rx_prod, *rx_cons, *fill_prod, *fill_flags, *tx_prod;
	struct pktpool_desc *rx, *tx;
	__u32 *fill;
	__u32 mask;
	char ifname[IFNAMSIZ];
	int sink;
};

static int vdev_new(FIXTURE_DATA(vdev) *self, const char *region,
		    const char *ifname, __u32 mtu, __u32 queue_max, __u8 policy,
		    char *why)
{
	struct nlmsg m;

	msg_init(&m, self->family, PKTPOOL_VDEV_CMD_NEW, 0);
	if (region)
		put_str(&m, PKTPOOL_VDEV_A_REGION, region);
	if (ifname)
		put_str(&m, PKTPOOL_VDEV_A_IFNAME, ifname);
	if (mtu)
		put_u32(&m, PKTPOOL_VDEV_A_MTU, mtu);
	if (queue_max != ~0U)
		put_u32(&m, PKTPOOL_VDEV_A_QUEUE_MAX, queue_max);
	if (policy)
		put_u8(&m, PKTPOOL_VDEV_A_POLICY, policy);
	return nl_talk(&m, NULL, why, 256);
}

static int vdev_get(FIXTURE_DATA(vdev) *self, struct nlmsg *r)
{
	struct nlmsg m;

	msg_init(&m, self->family, PKTPOOL_VDEV_CMD_GET, 0);
	put_str(&m, PKTPOOL_VDEV_A_IFNAME, self->ifname);
	return nl_talk(&m, r, NULL, 0);
}

static __u64 vstat(FIXTURE_DATA(vdev) *self, unsigned short type)
{
	struct nlmsg r;

	if (vdev_get(self, &r))
		return ~0ULL;
	return get_u64(&r, type);
}

static int vdev_del(FIXTURE_DATA(vdev) *self, const char *ifname)
{
	struct nlmsg m;

	msg_init(&m, self->family, PKTPOOL_VDEV_CMD_DEL, 0);
	put_str(&m, PKTPOOL_VDEV_A_IFNAME, ifname);
	return nl_talk(&m, NULL, NULL, 0);
}

static int sh(const char *fmt, const char *a)
{
	char cmd[256];

	snprintf(cmd, sizeof(cmd), fmt, a, a);
	return system(cmd);
}

/*
 * The device up, LOCAL with PEER behind it; no IPv6 on it, whose router
 * solicitations and MLD reports would add packets the tests do not send.
 */
static int vdev_up(FIXTURE_DATA(vdev) *self)
{
	if (sh("echo 1 > /proc/sys/net/ipv6/conf/%s/disable_ipv6", self->ifname) ||
	    sh("ip addr add " LOCAL " peer " PEER " dev %s", self->ifname) ||
	    sh("ip link set dev %s up", self->ifname))
		return -1;
	return 0;
}

static int carrier(const char *ifname)
{
	char path[128];
	int c = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/class/net/%s/carrier", ifname);
	f = fopen(path, "r");
	if (!f)
		return -1;
	if (fscanf(f, "%d", &c) != 1)
		c = -1;
	fclose(f);
	return c;
}

static void map_rings(FIXTURE_DATA(vdev) *self)
{
	unsigned char *m = self->mem;

	self->rx_prod = (void *)(m + self->i.rx_offset + PKTPOOL_RING_PRODUCER);
	self->rx_cons = (void *)(m + self->i.rx_offset + PKTPOOL_RING_CONSUMER);
	self->rx = (void *)(m + self->i.rx_offset + PKTPOOL_REGION_RING_HDR);
	self->fill_prod = (void *)(m + self->i.fill_offset + PKTPOOL_RING_PRODUCER);
	self->fill_flags = (void *)(m + self->i.fill_offset + PKTPOOL_RING_FLAGS);
	self->fill = (void *)(m + self->i.fill_offset + PKTPOOL_REGION_RING_HDR);
	self->tx_prod = (void *)(m + self->i.tx_offset + PKTPOOL_RING_PRODUCER);
	self->tx = (void *)(m + self->i.tx_offset + PKTPOOL_REGION_RING_HDR);
	self->mask = self->i.ring_entries - 1;
}

FIXTURE_SETUP(vdev)
{
	char name[PKTPOOL_NAME_MAX];
	struct sockaddr_in at = { .sin_family = AF_INET, .sin_port = htons(PORT) };
	char why[256];

	self->mem = MAP_FAILED;
	self->sink = -1;
	self->ifname[0] = 0;
	self->family = vdev_family();
	if (!self->family)
		SKIP(return, "pktpool_vdev.ko not loaded");
	self->fd = open(PKTPOOL_DEVICE, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->fd);
	snprintf(name, sizeof(name), "vd%d", (int)getpid());
	ASSERT_EQ(0, pp_region_map(self->fd, name, SLOT_SIZE, SLOTS, &self->c,
				   &self->i, &self->mem));
	map_rings(self);
	snprintf(self->ifname, sizeof(self->ifname), "ppt%d", (int)getpid() % 10000);
	ASSERT_EQ(0, vdev_new(self, self->c.name, self->ifname, 0, ~0U, 0, why))
		TH_LOG("%s", why);
	self->sink = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	ASSERT_LE(0, self->sink);
	ASSERT_EQ(0, bind(self->sink, (void *)&at, sizeof(at)));
}

FIXTURE_TEARDOWN(vdev)
{
	struct pktpool_pool_id d = { .size = sizeof(d) };

	if (!self->family)
		return;
	if (self->ifname[0])
		vdev_del(self, self->ifname);
	if (self->sink >= 0)
		close(self->sink);
	if (self->mem != MAP_FAILED)
		munmap(self->mem, self->c.mmap_size);
	d.id = self->c.id;
	ioctl(self->fd, PKTPOOL_IOC_REGION_DESTROY, &d);
	close(self->fd);
}

static void give(FIXTURE_DATA(vdev) *self, __u32 first, __u32 n)
{
	__u32 prod = atomic_load(self->fill_prod);

	for (__u32 k = 0; k < n; k++)
		self->fill[(prod + k) & self->mask] = first + k;
	/* (A) entries before the index: pairs with the kernel's (B). */
	atomic_store_explicit(self->fill_prod, prod + n, memory_order_release);
}

static int kick(FIXTURE_DATA(vdev) *self)
{
	struct pktpool_pool_id k = { .size = sizeof(k), .id = self->c.id };

	return ioctl(self->fd, PKTPOOL_IOC_REGION_KICK, &k) ? -errno : 0;
}

static __u32 rx_count(FIXTURE_DATA(vdev) *self)
{
	return atomic_load_explicit(self->rx_prod, memory_order_acquire) -
	       atomic_load(self->rx_cons);
}

static unsigned char *slot(FIXTURE_DATA(vdev) *self, __u32 s)
{
	return self->mem + self->i.slots_offset + (size_t)s * SLOT_SIZE;
}

/* Send n datagrams of len bytes (seq, then a pattern) to PEER. */
static int send_udp(unsigned int n, unsigned int len)
{
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(PORT) };
	unsigned char buf[1400];
	int s = socket(AF_INET, SOCK_DGRAM, 0), err = 0;

	if (s < 0)
		return -errno;
	inet_pton(AF_INET, PEER, &to.sin_addr);
	for (unsigned int i = 0; i < n && !err; i++) {
		memcpy(buf, &i, sizeof(i));
		for (unsigned int k = 4; k < len; k++)
			buf[k] = (unsigned char)(i * 7 + k);
		if (sendto(s, buf, len, 0, (void *)&to, sizeof(to)) != (ssize_t)len)
			err = -errno;
	}
	close(s);
	return err;
}

static __u16 csum_fold(__u32 sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (__u16)~sum;
}

/* An IPv4/UDP packet PEER:PORT+1 -> LOCAL:PORT into p; its length. */
static unsigned int make_udp(unsigned char *p, __u32 seq, unsigned int len)
{
	unsigned int tot = 20 + 8 + len;
	__u32 sum = 0;

	memset(p, 0, 28);
	p[0] = 0x45;
	p[2] = tot >> 8;
	p[3] = tot & 0xff;
	p[8] = 64;
	p[9] = 17;
	inet_pton(AF_INET, PEER, p + 12);
	inet_pton(AF_INET, LOCAL, p + 16);
	for (int k = 0; k < 20; k += 2)
		sum += (p[k] << 8) | p[k + 1];
	sum = csum_fold(sum);
	p[10] = sum >> 8;
	p[11] = sum & 0xff;
	p[20] = (PORT + 1) >> 8;
	p[21] = (PORT + 1) & 0xff;
	p[22] = PORT >> 8;
	p[23] = PORT & 0xff;
	p[24] = (8 + len) >> 8;
	p[25] = (8 + len) & 0xff;
	/* UDP checksum 0: none, allowed over IPv4. */
	memcpy(p + 28, &seq, sizeof(seq));
	for (unsigned int k = 4; k < len; k++)
		p[28 + k] = (unsigned char)(seq + k);
	return tot;
}

static int tx_put(FIXTURE_DATA(vdev) *self, const struct pktpool_desc *d)
{
	__u32 prod = atomic_load(self->tx_prod);

	self->tx[prod & self->mask] = *d;
	atomic_store_explicit(self->tx_prod, prod + 1, memory_order_release);
	return 0;
}

TEST_F(vdev, carrier_is_up_while_the_creator_has_the_region_for_writing)
{
	ASSERT_EQ(0, vdev_up(self));
	EXPECT_EQ(1, carrier(self->ifname));
	EXPECT_EQ(1ULL, vstat(self, PKTPOOL_VDEV_A_CARRIER));
	EXPECT_EQ((__u64)PKTPOOL_VDEV_MTU_DEFAULT, vstat(self, PKTPOOL_VDEV_A_MTU));
}

TEST_F(vdev, datagrams_sent_through_the_device_arrive_byte_for_byte_in_order)
{
	__u32 prod;

	ASSERT_EQ(0, vdev_up(self));
	give(self, 0, SLOTS);
	ASSERT_EQ(0, send_udp(10, 300));
	prod = rx_count(self);
	ASSERT_EQ(10U, prod);
	for (__u32 i = 0; i < prod; i++) {
		struct pktpool_desc *d = &self->rx[i & self->mask];
		unsigned char *p;
		__u32 seq;

		ASSERT_GT((__u32)SLOTS, d->slot);
		p = slot(self, d->slot);
		EXPECT_EQ(20U + 8 + 300, d->len);
		EXPECT_EQ(NFPROTO_IPV4, d->family);
		EXPECT_EQ(if_nametoindex(self->ifname), d->ifindex);
		EXPECT_EQ(0x45, p[0]);
		EXPECT_EQ(17, p[9]);
		memcpy(&seq, p + 28, sizeof(seq));
		EXPECT_EQ(i, seq);
		for (unsigned int k = 4; k < 300; k++)
			if (p[28 + k] != (unsigned char)(i * 7 + k)) {
				EXPECT_EQ((unsigned char)(i * 7 + k), p[28 + k]);
				break;
			}
	}
	EXPECT_EQ(10ULL, vstat(self, PKTPOOL_VDEV_A_TX_PACKETS));
	EXPECT_EQ(0ULL, vstat(self, PKTPOOL_VDEV_A_STAGED_TOTAL));
}

TEST_F(vdev, packets_on_the_tx_ring_arrive_at_a_local_socket)
{
	unsigned char buf[2048];
	__u32 got = 0;

	ASSERT_EQ(0, vdev_up(self));
	/* Slots never given to the kernel are ours to send from. */
	for (__u32 i = 0; i < 5; i++) {
		struct pktpool_desc d = { .slot = i };

		d.len = make_udp(slot(self, i), i, 200);
		tx_put(self, &d);
	}
	ASSERT_EQ(0, kick(self));
	for (__u32 i = 0; i < 5; i++) {
		ssize_t n = recv(self->sink, buf, sizeof(buf), 0);
		__u32 seq;

		if (n != 200)
			break;
		memcpy(&seq, buf, sizeof(seq));
		EXPECT_EQ(i, seq);
		EXPECT_EQ((unsigned char)(i + 150), buf[150]);
		got++;
	}
	EXPECT_EQ(5U, got);
	/* The slots come back, each once: the daemon keeps what it sends. */
	ASSERT_EQ(5U, rx_count(self));
	for (__u32 i = 0; i < 5; i++) {
		EXPECT_EQ(i, self->rx[i & self->mask].slot);
		EXPECT_EQ(0U, self->rx[i & self->mask].len);
		EXPECT_NE(0U, self->rx[i & self->mask].flags & PKTPOOL_DESC_F_RETURNED);
	}
	EXPECT_EQ(5ULL, vstat(self, PKTPOOL_VDEV_A_RX_PACKETS));
	EXPECT_EQ(5ULL * 228, vstat(self, PKTPOOL_VDEV_A_RX_BYTES));
}

TEST_F(vdev, garbage_on_the_tx_ring_is_counted_and_ignored)
{
	struct pktpool_desc bad[] = {
		{ .slot = 0, .len = 0 },		/* empty */
		{ .slot = 1, .len = SLOT_SIZE + 1 },	/* beyond the slot */
		{ .slot = 2, .len = 100 },		/* IP version 5 */
		{ .slot = 3, .len = 1421 },		/* over the MTU */
		{ .slot = 6, .len = 40 },		/* claims 100 bytes */
		{ .slot = SLOTS + 7, .len = 100 },	/* no such slot */
	};
	struct pktpool_desc good = { .slot = 5 };
	unsigned char buf[64];

	ASSERT_EQ(0, vdev_up(self));
	make_udp(slot(self, 2), 0, 72);
	slot(self, 2)[0] = 0x55;
	make_udp(slot(self, 6), 0, 72);
	for (unsigned int k = 0; k < sizeof(bad) / sizeof(bad[0]); k++)
		tx_put(self, &bad[k]);
	ASSERT_EQ(0, kick(self));
	EXPECT_EQ(5ULL, vstat(self, PKTPOOL_VDEV_A_RX_INVALID));
	EXPECT_EQ(0ULL, vstat(self, PKTPOOL_VDEV_A_RX_PACKETS));
	EXPECT_EQ(-1, recv(self->sink, buf, sizeof(buf), 0));
	memset(&self->i, 0, sizeof(self->i));
	self->i.size = sizeof(self->i);
	self->i.id = self->c.id;
	ASSERT_EQ(0, ioctl(self->fd, PKTPOOL_IOC_REGION_INFO, &self->i));
	EXPECT_EQ(1ULL, self->i.ring_invalid);
	/* The device still works. */
	good.len = make_udp(slot(self, 5), 9, 40);
	tx_put(self, &good);
	ASSERT_EQ(0, kick(self));
	EXPECT_EQ(40, recv(self->sink, buf, sizeof(buf), 0));
}

TEST_F(vdev, without_slots_packets_wait_in_order_then_go_after_fill_and_kick)
{
	__u32 seq;

	ASSERT_EQ(0, vdev_up(self));
	ASSERT_EQ(0, send_udp(6, 100));
	EXPECT_EQ(0U, rx_count(self));
	EXPECT_EQ(6ULL, vstat(self, PKTPOOL_VDEV_A_STAGED));
	/* The kernel asks for a kick after the fill. */
	EXPECT_NE(0U, atomic_load(self->fill_flags) & PKTPOOL_RING_F_NEED_WAKEUP);
	give(self, 0, 4);
	ASSERT_EQ(0, kick(self));
	ASSERT_EQ(4U, rx_count(self));
	EXPECT_EQ(2ULL, vstat(self, PKTPOOL_VDEV_A_STAGED));
	give(self, 4, SLOTS - 4);
	ASSERT_EQ(0, kick(self));
	ASSERT_EQ(6U, rx_count(self));
	for (__u32 i = 0; i < 6; i++) {
		memcpy(&seq, slot(self, self->rx[i & self->mask].slot) + 28,
		       sizeof(seq));
		EXPECT_EQ(i, seq);
	}
	EXPECT_EQ(0ULL, vstat(self, PKTPOOL_VDEV_A_STAGED));
	EXPECT_EQ(0U, atomic_load(self->fill_flags) & PKTPOOL_RING_F_NEED_WAKEUP);
	EXPECT_EQ(6ULL, vstat(self, PKTPOOL_VDEV_A_STAGED_TOTAL));
	/* Nothing waits now: the next one goes straight to rx. */
	ASSERT_EQ(0, send_udp(1, 100));
	EXPECT_EQ(7U, rx_count(self));
}

static void full_stage(struct __test_metadata *_metadata,
		       FIXTURE_DATA(vdev) *self, __u8 policy,
		       __u32 *first_seq, __u64 *dropped)
{
	char why[256];
	__u32 seq;

	vdev_del(self, self->ifname);
	ASSERT_EQ(0, vdev_new(self, self->c.name, self->ifname, 0, 4, policy,
			      why)) TH_LOG("%s", why);
	ASSERT_EQ(0, vdev_up(self));
	ASSERT_EQ(0, send_udp(10, 64));
	EXPECT_EQ(4ULL, vstat(self, PKTPOOL_VDEV_A_STAGED));
	*dropped = vstat(self, PKTPOOL_VDEV_A_DROPPED_STAGE_FULL);
	give(self, 0, SLOTS);
	ASSERT_EQ(0, kick(self));
	ASSERT_EQ(4U, rx_count(self));
	memcpy(&seq, slot(self, self->rx[atomic_load(self->rx_cons) & self->mask].slot) + 28,
	       sizeof(seq));
	*first_seq = seq;
}

TEST_F(vdev, a_full_stage_drops_new_packets_by_default)
{
	__u64 dropped = 0;
	__u32 first = ~0U;

	full_stage(_metadata, self, PKTPOOL_VDEV_POLICY_TAIL, &first, &dropped);
	EXPECT_EQ(6ULL, dropped);
	EXPECT_EQ(0U, first);		/* the first four stayed */
}

TEST_F(vdev, a_full_stage_drops_the_oldest_with_policy_head)
{
	__u64 dropped = 0;
	__u32 first = ~0U;

	full_stage(_metadata, self, PKTPOOL_VDEV_POLICY_HEAD, &first, &dropped);
	EXPECT_EQ(6ULL, dropped);
	EXPECT_EQ(6U, first);		/* the last four stayed */
}

TEST_F(vdev, carrier_drops_when_the_last_writer_detaches_and_the_stage_with_it)
{
	struct pktpool_region_info a = { .size = sizeof(a) };
	struct pktpool_pool_id d = { .size = sizeof(d) };

	ASSERT_EQ(0, vdev_up(self));
	ASSERT_EQ(0, send_udp(3, 64));
	EXPECT_EQ(3ULL, vstat(self, PKTPOOL_VDEV_A_STAGED));
	munmap(self->mem, self->c.mmap_size);
	self->mem = MAP_FAILED;
	d.id = self->c.id;
	ASSERT_EQ(0, ioctl(self->fd, PKTPOOL_IOC_REGION_DETACH, &d));
	EXPECT_EQ(0, carrier(self->ifname));
	EXPECT_EQ(0ULL, vstat(self, PKTPOOL_VDEV_A_CARRIER));
	EXPECT_EQ(0ULL, vstat(self, PKTPOOL_VDEV_A_STAGED));
	EXPECT_EQ(3ULL, vstat(self, PKTPOOL_VDEV_A_DROPPED_NO_DAEMON));
	/* A reader is not a daemon. */
	a.id = self->c.id;
	a.access = PKTPOOL_ACCESS_READ;
	ASSERT_EQ(0, ioctl(self->fd, PKTPOOL_IOC_REGION_ATTACH, &a))
		TH_LOG("attach: %s", strerror(errno));
	EXPECT_EQ(0, carrier(self->ifname));
	ASSERT_EQ(0, ioctl(self->fd, PKTPOOL_IOC_REGION_DETACH, &d));
	/* The next daemon brings it back (the answer named the region). */
	memset(&a, 0, sizeof(a));
	a.size = sizeof(a);
	a.id = self->c.id;
	ASSERT_EQ(0, ioctl(self->fd, PKTPOOL_IOC_REGION_ATTACH, &a))
		TH_LOG("attach: %s", strerror(errno));
	EXPECT_EQ(1, carrier(self->ifname));
}

TEST_F(vdev, a_dead_daemon_leaves_the_next_one_every_slot)
{
	struct pktpool_pool_id d = { .size = sizeof(d), .id = self->c.id };
	pid_t pid;
	int st;

	ASSERT_EQ(0, vdev_up(self));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		/* The daemon: attach, give the kernel slots, die holding them. */
		struct pktpool_region_info a = { .size = sizeof(a) };
		int fd = open(PKTPOOL_DEVICE, O_RDWR | O_CLOEXEC);

		a.id = self->c.id;
		if (fd < 0 || ioctl(fd, PKTPOOL_IOC_REGION_ATTACH, &a))
			_exit(1);
		give(self, 0, SLOTS);
		if (send_udp(3, 64))
			_exit(2);
		_exit(rx_count(self) == 3 ? 0 : 3);
	}
	ASSERT_EQ(pid, waitpid(pid, &st, 0));
	ASSERT_EQ(0, WEXITSTATUS(st));
	/* The parent is still a writer: close it too, as a crash would. */
	ASSERT_EQ(0, ioctl(self->fd, PKTPOOL_IOC_REGION_DETACH, &d));
	EXPECT_EQ(0, carrier(self->ifname));
	memset(&self->i, 0, sizeof(self->i));
	self->i.size = sizeof(self->i);
	self->i.id = self->c.id;
	ASSERT_EQ(0, ioctl(self->fd, PKTPOOL_IOC_REGION_INFO, &self->i));
	EXPECT_EQ(0ULL, self->i.kernel_slots);
	EXPECT_EQ(0ULL, self->i.inflight_slots);
	EXPECT_EQ((__u64)SLOTS, self->i.user_slots);
	EXPECT_EQ(0U, rx_count(self));
}

TEST_F(vdev, new_refuses_bad_requests_with_a_reason)
{
	char why[256];

	EXPECT_EQ(-EINVAL, vdev_new(self, NULL, "ppbad0", 0, ~0U, 0, why));
	EXPECT_EQ(-ENOENT, vdev_new(self, "no-such-region", "ppbad0", 0, ~0U, 0, why));
	EXPECT_NE(NULL, strstr(why, "region")) TH_LOG("%s", why);
	/* One device per region. */
	EXPECT_EQ(-EBUSY, vdev_new(self, self->c.name, "ppbad0", 0, ~0U, 0, why));
	EXPECT_NE(NULL, strstr(why, "another device")) TH_LOG("%s", why);
	EXPECT_NE(0, vdev_new(self, self->c.name, "ppbad0", 67, ~0U, 0, why));
	EXPECT_NE(0, vdev_new(self, self->c.name, "ppbad0", 0, 0, 0, why));
	EXPECT_NE(0, vdev_new(self, self->c.name, "ppbad0", 0, 65537, 0, why));
	EXPECT_NE(0, vdev_new(self, self->c.name, "ppbad0", 0, ~0U, 3, why));
	EXPECT_EQ(0U, if_nametoindex("ppbad0"));
	/* An MTU beyond the slot is refused once the region is known. */
	vdev_del(self, self->ifname);
	EXPECT_EQ(-EINVAL, vdev_new(self, self->c.name, "ppbad0", SLOT_SIZE + 1,
				    ~0U, 0, why));
	EXPECT_NE(NULL, strstr(why, "mtu")) TH_LOG("%s", why);
	EXPECT_EQ(0U, if_nametoindex("ppbad0"));
	/* Nothing was left bound: a good request works. */
	EXPECT_EQ(0, vdev_new(self, self->c.name, self->ifname, SLOT_SIZE, ~0U,
			      0, why)) TH_LOG("%s", why);
}

TEST_F(vdev, ip_link_add_cannot_make_one_without_a_region)
{
	EXPECT_NE(0, system("ip link add ppip0 type pktpool 2>/dev/null"));
	EXPECT_EQ(0U, if_nametoindex("ppip0"));
}

TEST_F(vdev, ip_link_del_removes_it_and_the_region_can_go)
{
	struct pktpool_pool_id d = { .size = sizeof(d), .id = self->c.id };

	ASSERT_EQ(0, sh("ip link del dev %s", self->ifname));
	EXPECT_EQ(0U, if_nametoindex(self->ifname));
	munmap(self->mem, self->c.mmap_size);
	self->mem = MAP_FAILED;
	EXPECT_EQ(0, ioctl(self->fd, PKTPOOL_IOC_REGION_DESTROY, &d));
	self->ifname[0] = 0;
}

TEST_F(vdev, an_unprivileged_user_cannot_make_or_remove_one)
{
	pid_t pid = fork();
	int st;

	ASSERT_LE(0, pid);
	if (!pid) {
		char why[256];

		if (setgid(65534) || setuid(65534))
			_exit(9);
		if (vdev_new(self, self->c.name, "ppnobody", 0, ~0U, 0, why) != -EPERM)
			_exit(1);
		if (vdev_del(self, self->ifname) != -EPERM)
			_exit(2);
		/* Reading is open to everyone. */
		_exit(vstat(self, PKTPOOL_VDEV_A_MTU) == PKTPOOL_VDEV_MTU_DEFAULT ? 0 : 3);
	}
	ASSERT_EQ(pid, waitpid(pid, &st, 0));
	EXPECT_EQ(0, WEXITSTATUS(st));
	EXPECT_NE(0U, if_nametoindex(self->ifname));
}

#define TRACING	"/sys/kernel/tracing"

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

TEST_F(vdev, tracepoints_show_packets_both_ways_and_drops)
{
	char want[3][96], buf[65536];
	struct pktpool_desc d = { .slot = 3 };
	int ifindex, fd;
	ssize_t n;

	if (access(TRACING "/events/pktpool_vdev/enable", W_OK))
		SKIP(return, "no tracefs at " TRACING);
	ASSERT_EQ(0, vdev_up(self));
	ifindex = (int)if_nametoindex(self->ifname);
	ASSERT_EQ(0, write_file(TRACING "/trace", ""));
	ASSERT_EQ(0, write_file(TRACING "/events/pktpool_vdev/enable", "1"));
	give(self, 0, 1);
	ASSERT_EQ(0, send_udp(1, 100));		/* goes on rx */
	d.len = make_udp(slot(self, 3), 1, 50);
	tx_put(self, &d);			/* enters the stack */
	d.slot = 4;
	d.len = 1;
	tx_put(self, &d);			/* refused */
	ASSERT_EQ(0, kick(self));
	ASSERT_EQ(0, write_file(TRACING "/events/pktpool_vdev/enable", "0"));
	fd = open(TRACING "/trace", O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, fd);
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	ASSERT_LT(0, n);
	buf[n] = '\0';
	snprintf(want[0], sizeof(want[0]), "pktpool_vdev_xmit: ifindex=%d len=128",
		 ifindex);
	snprintf(want[1], sizeof(want[1]),
		 "pktpool_vdev_rx: ifindex=%d slot=3 len=78", ifindex);
	snprintf(want[2], sizeof(want[2]),
		 "pktpool_vdev_drop: ifindex=%d len=1 why=invalid", ifindex);
	for (int k = 0; k < 3; k++) {
		EXPECT_NE(NULL, strstr(buf, want[k]))
			TH_LOG("%s in %s", want[k], buf);
	}
}

TEST_HARNESS_MAIN
