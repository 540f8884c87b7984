#!/bin/sh
# make demo: runs inside the VM (scripts/vm/run.sh) from the repository.
# Loads pktpool with a firewall and a VPN pool, lets the test module
# allocate from them as a netfilter hook (softirq) and VPN code (process
# context) would, and shows the pools before, during and after; then a
# netfilter firewall and a capture on live veth traffic through regions.
set -eu

ctl=build/tools/pktpoolctl
test=build/selftests/pktpool_testctl

step() { printf '\n$ %s\n' "$*"; "$@"; }

echo "== pktpool demo on $(uname -r), $(nproc) CPUs (QEMU TCG) =="
step insmod kmod/pktpool.ko pools=fw:256:65536,vpn:1500:8192:64
step insmod selftests/kmod/pktpool_test.ko
step grep -E '^pktpool-' /proc/slabinfo
step $ctl version
step $ctl list

echo
echo "== a firewall hook takes 5000 buffers in softirq, VPN code 300 =="
step $test hold fw 5000 softirq atomic bulk
step $test hold vpn 300 process
step $ctl list
step $ctl show vpn

echo
echo "== a small pool hits its limit: 100 objects, 120 asked =="
step $ctl create tiny --size 64 --limit 100
step $test hold tiny 120 softirq atomic
step $ctl show tiny

echo
echo "== userspace: two processes share a region by name, pass buffers by index =="
step build/lib/examples/exchange demo-rx 10000

echo
echo "== the packet path: netfilter hands real packets to userspace in place =="
# A sender namespace, a veth pair; nftables marks UDP to 7001/7002, and
# two bindings on the input hook take the marked packets: a firewall
# (action queue, the verdict example drops 7002 and rewrites payload
# byte 10 of 7001) and, behind it, a capture of what it let through.
nft_demo() {
	nft -f - <<EOF
table inet ppdemo {
	chain pre {
		type filter hook prerouting priority -300; policy accept;
		udp dport { 7001, 7002 } meta mark set 0x7a
	}
}
EOF
}
# ready FILE: wait (up to 20 s) for a tool's "slots on the fill ring".
ready() {
	for _ in $(seq 200); do
		grep -q "slots on the fill ring" "$1" 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}
tmp=$(mktemp -d)
step insmod kmod/pktpool_nf.ko
modprobe veth
modprobe nf_tables
ip netns add ppdemo
ip link add ppdemo0 type veth peer name ppdemo1 netns ppdemo
ip addr add 10.77.0.2/24 dev ppdemo0
ip link set ppdemo0 up
ip -n ppdemo addr add 10.77.0.1/24 dev ppdemo1
ip -n ppdemo link set ppdemo1 up
nft_demo
step $ctl region create fw --slot-size 2048 --slots 256
step $ctl region create cap --slot-size 2048 --slots 256
fw_id=$($ctl nf bind fw --family ipv4 --hook input --mark 0x7a --action queue \
	--priority 0 --timeout 5000)
cap_id=$($ctl nf bind cap --family ipv4 --hook input --mark 0x7a --priority 10)
echo "firewall binding $fw_id (queue), capture binding $cap_id (copy)"
build/lib/examples/verdict -d 7002 -m 10:0xee -c 20 -t 60 fw 2>"$tmp/verdict" &
vpid=$!
build/tools/pktpool-capture -c 10 -t 60 -w "$tmp/after.pcap" cap 2>"$tmp/cap" &
cpid=$!
ready "$tmp/verdict"
ready "$tmp/cap"
step ip netns exec ppdemo build/selftests/nf_udp send -d 10.77.0.2 -p 7001,7002 \
	-n 20 -s 64 -r 200
wait "$vpid"
wait "$cpid"
cat "$tmp/verdict" "$tmp/cap"
step tcpdump -nr "$tmp/after.pcap" -c 4 -X
step $ctl nf list
step $ctl region show fw
step $ctl nf unbind "$fw_id"
step $ctl nf unbind "$cap_id"
step $ctl region destroy fw
step $ctl region destroy cap
nft delete table inet ppdemo
ip link del ppdemo0
ip netns del ppdemo
rm -rf "$tmp"
step rmmod pktpool_nf

echo
echo "== a VPN: two namespaces, pktpool devices, pktpool-vpn encrypting in the slots =="
# Namespaces ppvpn-a and ppvpn-b joined by a veth pair (the UDP underlay);
# in each a region, a pktpool device on it and a pktpool-vpn daemon with
# the same pre-shared key; then ping across the encrypted tunnel.
vpn_up() {	# NS DEV REGION TUNNEL_ADDR LISTEN PEER
	step ip netns exec "$1" $ctl vdev add "$2" --region "$3" --mtu 1420
	ip -n "$1" addr add "$4/24" dev "$2"
	ip -n "$1" link set "$2" up
	ip netns exec "$1" build/examples/vpn/pktpool-vpn --region "$3" \
		--ifname "$2" --key "$tmp/key" --listen "$5:51820" \
		--peer "$6:51820" 2>"$tmp/vpn-$1" &
}
tmp=$(mktemp -d)
step insmod kmod/pktpool_vdev.ko
ip netns add ppvpn-a
ip netns add ppvpn-b
ip link add ppvpn-ua netns ppvpn-a type veth peer name ppvpn-ub netns ppvpn-b
ip -n ppvpn-a addr add 192.168.77.1/24 dev ppvpn-ua
ip -n ppvpn-b addr add 192.168.77.2/24 dev ppvpn-ub
ip -n ppvpn-a link set ppvpn-ua up
ip -n ppvpn-b link set ppvpn-ub up
head -c 32 /dev/urandom >"$tmp/key"
chmod 600 "$tmp/key"
step $ctl region create vpn-a --slot-size 2048 --slots 256
step $ctl region create vpn-b --slot-size 2048 --slots 256
vpn_up ppvpn-a ppa vpn-a 10.78.0.1 192.168.77.1 192.168.77.2
apid=$!
vpn_up ppvpn-b ppb vpn-b 10.78.0.2 192.168.77.2 192.168.77.1
bpid=$!
for _ in $(seq 200); do
	[ "$(ip netns exec ppvpn-a cat /sys/class/net/ppa/carrier)" = 1 ] &&
	[ "$(ip netns exec ppvpn-b cat /sys/class/net/ppb/carrier)" = 1 ] && break
	sleep 0.1
done
step ip netns exec ppvpn-a busybox ping -c 5 10.78.0.2
step ip netns exec ppvpn-a $ctl vdev show ppa
step ip netns exec ppvpn-b $ctl vdev show ppb
kill "$apid" "$bpid"
wait "$apid" "$bpid" || true
echo "pktpool-vpn in ppvpn-a, at exit:"
grep -E '^(state|dev_packets|sent|received|forged|replayed)=' \
	"$tmp/vpn-ppvpn-a" | tail -6 || true
step ip netns exec ppvpn-a $ctl vdev list
ip netns del ppvpn-a
ip netns del ppvpn-b
step $ctl region destroy vpn-a
step $ctl region destroy vpn-b
rm -rf "$tmp"
step rmmod pktpool_vdev

echo
echo "== everything given back =="
step $test release fw
step $test release vpn
step $test release tiny
step $ctl destroy tiny
step $ctl list
step rmmod pktpool_test
step rmmod pktpool
echo
if grep -q '^pktpool-' /proc/slabinfo; then
	echo "pktpool caches left behind after rmmod!"
	exit 1
fi
echo "== rmmod left no pktpool cache behind =="
