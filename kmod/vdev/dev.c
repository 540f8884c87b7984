// SPDX-License-Identifier: GPL-2.0
/*
 * The device: a layer-3 point-to-point net_device whose packets travel
 * through a pktpool region (uapi/linux/pktpool_vdev.h).
 *
 * Stack to daemon (ndo_start_xmit, BHs off): copy the packet into a free
 * slot and submit it on the rx ring. Without a free slot the skb waits
 * on the stage, an ordered list whose entries come from a kernel pool
 * with a limit (queue_max) and a reserve, and the daemon is asked to kick
 * after it fills; the kick callback sends the stage first. While anything
 * is staged new packets queue behind it, so order is kept.
 *
 * Daemon to stack (the region's tx callback, process context under the
 * ring's tx mutex, one kick at a time): copy the slot's bytes into a new
 * skb (the region stays the daemon's to scribble on; only the copy is
 * parsed), check the IP version and length on the copy, and batch; the
 * batch enters the stack with BHs off as TUN's does.
 *
 * Liveness (the pool's live callback): carrier follows whether a daemon
 * has the region attached for writing; without one the stage is dropped.
 *
 * Every callback is done when pktpool_destroy() of the region's pool
 * returns, which ndo_uninit does once no xmit can run any more.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/delay.h>
#include <linux/if_arp.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/netfilter.h>
#include <linux/percpu.h>
#include <linux/rtnetlink.h>
#include <linux/timekeeping.h>
#include <net/rtnetlink.h>
#include <linux/pktpool.h>
#include <linux/pktpool_vdev.h>

#include "../pktpool.h"
#include "dev.h"
#include "trace.h"

/* A staged packet; the entries come from the device's stage pool. */
struct pktpool_vdev_staged {
	struct list_head node;
	struct sk_buff *skb;
};

/* Packets from the tx ring that enter the stack together. */
#define PKTPOOL_VDEV_RX_BATCH	64

static atomic_t pktpool_vdev_seq = ATOMIC_INIT(0);

/* Count a dropped packet under its cause and tell tracers. */
static void pktpool_vdev_dropped(struct pktpool_vdev *v, u32 len, int why)
{
	switch (why) {
	case PKTPOOL_VDEV_DROP_STAGE_FULL:
		this_cpu_inc(v->stats->dropped_stage_full);
		break;
	case PKTPOOL_VDEV_DROP_NO_DAEMON:
		this_cpu_inc(v->stats->dropped_no_daemon);
		break;
	case PKTPOOL_VDEV_DROP_NOMEM:
		this_cpu_inc(v->stats->dropped_nomem);
		break;
	case PKTPOOL_VDEV_DROP_INVALID:
		this_cpu_inc(v->stats->rx_invalid);
		break;
	default:
		this_cpu_inc(v->stats->dropped_other);
	}
	trace_pktpool_vdev_drop(v->dev->ifindex, len, why);
}

/*
 * Copy one packet into a free slot and put it on the rx ring. False when
 * no slot is free (the skb is still the caller's); otherwise the skb is
 * consumed.
 */
static bool pktpool_vdev_deliver(struct pktpool_vdev *v, struct sk_buff *skb,
				 bool waited)
{
	struct pktpool_desc d = {};
	void *slot;

	slot = pktpool_alloc(v->pool, GFP_ATOMIC);
	if (!slot)
		return false;
	d.len = skb->len;
	d.orig_len = skb->len;
	d.tstamp = ktime_get_real_ns();
	d.ifindex = v->dev->ifindex;
	d.family = skb->protocol == htons(ETH_P_IP) ? NFPROTO_IPV4 :
						      NFPROTO_IPV6;
	if (skb_copy_bits(skb, 0, slot, skb->len) ||
	    pktpool_rx_submit(v->pool, slot, &d)) {
		pktpool_free(v->pool, slot);
		pktpool_vdev_dropped(v, skb->len, PKTPOOL_VDEV_DROP_OTHER);
		kfree_skb(skb);
		return true;
	}
	this_cpu_inc(v->stats->tx_packets);
	this_cpu_add(v->stats->tx_bytes, d.len);
	trace_pktpool_vdev_xmit(d.ifindex, d.len, waited);
	consume_skb(skb);
	return true;
}

/* Send what is staged, oldest first, while slots last. Stage lock held. */
static void pktpool_vdev_flush_locked(struct pktpool_vdev *v)
{
	struct pktpool_vdev_staged *e, *tmp;

	lockdep_assert_held(&v->stage_lock);
	list_for_each_entry_safe(e, tmp, &v->stage, node) {
		if (!pktpool_vdev_deliver(v, e->skb, true))
			return;
		list_del(&e->node);
		pktpool_free(v->stage_pool, e);
		/* Last: xmit sends directly only when nothing is left. */
		WRITE_ONCE(v->staged, v->staged - 1);
	}
	pktpool_rx_want_fill(v->pool, false);
}

