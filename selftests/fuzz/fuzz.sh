#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The check helpers are called indirectly, through check.
# shellcheck disable=SC2317
#
# The guest side of the pktpool fuzz stage (scripts/vm/run.sh runs it as
# root, in the repository, with nothing pktpool loaded):
#   1. a memory cgroup (cgroup v2, memory.max) for half the workers;
#   2. insmod pktpool.ko with tiny limits, /dev/pktpool open to everyone;
#   3. build/selftests/pktpool_fuzz: workers as root, as root without
#      CAP_NET_ADMIN and as nobody, killed at random, until FUZZ_SYSCALLS
#      system calls (default 200000) or, when set, FUZZ_SECONDS seconds;
#   4. the leak check: no region attached or mapped once every worker is
#      gone, all of region_max_bytes can be created again, rmmod works,
#      no pktpool-* slab cache is left, and the kernel log is clean apart
#      from the reports of the cgroup's OOM killer, which is expected.
#
# Environment: FUZZ_SEED (default: from the clock; printed, replay with
# it), FUZZ_SYSCALLS, FUZZ_SECONDS, FUZZ_WORKERS (default 6),
# FUZZ_MEMCG_MAX (default 32M). Output is TAP.
set -u

KO=${PKTPOOL_KO:-kmod/pktpool.ko}
FUZZ=build/selftests/pktpool_fuzz
CG=/sys/fs/cgroup/pktpool-fuzz
# Tiny limits: every limit is reached all the time.
PARAMS=(dev_mode=0666 max_regions=6 region_max_bytes=$((8 << 20))
	user_max_regions=3 user_region_max_bytes=$((4 << 20))
	region_max_slots=2048 max_pools=6 "classes=64,256,2048")

seed=${FUZZ_SEED:-$(( ($(date +%s) << 16) ^ $$ ^ RANDOM ))}
syscalls=${FUZZ_SYSCALLS:-200000}
seconds=${FUZZ_SECONDS:-}
workers=${FUZZ_WORKERS:-6}
memcg_max=${FUZZ_MEMCG_MAX:-32M}

