#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The check helpers are called indirectly, through check and expect.
# shellcheck disable=SC2317
#
# The pktpool netlink family driven by the kernel's own YNL client
# (tools/net/ynl/cli.py of linux-source-6.12, extracted into build/ynl by
# scripts/ynl-src.sh) from Documentation/netlink/specs/pktpool.yaml alone,
# and what it reads compared with pktpoolctl --json: pool, region and
# class dumps, pool-get, pool-set, and monitor notifications.
#
# Run by selftests/vm-tests.sh with pktpool.ko (pools fw and vpn) and
# pktpool_test.ko loaded, as root, from the top of the tree. Everything it
# makes is named ynlt-*, and it is all gone when it exits. TAP on stdout,
# one line per check; exit 0 iff all passed.
set -u

CTL=${PKTPOOLCTL:-build/tools/pktpoolctl}
NOCAP=build/selftests/pktpool_nocap
TESTCTL=build/selftests/pktpool_testctl
HOLD=build/tools/region_hold
YNL_DIR=${YNL_DIR:-build/ynl/tools/net/ynl}
SPEC=Documentation/netlink/specs/pktpool.yaml
SCHEMA=build/ynl/Documentation/netlink/genetlink-c.yaml
MONITOR=selftests/tool-tests/ynl_monitor.py
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
# The tree is read-only in the guest.
export PYTHONDONTWRITEBYTECODE=1

tmp=$(mktemp -d /tmp/ynl-tests.XXXXXX)
# shellcheck source=selftests/tap.sh
. "$(dirname "$0")/../tap.sh"

cleanup() {
	"$TESTCTL" release ynlt-a >/dev/null 2>&1
	"$CTL" destroy ynlt-a >/dev/null 2>&1
	"$CTL" region destroy ynlt-r >/dev/null 2>&1
	rm -rf "$tmp"
}
trap cleanup EXIT

echo "TAP version 13"

# ynl ARGS...: cli.py with the spec, its schema and JSON output.
ynl() {
	"$PY" "$YNL_DIR/cli.py" --spec "$SPEC" --schema "$SCHEMA" \
		--output-json "$@"
}

# compare YNL_FILE CTL_FILE CODE: python CODE (asserts) with y the YNL
# answer and c pktpoolctl's, both parsed; YNL's attribute names have '-'
# where pktpoolctl's have '_' (ctl() renames them).
compare() {
	"$PY" - "$1" "$2" "$3" <<'EOF'
import json, sys
y = json.load(open(sys.argv[1]))
c = json.load(open(sys.argv[2]))

def ctl(o):
    return {k.replace("_", "-"): v for k, v in o.items()}

def same(a, b, keys):
    for k in keys:
        assert a.get(k) == b.get(k), "%s: YNL %r, pktpoolctl %r" % (k, a.get(k), b.get(k))

def flag_names(v):
    return sorted(n for bit, n in ((1, "debug"),) if v & bit)

exec(sys.argv[3])
EOF
}

if [ ! -r "$YNL_DIR/cli.py" ] || [ ! -r "$SCHEMA" ]; then
	skip "YNL client present" "$YNL_DIR/cli.py or $SCHEMA missing: run scripts/ynl-src.sh"
	finish
fi

expect "YNL validates the spec against genetlink-c.yaml and lists its operations" \
	0 "^pool-get +\[ (do, dump|dump, do) \]" \
	"$PY" "$YNL_DIR/cli.py" --spec "$SPEC" --schema "$SCHEMA" --list-ops

# Pools: the boot pools plus one with the debug flag, a limit and a reserve.
"$CTL" create ynlt-a --size 100 --limit 1000 --reserve 4 --debug >/dev/null
"$CTL" list --json >"$tmp/ctl-pools"
ynl --dump pool-get >"$tmp/ynl-pools" 2>"$tmp/err" || comment <"$tmp/err"

# Configuration only: counters such as cached move on their own.
check "YNL pool-get dump matches pktpoolctl list --json" \
	compare "$tmp/ynl-pools" "$tmp/ctl-pools" '
assert sorted(p["id"] for p in y) == sorted(p["id"] for p in c), (y, c)
for p in c:
    q = [o for o in y if o["id"] == p["id"]][0]
    p = ctl(p)
    same(q, p, ["name", "obj-size", "class-size", "node", "limit", "reserve",
                "in-use", "holders", "bad-frees"])
    assert q["flags"] == flag_names(p["flags"]), (q["flags"], p["flags"])
'
check "YNL prints pool flags by name (debug, none)" \
	compare "$tmp/ynl-pools" "$tmp/ctl-pools" '
by = {p["name"]: p for p in y}
assert by["ynlt-a"]["flags"] == ["debug"], by["ynlt-a"]
assert by["fw"]["flags"] == [], by["fw"]
'

ynl --do pool-get --json '{"name": "ynlt-a"}' >"$tmp/ynl-a" 2>"$tmp/err" ||
	comment <"$tmp/err"
