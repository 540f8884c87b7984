// SPDX-License-Identifier: GPL-2.0
/*
 * pktpoolctl: regions (region-get over netlink; create and destroy on the
 * device) and size classes (class-get).
 *
 * A region made here is attached to pktpoolctl's open device file, which
 * goes away when pktpoolctl exits; the region itself stays in the kernel
 * until someone destroys it.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "libpktpool.h"
#include "pktpoolctl.h"

enum { R_ID, R_NAME, R_SLOT, R_SLOTS, R_MODE, R_OWNER, R_NODE, R_ATT, R_MAP,
       R_SIZE, R_USED, NR_RCOLS };

static const struct pctl_col region_cols[NR_RCOLS] = {
	{ "ID", false }, { "NAME", true }, { "SLOT-SIZE", false },
	{ "SLOTS", false }, { "MODE", false }, { "OWNER", false },
	{ "NODE", false }, { "ATTACHED", false }, { "MAPPINGS", false },
	{ "SIZE", false }, { "USED", false },
};

static int region_list(struct ctl *ctl, int argc, char **argv)
{
	struct pctl_region *regions, *r;
	struct pctl_table t;
	size_t nr, i;
	int err;

	err = pctl_simple_args(ctl, argc, argv, 0, "region list [--json]");
	if (err)
		return err;
	err = pctl_open_nl(ctl);
	if (err)
		return err;
	err = pctl_region_dump(&ctl->nl, &regions, &nr);
	if (err)
		return pctl_report(ctl, PCTL_OP_REGION_LIST, NULL, err);
	if (ctl->json) {
		pctl_json_print_records(&pctl_region_attrs, regions, nr,
					sizeof(*regions));
		free(regions);
		return EXIT_OK;
	}
	if (!nr) {
		printf("no regions\n");
		free(regions);
		return EXIT_OK;
	}
	pctl_table_init(&t, region_cols, NR_RCOLS);
	for (i = 0; i < nr; i++) {
		char (*row)[PCTL_CELL] = pctl_table_row(&t);

		if (!row) {
			free(regions);
			pctl_table_free(&t);
			return pctl_report(ctl, PCTL_OP_REGION_LIST, NULL,
					   -ENOMEM);
		}
		r = &regions[i];
		pctl_fmt_u64(r->id, row[R_ID], PCTL_CELL);
		snprintf(row[R_NAME], PCTL_CELL, "%s", r->name);
		pctl_fmt_u64(r->slot_size, row[R_SLOT], PCTL_CELL);
		pctl_fmt_u64(r->slot_count, row[R_SLOTS], PCTL_CELL);
		snprintf(row[R_MODE], PCTL_CELL, "%04o", r->mode & 0777);
		snprintf(row[R_OWNER], PCTL_CELL, "%u:%u", r->uid, r->gid);
		pctl_fmt_node(r->node, row[R_NODE], PCTL_CELL);
		pctl_fmt_u64(r->attached, row[R_ATT], PCTL_CELL);
		pctl_fmt_u64(r->mappings, row[R_MAP], PCTL_CELL);
		pctl_fmt_bytes(r->size, row[R_SIZE], PCTL_CELL);
		/* the library's summary: slots out of the shared pool */
		if (r->have & (1ULL << PKTPOOL_A_REGION_LIB_IN_USE))
			pctl_fmt_u64(r->lib_in_use + r->lib_cached,
				     row[R_USED], PCTL_CELL);
		else
			snprintf(row[R_USED], PCTL_CELL, "-");
	}
	pctl_table_print(&t, stdout, 0);
	pctl_table_free(&t);
	free(regions);
	return EXIT_OK;
}

