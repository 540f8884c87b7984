// SPDX-License-Identifier: GPL-2.0
/*
 * pktpoolctl: list, inspect, create, change and destroy pktpool pools.
 *
 * The file is laid out in layers so that a second transport (netlink) and a
 * second output format (JSON) can slot in beside the current ones:
 *   - argument parsing: strict numbers, pool names and ids;
 *   - device access: one dev_*() function per ioctl, returning 0 or -errno
 *     and never printing;
 *   - errors: one place that turns an errno into advice for the user;
 *   - output: table and key/value printers fed with plain structs;
 *   - commands: parse options, call the device layer, print.
 *
 * Exit status: 0 success, 1 failure, 2 usage error.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <linux/pktpool.h>

#define EXIT_OK		0
#define EXIT_FAIL	1
#define EXIT_USAGE	2

static const char *prog = "pktpoolctl";

/* Everything a command needs: where the device is and the open fd. */
struct ctl {
	const char *device;
	int fd;
};

/* A pool as the user named it on the command line. */
struct pool_ref {
	__u32 id;			/* non-zero: by id */
	char name[PKTPOOL_NAME_MAX];	/* otherwise by name */
};

/* Messages */

static void __attribute__((format(printf, 1, 2))) err_msg(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: %s [-d DEVICE] COMMAND [ARGS]\n"
		"\n"
		"Commands:\n"
		"  version                       ABI version, features and size classes\n"
		"  list                          all pools, one per line\n"
		"  show NAME|ID                  configuration and statistics of a pool\n"
		"  create NAME --size N [--limit N] [--reserve N] [--node N] [--debug]\n"
		"                                make a pool (needs CAP_NET_ADMIN)\n"
		"  destroy NAME|ID               remove an idle pool (needs CAP_NET_ADMIN)\n"
		"  set NAME|ID [--limit N] [--reserve N]\n"
		"                                change limit and/or reserve (needs CAP_NET_ADMIN)\n"
		"\n"
		"Options:\n"
		"  -d, --device DEVICE   control device (default %s)\n"
		"  -h, --help            this help\n"
		"\n"
		"create and set:\n"
		"  --size N      object size in bytes, 1 up to the largest size class\n"
		"  --limit N     most objects out at once; 0 means unlimited (default)\n"
		"  --reserve N   objects kept aside for atomic callers (default 0)\n"
		"  --node N      NUMA node to allocate from, -1 or 'any' for any (default)\n"
		"  --debug       track every object and catch double and foreign frees\n"
		"\n"
		"Numbers are decimal, optionally followed by k, m or g (x1024, x1024^2,\n"
		"x1024^3). Pool names are 1..%d characters of a-z, 0-9, '_' and '-';\n"
		"a name made of digits only is taken as an id.\n"
		"\n"
		"Exit status: 0 success, 1 failure, 2 usage error.\n",
		prog, PKTPOOL_DEVICE, PKTPOOL_NAME_MAX - 1);
}

static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int usage_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry '%s --help' for more information.\n", prog);
	return EXIT_USAGE;
}

/* Argument parsing */

/*
 * Strict unsigned decimal: digits only (no sign, space or base prefix),
 * an optional k/m/g binary suffix, no overflow.
 */
static bool parse_u64(const char *s, __u64 *out)
{
	unsigned long long v;
	unsigned int shift = 0;
	char *end;

	if (!s || *s < '0' || *s > '9')
		return false;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno)
		return false;
	switch (*end) {
	case '\0':
		break;
	case 'k': case 'K':
		shift = 10;
		end++;
		break;
	case 'm': case 'M':
		shift = 20;
		end++;
		break;
	case 'g': case 'G':
		shift = 30;
		end++;
		break;
	default:
		return false;
	}
	if (*end)
		return false;
	if (shift && v > (UINT64_MAX >> shift))
		return false;
	*out = (__u64)v << shift;
	return true;
}

static bool parse_u32(const char *s, __u32 *out)
{
	__u64 v;

	if (!parse_u64(s, &v) || v > UINT32_MAX)
		return false;
	*out = (__u32)v;
	return true;
}

/* A NUMA node: -1 or "any", or 0..INT32_MAX. */
static bool parse_node(const char *s, __s32 *out)
{
	__u64 v;

	if (!strcmp(s, "-1") || !strcmp(s, "any")) {
		*out = -1;
		return true;
	}
	if (!parse_u64(s, &v) || v > INT32_MAX)
		return false;
	*out = (__s32)v;
	return true;
}

