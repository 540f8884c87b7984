#!/usr/bin/env bash
# pktpoolctl's view of libpktpool's counters on the host, without the
# kernel (memfd regions): region show (text, --json, --objects) against
# lib/examples/leakhunt holding a debug region with leaks and an overrun,
# health and its exit status, region reset-stats, and regions whose bytes
# are hostile (garbage, a corrupted header, counters and process table).
# TAP; run by scripts/check.sh after make.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
CTL=$top/build/tools/pktpoolctl
HUNT=$top/build/lib/examples/leakhunt
export PKTPOOL_BACKEND=memfd
tmp=$(mktemp -d /tmp/pktpool-lib-view.XXXXXX)
name=lv-$$
bad=lv-$$-bad
pids=()
cleanup() {
	local p
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
	wait 2>/dev/null
	rm -f "/dev/shm/pktpool.$name" "/dev/shm/pktpool.$bad" \
	      "/dev/shm/pktpool.$name-2"
	rm -rf "$tmp"
}
trap cleanup EXIT
n=0 failed=0

ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; }
# expect WHAT STATUS CMD...: CMD exits with STATUS (its output in $tmp/out)
expect() {
	local what=$1 want=$2 rc
	shift 2
	"$@" >"$tmp/out" 2>&1
	rc=$?
	if [ "$rc" -eq "$want" ]; then
		ok "$what"
	else
		not_ok "$what (exit $rc, want $want)"
		sed 's/^/# /' "$tmp/out"
	fi
}
# has WHAT PATTERN: the last output matches the extended regex
has() {
	if grep -Eq -- "$2" "$tmp/out"; then ok "$1"; else
		not_ok "$1"; sed 's/^/# /' "$tmp/out"; fi
}
# json WHAT PYTHON-EXPR: the last output is JSON and d satisfies EXPR
json() {
	if python3 -c "import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if ($2) else 1)" "$tmp/out"; then
		ok "$1"
	else
		not_ok "$1"; sed 's/^/# /' "$tmp/out"
	fi
}

for f in "$CTL" "$HUNT"; do
	[ -x "$f" ] || { echo "1..0 # SKIP $f not built (make)"; exit 0; }
done

# hold NAME: leakhunt keeps region NAME until its stdin closes
hold() {
	local fifo=$tmp/in-$1
	mkfifo "$fifo"
	"$HUNT" "$1" --hold <"$fifo" >"$tmp/hunt-$1" 2>&1 &
	pids+=($!)
	exec {fd}>"$fifo"
	for _ in $(seq 100); do
		grep -q '^ready' "$tmp/hunt-$1" 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}

if ! hold "$name"; then
	echo "not ok 1 - leakhunt holds a region"
	sed 's/^/# /' "$tmp/hunt-$name"
	echo "1..1"
	exit 1
fi
hpid=${pids[0]}

expect "region show: a memfd region without the module" 0 \
	"$CTL" region show "$name"
has "region show: backend memfd" '^backend: +memfd'
has "region show: the library's counts (3 in use, 3 cached, 58 free)" \
	'now: +3 in use, 3 cached, 58 free; peak 6'
has "region show: the error the overrun made is counted" \
	'counters: +4 allocs, 1 frees, 0 failures, 1 errors'
has "region show: health warn, for the error" \
	'health: +warn \(6 of 64 slots out.*errors\)'
has "region show: the holder process with its 6 slots" \
	"^ *1 +$hpid +alive +1 +6 +3 +3\$"
has "region show: debug mode, 224 usable bytes" '224 usable, debug mode'

expect "region show --objects" 0 "$CTL" region show "$name" --objects
has "--objects: the two leaked slots with their thread and call site" \
	"^ +[0-9]+ +$hpid +$hpid +[0-9]+ +[0-9.]+s +0x[0-9a-f]+ +leakhunt\+0x[0-9a-f]+ +-\$"
has "--objects: the overrun slot, quarantined, allocated by the main thread" \
	"^ +[0-9]+ +$hpid +$hpid +$hpid .*leakhunt\+0x[0-9a-f]+ +overrun, quarantined\$"

expect "region show --json --objects" 0 "$CTL" --json region show "$name" --objects
json "--json: backend, name and the library object" \
	"d['backend'] == 'memfd' and d['name'] == '$name' and d['library']['in_use'] == 3"
json "--json: one process entry (the tool took none)" \
	"len(d['library']['processes']) == 1 and d['library']['processes'][0]['pid'] == $hpid"
json "--json: three objects, one quarantined, sites in leakhunt's file" \
	"len(d['library']['objects']) == 3 and sum(o['quarantined'] for o in d['library']['objects']) == 1 and all(o['mapping'].endswith('/leakhunt') for o in d['library']['objects'])"
