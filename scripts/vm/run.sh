#!/usr/bin/env bash
# Boot Debian's kernel under QEMU, run one command inside it with the host
# root file system visible (read-only), bring its output back and judge the
# guest kernel log. The host kernel cannot load modules, so every module
# test goes through here.
#
# Usage: scripts/vm/run.sh [options] -- GUEST_CMD [ARGS...]
# (run with -h for the options and environment variables)
#
# Output protocol (stdout):
#   1. GUEST_CMD's stdout+stderr, streamed as it arrives, nothing else
#      (the boot noise goes only to the log file).
#   2. "# guest command exited with status N" when N != 0.
#   3. Exactly one TAP line of this script's own:
#        ok - guest kernel log clean
#        not ok - guest kernel log: <first offending line>
#          followed by every offending line as "# <line>"
#      or, when the harness itself failed (no boot, timeout, ...):
#        not ok - vm: <reason>
#          followed by "# " context lines.
# Progress messages go to stderr. Exit status: 0 = GUEST_CMD exited 0 and the
# kernel log is clean; 1 = GUEST_CMD failed or the kernel log is not clean
# (also a guest kernel panic); 2 = harness error.
#
# How the result travels: the guest has two serial ports. ttyS0 is the
# kernel console (boot messages, printk at loglevel < 4, /init progress);
# ttyS1 carries only GUEST_CMD's output, then "@@pktpool-vm:TOKEN:exit:N@@"
# and the dmesg dump between "@@pktpool-vm:TOKEN:dmesg-begin@@" and
# "@@pktpool-vm:TOKEN:dmesg-end@@". TOKEN is random per run, so guest output
# cannot fake a marker, and no printk can land in the middle of a line we
# parse. QEMU's exit status says nothing about the guest (poweroff -f exits 0
# whatever happened), so it is only used to detect QEMU failures.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
vmdir=$root/build/vm

usage() {
	cat <<EOF
usage: $0 [options] -- GUEST_CMD [ARGS...]

Boots /boot/vmlinuz-\$KVER under QEMU with the host root mounted read-only
and chrooted into, runs GUEST_CMD (a host path or a name on PATH) in the
current directory, prints its output, then checks the guest kernel log.

options:
  --timeout SEC    kill the VM after SEC seconds (env VM_TIMEOUT, default 1200)
  --log FILE       full console log (default build/vm/console.log)
  --cmdline TEXT   extra kernel command line (repeatable; appended)
  -e NAME=VALUE    set an environment variable for GUEST_CMD (repeatable)
  --rw DIR         share host directory DIR read-write at the same path
                   (repeatable; default: everything read-only)
  --qemu-arg ARG   extra QEMU argument (repeatable)
  --numa           two NUMA nodes, one socket and one CPU each (SMP=2); node 1
                   gets a quarter of the memory
  -h, --help       this text

environment:
  KVER             kernel to boot: a name from scripts/kernels.sh (6.1,
                   6.1-rt, 6.12, 6.12-rt) or a release; scripts/kver.sh
                   resolves it (default: what it picks for the build too)
  SMP, MEM         vCPUs (default 2), memory in MiB (default 1024)
  VM_TIMEOUT       as --timeout
  PKTPOOL_VM_LOCK  lock file that keeps guests to one at a time
                   (default /dev/shm/pktpool-vm.lock)
  PKTPOOL_VM_KVM=1 use KVM when /dev/kvm exists (default TCG: KVM hangs on
                   the CI machines)

In the guest: PKTPOOL_IN_VM=1, HOME=/tmp; /tmp is the host's /tmp with a
RAM overlay on top (guest writes never reach the host); /run, /dev/shm are
tmpfs; debugfs, tracefs, bpffs are mounted.
EOF
	exit "${1:-0}"
}

# Harness failure: one "not ok - vm:" line, context as comments, exit 2.
vm_fail() {
	echo "not ok - vm: $1"
	shift
	local line
	for line in "$@"; do
		printf '# %s\n' "$line"
	done
	exit 2
}

