#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The VPN device benchmark, in the guest (make bench runs it):
#   scripts/vm/run.sh -- bench/vdev/vdev-bench.sh   (make; make -C bench vdev)
#
# 1. Plain forwarder, in one namespace: vdev_blast sends UDP datagrams
#    from LOCAL to PEER (4 flows: ports 7300..7303) through a layer-3
#    device; vdev_fwd takes each packet off the device, swaps addresses
#    and ports in place and sends it back into the stack through the same
#    device, where vdev_blast's socket counts it. The same forwarder on
#      TUN, read()/write() per packet,
#      TUN with IFF_MULTI_QUEUE, a queue and a thread per CPU,
#      TUN with reads and writes batched through io_uring,
#      pktpool_vdev, batches from the rx ring, one kick a batch.
#    At most 256 packets in flight (see vdev_blast.c). For each payload
#    size, VDEV_BENCH_REPEATS rounds of every forwarder in turn, each
#    VDEV_BENCH_SECONDS long; the table has the median round, and the
#    ratio of medians to TUN read/write.
# 2. Encrypted: namespaces ppvb-a and ppvb-b over a veth pair (the UDP
#    underlay); UDP from a to b through pktpool-vpn on both ends, and
#    through the in-kernel WireGuard (ip link add type wireguard; wg from
#    wireguard-tools); datagrams delivered to the sink in b per second,
#    and the ratio to WireGuard's. Rows print "skipped: why" when a part
#    is missing (pktpool_vdev.ko, wireguard.ko, wg).
#
# Columns: delivered/s at the sink (median of the rounds, min-max); the
# forwarder's (or both daemons') CPU time per packet, user + system; the
# whole guest's busy CPU time per packet (/proc/stat: sender, sink,
# softirqs and kernel threads included, WireGuard's crypto workers too).
# Prints markdown on stdout; numbers from a TCG guest on a shared 2-core
# machine are for comparing the rows of one run, not absolute.
# Environment: VDEV_BENCH_SECONDS (3), VDEV_BENCH_REPEATS (3),
# VDEV_BENCH_SIZES ("64 1400"), PKTPOOL_KO, PKTPOOL_VDEV_KO, PKTPOOL_CTL.
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
FWD=$top/build/bench/vdev_fwd
BLAST=$top/build/bench/vdev_blast
VPN=$top/build/examples/vpn/pktpool-vpn
CTL=${PKTPOOL_CTL:-$top/build/tools/pktpoolctl}
KO=${PKTPOOL_KO:-$top/kmod/pktpool.ko}
VKO=${PKTPOOL_VDEV_KO:-}
[ -n "$VKO" ] || for c in kmod/pktpool_vdev.ko kmod/vdev/pktpool_vdev.ko; do
	[ -e "$top/$c" ] && VKO=$top/$c && break
done
SECS=${VDEV_BENCH_SECONDS:-3}
REPS=${VDEV_BENCH_REPEATS:-3}
SIZES=${VDEV_BENCH_SIZES:-64 1400}
NS=ppvb-f NA=ppvb-a NB=ppvb-b
LOCAL=10.97.0.1 PEER=10.97.0.2
PORT=7300 FLOWS=4
CPUS=$(nproc)
TCK=$(getconf CLK_TCK)
tmp=$(mktemp -d /tmp/vdev-bench.XXXXXX)
loaded=()
pids=()

for f in "$FWD" "$BLAST"; do
	[ -x "$f" ] || { echo "vdev-bench: $f not built (make -C bench vdev)" >&2; exit 2; }
done

# shellcheck disable=SC2317 # called by the EXIT trap
cleanup() {
	local p m r
	for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null; done
	wait 2>/dev/null
	# Devices first: a namespace goes away asynchronously.
	ip netns exec "$NS" "$CTL" vdev del ppvbp0 >/dev/null 2>&1
	ip netns exec "$NA" "$CTL" vdev del ppvba >/dev/null 2>&1
	ip netns exec "$NB" "$CTL" vdev del ppvbb >/dev/null 2>&1
	ip netns del "$NS" 2>/dev/null
	ip netns del "$NA" 2>/dev/null
	ip netns del "$NB" 2>/dev/null
	for r in ppvb ppvb-a ppvb-b; do "$CTL" region destroy "$r" >/dev/null 2>&1; done
	for m in "${loaded[@]}"; do rmmod "$m"; done
	rm -rf "$tmp"
}
trap cleanup EXIT

# The whole guest's busy CPU ticks so far (all but idle and iowait).
busy() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9; exit }' /proc/stat; }
ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0; }

