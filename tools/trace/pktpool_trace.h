/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the BPF side (pktpool_trace.bpf.c) and the loader (pktpool-trace.c)
 * of pktpool-trace share: the tracepoint records as the BPF programs read
 * them, and the keys and values of the maps between the two.
 *
 * Why the format files and not BTF: the kernel has BTF for vmlinux but not
 * for modules built against Debian's headers package (it ships no vmlinux
 * to build it against), so there is no BTF for pktpool's trace_event_raw_*
 * structs to relocate against. The format files under
 * /sys/kernel/tracing/events/pktpool/ say where every field is on the
 * running kernel; pktpool-trace reads them at start-up and refuses to run
 * when a field is missing or has another size.
 *
 * Compiled twice: by clang for the bpf target and by the host compiler for
 * the loader. Both are LP64, so __u64 and the kernel's unsigned long and
 * pointer fields agree.
 */
#ifndef PKTPOOL_TRACE_H
#define PKTPOOL_TRACE_H

#include <linux/types.h>
#include <linux/pktpool.h>

/* The cause field of pktpool_alloc_fail (PKTPOOL_FAIL_* in kmod/trace.h). */
#define PKTPOOL_TRACE_CAUSE_LIMIT	0
#define PKTPOOL_TRACE_CAUSE_NOMEM	1
#define PKTPOOL_TRACE_CAUSES		2

/*
 * Lifetime histogram: slot i counts objects that lived 2^i .. 2^(i+1)-1 ns
 * (slot 0 also takes 0 ns). 64 slots cover every u64.
 */
#define PKTPOOL_TRACE_SLOTS		64

/* Defaults for the map sizes the loader may change before loading. */
#define PKTPOOL_TRACE_MAX_POOLS		1024
#define PKTPOOL_TRACE_MAX_SITES		4096
#define PKTPOOL_TRACE_MAX_LIVE		131072

/*
 * The record fields the BPF programs read, one index each. Where a field
 * sits is not fixed: a record starts with the kernel's struct trace_entry
 * (8 bytes on most kernels, 12 on Debian's 6.1 PREEMPT_RT, which adds
 * preempt_lazy_count) and the fields after it move with its size and their
 * own alignment. So pktpool-trace reads each field's offset from the
 * tracepoint's format file, checks its size, and gives the offsets to the
 * BPF programs (field_off[]) before loading them.
 */
enum pktpool_trace_field {
	/* pktpool_alloc and pktpool_free (event class pktpool_obj) */
	PKTPOOL_TRACE_OBJ_POOL_ID,	/* u32 */
	PKTPOOL_TRACE_OBJ_NAME,		/* char[PKTPOOL_NAME_MAX] */
	PKTPOOL_TRACE_OBJ_OBJ,		/* const void *: 8 bytes */
	PKTPOOL_TRACE_OBJ_IP,		/* unsigned long: the caller */
	/* pktpool_alloc_fail */
	PKTPOOL_TRACE_FAIL_POOL_ID,	/* u32 */
	PKTPOOL_TRACE_FAIL_NAME,	/* char[PKTPOOL_NAME_MAX] */
	PKTPOOL_TRACE_FAIL_CAUSE,	/* int: PKTPOOL_TRACE_CAUSE_* */
	PKTPOOL_TRACE_FAIL_IP,		/* unsigned long */
	/* pktpool_pool_create and _destroy (event class pktpool_pool) */
	PKTPOOL_TRACE_POOL_POOL_ID,	/* u32 */
	PKTPOOL_TRACE_POOL_NAME,	/* char[PKTPOOL_NAME_MAX] */
	PKTPOOL_TRACE_POOL_OBJ_SIZE,	/* u32 */
	PKTPOOL_TRACE_POOL_LIMIT,	/* u64 */
	PKTPOOL_TRACE_FIELDS
};

/* Records are small; an offset past this is a format file gone wrong. */
#define PKTPOOL_TRACE_REC_MAX		256

/*
 * Map "pools", key pool id: what is known about a pool. Filled on the
 * first event of a pool; size and limit only come with pktpool_pool_create.
 */
#define PKTPOOL_TRACE_POOL_CREATED	(1U << 0)	/* created while tracing */
#define PKTPOOL_TRACE_POOL_DESTROYED	(1U << 1)	/* destroyed while tracing */

struct pktpool_trace_pool {
	char name[PKTPOOL_NAME_MAX];
	__u32 flags;			/* PKTPOOL_TRACE_POOL_* */
	__u32 obj_size;			/* 0: not seen */
	__u64 limit;			/* valid with obj_size */
};

/* Map "stats", per CPU, key pool id. The loader sums the CPUs. */
struct pktpool_trace_stats {
	__u64 allocs;
	__u64 frees;
	__u64 fails[PKTPOOL_TRACE_CAUSES];
	/* Allocations not timed: the "live" map was full. */
	__u64 untimed;
	/* Frees of objects whose allocation was not seen (before tracing). */
	__u64 unmatched;
	__u64 lifetime[PKTPOOL_TRACE_SLOTS];
};

/* Map "sites", value __u64 count: failures per pool, cause and caller. */
struct pktpool_trace_site {
	__u32 pool_id;
	__s32 cause;
	__u64 ip;
};

#endif /* PKTPOOL_TRACE_H */
