#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The check helpers are called indirectly, through check and expect.
# shellcheck disable=SC2317
#
# The guest side of the pktpool test run: scripts/vm/run.sh boots a Debian
# kernel and runs this as root, with the repository (read-only) as the
# current directory and everything already built on the host.
#
# It loads and unloads the modules itself, so it starts from a kernel with
# no pktpool module, then:
#   1. insmod with invalid parameters must fail and leave nothing behind;
#   2. insmod with two boot pools; caches and pools as expected;
#   3. pktpoolctl: output, exit codes and error messages;
#   4. the selftest programs (build/selftests/pktpool_*_test), whose TAP
#      lines are renumbered into this script's single sequence;
#   5. rmmod, three load/unload cycles, no cache left behind;
#   6. debug=1: red zones on the caches, bad frees caught, the allocation
#      tests once more with every pool tracking its objects.
#
# Output is TAP only: one "ok N - ..." / "not ok N - ..." line per check at
# column 0, everything else as "# " comments, the plan at the end. Exit
# status 0 iff every check passed.
set -u

# Overridable, e.g. to test a snapshot while the tree is being rebuilt.
KO=${PKTPOOL_KO:-kmod/pktpool.ko}
TKO=${PKTPOOL_TEST_KO:-selftests/kmod/pktpool_test.ko}
NFKO=${PKTPOOL_NF_KO:-kmod/pktpool_nf.ko}
VDEVKO=${PKTPOOL_VDEV_KO:-kmod/pktpool_vdev.ko}
CTL=build/tools/pktpoolctl
ST=build/selftests
NOCAP=$ST/pktpool_nocap
TESTCTL=$ST/pktpool_testctl
BOOT_POOLS=fw:256:65536,vpn:1500:8192
# Per selftest program, in seconds (TCG is slow).
TIMEOUT=${PKTPOOL_TEST_TIMEOUT:-900}

