// SPDX-License-Identifier: GPL-2.0
/*
 * The "pktpool" generic netlink family, as described by
 * Documentation/netlink/specs/pktpool.yaml: pool, region and class
 * get/dump, pool-set, a debug pool's objects (pool-objects-get), and
 * notifications to the "monitor" group.
 *
 * Notifications about limits and reserves start on allocation paths, in
 * any context, so they only mark the pool and kick a work item; the work
 * item builds and sends the message, at most once a second per pool.
 * Health levels (health.c) are sent the same way.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kallsyms.h>
#include <linux/math64.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>
#include <linux/workqueue.h>
#include <net/genetlink.h>

#include "class.h"
#include "health.h"
#include "compat.h"
#include "netlink.h"
#include "objects.h"
#include "pool.h"
#include "region.h"

static struct genl_family pktpool_genl_family;

enum { PKTPOOL_NLGRP_MONITOR };

static const struct genl_multicast_group pktpool_nl_mcgrps[] = {
	[PKTPOOL_NLGRP_MONITOR] = { .name = PKTPOOL_GENL_MCGRP_MONITOR },
};

/* Not const: 6.1 policies point at non-const ranges. */
static struct netlink_range_validation pktpool_nl_limit_range = {
	.max = PKTPOOL_LIMIT_MAX,
};

static struct netlink_range_validation pktpool_nl_reserve_range = {
	.max = PKTPOOL_RESERVE_MAX,
};

static const struct nla_policy pktpool_nl_pool_policy[PKTPOOL_A_POOL_MAX + 1] = {
	[PKTPOOL_A_POOL_ID] = NLA_POLICY_MIN(NLA_U32, 1),
	[PKTPOOL_A_POOL_NAME] = { .type = NLA_NUL_STRING,
				  .len = PKTPOOL_NAME_MAX - 1 },
	[PKTPOOL_A_POOL_LIMIT] = NLA_POLICY_FULL_RANGE(NLA_U64,
						       &pktpool_nl_limit_range),
	[PKTPOOL_A_POOL_RESERVE] =
		NLA_POLICY_FULL_RANGE(NLA_U64, &pktpool_nl_reserve_range),
};

static const struct nla_policy pktpool_nl_region_policy[PKTPOOL_A_REGION_MAX + 1] = {
	[PKTPOOL_A_REGION_ID] = NLA_POLICY_MIN(NLA_U32, 1),
	[PKTPOOL_A_REGION_NAME] = { .type = NLA_NUL_STRING,
				    .len = PKTPOOL_NAME_MAX - 1 },
};

static bool pktpool_nl_listening(void)
{
	return genl_has_listeners(&pktpool_genl_family, &init_net,
				  PKTPOOL_NLGRP_MONITOR);
}

static int pktpool_nl_put_u64(struct sk_buff *skb, int type, u64 v, int pad)
{
	return nla_put_u64_64bit(skb, type, v, pad);
}

