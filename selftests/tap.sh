# SPDX-License-Identifier: GPL-2.0
# TAP helpers for the shell test suites, sourced. The suite sets tmp to a
# scratch directory of its own before calling check or expect; n and
# failed count the results, and finish prints the plan and sets the exit
# status.

n=0
failed=0

ok() {
	n=$((n + 1))
	echo "ok $n - $*"
}

not_ok() {
	n=$((n + 1))
	failed=$((failed + 1))
	echo "not ok $n - $*"
}

# skip NAME WHY
skip() {
	n=$((n + 1))
	echo "ok $n - $1 # SKIP $2"
}

# Indent anything as TAP comments.
comment() {
	sed 's/^/# /'
}

finish() {
	echo "1..$n"
	[ "$failed" -eq 0 ]
	exit $?
}

# check NAME CMD...: one result line for CMD's exit status; CMD's output
# is shown (as comments) only when it fails.
check() {
	local name=$1
	shift
	if "$@" >"$tmp/out" 2>&1; then
		ok "$name"
	else
		not_ok "$name"
		comment <"$tmp/out"
	fi
}

# expect NAME RC REGEX CMD...: CMD exits with RC and a line of its
# stdout+stderr matches the extended REGEX (empty: anything). The output
# stays in $tmp/last for checks that look further.
expect() {
	local name=$1 want=$2 re=$3 rc=0
	shift 3
	"$@" >"$tmp/out" 2>&1 || rc=$?
	cp "$tmp/out" "$tmp/last"
	if [ "$rc" = "$want" ] && { [ -z "$re" ] || grep -Eq -- "$re" "$tmp/out"; }; then
		ok "$name"
	else
		not_ok "$name"
		echo "# command: $*"
		echo "# exit status $rc (expected $want), output should match: $re"
		comment <"$tmp/out"
	fi
}
