#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# make bench: pktpool against its peers, in one run on this machine.
#
#   1. the kernel benchmark in a QEMU guest (scripts/bench-kernel.sh):
#      build/bench/kernel.md
#   2. the userspace benchmark (bench/): libpktpool, DPDK rte_mempool,
#      a mutex free list, glibc, jemalloc, mimalloc, tcmalloc:
#      build/bench/lib.md, lib-SIZE.tsv
#   3. instructions per operation under callgrind: instr.md, instr-SIZE.tsv
#   4. build/bench/results.md: the machine, every target met or short, and
#      the three reports; PNG plots beside it (scripts/bench-plot.sh)
# then prints results.md and lists the PNGs.
#
# BENCH_QUICK=1: a tenth of the userspace work, 3 rounds (a smoke run).
# BENCH_KERNEL=0: skip the kernel benchmark (results.md keeps an older
# kernel.md if there is one, and says so). BENCH_NF=0: skip the packet
# path benchmark (bench/nf/nf-bench.sh, in a guest: build/bench/nf.md).
# BENCH_VDEV=0: skip the VPN device benchmark (bench/vdev/vdev-bench.sh,
# in a guest: build/bench/vdev.md).
#
# Exit status: 0 when every part ran (targets short are reported, not
# failures), 1 when a part failed (what ran is still reported), 2 when the
# build failed.
set -euo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$top"
out=$top/build/bench
mkdir -p "$out"
t_start=$(date +%s)
rc=0

step() { printf '\nbench: %s\n' "$*" >&2; }

# ---- build -----------------------------------------------------------------
step "building libpktpool and the userspace benchmark"
if ! { make --no-print-directory -C lib BUILD="$top/build/lib" &&
       make --no-print-directory -C bench BUILD="$out" \
		LIBBUILD="$top/build/lib"; } >"$out/build.log" 2>&1; then
	tail -n 30 "$out/build.log" >&2
	echo "bench: build failed (log: build/bench/build.log)" >&2
	exit 2
fi
for b in jemalloc mimalloc tcmalloc; do
	[ -x "$out/bench-$b" ] ||
		echo "bench: bench-$b not built: its Debian -dev package is missing (scripts/deps.sh)" >&2
done

# ---- kernel ----------------------------------------------------------------
kernel_note=
if [ "${BENCH_KERNEL:-1}" != 0 ]; then
	step "kernel benchmark in a QEMU guest (log: build/bench/kernel.log)"
	if ! scripts/bench-kernel.sh >"$out/kernel.log" 2>&1; then
		rc=1
		kernel_note="The kernel benchmark did not end cleanly (build/bench/kernel.log)."
		tail -n 15 "$out/kernel.log" >&2
	fi
else
	kernel_note="Kernel benchmark skipped (BENCH_KERNEL=0): kernel.md is from an earlier run."
fi

# ---- packets to userspace ---------------------------------------------------
# bench/nf/nf-bench.sh in a guest: AF_PACKET, NFLOG, NFQUEUE and the
# pktpool packet path on the same traffic (BENCH_NF=0 skips it).
rm -f "$out/nf.md"
if [ "${BENCH_NF:-1}" != 0 ]; then
	step "packets to userspace in a QEMU guest (log: build/bench/nf.log)"
	if { make --no-print-directory -C bench BUILD="$out" nf &&
	     make --no-print-directory -C tools BUILD="$top/build" &&
	     make --no-print-directory -C selftests BUILD="$top/build" \
		"$top/build/selftests/nf_udp"; } >>"$out/build.log" 2>&1 &&
	   scripts/vm/run.sh -- "$top/bench/nf/nf-bench.sh" >"$out/nf.log" 2>&1; then
		{
			echo "## Packets to userspace (guest, bench/nf/nf-bench.sh)"
			echo
			grep '^|' "$out/nf.log"
		} >"$out/nf.md"
	else
		rc=1
		tail -n 15 "$out/nf.log" >&2
	fi
fi

# ---- VPN device --------------------------------------------------------------
# bench/vdev/vdev-bench.sh in a guest: the plain forwarder on TUN and on
# pktpool_vdev, pktpool-vpn against WireGuard (BENCH_VDEV=0 skips it).
rm -f "$out/vdev.md"
if [ "${BENCH_VDEV:-1}" != 0 ]; then
	step "VPN device in a QEMU guest (log: build/bench/vdev.log)"
	if { make --no-print-directory -C bench BUILD="$out" vdev &&
	     make --no-print-directory -C tools BUILD="$top/build" &&
	     make --no-print-directory -C examples/vpn BUILD="$top/build" \
		"$top/build/examples/vpn/pktpool-vpn"; } >>"$out/build.log" 2>&1 &&
	   scripts/vm/run.sh -- "$top/bench/vdev/vdev-bench.sh" >"$out/vdev.log" 2>&1; then
		{
			echo "## VPN device (guest, bench/vdev/vdev-bench.sh)"
			echo
			grep -E '^(\||- |Plain forwarder|Encrypted|$)' "$out/vdev.log" | cat -s
		} >"$out/vdev.md"
	else
		rc=1
		tail -n 15 "$out/vdev.log" >&2
	fi
fi