/* Caller holds pktpool_pools_lock, or the pool is pinned otherwise. */
static int pktpool_nl_fill_pool(struct sk_buff *skb, struct pktpool *pool,
				u32 portid, u32 seq, int flags, u8 cmd,
				u64 fails_since)
{
	const int pad = PKTPOOL_A_POOL_PAD;
	struct pktpool_stats s;
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &pktpool_genl_family, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;
	pktpool_get_stats(pool, &s);
	if (nla_put_u32(skb, PKTPOOL_A_POOL_ID, pool->id) ||
	    nla_put_string(skb, PKTPOOL_A_POOL_NAME, pool->name) ||
	    nla_put_u32(skb, PKTPOOL_A_POOL_OBJ_SIZE, pool->obj_size) ||
	    nla_put_u32(skb, PKTPOOL_A_POOL_CLASS_SIZE, pool->class->size) ||
	    nla_put_s32(skb, PKTPOOL_A_POOL_NODE, pool->node) ||
	    nla_put_u32(skb, PKTPOOL_A_POOL_FLAGS, pool->flags) ||
	    pktpool_nl_put_u64(skb, PKTPOOL_A_POOL_LIMIT,
			       READ_ONCE(pool->limit), pad) ||
	    pktpool_nl_put_u64(skb, PKTPOOL_A_POOL_RESERVE,
			       READ_ONCE(pool->reserve_target), pad) ||
	    pktpool_nl_put_u64(skb, PKTPOOL_A_POOL_IN_USE, s.in_use, pad) ||
	    pktpool_nl_put_u64(skb, PKTPOOL_A_POOL_PEAK, s.peak, pad) ||
	    pktpool_nl_put_u64(skb, PKTPOOL_A_POOL_ALLOCS, s.allocs, pad) ||
	    pktpool_nl_put_u64(skb, PKTPOOL_A_POOL_FREES, s.frees, pad) ||
	    pktpool_nl_put_u64(skb, PKTPOOL_A_POOL_FAIL_LIMIT,
			       s.fail_limit, pad) ||
	    pktpool_nl_put_u64(skb, PKTPOOL_A_POOL_FAIL_NOMEM,
			       s.fail_nomem, pad) ||
	    pktpool_nl_put_u64(skb, PKTPOOL_A_POOL_RESERVE_HITS,
			       s.reserve_hits, pad) ||
	    pktpool_nl_put_u64(skb, PKTPOOL_A_POOL_RESERVE_AVAIL,
			       s.reserve_avail, pad) ||
	    pktpool_nl_put_u64(skb, PKTPOOL_A_POOL_CACHED, s.cached, pad) ||
	    pktpool_nl_put_u64(skb, PKTPOOL_A_POOL_HOLDERS, s.holders, pad) ||
	    pktpool_nl_put_u64(skb, PKTPOOL_A_POOL_BAD_FREES,
			       s.bad_frees, pad) ||
	    (cmd == PKTPOOL_CMD_POOL_LIMIT_NTF &&
	     pktpool_nl_put_u64(skb, PKTPOOL_A_POOL_FAILS_SINCE,
				fails_since, pad)) ||
	    (cmd == PKTPOOL_CMD_POOL_HEALTH_NTF &&
	     nla_put_u32(skb, PKTPOOL_A_POOL_HEALTH, READ_ONCE(pool->health))))
		goto cancel;
	genlmsg_end(skb, hdr);
	return 0;

cancel:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

static void pktpool_nl_multicast_pool(struct pktpool *pool, u8 cmd,
				      u64 fails_since)
{
	struct sk_buff *msg;

	if (!pktpool_nl_listening())
		return;
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return;
	if (pktpool_nl_fill_pool(msg, pool, 0, 0, 0, cmd, fails_since)) {
		nlmsg_free(msg);
		return;
	}
	genlmsg_multicast(&pktpool_genl_family, msg, 0, PKTPOOL_NLGRP_MONITOR,
			  GFP_KERNEL);
}

/* Process context: pool added, deleted or changed. */
void pktpool_nl_pool_event(struct pktpool *pool, u8 cmd)
{
	pktpool_nl_multicast_pool(pool, cmd, 0);
}

/* Any context. Marks the pool; the work item reports it. */
void pktpool_nl_pool_alert(struct pktpool *pool, unsigned int what)
{
	unsigned long now = jiffies, next;

	if (test_bit(what, &pool->ntf_pending) ||
	    test_and_set_bit(what, &pool->ntf_pending))
		return;
	next = READ_ONCE(pool->ntf_next);
	schedule_delayed_work(&pool->ntf_work,
			      time_after(next, now) ? next - now : 0);
}

/* Process context, pool pinned: destroy cancels this work before freeing. */
void pktpool_nl_alert_work(struct work_struct *work)
{
	struct pktpool *pool = container_of(to_delayed_work(work),
					    struct pktpool, ntf_work);
	struct pktpool_stats s;

	WRITE_ONCE(pool->ntf_next, jiffies + HZ);
	if (test_and_clear_bit(PKTPOOL_NTF_LIMIT, &pool->ntf_pending)) {
		pktpool_get_stats(pool, &s);
		/* A statistics reset may have taken fail_limit below it. */
		if (s.fail_limit < pool->ntf_fail_limit)
			pool->ntf_fail_limit = 0;
		pktpool_nl_multicast_pool(pool, PKTPOOL_CMD_POOL_LIMIT_NTF,
					  s.fail_limit - pool->ntf_fail_limit);
		pool->ntf_fail_limit = s.fail_limit;
	}
	if (test_and_clear_bit(PKTPOOL_NTF_RESERVE, &pool->ntf_pending))
		pktpool_nl_multicast_pool(pool, PKTPOOL_CMD_POOL_RESERVE_NTF, 0);
	if (test_and_clear_bit(PKTPOOL_NTF_HEALTH, &pool->ntf_pending)) {
		u8 level;

		pktpool_get_stats(pool, &s);
		level = pktpool_health_level(pool, s.in_use);
		/* Crossed and crossed back since it was marked: nothing new. */
		if (level != pool->health) {
			WRITE_ONCE(pool->health, level);
			pktpool_nl_multicast_pool(pool,
						  PKTPOOL_CMD_POOL_HEALTH_NTF, 0);
		}
	}
}

static struct pktpool *pktpool_nl_find_pool(struct genl_info *info)
{
	struct nlattr **tb = info->attrs;
	struct pktpool *pool;
	u32 id = 0;

	if (tb[PKTPOOL_A_POOL_ID] && tb[PKTPOOL_A_POOL_NAME]) {
		NL_SET_ERR_MSG(info->extack, "give a pool id or a name, not both");
		return ERR_PTR(-EINVAL);
	}
	if (tb[PKTPOOL_A_POOL_ID]) {
		id = nla_get_u32(tb[PKTPOOL_A_POOL_ID]);
	} else if (!tb[PKTPOOL_A_POOL_NAME]) {
		NL_SET_ERR_MSG(info->extack, "a pool id or name is required");
		return ERR_PTR(-EINVAL);
	}
	pool = pktpool_find_locked(id, id ? NULL :
				   nla_data(tb[PKTPOOL_A_POOL_NAME]));
	if (!pool) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[PKTPOOL_A_POOL_ID] ?:
				    tb[PKTPOOL_A_POOL_NAME], "no such pool");
		return ERR_PTR(-ENOENT);
	}
	return pool;
}

