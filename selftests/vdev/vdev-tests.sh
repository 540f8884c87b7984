#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The check helpers are called indirectly, through check and expect.
# shellcheck disable=SC2317
#
# pktpool_vdev devices with real traffic, in the guest (root, built):
#   scripts/vm/run.sh -- selftests/vdev/vdev-tests.sh
# SKIPs everything while pktpool_vdev.ko is not built or pktpoolctl has
# no vdev command, and when not root. Loads pktpool.ko and pktpool_vdev.ko
# when they are not loaded yet, and unloads what it loaded.
#
# Two network namespaces, ppvt-a and ppvt-b, joined by a veth pair (the
# UDP underlay, 192.168.77.1 and .2, fd77::1 and ::2). Each has a region
# (ppvt-a, ppvt-b), a device on it (ppva, ppvb: 10.78.0.1/24 and .2,
# fd78::1/64 and ::2) and a pktpool-vpn daemon tunnelling between them.
#   1. carrier and counters as pktpoolctl and sysfs show them;
#   2. ping and ping6 through the tunnel both ways;
#   3. a UDP stream and a TCP stream, payloads checked end to end (sha256);
#   4. a packet at the MTU arrives, one over it with DF is refused
#      (EMSGSIZE) and one over it without DF arrives fragmented, v4 and v6;
#   5. forged and replayed datagrams are dropped and counted by the daemon;
#   6. the daemon SIGKILLed mid-stream: carrier goes down, comes back
#      with a new daemon, and the TCP stream completes intact;
#   7. garbage on the tx ring (vdev_garbage) is counted in rx_invalid (and
#      ring_invalid) and never reaches the stack;
#   8. a flood while the daemon is stopped (SIGSTOP): staged never above
#      queue_max, the excess counted as dropped, all drained after SIGCONT;
#   9. rmmod pktpool_vdev with traffic running leaves no device, and the
#      regions can be destroyed.
# Environment: PKTPOOL_KO, PKTPOOL_VDEV_KO, PKTPOOL_CTL, VDEV_TCP_BYTES
# (TCP stream, default 1 MiB), VDEV_UDP_COUNT (datagrams, 200).
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
KO=${PKTPOOL_KO:-$top/kmod/pktpool.ko}
VKO=${PKTPOOL_VDEV_KO:-}
if [ -z "$VKO" ] || [ ! -e "$VKO" ]; then
	VKO=
	for c in kmod/pktpool_vdev.ko kmod/vdev/pktpool_vdev.ko vdev/pktpool_vdev.ko; do
		[ -e "$top/$c" ] && VKO=$top/$c && break
	done
fi
CTL=${PKTPOOL_CTL:-$top/build/tools/pktpoolctl}
VPN=$top/build/examples/vpn/pktpool-vpn
GARBAGE=$top/build/selftests/vdev_garbage
NOCAP=$top/build/selftests/pktpool_nocap
TRAFFIC=$here/vdev_traffic.py
TCP_BYTES=${VDEV_TCP_BYTES:-1048576}
UDP_COUNT=${VDEV_UDP_COUNT:-200}
NA=ppvt-a NB=ppvt-b
RA=ppvt-a RB=ppvt-b
DA=ppva DB=ppvb
UA=192.168.77.1 UB=192.168.77.2
TA=10.78.0.1 TB=10.78.0.2
TA6=fd78::1 TB6=fd78::2
PORT=51820
MTU=1420
QMAX=64
SLOTS=512

# One result, so that a runner counting results (vm-tests.sh) sees it.
skip_all() { echo "ok 1 - pktpool_vdev devices # SKIP $1"; echo "1..1"; exit 0; }

[ "$(id -u)" -eq 0 ] || skip_all "needs root: scripts/vm/run.sh -- $0"
[ -n "$VKO" ] || skip_all "pktpool_vdev.ko not built"
[ -e "$KO" ] || skip_all "$KO not built (make)"
for f in "$CTL" "$VPN" "$GARBAGE"; do
	[ -x "$f" ] || skip_all "$f not built (make)"
done
for c in ip python3 busybox; do
	command -v "$c" >/dev/null || skip_all "$c not installed (scripts/deps.sh)"
done

tmp=$(mktemp -d /tmp/pktpool-vdev-tests.XXXXXX)
# shellcheck source=selftests/tap.sh
. "$here/../tap.sh"
loaded_pp=0 loaded_vdev=0
pid_a='' pid_b=''
bg=()