static void print_region(const struct pctl_region *r)
{
	char buf[96], a[32], b[32];

	pctl_kv("id:", pctl_fmt_u64(r->id, buf, sizeof(buf)));
	pctl_kv("name:", r->name);
	pctl_kv("slot size:", pctl_fmt_bytes(r->slot_size, buf, sizeof(buf)));
	pctl_kv("slots:", pctl_fmt_u64(r->slot_count, buf, sizeof(buf)));
	snprintf(buf, sizeof(buf), "%s (%llu bytes to mmap; slots %s)",
		 pctl_fmt_bytes(r->size, a, sizeof(a)),
		 (unsigned long long)r->size,
		 pctl_fmt_bytes((long double)r->slot_size * r->slot_count,
				b, sizeof(b)));
	pctl_kv("size:", buf);
	pctl_kv("mode:", pctl_fmt_mode(r->mode, buf, sizeof(buf)));
	snprintf(buf, sizeof(buf), "uid %u, gid %u", r->uid, r->gid);
	pctl_kv("owner:", buf);
	pctl_kv("node:", pctl_fmt_node(r->node, buf, sizeof(buf)));
	pctl_kv("attached:", pctl_fmt_u64(r->attached, buf, sizeof(buf)));
	pctl_kv("mappings:", pctl_fmt_u64(r->mappings, buf, sizeof(buf)));
	/* One account of the slots, whichever side holds them. */
	snprintf(buf, sizeof(buf), "%llu kernel, %llu in flight, %llu user",
		 (unsigned long long)r->kernel_slots,
		 (unsigned long long)r->inflight_slots,
		 (unsigned long long)r->user_slots);
	pctl_kv("slots held:", buf);
	pctl_kv("ring invalid:", pctl_fmt_u64(r->ring_invalid, buf, sizeof(buf)));
}

#define REGION_SHOW_SYNOPSIS "region show NAME|ID [--objects] [--json]"

/*
 * A region as the kernel sees it (netlink, when the module is there and
 * has it) and as libpktpool sees it (its counters in the region, read
 * through a read-only handle): a memfd region has only the second.
 */
static int region_show(struct ctl *ctl, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "objects", no_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct pctl_region region;
	struct pktpool *p = NULL;
	struct pctl_ref ref;
	struct pctl_json j;
	bool kernel = false, objects = false;
	const char *name;
	int opt, err, kerr = -ENOENT, lerr;

	optind = 0;
	while ((opt = getopt_long(argc, argv, "joh", opts, NULL)) != -1) {
		switch (opt) {
		case 'j':
			ctl->json = true;
			break;
		case 'o':
			objects = true;
			break;
		case 'h':
			printf("Usage: %s %s\n", pctl_prog, REGION_SHOW_SYNOPSIS);
			return -1;
		default:
			return pctl_usage_error("usage: %s %s", pctl_prog,
						REGION_SHOW_SYNOPSIS);
		}
	}
	if (argc - optind != 1)
		return pctl_usage_error("usage: %s %s", pctl_prog,
					REGION_SHOW_SYNOPSIS);
	err = pctl_parse_ref(argv[optind], "region", &ref);
	if (err)
		return err;
	/* The kernel first; without the module (or without this region
	 * there) the name may still be a memfd region's. */
	if (!pctl_nl_open(&ctl->nl)) {
		kerr = pctl_region_get(&ctl->nl, &ref, &region);
		if (kerr && kerr != -ENOENT)
			return pctl_report(ctl, PCTL_OP_REGION_SHOW, &ref, kerr);
		kernel = !kerr;
	}
	/* not in the kernel: as before, with the kernel's words */
	if (!kernel && ctl->nl.sock && ref.id)
		return pctl_report(ctl, PCTL_OP_REGION_SHOW, &ref, kerr);
	if (!kernel && ref.id) {
		pctl_err("no region with id %u (pktpool.ko is not loaded; memfd regions have names only)",
			 ref.id);
		return EXIT_FAIL;
	}
	name = kernel ? region.name : ref.name;
	lerr = name[0] ? pctl_lib_open(name, kernel, false, &p) : -ENOENT;
	if (!kernel && lerr) {
		if (lerr == -ENOENT && ctl->nl.sock)
			return pctl_report(ctl, PCTL_OP_REGION_SHOW, &ref, kerr);
		if (lerr == -ENOENT)
			pctl_err("no region '%s': pktpool.ko is not loaded, and no /dev/shm/pktpool.%s",
				 name, name);
		else
			pctl_err("cannot read region '%s': %s", name,
				 pctl_lib_why(lerr));
		return EXIT_FAIL;
	}
	if (ctl->json) {
		pctl_json_init(&j, stdout);
		pctl_json_obj(&j, NULL);
		if (kernel) {
			pctl_json_fields(&j, &pctl_region_attrs, &region);
		} else {
			struct pktpool_layout lay;

			pktpool_get_layout(p, &lay);
			pctl_json_str(&j, "name", name);
			pctl_json_u64(&j, "slot_size", lay.slot_size);
			pctl_json_u64(&j, "slot_count", lay.slot_count);
			pctl_json_u64(&j, "size", lay.size);
		}
		pctl_json_str(&j, "backend", kernel ? "kernel" : "memfd");
		if (p)
			lerr = pctl_lib_json(&j, p, objects);
		if (lerr) {
			pctl_json_null(&j, "library");
			pctl_json_str(&j, "library_error", pctl_lib_why(lerr));
		}
		pctl_json_end_obj(&j);
		pctl_json_done(&j);
	} else {
		if (kernel)
			print_region(&region);
		else
			pctl_kv("name:", name);
		pctl_kv("backend:", kernel ? "kernel (pktpool.ko)" :
			"memfd (/dev/shm)");
		if (p)
			lerr = pctl_lib_print(p, objects);
		if (lerr)
			pctl_kv("library:", pctl_lib_why(lerr));
	}
	if (p)
		pktpool_detach(p);
	return EXIT_OK;
}

