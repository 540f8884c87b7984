# SPDX-License-Identifier: GPL-2.0
#
# pktpool: `make` builds the module, the test module, the library, the
# tools and the tests. `make check` and `make demo` first install what a
# fresh Debian 12 machine lacks (scripts/deps.sh), then test or show it
# in a Debian kernel booted under QEMU.

TOP   := $(CURDIR)
BUILD := $(TOP)/build

# The Debian kernel the VM boots; the module under test is built for it.
ifndef VM_KVER
VM_KVER := $(shell ls -v /lib/modules 2>/dev/null | grep -- '-amd64$$' | \
	     while read -r v; do [ -e /lib/modules/$$v/build ] && \
	     [ -e /boot/vmlinuz-$$v ] && echo $$v; done | tail -n 1)
endif
VM_KDIR := /lib/modules/$(VM_KVER)/build
# On a real machine with its headers installed, build for the running kernel.
RUN_KDIR := /lib/modules/$(shell uname -r)/build
KDIR ?= $(if $(wildcard $(RUN_KDIR)),$(RUN_KDIR),$(VM_KDIR))

export VM_KVER

.PHONY: all module lib tools selftests deps ksrc check demo bench \
	checkpatch install uninstall deb clean help

all: module lib tools selftests

module:
	$(MAKE) -C $(KDIR) M=$(TOP) W=1 modules

lib:
	$(MAKE) -C lib BUILD=$(BUILD)/lib

tools: lib
	$(MAKE) -C tools BUILD=$(BUILD)
	$(MAKE) -C tools/trace BUILD=$(BUILD)

selftests: ksrc lib
	$(MAKE) -C selftests BUILD=$(BUILD)

deps:
	@scripts/deps.sh

ksrc: deps
	@scripts/ksrc.sh
	@scripts/ynl-src.sh

# Host tests, checkpatch, then the selftests inside the VM; ends with
# one line "N passed, N failed".
check: deps ksrc
	@scripts/check.sh

demo: deps ksrc
	@$(MAKE) --no-print-directory KDIR=$(VM_KDIR) all >/dev/null
	@scripts/vm/run.sh -- $(TOP)/scripts/demo.sh

# Kernel benchmark in a QEMU guest, the userspace one against DPDK, jemalloc,
# mimalloc, tcmalloc, glibc and a mutex free list, callgrind instruction
# counts: build/bench/results.md and PNG plots.
bench: deps ksrc
	@scripts/bench.sh

checkpatch: ksrc
	@scripts/checkpatch.sh

# make install/uninstall [PREFIX=/usr/local] [DESTDIR=]: the library, its
# headers (with the uapi header it needs), pkg-config file, tools, man
# pages and the udev rule. Not the module: DKMS installs that (dkms.conf).
PREFIX	?= /usr/local
LIBDIR	?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
SBINDIR	?= $(PREFIX)/sbin
MANDIR	?= $(PREFIX)/share/man
# udev reads /etc and /lib, not /usr/local: a local install is the admin's.
UDEVRULESDIR ?= /etc/udev/rules.d
INSTALL_DIRS = PREFIX=$(PREFIX) LIBDIR=$(LIBDIR) INCLUDEDIR=$(INCLUDEDIR) \
	       SBINDIR=$(SBINDIR) DESTDIR=$(DESTDIR)
MANPAGES = $(wildcard man/*.[0-9])

install: lib tools
	$(MAKE) -C lib BUILD=$(BUILD)/lib $(INSTALL_DIRS) install
	$(MAKE) -C tools BUILD=$(BUILD) $(INSTALL_DIRS) install
	install -d $(DESTDIR)$(INCLUDEDIR)/linux $(DESTDIR)$(UDEVRULESDIR)
	install -m 0644 uapi/linux/pktpool.h $(DESTDIR)$(INCLUDEDIR)/linux/
	install -m 0644 kmod/99-pktpool.rules $(DESTDIR)$(UDEVRULESDIR)/
	for f in $(MANPAGES); do s=$${f##*.}; \
		install -d $(DESTDIR)$(MANDIR)/man$$s && \
		install -m 0644 $$f $(DESTDIR)$(MANDIR)/man$$s/ || exit 1; done

uninstall:
	$(MAKE) -C lib BUILD=$(BUILD)/lib $(INSTALL_DIRS) uninstall
	$(MAKE) -C tools BUILD=$(BUILD) $(INSTALL_DIRS) uninstall
	rm -f $(DESTDIR)$(INCLUDEDIR)/linux/pktpool.h \
	      $(DESTDIR)$(UDEVRULESDIR)/99-pktpool.rules
	for f in $(MANPAGES); do s=$${f##*.}; \
		rm -f $(DESTDIR)$(MANDIR)/man$$s/$${f##*/}; done

# Debian packages from the tree into build/deb, lintian-checked.
deb:
	@scripts/deb.sh

clean:
	-$(MAKE) -C $(KDIR) M=$(TOP) clean >/dev/null 2>&1
	rm -rf $(BUILD)

help:
	@echo "make            build module ($(KDIR)), library, tools, tests"
	@echo "make check      install deps, run every test (host + VM), checkpatch"
	@echo "make demo       install deps, boot a VM and show pools in use"
	@echo "make bench      install deps, kernel + userspace benchmarks (build/bench/results.md)"
	@echo "make install    library, headers, pkg-config, tools, man pages, udev rule (PREFIX, DESTDIR)"
	@echo "make uninstall  remove what make install installed (same PREFIX, DESTDIR)"
	@echo "make deb        Debian packages in build/deb (pktpool-dkms, libpktpool1, -dev, pktpool-tools)"
