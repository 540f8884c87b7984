#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Draw make bench's results: scripts/bench-plot.sh [DIR] (default
# build/bench). Turns DIR/kernel.md's tables into DIR/kernel-N.tsv (one per
# boot: rows are context and CPUs; columns the ratio to kmem_cache of
# pktpool, kmalloc and mempool alloc+free, and of pktpool's bulk to
# kmem_cache's bulk), then runs scripts/bench-plot.gp over
# those and the userspace TSVs, DIR/nf.md's table into DIR/nf.tsv and
# DIR/vdev.md's into DIR/vdev.tsv and DIR/vdev-vpn.tsv.
# Prints the PNGs it wrote, one a line.
set -euo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
dir=${1:-$top/build/bench}

command -v gnuplot >/dev/null || {
	echo "bench-plot: gnuplot not found (Debian: gnuplot-nox)" >&2
	exit 2
}

rm -f "$dir"/kernel-[0-9].tsv "$dir"/*.png
if [ -s "$dir/kernel.md" ]; then
	# A "## " heading starts the next boot's report; each has an
	# "init_on_alloc is on|off" line and a table
	# | case | context | CPUs | ns/op | ratio to kmem_cache | per-CPU |.
	awk -F'|' -v dir="$dir" '
	function trim(s) { gsub(/^[ \t]+|[ \t]+$/, "", s); return s }
	function flush(   f, i, g, p) {
		if (!ngroups)
			return
		f = dir "/kernel-" sec ".tsv"
		printf "%s", (title ? title : "boot " sec) > f
		for (p = 1; p <= 4; p++)
			printf "\t%s", pname[p] > f
		printf "\n" > f
		for (i = 1; i <= ngroups; i++) {
			g = group[i]
			printf "%s", g > f
			for (p = 1; p <= 4; p++)
				printf "\t%s", ((g, p) in ratio) ? ratio[g, p] : "NaN" > f
			printf "\n" > f
		}
		close(f)
		ngroups = 0
		delete seen
		delete ratio
		title = ""
	}
	BEGIN {
		sec = 1
		pname[1] = "pktpool alloc+free"
		pname[2] = "kmalloc+kfree"
		pname[3] = "mempool alloc+free"
		pname[4] = "pktpool bulk 16 (vs kmem_cache bulk 16)"
	}
	/^## / { flush(); sec++; next }
	/init_on_alloc is on/ { title = "init_on_alloc=1 (Debian default)" }
	/init_on_alloc is off/ { title = "init_on_alloc=0" }
	/^\| / && NF >= 7 {
		c = trim($2); ctx = trim($3); cpus = trim($4); r = trim($6)
		if (r !~ /^[0-9.]+x$/)
			next
		sub(/x$/, "", r)
		if (c ~ /^pktpool .*bulk/) p = 4
		else if (c ~ /^pktpool /) p = 1
		else if (c ~ /^kmalloc/) p = 2
		else if (c ~ /^mempool /) p = 3
		else next
		g = ctx ", " cpus " CPU" (cpus == 1 ? "" : "s")
		if (!(g in seen)) { seen[g] = 1; group[++ngroups] = g }
		ratio[g, p] = r
	}
	END { flush() }
	' "$dir/kernel.md"
fi

# nf.md's table: | consumer | sent | seen | send s | seen/s | CPU us/packet |
rm -f "$dir/nf.tsv"
if [ -s "$dir/nf.md" ]; then
	awk -F'|' '
	function trim(s) { gsub(/^[ \t]+|[ \t]+$/, "", s); return s }
	BEGIN { print "consumer\tseen/s\tCPU us/packet" }
	NF >= 8 && trim($6) ~ /^[0-9.]+$/ {
		print trim($2) "\t" trim($6) "\t" trim($7)
	}' "$dir/nf.md" >"$dir/nf.tsv"
fi

# vdev.md's tables, by their width: the plain forwarder's
# | forwarder | payload | delivered/s | min-max | fwd CPU | guest CPU | ratio |
# into DIR/vdev.tsv, the encrypted one's (one column more) into
# DIR/vdev-vpn.tsv; a row is "short name, payload B".
rm -f "$dir/vdev.tsv" "$dir/vdev-vpn.tsv"
if [ -s "$dir/vdev.md" ]; then
	awk -F'|' -v plain="$dir/vdev.tsv" -v vpn="$dir/vdev-vpn.tsv" '
	function trim(s) { gsub(/^[ \t]+|[ \t]+$/, "", s); return s }
	function short(n) {
		if (n ~ /MULTI_QUEUE/) return "TUN multi-queue"
		if (n ~ /io_uring/) return "TUN io_uring"
		if (n ~ /^TUN/) return "TUN read/write"
		if (n ~ /^pktpool_vdev/) return "pktpool_vdev"
		if (n ~ /^pktpool-vpn/) return "pktpool-vpn"
		if (n ~ /^WireGuard/) return "WireGuard"
		return n
	}
	BEGIN {
		print "forwarder\tdelivered/s\tforwarder CPU us/packet\tguest CPU us/packet" > plain
		print "tunnel\tdelivered/s\tguest CPU us/packet" > vpn
	}
	trim($4) !~ /^[0-9.]+$/ { next }
	NF == 9 { print short(trim($2)) ", " trim($3) " B\t" trim($4) "\t" trim($6) "\t" trim($7) > plain }
	NF == 10 { print short(trim($2)) ", " trim($3) " B\t" trim($4) "\t" trim($8) > vpn }
	' "$dir/vdev.md"
fi

gnuplot -e "dir='$dir'" "$top/scripts/bench-plot.gp"
ls "$dir"/*.png 2>/dev/null || true
