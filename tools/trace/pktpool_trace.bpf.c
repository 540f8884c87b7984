// SPDX-License-Identifier: GPL-2.0
/*
 * The BPF half of pktpool-trace: one program per pktpool tracepoint,
 * counting into maps that pktpool-trace.c reads and prints.
 *
 * Context: tracepoint programs run with preemption disabled, and the
 * kernel never runs a second BPF program on a CPU that is already in one
 * (an event from an interrupt that lands inside one of these programs is
 * skipped, not nested). So a CPU's slot of the per-CPU "stats" map has one
 * writer at a time and is updated with plain increments; "sites" is shared
 * between CPUs and counted atomically.
 *
 * The records are read through the hand-written structs of
 * pktpool_trace.h, not BTF: see there why.
 */
#include <stdbool.h>
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#include "pktpool_trace.h"

char LICENSE[] SEC("license") = "GPL";

/* Set by the loader before loading (-p NAME): only this pool is traced. */
const volatile bool filter_on;
const volatile char filter_name[PKTPOOL_NAME_MAX];

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, PKTPOOL_TRACE_MAX_POOLS);
	__type(key, __u32);
	__type(value, struct pktpool_trace_pool);
} pools SEC(".maps");

/* Not preallocated: the value is large and multiplied by the CPUs. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, PKTPOOL_TRACE_MAX_POOLS);
	__type(key, __u32);
	__type(value, struct pktpool_trace_stats);
} stats SEC(".maps");

/*
 * Objects out now, key the object's address, value the time of its
 * allocation (ns). Preallocated: an insertion on the allocation path must
 * not itself allocate. The loader sizes it (--max-objects).
 */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, PKTPOOL_TRACE_MAX_LIVE);
	__type(key, __u64);
	__type(value, __u64);
} live SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, PKTPOOL_TRACE_MAX_SITES);
	__type(key, struct pktpool_trace_site);
	__type(value, __u64);
} sites SEC(".maps");

/* What a pool's first "stats" entry starts from (too big for the stack). */
static struct pktpool_trace_stats zero_stats;

/*
 * Copy the record's pool name to @name and tell whether the pool is traced.
 * The record is read with a helper: the context may only be loaded in
 * aligned words, and name sits at offset 12.
 */
static __always_inline bool pool_wanted(const char *rec_name,
					char name[PKTPOOL_NAME_MAX])
{
	int i;

	if (bpf_probe_read_kernel(name, PKTPOOL_NAME_MAX, rec_name))
		return false;
	if (!filter_on)
		return true;
	for (i = 0; i < PKTPOOL_NAME_MAX; i++) {
		if (name[i] != filter_name[i])
			return false;
		if (!name[i])
			break;
	}
	return true;
}

/* This CPU's counters of pool @id; the pool is entered in "pools" first. */
static __always_inline struct pktpool_trace_stats *
pool_stats(__u32 id, const char name[PKTPOOL_NAME_MAX])
{
	struct pktpool_trace_stats *s;

	if (!bpf_map_lookup_elem(&pools, &id)) {
		struct pktpool_trace_pool p = {};

		__builtin_memcpy(p.name, name, PKTPOOL_NAME_MAX);
		bpf_map_update_elem(&pools, &id, &p, BPF_NOEXIST);
	}
	s = bpf_map_lookup_elem(&stats, &id);
	if (s)
		return s;
	bpf_map_update_elem(&stats, &id, &zero_stats, BPF_NOEXIST);
	return bpf_map_lookup_elem(&stats, &id);
}

/* floor(log2(v)), 0 for 0: the histogram slot of a lifetime of v ns. */
static __always_inline __u32 lifetime_slot(__u64 v)
{
	__u32 slot = 0;

	if (v >> 32) {
		v >>= 32;
		slot += 32;
	}
	if (v >> 16) {
		v >>= 16;
		slot += 16;
	}
	if (v >> 8) {
		v >>= 8;
		slot += 8;
	}
	if (v >> 4) {
		v >>= 4;
		slot += 4;
	}
	if (v >> 2) {
		v >>= 2;
		slot += 2;
	}
	if (v >> 1)
		slot += 1;
	return slot;
}