/* Stage lock held: the packet waits for a slot, within queue_max. */
static void pktpool_vdev_stage(struct pktpool_vdev *v, struct sk_buff *skb)
{
	struct pktpool_vdev_staged *e;

	lockdep_assert_held(&v->stage_lock);
	/*
	 * The daemon may have gone since xmit looked: its stage was dropped
	 * under this lock, so nothing may be staged after that.
	 */
	if (unlikely(!READ_ONCE(v->live))) {
		pktpool_vdev_dropped(v, skb->len, PKTPOOL_VDEV_DROP_NO_DAEMON);
		kfree_skb(skb);
		return;
	}
	if (v->staged >= v->cfg.queue_max) {
		if (v->cfg.policy == PKTPOOL_VDEV_POLICY_TAIL || !v->staged) {
			pktpool_vdev_dropped(v, skb->len,
					     PKTPOOL_VDEV_DROP_STAGE_FULL);
			kfree_skb(skb);
			return;
		}
		/* Head drop: the oldest goes, its entry carries the new one. */
		e = list_first_entry(&v->stage, struct pktpool_vdev_staged, node);
		list_del(&e->node);
		pktpool_vdev_dropped(v, e->skb->len, PKTPOOL_VDEV_DROP_STAGE_FULL);
		kfree_skb(e->skb);
		WRITE_ONCE(v->staged, v->staged - 1);
	} else {
		e = pktpool_alloc(v->stage_pool, GFP_ATOMIC);
		if (!e) {
			pktpool_vdev_dropped(v, skb->len, PKTPOOL_VDEV_DROP_NOMEM);
			kfree_skb(skb);
			return;
		}
	}
	/*
	 * As TUN does: a waiting packet holds neither its socket's send
	 * buffer nor a conntrack entry nor a route.
	 */
	skb_orphan(skb);
	nf_reset_ct(skb);
	skb_dst_drop(skb);
	e->skb = skb;
	list_add_tail(&e->node, &v->stage);
	WRITE_ONCE(v->staged, v->staged + 1);
	this_cpu_inc(v->stats->staged_total);
	if (v->staged == 1)
		pktpool_rx_want_fill(v->pool, true);
	/* A fill that raced with the request was not announced: look. */
	pktpool_vdev_flush_locked(v);
}

/* Drop everything staged, counting it as cause. */
static void pktpool_vdev_drop_stage(struct pktpool_vdev *v, bool no_daemon)
{
	struct pktpool_vdev_staged *e, *tmp;

	spin_lock_bh(&v->stage_lock);
	list_for_each_entry_safe(e, tmp, &v->stage, node) {
		list_del(&e->node);
		pktpool_vdev_dropped(v, e->skb->len,
				     no_daemon ? PKTPOOL_VDEV_DROP_NO_DAEMON :
						 PKTPOOL_VDEV_DROP_OTHER);
		kfree_skb(e->skb);
		pktpool_free(v->stage_pool, e);
	}
	WRITE_ONCE(v->staged, 0);
	/* NULL while pktpool_create() reports the first state. */
	if (v->pool)
		pktpool_rx_want_fill(v->pool, false);
	spin_unlock_bh(&v->stage_lock);
}

static netdev_tx_t pktpool_vdev_xmit(struct sk_buff *skb,
				     struct net_device *dev)
{
	struct pktpool_vdev *v = netdev_priv(dev);

	/* No offloads are offered: packets come whole, within the MTU. */
	if (unlikely(skb->len > v->room ||
		     (skb->protocol != htons(ETH_P_IP) &&
		      skb->protocol != htons(ETH_P_IPV6)))) {
		pktpool_vdev_dropped(v, skb->len, PKTPOOL_VDEV_DROP_OTHER);
		kfree_skb(skb);
		return NETDEV_TX_OK;
	}
	if (unlikely(!READ_ONCE(v->live))) {
		pktpool_vdev_dropped(v, skb->len, PKTPOOL_VDEV_DROP_NO_DAEMON);
		kfree_skb(skb);
		return NETDEV_TX_OK;
	}
	/*
	 * xmits of the one queue are serialized; staged only grows here, so
	 * while it reads 0 nothing waits and the packet may go first.
	 */
	if (likely(!READ_ONCE(v->staged)) && pktpool_vdev_deliver(v, skb, false))
		return NETDEV_TX_OK;
	spin_lock(&v->stage_lock);
	pktpool_vdev_stage(v, skb);
	spin_unlock(&v->stage_lock);
	return NETDEV_TX_OK;
}