"$CTL" show ynlt-a --json >"$tmp/ctl-a"
check "YNL pool-get by name matches pktpoolctl show --json" \
	compare "$tmp/ynl-a" "$tmp/ctl-a" '
same(y, ctl(c), ["id", "name", "obj-size", "class-size", "node", "limit",
                 "reserve", "reserve-avail", "in-use", "holders"])
'

expect "YNL pool-get of a missing pool fails with the kernel's message" 1 \
	"no such pool" ynl --do pool-get --json '{"name": "ynlt-none"}'

# pool-set: what YNL changes, pktpoolctl reads back.
ynl --do pool-set --json '{"name": "ynlt-a", "limit": 2000, "reserve": 8}' \
	>"$tmp/ynl-set" 2>&1
rc=$?
comment <"$tmp/ynl-set"
check "YNL pool-set is answered without error" test "$rc" -eq 0
"$CTL" show ynlt-a --json >"$tmp/ctl-a"
check "YNL pool-set changes limit and reserve, as pktpoolctl shows" \
	compare "$tmp/ynl-set" "$tmp/ctl-a" '
assert c["limit"] == 2000 and c["reserve"] == 8, c
'
check "YNL pool-set replies with the pool as it is afterwards" \
	compare "$tmp/ynl-set" "$tmp/ctl-a" '
assert y["name"] == "ynlt-a" and y["limit"] == 2000 and y["reserve"] == 8, y
'
expect "YNL pool-set without CAP_NET_ADMIN is refused (EPERM)" 1 \
	"Operation not permitted|error: -1" \
	"$NOCAP" "$PY" "$YNL_DIR/cli.py" --spec "$SPEC" --schema "$SCHEMA" \
	--do pool-set --json '{"name": "ynlt-a", "limit": 1}'
"$CTL" show ynlt-a --json >"$tmp/ctl-a"
check "the refused pool-set changed nothing" \
	compare "$tmp/ctl-a" "$tmp/ctl-a" 'assert c["limit"] == 2000, c'
expect "YNL pool-set above the largest limit is refused by the policy" 1 \
	"" ynl --do pool-set --json '{"name": "ynlt-a", "limit": 4294967297}'

# The change notification of a pool-set that cli.py sends. (cli.py's own
# --subscribe with --do trips over the notification arriving before the
# ack in 6.12's YNL, so the subscription is ynl_monitor.py's.)
"$PY" "$MONITOR" "$YNL_DIR" "$SPEC" "$SCHEMA" -- \
	"$PY" "$YNL_DIR/cli.py" --spec "$SPEC" --schema "$SCHEMA" \
	--do pool-set --json '{"name": "ynlt-a", "limit": 3000}' \
	>"$tmp/ynl-ntf" 2>"$tmp/err" || comment <"$tmp/err"
"$CTL" show ynlt-a --json >"$tmp/ctl-a"
check "YNL monitor sees pool-change-ntf of a YNL pool-set, with pktpoolctl's values" \
	compare "$tmp/ynl-ntf" "$tmp/ctl-a" '
ntf = [m for m in y if m["name"] == "pool-change-ntf"]
assert len(ntf) == 1, y
same(ntf[0]["msg"], ctl(c), ["id", "name", "obj-size", "limit", "reserve"])
assert ntf[0]["msg"]["limit"] == 3000, ntf
assert ntf[0]["msg"]["flags"] == ["debug"], ntf
'

# Regions.
"$CTL" region create ynlt-r --slot-size 2048 --slots 64 --mode 0640 >/dev/null
"$CTL" region list --json >"$tmp/ctl-regions"
ynl --dump region-get >"$tmp/ynl-regions" 2>"$tmp/err" || comment <"$tmp/err"
check "YNL region-get dump matches pktpoolctl region list --json" \
	compare "$tmp/ynl-regions" "$tmp/ctl-regions" '
assert len(y) == len(c) == 1, (y, c)
same(y[0], ctl(c[0]), ["id", "name", "slot-size", "slot-count", "node",
                       "mode", "uid", "gid", "size", "attached", "mappings",
                       "kernel-slots", "inflight-slots", "user-slots",
                       "ring-invalid"])
assert y[0]["mode"] == 0o640, y
'
ynl --do region-get --json '{"name": "ynlt-r"}' >"$tmp/ynl-r" 2>"$tmp/err" ||
	comment <"$tmp/err"
check "YNL region-get by name matches the dump" \
	compare "$tmp/ynl-r" "$tmp/ynl-regions" 'assert y == c[0], (y, c)'

# libpktpool's summary: a holder of 3 slots that died, decoded by YNL from
# the spec alone (lib-proc is a multi-attr nest).
"$CTL" region reclaim ynlt-r >/dev/null
"$HOLD" ynlt-r 3 >/dev/null &
hold_pid=$!
wait "$hold_pid"
ynl --do region-get --json '{"name": "ynlt-r"}' >"$tmp/ynl-lib" 2>"$tmp/err" ||
	comment <"$tmp/err"
