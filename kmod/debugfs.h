/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _PKTPOOL_DEBUGFS_H
#define _PKTPOOL_DEBUGFS_H

#include <linux/atomic.h>
#include <linux/compiler.h>

extern atomic_t pktpool_fail_slab;
extern atomic_t pktpool_fail_region;
extern atomic_t pktpool_fail_record;

void pktpool_debugfs_init(void);
void pktpool_debugfs_exit(void);

/*
 * Fault injection for tests: true while /sys/kernel/debug/pktpool/fail_slab
 * still asks for failures, consuming one. Only slow paths call it.
 */
static inline bool pktpool_fault_slab(void)
{
	return unlikely(atomic_read(&pktpool_fail_slab)) &&
	       atomic_add_unless(&pktpool_fail_slab, -1, 0);
}

/*
 * As above for /sys/kernel/debug/pktpool/fail_region: each step of a
 * region's memory allocation (the page array, then each page) consumes
 * one and fails while any are left.
 */
static inline bool pktpool_fault_region(void)
{
	return unlikely(atomic_read(&pktpool_fail_region)) &&
	       atomic_add_unless(&pktpool_fail_region, -1, 0);
}

/*
 * As above for /sys/kernel/debug/pktpool/fail_record: each record a debug
 * pool would allocate for an object consumes one and fails, so that the
 * allocation fails as under memory pressure.
 */
static inline bool pktpool_fault_record(void)
{
	return unlikely(atomic_read(&pktpool_fail_record)) &&
	       atomic_add_unless(&pktpool_fail_record, -1, 0);
}

#endif /* _PKTPOOL_DEBUGFS_H */