# ---- options ---------------------------------------------------------------
vm_timeout=${VM_TIMEOUT:-1200}
log=$vmdir/console.log
extra_cmdline=()
guest_envs=()
rw_dirs=()
qemu_extra=()
numa=0
need_arg() { [ "$#" -ge 2 ] || { echo "$0: $1 needs an argument" >&2; usage 2 >&2; }; }
while [ "$#" -gt 0 ]; do
	case $1 in
	--timeout) need_arg "$@"; vm_timeout=$2; shift 2 ;;
	--timeout=*) vm_timeout=${1#*=}; shift ;;
	--log) need_arg "$@"; log=$2; shift 2 ;;
	--log=*) log=${1#*=}; shift ;;
	--cmdline) need_arg "$@"; extra_cmdline+=("$2"); shift 2 ;;
	--cmdline=*) extra_cmdline+=("${1#*=}"); shift ;;
	-e | --env) need_arg "$@"; guest_envs+=("$2"); shift 2 ;;
	--rw) need_arg "$@"; rw_dirs+=("$2"); shift 2 ;;
	--qemu-arg) need_arg "$@"; qemu_extra+=("$2"); shift 2 ;;
	--numa) numa=1; shift ;;
	-h | --help) usage 0 ;;
	--) shift; break ;;
	-*) echo "$0: unknown option $1" >&2; usage 2 >&2 ;;
	*) break ;;
	esac
done
[ "$#" -gt 0 ] || { echo "$0: no guest command" >&2; usage 2 >&2; }

smp=${SMP:-2}
mem=${MEM:-1024}
for n in "$vm_timeout" "$smp" "$mem"; do
	case $n in '' | *[!0-9]*) echo "$0: not a number: '$n'" >&2; exit 2 ;; esac
done
for e in "${guest_envs[@]}"; do
	case $e in [A-Za-z_]*=*) ;; *) echo "$0: -e wants NAME=VALUE, got '$e'" >&2; exit 2 ;; esac
done

# Two nodes need two sockets as well: with both CPUs in one socket the
# guest kernel complains that the topology and the nodes disagree.
smp_arg=$smp
numa_args=()
if [ "$numa" = 1 ]; then
	[ "$smp" = 2 ] || { echo "$0: --numa needs SMP=2" >&2; exit 2; }
	smp_arg="2,sockets=2,cores=1,threads=1"
	# shellcheck disable=SC2054 # QEMU's own commas
	numa_args=(-object "memory-backend-ram,id=m0,size=$((mem - mem / 4))M"
		-object "memory-backend-ram,id=m1,size=$((mem / 4))M"
		-numa node,nodeid=0,cpus=0,memdev=m0 -numa node,nodeid=1,cpus=1,memdev=m1)
fi

command -v qemu-system-x86_64 >/dev/null ||
	vm_fail "qemu-system-x86_64 not found; run scripts/deps.sh"

# ---- kernel ----------------------------------------------------------------
# scripts/kver.sh decides, as it does for the build: the same kernel, and a
# clear error when it is missing or half installed.
kerr=$(mktemp)
if ! KVER=$("$root/scripts/kver.sh" ${KVER:+"$KVER"} 2>"$kerr"); then
	mapfile -t why <"$kerr"
	rm -f "$kerr"
	vm_fail "no kernel to boot" "${why[@]}"
fi
rm -f "$kerr"
kernel=/boot/vmlinuz-$KVER

# ---- initramfs (cached) ----------------------------------------------------
# Rebuilt only when an input changes: the key covers this kernel's module
# set, busybox and the two scripts that define the image.
mkdir -p "$vmdir"
key=$(cat "$here/init" "$here/mkinitramfs.sh" /bin/busybox "/lib/modules/$KVER/modules.dep" 2>/dev/null |
	sha256sum | cut -c1-16)