#define REGION_CREATE_SYNOPSIS \
	"region create NAME --slot-size N --slots N [--mode MODE] [--node N]"

enum { OPT_SLOT_SIZE = 256, OPT_SLOTS, OPT_MODE, OPT_NODE };

static int region_create(struct ctl *ctl, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "slot-size", required_argument, NULL, OPT_SLOT_SIZE },
		{ "slots", required_argument, NULL, OPT_SLOTS },
		{ "mode", required_argument, NULL, OPT_MODE },
		{ "node", required_argument, NULL, OPT_NODE },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct pktpool_region_create c;
	struct pctl_ref ref;
	char a[32], b[32], why[160];
	int opt, err;

	memset(&c, 0, sizeof(c));
	c.node = -1;
	c.mode = 0600;
	optind = 0;
	while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (opt) {
		case OPT_SLOT_SIZE:
			if (!pctl_parse_u32(optarg, &c.slot_size))
				return pctl_usage_error("invalid number for --slot-size: '%s'",
							optarg);
			break;
		case OPT_SLOTS:
			if (!pctl_parse_u32(optarg, &c.slot_count))
				return pctl_usage_error("invalid number for --slots: '%s'",
							optarg);
			break;
		case OPT_MODE:
			if (!pctl_parse_mode(optarg, &c.mode))
				return pctl_usage_error("invalid --mode '%s': octal permission bits, at most 0777",
							optarg);
			break;
		case OPT_NODE:
			if (!pctl_parse_node(optarg, &c.node))
				return pctl_usage_error("invalid number for --node: '%s'",
							optarg);
			break;
		case 'h':
			printf("Usage: %s %s\n", pctl_prog,
			       REGION_CREATE_SYNOPSIS);
			return -1;
		default:
			return pctl_usage_error("usage: %s %s", pctl_prog,
						REGION_CREATE_SYNOPSIS);
		}
	}
	if (argc - optind != 1)
		return pctl_usage_error("usage: %s %s", pctl_prog,
					REGION_CREATE_SYNOPSIS);
	if (!c.slot_size || !c.slot_count)
		return pctl_usage_error("region create needs --slot-size and --slots");
	if (!pctl_name_valid(argv[optind]) || pctl_all_digits(argv[optind]))
		return pctl_usage_error("invalid region name '%s': use 1..%d characters of a-z, 0-9, '_' and '-', not digits only",
					argv[optind], PKTPOOL_NAME_MAX - 1);
	pctl_ref_name(&ref, argv[optind]);
	memcpy(c.name, ref.name, sizeof(c.name));
	err = pctl_open(ctl);
	if (err)
		return err;
	err = pctl_dev_region_create(ctl, &c);
	if (err == -EINVAL)
		ctl->why = pctl_why_region_create(&c, why, sizeof(why));
	if (err)
		return pctl_report(ctl, PCTL_OP_REGION_CREATE, &ref, err);
	printf("created region '%s' (id %u): %u slots of %s, %s, mode %04o; it stays until '%s region destroy %s'\n",
	       c.name, c.id, c.slot_count,
	       pctl_fmt_bytes(c.slot_size, a, sizeof(a)),
	       pctl_fmt_bytes(c.mmap_size, b, sizeof(b)), c.mode, pctl_prog,
	       c.name);
	return EXIT_OK;
}

