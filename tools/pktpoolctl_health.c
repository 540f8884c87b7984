// SPDX-License-Identifier: GPL-2.0
/*
 * pktpoolctl health [NAME] [--warn PCT] [--crit PCT] [--json]: every
 * region (kernel regions over netlink, memfd regions in /dev/shm) judged
 * by libpktpool's pktpool_health() from the region itself, and every
 * kernel pool with a limit judged by its objects in use against it (from
 * the netlink pool stats). NAME picks the region and/or pool of that name.
 * Without --warn and --crit a pool is judged as the module judges it for
 * pool-health-ntf: by the module parameters health_warn and health_crit
 * (80 and 95 by default, the library's defaults too), 0 turning a level
 * off; so this command and the notifications agree.
 *
 * Exit status, as monitoring plugins expect: 0 all ok, 1 some warn, 2 some
 * critical, 3 unknown (a region that could not be read, or a usage
 * error; it wins over the others, since the report is incomplete).
 */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "libpktpool.h"
#include "pktpoolctl.h"

#define HEALTH_UNKNOWN	3
#define SHM_PREFIX	"pktpool."

#define HEALTH_SYNOPSIS "health [NAME] [--warn PCT] [--crit PCT] [--json]"

struct check {
	char kind[8];		/* "region" or "pool" */
	char name[PKTPOOL_NAME_MAX];
	const char *backend;	/* regions: "kernel" or "memfd" */
	int level;		/* PKTPOOL_HEALTH_*, or -errno */
	uint64_t used, of;	/* of 0: no limit to compare with */
	uint32_t reasons;
	uint64_t failures;
	uint32_t warn_pct, crit_pct;	/* pools: the thresholds applied */
};

struct checks {
	struct check *c;
	size_t n, cap;
};

static struct check *check_add(struct checks *cs)
{
	if (cs->n == cs->cap) {
		size_t cap = cs->cap ? 2 * cs->cap : 16;
		struct check *c = realloc(cs->c, cap * sizeof(*c));

		if (!c)
			return NULL;
		cs->c = c;
		cs->cap = cap;
	}
	memset(&cs->c[cs->n], 0, sizeof(cs->c[0]));
	return &cs->c[cs->n++];
}

static void check_region(struct check *c, const char *name, bool kernel,
			 const struct pktpool_health_limits *lim)
{
	struct pktpool_health_report h;
	struct pktpool *p;
	int err;

	snprintf(c->kind, sizeof(c->kind), "region");
	snprintf(c->name, sizeof(c->name), "%s", name);
	c->backend = kernel ? "kernel" : "memfd";
	err = pctl_lib_open(name, kernel, false, &p);
	if (err == -EAGAIN) {
		/* made (pktpoolctl, apply) but never used: nothing out */
		c->level = PKTPOOL_HEALTH_LEVEL_OK;
		return;
	}
	if (err) {
		c->level = err;
		return;
	}
	c->level = pktpool_health(p, lim, &h);
	pktpool_detach(p);
	if (c->level < 0)
		return;
	c->used = h.used;
	c->of = h.slot_count;
	c->reasons = h.reasons;
	c->failures = h.failures;
}

/* A module parameter in percent (0..100), or dflt when unreadable. */
static uint32_t module_pct(const char *param, uint32_t dflt)
{
	char path[96], buf[16];
	uint32_t v;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/module/pktpool/parameters/%s",
		 param);
	f = fopen(path, "re");
	if (!f)
		return dflt;
	if (!fgets(buf, sizeof(buf), f)) {
		fclose(f);
		return dflt;
	}
	fclose(f);
	buf[strcspn(buf, "\n")] = 0;
	if (!pctl_parse_u32(buf, &v) || v > 100)
		return dflt;
	return v;
}

/*
 * A pool: objects in use against its limit (no limit: always ok), as
 * kmod/health.c computes it (a threshold of 0 is off). Its failure
 * counters cannot be reset from here, so they are shown, not judged.
 */
static void check_pool(struct check *c, const struct pctl_pool *pl,
		       const struct pktpool_health_limits *lim)
{
	snprintf(c->kind, sizeof(c->kind), "pool");
	snprintf(c->name, sizeof(c->name), "%s", pl->name);
	c->used = pl->in_use;
	c->of = pl->limit;
	c->failures = pl->fail_limit + pl->fail_nomem;
	c->warn_pct = lim->warn_pct;
	c->crit_pct = lim->crit_pct;
	c->level = PKTPOOL_HEALTH_LEVEL_OK;
	if (!c->of)
		return;
	/* limit <= 2^32, used below it in practice: no overflow */
	if (lim->crit_pct && c->used * 100 >= (uint64_t)lim->crit_pct * c->of)
		c->level = PKTPOOL_HEALTH_LEVEL_CRIT;
	else if (lim->warn_pct &&
		 c->used * 100 >= (uint64_t)lim->warn_pct * c->of)
		c->level = PKTPOOL_HEALTH_LEVEL_WARN;
	if (c->level)
		c->reasons = PKTPOOL_HEALTH_R_SLOTS;
}