base=$vmdir/initramfs-$KVER-$key.cpio.gz
if [ ! -f "$base" ]; then
	echo "vm: building initramfs for $KVER" >&2
	"$here/mkinitramfs.sh" "$KVER" "$base" >&2 || vm_fail "building the initramfs failed"
	# Drop images of older inputs for this kernel. A concurrent run that
	# still wants one has already copied it into its own per-run initrd
	# (a window of milliseconds after its existence check).
	find "$vmdir" -maxdepth 1 -name "initramfs-$KVER-*.cpio.gz" ! -name "${base##*/}" -delete
fi

# ---- per-run state ---------------------------------------------------------
run=$(mktemp -d "$vmdir/run.XXXXXX")
qpid=
spid=
# shellcheck disable=SC2317 # called from the EXIT trap
save_log() {
	[ -d "$run" ] || return 0
	mkdir -p "$(dirname "$log")"
	{
		tr -d '\r' <"$run/console" 2>/dev/null
		echo "==== ttyS1: guest command output, exit status, dmesg ===="
		cat "$run/out" 2>/dev/null
		if [ -s "$run/qemu.log" ]; then
			echo "==== qemu stdout/stderr ===="
			cat "$run/qemu.log"
		fi
	} >"$run/log" 2>/dev/null || true
	# Rename so that concurrent runs sharing the default log never mix.
	mv -f "$run/log" "$log" 2>/dev/null || cp "$run/log" "$log" 2>/dev/null || true
}
# shellcheck disable=SC2317 # called from the EXIT trap
cleanup() {
	local i
	if [ -n "$qpid" ] && kill -0 "$qpid" 2>/dev/null; then
		# qpid is `timeout`, which passes TERM on to QEMU.
		kill -TERM "$qpid" 2>/dev/null || true
		for i in 1 2 3 4 5 6 7 8 9 10; do
			kill -0 "$qpid" 2>/dev/null || break
			sleep 0.5
		done
		if kill -0 "$qpid" 2>/dev/null; then
			for i in $(ps -o pid= --ppid "$qpid" 2>/dev/null); do
				kill -KILL "$i" 2>/dev/null || true
			done
			kill -KILL "$qpid" 2>/dev/null || true
		fi
	fi
	if [ -n "$spid" ]; then
		kill "$spid" 2>/dev/null || true
	fi
	save_log
	rm -rf "$run"
}
trap cleanup EXIT
# The EXIT trap does the cleanup; these make a signal end the script (and
# say so in TAP) instead of killing it without running the EXIT trap.
trap 'echo "not ok - vm: interrupted (SIGINT)"; exit 130' INT
trap 'echo "not ok - vm: interrupted (SIGTERM)"; exit 143' TERM
trap 'echo "not ok - vm: interrupted (SIGHUP)"; exit 129' HUP

token=$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')
M="@@pktpool-vm:$token"

# Single-quote a string for the guest's /bin/sh.
q() { printf "'%s'" "${1//\'/\'\\\'\'}"; }

# run.env, sourced by /init (see there). Shipped as a second cpio appended
# to the cached one: the kernel unpacks concatenated archives in order.
rw_args=()
rw_shares=
i=0
for d in "${rw_dirs[@]}"; do
	d=$(cd "$d" 2>/dev/null && pwd) || vm_fail "--rw: no such directory: $d"
	case $d in *,*) vm_fail "--rw: QEMU cannot take a path with a comma: $d" ;; esac
	rw_args+=(-fsdev "local,id=rw$i,path=$d,security_model=none,multidevs=remap"
		-device "virtio-9p-pci,fsdev=rw$i,mount_tag=rw$i")
	rw_shares+=" rw$i:$d"
	i=$((i + 1))
done
mkdir "$run/extra"
{
	echo "TOKEN=$token"
	echo "GUEST_CWD=$(q "$PWD")"
	echo "RW_SHARES=$(q "$rw_shares")"
	printf 'guest_env() {\n\tenv -i'
	for e in PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
		HOME=/tmp TERM=dumb LANG=C.UTF-8 PKTPOOL_IN_VM=1 ${guest_envs[@]+"${guest_envs[@]}"}; do
		printf ' %s' "$(q "$e")"
	done
	printf ' "$@"\n}\n'
	printf 'set --'
	for a in "$@"; do
		printf ' %s' "$(q "$a")"
	done
	echo
} >"$run/extra/run.env"
# Compressed too: an uncompressed archive would have to start at a 4-byte
# aligned offset, a compressed one may start anywhere.
(cd "$run/extra" && echo run.env | cpio -o -H newc --quiet -R 0:0) | gzip -1 >"$run/extra.cpio"
cat "$base" "$run/extra.cpio" >"$run/initrd"

