// SPDX-License-Identifier: MIT
/*
 * The driver's reports: markdown tables (printed, and copied to a file),
 * the targets with met/short, and the data files the plots read
 * (PREFIX-SIZE.tsv: one row per case, one column per peer, NaN where a
 * peer has no number).
 */
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <string.h>
#include <unistd.h>

#include "driver.h"

static const char *const case_name[BENCH_NCASES] = {
	[BENCH_PAIR] = "pair",
	[BENCH_BULK32] = "bulk 32",
	[BENCH_KEEPN] = "keep " BENCH_STR(BENCH_KEEP),
	[BENCH_PIPE] = "producer->consumer",
};

/* For the plots' x axis: the case and what one operation is. */
static const char *const case_label[BENCH_NCASES] = {
	[BENCH_PAIR] = "pair (per alloc+free)",
	[BENCH_BULK32] = "bulk 32 (per object)",
	[BENCH_KEEPN] = "keep " BENCH_STR(BENCH_KEEP) " (per free+alloc)",
	[BENCH_PIPE] = "producer->consumer (per object)",
};

static const char *const case_unit[BENCH_NCASES] = {
	[BENCH_PAIR] = "alloc+free",
	[BENCH_BULK32] = "object",
	[BENCH_KEEPN] = "free+alloc",
	[BENCH_PIPE] = "object",
};

static FILE *md;	/* emit() copies here too */

