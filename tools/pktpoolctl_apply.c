// SPDX-License-Identifier: GPL-2.0
/*
 * pktpoolctl apply FILE: make the pools and regions a file declares exist
 * as declared, idempotently.
 *
 *   # comment
 *   [pool fw]
 *   size = 256          object size, required
 *   limit = 65536       optional: 0 is unlimited
 *   reserve = 64        optional
 *   node = any          optional: -1/any or a node number
 *   debug = no          optional: yes/no
 *
 *   [region rx]
 *   slot_size = 2048    required
 *   slots = 4096        required
 *   mode = 0660         optional, octal; 0600 when created without it
 *   node = any          optional
 *
 * Missing pools and regions are created (on the device); a pool's limit
 * and reserve are set over netlink (one pool-set per pool, so the kernel
 * checks the new pair together). What cannot change in place (object
 * size, node, debug, any region key) is reported as drift with what to
 * do. Keys a section leaves out, and pools and regions the file does not
 * name, are left alone. Afterwards the state is read back and compared:
 * exit 0 when everything matches, 1 when not, 2 for an invalid file
 * (nothing is changed then). --dry-run says what it would do, changes
 * nothing and exits as a real run would.
 *
 * A region created here stays after pktpoolctl exits: closing the device
 * drops only the attachment of pktpoolctl's file.
 */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "pktpoolctl.h"

#define APPLY_SYNOPSIS	"apply FILE [--dry-run]"

enum kind { POOL, REGION };

enum {
	KEY_SIZE = 1 << 0,
	KEY_LIMIT = 1 << 1,
	KEY_RESERVE = 1 << 2,
	KEY_NODE = 1 << 3,
	KEY_DEBUG = 1 << 4,
	KEY_SLOT_SIZE = 1 << 5,
	KEY_SLOTS = 1 << 6,
	KEY_MODE = 1 << 7,
};

static const struct key {
	const char *name;
	unsigned int bit;
	enum kind kind;
} keys[] = {
	{ "size", KEY_SIZE, POOL },
	{ "limit", KEY_LIMIT, POOL },
	{ "reserve", KEY_RESERVE, POOL },
	{ "node", KEY_NODE, POOL },
	{ "debug", KEY_DEBUG, POOL },
	{ "slot_size", KEY_SLOT_SIZE, REGION },
	{ "slots", KEY_SLOTS, REGION },
	{ "mode", KEY_MODE, REGION },
	{ "node", KEY_NODE, REGION },
};

struct item {
	enum kind kind;
	char name[PKTPOOL_NAME_MAX];
	unsigned int line;
	unsigned int keys;	/* KEY_* given */
	__u32 size;
	__u64 limit;
	__u64 reserve;
	__s32 node;
	bool debug;
	__u32 slot_size;
	__u32 slots;
	__u32 mode;
};

struct apply {
	struct ctl *ctl;
	const char *file;
	bool dry_run;
	struct item *items;
	size_t nr;
	size_t cap;
	/* What the kernel has, read before and after. */
	struct pctl_pool *pools;
	size_t nr_pools;
	struct pctl_region *regions;
	size_t nr_regions;
	/* Outcome counts. */
	unsigned int created, changed, matched, drift, failed;
};

static const char *kind_name(enum kind kind)
{
	return kind == POOL ? "pool" : "region";
}

/* The file */

static int file_error(const struct apply *a, unsigned int line,
		      const char *fmt, const char *arg)
{
	fprintf(stderr, "%s: %s:%u: ", pctl_prog, a->file, line);
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\n%s: nothing was changed\n", pctl_prog);
	return EXIT_USAGE;
}

static char *trim(char *s)
{
	char *end;

	while (isspace((unsigned char)*s))
		s++;
	end = s + strlen(s);
	while (end > s && isspace((unsigned char)end[-1]))
		*--end = '\0';
	return s;
}

static bool parse_bool(const char *s, bool *out)
{
	static const char *const yes[] = { "yes", "true", "on", "1" };
	static const char *const no[] = { "no", "false", "off", "0" };
	size_t i;

	for (i = 0; i < PCTL_ARRAY_SIZE(yes); i++) {
		if (!strcmp(s, yes[i]) || !strcmp(s, no[i])) {
			*out = !strcmp(s, yes[i]);
			return true;
		}
	}
	return false;
}

