#!/usr/bin/env bash
# make stress: the kill stress and the hostile writer, run for as long as
# asked: stress.sh BUILD SECONDS. Two thirds of the time go to the kill
# stress, the rest to the hostile writer's three rounds. TAP out, then one
# line "N passed, N failed".
set -u
build=$1
total=${2:-600}
dir="$build/test-plain"
kill_s=$((total * 2 / 3))
hostile_s=$(((total - kill_s) / 3))
[ "$hostile_s" -ge 1 ] || hostile_s=1
pass=0 fail=0

run() {	# run SECONDS NAME
	local secs=$1 name=$2 out rc
	echo "# ---- $name for ${secs}s ($(date -u +%H:%M:%S) UTC)"
	out=$(PKTPOOL_STRESS_SECONDS=$secs timeout -k 10 $((secs * 3 + 300)) \
		"$dir/$name" 2>&1)
	rc=$?
	echo "$out"
	pass=$((pass + $(grep -c '^ok ' <<<"$out")))
	fail=$((fail + $(grep -c '^not ok ' <<<"$out")))
	if [ "$rc" -ne 0 ] && ! grep -q '^not ok ' <<<"$out"; then
		echo "not ok - $name exited with status $rc"
		fail=$((fail + 1))
	fi
}

run "$kill_s" stress
run "$hostile_s" hostile
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
