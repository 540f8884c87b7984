/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Tracepoints of pktpool_nf, under events/pktpool_nf/: what each
 * binding did with a packet. Fields are only ever appended.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM pktpool_nf

#if !defined(_PKTPOOL_NF_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _PKTPOOL_NF_TRACE_H

#include <linux/tracepoint.h>

/* How a queued packet left the queue: the how field of pktpool_nf_release. */
#define PKTPOOL_NF_BY_VERDICT	0
#define PKTPOOL_NF_BY_TIMEOUT	1
#define PKTPOOL_NF_BY_UNBIND	2

/* A matched packet went on the rx ring (copied, or queued to wait). */
TRACE_EVENT(pktpool_nf_rx,
	    TP_PROTO(u32 binding, u32 id, u32 len, u32 orig_len, bool queued),
	    TP_ARGS(binding, id, len, orig_len, queued),
	    TP_STRUCT__entry(__field(u32, binding)
			     __field(u32, id)
			     __field(u32, len)
			     __field(u32, orig_len)
			     __field(bool, queued)),
	    TP_fast_assign(__entry->binding = binding;
			   __entry->id = id;
			   __entry->len = len;
			   __entry->orig_len = orig_len;
			   __entry->queued = queued;),
	    TP_printk("binding=%u id=%u len=%u orig_len=%u %s",
		      __entry->binding, __entry->id, __entry->len,
		      __entry->orig_len, __entry->queued ? "queued" : "copied")
);

/* A queued packet left the queue: sent on (accept) or dropped. */
TRACE_EVENT(pktpool_nf_release,
	    TP_PROTO(u32 binding, u32 id, int how, bool accept),
	    TP_ARGS(binding, id, how, accept),
	    TP_STRUCT__entry(__field(u32, binding)
			     __field(u32, id)
			     __field(int, how)
			     __field(bool, accept)),
	    TP_fast_assign(__entry->binding = binding;
			   __entry->id = id;
			   __entry->how = how;
			   __entry->accept = accept;),
	    TP_printk("binding=%u id=%u by=%s %s", __entry->binding,
		      __entry->id,
		      __print_symbolic(__entry->how,
				       { PKTPOOL_NF_BY_VERDICT, "verdict" },
				       { PKTPOOL_NF_BY_TIMEOUT, "timeout" },
				       { PKTPOOL_NF_BY_UNBIND, "unbind" }),
		      __entry->accept ? "accept" : "drop")
);

#endif /* _PKTPOOL_NF_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH nf
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace
#include <trace/define_trace.h>
