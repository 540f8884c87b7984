/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _PKTPOOL_NF_BINDING_H
#define _PKTPOOL_NF_BINDING_H

#include <linux/list.h>
#include <linux/netfilter.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/workqueue.h>

struct pktpool;
struct sk_buff;
struct netlink_ext_ack;
struct pktpool_desc;

/* What a binding is asked to do; see uapi/linux/pktpool_nf.h. */
struct pktpool_nf_config {
	char region[32];
	u8 family;
	u8 hook;
	u8 action;
	s32 priority;
	u32 mark;
	u32 mask;
	u32 snaplen;		/* 0: the slot size */
	u32 queue_max;		/* queue: packets waiting at most */
	u32 timeout_ms;		/* queue: how long one may wait */
	bool fail_open;		/* queue: accept what cannot wait */
};

struct pktpool_nf_stats {
	u64 seen;
	u64 copied;
	u64 bytes;
	u64 no_slot;
	u64 errors;
	u64 queued;
	u64 accepted;
	u64 dropped;
	u64 modified;
	u64 timed_out;
	u64 queue_full;
	u64 bad_verdicts;
};

/* Action queue (queue.c): the packets waiting for a verdict. */
struct pktpool_nf_queue {
	spinlock_t lock;	/* the list, waiting, closed */
	struct list_head list;	/* struct pktpool_nf_packet, oldest first */
	u32 waiting;
	bool closed;		/* the binding is going: queue no more */
	struct pktpool *packets;	/* per-packet state; limit queue_max */
	struct delayed_work expire;
};

struct pktpool_nf_binding {
	struct list_head node;	/* on pktpool_nf_bindings */
	u32 id;
	struct net *net;	/* unbound before the netns goes */
	struct pktpool_nf_config cfg;
	struct pktpool *pool;	/* region-backed: where copies go */
	u32 room;		/* bytes a slot holds */
	atomic_t next_id;	/* packet ids for descriptors */
	struct pktpool_nf_stats __percpu *stats;
	struct nf_hook_ops ops;
	struct pktpool_nf_queue queue;
};

/* Process context; the binding lock is taken inside. */
int pktpool_nf_bind(struct net *net, const struct pktpool_nf_config *cfg,
		    u32 *id, struct netlink_ext_ack *extack);
int pktpool_nf_unbind(struct net *net, u32 id);
void pktpool_nf_unbind_net(struct net *net);
void pktpool_nf_unbind_all(void);

/*
 * For netlink reads: call fn on each binding of net with an id at or above
 * *id, under the binding lock, until it returns non-zero; *id is where
 * to resume.
 */
int pktpool_nf_for_each(struct net *net, u32 *id,
			int (*fn)(const struct pktpool_nf_binding *b,
				  void *arg),
			void *arg);
void pktpool_nf_get_stats(const struct pktpool_nf_binding *b,
			  struct pktpool_nf_stats *s);

/*
 * queue.c. setup and teardown in process context; teardown releases
 * every waiting packet (accepted when fail_open and !drop) before the
 * hook is unregistered. pktpool_nf_queue_packet() runs in the hook and
 * returns its verdict for the packet; pktpool_nf_verdict() is the pool's
 * tx callback.
 */
int pktpool_nf_queue_setup(struct pktpool_nf_binding *b);
void pktpool_nf_queue_close(struct pktpool_nf_binding *b, bool drop);
void pktpool_nf_queue_teardown(struct pktpool_nf_binding *b);
unsigned int pktpool_nf_queue_packet(struct pktpool_nf_binding *b,
				     struct sk_buff *skb,
				     const struct nf_hook_state *state,
				     void *slot, struct pktpool_desc *d);
void pktpool_nf_verdict(void *arg, const struct pktpool_desc *d,
			const void *data);

#endif /* _PKTPOOL_NF_BINDING_H */
