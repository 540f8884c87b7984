#!/usr/bin/env bash
# make check: build everything with W=1, checkpatch the kernel code, run
# the library suite on the host, then the selftests inside every Debian
# kernel pktpool supports (scripts/kernels.sh) under QEMU, plus one run
# with preempt=full and one guest with two NUMA nodes. Every stage prints
# TAP; the last line sums them all up as "N passed, N failed"
# (", N skipped" when some were), after "# wall time:" (each kernel's
# build and guest run) and "# guest time:" (each guest alone, without the
# wait for another run's guest) comments.
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 2
results="$top/build/results"
rm -rf "$results"
mkdir -p "$results"

# stage NAME CMD...: run CMD, keep its TAP in build/results/NAME.tap. A
# command that fails without saying which test failed (a crash, a
# timeout) still counts as one failure.
stage() {
	local name=$1 rc
	shift
	echo "# === $name ==="
	"$@" 2>&1 | tee "$results/$name.tap"
	rc=${PIPESTATUS[0]}
	if [ "$rc" -ne 0 ] && ! grep -q '^[[:space:]]*not ok ' "$results/$name.tap"; then
		echo "not ok - $name: exited with status $rc" |
			tee -a "$results/$name.tap"
	fi
	return "$rc"
}

# The guest runs: KERNEL or KERNEL+VARIANT, KERNEL a name from
# scripts/kernels.sh or a kernel release. Variants: preempt=full (boot
# with full preemption), numa (two NUMA nodes; the NUMA tests run too),
# fuzz (selftests/fuzz/fuzz.sh, a bounded run, instead of the suite).
# KERNELS="6.1" for a quick local loop; CI runs the default, all of them.
default_runs="$(scripts/kver.sh --list | tr '\n' ' ')6.1+preempt=full 6.1+numa 6.1+fuzz"
runs=${KERNELS:-$default_runs}

# Userspace: library, tools, selftest programs (all -Werror).
build_user() {
	local log="$results/build-user.log"

	if ! make --no-print-directory lib tools selftests examples >"$log" 2>&1; then
		echo "not ok - build: library, tools and tests"
		tail -n 30 "$log" | sed 's/^/# /'
		return 1
	fi
	echo "ok - build: library, tools and tests"
}

