/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _PKTPOOL_NETLINK_H
#define _PKTPOOL_NETLINK_H

#include <linux/types.h>

struct pktpool;
struct pktpool_region_info;
struct work_struct;

/* Bits of pktpool->ntf_pending: alerts waiting for the work item. */
#define PKTPOOL_NTF_LIMIT	0
#define PKTPOOL_NTF_RESERVE	1
#define PKTPOOL_NTF_HEALTH	2

int pktpool_netlink_init(void);
void pktpool_netlink_exit(void);

void pktpool_nl_pool_event(struct pktpool *pool, u8 cmd);
void pktpool_nl_pool_alert(struct pktpool *pool, unsigned int what);
void pktpool_nl_alert_work(struct work_struct *work);
void pktpool_nl_region_event(const struct pktpool_region_info *r, u8 cmd);

#endif /* _PKTPOOL_NETLINK_H */