static int new_section(struct apply *a, char *text, unsigned int line)
{
	char *kind, *name, *extra, *save;
	struct item *it;
	size_t i;

	kind = strtok_r(text, " \t", &save);
	name = strtok_r(NULL, " \t", &save);
	extra = strtok_r(NULL, " \t", &save);
	if (!kind || !name || extra ||
	    (strcmp(kind, "pool") && strcmp(kind, "region")))
		return file_error(a, line, "a section is [pool NAME] or [region NAME]%s",
				  "");
	if (!pctl_name_valid(name) || pctl_all_digits(name))
		return file_error(a, line, "invalid name '%s': 1..31 characters of a-z, 0-9, '_' and '-', not digits only",
				  name);
	for (i = 0; i < a->nr; i++)
		if (!strcmp(kind, kind_name(a->items[i].kind)) &&
		    !strcmp(name, a->items[i].name))
			return file_error(a, line, "'%s' is declared twice",
					  name);
	if (a->nr == a->cap) {
		size_t cap = a->cap ? 2 * a->cap : 8;
		void *tmp = realloc(a->items, cap * sizeof(*a->items));

		if (!tmp)
			return file_error(a, line, "%s", strerror(ENOMEM));
		a->items = tmp;
		a->cap = cap;
	}
	it = &a->items[a->nr++];
	memset(it, 0, sizeof(*it));
	it->kind = strcmp(kind, "pool") ? REGION : POOL;
	snprintf(it->name, sizeof(it->name), "%s", name);
	it->line = line;
	it->node = -1;
	it->mode = 0600;
	return 0;
}

static int set_key(struct apply *a, struct item *it, char *k, char *v,
		   unsigned int line)
{
	const struct key *key = NULL;
	bool ok = false;
	size_t i;

	for (i = 0; i < PCTL_ARRAY_SIZE(keys); i++)
		if (keys[i].kind == it->kind && !strcmp(keys[i].name, k))
			key = &keys[i];
	if (!key)
		return file_error(a, line, it->kind == POOL ?
				  "unknown key '%s' in a pool section: size, limit, reserve, node or debug" :
				  "unknown key '%s' in a region section: slot_size, slots, mode or node",
				  k);
	if (it->keys & key->bit)
		return file_error(a, line, "'%s' is given twice", k);
	switch (key->bit) {
	case KEY_SIZE:
		ok = pctl_parse_u32(v, &it->size) && it->size;
		break;
	case KEY_LIMIT:
		ok = pctl_parse_u64(v, &it->limit);
		break;
	case KEY_RESERVE:
		ok = pctl_parse_u64(v, &it->reserve);
		break;
	case KEY_NODE:
		ok = pctl_parse_node(v, &it->node);
		break;
	case KEY_DEBUG:
		ok = parse_bool(v, &it->debug);
		break;
	case KEY_SLOT_SIZE:
		ok = pctl_parse_u32(v, &it->slot_size) && it->slot_size;
		break;
	case KEY_SLOTS:
		ok = pctl_parse_u32(v, &it->slots) && it->slots;
		break;
	case KEY_MODE:
		ok = pctl_parse_mode(v, &it->mode);
		break;
	}
	if (!ok) {
		fprintf(stderr, "%s: %s:%u: invalid value for %s: '%s'\n",
			pctl_prog, a->file, line, k, v);
		fprintf(stderr, "%s: nothing was changed\n", pctl_prog);
		return EXIT_USAGE;
	}
	it->keys |= key->bit;
	return 0;
}

static int check_required(struct apply *a)
{
	size_t i;

	for (i = 0; i < a->nr; i++) {
		const struct item *it = &a->items[i];

		if (it->kind == POOL && !(it->keys & KEY_SIZE))
			return file_error(a, it->line, "pool '%s' needs a size",
					  it->name);
		if (it->kind == REGION &&
		    (it->keys & (KEY_SLOT_SIZE | KEY_SLOTS)) !=
		    (KEY_SLOT_SIZE | KEY_SLOTS))
			return file_error(a, it->line, "region '%s' needs slot_size and slots",
					  it->name);
	}
	return 0;
}

