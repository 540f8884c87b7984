// SPDX-License-Identifier: GPL-2.0
/*
 * The "pktpool_vdev" generic netlink family: new, del, get/dump, with
 * strict policies and extack. Described by
 * Documentation/netlink/specs/pktpool_vdev.yaml. Devices belong to the
 * network namespace of the socket that made them.
 */
#include <linux/rtnetlink.h>
#include <net/genetlink.h>
#include <net/sock.h>
#include <linux/pktpool_vdev.h>

#include "dev.h"
#include "netlink.h"

/* nla_policy's min and max are s16: wider ranges need their own. */
static struct netlink_range_validation pktpool_vdev_mtu_range = {
	.min = PKTPOOL_VDEV_MTU_MIN,
	.max = 65535,
};

static struct netlink_range_validation pktpool_vdev_queue_range = {
	.min = 1,
	.max = PKTPOOL_VDEV_QUEUE_MAX,
};

static const struct nla_policy pktpool_vdev_new_policy[PKTPOOL_VDEV_A_MAX + 1] = {
	[PKTPOOL_VDEV_A_IFNAME] = { .type = NLA_NUL_STRING, .len = IFNAMSIZ - 1 },
	[PKTPOOL_VDEV_A_REGION] = { .type = NLA_NUL_STRING, .len = 31 },
	[PKTPOOL_VDEV_A_MTU] = NLA_POLICY_FULL_RANGE(NLA_U32,
						     &pktpool_vdev_mtu_range),
	[PKTPOOL_VDEV_A_QUEUE_MAX] = NLA_POLICY_FULL_RANGE(NLA_U32,
							&pktpool_vdev_queue_range),
	[PKTPOOL_VDEV_A_POLICY] = NLA_POLICY_RANGE(NLA_U8, PKTPOOL_VDEV_POLICY_TAIL,
						   PKTPOOL_VDEV_POLICY_HEAD),
};

