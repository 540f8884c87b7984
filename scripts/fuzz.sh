#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# make fuzz: selftests/fuzz/fuzz.sh in a Debian kernel under QEMU, for as
# long as asked. FUZZ_SECONDS (default 600) bounds the run; FUZZ_SEED
# replays one; FUZZ_WORKERS and FUZZ_MEMCG_MAX are passed on
# (see selftests/fuzz/fuzz.sh). Prints TAP and ends with one line
# "N passed, N failed".
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 2
# The kernel to fuzz: KVER (a name or a release), 6.1 by default.
kver=$(scripts/kver.sh "${KVER:-6.1}") || exit 2
if ! make --no-print-directory KVER="$kver" module selftests >build/fuzz-build.log 2>&1; then
	echo "not ok - fuzz: build for $kver (build/fuzz-build.log)"
	echo "0 passed, 1 failed"
	exit 1
fi
seconds=${FUZZ_SECONDS:-600}
case $seconds in '' | *[!0-9]*) echo "FUZZ_SECONDS: not a number: $seconds" >&2; exit 2 ;; esac

envs=(-e "FUZZ_SECONDS=$seconds")
for v in FUZZ_SEED FUZZ_WORKERS FUZZ_MEMCG_MAX; do
	[ -n "${!v:-}" ] && envs+=(-e "$v=${!v}")
done
mkdir -p build/results
# Boot, insmod and the leak check take a few minutes under TCG.
KVER=$kver scripts/vm/run.sh --timeout $((seconds + 900)) \
	--log build/vm/fuzz-console.log "${envs[@]}" -- \
	"$top/selftests/fuzz/fuzz.sh" | tee build/results/fuzz.tap
awk '
	/^[ \t]*not ok / { failed++; next }
	/^[ \t]*ok / { passed++ }
	END {
		printf "%d passed, %d failed\n", passed, failed
		exit (failed || !passed)
	}' build/results/fuzz.tap
