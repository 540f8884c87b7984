# SPDX-License-Identifier: MIT
# Plots of make bench's results (scripts/bench-plot.sh calls this):
#   gnuplot -e "dir='build/bench'" scripts/bench-plot.gp
# reads DIR/lib-SIZE.tsv, DIR/instr-SIZE.tsv (rows: cases, columns:
# peers; from bench/main.c) and DIR/kernel-*.tsv (rows: cases, columns:
# ratios to kmem_cache; from scripts/bench-plot.sh), and writes a PNG
# beside each.

if (!exists("dir")) dir = "build/bench"

set terminal pngcairo size 1500,720 noenhanced font "DejaVu Sans,11"
set datafile separator "\t"
set datafile missing "NaN"
set style data histogram
set style histogram clustered gap 1
set style fill solid 0.85 border rgb "#333333"
set boxwidth 0.92
set grid ytics mytics lc rgb "#dddddd"
set key outside right top vertical Left reverse noautotitle
set xtics nomirror scale 0 font ",12"
set ytics nomirror
set border 3

# One colour per peer, in bench/peers.c's order: libpktpool red, DPDK
# blues, the naive list grey, the mallocs warm and green.
set linetype 1 lc rgb "#c0392b"
set linetype 2 lc rgb "#f1948a"
set linetype 3 lc rgb "#1f4e79"
set linetype 4 lc rgb "#5b9bd5"
set linetype 5 lc rgb "#2e86c1"
set linetype 6 lc rgb "#aed6f1"
set linetype 7 lc rgb "#7f8c8d"
set linetype 8 lc rgb "#e67e22"
set linetype 9 lc rgb "#27ae60"
set linetype 10 lc rgb "#8e44ad"
set linetype 11 lc rgb "#a0522d"
set linetype 12 lc rgb "#f4d03f"

exists_file(f) = system("test -s '" . f . "' && echo 1 || echo 0") eq "1"
# clusters sit at x = 0, 1, ...: trim autoscale's padding around them
rows(f) = system("tail -n +2 '" . f . "' | wc -l") + 0

set logscale y 10
# 1-2-5 steps: a log axis with labels at decades only is hard to read
set ytics ("0.5" 0.5, "1" 1, "2" 2, "5" 5, "10" 10, "20" 20, "50" 50, \
	   "100" 100, "200" 200, "500" 500, "1000" 1000, "2000" 2000, \
	   "5000" 5000)
do for [size in "2048 64"] {
	f = dir . "/lib-" . size . ".tsv"
	if (exists_file(f)) {
		set output dir . "/lib-" . size . ".png"
		set title "Userspace, " . size . "-byte objects: ns per operation, median (log scale, lower is better)" font ",14"
		set ylabel "ns per operation"
		set yrange [0.3:*]
		set xrange [-0.6:rows(f) - 0.4]
		plot for [i=2:*] f using i:xtic(1) title columnheader(i) lt (i - 1)
		unset output
	}
	f = dir . "/instr-" . size . ".tsv"
	if (exists_file(f)) {
		set output dir . "/instr-" . size . ".png"
		set title "Userspace, " . size . "-byte objects: instructions per operation under callgrind (log scale, lower is better)" font ",14"
		set ylabel "instructions per operation"
		set yrange [5:*]
		set xrange [-0.6:rows(f) - 0.4]
		plot for [i=2:*] f using i:xtic(1) title columnheader(i) lt (i - 1)
		unset output
	}
}

