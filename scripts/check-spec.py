#!/usr/bin/env python3
"""Check that the netlink spec, the uapi header and kmod/netlink.c agree.

Documentation/netlink/specs/pktpool.yaml is the source of truth: every
attribute set must appear in uapi/linux/pktpool.h as an enum of
PKTPOOL_A_<SET>_<ATTR> in the same order starting at 1, every operation
as PKTPOOL_CMD_<OP> in order, and every non-notification operation must
have an entry in kmod/netlink.c's ops table and every notification
must be sent somewhere in kmod/. Prints TAP, one line a check.
Reads the spec's simple block layout directly: no YAML library needed.
"""
import re
import sys
from pathlib import Path

top = Path(__file__).resolve().parent.parent
spec = (top / "Documentation/netlink/specs/pktpool.yaml").read_text()
uapi = (top / "uapi/linux/pktpool.h").read_text()
code = (top / "kmod/netlink.c").read_text()
kmod = "".join(p.read_text() for p in sorted((top / "kmod").glob("*.c")))


def cname(s):
    return s.upper().replace("-", "_")


def section(text, key):
    """Lines of the top-level block `key:` up to the next top-level key."""
    m = re.search(rf"^{key}:\n((?:(?: .*)?\n)*)", text, re.M)
    return m.group(1) if m else ""


def sets():
    out, cur = {}, None
    for line in section(spec, "attribute-sets").splitlines():
        m = re.match(r"^    name: (\S+)$", line)
        if m:
            cur = out.setdefault(m.group(1), [])
            continue
        m = re.match(r"^        name: (\S+)$", line)
        if m and cur is not None:
            cur.append(m.group(1))
    return out


def ops():
    out = []
    for line in section(spec, "operations").splitlines():
        m = re.match(r"^      name: (\S+)$", line)
        if m:
            out.append([m.group(1), False])
        elif re.match(r"^      event:", line) and out:
            out[-1][1] = True
    return out


def enum_after(first):
    """Names of the enum whose first member is `first`, in order."""
    m = re.search(rf"enum \{{\n\t{first} = 1,\n(.*?)\n\n", uapi, re.S)
    if not m:
        return None
    rest = re.findall(r"^\t(\w+),", m.group(1), re.M)
    return [first] + rest


results = []
for name, attrs in sets().items():
    want = [f"PKTPOOL_A_{cname(name)}_{cname(a)}" for a in attrs]
    got = enum_after(want[0]) if want else None
    results.append((got == want, f"spec attribute set '{name}' matches the uapi enum",
                    f"spec {want} uapi {got}"))

op_list = ops()
want = [f"PKTPOOL_CMD_{cname(n)}" for n, _ in op_list]
got = enum_after(want[0]) if want else None
results.append((got == want, "spec operations match the uapi command enum",
                f"spec {want} uapi {got}"))

for n, event in op_list:
    if event:
        used = f"PKTPOOL_CMD_{cname(n)}" in kmod
        results.append((used, f"kmod/ sends notification {n}", "never sent"))
    else:
        has = re.search(rf"\.cmd = PKTPOOL_CMD_{cname(n)},", code) is not None
        results.append((has, f"kmod/netlink.c implements operation {n}", "no ops entry"))

failed = 0
for ok, what, why in results:
    print(("ok - " if ok else "not ok - ") + what)
    if not ok:
        print(f"# {why}")
        failed += 1
sys.exit(1 if failed or not results else 0)
