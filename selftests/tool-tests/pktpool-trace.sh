#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# cleanup runs from the EXIT trap.
# shellcheck disable=SC2317
#
# pktpool-trace against known traffic, in the guest, with pktpool.ko and
# pktpool_test.ko loaded (selftests/vm-tests.sh runs it through run_tap;
# run from the top of the repository, as root).
#
# Two tracers start, both filtered to this test's pool: one with --json
# and -d, one with text output and -i. Then the pool is created (limit
# LIMIT), pktpool_test holds LIMIT objects and asks for EXTRA more, which
# the limit refuses, and releases them all; a second pool sees traffic
# that the filter must keep out. The JSON summary must count exactly what
# was done, and the text one must show the same from its periodic
# summaries on. The boot pools fw and vpn are not touched.
#
# Output is TAP: one line per check, the plan at the end; exit status 0
# iff every check passed.
set -u

TRACE=build/tools/pktpool-trace
CTL=build/tools/pktpoolctl
TESTCTL=build/selftests/pktpool_testctl
POOL=trace-a			# traced
OTHER=trace-b			# filtered out
LIMIT=100
EXTRA=7				# asked for past the limit: each one fails
DURATION=12			# s the tracers run; the traffic takes ~3 s

tmp=$(mktemp -d /tmp/pktpool-trace-test.XXXXXX)
# shellcheck source=selftests/tap.sh
. "$(dirname "$0")/../tap.sh"
json_pid=
text_pid=




# Leave the guest as found even when a check fails half-way.
cleanup() {
	local p
	for p in "$json_pid" "$text_pid"; do
		[ -n "$p" ] && kill "$p" 2>/dev/null && wait "$p" 2>/dev/null
	done
	for p in "$POOL" "$OTHER"; do
		"$TESTCTL" release "$p" >/dev/null 2>&1
		"$CTL" destroy "$p" >/dev/null 2>&1
	done
	rm -rf "$tmp"
}
trap cleanup EXIT



# is NAME GOT WANT: one check that two values are equal.
is() {
	if [ "$2" = "$3" ]; then
		ok "$1"
	else
		not_ok "$1"
		echo "# got '$2', expected '$3'"
	fi
}

# wait_ready FILE: the tracer wrote its "tracing" line (it is attached).
wait_ready() {
	local _
	for _ in $(seq 600); do
		grep -q "^pktpool-trace: tracing" "$1" 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}

# held WORDS...: run pktpool_testctl, print the count it reports.
held() {
	"$TESTCTL" "$@" 2>&1 | awk '$1 == "held" || $1 == "released" { print $2 }'
}

# The parts of the JSON summary the checks need, as "key value" lines.
json_facts() {
	python3 - "$1" "$POOL" <<'EOF'
import json, sys

objs = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
print("objects", len(objs))
j = objs[-1]
print("final", str(j["final"]).lower())
print("pools", ",".join(str(p["name"]) for p in j["pools"]) or "none")
p = next((p for p in j["pools"] if p["name"] == sys.argv[2]), None)
if p:
    life = p["lifetime_ns"]
    sites = p["fail_sites"]
    print("allocs", p["allocs"])
    print("frees", p["frees"])
    print("fails_limit", p["fails"]["limit"])
    print("fails_nomem", p["fails"]["nomem"])
    print("untimed", p["untimed_allocs"], "unmatched", p["unmatched_frees"])
    print("size_limit", p["obj_size"], p["limit"], p["created"], p["destroyed"])
    print("lifetimes", life["count"])
    print("hist_sum", sum(b["count"] for b in life["log2_hist"]))
    print("min_low", min((b["low"] for b in life["log2_hist"]), default=-1))
    print("sites", len(sites))
    print("site_fails", sum(s["count"] for s in sites if s["cause"] == "limit"))
    print("site_modules", ",".join(sorted({str(s["module"]) for s in sites})) or "none")
EOF
}

# fact KEY: the rest of the line KEY in the facts file.
fact() {
	awk -v k="$1" '$1 == k { sub(/^[^ ]+ /, ""); print; exit }' "$tmp/facts"
}

