// SPDX-License-Identifier: MIT
/*
 * libpktpool against the allocators a user would pick instead, in one run
 * on one machine: DPDK's rte_mempool (ring and stack backends, per-lcore
 * cache of 256 and none), a mutex-protected free list, glibc, jemalloc,
 * mimalloc and tcmalloc; for 2 KiB and 64 B objects:
 *
 *   pair      one alloc then one free, ns per pair
 *   bulk 32   alloc 32 then free 32 (bulk calls where the peer has them),
 *             ns per object
 *   keep 1024 hold 1024 live objects; free a random one (fixed-seed
 *             xorshift, the same sequence for every peer) and allocate
 *             its replacement, ns per replacement
 *   pipeline  core 0 allocates and passes each object through an SPSC
 *             ring to core 1, which frees it; ns per object, i.e. 1 /
 *             throughput
 *
 * Modes:
 *   bench [-q] [-r N] [-o FILE.md] [-t PREFIX]
 *             the driver: measures its own peers and those of the
 *             per-allocator binaries beside it (started with -S and driven
 *             over a pipe), every case round robin over all peers, the
 *             median of N rounds; prints a markdown table, writes it to
 *             FILE.md and the numbers to PREFIX-SIZE.tsv
 *   bench -I [-o FILE.md] [-t PREFIX]
 *             instructions per operation of the single-thread cases: runs
 *             this binary and the others under valgrind's callgrind with
 *             -C and reads callgrind's totals per case
 *   bench -C  (under callgrind) run each single-thread case of each own
 *             peer once, collecting only its measured loop, and dump the
 *             totals labelled "SIZE CASE PEER N"
 *   bench -S  serve the driver on stdin/stdout
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "driver.h"

const uint32_t bench_sizes[BENCH_NSIZES] = { 2048, 64 };
/* Operations per timed run (pair, bulk, keep, pipeline; -q: a tenth) and
 * per callgrind run. */
long bench_iters[BENCH_NCASES] = { 4000000, 8000000, 4000000, 500000 };
long bench_cg_iters[BENCH_NCASES_ST] = { 20000, 32000, 20000 };
int bench_repeats = 11;

struct bench_col bench_cols[BENCH_MAXCOLS];
unsigned int bench_ncols;
char bench_missing[512];
double bench_other_cpus = NAN, bench_steal_cpus = NAN, bench_run_secs;
unsigned int bench_runs[BENCH_NSIZES][BENCH_NCASES];
unsigned int bench_retried[BENCH_NSIZES][BENCH_NCASES];
unsigned int bench_dirty[BENCH_NSIZES][BENCH_NCASES];
struct bench_set_cost bench_sc[BENCH_NSIZES];

static struct bench_child children[BENCH_MAXCHILDREN];
static unsigned int nchildren;

/* ------------------------------------------------------------------ */
/* Peers, local or in a child process. */

static struct bench_col *add_col(const char *id, const char *name,
				 const char *version)
{
	struct bench_col *c;
	unsigned int s, k;

	if (bench_ncols == BENCH_MAXCOLS)
		return NULL;
	c = &bench_cols[bench_ncols++];
	snprintf(c->id, sizeof(c->id), "%s", id);
	snprintf(c->name, sizeof(c->name), "%s", name);
	snprintf(c->version, sizeof(c->version), "%s", version);
	for (s = 0; s < BENCH_NSIZES; s++) {
		for (k = 0; k < BENCH_NCASES; k++)
			c->ns[s][k] = NAN;
		for (k = 0; k < BENCH_NCASES_ST; k++)
			c->instr[s][k] = NAN;
	}
	return c;
}

struct bench_col *bench_find_col(const char *id)
{
	unsigned int i;

	for (i = 0; i < bench_ncols; i++)
		if (!strcmp(bench_cols[i].id, id))
			return &bench_cols[i];
	return NULL;
}

