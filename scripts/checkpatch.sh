#!/usr/bin/env bash
# checkpatch --strict over every kernel source file, one TAP line a file.
# Exit status 1 when any file has an error, warning or check.
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cp="$top/build/ksrc/scripts/checkpatch.pl"
cd "$top" || exit 2
[ -r "$cp" ] || { echo "not ok - checkpatch: $cp missing (make ksrc)"; exit 1; }

rc=0
# The test module's header is shared with userspace (uapi rules: no BIT()).
for f in kmod/*.[ch] kmod/nf/*.[ch] kmod/vdev/*.[ch] selftests/kmod/*.c bench/kernel/*.c; do
	case "$f" in *.mod.c) continue ;; esac
	out=$(perl "$cp" --no-tree --strict --terse --show-types -f "$f" 2>&1 |
	      grep -E ': (ERROR|WARNING|CHECK):')
	if [ -z "$out" ]; then
		echo "ok - checkpatch --strict $f"
	else
		echo "not ok - checkpatch --strict $f"
		printf '%s\n' "$out" | sed 's/^/# /'
		rc=1
	fi
done
exit "$rc"