/* The batch from the tx ring enters the stack, as TUN's does. */
static void pktpool_vdev_rx_flush(struct pktpool_vdev *v)
{
	struct sk_buff *skb;

	if (skb_queue_empty(&v->rx_batch))
		return;
	local_bh_disable();
	while ((skb = __skb_dequeue(&v->rx_batch)))
		netif_receive_skb(skb);
	local_bh_enable();
}

/*
 * The lengths a packet claims fit what the daemon gave: the stack checks
 * the rest, but a descriptor that cannot be a packet is the daemon's
 * error and is counted as such, not left to the IP counters.
 */
static bool pktpool_vdev_ipv4_ok(const u8 *p, u32 len)
{
	const struct iphdr *iph = (const struct iphdr *)p;
	u32 hlen = iph->ihl * 4;

	return hlen >= sizeof(*iph) && hlen <= len &&
	       ntohs(iph->tot_len) >= hlen && ntohs(iph->tot_len) <= len;
}

static bool pktpool_vdev_ipv6_ok(const u8 *p, u32 len)
{
	const struct ipv6hdr *ip6 = (const struct ipv6hdr *)p;

	/* A payload length of 0 is a jumbogram, which no slot holds. */
	return len >= sizeof(*ip6) && ip6->payload_len &&
	       sizeof(*ip6) + ntohs(ip6->payload_len) <= len;
}

/* The tx ring's descriptor for a slot of ours: a packet for the stack. */
static void pktpool_vdev_tx(void *arg, const struct pktpool_desc *d,
			    const void *data)
{
	struct pktpool_vdev *v = arg;
	struct net_device *dev = v->dev;
	u32 len = d->len;
	struct sk_buff *skb;
	u8 version;

	if (len < sizeof(struct iphdr) || len > READ_ONCE(dev->mtu) ||
	    len > v->room) {
		pktpool_vdev_dropped(v, len, PKTPOOL_VDEV_DROP_INVALID);
		return;
	}
	if (!(READ_ONCE(dev->flags) & IFF_UP)) {
		pktpool_vdev_dropped(v, len, PKTPOOL_VDEV_DROP_OTHER);
		return;
	}
	skb = __netdev_alloc_skb(dev, len, GFP_KERNEL);
	if (!skb) {
		pktpool_vdev_dropped(v, len, PKTPOOL_VDEV_DROP_NOMEM);
		return;
	}
	/* One read of the shared slot; everything below looks at the copy. */
	skb_put_data(skb, data, len);
	version = skb->data[0] >> 4;
	if (version == 4 && pktpool_vdev_ipv4_ok(skb->data, len)) {
		skb->protocol = htons(ETH_P_IP);
	} else if (version == 6 && pktpool_vdev_ipv6_ok(skb->data, len)) {
		skb->protocol = htons(ETH_P_IPV6);
	} else {
		pktpool_vdev_dropped(v, len, PKTPOOL_VDEV_DROP_INVALID);
		kfree_skb(skb);
		return;
	}
	skb_reset_mac_header(skb);
	skb_reset_network_header(skb);
	skb->pkt_type = PACKET_HOST;
	skb->ip_summed = CHECKSUM_NONE;	/* the stack checks */
	this_cpu_inc(v->stats->rx_packets);
	this_cpu_add(v->stats->rx_bytes, len);
	trace_pktpool_vdev_rx(dev->ifindex, d->slot, len);
	__skb_queue_tail(&v->rx_batch, skb);
	if (skb_queue_len(&v->rx_batch) >= PKTPOOL_VDEV_RX_BATCH)
		pktpool_vdev_rx_flush(v);
}

/* After each kick: the rest of the batch, then whatever waits for slots. */
static void pktpool_vdev_kick(void *arg)
{
	struct pktpool_vdev *v = arg;

	pktpool_vdev_rx_flush(v);
	if (READ_ONCE(v->staged)) {
		spin_lock_bh(&v->stage_lock);
		pktpool_vdev_flush_locked(v);
		spin_unlock_bh(&v->stage_lock);
	}
}

static void pktpool_vdev_live(void *arg, bool live)
{
	struct pktpool_vdev *v = arg;

	WRITE_ONCE(v->live, live);
	if (live) {
		netif_carrier_on(v->dev);
	} else {
		netif_carrier_off(v->dev);
		pktpool_vdev_drop_stage(v, true);
	}
}