# build_kernel NAME RELEASE: the modules for one kernel, W=1, in a copy of
# their sources under build/kernels/RELEASE (so every kernel's build stays
# apart from the others and from the tree's own).
build_kernel() {
	local name=$1 kver=$2 dir="$top/build/kernels/$2"
	local log="$results/build-$name.log"

	rm -rf "$dir"
	mkdir -p "$dir"
	cp --parents Kbuild kmod/Kbuild kmod/*.[ch] kmod/nf/*.[ch] kmod/vdev/*.[ch] \
		selftests/kmod/Kbuild \
		selftests/kmod/*.[ch] bench/kernel/Kbuild bench/kernel/*.c \
		uapi/linux/*.h "$dir/"
	if ! make --no-print-directory -C "/lib/modules/$kver/build" M="$dir" \
		W=1 modules >"$log" 2>&1; then
		echo "not ok - build $name ($kver): modules"
		tail -n 30 "$log" | sed 's/^/# /'
		return 1
	fi
	echo "ok - build $name ($kver): modules"
	if grep -E '(^|: )warning:' "$log" >/dev/null; then
		echo "not ok - build $name: no compiler warnings (W=1)"
		grep -E '(^|: )warning:' "$log" | head -n 20 | sed 's/^/# /'
		return 1
	fi
	echo "ok - build $name: no compiler warnings (W=1)"
}

# guest NAME RELEASE VARIANT: the guest suite on one kernel.
guest() {
	local name=$1 kver=$2 variant=$3 dir="$top/build/kernels/$2"
	local args=(--log "$top/build/vm/console-$name${variant:++$variant}.log"
		-e "PKTPOOL_KO=$dir/kmod/pktpool.ko"
		-e "PKTPOOL_TEST_KO=$dir/selftests/kmod/pktpool_test.ko"
		-e "PKTPOOL_NF_KO=$dir/kmod/pktpool_nf.ko"
		-e "PKTPOOL_VDEV_KO=$dir/kmod/pktpool_vdev.ko")
	local cmd=("$top/selftests/vm-tests.sh")

	# libpktpool's sanitizer builds once, on plain 6.1; plain elsewhere.
	[ "$name" = 6.1 ] && [ -z "$variant" ] ||
		args+=(-e "PKTPOOL_LIB_VARIANTS=plain")
	# The two-namespace VPN tests (five minutes of TCG each) on one
	# generic and one PREEMPT_RT kernel of different series; the device's
	# own selftest runs in every guest.
	case $name${variant:++$variant} in
	6.1 | 6.12-rt) ;;
	*) args+=(-e "PKTPOOL_VDEV_TESTS=0") ;;
	esac

	case $variant in
	'') ;;
	preempt=*)
		args+=(--cmdline "$variant" -e "PKTPOOL_EXPECT_PREEMPT=${variant#*=}")
		;;
	fuzz)
		args=(--log "$top/build/vm/fuzz-console.log"
			-e "PKTPOOL_KO=$dir/kmod/pktpool.ko")
		cmd=("$top/selftests/fuzz/fuzz.sh")
		;;
	numa)
		args+=(--numa)
		# shellcheck disable=SC2016 # expanded by the guest's shell
		cmd=(/bin/sh -c '"$1"; a=$?; "$2"; b=$?; [ "$a" = 0 ] && [ "$b" = 0 ]'
			sh "$top/selftests/vm-tests.sh" "$top/selftests/numa-tests.sh")
		;;
	*)
		echo "not ok - vm $name+$variant: no such variant (preempt=MODEL, numa, fuzz)"
		return 1
		;;
	esac
	# A suite guest takes 5 to 12 minutes on an idle 2-core machine; the
	# timeout only bounds a hang, with room for a machine under load (a
	# fresh-root rehearsal beside other builds took 1200 s for plain 6.1).
	KVER=$kver VM_TIMEOUT=${VM_TIMEOUT:-2400} scripts/vm/run.sh "${args[@]}" \
		-- "${cmd[@]}"
}

# timed NAME CMD...: stage, with its wall time kept for the summary.
times=()
timed() {
	local t0=$SECONDS rc=0
	stage "$@" || rc=$?
	times+=("$1 $((SECONDS - t0))s")
	return "$rc"
}

start=$SECONDS
if stage build build_user; then
	stage checkpatch scripts/checkpatch.sh
	stage spec scripts/check-spec.py
	stage vdev-args selftests/tool-tests/pktpoolctl-vdev.sh
	stage kver selftests/kver-tests.sh
	stage man scripts/check-man.sh
	stage install scripts/check-install.sh
	[ -f lib/Makefile ] && stage lib make --no-print-directory -s -C lib \
		BUILD="$top/build/lib" check
	stage capture tools/capture/test/capture-test.sh
	stage vpn make --no-print-directory -s -C examples/vpn BUILD="$top/build" check
	stage lib-view tools/test/lib-view.sh
	declare -A built=()
	for run in $runs; do
		name=${run%%+*}
		variant=
		[ "$name" = "$run" ] || variant=${run#*+}
		# One result line for a kernel missing or half installed.
		if ! kver=$(scripts/kver.sh "$name" 2>"$results/kver.err"); then
			echo "not ok - kernel $name: $(cat "$results/kver.err")" |
				tee "$results/kernel-$name.tap"
			continue
		fi
		if [ -z "${built[$kver]:-}" ]; then
			built[$kver]=ok
			timed "build-$name" build_kernel "$name" "$kver" ||
				built[$kver]=failed
		fi
		[ "${built[$kver]}" = ok ] || continue
		timed "vm-$name${variant:++$variant}" guest "$name" "$kver" "$variant"
	done
fi
echo "# wall time: ${times[*]/%/,} total $((SECONDS - start))s"
# The guests alone, without waiting for other runs' guests (run.sh's lock).
guest_times=$(awk '/^vm: guest time [0-9]+s / {
		run = FILENAME; sub(/.*\/vm-/, "", run); sub(/\.tap$/, "", run)
		printf "%s%s %s", sep, run, $4; sep = ", "
	}' "$results"/vm-*.tap 2>/dev/null)
[ -z "$guest_times" ] || echo "# guest time: $guest_times"

# Count every TAP result line of every stage, nested or not.
cat "$results"/*.tap | awk '
	/^[ \t]*not ok / { failed++; next }
	/^[ \t]*ok / { if ($0 ~ /# [Ss][Kk][Ii][Pp]/) skipped++; else passed++ }
	END {
		line = sprintf("%d passed, %d failed", passed, failed)
		if (skipped) line = line sprintf(", %d skipped", skipped)
		print line
		exit (failed || !passed)
	}'
