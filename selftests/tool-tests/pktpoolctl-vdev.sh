#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The check helpers are called indirectly, through check and expect.
# shellcheck disable=SC2317
#
# pktpoolctl vdev without the device: every argument is checked before
# the pktpool_vdev family is looked up, so usage errors (exit 2, with the
# reason) are the same with or without the module; without it, each
# command says that the module is not loaded (exit 1).
#
# Runs on the host (scripts/check.sh, stage vdev-args) and in the guest
# with the other tool tests; where pktpool_vdev.ko is loaded the checks
# of its absence are skipped. TAP on stdout; exit 0 iff all passed.
set -u

top=$(cd "$(dirname "$0")/../.." && pwd)
CTL=${PKTPOOLCTL:-$top/build/tools/pktpoolctl}
tmp=$(mktemp -d /tmp/pktpoolctl-vdev.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
# shellcheck source=selftests/tap.sh
. "$(dirname "$0")/../tap.sh"

echo "TAP version 13"
if [ ! -x "$CTL" ]; then
	skip "pktpoolctl vdev arguments" "$CTL not built (make tools)"
	finish
fi

usage="usage: pktpoolctl vdev add IFNAME --region REGION"

# Usage errors: exit 2, one line saying what is wrong.
expect "vdev without a subcommand is a usage error" 2 \
	"usage: pktpoolctl vdev add\|del\|list\|show" "$CTL" vdev
expect "vdev with an unknown subcommand names it" 2 \
	"unknown vdev command 'frob' \(add, del, list or show\)" "$CTL" vdev frob
expect "vdev add without a name is a usage error" 2 "$usage" \
	"$CTL" vdev add --region r
expect "vdev add with two names is a usage error" 2 "$usage" \
	"$CTL" vdev add a b --region r
expect "vdev add without --region says so" 2 "vdev add needs --region REGION" \
	"$CTL" vdev add vpn0
expect "vdev add refuses an invalid region name" 2 "invalid region name 'Bad'" \
	"$CTL" vdev add vpn0 --region Bad
expect "vdev add refuses a 16-character interface name" 2 \
	"invalid interface name 'abcdefghijklmnop': 1\.\.15 characters" \
	"$CTL" vdev add abcdefghijklmnop --region r
expect "vdev add refuses a '/' in the interface name" 2 \
	"invalid interface name 'a/b'" "$CTL" vdev add a/b --region r
expect "vdev add refuses a name template (%d)" 2 \
	"invalid interface name 'pp%d'" "$CTL" vdev add 'pp%d' --region r
expect "vdev add refuses an empty interface name" 2 \
	"invalid interface name ''" "$CTL" vdev add '' --region r
expect "vdev add refuses --mtu below 68" 2 \
	"invalid number for --mtu: '67' \(68 up to the region's slot size\)" \
	"$CTL" vdev add vpn0 --region r --mtu 67
expect "vdev add refuses --mtu above 65536" 2 "invalid number for --mtu: '65537'" \
	"$CTL" vdev add vpn0 --region r --mtu 65537
expect "vdev add refuses trailing garbage in --mtu" 2 \
	"invalid number for --mtu: '1400x'" "$CTL" vdev add vpn0 --region r --mtu 1400x
expect "vdev add refuses a negative --mtu" 2 "invalid number for --mtu: '-1400'" \
	"$CTL" vdev add vpn0 --region r --mtu -1400
expect "vdev add refuses --queue-max 0" 2 \
	"invalid number for --queue-max: '0' \(1\.\.65536\)" \
	"$CTL" vdev add vpn0 --region r --queue-max 0
expect "vdev add refuses --queue-max 65537" 2 \
	"invalid number for --queue-max: '65537'" \
	"$CTL" vdev add vpn0 --region r --queue-max 65537
expect "vdev add refuses a policy other than tail or head" 2 \
	"--policy: tail or head, not 'middle'" \
	"$CTL" vdev add vpn0 --region r --policy middle
expect "vdev add refuses an unknown option" 2 "$usage" \
	"$CTL" vdev add vpn0 --region r --frob
expect "vdev del without a name is a usage error" 2 \
	"usage: pktpoolctl vdev del IFNAME" "$CTL" vdev del
expect "vdev del takes no options" 2 "usage: pktpoolctl vdev del IFNAME" \
	"$CTL" vdev del --force vpn0
expect "vdev del refuses an invalid interface name" 2 \
	"invalid interface name 'a b'" "$CTL" vdev del 'a b'
expect "vdev list takes no name" 2 "usage: pktpoolctl vdev list \[--json\]" \
	"$CTL" vdev list vpn0
expect "vdev show needs a name" 2 "usage: pktpoolctl vdev show IFNAME \[--json\]" \
	"$CTL" vdev show
expect "vdev show refuses an invalid interface name" 2 \
	"invalid interface name 'a:b'" "$CTL" vdev show a:b --json

# Help: exit 0.
expect "vdev add --help prints its usage" 0 \
	"^Usage: pktpoolctl vdev add IFNAME --region REGION \[--mtu N\] \[--queue-max N\] \[--policy tail\|head\]$" \
	"$CTL" vdev add --help
expect "vdev help lists the four subcommands" 0 "pktpoolctl vdev show IFNAME" \
	"$CTL" vdev help
expect "pktpoolctl --help lists the vdev commands" 0 \
	"^  vdev add IFNAME --region R" "$CTL" --help

# Without the module: a clear message, exit 1, for every subcommand.
absent="^pktpoolctl: pktpool_vdev module not loaded: the generic netlink family 'pktpool_vdev' is missing"
if grep -q '^pktpool_vdev ' /proc/modules 2>/dev/null; then
	skip "without pktpool_vdev, every vdev command says so" \
		"pktpool_vdev is loaded here"
else
	expect "vdev list without the module says it is not loaded" 1 "$absent" \
		"$CTL" vdev list
	expect "vdev list --json without the module writes no JSON" 1 "$absent" \
		"$CTL" --json vdev list
	"$CTL" --json vdev list >"$tmp/stdout" 2>/dev/null
	check "vdev list --json without the module leaves stdout empty" \
		test ! -s "$tmp/stdout"
	expect "vdev show without the module says it is not loaded" 1 "$absent" \
		"$CTL" vdev show lo
	expect "vdev add without the module says it is not loaded" 1 "$absent" \
		"$CTL" vdev add vpn0 --region r --mtu 1400 --queue-max 64 --policy head
	expect "vdev del without the module says it is not loaded" 1 "$absent" \
		"$CTL" vdev del lo
fi
finish
