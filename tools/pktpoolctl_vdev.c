// SPDX-License-Identifier: GPL-2.0
/*
 * pktpoolctl vdev: network devices of pktpool_vdev.ko bound to regions,
 * over its own generic netlink family ("pktpool_vdev",
 * Documentation/netlink/specs/pktpool_vdev.yaml), in the caller's network
 * namespace:
 *   vdev add IFNAME --region R [--mtu N] [--queue-max N] [--policy tail|head]
 *   vdev del IFNAME
 *   vdev list [--json]
 *   vdev show IFNAME [--json]
 * Arguments are checked before the family is looked up, so a usage error
 * is one (exit 2) with or without the module. Devices are named by their
 * interface name and sent to the kernel by index (if_nametoindex() in
 * this namespace, where the family looks them up too).
 */
#include <errno.h>
#include <getopt.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/pktpool_vdev.h>

#include "pktpoolctl.h"
#include "pktpoolctl_genl.h"

/* One device as the kernel described it; have bit N: attribute N came. */
struct vdev_rec {
	uint64_t have;
	__u32 ifindex, mtu, queue_max, staged;
	__u8 policy, carrier;
	char ifname[IFNAMSIZ];
	char region[PKTPOOL_NAME_MAX];
	/* In attribute order, TX_PACKETS..DROPPED_OTHER. */
	__u64 ctr[PKTPOOL_VDEV_A_DROPPED_OTHER - PKTPOOL_VDEV_A_TX_PACKETS + 1];
};

/* The counters, in attribute order: JSON name, text label. */
static const char *const ctr_names[][2] = {
	{ "tx_packets", "tx packets:" },
	{ "tx_bytes", "tx bytes:" },
	{ "rx_packets", "rx packets:" },
	{ "rx_bytes", "rx bytes:" },
	{ "staged_total", "staged total:" },
	{ "dropped_stage_full", "dropped (full):" },
	{ "dropped_no_daemon", "dropped (no daemon):" },
	{ "dropped_nomem", "dropped (nomem):" },
	{ "rx_invalid", "rx invalid:" },
	{ "dropped_other", "dropped (other):" },
};

_Static_assert(PCTL_ARRAY_SIZE(ctr_names) ==
	       PKTPOOL_VDEV_A_DROPPED_OTHER - PKTPOOL_VDEV_A_TX_PACKETS + 1,
	       "a name for every counter");

#define HAVE(r, a)	((r)->have & (1ULL << (a)))

static const char *policy_name(__u8 p)
{
	switch (p) {
	case PKTPOOL_VDEV_POLICY_TAIL:
		return "tail";
	case PKTPOOL_VDEV_POLICY_HEAD:
		return "head";
	}
	return "unknown";
}

/* One line "pktpoolctl: WHAT: ...", then the kernel's words; EXIT_FAIL. */
static int vdev_fail(struct pctl_genl *s, const char *what, const char *dev,
		     int err)
{
	char obj[64] = "";

	if (dev)
		snprintf(obj, sizeof(obj), " '%s'", dev);
	if (err == -ENOENT && !s->family) {
		pctl_err("pktpool_vdev module not loaded: the generic netlink family '%s' is missing (modprobe pktpool_vdev, or insmod pktpool_vdev.ko)",
			 PKTPOOL_VDEV_GENL_NAME);
		return EXIT_FAIL;
	}
	switch (err) {
	case -EPERM:
		pctl_err("%s needs CAP_NET_ADMIN (try as root)", what);
		break;
	case -EEXIST:
		pctl_err("%s%s: a network device of that name already exists in this namespace",
			 what, obj);
		break;
	case -ENODEV:
		pctl_err("%s%s: no pktpool_vdev device of that name in this namespace (see '%s vdev list')",
			 what, obj, pctl_prog);
		break;
	default:
		pctl_err("%s%s: %s", what, obj, strerror(-err));
	}
	if (s->ext[0])
		pctl_err("kernel says: %s", s->ext);
	return EXIT_FAIL;
}

/* Records */

