// SPDX-License-Identifier: GPL-2.0
/*
 * Bindings: a netfilter hook that copies matching packets into the slots
 * of a pktpool region, through a region-backed pool, and hands them to
 * userspace on the region's rx ring; with action queue the packet then
 * waits for a verdict (queue.c).
 *
 * The hook runs in softirq context (or process context on output hooks)
 * under RCU; it only allocates a slot, copies and
 * submits, all without sleeping, so it is the same on PREEMPT_RT. Bindings
 * change under pktpool_nf_lock (a mutex). nf_unregister_net_hook() only
 * unlinks the hook (the old hook array goes after an RCU grace period),
 * so a binding is freed after synchronize_net(), when no hook that may
 * have seen it still runs.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/netfilter_ipv4.h>
#include <linux/netfilter_ipv6.h>
#include <linux/netlink.h>
#include <linux/percpu.h>
#include <linux/skbuff.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>
#include <net/net_namespace.h>
#include <linux/pktpool.h>
#include <linux/pktpool_nf.h>

#include "../pktpool.h"
#include "binding.h"
#include "trace.h"

static DEFINE_MUTEX(pktpool_nf_lock);
static LIST_HEAD(pktpool_nf_bindings);	/* by ascending id */
static u32 pktpool_nf_next_id;

/* Most bindings at once, over every namespace. */
#define PKTPOOL_NF_BINDINGS_MAX	256

static unsigned int pktpool_nf_hook(void *priv, struct sk_buff *skb,
				    const struct nf_hook_state *state)
{
	struct pktpool_nf_binding *b = priv;
	const struct net_device *dev = state->in ?: state->out;
	struct pktpool_desc d = {};
	void *slot;

	if ((skb->mark & b->cfg.mask) != b->cfg.mark)
		return NF_ACCEPT;
	/* Output hooks may run preemptible: this_cpu ops, not a pointer. */
	this_cpu_inc(b->stats->seen);
	/*
	 * A queued packet is seen and may be rewritten by userspace: it gets
	 * the checksum an offload would have filled in, as NFQUEUE does.
	 */
	if (b->cfg.action == PKTPOOL_NF_ACTION_QUEUE &&
	    skb->ip_summed == CHECKSUM_PARTIAL && !skb_is_gso(skb) &&
	    (skb->csum_not_inet ? skb_crc32c_csum_help(skb) :
	     skb_checksum_help(skb))) {
		this_cpu_inc(b->stats->errors);
		return b->cfg.fail_open ? NF_ACCEPT : NF_DROP;
	}
	slot = pktpool_alloc(b->pool, GFP_ATOMIC);
	if (!slot) {
		this_cpu_inc(b->stats->no_slot);
		if (b->cfg.action == PKTPOOL_NF_ACTION_QUEUE)
			return b->cfg.fail_open ? NF_ACCEPT : NF_DROP;
		return NF_ACCEPT;
	}
	d.orig_len = skb->len;
	d.len = min3(skb->len, b->cfg.snaplen, b->room);
	if (skb_copy_bits(skb, 0, slot, d.len)) {
		pktpool_free(b->pool, slot);
		this_cpu_inc(b->stats->errors);
		if (b->cfg.action == PKTPOOL_NF_ACTION_QUEUE)
			return b->cfg.fail_open ? NF_ACCEPT : NF_DROP;
		return NF_ACCEPT;
	}
	d.id = atomic_inc_return(&b->next_id);
	d.tstamp = ktime_get_real_ns();
	d.ifindex = dev ? dev->ifindex : 0;
	d.mark = skb->mark;
	d.family = state->pf;
	d.hook = state->hook;
	d.binding = b->id;
	if (d.len < d.orig_len)
		d.flags |= PKTPOOL_DESC_F_TRUNCATED;
	if (b->cfg.action == PKTPOOL_NF_ACTION_QUEUE)
		return pktpool_nf_queue_packet(b, skb, state, slot, &d);
	if (pktpool_rx_submit(b->pool, slot, &d)) {
		pktpool_free(b->pool, slot);
		this_cpu_inc(b->stats->errors);
		return NF_ACCEPT;
	}
	this_cpu_inc(b->stats->copied);
	this_cpu_add(b->stats->bytes, d.len);
	trace_pktpool_nf_rx(b->id, d.id, d.len, d.orig_len, false);
	return NF_ACCEPT;
}