static int pktpool_nl_pool_get_doit(struct sk_buff *skb,
				    struct genl_info *info)
{
	struct pktpool *pool;
	struct sk_buff *msg;
	int err;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	mutex_lock(&pktpool_pools_lock);
	pool = pktpool_nl_find_pool(info);
	err = IS_ERR(pool) ? PTR_ERR(pool) :
	      pktpool_nl_fill_pool(msg, pool, info->snd_portid, info->snd_seq,
				   0, PKTPOOL_CMD_POOL_GET, 0);
	mutex_unlock(&pktpool_pools_lock);
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	return genlmsg_reply(msg, info);
}

/* cb->args[0]: the id to resume from. */
static int pktpool_nl_pool_get_dumpit(struct sk_buff *skb,
				      struct netlink_callback *cb)
{
	unsigned long id = cb->args[0];
	struct pktpool *pool;
	int err = 0;

	mutex_lock(&pktpool_pools_lock);
	xa_for_each_start(&pktpool_pools, id, pool, cb->args[0]) {
		err = pktpool_nl_fill_pool(skb, pool,
					   NETLINK_CB(cb->skb).portid,
					   cb->nlh->nlmsg_seq, NLM_F_MULTI,
					   PKTPOOL_CMD_POOL_GET, 0);
		if (err)
			break;
		cb->args[0] = id + 1;
	}
	mutex_unlock(&pktpool_pools_lock);
	return err && !skb->len ? err : skb->len;
}

static int pktpool_nl_pool_set_doit(struct sk_buff *skb,
				    struct genl_info *info)
{
	struct nlattr *limit = info->attrs[PKTPOOL_A_POOL_LIMIT];
	struct nlattr *reserve = info->attrs[PKTPOOL_A_POOL_RESERVE];
	struct pktpool *pool;
	struct sk_buff *msg;
	int err;

