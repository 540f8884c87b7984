/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _PKTPOOL_VDEV_NETLINK_H
#define _PKTPOOL_VDEV_NETLINK_H

int pktpool_vdev_netlink_init(void);
void pktpool_vdev_netlink_exit(void);

#endif /* _PKTPOOL_VDEV_NETLINK_H */