tmp=$(mktemp -d /tmp/pktpool-fuzz.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
# shellcheck source=selftests/tap.sh
. "$(dirname "$0")/../tap.sh"

loaded() {
	grep -q "^pktpool " /proc/modules
}

echo "TAP version 13"
echo "# pktpool fuzz on $(uname -r), $(nproc) CPUs, seed $seed"

if [ "$(id -u)" -ne 0 ] || [ ! -x "$FUZZ" ] || [ ! -e "$KO" ]; then
	not_ok "fuzz: root, $FUZZ and $KO present"
	finish
fi
loaded && rmmod pktpool_test 2>/dev/null
loaded && rmmod pktpool

# --- 1. the memory cgroup ---------------------------------------------------

memcg() {
	if ! grep -q ' /sys/fs/cgroup cgroup2 ' /proc/mounts; then
		mount -t cgroup2 none /sys/fs/cgroup || return 1
	fi
	echo +memory >/sys/fs/cgroup/cgroup.subtree_control || return 1
	[ -d "$CG" ] || mkdir "$CG" || return 1
	echo "$memcg_max" >"$CG/memory.max" || return 1
	[ -e "$CG/memory.swap.max" ] && echo 0 >"$CG/memory.swap.max"
	echo "memory.max: $(cat "$CG/memory.max")"
}
cgopt=()
if memcg >"$tmp/out" 2>&1; then
	ok "fuzz: a memory cgroup with memory.max $memcg_max for half the workers"
	cgopt=(--cgroup "$CG")
else
	not_ok "fuzz: a memory cgroup with memory.max $memcg_max for half the workers"
	comment <"$tmp/out"
fi

# --- 2. the module, with tiny limits ------------------------------------------

if ! insmod "$KO" "${PARAMS[@]}" >"$tmp/out" 2>&1; then
	not_ok "fuzz: insmod pktpool.ko ${PARAMS[*]}"
	comment <"$tmp/out"
	finish
fi
ok "fuzz: insmod pktpool.ko ${PARAMS[*]}"

# --- 3. the fuzzer ------------------------------------------------------------

limit=(--syscalls "$syscalls")
[ -n "$seconds" ] && limit=(--seconds "$seconds")
start=$(date +%s)
# Workers' stderr (violations) is shown as comments, as it comes.
"$FUZZ" --seed "$seed" --workers "$workers" "${limit[@]}" "${cgopt[@]}" \
	</dev/null 2>&1 | sed -u 's/^\([^#]\)/# \1/' | tee "$tmp/fuzz"
rc=${PIPESTATUS[0]}
took=$(($(date +%s) - start))
done_calls=$(sed -n 's/^# syscalls: \([0-9]*\)$/\1/p' "$tmp/fuzz")
what="fuzz: ${done_calls:-?} syscalls in ${took} s, seed $seed"
if [ "$rc" -ne 0 ] || [ -z "$done_calls" ]; then
	not_ok "$what: no violation, every worker ended as expected (exit $rc)"
elif [ -z "$seconds" ] && [ "$done_calls" -lt "$syscalls" ]; then
	not_ok "$what: at least $syscalls syscalls"
else
	ok "$what: no violation, every worker ended as expected"
fi

# --- 4. nothing leaked ----------------------------------------------------------

# Workers may have left injected failures pending (op_fault).
for knob in /sys/kernel/debug/pktpool/fail_slab /sys/kernel/debug/pktpool/fail_region; do
	[ -e "$knob" ] && echo 0 >"$knob"
done

# Bounded: after an oops the module's locks may never be released.
check "fuzz: once every worker is gone no region is attached or mapped; the rest is destroyed" \
	timeout 300 "$FUZZ" --cleanup
check "fuzz: every byte of region_max_bytes can be created again" \
	timeout 300 "$FUZZ" --fill
check "fuzz: rmmod pktpool" timeout 120 rmmod pktpool
no_slabs() {
	! awk '$1 ~ /^pktpool-/ { print; bad = 1 } END { exit !bad }' /proc/slabinfo
}
check "fuzz: no pktpool-* slab cache left in /proc/slabinfo" no_slabs
[ -d "$CG" ] && rmdir "$CG" 2>/dev/null

# The cgroup's OOM killer prints a stack trace with every kill; run.sh
# treats any "Call Trace" as a defect. Everything run.sh looks for (the
# same expression) must be absent, except the trace inside an OOM report.
log_clean() {
	local re='BUG:|(^|[^A-Za-z_])BUG |Oops|WARNING:|Unknown symbol|general protection fault'
	re+='|Call Trace|kernel BUG|slab error|Poison overwritten|Redzone|Padding overwritten'
	re+='|Objects remaining|still has objects|Freepointer|Wrong object count|INFO: Slab'
	re+='|memory leak|unreferenced object|RCU stall|self-detected stall|detected stalls'
	re+='|soft lockup|hard LOCKUP|hung_task|blocked for more than|Kernel panic'
	re+='|list_add corruption|list_del corruption|refcount_t:|UBSAN:|double free'
	dmesg >"$tmp/dmesg"
	awk -v re="$re" '
		/invoked oom-killer:/ { oom = 1; reports++ }
		$0 ~ re {
			if (oom && /Call Trace/)
				next
			print "unexpected: " $0
			bad++
		}
		/oom-kill:constraint=/ { oom = 0 }
		END {
			printf "%d OOM reports\n", reports
			exit bad > 0
		}' "$tmp/dmesg"
}
if log_clean >"$tmp/out" 2>&1; then
	ok "fuzz: kernel log clean but for memory-cgroup OOM reports"
	comment <"$tmp/out"
	# Judged here; keep run.sh from judging the expected OOM traces.
	grep -q 'invoked oom-killer' "$tmp/dmesg" && dmesg -C
else
	not_ok "fuzz: kernel log clean but for memory-cgroup OOM reports"
	comment <"$tmp/out"
fi
finish