	if (!limit && !reserve) {
		NL_SET_ERR_MSG(info->extack, "nothing to set: give a limit and/or a reserve");
		return -EINVAL;
	}
	/* The reply is the pool as it is now; allocated before anything changes. */
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	mutex_lock(&pktpool_pools_lock);
	pool = pktpool_nl_find_pool(info);
	if (IS_ERR(pool)) {
		err = PTR_ERR(pool);
	} else {
		err = pktpool_set_locked(pool, limit,
					 limit ? nla_get_u64(limit) : 0,
					 reserve,
					 reserve ? nla_get_u64(reserve) : 0);
		if (err == -EINVAL)
			NL_SET_ERR_MSG(info->extack, "the reserve may not exceed a non-zero limit");
		else if (err)
			NL_SET_ERR_MSG(info->extack, "no memory for the reserve");
		if (!err)
			err = pktpool_nl_fill_pool(msg, pool, info->snd_portid,
						   info->snd_seq, 0,
						   PKTPOOL_CMD_POOL_SET, 0);
	}
	mutex_unlock(&pktpool_pools_lock);
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	return genlmsg_reply(msg, info);
}

/* Milliseconds from a CLOCK_REALTIME stamp a process wrote; 0 if ahead. */
static u64 pktpool_nl_age_ms(u64 stamp_ns)
{
	u64 now = ktime_get_real_ns();

	return now > stamp_ns ? div_u64(now - stamp_ns, NSEC_PER_MSEC) : 0;
}

static int pktpool_nl_put_lib_proc(struct sk_buff *skb, u32 id,
				   const struct pktpool_region_lib_proc *p)
{
	struct nlattr *nest;

	nest = nla_nest_start(skb, PKTPOOL_A_REGION_LIB_PROC);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u32(skb, PKTPOOL_A_LIB_PROC_ID, id) ||
	    nla_put_u32(skb, PKTPOOL_A_LIB_PROC_PID, p->pid) ||
	    nla_put_u64_64bit(skb, PKTPOOL_A_LIB_PROC_HELD, p->held,
			      PKTPOOL_A_LIB_PROC_PAD)) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

/* The library's summary, already copied out and clamped by region.c. */
static int pktpool_nl_put_lib(struct sk_buff *skb,
			      const struct pktpool_region_lib *lib)
{
	const int pad = PKTPOOL_A_REGION_PAD;
	u32 i;

	if (pktpool_nl_put_u64(skb, PKTPOOL_A_REGION_LIB_AGE_MS,
			       pktpool_nl_age_ms(lib->time_ns), pad) ||
	    pktpool_nl_put_u64(skb, PKTPOOL_A_REGION_LIB_IN_USE,
			       lib->in_use, pad) ||
	    pktpool_nl_put_u64(skb, PKTPOOL_A_REGION_LIB_CACHED,
			       lib->cached, pad) ||
	    pktpool_nl_put_u64(skb, PKTPOOL_A_REGION_LIB_FREE, lib->free, pad) ||
	    pktpool_nl_put_u64(skb, PKTPOOL_A_REGION_LIB_PEAK, lib->peak, pad) ||
	    pktpool_nl_put_u64(skb, PKTPOOL_A_REGION_LIB_ALLOCS,
			       lib->allocs, pad) ||
	    pktpool_nl_put_u64(skb, PKTPOOL_A_REGION_LIB_FREES,
			       lib->frees, pad) ||
	    pktpool_nl_put_u64(skb, PKTPOOL_A_REGION_LIB_FAILURES,
			       lib->failures, pad) ||
	    pktpool_nl_put_u64(skb, PKTPOOL_A_REGION_LIB_ERRORS,
			       lib->errors, pad) ||
	    pktpool_nl_put_u64(skb, PKTPOOL_A_REGION_LIB_RECLAIMED,
			       lib->reclaimed, pad) ||
	    nla_put_u32(skb, PKTPOOL_A_REGION_LIB_THREADS, lib->threads) ||
	    nla_put_u32(skb, PKTPOOL_A_REGION_LIB_PROCS, lib->procs))
		return -EMSGSIZE;
	if (!lib->procs_time_ns)
		return 0;
	if (pktpool_nl_put_u64(skb, PKTPOOL_A_REGION_LIB_PROCS_AGE_MS,
			       pktpool_nl_age_ms(lib->procs_time_ns), pad))
		return -EMSGSIZE;
	for (i = 0; i < PKTPOOL_REGION_LIB_PROCS; i++)
		if ((lib->proc[i].pid || lib->proc[i].held) &&
		    pktpool_nl_put_lib_proc(skb, i + 1, &lib->proc[i]))
			return -EMSGSIZE;
	return 0;
}