# ---- QEMU ------------------------------------------------------------------
accel=(-accel "tcg,thread=multi" -cpu max)
how=tcg
if [ "${PKTPOOL_VM_KVM:-0}" = 1 ] && [ -e /dev/kvm ]; then
	accel=(-accel kvm -cpu host)
	how=kvm
fi
# Deliberately no "oops=panic": an oops should be reported with the rest of
# the log, not end the run. panic=-1 + -no-reboot make a panic end QEMU.
# log_buf_len: the default 128 KiB ring could wrap in a long, noisy run
# and drop the report the dmesg scan is looking for.
cmdline="console=ttyS0 panic=-1 slub_debug=FZPU,pktpool-* loglevel=4 quiet log_buf_len=4M"
for c in ${extra_cmdline[@]+"${extra_cmdline[@]}"}; do
	cmdline+=" $c"
done
# The serial ports write to plain files, not stdio: nothing depends on a
# terminal (CI has none, stdin is /dev/null) and QEMU never switches a
# user's terminal to raw mode. -nodefaults drops the VGA card, NIC, etc.
: >"$run/console"
: >"$run/out"
qemu=(qemu-system-x86_64 -nodefaults -no-user-config "${accel[@]}"
	-smp "$smp_arg" -m "$mem" ${numa_args[@]+"${numa_args[@]}"} -display none -monitor none -no-reboot
	-chardev "file,id=con,path=$run/console,append=on" -serial chardev:con
	-chardev "file,id=out,path=$run/out,append=on" -serial chardev:out
	-kernel "$kernel" -initrd "$run/initrd" -append "$cmdline"
	-fsdev "local,id=host,path=/,security_model=none,readonly=on,multidevs=remap"
	-device "virtio-9p-pci,fsdev=host,mount_tag=host"
	${rw_args[@]+"${rw_args[@]}"} ${qemu_extra[@]+"${qemu_extra[@]}"})

# One guest at a time on this machine: two TCG guests on two cores starve
# each other into timeouts. Concurrent runs (worktrees, helpers) queue here;
# /dev/shm is shared with chroots that bind-mount /dev (fresh-machine.sh).
lock=${PKTPOOL_VM_LOCK:-/dev/shm/pktpool-vm.lock}
exec 9>>"$lock"
if ! flock -n 9; then
	echo "vm: waiting for another guest to finish ($lock)" >&2
	flock 9
fi

booted=$SECONDS
echo "vm: booting $KVER ($how, $smp cpus$([ "$numa" = 0 ] || echo ", 2 nodes"), ${mem}M, timeout ${vm_timeout}s): $*" >&2
# `timeout` also bounds QEMU's life if this script is SIGKILLed.
timeout --kill-after=10 "$vm_timeout" "${qemu[@]}" </dev/null >"$run/qemu.log" 2>&1 &
qpid=$!

# Stream GUEST_CMD's output as it arrives, up to the exit marker.
tail -n +1 -s 0.2 -f --pid="$qpid" "$run/out" 2>/dev/null |
	awk -v m="$M:exit:" '
		{
			sub(/\r$/, "")
			i = index($0, m)
			if (i) {
				if (i > 1) print substr($0, 1, i - 1)
				exit
			}
			print
			fflush()
		}' &
spid=$!

qrc=0
wait "$qpid" || qrc=$?
qpid=
wait "$spid" 2>/dev/null || true
spid=
# Time in the guest, without the wait for the lock: what make check reports.
echo "vm: guest time $((SECONDS - booted))s ($KVER)" >&2

# ---- verdict ---------------------------------------------------------------
tr -d '\r' <"$run/console" >"$run/console.txt"
out=$run/out
log_hint="console log: $log"

