/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * pktpool_test.ko: a test-only module that drives pktpool's in-kernel API
 * on behalf of the selftests and the demo, through /dev/pktpool_test.
 * Never loaded in production.
 */
#ifndef _PKTPOOL_TEST_H
#define _PKTPOOL_TEST_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define PKTPOOL_TEST_DEVICE	"/dev/pktpool_test"

/* Where an allocation or free runs. */
#define PKTPOOL_TEST_CTX_PROCESS	0	/* the ioctl caller's context */
#define PKTPOOL_TEST_CTX_SOFTIRQ	1	/* a timer callback */
/*
 * An interrupt handler (request_irq()): hard irq context, or the handler's
 * irq thread on PREEMPT_RT, where every such handler is threaded.
 */
#define PKTPOOL_TEST_CTX_IRQ		2

/* Bits of pktpool_test_hold.flags. */
#define PKTPOOL_TEST_F_ATOMIC	(1U << 0)	/* GFP_ATOMIC, else GFP_KERNEL */
#define PKTPOOL_TEST_F_BULK	(1U << 1)	/* alloc_bulk / free_bulk */
#define PKTPOOL_TEST_F_ZERO	(1U << 2)	/* zalloc, check every byte */

/*
 * PKTPOOL_TEST_IOC_HOLD: allocate count objects from the pool and keep
 * them; done says how many succeeded (the call itself succeeds).
 * PKTPOOL_TEST_IOC_RELEASE: free count held objects (0 = all of them) in
 * the given context; done says how many were freed.
 * Objects still held when the module is removed are freed then.
 */
/*
 * HOLD takes at most PKTPOOL_TEST_HOLD_MAX objects per call, and at most
 * PKTPOOL_TEST_IRQ_MAX in softirq or irq context (-EINVAL beyond).
 * Objects allocated without PKTPOOL_TEST_F_ZERO are filled with
 * PKTPOOL_TEST_POISON so that a later zalloc of the same memory has
 * something to clear. With PKTPOOL_TEST_F_ZERO, a non-zero byte makes the
 * call fail with -EIO (the objects stay held, done counts them).
 * PKTPOOL_TEST_F_ZERO cannot be combined with PKTPOOL_TEST_F_BULK.
 * In softirq and irq context GFP_ATOMIC is used whatever the flags say. A
 * callback that finds itself in another context than asked (say, an irq
 * handler not in hard irq context without PREEMPT_RT, or in it with
 * PREEMPT_RT) fails the call (-EPROTO).
 */
#define PKTPOOL_TEST_HOLD_MAX	1048576
#define PKTPOOL_TEST_IRQ_MAX	65536
#define PKTPOOL_TEST_POISON	0x5a

struct pktpool_test_hold {
	char pool[32];
	__u32 count;
	__u32 ctx;		/* PKTPOOL_TEST_CTX_* */
	__u32 flags;		/* PKTPOOL_TEST_F_* */
	__u32 done;		/* out */
};

/*
 * Scenarios run inside the kernel by PKTPOOL_TEST_IOC_RUN:
 * BOTH_CPUS: arg alloc/free rounds on every online CPU at once, then check
 *	that the accounting balances.
 * BAD_FREE: on a debug pool, a foreign pointer and a double free are caught.
 * LIFECYCLE: the API's create/get/put/destroy rules.
 * CROSS_CPU: arg objects allocated on one CPU and freed on the other.
 * BULK_NULL: pktpool_free_bulk() with NULL entries among the objects
 *	frees the objects and ignores the NULLs, as pktpool_free() does.
 * NODE_COUNT: of the objects held from pool, how many are on NUMA node arg.
 * DRAIN_NODE: take every page node arg gives without reclaim, so that
 *	allocations preferring it fall back to other nodes; kept until
 *	UNDRAIN_NODE or rmmod (-EBUSY while a node is drained).
 * UNDRAIN_NODE: give those pages back.
 * RING: a pool backed by the region named in pool: allocate up to arg
 *	slots, write packet i (PKTPOOL_TEST_RING_LEN(i) bytes of
 *	PKTPOOL_TEST_RING_BYTE(i, k)) into each and submit it on the rx ring
 *	with id i; then destroy the pool. out[]: submitted, allocations that
 *	failed (no slot on the fill ring), submits refused, pool create error.
 * LIMIT_RACE: a pool with limit arg (0: 64) of its own; on every online
 *	CPU a kthread allocating more than its share and freeing it again,
 *	and a timer (softirq) doing the same in small bites, all at once,
 *	each counting what it holds. The count never exceeds the limit; then,
 *	with everything freed, one task allocates until the first failure and
 *	gets exactly the limit. out[]: objects of that last step, times the
 *	held count exceeded the limit, objects the softirq side got, in_use
 *	after the race.
 * CREDIT_STEAL: limit 64; CPU a allocates 40, CPU b frees 10 of them (b
 *	now holds their credit), CPU a allocates until the first failure and
 *	must get the remaining 34. out[]: that number, in_use, fail_limit,
 *	the first 40. Needs two online CPUs (result -EOPNOTSUPP otherwise).
 */