static void add_local_cols(void)
{
	unsigned int i;
	struct bench_col *c;

	for (i = 0; i < bench_nlocal; i++) {
		const struct bench_peer *p = bench_local_peers[i];

		c = add_col(p->id, p->name, p->version());
		if (c)
			c->local = p;
	}
}

/* The directory this binary lives in, where its siblings are. */
static int self_path(char *buf, size_t len, char *dir, size_t dlen)
{
	ssize_t n = readlink("/proc/self/exe", buf, len - 1);
	char *slash;

	if (n < 0)
		return -1;
	buf[n] = 0;
	snprintf(dir, dlen, "%s", buf);
	slash = strrchr(dir, '/');
	if (slash)
		*slash = 0;
	return 0;
}

static void note_missing(const char *bin)
{
	size_t l = strlen(bench_missing);

	snprintf(bench_missing + l, sizeof(bench_missing) - l, "%s%s",
		 l ? ", " : "", bin);
}

/*
 * Start argv[0] with its stdin and stdout on pipes to us (to may be
 * NULL: stdin stays ours) and its stderr on errpath (NULL: ours).
 */
static pid_t spawn(char *const argv[], FILE **to, FILE **from,
		   const char *errpath)
{
	int in[2] = { -1, -1 }, out[2] = { -1, -1 };
	pid_t pid = -1;

	if ((to && pipe2(in, O_CLOEXEC)) || pipe2(out, O_CLOEXEC))
		goto fail;
	fflush(NULL);
	pid = fork();
	if (pid < 0)
		goto fail;
	if (pid == 0) {
		if (to)
			dup2(in[0], 0);
		dup2(out[1], 1);
		if (errpath) {
			int fd = open(errpath, O_WRONLY | O_CREAT | O_TRUNC,
				      0644);

			if (fd >= 0)
				dup2(fd, 2);
		}
		execvp(argv[0], argv);
		fprintf(stderr, "bench: exec %s: %s\n", argv[0],
			strerror(errno));
		_exit(127);
	}
	if (to) {
		close(in[0]);
		*to = fdopen(in[1], "w");
	}
	close(out[1]);
	*from = fdopen(out[0], "r");
	return pid;
fail:
	for (pid = 0; pid < 2; pid++) {
		if (in[pid] >= 0)
			close(in[pid]);
		if (out[pid] >= 0)
			close(out[pid]);
	}
	return -1;
}

/* Read a "peer ID\tNAME\tVERSION" line into a new column. */
static struct bench_col *peer_line(char *line)
{
	char *id, *name, *ver, *save = NULL;
	struct bench_col *c;

	line[strcspn(line, "\n")] = 0;
	if (strncmp(line, "peer ", 5))
		return NULL;
	id = strtok_r(line + 5, "\t", &save);
	name = strtok_r(NULL, "\t", &save);
	ver = strtok_r(NULL, "\t", &save);
	if (!id || !name)
		return NULL;
	/* under -I the driver's own peers are there already */
	c = bench_find_col(id);
	return c ? c : add_col(id, name, ver ? ver : "");
}

static void start_children(void)
{
	char self[PATH_MAX], dir[PATH_MAX], path[PATH_MAX + 64];
	char *line = NULL;
	size_t cap = 0;
	unsigned int i;

	if (self_path(self, sizeof(self), dir, sizeof(dir)))
		return;
	for (i = 0; bench_children[i] && nchildren < BENCH_MAXCHILDREN; i++) {
		struct bench_child *ch = &children[nchildren];
		char *argv[] = { path, "-S", NULL };
		int ridx = 0;

		snprintf(path, sizeof(path), "%s/%s", dir, bench_children[i]);
		if (access(path, X_OK)) {
			note_missing(bench_children[i]);
			continue;
		}
		ch->bin = bench_children[i];
		ch->pid = spawn(argv, &ch->to, &ch->from, NULL);
		if (ch->pid < 0) {
			note_missing(bench_children[i]);
			continue;
		}
		nchildren++;
		while (getline(&line, &cap, ch->from) > 0 &&
		       strcmp(line, "ready\n")) {
			struct bench_col *c = peer_line(line);

			if (c) {
				c->ch = ch;
				c->ridx = ridx++;
			}
		}
	}
	free(line);
}

