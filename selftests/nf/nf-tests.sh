#!/usr/bin/env bash
# The packet path with real traffic, in the guest (root, pktpool built):
#   scripts/vm/run.sh -- selftests/nf/nf-tests.sh
# While pktpool_nf.ko is not built (or pktpoolctl has no "nf" command) it
# tests only the network and the traffic and SKIPs the bindings; not as
# root it SKIPs everything. Loads pktpool.ko and pktpool_nf.ko when they
# are not loaded yet, and unloads what it loaded.
#
# Network: a sender namespace joined by a veth pair to the receiver's.
# The receiver side is the initial namespace by default, so the bindings
# see the traffic whichever namespace pktpool_nf hooks; NF_RECV_NS=NAME
# puts the receiver in its own namespace (bindings made from inside it).
# nftables marks our UDP ports (0x7a) at prerouting; bindings select that
# mark on the input hook.
#
# 1. ping and ping6 through the pair;
# 2. copy mode, IPv4 and IPv6: pktpool-capture's pcap holds every datagram
#    nf_udp sent, byte for byte, in order; tcpdump reads it; the receiver
#    still gets them all, unchanged, in order;
# 3. queue mode: the verdict example drops UDP port 7002 and rewrites
#    payload byte 10 of the rest; a copy binding behind it (higher
#    priority number) captures the result: no 7002 datagram ever arrives,
#    every 7001 one arrives modified, in order, and the captured copies
#    have valid IP and UDP checksums; ping still works meanwhile.
# Environment: NF_COUNT (datagrams per test, 400), NF_RATE (per second,
# 400), NF_SIZE (payload bytes, 200), PKTPOOL_KO, PKTPOOL_NF_KO, PKTPOOL_CTL.
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
KO=${PKTPOOL_KO:-$top/kmod/pktpool.ko}
NFKO=${PKTPOOL_NF_KO:-}
if [ -z "$NFKO" ]; then
	for c in kmod/pktpool_nf.ko nf/pktpool_nf.ko kmod/nf/pktpool_nf.ko; do
		[ -e "$top/$c" ] && NFKO=$top/$c && break
	done
fi
CTL=${PKTPOOL_CTL:-$top/build/tools/pktpoolctl}
CAP=$top/build/tools/pktpool-capture
VERDICT=$top/build/lib/examples/verdict
UDP=$top/build/selftests/nf_udp
CHECK=$here/nf_check.py
N=${NF_COUNT:-400}
RATE=${NF_RATE:-400}
SIZE=${NF_SIZE:-200}
NS=ppnf-send
RNS=${NF_RECV_NS:-}
MARK=0x7a

skip_all() { echo "1..0 # SKIP $1"; exit 0; }

[ "$(id -u)" -eq 0 ] || skip_all "needs root: scripts/vm/run.sh -- $0"
for f in "$CTL" "$CAP" "$VERDICT" "$UDP"; do
	[ -e "$f" ] || skip_all "$f not built (make)"
done
for c in ip nft python3; do
	command -v "$c" >/dev/null || skip_all "$c not installed (scripts/deps.sh)"
done

tmp=$(mktemp -d /tmp/pktpool-nf-tests.XXXXXX)
n=0 failed=0 loaded_pp=0 loaded_nf=0
pids=() binds=() regions=()

ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; }
comment() { sed 's/^/# /'; }
# check NAME CMD...: one TAP line; CMD's output as comments when it fails.
check() {
	local what=$1
	shift
	if "$@" >"$tmp/check.out" 2>&1; then
		ok "$what"
	else
		not_ok "$what"
		comment <"$tmp/check.out"
	fi
}
# In the receiver's namespace.
rx() { if [ -n "$RNS" ]; then ip netns exec "$RNS" "$@"; else "$@"; fi; }
tx() { ip netns exec "$NS" "$@"; }

