/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * pktpool_nf: netfilter bindings that hand packets to userspace through a
 * pktpool region (see uapi/linux/pktpool.h, "Rings").
 *
 * A binding hooks one family and hook of the network namespace it was
 * made in, at a priority, and takes the packets whose mark matches
 * (skb->mark & mask) == mark, so users choose packets with their own nft
 * or iptables rules. Action copy: the packet goes on, and a copy of its
 * first snaplen bytes (from the network header) lands in a slot on the
 * region's rx ring. A packet that finds no free slot (the user did not
 * keep the fill ring stocked) is counted in no_slot and goes on uncopied.
 *
 * Action queue: the packet waits for userspace's verdict. Its first
 * snaplen bytes go on the rx ring with PKTPOOL_DESC_F_QUEUED and a packet
 * id; userspace answers on the tx ring with a descriptor naming the same
 * slot and id, verdict PKTPOOL_VERDICT_ACCEPT or _DROP, and calls
 * PKTPOOL_IOC_REGION_KICK. With PKTPOOL_DESC_F_MODIFIED the packet becomes
 * the slot's first len bytes (only for a packet that was not truncated and
 * is not GSO); the kernel sets the IP length fields and fixes the IPv4
 * header checksum and the TCP or UDP checksum. With PKTPOOL_DESC_F_MARK
 * the packet's mark becomes the descriptor's mark. The verdict's slot is
 * the kernel's again, as if put on the fill ring. At most queue_max
 * packets wait; a packet that finds the queue full or no free slot, waits
 * longer than timeout_ms, or is still waiting when the binding goes, is
 * accepted when fail_open is set and dropped otherwise (the default, as
 * NFQUEUE without bypass), and counted. A verdict for an unknown id, the
 * wrong slot, or with a bad verdict or modification is counted in
 * bad_verdicts; a bad one drops the packet.
 *
 * Generic netlink family PKTPOOL_NF_GENL_NAME: bind and unbind need
 * CAP_NET_ADMIN; get (and dump) is open to everyone. Documented in
 * Documentation/netlink/specs/pktpool_nf.yaml.
 */
#ifndef _UAPI_LINUX_PKTPOOL_NF_H
#define _UAPI_LINUX_PKTPOOL_NF_H

#define PKTPOOL_NF_GENL_NAME		"pktpool_nf"
#define PKTPOOL_NF_GENL_VERSION		1

#define PKTPOOL_NF_SNAPLEN_MAX		65535

enum pktpool_nf_action {
	PKTPOOL_NF_ACTION_COPY = 1,
	PKTPOOL_NF_ACTION_QUEUE,
};

#define PKTPOOL_NF_QUEUE_MAX		65536	/* bound on queue_max */
#define PKTPOOL_NF_TIMEOUT_MAX		600000	/* ms, bound on timeout_ms */

enum {
	PKTPOOL_NF_A_BIND_ID = 1,	/* u32, out; in for unbind and get */
	PKTPOOL_NF_A_BIND_REGION,	/* string: the region's name */
	PKTPOOL_NF_A_BIND_FAMILY,	/* u8: NFPROTO_IPV4 or NFPROTO_IPV6 */
	PKTPOOL_NF_A_BIND_HOOK,		/* u8: NF_INET_PRE_ROUTING..POST_ROUTING */
	PKTPOOL_NF_A_BIND_PRIORITY,	/* s32 */
	PKTPOOL_NF_A_BIND_MARK,		/* u32, default 0 */
	PKTPOOL_NF_A_BIND_MASK,		/* u32, default 0: every packet */
	PKTPOOL_NF_A_BIND_SNAPLEN,	/* u32, 1..65535, default: the slot */
	PKTPOOL_NF_A_BIND_ACTION,	/* u8: enum pktpool_nf_action */
	PKTPOOL_NF_A_BIND_SEEN,		/* u64: packets that matched */
	PKTPOOL_NF_A_BIND_COPIED,	/* u64: packets put on the rx ring */
	PKTPOOL_NF_A_BIND_BYTES,	/* u64: bytes copied */
	PKTPOOL_NF_A_BIND_NO_SLOT,	/* u64: matched, but no free slot */
	PKTPOOL_NF_A_BIND_ERRORS,	/* u64: copy or submit failed */
	PKTPOOL_NF_A_BIND_PAD,
	PKTPOOL_NF_A_BIND_QUEUE_MAX,	/* u32, 1..65536, default 1024 */
	PKTPOOL_NF_A_BIND_TIMEOUT_MS,	/* u32, 1..600000, default 1000 */
	PKTPOOL_NF_A_BIND_FAIL_OPEN,	/* u8, 0 or 1, default 0 */
	PKTPOOL_NF_A_BIND_QUEUED,	/* u64: packets put on the rx ring to wait */
	PKTPOOL_NF_A_BIND_ACCEPTED,	/* u64: verdict accept */
	PKTPOOL_NF_A_BIND_DROPPED,	/* u64: verdict drop */
	PKTPOOL_NF_A_BIND_MODIFIED,	/* u64: accepted with the slot's bytes */
	PKTPOOL_NF_A_BIND_TIMED_OUT,	/* u64: waited longer than timeout_ms */
	PKTPOOL_NF_A_BIND_QUEUE_FULL,	/* u64: queue_max packets were waiting */
	PKTPOOL_NF_A_BIND_BAD_VERDICTS,	/* u64: see above */
	PKTPOOL_NF_A_BIND_WAITING,	/* u32: packets waiting now */

	__PKTPOOL_NF_A_BIND_MAX,
	PKTPOOL_NF_A_BIND_MAX = (__PKTPOOL_NF_A_BIND_MAX - 1)
};

enum {
	PKTPOOL_NF_CMD_BIND = 1,	/* do: attributes in, id out */
	PKTPOOL_NF_CMD_UNBIND,		/* do: id */
	PKTPOOL_NF_CMD_GET,		/* do (id) or dump */

	__PKTPOOL_NF_CMD_MAX,
	PKTPOOL_NF_CMD_MAX = (__PKTPOOL_NF_CMD_MAX - 1)
};

#endif /* _UAPI_LINUX_PKTPOOL_NF_H */
