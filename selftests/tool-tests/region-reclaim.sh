#!/usr/bin/env bash
# A process that dies holding slots of a kernel region does not lose them
# for good: pktpoolctl region reclaim gives them back once it is gone.
# The dying process is python3 driving libpktpool.so through ctypes.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
ctl="$top/build/tools/pktpoolctl"
lib="$top/build/lib/libpktpool.so"
name=rclm-$$
n=0 failed=0

result() {	# result OK|FAIL description
	n=$((n + 1))
	if [ "$1" = OK ]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2"
		failed=$((failed + 1))
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

if "$ctl" region create "$name" --slot-size 64 --slots 64 >/dev/null; then
	result OK "a named region for the reclaim test is created"
else
	result FAIL "a named region for the reclaim test is created"
	echo "1..$n"
	exit 1
fi

py '
idx = ctypes.c_uint32()
for _ in range(5):
    if pp.pktpool_alloc_idx(h, ctypes.byref(idx)): sys.exit(3)
print("holding", stats()[0])
sys.stdout.flush()
os.kill(os.getpid(), signal.SIGKILL)
' >"/tmp/$name.out" 2>&1
grep -q "^holding 5$" "/tmp/$name.out" && result OK "a process takes 5 slots and is killed holding them" ||
	result FAIL "a process takes 5 slots and is killed holding them"

out=$(py 'print("in_use %d free %d of %d" % stats())')
[ "$out" = "in_use 5 free 59 of 64" ] &&
	result OK "the killed process's 5 slots are still out" ||
	{ result FAIL "the killed process's 5 slots are still out"; echo "# $out"; }

out=$("$ctl" region reclaim "$name" 2>&1)
[ "$out" = "reclaimed 5 slots in region '$name'" ] &&
	result OK "pktpoolctl region reclaim returns exactly those 5" ||
	{ result FAIL "pktpoolctl region reclaim returns exactly those 5"; echo "# $out"; }

out=$(py 'print("in_use %d free %d of %d" % stats())')
[ "$out" = "in_use 0 free 64 of 64" ] &&
	result OK "after reclaim every slot is free again" ||
	{ result FAIL "after reclaim every slot is free again"; echo "# $out"; }

out=$("$ctl" region reclaim "$name" 2>&1)
[ "$out" = "reclaimed 0 slots in region '$name'" ] &&
	result OK "a second reclaim finds nothing to return" ||
	{ result FAIL "a second reclaim finds nothing to return"; echo "# $out"; }

out=$("$ctl" region reclaim no-such-region 2>&1)
rc=$?
[ "$rc" = 1 ] && [[ $out == *"cannot attach region 'no-such-region'"* ]] &&
	result OK "reclaim of a missing region fails and says so" ||
	{ result FAIL "reclaim of a missing region fails and says so"; echo "# $out"; }

"$ctl" region destroy "$name" >/dev/null &&
	result OK "the test region is destroyed" ||
	result FAIL "the test region is destroyed"
rm -f "/tmp/$name.out"
echo "1..$n"
[ "$failed" -eq 0 ]