static int pktpool_vdev_stop(struct net_device *dev)
{
	pktpool_vdev_drop_stage(netdev_priv(dev), false);
	return 0;
}

void pktpool_vdev_get_stats(const struct pktpool_vdev *v,
			    struct pktpool_vdev_stats *s)
{
	int cpu;

	memset(s, 0, sizeof(*s));
	for_each_possible_cpu(cpu) {
		const struct pktpool_vdev_stats *c = per_cpu_ptr(v->stats, cpu);

		s->tx_packets += READ_ONCE(c->tx_packets);
		s->tx_bytes += READ_ONCE(c->tx_bytes);
		s->rx_packets += READ_ONCE(c->rx_packets);
		s->rx_bytes += READ_ONCE(c->rx_bytes);
		s->staged_total += READ_ONCE(c->staged_total);
		s->dropped_stage_full += READ_ONCE(c->dropped_stage_full);
		s->dropped_no_daemon += READ_ONCE(c->dropped_no_daemon);
		s->dropped_nomem += READ_ONCE(c->dropped_nomem);
		s->rx_invalid += READ_ONCE(c->rx_invalid);
		s->dropped_other += READ_ONCE(c->dropped_other);
	}
}

static void pktpool_vdev_get_stats64(struct net_device *dev,
				     struct rtnl_link_stats64 *st)
{
	struct pktpool_vdev_stats s;

	pktpool_vdev_get_stats(netdev_priv(dev), &s);
	st->tx_packets = s.tx_packets;
	st->tx_bytes = s.tx_bytes;
	st->rx_packets = s.rx_packets;
	st->rx_bytes = s.rx_bytes;
	st->tx_dropped = s.dropped_stage_full + s.dropped_no_daemon +
			 s.dropped_nomem + s.dropped_other;
	st->rx_errors = s.rx_invalid;
}

/*
 * Process context. Give the region's slots back and wait out every
 * callback (pktpool_destroy() takes the ring's tx mutex), then free the
 * stage. pktpool_destroy() refuses only while someone else holds the pool
 * (another module's pktpool_get()); the callbacks point at us, so wait.
 */
static void pktpool_vdev_free_pools(struct pktpool_vdev *v)
{
	if (v->pool) {
		pktpool_vdev_drop_stage(v, false);
		while (pktpool_destroy(v->pool) == -EBUSY) {
			pr_warn_ratelimited("%s: pool %s still held elsewhere\n",
					    v->dev->name, pktpool_name(v->pool));
			msleep(100);
		}
		v->pool = NULL;
	}
	__skb_queue_purge(&v->rx_batch);
	if (v->stage_pool) {
		/* Every entry went back with the stage. */
		if (pktpool_destroy(v->stage_pool))
			pr_err("%s: stage pool left behind\n", v->dev->name);
		v->stage_pool = NULL;
	}
}

/* Under the RTNL, from unregister: no xmit runs now. */
static void pktpool_vdev_uninit(struct net_device *dev)
{
	pktpool_vdev_free_pools(netdev_priv(dev));
}

static const struct net_device_ops pktpool_vdev_ops = {
	.ndo_uninit = pktpool_vdev_uninit,
	.ndo_stop = pktpool_vdev_stop,
	.ndo_start_xmit = pktpool_vdev_xmit,
	.ndo_get_stats64 = pktpool_vdev_get_stats64,
};

static void pktpool_vdev_destruct(struct net_device *dev)
{
	struct pktpool_vdev *v = netdev_priv(dev);

	free_percpu(v->stats);
	v->stats = NULL;	/* a failed register frees the device after */
}

static void pktpool_vdev_setup(struct net_device *dev)
{
	dev->netdev_ops = &pktpool_vdev_ops;
	dev->rtnl_link_ops = &pktpool_vdev_link_ops;
	dev->type = ARPHRD_NONE;
	dev->hard_header_len = 0;
	dev->addr_len = 0;
	dev->mtu = PKTPOOL_VDEV_MTU_DEFAULT;
	dev->min_mtu = PKTPOOL_VDEV_MTU_MIN;
	dev->max_mtu = PKTPOOL_VDEV_MTU_MIN;	/* the slot's, once bound */
	dev->flags = IFF_POINTOPOINT | IFF_NOARP | IFF_MULTICAST;
	/* The stage is the queue: no qdisc in front of it. */
	dev->priv_flags |= IFF_NO_QUEUE;
	dev->needs_free_netdev = true;
	dev->priv_destructor = pktpool_vdev_destruct;
}

