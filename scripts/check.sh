#!/usr/bin/env bash
# make check: build everything with W=1, checkpatch the kernel code, run
# the library suite on the host, then the selftests inside a Debian kernel
# under QEMU. Every stage prints TAP; the last line sums them all up as
# "N passed, N failed" (", N skipped" when some were).
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

build() {
	local log="$results/build.log"

	if ! make --no-print-directory KDIR="/lib/modules/$VM_KVER/build" \
		all >"$log" 2>&1; then
		echo "not ok - build: make all failed"
		tail -n 30 "$log" | sed 's/^/# /'
		return 1
	fi
	echo "ok - build: module, library, tools and tests"
	if grep -E '(^|: )warning:' "$log" >/dev/null; then
		echo "not ok - build: no compiler warnings (W=1)"
		grep -E '(^|: )warning:' "$log" | head -n 20 | sed 's/^/# /'
		return 1
	fi
	echo "ok - build: no compiler warnings (W=1)"
}

: "${VM_KVER:?VM_KVER unset: run this as make check}"

if stage build build; then
	stage checkpatch scripts/checkpatch.sh
	stage spec scripts/check-spec.py
	[ -f lib/Makefile ] && stage lib make --no-print-directory -s -C lib \
		BUILD="$top/build/lib" check
	stage capture tools/capture/test/capture-test.sh
	stage vm scripts/vm/run.sh -- "$top/selftests/vm-tests.sh"
fi

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
