// SPDX-License-Identifier: GPL-2.0
/*
 * pktpool-trace: per-pool allocation rate, failures, object lifetimes and
 * failing call sites, from pktpool's tracepoints through BPF.
 *
 * The BPF programs (pktpool_trace.bpf.c) count into maps; this program
 * loads them through the bpftool-generated skeleton, waits, and prints
 * what the maps hold. Laid out as:
 *   - options;
 *   - preflight: root, BPF support, the tracepoints and where their record
 *     fields are (from the format files, since there is no module BTF to
 *     relocate against);
 *   - kernel symbols, for the failing call sites;
 *   - snapshots: the maps read and summed over CPUs;
 *   - output: text and JSON, both fed by a snapshot;
 *   - main: load, attach, wait, print.
 *
 * Exit status: 0 success, 1 failure, 2 usage error.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "pktpool_trace.h"
#include "pktpool_trace.skel.h"

#define EXIT_OK		0
#define EXIT_FAIL	1
#define EXIT_USAGE	2

/* Failure call sites shown per pool. */
#define TOP_SITES	10
/* Width of the histogram bars. */
#define BAR_WIDTH	40

static const char *prog = "pktpool-trace";

static void __attribute__((format(printf, 1, 2))) err_msg(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* Options */

struct opts {
	double duration;		/* s, 0: until a signal */
	double interval;		/* s, 0: one summary at the end */
	const char *pool;		/* NULL: every pool */
	unsigned int max_objects;	/* size of the "live" map */
	bool json;
	bool verbose;
};

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: %s [OPTIONS]\n"
		"\n"
		"Trace pktpool through its tracepoints (events/pktpool/) and show, per\n"
		"pool: allocations and their rate, frees, failed allocations by cause,\n"
		"a log2 histogram of object lifetimes (allocation to free) and the call\n"
		"sites of failed allocations. Runs until Ctrl-C or --duration, then\n"
		"prints a summary.\n"
		"\n"
		"Options:\n"
		"  -d, --duration S     stop after S seconds and print the summary\n"
		"  -i, --interval S     also print a summary every S seconds (counts since\n"
		"                       the start, rates over the interval)\n"
		"  -p, --pool NAME      trace only the pool(s) named NAME\n"
		"      --json           print each summary as one JSON object on one line\n"
		"      --max-objects N  objects whose lifetime is timed at once (default %u)\n"
		"  -v, --verbose        show libbpf's messages\n"
		"  -h, --help           this help\n"
		"\n"
		"S may have a fraction (0.5). Needs root. pktpool.ko must be loaded,\n"
		"and stays pinned (rmmod: busy) while tracing.\n"
		"\n"
		"Exit status: 0 success, 1 failure, 2 usage error.\n",
		prog, PKTPOOL_TRACE_MAX_LIVE);
}

static int __attribute__((format(printf, 1, 2))) usage_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry '%s --help' for more information.\n", prog);
	return EXIT_USAGE;
}

/* Seconds: a positive decimal, optionally with a fraction, up to a year. */
static bool parse_seconds(const char *s, double *out)
{
	char *end;
	double v;

	if (!s || !((*s >= '0' && *s <= '9') || *s == '.'))
		return false;
	errno = 0;
	v = strtod(s, &end);
	if (errno || *end || !isfinite(v) || v <= 0 || v > 366 * 86400.0)
		return false;
	*out = v;
	return true;
}

static bool parse_count(const char *s, unsigned int *out)
{
	unsigned long v;
	char *end;

	if (!s || *s < '0' || *s > '9')
		return false;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v < 1 || v > (1UL << 26))
		return false;
	*out = (unsigned int)v;
	return true;
}

/* The names pktpool accepts: 1..31 of [a-z0-9_-]. */
static bool pool_name_valid(const char *name)
{
	size_t len = strlen(name), i;

	if (len < 1 || len >= PKTPOOL_NAME_MAX)
		return false;
	for (i = 0; i < len; i++) {
		char c = name[i];

		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '_' || c == '-'))
			return false;
	}
	return true;
}