a() { ip netns exec "$NA" "$@"; }
b() { ip netns exec "$NB" "$@"; }
ns() { ip netns exec "$@"; }

cleanup() {
	local p
	for p in "${bg[@]}" $pid_a $pid_b; do
		kill -CONT "$p" 2>/dev/null
		kill -9 "$p" 2>/dev/null
	done
	wait 2>/dev/null
	ip netns del "$NA" 2>/dev/null
	ip netns del "$NB" 2>/dev/null
	"$CTL" region destroy "$RA" >/dev/null 2>&1
	"$CTL" region destroy "$RB" >/dev/null 2>&1
	[ "$loaded_vdev" = 1 ] && rmmod pktpool_vdev
	[ "$loaded_pp" = 1 ] && rmmod pktpool
	rm -rf "$tmp"
}
trap cleanup EXIT

echo "TAP version 13"

# wait_until SECONDS CMD...: poll CMD every 0.1 s; no timing is asserted,
# SECONDS only bounds a hang.
wait_until() {
	local n=$(($1 * 10))
	shift
	while [ "$n" -gt 0 ]; do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.1
		n=$((n - 1))
	done
	"$@"
}

# --- modules ----------------------------------------------------------------

if [ ! -c /dev/pktpool ]; then
	insmod "$KO" || { echo "Bail out! insmod $KO failed"; exit 1; }
	loaded_pp=1
fi
if ! grep -q '^pktpool_vdev ' /proc/modules; then
	insmod "$VKO" || { echo "Bail out! insmod $VKO failed"; exit 1; }
	loaded_vdev=1
fi
"$CTL" vdev list >/dev/null 2>&1
[ $? -eq 2 ] && skip_all "pktpoolctl has no vdev command"
modprobe veth 2>/dev/null

# --- setup --------------------------------------------------------------------

# vdev_json NS DEV FIELD: one field of pktpoolctl vdev show --json.
vdev_json() {
	ns "$1" "$CTL" vdev show "$2" --json |
		python3 -c 'import json,sys; print(json.load(sys.stdin)[sys.argv[1]])' "$3"
}

# region_json REGION KEY: KEY of pktpoolctl region show --json. Regions
# are the machine's, and pktpool's netlink family answers in the initial
# namespace only.
region_json() {
	"$CTL" region show "$1" --json |
		python3 -c 'import json,sys; print(json.load(sys.stdin)[sys.argv[1]])' "$2"
}

# stat_of FILE KEY: KEY's value in the last block of a daemon's stats.
stat_of() {
	awk -F= -v k="$2" '$1 == k { v = $2 } END { print v + 0 }' "$1"
}

carrier() { ns "$1" cat "/sys/class/net/$2/carrier"; }
carrier_is() { [ "$(carrier "$1" "$2" 2>/dev/null)" = "$3" ]; }

net_setup() {
	ip netns add "$NA" && ip netns add "$NB" || return 1
	ip link add ppvt-ua netns "$NA" type veth peer name ppvt-ub netns "$NB" ||
		return 1
	a ip addr add "$UA/24" dev ppvt-ua && a ip link set ppvt-ua up &&
	a ip link set lo up &&
	b ip addr add "$UB/24" dev ppvt-ub && b ip link set ppvt-ub up &&
	b ip link set lo up
}

regions_setup() {
	"$CTL" region create "$RA" --slot-size 2048 --slots "$SLOTS" >/dev/null &&
	"$CTL" region create "$RB" --slot-size 2048 --slots "$SLOTS" >/dev/null
}

# dev_setup NS DEV REGION ADDR ADDR6
dev_setup() {
	ns "$1" "$CTL" vdev add "$2" --region "$3" --mtu "$MTU" \
		--queue-max "$QMAX" --policy tail || return 1
	ns "$1" ip addr add "$4/24" dev "$2" &&
	ns "$1" ip -6 addr add "$5/64" dev "$2" nodad &&
	ns "$1" ip link set "$2" up
}