static int pktpool_nf_check(const struct pktpool_nf_config *cfg,
			    struct netlink_ext_ack *extack)
{
	if (cfg->family != NFPROTO_IPV4 && cfg->family != NFPROTO_IPV6) {
		NL_SET_ERR_MSG(extack, "family must be ipv4 or ipv6");
		return -EINVAL;
	}
	if (cfg->hook > NF_INET_POST_ROUTING) {
		NL_SET_ERR_MSG(extack,
			       "hook must be prerouting, input, forward, output, postrouting");
		return -EINVAL;
	}
	if (cfg->action != PKTPOOL_NF_ACTION_COPY &&
	    cfg->action != PKTPOOL_NF_ACTION_QUEUE) {
		NL_SET_ERR_MSG(extack, "action must be copy or queue");
		return -EOPNOTSUPP;
	}
	if (!cfg->queue_max || cfg->queue_max > PKTPOOL_NF_QUEUE_MAX) {
		NL_SET_ERR_MSG(extack, "queue_max must be 1..65536");
		return -EINVAL;
	}
	if (!cfg->timeout_ms || cfg->timeout_ms > PKTPOOL_NF_TIMEOUT_MAX) {
		NL_SET_ERR_MSG(extack, "timeout_ms must be 1..600000");
		return -EINVAL;
	}
	if (cfg->snaplen > PKTPOOL_NF_SNAPLEN_MAX) {
		NL_SET_ERR_MSG(extack, "snaplen must be at most 65535");
		return -EINVAL;
	}
	if (cfg->mark & ~cfg->mask) {
		NL_SET_ERR_MSG(extack, "mark has bits outside the mask");
		return -EINVAL;
	}
	/* Keep clear of conntrack's and defrag's own priorities. */
	if (cfg->priority <= NF_IP_PRI_FIRST || cfg->priority >= NF_IP_PRI_LAST) {
		NL_SET_ERR_MSG(extack, "priority must be between INT_MIN and INT_MAX, exclusive");
		return -EINVAL;
	}
	return 0;
}

/* The hook is unregistered (or never was), its queue closed. */
static void pktpool_nf_free(struct pktpool_nf_binding *b)
{
	int err;

	if (b->pool) {
		/* Waits for a running verdict (tx) callback. */
		err = pktpool_destroy(b->pool);
		/* Every slot was submitted or freed inside the hook. */
		if (err)
			pr_err("binding %u: pool left behind: %d\n", b->id, err);
	}
	pktpool_nf_queue_teardown(b);
	free_percpu(b->stats);
	kfree(b);
}

int pktpool_nf_bind(struct net *net, const struct pktpool_nf_config *cfg,
		    u32 *id, struct netlink_ext_ack *extack)
{
	struct pktpool_params params = {
		.obj_size = 0,		/* the slot size */
		.node = NUMA_NO_NODE,
		.region = cfg->region,
	};
	struct pktpool_nf_binding *b, *pos;
	char name[PKTPOOL_NAME_MAX];
	unsigned int count = 0;
	int err;

	err = pktpool_nf_check(cfg, extack);
	if (err)
		return err;
	b = kzalloc(sizeof(*b), GFP_KERNEL);
	if (!b)
		return -ENOMEM;
	b->stats = alloc_percpu(struct pktpool_nf_stats);
	if (!b->stats) {
		kfree(b);
		return -ENOMEM;
	}
	b->cfg = *cfg;
	b->net = net;

	mutex_lock(&pktpool_nf_lock);
	list_for_each_entry(pos, &pktpool_nf_bindings, node)
		count++;
	err = -ENOSPC;
	if (count >= PKTPOOL_NF_BINDINGS_MAX) {
		NL_SET_ERR_MSG(extack, "too many bindings");
		goto err_unlock;
	}
	/* Ids are not reused while the counter has not wrapped. */
	do {
		b->id = ++pktpool_nf_next_id ?: ++pktpool_nf_next_id;
		err = 0;
		list_for_each_entry(pos, &pktpool_nf_bindings, node)
			if (pos->id == b->id)
				err = -EEXIST;
	} while (err);

	snprintf(name, sizeof(name), "nf-%u", b->id);
	params.name = name;
	if (cfg->action == PKTPOOL_NF_ACTION_QUEUE) {
		params.tx = pktpool_nf_verdict;
		params.tx_arg = b;
	}
	b->pool = pktpool_create(&params);
	if (IS_ERR(b->pool)) {
		err = PTR_ERR(b->pool);
		b->pool = NULL;
		if (err == -ENOENT)
			NL_SET_ERR_MSG(extack, "no such region");
		else
			NL_SET_ERR_MSG(extack, "cannot make a pool on the region");
		goto err_unlock;
	}
	b->room = pktpool_obj_size(b->pool);
	if (!b->cfg.snaplen)
		b->cfg.snaplen = b->room;
	err = pktpool_nf_queue_setup(b);
	if (err) {
		NL_SET_ERR_MSG(extack, "cannot make the queue's pool");
		goto err_unlock;
	}

	b->ops.hook = pktpool_nf_hook;
	b->ops.priv = b;
	b->ops.pf = cfg->family;
	b->ops.hooknum = cfg->hook;
	b->ops.priority = cfg->priority;
	err = nf_register_net_hook(net, &b->ops);
	if (err) {
		NL_SET_ERR_MSG(extack, "cannot register the hook");
		goto err_unlock;
	}
	/* Keep the list sorted by id for dumps that resume. */
	list_for_each_entry(pos, &pktpool_nf_bindings, node)
		if (pos->id > b->id)
			break;
	list_add_tail(&b->node, &pos->node);
	*id = b->id;
	mutex_unlock(&pktpool_nf_lock);
	return 0;

err_unlock:
	mutex_unlock(&pktpool_nf_lock);
	pktpool_nf_free(b);
	return err;
}

