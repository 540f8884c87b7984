// SPDX-License-Identifier: GPL-2.0
/*
 * pktpoolctl: turning a failure into a message that says what failed and
 * what to do. Each message is one line "pktpoolctl: ..."; when the kernel
 * explained a netlink failure (extack), its words follow on a second line
 * "pktpoolctl: kernel says: ...", naming the attribute it pointed at.
 */
#include <errno.h>
#include <stdarg.h>
#include <string.h>
#include <unistd.h>

#include "pktpoolctl.h"

void pctl_err(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fprintf(stderr, "%s: ", pctl_prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int pctl_usage_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", pctl_prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry '%s --help' for more information.\n",
		pctl_prog);
	return EXIT_USAGE;
}

static const struct {
	const char *verb;	/* "<verb> <object>: <strerror>" */
	const char *needs;	/* "<needs> needs CAP_NET_ADMIN" */
	const char *kind;	/* pool or region, for "no such" */
} ops[] = {
	[PCTL_OP_OPEN] = { "opening the device", NULL, NULL },
	[PCTL_OP_NETLINK] = { "talking to the pktpool netlink family", NULL,
			      NULL },
	[PCTL_OP_VERSION] = { "reading the version", NULL, NULL },
	[PCTL_OP_LIST] = { "listing pools", NULL, NULL },
	[PCTL_OP_SHOW] = { "reading pool", NULL, "pool" },
	[PCTL_OP_CREATE] = { "creating pool", "creating pools", "pool" },
	[PCTL_OP_DESTROY] = { "destroying pool", "destroying pools", "pool" },
	[PCTL_OP_SET] = { "changing pool", "changing pools", "pool" },
	[PCTL_OP_REGION_LIST] = { "listing regions", NULL, NULL },
	[PCTL_OP_REGION_SHOW] = { "reading region", NULL, "region" },
	[PCTL_OP_REGION_CREATE] = { "creating region", NULL, "region" },
	[PCTL_OP_REGION_DESTROY] = { "destroying region", NULL, "region" },
	[PCTL_OP_CLASS_LIST] = { "listing size classes", NULL, NULL },
	[PCTL_OP_MONITOR] = { "listening for notifications", NULL, NULL },
	[PCTL_OP_RESET_STATS] = { "resetting the statistics of pool",
				  "resetting statistics", "pool" },
	[PCTL_OP_OBJECTS] = { "listing the objects of pool",
			      "listing a pool's objects", "pool" },
};

/* Pool and region names are [a-z0-9_-], so no quoting trouble below. */
static void advise(struct ctl *ctl, enum pctl_op op, const char *what,
		   const struct pctl_ref *ref, int err)
{
	const char *kind = ops[op].kind;

	switch (err) {
	case -ENOENT:
		if (op == PCTL_OP_OPEN) {
			pctl_err("%s not found: is the pktpool module loaded? (insmod pktpool.ko)",
				 ctl->device);
			return;
		}
		if (op == PCTL_OP_NETLINK) {
			pctl_err("pktpool module not loaded: the generic netlink family '%s' is missing (insmod pktpool.ko)",
				 PKTPOOL_GENL_NAME);
			return;
		}
		if (kind && ref) {
			pctl_err("no %s %s (see '%s %slist')", kind, what,
				 pctl_prog, strcmp(kind, "pool") ? "region " : "");
			return;
		}
		break;
	case -EACCES:
		if (op == PCTL_OP_OPEN) {
			pctl_err("cannot open %s: permission denied (try as root)",
				 ctl->device);
			return;
		}
		break;
	case -EPERM:
		if (ops[op].needs) {
			pctl_err("%s needs CAP_NET_ADMIN (try as root)",
				 ops[op].needs);
			return;
		}
		if (op == PCTL_OP_REGION_DESTROY) {
			pctl_err("region %s belongs to another user: destroying it needs its owner or CAP_NET_ADMIN (try as root)",
				 what);
			return;
		}
		break;
	case -EEXIST:
		if (op == PCTL_OP_CREATE || op == PCTL_OP_REGION_CREATE) {
			pctl_err("a %s named %s already exists: choose another name or destroy it first ('%s %sdestroy %s')",
				 kind, what, pctl_prog,
				 op == PCTL_OP_CREATE ? "" : "region ",
				 ref ? ref->name : "");
			return;
		}
		break;
	case -EBUSY:
		if (op == PCTL_OP_DESTROY) {
			pctl_err("pool %s is busy: objects are still allocated from it or a kernel module holds it; free them or unload that module, then retry",
				 what);
			return;
		}
		break;
	case -ENOSPC:
		if (op == PCTL_OP_CREATE) {
			pctl_err("cannot create pool %s: the maximum number of pools exists (module parameter max_pools); destroy a pool first",
				 what);
			return;
		}
		if (op == PCTL_OP_REGION_CREATE) {
			pctl_err("cannot create region %s: too many regions (module parameter max_regions) or not enough of region_max_bytes left; destroy a region first",
				 what);
			return;
		}
		break;
	case -EINVAL:
	case -ERANGE:
		if (ctl->why && op == PCTL_OP_SET) {
			pctl_err("the kernel rejected the change to pool %s: %s",
				 what, ctl->why);
			return;
		}
		if (ctl->why) {
			pctl_err("the kernel rejected %s %s: %s", kind, what,
				 ctl->why);
			return;
		}
		if (err == -ERANGE)
			goto range;
		if (op == PCTL_OP_CREATE) {
			pctl_err("the kernel rejected pool %s: --size must be 1..largest size class (see '%s version'), --limit at most %llu, --reserve at most %u and not above a non-zero limit, --node -1 or an online node",
				 what, pctl_prog,
				 (unsigned long long)PKTPOOL_LIMIT_MAX,
				 PKTPOOL_RESERVE_MAX);
			return;
		}
		if (op == PCTL_OP_SET) {
			pctl_err("the kernel rejected the change to pool %s: --limit at most %llu, --reserve at most %u and not above a non-zero limit (the pool's current values count for what you do not change)",
				 what, (unsigned long long)PKTPOOL_LIMIT_MAX,
				 PKTPOOL_RESERVE_MAX);
			return;
		}
		if (op == PCTL_OP_REGION_CREATE) {
			pctl_err("the kernel rejected region %s: --slot-size must be a multiple of %u from %u to %u, --slots 1..module parameter region_max_slots, --mode at most 0777, --node -1 or an online node, and the whole region at most region_max_bytes",
				 what, PKTPOOL_REGION_SLOT_MIN,
				 PKTPOOL_REGION_SLOT_MIN,
				 PKTPOOL_REGION_SLOT_MAX);
			return;
		}
		break;
range:
		if (op == PCTL_OP_SET) {
			pctl_err("value out of range for pool %s: --limit at most %llu, --reserve at most %u",
				 what, (unsigned long long)PKTPOOL_LIMIT_MAX,
				 PKTPOOL_RESERVE_MAX);
			return;
		}
		break;
	case -ENOMEM:
		if (op == PCTL_OP_SET || op == PCTL_OP_CREATE ||
		    op == PCTL_OP_REGION_CREATE) {
			pctl_err("%s %s: out of memory (a smaller reserve or region may fit)",
				 ops[op].verb, what);
			return;
		}
		break;
	case -ENOTTY:
		pctl_err("%s does not understand pktpool requests: is it the pktpool device?",
			 ctl->device);
		return;
	case -E2BIG:
		pctl_err("the pktpool module is older than this tool and refused a request it does not know");
		return;
	case -EOPNOTSUPP:
		/* The kernel explains a pool without records; an old one cannot. */
		if (op == PCTL_OP_OBJECTS && ctl->nl.ext_msg[0]) {
			pctl_err("pool %s does not record its objects: only a debug pool does (create it with --debug, or load pktpool.ko with debug=1)",
				 what);
			return;
		}
		if (op != PCTL_OP_OPEN) {
			pctl_err("%s: the pktpool module does not support this request (older module?)",
				 ops[op].verb);
			return;
		}
		break;
	}
	if (ref)
		pctl_err("%s %s: %s", ops[op].verb, what, strerror(-err));
	else
		pctl_err("%s: %s", ops[op].verb, strerror(-err));
}

