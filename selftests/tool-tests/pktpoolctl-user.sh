#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The check helpers are called indirectly, through check and expect.
# shellcheck disable=SC2317
#
# pktpoolctl for users who are not root and cannot open /dev/pktpool:
# every read command works through netlink, which the module opens to
# everyone, while the changing commands explain what they need. Also
# --version, and q quitting watch on a terminal.
#
# Run by selftests/vm-tests.sh with pktpool.ko (pools fw and vpn) loaded,
# as root, from the top of the tree. What it makes is named usrt-* and is
# gone when it exits. TAP on stdout; exit 0 iff all passed.
set -u

CTL=${PKTPOOLCTL:-build/tools/pktpoolctl}
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
tmp=$(mktemp -d /tmp/pktpoolctl-user.XXXXXX)
# shellcheck source=selftests/tap.sh
. "$(dirname "$0")/../tap.sh"

cleanup() {
	local pid
	for pid in $(jobs -p); do
		kill "$pid" 2>/dev/null
	done
	"$CTL" region destroy usrt-r >/dev/null 2>&1
	"$CTL" destroy usrt-p >/dev/null 2>&1
	rm -rf "$tmp"
}
trap cleanup EXIT

nobody() {
	setpriv --reuid=65534 --regid=65534 --clear-groups "$@"
}

# json CODE CMD...: CMD's stdout parsed as d (or JSON lines as lines);
# CODE asserts.
json() {
	local code=$1
	shift
	"$@" >"$tmp/json" || return 1
	"$PY" -c "
import json, sys
text = open('$tmp/json').read()
try:
    d = json.loads(text)
except ValueError:
    d = None
lines = [json.loads(l) for l in text.splitlines() if l.strip()]
$code"
}

# Has some generic netlink socket joined group GID (/proc/net/netlink
# shows the first 32 groups)?
subscribed() {
	local eth groups
	awk 'NR > 1 { print $2, $4 }' /proc/net/netlink >"$tmp/groups"
	while read -r eth groups; do
		[ "$eth" = 16 ] && (((16#$groups >> ($1 - 1)) & 1)) && return 0
	done <"$tmp/groups"
	return 1
}

echo "TAP version 13"
if [ "$(id -u)" -ne 0 ] || [ ! -c /dev/pktpool ]; then
	echo "1..0 # SKIP needs root and pktpool.ko loaded (run by vm-tests.sh)"
	exit 0
fi

# --- --version --------------------------------------------------------------

want=$(cat VERSION)
expect "pktpoolctl --version prints the release from VERSION" 0 \
	"^pktpoolctl ${want//./\\.}$" "$CTL" --version
expect "pktpoolctl -V is --version" 0 "^pktpoolctl ${want//./\\.}$" "$CTL" -V
check "the module reports the same release (MODULE_VERSION)" \
	grep -qx "$want" /sys/module/pktpool/version
expect "pktpoolctl version names both releases" 0 \
	"^module: +${want//./\\.}$" "$CTL" version

# --- reads as nobody --------------------------------------------------------

"$CTL" create usrt-p --size 128 --limit 100 >/dev/null
"$CTL" region create usrt-r --slot-size 64 --slots 8 --mode 0600 >/dev/null
check "nobody cannot open /dev/pktpool (the premise)" \
	nobody sh -c '[ ! -r /dev/pktpool ] && [ ! -w /dev/pktpool ]'
expect "list works as nobody" 0 "^ *[0-9]+ +usrt-p +128 " nobody "$CTL" list
check "list --json as nobody has every pool" \
	json 'assert sorted(p["name"] for p in d) == ["fw", "usrt-p", "vpn"], d' \
	nobody "$CTL" list --json
expect "show works as nobody" 0 "^limit: +100 objects" nobody "$CTL" show usrt-p
check "show --json as nobody" json 'assert d["limit"] == 100, d' \
	nobody "$CTL" show usrt-p --json
expect "class list works as nobody" 0 "^ +128 |^ +256 " nobody "$CTL" class list
expect "region list works as nobody" 0 " usrt-r " nobody "$CTL" region list
check "region show --json as nobody" \
	json 'assert d["slot_count"] == 8 and d["mode"] == 0o600, d' \
	nobody "$CTL" region show usrt-r --json
check "watch --count 1 --json works as nobody" \
	json 'assert any(p["name"] == "usrt-p" for p in lines[0]["pools"]), lines' \
	nobody "$CTL" watch --count 1 --json
expect "version works as nobody, the ABI left unknown" 0 \
	"^ABI version: +unknown \(/dev/pktpool not readable" nobody "$CTL" version
check "version --json as nobody: classes from netlink, ABI null" \
	json 'assert d["abi_version"] is None and d["device_readable"] is False and d["class_sizes"], d' \
	nobody "$CTL" version --json

gid=$("$CTL" version --json | "$PY" -c 'import json,sys; print(json.load(sys.stdin)["monitor_group_id"])')
nobody "$CTL" monitor --json --count 1 >"$tmp/mon" 2>&1 &
mon=$!
# Poll until it has joined the group: readiness, not a timed assertion.
for _ in $(seq 100); do
	subscribed "$gid" && break
	sleep 0.1
done
"$CTL" set usrt-p --limit 200 >/dev/null
wait "$mon"
mon_rc=$?
check "monitor --count 1 as nobody exits 0" test "$mon_rc" -eq 0
check "monitor works as nobody: sees the change root made" \
	json 'assert lines[0]["cmd"] == "pool-change-ntf" and lines[0]["pool"]["limit"] == 200, lines' \
	cat "$tmp/mon"

# --- changes as nobody: each says what it needs -----------------------------

expect "create as nobody says the device is not open to it" 1 \
	"^pktpoolctl: cannot open /dev/pktpool: permission denied" \
	nobody "$CTL" create usrt-x --size 64
expect "set as nobody says it needs CAP_NET_ADMIN" 1 \
	"^pktpoolctl: changing pools needs CAP_NET_ADMIN" \
	nobody "$CTL" set usrt-p --limit 1
check "the refused set changed nothing" \
	json 'assert d["limit"] == 200, d' "$CTL" show usrt-p --json

# --- watch on a terminal ----------------------------------------------------

# watch under a pseudo-terminal with an hour between samples: after the
# first screen, q must end it at once with status 0 and the terminal's
# echo back on. The alarm only keeps a broken watch from hanging the run.
cat >"$tmp/watchq.py" <<'EOF'
import os, pty, signal, sys, termios
pid, fd = pty.fork()
if pid == 0:
    os.execv(sys.argv[1], [sys.argv[1], "watch", "--interval", "3600"])
signal.signal(signal.SIGALRM, lambda *a: (os.kill(pid, 9), sys.exit("no exit after q")))
signal.alarm(120)
buf = b""
while b"usrt-p" not in buf:
    buf += os.read(fd, 4096)
assert not termios.tcgetattr(fd)[3] & termios.ECHO, "echo on while watching"
os.write(fd, b"q")
_, status = os.waitpid(pid, 0)
signal.alarm(0)
assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0, status
assert termios.tcgetattr(fd)[3] & termios.ECHO, "echo left off"
EOF
check "watch on a terminal: q quits with status 0 and restores the terminal" \
	"$PY" "$tmp/watchq.py" "$CTL"

expect "region destroy usrt-r" 0 "" "$CTL" region destroy usrt-r
expect "destroy usrt-p" 0 "" "$CTL" destroy usrt-p
finish
