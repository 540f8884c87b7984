// SPDX-License-Identifier: GPL-2.0
/*
 * Action queue: a matched packet is stolen from its hook and waits for
 * userspace's verdict, with a copy in a region slot on the rx ring; the
 * verdict comes back on the tx ring (uapi/linux/pktpool_nf.h).
 *
 * Each waiting packet has a struct pktpool_nf_packet from the binding's
 * own kernel pool, whose limit is queue_max: the pool limit is the flood
 * guard, allocated with GFP_ATOMIC in the hook. Packets wait on a list,
 * oldest first; whoever takes one off the list under queue->lock (the
 * verdict, the expiry work, the binding going away) owns it alone and
 * sends it on or drops it.
 *
 * Sending it on continues the hook traversal after this binding's hook,
 * as nf_reinject() does, with bottom halves off and under RCU: unbinding
 * waits for that (synchronize_net()), and a packet whose hook is already
 * gone is dropped. The packet holds references on its devices and
 * socket while it waits.
 *
 * Contexts: pktpool_nf_queue_packet() runs in the hook (softirq, or
 * process context on output hooks); pktpool_nf_verdict() in process
 * context from PKTPOOL_IOC_REGION_KICK; expiry on the system workqueue.
 * Nothing here sleeps with a lock held, so it is the same on PREEMPT_RT.
 */
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/jiffies.h>
#include <linux/netdevice.h>
#include <linux/netfilter_ipv4.h>
#include <linux/netfilter_bridge.h>
#include <linux/netfilter_ipv6.h>
#include <linux/skbuff.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <net/inet_sock.h>
#include <net/ip.h>
#include <net/ip6_checksum.h>
#include <net/route.h>
#include <net/sock.h>
#include <linux/pktpool.h>
#include <linux/pktpool_nf.h>

#include "../pktpool.h"
#include "binding.h"
#include "trace.h"

struct pktpool_nf_packet {
	struct list_head node;	/* on queue->list while it waits */
	struct sk_buff *skb;
	struct net_device *skb_dev;
	struct nf_hook_state state;
	const void *slot;	/* the slot of its rx entry */
	unsigned long deadline;	/* jiffies */
	u32 id;
	bool whole;		/* the slot holds all of it: may be modified */
};

static void pktpool_nf_expire(struct work_struct *work);

int pktpool_nf_queue_setup(struct pktpool_nf_binding *b)
{
	struct pktpool_nf_queue *q = &b->queue;
	char name[PKTPOOL_NAME_MAX];
	struct pktpool_params params = {
		.name = name,
		.obj_size = sizeof(struct pktpool_nf_packet),
		.limit = b->cfg.queue_max,
		.node = NUMA_NO_NODE,
	};

	spin_lock_init(&q->lock);
	INIT_LIST_HEAD(&q->list);
	INIT_DELAYED_WORK(&q->expire, pktpool_nf_expire);
	if (b->cfg.action != PKTPOOL_NF_ACTION_QUEUE)
		return 0;
	snprintf(name, sizeof(name), "nfq-%u", b->id);
	q->packets = pktpool_create(&params);
	if (IS_ERR(q->packets)) {
		int err = PTR_ERR(q->packets);

		q->packets = NULL;
		return err;
	}
	return 0;
}

/* After pktpool_nf_queue_close() and the region pool's destruction. */
void pktpool_nf_queue_teardown(struct pktpool_nf_binding *b)
{
	int err;

	if (!b->queue.packets)
		return;
	err = pktpool_destroy(b->queue.packets);
	if (err)
		pr_err("pktpool_nf: binding %u: queue pool left behind: %d\n",
		       b->id, err);
}

static void pktpool_nf_packet_free(struct pktpool_nf_binding *b,
				   struct pktpool_nf_packet *p)
{
	dev_put(p->skb_dev);
	dev_put(p->state.in);
	dev_put(p->state.out);
	if (p->state.sk)
		sock_gen_put(p->state.sk);
	pktpool_free(b->queue.packets, p);
}

/* Under RCU: the index of b's hook among its hook point's, or -1. */
static int pktpool_nf_hook_index(const struct pktpool_nf_binding *b,
				 const struct nf_hook_state *st,
				 const struct nf_hook_entries **ep)
{
	const struct nf_hook_entries *e;
	struct nf_hook_ops **ops;
	unsigned int i;

	if (st->hook >= NF_INET_NUMHOOKS)
		return -1;
	if (st->pf == NFPROTO_IPV4)
		e = rcu_dereference(st->net->nf.hooks_ipv4[st->hook]);
	else if (st->pf == NFPROTO_IPV6)
		e = rcu_dereference(st->net->nf.hooks_ipv6[st->hook]);
	else
		return -1;
	if (!e)
		return -1;
	ops = nf_hook_entries_get_hook_ops(e);
	for (i = 0; i < e->num_hook_entries; i++) {
		if (ops[i] == &b->ops) {
			*ep = e;
			return i;
		}
	}
	return -1;
}

