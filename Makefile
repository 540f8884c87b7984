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
	checkpatch install clean help

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

install: lib tools
	$(MAKE) -C lib BUILD=$(BUILD)/lib install
	$(MAKE) -C tools BUILD=$(BUILD) install

clean:
	-$(MAKE) -C $(KDIR) M=$(TOP) clean >/dev/null 2>&1
	rm -rf $(BUILD)

help:
	@echo "make            build module ($(KDIR)), library, tools, tests"
	@echo "make check      install deps, run every test (host + VM), checkpatch"
	@echo "make demo       install deps, boot a VM and show pools in use"
	@echo "make bench      install deps, kernel + userspace benchmarks (build/bench/results.md)"
	@echo "make install    install libpktpool, pktpoolctl and pktpool-capture (PREFIX, DESTDIR)"
