/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Tracepoints of pktpool_vdev, under events/pktpool_vdev/: each packet a
 * device hands to its daemon or takes from it, and each one it drops.
 * Fields are only ever appended.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM pktpool_vdev

#if !defined(_PKTPOOL_VDEV_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _PKTPOOL_VDEV_TRACE_H

#include <linux/tracepoint.h>

/* Why a packet was dropped: the why field of pktpool_vdev_drop. */
#define PKTPOOL_VDEV_DROP_STAGE_FULL	0
#define PKTPOOL_VDEV_DROP_NO_DAEMON	1
#define PKTPOOL_VDEV_DROP_NOMEM		2
#define PKTPOOL_VDEV_DROP_INVALID	3
#define PKTPOOL_VDEV_DROP_OTHER		4

/* A packet from the stack went on the rx ring (after waiting, if staged). */
TRACE_EVENT(pktpool_vdev_xmit,
	    TP_PROTO(int ifindex, u32 len, bool waited),
	    TP_ARGS(ifindex, len, waited),
	    TP_STRUCT__entry(__field(int, ifindex)
			     __field(u32, len)
			     __field(bool, waited)),
	    TP_fast_assign(__entry->ifindex = ifindex;
			   __entry->len = len;
			   __entry->waited = waited;),
	    TP_printk("ifindex=%d len=%u%s", __entry->ifindex, __entry->len,
		      __entry->waited ? " staged" : "")
);

/* A packet from the tx ring entered the stack. */
TRACE_EVENT(pktpool_vdev_rx,
	    TP_PROTO(int ifindex, u32 slot, u32 len),
	    TP_ARGS(ifindex, slot, len),
	    TP_STRUCT__entry(__field(int, ifindex)
			     __field(u32, slot)
			     __field(u32, len)),
	    TP_fast_assign(__entry->ifindex = ifindex;
			   __entry->slot = slot;
			   __entry->len = len;),
	    TP_printk("ifindex=%d slot=%u len=%u", __entry->ifindex,
		      __entry->slot, __entry->len)
);

/* A packet was dropped, in either direction. */
TRACE_EVENT(pktpool_vdev_drop,
	    TP_PROTO(int ifindex, u32 len, int why),
	    TP_ARGS(ifindex, len, why),
	    TP_STRUCT__entry(__field(int, ifindex)
			     __field(u32, len)
			     __field(int, why)),
	    TP_fast_assign(__entry->ifindex = ifindex;
			   __entry->len = len;
			   __entry->why = why;),
	    TP_printk("ifindex=%d len=%u why=%s", __entry->ifindex,
		      __entry->len,
		      __print_symbolic(__entry->why,
				       { PKTPOOL_VDEV_DROP_STAGE_FULL, "stage_full" },
				       { PKTPOOL_VDEV_DROP_NO_DAEMON, "no_daemon" },
				       { PKTPOOL_VDEV_DROP_NOMEM, "nomem" },
				       { PKTPOOL_VDEV_DROP_INVALID, "invalid" },
				       { PKTPOOL_VDEV_DROP_OTHER, "other" }))
);

#endif /* _PKTPOOL_VDEV_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH vdev
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace
#include <trace/define_trace.h>
