#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The check helpers are called indirectly, through check and expect.
# shellcheck disable=SC2317
#
# pktpoolctl against known states, in the guest: every command, its human
# and --json output (parsed back with python3), apply's idempotence,
# notifications, watch's order and rates, the errors it explains, and the
# netlink family's answers to malformed requests (pktpoolctl_nlerr).
#
# Run by selftests/vm-tests.sh with pktpool.ko (pools fw and vpn) and
# pktpool_test.ko loaded, as root, from the top of the tree. Everything it
# makes is named ctlt-*, and it is all gone when it exits; fw and vpn are
# only read. TAP on stdout, one line per check; exit 0 iff all passed.
set -u

CTL=${PKTPOOLCTL:-build/tools/pktpoolctl}
NLERR=build/tools/pktpoolctl_nlerr
NOCAP=build/selftests/pktpool_nocap
TESTCTL=build/selftests/pktpool_testctl
HOLD=build/tools/region_hold
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3

dev_mode=
tmp=$(mktemp -d /tmp/pktpoolctl-tests.XXXXXX)
# shellcheck source=selftests/tap.sh
. "$(dirname "$0")/../tap.sh"







# has FILE REGEX...: every extended REGEX matches a line of FILE.
has() {
	local file=$1 re rc=0
	shift
	for re in "$@"; do
		if ! grep -Eq -- "$re" "$file"; then
			echo "no line matches: $re"
			rc=1
		fi
	done
	[ "$rc" -eq 0 ] || cat "$file"
	return "$rc"
}

# lacks FILE REGEX: no line of FILE matches.
lacks() {
	if grep -Eq -- "$2" "$1"; then
		echo "a line matches: $2"
		cat "$1"
		return 1
	fi
}

# pyjson FILE CODE: run python CODE (asserts) with the JSON in FILE parsed:
# d is the document (None if FILE holds JSON lines), lines the objects of
# FILE one per line, by_name(arr, name) picks the object with that name.
pyjson() {
	"$PY" - "$1" "$2" <<'EOF'
import json, sys
text = open(sys.argv[1]).read()
try:
    d = json.loads(text)
    lines = [d]
except ValueError:
    d = None
    lines = [json.loads(l) for l in text.splitlines() if l.strip()]

def by_name(arr, name):
    found = [o for o in arr if o.get("name") == name]
    assert len(found) == 1, "%d objects named %s in %r" % (len(found), name, arr)
    return found[0]

def is_int(v):
    return isinstance(v, int) and not isinstance(v, bool)

exec(sys.argv[2])
EOF
}

# json_check NAME CODE CMD...: CMD exits 0 and its stdout passes CODE.
json_check() {
	local name=$1 code=$2 rc=0
	shift 2
	"$@" >"$tmp/json" 2>"$tmp/json.err" || rc=$?
	if [ "$rc" -eq 0 ] && pyjson "$tmp/json" "$code" >"$tmp/py" 2>&1; then
		ok "$name"
	else
		not_ok "$name"
		echo "# command: $* (exit status $rc)"
		comment <"$tmp/py"
		head -c 2000 "$tmp/json" | comment
		comment <"$tmp/json.err"
	fi
}

# The fields of a pool object, in the documented order.
POOL_FIELDS='["id", "name", "obj_size", "class_size", "node", "flags", "limit", "reserve", "in_use", "peak", "allocs", "frees", "fail_limit", "fail_nomem", "reserve_hits", "reserve_avail", "cached", "holders", "bad_frees"]'
REGION_FIELDS='["id", "name", "slot_size", "slot_count", "node", "mode", "uid", "gid", "size", "attached", "mappings", "kernel_slots", "inflight_slots", "user_slots", "ring_invalid"]'
CLASS_FIELDS='["size", "name", "pools", "objects", "bytes", "in_use"]'

our_pools() {
	"$CTL" list --json 2>/dev/null | "$PY" -c '
import json, sys
for p in json.load(sys.stdin):
    if p["name"].startswith("ctlt-"):
        print(p["name"])'
}

our_regions() {
	"$CTL" region list --json 2>/dev/null | "$PY" -c '
import json, sys
for r in json.load(sys.stdin):
    if r["name"].startswith("ctlt-"):
        print(r["name"])'
}

# Free what the test module holds for us, remove what we made.
remove_ours() {
	local p r
	for p in $(our_pools); do
		"$TESTCTL" release "$p" >/dev/null 2>&1
		"$CTL" destroy "$p" >/dev/null 2>&1
	done
	for r in $(our_regions); do
		"$CTL" region destroy "$r" >/dev/null 2>&1
	done
}

cleanup() {
	local pid
	# Only our own background jobs that are still running.
	for pid in $(jobs -p); do
		kill "$pid" 2>/dev/null
	done
	[ -n "$dev_mode" ] && chmod "$dev_mode" /dev/pktpool
	remove_ours
	rm -rf "$tmp"
}
trap cleanup EXIT