static int rec_attr(const struct nlattr *a, void *data)
{
	struct vdev_rec *r = data;
	__u16 type = mnl_attr_get_type(a);

	switch (type) {
	case PKTPOOL_VDEV_A_IFINDEX:
	case PKTPOOL_VDEV_A_MTU:
	case PKTPOOL_VDEV_A_QUEUE_MAX:
	case PKTPOOL_VDEV_A_STAGED:
		if (mnl_attr_validate(a, MNL_TYPE_U32) < 0)
			return MNL_CB_OK;
		*(type == PKTPOOL_VDEV_A_IFINDEX ? &r->ifindex :
		  type == PKTPOOL_VDEV_A_MTU ? &r->mtu :
		  type == PKTPOOL_VDEV_A_QUEUE_MAX ? &r->queue_max :
		  &r->staged) = mnl_attr_get_u32(a);
		break;
	case PKTPOOL_VDEV_A_IFNAME:
	case PKTPOOL_VDEV_A_REGION:
		if (mnl_attr_validate(a, MNL_TYPE_NUL_STRING) < 0)
			return MNL_CB_OK;
		if (type == PKTPOOL_VDEV_A_IFNAME)
			snprintf(r->ifname, sizeof(r->ifname), "%s",
				 mnl_attr_get_str(a));
		else
			snprintf(r->region, sizeof(r->region), "%s",
				 mnl_attr_get_str(a));
		break;
	case PKTPOOL_VDEV_A_POLICY:
	case PKTPOOL_VDEV_A_CARRIER:
		if (mnl_attr_validate(a, MNL_TYPE_U8) < 0)
			return MNL_CB_OK;
		*(type == PKTPOOL_VDEV_A_POLICY ? &r->policy : &r->carrier) =
			mnl_attr_get_u8(a);
		break;
	default:
		if (type < PKTPOOL_VDEV_A_TX_PACKETS ||
		    type > PKTPOOL_VDEV_A_DROPPED_OTHER ||
		    mnl_attr_validate(a, MNL_TYPE_U64) < 0)
			return MNL_CB_OK;	/* a newer module's, or bad */
		r->ctr[type - PKTPOOL_VDEV_A_TX_PACKETS] = mnl_attr_get_u64(a);
	}
	r->have |= 1ULL << type;
	return MNL_CB_OK;
}

/* What a get or dump collects. */
struct vdev_list {
	struct vdev_rec *recs;
	size_t nr, cap;
};

static int collect_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct genlmsghdr *g = mnl_nlmsg_get_payload(nlh);
	struct vdev_list *l = data;
	struct vdev_rec *tmp;

	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*g) ||
	    g->cmd != PKTPOOL_VDEV_CMD_GET)
		return MNL_CB_OK;
	if (l->nr == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 8;
		tmp = realloc(l->recs, l->cap * sizeof(*tmp));
		if (!tmp) {
			errno = ENOMEM;
			return MNL_CB_ERROR;
		}
		l->recs = tmp;
	}
	memset(&l->recs[l->nr], 0, sizeof(l->recs[0]));
	mnl_attr_parse(nlh, GENL_HDRLEN, rec_attr, &l->recs[l->nr]);
	l->nr++;
	return MNL_CB_OK;
}

static int new_reply_cb(const struct nlmsghdr *nlh, void *data)
{
	return mnl_attr_parse(nlh, GENL_HDRLEN, rec_attr, data);
}

/* Output */

static void json_rec(struct pctl_json *j, const struct vdev_rec *r)
{
	unsigned int i;

	pctl_json_obj(j, NULL);
	if (HAVE(r, PKTPOOL_VDEV_A_IFINDEX))
		pctl_json_u64(j, "ifindex", r->ifindex);
	if (HAVE(r, PKTPOOL_VDEV_A_IFNAME))
		pctl_json_str(j, "ifname", r->ifname);
	if (HAVE(r, PKTPOOL_VDEV_A_REGION))
		pctl_json_str(j, "region", r->region);
	if (HAVE(r, PKTPOOL_VDEV_A_MTU))
		pctl_json_u64(j, "mtu", r->mtu);
	if (HAVE(r, PKTPOOL_VDEV_A_QUEUE_MAX))
		pctl_json_u64(j, "queue_max", r->queue_max);
	if (HAVE(r, PKTPOOL_VDEV_A_POLICY))
		pctl_json_str(j, "policy", policy_name(r->policy));
	if (HAVE(r, PKTPOOL_VDEV_A_CARRIER))
		pctl_json_u64(j, "carrier", r->carrier);
	if (HAVE(r, PKTPOOL_VDEV_A_STAGED))
		pctl_json_u64(j, "staged", r->staged);
	for (i = 0; i < PCTL_ARRAY_SIZE(ctr_names); i++)
		if (HAVE(r, PKTPOOL_VDEV_A_TX_PACKETS + i))
			pctl_json_u64(j, ctr_names[i][0], r->ctr[i]);
	pctl_json_end_obj(j);
}

