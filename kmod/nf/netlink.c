// SPDX-License-Identifier: GPL-2.0
/*
 * The "pktpool_nf" generic netlink family: bind, unbind, get/dump, with
 * strict policies and extack. Described by
 * Documentation/netlink/specs/pktpool_nf.yaml. Bindings belong to the
 * network namespace of the socket that made them.
 */
#include <linux/netfilter.h>
#include <net/genetlink.h>
#include <net/sock.h>
#include <linux/pktpool_nf.h>

#include "binding.h"
#include "netlink.h"

/*
 * nla_policy's min and max are s16: 65535 needs a range of its own (not
 * const: 6.1's policy points at it without const).
 */
static struct netlink_range_validation pktpool_nf_snaplen_range = {
	.min = 1,
	.max = PKTPOOL_NF_SNAPLEN_MAX,
};

static struct netlink_range_validation pktpool_nf_queue_max_range = {
	.min = 1,
	.max = PKTPOOL_NF_QUEUE_MAX,
};

static struct netlink_range_validation pktpool_nf_timeout_range = {
	.min = 1,
	.max = PKTPOOL_NF_TIMEOUT_MAX,
};

static const struct nla_policy pktpool_nf_bind_policy[PKTPOOL_NF_A_BIND_MAX + 1] = {
	[PKTPOOL_NF_A_BIND_REGION] = { .type = NLA_NUL_STRING, .len = 31 },
	[PKTPOOL_NF_A_BIND_FAMILY] = NLA_POLICY_RANGE(NLA_U8, 0, 255),
	[PKTPOOL_NF_A_BIND_HOOK] = NLA_POLICY_MAX(NLA_U8, NF_INET_POST_ROUTING),
	[PKTPOOL_NF_A_BIND_PRIORITY] = { .type = NLA_S32 },
	[PKTPOOL_NF_A_BIND_MARK] = { .type = NLA_U32 },
	[PKTPOOL_NF_A_BIND_MASK] = { .type = NLA_U32 },
	[PKTPOOL_NF_A_BIND_SNAPLEN] = NLA_POLICY_FULL_RANGE(NLA_U32,
						     &pktpool_nf_snaplen_range),
	[PKTPOOL_NF_A_BIND_ACTION] = NLA_POLICY_RANGE(NLA_U8, PKTPOOL_NF_ACTION_COPY,
						      PKTPOOL_NF_ACTION_QUEUE),
	[PKTPOOL_NF_A_BIND_QUEUE_MAX] = NLA_POLICY_FULL_RANGE(NLA_U32,
						     &pktpool_nf_queue_max_range),
	[PKTPOOL_NF_A_BIND_TIMEOUT_MS] = NLA_POLICY_FULL_RANGE(NLA_U32,
						     &pktpool_nf_timeout_range),
	[PKTPOOL_NF_A_BIND_FAIL_OPEN] = NLA_POLICY_MAX(NLA_U8, 1),
};

static const struct nla_policy pktpool_nf_id_policy[PKTPOOL_NF_A_BIND_MAX + 1] = {
	[PKTPOOL_NF_A_BIND_ID] = NLA_POLICY_MIN(NLA_U32, 1),
};

static struct genl_family pktpool_nf_family;

/* The queue's configuration and counters. */
static int pktpool_nf_fill_queue(struct sk_buff *skb,
				 const struct pktpool_nf_binding *b,
				 const struct pktpool_nf_stats *s)
{
	const int pad = PKTPOOL_NF_A_BIND_PAD;

	if (nla_put_u32(skb, PKTPOOL_NF_A_BIND_QUEUE_MAX, b->cfg.queue_max) ||
	    nla_put_u32(skb, PKTPOOL_NF_A_BIND_TIMEOUT_MS, b->cfg.timeout_ms) ||
	    nla_put_u8(skb, PKTPOOL_NF_A_BIND_FAIL_OPEN, b->cfg.fail_open) ||
	    nla_put_u32(skb, PKTPOOL_NF_A_BIND_WAITING,
			READ_ONCE(b->queue.waiting)) ||
	    nla_put_u64_64bit(skb, PKTPOOL_NF_A_BIND_QUEUED, s->queued, pad) ||
	    nla_put_u64_64bit(skb, PKTPOOL_NF_A_BIND_ACCEPTED, s->accepted, pad) ||
	    nla_put_u64_64bit(skb, PKTPOOL_NF_A_BIND_DROPPED, s->dropped, pad) ||
	    nla_put_u64_64bit(skb, PKTPOOL_NF_A_BIND_MODIFIED, s->modified, pad) ||
	    nla_put_u64_64bit(skb, PKTPOOL_NF_A_BIND_TIMED_OUT, s->timed_out, pad) ||
	    nla_put_u64_64bit(skb, PKTPOOL_NF_A_BIND_QUEUE_FULL, s->queue_full, pad) ||
	    nla_put_u64_64bit(skb, PKTPOOL_NF_A_BIND_BAD_VERDICTS,
			      s->bad_verdicts, pad))
		return -EMSGSIZE;
	return 0;
}