/*
 * Lock held: release waiting packets while the hook that sent them is
 * still there to continue from (dropped if drop), unhook (waits for
 * running hooks), unlist, free.
 */
static void pktpool_nf_remove(struct pktpool_nf_binding *b, bool drop)
{
	pktpool_nf_queue_close(b, drop);
	nf_unregister_net_hook(b->net, &b->ops);
	/* Hooks (and reinjections) that saw the binding finish first. */
	synchronize_net();
	list_del(&b->node);
	pktpool_nf_free(b);
}

int pktpool_nf_unbind(struct net *net, u32 id)
{
	struct pktpool_nf_binding *b;
	int err = -ENOENT;

	mutex_lock(&pktpool_nf_lock);
	list_for_each_entry(b, &pktpool_nf_bindings, node) {
		if (b->id == id && net_eq(b->net, net)) {
			pktpool_nf_remove(b, false);
			err = 0;
			break;
		}
	}
	mutex_unlock(&pktpool_nf_lock);
	return err;
}

void pktpool_nf_unbind_net(struct net *net)
{
	struct pktpool_nf_binding *b, *tmp;

	mutex_lock(&pktpool_nf_lock);
	list_for_each_entry_safe(b, tmp, &pktpool_nf_bindings, node)
		if (net_eq(b->net, net))
			pktpool_nf_remove(b, true);	/* its devices go */
	mutex_unlock(&pktpool_nf_lock);
}

void pktpool_nf_unbind_all(void)
{
	struct pktpool_nf_binding *b, *tmp;

	mutex_lock(&pktpool_nf_lock);
	list_for_each_entry_safe(b, tmp, &pktpool_nf_bindings, node)
		pktpool_nf_remove(b, false);
	mutex_unlock(&pktpool_nf_lock);
}

int pktpool_nf_for_each(struct net *net, u32 *id,
			int (*fn)(const struct pktpool_nf_binding *b,
				  void *arg),
			void *arg)
{
	struct pktpool_nf_binding *b;
	int err = 0;

	mutex_lock(&pktpool_nf_lock);
	list_for_each_entry(b, &pktpool_nf_bindings, node) {
		if (b->id < *id || !net_eq(b->net, net))
			continue;
		err = fn(b, arg);
		if (err) {
			*id = b->id;
			break;
		}
	}
	mutex_unlock(&pktpool_nf_lock);
	return err;
}

void pktpool_nf_get_stats(const struct pktpool_nf_binding *b,
			  struct pktpool_nf_stats *s)
{
	int cpu;

	memset(s, 0, sizeof(*s));
	for_each_possible_cpu(cpu) {
		const struct pktpool_nf_stats *c = per_cpu_ptr(b->stats, cpu);

		s->seen += READ_ONCE(c->seen);
		s->copied += READ_ONCE(c->copied);
		s->bytes += READ_ONCE(c->bytes);
		s->no_slot += READ_ONCE(c->no_slot);
		s->errors += READ_ONCE(c->errors);
		s->queued += READ_ONCE(c->queued);
		s->accepted += READ_ONCE(c->accepted);
		s->dropped += READ_ONCE(c->dropped);
		s->modified += READ_ONCE(c->modified);
		s->timed_out += READ_ONCE(c->timed_out);
		s->queue_full += READ_ONCE(c->queue_full);
		s->bad_verdicts += READ_ONCE(c->bad_verdicts);
	}
}
