#!/usr/bin/env bash
# libpktpool's own suite, run against the kernel backend: regions come
# from /dev/pktpool instead of memfd. The test binaries were built on the
# host by `make -C lib check` (plain, ASan+UBSan, TSan).
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
build="$top/build/lib"

if [ ! -d "$build/test-plain" ]; then
	echo "ok 1 - libpktpool kernel backend # SKIP tests not built (make -C lib check)"
	exit 0
fi
export PKTPOOL_BACKEND=kernel
# TCG is slow: the TSan build of the stress tests needs more than 120 s.
export PKTPOOL_TEST_TIMEOUT=${PKTPOOL_TEST_TIMEOUT:-600}
# vm-tests.sh runs suites under stdbuf, whose LD_PRELOAD ASan refuses.
unset LD_PRELOAD
# PKTPOOL_LIB_VARIANTS picks fewer builds (make check runs all three on
# one kernel, plain on the others: the sanitizers check the library, not
# the kernel it runs on).
# shellcheck disable=SC2086 # a list of words
exec "$top/lib/test/run.sh" "$build" ${PKTPOOL_LIB_VARIANTS:-plain asan tsan}