static int read_file(struct apply *a)
{
	FILE *f = strcmp(a->file, "-") ? fopen(a->file, "r") : stdin;
	unsigned int line = 0;
	size_t size = 0;
	char *buf = NULL;
	int err = 0;

	if (!f) {
		pctl_err("cannot open %s: %s", a->file, strerror(errno));
		return EXIT_USAGE;
	}
	while (!err && getline(&buf, &size, f) >= 0) {
		char *s = trim(buf), *eq, *end;

		line++;
		if (!*s || *s == '#' || *s == ';')
			continue;
		if (*s == '[') {
			end = strchr(s, ']');
			if (!end || end[1]) {
				err = file_error(a, line, "a section header ends with ']' and nothing after it%s",
						 "");
				continue;
			}
			*end = '\0';
			err = new_section(a, s + 1, line);
			continue;
		}
		eq = strchr(s, '=');
		if (!eq) {
			err = file_error(a, line, "expected 'key = value', '[pool NAME]' or '[region NAME]', not '%s'",
					 s);
			continue;
		}
		if (!a->nr) {
			err = file_error(a, line, "'%s' comes before any [pool NAME] or [region NAME]",
					 trim(s));
			continue;
		}
		*eq = '\0';
		err = set_key(a, &a->items[a->nr - 1], trim(s), trim(eq + 1),
			      line);
	}
	if (!err && ferror(f)) {
		pctl_err("reading %s: %s", a->file, strerror(errno));
		err = EXIT_USAGE;
	}
	free(buf);
	if (f != stdin)
		fclose(f);
	return err ? err : check_required(a);
}

/* The kernel's side */

static int load_state(struct apply *a)
{
	int err;

	free(a->pools);
	free(a->regions);
	a->pools = NULL;
	a->regions = NULL;
	err = pctl_pool_dump(&a->ctl->nl, &a->pools, &a->nr_pools);
	if (err)
		return pctl_report(a->ctl, PCTL_OP_LIST, NULL, err);
	err = pctl_region_dump(&a->ctl->nl, &a->regions, &a->nr_regions);
	if (err)
		return pctl_report(a->ctl, PCTL_OP_REGION_LIST, NULL, err);
	return 0;
}

static const struct pctl_pool *find_pool(const struct apply *a,
					 const char *name)
{
	size_t i;

	for (i = 0; i < a->nr_pools; i++)
		if (!strcmp(a->pools[i].name, name))
			return &a->pools[i];
	return NULL;
}

static const struct pctl_region *find_region(const struct apply *a,
					     const char *name)
{
	size_t i;

	for (i = 0; i < a->nr_regions; i++)
		if (!strcmp(a->regions[i].name, name))
			return &a->regions[i];
	return NULL;
}

/* Drift: a key that differs and cannot be changed in place. */
static unsigned int drift_u64(const struct apply *a, const struct item *it,
			      const char *key, long long have,
			      long long want, bool quiet)
{
	if (have == want)
		return 0;
	if (!quiet)
		printf("%s %s: %s is %lld, %s says %lld: cannot be changed in place; destroy it ('%s %sdestroy %s') and apply again\n",
		       kind_name(it->kind), it->name, key, have, a->file, want,
		       pctl_prog, it->kind == POOL ? "" : "region ", it->name);
	return 1;
}

/* Keys that only destroy and create can change; the number that differ. */
static unsigned int pool_drift(const struct apply *a, const struct item *it,
			       const struct pctl_pool *p, bool quiet)
{
	unsigned int n = 0;

	if (it->keys & KEY_SIZE)
		n += drift_u64(a, it, "size", p->obj_size, it->size, quiet);
	if (it->keys & KEY_NODE)
		n += drift_u64(a, it, "node", p->node, it->node, quiet);
	if (it->keys & KEY_DEBUG)
		n += drift_u64(a, it, "debug",
			       !!(p->flags & PKTPOOL_POOL_F_DEBUG), it->debug,
			       quiet);
	return n;
}