/*
 * Send p's packet on through the hooks after b's, or drop it; free p.
 * how: PKTPOOL_NF_BY_*, for the tracepoint.
 */
static void pktpool_nf_reinject(struct pktpool_nf_binding *b,
				struct pktpool_nf_packet *p, bool accept,
				int how)
{
	const struct nf_hook_entries *e;
	struct sk_buff *skb = p->skb;
	int i = -1;

	trace_pktpool_nf_release(b->id, p->id, how, accept);
	local_bh_disable();
	rcu_read_lock();
	if (accept)
		i = pktpool_nf_hook_index(b, &p->state, &e);
	if (i < 0)
		kfree_skb(skb);
	else if (nf_hook_slow(skb, &p->state, e, i + 1) == 1)
		p->state.okfn(p->state.net, p->state.sk, skb);
	rcu_read_unlock();
	local_bh_enable();
	pktpool_nf_packet_free(b, p);
}

/* The oldest waiting packet, taken off the list, or NULL. */
static struct pktpool_nf_packet *pktpool_nf_pop(struct pktpool_nf_queue *q,
						bool expired_only)
{
	struct pktpool_nf_packet *p;

	spin_lock_bh(&q->lock);
	p = list_first_entry_or_null(&q->list, struct pktpool_nf_packet, node);
	if (p && expired_only && time_before(jiffies, p->deadline))
		p = NULL;
	if (p) {
		list_del_init(&p->node);
		q->waiting--;
	}
	spin_unlock_bh(&q->lock);
	return p;
}

/* Lock held: look at the list again when its oldest packet expires. */
static void pktpool_nf_expire_schedule(struct pktpool_nf_queue *q)
{
	struct pktpool_nf_packet *p;

	lockdep_assert_held(&q->lock);
	p = list_first_entry_or_null(&q->list, struct pktpool_nf_packet, node);
	if (p && !q->closed)
		mod_delayed_work(system_wq, &q->expire,
				 time_after(p->deadline, jiffies) ?
				 p->deadline - jiffies : 0);
}

static void pktpool_nf_expire(struct work_struct *work)
{
	struct pktpool_nf_queue *q =
		container_of(to_delayed_work(work), struct pktpool_nf_queue,
			     expire);
	struct pktpool_nf_binding *b =
		container_of(q, struct pktpool_nf_binding, queue);
	struct pktpool_nf_packet *p;

	while ((p = pktpool_nf_pop(q, true))) {
		this_cpu_inc(b->stats->timed_out);
		pktpool_nf_reinject(b, p, b->cfg.fail_open,
				    PKTPOOL_NF_BY_TIMEOUT);
	}
	spin_lock_bh(&q->lock);
	pktpool_nf_expire_schedule(q);
	spin_unlock_bh(&q->lock);
}

/*
 * Process context, before the hook is unregistered: queue no more and
 * release every waiting packet, accepted if fail_open and not drop.
 */
void pktpool_nf_queue_close(struct pktpool_nf_binding *b, bool drop)
{
	struct pktpool_nf_queue *q = &b->queue;
	struct pktpool_nf_packet *p;

	if (!q->packets)
		return;
	spin_lock_bh(&q->lock);
	q->closed = true;
	spin_unlock_bh(&q->lock);
	cancel_delayed_work_sync(&q->expire);
	while ((p = pktpool_nf_pop(q, false)))
		pktpool_nf_reinject(b, p, b->cfg.fail_open && !drop,
				    PKTPOOL_NF_BY_UNBIND);
}

static unsigned int pktpool_nf_fail(const struct pktpool_nf_binding *b)
{
	return b->cfg.fail_open ? NF_ACCEPT : NF_DROP;
}

/* Packets the queue cannot hold on to as nf_queue() would. */
static bool pktpool_nf_queueable(struct sk_buff *skb)
{
	if (skb_sk_is_prefetched(skb))
		return false;
#if IS_ENABLED(CONFIG_BRIDGE_NETFILTER)
	/* br_netfilter's bridged packets hold bridge ports we do not pin. */
	if (nf_bridge_info_exists(skb))
		return false;
#endif
	return true;
}

