#!/usr/bin/env bash
# Extract the few files pktpool takes from Debian's linux-source-6.1 (the
# kselftest harness and checkpatch) into build/ksrc. Nothing of it is
# committed. Idempotent: does nothing once the files are there.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
out="$top/build/ksrc"
tarball=/usr/src/linux-source-6.1.tar.xz
files=(
	tools/testing/selftests/kselftest_harness.h
	tools/testing/selftests/kselftest.h
	scripts/checkpatch.pl
	scripts/spelling.txt
	scripts/const_structs.checkpatch
)

[ -f "$out/.done" ] && exit 0
if [ ! -r "$tarball" ]; then
	echo "ksrc: $tarball missing; run scripts/deps.sh" >&2
	exit 1
fi
mkdir -p "$top/build"
tmp=$(mktemp -d "$top/build/ksrc.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
tar -xJf "$tarball" -C "$tmp" "${files[@]/#/linux-source-6.1/}"
rm -rf "$out"
mv "$tmp/linux-source-6.1" "$out"
touch "$out/.done"