static bool name_valid(const char *name)
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

static bool all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

static int bad_name(const char *name)
{
	return usage_error("invalid pool name '%s': use 1..%d characters of a-z, 0-9, '_' and '-'",
			   name, PKTPOOL_NAME_MAX - 1);
}

/* NAME or ID; 0 or a usage error's exit status. */
static int parse_pool_ref(const char *arg, struct pool_ref *ref)
{
	memset(ref, 0, sizeof(*ref));
	if (all_digits(arg)) {
		if (!parse_u32(arg, &ref->id) || !ref->id)
			return usage_error("invalid pool id '%s': 1..%u", arg,
					   UINT32_MAX);
		return 0;
	}
	if (!name_valid(arg))
		return bad_name(arg);
	memcpy(ref->name, arg, strlen(arg));
	return 0;
}

/* How to call the pool in messages. */
static const char *ref_str(const struct pool_ref *ref, char *buf, size_t size)
{
	if (ref->id)
		snprintf(buf, size, "with id %u", ref->id);
	else
		snprintf(buf, size, "'%s'", ref->name);
	return buf;
}

/* Device access: no printing here, 0 or -errno */

static int dev_open(struct ctl *ctl)
{
	ctl->fd = open(ctl->device, O_RDWR | O_CLOEXEC);
	return ctl->fd < 0 ? -errno : 0;
}

static int dev_ioctl(struct ctl *ctl, unsigned long cmd, void *arg)
{
	return ioctl(ctl->fd, cmd, arg) ? -errno : 0;
}

static int dev_version(struct ctl *ctl, struct pktpool_version *v)
{
	memset(v, 0, sizeof(*v));
	v->size = sizeof(*v);
	return dev_ioctl(ctl, PKTPOOL_IOC_VERSION, v);
}

static int dev_info(struct ctl *ctl, const struct pool_ref *ref,
		    struct pktpool_pool_info *info)
{
	memset(info, 0, sizeof(*info));
	info->size = sizeof(*info);
	info->id = ref->id;
	memcpy(info->name, ref->name, sizeof(info->name));
	return dev_ioctl(ctl, PKTPOOL_IOC_POOL_INFO, info);
}

static int dev_info_id(struct ctl *ctl, __u32 id,
		       struct pktpool_pool_info *info)
{
	struct pool_ref ref = { .id = id };

	return dev_info(ctl, &ref, info);
}

static int dev_create(struct ctl *ctl, struct pktpool_pool_create *c)
{
	c->size = sizeof(*c);
	return dev_ioctl(ctl, PKTPOOL_IOC_POOL_CREATE, c);
}

static int dev_destroy(struct ctl *ctl, const struct pool_ref *ref)
{
	struct pktpool_pool_id p;

	memset(&p, 0, sizeof(p));
	p.size = sizeof(p);
	p.id = ref->id;
	memcpy(p.name, ref->name, sizeof(p.name));
	return dev_ioctl(ctl, PKTPOOL_IOC_POOL_DESTROY, &p);
}

static int dev_set(struct ctl *ctl, const struct pool_ref *ref, __u32 mask,
		   __u64 limit, __u64 reserve)
{
	struct pktpool_pool_set s;

	memset(&s, 0, sizeof(s));
	s.size = sizeof(s);
	s.id = ref->id;
	memcpy(s.name, ref->name, sizeof(s.name));
	s.mask = mask;
	s.limit = limit;
	s.reserve = reserve;
	return dev_ioctl(ctl, PKTPOOL_IOC_POOL_SET, &s);
}

/*
 * All pool ids, ascending, in a malloc'd array. Pools come and go while we
 * ask, so a too small array (ENOSPC) is retried with the count the kernel
 * reported.
 */
static int dev_list(struct ctl *ctl, __u32 **ids_out, __u32 *count_out)
{
	struct pktpool_pool_list l;
	__u32 capacity = 64, *ids = NULL, *tmp;
	int err, tries;

	for (tries = 0; tries < 16; tries++) {
		tmp = realloc(ids, (capacity ? capacity : 1) * sizeof(*ids));
		if (!tmp) {
			free(ids);
			return -ENOMEM;
		}
		ids = tmp;
		memset(&l, 0, sizeof(l));
		l.size = sizeof(l);
		l.capacity = capacity;
		l.ids_ptr = (__u64)(uintptr_t)ids;
		err = dev_ioctl(ctl, PKTPOOL_IOC_POOL_LIST, &l);
		if (!err) {
			*ids_out = ids;
			*count_out = l.count;
			return 0;
		}
		if (err != -ENOSPC || l.count <= capacity)
			break;
		/* Some slack for pools created meanwhile. */
		capacity = l.count + 16;
	}
	free(ids);
	return err ? err : -EAGAIN;
}

