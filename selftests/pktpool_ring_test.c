// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel side of a region's rings: a region-backed pool (driven by the
 * test module's RING scenario) takes slots from the fill ring and hands
 * packets back on the rx ring, and every index userspace writes is checked.
 * Runs as root in the VM with pktpool.ko and pktpool_test.ko loaded.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stddef.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <linux/pktpool.h>

/* The harness and TEST() bodies have parameters plain tests never use. */
#pragma GCC diagnostic ignored "-Wunused-parameter"
#include "kselftest_harness.h"
#include "pktpool_util.h"
#include "pktpool_test.h"

#define SLOTS	64

FIXTURE(ring) {
	int fd, tfd;
	struct pktpool_region_create c;
	struct pktpool_region_info i;
	unsigned char *mem;
	_Atomic __u32 *rx_prod, *rx_cons, *fill_prod, *fill_cons;
	struct pktpool_desc *rx;
	__u32 *fill;
	__u32 mask;
};

FIXTURE_SETUP(ring)
{
	char name[PKTPOOL_NAME_MAX];

	self->mem = MAP_FAILED;
	self->tfd = open(PKTPOOL_TEST_DEVICE, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->tfd);
	self->fd = open(PKTPOOL_DEVICE, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->fd);
	snprintf(name, sizeof(name), "ring%d", (int)getpid());
	ASSERT_EQ(0, pp_region_map(self->fd, name, 2048, SLOTS, &self->c,
				   &self->i, &self->mem));
	self->rx_prod = (void *)(self->mem + self->i.rx_offset + PKTPOOL_RING_PRODUCER);
	self->rx_cons = (void *)(self->mem + self->i.rx_offset + PKTPOOL_RING_CONSUMER);
	self->rx = (void *)(self->mem + self->i.rx_offset + PKTPOOL_REGION_RING_HDR);
	self->fill_prod = (void *)(self->mem + self->i.fill_offset + PKTPOOL_RING_PRODUCER);
	self->fill_cons = (void *)(self->mem + self->i.fill_offset + PKTPOOL_RING_CONSUMER);
	self->fill = (void *)(self->mem + self->i.fill_offset + PKTPOOL_REGION_RING_HDR);
	self->mask = self->i.ring_entries - 1;
}

FIXTURE_TEARDOWN(ring)
{
	struct pktpool_pool_id d = { .size = sizeof(d), .id = self->c.id };

	if (self->mem != MAP_FAILED)
		munmap(self->mem, self->c.mmap_size);
	ioctl(self->fd, PKTPOOL_IOC_REGION_DESTROY, &d);
	close(self->fd);
	close(self->tfd);
}

/* Put slots first..first+n-1 on the fill ring (release: pairs with B). */
static void give(FIXTURE_DATA(ring) *self, __u32 first, __u32 n)
{
	__u32 prod = atomic_load_explicit(self->fill_prod, memory_order_relaxed);

	for (__u32 k = 0; k < n; k++)
		self->fill[(prod + k) & self->mask] = first + k;
	atomic_store_explicit(self->fill_prod, prod + n, memory_order_release);
}

static int run_ring(FIXTURE_DATA(ring) *self, __u32 count,
		    struct pktpool_test_run *run)
{
	memset(run, 0, sizeof(*run));
	run->test = PKTPOOL_TEST_RING;
	run->arg = count;
	memcpy(run->pool, self->c.name, sizeof(run->pool));
	return ioctl(self->tfd, PKTPOOL_TEST_IOC_RUN, run) ? -errno : 0;
}

static int info(FIXTURE_DATA(ring) *self)
{
	memset(&self->i, 0, sizeof(self->i));
	self->i.size = sizeof(self->i);
	self->i.id = self->c.id;
	return ioctl(self->fd, PKTPOOL_IOC_REGION_INFO, &self->i) ? -errno : 0;
}

TEST_F(ring, layout_puts_rx_fill_tx_in_the_ring_part)
{
	__u64 desc_bytes = 128 + (__u64)self->i.ring_entries * sizeof(struct pktpool_desc);

	EXPECT_EQ(64U, self->i.ring_entries);
	EXPECT_EQ(self->i.ring_offset, self->i.rx_offset);
	EXPECT_EQ(self->i.rx_offset + ((desc_bytes + 4095) & ~4095ULL),
		  self->i.fill_offset);
	EXPECT_EQ(self->i.ring_offset + self->i.ring_size,
		  self->i.tx_offset + ((desc_bytes + 4095) & ~4095ULL));
	EXPECT_EQ(48U, sizeof(struct pktpool_desc));
	EXPECT_EQ((__u64)SLOTS, self->i.user_slots);
}

