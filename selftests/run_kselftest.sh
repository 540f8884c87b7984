#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# make -C selftests run_tests: run every pktpool selftest program on this
# machine the way kselftest's runner does, for a kernel that can load
# pktpool.ko (a real machine, or a guest). TAP 13 with one result per
# program, "# selftests: pktpool: NAME" before its output; exit 0 when
# all passed, 4 (KSFT_SKIP) when nothing could run, 1 otherwise.
#
# The module: the one loaded already, else DKMS's (modprobe pktpool),
# else kmod/pktpool.ko of this tree; the test module pktpool_test.ko the
# same way, and pktpool_alloc_test is skipped without it. What this
# script loaded it unloads. Usage: run_kselftest.sh [DIR of the programs]
set -u

here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here/../build/selftests}
timeout=$(sed -n 's/^timeout=//p' "$here/settings" 2>/dev/null)
timeout=${timeout:-900}
loaded=()

echo "TAP version 13"
if [ "$(id -u)" -ne 0 ]; then
	echo "1..0 # SKIP pktpool selftests need root"
	exit 4
fi

# load NAME KO: the module loaded, by modprobe or from the tree's KO.
load() {
	grep -q "^$1 " /proc/modules && return 0
	if modprobe -q "$1" 2>/dev/null ||
	   { [ -f "$2" ] && insmod "$2" 2>/dev/null; }; then
		loaded=("$1" "${loaded[@]}")
		return 0
	fi
	return 1
}

if ! load pktpool "$here/../kmod/pktpool.ko"; then
	echo "1..0 # SKIP pktpool.ko is neither loaded nor loadable"
	exit 4
fi
have_test=1
load pktpool_test "$here/kmod/pktpool_test.ko" || have_test=0

progs=()
for p in "$out"/pktpool_*_test; do
	[ -x "$p" ] && progs+=("$p")
done
echo "1..${#progs[@]}"
n=0
rc=0
for p in "${progs[@]}"; do
	n=$((n + 1))
	name=${p##*/}
	echo "# selftests: pktpool: $name"
	if [ "$name" = pktpool_alloc_test ] && [ "$have_test" = 0 ]; then
		echo "ok $n selftests: pktpool: $name # SKIP pktpool_test.ko not loadable"
		continue
	fi
	timeout -k 10 "$timeout" "$p" </dev/null 2>&1 | sed 's/^/# /'
	st=${PIPESTATUS[0]}
	case $st in
	0) echo "ok $n selftests: pktpool: $name" ;;
	4) echo "ok $n selftests: pktpool: $name # SKIP" ;;
	124) echo "not ok $n selftests: pktpool: $name # TIMEOUT $timeout seconds"
	     rc=1 ;;
	*) echo "not ok $n selftests: pktpool: $name # exit=$st"
	   rc=1 ;;
	esac
done

for m in "${loaded[@]}"; do
	rmmod "$m" || rc=1
done
exit "$rc"
