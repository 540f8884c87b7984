// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/debug/pktpool: fault injection for the test suite. The
 * Debian kernel has no failslab, so pktpool brings its own knob: writing N
 * to fail_slab makes the next N slab allocations pktpool attempts fail, as
 * they would under memory pressure, so reserves can be tested for real;
 * fail_region does the same for the steps of a region's allocation, so
 * its error path can be; fail_record the records of debug pools (see
 * objects.c). object_records (read-only) counts those records, so tests
 * can see that none is left behind.
 */
#include <linux/debugfs.h>

#include "debugfs.h"
#include "objects.h"

atomic_t pktpool_fail_slab = ATOMIC_INIT(0);
atomic_t pktpool_fail_region = ATOMIC_INIT(0);
atomic_t pktpool_fail_record = ATOMIC_INIT(0);
static struct dentry *pktpool_debugfs_dir;

/* Failing to create debugfs files is not an error: they are optional. */
void pktpool_debugfs_init(void)
{
	pktpool_debugfs_dir = debugfs_create_dir("pktpool", NULL);
	debugfs_create_atomic_t("fail_slab", 0600, pktpool_debugfs_dir,
				&pktpool_fail_slab);
	debugfs_create_atomic_t("fail_region", 0600, pktpool_debugfs_dir,
				&pktpool_fail_region);
	debugfs_create_atomic_t("fail_record", 0600, pktpool_debugfs_dir,
				&pktpool_fail_record);
	debugfs_create_atomic_t("object_records", 0400, pktpool_debugfs_dir,
				&pktpool_obj_records);
}

void pktpool_debugfs_exit(void)
{
	debugfs_remove_recursive(pktpool_debugfs_dir);
	atomic_set(&pktpool_fail_slab, 0);
	atomic_set(&pktpool_fail_region, 0);
	atomic_set(&pktpool_fail_record, 0);
}