/* `ip link add type pktpool` has no way to name a region. */
static int pktpool_vdev_newlink(struct net *src_net, struct net_device *dev,
				struct nlattr *tb[], struct nlattr *data[],
				struct netlink_ext_ack *extack)
{
	NL_SET_ERR_MSG(extack, "create pktpool devices with pktpoolctl vdev add");
	return -EOPNOTSUPP;
}

struct rtnl_link_ops pktpool_vdev_link_ops = {
	.kind = "pktpool",
	.priv_size = sizeof(struct pktpool_vdev),
	.setup = pktpool_vdev_setup,
	.newlink = pktpool_vdev_newlink,
	.dellink = unregister_netdevice_queue,
};

static int pktpool_vdev_make_pools(struct pktpool_vdev *v, u32 seq,
				   struct netlink_ext_ack *extack)
{
	struct pktpool_params stage = {
		.obj_size = sizeof(struct pktpool_vdev_staged),
		.limit = v->cfg.queue_max,
		.reserve = min_t(u32, v->cfg.queue_max,
				 PKTPOOL_VDEV_STAGE_RESERVE),
		.node = NUMA_NO_NODE,
	};
	struct pktpool_params slots = {
		.node = NUMA_NO_NODE,
		.region = v->cfg.region,
		.tx = pktpool_vdev_tx,
		.tx_any = true,
		.kick = pktpool_vdev_kick,
		.live = pktpool_vdev_live,
		.tx_arg = v,
	};
	char name[PKTPOOL_NAME_MAX];
	struct pktpool *pool;

	snprintf(name, sizeof(name), "vdev-stage-%u", seq);
	stage.name = name;
	pool = pktpool_create(&stage);
	if (IS_ERR(pool)) {
		NL_SET_ERR_MSG(extack, "cannot make the stage's pool");
		return PTR_ERR(pool);
	}
	v->stage_pool = pool;

	snprintf(name, sizeof(name), "vdev-%u", seq);
	slots.name = name;
	/* Calls pktpool_vdev_live() with the region's state. */
	pool = pktpool_create(&slots);
	if (IS_ERR(pool)) {
		if (PTR_ERR(pool) == -ENOENT)
			NL_SET_ERR_MSG(extack, "no such region");
		else if (PTR_ERR(pool) == -EBUSY)
			NL_SET_ERR_MSG(extack, "the region carries another device");
		else
			NL_SET_ERR_MSG(extack, "cannot make a pool on the region");
		return PTR_ERR(pool);
	}
	v->pool = pool;
	v->room = min_t(unsigned int, pktpool_obj_size(pool), 65535);
	return 0;
}

int pktpool_vdev_new(struct net *net, const struct pktpool_vdev_config *cfg,
		     int *ifindex, char *ifname, struct netlink_ext_ack *extack)
{
	struct net_device *dev;
	struct pktpool_vdev *v;
	int err;

	if (cfg->ifname[0] && !dev_valid_name(cfg->ifname)) {
		NL_SET_ERR_MSG(extack, "invalid interface name");
		return -EINVAL;
	}
	dev = alloc_netdev(sizeof(*v), cfg->ifname[0] ? cfg->ifname : "pp%d",
			   cfg->ifname[0] ? NET_NAME_USER : NET_NAME_ENUM,
			   pktpool_vdev_setup);
	if (!dev)
		return -ENOMEM;
	dev_net_set(dev, net);
	v = netdev_priv(dev);
	v->dev = dev;
	v->cfg = *cfg;
	spin_lock_init(&v->stage_lock);
	INIT_LIST_HEAD(&v->stage);
	__skb_queue_head_init(&v->rx_batch);
	v->stats = alloc_percpu(struct pktpool_vdev_stats);
	if (!v->stats) {
		free_netdev(dev);
		return -ENOMEM;
	}
	err = pktpool_vdev_make_pools(v, atomic_inc_return(&pktpool_vdev_seq),
				      extack);
	if (err)
		goto err_pools;
	dev->max_mtu = v->room;
	if (cfg->mtu < PKTPOOL_VDEV_MTU_MIN || cfg->mtu > v->room) {
		NL_SET_ERR_MSG(extack, "mtu must be between 68 and the slot size");
		err = -EINVAL;
		goto err_pools;
	}
	dev->mtu = cfg->mtu;

	rtnl_lock();
	err = register_netdevice(dev);
	if (!err) {
		*ifindex = dev->ifindex;
		strscpy(ifname, dev->name, IFNAMSIZ);
	}
	rtnl_unlock();
	if (err) {
		NL_SET_ERR_MSG(extack, "cannot register the device");
		goto err_pools;
	}
	return 0;

err_pools:
	pktpool_vdev_free_pools(v);
	free_percpu(v->stats);
	free_netdev(dev);
	return err;
}
