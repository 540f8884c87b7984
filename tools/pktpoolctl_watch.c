// SPDX-License-Identifier: GPL-2.0
/*
 * pktpoolctl watch: what slabtop is to slab caches. Every interval it
 * dumps the pools, works out allocations, frees and failures per second
 * since the previous sample and shows the pools busiest first (most
 * objects in use). On a terminal the screen is redrawn in place; anywhere
 * else each sample is a table of its own (or a JSON line with --json), so
 * a bounded run (--count) reads well in logs and tests. When stdin is a
 * terminal, q quits (as in top), and so does Ctrl-C, both leaving the
 * terminal as they found it.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <termios.h>
#include <unistd.h>
#include <sys/ioctl.h>

#include "pktpoolctl.h"

#define WATCH_SYNOPSIS "watch [--interval S] [--count N] [--json]"

/* One pool of one sample, with its rates; NAN: no previous sample. */
struct watched {
	struct pctl_pool p;
	double allocs_ps;
	double frees_ps;
	double fail_limit_ps;
	double fail_nomem_ps;
};

struct sample {
	struct watched *w;
	size_t nr;
	struct timespec mono;
	struct timespec real;
};

static double rate(__u64 now, __u64 before, double dt)
{
	return now >= before ? (double)(now - before) / dt : NAN;
}

/* Rates from prev; a pool seen the first time (or re-created) has none. */
static void set_rates(struct sample *cur, const struct sample *prev)
{
	double dt = 0;
	size_t i, k;

	if (prev)
		dt = (double)(cur->mono.tv_sec - prev->mono.tv_sec) +
		     (cur->mono.tv_nsec - prev->mono.tv_nsec) / 1e9;
	for (i = 0; i < cur->nr; i++) {
		struct watched *w = &cur->w[i];
		const struct pctl_pool *o = NULL;

		w->allocs_ps = w->frees_ps = NAN;
		w->fail_limit_ps = w->fail_nomem_ps = NAN;
		if (!prev || dt <= 0)
			continue;
		for (k = 0; k < prev->nr; k++) {
			if (prev->w[k].p.id == w->p.id &&
			    !strcmp(prev->w[k].p.name, w->p.name)) {
				o = &prev->w[k].p;
				break;
			}
		}
		if (!o)
			continue;
		w->allocs_ps = rate(w->p.allocs, o->allocs, dt);
		w->frees_ps = rate(w->p.frees, o->frees, dt);
		w->fail_limit_ps = rate(w->p.fail_limit, o->fail_limit, dt);
		w->fail_nomem_ps = rate(w->p.fail_nomem, o->fail_nomem, dt);
	}
}

/* Most objects in use first; equal ones by name, so the order is stable. */
static int by_in_use(const void *a, const void *b)
{
	const struct pctl_pool *x = &((const struct watched *)a)->p;
	const struct pctl_pool *y = &((const struct watched *)b)->p;

	if (x->in_use != y->in_use)
		return x->in_use > y->in_use ? -1 : 1;
	return strcmp(x->name, y->name);
}

static int take_sample(struct ctl *ctl, struct sample *s)
{
	struct pctl_pool *pools;
	size_t nr, i;
	int err;

	err = pctl_pool_dump(&ctl->nl, &pools, &nr);
	if (err)
		return err;
	clock_gettime(CLOCK_MONOTONIC, &s->mono);
	clock_gettime(CLOCK_REALTIME, &s->real);
	s->w = calloc(nr ? nr : 1, sizeof(*s->w));
	if (!s->w) {
		free(pools);
		return -ENOMEM;
	}
	for (i = 0; i < nr; i++)
		s->w[i].p = pools[i];
	s->nr = nr;
	free(pools);
	return 0;
}

static double elapsed(const struct sample *cur, const struct sample *prev)
{
	if (!prev)
		return NAN;
	return (double)(cur->mono.tv_sec - prev->mono.tv_sec) +
	       (cur->mono.tv_nsec - prev->mono.tv_nsec) / 1e9;
}

static void print_json(const struct sample *s, const struct sample *prev,
		       unsigned long n)
{
	struct pctl_json j;
	char when[48];
	size_t i;

	pctl_json_init(&j, stdout);
	pctl_json_obj(&j, NULL);
	pctl_json_u64(&j, "sample", n);
	pctl_json_str(&j, "time", pctl_fmt_time(&s->real, when, sizeof(when)));
	pctl_json_double(&j, "timestamp", pctl_epoch(&s->real), 6);
	pctl_json_double(&j, "elapsed", elapsed(s, prev), 6);
	pctl_json_arr(&j, "pools");
	for (i = 0; i < s->nr; i++) {
		const struct watched *w = &s->w[i];

		pctl_json_obj(&j, NULL);
		pctl_json_fields(&j, &pctl_pool_attrs, &w->p);
		pctl_json_double(&j, "allocs_per_sec", w->allocs_ps, 3);
		pctl_json_double(&j, "frees_per_sec", w->frees_ps, 3);
		pctl_json_double(&j, "fail_limit_per_sec", w->fail_limit_ps,
				 3);
		pctl_json_double(&j, "fail_nomem_per_sec", w->fail_nomem_ps,
				 3);
		pctl_json_end_obj(&j);
	}
	pctl_json_end_arr(&j);
	pctl_json_end_obj(&j);
	pctl_json_done(&j);
}