#define PKTPOOL_TEST_BOTH_CPUS	1
#define PKTPOOL_TEST_BAD_FREE	2
#define PKTPOOL_TEST_LIFECYCLE	3
#define PKTPOOL_TEST_CROSS_CPU	4
#define PKTPOOL_TEST_BULK_NULL	5
#define PKTPOOL_TEST_NODE_COUNT	6
#define PKTPOOL_TEST_DRAIN_NODE	7
#define PKTPOOL_TEST_UNDRAIN_NODE 8
#define PKTPOOL_TEST_RING	9
#define PKTPOOL_TEST_LIMIT_RACE	10
#define PKTPOOL_TEST_CREDIT_STEAL 11

#define PKTPOOL_TEST_RING_LEN(i)	(64 + (i) % 200)
#define PKTPOOL_TEST_RING_BYTE(i, k)	((unsigned char)((i) * 7 + (k)))

/*
 * RUN fails with -EINVAL for an unknown test or an unterminated pool name;
 * otherwise it returns 0 and the outcome is in result (0 passed) and msg.
 * BOTH_CPUS and CROSS_CPU need pool to name an existing pool (result
 * -ENOENT otherwise), arg 0 meaning 1000 rounds / 1024 objects; BAD_FREE
 * and LIFECYCLE create their own pool, named pool when it is not empty.
 * out[] of BOTH_CPUS: expected allocs, allocs delta, frees delta, CPUs.
 * out[] of CROSS_CPU: objects, allocs delta, frees delta, in_use after.
 * out[] of BAD_FREE: bad_frees, in_use, allocs, frees.
 * out[] of LIFECYCLE: the number of steps that passed.
 * out[] of BULK_NULL: objects, in_use after the free, NULLs handed out by
 * the next alloc_bulk, objects it returned.
 * out[] of NODE_COUNT: objects held, on node arg, on other nodes.
 * out[] of DRAIN_NODE and UNDRAIN_NODE: pages taken / given back.
 */
#define PKTPOOL_TEST_ROUNDS_MAX	1000000

struct pktpool_test_run {
	__u32 test;		/* PKTPOOL_TEST_* */
	__u32 arg;
	char pool[32];		/* pool to use, where the test needs one */
	__s32 result;		/* out: 0 or a negative errno */
	__u32 __pad;
	__u64 out[4];		/* out: test-specific numbers */
	char msg[128];		/* out: what went wrong, NUL-terminated */
};

#define PKTPOOL_TEST_IOC_MAGIC	0xB9
#define PKTPOOL_TEST_IOC_HOLD	_IOWR(PKTPOOL_TEST_IOC_MAGIC, 1, struct pktpool_test_hold)
#define PKTPOOL_TEST_IOC_RELEASE _IOWR(PKTPOOL_TEST_IOC_MAGIC, 2, struct pktpool_test_hold)
#define PKTPOOL_TEST_IOC_RUN	_IOWR(PKTPOOL_TEST_IOC_MAGIC, 3, struct pktpool_test_run)

#endif /* _PKTPOOL_TEST_H */