/* A field the kernel did not send shows as "-". */
static const char *u64_or_dash(const struct vdev_rec *r, unsigned int attr,
			       __u64 v, char *buf, size_t size)
{
	return HAVE(r, attr) ? pctl_fmt_u64(v, buf, size) : "-";
}

static void print_rec(const struct vdev_rec *r)
{
	char buf[96];
	unsigned int i;

	pctl_kv("ifname:", r->ifname);
	pctl_kv("ifindex:", u64_or_dash(r, PKTPOOL_VDEV_A_IFINDEX, r->ifindex,
					buf, sizeof(buf)));
	pctl_kv("region:", HAVE(r, PKTPOOL_VDEV_A_REGION) ? r->region : "-");
	pctl_kv("mtu:", u64_or_dash(r, PKTPOOL_VDEV_A_MTU, r->mtu, buf,
				    sizeof(buf)));
	pctl_kv("queue max:", u64_or_dash(r, PKTPOOL_VDEV_A_QUEUE_MAX,
					  r->queue_max, buf, sizeof(buf)));
	pctl_kv("policy:", HAVE(r, PKTPOOL_VDEV_A_POLICY) ?
		policy_name(r->policy) : "-");
	pctl_kv("carrier:", !HAVE(r, PKTPOOL_VDEV_A_CARRIER) ? "-" :
		r->carrier ? "up (a daemon is attached)" :
		"down (no daemon)");
	pctl_kv("staged:", u64_or_dash(r, PKTPOOL_VDEV_A_STAGED, r->staged,
				       buf, sizeof(buf)));
	for (i = 0; i < PCTL_ARRAY_SIZE(ctr_names); i++)
		pctl_kv(ctr_names[i][1],
			u64_or_dash(r, PKTPOOL_VDEV_A_TX_PACKETS + i,
				    r->ctr[i], buf, sizeof(buf)));
}

enum { V_NAME, V_INDEX, V_REGION, V_MTU, V_QMAX, V_POLICY, V_CARRIER,
       V_STAGED, V_TX, V_RX, V_DROPS, V_INVALID, NR_VCOLS };

static const struct pctl_col vdev_cols[NR_VCOLS] = {
	{ "IFNAME", true }, { "IFINDEX", false }, { "REGION", true },
	{ "MTU", false }, { "QUEUE-MAX", false }, { "POLICY", true },
	{ "CARRIER", true }, { "STAGED", false }, { "TX-PACKETS", false },
	{ "RX-PACKETS", false }, { "DROPPED", false }, { "RX-INVALID", false },
};