# ---- userspace -------------------------------------------------------------
quick=()
[ "${BENCH_QUICK:-0}" = 1 ] && quick=(-q -r 3)
step "userspace benchmark (log: build/bench/lib.log)"
if ! "$out/bench" ${quick[@]+"${quick[@]}"} -o "$out/lib.md" -t "$out/lib" \
		>/dev/null 2>"$out/lib.log"; then
	rc=1
	cat "$out/lib.log" >&2
fi
rm -f "$out/instr.md" "$out/instr-"*.tsv
if command -v valgrind >/dev/null; then
	step "instructions per operation under callgrind (log: build/bench/instr.log)"
	if ! "$out/bench" -I -o "$out/instr.md" -t "$out/instr" \
			>/dev/null 2>"$out/instr.log"; then
		rc=1
		cat "$out/instr.log" >&2
	fi
else
	echo "bench: valgrind not found: no instruction counts (scripts/deps.sh)" >&2
fi

# ---- results.md --------------------------------------------------------------
step "plots and build/bench/results.md"
pngs=$(scripts/bench-plot.sh "$out") || rc=1

cpu=$(sed -n 's/^model name[[:space:]]*:[[:space:]]*//p' /proc/cpuinfo | head -n 1)
guest=$(sed -n 's/^Linux \([^,]*\), .*QEMU.*/\1/p' "$out/kernel.md" 2>/dev/null | head -n 1)
[ -n "$guest" ] && guest="; the kernel benchmark boots Debian's $guest under QEMU TCG"

# "- ...: met|short" lines of lib.md's Targets section.
user_targets() {
	awk '/^### Targets/ { on = 1; next }
	     on && /^- / { sub(/^- /, "- userspace, "); print }' "$out/lib.md"
}

# kernel.md's target lines, prefixed with the boot they belong to and
# spelled met/short like the others.
kernel_targets() {
	awk '
	/init_on_alloc is on/ { boot = "init_on_alloc=1 (Debian default)" }
	/init_on_alloc is off/ { boot = "init_on_alloc=0" }
	/^- pktpool .*: (PASS|SHORT)$/ {
		sub(/: PASS$/, ": met"); sub(/: SHORT$/, ": short")
		sub(/^- /, "- kernel, " boot ", ")
		print
	}' "$out/kernel.md"
}

# instr.md's target lines (instructions per operation, callgrind).
instr_targets() {
	awk '/^### Targets/ { on = 1; next }
	     on && /^- / { sub(/^- /, "- userspace, "); print }' "$out/instr.md"
}

all_targets() {
	[ -s "$out/lib.md" ] && user_targets
	[ -s "$out/instr.md" ] && instr_targets
	[ -s "$out/kernel.md" ] && kernel_targets
	[ -s "$out/vdev.md" ] && grep -E '^- VPN device' "$out/vdev.md"
	true
}

{
	echo "# pktpool benchmarks"
	echo
	echo "\`make bench\` on $(date -u '+%Y-%m-%d %H:%M UTC'):"
	echo
	echo "- machine: $(nproc) CPUs (nproc), ${cpu:-unknown CPU}, $(awk '{ printf "%.0f GiB", $2 / 1048576; exit }' /proc/meminfo) RAM"
	echo "- kernel: Linux $(uname -r) (userspace runs here)$guest"
	other=$(sed -n 's/^Other work on the machine during the \([0-9]*\) s run: \([0-9.]*\) CPUs.*/\2 CPUs on average over its \1 s/p' "$out/lib.md" 2>/dev/null)
	echo "- other work on the machine during the userspace run: ${other:-unknown} (it shows in the times, not in the instruction counts)"
	# shellcheck disable=SC1091 # the running system's, not ours to check
	echo "- OS: $(. /etc/os-release 2>/dev/null && echo "${PRETTY_NAME:-unknown}"), gcc $(gcc -dumpfullversion 2>/dev/null || echo '?')"
	[ -n "$kernel_note" ] && { echo; echo "$kernel_note"; }
	[ "${BENCH_QUICK:-0}" = 1 ] && { echo; echo "BENCH_QUICK=1: a smoke run, a tenth of the userspace work, 3 rounds."; }
	echo
	echo "## Targets"
	echo
	[ -s "$out/lib.md" ] || echo "- userspace: not measured"
	[ -s "$out/kernel.md" ] || echo "- kernel: not measured"
	all_targets
	echo
	all=$(all_targets | grep -cE ': (met|short)( \(.*\))?$' || true)
	met=$(all_targets | grep -cE ': met( \(.*\))?$' || true)
	echo "$met of $all targets met."
	echo
	[ -s "$out/lib.md" ] && { cat "$out/lib.md"; echo; }
	[ -s "$out/instr.md" ] && { cat "$out/instr.md"; echo; }
	if [ -s "$out/kernel.md" ]; then
		# one heading level down, under this file's title
		sed 's/^#/##/' "$out/kernel.md"
		echo
	fi
	[ -s "$out/nf.md" ] && { cat "$out/nf.md"; echo; }
	[ -s "$out/vdev.md" ] && { cat "$out/vdev.md"; echo; }
	echo "## Plots"
	echo
	for p in $pngs; do echo "- ${p#"$top"/}"; done
} >"$out/results.md"

cat "$out/results.md"
echo
echo "bench: results in build/bench/results.md, plots:"
for p in $pngs; do echo "  ${p#"$top"/}"; done
echo "bench: took $(( $(date +%s) - t_start )) s"
exit "$rc"