/* lib: the library's summary to add to a region-get, or NULL. */
static int pktpool_nl_fill_region(struct sk_buff *skb,
				  const struct pktpool_region_info *r,
				  const struct pktpool_region_lib *lib,
				  u32 portid, u32 seq, int flags, u8 cmd)
{
	const int pad = PKTPOOL_A_REGION_PAD;
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &pktpool_genl_family, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_u32(skb, PKTPOOL_A_REGION_ID, r->id) ||
	    nla_put_string(skb, PKTPOOL_A_REGION_NAME, r->name) ||
	    pktpool_nl_put_u64(skb, PKTPOOL_A_REGION_ATTACHED,
			       r->attached, pad))
		goto cancel;
	if (cmd == PKTPOOL_CMD_REGION_GET) {
		if (nla_put_u32(skb, PKTPOOL_A_REGION_SLOT_SIZE, r->slot_size) ||
		    nla_put_u32(skb, PKTPOOL_A_REGION_SLOT_COUNT,
				r->slot_count) ||
		    nla_put_s32(skb, PKTPOOL_A_REGION_NODE, r->node) ||
		    nla_put_u32(skb, PKTPOOL_A_REGION_MODE, r->mode) ||
		    nla_put_u32(skb, PKTPOOL_A_REGION_UID, r->uid) ||
		    nla_put_u32(skb, PKTPOOL_A_REGION_GID, r->gid) ||
		    pktpool_nl_put_u64(skb, PKTPOOL_A_REGION_SIZE,
				       r->mmap_size, pad) ||
		    pktpool_nl_put_u64(skb, PKTPOOL_A_REGION_MAPPINGS,
				       r->mappings, pad) ||
		    pktpool_nl_put_u64(skb, PKTPOOL_A_REGION_KERNEL_SLOTS,
				       r->kernel_slots, pad) ||
		    pktpool_nl_put_u64(skb, PKTPOOL_A_REGION_INFLIGHT_SLOTS,
				       r->inflight_slots, pad) ||
		    pktpool_nl_put_u64(skb, PKTPOOL_A_REGION_USER_SLOTS,
				       r->user_slots, pad) ||
		    pktpool_nl_put_u64(skb, PKTPOOL_A_REGION_RING_INVALID,
				       r->ring_invalid, pad) ||
		    (lib && pktpool_nl_put_lib(skb, lib)))
			goto cancel;
	} else if (nla_put_u32(skb, PKTPOOL_A_REGION_PID,
			       task_tgid_vnr(current)) ||
		   nla_put_u32(skb, PKTPOOL_A_REGION_ACCESS, r->access)) {
		goto cancel;
	}
	genlmsg_end(skb, hdr);
	return 0;

cancel:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

/* Process context: a file attached to or detached from a region. */
void pktpool_nl_region_event(const struct pktpool_region_info *r, u8 cmd)
{
	struct sk_buff *msg;

	if (!pktpool_nl_listening())
		return;
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return;
	if (pktpool_nl_fill_region(msg, r, NULL, 0, 0, 0, cmd)) {
		nlmsg_free(msg);
		return;
	}
	genlmsg_multicast(&pktpool_genl_family, msg, 0, PKTPOOL_NLGRP_MONITOR,
			  GFP_KERNEL);
}

static int pktpool_nl_region_get_doit(struct sk_buff *skb,
				      struct genl_info *info)
{
	struct nlattr **tb = info->attrs;
	struct pktpool_region_info r = {};
	struct pktpool_region_lib *lib;
	struct sk_buff *msg;
	int err;

