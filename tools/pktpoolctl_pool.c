// SPDX-License-Identifier: GPL-2.0
/*
 * pktpoolctl: version and the pool commands. Reads go through netlink
 * (pool-get), changes of limit and reserve through pool-set; create and
 * destroy through the device.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "pktpoolctl.h"

static const struct {
	__u64 bit;
	const char *name;
} features[] = {
	{ PKTPOOL_FEAT_POOLS, "pools" },
	{ PKTPOOL_FEAT_DEBUG, "debug" },
	{ PKTPOOL_FEAT_REGIONS, "regions" },
	{ PKTPOOL_FEAT_RINGS, "rings" },
	{ PKTPOOL_FEAT_RESET_STATS, "reset-stats" },
};

/* The module's MODULE_VERSION, which sysfs shows to everyone; "" if none. */
static void module_version(char *buf, size_t size)
{
	FILE *f = fopen("/sys/module/pktpool/version", "re");

	buf[0] = '\0';
	if (!f)
		return;
	if (fgets(buf, (int)size, f))
		buf[strcspn(buf, "\n")] = '\0';
	fclose(f);
}

/*
 * Without access to the device (not in its group), the ABI version,
 * features and max_pools are unknown; the size classes come from
 * netlink's class-get, which anyone may dump.
 */
static int version_from_nl(struct ctl *ctl, struct pktpool_version *v)
{
	struct pctl_class *classes;
	size_t nr, i;
	int err;

	memset(v, 0, sizeof(*v));
	err = pctl_class_dump(&ctl->nl, &classes, &nr);
	if (err)
		return err;
	for (i = 0; i < nr && i < PKTPOOL_CLASSES_MAX; i++)
		v->class_size[i] = classes[i].size;
	v->nr_classes = (__u32)i;
	free(classes);
	return 0;
}

static void version_json(const struct ctl *ctl, const struct pktpool_version *v,
			 bool dev, const char *modver)
{
	struct pctl_json j;
	__u64 known = 0;
	__u32 i;

	pctl_json_init(&j, stdout);
	pctl_json_obj(&j, NULL);
	pctl_json_str(&j, "tool_version", PKTPOOL_VERSION);
	if (modver[0])
		pctl_json_str(&j, "module_version", modver);
	else
		pctl_json_null(&j, "module_version");
	pctl_json_bool(&j, "device_readable", dev);
	if (dev) {
		pctl_json_u64(&j, "abi_version", v->abi_version);
		pctl_json_u64(&j, "features", v->features);
	} else {
		pctl_json_null(&j, "abi_version");
		pctl_json_null(&j, "features");
	}
	pctl_json_arr(&j, "feature_names");
	for (i = 0; i < PCTL_ARRAY_SIZE(features); i++) {
		known |= features[i].bit;
		if (v->features & features[i].bit)
			pctl_json_str(&j, NULL, features[i].name);
	}
	pctl_json_end_arr(&j);
	pctl_json_u64(&j, "unknown_features", v->features & ~known);
	if (dev)
		pctl_json_u64(&j, "max_pools", v->max_pools);
	else
		pctl_json_null(&j, "max_pools");
	pctl_json_arr(&j, "class_sizes");
	for (i = 0; i < v->nr_classes && i < PKTPOOL_CLASSES_MAX; i++)
		pctl_json_u64(&j, NULL, v->class_size[i]);
	pctl_json_end_arr(&j);
	pctl_json_str(&j, "genl_family", PKTPOOL_GENL_NAME);
	pctl_json_u64(&j, "genl_family_id", ctl->nl.family);
	pctl_json_u64(&j, "genl_version", ctl->nl.version);
	pctl_json_u64(&j, "monitor_group_id", ctl->nl.mcgrp_monitor);
	pctl_json_end_obj(&j);
	pctl_json_done(&j);
}

static void version_text(const struct ctl *ctl, const struct pktpool_version *v,
			 bool dev, const char *modver)
{
	__u64 known = 0;
	__u32 i;

	printf("pktpoolctl:    %s\n", PKTPOOL_VERSION);
	printf("module:        %s\n", modver[0] ? modver : "unknown");
	if (dev) {
		printf("ABI version:   %u\n", v->abi_version);
		printf("features:     ");
		for (i = 0; i < PCTL_ARRAY_SIZE(features); i++) {
			known |= features[i].bit;
			if (v->features & features[i].bit)
				printf(" %s", features[i].name);
		}
		if (v->features & ~known)
			printf(" 0x%llx",
			       (unsigned long long)(v->features & ~known));
		printf("\n");
	} else {
		printf("ABI version:   unknown (%s not readable: join its group for the ioctls)\n",
		       ctl->device);
	}
	printf("size classes: ");
	for (i = 0; i < v->nr_classes && i < PKTPOOL_CLASSES_MAX; i++)
		printf(" %u", v->class_size[i]);
	printf(" (bytes)\n");
	if (dev)
		printf("max pools:     %u\n", v->max_pools);
	printf("netlink:       family %s (id %u, version %u), group %s (id %u)\n",
	       PKTPOOL_GENL_NAME, ctl->nl.family, ctl->nl.version,
	       PKTPOOL_GENL_MCGRP_MONITOR, ctl->nl.mcgrp_monitor);
}