enum { W_ID, W_NAME, W_SIZE, W_INUSE, W_PCT, W_PEAK, W_LIMIT, W_ALLOC,
       W_FREE, W_FAIL, W_MEM, NR_WCOLS };

static const struct pctl_col watch_cols[NR_WCOLS] = {
	{ "ID", false }, { "NAME", true }, { "SIZE", false },
	{ "IN-USE", false }, { "USE%", false }, { "PEAK", false },
	{ "LIMIT", false }, { "ALLOC/s", false }, { "FREE/s", false },
	{ "FAIL/s", false }, { "MEMORY", false },
};

/* NAN plus anything is NAN: a sum of rates is unknown if one is. */
static double add(double sum, double v)
{
	return isnan(v) ? sum : (isnan(sum) ? v : sum + v);
}

static int print_text(const struct sample *s, double interval, bool tty)
{
	double allocs = NAN, frees = NAN, fails = NAN;
	long double bytes = 0, in_use_bytes = 0;
	unsigned int max_rows = 0;
	char when[48], a[32], b[32], c[32], d[32], e[32];
	struct pctl_table t;
	struct winsize ws;
	__u64 in_use = 0;
	size_t i;

	pctl_table_init(&t, watch_cols, NR_WCOLS);
	for (i = 0; i < s->nr; i++) {
		const struct watched *w = &s->w[i];
		const struct pctl_pool *p = &w->p;
		char (*row)[PCTL_CELL] = pctl_table_row(&t);

		if (!row) {
			pctl_table_free(&t);
			return -ENOMEM;
		}
		in_use += p->in_use;
		in_use_bytes += (long double)p->in_use * p->class_size;
		bytes += ((long double)p->in_use + p->cached +
			  p->reserve_avail) * p->class_size;
		allocs = add(allocs, w->allocs_ps);
		frees = add(frees, w->frees_ps);
		fails = add(fails, add(w->fail_limit_ps, w->fail_nomem_ps));
		pctl_fmt_u64(p->id, row[W_ID], PCTL_CELL);
		snprintf(row[W_NAME], PCTL_CELL, "%s", p->name);
		pctl_fmt_u64(p->obj_size, row[W_SIZE], PCTL_CELL);
		pctl_fmt_u64(p->in_use, row[W_INUSE], PCTL_CELL);
		pctl_fmt_pct(p->in_use, p->limit, row[W_PCT], PCTL_CELL);
		pctl_fmt_u64(p->peak, row[W_PEAK], PCTL_CELL);
		pctl_fmt_limit(p->limit, row[W_LIMIT], PCTL_CELL);
		pctl_fmt_rate(w->allocs_ps, row[W_ALLOC], PCTL_CELL);
		pctl_fmt_rate(w->frees_ps, row[W_FREE], PCTL_CELL);
		pctl_fmt_rate(add(w->fail_limit_ps, w->fail_nomem_ps),
			      row[W_FAIL], PCTL_CELL);
		pctl_fmt_bytes(((long double)p->in_use + p->cached +
				p->reserve_avail) * p->class_size,
			       row[W_MEM], PCTL_CELL);
	}
	if (tty) {
		/* Home, clear; keep the table to the window's height. */
		fputs("\033[H\033[2J", stdout);
		if (!ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) && ws.ws_row > 4)
			max_rows = ws.ws_row - 4;
	}
	printf("pktpool %s, every %gs: %zu pools, %llu objects in use (%s), %s held\n",
	       pctl_fmt_time(&s->real, when, sizeof(when)), interval, s->nr,
	       (unsigned long long)in_use,
	       pctl_fmt_bytes(in_use_bytes, a, sizeof(a)),
	       pctl_fmt_bytes(bytes, b, sizeof(b)));
	printf("per second: %s allocs, %s frees, %s fails\n",
	       pctl_fmt_rate(allocs, c, sizeof(c)),
	       pctl_fmt_rate(frees, d, sizeof(d)),
	       pctl_fmt_rate(fails, e, sizeof(e)));
	if (s->nr)
		pctl_table_print(&t, stdout, max_rows);
	else
		printf("no pools\n");
	if (!tty)
		putchar('\n');
	fflush(stdout);
	pctl_table_free(&t);
	return 0;
}

/* Keys on a terminal: stdin unbuffered and silent while watch runs. */
struct keys {
	bool on;
	struct termios saved;
	struct sigaction old_int, old_term;
};

