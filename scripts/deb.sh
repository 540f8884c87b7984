#!/usr/bin/env bash
# make deb: the Debian packages of this tree (pktpool-dkms, libpktpool1,
# libpktpool-dev, pktpool-tools) in build/deb/, then lintian on them.
# Installs the packaging tools it needs (as root, from Debian's archive).
# Builds from a copy of the files git tracks, so build/ and anything
# untracked stay out of the packages.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
out="$top/build/deb"
version=$(cat "$top/VERSION")
src="$out/pktpool-$version"

pkgs=(debhelper dh-dkms dkms dpkg-dev fakeroot lintian
      bpftool clang libbpf-dev libmnl-dev llvm pkg-config make gcc)
missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
	if [ "$(id -u)" -ne 0 ]; then
		echo "deb: need root to install: ${missing[*]}" >&2
		exit 1
	fi
	echo "deb: installing ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

rm -rf "$out"
mkdir -p "$src"
git -C "$top" ls-files -z | (cd "$top" && xargs -0 cp --parents -t "$src")
(cd "$src" && dpkg-buildpackage -b -us -uc)
ls -l "$out"/*.deb
changes=$(ls "$out"/pktpool_"$version"_*.changes)
# Errors fail the build; warnings are shown.
lintian --fail-on error "$changes"
echo "deb: packages in $out, lintian without errors"