static void stop_children(void)
{
	unsigned int i;

	for (i = 0; i < nchildren; i++) {
		fclose(children[i].to);
		fclose(children[i].from);
		waitpid(children[i].pid, NULL, 0);
	}
}

/* One request to a child, one line back; NULL when it is gone. */
static char *ask(struct bench_child *ch, char *buf, size_t len,
		 const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static char *ask(struct bench_child *ch, char *buf, size_t len,
		 const char *fmt, ...)
{
	va_list ap;

	if (ch->dead)
		return NULL;
	va_start(ap, fmt);
	vfprintf(ch->to, fmt, ap);
	va_end(ap);
	if (fflush(ch->to) || !fgets(buf, (int)len, ch->from)) {
		fprintf(stderr, "bench: %s stopped answering\n", ch->bin);
		ch->dead = 1;
		return NULL;
	}
	return buf;
}

static int col_setup(struct bench_col *c, uint32_t size)
{
	char buf[128], *r;

	if (c->local)
		return c->local->setup(size);
	r = ask(c->ch, buf, sizeof(buf), "setup %d %u\n", c->ridx, size);
	return r && !strcmp(r, "ok\n") ? 0 : -1;
}

static void col_teardown(struct bench_col *c)
{
	char buf[128];

	if (c->local)
		c->local->teardown();
	else
		ask(c->ch, buf, sizeof(buf), "teardown %d\n", c->ridx);
}

/*
 * ns the measured loop of n operations took, NaN on failure; *lost: ns
 * its threads spent off their cores.
 */
static double col_run(struct bench_col *c, int k, long n, double *lost)
{
	char buf[128], *r;
	double v;

	if (c->local) {
		v = c->local->run[k](n);
		*lost = bench_lost;
		return v;
	}
	r = ask(c->ch, buf, sizeof(buf), "run %d %d %ld\n", c->ridx, k, n);
	if (!r || sscanf(r, "ns %lf %lf", &v, lost) != 2)
		return NAN;
	return v;
}

/* ------------------------------------------------------------------ */
/* The modes. */

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

double bench_median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	return v[n / 2];
}

/*
 * One run of case k for c that kept its cores: a run whose threads spent
 * more than BENCH_LOST_MAX of it off their cores (other work on the
 * machine preempted them) is repeated, up to BENCH_TRIES runs in all,
 * and the cleanest one kept.
 */
static double clean_run(struct bench_col *c, unsigned int s, int k)
{
	double best = NAN, best_lost = 1, v, lost;
	int t;

	for (t = 0; t < BENCH_TRIES; t++) {
		v = col_run(c, k, bench_iters[k], &lost);
		if (isnan(v))
			return NAN;
		lost = v > 0 ? lost / v : 0;
		if (isnan(best) || lost < best_lost) {
			best = v;
			best_lost = lost;
		}
		if (best_lost <= BENCH_LOST_MAX)
			break;
	}
	bench_runs[s][k]++;
	bench_retried[s][k] += t > 0;
	bench_dirty[s][k] += best_lost > BENCH_LOST_MAX;
	return best;
}

/*
 * Case k for every peer: one warm-up run each, then `bench_repeats` rounds
 * that each run every peer once (so a slow spell of a shared machine hits
 * all peers alike); each peer's median.
 */
static void measure(unsigned int s, int k)
{
	static double v[BENCH_MAXCOLS][BENCH_MAXREPEATS];
	struct bench_col *c;
	double lost;
	unsigned int i;
	int r, bad;

	for (i = 0; i < bench_ncols; i++)
		if (bench_cols[i].ok)
			col_run(&bench_cols[i], k, bench_iters[k] / 4, &lost);
	for (r = 0; r < bench_repeats; r++)
		for (i = 0; i < bench_ncols; i++) {
			c = &bench_cols[i];
			v[i][r] = c->ok ? clean_run(c, s, k) : NAN;
		}
	for (i = 0; i < bench_ncols; i++) {
		c = &bench_cols[i];
		/* a failed run spoils the peer's number */
		for (r = 0, bad = !c->ok; r < bench_repeats; r++)
			bad |= isnan(v[i][r]);
		if (bad)
			continue;
		c->ns[s][k] = bench_median(v[i], bench_repeats) /
			      (double)bench_iters[k];
	}
}

