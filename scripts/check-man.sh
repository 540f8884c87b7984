#!/usr/bin/env bash
# make check, man pages: each of man/*.N lints clean with mandoc at the
# style level, names itself in .TH as its file is named, and every public
# function of lib/include/libpktpool.h has its page. TAP on stdout.
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 2
n=0
failed=0

result() {
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $n - $2"
	else
		failed=$((failed + 1))
		echo "not ok $n - $2"
	fi
}

if ! command -v mandoc >/dev/null; then
	echo "not ok 1 - mandoc is installed (run scripts/deps.sh)"
	echo "1..1"
	exit 1
fi

for page in man/*.[0-9]; do
	out=$(mandoc -Tlint -W style "$page" 2>&1)
	result $? "man page $page lints clean (mandoc -Tlint)"
	[ -n "$out" ] && sed 's/^/# /' <<<"$out"
	base=${page##*/}
	want="${base%.*} ${base##*.}"
	got=$(awk '$1 == ".TH" { print tolower($2), $3; exit }' "$page")
	got=${got//\\/}
	[ "$got" = "$want" ]
	result $? "man page $page is titled '$want' (.TH: '$got')"
done

# Exported (prototypes) and inline public functions; pktpool__* is internal.
funcs=$(grep -oE '^(static inline )?[a-z0-9_ ]+[ *]+pktpool_[a-z_]+\(' \
	lib/include/libpktpool.h | grep -oE 'pktpool_[a-z_]+' |
	grep -v '^pktpool__' | sort -u)
[ -n "$funcs" ]
result $? "public functions found in lib/include/libpktpool.h"
for f in $funcs; do
	[ -f "man/$f.3" ]
	result $? "$f has a man page (man/$f.3)"
done

echo "1..$n"
[ "$failed" -eq 0 ]