# Lines of a kernel log that mean trouble. "BUG " needs a non-letter before
# it so that e.g. "DEBUG " does not match.
bad_re='BUG:|(^|[^A-Za-z_])BUG |Oops|WARNING:|Unknown symbol|general protection fault'
bad_re+='|Call Trace|kernel BUG|slab error|Poison overwritten|Redzone|Padding overwritten'
bad_re+='|Objects remaining|still has objects|Freepointer|Wrong object count|INFO: Slab'
bad_re+='|memory leak|unreferenced object|RCU stall|self-detected stall|detected stalls'
bad_re+='|soft lockup|hard LOCKUP|hung_task|blocked for more than|Kernel panic'
bad_re+='|list_add corruption|list_del corruption|refcount_t:|UBSAN:|double free'

tail_lines() { tail -n 20 "$run/console.txt"; }

if ! grep -qF "$M:dmesg-end@@" "$out"; then
	# The guest did not finish its report: find out why.
	reason=$(sed -n "s/.*$M:error:\(.*\)@@.*/\1/p" "$run/console.txt" | head -n 1)
	mapfile -t ctx < <(tail_lines)
	if [ -n "$reason" ]; then
		vm_fail "$reason" "${ctx[@]}" "$log_hint"
	fi
	case $qrc in
	124 | 137)
		# Kernel messages at loglevel < 4 reached the console; they
		# often say why the guest hung (soft lockup, hung task, RCU).
		mapfile -t hung < <(grep -E "$bad_re" "$run/console.txt" | head -n 20)
		vm_fail "timeout after ${vm_timeout}s" ${hung[@]+"${hung[@]}"} "${ctx[@]}" "$log_hint"
		;;
	esac
	if ! grep -qF "$M:running@@" "$run/console.txt"; then
		# Never got as far as the guest command (a panic here is not
		# the command's doing: e.g. too little memory).
		mapfile -t qlog < <(tail -n 10 "$run/qemu.log")
		vm_fail "boot failed (qemu exit $qrc)" ${qlog[@]+"${qlog[@]}"} "${ctx[@]}" "$log_hint"
	fi
	if grep -q 'Kernel panic' "$run/console.txt"; then
		# Most likely caused by the code under test: a test failure (1).
		# No dmesg dump, but a panic prints everything on the console.
		mapfile -t bad < <(grep -E "$bad_re" "$run/console.txt" | head -n 100)
		echo "not ok - guest kernel log: ${bad[0]}"
		printf '# %s\n' "${bad[@]}"
		echo "# $log_hint"
		exit 1
	fi
	if [ "$qrc" -ne 0 ]; then
		mapfile -t qlog < <(tail -n 10 "$run/qemu.log")
		vm_fail "qemu failed (exit $qrc)" ${qlog[@]+"${qlog[@]}"} "${ctx[@]}" "$log_hint"
	fi
	vm_fail "guest stopped before reporting (qemu exit $qrc)" "${ctx[@]}" "$log_hint"
fi

rc=$(sed -n "s/.*$M:exit:\([0-9]*\)@@.*/\1/p" "$out" | head -n 1)
[ -n "$rc" ] || vm_fail "no exit status from the guest" "$log_hint"
sed -n "/$M:dmesg-begin@@/,/$M:dmesg-end@@/p" "$out" | sed '1d;$d' >"$run/dmesg"

status=0
if [ "$rc" -ne 0 ]; then
	echo "# guest command exited with status $rc"
	status=1
fi
mapfile -t bad < <(grep -E "$bad_re" "$run/dmesg" || true)
if [ "${#bad[@]}" -eq 0 ]; then
	echo "ok - guest kernel log clean"
else
	echo "not ok - guest kernel log: ${bad[0]}"
	printf '# %s\n' "${bad[@]:0:100}"
	[ "${#bad[@]}" -le 100 ] || echo "# ... $((${#bad[@]} - 100)) more"
	echo "# $log_hint"
	status=1
fi
exit "$status"
