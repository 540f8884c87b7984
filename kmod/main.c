// SPDX-License-Identifier: GPL-2.0
/*
 * pktpool: named packet-object pools on size-class slabs. Module init and
 * exit only; each part lives in its own file.
 */
#include <linux/module.h>

#include "chardev.h"
#include "class.h"
#include "debugfs.h"
#include "netlink.h"
#include "objects.h"
#include "pool.h"
#include "reclaim.h"
#include "region.h"

static int __init pktpool_init(void)
{
	int err;

	err = pktpool_class_init();
	if (err)
		return err;
	err = pktpool_objects_init();
	if (err)
		goto err_objects;
	pktpool_debugfs_init();
	/* Before any pool exists: creating one sends a notification. */
	err = pktpool_netlink_init();
	if (err)
		goto err_netlink;
	err = pktpool_pool_init();
	if (err)
		goto err_pool;
	err = pktpool_reclaim_init();
	if (err)
		goto err_reclaim;
	err = pktpool_region_init();
	if (err)
		goto err_region;
	err = pktpool_chardev_init();
	if (err)
		goto err_chardev;
	return 0;

err_chardev:
	pktpool_region_exit();
err_region:
	pktpool_reclaim_exit();
err_reclaim:
	pktpool_pool_exit();
err_pool:
	pktpool_netlink_exit();
err_netlink:
	pktpool_debugfs_exit();
	pktpool_objects_exit();
err_objects:
	pktpool_class_exit();
	return err;
}

static void __exit pktpool_exit(void)
{
	pktpool_chardev_exit();
	pktpool_region_exit();
	pktpool_reclaim_exit();
	pktpool_pool_exit();
	pktpool_netlink_exit();
	pktpool_debugfs_exit();
	pktpool_objects_exit();
	pktpool_class_exit();
}

module_init(pktpool_init);
module_exit(pktpool_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Packet-buffer pools on size-class slabs");
MODULE_AUTHOR("The pktpool authors");
MODULE_VERSION("1.0.0");
