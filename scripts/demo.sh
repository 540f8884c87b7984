#!/bin/sh
# make demo: runs inside the VM (scripts/vm/run.sh) from the repository.
# Loads pktpool with a firewall and a VPN pool, lets the test module
# allocate from them as a netfilter hook (softirq) and VPN code (process
# context) would, and shows the pools before, during and after.
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