	if (!!tb[PKTPOOL_A_REGION_ID] == !!tb[PKTPOOL_A_REGION_NAME]) {
		NL_SET_ERR_MSG(info->extack, "give a region id or a name");
		return -EINVAL;
	}
	if (tb[PKTPOOL_A_REGION_ID])
		r.id = nla_get_u32(tb[PKTPOOL_A_REGION_ID]);
	else
		nla_strscpy(r.name, tb[PKTPOOL_A_REGION_NAME], sizeof(r.name));
	err = pktpool_region_info(&r);
	if (err) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[PKTPOOL_A_REGION_ID] ?:
				    tb[PKTPOOL_A_REGION_NAME], "no such region");
		return err;
	}
	lib = kmalloc(sizeof(*lib), GFP_KERNEL);
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!lib || !msg) {
		kfree(lib);
		nlmsg_free(msg);
		return -ENOMEM;
	}
	if (pktpool_region_lib_get(r.id, lib)) {
		kfree(lib);
		lib = NULL;
	}
	err = pktpool_nl_fill_region(msg, &r, lib, info->snd_portid,
				     info->snd_seq, 0, PKTPOOL_CMD_REGION_GET);
	kfree(lib);
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	return genlmsg_reply(msg, info);
}

static int pktpool_nl_region_get_dumpit(struct sk_buff *skb,
					struct netlink_callback *cb)
{
	struct pktpool_region_lib *lib;
	struct pktpool_region_info r;
	u32 id = cb->args[0];
	int err = 0;

	lib = kmalloc(sizeof(*lib), GFP_KERNEL);
	if (!lib)
		return -ENOMEM;
	while (!pktpool_region_next(&id, &r)) {
		bool has_lib = !pktpool_region_lib_get(r.id, lib);

		err = pktpool_nl_fill_region(skb, &r, has_lib ? lib : NULL,
					     NETLINK_CB(cb->skb).portid,
					     cb->nlh->nlmsg_seq, NLM_F_MULTI,
					     PKTPOOL_CMD_REGION_GET);
		if (err)
			break;
		cb->args[0] = ++id;
	}
	kfree(lib);
	return err && !skb->len ? err : skb->len;
}

/* cb->args[0]: the class index to resume from. */
static int pktpool_nl_class_get_dumpit(struct sk_buff *skb,
				       struct netlink_callback *cb)
{
	const int pad = PKTPOOL_A_CLASS_PAD;
	unsigned int i;

	for (i = cb->args[0]; i < pktpool_class_count(); i++) {
		const struct pktpool_class *c = pktpool_class_get(i);
		u64 objects = 0, in_use = 0;
		struct pktpool_stats s;
		struct pktpool *pool;
		unsigned long id;
		u32 pools = 0;
		void *hdr;

		mutex_lock(&pktpool_pools_lock);
		xa_for_each(&pktpool_pools, id, pool) {
			if (pool->class != c)
				continue;
			pktpool_get_stats(pool, &s);
			pools++;
			in_use += s.in_use;
			objects += s.in_use + s.cached + s.reserve_avail;
		}
		mutex_unlock(&pktpool_pools_lock);

		hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
				  cb->nlh->nlmsg_seq, &pktpool_genl_family,
				  NLM_F_MULTI, PKTPOOL_CMD_CLASS_GET);
		if (!hdr)
			break;
		if (nla_put_u32(skb, PKTPOOL_A_CLASS_SIZE, c->size) ||
		    nla_put_string(skb, PKTPOOL_A_CLASS_NAME, c->name) ||
		    nla_put_u32(skb, PKTPOOL_A_CLASS_POOLS, pools) ||
		    pktpool_nl_put_u64(skb, PKTPOOL_A_CLASS_OBJECTS, objects,
				       pad) ||
		    pktpool_nl_put_u64(skb, PKTPOOL_A_CLASS_BYTES,
				       objects * c->size, pad) ||
		    pktpool_nl_put_u64(skb, PKTPOOL_A_CLASS_IN_USE, in_use,
				       pad)) {
			genlmsg_cancel(skb, hdr);
			break;
		}
		genlmsg_end(skb, hdr);
	}
	cb->args[0] = i;
	return skb->len;
}

