/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pcap and pcapng writers for pktpool-capture: packets from netfilter
 * hooks start at the IP header, so the link type is LINKTYPE_RAW (101:
 * IPv4 or IPv6, told apart by the version nibble); timestamps are in
 * nanoseconds (the nanosecond pcap magic, if_tsresol 9 in pcapng).
 */
#ifndef PKTPOOL_CAPTURE_PCAP_H
#define PKTPOOL_CAPTURE_PCAP_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define PCAP_LINKTYPE_RAW	101

struct pcap_out {
	FILE *f;
	bool ng;		/* pcapng instead of pcap */
};

/* Write the file header(s). 0 or -errno. */
int pcap_start(struct pcap_out *o, FILE *f, bool ng, uint32_t snaplen);

/* One packet: caplen bytes of data, len on the wire. 0 or -errno. */
int pcap_packet(struct pcap_out *o, uint64_t tstamp_ns, const void *data,
		uint32_t caplen, uint32_t len);

#endif
