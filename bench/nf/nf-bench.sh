#!/usr/bin/env bash
# Packets to userspace, the same traffic for every consumer, in the guest:
#   scripts/vm/run.sh -- bench/nf/nf-bench.sh      (make -C bench nf first)
# A sender namespace blasts NF_BENCH_COUNT UDP datagrams (NF_BENCH_SIZE
# payload bytes, no pacing) over a veth pair to port 7100 of the initial
# namespace, once per consumer:
#   capture: AF_PACKET TPACKET_V3 on the veth, NFLOG (nft log group),
#            pktpool-capture on a copy binding (pktpool_nf.ko)
#   verdict: NFQUEUE with batched accept verdicts (nft queue), the verdict
#            example on a queue binding (accepts everything)
# For each: packets the consumer saw, the send time, packets per second
# seen, and the consumer's CPU time per packet (utime + stime from /proc).
# Prints a markdown table. pktpool rows say "skipped" until pktpool_nf.ko
# and 'pktpoolctl nf' exist. Numbers from a TCG guest on a shared 2-core
# machine are for comparing rows of one run, not absolute.
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
UDP=$top/build/selftests/nf_udp
PEERS=$top/build/bench/nf_peers
CAP=$top/build/tools/pktpool-capture
VERDICT=$top/build/lib/examples/verdict
CTL=${PKTPOOL_CTL:-$top/build/tools/pktpoolctl}
KO=${PKTPOOL_KO:-$top/kmod/pktpool.ko}
NFKO=${PKTPOOL_NF_KO:-}
[ -n "$NFKO" ] || for c in kmod/pktpool_nf.ko nf/pktpool_nf.ko kmod/nf/pktpool_nf.ko; do
	[ -e "$top/$c" ] && NFKO=$top/$c && break
done
COUNT=${NF_BENCH_COUNT:-50000}
SIZE=${NF_BENCH_SIZE:-64}
NS=ppbench
PORT=7100
MARK=0x7b
TCK=$(getconf CLK_TCK)
tmp=$(mktemp -d /tmp/nf-bench.XXXXXX)
loaded=()

for f in "$UDP" "$PEERS"; do
	[ -x "$f" ] || { echo "nf-bench: $f not built (make; make -C bench nf)" >&2; exit 2; }
done

cleanup() {
	local m
	nft delete table inet ppbench >/dev/null 2>&1
	ip link del ppb0 >/dev/null 2>&1
	ip netns del "$NS" >/dev/null 2>&1
	for m in "${loaded[@]}"; do rmmod "$m"; done
	rm -rf "$tmp"
}
trap cleanup EXIT

modprobe veth
modprobe nf_tables
# nft does not get its expressions autoloaded in the guest: load them.
for m in nft_log nft_queue nfnetlink_queue nfnetlink_log; do
	modprobe "$m" 2>/dev/null
done
ip netns add "$NS"
ip link add ppb0 type veth peer name ppb1 netns "$NS"
ip addr add 10.98.0.2/24 dev ppb0
ip link set ppb0 up
ip -n "$NS" addr add 10.98.0.1/24 dev ppb1
ip -n "$NS" link set ppb1 up
ip -n "$NS" link set lo up
# Nothing listens on the port: the datagrams end at the socket lookup.
nft -f - <<EOF
table inet ppbench {
	chain pre { type filter hook prerouting priority -300; policy accept; }
	chain in { type filter hook input priority 0; policy accept; }
}
EOF

rules() {
	nft flush chain inet ppbench pre
	nft flush chain inet ppbench in
	[ $# -gt 0 ] && nft add rule inet ppbench "$@"
}

ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0; }