static const char *const pool_attr_names[] = {
	[PKTPOOL_A_POOL_ID] = "id", [PKTPOOL_A_POOL_NAME] = "name",
	[PKTPOOL_A_POOL_LIMIT] = "limit", [PKTPOOL_A_POOL_RESERVE] = "reserve",
};

_Static_assert((int)PKTPOOL_A_REGION_ID == (int)PKTPOOL_A_POOL_ID &&
	       (int)PKTPOOL_A_REGION_NAME == (int)PKTPOOL_A_POOL_NAME,
	       "region id and name share the pool's attribute numbers");

/* Print a failure, then what the kernel said about it; EXIT_FAIL. */
int pctl_report(struct ctl *ctl, enum pctl_op op, const struct pctl_ref *ref,
		int err)
{
	struct pctl_nl *nl = &ctl->nl;
	char what[64] = "";
	const char *attr = NULL;

	if (ref)
		pctl_ref_str(ref, what, sizeof(what));
	advise(ctl, op, what, ref, err);
	if (op == PCTL_OP_OPEN || !nl->ext_msg[0])
		return EXIT_FAIL;
	/* Region id and name have the same numbers as the pool's. */
	if (nl->ext_attr > 0 &&
	    (unsigned int)nl->ext_attr < PCTL_ARRAY_SIZE(pool_attr_names) &&
	    ops[op].kind &&
	    (!strcmp(ops[op].kind, "pool") ||
	     nl->ext_attr <= (int)PKTPOOL_A_POOL_NAME))
		attr = pool_attr_names[nl->ext_attr];
	if (attr)
		pctl_err("kernel says: %s (attribute %s)", nl->ext_msg, attr);
	else
		pctl_err("kernel says: %s", nl->ext_msg);
	nl->ext_msg[0] = '\0';
	return EXIT_FAIL;
}

int pctl_open_dev(struct ctl *ctl, bool write)
{
	int err;

	if (ctl->fd >= 0)
		return 0;
	err = pctl_dev_open(ctl, write);
	return err ? pctl_report(ctl, PCTL_OP_OPEN, NULL, err) : 0;
}

int pctl_open_nl(struct ctl *ctl)
{
	int err;

	if (ctl->nl.sock)
		return 0;
	err = pctl_nl_open(&ctl->nl);
	return err ? pctl_report(ctl, PCTL_OP_NETLINK, NULL, err) : 0;
}

/*
 * Both, the device first, read-write: for the commands that create or
 * destroy through ioctls. The device's mode and group (see
 * kmod/99-pktpool.rules) gate those; reads go through netlink alone,
 * which the module opens to every user (pctl_open_nl).
 */
int pctl_open(struct ctl *ctl)
{
	int err = pctl_open_dev(ctl, true);

	return err ? err : pctl_open_nl(ctl);
}
