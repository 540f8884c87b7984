# SPDX-License-Identifier: GPL-2.0
#
# pktpool: `make` builds the module, the test module, the library, the
# tools and the tests. `make check` and `make demo` first install what a
# fresh Debian 12 machine lacks (scripts/deps.sh), then test or show it
# in a Debian kernel booted under QEMU.

TOP   := $(CURDIR)
BUILD := $(TOP)/build

# Which kernel the module is built for is decided by scripts/kver.sh when
# a recipe runs (after make check/demo ran scripts/deps.sh), never when
# this file is parsed; scripts/vm/run.sh boots the one it names.
# KVER=6.12-rt (a name from scripts/kernels.sh, or a kernel release)
# picks another for both; KDIR=DIR builds against a kernel tree of yours.
KDIR_CMD = $(if $(KDIR),echo $(KDIR),$(TOP)/scripts/kver.sh --kdir)

.PHONY: all module lib tools selftests examples deps ksrc check demo bench \
	stress checkpatch install uninstall deb clean help fuzz

all: module lib tools selftests examples

module:
	@kdir=$$($(KDIR_CMD)) && $(MAKE) -C "$$kdir" M=$(TOP) W=1 modules

lib:
	$(MAKE) -C lib BUILD=$(BUILD)/lib

tools: lib
	$(MAKE) -C tools BUILD=$(BUILD)
	$(MAKE) -C tools/trace BUILD=$(BUILD)

selftests: ksrc lib
	$(MAKE) -C selftests BUILD=$(BUILD)

# pktpool-vpn, the VPN daemon on pktpool_vdev (libsodium).
examples: lib
	$(MAKE) -C examples/vpn BUILD=$(BUILD)

deps:
	@scripts/deps.sh

ksrc: deps
	@scripts/ksrc.sh
	@scripts/ynl-src.sh

# Host tests, checkpatch, then the selftests inside the VM; ends with
# one line "N passed, N failed".
check: deps ksrc
	@scripts/check.sh

# The fuzzer alone in a guest, FUZZ_SECONDS long (default 600); FUZZ_SEED
# replays a run. See README.md, "Fuzzing".
fuzz: deps ksrc
	@$(MAKE) --no-print-directory KDIR=$(VM_KDIR) all >/dev/null
	@scripts/fuzz.sh

demo: deps ksrc
	@$(MAKE) --no-print-directory all >/dev/null
	@scripts/vm/run.sh -- $(TOP)/scripts/demo.sh

# Kernel benchmark in a QEMU guest, the userspace one against DPDK, jemalloc,
# mimalloc, tcmalloc, glibc and a mutex free list, callgrind instruction
# counts: build/bench/results.md and PNG plots.
bench: deps ksrc
	@scripts/bench.sh

# libpktpool's kill stress and hostile writer, STRESS_SECONDS long (600);
# ends with "N passed, N failed". Host only, no VM.
STRESS_SECONDS ?= 600
stress:
	@$(MAKE) --no-print-directory -C lib BUILD=$(BUILD)/lib \
		STRESS_SECONDS=$(STRESS_SECONDS) stress

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
	install -m 0644 uapi/linux/pktpool.h uapi/linux/pktpool_nf.h \
		uapi/linux/pktpool_vdev.h $(DESTDIR)$(INCLUDEDIR)/linux/
	install -m 0644 kmod/99-pktpool.rules $(DESTDIR)$(UDEVRULESDIR)/
	for f in $(MANPAGES); do s=$${f##*.}; \
		install -d $(DESTDIR)$(MANDIR)/man$$s && \
		install -m 0644 $$f $(DESTDIR)$(MANDIR)/man$$s/ || exit 1; done

uninstall:
	$(MAKE) -C lib BUILD=$(BUILD)/lib $(INSTALL_DIRS) uninstall
	$(MAKE) -C tools BUILD=$(BUILD) $(INSTALL_DIRS) uninstall
	rm -f $(DESTDIR)$(INCLUDEDIR)/linux/pktpool.h $(DESTDIR)$(INCLUDEDIR)/linux/pktpool_nf.h \
	      $(DESTDIR)$(INCLUDEDIR)/linux/pktpool_vdev.h \
	      $(DESTDIR)$(UDEVRULESDIR)/99-pktpool.rules
	for f in $(MANPAGES); do s=$${f##*.}; \
		rm -f $(DESTDIR)$(MANDIR)/man$$s/$${f##*/}; done

# Debian packages from the tree into build/deb, lintian-checked.
deb:
	@scripts/deb.sh

clean:
	-@kdir=$$($(KDIR_CMD) 2>/dev/null) && \
		$(MAKE) -C "$$kdir" M=$(TOP) clean >/dev/null 2>&1
	rm -rf $(BUILD)

help:
	@echo "make            build module, library, tools, tests (KVER=6.1|6.1-rt|6.12|6.12-rt)"
	@echo "make check      install deps, run every test (host + VM on every kernel), checkpatch"
	@echo "                (KERNELS='6.1 6.12' for fewer kernels)"
	@echo "make demo       install deps, boot a VM and show pools in use"
	@echo "make fuzz       install deps, fuzz the module in a VM (FUZZ_SECONDS, FUZZ_SEED)"
	@echo "make bench      install deps, kernel + userspace benchmarks (build/bench/results.md)"
	@echo "make stress     libpktpool kill stress + hostile writer (STRESS_SECONDS=600)"
	@echo "make install    library, headers, pkg-config, tools (pktpoolctl, pktpool-capture), man pages, udev rule (PREFIX, DESTDIR)"
	@echo "make uninstall  remove what make install installed (same PREFIX, DESTDIR)"
	@echo "make deb        Debian packages in build/deb (pktpool-dkms, libpktpool1, -dev, pktpool-tools)"