static int print_table(const struct vdev_list *l)
{
	struct pctl_table t;
	size_t i;

	if (!l->nr) {
		printf("no devices\n");
		return 0;
	}
	pctl_table_init(&t, vdev_cols, NR_VCOLS);
	for (i = 0; i < l->nr; i++) {
		const struct vdev_rec *r = &l->recs[i];
		char (*row)[PCTL_CELL] = pctl_table_row(&t);
		const __u64 *c = r->ctr;

		if (!row) {
			pctl_table_free(&t);
			return -ENOMEM;
		}
		snprintf(row[V_NAME], PCTL_CELL, "%s", r->ifname);
		pctl_fmt_u64(r->ifindex, row[V_INDEX], PCTL_CELL);
		snprintf(row[V_REGION], PCTL_CELL, "%s", r->region);
		pctl_fmt_u64(r->mtu, row[V_MTU], PCTL_CELL);
		pctl_fmt_u64(r->queue_max, row[V_QMAX], PCTL_CELL);
		snprintf(row[V_POLICY], PCTL_CELL, "%s",
			 policy_name(r->policy));
		snprintf(row[V_CARRIER], PCTL_CELL, "%s",
			 r->carrier ? "up" : "down");
		pctl_fmt_u64(r->staged, row[V_STAGED], PCTL_CELL);
		pctl_fmt_u64(c[0], row[V_TX], PCTL_CELL);
		pctl_fmt_u64(c[PKTPOOL_VDEV_A_RX_PACKETS -
			       PKTPOOL_VDEV_A_TX_PACKETS], row[V_RX], PCTL_CELL);
		pctl_fmt_u64(c[PKTPOOL_VDEV_A_DROPPED_STAGE_FULL -
			       PKTPOOL_VDEV_A_TX_PACKETS] +
			     c[PKTPOOL_VDEV_A_DROPPED_NO_DAEMON -
			       PKTPOOL_VDEV_A_TX_PACKETS] +
			     c[PKTPOOL_VDEV_A_DROPPED_NOMEM -
			       PKTPOOL_VDEV_A_TX_PACKETS],
			     row[V_DROPS], PCTL_CELL);
		pctl_fmt_u64(c[PKTPOOL_VDEV_A_RX_INVALID -
			       PKTPOOL_VDEV_A_TX_PACKETS], row[V_INVALID],
			     PCTL_CELL);
	}
	pctl_table_print(&t, stdout, 0);
	pctl_table_free(&t);
	return 0;
}

/* Arguments, all checked before any netlink */

struct vdev_args {
	int op;			/* PKTPOOL_VDEV_CMD_*, or 0: help given */
	const char *ifname;
	const char *region;
	__u32 mtu, queue_max;	/* 0: the module's default */
	__u8 policy;		/* 0: the module's default */
};

#define VDEV_USAGE	"vdev add|del|list|show ..."
#define ADD_USAGE	"vdev add IFNAME --region REGION [--mtu N] [--queue-max N] [--policy tail|head]"
#define DEL_USAGE	"vdev del IFNAME"
#define LIST_USAGE	"vdev list [--json]"
#define SHOW_USAGE	"vdev show IFNAME [--json]"

static int ifname_ok(const char *name)
{
	size_t n = strlen(name);

	/* The kernel's dev_valid_name(), and no '%': a template is no name. */
	if (!n || n >= IFNAMSIZ || !strcmp(name, ".") || !strcmp(name, "..") ||
	    strpbrk(name, "/: \t\n%"))
		return pctl_usage_error("invalid interface name '%s': 1..%d characters, none of '/', ':', '%%' or blanks",
					name, IFNAMSIZ - 1);
	return 0;
}

static int parse_add(int argc, char **argv, struct vdev_args *a)
{
	static const struct option opts[] = {
		{ "region", required_argument, NULL, 'r' },
		{ "mtu", required_argument, NULL, 'm' },
		{ "queue-max", required_argument, NULL, 'q' },
		{ "policy", required_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c, err;

	optind = 0;	/* GNU getopt: start over, main() used it already */
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'r':
			a->region = optarg;
			break;
		case 'm':
			if (!pctl_parse_u32(optarg, &a->mtu) ||
			    a->mtu < PKTPOOL_VDEV_MTU_MIN ||
			    a->mtu > PKTPOOL_REGION_SLOT_MAX)
				return pctl_usage_error("invalid number for --mtu: '%s' (%d up to the region's slot size)",
							optarg,
							PKTPOOL_VDEV_MTU_MIN);
			break;
		case 'q':
			if (!pctl_parse_u32(optarg, &a->queue_max) ||
			    !a->queue_max ||
			    a->queue_max > PKTPOOL_VDEV_QUEUE_MAX)
				return pctl_usage_error("invalid number for --queue-max: '%s' (1..%d)",
							optarg,
							PKTPOOL_VDEV_QUEUE_MAX);
			break;
		case 'p':
			if (!strcmp(optarg, "tail"))
				a->policy = PKTPOOL_VDEV_POLICY_TAIL;
			else if (!strcmp(optarg, "head"))
				a->policy = PKTPOOL_VDEV_POLICY_HEAD;
			else
				return pctl_usage_error("--policy: tail or head, not '%s'",
							optarg);
			break;
		case 'h':
			printf("Usage: %s %s\n", pctl_prog, ADD_USAGE);
			a->op = 0;
			return -1;
		default:
			return pctl_usage_error("usage: %s %s", pctl_prog,
						ADD_USAGE);
		}
	}
	if (argc - optind != 1)
		return pctl_usage_error("usage: %s %s", pctl_prog, ADD_USAGE);
	a->ifname = argv[optind];
	err = ifname_ok(a->ifname);
	if (err)
		return err;
	if (!a->region)
		return pctl_usage_error("vdev add needs --region REGION");
	if (!pctl_name_valid(a->region))
		return pctl_usage_error("invalid region name '%s'", a->region);
	a->op = PKTPOOL_VDEV_CMD_NEW;
	return 0;
}