/* 0 and *o filled, or an exit status for main to return. */
static int parse_opts(int argc, char **argv, struct opts *o)
{
	enum { OPT_JSON = 256, OPT_MAX_OBJECTS };
	static const struct option longopts[] = {
		{ "duration", required_argument, NULL, 'd' },
		{ "interval", required_argument, NULL, 'i' },
		{ "pool", required_argument, NULL, 'p' },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "max-objects", required_argument, NULL, OPT_MAX_OBJECTS },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	*o = (struct opts){ .max_objects = PKTPOOL_TRACE_MAX_LIVE };
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":d:i:p:vh", longopts, NULL)) != -1) {
		switch (c) {
		case 'd':
			if (!parse_seconds(optarg, &o->duration))
				return usage_error("invalid number of seconds for --duration: '%s'",
						   optarg);
			break;
		case 'i':
			if (!parse_seconds(optarg, &o->interval))
				return usage_error("invalid number of seconds for --interval: '%s'",
						   optarg);
			break;
		case 'p':
			if (!pool_name_valid(optarg))
				return usage_error("invalid pool name '%s' (1..%d of a-z, 0-9, '_', '-')",
						   optarg, PKTPOOL_NAME_MAX - 1);
			o->pool = optarg;
			break;
		case OPT_JSON:
			o->json = true;
			break;
		case OPT_MAX_OBJECTS:
			if (!parse_count(optarg, &o->max_objects))
				return usage_error("invalid count for --max-objects: '%s' (1..%lu)",
						   optarg, 1UL << 26);
			break;
		case 'v':
			o->verbose = true;
			break;
		case 'h':
			usage(stdout);
			return EXIT_OK;
		case ':':
			return usage_error("option '%s' needs an argument",
					   argv[optind - 1]);
		default:
			if (optopt >= OPT_JSON)
				return usage_error("option '%s' takes no argument",
						   argv[optind - 1]);
			if (optopt)
				return usage_error("unknown option '-%c'", optopt);
			return usage_error("unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return usage_error("unexpected argument '%s'", argv[optind]);
	return -1;
}

/* Preflight */

static bool dir_exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* The events directory of tracefs, wherever it is mounted; NULL if nowhere. */
static const char *tracefs_events(void)
{
	static const char *const dirs[] = {
		"/sys/kernel/tracing/events",
		"/sys/kernel/debug/tracing/events",
	};
	size_t i;

	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++)
		if (dir_exists(dirs[i]))
			return dirs[i];
	return NULL;
}

/* A record field the BPF programs read, and the size they read it at. */
struct field_want {
	const char *event;
	const char *field;
	enum pktpool_trace_field id;
	unsigned int size;
};

/*
 * pktpool_alloc and pktpool_free share an event class, and so do
 * pool_create and pool_destroy: both of a pair must agree.
 */
static const struct field_want fields_want[] = {
	{ "pktpool_alloc", "pool_id", PKTPOOL_TRACE_OBJ_POOL_ID, 4 },
	{ "pktpool_alloc", "name", PKTPOOL_TRACE_OBJ_NAME, PKTPOOL_NAME_MAX },
	{ "pktpool_alloc", "obj", PKTPOOL_TRACE_OBJ_OBJ, 8 },
	{ "pktpool_alloc", "ip", PKTPOOL_TRACE_OBJ_IP, 8 },
	{ "pktpool_free", "pool_id", PKTPOOL_TRACE_OBJ_POOL_ID, 4 },
	{ "pktpool_free", "name", PKTPOOL_TRACE_OBJ_NAME, PKTPOOL_NAME_MAX },
	{ "pktpool_free", "obj", PKTPOOL_TRACE_OBJ_OBJ, 8 },
	{ "pktpool_free", "ip", PKTPOOL_TRACE_OBJ_IP, 8 },
	{ "pktpool_alloc_fail", "pool_id", PKTPOOL_TRACE_FAIL_POOL_ID, 4 },
	{ "pktpool_alloc_fail", "name", PKTPOOL_TRACE_FAIL_NAME, PKTPOOL_NAME_MAX },
	{ "pktpool_alloc_fail", "cause", PKTPOOL_TRACE_FAIL_CAUSE, 4 },
	{ "pktpool_alloc_fail", "ip", PKTPOOL_TRACE_FAIL_IP, 8 },
	{ "pktpool_pool_create", "pool_id", PKTPOOL_TRACE_POOL_POOL_ID, 4 },
	{ "pktpool_pool_create", "name", PKTPOOL_TRACE_POOL_NAME, PKTPOOL_NAME_MAX },
	{ "pktpool_pool_create", "obj_size", PKTPOOL_TRACE_POOL_OBJ_SIZE, 4 },
	{ "pktpool_pool_create", "limit", PKTPOOL_TRACE_POOL_LIMIT, 8 },
	{ "pktpool_pool_destroy", "pool_id", PKTPOOL_TRACE_POOL_POOL_ID, 4 },
	{ "pktpool_pool_destroy", "name", PKTPOOL_TRACE_POOL_NAME, PKTPOOL_NAME_MAX },
	{ "pktpool_pool_destroy", "obj_size", PKTPOOL_TRACE_POOL_OBJ_SIZE, 4 },
	{ "pktpool_pool_destroy", "limit", PKTPOOL_TRACE_POOL_LIMIT, 8 },
};

/*
 * Find @field in a format file's text, whose lines read e.g.
 *   "\tfield:char name[32];\toffset:12;\tsize:32;\tsigned:1;"
 * The field's name is the last word of the declaration, before any [N].
 */
static bool format_field(const char *text, const char *field,
			 unsigned int *offset, unsigned int *size)
{
	size_t flen = strlen(field);
	const char *line, *next;

	for (line = text; *line; line = next) {
		const char *eol = strchr(line, '\n');
		const char *decl, *semi, *end, *word;

		next = eol ? eol + 1 : line + strlen(line);
		if (!eol)
			eol = next;
		decl = strstr(line, "field:");
		if (!decl || decl >= eol)
			continue;
		semi = memchr(decl, ';', (size_t)(eol - decl));
		if (!semi)
			continue;
		end = memchr(decl, '[', (size_t)(semi - decl));
		if (!end)
			end = semi;
		word = end;
		while (word > decl && (word[-1] == '_' ||
				       (word[-1] >= 'a' && word[-1] <= 'z') ||
				       (word[-1] >= 'A' && word[-1] <= 'Z') ||
				       (word[-1] >= '0' && word[-1] <= '9')))
			word--;
		if ((size_t)(end - word) != flen || memcmp(word, field, flen))
			continue;
		return sscanf(semi + 1, " offset:%u; size:%u;", offset, size) == 2;
	}
	return false;
}

static char *read_file(const char *path)
{
	char *buf = NULL;
	size_t len = 0, cap = 0, n;
	FILE *f = fopen(path, "r");

	if (!f)
		return NULL;
	do {
		if (len + 1 >= cap) {
			char *nbuf = realloc(buf, cap ? cap * 2 : 4096);

			if (!nbuf) {
				free(buf);
				fclose(f);
				errno = ENOMEM;
				return NULL;
			}
			buf = nbuf;
			cap = cap ? cap * 2 : 4096;
		}
		n = fread(buf + len, 1, cap - len - 1, f);
		len += n;
	} while (n > 0);
	buf[len] = '\0';
	fclose(f);
	return buf;
}

/*
 * The tracepoints exist and have every field the BPF programs read, at the
 * size they read it: fills @off with where each field is (the BPF
 * programs' field_off[]). Prints why not and returns false otherwise.
 */
static bool tracepoints_ok(__u32 off_out[PKTPOOL_TRACE_FIELDS])
{
	bool seen[PKTPOOL_TRACE_FIELDS] = { false };
	const char *events = tracefs_events();
	char path[256], *text = NULL;
	const char *loaded = NULL;
	unsigned int off, size;
	bool ok = true;
	size_t i;

	if (!events) {
		err_msg("tracefs is not mounted (mount -t tracefs nodev /sys/kernel/tracing)");
		return false;
	}
	snprintf(path, sizeof(path), "%s/pktpool", events);
	if (!dir_exists(path)) {
		err_msg("no pktpool tracepoints in %s: is pktpool.ko loaded?", events);
		return false;
	}
	for (i = 0; i < sizeof(fields_want) / sizeof(fields_want[0]); i++) {
		const struct field_want *w = &fields_want[i];

		if (loaded != w->event) {
			free(text);
			snprintf(path, sizeof(path), "%s/pktpool/%s/format",
				 events, w->event);
			text = read_file(path);
			loaded = w->event;
			if (!text) {
				err_msg("%s: %s: is pktpool.ko loaded, and as new as this %s?",
					path, strerror(errno), prog);
				return false;
			}
		}
		if (!format_field(text, w->field, &off, &size)) {
			err_msg("%s: no field '%s'", path, w->field);
			ok = false;
		} else if (size != w->size ||
			   off > PKTPOOL_TRACE_REC_MAX - size) {
			err_msg("%s: field '%s' at offset %u size %u, expected size %u",
				path, w->field, off, size, w->size);
			ok = false;
		} else if (seen[w->id] && off_out[w->id] != off) {
			err_msg("%s: field '%s' at offset %u, %u in the other event of its class",
				path, w->field, off, off_out[w->id]);
			ok = false;
		} else {
			off_out[w->id] = off;
			seen[w->id] = true;
		}
	}
	free(text);
	if (!ok)
		err_msg("the pktpool tracepoints do not match the records this %s was built for (tools/trace/pktpool_trace.h)",
			prog);
	return ok;
}

/* Kernel symbols, from /proc/kallsyms */

struct ksym {
	unsigned long long addr;
	char *name;			/* "sym" */
	char *module;			/* NULL for vmlinux */
};

static struct ksym *ksyms;
static size_t nr_ksyms;
static bool ksyms_tried;

static int ksym_cmp(const void *a, const void *b)
{
	const struct ksym *x = a, *y = b;

	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

/*
 * Text symbols only: a call site is in text, and data symbols in between
 * would only shorten the distance to the wrong name. Read on first use;
 * the addresses read 0 without CAP_SYSLOG, and then nothing is kept.
 */
static void ksyms_load(void)
{
	size_t cap = 0, linecap = 0;
	char *line = NULL;
	FILE *f;

	ksyms_tried = true;
	f = fopen("/proc/kallsyms", "r");
	if (!f)
		return;
	while (getline(&line, &linecap, f) > 0) {
		char *save, *addr, *type, *name, *mod;
		unsigned long long a;

		addr = strtok_r(line, " \t\n", &save);
		type = strtok_r(NULL, " \t\n", &save);
		name = strtok_r(NULL, " \t\n", &save);
		mod = strtok_r(NULL, " \t\n", &save);
		if (!addr || !type || !name || (*type != 't' && *type != 'T'))
			continue;
		a = strtoull(addr, NULL, 16);
		if (!a)
			continue;
		if (nr_ksyms == cap) {
			struct ksym *n = realloc(ksyms, (cap ? cap * 2 : 65536) * sizeof(*n));

			if (!n)
				break;
			ksyms = n;
			cap = cap ? cap * 2 : 65536;
		}
		if (mod && *mod == '[') {
			mod++;
			mod[strcspn(mod, "]")] = '\0';
		} else {
			mod = NULL;
		}
		ksyms[nr_ksyms].addr = a;
		ksyms[nr_ksyms].name = strdup(name);
		ksyms[nr_ksyms].module = mod ? strdup(mod) : NULL;
		if (!ksyms[nr_ksyms].name)
			break;
		nr_ksyms++;
	}
	free(line);
	fclose(f);
	qsort(ksyms, nr_ksyms, sizeof(*ksyms), ksym_cmp);
}

static void ksyms_free(void)
{
	size_t i;

	for (i = 0; i < nr_ksyms; i++) {
		free(ksyms[i].name);
		free(ksyms[i].module);
	}
	free(ksyms);
}

/* The symbol @ip is in (the last one at or below it); NULL if unknown. */
static const struct ksym *ksym_find(unsigned long long ip)
{
	size_t lo = 0, hi;

	if (!ksyms_tried)
		ksyms_load();
	hi = nr_ksyms;
	if (!hi || ip < ksyms[0].addr)
		return NULL;
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (ksyms[mid].addr <= ip)
			lo = mid;
		else
			hi = mid;
	}
	return &ksyms[lo];
}

/* Snapshots */

struct pool_snap {
	__u32 id;
	bool known;			/* info came from the "pools" map */
	struct pktpool_trace_pool info;
	struct pktpool_trace_stats st;
};

struct site_snap {
	struct pktpool_trace_site key;
	__u64 count;
};

struct snapshot {
	double t;			/* s since tracing started */
	struct pool_snap *pools;	/* by id */
	size_t nr_pools;
	struct site_snap *sites;	/* by pool, then count descending */
	size_t nr_sites;
};

static void snapshot_free(struct snapshot *s)
{
	free(s->pools);
	free(s->sites);
	*s = (struct snapshot){ 0 };
}

static const struct pool_snap *snap_pool(const struct snapshot *s, __u32 id)
{
	size_t i;

	for (i = 0; i < s->nr_pools; i++)
		if (s->pools[i].id == id)
			return &s->pools[i];
	return NULL;
}

/* Pool @id of @s, added with zero counts if it is not there yet. */
static struct pool_snap *snap_pool_add(struct snapshot *s, __u32 id)
{
	struct pool_snap *n;
	size_t i;

	for (i = 0; i < s->nr_pools; i++)
		if (s->pools[i].id == id)
			return &s->pools[i];
	n = realloc(s->pools, (s->nr_pools + 1) * sizeof(*n));
	if (!n)
		return NULL;
	s->pools = n;
	n[s->nr_pools] = (struct pool_snap){ .id = id };
	return &n[s->nr_pools++];
}

static int pool_snap_cmp(const void *a, const void *b)
{
	const struct pool_snap *x = a, *y = b;

	return x->id < y->id ? -1 : x->id > y->id;
}

static int site_snap_cmp(const void *a, const void *b)
{
	const struct site_snap *x = a, *y = b;

	if (x->key.pool_id != y->key.pool_id)
		return x->key.pool_id < y->key.pool_id ? -1 : 1;
	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return x->key.ip < y->key.ip ? -1 : x->key.ip > y->key.ip;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * Read the maps as of @t s since the start, while the programs may still
 * be counting: each value is read whole, but not all at one instant.
 * 0 or -errno.
 */
static int snapshot_take(struct pktpool_trace *skel, double t, struct snapshot *s)
{
	int pools_fd = bpf_map__fd(skel->maps.pools);
	int stats_fd = bpf_map__fd(skel->maps.stats);
	int sites_fd = bpf_map__fd(skel->maps.sites);
	int ncpus = libbpf_num_possible_cpus();
	struct pktpool_trace_stats *percpu = NULL;
	struct pktpool_trace_site skey, *sprev = NULL;
	__u32 key, *prev = NULL;
	struct pool_snap *p;
	int cpu, i, err = 0;

	*s = (struct snapshot){ .t = t };
	if (ncpus <= 0)
		return ncpus ? ncpus : -EINVAL;
	/* Per-CPU values come as one array, each rounded up to 8 bytes. */
	_Static_assert(sizeof(*percpu) % 8 == 0, "per-CPU stride");
	percpu = calloc((size_t)ncpus, sizeof(*percpu));
	if (!percpu)
		return -ENOMEM;

	while (!bpf_map_get_next_key(pools_fd, prev, &key)) {
		prev = &key;
		p = snap_pool_add(s, key);
		if (!p) {
			err = -ENOMEM;
			goto out;
		}
		if (!bpf_map_lookup_elem(pools_fd, &key, &p->info))
			p->known = true;
	}
	prev = NULL;
	while (!bpf_map_get_next_key(stats_fd, prev, &key)) {
		prev = &key;
		if (bpf_map_lookup_elem(stats_fd, &key, percpu))
			continue;
		p = snap_pool_add(s, key);
		if (!p) {
			err = -ENOMEM;
			goto out;
		}
		for (cpu = 0; cpu < ncpus; cpu++) {
			const struct pktpool_trace_stats *c = &percpu[cpu];

			p->st.allocs += c->allocs;
			p->st.frees += c->frees;
			for (i = 0; i < PKTPOOL_TRACE_CAUSES; i++)
				p->st.fails[i] += c->fails[i];
			p->st.untimed += c->untimed;
			p->st.unmatched += c->unmatched;
			for (i = 0; i < PKTPOOL_TRACE_SLOTS; i++)
				p->st.lifetime[i] += c->lifetime[i];
		}
	}
	qsort(s->pools, s->nr_pools, sizeof(*s->pools), pool_snap_cmp);

	while (!bpf_map_get_next_key(sites_fd, sprev, &skey)) {
		struct site_snap *n;
		__u64 count;

		sprev = &skey;
		if (bpf_map_lookup_elem(sites_fd, &skey, &count))
			continue;
		n = realloc(s->sites, (s->nr_sites + 1) * sizeof(*n));
		if (!n) {
			err = -ENOMEM;
			goto out;
		}
		s->sites = n;
		n[s->nr_sites++] = (struct site_snap){ .key = skey, .count = count };
	}
	qsort(s->sites, s->nr_sites, sizeof(*s->sites), site_snap_cmp);
out:
	free(percpu);
	if (err)
		snapshot_free(s);
	return err;
}

/* Output */

static const char *const cause_names[PKTPOOL_TRACE_CAUSES] = {
	[PKTPOOL_TRACE_CAUSE_LIMIT] = "limit",
	[PKTPOOL_TRACE_CAUSE_NOMEM] = "nomem",
};

static const char *cause_name(__s32 cause)
{
	if (cause >= 0 && cause < PKTPOOL_TRACE_CAUSES)
		return cause_names[cause];
	return "unknown";
}

/* What a summary covers: the snapshot and, for rates, the one before. */
struct summary {
	const struct snapshot *now;
	const struct snapshot *before;	/* NULL: rates since the start */
	const char *filter;
	bool final;
};

static double rate_window(const struct summary *sm)
{
	return sm->now->t - (sm->before ? sm->before->t : 0);
}

static double alloc_rate(const struct summary *sm, const struct pool_snap *p)
{
	const struct pool_snap *b = NULL;
	double window = rate_window(sm);
	__u64 base = 0;

	if (sm->before)
		b = snap_pool(sm->before, p->id);
	if (b)
		base = b->st.allocs;
	return window > 0 ? (double)(p->st.allocs - base) / window : 0;
}

static __u64 lifetime_count(const struct pktpool_trace_stats *st)
{
	__u64 n = 0;
	int i;

	for (i = 0; i < PKTPOOL_TRACE_SLOTS; i++)
		n += st->lifetime[i];
	return n;
}

static unsigned long long slot_low(int i)
{
	return i ? 1ULL << i : 0;
}

static unsigned long long slot_high(int i)
{
	return i == 63 ? UINT64_MAX : (1ULL << (i + 1)) - 1;
}

static const char *pool_label(const struct pool_snap *p)
{
	return p->known && p->info.name[0] ? p->info.name : "?";
}

static void print_histogram(const struct pktpool_trace_stats *st)
{
	int i, first = -1, last = -1;
	__u64 max = 0;

	for (i = 0; i < PKTPOOL_TRACE_SLOTS; i++) {
		if (!st->lifetime[i])
			continue;
		if (first < 0)
			first = i;
		last = i;
		if (st->lifetime[i] > max)
			max = st->lifetime[i];
	}
	if (first < 0)
		return;
	printf("  %41s : %-10s distribution\n", "lifetime (ns)", "count");
	for (i = first; i <= last; i++) {
		int bar = (int)((st->lifetime[i] * BAR_WIDTH + max - 1) / max);

		printf("  %20llu -> %-17llu : %-10llu |%-*.*s|\n", slot_low(i),
		       slot_high(i), (unsigned long long)st->lifetime[i],
		       BAR_WIDTH, bar,
		       "****************************************");
	}
}

static void print_site_text(const struct site_snap *site)
{
	const struct ksym *k = ksym_find(site->key.ip);

	printf("  %10llu  %-7s ", (unsigned long long)site->count,
	       cause_name(site->key.cause));
	if (k)
		printf("%s+0x%llx%s%s%s\n", k->name, site->key.ip - k->addr,
		       k->module ? " [" : "", k->module ? k->module : "",
		       k->module ? "]" : "");
	else
		printf("0x%llx\n", (unsigned long long)site->key.ip);
}

static void print_text(const struct summary *sm)
{
	const struct snapshot *s = sm->now;
	size_t i, j;

	if (sm->final) {
		printf("pktpool-trace: %.2f s", s->t);
	} else {
		time_t t = time(NULL);
		char when[16];

		strftime(when, sizeof(when), "%H:%M:%S", localtime(&t));
		printf("pktpool-trace: %s, %.2f s (rates over the last %.2f s)",
		       when, s->t, rate_window(sm));
	}
	if (sm->filter)
		printf(", pool %s", sm->filter);
	printf("\n");
	if (!s->nr_pools) {
		printf("no pool events\n\n");
		fflush(stdout);
		return;
	}

	printf("%-20s %6s %12s %12s %12s %12s %12s\n", "POOL", "ID", "ALLOCS",
	       "ALLOCS/s", "FREES", "FAIL-LIMIT", "FAIL-NOMEM");
	for (i = 0; i < s->nr_pools; i++) {
		const struct pool_snap *p = &s->pools[i];

		printf("%-20s %6u %12llu %12.1f %12llu %12llu %12llu\n",
		       pool_label(p), p->id, (unsigned long long)p->st.allocs,
		       alloc_rate(sm, p), (unsigned long long)p->st.frees,
		       (unsigned long long)p->st.fails[PKTPOOL_TRACE_CAUSE_LIMIT],
		       (unsigned long long)p->st.fails[PKTPOOL_TRACE_CAUSE_NOMEM]);
	}

	for (i = 0; i < s->nr_pools; i++) {
		const struct pool_snap *p = &s->pools[i];
		unsigned int shown = 0;

		printf("\npool %s (id %u", pool_label(p), p->id);
		if (p->info.obj_size)
			printf(", size %u, limit %llu", p->info.obj_size,
			       (unsigned long long)p->info.limit);
		if (p->info.flags & PKTPOOL_TRACE_POOL_CREATED)
			printf(", created");
		if (p->info.flags & PKTPOOL_TRACE_POOL_DESTROYED)
			printf(", destroyed");
		printf("): %llu lifetimes\n",
		       (unsigned long long)lifetime_count(&p->st));
		if (p->st.untimed)
			printf("  %llu allocations not timed (live-object map full: --max-objects)\n",
			       (unsigned long long)p->st.untimed);
		if (p->st.unmatched)
			printf("  %llu frees of objects allocated before tracing or not timed\n",
			       (unsigned long long)p->st.unmatched);
		print_histogram(&p->st);
		for (j = 0; j < s->nr_sites; j++) {
			if (s->sites[j].key.pool_id != p->id)
				continue;
			if (!shown++)
				printf("  %10s  %-7s %s\n", "FAILURES", "CAUSE", "CALLER");
			if (shown <= TOP_SITES)
				print_site_text(&s->sites[j]);
		}
	}
	printf("\n");
	fflush(stdout);
}

static void json_string(const char *str)
{
	const unsigned char *c;

	putchar('"');
	for (c = (const unsigned char *)str; *c; c++) {
		if (*c == '"' || *c == '\\')
			printf("\\%c", *c);
		else if (*c < 0x20)
			printf("\\u%04x", *c);
		else
			putchar(*c);
	}
	putchar('"');
}

static void print_json(const struct summary *sm)
{
	const struct snapshot *s = sm->now;
	size_t i, j;
	int k;

	printf("{\"elapsed_s\":%.3f,\"rate_window_s\":%.3f,\"final\":%s,\"pool_filter\":",
	       s->t, rate_window(sm), sm->final ? "true" : "false");
	if (sm->filter)
		json_string(sm->filter);
	else
		printf("null");
	printf(",\"pools\":[");
	for (i = 0; i < s->nr_pools; i++) {
		const struct pool_snap *p = &s->pools[i];
		unsigned int shown = 0;
		bool first = true;

		printf("%s{\"id\":%u,\"name\":", i ? "," : "", p->id);
		if (p->known)
			json_string(p->info.name);
		else
			printf("null");
		if (p->info.obj_size)
			printf(",\"obj_size\":%u,\"limit\":%llu", p->info.obj_size,
			       (unsigned long long)p->info.limit);
		else
			printf(",\"obj_size\":null,\"limit\":null");
		printf(",\"created\":%s,\"destroyed\":%s",
		       p->info.flags & PKTPOOL_TRACE_POOL_CREATED ? "true" : "false",
		       p->info.flags & PKTPOOL_TRACE_POOL_DESTROYED ? "true" : "false");
		printf(",\"allocs\":%llu,\"alloc_rate\":%.3f,\"frees\":%llu",
		       (unsigned long long)p->st.allocs, alloc_rate(sm, p),
		       (unsigned long long)p->st.frees);
		printf(",\"fails\":{");
		for (k = 0; k < PKTPOOL_TRACE_CAUSES; k++)
			printf("%s\"%s\":%llu", k ? "," : "", cause_names[k],
			       (unsigned long long)p->st.fails[k]);
		printf("},\"untimed_allocs\":%llu,\"unmatched_frees\":%llu",
		       (unsigned long long)p->st.untimed,
		       (unsigned long long)p->st.unmatched);
		printf(",\"lifetime_ns\":{\"count\":%llu,\"log2_hist\":[",
		       (unsigned long long)lifetime_count(&p->st));
		for (k = 0; k < PKTPOOL_TRACE_SLOTS; k++) {
			if (!p->st.lifetime[k])
				continue;
			printf("%s{\"low\":%llu,\"high\":%llu,\"count\":%llu}",
			       first ? "" : ",", slot_low(k), slot_high(k),
			       (unsigned long long)p->st.lifetime[k]);
			first = false;
		}
		printf("]},\"fail_sites\":[");
		for (j = 0; j < s->nr_sites; j++) {
			const struct site_snap *site = &s->sites[j];
			const struct ksym *ks;

			if (site->key.pool_id != p->id || shown >= TOP_SITES)
				continue;
			ks = ksym_find(site->key.ip);
			printf("%s{\"ip\":\"0x%llx\",\"cause\":\"%s\",\"count\":%llu,\"symbol\":",
			       shown++ ? "," : "", (unsigned long long)site->key.ip,
			       cause_name(site->key.cause),
			       (unsigned long long)site->count);
			if (ks) {
				char sym[256];

				snprintf(sym, sizeof(sym), "%s+0x%llx", ks->name,
					 site->key.ip - ks->addr);
				json_string(sym);
				printf(",\"module\":");
				if (ks->module)
					json_string(ks->module);
				else
					printf("null");
			} else {
				printf("null,\"module\":null");
			}
			printf("}");
		}
		printf("]}");
	}
	printf("]}\n");
	fflush(stdout);
}

/* Main */

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static bool verbose;

static int libbpf_print(enum libbpf_print_level level, const char *fmt,
			va_list ap)
{
	/* Warnings always: they carry the verifier's log when loading fails. */
	if (level != LIBBPF_WARN && !verbose)
		return 0;
	return vfprintf(stderr, fmt, ap);
}

/* Sleep until @deadline (s since t0), or less if a signal comes. */
static void sleep_until(double t0, double deadline)
{
	double left = deadline - (now_s() - t0);
	struct timespec ts;

	/* Bounded: a signal between the check of stop and here waits at most this. */
	if (left > 1)
		left = 1;
	if (left <= 0)
		return;
	ts.tv_sec = (time_t)left;
	ts.tv_nsec = (long)((left - (double)ts.tv_sec) * 1e9);
	nanosleep(&ts, NULL);
}

static int load(const struct opts *o, const __u32 off[PKTPOOL_TRACE_FIELDS],
		struct pktpool_trace **out)
{
	struct pktpool_trace *skel;
	size_t i;
	int err;

	skel = pktpool_trace__open();
	if (!skel) {
		err = -errno;
		err_msg("opening the BPF object failed: %s", strerror(-err));
		return err;
	}
	for (i = 0; i < PKTPOOL_TRACE_FIELDS; i++)
		skel->rodata->field_off[i] = off[i];
	if (o->pool) {
		skel->rodata->filter_on = true;
		strncpy(skel->rodata->filter_name, o->pool,
			PKTPOOL_NAME_MAX - 1);
	}
	err = bpf_map__set_max_entries(skel->maps.live, o->max_objects);
	if (!err)
		err = pktpool_trace__load(skel);
	if (err) {
		if (err == -EPERM || err == -EACCES)
			err_msg("the kernel refused the BPF programs: %s (lockdown? needs CAP_BPF and CAP_PERFMON)",
				strerror(-err));
		else
			err_msg("loading the BPF programs failed: %s%s", strerror(-err),
				o->verbose ? "" : " (-v shows libbpf's log)");
		pktpool_trace__destroy(skel);
		return err;
	}
	err = pktpool_trace__attach(skel);
	if (err) {
		err_msg("attaching to the pktpool tracepoints failed: %s (is pktpool.ko loaded?)",
			strerror(-err));
		pktpool_trace__destroy(skel);
		return err;
	}
	*out = skel;
	return 0;
}

static void summarise(const struct opts *o, const struct summary *sm)
{
	if (o->json)
		print_json(sm);
	else
		print_text(sm);
}

int main(int argc, char **argv)
{
	struct snapshot prev = { 0 }, cur;
	struct pktpool_trace *skel = NULL;
	struct sigaction sa = { .sa_handler = on_signal };
	__u32 field_off[PKTPOOL_TRACE_FIELDS];
	double t0, next, end;
	struct opts o;
	int ret, err;

	ret = parse_opts(argc, argv, &o);
	if (ret >= 0)
		return ret;
	verbose = o.verbose;

	if (geteuid() != 0) {
		err_msg("needs root: it loads BPF programs and reads tracefs");
		return EXIT_FAIL;
	}
	libbpf_set_print(libbpf_print);
	err = libbpf_probe_bpf_prog_type(BPF_PROG_TYPE_TRACEPOINT, NULL);
	if (err <= 0) {
		err_msg("this kernel cannot run BPF tracepoint programs%s%s (needs CONFIG_BPF_SYSCALL and CONFIG_BPF_EVENTS)",
			err ? ": " : "", err ? strerror(-err) : "");
		return EXIT_FAIL;
	}
	if (!tracepoints_ok(field_off))
		return EXIT_FAIL;
	if (load(&o, field_off, &skel))
		return EXIT_FAIL;

	/* No SA_RESTART: a signal cuts the sleep short. */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);

	fprintf(stderr, "%s: tracing %s%s", prog, o.pool ? "pool " : "all pools",
		o.pool ? o.pool : "");
	if (o.duration)
		fprintf(stderr, " for %g s; Ctrl-C ends early\n", o.duration);
	else
		fprintf(stderr, "; Ctrl-C ends\n");

	t0 = now_s();
	next = o.interval ? o.interval : HUGE_VAL;
	ret = EXIT_OK;
	while (!stop) {
		double deadline = o.duration && o.duration < next ? o.duration : next;

		sleep_until(t0, deadline);
		if (stop || (o.duration && now_s() - t0 >= o.duration))
			break;
		if (now_s() - t0 < next)
			continue;
		next += o.interval;
		if (snapshot_take(skel, now_s() - t0, &cur)) {
			err_msg("reading the BPF maps failed");
			ret = EXIT_FAIL;
			break;
		}
		summarise(&o, &(struct summary){ .now = &cur,
			  .before = prev.t > 0 ? &prev : NULL,
			  .filter = o.pool });
		snapshot_free(&prev);
		prev = cur;
	}

	/* Counts end here, not when the maps have been read. */
	end = now_s() - t0;
	pktpool_trace__detach(skel);
	if (ret == EXIT_OK) {
		err = snapshot_take(skel, end, &cur);
		if (err) {
			err_msg("reading the BPF maps failed: %s", strerror(-err));
			ret = EXIT_FAIL;
		} else {
			summarise(&o, &(struct summary){ .now = &cur,
				  .filter = o.pool, .final = true });
			snapshot_free(&cur);
		}
	}
	snapshot_free(&prev);
	pktpool_trace__destroy(skel);
	ksyms_free();
	return ret;
}
