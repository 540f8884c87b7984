#!/usr/bin/env bash
# Run every test of each built variant: run.sh BUILD VARIANT...
# A test passes with exit 0, is skipped with exit 77, fails otherwise (or
# on timeout). Prints each test's TAP, then one summary line per variant
# and a closing 'N passed, N failed, N skipped'.
set -u
build=$1
shift
timeout_s=${PKTPOOL_TEST_TIMEOUT:-120}
pass=0 fail=0 skip=0 failed_list=()
summary=()

for variant in "$@"; do
	dir="$build/test-$variant"
	vp=0 vf=0 vs=0
	case $variant in
	asan) export ASAN_OPTIONS=abort_on_error=0:detect_leaks=1 \
		     UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 ;;
	tsan) export TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1 ;;
	esac
	for t in "$dir"/*; do
		[ -f "$t" ] && [ -x "$t" ] || continue
		name=$(basename "$t")
		[[ $name == *.a ]] && continue
		echo "# ---- $variant/$name"
		start=$(date +%s.%N)
		timeout -k 5 "$timeout_s" "$t" 2>&1
		rc=$?
		secs=$(echo "$(date +%s.%N) - $start" | bc)
		case $rc in
		0) vp=$((vp + 1)); echo "# PASS $variant/$name (${secs}s)" ;;
		77) vs=$((vs + 1)); echo "# SKIP $variant/$name" ;;
		*) vf=$((vf + 1)); failed_list+=("$variant/$name (rc $rc)")
		   echo "# FAIL $variant/$name rc=$rc (${secs}s)" ;;
		esac
	done
	summary+=("# $variant: $vp passed, $vf failed, $vs skipped")
	pass=$((pass + vp)) fail=$((fail + vf)) skip=$((skip + vs))
	unset ASAN_OPTIONS UBSAN_OPTIONS TSAN_OPTIONS
done

printf '%s\n' "${summary[@]}"
for f in "${failed_list[@]}"; do
	echo "# failed: $f"
done
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