/* 0 with a filled in, -1 for an answered --help, or an exit status. */
static int parse_args(struct ctl *ctl, int argc, char **argv,
		      struct vdev_args *a)
{
	const char *sub;
	int err;

	memset(a, 0, sizeof(*a));
	if (argc < 2)
		return pctl_usage_error("usage: %s %s", pctl_prog, VDEV_USAGE);
	sub = argv[1];
	if (!strcmp(sub, "add"))
		return parse_add(argc - 1, argv + 1, a);
	if (!strcmp(sub, "del")) {
		/* No options: a name starting with '-' is refused below. */
		if (argc == 3 && !strcmp(argv[2], "--help")) {
			printf("Usage: %s %s\n", pctl_prog, DEL_USAGE);
			return -1;
		}
		if (argc != 3 || argv[2][0] == '-')
			return pctl_usage_error("usage: %s %s", pctl_prog,
						DEL_USAGE);
		a->ifname = argv[2];
		a->op = PKTPOOL_VDEV_CMD_DEL;
		return ifname_ok(a->ifname);
	}
	if (!strcmp(sub, "list")) {
		err = pctl_simple_args(ctl, argc - 1, argv + 1, 0, LIST_USAGE);
		a->op = PKTPOOL_VDEV_CMD_GET;
		return err;
	}
	if (!strcmp(sub, "show")) {
		err = pctl_simple_args(ctl, argc - 1, argv + 1, 1, SHOW_USAGE);
		if (err)
			return err;
		a->ifname = argv[1 + optind];
		a->op = PKTPOOL_VDEV_CMD_GET;
		return ifname_ok(a->ifname);
	}
	if (!strcmp(sub, "--help") || !strcmp(sub, "help")) {
		printf("Usage: %s %s\n       %s %s\n       %s %s\n       %s %s\n",
		       pctl_prog, ADD_USAGE, pctl_prog, DEL_USAGE, pctl_prog,
		       LIST_USAGE, pctl_prog, SHOW_USAGE);
		return -1;
	}
	return pctl_usage_error("unknown vdev command '%s' (add, del, list or show)",
				sub);
}

/* Commands */

static int vdev_add(struct pctl_genl *s, const struct vdev_args *a)
{
	struct vdev_rec r = { 0 };
	char req[PCTL_GENL_REQ];
	struct nlmsghdr *nlh;
	int err;

	nlh = pctl_genl_req(s, req, s->family, PKTPOOL_VDEV_CMD_NEW, NLM_F_ACK);
	mnl_attr_put_strz(nlh, PKTPOOL_VDEV_A_IFNAME, a->ifname);
	mnl_attr_put_strz(nlh, PKTPOOL_VDEV_A_REGION, a->region);
	if (a->mtu)
		mnl_attr_put_u32(nlh, PKTPOOL_VDEV_A_MTU, a->mtu);
	if (a->queue_max)
		mnl_attr_put_u32(nlh, PKTPOOL_VDEV_A_QUEUE_MAX, a->queue_max);
	if (a->policy)
		mnl_attr_put_u8(nlh, PKTPOOL_VDEV_A_POLICY, a->policy);
	err = pctl_genl_run(s, nlh, new_reply_cb, &r);
	if (err == -ENOENT) {
		pctl_err("creating device '%s': no region '%s' (see '%s region list')",
			 a->ifname, a->region, pctl_prog);
		if (s->ext[0])
			pctl_err("kernel says: %s", s->ext);
		return EXIT_FAIL;
	}
	if (err)
		return vdev_fail(s, "creating device", a->ifname, err);
	printf("created device '%s' (ifindex %u) on region '%s'\n",
	       HAVE(&r, PKTPOOL_VDEV_A_IFNAME) ? r.ifname : a->ifname,
	       r.ifindex, a->region);
	return EXIT_OK;
}