unsigned int pktpool_nf_queue_packet(struct pktpool_nf_binding *b,
				     struct sk_buff *skb,
				     const struct nf_hook_state *state,
				     void *slot, struct pktpool_desc *d)
{
	struct pktpool_nf_queue *q = &b->queue;
	struct pktpool_nf_packet *p;
	bool listed;

	if (!pktpool_nf_queueable(skb))
		goto err;
	p = pktpool_alloc(q->packets, GFP_ATOMIC);
	if (!p) {
		this_cpu_inc(b->stats->queue_full);
		goto fail;
	}
	if ((skb_dst(skb) && !skb_dst_force(skb)) ||
	    (state->sk && !refcount_inc_not_zero(&state->sk->sk_refcnt))) {
		pktpool_free(q->packets, p);
		goto err;
	}
	p->skb = skb;
	p->skb_dev = skb->dev;
	p->state = *state;
	p->slot = slot;
	p->id = d->id;
	p->whole = !(d->flags & PKTPOOL_DESC_F_TRUNCATED) && !skb_is_gso(skb);
	p->deadline = jiffies + msecs_to_jiffies(b->cfg.timeout_ms);
	dev_hold(p->skb_dev);
	dev_hold(state->in);
	dev_hold(state->out);
	d->flags |= PKTPOOL_DESC_F_QUEUED;

	/*
	 * Listed before userspace can see it, so its verdict finds it, and
	 * submitted under the queue lock, so nobody (expiry, close) takes it
	 * off the list before we know it is on the ring. Lock order: the
	 * queue's lock, then the ring's; nothing takes them the other way.
	 */
	spin_lock_bh(&q->lock);
	listed = !q->closed && !pktpool_rx_submit(b->pool, slot, d);
	if (listed) {
		list_add_tail(&p->node, &q->list);
		q->waiting++;
		/*
		 * Pending already, the expiry comes early at worst and looks
		 * again: no timer churn per packet while userspace keeps up.
		 */
		if (q->waiting == 1)
			schedule_delayed_work(&q->expire,
					      msecs_to_jiffies(b->cfg.timeout_ms));
	}
	spin_unlock_bh(&q->lock);
	if (!listed) {
		pktpool_nf_packet_free(b, p);
		goto fail;
	}
	this_cpu_inc(b->stats->queued);
	trace_pktpool_nf_rx(b->id, d->id, d->len, d->orig_len, true);
	return NF_STOLEN;

err:
	this_cpu_inc(b->stats->errors);
fail:
	pktpool_free(b->pool, slot);
	return pktpool_nf_fail(b);
}

/* The TCP or UDP checksum of a linear packet whose L4 header is at off. */
static int pktpool_nf_fix_l4(struct sk_buff *skb, u8 pf, unsigned int off,
			     u8 proto)
{
	unsigned int len = skb->len - off;
	__sum16 *check;
	__wsum csum;

	if (proto == IPPROTO_TCP && len >= sizeof(struct tcphdr)) {
		check = &((struct tcphdr *)(skb->data + off))->check;
	} else if (proto == IPPROTO_UDP && len >= sizeof(struct udphdr)) {
		struct udphdr *uh = (struct udphdr *)(skb->data + off);

		uh->len = htons(len);
		check = &uh->check;
	} else if (proto == IPPROTO_TCP || proto == IPPROTO_UDP) {
		return -EINVAL;		/* too short for its own header */
	} else {
		return 0;		/* not ours to fix */
	}
	*check = 0;
	csum = csum_partial(skb->data + off, len, 0);
	if (pf == NFPROTO_IPV4) {
		const struct iphdr *iph = (const struct iphdr *)skb->data;

		*check = csum_tcpudp_magic(iph->saddr, iph->daddr, len, proto,
					   csum);
	} else {
		const struct ipv6hdr *ip6 = (const struct ipv6hdr *)skb->data;

		*check = csum_ipv6_magic(&ip6->saddr, &ip6->daddr, len, proto,
					 csum);
	}
	if (proto == IPPROTO_UDP && !*check)
		*check = CSUM_MANGLED_0;
	return 0;
}

/* Lengths and checksums of a linear packet whose bytes userspace wrote. */
static int pktpool_nf_fix(struct sk_buff *skb, u8 pf)
{
	struct ipv6hdr *ip6;
	unsigned int hl;

	if (pf == NFPROTO_IPV4) {
		struct iphdr *iph = (struct iphdr *)skb->data;

		if (skb->len < sizeof(*iph) || iph->version != 4 ||
		    iph->ihl < 5 || iph->ihl * 4 > skb->len)
			return -EINVAL;
		hl = iph->ihl * 4;
		iph->tot_len = htons(skb->len);
		ip_send_check(iph);
		skb_set_transport_header(skb, hl);
		skb->ip_summed = CHECKSUM_NONE;
		/* A fragment's L4 checksum covers bytes we never see. */
		if (iph->frag_off & htons(IP_MF | IP_OFFSET))
			return 0;
		return pktpool_nf_fix_l4(skb, pf, hl, iph->protocol);
	}
	ip6 = (struct ipv6hdr *)skb->data;
	if (skb->len < sizeof(*ip6) || ip6->version != 6)
		return -EINVAL;
	hl = sizeof(*ip6);
	ip6->payload_len = htons(skb->len - hl);
	skb_set_transport_header(skb, hl);
	skb->ip_summed = CHECKSUM_NONE;
	/* Only a TCP or UDP header right after the fixed header is fixed. */
	return pktpool_nf_fix_l4(skb, pf, hl, ip6->nexthdr);
}