/*
 * pool-objects-get: a debug pool's records, one message per object, in
 * the order of pool->objs (by address; userspace sorts by seq). Records
 * are copied a batch at a time under the xarray's lock (pktpool_obj_copy())
 * with the pool looked up again by id under pktpool_pools_lock, so a pool
 * destroyed meanwhile just ends the dump; the symbols are formatted with
 * no lock held. Objects allocated or freed during the dump may or may not
 * be in it; none is in it twice.
 *
 * cb->args[0]: the pool's id once found; cb->args[1]: the key to resume
 * from (kernel-internal, never sent); cb->args[2] and [3]: the low and high
 * half of the time the dump started, which every age is measured from, so
 * that ages order the objects as seq does however many rounds it takes.
 */
#define PKTPOOL_NL_OBJ_BATCH	16

static int pktpool_nl_fill_object(struct sk_buff *skb,
				  struct netlink_callback *cb, u32 pool_id,
				  const struct pktpool_obj_info *o, u64 now)
{
	const int pad = PKTPOOL_A_OBJECT_PAD;
	char site[KSYM_SYMBOL_LEN];
	struct nlattr *nest;
	void *hdr;

	/*
	 * %pB: site is a return address (it may follow a call that never
	 * returns). A symbol that no longer resolves (its module is gone)
	 * would print as a raw address: shown as "?" instead.
	 */
	snprintf(site, sizeof(site), "%pB", (void *)o->site);
	if (!strncmp(site, "0x", 2))
		strscpy(site, "?", sizeof(site));

	hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			  &pktpool_genl_family, NLM_F_MULTI,
			  PKTPOOL_CMD_POOL_OBJECTS_GET);
	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_u32(skb, PKTPOOL_A_POOL_ID, pool_id))
		goto cancel;
	nest = nla_nest_start(skb, PKTPOOL_A_POOL_OBJECT);
	if (!nest)
		goto cancel;
	if (pktpool_nl_put_u64(skb, PKTPOOL_A_OBJECT_SEQ, o->seq, pad) ||
	    nla_put_string(skb, PKTPOOL_A_OBJECT_SITE, site) ||
	    pktpool_nl_put_u64(skb, PKTPOOL_A_OBJECT_AGE_MS,
			       div_u64(now > o->time_ns ? now - o->time_ns : 0,
				       NSEC_PER_MSEC), pad) ||
	    nla_put_u32(skb, PKTPOOL_A_OBJECT_CONTEXT, o->ctx))
		goto cancel;
	if (o->ctx == PKTPOOL_OBJ_CTX_TASK &&
	    (nla_put_u32(skb, PKTPOOL_A_OBJECT_PID, o->pid) ||
	     nla_put_u32(skb, PKTPOOL_A_OBJECT_TID, o->tid) ||
	     nla_put_string(skb, PKTPOOL_A_OBJECT_COMM, o->comm)))
		goto cancel;
	nla_nest_end(skb, nest);
	genlmsg_end(skb, hdr);
	return 0;

cancel:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

/* The first round: which pool, and may it be dumped. */
static struct pktpool *pktpool_nl_objects_pool(struct netlink_callback *cb)
{
	struct nlattr **tb = pktpool_genl_dump_attrs(cb);
	struct pktpool *pool;
	u32 id = 0;

	if (tb[PKTPOOL_A_POOL_ID] && tb[PKTPOOL_A_POOL_NAME]) {
		NL_SET_ERR_MSG(cb->extack, "give a pool id or a name, not both");
		return ERR_PTR(-EINVAL);
	}
	if (tb[PKTPOOL_A_POOL_ID]) {
		id = nla_get_u32(tb[PKTPOOL_A_POOL_ID]);
	} else if (!tb[PKTPOOL_A_POOL_NAME]) {
		NL_SET_ERR_MSG(cb->extack, "a pool id or name is required");
		return ERR_PTR(-EINVAL);
	}
	pool = pktpool_find_locked(id, id ? NULL :
				   nla_data(tb[PKTPOOL_A_POOL_NAME]));
	if (!pool) {
		NL_SET_ERR_MSG_ATTR(cb->extack, tb[PKTPOOL_A_POOL_ID] ?:
				    tb[PKTPOOL_A_POOL_NAME], "no such pool");
		return ERR_PTR(-ENOENT);
	}
	if (!pool->debug) {
		NL_SET_ERR_MSG(cb->extack, "pool is not in debug mode");
		return ERR_PTR(-EOPNOTSUPP);
	}
	return pool;
}

