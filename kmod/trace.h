/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Tracepoints of pktpool, under events/pktpool/. Off, each costs a
 * patched-out jump. The record layout is what pktpool-trace's BPF
 * programs read, so fields are only ever appended.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM pktpool

#if !defined(_PKTPOOL_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _PKTPOOL_TRACE_H

#include <linux/tracepoint.h>

#include "pool.h"

/* Why an allocation failed: the cause field of pktpool_alloc_fail. */
#define PKTPOOL_FAIL_LIMIT	0
#define PKTPOOL_FAIL_NOMEM	1

DECLARE_EVENT_CLASS(pktpool_obj,
		    TP_PROTO(const struct pktpool *pool, const void *obj,
			     unsigned long ip),
		    TP_ARGS(pool, obj, ip),
		    TP_STRUCT__entry(__field(u32, pool_id)
				     __array(char, name, PKTPOOL_NAME_MAX)
				     __field(const void *, obj)
				     __field(unsigned long, ip)),
		    TP_fast_assign(__entry->pool_id = pool->id;
				   memcpy(__entry->name, pool->name,
					  PKTPOOL_NAME_MAX);
				   __entry->obj = obj;
				   __entry->ip = ip;),
		    TP_printk("pool=%s id=%u obj=%p caller=%pS",
			      __entry->name, __entry->pool_id, __entry->obj,
			      (void *)__entry->ip)
);

DEFINE_EVENT(pktpool_obj, pktpool_alloc,
	     TP_PROTO(const struct pktpool *pool, const void *obj,
		      unsigned long ip),
	     TP_ARGS(pool, obj, ip)
);

DEFINE_EVENT(pktpool_obj, pktpool_free,
	     TP_PROTO(const struct pktpool *pool, const void *obj,
		      unsigned long ip),
	     TP_ARGS(pool, obj, ip)
);

TRACE_EVENT(pktpool_alloc_fail,
	    TP_PROTO(const struct pktpool *pool, int cause, unsigned long ip),
	    TP_ARGS(pool, cause, ip),
	    TP_STRUCT__entry(__field(u32, pool_id)
			     __array(char, name, PKTPOOL_NAME_MAX)
			     __field(int, cause)
			     __field(unsigned long, ip)),
	    TP_fast_assign(__entry->pool_id = pool->id;
			   memcpy(__entry->name, pool->name, PKTPOOL_NAME_MAX);
			   __entry->cause = cause;
			   __entry->ip = ip;),
	    TP_printk("pool=%s id=%u cause=%s caller=%pS", __entry->name,
		      __entry->pool_id,
		      __entry->cause == PKTPOOL_FAIL_LIMIT ? "limit" : "nomem",
		      (void *)__entry->ip)
);

DECLARE_EVENT_CLASS(pktpool_pool,
		    TP_PROTO(const struct pktpool *pool),
		    TP_ARGS(pool),
		    TP_STRUCT__entry(__field(u32, pool_id)
				     __array(char, name, PKTPOOL_NAME_MAX)
				     __field(u32, obj_size)
				     __field(u64, limit)),
		    TP_fast_assign(__entry->pool_id = pool->id;
				   memcpy(__entry->name, pool->name,
					  PKTPOOL_NAME_MAX);
				   __entry->obj_size = pool->obj_size;
				   __entry->limit = pool->limit;),
		    TP_printk("pool=%s id=%u size=%u limit=%llu",
			      __entry->name, __entry->pool_id,
			      __entry->obj_size, __entry->limit)
);

DEFINE_EVENT(pktpool_pool, pktpool_pool_create,
	     TP_PROTO(const struct pktpool *pool),
	     TP_ARGS(pool)
);

DEFINE_EVENT(pktpool_pool, pktpool_pool_destroy,
	     TP_PROTO(const struct pktpool *pool),
	     TP_ARGS(pool)
);

DECLARE_EVENT_CLASS(pktpool_region,
		    TP_PROTO(u32 id, const char *name, u32 access),
		    TP_ARGS(id, name, access),
		    TP_STRUCT__entry(__field(u32, region_id)
				     __array(char, name, PKTPOOL_NAME_MAX)
				     __field(u32, access)
				     __field(pid_t, pid)),
		    TP_fast_assign(__entry->region_id = id;
				   memcpy(__entry->name, name,
					  PKTPOOL_NAME_MAX);
				   __entry->access = access;
				   __entry->pid = task_tgid_nr(current);),
		    TP_printk("region=%s id=%u access=%#x pid=%d",
			      __entry->name, __entry->region_id,
			      __entry->access, __entry->pid)
);

DEFINE_EVENT(pktpool_region, pktpool_region_attach,
	     TP_PROTO(u32 id, const char *name, u32 access),
	     TP_ARGS(id, name, access)
);

DEFINE_EVENT(pktpool_region, pktpool_region_detach,
	     TP_PROTO(u32 id, const char *name, u32 access),
	     TP_ARGS(id, name, access)
);

#endif /* _PKTPOOL_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace
#include <trace/define_trace.h>