/* The device's index in this namespace, 0 with a message when none. */
static __u32 ifindex_of(const char *ifname, const char *what)
{
	unsigned int i = if_nametoindex(ifname);

	if (!i)
		pctl_err("%s '%s': no network device of that name in this namespace (see '%s vdev list')",
			 what, ifname, pctl_prog);
	return i;
}

static int vdev_del(struct pctl_genl *s, const struct vdev_args *a)
{
	char req[PCTL_GENL_REQ];
	struct nlmsghdr *nlh;
	__u32 ifindex = ifindex_of(a->ifname, "deleting device");
	int err;

	if (!ifindex)
		return EXIT_FAIL;
	nlh = pctl_genl_req(s, req, s->family, PKTPOOL_VDEV_CMD_DEL, NLM_F_ACK);
	mnl_attr_put_u32(nlh, PKTPOOL_VDEV_A_IFINDEX, ifindex);
	err = pctl_genl_run(s, nlh, NULL, NULL);
	if (err)
		return vdev_fail(s, "deleting device", a->ifname, err);
	printf("deleted device '%s' (ifindex %u)\n", a->ifname, ifindex);
	return EXIT_OK;
}

static int vdev_get(struct ctl *ctl, struct pctl_genl *s,
		    const struct vdev_args *a)
{
	struct vdev_list l = { 0 };
	struct pctl_json j;
	char req[PCTL_GENL_REQ];
	struct nlmsghdr *nlh;
	__u32 ifindex = 0;
	size_t i;
	int err;

	if (a->ifname) {
		ifindex = ifindex_of(a->ifname, "reading device");
		if (!ifindex)
			return EXIT_FAIL;
		nlh = pctl_genl_req(s, req, s->family, PKTPOOL_VDEV_CMD_GET,
			       NLM_F_ACK);
		mnl_attr_put_u32(nlh, PKTPOOL_VDEV_A_IFINDEX, ifindex);
	} else {
		nlh = pctl_genl_req(s, req, s->family, PKTPOOL_VDEV_CMD_GET,
			       NLM_F_DUMP);
	}
	err = pctl_genl_run(s, nlh, collect_cb, &l);
	if (!err && a->ifname && !l.nr)
		err = -ENODATA;
	if (err) {
		free(l.recs);
		return vdev_fail(s, a->ifname ? "reading device" :
				 "listing devices", a->ifname, err);
	}
	if (ctl->json) {
		pctl_json_init(&j, stdout);
		if (!a->ifname)
			pctl_json_arr(&j, NULL);
		for (i = 0; i < l.nr && (!a->ifname || i < 1); i++)
			json_rec(&j, &l.recs[i]);
		if (!a->ifname)
			pctl_json_end_arr(&j);
		pctl_json_done(&j);
	} else if (a->ifname) {
		print_rec(&l.recs[0]);
	} else if (print_table(&l)) {
		free(l.recs);
		return vdev_fail(s, "listing devices", NULL, -ENOMEM);
	}
	free(l.recs);
	return EXIT_OK;
}

int pctl_cmd_vdev(struct ctl *ctl, int argc, char **argv)
{
	struct vdev_args a;
	struct pctl_genl *s;
	int err, ret;

	err = parse_args(ctl, argc, argv, &a);
	if (err)
		return err;
	s = calloc(1, sizeof(*s));
	if (!s) {
		pctl_err("vdev: %s", strerror(ENOMEM));
		return EXIT_FAIL;
	}
	err = pctl_genl_open(s, PKTPOOL_VDEV_GENL_NAME,
			     PKTPOOL_VDEV_GENL_VERSION);
	if (err) {
		ret = vdev_fail(s, "vdev", NULL, err);
		free(s);
		return ret;
	}
	switch (a.op) {
	case PKTPOOL_VDEV_CMD_NEW:
		ret = vdev_add(s, &a);
		break;
	case PKTPOOL_VDEV_CMD_DEL:
		ret = vdev_del(s, &a);
		break;
	default:
		ret = vdev_get(ctl, s, &a);
	}
	pctl_genl_close(s);
	free(s);
	return ret;
}
