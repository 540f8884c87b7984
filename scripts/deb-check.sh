#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The Debian packages as a new user gets them, on a root that has never
# seen pktpool:
#   ../shared/fresh-machine.sh -- scripts/deb-check.sh
# builds them (make deb: lintian without errors), installs them with the
# headers of Debian's default kernel, and checks what was installed: DKMS
# built both modules for that kernel (dkms status), pktpoolctl and
# pktpool-capture run, a program builds against libpktpool with
# pkg-config, the man pages, the udev rule and the pktpool group are
# there. TAP; exit 0 iff everything passed. Needs root.
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 2
n=0 failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; }
check() {
	local what=$1 out
	shift
	if out=$("$@" 2>&1); then
		ok "$what"
	else
		not_ok "$what"
		printf '%s\n' "$out" | tail -n 20 | sed 's/^/# /'
	fi
}
[ "$(id -u)" -eq 0 ] || { echo "1..0 # SKIP needs root"; exit 0; }

export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
check "headers of Debian's default kernel installed" \
	apt-get install -y -qq --no-install-recommends linux-headers-amd64
kver=$(find /usr/src -maxdepth 1 -name 'linux-headers-*-amd64' -printf '%f\n' |
	sed 's/^linux-headers-//' | sort -V | tail -n 1)
check "make deb builds the four packages, lintian without errors" make deb
for p in pktpool-dkms libpktpool1 libpktpool-dev pktpool-tools; do
	check "build/deb has $p" sh -c "ls build/deb/${p}_*.deb"
done
check "apt installs the four packages" sh -c \
	"apt-get install -y -qq --no-install-recommends ./build/deb/*.deb"
# The package builds for the running kernel, which a chroot does not
# have; what users see on a Debian kernel is what dkms does for kver.
dkms autoinstall -k "$kver" >/dev/null 2>&1
dkms status >build/dkms-status 2>&1
sed 's/^/# /' build/dkms-status
check "dkms status: pktpool installed for $kver" \
	grep -Eq "^pktpool/[0-9.]+, $kver, x86_64: installed" build/dkms-status
check "the three modules built for $kver" sh -c \
	"modinfo -k '$kver' pktpool && modinfo -k '$kver' pktpool_nf && modinfo -k '$kver' pktpool_vdev"
check "pktpoolctl --version" /usr/sbin/pktpoolctl --version
check "pktpool-capture -h prints its usage" sh -c '/usr/sbin/pktpool-capture -h 2>&1 | grep -qi "^usage: pktpool-capture"'
cat >build/deb-hello.c <<'EOF'
#include <libpktpool.h>
#include <linux/pktpool_nf.h>
int main(void)
{
	struct pktpool_layout lay;

	return pktpool_layout(2048, 64, &lay) ? 1 : PKTPOOL_NF_ACTION_QUEUE != 2;
}
EOF
check "a program builds and runs against libpktpool (pkg-config)" sh -c \
	'gcc -o build/deb-hello build/deb-hello.c $(pkg-config --cflags --libs libpktpool) && build/deb-hello'
check "man pages installed" sh -c \
	'ls /usr/share/man/man8/pktpoolctl.8* /usr/share/man/man4/pktpool.4* /usr/share/man/man3/pktpool_alloc.3*'
check "udev rule installed" test -e /lib/udev/rules.d/99-pktpool.rules
check "group pktpool exists" getent group pktpool
echo "1..$n"
[ "$failed" -eq 0 ]
