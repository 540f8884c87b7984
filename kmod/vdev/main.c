// SPDX-License-Identifier: GPL-2.0
/*
 * pktpool_vdev: network devices whose packets travel through pktpool
 * regions. Module init and exit only; the device lives in dev.c, the
 * generic netlink family in netlink.c.
 */
#include <linux/module.h>
#include <net/genetlink.h>
#include <net/rtnetlink.h>

#include <linux/pktpool_vdev.h>

#include "dev.h"
#include "netlink.h"

static int __init pktpool_vdev_init(void)
{
	int err;

	err = rtnl_link_register(&pktpool_vdev_link_ops);
	if (err)
		return err;
	err = pktpool_vdev_netlink_init();
	if (err)
		goto err_netlink;
	return 0;

err_netlink:
	rtnl_link_unregister(&pktpool_vdev_link_ops);
	return err;
}

static void __exit pktpool_vdev_exit(void)
{
	/* No new devices once the family is gone; then remove the rest. */
	pktpool_vdev_netlink_exit();
	rtnl_link_unregister(&pktpool_vdev_link_ops);
}

module_init(pktpool_vdev_init);
module_exit(pktpool_vdev_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Network devices whose packets travel through pktpool regions");
MODULE_AUTHOR("The pktpool authors");
MODULE_ALIAS_RTNL_LINK("pktpool");
MODULE_ALIAS_GENL_FAMILY(PKTPOOL_VDEV_GENL_NAME);