static int pktpool_nl_pool_objects_dumpit(struct sk_buff *skb,
					  struct netlink_callback *cb)
{
	struct pktpool_obj_info *batch;
	unsigned long next = cb->args[1];
	unsigned int n, i;
	struct pktpool *pool;
	u32 id = cb->args[0];
	int err = 0;
	u64 now;

	batch = kmalloc_array(PKTPOOL_NL_OBJ_BATCH, sizeof(*batch), GFP_KERNEL);
	if (!batch)
		return -ENOMEM;
	for (;;) {
		mutex_lock(&pktpool_pools_lock);
		if (!id) {
			pool = pktpool_nl_objects_pool(cb);
			if (IS_ERR(pool)) {
				mutex_unlock(&pktpool_pools_lock);
				err = PTR_ERR(pool);
				break;
			}
			id = pool->id;
			cb->args[0] = id;
			now = ktime_get_ns();
			cb->args[2] = lower_32_bits(now);
			cb->args[3] = upper_32_bits(now);
		} else {
			pool = xa_load(&pktpool_pools, id);
		}
		n = pool ? pktpool_obj_copy(pool, &next, batch,
					    PKTPOOL_NL_OBJ_BATCH) : 0;
		mutex_unlock(&pktpool_pools_lock);
		if (!n)
			break;

		now = (u64)cb->args[3] << 32 | (u32)cb->args[2];
		for (i = 0; i < n; i++) {
			err = pktpool_nl_fill_object(skb, cb, id, &batch[i],
						     now);
			if (err)
				break;
			cb->args[1] = batch[i].key + 1;
		}
		/* This skb is full: the next round starts at what did not fit. */
		if (err)
			break;
	}
	kfree(batch);
	if (err == -EMSGSIZE && skb->len)
		return skb->len;
	return err ?: skb->len;
}

static const struct genl_ops pktpool_nl_ops[] = {
	{
		.cmd = PKTPOOL_CMD_POOL_GET,
		.doit = pktpool_nl_pool_get_doit,
		.dumpit = pktpool_nl_pool_get_dumpit,
		.policy = pktpool_nl_pool_policy,
		.maxattr = PKTPOOL_A_POOL_MAX,
	},
	{
		.cmd = PKTPOOL_CMD_POOL_SET,
		.doit = pktpool_nl_pool_set_doit,
		.policy = pktpool_nl_pool_policy,
		.maxattr = PKTPOOL_A_POOL_MAX,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = PKTPOOL_CMD_REGION_GET,
		.doit = pktpool_nl_region_get_doit,
		.dumpit = pktpool_nl_region_get_dumpit,
		.policy = pktpool_nl_region_policy,
		.maxattr = PKTPOOL_A_REGION_MAX,
	},
	{
		.cmd = PKTPOOL_CMD_CLASS_GET,
		.dumpit = pktpool_nl_class_get_dumpit,
	},
	{
		.cmd = PKTPOOL_CMD_POOL_OBJECTS_GET,
		.dumpit = pktpool_nl_pool_objects_dumpit,
		.policy = pktpool_nl_pool_policy,
		.maxattr = PKTPOOL_A_POOL_MAX,
		/* Kernel symbols, and where every task allocates. */
		.flags = GENL_ADMIN_PERM,
	},
};

static struct genl_family pktpool_genl_family = {
	.name = PKTPOOL_GENL_NAME,
	.version = PKTPOOL_GENL_VERSION,
	.module = THIS_MODULE,
	.ops = pktpool_nl_ops,
	.n_ops = ARRAY_SIZE(pktpool_nl_ops),
	/* Every command is new: validate strictly, reserved bytes too. */
	.resv_start_op = PKTPOOL_CMD_POOL_GET,
	.mcgrps = pktpool_nl_mcgrps,
	.n_mcgrps = ARRAY_SIZE(pktpool_nl_mcgrps),
};

int __init pktpool_netlink_init(void)
{
	return genl_register_family(&pktpool_genl_family);
}

void pktpool_netlink_exit(void)
{
	genl_unregister_family(&pktpool_genl_family);
}
