#!/usr/bin/env python3
# nf_check.py PCAP --src A --dst B --cycle P1,P2 --keep P1 --sent N --size S
#             [--mod OFF:BYTE] [--csum]
#
# Checks what pktpool-capture wrote (pcap, LINKTYPE_RAW) against what
# nf_udp sent: N datagrams of S bytes from A to B, datagram seq to port
# cycle[seq % len(cycle)]. The file must hold exactly the datagrams whose
# port is in --keep, in order, each byte for byte: addresses, protocol,
# ports, lengths, payload ("PPNF", seq, pattern; with --mod the payload
# byte OFF is BYTE). Every IPv4 header checksum must be right; with --csum
# every UDP checksum too (one the sender left to offload, i.e. only the
# pseudo-header sum, counts as "partial", is reported and fails).
# Prints one summary line (and the first difference); exit 0 if all match.
import argparse
import ipaddress
import struct
import sys


def fold(s):
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return s


def sum16(b):
    if len(b) % 2:
        b += b'\0'
    return sum(struct.unpack('!%dH' % (len(b) // 2), b))


def payload(seq, size, mod):
    b = bytearray(b'PPNF' + struct.pack('!I', seq))
    b += bytes((seq * 7 + i) & 0xff for i in range(8, size))
    if mod is not None:
        b[mod[0]] = mod[1]
    return bytes(b)


def read_pcap(path):
    with open(path, 'rb') as f:
        data = f.read()
    magic, _, _, _, _, _, link = struct.unpack_from('=IHHiIII', data, 0)
    if magic not in (0xa1b23c4d, 0xa1b2c3d4):
        raise SystemExit('not a pcap file: magic %#x' % magic)
    if link != 101:
        raise SystemExit('link type %d, want 101 (LINKTYPE_RAW)' % link)
    i, out = 24, []
    while i + 16 <= len(data):
        _, _, cap, wire = struct.unpack_from('=IIII', data, i)
        out.append((data[i + 16:i + 16 + cap], wire))
        i += 16 + cap
    return out


def udp_csum_state(pkt, off, v6, src, dst):
    udp = pkt[off:]
    (stored,) = struct.unpack_from('!H', udp, 6)
    if not v6 and stored == 0:
        return 'none'
    pseudo = src.packed + dst.packed
    pseudo += struct.pack('!I', len(udp)) + b'\0\0\0\x11' if v6 else \
        struct.pack('!BBH', 0, 17, len(udp))
    if fold(sum16(pseudo) + sum16(udp)) == 0xffff:
        return 'ok'
    if stored == fold(sum16(pseudo)) or stored == (~fold(sum16(pseudo))) & 0xffff:
        return 'partial'
    return 'bad'


def check(pkt, wire, seq, port, a):
    src, dst = a.src, a.dst
    v6 = src.version == 6
    if wire != len(pkt):
        return 'caplen %d != len %d (truncated)' % (len(pkt), wire)
    if v6:
        if pkt[0] >> 4 != 6 or pkt[6] != 17:
            return 'not IPv6/UDP'
        if pkt[8:24] != src.packed or pkt[24:40] != dst.packed:
            return 'addresses differ'
        off = 40
        if struct.unpack_from('!H', pkt, 4)[0] != 8 + a.size:
            return 'IPv6 payload length'
    else:
        if pkt[0] >> 4 != 4 or pkt[9] != 17:
            return 'not IPv4/UDP'
        off = (pkt[0] & 15) * 4
        if fold(sum16(pkt[:off])) != 0xffff:
            return 'bad IPv4 header checksum'
        if pkt[12:16] != src.packed or pkt[16:20] != dst.packed:
            return 'addresses differ'
        if struct.unpack_from('!H', pkt, 2)[0] != off + 8 + a.size:
            return 'IPv4 total length'
    sport, dport, ulen = struct.unpack_from('!HHH', pkt, off)
    if dport != port or ulen != 8 + a.size:
        return 'udp port %d (want %d) or length %d' % (dport, port, ulen)
    want = payload(seq, a.size, a.mod)
    got = pkt[off + 8:]
    if got != want:
        at = next(i for i in range(min(len(got), len(want)))
                  if got[i] != want[i]) if len(got) == len(want) else -1
        return 'payload differs (first at byte %d)' % at
    if a.csum:
        st = udp_csum_state(pkt, off, v6, src, dst)
        if st not in ('ok', 'none'):
            return 'UDP checksum %s' % st
    return None


def main():
    p = argparse.ArgumentParser()
    p.add_argument('pcap')
    p.add_argument('--src', type=ipaddress.ip_address, required=True)
    p.add_argument('--dst', type=ipaddress.ip_address, required=True)
    p.add_argument('--cycle', required=True)
    p.add_argument('--keep', required=True)
    p.add_argument('--sent', type=int, required=True)
    p.add_argument('--size', type=int, required=True)
    p.add_argument('--mod')
    p.add_argument('--csum', action='store_true')
    a = p.parse_args()
    cycle = [int(x) for x in a.cycle.split(',')]
    keep = {int(x) for x in a.keep.split(',')}
    if a.mod:
        o, b = a.mod.split(':')
        a.mod = (int(o, 0), int(b, 0))
    want = [(s, cycle[s % len(cycle)]) for s in range(a.sent)
            if cycle[s % len(cycle)] in keep]
    pkts = read_pcap(a.pcap)
    for i, ((pkt, wire), (seq, port)) in enumerate(zip(pkts, want)):
        err = check(pkt, wire, seq, port, a)
        if err:
            print('packet %d of %d (seq %d): %s' % (i, len(pkts), seq, err))
            return 1
    if len(pkts) != len(want):
        print('%d packets captured, %d expected' % (len(pkts), len(want)))
        return 1
    print('%d packets as sent, in order%s%s' %
          (len(pkts), ', modified' if a.mod else '',
           ', checksums valid' if a.csum else ''))
    return 0


if __name__ == '__main__':
    sys.exit(main())
