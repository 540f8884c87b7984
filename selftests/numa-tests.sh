#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The check helpers are called indirectly, through check and expect.
# shellcheck disable=SC2317
#
# NUMA placement of pktpool's objects, in a guest with two nodes (make
# check boots one with scripts/vm/run.sh --numa and runs this after
# selftests/vm-tests.sh). As root, from the top of the tree, with the
# modules built; it loads and unloads them itself.
#
#   1. a pool created with --node 1 hands out objects that are on node 1;
#   2. when node 1 runs dry (the test module takes every page node 1 gives
#      without reclaim), the pool's allocations still succeed: the slab
#      falls back to node 0, and the pool counts no failure;
#   3. once node 1 has memory again, a new pool's objects are on node 1.
#      (The first pool's per-CPU caches may still hold node-0 objects from
#      the dry spell and hand them out again: a cache does not sort its
#      objects by node.)
#
# Output is TAP; exit status 0 iff every check passed.
set -u

KO=${PKTPOOL_KO:-kmod/pktpool.ko}
TKO=${PKTPOOL_TEST_KO:-selftests/kmod/pktpool_test.ko}
CTL=build/tools/pktpoolctl
TESTCTL=build/selftests/pktpool_testctl
# 4 KiB objects: the size class no other pool of the test uses, so that
# no partly used slab of another pool's on node 1 serves them.
SIZE=4096
N=64

tmp=$(mktemp -d /tmp/pktpool-numa-tests.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
# shellcheck source=selftests/tap.sh
. "$(dirname "$0")/tap.sh"

# node_count POOL NODE: "held on-node other-nodes" of the objects held.
node_count() {
	"$TESTCTL" run node_count "$1" "$2" |
		awk '$1 == "result" && $2 == 0 { print $4, $5, $6 }'
}

# placed POOL NODE HELD MIN: HELD objects held, at least MIN on NODE (and
# all of them when MIN is HELD).
placed() {
	local got held on other
	got=$(node_count "$1" "$2")
	read -r held on other <<<"$got"
	echo "held ${held:-?}, on node $2: ${on:-?}, elsewhere: ${other:-?}"
	[ "${held:-}" = "$3" ] && [ "${on:-0}" -ge "$4" ]
}

# away POOL NODE HELD MIN: of HELD objects, at least MIN not on NODE.
away() {
	local got held on other
	got=$(node_count "$1" "$2")
	read -r held on other <<<"$got"
	echo "held ${held:-?}, on node $2: ${on:-?}, elsewhere: ${other:-?}"
	[ "${held:-}" = "$3" ] && [ "${other:-0}" -ge "$4" ]
}

no_fails() {
	"$CTL" show "$1" >"$tmp/show" || return 1
	cat "$tmp/show"
	grep -Eq '^fails \(nomem\): +0$' "$tmp/show" &&
		grep -Eq '^fails \(limit\): +0$' "$tmp/show"
}

echo "TAP version 13"
echo "# pktpool NUMA tests on $(uname -r), nodes $(cat /sys/devices/system/node/online)"

if ! check "the guest has NUMA nodes 0 and 1" \
	grep -qx '0-1' /sys/devices/system/node/online; then
	echo "# cannot continue: boot with scripts/vm/run.sh --numa"
	finish
fi
check "insmod pktpool.ko" insmod "$KO"
check "insmod pktpool_test.ko" insmod "$TKO"

expect "pktpoolctl create --node 1" 0 "^created pool 'numa1'" \
	"$CTL" create numa1 --size "$SIZE" --node 1
expect "pktpoolctl show says node 1" 0 "^node: +1$" "$CTL" show numa1
expect "hold $N objects of the node-1 pool" 0 "^held $N$" \
	"$TESTCTL" hold numa1 "$N"
check "all $N objects of a --node 1 pool are on node 1" \
	placed numa1 1 "$N" "$N"

expect "run node 1 dry (the test module takes its free pages)" 0 \
	"^result 0 out [1-9][0-9]* " "$TESTCTL" run drain_node "" 1
comment <"$tmp/last"
expect "with node 1 dry, $((4 * N)) more objects are still handed out" 0 \
	"^held $((4 * N))$" "$TESTCTL" hold numa1 $((4 * N))
# Up to a per-CPU cache of node-1 objects and the free ones of node 1's
# last slabs may still serve; the rest has to come from node 0.
check "with node 1 dry, objects come from node 0 instead" \
	away numa1 1 $((5 * N)) "$N"
check "running node 1 dry failed no allocation of the pool" no_fails numa1

expect "give node 1 its pages back" 0 "^result 0 out [1-9][0-9]* " \
	"$TESTCTL" run undrain_node "" 1
expect "release every object" 0 "^released $((5 * N))$" \
	"$TESTCTL" release numa1
expect "pktpoolctl destroy numa1" 0 "^destroyed pool 'numa1'" \
	"$CTL" destroy numa1
expect "pktpoolctl create another pool with --node 1" 0 \
	"^created pool 'numa1b'" "$CTL" create numa1b --size "$SIZE" --node 1
expect "hold $N objects of it" 0 "^held $N$" "$TESTCTL" hold numa1b "$N"
check "with memory on node 1 again, its objects are on node 1" \
	placed numa1b 1 "$N" "$N"
expect "release them" 0 "^released $N$" "$TESTCTL" release numa1b
expect "pktpoolctl destroy numa1b" 0 "^destroyed pool 'numa1b'" \
	"$CTL" destroy numa1b
check "rmmod pktpool_test" rmmod pktpool_test
check "rmmod pktpool" rmmod pktpool
finish
