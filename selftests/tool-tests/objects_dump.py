#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Dump a debug pool's objects (pool-objects-get) over a raw netlink socket,
read the first part only, run a command, then read the rest: the dump
must survive what the command does to the pool meanwhile (more objects,
frees, the pool destroyed).

Usage: objects_dump.py SPEC POOL -- CMD [ARGS...]

Prints one JSON object: "first" (objects in the first read), "seqs" (every
object's seq, in the order received) and "error" (the errno the dump ended
with, 0 for a clean end). The attribute and command numbers come from the
spec (the YAML file), as scripts/check-spec.py keeps the uapi header in
step with it. The first read takes one skb of the dump (8 KiB at most): the
kernel fills the next one only when asked, so a pool with a few hundred
objects is still being dumped when CMD runs. Not a test by itself (not
executable): selftests/tool-tests/pktpoolctl.sh runs it.
"""
import json
import socket
import struct
import subprocess
import sys

import yaml

NETLINK_GENERIC = 16
# Every read takes at most this much; the kernel sizes a dump's skbs by the
# largest read so far, so each holds a few dozen objects.
BUF = 8192
NLM_F_REQUEST, NLM_F_ACK, NLM_F_DUMP = 0x1, 0x4, 0x300
NLMSG_ERROR, NLMSG_DONE = 2, 3
GENL_ID_CTRL, CTRL_CMD_GETFAMILY = 0x10, 3
CTRL_ATTR_FAMILY_ID, CTRL_ATTR_FAMILY_NAME = 1, 2

sep = sys.argv.index("--")
spec_path, pool = sys.argv[1:sep]
cmd = sys.argv[sep + 1:]
spec = yaml.safe_load(open(spec_path))


def attr_id(set_name, name):
    for s in spec["attribute-sets"]:
        if s["name"] == set_name:
            return [a["name"] for a in s["attributes"]].index(name) + 1
    raise KeyError(set_name)


CMD_OBJECTS = [o["name"] for o in spec["operations"]["list"]].index(
    "pool-objects-get") + 1
A_POOL_NAME = attr_id("pool", "name")
A_POOL_OBJECT = attr_id("pool", "object")
A_OBJECT_SEQ = attr_id("object", "seq")


def attr(atype, payload):
    a = struct.pack("HH", 4 + len(payload), atype) + payload
    return a + b"\0" * (-len(a) % 4)


def attrs(data):
    """(type, payload) of each attribute in data."""
    while len(data) >= 4:
        alen, atype = struct.unpack_from("HH", data)
        if alen < 4:
            break
        yield atype & 0x3FFF, data[4:alen]
        data = data[(alen + 3) & ~3:]


def request(sock, family, cmd_id, flags, payload, seq):
    body = struct.pack("BBH", cmd_id, 1, 0) + payload
    sock.send(struct.pack("IHHII", 16 + len(body), family,
                          NLM_F_REQUEST | flags, seq, 0) + body)


def messages(buf):
    """(type, flags, payload) of each netlink message in buf."""
    while len(buf) >= 16:
        mlen, mtype, mflags, _, _ = struct.unpack_from("IHHII", buf)
        if mlen < 16:
            break
        yield mtype, mflags, buf[16:mlen]
        buf = buf[(mlen + 3) & ~3:]


sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_GENERIC)
sock.bind((0, 0))


def read():
    data, _, flags, _ = sock.recvmsg(BUF)
    if flags & socket.MSG_TRUNC:
        sys.exit(f"objects_dump: a message longer than {BUF} bytes")
    return data


# No ack asked for: the reply is the only answer, one read.
request(sock, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 0,
        attr(CTRL_ATTR_FAMILY_NAME, b"pktpool\0"), 1)
family = None
for mtype, _, payload in messages(read()):
    if mtype == NLMSG_ERROR:
        err = struct.unpack_from("i", payload)[0]
        if err:
            sys.exit(f"objects_dump: family pktpool: errno {-err}")
    else:
        for atype, value in attrs(payload[4:]):
            if atype == CTRL_ATTR_FAMILY_ID:
                family = struct.unpack("H", value[:2])[0]
if family is None:
    sys.exit("objects_dump: no pktpool family")

request(sock, family, CMD_OBJECTS, NLM_F_DUMP,
        attr(A_POOL_NAME, pool.encode() + b"\0"), 2)
seqs, first, error, done = [], None, None, False
while not done:
    buf = read()
    for mtype, _, payload in messages(buf):
        if mtype in (NLMSG_DONE, NLMSG_ERROR):
            error = -struct.unpack_from("i", payload)[0]
            done = True
            break
        for atype, value in attrs(payload[4:]):
            if atype != A_POOL_OBJECT:
                continue
            for otype, ovalue in attrs(value):
                if otype == A_OBJECT_SEQ:
                    seqs.append(struct.unpack("Q", ovalue[:8])[0])
    if first is None:
        first = len(seqs)
        if not done:
            rc = subprocess.run(cmd, stdout=sys.stderr).returncode
            if rc:
                sys.exit(f"objects_dump: {cmd} exited with {rc}")
print(json.dumps({"first": first, "seqs": seqs, "error": error}))
