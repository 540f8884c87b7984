#!/usr/bin/env bash
# pktpool-capture and the verdict example on the host, without the
# kernel: capture_feed plays pktpool.ko on a memfd region. pktpool-capture
# writes pcap and pcapng, pcap_compare.py checks them byte for byte and
# tcpdump -r must read them; lib/examples/verdict answers queued packets
# and capture_feed checks every verdict and rewritten byte.
# TAP; run by scripts/check.sh after make.
set -u
top=$(cd "$(dirname "$0")/../../.." && pwd)
here=$top/tools/capture/test
CAP=$top/build/tools/pktpool-capture
FEED=$top/build/tools/capture_feed
VERDICT=$top/build/lib/examples/verdict
N=200
SNAP=40
export PKTPOOL_BACKEND=memfd
tmp=$(mktemp -d /tmp/pktpool-capture-test.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
n=0 failed=0

ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; }
check() { local what=$1; shift; if "$@" >"$tmp/out" 2>&1; then ok "$what"; else not_ok "$what"; sed 's/^/# /' "$tmp/out"; fi; }

for f in "$CAP" "$FEED"; do
	[ -x "$f" ] || { echo "1..0 # SKIP $f not built (make)"; exit 0; }
done

# run_capture NAME FORMAT-ARGS...: feed N packets, capture them to $tmp/NAME
run_capture() {
	local name=$1 region="capt-$$-${1/./-}"
	shift
	"$FEED" "$region" "$N" "$tmp/$name.ref" &
	local fpid=$!
	for _ in $(seq 100); do
		[ -e "/dev/shm/pktpool.$region" ] && break
		sleep 0.1
	done
	timeout 60 "$CAP" "$@" -c "$N" -t 30 -w "$tmp/$name" "$region" 2>"$tmp/$name.stats"
	local crc=$?
	wait "$fpid"
	local frc=$?
	sed 's/^/# /' "$tmp/$name.stats"
	[ "$crc" -eq 0 ] && [ "$frc" -eq 0 ]
}

check "pktpool-capture writes $N fed packets as pcap" run_capture p.pcap
check "pcap: every packet byte for byte, caplen/len/ns timestamps right" \
	"$here/pcap_compare.py" "$tmp/p.pcap" "$tmp/p.pcap.ref" "$SNAP"
check "pcap: statistics count $N packets, $((N / 5)) truncated" \
	grep -q "^$N packets .* captured, $((N / 5)) truncated" "$tmp/p.pcap.stats"
check "a slot the kernel returned unused is no packet, and counted" \
	grep -q ", 1 slots returned," "$tmp/p.pcap.stats"
check "pktpool-capture -n writes $N fed packets as pcapng" run_capture p.pcapng -n
check "pcapng: every packet byte for byte, caplen/len/ns timestamps right" \
	"$here/pcap_compare.py" "$tmp/p.pcapng" "$tmp/p.pcapng.ref" "$SNAP"

if command -v tcpdump >/dev/null; then
	for f in p.pcap p.pcapng; do
		check "tcpdump -r reads the $f file: $N packets" \
			sh -c "[ \$(tcpdump -r '$tmp/$f' -nn 2>/dev/null | wc -l) -eq $N ]"
		check "tcpdump decodes $f: IPv4 and IPv6 UDP 5000 > 6000" \
			sh -c "tcpdump -r '$tmp/$f' -nn 2>/dev/null | head -2 | tr '\n' ' ' |
			grep -q 'IP 10.0.0.1.5000 > 10.0.0.2.6000: UDP.*IP6 fd00::1.5000 > fd00::2.6000: UDP'"
	done
	check "tcpdump shows the nanosecond timestamp of packet 1" \
		sh -c "tcpdump -r '$tmp/p.pcap' --nano -tt -nn 2>/dev/null | head -1 |
		grep -q '^1700000000.000000000 IP '"
else
	n=$((n + 1)); echo "ok $n - tcpdump -r reads the files # SKIP tcpdump not installed"
fi

# verdict_run: 300 queued packets, every third to port 6001
verdict_run() {
	local region="verd-$$" rc
	"$FEED" "$region" 300 "$tmp/v.ref" 6001 10 0xee >"$tmp/v.feed" 2>&1 &
	local fpid=$!
	for _ in $(seq 100); do
		[ -e "/dev/shm/pktpool.$region" ] && break
		sleep 0.1
	done
	timeout 60 "$VERDICT" -d 6001 -m 10:0xee -c 300 -t 30 "$region" 2>"$tmp/v.stats"
	rc=$?
	wait "$fpid" || rc=1
	sed 's/^/# /' "$tmp/v.stats" "$tmp/v.feed"
	[ "$rc" -eq 0 ] && grep -q "^300 packets: 90 dropped, 160 modified, 50 accepted" "$tmp/v.stats"
}
if [ -x "$VERDICT" ]; then
	check "verdict example: drops port 6001, rewrites byte 10 of whole packets, leaves truncated ones" \
		verdict_run
	check "verdict example: every verdict in order, for its slot, modified bytes as asked" \
		grep -q "^300 verdicts: 90 dropped, 160 modified, 50 accepted, 0 wrong" "$tmp/v.feed"
fi

check "pktpool-capture without a region name is a usage error (2)" \
	sh -c "'$CAP' >/dev/null 2>&1; [ \$? -eq 2 ]"
check "pktpool-capture rejects -c 0" sh -c "'$CAP' -c 0 x >/dev/null 2>&1; [ \$? -eq 2 ]"
check "pktpool-capture of a missing region fails clearly" \
	sh -c "'$CAP' -c 1 no-such-region-$$ 2>&1 >/dev/null | grep -q \"attach region 'no-such-region-$$'\""

echo "1..$n"
[ "$failed" -eq 0 ]