/*
 * The device read-only for PKTPOOL_IOC_VERSION when it may be opened;
 * otherwise what netlink and sysfs tell everyone.
 */
int pctl_cmd_version(struct ctl *ctl, int argc, char **argv)
{
	struct pktpool_version v;
	char modver[64];
	bool dev = true;
	int err;

	err = pctl_simple_args(ctl, argc, argv, 0, "version [--json]");
	if (err)
		return err;
	err = pctl_open_nl(ctl);
	if (err)
		return err;
	err = pctl_dev_open(ctl, false);
	if (err == -EACCES || err == -EPERM) {
		dev = false;
		err = version_from_nl(ctl, &v);
	} else if (err) {
		return pctl_report(ctl, PCTL_OP_OPEN, NULL, err);
	} else {
		err = pctl_dev_version(ctl, &v);
	}
	if (err)
		return pctl_report(ctl, PCTL_OP_VERSION, NULL, err);
	module_version(modver, sizeof(modver));
	if (ctl->json)
		version_json(ctl, &v, dev, modver);
	else
		version_text(ctl, &v, dev, modver);
	return EXIT_OK;
}

/* What the pool's objects take: in use, cached and in the reserve. */
static long double pool_bytes(const struct pctl_pool *p)
{
	return ((long double)p->in_use + p->cached + p->reserve_avail) *
	       p->class_size;
}

enum { C_ID, C_NAME, C_SIZE, C_CLASS, C_INUSE, C_PEAK, C_LIMIT, C_RESERVE,
       C_FAILS, C_PCT, C_MEM, NR_COLS };

/* The first nine columns are what scripts of old read by position. */
static const struct pctl_col list_cols[NR_COLS] = {
	{ "ID", false }, { "NAME", true }, { "SIZE", false },
	{ "CLASS", false }, { "IN-USE", false }, { "PEAK", false },
	{ "LIMIT", false }, { "RESERVE", false }, { "FAILS", false },
	{ "USE%", false }, { "MEMORY", false },
};

int pctl_cmd_list(struct ctl *ctl, int argc, char **argv)
{
	struct pctl_pool *pools, *p;
	struct pctl_table t;
	size_t nr, i;
	int err;

	err = pctl_simple_args(ctl, argc, argv, 0, "list [--json]");
	if (err)
		return err;
	err = pctl_open_nl(ctl);
	if (err)
		return err;
	err = pctl_pool_dump(&ctl->nl, &pools, &nr);
	if (err)
		return pctl_report(ctl, PCTL_OP_LIST, NULL, err);

	if (ctl->json) {
		pctl_json_print_records(&pctl_pool_attrs, pools, nr,
					sizeof(*pools));
		free(pools);
		return EXIT_OK;
	}
	if (!nr) {
		printf("no pools\n");
		free(pools);
		return EXIT_OK;
	}
	pctl_table_init(&t, list_cols, NR_COLS);
	for (i = 0; i < nr; i++) {
		char (*row)[PCTL_CELL] = pctl_table_row(&t);

		if (!row) {
			free(pools);
			pctl_table_free(&t);
			return pctl_report(ctl, PCTL_OP_LIST, NULL, -ENOMEM);
		}
		p = &pools[i];
		pctl_fmt_u64(p->id, row[C_ID], PCTL_CELL);
		snprintf(row[C_NAME], PCTL_CELL, "%s", p->name);
		pctl_fmt_u64(p->obj_size, row[C_SIZE], PCTL_CELL);
		pctl_fmt_u64(p->class_size, row[C_CLASS], PCTL_CELL);
		pctl_fmt_u64(p->in_use, row[C_INUSE], PCTL_CELL);
		pctl_fmt_u64(p->peak, row[C_PEAK], PCTL_CELL);
		pctl_fmt_limit(p->limit, row[C_LIMIT], PCTL_CELL);
		pctl_fmt_u64(p->reserve, row[C_RESERVE], PCTL_CELL);
		pctl_fmt_u64(p->fail_limit + p->fail_nomem, row[C_FAILS],
			     PCTL_CELL);
		pctl_fmt_pct(p->in_use, p->limit, row[C_PCT], PCTL_CELL);
		pctl_fmt_bytes(pool_bytes(p), row[C_MEM], PCTL_CELL);
	}
	pctl_table_print(&t, stdout, 0);
	pctl_table_free(&t);
	free(pools);
	return EXIT_OK;
}