# The kernel: one panel per boot, ratio of each allocator's time to
# kmem_cache's in the same case (1 = kmem_cache, 0.5 = pktpool's target).
unset logscale y
set ytics autofreq
set yrange [0:*]
set ylabel "time / kmem_cache's time"
kf1 = dir . "/kernel-1.tsv"
kf2 = dir . "/kernel-2.tsv"
if (exists_file(kf1)) {
	two = exists_file(kf2)
	set output dir . "/kernel.png"
	set terminal pngcairo size 1300, (two ? 1000 : 520) noenhanced font "DejaVu Sans,11"
	set multiplot layout (two ? 2 : 1), 1
	do for [k = 1:(two ? 2 : 1)] {
		kf = dir . "/kernel-" . k . ".tsv"
		t = system("head -n 1 '" . kf . "' | cut -f 1")
		set title "Kernel (QEMU TCG guest), " . t . ": time / kmem_cache's time\n(lower is better; dashed: kmem_cache, dotted: 0.5, the target)" font ",13"
		set xrange [-0.6:rows(kf) - 0.4]
		set arrow 1 from graph 0, first 1 to graph 1, first 1 nohead dt 2 lw 1.5 lc rgb "#333333" front
		set arrow 2 from graph 0, first 0.5 to graph 1, first 0.5 nohead dt 3 lw 1.5 lc rgb "#c0392b" front
		plot for [i=2:*] kf using i:xtic(1) title columnheader(i) lt (i == 2 ? 1 : i == 3 ? 8 : i == 4 ? 4 : 2)
	}
	unset multiplot
	unset output
}

# Packets to userspace (bench/nf/nf-bench.sh): packets seen per second
# and the consumer's CPU per packet, one bar per consumer; pktpool's red.
nf = dir . "/nf.tsv"
if (exists_file(nf)) {
	unset arrow
	set terminal pngcairo size 1300, 900 noenhanced font "DejaVu Sans,11"
	set output dir . "/nf.png"
	set multiplot layout 2, 1
	set boxwidth 0.7
	set key off
	set xrange [-0.6:rows(nf) - 0.4]
	set xtics rotate by -12 font ",10"
	set title "Packets to userspace (QEMU TCG guest, one burst per consumer): packets seen per second (higher is better)" font ",13"
	set ylabel "packets / s"
	plot nf skip 1 using 0:2:(strstrt(strcol(1), "pktpool") ? 1 : 4):xtic(1) with boxes lc variable
	set title "Consumer CPU per packet (user + system, µs; lower is better)" font ",13"
	set ylabel "µs per packet"
	plot nf skip 1 using 0:3:(strstrt(strcol(1), "pktpool") ? 1 : 4):xtic(1) with boxes lc variable
	unset multiplot
	unset output
}

# The VPN device (bench/vdev/vdev-bench.sh): the plain forwarder's packets
# delivered per second and CPU per packet, then the encrypted tunnels'
# packets per second; pktpool's bars red.
vd = dir . "/vdev.tsv"
vv = dir . "/vdev-vpn.tsv"
if (exists_file(vd)) {
	unset arrow
	unset logscale y
	set ytics autofreq
	set yrange [0:*]
	two = exists_file(vv)
	set terminal pngcairo size 1600, (two ? 1300 : 900) noenhanced font "DejaVu Sans,11"
	set output dir . "/vdev.png"
	set multiplot layout (two ? 3 : 2), 1
	set boxwidth 0.7
	set key off
	set xtics norotate font ",10"
	set xrange [-0.6:rows(vd) - 0.4]
	set title "Plain forwarder (QEMU TCG guest, median round): packets delivered per second (higher is better)" font ",13"
	set ylabel "packets / s"
	plot vd skip 1 using 0:2:(strstrt(strcol(1), "pktpool") ? 1 : 4):xtic(1) with boxes lc variable
	set title "Forwarder CPU per packet (user + system, µs; lower is better)" font ",13"
	set ylabel "µs per packet"
	plot vd skip 1 using 0:3:(strstrt(strcol(1), "pktpool") ? 1 : 4):xtic(1) with boxes lc variable
	if (two) {
		set xrange [-0.6:rows(vv) - 0.4]
		set title "Encrypted tunnel between namespaces: packets delivered per second (higher is better)" font ",13"
		set ylabel "packets / s"
		plot vv skip 1 using 0:2:(strstrt(strcol(1), "pktpool") ? 1 : 4):xtic(1) with boxes lc variable
	}
	unset multiplot
	unset output
}