# start_daemon NS DEV REGION LISTEN PEER NAME: the daemon's pid in pid_NAME.
start_daemon() {
	local log=$tmp/vpn-$6.err
	rm -f "$log"
	# ip itself, not a shell function: $! must be the daemon's pid
	# (ip netns exec execs it) for the SIGKILL and SIGSTOP tests.
	ip netns exec "$1" "$VPN" --region "$3" --ifname "$2" --key "$tmp/key" \
		--listen "$4:$PORT" --peer "$5:$PORT" --stats-fd 3 \
		--stats-interval 1 3>>"$tmp/vpn-$6.stats" 2>>"$log" </dev/null \
		>/dev/null &
	eval "pid_$6=$!"
	wait_until 30 grep -q "slots on the fill ring" "$log"
}

check "two namespaces joined by a veth pair ($UA, $UB)" net_setup
check "regions $RA and $RB, $SLOTS slots of 2048 bytes" regions_setup
expect "pktpoolctl vdev add $DA --region $RA in $NA" 0 \
	"created device '$DA' \(ifindex [0-9]+\) on region '$RA'" \
	dev_setup "$NA" "$DA" "$RA" "$TA" "$TA6"
expect "pktpoolctl vdev add $DB --region $RB in $NB" 0 \
	"created device '$DB'" dev_setup "$NB" "$DB" "$RB" "$TB" "$TB6"
"$CTL" region create ppvt-c --slot-size 2048 --slots 8 >/dev/null
expect "vdev add of a taken name fails with the reason" 1 \
	"already exists" a "$CTL" vdev add "$DA" --region ppvt-c
expect "vdev add on a region that carries a device fails with the reason" 1 \
	"another device" a "$CTL" vdev add ppvt-x --region "$RA"
check "the refused adds left region ppvt-c free to destroy" \
	"$CTL" region destroy ppvt-c
expect "vdev add on a missing region fails with the reason" 1 \
	"no region 'ppvt-none'|kernel says: .*region" \
	a "$CTL" vdev add ppvt-x --region ppvt-none
if [ -x "$NOCAP" ]; then
	expect "vdev add without CAP_NET_ADMIN is refused" 1 \
		"needs CAP_NET_ADMIN" a "$NOCAP" "$CTL" vdev add ppvt-y --region "$RA"
fi
expect "vdev list works as nobody" 0 "^$DA +[0-9]+ +$RA +$MTU +$QMAX +tail +down " \
	a setpriv --reuid=65534 --regid=65534 --clear-groups "$CTL" vdev list
check "no daemon yet: carrier of $DA is down (sysfs)" carrier_is "$NA" "$DA" 0
check "vdev show --json: carrier 0, region, mtu, queue_max, policy" \
	a python3 -c '
import json, subprocess, sys
d = json.loads(subprocess.check_output([sys.argv[1], "vdev", "show", sys.argv[2], "--json"]))
assert (d["carrier"], d["region"], d["mtu"], d["queue_max"], d["policy"]) == \
	(0, sys.argv[3], int(sys.argv[4]), int(sys.argv[5]), "tail"), d
for k in ("staged", "tx_packets", "rx_packets", "dropped_no_daemon", "rx_invalid", "dropped_other"):
	assert k in d, k
' "$CTL" "$DA" "$RA" "$MTU" "$QMAX"

# The kernel's own YNL client reads the same from the spec alone.
YNL_DIR=$top/build/ynl/tools/net/ynl
SPEC=$top/Documentation/netlink/specs/pktpool_vdev.yaml
SCHEMA=$top/build/ynl/Documentation/netlink/genetlink-c.yaml
ynl_matches() {
	a env PYTHONDONTWRITEBYTECODE=1 python3 "$YNL_DIR/cli.py" --spec "$SPEC" \
		--schema "$SCHEMA" --output-json --dump get >"$tmp/ynl" || return 1
	a "$CTL" vdev list --json >"$tmp/ctl" || return 1
	python3 - "$tmp/ynl" "$tmp/ctl" <<'PY'
import json, sys
y = {d["ifname"]: d for d in json.load(open(sys.argv[1]))}
c = {d["ifname"]: d for d in json.load(open(sys.argv[2]))}
assert sorted(y) == sorted(c), (y, c)
for name, d in c.items():
    for k, v in d.items():
        assert y[name].get(k.replace("_", "-")) == v, (name, k, y[name], v)
PY
}
if [ -r "$YNL_DIR/cli.py" ] && [ -r "$SCHEMA" ]; then
	check "YNL get dump (the spec alone) matches pktpoolctl vdev list --json" \
		ynl_matches
else
	skip "YNL get dump matches pktpoolctl" "no YNL client: scripts/ynl-src.sh"