# wait_for FILE PATTERN PID: up to 30 s for PATTERN in FILE while PID lives.
wait_for() {
	local _
	for _ in $(seq 300); do
		grep -q "$2" "$1" 2>/dev/null && return 0
		kill -0 "$3" 2>/dev/null || return 1
		sleep 0.1
	done
	return 1
}

# ---- modules ------------------------------------------------------------------

pp_missing=
if [ -z "$VKO" ]; then
	pp_missing="pktpool_vdev.ko not built"
else
	if [ ! -c /dev/pktpool ]; then
		if insmod "$KO"; then loaded=(pktpool); else pp_missing="insmod pktpool.ko failed"; fi
	fi
	if [ -z "$pp_missing" ] && ! grep -q '^pktpool_vdev ' /proc/modules; then
		if insmod "$VKO"; then
			loaded=(pktpool_vdev "${loaded[@]}")
		else
			pp_missing="insmod pktpool_vdev.ko failed"
		fi
	fi
fi
modprobe tun 2>/dev/null
modprobe veth 2>/dev/null

# ---- 1. the plain forwarder ---------------------------------------------------

ip netns add "$NS"
ip -n "$NS" link set lo up
inns() { ip netns exec "$NS" "$@"; }

# dev_up DEV: LOCAL with PEER behind it, MTU 1500, no IPv6 chatter.
dev_up() {
	inns sh -c "echo 1 > /proc/sys/net/ipv6/conf/$1/disable_ipv6" 2>/dev/null
	inns ip link set "$1" mtu 1500 &&
	inns ip addr add "$LOCAL" peer "$PEER" dev "$1" &&
	inns ip link set "$1" up
}

# fwd_round KIND SIZE: one round; appends "KIND SIZE sent delivered
# seconds fwd_cpu_us busy_ticks" to $tmp/rounds, or a failure line to
# $tmp/fail.
fwd_round() {
	local kind=$1 size=$2 pid dev out b0 b1
	case $kind in
	tun) dev=ppvbt0; ip netns exec "$NS" "$FWD" tun "$dev" >"$tmp/fwd.out" 2>"$tmp/fwd.err" & ;;
	tun-mq) dev=ppvbt0; ip netns exec "$NS" "$FWD" tun-mq "$dev" "$CPUS" >"$tmp/fwd.out" 2>"$tmp/fwd.err" & ;;
	tun-uring) dev=ppvbt0; ip netns exec "$NS" "$FWD" tun-uring "$dev" >"$tmp/fwd.out" 2>"$tmp/fwd.err" & ;;
	pktpool)
		dev=ppvbp0
		if ! "$CTL" region create ppvb --slot-size 2048 --slots 1024 >/dev/null ||
		   ! inns "$CTL" vdev add "$dev" --region ppvb --mtu 1500 >/dev/null; then
			echo "$kind $size: region or device not created" >>"$tmp/fail"
			"$CTL" region destroy ppvb >/dev/null 2>&1
			return
		fi
		ip netns exec "$NS" "$FWD" pktpool ppvb >"$tmp/fwd.out" 2>"$tmp/fwd.err" &
		;;
	esac
	pid=$!
	pids+=("$pid")
	if ! wait_for "$tmp/fwd.err" ready "$pid" || ! dev_up "$dev"; then
		echo "$kind $size: forwarder did not start: $(head -c 200 "$tmp/fwd.err" | tr '\n' ' ')" >>"$tmp/fail"
	else
		b0=$(busy)
		out=$(inns "$BLAST" loop "$LOCAL" "$PEER" "$PORT" "$size" "$SECS" "$FLOWS")
		b1=$(busy)
	fi
	kill -TERM "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	if [ "$kind" = pktpool ]; then
		inns "$CTL" vdev del "$dev" >/dev/null
		"$CTL" region destroy ppvb >/dev/null
	fi
	[ -n "${out:-}" ] || return
	# sent N received M lost_windows L seconds S / packets N invalid I cpu_us U
	echo "$kind $size $(echo "$out" | awk '{ print $2, $4, $8 }') $(awk '{ print $6 }' "$tmp/fwd.out") $((b1 - b0))" >>"$tmp/rounds"
}

kinds="tun tun-mq tun-uring pktpool"
[ -n "$pp_missing" ] && kinds="tun tun-mq tun-uring"
: >"$tmp/rounds"
for size in $SIZES; do
	for r in $(seq "$REPS"); do
		# alternate the order, so that no forwarder always goes first
		order=$kinds
		[ $((r % 2)) = 0 ] && order=$(echo "$kinds" | tr ' ' '\n' | tac | tr '\n' ' ')
		for k in $order; do fwd_round "$k" "$size"; done
	done