/* Errors: errno to advice */

enum op { OP_OPEN, OP_VERSION, OP_LIST, OP_SHOW, OP_CREATE, OP_DESTROY,
	  OP_SET };

static const char *const op_verb[] = {
	[OP_OPEN] = "opening the device",
	[OP_VERSION] = "reading the version",
	[OP_LIST] = "listing pools",
	[OP_SHOW] = "reading pool",
	[OP_CREATE] = "creating pool",
	[OP_DESTROY] = "destroying pool",
	[OP_SET] = "changing pool",
};

static const char *const op_needs[] = {
	[OP_CREATE] = "creating pools",
	[OP_DESTROY] = "destroying pools",
	[OP_SET] = "changing pools",
};

static int report(struct ctl *ctl, enum op op, const struct pool_ref *ref,
		  int err)
{
	char what[64] = "";

	if (ref)
		ref_str(ref, what, sizeof(what));

	switch (err) {
	case -ENOENT:
		if (op == OP_OPEN) {
			err_msg("%s not found: is the pktpool module loaded? (insmod pktpool.ko)",
				ctl->device);
			break;
		}
		if (ref) {
			err_msg("no pool %s (see '%s list')", what, prog);
			break;
		}
		goto generic;
	case -EACCES:
		err_msg("cannot open %s: permission denied (try as root)",
			ctl->device);
		break;
	case -EPERM:
		if (op == OP_CREATE || op == OP_DESTROY || op == OP_SET)
			err_msg("%s needs CAP_NET_ADMIN (try as root)",
				op_needs[op]);
		else
			err_msg("%s: operation not permitted", op_verb[op]);
		break;
	case -EEXIST:
		err_msg("a pool named %s already exists: choose another name or destroy it first ('%s destroy %s')",
			what, prog, ref ? ref->name : "");
		break;
	case -EBUSY:
		err_msg("pool %s is busy: objects are still allocated from it or a kernel module holds it; free them or unload that module, then retry",
			what);
		break;
	case -ENOSPC:
		if (op == OP_CREATE) {
			err_msg("cannot create pool %s: the maximum number of pools exists (module parameter max_pools); destroy a pool first",
				what);
			break;
		}
		goto generic;
	case -EINVAL:
		if (op == OP_CREATE) {
			err_msg("the kernel rejected pool %s: --size must be 1..largest size class (see '%s version'), --limit at most %llu, --reserve at most %u and not above a non-zero limit, --node -1 or an online node",
				what, prog, (unsigned long long)PKTPOOL_LIMIT_MAX,
				PKTPOOL_RESERVE_MAX);
			break;
		}
		if (op == OP_SET) {
			err_msg("the kernel rejected the change to pool %s: --limit at most %llu, --reserve at most %u and not above a non-zero limit (the pool's current values count for what you do not change)",
				what, (unsigned long long)PKTPOOL_LIMIT_MAX,
				PKTPOOL_RESERVE_MAX);
			break;
		}
		goto generic;
	case -ENOTTY:
		err_msg("%s does not understand pktpool requests: is it the pktpool device?",
			ctl->device);
		break;
	case -E2BIG:
		err_msg("the pktpool module is older than this tool and refused a request it does not know");
		break;
	default:
generic:
		if (ref)
			err_msg("%s %s: %s", op_verb[op], what, strerror(-err));
		else
			err_msg("%s: %s", op_verb[op], strerror(-err));
		break;
	}
	return EXIT_FAIL;
}

static int ctl_open(struct ctl *ctl)
{
	int err = dev_open(ctl);

	return err ? report(ctl, OP_OPEN, NULL, err) : 0;
}

/* Output */

/* Bytes with a binary unit: "512 B", "1.5 KiB", "16.0 MiB". */
static const char *fmt_bytes(long double bytes, char *buf, size_t size)
{
	static const char *const unit[] = { "KiB", "MiB", "GiB", "TiB", "PiB",
					    "EiB" };
	int i = -1;

	if (bytes < 1024) {
		snprintf(buf, size, "%.0Lf B", bytes);
		return buf;
	}
	while (bytes >= 1024 && i < 5) {
		bytes /= 1024;
		i++;
	}
	snprintf(buf, size, "%.1Lf %s", bytes, unit[i]);
	return buf;
}

