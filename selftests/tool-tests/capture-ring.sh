#!/usr/bin/env bash
# pktpool-capture on a kernel region's rings, fed by the test module's
# RING scenario (a region-backed pool in pktpool_test.ko): the capture
# stocks the fill ring, the kernel fills slots and hands them over on rx,
# the pcap holds every packet byte for byte. A second capture takes over
# the slots the first left on the fill ring (and the unused ones the
# kernel returned), and the kernel counts no invalid ring entry. A capture
# SIGKILLed before the traffic loses nothing: the next one gets it all.
# TAP; run by vm-tests.sh with pktpool and pktpool_test loaded.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
CTL=$top/build/tools/pktpoolctl
CAP=$top/build/tools/pktpool-capture
TESTCTL=$top/build/selftests/pktpool_testctl
R=capring-$$
N=60
n=0 failed=0
tmp=$(mktemp -d /tmp/pktpool-capture-ring.XXXXXX)
cpid=

ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; }
check() {
	local what=$1
	shift
	if "$@" >"$tmp/out" 2>&1; then ok "$what"; else not_ok "$what"; sed 's/^/# /' "$tmp/out"; fi
}
cleanup() {
	[ -n "$cpid" ] && kill "$cpid" 2>/dev/null && wait "$cpid" 2>/dev/null
	"$CTL" region destroy "$R" >/dev/null 2>&1
	rm -rf "$tmp"
}
trap cleanup EXIT

for f in "$CTL" "$CAP" "$TESTCTL"; do
	[ -x "$f" ] || { echo "1..0 # SKIP $f not built"; exit 0; }
done
if [ ! -c /dev/pktpool ] || [ ! -c /dev/pktpool_test ]; then
	echo "1..0 # SKIP pktpool and pktpool_test not loaded"
	exit 0
fi
grep -q '"ring"' "$top/selftests/pktpool_testctl.c" ||
	{ echo "1..0 # SKIP pktpool_testctl has no ring scenario"; exit 0; }

# The RING scenario's packet i: 64 + i % 200 bytes, byte k = i * 7 + k.
pcap_ok() {
	python3 - "$1" "$N" <<'PY'
import struct, sys, time
data = open(sys.argv[1], 'rb').read()
want = int(sys.argv[2])
magic, _, _, _, _, _, link = struct.unpack_from('=IHHiIII', data, 0)
assert magic == 0xa1b23c4d and link == 101, 'header'
i, seq, now = 24, 0, time.time()
while i < len(data):
    sec, nsec, cap, wire = struct.unpack_from('=IIII', data, i)
    body = data[i + 16:i + 16 + cap]
    exp = bytes((seq * 7 + k) & 0xff for k in range(64 + seq % 200))
    assert body == exp and wire == len(exp), 'packet %d differs' % seq
    assert abs(sec - now) < 3600, 'packet %d timestamp %d' % (seq, sec)
    i += 16 + cap
    seq += 1
assert seq == want, '%d packets, want %d' % (seq, want)
print('%d packets as the kernel wrote them' % seq)
PY
}

# capture NAME: start pktpool-capture -c N on the region, wait until ready.
capture() {
	"$CAP" -c "$N" -t 120 -w "$tmp/$1.pcap" "$R" 2>"$tmp/$1.err" &
	cpid=$!
	for _ in $(seq 200); do
		grep -q "slots on the fill ring" "$tmp/$1.err" 2>/dev/null && return 0
		kill -0 "$cpid" 2>/dev/null || break
		sleep 0.1
	done
	cat "$tmp/$1.err"
	return 1
}

finish_capture() {
	local rc=0
	wait "$cpid" || rc=$?
	cpid=
	sed 's/^/# /' "$tmp/$1.err"
	return "$rc"
}

check "region $R: 64 slots of 2048 bytes" \
	"$CTL" region create "$R" --slot-size 2048 --slots 64
check "pktpool-capture puts the region's 64 slots on the fill ring" capture one
grep -q ": 64 slots on the fill ring" "$tmp/one.err" || not_ok "64 slots expected"
check "the kernel submits $N packets from fill-ring slots" sh -c \
	"'$TESTCTL' run ring '$R' $N | grep -q '^result 0 out $N 0 0 0 '"
check "pktpool-capture writes $N packets and exits 0" finish_capture one
check "the pcap holds every packet byte for byte, in order" pcap_ok "$tmp/one.pcap"

check "a second pktpool-capture attaches (slots still on the fill ring)" capture two
check "the kernel submits $N more from the slots left on the fill ring" sh -c \
	"'$TESTCTL' run ring '$R' $N | grep -q '^result 0 out $N 0 0 0 '"
check "the second capture writes $N packets and exits 0" finish_capture two
check "its pcap holds every packet byte for byte, in order" pcap_ok "$tmp/two.pcap"
check "the kernel counted no invalid ring entry" \
	grep -q "^kernel: 0 invalid ring entries" "$tmp/two.err"

# A capture SIGKILLed before the traffic: the kernel still fills the slots
# it left on the fill ring, and the next capture gets every packet.
kill_capture() {
	capture three || return 1
	kill -KILL "$cpid"
	wait "$cpid" 2>/dev/null
	cpid=
	return 0
}
check "a third capture attaches and is SIGKILLed" kill_capture
check "the kernel submits $N packets with no capture running" sh -c \
	"'$TESTCTL' run ring '$R' $N | grep -q '^result 0 out $N 0 0 0 '"
check "a fourth capture gets the $N packets the kernel left on rx" capture four
check "it writes them and exits 0" finish_capture four
check "its pcap holds every packet byte for byte, in order" pcap_ok "$tmp/four.pcap"
check "region $R destroyed" "$CTL" region destroy "$R"

echo "1..$n"
[ "$failed" -eq 0 ]
