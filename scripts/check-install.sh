#!/usr/bin/env bash
# make check, installation: one release number everywhere (VERSION,
# dkms.conf, MODULE_VERSION, debian/changelog, the man pages), and
# make install into a scratch DESTDIR puts every file where it belongs,
# a program builds against what it installed (pkg-config), and make
# uninstall takes every file away again. TAP on stdout.
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 2
n=0
failed=0
tmp=$(mktemp -d "${TMPDIR:-/tmp}/pktpool-install.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

result() {
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $n - $2"
	else
		failed=$((failed + 1))
		echo "not ok $n - $2"
		[ -s "$tmp/why" ] && sed 's/^/# /' "$tmp/why"
	fi
	: >"$tmp/why"
}

v=$(cat VERSION)
grep -qx "PACKAGE_VERSION=\"$v\"" dkms.conf
result $? "dkms.conf PACKAGE_VERSION is VERSION ($v)"
grep -qx "MODULE_VERSION(\"$v\");" kmod/main.c
result $? "kmod/main.c MODULE_VERSION is VERSION ($v)"
head -n 1 debian/changelog | grep -q "^pktpool ($v) "
result $? "debian/changelog's latest entry is VERSION ($v)"
grep -L "^\.TH .*\"\(lib\)\?pktpool $v\"" man/*.[0-9] >"$tmp/why"
[ ! -s "$tmp/why" ]
result $? "every man page names release $v"

dest=$tmp/root
if make --no-print-directory -s install DESTDIR="$dest" PREFIX=/usr \
	>"$tmp/why" 2>&1; then
	result 0 "make install DESTDIR=... PREFIX=/usr succeeds"
else
	result 1 "make install DESTDIR=... PREFIX=/usr succeeds"
fi
for f in usr/lib/libpktpool.so.1 usr/lib/libpktpool.so usr/lib/libpktpool.a \
	usr/lib/pkgconfig/libpktpool.pc usr/include/libpktpool.h \
	usr/include/linux/pktpool.h usr/include/pktpool_allocator.hpp \
	usr/sbin/pktpoolctl \
	etc/udev/rules.d/99-pktpool.rules usr/share/man/man8/pktpoolctl.8 \
	usr/share/man/man4/pktpool.4 usr/share/man/man3/libpktpool.3 \
	usr/share/man/man3/pktpool_alloc.3; do
	[ -e "$dest/$f" ]
	result $? "make install installs /$f"
done

# A program built against the installed files alone, as a user would.
cat >"$tmp/t.c" <<'EOC'
#include <libpktpool.h>
#include <linux/pktpool.h>

int main(void)
{
	return PKTPOOL_ABI_VERSION == 2 && pktpool_strerror(-22) ? 0 : 1;
}
EOC
if PKG_CONFIG_SYSROOT_DIR=$dest PKG_CONFIG_LIBDIR=$dest/usr/lib/pkgconfig \
	cc -std=c11 -Wall -Werror "$tmp/t.c" -o "$tmp/t" \
	$(PKG_CONFIG_SYSROOT_DIR=$dest PKG_CONFIG_LIBDIR=$dest/usr/lib/pkgconfig \
	  pkg-config --cflags --libs libpktpool) >"$tmp/why" 2>&1 &&
	LD_LIBRARY_PATH=$dest/usr/lib "$tmp/t" >>"$tmp/why" 2>&1; then
	result 0 "a program builds and runs with pkg-config's flags for the installed library"
else
	result 1 "a program builds and runs with pkg-config's flags for the installed library"
fi

make --no-print-directory -s uninstall DESTDIR="$dest" PREFIX=/usr \
	>"$tmp/why" 2>&1
result $? "make uninstall succeeds"
find "$dest" ! -type d >"$tmp/why"
[ ! -s "$tmp/why" ]
result $? "make uninstall leaves no file behind"

echo "1..$n"
[ "$failed" -eq 0 ]