static const char *fmt_limit(__u64 limit, char *buf, size_t size)
{
	if (!limit)
		snprintf(buf, size, "unlimited");
	else
		snprintf(buf, size, "%llu", (unsigned long long)limit);
	return buf;
}

static const char *fmt_u64(__u64 v, char *buf, size_t size)
{
	snprintf(buf, size, "%llu", (unsigned long long)v);
	return buf;
}

/* "12 (1.2% of limit, 3.0 KiB)" or "12 (3.0 KiB)" when unlimited. */
static const char *fmt_count(__u64 n, __u64 limit, __u32 obj_bytes, char *buf,
			     size_t size)
{
	char bytes[32], pct[48] = "";

	if (limit)
		snprintf(pct, sizeof(pct), "%.1f%% of limit",
			 100.0 * (double)n / (double)limit);
	if (obj_bytes)
		fmt_bytes((long double)n * obj_bytes, bytes, sizeof(bytes));
	if (limit && obj_bytes)
		snprintf(buf, size, "%llu (%s, %s)", (unsigned long long)n, pct,
			 bytes);
	else if (limit)
		snprintf(buf, size, "%llu (%s)", (unsigned long long)n, pct);
	else if (obj_bytes)
		snprintf(buf, size, "%llu (%s)", (unsigned long long)n, bytes);
	else
		snprintf(buf, size, "%llu", (unsigned long long)n);
	return buf;
}

#ifdef PKTPOOL_FEAT_REGIONS
#define FEAT_KNOWN	(PKTPOOL_FEAT_POOLS | PKTPOOL_FEAT_DEBUG | \
			 PKTPOOL_FEAT_REGIONS)
#else
#define FEAT_KNOWN	(PKTPOOL_FEAT_POOLS | PKTPOOL_FEAT_DEBUG)
#endif

static void print_version(const struct pktpool_version *v)
{
	__u32 i;

	printf("ABI version:   %u\n", v->abi_version);
	printf("features:     ");
	if (v->features & PKTPOOL_FEAT_POOLS)
		printf(" pools");
	if (v->features & PKTPOOL_FEAT_DEBUG)
		printf(" debug");
#ifdef PKTPOOL_FEAT_REGIONS
	if (v->features & PKTPOOL_FEAT_REGIONS)
		printf(" regions");
#endif
	if (v->features & ~FEAT_KNOWN)
		printf(" 0x%llx",
		       (unsigned long long)(v->features & ~FEAT_KNOWN));
	printf("\n");
	printf("size classes: ");
	for (i = 0; i < v->nr_classes && i < PKTPOOL_CLASSES_MAX; i++)
		printf(" %u", v->class_size[i]);
	printf(" (bytes)\n");
	printf("max pools:     %u\n", v->max_pools);
}

enum col { C_ID, C_NAME, C_SIZE, C_CLASS, C_INUSE, C_PEAK, C_LIMIT,
	   C_RESERVE, C_FAILS, NR_COLS };

static const char *const col_title[NR_COLS] = {
	"ID", "NAME", "SIZE", "CLASS", "IN-USE", "PEAK", "LIMIT", "RESERVE",
	"FAILS",
};

#define CELL 32

static void list_row(const struct pktpool_pool_info *p, char row[][CELL])
{
	fmt_u64(p->id, row[C_ID], CELL);
	snprintf(row[C_NAME], CELL, "%.31s", p->name);
	fmt_u64(p->obj_size, row[C_SIZE], CELL);
	fmt_u64(p->class_size, row[C_CLASS], CELL);
	fmt_u64(p->in_use, row[C_INUSE], CELL);
	fmt_u64(p->peak, row[C_PEAK], CELL);
	fmt_limit(p->limit, row[C_LIMIT], CELL);
	fmt_u64(p->reserve, row[C_RESERVE], CELL);
	fmt_u64(p->fail_limit + p->fail_nomem, row[C_FAILS], CELL);
}