static const struct nla_policy pktpool_vdev_id_policy[PKTPOOL_VDEV_A_MAX + 1] = {
	[PKTPOOL_VDEV_A_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[PKTPOOL_VDEV_A_IFNAME] = { .type = NLA_NUL_STRING, .len = IFNAMSIZ - 1 },
};

static struct genl_family pktpool_vdev_family;

static int pktpool_vdev_fill(struct sk_buff *skb, struct net_device *dev,
			     u32 portid, u32 seq, int flags)
{
	const struct pktpool_vdev *v = netdev_priv(dev);
	const int pad = PKTPOOL_VDEV_A_PAD;
	struct pktpool_vdev_stats s;
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &pktpool_vdev_family, flags,
			  PKTPOOL_VDEV_CMD_GET);
	if (!hdr)
		return -EMSGSIZE;
	pktpool_vdev_get_stats(v, &s);
	if (nla_put_u32(skb, PKTPOOL_VDEV_A_IFINDEX, dev->ifindex) ||
	    nla_put_string(skb, PKTPOOL_VDEV_A_IFNAME, dev->name) ||
	    nla_put_string(skb, PKTPOOL_VDEV_A_REGION, v->cfg.region) ||
	    nla_put_u32(skb, PKTPOOL_VDEV_A_MTU, READ_ONCE(dev->mtu)) ||
	    nla_put_u32(skb, PKTPOOL_VDEV_A_QUEUE_MAX, v->cfg.queue_max) ||
	    nla_put_u8(skb, PKTPOOL_VDEV_A_POLICY, v->cfg.policy) ||
	    nla_put_u8(skb, PKTPOOL_VDEV_A_CARRIER, READ_ONCE(v->live)) ||
	    nla_put_u32(skb, PKTPOOL_VDEV_A_STAGED, READ_ONCE(v->staged)) ||
	    nla_put_u64_64bit(skb, PKTPOOL_VDEV_A_TX_PACKETS, s.tx_packets, pad) ||
	    nla_put_u64_64bit(skb, PKTPOOL_VDEV_A_TX_BYTES, s.tx_bytes, pad) ||
	    nla_put_u64_64bit(skb, PKTPOOL_VDEV_A_RX_PACKETS, s.rx_packets, pad) ||
	    nla_put_u64_64bit(skb, PKTPOOL_VDEV_A_RX_BYTES, s.rx_bytes, pad) ||
	    nla_put_u64_64bit(skb, PKTPOOL_VDEV_A_STAGED_TOTAL,
			      s.staged_total, pad) ||
	    nla_put_u64_64bit(skb, PKTPOOL_VDEV_A_DROPPED_STAGE_FULL,
			      s.dropped_stage_full, pad) ||
	    nla_put_u64_64bit(skb, PKTPOOL_VDEV_A_DROPPED_NO_DAEMON,
			      s.dropped_no_daemon, pad) ||
	    nla_put_u64_64bit(skb, PKTPOOL_VDEV_A_DROPPED_NOMEM,
			      s.dropped_nomem, pad) ||
	    nla_put_u64_64bit(skb, PKTPOOL_VDEV_A_RX_INVALID, s.rx_invalid, pad) ||
	    nla_put_u64_64bit(skb, PKTPOOL_VDEV_A_DROPPED_OTHER,
			      s.dropped_other, pad)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

static int pktpool_vdev_new_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct pktpool_vdev_config cfg = {
		.mtu = PKTPOOL_VDEV_MTU_DEFAULT,
		.queue_max = PKTPOOL_VDEV_QUEUE_DEFAULT,
		.policy = PKTPOOL_VDEV_POLICY_TAIL,
	};
	struct nlattr **tb = info->attrs;
	char ifname[IFNAMSIZ];
	struct sk_buff *msg;
	int ifindex, err;

	if (GENL_REQ_ATTR_CHECK(info, PKTPOOL_VDEV_A_REGION))
		return -EINVAL;
	nla_strscpy(cfg.region, tb[PKTPOOL_VDEV_A_REGION], sizeof(cfg.region));
	if (tb[PKTPOOL_VDEV_A_IFNAME])
		nla_strscpy(cfg.ifname, tb[PKTPOOL_VDEV_A_IFNAME],
			    sizeof(cfg.ifname));
	if (tb[PKTPOOL_VDEV_A_MTU])
		cfg.mtu = nla_get_u32(tb[PKTPOOL_VDEV_A_MTU]);
	if (tb[PKTPOOL_VDEV_A_QUEUE_MAX])
		cfg.queue_max = nla_get_u32(tb[PKTPOOL_VDEV_A_QUEUE_MAX]);
	if (tb[PKTPOOL_VDEV_A_POLICY])
		cfg.policy = nla_get_u8(tb[PKTPOOL_VDEV_A_POLICY]);

	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	err = pktpool_vdev_new(genl_info_net(info), &cfg, &ifindex, ifname,
			       info->extack);
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	/* The reply names the device; a lost reply leaves it listed. */
	if (!genlmsg_put_reply(msg, info, &pktpool_vdev_family, 0,
			       PKTPOOL_VDEV_CMD_NEW) ||
	    nla_put_u32(msg, PKTPOOL_VDEV_A_IFINDEX, ifindex) ||
	    nla_put_string(msg, PKTPOOL_VDEV_A_IFNAME, ifname)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, genlmsg_data(nlmsg_data(nlmsg_hdr(msg))));
	return genlmsg_reply(msg, info);
}

/* RTNL held: the device named by ifindex or ifname, if it is ours. */
static struct net_device *pktpool_vdev_find(struct genl_info *info)
{
	struct net *net = genl_info_net(info);
	struct nlattr **tb = info->attrs;
	struct net_device *dev = NULL;
	char name[IFNAMSIZ];

	ASSERT_RTNL();
	if (tb[PKTPOOL_VDEV_A_IFINDEX]) {
		dev = __dev_get_by_index(net,
					 nla_get_u32(tb[PKTPOOL_VDEV_A_IFINDEX]));
	} else if (tb[PKTPOOL_VDEV_A_IFNAME]) {
		nla_strscpy(name, tb[PKTPOOL_VDEV_A_IFNAME], sizeof(name));
		dev = __dev_get_by_name(net, name);
	} else {
		NL_SET_ERR_MSG(info->extack, "name the device: ifindex or ifname");
		return ERR_PTR(-EINVAL);
	}
	if (!dev || !pktpool_vdev_is(dev)) {
		NL_SET_ERR_MSG(info->extack, "no such pktpool device");
		return ERR_PTR(-ENODEV);
	}
	return dev;
}

static int pktpool_vdev_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct net_device *dev;
	int err = 0;

	rtnl_lock();
	dev = pktpool_vdev_find(info);
	if (IS_ERR(dev))
		err = PTR_ERR(dev);
	else
		unregister_netdevice(dev);
	rtnl_unlock();
	return err;
}