static int region_destroy(struct ctl *ctl, int argc, char **argv)
{
	struct pctl_region region;
	struct pctl_ref ref;
	bool named;
	int err;

	err = pctl_simple_args(ctl, argc, argv, 1, "region destroy NAME|ID");
	if (err)
		return err;
	err = pctl_parse_ref(argv[optind], "region", &ref);
	if (err)
		return err;
	err = pctl_open(ctl);
	if (err)
		return err;
	named = !pctl_region_get(&ctl->nl, &ref, &region);
	err = pctl_dev_region_destroy(ctl, &ref);
	if (err)
		return pctl_report(ctl, PCTL_OP_REGION_DESTROY, &ref, err);
	if (named && (region.attached || region.mappings))
		printf("destroyed region '%s' (id %u); its memory lives until the %llu attached files and %llu mappings are gone\n",
		       region.name, region.id,
		       (unsigned long long)region.attached,
		       (unsigned long long)region.mappings);
	else if (named)
		printf("destroyed region '%s' (id %u)\n", region.name,
		       region.id);
	else
		printf("destroyed region %s\n", argv[optind]);
	return EXIT_OK;
}

int pctl_cmd_region(struct ctl *ctl, int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*fn)(struct ctl *ctl, int argc, char **argv);
	} sub[] = {
		{ "list", region_list },
		{ "show", region_show },
		{ "create", region_create },
		{ "destroy", region_destroy },
		{ "reclaim", pctl_region_reclaim },
		{ "reset-stats", pctl_region_reset_stats },
	};
	size_t i;

	if (argc >= 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
		printf("Usage: %s region list [--json]\n"
		       "       %s %s\n"
		       "       %s %s\n"
		       "       %s region destroy NAME|ID\n"
		       "       %s region reclaim NAME [--pid PID] [--idle]\n"
		       "       %s region reset-stats NAME\n",
		       pctl_prog, pctl_prog, REGION_SHOW_SYNOPSIS, pctl_prog,
		       REGION_CREATE_SYNOPSIS, pctl_prog, pctl_prog, pctl_prog);
		return -1;
	}
	if (argc < 2)
		return pctl_usage_error("usage: %s region list|show|create|destroy|reclaim|reset-stats ...",
					pctl_prog);
	for (i = 0; i < PCTL_ARRAY_SIZE(sub); i++)
		if (!strcmp(argv[1], sub[i].name))
			return sub[i].fn(ctl, argc - 1, argv + 1);
	return pctl_usage_error("unknown region command '%s': list, show, create, destroy, reclaim or reset-stats",
				argv[1]);
}

enum { K_SIZE, K_NAME, K_POOLS, K_OBJECTS, K_INUSE, K_MEM, NR_KCOLS };

static const struct pctl_col class_cols[NR_KCOLS] = {
	{ "SIZE", false }, { "NAME", true }, { "POOLS", false },
	{ "OBJECTS", false }, { "IN-USE", false }, { "MEMORY", false },
};

int pctl_cmd_class(struct ctl *ctl, int argc, char **argv)
{
	struct pctl_class *classes, *k;
	struct pctl_table t;
	size_t nr, i;
	int err;

	if (argc >= 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
		printf("Usage: %s class list [--json]\n", pctl_prog);
		return -1;
	}
	if (argc < 2 || strcmp(argv[1], "list"))
		return pctl_usage_error("usage: %s class list [--json]",
					pctl_prog);
	err = pctl_simple_args(ctl, argc - 1, argv + 1, 0,
			       "class list [--json]");
	if (err)
		return err;
	err = pctl_open_nl(ctl);
	if (err)
		return err;
	err = pctl_class_dump(&ctl->nl, &classes, &nr);
	if (err)
		return pctl_report(ctl, PCTL_OP_CLASS_LIST, NULL, err);
	if (ctl->json) {
		pctl_json_print_records(&pctl_class_attrs, classes, nr,
					sizeof(*classes));
		free(classes);
		return EXIT_OK;
	}
	pctl_table_init(&t, class_cols, NR_KCOLS);
	for (i = 0; i < nr; i++) {
		char (*row)[PCTL_CELL] = pctl_table_row(&t);

		if (!row) {
			free(classes);
			pctl_table_free(&t);
			return pctl_report(ctl, PCTL_OP_CLASS_LIST, NULL,
					   -ENOMEM);
		}
		k = &classes[i];
		pctl_fmt_u64(k->size, row[K_SIZE], PCTL_CELL);
		snprintf(row[K_NAME], PCTL_CELL, "%s", k->name);
		pctl_fmt_u64(k->pools, row[K_POOLS], PCTL_CELL);
		pctl_fmt_u64(k->objects, row[K_OBJECTS], PCTL_CELL);
		pctl_fmt_u64(k->in_use, row[K_INUSE], PCTL_CELL);
		pctl_fmt_bytes(k->bytes, row[K_MEM], PCTL_CELL);
	}
	pctl_table_print(&t, stdout, 0);
	pctl_table_free(&t);
	free(classes);
	return EXIT_OK;
}