SEC("tracepoint/pktpool/pktpool_alloc")
int pktpool_alloc(struct pktpool_trace_obj_rec *rec)
{
	char name[PKTPOOL_NAME_MAX] __attribute__((aligned(8)));
	struct pktpool_trace_stats *s;
	__u64 obj = rec->obj, now;

	if (!pool_wanted(rec->name, name))
		return 0;
	s = pool_stats(rec->pool_id, name);
	if (!s)
		return 0;
	s->allocs++;
	now = bpf_ktime_get_ns();
	if (bpf_map_update_elem(&live, &obj, &now, BPF_ANY))
		s->untimed++;
	return 0;
}

SEC("tracepoint/pktpool/pktpool_free")
int pktpool_free(struct pktpool_trace_obj_rec *rec)
{
	char name[PKTPOOL_NAME_MAX] __attribute__((aligned(8)));
	struct pktpool_trace_stats *s;
	__u64 obj = rec->obj, *born;
	__u32 slot;

	if (!pool_wanted(rec->name, name))
		return 0;
	s = pool_stats(rec->pool_id, name);
	if (!s)
		return 0;
	s->frees++;
	born = bpf_map_lookup_elem(&live, &obj);
	if (!born) {
		s->unmatched++;
		return 0;
	}
	slot = lifetime_slot(bpf_ktime_get_ns() - *born);
	bpf_map_delete_elem(&live, &obj);
	if (slot < PKTPOOL_TRACE_SLOTS)
		s->lifetime[slot]++;
	return 0;
}

SEC("tracepoint/pktpool/pktpool_alloc_fail")
int pktpool_alloc_fail(struct pktpool_trace_fail_rec *rec)
{
	struct pktpool_trace_site site = {
		.pool_id = rec->pool_id,
		.cause = rec->cause,
		.ip = rec->ip,
	};
	char name[PKTPOOL_NAME_MAX] __attribute__((aligned(8)));
	struct pktpool_trace_stats *s;
	__u64 one = 1, *count;
	__u32 cause;

	if (!pool_wanted(rec->name, name))
		return 0;
	s = pool_stats(site.pool_id, name);
	if (!s)
		return 0;
	cause = (__u32)site.cause;
	if (cause < PKTPOOL_TRACE_CAUSES)
		s->fails[cause]++;

	count = bpf_map_lookup_elem(&sites, &site);
	if (count) {
		__sync_fetch_and_add(count, 1);
		return 0;
	}
	/* Another CPU may have entered the site since the lookup. */
	if (bpf_map_update_elem(&sites, &site, &one, BPF_NOEXIST)) {
		count = bpf_map_lookup_elem(&sites, &site);
		if (count)
			__sync_fetch_and_add(count, 1);
	}
	return 0;
}

/* Size and limit come only with these two; no counters to touch. */
static __always_inline int pool_event(struct pktpool_trace_pool_rec *rec,
				      __u32 flag)
{
	struct pktpool_trace_pool p = {}, *old;
	__u32 id = rec->pool_id;

	if (!pool_wanted(rec->name, p.name))
		return 0;
	old = bpf_map_lookup_elem(&pools, &id);
	if (old)
		p.flags = old->flags;
	p.flags |= flag;
	p.obj_size = rec->obj_size;
	p.limit = rec->limit;
	bpf_map_update_elem(&pools, &id, &p, BPF_ANY);
	return 0;
}

SEC("tracepoint/pktpool/pktpool_pool_create")
int pktpool_pool_create(struct pktpool_trace_pool_rec *rec)
{
	return pool_event(rec, PKTPOOL_TRACE_POOL_CREATED);
}

SEC("tracepoint/pktpool/pktpool_pool_destroy")
int pktpool_pool_destroy(struct pktpool_trace_pool_rec *rec)
{
	return pool_event(rec, PKTPOOL_TRACE_POOL_DESTROYED);
}
