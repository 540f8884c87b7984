#!/usr/bin/env bash
# A process that dies holding slots of a kernel region does not lose them
# for good: pktpoolctl region reclaim gives them back once it is gone.
# The dying process is python3 driving libpktpool.so through ctypes.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
ctl="$top/build/tools/pktpoolctl"
lib="$top/build/lib/libpktpool.so"
name=rclm-$$
tmp=$(mktemp -d /tmp/region-reclaim.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
# shellcheck source=selftests/tap.sh
. "$(dirname "$0")/../tap.sh"

# same NAME WANT GOT: one result; what came instead is shown.
same() {
	if [ "$2" = "$3" ]; then
		ok "$1"
	else
		not_ok "$1"
		echo "# want: $2"
		echo "# got:  $3"
	fi
}


# py SCRIPT: python3 with pp = libpktpool, region $name attached
# without a thread cache (so counts are exact).
py() {
	python3 - "$lib" "$name" <<PY
import ctypes, os, signal, struct, sys
pp = ctypes.CDLL(sys.argv[1])
h = ctypes.c_void_p()
err = pp.pktpool_attach(sys.argv[2].encode(), 2, ctypes.byref(h))  # PKTPOOL_F_NOCACHE
if err:
    print("attach failed", err); sys.exit(1)
def stats():
    buf = ctypes.create_string_buffer(512)
    if pp.pktpool_stats(h, buf): sys.exit(2)
    size, count, in_use, peak, free = struct.unpack_from("<IIQQQ", buf.raw)
    return in_use, free, count
$1
PY
}

if ! "$ctl" region create "$name" --slot-size 64 --slots 64 >/dev/null; then
	not_ok "a named region for the reclaim test is created"
	finish
fi
ok "a named region for the reclaim test is created"

py '
idx = ctypes.c_uint32()
for _ in range(5):
    if pp.pktpool_alloc_idx(h, ctypes.byref(idx)): sys.exit(3)
print("holding", stats()[0])
sys.stdout.flush()
os.kill(os.getpid(), signal.SIGKILL)
' >"$tmp/out" 2>&1
same "a process takes 5 slots and is killed holding them" \
	"holding 5" "$(grep '^holding' "$tmp/out")"
same "the killed process's 5 slots are still out" \
	"in_use 5 free 59 of 64" "$(py 'print("in_use %d free %d of %d" % stats())')"
same "pktpoolctl region reclaim returns exactly those 5" \
	"reclaimed 5 slots in region '$name'" "$("$ctl" region reclaim "$name" 2>&1)"
same "after reclaim every slot is free again" \
	"in_use 0 free 64 of 64" "$(py 'print("in_use %d free %d of %d" % stats())')"
same "a second reclaim finds nothing to return" \
	"reclaimed 0 slots in region '$name'" "$("$ctl" region reclaim "$name" 2>&1)"
expect "reclaim of a missing region fails and says so" 1 \
	"cannot attach region 'no-such-region'" "$ctl" region reclaim no-such-region
check "the test region is destroyed" "$ctl" region destroy "$name"
finish