# row NAME READY_PATTERN CMD...: run CMD as the consumer of one burst.
row() {
	local name=$1 ready=$2 pid t0 t1 c0 c1 seen i
	shift 2
	"$@" >"$tmp/out" 2>"$tmp/err" &
	pid=$!
	for i in $(seq 300); do
		grep -q "$ready" "$tmp/err" 2>/dev/null && break
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	if [ "$i" -ge 300 ] || ! kill -0 "$pid" 2>/dev/null; then
		printf '| %s | failed to start: %s |\n' "$name" "$(head -c 200 "$tmp/err" | tr '\n' ' ')"
		kill "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
		return
	fi
	c0=$(ticks "$pid")
	t0=$(date +%s.%N)
	ip netns exec "$NS" "$UDP" send -d 10.98.0.2 -p "$PORT" -n "$COUNT" -s "$SIZE" >/dev/null
	t1=$(date +%s.%N)
	sleep 1		# let the consumer drain what is queued
	c1=$(ticks "$pid")
	kill -TERM "$pid"
	wait "$pid" 2>/dev/null
	seen=$(sed -n 's/^packets \([0-9]*\)$/\1/p' "$tmp/out")
	[ -n "$seen" ] || seen=$(sed -n 's/^\([0-9]*\) packets[ :(].*/\1/p' "$tmp/err" | head -n 1)
	awk -v n="$name" -v s="${seen:-0}" -v c="$COUNT" -v t0="$t0" -v t1="$t1" \
	    -v cpu=$((c1 - c0)) -v tck="$TCK" 'BEGIN {
		dt = t1 - t0
		printf "| %s | %d | %d | %.2f | %.0f | %.1f |\n", n, c, s, dt,
		       s / dt, s ? cpu / tck * 1e6 / s : 0
	}'
}

skip() { printf '| %s | skipped: %s |\n' "$1" "$2"; }

echo "| consumer | sent | seen | send s | seen/s | CPU us/packet |"
echo "|---|---|---|---|---|---|"

rules
row "AF_PACKET TPACKET_V3 (capture)" ready "$PEERS" tpacket ppb0 "$PORT"
rules in udp dport "$PORT" log group 1
row "NFLOG (capture)" ready "$PEERS" nflog 1

pp_missing=
if [ -z "$NFKO" ]; then
	pp_missing="pktpool_nf.ko not built"
else
	if [ ! -c /dev/pktpool ]; then
		if insmod "$KO"; then loaded=(pktpool); else pp_missing="insmod pktpool.ko failed"; fi
	fi
	if [ -z "$pp_missing" ] && ! grep -q '^pktpool_nf ' /proc/modules; then
		if insmod "$NFKO"; then
			loaded=(pktpool_nf "${loaded[@]}")
		else
			pp_missing="insmod pktpool_nf.ko failed"
		fi
	fi
	if [ -z "$pp_missing" ]; then
		"$CTL" nf list >/dev/null 2>&1
		[ $? -eq 2 ] && pp_missing="pktpoolctl has no nf command"
	fi
fi
# bind REGION ACTION: a binding on input for the marked datagrams; its id
pp_bind() {
	"$CTL" region create "$1" --slot-size 2048 --slots 4096 >/dev/null &&
	"$CTL" nf bind "$1" --family ipv4 --hook input --mark "$MARK/0xffffffff" \
		--snaplen 2048 --action "$2" --priority 0 | grep -oE '[0-9]+' | tail -n 1
}
pp_unbind() {
	"$CTL" nf unbind "$1" >/dev/null
	"$CTL" region destroy "$2" >/dev/null
}

if [ -z "$pp_missing" ]; then
	rules pre udp dport "$PORT" meta mark set "$MARK"
	id=$(pp_bind ppbcap copy)
	row "pktpool-capture (copy binding)" "slots on the fill ring" \
		"$CAP" -w /dev/null ppbcap
	pp_unbind "$id" ppbcap
else
	skip "pktpool-capture (copy binding)" "$pp_missing"
fi

rules in udp dport "$PORT" queue num 0
row "NFQUEUE, verdicts batched by 64" ready "$PEERS" nfqueue 0 64
rules in udp dport "$PORT" queue num 0
row "NFQUEUE, a verdict per packet" ready "$PEERS" nfqueue 0 1

if [ -z "$pp_missing" ] && "$CTL" nf bind --help 2>&1 | grep -q queue; then
	rules pre udp dport "$PORT" meta mark set "$MARK"
	id=$(pp_bind ppbq queue)
	row "pktpool verdict example (queue binding)" "slots on the fill ring" \
		"$VERDICT" ppbq
	pp_unbind "$id" ppbq
else
	skip "pktpool verdict example (queue binding)" "${pp_missing:-no queue action in pktpoolctl nf bind}"
fi
