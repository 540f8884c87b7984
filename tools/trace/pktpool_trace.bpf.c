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
 * The records are read at the offsets the loader found in the tracepoints'
 * format files (field_off[]), not through BTF: see pktpool_trace.h why.
 */
#include <stdbool.h>
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#include "pktpool_trace.h"

char LICENSE[] SEC("license") = "GPL";

/* Set by the loader before loading (-p NAME): only this pool is traced. */
const volatile bool filter_on;
const volatile char filter_name[PKTPOOL_NAME_MAX];
/* Set by the loader before loading: where each field sits in its record. */
const volatile __u32 field_off[PKTPOOL_TRACE_FIELDS];

/*
 * Read field @f of the record at @ctx. Through a helper: the context may
 * only be loaded at constant offsets, and these are known at load time.
 */
static __always_inline int rec_read(void *dst, __u32 size, const void *ctx,
				    enum pktpool_trace_field f)
{
	return bpf_probe_read_kernel(dst, size, (const char *)ctx + field_off[f]);
}

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

/* Copy the record's pool name to @name and tell whether the pool is traced. */
static __always_inline bool pool_wanted(const void *ctx,
					enum pktpool_trace_field f,
					char name[PKTPOOL_NAME_MAX])
{
	int i;

	if (rec_read(name, PKTPOOL_NAME_MAX, ctx, f))
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

/* The pool id and name every record starts with; false: not traced. */
static __always_inline bool rec_pool(const void *ctx,
				     enum pktpool_trace_field f_id,
				     enum pktpool_trace_field f_name,
				     __u32 *id, char name[PKTPOOL_NAME_MAX])
{
	return !rec_read(id, sizeof(*id), ctx, f_id) &&
	       pool_wanted(ctx, f_name, name);
}

SEC("tracepoint/pktpool/pktpool_alloc")
int pktpool_alloc(void *ctx)
{
	char name[PKTPOOL_NAME_MAX] __attribute__((aligned(8)));
	struct pktpool_trace_stats *s;
	__u64 obj, now;
	__u32 id;

	if (!rec_pool(ctx, PKTPOOL_TRACE_OBJ_POOL_ID, PKTPOOL_TRACE_OBJ_NAME,
		      &id, name) ||
	    rec_read(&obj, sizeof(obj), ctx, PKTPOOL_TRACE_OBJ_OBJ))
		return 0;
	s = pool_stats(id, name);
	if (!s)
		return 0;
	s->allocs++;
	now = bpf_ktime_get_ns();
	if (bpf_map_update_elem(&live, &obj, &now, BPF_ANY))
		s->untimed++;
	return 0;
}

SEC("tracepoint/pktpool/pktpool_free")
int pktpool_free(void *ctx)
{
	char name[PKTPOOL_NAME_MAX] __attribute__((aligned(8)));
	struct pktpool_trace_stats *s;
	__u64 obj, *born;
	__u32 id, slot;

	if (!rec_pool(ctx, PKTPOOL_TRACE_OBJ_POOL_ID, PKTPOOL_TRACE_OBJ_NAME,
		      &id, name) ||
	    rec_read(&obj, sizeof(obj), ctx, PKTPOOL_TRACE_OBJ_OBJ))
		return 0;
	s = pool_stats(id, name);
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
int pktpool_alloc_fail(void *ctx)
{
	struct pktpool_trace_site site = {};
	char name[PKTPOOL_NAME_MAX] __attribute__((aligned(8)));
	struct pktpool_trace_stats *s;
	__u64 one = 1, *count;
	__u32 cause;

	if (!rec_pool(ctx, PKTPOOL_TRACE_FAIL_POOL_ID, PKTPOOL_TRACE_FAIL_NAME,
		      &site.pool_id, name) ||
	    rec_read(&site.cause, sizeof(site.cause), ctx,
		     PKTPOOL_TRACE_FAIL_CAUSE) ||
	    rec_read(&site.ip, sizeof(site.ip), ctx, PKTPOOL_TRACE_FAIL_IP))
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
static __always_inline int pool_event(const void *ctx, __u32 flag)
{
	struct pktpool_trace_pool p = {}, *old;
	__u32 id;

	if (!rec_pool(ctx, PKTPOOL_TRACE_POOL_POOL_ID, PKTPOOL_TRACE_POOL_NAME,
		      &id, p.name) ||
	    rec_read(&p.obj_size, sizeof(p.obj_size), ctx,
		     PKTPOOL_TRACE_POOL_OBJ_SIZE) ||
	    rec_read(&p.limit, sizeof(p.limit), ctx, PKTPOOL_TRACE_POOL_LIMIT))
		return 0;
	old = bpf_map_lookup_elem(&pools, &id);
	if (old)
		p.flags = old->flags;
	p.flags |= flag;
	bpf_map_update_elem(&pools, &id, &p, BPF_ANY);
	return 0;
}

SEC("tracepoint/pktpool/pktpool_pool_create")
int pktpool_pool_create(void *ctx)
{
	return pool_event(ctx, PKTPOOL_TRACE_POOL_CREATED);
}

SEC("tracepoint/pktpool/pktpool_pool_destroy")
int pktpool_pool_destroy(void *ctx)
{
	return pool_event(ctx, PKTPOOL_TRACE_POOL_DESTROYED);
}