/* CPU time the whole machine spent busy, and of it stolen by the
 * hypervisor, in seconds (the cpu line of /proc/stat). */
static int machine_busy(double *busy, double *steal)
{
	unsigned long long v[8] = { 0 };
	double hz = (double)sysconf(_SC_CLK_TCK);
	FILE *f = fopen("/proc/stat", "r");
	int n;

	if (!f)
		return -1;
	/* user nice system idle iowait irq softirq steal */
	n = fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0],
		   &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7]);
	fclose(f);
	if (n != 8)
		return -1;
	*busy = (double)(v[0] + v[1] + v[2] + v[5] + v[6] + v[7]) / hz;
	*steal = (double)v[7] / hz;
	return 0;
}

static double tv_sec(struct timeval tv)
{
	return (double)tv.tv_sec + (double)tv.tv_usec / 1e6;
}

/*
 * Everything the machine did during the run that was not us (this
 * process and its children, waited for), in CPUs on average: a spinning
 * producer or consumer that loses its core to other work makes the
 * pipeline numbers meaningless, so the report says how busy it was.
 */
static void other_load(double t0, double busy0, double steal0)
{
	struct rusage self, kids;
	double busy1, steal1, secs = (bench_now() - t0) / 1e9, own;

	if (machine_busy(&busy1, &steal1) || secs <= 0 ||
	    getrusage(RUSAGE_SELF, &self) || getrusage(RUSAGE_CHILDREN, &kids))
		return;
	own = tv_sec(self.ru_utime) + tv_sec(self.ru_stime) +
	      tv_sec(kids.ru_utime) + tv_sec(kids.ru_stime);
	bench_other_cpus = (busy1 - busy0 - own) / secs;
	if (bench_other_cpus < 0)
		bench_other_cpus = 0;
	bench_steal_cpus = (steal1 - steal0) / secs;
	bench_run_secs = secs;
}

static int run_driver(void)
{
	double t0 = bench_now(), busy0 = NAN, steal0 = 0;
	unsigned int s, i;
	int k;

	machine_busy(&busy0, &steal0);
	add_local_cols();	/* ours first: the table's order */
	start_children();	/* before EAL starts its threads */
	if (bench_env_init())
		return -1;
	for (s = 0; s < BENCH_NSIZES; s++) {
		fprintf(stderr, "bench: %u-byte objects\n", bench_sizes[s]);
		for (i = 0; i < bench_ncols; i++) {
			struct bench_col *c = &bench_cols[i];

			c->ok = !col_setup(c, bench_sizes[s]);
			if (!c->ok)
				fprintf(stderr, "bench: %s: setup failed\n",
					c->name);
		}
		for (k = 0; k < BENCH_NCASES; k++)
			measure(s, k);
		for (i = 0; i < bench_ncols; i++)
			if (bench_cols[i].ok)
				col_teardown(&bench_cols[i]);
		/* written only when it succeeds */
		bench_sc[s] = (struct bench_set_cost){ NAN, NAN, NAN, NAN };
#ifdef BENCH_DRIVER
		bench_set_cost(bench_sizes[s], bench_repeats, &bench_sc[s]);
#endif
	}
	stop_children();
	bench_env_fini();
	if (!isnan(busy0))
		other_load(t0, busy0, steal0);
	return 0;
}

static void print_peers(void)
{
	unsigned int i;

	for (i = 0; i < bench_nlocal; i++)
		printf("peer %s\t%s\t%s\n", bench_local_peers[i]->id,
		       bench_local_peers[i]->name,
		       bench_local_peers[i]->version());
	fflush(stdout);
}