static unsigned int region_drift(const struct apply *a,
				 const struct item *it,
				 const struct pctl_region *r, bool quiet)
{
	unsigned int n = 0;

	n += drift_u64(a, it, "slot_size", r->slot_size, it->slot_size, quiet);
	n += drift_u64(a, it, "slots", r->slot_count, it->slots, quiet);
	if (it->keys & KEY_NODE)
		n += drift_u64(a, it, "node", r->node, it->node, quiet);
	if (it->keys & KEY_MODE && r->mode != it->mode) {
		if (!quiet)
			printf("region %s: mode is %04o, %s says %04o: cannot be changed in place; destroy it ('%s region destroy %s') and apply again\n",
			       it->name, r->mode, a->file, it->mode,
			       pctl_prog, it->name);
		n++;
	}
	return n;
}

static bool limit_differs(const struct item *it, const struct pctl_pool *p)
{
	return (it->keys & KEY_LIMIT) && p->limit != it->limit;
}

static bool reserve_differs(const struct item *it, const struct pctl_pool *p)
{
	return (it->keys & KEY_RESERVE) && p->reserve != it->reserve;
}

static void create_pool(struct apply *a, const struct item *it)
{
	struct pktpool_pool_create c = { 0 };
	struct pctl_ref ref;
	char lim[32];
	int err;

	pctl_fmt_limit(it->limit, lim, sizeof(lim));
	if (a->dry_run) {
		printf("pool %s: would create: object size %u, limit %s, reserve %llu\n",
		       it->name, it->size, lim, (unsigned long long)it->reserve);
		a->created++;
		return;
	}
	memcpy(c.name, it->name, sizeof(c.name));
	c.obj_size = it->size;
	c.node = it->node;
	c.limit = it->limit;
	c.reserve = it->reserve;
	c.flags = it->debug ? PKTPOOL_POOL_F_DEBUG : 0;
	err = pctl_dev_pool_create(a->ctl, &c);
	if (err) {
		pctl_ref_name(&ref, it->name);
		pctl_report(a->ctl, PCTL_OP_CREATE, &ref, err);
		a->failed++;
		return;
	}
	printf("pool %s: created (id %u): object size %u, limit %s, reserve %llu\n",
	       it->name, c.id, it->size, lim, (unsigned long long)it->reserve);
	a->created++;
}

static void adjust_pool(struct apply *a, const struct item *it,
			const struct pctl_pool *p)
{
	bool lim = limit_differs(it, p), res = reserve_differs(it, p);
	char what[128] = "", x[32], y[32];
	struct pctl_ref ref;
	int err;

	if (lim)
		snprintf(what, sizeof(what), "limit %s -> %s",
			 pctl_fmt_limit(p->limit, x, sizeof(x)),
			 pctl_fmt_limit(it->limit, y, sizeof(y)));
	if (res)
		snprintf(what + strlen(what), sizeof(what) - strlen(what),
			 "%sreserve %llu -> %llu", lim ? ", " : "",
			 (unsigned long long)p->reserve,
			 (unsigned long long)it->reserve);
	if (a->dry_run) {
		printf("pool %s: would set %s\n", it->name, what);
		a->changed++;
		return;
	}
	pctl_ref_name(&ref, it->name);
	err = pctl_pool_set(&a->ctl->nl, &ref, lim ? &it->limit : NULL,
			    res ? &it->reserve : NULL);
	if (err) {
		pctl_report(a->ctl, PCTL_OP_SET, &ref, err);
		a->failed++;
		return;
	}
	printf("pool %s: set %s\n", it->name, what);
	a->changed++;
}

static void apply_pool(struct apply *a, const struct item *it)
{
	const struct pctl_pool *p = find_pool(a, it->name);
	unsigned int drift;

	if (!p) {
		create_pool(a, it);
		return;
	}
	drift = pool_drift(a, it, p, false);
	a->drift += !!drift;
	if (limit_differs(it, p) || reserve_differs(it, p))
		adjust_pool(a, it, p);
	else if (!drift) {
		printf("pool %s: matches\n", it->name);
		a->matched++;
	}
}