fi

# Another device, removed by pktpoolctl; one more, by ip link del.
"$CTL" region create ppvt-c --slot-size 2048 --slots 16 >/dev/null
a "$CTL" vdev add ppvc --region ppvt-c >/dev/null 2>&1
expect "vdev del removes a device" 0 "deleted device 'ppvc'" a "$CTL" vdev del ppvc
check "... and it is gone" sh -c "! ip netns exec $NA ip link show ppvc"
a "$CTL" vdev add ppvc --region ppvt-c >/dev/null 2>&1
check "ip link del removes a device too" a ip link del ppvc
expect "vdev show of a removed device fails" 1 "ppvc" a "$CTL" vdev show ppvc
"$CTL" region destroy ppvt-c >/dev/null 2>&1

head -c 32 /dev/urandom >"$tmp/key"
chmod 600 "$tmp/key"
check "pktpool-vpn in $NA starts" start_daemon "$NA" "$DA" "$RA" "$UA" "$UB" a
check "pktpool-vpn in $NB starts" start_daemon "$NB" "$DB" "$RB" "$UB" "$UA" b
comment <"$tmp/vpn-a.err"
check "daemon attached: carrier of $DA is up (sysfs)" \
	wait_until 10 carrier_is "$NA" "$DA" 1
check "daemon attached: carrier of $DB is up (sysfs)" \
	wait_until 10 carrier_is "$NB" "$DB" 1
check "vdev show --json says carrier 1" \
	test "$(vdev_json "$NA" "$DA" carrier)" = 1

# --- ping ---------------------------------------------------------------------

check "ping $TB from $NA through the tunnel" a busybox ping -c 3 -W 5 "$TB"
check "ping $TA from $NB through the tunnel" b busybox ping -c 3 -W 5 "$TA"
check "ping6 $TB6 from $NA through the tunnel" a busybox ping6 -c 3 -W 5 "$TB6"
check "ping6 $TA6 from $NB through the tunnel" b busybox ping6 -c 3 -W 5 "$TA6"
counted_both_ways() {
	local tx rx
	tx=$(vdev_json "$NA" "$DA" tx_packets)
	rx=$(vdev_json "$NA" "$DA" rx_packets)
	echo "tx_packets $tx rx_packets $rx"
	[ "$tx" -ge 6 ] && [ "$rx" -ge 6 ]
}
check "the device counted packets both ways (tx_packets, rx_packets)" \
	counted_both_ways

# --- streams ------------------------------------------------------------------

# What the daemons and devices counted, for a failing check's output
# (a daemon that had no slot to receive into counts no_slot).
stats_hint() {
	kill -USR1 ${pid_a:+"$pid_a"} ${pid_b:+"$pid_b"} 2>/dev/null
	sleep 0.5
	echo "daemon a:"; tail -n 25 "$tmp/vpn-a.err"
	echo "daemon b:"; tail -n 25 "$tmp/vpn-b.err"
	a "$CTL" vdev show "$DA" 2>&1
	b "$CTL" vdev show "$DB" 2>&1
	"$CTL" region show "$RA" 2>&1
	"$CTL" region show "$RB" 2>&1
	return 1
}

# udp_stream SRC_NS DST_NS DST_ADDR PORT
udp_stream() {
	local rpid
	rm -f "$tmp/ready"
	ns "$2" python3 "$TRAFFIC" udp-recv "$4" "$UDP_COUNT" 20 "$tmp/ready" \
		>"$tmp/udp-recv" 2>&1 &
	rpid=$!
	wait_until 20 test -e "$tmp/ready"
	ns "$1" python3 "$TRAFFIC" udp-send "$3" "$4" "$UDP_COUNT" 1200 100 \
		>"$tmp/udp-send" 2>&1
	wait "$rpid"
	cat "$tmp/udp-send" "$tmp/udp-recv"
	if [ "$(awk '{ print $NF }' "$tmp/udp-send")" = \
	     "$(awk '{ print $NF }' "$tmp/udp-recv")" ] &&
	   grep -q "^received $UDP_COUNT bad 0 dup 0 " "$tmp/udp-recv"; then
		return 0
	fi
	stats_hint
}