done

label() {
	case $1 in
	tun) echo "TUN, read()/write() per packet" ;;
	tun-mq) echo "TUN, IFF_MULTI_QUEUE, $CPUS queues and threads" ;;
	tun-uring) echo "TUN, io_uring, 32 buffers, one submit a round" ;;
	pktpool) echo "pktpool_vdev, rx ring batches, one kick a batch" ;;
	esac
}

# summary KIND SIZE: "delivered/s median|min|max fwd_us guest_us runs" of
# the median round (by delivered/s).
summary() {
	awk -v k="$1" -v s="$2" -v tck="$TCK" '
	$1 == k && $2 == s && $5 > 0 {
		n++; rate[n] = $4 / $5; fwd[n] = $6 / $4; cpu[n] = $7 / tck * 1e6 / $4
	}
	END {
		if (!n) { print "none"; exit }
		for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++)
			if (rate[j] < rate[i]) {
				t = rate[i]; rate[i] = rate[j]; rate[j] = t
				t = fwd[i]; fwd[i] = fwd[j]; fwd[j] = t
				t = cpu[i]; cpu[i] = cpu[j]; cpu[j] = t
			}
		m = int((n + 1) / 2)
		printf "%.0f %.0f %.0f %.2f %.2f %d\n", rate[m], rate[1], rate[n], fwd[m], cpu[m], n
	}' "$tmp/rounds"
}

echo "Plain forwarder, $CPUS vCPUs, $REPS rounds of ${SECS} s per row, forwarders interleaved; $FLOWS UDP flows, at most 256 packets in flight."
echo
echo "| forwarder | payload bytes | delivered/s (median) | min-max | forwarder CPU us/packet | guest CPU us/packet | vs TUN read/write |"
echo "|---|---|---|---|---|---|---|"
for size in $SIZES; do
	base=$(summary tun "$size" | awk '{ print $1 }')
	for k in tun tun-mq tun-uring pktpool; do
		if [ "$k" = pktpool ] && [ -n "$pp_missing" ]; then
			printf '| %s | %s | skipped: %s |\n' "$(label $k)" "$size" "$pp_missing"
			continue
		fi
		read -r med lo hi fus gus _ <<<"$(summary "$k" "$size")"
		if [ "$med" = none ]; then
			printf '| %s | %s | failed: %s |\n' "$(label $k)" "$size" \
				"$(grep "^$k $size:" "$tmp/fail" 2>/dev/null | head -n 1 | tr '|' ' ')"
			continue
		fi
		printf '| %s | %s | %s | %s-%s | %s | %s | %s |\n' "$(label "$k")" "$size" \
			"$med" "$lo" "$hi" "$fus" "$gus" \
			"$(awk -v a="$med" -v b="${base:-0}" 'BEGIN { if (b > 0 && b != "none") printf "%.2fx", a / b; else print "-" }')"
	done
done
echo
# The issue's target: at least twice the packet rate of the faster TUN row.
for size in $SIZES; do
	[ -n "$pp_missing" ] && break
	pp=$(summary pktpool "$size" | awk '{ print $1 }')
	t1=$(summary tun "$size" | awk '{ print $1 }')
	t2=$(summary tun-mq "$size" | awk '{ print $1 }')
	t3=$(summary tun-uring "$size" | awk '{ print $1 }')
	awk -v s="$size" -v pp="$pp" -v t1="$t1" -v t2="$t2" -v t3="$t3" 'BEGIN {
		b = (t1 != "none" && t1 > 0) ? t1 : 0
		if (t2 != "none" && t2 > b) b = t2
		if (t3 != "none" && t3 > b) b = t3
		if (pp == "none" || !b) exit
		printf "- VPN device, plain forwarder, %s-byte payloads: pktpool_vdev >= 2x the fastest TUN forwarder: %s (%.2fx)\n",
		       s, (pp / b >= 2) ? "met" : "short", pp / b
	}'
done
echo
ip netns del "$NS"

# ---- 2. encrypted ----------------------------------------------------------------

UA=192.168.79.1 UB=192.168.79.2
PA=10.79.0.1 PB=10.79.0.2	# pktpool-vpn's tunnel
WA=10.80.0.1 WB=10.80.0.2	# WireGuard's
ina() { ip netns exec "$NA" "$@"; }
inb() { ip netns exec "$NB" "$@"; }