/* A table with the name left-aligned and the numbers right-aligned. */
static void print_table(char (*rows)[NR_COLS][CELL], unsigned int nr)
{
	size_t width[NR_COLS];
	unsigned int r, c;

	for (c = 0; c < NR_COLS; c++)
		width[c] = strlen(col_title[c]);
	for (r = 0; r < nr; r++)
		for (c = 0; c < NR_COLS; c++)
			if (strlen(rows[r][c]) > width[c])
				width[c] = strlen(rows[r][c]);

	for (c = 0; c < NR_COLS; c++)
		printf(c == C_NAME ? "%s%-*s" : "%s%*s", c ? "  " : "",
		       (int)width[c], col_title[c]);
	printf("\n");
	for (r = 0; r < nr; r++) {
		for (c = 0; c < NR_COLS; c++)
			printf(c == C_NAME ? "%s%-*s" : "%s%*s", c ? "  " : "",
			       (int)width[c], rows[r][c]);
		printf("\n");
	}
}

static void kv(const char *key, const char *value)
{
	printf("%-16s %s\n", key, value);
}

static void print_pool(const struct pktpool_pool_info *p)
{
	char buf[96], a[32], b[32];
	__u32 cls = p->class_size;

	kv("id:", fmt_u64(p->id, buf, sizeof(buf)));
	snprintf(buf, sizeof(buf), "%.31s", p->name);
	kv("name:", buf);
	kv("object size:", fmt_bytes(p->obj_size, buf, sizeof(buf)));
	kv("size class:", fmt_bytes(cls, buf, sizeof(buf)));
	if (p->node < 0)
		kv("node:", "any");
	else
		kv("node:", fmt_u64((__u64)p->node, buf, sizeof(buf)));
	kv("flags:", p->flags & PKTPOOL_POOL_F_DEBUG ? "debug" : "none");
	if (p->limit) {
		snprintf(buf, sizeof(buf), "%llu objects (%s)",
			 (unsigned long long)p->limit,
			 fmt_bytes((long double)p->limit * cls, a, sizeof(a)));
		kv("limit:", buf);
	} else {
		kv("limit:", "unlimited");
	}
	snprintf(buf, sizeof(buf), "%llu objects (%s)",
		 (unsigned long long)p->reserve,
		 fmt_bytes((long double)p->reserve * cls, a, sizeof(a)));
	kv("reserve:", buf);
	kv("in use:", fmt_count(p->in_use, p->limit, cls, buf, sizeof(buf)));
	kv("peak:", fmt_count(p->peak, p->limit, cls, buf, sizeof(buf)));
	kv("allocations:", fmt_u64(p->allocs, buf, sizeof(buf)));
	kv("frees:", fmt_u64(p->frees, buf, sizeof(buf)));
	kv("fails (limit):", fmt_u64(p->fail_limit, buf, sizeof(buf)));
	kv("fails (nomem):", fmt_u64(p->fail_nomem, buf, sizeof(buf)));
	kv("reserve hits:", fmt_u64(p->reserve_hits, buf, sizeof(buf)));
	snprintf(buf, sizeof(buf), "%llu of %llu",
		 (unsigned long long)p->reserve_avail,
		 (unsigned long long)p->reserve);
	kv("reserve avail:", buf);
	kv("cached:", fmt_count(p->cached, 0, cls, buf, sizeof(buf)));
	kv("holders:", fmt_u64(p->holders, buf, sizeof(buf)));
	kv("bad frees:", fmt_u64(p->bad_frees, buf, sizeof(buf)));
	snprintf(buf, sizeof(buf), "%s (in use + cached + reserve, %s each)",
		 fmt_bytes(((long double)p->in_use + p->cached +
			    p->reserve_avail) * cls, a, sizeof(a)),
		 fmt_bytes(cls, b, sizeof(b)));
	kv("memory:", buf);
}

/* Commands */

/* No options besides --help, exactly nargs positional arguments. */
static int simple_args(int argc, char **argv, int nargs, const char *synopsis)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	optind = 0;	/* 0: make getopt start over, with this optstring */
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (c == 'h') {
			printf("Usage: %s %s\n", prog, synopsis);
			exit(EXIT_OK);
		}
		return usage_error("usage: %s %s", prog, synopsis);
	}
	if (argc - optind != nargs)
		return usage_error("usage: %s %s", prog, synopsis);
	return 0;
}

static int cmd_version(struct ctl *ctl, int argc, char **argv)
{
	struct pktpool_version v;
	int err;

	err = simple_args(argc, argv, 0, "version");
	if (err)
		return err;
	err = ctl_open(ctl);
	if (err)
		return err;
	err = dev_version(ctl, &v);
	if (err)
		return report(ctl, OP_VERSION, NULL, err);
	print_version(&v);
	return EXIT_OK;
}

