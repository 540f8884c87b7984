#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The check helpers are called indirectly, through check and expect.
# shellcheck disable=SC2317
#
# Which kernel is built for and booted (scripts/kver.sh), on the host: a
# complete kernel is found, a missing or half-installed one stops make and
# scripts/vm/run.sh with the package to install instead of going on with
# an empty path. Kernels are faked under a scratch root (PKTPOOL_SYSROOT).
# Run by make check from the top of the tree; TAP, exit status 0 iff all
# passed.
set -u

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 2
tmp=$(mktemp -d "${TMPDIR:-/tmp}/pktpool-kver-tests.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
# shellcheck source=selftests/tap.sh
. "$top/selftests/tap.sh"

sys=$tmp/root
full=9.9.0-1-amd64
nohdr=9.9.0-2-amd64
noimg=9.9.0-3-amd64
mkdir -p "$sys/boot" "$sys/lib/modules/$full/build" "$sys/lib/modules/$nohdr" \
	"$sys/lib/modules/$noimg/build"
touch "$sys/boot/vmlinuz-$full" "$sys/lib/modules/$full/modules.dep" \
	"$sys/lib/modules/$full/build/Makefile" \
	"$sys/boot/vmlinuz-$nohdr" "$sys/lib/modules/$nohdr/modules.dep" \
	"$sys/lib/modules/$noimg/build/Makefile"
export PKTPOOL_SYSROOT=$sys

# quiet_fail WANT CMD...: CMD exits non-zero, prints nothing on stdout and
# a line matching WANT on stderr.
quiet_fail() {
	local want=$1 rc=0
	shift
	"$@" >"$tmp/stdout" 2>"$tmp/stderr" || rc=$?
	cat "$tmp/stderr"
	[ "$rc" -ne 0 ] && [ ! -s "$tmp/stdout" ] && grep -Eq -- "$want" "$tmp/stderr"
}

echo "TAP version 13"
expect "kver.sh names the four Debian 12 kernels" 0 "^6\.12-rt$" \
	scripts/kver.sh --list
expect "kver.sh takes a complete kernel by its release" 0 "^$full$" \
	scripts/kver.sh "$full"
expect "kver.sh --kdir gives its build directory" 0 "^$sys/lib/modules/$full/build$" \
	scripts/kver.sh --kdir "$full"
expect "kver.sh takes KVER when given no kernel" 0 "^$full$" \
	env KVER="$full" scripts/kver.sh
check "kver.sh: an image without headers names the headers package" \
	quiet_fail "install linux-headers-$nohdr" scripts/kver.sh "$nohdr"
check "kver.sh: headers without an image name the image package" \
	quiet_fail "install linux-image-$noimg" scripts/kver.sh "$noimg"
check "kver.sh: a kernel that is not there at all says so" \
	quiet_fail "no /boot/vmlinuz-9\.9\.9-amd64" scripts/kver.sh 9.9.9-amd64
check "make module for a half-installed kernel fails with the reason" \
	quiet_fail "install linux-headers-$nohdr" \
	make --no-print-directory module KVER="$nohdr"
expect "run.sh for a half-installed kernel fails before booting, says why" 2 \
	"^# kver: kernel $nohdr: no build files" \
	env KVER="$nohdr" scripts/vm/run.sh -- true
finish