# Wait until some generic netlink socket has joined the monitor group
# (seen in /proc/net/netlink, which shows the first 32 groups).
wait_subscribed() {
	local gid
	gid=$("$CTL" version --json | "$PY" -c 'import json,sys; print(json.load(sys.stdin)["monitor_group_id"])')
	if [ -z "$gid" ] || [ "$gid" -lt 1 ] || [ "$gid" -gt 32 ]; then
		sleep 2
		return 0
	fi
	for _ in $(seq 50); do
		# No process substitution: the guest has no /dev/fd.
		awk 'NR > 1 { print $2, $4 }' /proc/net/netlink >"$tmp/groups"
		while read -r eth groups; do
			[ "$eth" = 16 ] && (((16#$groups >> (gid - 1)) & 1)) &&
				return 0
		done <"$tmp/groups"
		sleep 0.2
	done
	echo "# nobody joined the monitor group within 10 s"
	return 1
}

echo "TAP version 13"

if [ "$(id -u)" -ne 0 ] || [ ! -c /dev/pktpool ]; then
	echo "1..0 # SKIP needs root and pktpool.ko loaded (run by vm-tests.sh)"
	exit 0
fi
remove_ours	# leftovers of an interrupted run
"$CTL" show fw --json >"$tmp/fw.before" 2>&1
"$CTL" show vpn --json >"$tmp/vpn.before" 2>&1
classes=$(cat /sys/module/pktpool/parameters/classes)

# --- version ----------------------------------------------------------------

expect "version names the ABI, features and the netlink family" 0 \
	"^netlink: +family pktpool \(id [0-9]+, version 1\), group monitor \(id [0-9]+\)$" \
	"$CTL" version
json_check "version --json: abi_version, features, classes, family and group" "
assert d['abi_version'] == 2
assert 'pools' in d['feature_names'] and d['features'] & 1
assert d['class_sizes'] == [int(c) for c in '$classes'.split(',')], d['class_sizes']
assert d['genl_family'] == 'pktpool' and d['genl_version'] == 1
assert is_int(d['genl_family_id']) and d['genl_family_id'] > 0
assert is_int(d['monitor_group_id']) and d['monitor_group_id'] > 0
assert is_int(d['max_pools']) and d['unknown_features'] == 0
" "$CTL" version --json
json_check "--json works before the command too" "assert d['abi_version'] == 2" \
	"$CTL" --json version

# --- list and show ----------------------------------------------------------

expect "list prints a table with use of limit and memory columns" 0 \
	"^ *ID +NAME +SIZE +CLASS +IN-USE +PEAK +LIMIT +RESERVE +FAILS +USE% +MEMORY$" \
	"$CTL" list
json_check "list --json: one object per pool with every field, as numbers" "
assert isinstance(d, list) and len(d) >= 2
for p in d:
    assert list(p) == $POOL_FIELDS, list(p)
    assert all(is_int(p[k]) for k in p if k != 'name'), p
assert [p['id'] for p in d] == sorted(p['id'] for p in d)
fw = by_name(d, 'fw')
assert (fw['obj_size'], fw['class_size'], fw['limit'], fw['node']) == (256, 256, 65536, -1), fw
vpn = by_name(d, 'vpn')
assert (vpn['obj_size'], vpn['class_size'], vpn['limit']) == (1500, 2048, 8192), vpn
" "$CTL" list --json
json_check "show NAME --json equals the pool's list entry" "
assert d == by_name(json.load(open('$tmp/list.json')), 'vpn'), d
" sh -c "\"$CTL\" list --json >'$tmp/list.json' && \"$CTL\" show vpn --json"
fw_id=$("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["id"])' "$tmp/fw.before" 2>/dev/null)
json_check "show ID --json finds the same pool as by name" "
assert d['name'] == 'fw' and d['id'] == ${fw_id:-0}
" "$CTL" show "${fw_id:-0}" --json
expect "show of a missing pool names it and prints the kernel's extack" 1 \
	"^pktpoolctl: no pool 'ctlt-none' \(see 'pktpoolctl list'\)$" \
	"$CTL" show ctlt-none
check "show of a missing pool: extack points at the name attribute" \
	has "$tmp/last" "^pktpoolctl: kernel says: no such pool \(attribute name\)$"
expect "show of a missing id: extack points at the id attribute" 1 \
	"^pktpoolctl: kernel says: no such pool \(attribute id\)$" \
	"$CTL" show 2147483000

# --- create, set and load ---------------------------------------------------

expect "create makes a pool and reads it back over netlink" 0 \
	"^created pool 'ctlt-a' \(id [0-9]+\): object size 100, class 256, limit 1000, reserve 8$" \
	"$CTL" create ctlt-a --size 100 --limit 1000 --reserve 8
expect "pktpool_testctl holds 250 objects of ctlt-a" 0 "^held 250$" \
	"$TESTCTL" hold ctlt-a 250
check "list shows ctlt-a at 25.0% of its limit" \
	sh -c "\"$CTL\" list | awk '\$2 == \"ctlt-a\" { print \$5, \$10 }' | grep -qx '250 25.0%'"
expect "show gives in use as a percentage of the limit and in KiB" 0 \
	"^in use: +250 \(25\.0% of limit, 62\.5 KiB\)$" "$CTL" show ctlt-a
json_check "show --json reflects the load: in_use, peak, allocs, holders" "
assert (d['in_use'], d['holders'], d['reserve'], d['limit']) == (250, 1, 8, 1000), d
assert d['peak'] >= 250 and d['allocs'] >= 250 and d['frees'] == d['allocs'] - 250, d
" "$CTL" show ctlt-a --json
expect "set changes the limit over netlink" 0 \
	"^changed pool 'ctlt-a' \(id [0-9]+\): limit 2000, reserve 8$" \
	"$CTL" set ctlt-a --limit 2000
expect "set of a reserve above the limit fails with the kernel's reason" 1 \
	"^pktpoolctl: kernel says: the reserve may not exceed a non-zero limit$" \
	"$CTL" set ctlt-a --reserve 3000
check "set of a reserve above the limit names that one rule" \
	has "$tmp/last" "rejected the change to pool 'ctlt-a': --reserve 3000 is above the pool's limit 2000$"
expect "set of a limit above 2^32 is out of range, at the limit attribute" 1 \
	"^pktpoolctl: kernel says: integer out of range \(attribute limit\)$" \
	"$CTL" set ctlt-a --limit 5000000000
check "set of an out-of-range limit names the bound it broke" \
	has "$tmp/last" "rejected the change to pool 'ctlt-a': --limit 5000000000 is above the largest limit, 4294967296$"
expect "set of a missing pool fails with advice and extack" 1 \
	"^pktpoolctl: no pool 'ctlt-none'" "$CTL" set ctlt-none --limit 5
json_check "failed sets left ctlt-a alone" "
assert (d['limit'], d['reserve']) == (2000, 8), d
" "$CTL" show ctlt-a --json
expect "set without CAP_NET_ADMIN says it needs it" 1 \
	"^pktpoolctl: changing pools needs CAP_NET_ADMIN \(try as root\)$" \
	"$NOCAP" "$CTL" set ctlt-a --limit 5
expect "create without CAP_NET_ADMIN says it needs it" 1 \
	"^pktpoolctl: creating pools needs CAP_NET_ADMIN \(try as root\)$" \
	"$NOCAP" "$CTL" create ctlt-x --size 64
json_check "reads work without CAP_NET_ADMIN (show --json)" "
assert d['name'] == 'ctlt-a' and d['in_use'] == 250
" "$NOCAP" "$CTL" show ctlt-a --json
expect "destroy of a pool with objects out is refused as busy" 1 \
	"pool 'ctlt-a' is busy" "$CTL" destroy ctlt-a
expect "a missing device is reported as the module not being loaded" 1 \
	"^pktpoolctl: /dev/ctlt-none not found: is the pktpool module loaded\? \(insmod pktpool.ko\)$" \
	"$CTL" -d /dev/ctlt-none create ctlt-x --size 64

# --- classes ----------------------------------------------------------------

expect "class list prints one row per size class" 0 \
	"^ *SIZE +NAME +POOLS +OBJECTS +IN-USE +MEMORY$" \
	"$CTL" class list
check "class list has a row for every class of the module" sh -c "
	[ \"\$(\"$CTL\" class list | tail -n +2 | awk '{ print \$1 }' | paste -sd,)\" = '$classes' ]"
json_check "class list --json: classes agree with the pools they serve" "
pools = json.load(open('$tmp/pools.json'))
assert [c['size'] for c in d] == [int(s) for s in '$classes'.split(',')]
for c in d:
    assert list(c) == $CLASS_FIELDS, list(c)
    assert c['name'] == 'pktpool-%d' % c['size'], c
    mine = [p for p in pools if p['class_size'] == c['size']]
    assert c['pools'] == len(mine), (c, mine)
    assert c['in_use'] == sum(p['in_use'] for p in mine), c
    assert c['objects'] == sum(p['in_use'] + p['cached'] + p['reserve_avail'] for p in mine), c
    assert c['bytes'] == c['objects'] * c['size'], c
assert by_name(d, 'pktpool-256')['in_use'] >= 250
" sh -c "\"$CTL\" list --json >'$tmp/pools.json' && \"$CTL\" class list --json"

# --- regions ----------------------------------------------------------------

expect "region create makes a region that outlives pktpoolctl" 0 \
	"^created region 'ctlt-r1' \(id [0-9]+\): 64 slots of 2\.0 KiB, .*mode 0640" \
	"$CTL" region create ctlt-r1 --slot-size 2048 --slots 64 --mode 0640
json_check "region show --json: the region stays, with its creator detached" "
assert list(d) == $REGION_FIELDS + ['backend', 'library', 'library_error'], list(d)
assert (d['name'], d['slot_size'], d['slot_count'], d['mode']) == ('ctlt-r1', 2048, 64, 0o640), d
# made by pktpoolctl, never attached by libpktpool: no library counters
assert (d['backend'], d['library']) == ('kernel', None), d
assert d['library_error'].startswith('not laid out yet'), d
assert (d['uid'], d['gid'], d['node'], d['attached'], d['mappings']) == (0, 0, -1, 0, 0), d
# No kernel user yet: every slot is userspace's.
assert (d['kernel_slots'], d['inflight_slots'], d['user_slots'], d['ring_invalid']) == (0, 0, 64, 0), d
assert d['size'] >= 2048 * 64 + 16384 and d['size'] % 4096 == 0, d
" "$CTL" region show ctlt-r1 --json
expect "region reclaim lays out a kernel region no library process had" 0 \
	"^reclaimed 0 slots in region 'ctlt-r1'$" "$CTL" region reclaim ctlt-r1
# region show attaches read-only (a file opened O_RDONLY, mapped shared)
json_check "region show --json reads the library's counters from a kernel region" "
l = d['library']
assert l is not None and 'library_error' not in d, d
assert (d['backend'], l['slot_count'], l['in_use'], l['cached'], l['free']) == ('kernel', 64, 0, 0, 64), l
assert l['processes'] == [] and l['health']['level'] == 'ok', l
" "$CTL" region show ctlt-r1 --json
# libpktpool's summary in region-get (the lib-* attributes): published by
# the library into the region, copied out by the kernel.
json_check "region-get carries the library's summary once a library laid the region out" "
r = by_name(d, 'ctlt-r1')
assert (r['lib_in_use'], r['lib_cached'], r['lib_free'], r['lib_procs']) == (0, 0, 64, 0), r
assert r['lib_proc'] == [] and 0 <= r['lib_age_ms'] < 600000, r
" "$CTL" region list --json
json_check "region-get leaves the summary out for a user who may not read the region" "
r = by_name(d, 'ctlt-r1')
assert r['mode'] == 0o640 and not [k for k in r if k.startswith('lib_')], r
" setpriv --reuid=65534 --regid=65534 --clear-groups "$CTL" region list --json
"$HOLD" ctlt-r1 5 >"$tmp/hold" 2>&1 &
hold_pid=$!
wait "$hold_pid"
check "region_hold takes 5 slots of ctlt-r1 and dies holding them" \
	has "$tmp/hold" "^held 5$"
json_check "region-get: the summary shows the dead holder's 5 slots and its entry" "
r = by_name(d, 'ctlt-r1')
assert (r['lib_in_use'], r['lib_cached'], r['lib_free'], r['lib_allocs']) == (5, 0, 59, 5), r
assert [(e['pid'], e['held']) for e in r['lib_proc']] == [($hold_pid, 5)], r
assert r['lib_procs'] == 1 and 0 <= r['lib_procs_age_ms'] < 600000, r
" "$CTL" region list --json
expect "region reclaim returns the dead holder's slots" 0 \
	"^reclaimed 5 slots in region 'ctlt-r1'$" "$CTL" region reclaim ctlt-r1
json_check "region-get: the reclaim published the summary without the holder" "
r = by_name(d, 'ctlt-r1')
assert (r['lib_in_use'], r['lib_free'], r['lib_proc']) == (0, 64, []), r
" "$CTL" region list --json
check "region_hold --scribble writes a hostile summary" \
	sh -c "'$HOLD' ctlt-r1 0 --scribble | grep -q '^held 0$'"
json_check "region-get clamps a hostile summary: slot counts, pids and entries" "
r = by_name(d, 'ctlt-r1')
assert (r['lib_in_use'], r['lib_cached'], r['lib_free'], r['lib_peak']) == (64, 64, 64, 64), r
assert (r['lib_procs'], r['lib_age_ms'], r['lib_procs_age_ms']) == (63, 0, 0), r
assert r['lib_allocs'] == 2**64 - 1, r
assert len(r['lib_proc']) == 63, r
assert all(e['pid'] == 0 and e['held'] == 64 for e in r['lib_proc']), r
" "$CTL" region list --json
expect "region reclaim after the scribbler" 0 \
	"^reclaimed 0 slots in region 'ctlt-r1'$" "$CTL" region reclaim ctlt-r1
json_check "region-get: the next publication replaces the hostile summary" "
r = by_name(d, 'ctlt-r1')
assert (r['lib_in_use'], r['lib_free'], r['lib_procs'], r['lib_proc']) == (0, 64, 0, []), r
" "$CTL" region list --json
json_check "region list --json has it, ids ascending" "
assert by_name(d, 'ctlt-r1')['slot_count'] == 64
assert [r['id'] for r in d] == sorted(r['id'] for r in d)
" "$CTL" region list --json
expect "region show prints the mode in octal and symbolic form" 0 \
	"^mode: +0640 rw-r-----$" "$CTL" region show ctlt-r1
expect "region list prints a table" 0 \
	"^ *[0-9]+ +ctlt-r1 +2048 +64 +0640 +0:0 +any +0 +0 +" "$CTL" region list
expect "region create of a taken name fails with advice" 1 \
	"a region named 'ctlt-r1' already exists.*region destroy ctlt-r1" \
	"$CTL" region create ctlt-r1 --slot-size 64 --slots 1
expect "region create with a bad slot size names the slot-size rule" 1 \
	"rejected region 'ctlt-r2': --slot-size 100 is not a multiple of 64 from 64 to 65536$" \
	"$CTL" region create ctlt-r2 --slot-size 100 --slots 1
expect "region show of a missing region prints advice and the extack" 1 \
	"^pktpoolctl: kernel says: no such region \(attribute name\)$" "$CTL" region show ctlt-none
check "region show of a missing region points at region list" \
	has "$tmp/last" "^pktpoolctl: no region 'ctlt-none' \(see 'pktpoolctl region list'\)$"
dev_mode=$(stat -c %a /dev/pktpool)
chmod 0666 /dev/pktpool
expect "region destroy by another user explains who may" 1 \
	"region 'ctlt-r1' belongs to another user: destroying it needs its owner or CAP_NET_ADMIN" \
	setpriv --reuid=65534 --regid=65534 --clear-groups "$CTL" region destroy ctlt-r1
chmod "$dev_mode" /dev/pktpool
dev_mode=
expect "region destroy removes it" 0 "^destroyed region 'ctlt-r1' \(id [0-9]+\)$" \
	"$CTL" region destroy ctlt-r1
expect "region destroy of a missing region fails" 1 "no region 'ctlt-r1'" \
	"$CTL" region destroy ctlt-r1

# --- apply ------------------------------------------------------------------

cat >"$tmp/state.ini" <<'EOF'
# what the suite declares
[pool fw]
size = 256
limit = 65536

[pool ctlt-p1]
size = 64
limit = 100
reserve = 4

[pool ctlt-p2]
size = 1500
limit = 1k

; a shared region
[region ctlt-rx]
slot_size = 2048
slots = 4096
mode = 0660
EOF
expect "apply --dry-run says what it would create" 0 \
	"^pool ctlt-p1: would create: object size 64, limit 100, reserve 4$" \
	"$CTL" apply --dry-run "$tmp/state.ini"
check "apply --dry-run: the rest of the plan and its summary" \
	has "$tmp/last" "^pool fw: matches$" \
	"^region ctlt-rx: would create: 4096 slots of 2\.0 KiB, mode 0660$" \
	"^dry run of .*: 3 to create, 0 to change, 1 match, 0 cannot be changed in place; nothing was changed$"
check "apply --dry-run changed nothing" sh -c "[ -z \"\$(\"$CTL\" list | grep ctlt-p)\" ] && [ -z \"\$(\"$CTL\" region list | grep ctlt-rx)\" ]"
expect "apply creates what is missing and says so" 0 \
	"^pool ctlt-p1: created \(id [0-9]+\): object size 64, limit 100, reserve 4$" \
	"$CTL" apply "$tmp/state.ini"
check "apply: the rest of what it did" \
	has "$tmp/last" "^pool fw: matches$" \
	"^pool ctlt-p2: created \(id [0-9]+\): object size 1500, limit 1024, reserve 0$" \
	"^region ctlt-rx: created \(id [0-9]+\): 4096 slots of 2\.0 KiB, mode 0660$" \
	"^applied .*: 3 created, 0 changed, 1 match, 0 cannot be changed in place, 0 failed$"
json_check "apply made the pools as declared" "
p1, p2 = by_name(d, 'ctlt-p1'), by_name(d, 'ctlt-p2')
assert (p1['obj_size'], p1['limit'], p1['reserve'], p1['reserve_avail']) == (64, 100, 4, 4), p1
assert (p2['obj_size'], p2['class_size'], p2['limit'], p2['reserve']) == (1500, 2048, 1024, 0), p2
" "$CTL" list --json
json_check "the region apply created persists after pktpoolctl exited" "
assert (d['slot_size'], d['slot_count'], d['mode'], d['attached']) == (2048, 4096, 0o660, 0), d
" "$CTL" region show ctlt-rx --json
expect "apply a second time changes nothing and says so" 0 \
	"^no changes: 4 declared in .*, all match$" "$CTL" apply "$tmp/state.ini"
check "the second apply neither created nor set anything" \
	lacks "$tmp/last" "created|set |would"
sed -e '/^\[pool ctlt-p1\]/,/^$/s/^limit = 100$/limit = 200/' \
	-e '/^\[pool ctlt-p1\]/,/^$/s/^reserve = 4$/reserve = 8/' \
	"$tmp/state.ini" >"$tmp/more.ini"
expect "apply adjusts limit and reserve of an existing pool" 0 \
	"^pool ctlt-p1: set limit 100 -> 200, reserve 4 -> 8$" \
	"$CTL" apply "$tmp/more.ini"
json_check "the adjusted limit and reserve are in place" "
assert (d['limit'], d['reserve'], d['reserve_avail']) == (200, 8, 8), d
" "$CTL" show ctlt-p1 --json
expect "apply after the adjustment has nothing left to do" 0 "^no changes: " \
	"$CTL" apply "$tmp/more.ini"
sed -e 's/^limit = 200$/limit = 300/' "$tmp/more.ini" >"$tmp/dry.ini"
expect "apply --dry-run of a change says what it would set" 0 \
	"^pool ctlt-p1: would set limit 200 -> 300$" \
	"$CTL" apply --dry-run "$tmp/dry.ini"
json_check "apply --dry-run did not set it" "assert d['limit'] == 200, d" \
	"$CTL" show ctlt-p1 --json
printf '[pool ctlt-p1]\nsize = 512\n' >"$tmp/drift.ini"
expect "apply reports an object size it cannot change, exit 1" 1 \
	"^pool ctlt-p1: size is 64, .* says 512: cannot be changed in place; destroy it \('pktpoolctl destroy ctlt-p1'\) and apply again$" \
	"$CTL" apply "$tmp/drift.ini"
check "apply with drift says the state does not match afterwards" \
	has "$tmp/last" "1 of 1 declared in .* do not match afterwards"
printf '[region ctlt-rx]\nslot_size = 2048\nslots = 4096\nmode = 0600\n' >"$tmp/rdrift.ini"
expect "apply reports a region mode it cannot change, exit 1" 1 \
	"^region ctlt-rx: mode is 0660, .* says 0600: cannot be changed in place" \
	"$CTL" apply "$tmp/rdrift.ini"
printf '[pool ctlt-p1]\nsize = 64\nlimit = 200\nreserve = 300\n' >"$tmp/bad-set.ini"
expect "apply passes on the kernel's refusal of a change, exit 1" 1 \
	"^pktpoolctl: kernel says: the reserve may not exceed a non-zero limit$" \
	"$CTL" apply "$tmp/bad-set.ini"
printf '[pool ctlt-p9]\nsize = 64\n\n[pool ctlt-p1]\ncolour = blue\n' >"$tmp/invalid.ini"
expect "apply of an invalid file names file and line, exit 2" 2 \
	"invalid.ini:5: unknown key 'colour' in a pool section" \
	"$CTL" apply "$tmp/invalid.ini"
check "an invalid file changes nothing" sh -c "! \"$CTL\" list | grep -q ctlt-p9"
printf '[pool ctlt-p9]\nsize = 64\n' >"$tmp/nocap.ini"
expect "apply without CAP_NET_ADMIN cannot create pools, exit 1" 1 \
	"^pktpoolctl: creating pools needs CAP_NET_ADMIN \(try as root\)$" \
	"$NOCAP" "$CTL" apply "$tmp/nocap.ini"

# --- watch ------------------------------------------------------------------

"$CTL" create ctlt-b --size 64 --limit 1000 >/dev/null
"$TESTCTL" hold ctlt-b 100 >/dev/null
# Two samples 3 s apart; ctlt-b overtakes ctlt-a (250) in between.
(sleep 1 && "$TESTCTL" hold ctlt-b 200 >/dev/null) &
"$CTL" watch --count 2 --interval 3 >"$tmp/watch.txt" 2>&1
watch_rc=$?
wait
cat >"$tmp/watch.py" <<'EOF'
blocks, cur = [], None
for line in text.splitlines():
    if line.startswith("pktpool "):
        cur = {"head": line, "rows": []}
        blocks.append(cur)
    elif cur is not None and line.split() and line.split()[0].isdigit():
        f = line.split(None, 10)
        cur["rows"].append(dict(zip(["id", "name", "size", "in_use", "pct", "peak", "limit", "alloc", "free", "fail", "mem"], f)))
assert len(blocks) == 2, "%d tables" % len(blocks)
for b in blocks:
    used = [int(r["in_use"]) for r in b["rows"]]
    assert used == sorted(used, reverse=True), used
    names = [r["name"] for r in b["rows"]]
    assert names.index("fw") >= 0 and names.index("vpn") >= 0
first = {r["name"]: r for r in blocks[0]["rows"]}
second = {r["name"]: r for r in blocks[1]["rows"]}
names1 = [r["name"] for r in blocks[0]["rows"]]
names2 = [r["name"] for r in blocks[1]["rows"]]
assert names1.index("ctlt-a") < names1.index("ctlt-b"), names1
assert names2.index("ctlt-b") < names2.index("ctlt-a"), names2
assert first["ctlt-b"]["alloc"] == "-" and first["ctlt-a"]["alloc"] == "-"
assert second["ctlt-b"]["in_use"] == "300", second["ctlt-b"]
rate = float(second["ctlt-b"]["alloc"])
assert 40 <= rate <= 80, rate
assert second["ctlt-a"]["alloc"] == "0" and second["ctlt-a"]["free"] == "0"
assert second["ctlt-b"]["pct"] == "30.0%", second["ctlt-b"]
assert "\033" not in text
EOF
if [ "$watch_rc" -eq 0 ] && "$PY" -c "text = open('$tmp/watch.txt').read()
exec(open('$tmp/watch.py').read())" >"$tmp/py" 2>&1; then
	ok "watch --count 2: plain tables, busiest first, allocations per second"
else
	not_ok "watch --count 2: plain tables, busiest first, allocations per second"
	comment <"$tmp/py"
	comment <"$tmp/watch.txt"
fi
check "watch --count 2: a header with totals above each table" \
	has "$tmp/watch.txt" \
	"^pktpool [0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+[-+][0-9]{4}, every 3s: [0-9]+ pools, [0-9]+ objects in use \(" \
	"^per second: - allocs, - frees, - fails$" \
	"^per second: [0-9.]+k? allocs, 0 frees, 0 fails$"
(sleep 1 && "$TESTCTL" hold ctlt-b 50 >/dev/null) &
json_check "watch --json --count 2: JSON lines, sorted, rates from counters" "
assert len(lines) == 2, len(lines)
s1, s2 = lines
assert (s1['sample'], s2['sample']) == (1, 2)
assert s1['elapsed'] is None and 1.5 <= s2['elapsed'] <= 10, s2['elapsed']
for s in lines:
    used = [p['in_use'] for p in s['pools']]
    assert used == sorted(used, reverse=True), used
    for p in s['pools']:
        assert list(p) == $POOL_FIELDS + ['allocs_per_sec', 'frees_per_sec', 'fail_limit_per_sec', 'fail_nomem_per_sec'], list(p)
assert all(p['allocs_per_sec'] is None for p in s1['pools'])
a1, b1 = by_name(s1['pools'], 'ctlt-b'), by_name(s2['pools'], 'ctlt-b')
assert b1['allocs'] - a1['allocs'] == 50, (a1['allocs'], b1['allocs'])
assert abs(b1['allocs_per_sec'] * s2['elapsed'] - 50) < 0.5, b1['allocs_per_sec']
assert by_name(s2['pools'], 'ctlt-a')['allocs_per_sec'] == 0
assert isinstance(s2['timestamp'], float) and s2['timestamp'] > s1['timestamp']
" "$CTL" watch --json --count 2 --interval 2
wait
if script -qec "true" /dev/null >/dev/null 2>&1; then
	script -qec "$CTL watch --count 1" /dev/null >"$tmp/tty.txt" 2>&1
	check "watch on a terminal redraws the screen with ANSI home and clear" \
		has "$tmp/tty.txt" $'\033\\[H\033\\[2J' "ctlt-b"
else
	skip "watch on a terminal redraws the screen with ANSI home and clear" \
		"script(1) cannot make a terminal here"
fi

# --- monitor ----------------------------------------------------------------

hp=/sys/module/pktpool/parameters
hw=$(cat "$hp/health_warn")
hc=$(cat "$hp/health_crit")
# A pool at its limit is also critical; health notifications are tested on
# their own below, so keep them out of this monitor's single line.
echo 0 >"$hp/health_warn"
echo 0 >"$hp/health_crit"
"$CTL" create ctlt-lim --size 64 --limit 4 >/dev/null
"$CTL" monitor --json --count 1 --timeout 20 >"$tmp/mon.json" 2>"$tmp/mon.err" &
mon=$!
wait_subscribed
# Allocate past the limit until the monitor has its line (the kernel sends
# at most one pool-limit-ntf a second per pool).
for _ in $(seq 15); do
	kill -0 "$mon" 2>/dev/null || break
	"$TESTCTL" hold ctlt-lim 8 >/dev/null
	"$TESTCTL" release ctlt-lim >/dev/null
	sleep 1
done
wait "$mon"
mon_rc=$?
echo "$hw" >"$hp/health_warn"
echo "$hc" >"$hp/health_crit"
if [ "$mon_rc" -eq 0 ] && pyjson "$tmp/mon.json" "
assert len(lines) == 1, lines
m = lines[0]
assert m['cmd'] == 'pool-limit-ntf', m
p = m['pool']
assert p['name'] == 'ctlt-lim' and p['limit'] == 4, p
assert is_int(p['fails_since']) and p['fails_since'] >= 1, p
assert p['fail_limit'] >= p['fails_since'], p
assert list(p) == $POOL_FIELDS + ['fails_since'], list(p)
assert isinstance(m['timestamp'], float) and m['time'][4] == '-' and m['time'][10] == 'T', m
" >"$tmp/py" 2>&1; then
	ok "monitor --json: a pool-limit-ntf when a pool hits its limit"
else
	not_ok "monitor --json: a pool-limit-ntf when a pool hits its limit"
	echo "# monitor exit status $mon_rc"
	comment <"$tmp/py"
	comment <"$tmp/mon.json"
	comment <"$tmp/mon.err"
fi

# --- health notifications ----------------------------------------------------

# health_lines FILE N: wait (up to 15 s) until FILE has N pool-health-ntf
# lines; the kernel sends at most one a second per pool.
health_lines() {
	for _ in $(seq 30); do
		[ "$(grep -c pool-health-ntf "$1")" -ge "$2" ] && return 0
		sleep 0.5
	done
	return 1
}

check "health thresholds default to warn at 80%, critical at 95%" \
	sh -c "[ '$hw' = 80 ] && [ '$hc' = 95 ] || { echo warn $hw crit $hc; exit 1; }"
if ! echo 101 2>/dev/null >"$hp/health_warn" &&
	[ "$(cat "$hp/health_warn")" = "$hw" ]; then
	ok "health_warn refuses 101 and keeps its value"
else
	not_ok "health_warn refuses 101 and keeps its value"
	echo "$hw" >"$hp/health_warn"
fi

# A limit of 100 on 2 CPUs runs tight above 76 (see kmod/health.c), so
# each allocation and free from there on is looked at: the crossings are
# exact. The release from 95 may send a "warn" on its way to "ok".
"$CTL" create ctlt-health --size 64 --limit 100 >/dev/null
"$CTL" monitor --json --timeout 60 >"$tmp/health.json" 2>"$tmp/health.err" &
mon=$!
wait_subscribed
"$TESTCTL" hold ctlt-health 79 >/dev/null
sleep 1.5
below=$(grep -c pool-health-ntf "$tmp/health.json")
"$TESTCTL" hold ctlt-health 1 >/dev/null	# 80 of 100
health_lines "$tmp/health.json" 1
"$TESTCTL" hold ctlt-health 15 >/dev/null	# 95 of 100
health_lines "$tmp/health.json" 2
"$TESTCTL" release ctlt-health >/dev/null
for _ in $(seq 30); do
	grep -q '"ok"' "$tmp/health.json" && break
	sleep 0.5
done
kill "$mon" 2>/dev/null
wait "$mon"
if [ "$below" = 0 ] && pyjson "$tmp/health.json" "
assert all(m['cmd'] == 'pool-health-ntf' for m in lines), lines
lv = [m['level'] for m in lines]
assert lv[:2] == ['warn', 'crit'] and lv[-1] == 'ok' and len(lv) <= 4, lv
assert [m['pool']['in_use'] for m in lines][:2] == [80, 95], lines
assert lines[-1]['pool']['in_use'] < 80, lines
assert all(m['pool']['name'] == 'ctlt-health' and m['pool']['limit'] == 100
           for m in lines), lines
assert [m['pool']['health'] for m in lines][:2] == [2, 3], lines
" >"$tmp/py" 2>&1; then
	ok "monitor --json: pool-health-ntf at 80% (warn), 95% (crit) and back to ok"
else
	not_ok "monitor --json: pool-health-ntf at 80% (warn), 95% (crit) and back to ok"
	echo "# $below notifications at 79%"
	comment <"$tmp/py"
	comment <"$tmp/health.json"
	comment <"$tmp/health.err"
fi

# Thresholds are read when the level is looked at: with warn off, 80%
# sends nothing, and a smaller limit that puts the pool at 95% does.
echo 0 >"$hp/health_warn"
sleep 1.5
"$CTL" monitor --json --count 2 --timeout 30 >"$tmp/health2.json" 2>&1 &
mon=$!
wait_subscribed
"$TESTCTL" hold ctlt-health 80 >/dev/null
sleep 1.5
"$CTL" set ctlt-health --limit 84 >/dev/null	# 80 of 84: 95.2%
wait "$mon"
mon_rc=$?
echo "$hw" >"$hp/health_warn"
"$TESTCTL" release ctlt-health >/dev/null
if [ "$mon_rc" = 0 ] && pyjson "$tmp/health2.json" "
assert sorted(m['cmd'] for m in lines) == ['pool-change-ntf', 'pool-health-ntf'], lines
h = [m for m in lines if m['cmd'] == 'pool-health-ntf'][0]
assert h['level'] == 'crit' and h['pool']['in_use'] == 80, lines
" >"$tmp/py" 2>&1; then
	ok "health_warn 0: no warn at 80%; a smaller limit that makes it 95% sends crit"
else
	not_ok "health_warn 0: no warn at 80%; a smaller limit that makes it 95% sends crit"
	echo "# monitor exit status $mon_rc"
	comment <"$tmp/py"
	comment <"$tmp/health2.json"
fi
# pktpoolctl health judges a pool as pool-health-ntf does: by
# health_warn and health_crit unless --warn/--crit say otherwise.
"$CTL" set ctlt-health --limit 100 >/dev/null
"$TESTCTL" hold ctlt-health 80 >/dev/null
json_check "health --json: a pool at 80% of its limit is warn by health_warn" "
c = [c for c in d['checks'] if c['kind'] == 'pool'][0]
assert (c['level'], c['used'], c['of'], c['warn_pct'], c['crit_pct']) == ('warn', 80, 100, 80, 95), c
" sh -c "\"$CTL\" health ctlt-health --json; [ \$? = 1 ]"
echo 0 >"$hp/health_warn"
json_check "health --json: with health_warn 0 the same pool is ok" "
c = [c for c in d['checks'] if c['kind'] == 'pool'][0]
assert (c['level'], c['warn_pct']) == ('ok', 0), c
" "$CTL" health ctlt-health --json
echo "$hw" >"$hp/health_warn"
json_check "health --json: --warn and --crit override the module's thresholds" "
c = [c for c in d['checks'] if c['kind'] == 'pool'][0]
assert (c['level'], c['warn_pct'], c['crit_pct']) == ('critical', 50, 70), c
" sh -c "\"$CTL\" health ctlt-health --warn 50 --crit 70 --json; [ \$? = 2 ]"
"$TESTCTL" release ctlt-health >/dev/null
"$CTL" destroy ctlt-health >/dev/null

"$CTL" monitor --count 3 --timeout 20 >"$tmp/mon.txt" 2>&1 &
mon=$!
wait_subscribed
"$CTL" create ctlt-m --size 64 >/dev/null
"$CTL" set ctlt-m --limit 10 >/dev/null
"$CTL" destroy ctlt-m >/dev/null
wait "$mon"
mon_rc=$?
ts='[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6}[-+][0-9]{4}'
check "monitor: create, set and destroy, one timestamped line each" \
	sh -c "[ $mon_rc -eq 0 ] && [ \$(wc -l <'$tmp/mon.txt') -eq 3 ] || { echo exit $mon_rc; cat '$tmp/mon.txt'; exit 1; }"
check "monitor: the lines say what happened to which pool" \
	has "$tmp/mon.txt" \
	"^$ts pool-add-ntf +pool ctlt-m \(id [0-9]+\): created, object size 64 \(class 64\), limit unlimited, reserve 0$" \
	"^$ts pool-change-ntf +pool ctlt-m \(id [0-9]+\): limit 10, reserve 0$" \
	"^$ts pool-del-ntf +pool ctlt-m \(id [0-9]+\): destroyed after 0 allocations$"

"$CTL" monitor --json --count 2 --timeout 20 >"$tmp/rmon.json" 2>&1 &
mon=$!
wait_subscribed
"$CTL" region create ctlt-rm --slot-size 64 --slots 1 >/dev/null
wait "$mon"
mon_rc=$?
if [ "$mon_rc" -eq 0 ] && pyjson "$tmp/rmon.json" "
assert [m['cmd'] for m in lines] == ['region-attach-ntf', 'region-detach-ntf'], lines
at, de = lines[0]['region'], lines[1]['region']
assert list(at) == ['id', 'name', 'attached', 'pid', 'access'], list(at)
assert at['name'] == de['name'] == 'ctlt-rm' and at['id'] == de['id']
assert (at['access'], at['attached'], de['attached']) == (3, 1, 0), lines
assert at['pid'] == de['pid'] > 0, lines
" >"$tmp/py" 2>&1; then
	ok "monitor --json: region-attach-ntf and region-detach-ntf of a creating process"
else
	not_ok "monitor --json: region-attach-ntf and region-detach-ntf of a creating process"
	comment <"$tmp/py"
	comment <"$tmp/rmon.json"
fi
expect "monitor --count with nothing happening times out, exit 1" 1 \
	"^pktpoolctl: timed out after 1s with 0 of 1 notifications$" \
	"$CTL" monitor --count 1 --timeout 1
expect "monitor --timeout alone ends quietly, exit 0" 0 "" \
	"$CTL" monitor --timeout 1
check "monitor --timeout alone printed nothing" test ! -s "$tmp/last"

# --- the objects a debug pool has out ---------------------------------------

# records: debugfs's count of object records in every pool ("" without it).
records() {
	cat /sys/kernel/debug/pktpool/object_records 2>/dev/null
}
# SITE: a function of pktpool_test.ko as the kernel prints symbols.
# (The compiler may have renamed it: .isra.0, .constprop.0.)
SITE='^pktpool_test_[a-z0-9_.]+\+0x[0-9a-f]+/0x[0-9a-f]+ \[pktpool_test( [0-9a-f]+)?\]$'

base_records=$(records)
"$CTL" create ctlt-dbg --size 64 --limit 100 --debug >/dev/null
# Two batches from two processes: the first three are the older ones.
"$TESTCTL" hold ctlt-dbg 3 >/dev/null &
hold1=$!
wait "$hold1"
"$TESTCTL" hold ctlt-dbg 2 >/dev/null &
hold2=$!
wait "$hold2"
json_check "show --objects --json: each held object, its site in pktpool_test.ko, the holding process" "
import re
assert d['name'] == 'ctlt-dbg' and is_int(d['id']), d
o = d['objects']
assert len(o) == 5, o
assert [list(x) for x in o] == [['seq', 'site', 'age_ms', 'context', 'pid', 'tid', 'comm']] * 5, o
assert [x['seq'] for x in o] == sorted(x['seq'] for x in o) and len(set(x['seq'] for x in o)) == 5, o
for x in o:
    assert re.match(r'$SITE', x['site']), x
    assert x['context'] == 'task' and x['comm'] == 'pktpool_testctl', x
    assert is_int(x['age_ms']) and x['age_ms'] >= 0, x
assert [x['pid'] for x in o] == [$hold1] * 3 + [$hold2] * 2, o
assert [x['tid'] for x in o] == [x['pid'] for x in o], o
ages = [x['age_ms'] for x in o]
assert ages == sorted(ages, reverse=True), ages
" "$CTL" show ctlt-dbg --objects --json
expect "show --objects: a table of the objects, oldest first" 0 \
	"^ *[0-9]+ +[0-9]+\.[0-9]{3}s +$hold1 +pktpool_testctl +pktpool_test_[a-z0-9_.]+\+0x" \
	"$CTL" show ctlt-dbg --objects
check "show --objects: the heading counts them" \
	has "$tmp/last" "^pool 'ctlt-dbg' \(id [0-9]+\): 5 objects out, oldest first$" \
	"^ *SEQ +AGE +PID +COMM +SITE$"
if [ -n "$base_records" ]; then
	check "debugfs object_records counts one record per object out" \
		test "$(records)" -eq $((base_records + 5))
else
	skip "debugfs object_records counts one record per object out" "no debugfs"
fi
"$TESTCTL" hold ctlt-dbg 2 softirq >/dev/null
json_check "show --objects --json: objects from softirq context name no task" "
o = d['objects'][-2:]
assert len(d['objects']) == 7, d
for x in o:
    assert x['context'] == 'softirq', x
    assert x['pid'] is None and x['tid'] is None and x['comm'] is None, x
" "$CTL" show ctlt-dbg --objects --json
"$TESTCTL" release ctlt-dbg 2 softirq >/dev/null
# An interrupt handler: hard irq context, or on PREEMPT_RT its irq thread.
"$TESTCTL" hold ctlt-dbg 1 irq >/dev/null
if uname -v | grep -q PREEMPT_RT; then
	json_check "show --objects --json: an irq thread (PREEMPT_RT) is named as a task" "
x = d['objects'][-1]
assert x['context'] == 'task' and x['comm'].startswith('irq/'), x
" "$CTL" show ctlt-dbg --objects --json
else
	json_check "show --objects --json: an object from hard irq context names no task" "
x = d['objects'][-1]
assert x['context'] == 'hardirq' and x['pid'] is None, x
" "$CTL" show ctlt-dbg --objects --json
fi
"$TESTCTL" release ctlt-dbg 1 irq >/dev/null
expect "show --objects without CAP_NET_ADMIN says it needs it" 1 \
	"^pktpoolctl: listing a pool's objects needs CAP_NET_ADMIN \(try as root\)$" \
	"$NOCAP" "$CTL" show ctlt-dbg --objects
expect "show --objects of a pool without debug mode says so, exit 1" 1 \
	"^pktpoolctl: pool 'fw' does not record its objects: only a debug pool does" \
	"$CTL" show fw --objects
check "show --objects of a pool without debug mode: the kernel's reason" \
	has "$tmp/last" "^pktpoolctl: kernel says: pool is not in debug mode$"
# The attribute is named from 6.2 or so: 6.1 sends no offset with a dump's end.
expect "show --objects of a missing pool: the kernel's no such pool" 1 \
	"^pktpoolctl: kernel says: no such pool( \(attribute name\))?$" \
	"$CTL" show ctlt-none --objects
check "show --objects of a missing pool names it" \
	has "$tmp/last" "^pktpoolctl: no pool 'ctlt-none' \(see 'pktpoolctl list'\)$"
# A record that cannot be allocated fails the allocation, counted as nomem.
if [ -w /sys/kernel/debug/pktpool/fail_record ]; then
	"$CTL" show ctlt-dbg --json >"$tmp/dbg.before"
	echo 2 >/sys/kernel/debug/pktpool/fail_record
	expect "with two record failures injected, 2 of 4 allocations succeed" 0 \
		"^held 2$" "$TESTCTL" hold ctlt-dbg 4
	json_check "failed records: fail_nomem +2, in_use +2, no record left over" "
b = json.load(open('$tmp/dbg.before'))
assert d['fail_nomem'] == b['fail_nomem'] + 2, (b, d)
assert d['in_use'] == b['in_use'] + 2 == 7, (b, d)
assert int(open('/sys/kernel/debug/pktpool/object_records').read()) == $base_records + 7
" "$CTL" show ctlt-dbg --json
else
	skip "with two record failures injected, 2 of 4 allocations succeed" "no debugfs"
	skip "failed records: fail_nomem +2, in_use +2, no record left over" "no debugfs"
fi
dbg_id=$("$CTL" list | awk '$2 == "ctlt-dbg" { print $1 }')
json_check "show ID --objects --json: as many objects as in_use" "
assert d['id'] == ${dbg_id:-0} and len(d['objects']) == json.load(open('$tmp/dbg.now'))['in_use'], d
" sh -c "\"$CTL\" show ctlt-dbg --json >'$tmp/dbg.now' && \"$CTL\" show ${dbg_id:-0} --objects --json"
"$TESTCTL" release ctlt-dbg >/dev/null
expect "show --objects after the release: no objects out" 0 \
	"^pool 'ctlt-dbg' \(id [0-9]+\): no objects out$" "$CTL" show ctlt-dbg --objects
json_check "show --objects --json after the release: an empty list" "
assert d['objects'] == [] and d['name'] == 'ctlt-dbg', d
" "$CTL" show ctlt-dbg --objects --json
if [ -n "$base_records" ]; then
	check "every record is freed with its object" test "$(records)" -eq "$base_records"
else
	skip "every record is freed with its object" "no debugfs"
fi
# A dump still being read while objects come and go, and the pool goes.
DUMP="selftests/tool-tests/objects_dump.py Documentation/netlink/specs/pktpool.yaml"
"$CTL" set ctlt-dbg --limit 1000 >/dev/null
expect "pktpool_testctl holds 300 objects of ctlt-dbg" 0 "^held 300$" \
	"$TESTCTL" hold ctlt-dbg 300
# shellcheck disable=SC2086
json_check "a dump read while 100 more objects are allocated ends cleanly, no object twice" "
assert d['error'] == 0, d
assert 0 < d['first'] < 300, d
# The 300 there throughout are each in it once; of the new, some may be.
assert len(d['seqs']) == len(set(d['seqs'])), d
assert 300 <= len(d['seqs']) <= 400, d
" "$PY" $DUMP ctlt-dbg -- "$TESTCTL" hold ctlt-dbg 100
# shellcheck disable=SC2086
json_check "a dump read while the pool is emptied and destroyed ends cleanly" "
assert d['error'] == 0, d
assert 0 < d['first'] < 400 and len(d['seqs']) < 400, d
assert len(d['seqs']) == len(set(d['seqs'])), d
" "$PY" $DUMP ctlt-dbg -- sh -c "\"$TESTCTL\" release ctlt-dbg && \"$CTL\" destroy ctlt-dbg"
expect "the destroyed pool is gone" 1 "^pktpoolctl: no pool 'ctlt-dbg'" \
	"$CTL" show ctlt-dbg --objects
"$TESTCTL" release ctlt-dbg >/dev/null 2>&1	# only if the test above failed
"$CTL" destroy ctlt-dbg >/dev/null 2>&1

# --- the netlink family's answers to bad requests ---------------------------

"$CTL" create ctlt-nl --size 64 --limit 100 >/dev/null
"$NLERR" --list >"$tmp/nlcases"
check "netlink: the bad-request program lists its cases" test -s "$tmp/nlcases"
while IFS=$'\t' read -r name who what; do
	if [ "$who" = nocap ]; then
		check "netlink: $what" "$NOCAP" "$NLERR" --pool ctlt-nl "$name"
	else
		check "netlink: $what" "$NLERR" --pool ctlt-nl "$name"
	fi
done <"$tmp/nlcases"
json_check "netlink: the refused pool-sets left the scratch pool as it was" "
assert (d['limit'], d['reserve']) == (100, 0), d
" "$CTL" show ctlt-nl --json

# --- clean up ---------------------------------------------------------------

for p in ctlt-a ctlt-b; do
	"$TESTCTL" release "$p" >/dev/null
done
ctlt_a_id=$("$CTL" list | awk '$2 == "ctlt-a" { print $1 }')
expect "destroy by id, once the objects are back, names the pool" 0 \
	"^destroyed pool 'ctlt-a' \(id ${ctlt_a_id:-X}\)$" "$CTL" destroy "${ctlt_a_id:-0}"
for p in ctlt-b ctlt-lim ctlt-nl ctlt-p1 ctlt-p2; do
	"$CTL" destroy "$p" >/dev/null
done
for r in ctlt-rx ctlt-rm; do
	"$CTL" region destroy "$r" >/dev/null
done
check "nothing named ctlt-* is left" sh -c "[ -z \"\$(\"$CTL\" list | grep ctlt-)\" ] && [ -z \"\$(\"$CTL\" region list | grep ctlt-)\" ]"
"$CTL" show fw --json >"$tmp/fw.after" 2>&1
"$CTL" show vpn --json >"$tmp/vpn.after" 2>&1
check "fw and vpn are as the suite found them" "$PY" -c "
import json
for p in ('fw', 'vpn'):
    a = json.load(open('$tmp/%s.before' % p))
    b = json.load(open('$tmp/%s.after' % p))
    for k in ('id', 'obj_size', 'limit', 'reserve', 'flags', 'in_use', 'holders', 'allocs'):
        assert a[k] == b[k], (p, k, a[k], b[k])
"

finish