static bool shm_region_name(const char *f, char *name)
{
	size_t len = strlen(SHM_PREFIX);

	if (strncmp(f, SHM_PREFIX, len) || !pctl_name_valid(f + len))
		return false;
	snprintf(name, PKTPOOL_NAME_MAX, "%s", f + len);
	return true;
}

/* memfd regions: the shm files named pktpool.NAME (sets and buddy
 * arenas use other prefixes). */
static int scan_shm(struct checks *cs, const char *only,
		    const struct pktpool_health_limits *lim)
{
	char name[PKTPOOL_NAME_MAX];
	struct dirent *e;
	DIR *d = opendir("/dev/shm");

	if (!d)
		return errno == ENOENT ? 0 : -errno;
	while ((e = readdir(d))) {
		struct check *c;

		if (!shm_region_name(e->d_name, name) ||
		    (only && strcmp(only, name)))
			continue;
		c = check_add(cs);
		if (!c) {
			closedir(d);
			return -ENOMEM;
		}
		check_region(c, name, false, lim);
	}
	closedir(d);
	return 0;
}

static int cmp_check(const void *a, const void *b)
{
	const struct check *x = a, *y = b;
	int k = strcmp(x->kind, y->kind);

	return k ? k : strcmp(x->name, y->name);
}

enum { H_KIND, H_NAME, H_BACKEND, H_LEVEL, H_USED, H_OF, H_PCT,
       H_FAILS, H_REASONS, NR_HCOLS };

static const struct pctl_col health_cols[NR_HCOLS] = {
	{ "KIND", true }, { "NAME", true }, { "BACKEND", true },
	{ "HEALTH", true }, { "USED", false }, { "OF", false },
	{ "USE", false }, { "FAILURES", false }, { "WHY", true },
};

static const char *check_level(const struct check *c)
{
	return c->level < 0 ? "unknown" : pctl_health_name(c->level);
}

static void print_table(const struct checks *cs)
{
	struct pctl_table t;
	size_t i;

	pctl_table_init(&t, health_cols, NR_HCOLS);
	for (i = 0; i < cs->n; i++) {
		const struct check *c = &cs->c[i];
		char (*row)[PCTL_CELL] = pctl_table_row(&t);

		if (!row)
			break;
		snprintf(row[H_KIND], PCTL_CELL, "%s", c->kind);
		snprintf(row[H_NAME], PCTL_CELL, "%s", c->name);
		snprintf(row[H_BACKEND], PCTL_CELL, "%s",
			 c->backend ? c->backend : "-");
		snprintf(row[H_LEVEL], PCTL_CELL, "%s", check_level(c));
		pctl_fmt_u64(c->used, row[H_USED], PCTL_CELL);
		if (c->of) {
			pctl_fmt_u64(c->of, row[H_OF], PCTL_CELL);
			pctl_fmt_pct(c->used, c->of, row[H_PCT], PCTL_CELL);
		} else {
			snprintf(row[H_OF], PCTL_CELL, "-");
			snprintf(row[H_PCT], PCTL_CELL, "-");
		}
		pctl_fmt_u64(c->failures, row[H_FAILS], PCTL_CELL);
		if (c->level < 0)
			snprintf(row[H_REASONS], PCTL_CELL, "%.*s",
				 PCTL_CELL - 1, pctl_lib_why(c->level));
		else
			pctl_health_reasons(c->reasons, row[H_REASONS],
					    PCTL_CELL);
	}
	pctl_table_print(&t, stdout, 0);
	pctl_table_free(&t);
}

static void print_json(const struct checks *cs,
		       const struct pktpool_health_limits *lim, int status)
{
	static const char *const names[] = { "ok", "warn", "critical",
					     "unknown" };
	struct pctl_json j;
	size_t i;

	pctl_json_init(&j, stdout);
	pctl_json_obj(&j, NULL);
	pctl_json_str(&j, "level", names[status]);
	pctl_json_u64(&j, "exit_status", (unsigned int)status);
	pctl_json_u64(&j, "warn_pct", lim->warn_pct);
	pctl_json_u64(&j, "crit_pct", lim->crit_pct);
	pctl_json_arr(&j, "checks");
	for (i = 0; i < cs->n; i++) {
		const struct check *c = &cs->c[i];

		pctl_json_obj(&j, NULL);
		pctl_json_str(&j, "kind", c->kind);
		pctl_json_str(&j, "name", c->name);
		if (c->backend)
			pctl_json_str(&j, "backend", c->backend);
		pctl_json_str(&j, "level", check_level(c));
		if (c->level < 0) {
			pctl_json_str(&j, "error", pctl_lib_why(c->level));
			pctl_json_end_obj(&j);
			continue;
		}
		pctl_json_u64(&j, "used", c->used);
		if (c->of) {
			pctl_json_u64(&j, "of", c->of);
			pctl_json_double(&j, "used_pct",
					 100.0 * (double)c->used /
					 (double)c->of, 2);
		} else {
			pctl_json_null(&j, "of");
			pctl_json_null(&j, "used_pct");
		}
		pctl_json_u64(&j, "failures", c->failures);
		pctl_json_reasons(&j, c->reasons);
		if (!c->backend) {	/* a pool */
			pctl_json_u64(&j, "warn_pct", c->warn_pct);
			pctl_json_u64(&j, "crit_pct", c->crit_pct);
		}
		pctl_json_end_obj(&j);
	}
	pctl_json_end_arr(&j);
	pctl_json_end_obj(&j);
	pctl_json_done(&j);
}