# tcp_stream SRC_NS DST_NS DST_ADDR PORT: send and compare.
tcp_stream() {
	local rpid
	rm -f "$tmp/ready"
	ns "$2" python3 "$TRAFFIC" tcp-recv "$4" 120 "$tmp/ready" \
		>"$tmp/tcp-recv" 2>&1 &
	rpid=$!
	wait_until 20 test -e "$tmp/ready"
	ns "$1" python3 "$TRAFFIC" tcp-send "$3" "$4" "$TCP_BYTES" 16384 0 \
		>"$tmp/tcp-send" 2>&1
	wait "$rpid"
	cat "$tmp/tcp-send" "$tmp/tcp-recv"
	if [ -s "$tmp/tcp-send" ] && cmp -s "$tmp/tcp-send" "$tmp/tcp-recv"; then
		return 0
	fi
	stats_hint
}


check "UDP stream $NA -> $NB: $UDP_COUNT datagrams, each intact, sha256 equal" \
	udp_stream "$NA" "$NB" "$TB" 7001
check "UDP stream $NB -> $NA over IPv6: sha256 equal" \
	udp_stream "$NB" "$NA" "$TA6" 7002
check "TCP stream $NA -> $NB: $TCP_BYTES bytes, sha256 equal" \
	tcp_stream "$NA" "$NB" "$TB" 7003
check "TCP stream $NB -> $NA over IPv6: sha256 equal" \
	tcp_stream "$NB" "$NA" "$TA6" 7004

# --- MTU ----------------------------------------------------------------------

# one_packet SRC_NS DST_NS DST_ADDR PORT SIZE df|frag: sent and received
# the same bytes (or, for "refused", EMSGSIZE at the sender).
one_packet() {
	local rpid
	rm -f "$tmp/ready"
	ns "$2" python3 "$TRAFFIC" one-recv "$4" 20 "$tmp/ready" \
		>"$tmp/one-recv" 2>&1 &
	rpid=$!
	wait_until 20 test -e "$tmp/ready"
	ns "$1" python3 "$TRAFFIC" one-send "$3" "$4" "$5" "$6" >"$tmp/one-send" 2>&1
	wait "$rpid"
	cat "$tmp/one-send" "$tmp/one-recv"
	[ "$(awk '{ print $NF }' "$tmp/one-send")" = \
	  "$(awk '{ print $NF }' "$tmp/one-recv")" ]
}

refused() {
	ns "$1" python3 "$TRAFFIC" one-send "$2" 7010 "$3" df >"$tmp/one-send" 2>&1
	cat "$tmp/one-send"
	grep -qx EMSGSIZE "$tmp/one-send"
}

check "IPv4: a datagram filling the MTU ($MTU) exactly arrives (DF)" \
	one_packet "$NA" "$NB" "$TB" 7011 $((MTU - 28)) df
check "IPv4: one byte over the MTU with DF is refused (EMSGSIZE)" \
	refused "$NA" "$TB" $((MTU - 27))
check "IPv4: 4000 bytes without DF arrive fragmented and reassembled" \
	one_packet "$NA" "$NB" "$TB" 7012 4000 frag
check "IPv6: a datagram filling the MTU exactly arrives" \
	one_packet "$NB" "$NA" "$TA6" 7013 $((MTU - 48)) df
check "IPv6: one byte over the MTU with DONTFRAG is refused (EMSGSIZE)" \
	refused "$NB" "$TA6" $((MTU - 47))
check "IPv6: 4000 bytes arrive fragmented by the sender and reassembled" \
	one_packet "$NB" "$NA" "$TA6" 7014 4000 frag

# --- forged and replayed ------------------------------------------------------

before_forged=$(stat_of "$tmp/vpn-a.stats" forged)
check "10 forged datagrams from the peer's address sent to $NA's daemon" \
	b python3 "$TRAFFIC" inject-forged "$UA" "$PORT" "$UB" "$PORT" 10
check "$NA's daemon counted them as forged" wait_until 10 sh -c \
	"[ \$(awk -F= '\$1 == \"forged\" { v = \$2 } END { print v + 0 }' '$tmp/vpn-a.stats') -ge $((before_forged + 10)) ]"
before_replayed=$(($(stat_of "$tmp/vpn-a.stats" replayed) +
	$(stat_of "$tmp/vpn-a.stats" too_old)))
b python3 "$TRAFFIC" inject-replay ppvt-ub "$PORT" "$UB" "$PORT" 3 20 \
	>"$tmp/replay.out" 2>&1 &
