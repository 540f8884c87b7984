#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The one place that decides which kernel pktpool is built for and booted
# in: the Makefile, scripts/check.sh, scripts/vm/run.sh and the benchmark
# all ask here, so build and boot always get the same kernel release.
#
# Usage: scripts/kver.sh [--kdir] [KERNEL]
#   KERNEL  a name from scripts/kernels.sh (6.1, 6.1-rt, 6.12, 6.12-rt) or a
#           kernel release (6.1.0-57-amd64). Default: $KVER when set, else
#           the running kernel when its image and headers are installed
#           (a real machine), else the default Debian kernel (6.1).
#   --kdir  print the kernel's build directory instead of its release
#   --list  print the names of scripts/kernels.sh, one a line
#
# Prints the answer on stdout. When the kernel is missing or only half
# installed (image without headers, or the other way round) it says which
# package to install on stderr and exits 1. PKTPOOL_SYSROOT=DIR looks for
# /boot and /lib/modules under DIR instead (for selftests/kver-tests.sh).
set -euo pipefail

sys=${PKTPOOL_SYSROOT:-}
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=scripts/kernels.sh
. "$here/kernels.sh"

die() {
	echo "kver: $*" >&2
	exit 1
}

what=release
case ${1:-} in
--kdir) what=kdir; shift ;;
--list)
	for k in "${pktpool_kernels[@]}"; do
		echo "${k%% *}"
	done
	exit 0
	;;
-h | --help) sed -n '3,/^set -e/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
esac
[ "$#" -le 1 ] || die "usage: $0 [--kdir|--list] [KERNEL]"

want=${1:-${KVER:-}}
if [ -z "$want" ]; then
	run=$(uname -r)
	if [ -e "$sys/boot/vmlinuz-$run" ] && [ -e "$sys/lib/modules/$run/build/Makefile" ]; then
		want=$run
	else
		want=$pktpool_kernel_default
	fi
fi

# A name from the table: the kernel release its image metapackage depends
# on, as dpkg recorded it ("linux-image-6.1.0-57-amd64 (= ...)" or, for
# 6.12, "linux-image-6.12.117+deb12-amd64 (= ...)").
kver=$want
for k in "${pktpool_kernels[@]}"; do
	read -r name image headers <<<"$k"
	[ "$name" = "$want" ] || continue
	deps=$(dpkg-query -W -f='${Status} ${Depends}' "$image" 2>/dev/null) || deps=
	case $deps in
	*"ok installed"*) ;;
	*) die "kernel $name is not installed ($image missing); run scripts/deps.sh" ;;
	esac
	kver=$(printf '%s\n' "${deps#*installed}" | tr ',|' '\n' |
		sed -n 's/^ *linux-image-\([0-9][^ ]*\).*/\1/p' |
		sed 's/-unsigned$//' | head -n 1)
	[ -n "$kver" ] || die "kernel $name: cannot tell the release $image depends on"
	dpkg-query -W -f='${Status}' "$headers" 2>/dev/null | grep -q 'ok installed' ||
		die "kernel $name ($kver): $headers missing; run scripts/deps.sh"
	break
done

case $kver in
*/* | '') die "not a kernel: '$want'" ;;
esac
# Both halves, whatever named the kernel: an image without headers cannot
# build the module, headers without an image cannot boot it.
[ -r "$sys/boot/vmlinuz-$kver" ] ||
	die "kernel $kver: no /boot/vmlinuz-$kver (install linux-image-$kver, or run scripts/deps.sh)"
[ -r "$sys/lib/modules/$kver/modules.dep" ] ||
	die "kernel $kver: no /lib/modules/$kver/modules.dep (reinstall linux-image-$kver)"
[ -r "$sys/lib/modules/$kver/build/Makefile" ] ||
	die "kernel $kver: no build files in /lib/modules/$kver/build (install linux-headers-$kver, or run scripts/deps.sh)"

if [ "$what" = kdir ]; then
	echo "$sys/lib/modules/$kver/build"
else
	echo "$kver"
fi