static int health_usage(const char *fmt, const char *arg)
{
	pctl_err(fmt, arg);
	fprintf(stderr, "Usage: %s %s\n", pctl_prog, HEALTH_SYNOPSIS);
	return HEALTH_UNKNOWN;
}

static bool parse_pct(const char *s, uint32_t *out)
{
	return pctl_parse_u32(s, out) && *out >= 1 && *out <= 100;
}

int pctl_cmd_health(struct ctl *ctl, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "warn", required_argument, NULL, 'w' },
		{ "crit", required_argument, NULL, 'c' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct pktpool_health_limits lim = { PKTPOOL_HEALTH_WARN_PCT,
					     PKTPOOL_HEALTH_CRIT_PCT }, plim;
	bool given = false;
	struct pctl_region *regions = NULL;
	struct pctl_pool *pools = NULL;
	struct checks cs = { NULL, 0, 0 };
	size_t nr = 0, np = 0, i;
	const char *only = NULL;
	int opt, status = 0, err = 0;

	optind = 0;
	while ((opt = getopt_long(argc, argv, "w:c:jh", opts, NULL)) != -1) {
		switch (opt) {
		case 'w':
			if (!parse_pct(optarg, &lim.warn_pct))
				return health_usage("--warn takes a percentage 1..100, not '%s'",
						    optarg);
			given = true;
			break;
		case 'c':
			if (!parse_pct(optarg, &lim.crit_pct))
				return health_usage("--crit takes a percentage 1..100, not '%s'",
						    optarg);
			given = true;
			break;
		case 'j':
			ctl->json = true;
			break;
		case 'h':
			printf("Usage: %s %s\n", pctl_prog, HEALTH_SYNOPSIS);
			return -1;
		default:
			return health_usage("%s", "invalid option");
		}
	}
	if (argc - optind > 1)
		return health_usage("%s", "at most one NAME");
	if (lim.warn_pct > lim.crit_pct)
		return health_usage("%s", "--warn must not be above --crit");
	if (argc - optind == 1) {
		only = argv[optind];
		if (!pctl_name_valid(only))
			return health_usage("invalid name '%s'", only);
	}

	/* pools as pool-health-ntf judges them, unless told otherwise */
	plim = lim;
	if (!given) {
		plim.warn_pct = module_pct("health_warn", lim.warn_pct);
		plim.crit_pct = module_pct("health_crit", lim.crit_pct);
	}
	/* kernel regions and pools, when the module is there */
	if (!pctl_nl_open(&ctl->nl)) {
		err = pctl_region_dump(&ctl->nl, &regions, &nr);
		if (!err)
			err = pctl_pool_dump(&ctl->nl, &pools, &np);
		if (err)
			pctl_err("reading the kernel's regions and pools: %s",
				 strerror(-err));
	}
	for (i = 0; !err && i < nr; i++) {
		struct check *c;

		if (!regions[i].name[0] || (only && strcmp(only, regions[i].name)))
			continue;
		c = check_add(&cs);
		if (!c)
			err = -ENOMEM;
		else
			check_region(c, regions[i].name, true, &lim);
	}
	for (i = 0; !err && i < np; i++) {
		struct check *c;

		if (only && strcmp(only, pools[i].name))
			continue;
		c = check_add(&cs);
		if (!c)
			err = -ENOMEM;
		else
			check_pool(c, &pools[i], &plim);
	}
	if (!err)
		err = scan_shm(&cs, only, &lim);
	free(regions);
	free(pools);
	if (err) {
		pctl_err("health: %s", strerror(-err));
		free(cs.c);
		return HEALTH_UNKNOWN;
	}
	if (only && !cs.n) {
		pctl_err("no region or pool named '%s'", only);
		free(cs.c);
		return HEALTH_UNKNOWN;
	}
	qsort(cs.c, cs.n, sizeof(cs.c[0]), cmp_check);
	for (i = 0; i < cs.n; i++) {
		if (cs.c[i].level < 0)
			status = HEALTH_UNKNOWN;
		else if (status != HEALTH_UNKNOWN && cs.c[i].level > status)
			status = cs.c[i].level;
	}
	if (ctl->json)
		print_json(&cs, &lim, status);
	else if (!cs.n)
		printf("no regions or pools: ok\n");
	else
		print_table(&cs);
	free(cs.c);
	return status;
}
