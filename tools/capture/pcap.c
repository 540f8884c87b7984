// SPDX-License-Identifier: GPL-2.0
/*
 * pcap (nanosecond variant) and pcapng, written in the host's byte order
 * (both formats say which by their magic). Formats: the pcap file format
 * and pcapng drafts of the IETF OPSAWG (Section Header, Interface
 * Description and Enhanced Packet blocks only).
 */
#include <errno.h>
#include <string.h>

#include "pcap.h"

#define PCAP_MAGIC_NS		0xa1b23c4du
#define PCAPNG_SHB		0x0a0d0d0au
#define PCAPNG_IDB		0x00000001u
#define PCAPNG_EPB		0x00000006u
#define PCAPNG_BOM		0x1a2b3c4du
#define PCAPNG_OPT_TSRESOL	9

static int put(struct pcap_out *o, const void *p, size_t n)
{
	return fwrite(p, 1, n, o->f) == n ? 0 : -(errno ? errno : EIO);
}

static int start_pcap(struct pcap_out *o, uint32_t snaplen)
{
	struct {
		uint32_t magic;
		uint16_t major, minor;
		int32_t thiszone;
		uint32_t sigfigs, snaplen, linktype;
	} h = { PCAP_MAGIC_NS, 2, 4, 0, 0, snaplen, PCAP_LINKTYPE_RAW };

	return put(o, &h, sizeof(h));
}

static int start_pcapng(struct pcap_out *o, uint32_t snaplen)
{
	struct {
		uint32_t type, len, bom;
		uint16_t major, minor;
		uint64_t section_len;
		uint32_t len2;
	} __attribute__((packed)) shb = {
		PCAPNG_SHB, 28, PCAPNG_BOM, 1, 0, UINT64_MAX, 28,
	};
	struct {
		uint32_t type, len;
		uint16_t linktype, reserved;
		uint32_t snaplen;
		uint16_t opt_code, opt_len;
		uint8_t tsresol, pad[3];
		uint32_t opt_end;
		uint32_t len2;
	} idb = {
		PCAPNG_IDB, 32, PCAP_LINKTYPE_RAW, 0, snaplen,
		PCAPNG_OPT_TSRESOL, 1, 9, { 0 }, 0, 32,
	};
	int err;

	_Static_assert(sizeof(shb) == 28 && sizeof(idb) == 32, "block sizes");
	err = put(o, &shb, sizeof(shb));
	return err ? err : put(o, &idb, sizeof(idb));
}

int pcap_start(struct pcap_out *o, FILE *f, bool ng, uint32_t snaplen)
{
	o->f = f;
	o->ng = ng;
	return ng ? start_pcapng(o, snaplen) : start_pcap(o, snaplen);
}

int pcap_packet(struct pcap_out *o, uint64_t tstamp_ns, const void *data,
		uint32_t caplen, uint32_t len)
{
	static const uint8_t zero[4];
	int err;

	if (!o->ng) {
		uint32_t r[4] = {
			(uint32_t)(tstamp_ns / 1000000000u),
			(uint32_t)(tstamp_ns % 1000000000u), caplen, len,
		};

		err = put(o, r, sizeof(r));
		return err ? err : put(o, data, caplen);
	} else {
		uint32_t pad = (4 - caplen % 4) % 4;
		uint32_t total = 32 + caplen + pad;
		uint32_t h[7] = {
			PCAPNG_EPB, total, 0, (uint32_t)(tstamp_ns >> 32),
			(uint32_t)tstamp_ns, caplen, len,
		};

		err = put(o, h, sizeof(h));
		if (!err)
			err = put(o, data, caplen);
		if (!err && pad)
			err = put(o, zero, pad);
		return err ? err : put(o, &total, sizeof(total));
	}
}