echo "TAP version 13"

for f in "$TRACE" "$CTL" "$TESTCTL"; do
	if [ ! -x "$f" ]; then
		not_ok "build artefacts present"
		echo "# $f missing: build first (make)"
		finish
	fi
done

# --- usage and errors -----------------------------------------------------

expect "pktpool-trace --help exits 0 with usage" 0 "^Usage: " "$TRACE" --help
expect "pktpool-trace rejects an invalid pool name (usage error)" 2 \
	"invalid pool name 'Bad'" "$TRACE" -p Bad
expect "pktpool-trace rejects a duration of 0 (usage error)" 2 \
	"invalid number of seconds for --duration: '0'" "$TRACE" -d 0
expect "pktpool-trace as nobody says it needs root" 1 \
	"^pktpool-trace: needs root" \
	setpriv --reuid=65534 --regid=65534 --clear-groups "$TRACE" -d 1

# --- traffic under two tracers --------------------------------------------

timeout -k 5 $((DURATION + 120)) "$TRACE" --json -d "$DURATION" -p "$POOL" \
	>"$tmp/json" 2>"$tmp/json.err" </dev/null &
json_pid=$!
timeout -k 5 $((DURATION + 120)) "$TRACE" -i 2 -d "$DURATION" -p "$POOL" \
	>"$tmp/text" 2>"$tmp/text.err" </dev/null &
text_pid=$!
if wait_ready "$tmp/json.err" && wait_ready "$tmp/text.err"; then
	ok "pktpool-trace attaches and says it is tracing"
else
	not_ok "pktpool-trace attaches and says it is tracing"
	comment <"$tmp/json.err"
	comment <"$tmp/text.err"
	finish
fi
start=$SECONDS

expect "pktpoolctl create $POOL (limit $LIMIT)" 0 "^created pool '$POOL'" \
	"$CTL" create "$POOL" --size 64 --limit "$LIMIT"
expect "pktpoolctl create $OTHER" 0 "^created pool '$OTHER'" \
	"$CTL" create "$OTHER" --size 64
k=$(held hold "$POOL" "$LIMIT" process)
is "pktpool_test holds $LIMIT objects of $POOL" "$k" "$LIMIT"
more=$(held hold "$POOL" "$EXTRA" process)
is "$EXTRA more past the limit are all refused" "$more" 0
is "pktpool_test holds 5 objects of $OTHER" "$(held hold "$OTHER" 5)" 5
# Every object lives at least a second: no lifetime below slot 29
# (2^29..2^30-1 ns, the one that holds 10^9 ns).
sleep 1
is "pktpool_test releases the objects of $POOL" \
	"$(held release "$POOL")" "${k:-0}"
is "pktpool_test releases the objects of $OTHER" "$(held release "$OTHER")" 5
k=${k:-0}
fails=$((LIMIT + EXTRA - k - ${more:-0}))
k=$((k + ${more:-0}))
if [ $((SECONDS - start)) -ge "$DURATION" ]; then
	echo "# the traffic took $((SECONDS - start)) s, longer than the tracers ran"
fi

rc=0
wait "$json_pid" || rc=$?
json_pid=
is "pktpool-trace --json -d $DURATION exits 0 when the time is up" "$rc" 0
rc=0
wait "$text_pid" || rc=$?
text_pid=
is "pktpool-trace -i 2 -d $DURATION exits 0 when the time is up" "$rc" 0

# --- the JSON summary -----------------------------------------------------

if json_facts "$tmp/json" >"$tmp/facts" 2>&1; then
	ok "--json prints valid JSON"
else
	not_ok "--json prints valid JSON"
	comment <"$tmp/facts"
	comment <"$tmp/json"
	: >"$tmp/facts"
fi
is "--json -d prints exactly one JSON object, the final summary" \
	"$(fact objects) $(fact final)" "1 true"