# wait_for FILE [PATTERN]: up to 20 s for FILE to exist (and match).
wait_for() {
	for _ in $(seq 200); do
		if [ -e "$1" ] && { [ $# -lt 2 ] || grep -q "$2" "$1"; }; then
			return 0
		fi
		sleep 0.1
	done
	return 1
}

cleanup() {
	local p b r
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
	wait 2>/dev/null
	for b in "${binds[@]}"; do rx "$CTL" nf unbind "$b" >/dev/null 2>&1; done
	for r in "${regions[@]}"; do "$CTL" region destroy "$r" >/dev/null 2>&1; done
	rx nft delete table inet ppnf >/dev/null 2>&1
	ip link del ppnf0 >/dev/null 2>&1
	ip netns del "$NS" >/dev/null 2>&1
	[ -n "$RNS" ] && ip netns del "$RNS" >/dev/null 2>&1
	[ "$loaded_nf" = 1 ] && rmmod pktpool_nf
	[ "$loaded_pp" = 1 ] && rmmod pktpool
	rm -rf "$tmp"
}
trap cleanup EXIT

echo "TAP version 13"

# --- modules, tools -------------------------------------------------------

# Without pktpool_nf.ko only the network and the traffic are tested.
nf_missing=
if [ -z "$NFKO" ]; then
	nf_missing="pktpool_nf.ko not built"
elif [ ! -e "$KO" ]; then
	nf_missing="$KO not built (make)"
else
	if [ ! -c /dev/pktpool ]; then
		insmod "$KO" || { echo "Bail out! insmod $KO failed"; exit 1; }
		loaded_pp=1
	fi
	if ! grep -q '^pktpool_nf ' /proc/modules; then
		insmod "$NFKO" || { echo "Bail out! insmod $NFKO failed"; exit 1; }
		loaded_nf=1
	fi
	"$CTL" nf list >/dev/null 2>&1
	[ $? -eq 2 ] && nf_missing="pktpoolctl has no nf command yet"
fi
modprobe veth 2>/dev/null
modprobe nf_tables 2>/dev/null

# bind REGION ARGS...: make a binding and print its id (the caller
# remembers it in binds: this runs in a command substitution).
bind() {
	local out id st
	out=$(rx "$CTL" nf bind "$@" 2>&1)
	st=$?
	[ "$st" -eq 0 ] || { echo "$out" >&2; return "$st"; }
	id=$(echo "$out" | grep -oE '\bid:? *[0-9]+' | grep -oE '[0-9]+' | head -n 1)
	[ -n "$id" ] || id=$(echo "$out" | grep -oE '[0-9]+' | tail -n 1)
	[ -n "$id" ] || { echo "no binding id in: $out" >&2; return 1; }
	echo "$id"
}

unbind() {
	local b keep=()
	rx "$CTL" nf unbind "$1" || return 1
	for b in "${binds[@]}"; do [ "$b" = "$1" ] || keep+=("$b"); done
	binds=(${keep[@]+"${keep[@]}"})
}

region() {
	"$CTL" region create "$1" --slot-size 2048 --slots 512 >/dev/null || return 1
	regions+=("$1")
}

region_gone() {
	local r keep=()
	"$CTL" region destroy "$1" || return 1
	for r in "${regions[@]}"; do [ "$r" = "$1" ] || keep+=("$r"); done
	regions=(${keep[@]+"${keep[@]}"})
}

# --- network ----------------------------------------------------------------

net_setup() {
	ip netns add "$NS" || return 1
	if [ -n "$RNS" ]; then ip netns add "$RNS" || return 1; fi
	ip link add ppnf0 type veth peer name ppnf1 netns "$NS" || return 1
	[ -n "$RNS" ] && { ip link set ppnf0 netns "$RNS" || return 1; }
	rx ip addr add 10.99.0.2/24 dev ppnf0 &&
	rx ip -6 addr add fd99::2/64 dev ppnf0 nodad &&
	rx ip link set ppnf0 up && rx ip link set lo up &&
	tx ip addr add 10.99.0.1/24 dev ppnf1 &&
	tx ip -6 addr add fd99::1/64 dev ppnf1 nodad &&
	tx ip link set ppnf1 up && tx ip link set lo up
}

mark_setup() {
	rx nft -f - <<EOF
table inet ppnf {
	chain pre {
		type filter hook prerouting priority -300; policy accept;
		udp dport { 7001, 7002, 7003 } meta mark set $MARK
	}
}
EOF
}

ping_ok() { tx busybox ping -c 2 -W 5 "$1"; }
ping6_ok() { tx busybox ping6 -c 2 -W 5 "$1"; }

check "veth pair between namespaces" net_setup
check "nftables marks the test's UDP ports with $MARK" mark_setup
check "ping through the pair" ping_ok 10.99.0.2
check "ping6 through the pair" ping6_ok fd99::2

# plain_test: the traffic itself, with no binding: all of it arrives.
plain_test() {
	local rpid
	rm -f "$tmp/ready"
	rx "$UDP" recv -p 7001,7002 -n "$N" -s "$SIZE" -t 5000 -R "$tmp/ready" \
		>"$tmp/recv.out" 2>&1 &
	rpid=$!
	pids+=("$rpid")
	wait_for "$tmp/ready"
	check "no binding: nf_udp sent $N datagrams alternating 7001 and 7002" \
		tx "$UDP" send -d 10.99.0.2 -p 7001,7002 -n "$N" -s "$SIZE" -r "$RATE"
	wait "$rpid"
	comment <"$tmp/recv.out"
	check "no binding: every datagram arrives, unchanged, in order" \
		grep -q "^port 7001 received $((N / 2)) in-order 1 bad 0 modified 0$" "$tmp/recv.out"
}
plain_test

if [ -n "$nf_missing" ]; then
	ok "copy and queue bindings # SKIP $nf_missing"
	echo "1..$n"
	[ "$failed" -eq 0 ]
	exit
fi

# --- copy -------------------------------------------------------------------

# copy_test FAMILY SRC DST PORT
copy_test() {
	local fam=$1 src=$2 dst=$3 port=$4 r=ppnf-copy id cpid rpid
	local pcap=$tmp/copy-$fam.pcap

	echo "# --- copy mode, $fam"
	check "copy $fam: region $r created" region "$r"
	if ! id=$(bind "$r" --family "$fam" --hook input --mark "$MARK/0xffffffff" \
		--snaplen 2048 --action copy --priority 0 2>"$tmp/bind.err"); then
		not_ok "copy $fam: bind $r (input, mark $MARK, copy)"
		comment <"$tmp/bind.err"
		region_gone "$r" >/dev/null 2>&1
		return
	fi
	binds+=("$id")
	ok "copy $fam: bind $r (input, mark $MARK, copy): binding $id"
	"$CAP" -c "$N" -t 120 -w "$pcap" "$r" 2>"$tmp/cap.err" &
	cpid=$!
	pids+=("$cpid")
	check "copy $fam: pktpool-capture stocked the fill ring" \
		wait_for "$tmp/cap.err" "slots on the fill ring"
	rm -f "$tmp/ready"
	rx "$UDP" recv -p "$port" -n "$N" -s "$SIZE" -t 5000 -R "$tmp/ready" \
		>"$tmp/recv.out" 2>&1 &
	rpid=$!
	pids+=("$rpid")
	wait_for "$tmp/ready"
	check "copy $fam: nf_udp sent $N datagrams to $dst:$port" \
		tx "$UDP" send -d "$dst" -p "$port" -n "$N" -s "$SIZE" -r "$RATE"
	wait "$cpid"
	check "copy $fam: pktpool-capture got $N packets and exited 0" test $? -eq 0
	comment <"$tmp/cap.err"
	wait "$rpid"
	comment <"$tmp/recv.out"
	check "copy $fam: the capture is byte for byte what was sent, in order" \
		python3 "$CHECK" "$pcap" --src "$src" --dst "$dst" --cycle "$port" \
		--keep "$port" --sent "$N" --size "$SIZE"
	if command -v tcpdump >/dev/null; then
		check "copy $fam: tcpdump -r reads $N packets" \
			sh -c "[ \$(tcpdump -r '$pcap' -nn 2>/dev/null | wc -l) -eq $N ]"
	fi
	check "copy $fam: every datagram still arrives, unchanged, in order" \
		grep -q "^port $port received $N in-order 1 bad 0 modified 0$" "$tmp/recv.out"
	rx "$CTL" nf list 2>&1 | comment
	"$CTL" region show "$r" 2>&1 | comment
	check "copy $fam: unbind $id" unbind "$id"
	check "copy $fam: region $r destroyed" region_gone "$r"
}

copy_test ipv4 10.99.0.1 10.99.0.2 7001
copy_test ipv6 fd99::1 fd99::2 7003

# --- queue --------------------------------------------------------------

unbind_both() { unbind "$1" && unbind "$2"; }

queue_test() {
	local q=ppnf-queue a=ppnf-after qid aid vpid cpid rpid half=$((N / 2))

	echo "# --- queue mode: verdict drops 7002, rewrites byte 10 of 7001"
	check "queue: regions $q and $a created" sh -c \
		"'$CTL' region create $q --slot-size 2048 --slots 512 >/dev/null &&
		 '$CTL' region create $a --slot-size 2048 --slots 512 >/dev/null"
	regions+=("$q" "$a")
	qid=$(bind "$q" --family ipv4 --hook input --mark "$MARK/0xffffffff" \
		--snaplen 2048 --action queue --priority 0 --timeout 60000 2>"$tmp/bind.err")
	if [ $? -eq 2 ]; then
		# a usage error: this pktpoolctl/pktpool_nf has no queue action
		comment <"$tmp/bind.err"
		ok "queue mode # SKIP pktpoolctl nf bind takes no --action queue yet"
		"$CTL" region destroy "$q" >/dev/null 2>&1
		"$CTL" region destroy "$a" >/dev/null 2>&1
		regions=()
		return
	fi
	[ -n "$qid" ] && binds+=("$qid")
	aid=$(bind "$a" --family ipv4 --hook input --mark "$MARK/0xffffffff" \
		--snaplen 2048 --action copy --priority 10 2>>"$tmp/bind.err")
	[ -n "$aid" ] && binds+=("$aid")
	if [ -z "$qid" ] || [ -z "$aid" ]; then
		not_ok "queue: bind $q (queue, priority 0) and $a (copy, priority 10)"
		comment <"$tmp/bind.err"
		return
	fi
	ok "queue: bind $q (queue, priority 0: $qid) and $a (copy, priority 10: $aid)"
	"$VERDICT" -d 7002 -m 10:0xee -c "$N" -t 120 "$q" 2>"$tmp/verdict.err" &
	vpid=$!
	pids+=("$vpid")
	check "queue: the verdict example stocked the fill ring" \
		wait_for "$tmp/verdict.err" "slots on the fill ring"
	"$CAP" -c "$half" -t 120 -w "$tmp/after.pcap" "$a" 2>"$tmp/cap.err" &
	cpid=$!
	pids+=("$cpid")
	check "queue: pktpool-capture behind it stocked its fill ring" \
		wait_for "$tmp/cap.err" "slots on the fill ring"
	check "queue: ping works while UDP is queued" ping_ok 10.99.0.2
	rm -f "$tmp/ready"
	rx "$UDP" recv -p 7001,7002 -n "$half" -s "$SIZE" -t 3000 -m 10:0xee \
		-R "$tmp/ready" >"$tmp/recv.out" 2>&1 &
	rpid=$!
	pids+=("$rpid")
	wait_for "$tmp/ready"
	check "queue: nf_udp sent $N datagrams alternating 7001 and 7002" \
		tx "$UDP" send -d 10.99.0.2 -p 7001,7002 -n "$N" -s "$SIZE" -r "$RATE"
	wait "$vpid"
	check "queue: the verdict example judged $N packets and exited 0" test $? -eq 0
	comment <"$tmp/verdict.err"
	check "queue: $half dropped and $half modified" \
		grep -q "^$N packets: $half dropped, $half modified, 0 accepted" "$tmp/verdict.err"
	wait "$cpid"
	check "queue: pktpool-capture after the verdict got $half packets" test $? -eq 0
	comment <"$tmp/cap.err"
	wait "$rpid"
	comment <"$tmp/recv.out"
	check "queue: no datagram to the dropped port 7002 arrives" \
		grep -q "^port 7002 received 0 " "$tmp/recv.out"
	check "queue: every 7001 datagram arrives modified, in order" \
		grep -q "^port 7001 received $half in-order 1 bad 0 modified $half$" "$tmp/recv.out"
	check "queue: after the verdict the packets are modified, with valid checksums" \
		python3 "$CHECK" "$tmp/after.pcap" --src 10.99.0.1 --dst 10.99.0.2 \
		--cycle 7001,7002 --keep 7001 --sent "$N" --size "$SIZE" \
		--mod 10:0xee --csum
	rx "$CTL" nf list 2>&1 | comment
	check "queue: unbind $qid and $aid" unbind_both "$qid" "$aid"
	check "queue: regions destroyed" sh -c \
		"'$CTL' region destroy $q && '$CTL' region destroy $a"
	regions=()
}

queue_test

# waiting BINDING: packets waiting in a queue binding now.
waiting() {
	rx "$CTL" --json nf list | python3 -c '
import json, sys
print(next(b["waiting"] for b in json.load(sys.stdin) if b["id"] == int(sys.argv[1])))' "$1"
}

# rmmod_test: pktpool_nf goes while packets wait for a verdict that never
# comes and their slots sit on the rx ring of a mapped-by-nobody region;
# nothing is left behind and the module comes back.
rmmod_test() {
	local q=ppnf-rm id w

	echo "# --- rmmod pktpool_nf with packets waiting"
	if [ "$loaded_nf" != 1 ]; then
		ok "rmmod with packets waiting # SKIP pktpool_nf was loaded before the test"
		return
	fi
	check "rmmod: region $q created" region "$q"
	id=$(bind "$q" --family ipv4 --hook input --mark "$MARK/0xffffffff" \
		--action queue --timeout 600000 2>"$tmp/bind.err") ||
		{ not_ok "rmmod: bind $q (queue)"; comment <"$tmp/bind.err"; return; }
	binds+=("$id")
	# pktpool-capture stocks the fill ring and leaves after a second of
	# no traffic: the kernel has the slots, and nobody gives verdicts.
	check "rmmod: pktpool-capture stocked the fill ring and left" \
		"$CAP" -t 1 -w /dev/null "$q"
	check "rmmod: nf_udp sent 50 datagrams that wait" \
		tx "$UDP" send -d 10.99.0.2 -p 7001 -n 50 -s "$SIZE" -r "$RATE"
	w=$(waiting "$id")
	check "rmmod: 50 packets wait for a verdict (waiting: $w)" test "$w" = 50
	check "rmmod: rmmod pktpool_nf with packets waiting" rmmod pktpool_nf
	binds=()
	loaded_nf=0
	check "rmmod: pktpool_nf loads again" insmod "$NFKO"
	loaded_nf=1
	check "rmmod: region $q destroyed" region_gone "$q"
}

[ -z "$nf_missing" ] && rmmod_test

check "no binding left" sh -c "[ -z \"\$('$CTL' nf list 2>/dev/null | grep -E '^ *[0-9]+')\" ]"

echo "1..$n"
[ "$failed" -eq 0 ]