TEST_F(ring, packets_arrive_on_rx_in_the_slots_given)
{
	struct pktpool_test_run run;
	__u32 prod, k, n = 0, returned = 0;
	__u8 seen[SLOTS] = { 0 };

	give(self, 8, 32);		/* slots 8..39 */
	ASSERT_EQ(0, run_ring(self, 16, &run));
	EXPECT_EQ(0, run.result) TH_LOG("%s", run.msg);
	EXPECT_EQ(16U, run.out[0]);
	EXPECT_EQ(0U, run.out[1]);
	/* (B) pairs with the kernel's release of the producer. */
	prod = atomic_load_explicit(self->rx_prod, memory_order_acquire);
	ASSERT_EQ(32U, prod);		/* 16 packets, then 16 slots returned */
	for (k = 0; k < prod; k++) {
		struct pktpool_desc *d = &self->rx[k & self->mask];

		ASSERT_LE(8U, d->slot);
		ASSERT_GT(40U, d->slot);
		EXPECT_EQ(0, seen[d->slot]++) TH_LOG("slot %u twice", d->slot);
		if (d->flags & PKTPOOL_DESC_F_RETURNED) {
			EXPECT_EQ(0U, d->len);
			returned++;
			continue;
		}
		EXPECT_EQ(n, d->id);
		EXPECT_EQ(PKTPOOL_TEST_RING_LEN(n), d->len);
		EXPECT_NE(0ULL, d->tstamp);
		for (__u32 b = 0; b < d->len; b++) {
			unsigned char *p = self->mem + self->i.slots_offset +
					   (size_t)d->slot * 2048;

			if (p[b] != PKTPOOL_TEST_RING_BYTE(n, b)) {
				EXPECT_EQ(PKTPOOL_TEST_RING_BYTE(n, b), p[b]);
				break;
			}
		}
		n++;
	}
	EXPECT_EQ(16U, n);
	EXPECT_EQ(16U, returned);
	ASSERT_EQ(0, info(self));
	EXPECT_EQ(0ULL, self->i.kernel_slots);
	EXPECT_EQ(32ULL, self->i.inflight_slots);
	EXPECT_EQ(0ULL, self->i.ring_invalid);
	/* (C) consumed: the slots are the user's again. */
	atomic_store_explicit(self->rx_cons, prod, memory_order_release);
	ASSERT_EQ(0, info(self));
	EXPECT_EQ(0ULL, self->i.inflight_slots);
	EXPECT_EQ((__u64)SLOTS, self->i.user_slots);
}

TEST_F(ring, without_fill_entries_allocation_fails_and_is_counted)
{
	struct pktpool_test_run run;

	ASSERT_EQ(0, run_ring(self, 4, &run));
	EXPECT_EQ(0U, run.out[0]);
	EXPECT_EQ(1U, run.out[1]);
	EXPECT_EQ(0U, atomic_load(self->rx_prod));
}

TEST_F(ring, bad_slot_indices_on_fill_are_counted_and_skipped)
{
	struct pktpool_test_run run;
	__u32 prod = atomic_load(self->fill_prod);

	self->fill[prod & self->mask] = SLOTS;		/* out of range */
	self->fill[(prod + 1) & self->mask] = 0xffffffffu;
	self->fill[(prod + 2) & self->mask] = 5;
	self->fill[(prod + 3) & self->mask] = 5;	/* given twice */
	atomic_store_explicit(self->fill_prod, prod + 4, memory_order_release);
	ASSERT_EQ(0, run_ring(self, 8, &run));
	EXPECT_EQ(1U, run.out[0]);			/* only slot 5 */
	EXPECT_EQ(5U, self->rx[0].slot);
	ASSERT_EQ(0, info(self));
	EXPECT_EQ(3ULL, self->i.ring_invalid);
}

TEST_F(ring, fill_producer_a_ring_ahead_is_refused)
{
	struct pktpool_test_run run;

	atomic_store(self->fill_prod, 1000000);
	ASSERT_EQ(0, run_ring(self, 2, &run));
	EXPECT_EQ(0U, run.out[0]);
	ASSERT_EQ(0, info(self));
	EXPECT_EQ(1ULL, self->i.ring_invalid);
	EXPECT_EQ((__u64)SLOTS, self->i.user_slots);
}