static int pktpool_nf_fill(struct sk_buff *skb,
			   const struct pktpool_nf_binding *b, u32 portid,
			   u32 seq, int flags)
{
	const int pad = PKTPOOL_NF_A_BIND_PAD;
	struct pktpool_nf_stats s;
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &pktpool_nf_family, flags,
			  PKTPOOL_NF_CMD_GET);
	if (!hdr)
		return -EMSGSIZE;
	pktpool_nf_get_stats(b, &s);
	if (nla_put_u32(skb, PKTPOOL_NF_A_BIND_ID, b->id) ||
	    nla_put_string(skb, PKTPOOL_NF_A_BIND_REGION, b->cfg.region) ||
	    nla_put_u8(skb, PKTPOOL_NF_A_BIND_FAMILY, b->cfg.family) ||
	    nla_put_u8(skb, PKTPOOL_NF_A_BIND_HOOK, b->cfg.hook) ||
	    nla_put_s32(skb, PKTPOOL_NF_A_BIND_PRIORITY, b->cfg.priority) ||
	    nla_put_u32(skb, PKTPOOL_NF_A_BIND_MARK, b->cfg.mark) ||
	    nla_put_u32(skb, PKTPOOL_NF_A_BIND_MASK, b->cfg.mask) ||
	    nla_put_u32(skb, PKTPOOL_NF_A_BIND_SNAPLEN, b->cfg.snaplen) ||
	    nla_put_u8(skb, PKTPOOL_NF_A_BIND_ACTION, b->cfg.action) ||
	    nla_put_u64_64bit(skb, PKTPOOL_NF_A_BIND_SEEN, s.seen, pad) ||
	    nla_put_u64_64bit(skb, PKTPOOL_NF_A_BIND_COPIED, s.copied, pad) ||
	    nla_put_u64_64bit(skb, PKTPOOL_NF_A_BIND_BYTES, s.bytes, pad) ||
	    nla_put_u64_64bit(skb, PKTPOOL_NF_A_BIND_NO_SLOT, s.no_slot, pad) ||
	    nla_put_u64_64bit(skb, PKTPOOL_NF_A_BIND_ERRORS, s.errors, pad) ||
	    pktpool_nf_fill_queue(skb, b, &s)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

static int pktpool_nf_bind_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct pktpool_nf_config cfg = {
		.action = PKTPOOL_NF_ACTION_COPY,
		.queue_max = 1024,
		.timeout_ms = 1000,
	};
	struct nlattr **tb = info->attrs;
	struct sk_buff *msg;
	u32 id;
	int err;

	if (GENL_REQ_ATTR_CHECK(info, PKTPOOL_NF_A_BIND_REGION) ||
	    GENL_REQ_ATTR_CHECK(info, PKTPOOL_NF_A_BIND_FAMILY) ||
	    GENL_REQ_ATTR_CHECK(info, PKTPOOL_NF_A_BIND_HOOK))
		return -EINVAL;
	nla_strscpy(cfg.region, tb[PKTPOOL_NF_A_BIND_REGION], sizeof(cfg.region));
	cfg.family = nla_get_u8(tb[PKTPOOL_NF_A_BIND_FAMILY]);
	cfg.hook = nla_get_u8(tb[PKTPOOL_NF_A_BIND_HOOK]);
	if (tb[PKTPOOL_NF_A_BIND_PRIORITY])
		cfg.priority = nla_get_s32(tb[PKTPOOL_NF_A_BIND_PRIORITY]);
	if (tb[PKTPOOL_NF_A_BIND_MARK])
		cfg.mark = nla_get_u32(tb[PKTPOOL_NF_A_BIND_MARK]);
	if (tb[PKTPOOL_NF_A_BIND_MASK])
		cfg.mask = nla_get_u32(tb[PKTPOOL_NF_A_BIND_MASK]);
	if (tb[PKTPOOL_NF_A_BIND_SNAPLEN])
		cfg.snaplen = nla_get_u32(tb[PKTPOOL_NF_A_BIND_SNAPLEN]);
	if (tb[PKTPOOL_NF_A_BIND_ACTION])
		cfg.action = nla_get_u8(tb[PKTPOOL_NF_A_BIND_ACTION]);
	if (tb[PKTPOOL_NF_A_BIND_QUEUE_MAX])
		cfg.queue_max = nla_get_u32(tb[PKTPOOL_NF_A_BIND_QUEUE_MAX]);
	if (tb[PKTPOOL_NF_A_BIND_TIMEOUT_MS])
		cfg.timeout_ms = nla_get_u32(tb[PKTPOOL_NF_A_BIND_TIMEOUT_MS]);
	if (tb[PKTPOOL_NF_A_BIND_FAIL_OPEN])
		cfg.fail_open = nla_get_u8(tb[PKTPOOL_NF_A_BIND_FAIL_OPEN]);

	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	err = pktpool_nf_bind(genl_info_net(info), &cfg, &id, info->extack);
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	/* The reply carries the id; a lost reply leaves a listed binding. */
	if (!genlmsg_put_reply(msg, info, &pktpool_nf_family, 0,
			       PKTPOOL_NF_CMD_BIND) ||
	    nla_put_u32(msg, PKTPOOL_NF_A_BIND_ID, id)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, genlmsg_data(nlmsg_data(nlmsg_hdr(msg))));
	return genlmsg_reply(msg, info);
}