static void emit(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void emit(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	if (md) {
		va_start(ap, fmt);
		vfprintf(md, fmt, ap);
		va_end(ap);
	}
}

static void versions(void)
{
	char seen[512] = "";
	unsigned int i;

	emit("Versions:");
	for (i = 0; i < bench_ncols; i++) {
		if (!bench_cols[i].version[0] || strstr(seen, bench_cols[i].version))
			continue;
		emit("%s %s", seen[0] ? "," : "", bench_cols[i].version);
		snprintf(seen + strlen(seen), sizeof(seen) - strlen(seen),
			 "|%s|", bench_cols[i].version);
	}
	emit(".\n");
	if (bench_missing[0])
		emit("\nNot measured (binary not built; see bench/Makefile): %s.\n",
		     bench_missing);
}

/* "12.34 (5.67x)" or "-" */
static void cell(double v, double base, int prec)
{
	if (isnan(v))
		emit(" - |");
	else if (isnan(base) || v == base)
		emit(" %.*f |", prec, v);
	else
		emit(" %.*f (%.2fx) |", prec, v, v / base);
}

static void write_tsv(const char *prefix, const char *kind, unsigned int s,
		      int ncases, int instr)
{
	char path[PATH_MAX];
	unsigned int i;
	FILE *f;
	int k;

	snprintf(path, sizeof(path), "%s-%u.tsv", prefix, bench_sizes[s]);
	f = fopen(path, "w");
	if (!f) {
		perror(path);
		return;
	}
	fprintf(f, "%s", kind);
	for (i = 0; i < bench_ncols; i++)
		fprintf(f, "\t%s", bench_cols[i].name);
	fprintf(f, "\n");
	for (k = 0; k < ncases; k++) {
		fprintf(f, "%s", case_label[k]);
		for (i = 0; i < bench_ncols; i++) {
			double v = instr ? bench_cols[i].instr[s][k] : bench_cols[i].ns[s][k];

			if (isnan(v))
				fprintf(f, "\tNaN");
			else
				fprintf(f, "\t%.3f", v);
		}
		fprintf(f, "\n");
	}
	fclose(f);
}

/* One target line: "- ...: RATIOx (target OP LIMITx): met|short". */
static int met, total;

/*
 * One target line: "- WHAT: RATIOx (target OP LIMITx): met|short", and
 * a warning when many of the measurements behind it stayed preempted.
 */
static void target(const char *what, unsigned int s, int k, double ratio,
		   int at_most, double limit)
{
	int ok;

	if (isnan(ratio)) {
		emit("- %s: not measured\n", what);
		return;
	}
	ok = at_most ? ratio <= limit : ratio >= limit;
	met += ok;
	total++;
	emit("- %s: %.2fx (target %s %.2gx): %s", what, ratio,
	     at_most ? "<=" : ">=", limit, ok ? "met" : "short");
	/* a median shrugs off a few preempted runs, not a quarter */
	if (bench_dirty[s][k] * 4 > bench_runs[s][k])
		emit(" (unreliable: %u of %u runs preempted by other work)",
		     bench_dirty[s][k], bench_runs[s][k]);
	emit("\n");
}

/* A set's alloc by size, alone, at most 2 ns over a region's alloc. */
static void set_cost_targets(void)
{
	unsigned int s;

	for (s = 0; s < BENCH_NSIZES; s++) {
		double d = bench_sc[s].set_alloc - bench_sc[s].region_alloc;
		int ok = d <= 2.0;

		if (isnan(d)) {
			emit("- %u B alloc by size in a set: not measured\n",
			     bench_sizes[s]);
			continue;
		}
		met += ok;
		total++;
		emit("- %u B alloc by size in a set, alone: %+.2f ns over a region's alloc (target <= +2 ns): %s\n",
		     bench_sizes[s], d, ok ? "met" : "short");
	}
}

/* The figures behind set_cost_targets(), and the free beside them. */
static void set_cost_table(void)
{
	unsigned int s;

	emit("\n### A pool set against one region, each call alone, ns per call\n\n");
	emit("Allocations of half the pool in a row, then their frees "
	     "timed apart; the set has four classes (64, 256, 2048, 9216) "
	     "and frees by pointer alone.\n\n");
	emit("| size | region alloc | set alloc by size | region free | set free by pointer |\n");
	emit("|---:|---:|---:|---:|---:|\n");
	for (s = 0; s < BENCH_NSIZES; s++) {
		const struct bench_set_cost *c = &bench_sc[s];

		emit("| %u B | %.2f | %.2f (%+.2f) | %.2f | %.2f (%+.2f) |\n",
		     bench_sizes[s], c->region_alloc, c->set_alloc,
		     c->set_alloc - c->region_alloc, c->region_free,
		     c->set_free, c->set_free - c->region_free);
	}
}

static void targets(void)
{
	struct bench_col *me = bench_find_col("pktpool"),
			 *ix = bench_find_col("pktpool-idx"),
			 *d = bench_find_col("dpdk-ring-256"),
			 *g = bench_find_col("glibc");
	unsigned int s;
	char what[160];
	int k;

	emit("\n### Targets\n\n");
	emit("Against DPDK's default mempool (ring_mp_mc, cache 256) and "
	     "glibc, same run.\n\n");
	for (s = 0; s < BENCH_NSIZES && me; s++) {
		if (d) {
			snprintf(what, sizeof(what),
				 "%u B pair, libpktpool's time over DPDK's",
				 bench_sizes[s]);
			target(what, s, BENCH_PAIR, me->ns[s][BENCH_PAIR] /
			       d->ns[s][BENCH_PAIR], 1, 0.35);
			if (ix) {
				snprintf(what, sizeof(what),
					 "%u B bulk 32 by index, libpktpool's time per object over DPDK's",
					 bench_sizes[s]);
				target(what, s, BENCH_BULK32,
				       ix->ns[s][BENCH_BULK32] /
				       d->ns[s][BENCH_BULK32], 1, 0.5);
			}
			snprintf(what, sizeof(what),
				 "%u B bulk 32 by pointer, libpktpool's time per object over DPDK's",
				 bench_sizes[s]);
			target(what, s, BENCH_BULK32, me->ns[s][BENCH_BULK32] /
			       d->ns[s][BENCH_BULK32], 1, 1.0);
			snprintf(what, sizeof(what),
				 "%u B producer->consumer, libpktpool's throughput over DPDK's",
				 bench_sizes[s]);
			target(what, s, BENCH_PIPE, d->ns[s][BENCH_PIPE] /
			       me->ns[s][BENCH_PIPE], 0, 1.5);
		} else {
			emit("- %u B: no DPDK in this build, no DPDK targets\n",
			     bench_sizes[s]);
		}
		if (!g || bench_sizes[s] != 2048)
			continue;
		for (k = 0; k < BENCH_NCASES; k++) {
			snprintf(what, sizeof(what),
				 "%u B %s, glibc's time over libpktpool's",
				 bench_sizes[s], case_name[k]);
			target(what, s, k, g->ns[s][k] / me->ns[s][k], 0, 20);
		}
	}
	set_cost_targets();
	emit("\n%d of %d userspace targets met.\n", met, total);
}

/* How busy the machine was, and how many runs it preempted. */
static void machine_note(void)
{
	unsigned int s, dirty = 0;
	int k;

	if (!isnan(bench_other_cpus))
		emit("Other work on the machine during the %.0f s run: %.2f "
		     "CPUs on average (/proc/stat less this benchmark's own "
		     "CPU time), %.2f of it stolen by the hypervisor. ",
		     bench_run_secs, bench_other_cpus, bench_steal_cpus);
	emit("A run whose threads spent more than %.0f%% of it off their "
	     "cores was repeated, up to %d runs, and the cleanest kept; "
	     "measurements repeated / still preempted, of %u per case:",
	     BENCH_LOST_MAX * 100, BENCH_TRIES, bench_runs[0][0]);
	for (s = 0; s < BENCH_NSIZES; s++) {
		emit("%s %u B:", s ? ";" : "", bench_sizes[s]);
		for (k = 0; k < BENCH_NCASES; k++) {
			emit("%s %s %u/%u", k ? "," : "", case_name[k],
			     bench_retried[s][k], bench_dirty[s][k]);
			dirty += bench_dirty[s][k];
		}
	}
	emit(".");
	if (dirty)
		emit(" **Other work preempted some runs even so: the times, "
		     "producer->consumer above all (it spins on both cores), "
		     "are less trustworthy than the instruction counts; a "
		     "target says so when more than a quarter of its runs "
		     "were preempted.**");
	emit("\n\n");
}

void bench_report_time(FILE *out, const char *tsv)
{
	unsigned int s, i;
	int k;
	long cores = sysconf(_SC_NPROCESSORS_ONLN);

	md = out;
	emit("## Userspace: libpktpool and its peers\n\n");
	emit("%ld online CPUs; main thread on core 0, consumer on core 1 "
	     "(DPDK: lcores 0 and 1). Each case runs every peer once per "
	     "round, %d rounds after a warm-up; the median, in ns per "
	     "operation, lower is better; (Nx) is the peer's time over "
	     "libpktpool's. Pools hold %d objects; peers that replace malloc "
	     "run in their own process, driven over a pipe.\n\n",
	     cores, bench_repeats, BENCH_NOBJ);
	emit("Cases: **pair** one alloc then one free (ns per pair); "
	     "**bulk 32** alloc 32 then free 32, bulk calls where the peer "
	     "has them (ns per object); **keep %d** hold %d live objects, "
	     "free a random one (fixed-seed xorshift) and allocate its "
	     "replacement (ns per replacement); **producer->consumer** core 0 "
	     "allocates, passes it through an SPSC ring, core 1 frees (ns per "
	     "object, 1 / throughput).\n\n", BENCH_KEEP, BENCH_KEEP);
	machine_note();
	versions();
	for (s = 0; s < BENCH_NSIZES; s++) {
		emit("\n### %u-byte objects, ns per operation\n\n", bench_sizes[s]);
		emit("| peer |");
		for (k = 0; k < BENCH_NCASES; k++)
			emit(" %s (ns/%s) |", case_name[k], case_unit[k]);
		emit("\n|---|");
		for (k = 0; k < BENCH_NCASES; k++)
			emit("---:|");
		emit("\n");
		for (i = 0; i < bench_ncols; i++) {
			emit("| %s |", bench_cols[i].name);
			for (k = 0; k < BENCH_NCASES; k++)
				cell(bench_cols[i].ns[s][k],
				     i ? bench_cols[0].ns[s][k] : NAN, 2);
			emit("\n");
		}
		if (tsv)
			write_tsv(tsv, "case", s, BENCH_NCASES, 0);
	}
	set_cost_table();
	targets();
}

/* One instruction-count target: "- WHAT: N (target <= LIMIT): met|short". */
static void instr_target(const char *what, double v, double limit)
{
	if (isnan(v)) {
		emit("- %s: not measured\n", what);
		return;
	}
	met += v <= limit;
	total++;
	emit("- %s: %.1f (target <= %.0f): %s\n", what, v, limit,
	     v <= limit ? "met" : "short");
}

static void instr_targets(void)
{
	struct bench_col *me = bench_find_col("pktpool"),
			 *ix = bench_find_col("pktpool-idx");
	char what[160];

	if (!me)
		return;
	met = total = 0;
	emit("\n### Targets\n\n");
	/* the same code at every size: one line each */
	instr_target("instructions per pair (alloc+free)",
		     me->instr[0][BENCH_PAIR], 30);
	instr_target("instructions per object, bulk 32 by pointer",
		     me->instr[0][BENCH_BULK32], 8);
	if (ix) {
		snprintf(what, sizeof(what),
			 "instructions per object, bulk 32 by index");
		instr_target(what, ix->instr[0][BENCH_BULK32], 8);
	}
	emit("\n%d of %d instruction targets met.\n", met, total);
}

void bench_report_instr(FILE *out, const char *tsv)
{
	unsigned int s, i;
	int k;

	md = out;
	emit("## Userspace: instructions per operation (callgrind)\n\n");
	emit("Each single-thread case once under valgrind's callgrind, "
	     "%ld/%ld/%ld operations after a warm-up run, only the measured "
	     "loop collected: instructions per operation as in the ns table "
	     "(pair: per alloc+free; bulk 32: per object; keep: per "
	     "replacement, which includes about 15 instructions of the "
	     "benchmark's own: the random index, the window's load and "
	     "store). Independent of the machine's noise; (Nx) is the peer's "
	     "count over libpktpool's.\n\n",
	     bench_cg_iters[0], bench_cg_iters[1], bench_cg_iters[2]);
	versions();
	emit("\n| peer |");
	for (s = 0; s < BENCH_NSIZES; s++)
		for (k = 0; k < BENCH_NCASES_ST; k++)
			emit(" %u B %s |", bench_sizes[s], case_name[k]);
	emit("\n|---|");
	for (s = 0; s < BENCH_NSIZES; s++)
		for (k = 0; k < BENCH_NCASES_ST; k++)
			emit("---:|");
	emit("\n");
	for (i = 0; i < bench_ncols; i++) {
		emit("| %s |", bench_cols[i].name);
		for (s = 0; s < BENCH_NSIZES; s++)
			for (k = 0; k < BENCH_NCASES_ST; k++)
				cell(bench_cols[i].instr[s][k],
				     i ? bench_cols[0].instr[s][k] : NAN, 1);
		emit("\n");
	}
	if (tsv)
		for (s = 0; s < BENCH_NSIZES; s++)
			write_tsv(tsv, "case", s, BENCH_NCASES_ST, 1);
	instr_targets();
}
