/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _PKTPOOL_VDEV_DEV_H
#define _PKTPOOL_VDEV_DEV_H

#include <linux/list.h>
#include <linux/netdevice.h>
#include <linux/skbuff.h>
#include <linux/spinlock.h>
#include <linux/pktpool.h>

struct pktpool;
struct netlink_ext_ack;

/* What netlink asks for; see uapi/linux/pktpool_vdev.h. */
struct pktpool_vdev_config {
	char ifname[IFNAMSIZ];		/* "" for pp%d */
	char region[PKTPOOL_NAME_MAX];
	u32 mtu;
	u32 queue_max;
	u8 policy;
};

/* Per CPU; summed on read. */
struct pktpool_vdev_stats {
	u64 tx_packets;		/* stack -> rx ring */
	u64 tx_bytes;
	u64 rx_packets;		/* tx ring -> stack */
	u64 rx_bytes;
	u64 staged_total;
	u64 dropped_stage_full;
	u64 dropped_no_daemon;
	u64 dropped_nomem;
	u64 rx_invalid;
	u64 dropped_other;
};

struct pktpool_vdev {
	struct net_device *dev;
	struct pktpool *pool;		/* the region's slots */
	struct pktpool *stage_pool;	/* stage entries: limit, reserve */
	struct pktpool_vdev_config cfg;
	unsigned int room;		/* bytes of a slot */
	bool live;			/* a daemon has the region */

	spinlock_t stage_lock;		/* the stage; taken with BHs off */
	struct list_head stage;		/* of struct pktpool_vdev_staged */
	u32 staged;

	/* Packets from the tx ring, under the ring's tx mutex. */
	struct sk_buff_head rx_batch;

	struct pktpool_vdev_stats __percpu *stats;
};

extern struct rtnl_link_ops pktpool_vdev_link_ops;

/* Process context; netlink takes the RTNL itself. */
int pktpool_vdev_new(struct net *net, const struct pktpool_vdev_config *cfg,
		     int *ifindex, char *ifname, struct netlink_ext_ack *extack);
void pktpool_vdev_get_stats(const struct pktpool_vdev *v,
			    struct pktpool_vdev_stats *s);

static inline bool pktpool_vdev_is(const struct net_device *dev)
{
	return dev->rtnl_link_ops == &pktpool_vdev_link_ops;
}

#endif /* _PKTPOOL_VDEV_DEV_H */