static int pktpool_nf_unbind_doit(struct sk_buff *skb, struct genl_info *info)
{
	if (GENL_REQ_ATTR_CHECK(info, PKTPOOL_NF_A_BIND_ID))
		return -EINVAL;
	return pktpool_nf_unbind(genl_info_net(info),
				 nla_get_u32(info->attrs[PKTPOOL_NF_A_BIND_ID]));
}

struct pktpool_nf_get_arg {
	struct sk_buff *skb;
	u32 portid, seq;
	int flags;
	u32 want;		/* doit: only this id */
	bool found;
};

static int pktpool_nf_get_one(const struct pktpool_nf_binding *b, void *data)
{
	struct pktpool_nf_get_arg *a = data;

	if (a->want && b->id != a->want)
		return 0;
	a->found = true;
	return pktpool_nf_fill(a->skb, b, a->portid, a->seq, a->flags);
}

static int pktpool_nf_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct pktpool_nf_get_arg a = {
		.portid = info->snd_portid,
		.seq = info->snd_seq,
	};
	u32 from = 1;
	int err;

	if (GENL_REQ_ATTR_CHECK(info, PKTPOOL_NF_A_BIND_ID))
		return -EINVAL;
	a.want = nla_get_u32(info->attrs[PKTPOOL_NF_A_BIND_ID]);
	a.skb = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!a.skb)
		return -ENOMEM;
	err = pktpool_nf_for_each(genl_info_net(info), &from,
				  pktpool_nf_get_one, &a);
	if (err || !a.found) {
		nlmsg_free(a.skb);
		return err ?: -ENOENT;
	}
	return genlmsg_reply(a.skb, info);
}

/* cb->args[0]: the id to resume from. */
static int pktpool_nf_get_dumpit(struct sk_buff *skb,
				 struct netlink_callback *cb)
{
	struct pktpool_nf_get_arg a = {
		.skb = skb,
		.portid = NETLINK_CB(cb->skb).portid,
		.seq = cb->nlh->nlmsg_seq,
		.flags = NLM_F_MULTI,
	};
	u32 from = cb->args[0] ?: 1;
	int err;

	err = pktpool_nf_for_each(sock_net(skb->sk), &from,
				  pktpool_nf_get_one, &a);
	if (err == -EMSGSIZE) {
		cb->args[0] = from;
		return skb->len;
	}
	return err ?: 0;
}

static const struct genl_ops pktpool_nf_ops[] = {
	{
		.cmd = PKTPOOL_NF_CMD_BIND,
		.doit = pktpool_nf_bind_doit,
		.policy = pktpool_nf_bind_policy,
		.maxattr = PKTPOOL_NF_A_BIND_MAX,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = PKTPOOL_NF_CMD_UNBIND,
		.doit = pktpool_nf_unbind_doit,
		.policy = pktpool_nf_id_policy,
		.maxattr = PKTPOOL_NF_A_BIND_MAX,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = PKTPOOL_NF_CMD_GET,
		.doit = pktpool_nf_get_doit,
		.dumpit = pktpool_nf_get_dumpit,
		.policy = pktpool_nf_id_policy,
		.maxattr = PKTPOOL_NF_A_BIND_MAX,
	},
};

static struct genl_family pktpool_nf_family = {
	.name = PKTPOOL_NF_GENL_NAME,
	.version = PKTPOOL_NF_GENL_VERSION,
	.netnsok = true,
	.module = THIS_MODULE,
	.ops = pktpool_nf_ops,
	.n_ops = ARRAY_SIZE(pktpool_nf_ops),
	/* Every command is new: validate strictly, reserved bytes too. */
	.resv_start_op = PKTPOOL_NF_CMD_BIND,
};

int pktpool_nf_netlink_init(void)
{
	return genl_register_family(&pktpool_nf_family);
}

void pktpool_nf_netlink_exit(void)
{
	genl_unregister_family(&pktpool_nf_family);
}