/* -S: set up, run and tear down our peers as the driver asks. */
static int run_serve(void)
{
	char *line = NULL;
	size_t cap = 0;

	if (bench_env_init())
		return 1;
	print_peers();
	printf("ready\n");
	fflush(stdout);
	while (getline(&line, &cap, stdin) > 0) {
		unsigned int i, size;
		int k;
		long n;

		if (sscanf(line, "setup %u %u", &i, &size) == 2 &&
		    i < bench_nlocal) {
			printf("%s\n", bench_local_peers[i]->setup(size) ?
				       "fail" : "ok");
		} else if (sscanf(line, "teardown %u", &i) == 1 &&
			   i < bench_nlocal) {
			bench_local_peers[i]->teardown();
			printf("ok\n");
		} else if (sscanf(line, "run %u %d %ld", &i, &k, &n) == 3 &&
			   i < bench_nlocal && k >= 0 && k < BENCH_NCASES &&
			   n > 0) {
			double v = bench_local_peers[i]->run[k](n);

			printf("ns %.1f %.1f\n", v, bench_lost);
		} else {
			printf("error\n");
		}
		fflush(stdout);
	}
	free(line);
	bench_env_fini();
	return 0;
}

/* -C: under callgrind, started with --collect-atstart=no. */
static int run_count(void)
{
	unsigned int s, i;
	int k;

	if (bench_env_init())
		return 1;
	print_peers();
	for (s = 0; s < BENCH_NSIZES; s++) {
		for (i = 0; i < bench_nlocal; i++) {
			const struct bench_peer *p = bench_local_peers[i];

			if (p->setup(bench_sizes[s]))
				continue;
			for (k = 0; k < BENCH_NCASES_ST; k++) {
				char label[96];

				bench_cg = 0;
				p->run[k](bench_cg_iters[k]);	/* warm up */
				snprintf(label, sizeof(label), "%u %d %s %ld",
					 bench_sizes[s], k, p->id, bench_cg_iters[k]);
#ifdef HAVE_CALLGRIND
				CALLGRIND_ZERO_STATS;
				bench_cg = 1;
				p->run[k](bench_cg_iters[k]);
				bench_cg = 0;
				CALLGRIND_DUMP_STATS_AT(label);
#endif
			}
			p->teardown();
		}
	}
	bench_env_fini();
	return 0;
}

/* Read the dumps DIR/NAME.cg.1, .2, ... that one -C run left. */
static void read_dumps(const char *dir, const char *name)
{
	static const char trig[] = "desc: Trigger: Client Request: ";
	char path[PATH_MAX + 64], buf[512], id[32];
	int n;

	for (n = 1;; n++) {
		unsigned int size = 0, s;
		double total = NAN;
		long ops = 0;
		int k = -1;
		struct bench_col *c;
		FILE *f;

		snprintf(path, sizeof(path), "%s/%s.cg.%d", dir, name, n);
		f = fopen(path, "r");
		if (!f)
			break;
		while (fgets(buf, sizeof(buf), f)) {
			if (!strncmp(buf, trig, sizeof(trig) - 1) &&
			    sscanf(buf + sizeof(trig) - 1, "%u %d %31s %ld",
				   &size, &k, id, &ops) != 4)
				k = -1;
			else if (!strncmp(buf, "totals: ", 8))
				total = strtod(buf + 8, NULL);
		}
		fclose(f);
		unlink(path);
		if (k < 0 || k >= BENCH_NCASES_ST || ops <= 0)
			continue;
		c = bench_find_col(id);
		for (s = 0; s < BENCH_NSIZES && c; s++)
			if (bench_sizes[s] == size)
				c->instr[s][k] = total / (double)ops;
	}
}

