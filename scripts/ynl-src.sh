#!/usr/bin/env bash
# Extract the kernel's netlink spec schemas and its YNL client from Debian's
# linux-source-6.12 into build/ynl: Documentation/netlink/*.yaml (what
# scripts/check-spec.py validates the spec against) and tools/net/ynl
# (cli.py, run in the guest by selftests/tool-tests/ynl.sh). Nothing of it
# is committed. Idempotent: does nothing once the files are there.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
out="$top/build/ynl"
tarball=/usr/src/linux-source-6.12.tar.xz

[ -f "$out/.done" ] && exit 0
if [ ! -r "$tarball" ]; then
	echo "ynl-src: $tarball missing; run scripts/deps.sh" >&2
	exit 1
fi
mkdir -p "$top/build"
tmp=$(mktemp -d "$top/build/ynl.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
tar -xJf "$tarball" -C "$tmp" --wildcards \
	'linux-source-6.12/Documentation/netlink/*.yaml' \
	'linux-source-6.12/tools/net/ynl/*'
rm -rf "$out"
mv "$tmp/linux-source-6.12" "$out"
touch "$out/.done"
