#!/usr/bin/env bash
# The kernel-side benchmark: build pktpool.ko and bench/kernel/pktpool_bench.ko
# for the VM's kernel, boot it under QEMU (scripts/vm/run.sh), run
# bench/kernel/run-vm.sh there, and keep the report in build/bench/kernel.md
# (also printed). Arguments are pktpool_bench.ko parameters, e.g.
#
#   scripts/bench-kernel.sh rounds=16384 repeats=21
#
# It boots twice: once as Debian's kernel comes (init_on_alloc=1: the slab
# zeroes every object it hands out), once with init_on_alloc=0, and reports
# both. BENCH_KERNEL_CMDLINE="ARG ..." boots once, with those arguments on
# the guest kernel's command line instead.
#
# The VM runs under TCG: only the ratios in the report mean anything. On a
# real machine run bench/kernel/run-vm.sh directly (see its head).
#
# Exit status: 0 = report written and the guest kernel log clean; 1 = the
# run failed or the log is not clean; 2 = build or harness failure.
set -euo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$top"

# The kernel scripts/vm/run.sh boots: scripts/kver.sh decides for both.
KVER=$(scripts/kver.sh ${KVER:+"$KVER"}) || exit 2
export KVER
kdir=/lib/modules/$KVER/build

outdir=$top/build/bench
report=$outdir/kernel.md
buildlog=$outdir/kernel-build.log
mkdir -p "$outdir"

# ---- build -----------------------------------------------------------------
build() {
	if grep -Eq '^obj-m[[:space:]]*\+?=[[:space:]]*bench/kernel/?[[:space:]]*$' Kbuild; then
		# One pass over the tree: modpost resolves pktpool_* itself.
		make --no-print-directory KDIR="$kdir" module
		return
	fi
	# The top-level Kbuild does not list bench/kernel/ (yet): build the
	# benchmark on its own against pktpool's exported symbols.
	if [ ! -f kmod/Module.symvers ] || [ ! -f kmod/pktpool.ko ]; then
		make --no-print-directory -C "$kdir" M="$top/kmod" W=1 modules
	else
		echo "bench-kernel: using the existing build of kmod/" >&2
	fi
	make --no-print-directory -C "$kdir" M="$top/bench/kernel" \
		KBUILD_EXTRA_SYMBOLS="$top/kmod/Module.symvers" W=1 modules
}

echo "bench-kernel: building for $KVER (log: $buildlog)" >&2
if ! build >"$buildlog" 2>&1; then
	echo "bench-kernel: build failed:" >&2
	tail -n 30 "$buildlog" >&2
	exit 2
fi
if grep -E '(^|: )warning:' "$buildlog" >&2; then
	echo "bench-kernel: the build warned (above); measuring anyway" >&2
fi

# ---- run -------------------------------------------------------------------
verdict='^(not )?ok - (guest kernel log|vm:)|^# guest command exited with status '
raw=$(mktemp)
trap 'rm -f "$raw"' EXIT

# pass [KERNEL_ARG...]: one VM run; its report goes to stdout. Returns
# run.sh's exit status.
#
# Always without slub_debug on pktpool's size-class caches (the test
# default), so that pktpool and the kmem_cache peer sit on equally
# configured slabs.
pass() {
	local rc=0 c
	local args=(--timeout 600 --cmdline 'slub_debug=-,pktpool-*')

	for c in "$@"; do
		args+=(--cmdline "$c")
	done
	scripts/vm/run.sh "${args[@]}" -- bench/kernel/run-vm.sh \
		${params[@]+"${params[@]}"} >"$raw" || rc=$?
	# The report is the guest's output; run.sh's verdict lines follow it.
	awk -v re="$verdict" '$0 ~ re { exit } { print }' "$raw"
	if [ "$rc" -eq 0 ]; then
		printf '\nGuest kernel log clean (scripts/vm/run.sh).\n'
	else
		echo
		echo "The run did not end cleanly; scripts/vm/run.sh said:"
		echo
		awk -v re="$verdict" '$0 ~ re { on = 1 } on { print "    " $0 }' "$raw"
	fi
	return "$rc"
}

params=("$@")
rc=0
if [ -n "${BENCH_KERNEL_CMDLINE:-}" ]; then
	# shellcheck disable=SC2086 # split into kernel arguments on purpose
	pass $BENCH_KERNEL_CMDLINE >"$report" || rc=$?
else
	pass >"$report" || rc=$?
	{
		echo
		echo "## The same, with init_on_alloc=0"
		echo
		echo "Debian's kernel zeroes every slab object it hands out (CONFIG_INIT_ON_ALLOC_DEFAULT_ON), which pktpool's per-CPU cache does not do. Under TCG that zeroing (a rep stosb) is emulated one iteration at a time and costs far more, next to the rest of an allocation, than on hardware, so the table above overstates pktpool's lead. This second boot turns the zeroing off to compare the allocators' own paths."
		echo
	} >>"$report"
	# Its own title line and the blank line after it are left out.
	pass init_on_alloc=0 | sed '1,/^$/d' >>"$report" || rc=$?
fi
cat "$report"
echo "bench-kernel: report in ${report#"$top"/}" >&2
exit "$rc"
