#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Traffic for selftests/vdev/vdev-tests.sh, checked end to end.

  udp-recv PORT COUNT TIMEOUT [READY]
      receive datagrams (seq, sha256 of the payload, payload) until COUNT
      arrived or TIMEOUT seconds passed without one; print
      "received N bad B dup D sha256 HEX" (HEX over the payloads in
      sequence order); exit 0 iff COUNT arrived, all intact, no dup
  udp-send HOST PORT COUNT SIZE RATE
      send COUNT such datagrams of SIZE payload bytes, RATE per second;
      print "sent N sha256 HEX"
  tcp-recv PORT TIMEOUT [READY]
      accept one connection, read to EOF; print "bytes N sha256 HEX"
  tcp-send HOST PORT BYTES CHUNK RATE
      connect (retrying for 30 s), send BYTES pseudo-random bytes in CHUNK
      pieces, RATE pieces per second (0: as fast as it goes); print
      "bytes N sha256 HEX"; a progress file PROGRESS (env) gets the bytes
      sent so far
  one-send HOST PORT SIZE df|frag
      one UDP datagram of SIZE payload bytes, with don't-fragment (df) or
      allowed to fragment (frag): print "sent sha256 HEX" or "EMSGSIZE"
  one-recv PORT TIMEOUT [READY]
      one datagram: print "len N sha256 HEX"
  flood HOST PORT COUNT SIZE
      COUNT datagrams as fast as they go, errors ignored: print "sent N"
  inject-forged HOST PORT SRCADDR SRCPORT COUNT
      COUNT datagrams that look like pktpool-vpn's (type 1, a sender id and
      counter) with a wrong tag, sent from SRCADDR:SRCPORT (SO_REUSEADDR,
      beside the daemon bound there)
  inject-replay IFNAME DSTPORT SRCADDR SRCPORT COUNT TIMEOUT
      capture COUNT UDP datagrams going out on IFNAME to DSTPORT (a packet
      socket), then send each payload again from SRCADDR:SRCPORT to the
      same destination: print "replayed N"