rpl=$!
wait_until 30 grep -q capturing "$tmp/replay.out"
b busybox ping -c 3 -W 5 "$TA" >/dev/null 2>&1
check "3 of $NB's datagrams captured and sent again" wait "$rpl"
comment <"$tmp/replay.out"
# A capture older than the window (the sender's counter jumps each second)
# is too old rather than replayed: dropped and counted either way.
check "$NA's daemon counted them as replayed or too old" wait_until 10 sh -c \
	"[ \$(awk -F= '\$1 == \"replayed\" || \$1 == \"too_old\" { v[\$1] = \$2 } END { print v[\"replayed\"] + v[\"too_old\"] }' '$tmp/vpn-a.stats') -ge $((before_replayed + 3)) ]"
check "ping still works after forgeries and replays" \
	a busybox ping -c 2 -W 5 "$TB"

# --- the daemon killed mid-stream ----------------------------------------------

kill_test() {
	local rpid spid
	rm -f "$tmp/ready" "$tmp/progress"
	b python3 "$TRAFFIC" tcp-recv 7020 300 "$tmp/ready" >"$tmp/tcp-recv" 2>&1 &
	rpid=$!
	bg+=("$rpid")
	wait_until 20 test -e "$tmp/ready"
	PROGRESS=$tmp/progress a python3 "$TRAFFIC" tcp-send "$TB" 7020 \
		"$TCP_BYTES" 8192 40 >"$tmp/tcp-send" 2>&1 &
	spid=$!
	bg+=("$spid")
	check "kill: the stream is under way" wait_until 60 sh -c \
		"[ \$(cat '$tmp/progress' 2>/dev/null || echo 0) -ge 65536 ]"
	kill -9 "$pid_a"
	wait "$pid_a" 2>/dev/null
	check "kill: SIGKILL of $NA's daemon takes the carrier down" \
		wait_until 10 carrier_is "$NA" "$DA" 0
	check "kill: vdev show says carrier 0" \
		test "$(vdev_json "$NA" "$DA" carrier)" = 0
	check "kill: a new daemon starts on the same region" \
		start_daemon "$NA" "$DA" "$RA" "$UA" "$UB" a
	check "kill: carrier up again" wait_until 10 carrier_is "$NA" "$DA" 1
	wait "$spid"
	check "kill: the sender finished" test $? -eq 0
	wait "$rpid"
	cat "$tmp/tcp-send" "$tmp/tcp-recv" | comment
	check "kill: the stream resumed and arrived intact (sha256 equal)" \
		cmp -s "$tmp/tcp-send" "$tmp/tcp-recv"
	check "kill: ping works with the new daemon" a busybox ping -c 2 -W 5 "$TB"
}
kill_test

# --- garbage on the tx ring -----------------------------------------------------

garbage_test() {
	local inv0 ring0 rx0 inv1 ring1 rx1 dev total
	kill "$pid_a"
	check "garbage: $NA's daemon exits on SIGTERM with status 0" wait "$pid_a"
	check "garbage: the daemon printed its counters at exit" \
		grep -q "^state=exit" "$tmp/vpn-a.err"
	wait_until 10 carrier_is "$NA" "$DA" 0
	inv0=$(vdev_json "$NA" "$DA" rx_invalid)
	ring0=$(region_json "$RA" ring_invalid)
	rx0=$(vdev_json "$NA" "$DA" rx_packets)
	if ! a "$GARBAGE" "$RA" "$MTU" >"$tmp/garbage" 2>&1; then
		not_ok "garbage: vdev_garbage submitted its descriptors"
		comment <"$tmp/garbage"
		return
	fi
	ok "garbage: vdev_garbage: $(cat "$tmp/garbage")"
	dev=$(sed -n 's/.*: \([0-9]*\) device-level.*/\1/p' "$tmp/garbage")
	total=$(sed -n 's/^submitted \([0-9]*\):.*/\1/p' "$tmp/garbage")
	inv1=$(vdev_json "$NA" "$DA" rx_invalid)
	ring1=$(region_json "$RA" ring_invalid)
	rx1=$(vdev_json "$NA" "$DA" rx_packets)
	echo "# rx_invalid $inv0 -> $inv1, ring_invalid $ring0 -> $ring1, rx_packets $rx0 -> $rx1"
	check "garbage: rx_invalid counts every device-level descriptor ($dev)" \
		test $((inv1 - inv0)) -ge "$dev"
	check "garbage: rx_invalid + ring_invalid count all $total" \
		test $((inv1 - inv0 + ring1 - ring0)) -eq "$total"
	check "garbage: none of it entered the stack (rx_packets unchanged)" \
		test "$rx1" -eq "$rx0"
	check "garbage: the daemon starts again" \
		start_daemon "$NA" "$DA" "$RA" "$UA" "$UB" a
	check "garbage: ping works again" a busybox ping -c 2 -W 5 "$TB"
}
garbage_test