ip netns add "$NA"
ip netns add "$NB"
ip link add ppvb-ua netns "$NA" type veth peer name ppvb-ub netns "$NB"
ina ip link set lo up
inb ip link set lo up
# Room on the underlay for a 1500-byte tunnel packet and the overhead.
ina ip link set ppvb-ua mtu 1600
inb ip link set ppvb-ub mtu 1600
ina ip addr add "$UA/24" dev ppvb-ua
inb ip addr add "$UB/24" dev ppvb-ub
ina ip link set ppvb-ua up
inb ip link set ppvb-ub up

vpn_missing=$pp_missing
[ -z "$vpn_missing" ] && [ ! -x "$VPN" ] && vpn_missing="$VPN not built"
if [ -z "$vpn_missing" ]; then
	head -c 32 /dev/urandom >"$tmp/key"
	chmod 600 "$tmp/key"
	# vpn_side NSNAME DEV REGION ADDR LISTEN PEER
	vpn_side() {
		"$CTL" region create "$3" --slot-size 2048 --slots 1024 >/dev/null &&
		ip netns exec "$1" "$CTL" vdev add "$2" --region "$3" --mtu 1500 >/dev/null &&
		ip netns exec "$1" sh -c "echo 1 > /proc/sys/net/ipv6/conf/$2/disable_ipv6" &&
		ip netns exec "$1" ip addr add "$4/24" dev "$2" &&
		ip netns exec "$1" ip link set "$2" up || return 1
		ip netns exec "$1" "$VPN" --region "$3" --ifname "$2" --key "$tmp/key" \
			--listen "$5:51820" --peer "$6:51820" 2>"$tmp/vpn-$2.err" </dev/null >/dev/null &
		pids+=("$!")
		wait_for "$tmp/vpn-$2.err" "slots on the fill ring" "$!"
	}
	vpn_side "$NA" ppvba ppvb-a "$PA" "$UA" "$UB" &&
		vpn_side "$NB" ppvbb ppvb-b "$PB" "$UB" "$UA" ||
		vpn_missing="pktpool-vpn did not start: $(cat "$tmp"/vpn-*.err 2>/dev/null | head -c 200 | tr '\n|' '  ')"
	vpn_pids="${pids[*]: -2}"
fi

wg_missing=
if ! command -v wg >/dev/null; then
	wg_missing="wg not installed (wireguard-tools, scripts/deps.sh)"
elif ! modprobe wireguard 2>/dev/null; then
	wg_missing="no wireguard module in the guest kernel $(uname -r)"
else
	(umask 077 && wg genkey >"$tmp/wga.key" && wg genkey >"$tmp/wgb.key") &&
	wg pubkey <"$tmp/wga.key" >"$tmp/wga.pub" &&
	wg pubkey <"$tmp/wgb.key" >"$tmp/wgb.pub" &&
	ina ip link add wga type wireguard && inb ip link add wgb type wireguard &&
	ina wg set wga listen-port 51821 private-key "$tmp/wga.key" \
		peer "$(cat "$tmp/wgb.pub")" endpoint "$UB:51821" allowed-ips "$WB/32" &&
	inb wg set wgb listen-port 51821 private-key "$tmp/wgb.key" \
		peer "$(cat "$tmp/wga.pub")" endpoint "$UA:51821" allowed-ips "$WA/32" &&
	ina ip link set wga mtu 1500 && inb ip link set wgb mtu 1500 &&
	ina ip addr add "$WA/24" dev wga && inb ip addr add "$WB/24" dev wgb &&
	ina ip link set wga up && inb ip link set wgb up ||
		wg_missing="setting up the wireguard devices failed"
fi

