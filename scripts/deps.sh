#!/usr/bin/env bash
# Install everything pktpool needs to build and test on a fresh Debian 12
# machine. Idempotent: when every package is present it only checks and exits.
set -euo pipefail

# shellcheck source=scripts/kernels.sh
. "$(dirname "$0")/kernels.sh"

pkgs=(
	build-essential make gcc bc flex bison libelf-dev pkg-config
	qemu-system-x86
	busybox-static kmod cpio
	# ip and ip netns for the packet-path tests and the demo (not in minbase)
	iproute2
	libmnl-dev libbpf-dev clang llvm bpftool libdpdk-dev libjemalloc-dev libmimalloc-dev libgoogle-perftools-dev gnuplot-nox valgrind
	linux-source-6.1 xz-utils python3
	# The netlink spec checked against the kernel's schema and driven by
	# its YNL client (scripts/ynl-src.sh); man pages linted.
	linux-source-6.12 python3-yaml python3-jsonschema mandoc
	# The README's bpftrace example, tried in the guest.
	bpftrace
	# The packet path: pcaps read back, peers for the benchmark.
	tcpdump nftables libnetfilter-queue-dev libnetfilter-log-dev
	# The example VPN daemon (examples/vpn).
	libsodium-dev
	# wg, to set up the in-kernel WireGuard that bench/vdev compares with.
	wireguard-tools
	# The TUN forwarder batched through io_uring (bench/vdev).
	liburing-dev
)
# Every kernel of the test matrix, image and headers (scripts/kernels.sh).
for k in "${pktpool_kernels[@]}"; do
	read -r _ image headers <<<"$k"
	pkgs+=("$image" "$headers")
done

missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing+=("$p")
done

if [ "${#missing[@]}" -eq 0 ]; then
	exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
	echo "deps: need root to install: ${missing[*]}" >&2
	echo "deps: run 'sudo $0' once" >&2
	exit 1
fi

echo "deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
