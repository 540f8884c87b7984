/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _PKTPOOL_NF_NETLINK_H
#define _PKTPOOL_NF_NETLINK_H

int pktpool_nf_netlink_init(void);
void pktpool_nf_netlink_exit(void);

#endif /* _PKTPOOL_NF_NETLINK_H */
