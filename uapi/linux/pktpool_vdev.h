/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * pktpool_vdev: a network device whose packets travel through a pktpool
 * region (see uapi/linux/pktpool.h, "Rings"), for userspace VPNs and
 * tunnels that would otherwise read and write a TUN device.
 *
 * The device is a layer-3 point-to-point device with no link header (as
 * TUN in IFF_TUN mode): it carries IPv4 and IPv6 packets.
 *
 * Stack to daemon: a packet the stack transmits on the device is copied
 * into a free slot (one the daemon put on the fill ring) and goes on the
 * region's rx ring: len bytes of packet from the IP header, family
 * NFPROTO_IPV4 or NFPROTO_IPV6, ifindex the device's, hook 0, binding 0.
 * The device offers no offloads: the stack segments GSO packets and fills
 * in checksums before they reach it, so every packet is complete and at
 * most the device's MTU long. When no slot is free the packet is staged
 * in a kernel pool of at most queue_max packets (a reserve of
 * PKTPOOL_VDEV_STAGE_RESERVE of them survives memory pressure) and
 * PKTPOOL_RING_F_NEED_WAKEUP is set on the fill ring: the daemon then
 * calls PKTPOOL_IOC_REGION_KICK after filling, and staged packets go out
 * first, in order. A full stage drops the new packet (policy tail, the
 * default) or the oldest staged one (policy head); both are counted.
 *
 * Daemon to stack: a descriptor on the tx ring naming a slot the daemon
 * holds, with len the packet's bytes, enters the stack as if received on
 * the device when the daemon calls PKTPOOL_IOC_REGION_KICK. The family
 * comes from the packet's IP version; a packet shorter than its IP
 * header, longer than the MTU (plus nothing: no link header) or of
 * another version is counted in rx_invalid and dropped. The stack checks
 * the checksums (the device claims none checked). Once the packet is
 * copied out the slot comes back on the rx ring with
 * PKTPOOL_DESC_F_RETURNED and len 0 (a completion, as AF_XDP's): slots
 * the daemon sends from stay the daemon's, so one-way traffic never
 * leaves them all on the kernel's side. The tx entry of
 * a slot that another kernel user of the region (a pktpool_nf queue)
 * put on the rx ring goes to that user instead; every other slot's goes
 * to the device, so one region carries one device.
 *
 * Carrier: up while some file has the region attached for writing (the
 * daemon), down when the last one detaches or its process dies; the
 * kernel then takes the region's rings back (the daemon that comes
 * next starts with every slot but those the kernel is filling), and
 * staged packets are dropped and counted in dropped_no_daemon.
 *
 * Generic netlink family PKTPOOL_VDEV_GENL_NAME: new and del need
 * CAP_NET_ADMIN (in the initial user namespace: a region is the
 * machine's); get (and dump) is open to everyone. The device trusts the
 * region's owner with its traffic: bind it only to a region whose owner
 * (pktpoolctl region show) you trust.
 * The device lives in the namespace of the socket that made it; `ip link
 * del` removes it too. Documented in
 * Documentation/netlink/specs/pktpool_vdev.yaml.
 */
#ifndef _UAPI_LINUX_PKTPOOL_VDEV_H
#define _UAPI_LINUX_PKTPOOL_VDEV_H

#define PKTPOOL_VDEV_GENL_NAME		"pktpool_vdev"
#define PKTPOOL_VDEV_GENL_VERSION	1

#define PKTPOOL_VDEV_MTU_DEFAULT	1420
#define PKTPOOL_VDEV_MTU_MIN		68
#define PKTPOOL_VDEV_QUEUE_DEFAULT	1024
#define PKTPOOL_VDEV_QUEUE_MAX		65536	/* bound on queue_max */
#define PKTPOOL_VDEV_STAGE_RESERVE	16

enum pktpool_vdev_policy {
	PKTPOOL_VDEV_POLICY_TAIL = 1,	/* a full stage drops the new packet */
	PKTPOOL_VDEV_POLICY_HEAD,	/* ... or the oldest staged one */
};

enum {
	PKTPOOL_VDEV_A_IFINDEX = 1,	/* u32, out; in for del and get */
	PKTPOOL_VDEV_A_IFNAME,		/* string, in for new (default "pp%d") */
	PKTPOOL_VDEV_A_REGION,		/* string: the region's name */
	PKTPOOL_VDEV_A_MTU,		/* u32, 68..slot size, default 1420 */
	PKTPOOL_VDEV_A_QUEUE_MAX,	/* u32, 1..65536, default 1024 */
	PKTPOOL_VDEV_A_POLICY,		/* u8: enum pktpool_vdev_policy */
	PKTPOOL_VDEV_A_CARRIER,		/* u8: 1 while a daemon is attached */
	PKTPOOL_VDEV_A_STAGED,		/* u32: packets staged now */
	PKTPOOL_VDEV_A_PAD,
	PKTPOOL_VDEV_A_TX_PACKETS,	/* u64: stack -> rx ring */
	PKTPOOL_VDEV_A_TX_BYTES,	/* u64 */
	PKTPOOL_VDEV_A_RX_PACKETS,	/* u64: tx ring -> stack */
	PKTPOOL_VDEV_A_RX_BYTES,	/* u64 */
	PKTPOOL_VDEV_A_STAGED_TOTAL,	/* u64: packets that had to wait */
	PKTPOOL_VDEV_A_DROPPED_STAGE_FULL,	/* u64: see the policy */
	PKTPOOL_VDEV_A_DROPPED_NO_DAEMON,	/* u64: carrier down */
	PKTPOOL_VDEV_A_DROPPED_NOMEM,	/* u64: no stage entry or skb */
	PKTPOOL_VDEV_A_RX_INVALID,	/* u64: bad tx descriptors */
	PKTPOOL_VDEV_A_DROPPED_OTHER,	/* u64: not IP, or larger than a slot */

	__PKTPOOL_VDEV_A_MAX,
	PKTPOOL_VDEV_A_MAX = (__PKTPOOL_VDEV_A_MAX - 1)
};

enum {
	PKTPOOL_VDEV_CMD_NEW = 1,	/* reply: IFINDEX, IFNAME */
	PKTPOOL_VDEV_CMD_DEL,
	PKTPOOL_VDEV_CMD_GET,

	__PKTPOOL_VDEV_CMD_MAX,
	PKTPOOL_VDEV_CMD_MAX = (__PKTPOOL_VDEV_CMD_MAX - 1)
};

#endif /* _UAPI_LINUX_PKTPOOL_VDEV_H */