static int cmd_list(struct ctl *ctl, int argc, char **argv)
{
	struct pktpool_pool_info info;
	char (*rows)[NR_COLS][CELL];
	__u32 *ids, count, i, nr = 0;
	int err;

	err = simple_args(argc, argv, 0, "list");
	if (err)
		return err;
	err = ctl_open(ctl);
	if (err)
		return err;
	err = dev_list(ctl, &ids, &count);
	if (err)
		return report(ctl, OP_LIST, NULL, err);

	rows = calloc(count ? count : 1, sizeof(*rows));
	if (!rows) {
		free(ids);
		return report(ctl, OP_LIST, NULL, -ENOMEM);
	}
	for (i = 0; i < count; i++) {
		err = dev_info_id(ctl, ids[i], &info);
		if (err == -ENOENT)	/* destroyed since the list */
			continue;
		if (err) {
			struct pool_ref ref = { .id = ids[i] };

			free(rows);
			free(ids);
			return report(ctl, OP_SHOW, &ref, err);
		}
		list_row(&info, rows[nr++]);
	}
	if (nr)
		print_table(rows, nr);
	else
		printf("no pools\n");
	free(rows);
	free(ids);
	return EXIT_OK;
}

static int cmd_show(struct ctl *ctl, int argc, char **argv)
{
	struct pktpool_pool_info info;
	struct pool_ref ref;
	int err;

	err = simple_args(argc, argv, 1, "show NAME|ID");
	if (err)
		return err;
	err = parse_pool_ref(argv[optind], &ref);
	if (err)
		return err;
	err = ctl_open(ctl);
	if (err)
		return err;
	err = dev_info(ctl, &ref, &info);
	if (err)
		return report(ctl, OP_SHOW, &ref, err);
	print_pool(&info);
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
	return usage_error("invalid number for --%s: '%s'", opt, arg);
}

static int cmd_create(struct ctl *ctl, int argc, char **argv)
{
	struct pktpool_pool_create c;
	struct pktpool_pool_info info;
	struct pool_ref ref;
	bool have_size = false;
	char a[32], b[32];
	int opt, err;

	memset(&c, 0, sizeof(c));
	c.node = -1;
	optind = 0;	/* 0: make getopt start over, with this optstring */
	while ((opt = getopt_long(argc, argv, "h", pool_opts, NULL)) != -1) {
		switch (opt) {
		case OPT_SIZE:
			if (!parse_u32(optarg, &c.obj_size) || !c.obj_size)
				return bad_number("size", optarg);
			have_size = true;
			break;
		case OPT_LIMIT:
			if (!parse_u64(optarg, &c.limit))
				return bad_number("limit", optarg);
			break;
		case OPT_RESERVE:
			if (!parse_u64(optarg, &c.reserve))
				return bad_number("reserve", optarg);
			break;
		case OPT_NODE:
			if (!parse_node(optarg, &c.node))
				return bad_number("node", optarg);
			break;
		case OPT_DEBUG:
			c.flags |= PKTPOOL_POOL_F_DEBUG;
			break;
		case 'h':
			printf("Usage: %s %s\n", prog, CREATE_SYNOPSIS);
			return EXIT_OK;
		default:
			return usage_error("usage: %s %s", prog, CREATE_SYNOPSIS);
		}
	}
	if (argc - optind != 1)
		return usage_error("usage: %s %s", prog, CREATE_SYNOPSIS);
	if (!have_size)
		return usage_error("create needs --size");
	if (!name_valid(argv[optind]))
		return bad_name(argv[optind]);
	if (all_digits(argv[optind]))
		return usage_error("pool name '%s' is all digits and would read as an id",
				   argv[optind]);
	memset(&ref, 0, sizeof(ref));
	memcpy(ref.name, argv[optind], strlen(argv[optind]));
	memcpy(c.name, ref.name, sizeof(c.name));

	err = ctl_open(ctl);
	if (err)
		return err;
	err = dev_create(ctl, &c);
	if (err)
		return report(ctl, OP_CREATE, &ref, err);

	if (dev_info_id(ctl, c.id, &info)) {
		printf("created pool '%s' (id %u)\n", c.name, c.id);
		return EXIT_OK;
	}
	printf("created pool '%s' (id %u): object size %u, class %u, limit %s, reserve %s\n",
	       c.name, c.id, info.obj_size, info.class_size,
	       fmt_limit(info.limit, a, sizeof(a)),
	       fmt_u64(info.reserve, b, sizeof(b)));
	return EXIT_OK;
}

