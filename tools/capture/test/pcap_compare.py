#!/usr/bin/env python3
# pcap_compare.py CAPTURE REF SNAP: the packets of a pcap or pcapng file
# CAPTURE (as pktpool-capture writes them) against REF (capture_feed's
# record: u32 length, bytes). Checks link type, count, order, caplen
# (SNAP for every 5th packet), len and every captured byte, and the
# nanosecond timestamps capture_feed set. Prints one line; exit 0 if equal.
import struct
import sys

TS_BASE = 1700000000000000000


def read_ref(path):
    out = []
    with open(path, 'rb') as f:
        data = f.read()
    i = 0
    while i < len(data):
        (n,) = struct.unpack_from('=I', data, i)
        out.append(data[i + 4:i + 4 + n])
        i += 4 + n
    return out


def read_pcap(data):
    magic, _, _, _, _, _, link = struct.unpack_from('=IHHiIII', data, 0)
    if magic != 0xa1b23c4d:
        raise ValueError('not a nanosecond pcap (magic %#x)' % magic)
    pkts, i = [], 24
    while i < len(data):
        sec, nsec, cap, wire = struct.unpack_from('=IIII', data, i)
        pkts.append((sec * 10**9 + nsec, data[i + 16:i + 16 + cap], wire))
        i += 16 + cap
    return link, pkts


def read_pcapng(data):
    link, pkts, i = None, [], 0
    while i < len(data):
        btype, blen = struct.unpack_from('=II', data, i)
        if btype == 0x0a0d0d0a:
            (bom,) = struct.unpack_from('=I', data, i + 8)
            if bom != 0x1a2b3c4d:
                raise ValueError('byte order magic %#x' % bom)
        elif btype == 1:
            (link,) = struct.unpack_from('=H', data, i + 8)
            # if_tsresol must say nanoseconds
            if data[i + 16:i + 21] != struct.pack('=HHB', 9, 1, 9):
                raise ValueError('no if_tsresol 9 option')
        elif btype == 6:
            _, hi, lo, cap, wire = struct.unpack_from('=IIIII', data, i + 8)
            pkts.append((hi << 32 | lo, data[i + 28:i + 28 + cap], wire))
        (tail,) = struct.unpack_from('=I', data, i + blen - 4)
        if tail != blen:
            raise ValueError('block length mismatch at %d' % i)
        i += blen
    return link, pkts


def main():
    cap_path, ref_path, snap = sys.argv[1], sys.argv[2], int(sys.argv[3])
    with open(cap_path, 'rb') as f:
        data = f.read()
    ng = data[:4] == b'\x0a\x0d\x0d\x0a'
    link, pkts = (read_pcapng if ng else read_pcap)(data)
    ref = read_ref(ref_path)
    if link != 101:
        print('link type %s, want 101 (LINKTYPE_RAW)' % link)
        return 1
    if len(pkts) != len(ref):
        print('%d packets captured, %d sent' % (len(pkts), len(ref)))
        return 1
    for seq, ((ts, cap, wire), full) in enumerate(zip(pkts, ref)):
        want_cap = full[:snap] if seq % 5 == 4 else full
        if cap != want_cap or wire != len(full) or \
                ts != TS_BASE + seq * 1000001:
            print('packet %d differs: caplen %d/%d len %d/%d ts %d' %
                  (seq, len(cap), len(want_cap), wire, len(full), ts))
            return 1
    print('%d packets identical (%s)' % (len(pkts), 'pcapng' if ng else 'pcap'))
    return 0


if __name__ == '__main__':
    sys.exit(main())
