#!/bin/sh
# The kernel benchmark's run: load pktpool.ko and pktpool_bench.ko from this
# tree, print the report (markdown), unload both and check that nothing was
# left behind. scripts/bench-kernel.sh runs it inside the test VM; as root on
# a real machine, with both modules built for the running kernel
# (`make module`), it runs the same way:
#
#   sudo bench/kernel/run-vm.sh [size=256] [rounds=16384] [repeats=11] ...
#
# Arguments are parameters of pktpool_bench.ko (modinfo lists them). Exit
# status 0 when the run and the unload went well, 1 otherwise.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
pool_ko=$top/kmod/pktpool.ko
bench_ko=$here/pktpool_bench.ko
debugfs=/sys/kernel/debug
run=$debugfs/pktpool_bench/run

fail() {
	echo "run-vm.sh: $*" >&2
	exit 1
}

[ "$(id -u)" = 0 ] || fail "needs root (insmod, debugfs)"
for ko in "$pool_ko" "$bench_ko"; do
	[ -f "$ko" ] || fail "$ko not built; run scripts/bench-kernel.sh or make module"
done
[ ! -d /sys/module/pktpool_bench ] || fail "pktpool_bench is already loaded"

# Where this runs decides what the figures mean.
model=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
case $model in
*TCG*)
	where="a guest under QEMU TCG (CPU \"$model\"): every instruction is emulated, some 10-50x slower than on hardware and not uniformly so (string instructions, as in memset and memcpy, run one iteration at a time). Absolute ns/op mean nothing here; only the ratios within this run do, and even they can differ from a real machine's."
	;;
*)
	if grep -qw hypervisor /proc/cpuinfo; then
		where="a virtual machine (CPU \"$model\"); ratios are more telling than absolute figures."
	else
		where="bare metal (CPU \"$model\")."
	fi
	;;
esac

loaded_pool=0
if [ ! -d /sys/module/pktpool ]; then
	insmod "$pool_ko" || fail "insmod $pool_ko failed"
	loaded_pool=1
fi

# pktpool's size-class caches may run with slub_debug (the test VM turns it
# on for pktpool-* unless told otherwise); say so, it slows their slab side.
slab_debug=off
for d in /sys/kernel/slab/pktpool-*; do
	[ -d "$d" ] || continue
	for f in sanity_checks red_zone poison store_user; do
		if [ "$(cat "$d/$f" 2>/dev/null || echo 0)" = 1 ]; then
			slab_debug=on
		fi
	done
done

status=0
if insmod "$bench_ko" "$@"; then
	if ! grep -qs "^[^ ]* $debugfs debugfs " /proc/mounts; then
		mount -t debugfs debugfs "$debugfs" || true
	fi
	echo "# pktpool kernel benchmark"
	echo
	echo "Linux $(uname -r), $(nproc) CPUs; measured in $where"
	echo "Kernel command line: \`$(cat /proc/cmdline)\`."
	echo "slub_debug on pktpool's own size-class caches: $slab_debug."
	echo
	# Opening the file runs the whole measurement; the read returns it.
	if ! cat "$run"; then
		echo "run-vm.sh: reading $run failed (see the kernel log)" >&2
		status=1
	fi
	echo
	echo "To measure on a real machine (root, headers of the running kernel installed): \`make module\`, then \`sudo bench/kernel/run-vm.sh\`; it loads kmod/pktpool.ko and bench/kernel/pktpool_bench.ko from the tree, prints this report and unloads both. Parameters go on its command line, e.g. \`sudo bench/kernel/run-vm.sh rounds=65536 repeats=21\`."
	rmmod pktpool_bench || { echo "run-vm.sh: rmmod pktpool_bench failed" >&2; status=1; }
else
	echo "run-vm.sh: insmod $bench_ko $* failed" >&2
	status=1
fi
if [ "$loaded_pool" = 1 ]; then
	rmmod pktpool || { echo "run-vm.sh: rmmod pktpool failed" >&2; status=1; }
fi

# Nothing of the benchmark may outlive it.
if [ -e "$debugfs/pktpool_bench" ]; then
	echo "run-vm.sh: $debugfs/pktpool_bench left behind" >&2
	status=1
fi
if [ -e /sys/kernel/slab/pktpool_bench ] ||
	grep -qs '^pktpool_bench ' /proc/slabinfo; then
	echo "run-vm.sh: slab cache pktpool_bench left behind" >&2
	status=1
fi
exit "$status"