is "-p $POOL: only $POOL in the summary ($OTHER filtered out)" "$(fact pools)" "$POOL"
is "counts exactly the $k allocations" "$(fact allocs)" "$k"
is "counts exactly the $k frees" "$(fact frees)" "$k"
is "counts the $fails failed attempts under cause limit" "$(fact fails_limit)" "$fails"
is "counts no failures under cause nomem" "$(fact fails_nomem)" 0
is "times every object: none untimed, no unmatched free" \
	"$(fact untimed)" "0 unmatched 0"
is "lifetime histogram has $k entries" "$(fact lifetimes)" "$k"
is "lifetime histogram buckets add up to $k" "$(fact hist_sum)" "$k"
min_low=$(fact min_low)
if [ -n "$min_low" ] && [ "$min_low" -ge $((1 << 29)) ]; then
	ok "lifetimes of at least 1 s land in slots from 2^29 ns up"
else
	not_ok "lifetimes of at least 1 s land in slots from 2^29 ns up"
	echo "# lowest slot starts at '$min_low' ns"
fi
is "takes size and limit from pktpool_pool_create" "$(fact size_limit)" \
	"64 $LIMIT True False"
sites=$(fact sites)
if [ -n "$sites" ] && [ "$sites" -ge 1 ]; then
	ok "failure call sites are listed ($sites)"
else
	not_ok "failure call sites are listed"
	echo "# sites: '$sites'"
fi
is "failure call sites add up to the $fails failures" "$(fact site_fails)" "$fails"
is "failure call sites are symbolised in pktpool_test" "$(fact site_modules)" \
	pktpool_test
# Anything the tracer said besides that it was tracing.
grep -v "^pktpool-trace: tracing" "$tmp/json.err" | comment

# --- the text summaries ---------------------------------------------------

summaries=$(grep -c "^pktpool-trace: " "$tmp/text")
if [ "$summaries" -ge 3 ]; then
	ok "-i 2 prints periodic summaries before the final one ($summaries in all)"
else
	not_ok "-i 2 prints periodic summaries before the final one"
	comment <"$tmp/text"
fi
# The final summary: the table row and the per-pool header with the counts.
final=$(awk '/^pktpool-trace: [0-9.]+ s/ { buf = "" } { buf = buf $0 "\n" } END { printf "%s", buf }' "$tmp/text")
if echo "$final" | grep -Eq "^$POOL +[0-9]+ +$k +[0-9.]+ +$k +$fails +0$" &&
	echo "$final" | grep -Eq "^pool $POOL \(id [0-9]+, size 64, limit $LIMIT, created\): $k lifetimes$" &&
	echo "$final" | grep -Eq "^ +[0-9]+ -> [0-9]+ +: [0-9]+ +\|\*+ *\|$" &&
	echo "$final" | grep -Eq "^ +$fails +limit +pktpool_test_[a-z_]+\+0x[0-9a-f]+ \[pktpool_test\]$"; then
	ok "text summary: table, lifetime histogram and symbolised call site"
else
	not_ok "text summary: table, lifetime histogram and symbolised call site"
	echo "$final" | comment
fi

# --- clean up -------------------------------------------------------------

expect "pktpoolctl destroy $POOL" 0 "^destroyed pool '$POOL'" "$CTL" destroy "$POOL"
expect "pktpoolctl destroy $OTHER" 0 "^destroyed pool '$OTHER'" "$CTL" destroy "$OTHER"

# --- the README's bpftrace one-liner, on Debian 12's bpftrace 0.17 ----------

readme_prog=$(sed -n "s/^bpftrace -e '\(.*\)'\$/\1/p" README.md | head -n 1)
if ! command -v bpftrace >/dev/null; then
	skip "the README's bpftrace one-liner counts allocations by pool" \
		"bpftrace not installed"
elif [ -z "$readme_prog" ]; then
	not_ok "the README's bpftrace one-liner counts allocations by pool"
	echo "# no 'bpftrace -e' line in README.md"
else
	# -c: trace while pktpool_testctl allocates 7 objects of fw, then stop.
	expect "the README's bpftrace one-liner counts allocations by pool" 0 \
		"^@\[fw\]: 7$" bpftrace -e "$readme_prog" -c "$TESTCTL hold fw 7"
	"$TESTCTL" release fw >/dev/null
fi

finish
