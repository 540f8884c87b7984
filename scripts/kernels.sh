# shellcheck shell=bash disable=SC2034 # sourced; the variables are for the sourcer
# SPDX-License-Identifier: GPL-2.0
# Sourced. The Debian 12 kernels pktpool supports, built for and tested on
# by make check, and installed by scripts/deps.sh. The one place that says
# which packages they come from.
#
# Each entry: NAME IMAGE-PACKAGE HEADERS-PACKAGE. The packages are Debian's
# metapackages: each depends on the newest kernel of its series in the
# archive at install time, and that dependency (what dpkg recorded) is
# what scripts/kver.sh reads to turn NAME into a kernel release.
pktpool_kernels=(
	"6.1 linux-image-amd64 linux-headers-amd64"
	"6.1-rt linux-image-rt-amd64 linux-headers-rt-amd64"
	"6.12 linux-image-6.12-amd64 linux-headers-6.12-amd64"
	"6.12-rt linux-image-6.12-rt-amd64 linux-headers-6.12-rt-amd64"
)

# The kernel used when nothing says otherwise (Debian 12's own).
pktpool_kernel_default=6.1