json "--json: health and its reasons" \
	"d['library']['health'] == {'level': 'warn', 'used': 6, 'warn_pct': 80, 'crit_pct': 95, 'reasons': ['errors']}"

expect "health NAME: warn exits 1" 1 "$CTL" health "$name"
has "health NAME: one line, warn, for errors" "^region +$name +memfd +warn +6 +64 +9\.4% +0 +errors\$"
expect "health NAME --warn 5 --crit 9: critical exits 2" 2 \
	"$CTL" health "$name" --warn 5 --crit 9
expect "health --json: warn" 1 "$CTL" health "$name" --json
json "health --json: level, exit status and the check" \
	"d['level'] == 'warn' and d['exit_status'] == 1 and d['checks'][0]['name'] == '$name' and d['checks'][0]['used'] == 6 and d['checks'][0]['of'] == 64"
expect "health --warn 90 --crit 80: a usage error exits 3" 3 \
	"$CTL" health "$name" --warn 90 --crit 80
expect "health --warn 0: exits 3" 3 "$CTL" health "$name" --warn 0
expect "health --crit 101: exits 3" 3 "$CTL" health "$name" --crit 101
expect "health --warn abc: exits 3" 3 "$CTL" health "$name" --warn abc
expect "health of a name nobody has: exits 3" 3 "$CTL" health "lv-$$-none"

expect "region reset-stats" 0 "$CTL" region reset-stats "$name"
expect "health after the reset: ok exits 0" 0 "$CTL" health "$name"
expect "region show after the reset" 0 "$CTL" region show "$name"
has "reset: counters 0, in use stays" 'now: +3 in use, 3 cached, 58 free; peak 6'
has "reset: counters read 0" 'counters: +0 allocs, 0 frees, 0 failures, 0 errors'
has "reset: dated, one reset" 'since: +[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9:]{8} \(1 reset\)'
expect "region reset-stats of a missing region fails" 1 \
	"$CTL" region reset-stats "lv-$$-none"
expect "region reset-stats with a bad name is a usage error" 2 \
	"$CTL" region reset-stats 'Bad!'

expect "region show of a missing region fails" 1 "$CTL" region show "lv-$$-none"
has "region show of a missing region: says where it looked" \
	"no region 'lv-$$-none': pktpool.ko is not loaded, and no /dev/shm/pktpool.lv-$$-none"
expect "region show of a bad name is a usage error" 2 "$CTL" region show 'Bad!'
expect "region show by id without the module fails" 1 "$CTL" region show 7

# A file of garbage under a region's name.
head -c 65536 /dev/urandom >"/dev/shm/pktpool.$bad"
expect "hostile: region show of garbage fails cleanly" 1 "$CTL" region show "$bad"
has "hostile: it says why" "not a valid libpktpool region"
expect "hostile: health of garbage is unknown (3)" 3 "$CTL" health "$bad"
: >"/dev/shm/pktpool.$bad"
expect "hostile: an empty file (a creator half way) fails cleanly" 1 \
	"$CTL" region show "$bad"
has "hostile: not laid out yet" "not laid out yet"

# A real region whose counters, process table and tags are then scribbled
# over (the geometry left intact, so it still attaches).
if hold "$name-2"; then
	python3 - "/dev/shm/pktpool.$name-2" <<'EOF'
import mmap, sys
with open(sys.argv[1], "r+b") as f:
    m = mmap.mmap(f.fileno(), 0)
    m[128:192] = b"\xff" * 64            # peak and counters
    m[256:272] = b"\xff" * 16            # the depot's full stack head
    m[320:336] = b"\xff" * 16            # and its empty stack head
    m[384:436] = b"\xff" * 52            # reset bases, time, count
    m[1024:1024 + 63 * 32] = b"\xee" * (63 * 32)   # process table
    m.close()
EOF
	expect "hostile: region show of scribbled counters still works" 0 \
		"$CTL" region show "$name-2" --objects
	has "hostile: peak clamped to the slot count" 'peak 64$'
	has "hostile: no process entry believed alive" '^ +[0-9]+ +0 +invalid'
	expect "hostile: --json of it is valid JSON" 0 \
		"$CTL" --json region show "$name-2" --objects
	json "hostile: counters since reset clamp to 0, never wrap" \
		"d['library']['allocs'] == 0 and d['library']['failures'] == 0 and d['library']['peak'] == 64"
else
	not_ok "leakhunt holds a second region"
fi

echo "1..$n"
[ "$failed" -eq 0 ]
