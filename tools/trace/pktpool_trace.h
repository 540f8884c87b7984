/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the BPF side (pktpool_trace.bpf.c) and the loader (pktpool-trace.c)
 * of pktpool-trace share: the tracepoint records as the BPF programs read
 * them, and the keys and values of the maps between the two.
 *
 * Why hand-written records: the kernel has BTF for vmlinux but not for
 * modules (the Debian headers package ships no vmlinux to build it
 * against), so there is no BTF for pktpool's trace_event_raw_* structs to
 * relocate against. The structs below mirror the format files under
 * /sys/kernel/tracing/events/pktpool/ field for field, with the kernel's
 * natural alignment; kmod/trace.h only ever appends fields, so the
 * offsets are stable. pktpool-trace compares every field it reads with the
 * format file at start-up and refuses to run on a mismatch.
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

/* The 8 bytes every trace record starts with (struct trace_entry). */
struct pktpool_trace_common {
	__u16 type;
	__u8 flags;
	__u8 preempt_count;
	__s32 pid;
};

/* events/pktpool/pktpool_alloc and pktpool_free (event class pktpool_obj) */
struct pktpool_trace_obj_rec {
	struct pktpool_trace_common common;
	__u32 pool_id;
	char name[PKTPOOL_NAME_MAX];
	__u64 obj;			/* const void * */
	__u64 ip;			/* unsigned long: the caller */
};

/* events/pktpool/pktpool_alloc_fail */
struct pktpool_trace_fail_rec {
	struct pktpool_trace_common common;
	__u32 pool_id;
	char name[PKTPOOL_NAME_MAX];
	__s32 cause;			/* PKTPOOL_TRACE_CAUSE_* */
	__u64 ip;
};

/* events/pktpool/pktpool_pool_create and _destroy (event class pktpool_pool) */
struct pktpool_trace_pool_rec {
	struct pktpool_trace_common common;
	__u32 pool_id;
	char name[PKTPOOL_NAME_MAX];
	__u32 obj_size;
	__u64 limit;
};

#define PKTPOOL_TRACE_OFF(type, field)	__builtin_offsetof(type, field)

/* What the format files of the 6.1 module say; the loader checks again. */
_Static_assert(PKTPOOL_TRACE_OFF(struct pktpool_trace_obj_rec, pool_id) == 8 &&
	       PKTPOOL_TRACE_OFF(struct pktpool_trace_obj_rec, name) == 12 &&
	       PKTPOOL_TRACE_OFF(struct pktpool_trace_obj_rec, obj) == 48 &&
	       PKTPOOL_TRACE_OFF(struct pktpool_trace_obj_rec, ip) == 56,
	       "pktpool_obj record layout");
_Static_assert(PKTPOOL_TRACE_OFF(struct pktpool_trace_fail_rec, cause) == 44 &&
	       PKTPOOL_TRACE_OFF(struct pktpool_trace_fail_rec, ip) == 48,
	       "pktpool_alloc_fail record layout");
_Static_assert(PKTPOOL_TRACE_OFF(struct pktpool_trace_pool_rec, obj_size) == 44 &&
	       PKTPOOL_TRACE_OFF(struct pktpool_trace_pool_rec, limit) == 48,
	       "pktpool_pool record layout");

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