static int cmd_destroy(struct ctl *ctl, int argc, char **argv)
{
	struct pktpool_pool_info info;
	struct pool_ref ref;
	char name[PKTPOOL_NAME_MAX] = "";
	int err;

	err = simple_args(argc, argv, 1, "destroy NAME|ID");
	if (err)
		return err;
	err = parse_pool_ref(argv[optind], &ref);
	if (err)
		return err;
	err = ctl_open(ctl);
	if (err)
		return err;
	/* The name for the message when given an id; not needed otherwise. */
	if (!dev_info(ctl, &ref, &info))
		snprintf(name, sizeof(name), "%.31s", info.name);
	err = dev_destroy(ctl, &ref);
	if (err)
		return report(ctl, OP_DESTROY, &ref, err);
	if (name[0])
		printf("destroyed pool '%s' (id %u)\n", name, info.id);
	else
		printf("destroyed pool %s\n", argv[optind]);
	return EXIT_OK;
}

static int cmd_set(struct ctl *ctl, int argc, char **argv)
{
	struct pktpool_pool_info info;
	struct pool_ref ref;
	__u64 limit = 0, reserve = 0;
	__u32 mask = 0;
	char a[32], b[32], what[64];
	int opt, err;

	optind = 0;	/* 0: make getopt start over, with this optstring */
	while ((opt = getopt_long(argc, argv, "h", pool_opts, NULL)) != -1) {
		switch (opt) {
		case OPT_LIMIT:
			if (!parse_u64(optarg, &limit))
				return bad_number("limit", optarg);
			mask |= PKTPOOL_SET_LIMIT;
			break;
		case OPT_RESERVE:
			if (!parse_u64(optarg, &reserve))
				return bad_number("reserve", optarg);
			mask |= PKTPOOL_SET_RESERVE;
			break;
		case 'h':
			printf("Usage: %s %s\n", prog, SET_SYNOPSIS);
			return EXIT_OK;
		default:
			return usage_error("usage: %s %s", prog, SET_SYNOPSIS);
		}
	}
	if (argc - optind != 1)
		return usage_error("usage: %s %s", prog, SET_SYNOPSIS);
	if (!mask)
		return usage_error("set needs --limit and/or --reserve");
	err = parse_pool_ref(argv[optind], &ref);
	if (err)
		return err;
	err = ctl_open(ctl);
	if (err)
		return err;
	err = dev_set(ctl, &ref, mask, limit, reserve);
	if (err)
		return report(ctl, OP_SET, &ref, err);
	if (dev_info(ctl, &ref, &info)) {
		printf("changed pool %s\n", ref_str(&ref, what, sizeof(what)));
		return EXIT_OK;
	}
	printf("changed pool '%.31s' (id %u): limit %s, reserve %s\n",
	       info.name, info.id, fmt_limit(info.limit, a, sizeof(a)),
	       fmt_u64(info.reserve, b, sizeof(b)));
	return EXIT_OK;
}

static const struct command {
	const char *name;
	int (*fn)(struct ctl *ctl, int argc, char **argv);
} commands[] = {
	{ "version", cmd_version },
	{ "list", cmd_list },
	{ "show", cmd_show },
	{ "create", cmd_create },
	{ "destroy", cmd_destroy },
	{ "set", cmd_set },
};

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "device", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct ctl ctl = { .device = PKTPOOL_DEVICE, .fd = -1 };
	size_t i;
	int c, ret;

	/* '+': stop at the command; its options are its own. */
	while ((c = getopt_long(argc, argv, "+d:h", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			ctl.device = optarg;
			break;
		case 'h':
			usage(stdout);
			return EXIT_OK;
		default:
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (optind >= argc)
		return usage_error("no command given");
	if (!strcmp(argv[optind], "help")) {
		usage(stdout);
		return EXIT_OK;
	}

	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (strcmp(argv[optind], commands[i].name))
			continue;
		ret = commands[i].fn(&ctl, argc - optind, argv + optind);
		if (ctl.fd >= 0)
			close(ctl.fd);
		return ret;
	}
	return usage_error("unknown command '%s'", argv[optind]);
}