# --- flood while the daemon is stopped ---------------------------------------------

flood_test() {
	local staged drop0 drop1 max=0
	drop0=$(vdev_json "$NA" "$DA" dropped_stage_full)
	kill -STOP "$pid_a"
	# More than the kernel's free slots and the stage together.
	a python3 "$TRAFFIC" flood "$TB" 7030 $((SLOTS + 4 * QMAX + 200)) 200 \
		>"$tmp/flood" 2>&1
	comment <"$tmp/flood"
	for _ in 1 2 3 4 5; do
		staged=$(vdev_json "$NA" "$DA" staged)
		[ "$staged" -gt "$max" ] && max=$staged
		sleep 0.2
	done
	drop1=$(vdev_json "$NA" "$DA" dropped_stage_full)
	a "$CTL" vdev show "$DA" | comment
	check "flood: staged stays at most queue_max ($max <= $QMAX)" \
		test "$max" -le "$QMAX"
	check "flood: the stage filled up (staged $max = queue_max)" \
		test "$max" -eq "$QMAX"
	check "flood: the excess is counted in dropped_stage_full ($drop0 -> $drop1)" \
		test "$drop1" -gt "$drop0"
	check "flood: the carrier stays up while the daemon is only stopped" \
		carrier_is "$NA" "$DA" 1
	kill -CONT "$pid_a"
	check "flood: after SIGCONT the stage drains to 0" wait_until 60 sh -c \
		"[ \$(ip netns exec $NA '$CTL' vdev show $DA --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[\"staged\"])') -eq 0 ]"
	check "flood: ping works afterwards" a busybox ping -c 2 -W 5 "$TB"
}
flood_test

# --- rmmod with traffic ------------------------------------------------------------

rmmod_test() {
	local fpid
	if [ "$loaded_vdev" != 1 ]; then
		skip "rmmod pktpool_vdev with traffic" "pktpool_vdev was loaded before the test"
		return
	fi
	a python3 "$TRAFFIC" flood "$TB" 7040 100000 500 >/dev/null 2>&1 &
	fpid=$!
	bg+=("$fpid")
	b python3 "$TRAFFIC" flood "$TA" 7041 100000 500 >/dev/null 2>&1 &
	bg+=("$!")
	check "rmmod: traffic is flowing through $DA" wait_until 30 sh -c \
		"[ \$(ip netns exec $NA '$CTL' vdev show $DA --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[\"tx_packets\"])') -gt $(vdev_json "$NA" "$DA" tx_packets) ]"
	check "rmmod: rmmod pktpool_vdev with traffic running" rmmod pktpool_vdev
	loaded_vdev=0
	kill "$fpid" "${bg[-1]}" 2>/dev/null
	check "rmmod: no device left in $NA" sh -c "! ip netns exec $NA ip link show $DA"
	check "rmmod: no device left in $NB" sh -c "! ip netns exec $NB ip link show $DB"
	expect "rmmod: pktpoolctl vdev list says the module is gone" 1 \
		"pktpool_vdev module not loaded" "$CTL" vdev list
	kill "$pid_a" "$pid_b"
	check "rmmod: both daemons exit on SIGTERM" wait "$pid_a" "$pid_b"
	pid_a='' pid_b=''
	check "rmmod: region $RA can be destroyed" "$CTL" region destroy "$RA"
	check "rmmod: region $RB can be destroyed" "$CTL" region destroy "$RB"
	check "rmmod: no region left" sh -c \
		"[ \$('$CTL' region list --json | python3 -c 'import json,sys; print(len([r for r in json.load(sys.stdin) if r[\"name\"].startswith(\"ppvt-\")]))') -eq 0 ]"
	check "rmmod: pktpool_vdev loads again" insmod "$VKO"
	loaded_vdev=1
}
rmmod_test

finish