/* "12 (1.2% of limit, 3.0 KiB)" or "12 (3.0 KiB)" when unlimited. */
static const char *fmt_count(__u64 n, __u64 limit, __u32 obj_bytes,
			     char *buf, size_t size)
{
	char bytes[32], pct[32];

	pctl_fmt_bytes((long double)n * obj_bytes, bytes, sizeof(bytes));
	if (limit)
		snprintf(buf, size, "%llu (%s of limit, %s)",
			 (unsigned long long)n,
			 pctl_fmt_pct(n, limit, pct, sizeof(pct)), bytes);
	else
		snprintf(buf, size, "%llu (%s)", (unsigned long long)n, bytes);
	return buf;
}

void pctl_print_pool(const struct pctl_pool *p)
{
	char buf[128], a[32], b[32];
	__u32 cls = p->class_size;

	pctl_kv("id:", pctl_fmt_u64(p->id, buf, sizeof(buf)));
	pctl_kv("name:", p->name);
	pctl_kv("object size:", pctl_fmt_bytes(p->obj_size, buf, sizeof(buf)));
	pctl_kv("size class:", pctl_fmt_bytes(cls, buf, sizeof(buf)));
	pctl_kv("node:", pctl_fmt_node(p->node, buf, sizeof(buf)));
	pctl_kv("flags:", p->flags & PKTPOOL_POOL_F_DEBUG ? "debug" : "none");
	if (p->limit) {
		snprintf(buf, sizeof(buf), "%llu objects (%s)",
			 (unsigned long long)p->limit,
			 pctl_fmt_bytes((long double)p->limit * cls, a,
					sizeof(a)));
		pctl_kv("limit:", buf);
	} else {
		pctl_kv("limit:", "unlimited");
	}
	snprintf(buf, sizeof(buf), "%llu objects (%s)",
		 (unsigned long long)p->reserve,
		 pctl_fmt_bytes((long double)p->reserve * cls, a, sizeof(a)));
	pctl_kv("reserve:", buf);
	pctl_kv("in use:", fmt_count(p->in_use, p->limit, cls, buf,
				     sizeof(buf)));
	pctl_kv("peak:", fmt_count(p->peak, p->limit, cls, buf, sizeof(buf)));
	pctl_kv("allocations:", pctl_fmt_u64(p->allocs, buf, sizeof(buf)));
	pctl_kv("frees:", pctl_fmt_u64(p->frees, buf, sizeof(buf)));
	pctl_kv("fails (limit):", pctl_fmt_u64(p->fail_limit, buf,
					       sizeof(buf)));
	pctl_kv("fails (nomem):", pctl_fmt_u64(p->fail_nomem, buf,
					       sizeof(buf)));
	pctl_kv("reserve hits:", pctl_fmt_u64(p->reserve_hits, buf,
					      sizeof(buf)));
	snprintf(buf, sizeof(buf), "%llu of %llu",
		 (unsigned long long)p->reserve_avail,
		 (unsigned long long)p->reserve);
	pctl_kv("reserve avail:", buf);
	pctl_kv("cached:", fmt_count(p->cached, 0, cls, buf, sizeof(buf)));
	pctl_kv("holders:", pctl_fmt_u64(p->holders, buf, sizeof(buf)));
	pctl_kv("bad frees:", pctl_fmt_u64(p->bad_frees, buf, sizeof(buf)));
	snprintf(buf, sizeof(buf), "%s (in use + cached + reserve, %s each)",
		 pctl_fmt_bytes(pool_bytes(p), a, sizeof(a)),
		 pctl_fmt_bytes(cls, b, sizeof(b)));
	pctl_kv("memory:", buf);
}

#define SHOW_SYNOPSIS	"show NAME|ID [--objects] [--json]"

