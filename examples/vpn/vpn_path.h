/* SPDX-License-Identifier: MIT */
/*
 * pktpool-vpn: the daemon's state and its two packet paths (vpn_path.c).
 * Everything here is private memory; the region's rings and slots are
 * reached only through libpktpool's checked calls and the slot table.
 */
#ifndef PKTPOOL_VPN_PATH_H
#define PKTPOOL_VPN_PATH_H

#include <sys/socket.h>

#include "libpktpool.h"
#include "vpn.h"

#define PKTPOOL_VPN_BATCH	32	/* descriptors or datagrams per call */

struct pktpool_vpn {
	struct pktpool *pool;
	struct pktpool_rings rings;
	struct pktpool_vpn_slots slots;
	uint32_t keep;			/* free slots kept to receive into */
	int sock;			/* the UDP underlay */
	struct sockaddr_storage peer;
	socklen_t peer_len;
	const uint8_t *key;
	struct pktpool_vpn_sender tx;	/* our counters and id */
	struct pktpool_vpn_replay rx;	/* the peer's window */
	bool kick;			/* tx entries submitted since the last kick */
	bool starving;			/* no free slot to receive into */
	struct pktpool_vpn_stats st;
};

int pktpool_vpn_from_dev(struct pktpool_vpn *v);
int pktpool_vpn_from_peer(struct pktpool_vpn *v);
int pktpool_vpn_fill(struct pktpool_vpn *v);
int pktpool_vpn_kick(struct pktpool_vpn *v);

#endif /* PKTPOOL_VPN_PATH_H */
