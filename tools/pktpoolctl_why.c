// SPDX-License-Identifier: GPL-2.0
/*
 * pktpoolctl: when the kernel refuses a create or set with -EINVAL, which
 * one rule the request broke. The kernel says only "invalid"; this checks
 * the request against what the module tells anyone (its size classes over
 * netlink, its parameters in sysfs, online nodes) and names the first rule
 * broken, so the message points at one option instead of listing all.
 * Returns NULL when it finds nothing: the caller then lists the rules.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pktpoolctl.h"

/* A module parameter from sysfs, or false when it cannot be read. */
static bool module_param_u64(const char *name, __u64 *v)
{
	char path[96];
	unsigned long long x;
	FILE *f;
	bool ok;

	snprintf(path, sizeof(path), "/sys/module/pktpool/parameters/%s", name);
	f = fopen(path, "re");
	if (!f)
		return false;
	ok = fscanf(f, "%llu", &x) == 1;
	fclose(f);
	if (ok)
		*v = x;
	return ok;
}

static bool node_online(__s32 node)
{
	char path[64];

	snprintf(path, sizeof(path), "/sys/devices/system/node/node%d", node);
	return access(path, F_OK) == 0;
}

static __u32 largest_class(struct ctl *ctl)
{
	struct pctl_class *classes;
	__u32 max = 0;
	size_t nr, i;

	if (pctl_open_nl(ctl) || pctl_class_dump(&ctl->nl, &classes, &nr))
		return 0;
	for (i = 0; i < nr; i++)
		if (classes[i].size > max)
			max = classes[i].size;
	free(classes);
	return max;
}

/* Limit and reserve as the pool will have them, after create or set. */
static const char *why_limits(__u64 limit, __u64 reserve, bool new_limit,
			      bool new_reserve, char *buf, size_t size)
{
	if (limit > PKTPOOL_LIMIT_MAX)
		snprintf(buf, size, "--limit %llu is above the largest limit, %llu",
			 (unsigned long long)limit,
			 (unsigned long long)PKTPOOL_LIMIT_MAX);
	else if (reserve > PKTPOOL_RESERVE_MAX)
		snprintf(buf, size, "--reserve %llu is above the largest reserve, %u",
			 (unsigned long long)reserve, PKTPOOL_RESERVE_MAX);
	else if (limit && reserve > limit && new_reserve)
		snprintf(buf, size, "--reserve %llu is above the %slimit %llu",
			 (unsigned long long)reserve,
			 new_limit ? "" : "pool's ", (unsigned long long)limit);
	else if (limit && reserve > limit)
		snprintf(buf, size, "--limit %llu is below the pool's reserve %llu",
			 (unsigned long long)limit, (unsigned long long)reserve);
	else
		return NULL;
	return buf;
}

const char *pctl_why_pool_create(struct ctl *ctl,
				 const struct pktpool_pool_create *c,
				 char *buf, size_t size)
{
	__u32 largest = largest_class(ctl);

	if (largest && c->obj_size > largest) {
		snprintf(buf, size, "--size %u is above the largest size class, %u (see '%s class list')",
			 c->obj_size, largest, pctl_prog);
		return buf;
	}
	if (c->node != -1 && !node_online(c->node)) {
		snprintf(buf, size, "--node %d is not an online NUMA node (use -1 for any)",
			 c->node);
		return buf;
	}
	return why_limits(c->limit, c->reserve, true, true, buf, size);
}

const char *pctl_why_pool_set(struct ctl *ctl, const struct pctl_ref *ref,
			      const __u64 *limit, const __u64 *reserve,
			      char *buf, size_t size)
{
	struct pctl_nl *nl = &ctl->nl;
	char ext_msg[sizeof(nl->ext_msg)];
	int ext_attr = nl->ext_attr, err;
	struct pctl_pool p;

	/* Keep what the kernel said about the set for pctl_report(). */
	memcpy(ext_msg, nl->ext_msg, sizeof(ext_msg));
	err = pctl_pool_get(nl, ref, &p);
	memcpy(nl->ext_msg, ext_msg, sizeof(ext_msg));
	nl->ext_attr = ext_attr;
	if (err)
		return NULL;
	return why_limits(limit ? *limit : p.limit,
			  reserve ? *reserve : p.reserve, limit, reserve,
			  buf, size);
}

const char *pctl_why_region_create(const struct pktpool_region_create *c,
				   char *buf, size_t size)
{
	__u64 max_slots, max_bytes;

	if (c->slot_size < PKTPOOL_REGION_SLOT_MIN ||
	    c->slot_size > PKTPOOL_REGION_SLOT_MAX ||
	    c->slot_size % PKTPOOL_REGION_SLOT_MIN)
		snprintf(buf, size, "--slot-size %u is not a multiple of %u from %u to %u",
			 c->slot_size, PKTPOOL_REGION_SLOT_MIN,
			 PKTPOOL_REGION_SLOT_MIN, PKTPOOL_REGION_SLOT_MAX);
	else if (module_param_u64("region_max_slots", &max_slots) &&
		 c->slot_count > max_slots)
		snprintf(buf, size, "--slots %u is above the module parameter region_max_slots, %llu",
			 c->slot_count, (unsigned long long)max_slots);
	else if (c->node != -1 && !node_online(c->node))
		snprintf(buf, size, "--node %d is not an online NUMA node (use -1 for any)",
			 c->node);
	else if (module_param_u64("region_max_bytes", &max_bytes) &&
		 (__u64)c->slot_size * c->slot_count > max_bytes)
		snprintf(buf, size, "%u slots of %u bytes are more than the module parameter region_max_bytes, %llu",
			 c->slot_count, c->slot_size,
			 (unsigned long long)max_bytes);
	else
		return NULL;
	return buf;
}