# vpn_round KIND SIZE: appends "KIND SIZE sent delivered seconds
# daemon_ticks busy_ticks" to $tmp/vrounds.
vpn_round() {
	local kind=$1 size=$2 src dst spid out b0 b1 c0=0 c1=0 p
	if [ "$kind" = pktpool ]; then src=$PA dst=$PB; else src=$WA dst=$WB; fi
	rm -f "$tmp/ctr"
	ip netns exec "$NB" "$BLAST" sink "$dst" 7400 "$tmp/ctr" >"$tmp/sink.out" 2>"$tmp/sink.err" &
	spid=$!
	pids+=("$spid")
	if ! wait_for "$tmp/sink.err" ready "$spid"; then
		echo "$kind $size: sink did not start" >>"$tmp/fail"
		return
	fi
	for p in ${vpn_pids:-}; do [ "$kind" = pktpool ] && c0=$((c0 + $(ticks "$p"))); done
	b0=$(busy)
	out=$(ina "$BLAST" send "$src" "$dst" 7400 "$size" "$SECS" "$tmp/ctr" 2>"$tmp/send.err")
	b1=$(busy)
	for p in ${vpn_pids:-}; do [ "$kind" = pktpool ] && c1=$((c1 + $(ticks "$p"))); done
	kill -TERM "$spid"
	wait "$spid" 2>/dev/null
	if [ -z "$out" ]; then
		echo "$kind $size: sender: $(head -c 200 "$tmp/send.err" | tr '\n|' '  ')" >>"$tmp/fail"
		return
	fi
	echo "$kind $size $(echo "$out" | awk '{ print $2, $4, $8 }') $((c1 - c0)) $((b1 - b0))" >>"$tmp/vrounds"
}

# Warm up: WireGuard's handshake happens on the first packet.
[ -z "$wg_missing" ] && ina ping -c 2 -W 2 "$WB" >/dev/null 2>&1
[ -z "$vpn_missing" ] && ina ping -c 2 -W 2 "$PB" >/dev/null 2>&1

vkinds=
[ -z "$vpn_missing" ] && vkinds="pktpool"
[ -z "$wg_missing" ] && vkinds="$vkinds wg"
: >"$tmp/vrounds"
for size in $SIZES; do
	for r in $(seq "$REPS"); do
		order=$vkinds
		[ $((r % 2)) = 0 ] && order=$(echo "$vkinds" | tr ' ' '\n' | tac | tr '\n' ' ')
		for k in $order; do vpn_round "$k" "$size"; done
	done
done

vsummary() {
	awk -v k="$1" -v s="$2" -v tck="$TCK" '
	$1 == k && $2 == s && $5 > 0 && $4 > 0 {
		n++; rate[n] = $4 / $5; sent[n] = $3 / $5
		dcpu[n] = $6 / tck * 1e6 / $4; cpu[n] = $7 / tck * 1e6 / $4
	}
	END {
		if (!n) { print "none"; exit }
		for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++)
			if (rate[j] < rate[i]) {
				t = rate[i]; rate[i] = rate[j]; rate[j] = t
				t = sent[i]; sent[i] = sent[j]; sent[j] = t
				t = dcpu[i]; dcpu[i] = dcpu[j]; dcpu[j] = t
				t = cpu[i]; cpu[i] = cpu[j]; cpu[j] = t
			}
		m = int((n + 1) / 2)
		printf "%.0f %.0f %.0f %.0f %.2f %.2f %d\n", rate[m], rate[1], rate[n], sent[m], dcpu[m], cpu[m], n
	}' "$tmp/vrounds"
}

echo "Encrypted, namespaces over veth, tunnel MTU 1500, one UDP flow a to b, $REPS rounds of ${SECS} s per row, interleaved."
echo
echo "| tunnel | payload bytes | delivered/s (median) | min-max | sent/s | daemons' CPU us/packet | guest CPU us/packet | vs WireGuard |"
echo "|---|---|---|---|---|---|---|---|"
for size in $SIZES; do
	base=$(vsummary wg "$size" | awk '{ print $1 }')
	for k in pktpool wg; do
		if [ "$k" = pktpool ]; then
			name="pktpool-vpn (ChaCha20-Poly1305, userspace) on pktpool_vdev"; why=$vpn_missing
		else
			name="WireGuard (in-kernel module)"; why=$wg_missing
		fi
		if [ -n "$why" ]; then
			printf '| %s | %s | skipped: %s |\n' "$name" "$size" "$why"
			continue
		fi
		read -r med lo hi sent dus gus _ <<<"$(vsummary "$k" "$size")"
		if [ "$med" = none ]; then
			printf '| %s | %s | failed: nothing delivered |\n' "$name" "$size"
			continue
		fi
		[ "$k" = wg ] && dus="- (kernel)"
		printf '| %s | %s | %s | %s-%s | %s | %s | %s | %s |\n' "$name" "$size" \
			"$med" "$lo" "$hi" "$sent" "$dus" "$gus" \
			"$(awk -v a="$med" -v b="${base:-none}" 'BEGIN { if (b != "none" && b > 0) printf "%.2fx", a / b; else print "-" }')"
	done
done
if [ -s "$tmp/fail" ]; then
	echo
	sed 's/^/- failed round: /' "$tmp/fail"
fi
exit 0