int pctl_cmd_show(struct ctl *ctl, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "objects", no_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct pctl_pool pool;
	struct pctl_ref ref;
	struct pctl_json j;
	bool objects = false;
	int opt, err;

	optind = 0;
	while ((opt = getopt_long(argc, argv, "jh", opts, NULL)) != -1) {
		switch (opt) {
		case 'j':
			ctl->json = true;
			break;
		case 'o':
			objects = true;
			break;
		case 'h':
			printf("Usage: %s %s\n", pctl_prog, SHOW_SYNOPSIS);
			return -1;
		default:
			return pctl_usage_error("usage: %s %s", pctl_prog,
						SHOW_SYNOPSIS);
		}
	}
	if (argc - optind != 1)
		return pctl_usage_error("usage: %s %s", pctl_prog,
					SHOW_SYNOPSIS);
	err = pctl_parse_ref(argv[optind], "pool", &ref);
	if (err)
		return err;
	if (objects)
		return pctl_show_objects(ctl, &ref);
	err = pctl_open_nl(ctl);
	if (err)
		return err;
	err = pctl_pool_get(&ctl->nl, &ref, &pool);
	if (err)
		return pctl_report(ctl, PCTL_OP_SHOW, &ref, err);
	if (ctl->json) {
		pctl_json_init(&j, stdout);
		pctl_json_record(&j, NULL, &pctl_pool_attrs, &pool);
		pctl_json_done(&j);
	} else {
		pctl_print_pool(&pool);
	}
	return EXIT_OK;
}

enum { OPT_SIZE = 256, OPT_LIMIT, OPT_RESERVE, OPT_NODE, OPT_DEBUG };