tmp=$(mktemp -d /tmp/pktpool-vm-tests.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
# shellcheck source=selftests/tap.sh
. "$(dirname "$0")/tap.sh"





# A check that cannot go on without: report it and end the run.
fatal() {
	not_ok "$1"
	echo "# cannot continue: $2"
	finish
}



loaded() {
	grep -q "^$1 " /proc/modules
}

# Names of pktpool slab caches present now, one per line.
caches() {
	awk '$1 ~ /^pktpool-/ { print $1 }' /proc/slabinfo
}

no_caches() {
	local left
	left=$(caches)
	[ -z "$left" ] && return 0
	echo "caches left in /proc/slabinfo: ${left//$'\n'/ }"
	return 1
}

nothing_loaded() {
	local m rc=0
	for m in pktpool_vdev pktpool_nf pktpool_test pktpool; do
		if loaded "$m"; then
			echo "module $m is loaded"
			rc=1
		fi
	done
	no_caches || rc=1
	return "$rc"
}

unload() {
	loaded pktpool_vdev && rmmod pktpool_vdev
	loaded pktpool_nf && rmmod pktpool_nf
	loaded pktpool_test && rmmod pktpool_test
	loaded pktpool && rmmod pktpool
	! loaded pktpool_test && ! loaded pktpool
}

expect_fail() {
	! "$@" 2>/dev/null
}

# bad_insmod PARAM...: insmod must fail and leave nothing behind.
bad_insmod() {
	local rc=0
	insmod "$KO" "$@" >"$tmp/insmod" 2>&1 || rc=$?
	if [ "$rc" -eq 0 ]; then
		echo "insmod $* succeeded"
		unload
		return 1
	fi
	comment <"$tmp/insmod"
	nothing_loaded
}

# The caches the loaded module should have: pktpool-<class> for each class.
caches_match_classes() {
	local classes want got
	classes=$(cat /sys/module/pktpool/parameters/classes) || return 1
	want=$(echo "$classes" | tr ',' '\n' | sed 's/^/pktpool-/' | sort)
	got=$(caches | sort)
	if [ "$want" != "$got" ]; then
		echo "expected caches: ${want//$'\n'/ }"
		echo "found caches: ${got//$'\n'/ }"
		return 1
	fi
}

# list_row NAME: "SIZE CLASS LIMIT" of pool NAME in pktpoolctl list.
list_row() {
	"$CTL" list | awk -v name="$1" '$2 == name { print $3, $4, $7 }'
}

list_has() {
	local got
	got=$(list_row "$1")
	[ "$got" = "$2" ] && return 0
	echo "pktpoolctl list row of $1: '$got', expected '$2'"
	"$CTL" list
	return 1
}

# show_has POOL REGEX...: every REGEX matches a line of pktpoolctl show.
show_has() {
	local pool=$1 re rc=0
	shift
	"$CTL" show "$pool" >"$tmp/show" 2>&1 || {
		cat "$tmp/show"
		return 1
	}
	for re in "$@"; do
		if ! grep -Eq -- "$re" "$tmp/show"; then
			echo "no line matches: $re"
			rc=1
		fi
	done
	[ "$rc" -eq 0 ] || cat "$tmp/show"
	return "$rc"
}

# Under pktpool_nocap, bit 12 (CAP_NET_ADMIN) is clear in the effective,
# permitted and bounding sets, and only there.
nocap_works() {
	local field hex rc=0
	"$NOCAP" cat /proc/self/status >"$tmp/status" || return 1
	for field in CapEff CapPrm CapBnd; do
		hex=$(awk -v f="$field:" '$1 == f { print $2 }' "$tmp/status")
		echo "$field: $hex"
		if [ -z "$hex" ] || (((16#$hex >> 12) & 1)); then
			echo "$field still has CAP_NET_ADMIN"
			rc=1
		fi
	done
	hex=$(awk '$1 == "CapEff:" { print $2 }' "$tmp/status")
	if ! (((16#$hex >> 21) & 1)); then
		echo "CapEff lost CAP_SYS_ADMIN too"
		rc=1
	fi
	return "$rc"
}

# Exactly the pools loaded at insmod, and no region: what every suite must
# leave behind.
only_boot_state() {
	local pools regions

	pools=$("$CTL" list --json | python3 -c \
		'import json,sys; print(" ".join(sorted(p["name"] for p in json.load(sys.stdin))))')
	regions=$("$CTL" region list --json | python3 -c \
		'import json,sys; print(len(json.load(sys.stdin)))')
	echo "pools: $pools; regions: $regions"
	[ "$pools" = "fw vpn" ] && [ "$regions" = 0 ]
}

# run_tap PROG LABEL: run a selftest program and pass its TAP lines
# through, renumbered into this script's sequence ("ok 5 # SKIP why" gets
# the test's name from the preceding RUN line). Its plan and header become
# comments; anything else that is not a comment is turned into one.
run_tap() {
	local prog=$1 label=$2 rc state=$tmp/tapstate
	local buf=()

	command -v stdbuf >/dev/null && buf=(stdbuf -oL -eL)
	echo "# --- $label"
	timeout -k 10 "$TIMEOUT" "${buf[@]}" "$prog" 2>&1 </dev/null |
		awk -v start="$n" -v label="$label" -v state="$state" '
		# Flush every line: if the kernel dies, the last test run shows.
		function out(line) { print line; fflush() }
		BEGIN { n = start; fails = 0; last = "" }
		/^TAP version/ { next }
		/^1\.\.[0-9]+/ { out("# " label ": plan " $0); next }
		/^#  RUN / { last = $3 }
		/^(not )?ok [0-9]+/ {
			bad = /^not ok/
			rest = $0
			sub(/^(not )?ok [0-9]+ *(- )?/, "", rest)
			if (rest == "" || rest ~ /^#/)
				rest = last " " rest
			n++
			if (bad)
				fails++
			out(sprintf("%s %d - %s: %s", bad ? "not ok" : "ok", n, label, rest))
			next
		}
		/^Bail out!/ {
			n++
			fails++
			out(sprintf("not ok %d - %s: %s", n, label, $0))
			next
		}
		/^#/ { out($0); next }
		{ out("# " $0) }
		END { printf "%d %d\n", n, fails > state }'
	rc=${PIPESTATUS[0]}
	local got_n=$n got_fails=0
	[ -s "$state" ] && read -r got_n got_fails <"$state"
	rm -f "$state"
	local ran=$((got_n - n))
	n=$got_n
	failed=$((failed + got_fails))
	# A crash or timeout without a failing line still has to show.
	if [ "$rc" -ne 0 ] && [ "$got_fails" -eq 0 ]; then
		not_ok "$label exited with status $rc after $ran results"
	elif [ "$ran" -eq 0 ]; then
		not_ok "$label produced no results"
	fi
}

echo "TAP version 13"
echo "# pktpool guest tests on $(uname -r), $(nproc) CPUs"

# --- preconditions --------------------------------------------------------

if [ "$(id -u)" -ne 0 ]; then
	fatal "running as root" "vm-tests.sh loads modules; run it through scripts/vm/run.sh"
fi
for f in "$KO" "$TKO" "$NFKO" "$CTL" "$NOCAP" "$TESTCTL"; do
	[ -e "$f" ] || fatal "build artefacts present" "$f missing: build first (make)"
done
if ! ls "$ST"/pktpool_*_test >/dev/null 2>&1; then
	fatal "build artefacts present" "no selftest programs in $ST: make -C selftests"
fi
mountpoint -q /sys/kernel/debug || mount -t debugfs debugfs /sys/kernel/debug
# make check's preempt=full run: make sure the kernel took it.
if [ -n "${PKTPOOL_EXPECT_PREEMPT:-}" ]; then
	check "the kernel runs with preempt=$PKTPOOL_EXPECT_PREEMPT" \
		grep -qF "($PKTPOOL_EXPECT_PREEMPT)" /sys/kernel/debug/sched/preempt
fi

check "no pktpool module loaded at start" nothing_loaded
unload >/dev/null 2>&1

# --- 1. invalid module parameters -----------------------------------------

check "insmod rejects unsorted classes" bad_insmod classes=256,64
check "insmod rejects repeated classes" bad_insmod classes=64,64
check "insmod rejects a class not a multiple of 8" bad_insmod classes=64,100
check "insmod rejects a class below 8" bad_insmod classes=0,64
check "insmod rejects a class above 65536" bad_insmod classes=64,65544
check "insmod rejects 17 classes" bad_insmod \
	classes=8,16,24,32,40,48,56,64,72,80,88,96,104,112,120,128,136
check "insmod rejects a pools entry without size" bad_insmod pools=fw
check "insmod rejects a pools entry with an invalid name" bad_insmod pools=Fw:256
check "insmod rejects a pools entry with a bad number" bad_insmod pools=fw:256x
check "insmod rejects a pools entry larger than the largest class" \
	bad_insmod pools=fw:65536
check "insmod rejects a pools entry with reserve above limit" \
	bad_insmod pools=fw:256:10:20
check "insmod rejects a pools string naming a pool twice" \
	bad_insmod pools=fw:256,fw:512
check "insmod rejects a pools string with an empty entry" \
	bad_insmod pools=fw:256,,vpn:1500
check "insmod rejects region_max_bytes 0" bad_insmod region_max_bytes=0
check "insmod rejects region_max_bytes beyond the RAM" \
	bad_insmod region_max_bytes=1099511627776
check "insmod rejects max_regions 4096 (ids must stay below 4096)" \
	bad_insmod max_regions=4096
check "insmod rejects a user share above the global region limit" \
	bad_insmod user_max_regions=65 max_regions=64
check "insmod rejects a user byte share above region_max_bytes" \
	bad_insmod user_region_max_bytes=536870912

# --- 2. load with boot pools ----------------------------------------------

if ! insmod "$KO" pools="$BOOT_POOLS" >"$tmp/out" 2>&1; then
	comment <"$tmp/out"
	fatal "insmod pktpool.ko pools=$BOOT_POOLS" "the module does not load"
fi
ok "insmod pktpool.ko pools=$BOOT_POOLS"
check "/dev/pktpool is a character device" test -c /dev/pktpool
check "slab caches pktpool-<class> appear in /proc/slabinfo" caches_match_classes
check "default classes are 64,256,1024,2048,4096" \
	grep -qx "64,256,1024,2048,4096" /sys/module/pktpool/parameters/classes
expect "pktpoolctl version reports ABI 2" 0 "^ABI version: +2$" "$CTL" version
expect "pktpoolctl version lists the pools feature" 0 "^features:.* pools" \
	"$CTL" version
check "boot pool fw: size 256, class 256, limit 65536" list_has fw "256 256 65536"
check "boot pool vpn: size 1500, class 2048, limit 8192" list_has vpn "1500 2048 8192"
check "pktpoolctl show fw prints configuration and every statistic" \
	show_has fw '^id: +[0-9]+$' '^name: +fw$' '^object size: +256 B$' \
	'^size class: +256 B$' '^node: +any$' '^limit: +65536 objects \(16\.0 MiB\)$' \
	'^reserve: +0 objects' '^in use: +0 \(0\.0% of limit' '^peak: ' \
	'^allocations: +0$' '^frees: +0$' '^fails \(limit\): +0$' \
	'^fails \(nomem\): +0$' '^reserve hits: +0$' '^reserve avail: +0 of 0$' \
	'^cached: ' '^holders: +0$' '^bad frees: +0$' '^memory: '
check "pktpoolctl show vpn shows class 2.0 KiB" \
	show_has vpn '^size class: +2\.0 KiB$' '^limit: +8192 objects \(16\.0 MiB\)$'

if ! insmod "$TKO" >"$tmp/out" 2>&1; then
	comment <"$tmp/out"
	not_ok "insmod pktpool_test.ko"
else
	ok "insmod pktpool_test.ko"
fi
check "/dev/pktpool_test is a character device" test -c /dev/pktpool_test
# The "irq" context of the test module is a real interrupt handler: hard
# irq context without PREEMPT_RT, an irq thread of its own with it.
irq_threads() {
	grep -l '^irq/[0-9]*-pktpool' /proc/[0-9]*/comm 2>/dev/null | wc -l
}
if uname -v | grep -q PREEMPT_RT; then
	check "PREEMPT_RT: the test module's interrupt handler has an irq thread" \
		test "$(irq_threads)" -eq 1
else
	check "no PREEMPT_RT: the test module's interrupt handler is not threaded" \
		test "$(irq_threads)" -eq 0
fi
check "insmod pktpool_nf.ko" insmod "$NFKO"
check "insmod pktpool_vdev.ko" insmod "$VDEVKO"

# --- 3. pktpoolctl --------------------------------------------------------

expect "pktpoolctl create prints the new pool" 0 "^created pool 'ctl-a' \(id [0-9]+\)" \
	"$CTL" create ctl-a --size 100 --limit 1k
check "pktpoolctl list shows the new pool (k suffix: limit 1024)" \
	list_has ctl-a "100 256 1024"
expect "pktpoolctl create of a taken name fails with advice" 1 \
	"a pool named 'ctl-a' already exists.*destroy" \
	"$CTL" create ctl-a --size 64
expect "pktpoolctl set changes limit and reserve" 0 \
	"limit 2048, reserve 8" "$CTL" set ctl-a --limit 2048 --reserve 8
check "pktpoolctl show reflects the set" \
	show_has ctl-a '^limit: +2048 objects \(512\.0 KiB\)$' \
	'^reserve: +8 objects \(2\.0 KiB\)$' '^reserve avail: +8 of 8$'
expect "pktpool_testctl holds 512 objects of ctl-a" 0 "^held 512$" \
	"$TESTCTL" hold ctl-a 512
check "pktpoolctl show gives in-use as percentage of limit and memory" \
	show_has ctl-a '^in use: +512 \(25\.0% of limit, 128\.0 KiB\)$' \
	'^peak: +512 \(25\.0% of limit' '^holders: +1$'
expect "pktpoolctl destroy of a busy pool fails with advice" 1 \
	"pool 'ctl-a' is busy.*free them" "$CTL" destroy ctl-a
expect "pktpool_testctl releases them" 0 "^released 512$" \
	"$TESTCTL" release ctl-a
expect "pktpoolctl reset-stats starts the peak over at what is in use" 0 \
	"^reset the statistics of pool 'ctl-a' \(id [0-9]+\): peak 0$" \
	"$CTL" reset-stats ctl-a
expect "pktpoolctl set --limit 0 makes the pool unlimited" 0 "limit unlimited" \
	"$CTL" set ctl-a --limit 0
check "pktpoolctl show prints an unlimited limit as such" \
	show_has ctl-a '^limit: +unlimited$' '^in use: +0 \(0 B\)$'
ctl_a_id=$("$CTL" list | awk '$2 == "ctl-a" { print $1 }')
expect "pktpoolctl destroy by id names the pool" 0 "^destroyed pool 'ctl-a' \(id ${ctl_a_id:-X}\)$" \
	"$CTL" destroy "${ctl_a_id:-0}"
expect "pktpoolctl show of a missing pool fails with advice" 1 \
	"no pool 'ctl-a' \(see 'pktpoolctl list'\)" "$CTL" show ctl-a
expect "pktpoolctl show of a missing id fails" 1 "no pool with id 999999" \
	"$CTL" show 999999
expect "pktpoolctl destroy of a missing pool fails" 1 "no pool 'ctl-a'" \
	"$CTL" destroy ctl-a
expect "pktpoolctl rejects a size the module does not serve" 1 \
	"rejected pool 'ctl-b'.*--size" "$CTL" create ctl-b --size 65536
expect "pktpoolctl create without --size is a usage error" 2 "needs --size" \
	"$CTL" create ctl-b
expect "pktpoolctl rejects trailing garbage in numbers" 2 "invalid number for --size: '12x'" \
	"$CTL" create ctl-b --size 12x
expect "pktpoolctl rejects negative numbers" 2 "invalid number for --limit: '-5'" \
	"$CTL" create ctl-b --size 64 --limit -5
expect "pktpoolctl rejects numbers that overflow" 2 "invalid number for --limit" \
	"$CTL" create ctl-b --size 64 --limit 18446744073709551616
expect "pktpoolctl rejects invalid pool names" 2 "invalid pool name 'Bad'" \
	"$CTL" create Bad --size 64
expect "pktpoolctl set without a change is a usage error" 2 "needs --limit and/or --reserve" \
	"$CTL" set fw
expect "pktpoolctl rejects an unknown command" 2 "unknown command 'frobnicate'" \
	"$CTL" frobnicate
expect "pktpoolctl --help exits 0 with usage" 0 "^Usage: " "$CTL" --help
check "pktpool_nocap drops CAP_NET_ADMIN (CapEff, CapPrm, CapBnd)" nocap_works
expect "pktpoolctl create without CAP_NET_ADMIN explains" 1 \
	"^pktpoolctl: creating pools needs CAP_NET_ADMIN \(try as root\)$" \
	"$NOCAP" "$CTL" create ctl-c --size 64
expect "pktpoolctl destroy without CAP_NET_ADMIN explains" 1 \
	"destroying pools needs CAP_NET_ADMIN" "$NOCAP" "$CTL" destroy fw
expect "pktpoolctl set without CAP_NET_ADMIN explains" 1 \
	"changing pools needs CAP_NET_ADMIN" "$NOCAP" "$CTL" set fw --limit 1
expect "pktpoolctl reset-stats without CAP_NET_ADMIN explains" 1 \
	"resetting statistics needs CAP_NET_ADMIN" "$NOCAP" "$CTL" reset-stats fw
expect "pktpoolctl list works without CAP_NET_ADMIN" 0 "^ +[0-9]+ +fw " \
	"$NOCAP" "$CTL" list
expect "pktpoolctl list works as nobody, through netlink" 0 "^ +[0-9]+ +fw " \
	setpriv --reuid=65534 --regid=65534 --clear-groups "$CTL" list
expect "pktpoolctl create as nobody cannot open the device" 1 "permission denied \(try as root\)" \
	setpriv --reuid=65534 --regid=65534 --clear-groups "$CTL" create ctl-n --size 64
expect "pktpoolctl with a missing device says what to do" 1 \
	"/dev/nonexistent not found: is the pktpool module loaded\? \(insmod pktpool.ko\)" \
	"$CTL" -d /dev/nonexistent create ctl-d --size 64

# --- 4. selftest programs -------------------------------------------------

# The allocation tests drive the module hardest (irq handler, every CPU at
# once); they go last so that a crash there loses as little as possible.
for t in "$ST"/pktpool_*_test; do
	[ "$t" = "$ST/pktpool_alloc_test" ] || run_tap "$t" "$(basename "$t")"
done
run_tap "$ST/pktpool_alloc_test" pktpool_alloc_test

# Suites of the tools (netlink pktpoolctl, pktpool-trace, libpktpool on
# the kernel backend): each a TAP program or script run with pktpool and
# pktpool_test loaded, leaving the fw and vpn pools as it found them.
for t in selftests/tool-tests/*; do
	[ -x "$t" ] && run_tap "$t" "$(basename "$t")"
done
# The packet path with real traffic: veth, nftables marks, pktpool_nf
# bindings, pktpool-capture (selftests/nf/nf-tests.sh).
export PKTPOOL_NF_KO=$NFKO PKTPOOL_CTL=$CTL
run_tap selftests/nf/nf-tests.sh nf-tests.sh
# Network devices on regions: two namespaces tunnelled by pktpool-vpn
# (selftests/vdev/vdev-tests.sh); one SKIP while pktpool_vdev.ko is not built.
# It loads pktpool_vdev itself, to unload it with traffic running.
check "rmmod pktpool_vdev, for vdev-tests.sh to load it" rmmod pktpool_vdev
export PKTPOOL_VDEV_KO=$VDEVKO
if [ "${PKTPOOL_VDEV_TESTS:-1}" = 0 ]; then
	skip vdev-tests.sh "in this guest: check.sh runs it on 6.1 and 6.12-rt"
else
	run_tap selftests/vdev/vdev-tests.sh vdev-tests.sh
fi
check "the suites leave no pool or region behind" only_boot_state
check "boot pools survive the selftests untouched" \
	show_has fw '^in use: +0 ' '^holders: +0$'

# --- 5. unload, reload ----------------------------------------------------

check "rmmod pktpool refused while pktpool_nf uses it" \
	expect_fail rmmod pktpool
check "rmmod pktpool_nf" rmmod pktpool_nf
check "rmmod pktpool_test" rmmod pktpool_test
check "rmmod pktpool" rmmod pktpool
check "no pktpool cache left after rmmod" nothing_loaded
expect "pktpoolctl without the module points at insmod" 1 \
	"^pktpoolctl: pktpool module not loaded: .*\(insmod pktpool.ko\)$" \
	"$CTL" list

cycle() {
	insmod "$KO" pools="$BOOT_POOLS" || return 1
	insmod "$TKO" || return 1
	"$CTL" create cycle --size 512 --reserve 16 >/dev/null || return 1
	"$TESTCTL" hold cycle 100 >/dev/null || return 1
	"$TESTCTL" hold fw 100 softirq >/dev/null || return 1
	caches_match_classes || return 1
	# Objects still held are freed by pktpool_test's exit.
	rmmod pktpool_test || return 1
	"$CTL" destroy cycle >/dev/null || return 1
	rmmod pktpool || return 1
	nothing_loaded
}
for i in 1 2 3; do
	check "load/unload cycle $i with objects held leaves nothing behind" cycle
	unload >/dev/null 2>&1
done
check "no pktpool cache left after 3 cycles" nothing_loaded

# --- 6. debug=1 -----------------------------------------------------------

if insmod "$KO" debug=1 >"$tmp/out" 2>&1; then
	ok "insmod pktpool.ko debug=1"
	check "pktpool-256 has red zones (debug=1)" \
		grep -qx 1 /sys/kernel/slab/pktpool-256/red_zone
	check "pktpool-256 is poisoned (debug=1)" \
		grep -qx 1 /sys/kernel/slab/pktpool-256/poison
	expect "pktpoolctl version lists the debug feature" 0 "^features:.* debug" \
		"$CTL" version
	check "insmod pktpool_test.ko (debug=1)" insmod "$TKO"
	warns=$(dmesg | grep -ci 'pktpool.*free')
	expect "BAD_FREE scenario: foreign and double free caught" 0 \
		"^result 0 out 2 0 1 1 " "$TESTCTL" run bad_free vm-badfree
	now=$(dmesg | grep -ci 'pktpool.*free')
	check "bad frees are reported in the kernel log" test "$now" -gt "$warns"
	run_tap "$ST/pktpool_alloc_test" "pktpool_alloc_test(debug=1)"
	check "rmmod pktpool_test (debug=1)" rmmod pktpool_test
	check "debug=1: every object record went with its object" \
		grep -qx 0 /sys/kernel/debug/pktpool/object_records
	check "rmmod pktpool (debug=1)" rmmod pktpool
	check "debug=1: no object record left at unload" \
		expect_fail sh -c "dmesg | grep -q 'object records left at unload'"
	check "no pktpool cache left after debug=1" nothing_loaded
else
	comment <"$tmp/out"
	not_ok "insmod pktpool.ko debug=1"
fi
unload >/dev/null 2>&1

finish
