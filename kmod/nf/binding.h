/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _PKTPOOL_NF_BINDING_H
#define _PKTPOOL_NF_BINDING_H

#include <linux/list.h>
#include <linux/netfilter.h>
#include <linux/types.h>

struct pktpool;
struct sk_buff;
struct netlink_ext_ack;

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
};

struct pktpool_nf_stats {
	u64 seen;
	u64 copied;
	u64 bytes;
	u64 no_slot;
	u64 errors;
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

#endif /* _PKTPOOL_NF_BINDING_H */