HOST may be IPv4 or IPv6. READY: a file created once the socket listens.
"""
import hashlib
import os
import socket
import struct
import sys
import time

HDR = struct.Struct("!I32s")
IP_MTU_DISCOVER, IP_PMTUDISC_DONT, IP_PMTUDISC_DO = 10, 0, 2
IPV6_MTU_DISCOVER, IPV6_PMTUDISC_DONT, IPV6_PMTUDISC_DO = 23, 0, 2


def family(host):
    return socket.AF_INET6 if ":" in host else socket.AF_INET


def listen_udp(port, ready):
    s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
    s.bind(("::", port))
    if ready:
        open(ready, "w").close()
    return s


def payload(seq, size):
    h = hashlib.sha256(b"%d" % seq).digest()
    return (h * (size // 32 + 1))[:size]


def udp_recv(port, count, timeout, ready=None):
    s = listen_udp(int(port), ready)
    s.settimeout(float(timeout))
    got, bad, dup = {}, 0, 0
    while len(got) < int(count):
        try:
            d = s.recv(65536)
        except socket.timeout:
            break
        if len(d) < HDR.size:
            bad += 1
            continue
        seq, digest = HDR.unpack_from(d)
        body = d[HDR.size:]
        if hashlib.sha256(body).digest() != digest:
            bad += 1
        elif seq in got:
            dup += 1
        else:
            got[seq] = body
    h = hashlib.sha256()
    for seq in sorted(got):
        h.update(got[seq])
    print("received %d bad %d dup %d sha256 %s" % (len(got), bad, dup,
                                                  h.hexdigest()))
    return 0 if len(got) == int(count) and not bad and not dup else 1


def udp_send(host, port, count, size, rate):
    s = socket.socket(family(host), socket.SOCK_DGRAM)
    h = hashlib.sha256()
    gap = 1.0 / float(rate)
    t = time.monotonic()
    for seq in range(int(count)):
        body = payload(seq, int(size))
        h.update(body)
        s.sendto(HDR.pack(seq, hashlib.sha256(body).digest()) + body,
                 (host, int(port)))
        t += gap
        delay = t - time.monotonic()
        if delay > 0:
            time.sleep(delay)
    print("sent %d sha256 %s" % (int(count), h.hexdigest()))
    return 0


def tcp_recv(port, timeout, ready=None):
    s = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("::", int(port)))
    s.listen(1)
    if ready:
        open(ready, "w").close()
    s.settimeout(float(timeout))
    c, _ = s.accept()
    c.settimeout(float(timeout))
    h, n = hashlib.sha256(), 0
    while True:
        d = c.recv(1 << 16)
        if not d:
            break
        h.update(d)
        n += len(d)
    print("bytes %d sha256 %s" % (n, h.hexdigest()))
    return 0


def tcp_send(host, port, nbytes, chunk, rate):
    deadline = time.monotonic() + 30
    while True:
        try:
            c = socket.create_connection((host, int(port)), timeout=60)
            break
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)
    progress = os.environ.get("PROGRESS")
    h, sent, seq = hashlib.sha256(), 0, 0
    gap = 1.0 / float(rate) if float(rate) > 0 else 0
    t = time.monotonic()
    while sent < int(nbytes):
        body = payload(seq, min(int(chunk), int(nbytes) - sent))
        c.sendall(body)
        h.update(body)
        sent += len(body)
        seq += 1
        if progress:
            with open(progress + ".tmp", "w") as f:
                f.write("%d\n" % sent)
            os.replace(progress + ".tmp", progress)
        if gap:
            t += gap
            delay = t - time.monotonic()
            if delay > 0:
                time.sleep(delay)
    c.shutdown(socket.SHUT_WR)
    c.settimeout(120)
    c.recv(1)       # the receiver closes once it read everything
    print("bytes %d sha256 %s" % (sent, h.hexdigest()))
    return 0


def one_send(host, port, size, mode):
    fam = family(host)
    s = socket.socket(fam, socket.SOCK_DGRAM)
    if fam == socket.AF_INET:
        s.setsockopt(socket.IPPROTO_IP, IP_MTU_DISCOVER,
                     IP_PMTUDISC_DO if mode == "df" else IP_PMTUDISC_DONT)
    else:
        s.setsockopt(socket.IPPROTO_IPV6, IPV6_MTU_DISCOVER,
                     IPV6_PMTUDISC_DO if mode == "df" else IPV6_PMTUDISC_DONT)
    body = payload(int(size), int(size))
    try:
        s.sendto(body, (host, int(port)))
    except OSError as e:
        if e.errno == 90:   # EMSGSIZE
            print("EMSGSIZE")
            return 0
        raise
    print("sent sha256 %s" % hashlib.sha256(body).hexdigest())
    return 0


def one_recv(port, timeout, ready=None):
    s = listen_udp(int(port), ready)
    s.settimeout(float(timeout))
    try:
        d = s.recv(65536)
    except socket.timeout:
        print("nothing arrived")
        return 1
    print("len %d sha256 %s" % (len(d), hashlib.sha256(d).hexdigest()))
    return 0


def flood(host, port, count, size):
    s = socket.socket(family(host), socket.SOCK_DGRAM)
    body, n = b"\x55" * int(size), 0
    for _ in range(int(count)):
        try:
            s.sendto(body, (host, int(port)))
            n += 1
        except OSError:
            pass
    print("sent %d" % n)
    return 0


def bound_beside(srcaddr, srcport, dst):
    s = socket.socket(family(dst), socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((srcaddr, int(srcport)))
    return s


def inject_forged(host, port, srcaddr, srcport, count):
    s = bound_beside(srcaddr, srcport, host)
    # A current counter (seconds << 32, as pktpool-vpn's), ahead of the
    # window: only the tag can give these away.
    ctr = (int(time.time()) << 32) + (1 << 31)
    for i in range(int(count)):
        hdr = struct.pack("!B3xIQ", 1, 0x5eed, ctr + i)
        s.sendto(hdr + os.urandom(100) + os.urandom(16), (host, int(port)))
    print("forged %d" % int(count))
    return 0


def inject_replay(ifname, dstport, srcaddr, srcport, count, timeout):
    eth_p_all = 0x0003
    p = socket.socket(socket.AF_PACKET, socket.SOCK_RAW,
                      socket.htons(eth_p_all))
    p.bind((ifname, eth_p_all))
    p.settimeout(float(timeout))
    # The caller waits for this before it makes traffic (python starts
    # slowly under TCG).
    print("capturing", flush=True)
    caught = []
    while len(caught) < int(count):
        frame, addr = p.recvfrom(65536)
        if addr[2] != socket.PACKET_OUTGOING or len(frame) < 14 + 28:
            continue
        ip = frame[14:]
        if ip[0] >> 4 == 4 and ip[9] == 17:
            ihl = (ip[0] & 15) * 4
            dst = socket.inet_ntop(socket.AF_INET, ip[16:20])
        elif ip[0] >> 4 == 6 and ip[6] == 17:
            ihl = 40
            dst = socket.inet_ntop(socket.AF_INET6, ip[24:40])
        else:
            continue
        udp = ip[ihl:]
        if struct.unpack("!H", udp[2:4])[0] != int(dstport):
            continue
        caught.append((dst, udp[8:]))
    for dst, data in caught:
        s = bound_beside(srcaddr, srcport, dst)
        s.sendto(data, (dst, int(dstport)))
        s.close()
    print("replayed %d" % len(caught))
    return 0


def main():
    cmds = {"udp-recv": udp_recv, "udp-send": udp_send,
            "tcp-recv": tcp_recv, "tcp-send": tcp_send,
            "one-send": one_send, "one-recv": one_recv, "flood": flood,
            "inject-forged": inject_forged, "inject-replay": inject_replay}
    if len(sys.argv) < 2 or sys.argv[1] not in cmds:
        sys.stderr.write(__doc__)
        return 2
    return cmds[sys.argv[1]](*sys.argv[2:])


if __name__ == "__main__":
    sys.exit(main())