static void apply_region(struct apply *a, const struct item *it)
{
	const struct pctl_region *r = find_region(a, it->name);
	struct pktpool_region_create c = { 0 };
	struct pctl_ref ref;
	char sz[32];
	int err;

	if (r) {
		if (region_drift(a, it, r, false)) {
			a->drift++;
		} else {
			printf("region %s: matches\n", it->name);
			a->matched++;
		}
		return;
	}
	pctl_fmt_bytes(it->slot_size, sz, sizeof(sz));
	if (a->dry_run) {
		printf("region %s: would create: %u slots of %s, mode %04o\n",
		       it->name, it->slots, sz, it->mode);
		a->created++;
		return;
	}
	memcpy(c.name, it->name, sizeof(c.name));
	c.slot_size = it->slot_size;
	c.slot_count = it->slots;
	c.node = it->node;
	c.mode = it->mode;
	err = pctl_dev_region_create(a->ctl, &c);
	if (err) {
		pctl_ref_name(&ref, it->name);
		pctl_report(a->ctl, PCTL_OP_REGION_CREATE, &ref, err);
		a->failed++;
		return;
	}
	printf("region %s: created (id %u): %u slots of %s, mode %04o\n",
	       it->name, c.id, it->slots, sz, it->mode);
	a->created++;
}

/* After a real run: does everything match now? The number that do not. */
static unsigned int verify(struct apply *a)
{
	unsigned int bad = 0;
	size_t i;

	for (i = 0; i < a->nr; i++) {
		const struct item *it = &a->items[i];
		const struct pctl_pool *p;
		const struct pctl_region *r;

		if (it->kind == POOL) {
			p = find_pool(a, it->name);
			bad += !p || pool_drift(a, it, p, true) ||
			       limit_differs(it, p) || reserve_differs(it, p);
		} else {
			r = find_region(a, it->name);
			bad += !r || region_drift(a, it, r, true);
		}
	}
	return bad;
}

int pctl_cmd_apply(struct ctl *ctl, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "dry-run", no_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct apply a = { .ctl = ctl };
	unsigned int bad = 0;
	size_t i;
	int opt, err;

	optind = 0;
	while ((opt = getopt_long(argc, argv, "nh", opts, NULL)) != -1) {
		switch (opt) {
		case 'n':
			a.dry_run = true;
			break;
		case 'h':
			printf("Usage: %s %s\n", pctl_prog, APPLY_SYNOPSIS);
			return -1;
		default:
			return pctl_usage_error("usage: %s %s", pctl_prog,
						APPLY_SYNOPSIS);
		}
	}
	if (argc - optind != 1)
		return pctl_usage_error("usage: %s %s", pctl_prog,
					APPLY_SYNOPSIS);
	a.file = argv[optind];
	err = read_file(&a);
	if (err)
		goto out;
	err = pctl_open(ctl);
	if (err)
		goto out;
	err = load_state(&a);
	if (err)
		goto out;

	for (i = 0; i < a.nr; i++) {
		if (a.items[i].kind == POOL)
			apply_pool(&a, &a.items[i]);
		else
			apply_region(&a, &a.items[i]);
	}
	if (a.dry_run) {
		bad = a.drift + a.failed;
	} else if (a.created || a.changed) {
		err = load_state(&a);
		if (err)
			goto out;
		bad = verify(&a);
	} else {
		bad = verify(&a);
	}

	if (!a.created && !a.changed && !a.drift && !a.failed)
		printf("no changes: %zu declared in %s, all match\n", a.nr,
		       a.file);
	else if (a.dry_run)
		printf("dry run of %s: %u to create, %u to change, %u match, %u cannot be changed in place; nothing was changed\n",
		       a.file, a.created, a.changed, a.matched, a.drift);
	else
		printf("applied %s: %u created, %u changed, %u match, %u cannot be changed in place, %u failed\n",
		       a.file, a.created, a.changed, a.matched, a.drift,
		       a.failed);
	if (bad && !a.dry_run)
		pctl_err("%u of %zu declared in %s do not match afterwards",
			 bad, a.nr, a.file);
	err = bad ? EXIT_FAIL : EXIT_OK;
out:
	free(a.items);
	free(a.pools);
	free(a.regions);
	return err;
}