static volatile sig_atomic_t watch_stop;

static void on_signal(int sig)
{
	(void)sig;
	watch_stop = 1;
}

static void keys_start(struct keys *k)
{
	struct sigaction sa = { .sa_handler = on_signal };
	struct termios raw;

	k->on = false;
	if (!isatty(STDIN_FILENO) || tcgetattr(STDIN_FILENO, &k->saved))
		return;
	raw = k->saved;
	raw.c_lflag &= ~(tcflag_t)(ICANON | ECHO);
	raw.c_cc[VMIN] = 1;
	raw.c_cc[VTIME] = 0;
	if (tcsetattr(STDIN_FILENO, TCSANOW, &raw))
		return;
	/* No SA_RESTART: poll() returns EINTR and the loop ends cleanly. */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &k->old_int);
	sigaction(SIGTERM, &sa, &k->old_term);
	k->on = true;
}

static void keys_stop(struct keys *k)
{
	if (!k->on)
		return;
	tcsetattr(STDIN_FILENO, TCSANOW, &k->saved);
	sigaction(SIGINT, &k->old_int, NULL);
	sigaction(SIGTERM, &k->old_term, NULL);
	k->on = false;
}

static long long ms_until(const struct timespec *t)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (t->tv_sec - now.tv_sec) * 1000LL +
	       (t->tv_nsec - now.tv_nsec + 999999) / 1000000;
}

/* Sleep until the deadline; true when the user asked to quit. */
static bool wait_until(struct keys *k, const struct timespec *deadline)
{
	struct pollfd pfd = { .fd = STDIN_FILENO, .events = POLLIN };
	long long ms;
	char c;

	if (!k->on) {
		while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME,
				       deadline, NULL) == EINTR)
			;
		return false;
	}
	while (!watch_stop && (ms = ms_until(deadline)) > 0) {
		if (poll(&pfd, 1, ms > INT_MAX ? INT_MAX : (int)ms) <= 0)
			continue;
		if (read(STDIN_FILENO, &c, 1) != 1) {
			/* The terminal went away: sleep as without one. */
			keys_stop(k);
			return wait_until(k, deadline);
		}
		if (c == 'q' || c == 'Q')
			return true;
	}
	return watch_stop;
}

static void add_ns(struct timespec *ts, double seconds)
{
	long long ns = ts->tv_nsec + (long long)(seconds * 1e9 + 0.5);

	ts->tv_sec += ns / 1000000000LL;
	ts->tv_nsec = ns % 1000000000LL;
}

int pctl_cmd_watch(struct ctl *ctl, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "interval", required_argument, NULL, 'i' },
		{ "count", required_argument, NULL, 'n' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct sample prev = { 0 }, cur;
	bool tty = isatty(STDOUT_FILENO);
	struct keys keys;
	struct timespec next;
	double interval = 1;
	unsigned long n;
	__u64 count = 0;
	int opt, err = 0;

	optind = 0;
	while ((opt = getopt_long(argc, argv, "i:n:jh", opts, NULL)) != -1) {
		switch (opt) {
		case 'i':
			if (!pctl_parse_seconds(optarg, &interval))
				return pctl_usage_error("invalid --interval '%s': seconds, 0.001 to 86400",
							optarg);
			break;
		case 'n':
			if (!pctl_parse_u64(optarg, &count) || !count)
				return pctl_usage_error("invalid --count '%s': 1 or more",
							optarg);
			break;
		case 'j':
			ctl->json = true;
			break;
		case 'h':
			printf("Usage: %s %s\n", pctl_prog, WATCH_SYNOPSIS);
			return -1;
		default:
			return pctl_usage_error("usage: %s %s", pctl_prog,
						WATCH_SYNOPSIS);
		}
	}
	if (argc != optind)
		return pctl_usage_error("usage: %s %s", pctl_prog,
					WATCH_SYNOPSIS);
	err = pctl_open_nl(ctl);
	if (err)
		return err;

	keys_start(&keys);
	clock_gettime(CLOCK_MONOTONIC, &next);
	for (n = 1; !count || n <= count; n++) {
		err = take_sample(ctl, &cur);
		if (err)
			break;
		set_rates(&cur, n > 1 ? &prev : NULL);
		qsort(cur.w, cur.nr, sizeof(*cur.w), by_in_use);
		if (ctl->json)
			print_json(&cur, n > 1 ? &prev : NULL, n);
		else
			err = print_text(&cur, interval, tty);
		free(prev.w);
		prev = cur;
		if (err || (count && n == count))
			break;
		/* On a fixed grid, so the time taken to print does not drift. */
		add_ns(&next, interval);
		if (wait_until(&keys, &next))
			break;
	}
	keys_stop(&keys);
	free(prev.w);
	if (err)
		return pctl_report(ctl, PCTL_OP_LIST, NULL, err);
	return EXIT_OK;
}
