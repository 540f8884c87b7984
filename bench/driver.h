/* SPDX-License-Identifier: MIT */
/*
 * The driver's side (main.c, report.c): the table of peers being
 * measured, local or in a child process, and what was measured.
 */
#ifndef BENCH_DRIVER_H
#define BENCH_DRIVER_H

#include <stdio.h>
#include <sys/types.h>

#include "bench.h"

#define BENCH_MAXCOLS		16
#define BENCH_MAXREPEATS	31
#define BENCH_MAXCHILDREN	8
#define BENCH_NSIZES		2
#define BENCH_TRIES		4	/* runs at most per measurement */
#define BENCH_LOST_MAX		0.15	/* of a run's time off its cores */

extern const uint32_t bench_sizes[BENCH_NSIZES];
extern long bench_iters[BENCH_NCASES];		/* per timed run */
extern long bench_cg_iters[BENCH_NCASES_ST];	/* per callgrind run */
extern int bench_repeats;

/* A binary holding peers that replace malloc, driven over a pipe. */
struct bench_child {
	const char *bin;
	pid_t pid;
	FILE *to, *from;
	int dead;
};

/* One peer: a column of the data files, a row of the tables. */
struct bench_col {
	char id[32], name[64], version[64];
	const struct bench_peer *local;
	struct bench_child *ch;	/* or remote: peer ridx of ch */
	int ridx;
	int ok;			/* set up for the current size */
	double ns[BENCH_NSIZES][BENCH_NCASES];	/* per operation, NaN: none */
	double instr[BENCH_NSIZES][BENCH_NCASES_ST];
};

extern struct bench_col bench_cols[BENCH_MAXCOLS];
extern unsigned int bench_ncols;
extern char bench_missing[512];	/* binaries not built, for the report */
/* Other work during the timed run, in CPUs on average (NaN: unknown),
 * the hypervisor's steal among it, and the run's length. */
extern double bench_other_cpus, bench_steal_cpus, bench_run_secs;
/* Measurements per size and case, how many took more than one run, and
 * how many kept more than BENCH_LOST_MAX off their cores even so. */
extern unsigned int bench_runs[BENCH_NSIZES][BENCH_NCASES];
extern unsigned int bench_retried[BENCH_NSIZES][BENCH_NCASES];
extern unsigned int bench_dirty[BENCH_NSIZES][BENCH_NCASES];

struct bench_col *bench_find_col(const char *id);
double bench_median(double *v, int n);	/* sorts v */

/*
 * A pool set's alloc by size and free by pointer, each alone, against a
 * region's alloc and free (peer_pktpool.c), ns per call: the medians of
 * `rounds` rounds, the two measured in alternation.
 */
#define BENCH_SC_ROUNDS_MAX	BENCH_MAXREPEATS
struct bench_set_cost {
	double region_alloc, set_alloc, region_free, set_free;
};
int bench_set_cost(uint32_t size, int rounds, struct bench_set_cost *out);
extern struct bench_set_cost bench_sc[BENCH_NSIZES];	/* NaN: not run */

/* report.c: print the markdown (and copy it to md when not NULL), write
 * PREFIX-SIZE.tsv when tsv is not NULL. */
void bench_report_time(FILE *md, const char *tsv);
void bench_report_instr(FILE *md, const char *tsv);

#endif /* BENCH_DRIVER_H */