TEST_F(ring, rx_consumer_beyond_the_producer_is_ignored)
{
	struct pktpool_test_run run;

	give(self, 0, 4);
	ASSERT_EQ(0, run_ring(self, 2, &run));
	ASSERT_EQ(2U, run.out[0]);
	atomic_store(self->rx_cons, 12345);	/* more than was produced */
	ASSERT_EQ(0, info(self));
	EXPECT_EQ(1ULL, self->i.ring_invalid);
	EXPECT_EQ(4ULL, self->i.inflight_slots);	/* 2 packets, 2 returned */
	/* A sane consumer afterwards is taken again. */
	atomic_store(self->rx_cons, 4);
	ASSERT_EQ(0, info(self));
	EXPECT_EQ(0ULL, self->i.inflight_slots);
}

TEST_F(ring, a_slot_on_rx_cannot_be_given_again_until_consumed)
{
	struct pktpool_test_run run;

	give(self, 3, 1);
	ASSERT_EQ(0, run_ring(self, 1, &run));
	ASSERT_EQ(1U, run.out[0]);
	give(self, 3, 1);		/* still on rx, not consumed */
	ASSERT_EQ(0, run_ring(self, 1, &run));
	EXPECT_EQ(0U, run.out[0]);
	ASSERT_EQ(0, info(self));
	EXPECT_EQ(1ULL, self->i.ring_invalid);
	atomic_store(self->rx_cons, 1);
	give(self, 3, 1);
	ASSERT_EQ(0, run_ring(self, 1, &run));
	EXPECT_EQ(1U, run.out[0]);
}

TEST_F(ring, poll_says_readable_when_rx_has_entries)
{
	struct pollfd p = { .fd = self->fd, .events = POLLIN };
	struct pktpool_test_run run;

	EXPECT_EQ(0, poll(&p, 1, 0));
	give(self, 0, 2);
	ASSERT_EQ(0, run_ring(self, 2, &run));
	EXPECT_EQ(1, poll(&p, 1, 0));
	EXPECT_TRUE(p.revents & POLLIN);
	atomic_store(self->rx_cons, atomic_load(self->rx_prod));
	EXPECT_EQ(0, poll(&p, 1, 0));
}

TEST_F(ring, kick_takes_the_fill_ring_for_an_attached_writer)
{
	struct pktpool_pool_id d = { .size = sizeof(d), .id = self->c.id };

	/* No kernel user yet: nothing to do, but allowed. */
	EXPECT_EQ(0, ioctl(self->fd, PKTPOOL_IOC_REGION_KICK, &d));
	d.id = 0;
	EXPECT_EQ(-1, ioctl(self->fd, PKTPOOL_IOC_REGION_KICK, &d));
	EXPECT_EQ(EINVAL, errno);
	d.id = 4095;
	EXPECT_EQ(-1, ioctl(self->fd, PKTPOOL_IOC_REGION_KICK, &d));
	EXPECT_EQ(ENOENT, errno);
}

TEST_F(ring, region_info_of_the_first_abi_size_still_works)
{
	struct pktpool_region_info big;
	unsigned char buf[sizeof(big)];
	struct pktpool_region_info *v1 = (void *)buf;
	size_t v1size = offsetof(struct pktpool_region_info, ring_entries);

	memset(buf, 0xee, sizeof(buf));
	memset(buf, 0, v1size);
	v1->size = v1size;
	v1->id = self->c.id;
	ASSERT_EQ(0, ioctl(self->fd, PKTPOOL_IOC_REGION_INFO, v1));
	EXPECT_EQ(self->c.mmap_size, v1->mmap_size);
	EXPECT_EQ(0xee, buf[v1size]);	/* nothing written past its size */
}

TEST_F(ring, pool_on_a_missing_region_is_refused)
{
	struct pktpool_test_run run;

	memset(&run, 0, sizeof(run));
	run.test = PKTPOOL_TEST_RING;
	run.arg = 1;
	strcpy(run.pool, "no-such-region");
	ASSERT_EQ(0, ioctl(self->tfd, PKTPOOL_TEST_IOC_RUN, &run));
	EXPECT_EQ(-ENOENT, run.result);
}

TEST_HARNESS_MAIN