static int pktpool_vdev_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct net_device *dev;
	struct sk_buff *msg;
	int err;

	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	rtnl_lock();
	dev = pktpool_vdev_find(info);
	if (IS_ERR(dev))
		err = PTR_ERR(dev);
	else
		err = pktpool_vdev_fill(msg, dev, info->snd_portid,
					info->snd_seq, 0);
	rtnl_unlock();
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	return genlmsg_reply(msg, info);
}

/* cb->args[0]: how many of the namespace's devices were sent. */
static int pktpool_vdev_get_dumpit(struct sk_buff *skb,
				   struct netlink_callback *cb)
{
	struct net *net = sock_net(skb->sk);
	long idx = 0, from = cb->args[0];
	struct net_device *dev;
	int err = 0;

	rtnl_lock();
	for_each_netdev(net, dev) {
		if (!pktpool_vdev_is(dev))
			continue;
		if (idx++ < from)
			continue;
		err = pktpool_vdev_fill(skb, dev, NETLINK_CB(cb->skb).portid,
					cb->nlh->nlmsg_seq, NLM_F_MULTI);
		if (err) {
			idx--;
			break;
		}
	}
	rtnl_unlock();
	cb->args[0] = idx;
	if (err == -EMSGSIZE && skb->len)
		return skb->len;
	return err;
}

static const struct genl_ops pktpool_vdev_ops[] = {
	{
		.cmd = PKTPOOL_VDEV_CMD_NEW,
		.doit = pktpool_vdev_new_doit,
		.policy = pktpool_vdev_new_policy,
		.maxattr = PKTPOOL_VDEV_A_MAX,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = PKTPOOL_VDEV_CMD_DEL,
		.doit = pktpool_vdev_del_doit,
		.policy = pktpool_vdev_id_policy,
		.maxattr = PKTPOOL_VDEV_A_MAX,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = PKTPOOL_VDEV_CMD_GET,
		.doit = pktpool_vdev_get_doit,
		.dumpit = pktpool_vdev_get_dumpit,
		.policy = pktpool_vdev_id_policy,
		.maxattr = PKTPOOL_VDEV_A_MAX,
	},
};

static struct genl_family pktpool_vdev_family = {
	.name = PKTPOOL_VDEV_GENL_NAME,
	.version = PKTPOOL_VDEV_GENL_VERSION,
	.netnsok = true,
	.module = THIS_MODULE,
	.ops = pktpool_vdev_ops,
	.n_ops = ARRAY_SIZE(pktpool_vdev_ops),
	/* Every command is new: validate strictly, reserved bytes too. */
	.resv_start_op = PKTPOOL_VDEV_CMD_NEW,
};

int pktpool_vdev_netlink_init(void)
{
	return genl_register_family(&pktpool_vdev_family);
}

void pktpool_vdev_netlink_exit(void)
{
	genl_unregister_family(&pktpool_vdev_family);
}