/*
 * The packet becomes the slot's first len bytes: copied out of shared
 * memory once, then checked and fixed in the private copy.
 */
static int pktpool_nf_mangle(struct pktpool_nf_binding *b,
			     struct pktpool_nf_packet *p, const void *data,
			     u32 len)
{
	struct sk_buff *skb = p->skb;
	unsigned int extra;

	if (!p->whole || len > b->room || len > IP_MAX_MTU ||
	    len < sizeof(struct iphdr))
		return -EINVAL;
	/* skb->data is the network header at the IP hooks. */
	if (skb_linearize_cow(skb))
		return -ENOMEM;
	if (len > skb->len) {
		extra = len - skb->len;
		if (extra > skb_tailroom(skb) &&
		    pskb_expand_head(skb, 0, extra - skb_tailroom(skb),
				     GFP_ATOMIC))
			return -ENOMEM;
		skb_put(skb, extra);
	} else {
		skb_trim(skb, len);
	}
	memcpy(skb->data, data, len);
	return pktpool_nf_fix(skb, p->state.pf);
}

/* A locally sent packet whose addresses or mark changed is routed again. */
static int pktpool_nf_reroute(struct pktpool_nf_packet *p)
{
	struct nf_hook_state *st = &p->state;

	if (st->hook != NF_INET_LOCAL_OUT)
		return 0;
	if (st->pf == NFPROTO_IPV4)
		return ip_route_me_harder(st->net, st->sk, p->skb, RTN_UNSPEC);
	return nf_ip6_route_me_harder(st->net, st->sk, p->skb);
}

/* What d says to do with p's packet: true to send it on. Counted. */
static bool pktpool_nf_apply(struct pktpool_nf_binding *b,
			     struct pktpool_nf_packet *p,
			     const struct pktpool_desc *d, const void *data)
{
	const u16 known = PKTPOOL_DESC_F_MODIFIED | PKTPOOL_DESC_F_MARK;

	if (d->verdict == PKTPOOL_VERDICT_DROP) {
		this_cpu_inc(b->stats->dropped);
		return false;
	}
	if (d->verdict != PKTPOOL_VERDICT_ACCEPT || (d->flags & ~known))
		goto bad;
	if ((d->flags & PKTPOOL_DESC_F_MODIFIED) &&
	    pktpool_nf_mangle(b, p, data, d->len))
		goto bad;
	if (d->flags & PKTPOOL_DESC_F_MARK)
		p->skb->mark = d->mark;
	if ((d->flags & known) && pktpool_nf_reroute(p)) {
		this_cpu_inc(b->stats->errors);
		return false;
	}
	if (d->flags & PKTPOOL_DESC_F_MODIFIED)
		this_cpu_inc(b->stats->modified);
	this_cpu_inc(b->stats->accepted);
	return true;

bad:
	this_cpu_inc(b->stats->bad_verdicts);
	return false;
}

/*
 * The region pool's tx callback (see pktpool_params.tx): process context,
 * d a private copy, data the slot (shared, hostile).
 */
void pktpool_nf_verdict(void *arg, const struct pktpool_desc *d,
			const void *data)
{
	struct pktpool_nf_binding *b = arg;
	struct pktpool_nf_queue *q = &b->queue;
	struct pktpool_nf_packet *p, *found = NULL;

	/* Verdicts mostly come in order: the oldest is usually the one. */
	spin_lock_bh(&q->lock);
	list_for_each_entry(p, &q->list, node) {
		if (p->id == d->id) {
			if (p->slot == data)
				found = p;
			break;
		}
	}
	if (found) {
		list_del_init(&found->node);
		q->waiting--;
	}
	spin_unlock_bh(&q->lock);
	if (!found) {
		/* Unknown (maybe timed out) id, or not its slot. */
		this_cpu_inc(b->stats->bad_verdicts);
		return;
	}
	pktpool_nf_reinject(b, found, pktpool_nf_apply(b, found, d, data),
			    PKTPOOL_NF_BY_VERDICT);
}