/* -I: every binary once under callgrind. */
static int run_instr(void)
{
	char self[PATH_MAX], dir[PATH_MAX], tmp[] = "/tmp/pktpool-cg-XXXXXX";
	const char *bins[BENCH_MAXCHILDREN + 1];
	unsigned int i, n = 0;
	int nbin = 0;

	if (self_path(self, sizeof(self), dir, sizeof(dir)) || !mkdtemp(tmp)) {
		perror("bench");
		return -1;
	}
	bins[n++] = strrchr(self, '/') + 1;	/* ourselves first */
	for (i = 0; bench_children[i] && n < BENCH_MAXCHILDREN + 1; i++)
		bins[n++] = bench_children[i];
	for (i = 0; i < n; i++) {
		const char *name = bins[i];
		char path[PATH_MAX + 64], out[PATH_MAX + 64],
		     log[PATH_MAX + 64], *line = NULL;
		size_t cap = 0;
		FILE *from;
		int st = 0;
		pid_t pid;

		snprintf(path, sizeof(path), "%s/%s", dir, name);
		if (access(path, X_OK)) {
			note_missing(name);
			continue;
		}
		snprintf(out, sizeof(out), "--callgrind-out-file=%s/%s.cg",
			 tmp, name);
		snprintf(log, sizeof(log), "%s/%s.log", tmp, name);
		{
			char *argv[] = { "valgrind", "--tool=callgrind",
					 "--collect-atstart=no", out, path,
					 "-C", NULL };

			fprintf(stderr, "bench: callgrind %s\n", name);
			pid = spawn(argv, NULL, &from, log);
		}
		if (pid < 0) {
			perror("bench: valgrind");
			continue;
		}
		while (getline(&line, &cap, from) > 0)
			peer_line(line);
		free(line);
		fclose(from);
		waitpid(pid, &st, 0);
		if (!WIFEXITED(st) || WEXITSTATUS(st)) {
			fprintf(stderr,
				"bench: %s under callgrind failed (log %s)\n",
				name, log);
			continue;
		}
		read_dumps(tmp, name);
		unlink(log);
		snprintf(out, sizeof(out), "%s/%s.cg", tmp, name);
		unlink(out);	/* the dump at exit: nothing collected */
		nbin++;
	}
	rmdir(tmp);
	return nbin ? 0 : -1;
}

static void usage(void)
{
	fprintf(stderr, "usage: bench [-q] [-r ROUNDS] [-o FILE.md] [-t PREFIX]\n"
			"       bench -I [-o FILE.md] [-t PREFIX]\n"
			"       bench -S | -C   (driven by the above)\n");
	exit(2);
}

int main(int argc, char **argv)
{
	const char *out = NULL, *tsv = NULL;
	FILE *md = NULL;
	int opt, mode = 0, k;

	signal(SIGPIPE, SIG_IGN);
	while ((opt = getopt(argc, argv, "o:t:qr:SCI")) != -1) {
		switch (opt) {
		case 'o':
			out = optarg;
			break;
		case 't':
			tsv = optarg;
			break;
		case 'q':	/* quick: a tenth of the work */
			for (k = 0; k < BENCH_NCASES; k++)
				bench_iters[k] /= 10;
			break;
		case 'r':
			bench_repeats = atoi(optarg);
			if (bench_repeats < 1 || bench_repeats > BENCH_MAXREPEATS)
				usage();
			break;
		case 'S':
		case 'C':
		case 'I':
			mode = opt;
			break;
		default:
			usage();
		}
	}
	if (mode == 'S')
		return run_serve();
	if (mode == 'C')
		return run_count();
	if (out) {
		md = fopen(out, "w");
		if (!md)
			perror(out);
	}
	if (mode == 'I') {
#ifndef HAVE_CALLGRIND
		fprintf(stderr, "bench: built without <valgrind/callgrind.h>\n");
		return 1;
#endif
		add_local_cols();	/* the table's order; -C runs fill it */
		if (run_instr())
			return 1;
		bench_report_instr(md, tsv);
	} else {
		if (run_driver())
			return 1;
		bench_report_time(md, tsv);
	}
	if (md)
		fclose(md);
	return 0;
}