static const struct option pool_opts[] = {
	{ "size", required_argument, NULL, OPT_SIZE },
	{ "limit", required_argument, NULL, OPT_LIMIT },
	{ "reserve", required_argument, NULL, OPT_RESERVE },
	{ "node", required_argument, NULL, OPT_NODE },
	{ "debug", no_argument, NULL, OPT_DEBUG },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

#define CREATE_SYNOPSIS \
	"create NAME --size N [--limit N] [--reserve N] [--node N] [--debug]"
#define SET_SYNOPSIS	"set NAME|ID [--limit N] [--reserve N]"

static int bad_number(const char *opt, const char *arg)
{
	return pctl_usage_error("invalid number for --%s: '%s'", opt, arg);
}

int pctl_cmd_create(struct ctl *ctl, int argc, char **argv)
{
	struct pktpool_pool_create c;
	struct pctl_pool pool;
	struct pctl_ref ref;
	bool have_size = false;
	char a[32], why[160];
	int opt, err;

	memset(&c, 0, sizeof(c));
	c.node = -1;
	optind = 0;
	while ((opt = getopt_long(argc, argv, "h", pool_opts, NULL)) != -1) {
		switch (opt) {
		case OPT_SIZE:
			if (!pctl_parse_u32(optarg, &c.obj_size) || !c.obj_size)
				return bad_number("size", optarg);
			have_size = true;
			break;
		case OPT_LIMIT:
			if (!pctl_parse_u64(optarg, &c.limit))
				return bad_number("limit", optarg);
			break;
		case OPT_RESERVE:
			if (!pctl_parse_u64(optarg, &c.reserve))
				return bad_number("reserve", optarg);
			break;
		case OPT_NODE:
			if (!pctl_parse_node(optarg, &c.node))
				return bad_number("node", optarg);
			break;
		case OPT_DEBUG:
			c.flags |= PKTPOOL_POOL_F_DEBUG;
			break;
		case 'h':
			printf("Usage: %s %s\n", pctl_prog, CREATE_SYNOPSIS);
			return -1;
		default:
			return pctl_usage_error("usage: %s %s", pctl_prog,
						CREATE_SYNOPSIS);
		}
	}
	if (argc - optind != 1)
		return pctl_usage_error("usage: %s %s", pctl_prog,
					CREATE_SYNOPSIS);
	if (!have_size)
		return pctl_usage_error("create needs --size");
	if (!pctl_name_valid(argv[optind]))
		return pctl_usage_error("invalid pool name '%s': use 1..%d characters of a-z, 0-9, '_' and '-'",
					argv[optind], PKTPOOL_NAME_MAX - 1);
	if (pctl_all_digits(argv[optind]))
		return pctl_usage_error("pool name '%s' is all digits and would read as an id",
					argv[optind]);
	pctl_ref_name(&ref, argv[optind]);
	memcpy(c.name, ref.name, sizeof(c.name));

	err = pctl_open(ctl);
	if (err)
		return err;
	err = pctl_dev_pool_create(ctl, &c);
	if (err == -EINVAL)
		ctl->why = pctl_why_pool_create(ctl, &c, why, sizeof(why));
	if (err)
		return pctl_report(ctl, PCTL_OP_CREATE, &ref, err);

	ref.id = c.id;
	if (pctl_pool_get(&ctl->nl, &ref, &pool)) {
		printf("created pool '%s' (id %u)\n", c.name, c.id);
		return EXIT_OK;
	}
	printf("created pool '%s' (id %u): object size %u, class %u, limit %s, reserve %llu\n",
	       c.name, c.id, pool.obj_size, pool.class_size,
	       pctl_fmt_limit(pool.limit, a, sizeof(a)),
	       (unsigned long long)pool.reserve);
	return EXIT_OK;
}

int pctl_cmd_destroy(struct ctl *ctl, int argc, char **argv)
{
	struct pctl_pool pool;
	struct pctl_ref ref;
	bool named;
	int err;

	err = pctl_simple_args(ctl, argc, argv, 1, "destroy NAME|ID");
	if (err)
		return err;
	err = pctl_parse_ref(argv[optind], "pool", &ref);
	if (err)
		return err;
	err = pctl_open(ctl);
	if (err)
		return err;
	/* For the message when given an id. */
	named = !pctl_pool_get(&ctl->nl, &ref, &pool);
	err = pctl_dev_pool_destroy(ctl, &ref);
	if (err)
		return pctl_report(ctl, PCTL_OP_DESTROY, &ref, err);
	if (named)
		printf("destroyed pool '%s' (id %u)\n", pool.name, pool.id);
	else
		printf("destroyed pool %s\n", argv[optind]);
	return EXIT_OK;
}

int pctl_cmd_reset_stats(struct ctl *ctl, int argc, char **argv)
{
	struct pctl_pool pool;
	struct pctl_ref ref;
	bool named;
	int err;

	err = pctl_simple_args(ctl, argc, argv, 1, "reset-stats NAME|ID");
	if (err)
		return err;
	err = pctl_parse_ref(argv[optind], "pool", &ref);
	if (err)
		return err;
	err = pctl_open(ctl);
	if (err)
		return err;
	err = pctl_dev_pool_reset_stats(ctl, &ref);
	if (err)
		return pctl_report(ctl, PCTL_OP_RESET_STATS, &ref, err);
	named = !pctl_pool_get(&ctl->nl, &ref, &pool);
	if (named)
		printf("reset the statistics of pool '%s' (id %u): peak %llu\n",
		       pool.name, pool.id, (unsigned long long)pool.peak);
	else
		printf("reset the statistics of pool %s\n", argv[optind]);
	return EXIT_OK;
}

int pctl_cmd_set(struct ctl *ctl, int argc, char **argv)
{
	__u64 limit = 0, reserve = 0;
	bool set_limit = false, set_reserve = false;
	struct pctl_pool pool;
	struct pctl_ref ref;
	char a[32], what[64], why[160];
	int opt, err;

	optind = 0;
	while ((opt = getopt_long(argc, argv, "h", pool_opts, NULL)) != -1) {
		switch (opt) {
		case OPT_LIMIT:
			if (!pctl_parse_u64(optarg, &limit))
				return bad_number("limit", optarg);
			set_limit = true;
			break;
		case OPT_RESERVE:
			if (!pctl_parse_u64(optarg, &reserve))
				return bad_number("reserve", optarg);
			set_reserve = true;
			break;
		case 'h':
			printf("Usage: %s %s\n", pctl_prog, SET_SYNOPSIS);
			return -1;
		default:
			return pctl_usage_error("usage: %s %s", pctl_prog,
						SET_SYNOPSIS);
		}
	}
	if (argc - optind != 1)
		return pctl_usage_error("usage: %s %s", pctl_prog,
					SET_SYNOPSIS);
	if (!set_limit && !set_reserve)
		return pctl_usage_error("set needs --limit and/or --reserve");
	err = pctl_parse_ref(argv[optind], "pool", &ref);
	if (err)
		return err;
	err = pctl_open_nl(ctl);
	if (err)
		return err;
	err = pctl_pool_set(&ctl->nl, &ref, set_limit ? &limit : NULL,
			    set_reserve ? &reserve : NULL);
	if (err == -EINVAL || err == -ERANGE)
		ctl->why = pctl_why_pool_set(ctl, &ref,
					     set_limit ? &limit : NULL,
					     set_reserve ? &reserve : NULL,
					     why, sizeof(why));
	if (err)
		return pctl_report(ctl, PCTL_OP_SET, &ref, err);
	if (pctl_pool_get(&ctl->nl, &ref, &pool)) {
		printf("changed pool %s\n", pctl_ref_str(&ref, what,
							 sizeof(what)));
		return EXIT_OK;
	}
	printf("changed pool '%s' (id %u): limit %s, reserve %llu\n",
	       pool.name, pool.id, pctl_fmt_limit(pool.limit, a, sizeof(a)),
	       (unsigned long long)pool.reserve);
	return EXIT_OK;
}