"$CTL" region list --json >"$tmp/ctl-lib"
check "YNL region-get decodes the library's summary as pktpoolctl does" \
	compare "$tmp/ynl-lib" "$tmp/ctl-lib" '
assert (y["lib-in-use"], y["lib-cached"], y["lib-free"]) == (3, 0, 61), y
assert [(e["pid"], e["held"]) for e in y["lib-proc"]] == [('"$hold_pid"', 3)], y
same(y, ctl(c[0]), ["lib-in-use", "lib-cached", "lib-free", "lib-peak",
                    "lib-allocs", "lib-frees", "lib-failures", "lib-threads",
                    "lib-procs"])
assert y["lib-proc"] == c[0]["lib_proc"], (y, c)
'
"$CTL" region reclaim ynlt-r >/dev/null

# Classes.
"$CTL" class list --json >"$tmp/ctl-classes"
ynl --dump class-get >"$tmp/ynl-classes" 2>"$tmp/err" || comment <"$tmp/err"
check "YNL class-get dump matches pktpoolctl class list --json" \
	compare "$tmp/ynl-classes" "$tmp/ctl-classes" '
assert [k["size"] for k in y] == [k["size"] for k in c], (y, c)
for a, b in zip(y, c):
    same(a, ctl(b), ["size", "name", "pools", "in-use"])
'

# Reads are open to every user.
setpriv --reuid=65534 --regid=65534 --clear-groups \
	"$PY" "$YNL_DIR/cli.py" --spec "$SPEC" --schema "$SCHEMA" \
	--output-json --dump pool-get >"$tmp/ynl-nobody" 2>"$tmp/err" ||
	comment <"$tmp/err"
check "YNL dumps pools as nobody, the same pools" \
	compare "$tmp/ynl-nobody" "$tmp/ynl-pools" '
assert sorted(p["name"] for p in y) == sorted(p["name"] for p in c), (y, c)
'

# Monitor: what creating, attaching and destroying send, as YNL decodes it.
"$PY" "$MONITOR" "$YNL_DIR" "$SPEC" "$SCHEMA" -- \
	sh -c "$CTL create ynlt-m --size 64 --limit 10 &&
	       $CTL show ynlt-m --json >$tmp/ctl-m &&
	       $CTL destroy ynlt-m" >"$tmp/ynl-mon" 2>"$tmp/err" ||
	comment <"$tmp/err"
check "YNL monitor: pool-add-ntf then pool-del-ntf, values as pktpoolctl shows" \
	compare "$tmp/ynl-mon" "$tmp/ctl-m" '
names = [m["name"] for m in y]
assert names == ["pool-add-ntf", "pool-del-ntf"], names
for m in y:
    same(m["msg"], ctl(c), ["id", "name", "obj-size", "class-size", "limit"])
'
"$PY" "$MONITOR" "$YNL_DIR" "$SPEC" "$SCHEMA" -- \
	sh -c "$CTL region create ynlt-r2 --slot-size 64 --slots 1 >/dev/null &&
	       $CTL region destroy ynlt-r2 >/dev/null" >"$tmp/ynl-mon" \
	2>"$tmp/err" || comment <"$tmp/err"
echo '{}' >"$tmp/none"
check "YNL monitor: region-attach-ntf and region-detach-ntf, access by name" \
	compare "$tmp/ynl-mon" "$tmp/none" '
att = [m["msg"] for m in y if m["name"] == "region-attach-ntf"]
det = [m["msg"] for m in y if m["name"] == "region-detach-ntf"]
assert len(att) == 1 and len(det) == 1, y
assert att[0]["name"] == "ynlt-r2" and det[0]["name"] == "ynlt-r2", y
assert att[0]["access"] == ["read", "write"], att
assert att[0]["pid"] == det[0]["pid"] > 0, y
'

# pool-objects-get: the nested object set, and the context enum by name.
"$TESTCTL" hold ynlt-a 2 >/dev/null
ynl --dump pool-objects-get --json '{"name": "ynlt-a"}' >"$tmp/ynl-objs" \
	2>"$tmp/err" || comment <"$tmp/err"
"$CTL" show ynlt-a --objects --json >"$tmp/ctl-objs"
check "YNL pool-objects-get dump matches pktpoolctl show --objects --json" \
	compare "$tmp/ynl-objs" "$tmp/ctl-objs" '
assert len(y) == 2 and len(c["objects"]) == 2, (y, c)
objs = sorted((m["object"] for m in y), key=lambda o: o["seq"])
for o, p in zip(objs, c["objects"]):
    same(o, ctl(p), ["seq", "site", "pid", "tid", "comm", "context"])
    assert o["context"] == "task" and o["comm"] == "pktpool_testctl", o
assert all(m["id"] == c["id"] for m in y), y
'
"$TESTCTL" release ynlt-a >/dev/null

expect "pktpoolctl region destroy ynlt-r" 0 "" "$CTL" region destroy ynlt-r
expect "pktpoolctl destroy ynlt-a" 0 "" "$CTL" destroy ynlt-a
finish
