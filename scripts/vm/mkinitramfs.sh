#!/usr/bin/env bash
# Build the small initramfs that scripts/vm/run.sh boots:
#   /bin/busybox (static) + applet symlinks, /init (scripts/vm/init),
#   the virtio-pci, 9p and overlay modules of KVER, and /etc/modules.order
#   listing them in load (dependency) order for /init to insmod.
#
# Usage: scripts/vm/mkinitramfs.sh KVER OUTPUT.cpio.gz
#
# The output is written to a temporary file next to OUTPUT and renamed into
# place, so concurrent runs never see a half-written archive.
set -euo pipefail

if [ "$#" -ne 2 ]; then
	echo "usage: $0 KVER OUTPUT.cpio.gz" >&2
	exit 2
fi
kver=$1
out=$2
here=$(cd "$(dirname "$0")" && pwd)
moddir=/lib/modules/$kver

# Modules /init needs. Their dependencies are added below.
#   virtio_pci    - the PCI transport the virtio-9p device sits on
#   9pnet_virtio  - 9p over virtio
#   9p            - the 9p file system (host root at /host)
#   overlay       - host /tmp as the read-only lower layer of the guest /tmp
wanted=(virtio_pci 9pnet_virtio 9p overlay)

# Debian's busybox-static installs /bin/busybox. The dynamic "busybox"
# package would install the same path but could not run in an initramfs
# without libc, so refuse a binary with a program interpreter.
busybox=/bin/busybox
if readelf -l "$busybox" 2>/dev/null | grep -q 'program interpreter'; then
	echo "mkinitramfs: $busybox is dynamically linked; install busybox-static" >&2
	exit 1
fi
[ -x "$busybox" ] || { echo "mkinitramfs: no busybox; run scripts/deps.sh" >&2; exit 1; }
[ -d "$moddir" ] || { echo "mkinitramfs: no $moddir; run scripts/deps.sh" >&2; exit 1; }

stage=$(mktemp -d "${TMPDIR:-/tmp}/pktpool-initramfs.XXXXXX")
tmpout=$(mktemp "$out.tmp.XXXXXX")
trap 'rm -rf "$stage"; rm -f "$tmpout"' EXIT

mkdir -p "$stage"/{bin,dev,etc,proc,sys,host,tmp,run,lib/modules}
cp "$busybox" "$stage/bin/busybox"
# Applet links are created at build time so /init can use plain names.
for applet in $("$busybox" --list); do
	[ -e "$stage/bin/$applet" ] || ln -s busybox "$stage/bin/$applet"
done
cp "$here/init" "$stage/init"
chmod 755 "$stage/init"
# The kernel opens /dev/console for init before /init runs; without the node
# it prints "unable to open an initial console". Only root can mknod;
# /init re-opens the console after mounting devtmpfs anyway.
mknod -m 600 "$stage/dev/console" c 5 1 2>/dev/null || true

# Resolve dependencies with modinfo and emit a post-order (dependencies
# first) list: insmod does no dependency handling, and a wrong order fails
# with "Unknown symbol".
declare -A seen=()
order=()
visit() {
	local m=$1 dep deps src
	[ -n "${seen[$m]:-}" ] && return 0
	seen[$m]=1
	# Built into this kernel (6.12 builds in virtio): nothing to load.
	src=$(modinfo -k "$kver" -n "$m") || {
		echo "mkinitramfs: $kver has no module $m" >&2
		exit 1
	}
	[ "$src" = "(builtin)" ] && return 0
	deps=$(modinfo -k "$kver" -F depends "$m")
	for dep in ${deps//,/ }; do
		visit "$dep"
	done
	order+=("$m")
}
for m in "${wanted[@]}"; do
	visit "$m"
done

: >"$stage/etc/modules.order"
for m in "${order[@]}"; do
	src=$(modinfo -k "$kver" -n "$m")
	dst=$stage/lib/modules/$m.ko
	# Debian 6.1 ships plain .ko files, but later kernels compress them;
	# busybox insmod is not guaranteed to decompress, so do it here.
	case $src in
	*.ko) cp "$src" "$dst" ;;
	*.ko.xz) xz -dc "$src" >"$dst" ;;
	*.ko.zst) zstd -qdc "$src" >"$dst" ;;
	*.ko.gz) gzip -dc "$src" >"$dst" ;;
	*) echo "mkinitramfs: unknown module format: $src" >&2; exit 1 ;;
	esac
	echo "$m" >>"$stage/etc/modules.order"
done
echo "$kver" >"$stage/etc/kver"

(cd "$stage" && find . -print0 | LC_ALL=C sort -z |
	cpio --null -o -H newc --quiet -R 0:0) | gzip -1 >"$tmpout"
mv -f "$tmpout" "$out"
