// SPDX-License-Identifier: GPL-2.0
/*
 * pktpoolctl: the "pktpool" generic netlink family through libmnl, as
 * Documentation/netlink/specs/pktpool.yaml describes it.
 *
 * Every request asks for extended acks, so a failure comes back with the
 * kernel's message and, when it points at an attribute, the offset of that
 * attribute in our request; both are kept in struct pctl_nl for the error
 * layer. Records are filled from tables (one per attribute set) that also
 * drive the JSON output, so a new attribute is one line in a table.
 * No printing here: 0 or -errno.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/socket.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "pktpoolctl.h"

/* Dumps may come in skbs of up to 32 KiB when the reader offers as much. */
#define PCTL_NL_BUF	(32 * 1024)
/* Requests are a header and a few attributes. */
#define PCTL_REQ_SIZE	1024

#define FIELD(type_, attr, name, rec, member) \
	{ attr, type_, name, offsetof(struct rec, member) }

static const struct pctl_field pool_fields[] = {
	FIELD(PCTL_U32, PKTPOOL_A_POOL_ID, "id", pctl_pool, id),
	FIELD(PCTL_STR, PKTPOOL_A_POOL_NAME, "name", pctl_pool, name),
	FIELD(PCTL_U32, PKTPOOL_A_POOL_OBJ_SIZE, "obj_size", pctl_pool,
	      obj_size),
	FIELD(PCTL_U32, PKTPOOL_A_POOL_CLASS_SIZE, "class_size", pctl_pool,
	      class_size),
	FIELD(PCTL_S32, PKTPOOL_A_POOL_NODE, "node", pctl_pool, node),
	FIELD(PCTL_U32, PKTPOOL_A_POOL_FLAGS, "flags", pctl_pool, flags),
	FIELD(PCTL_U64, PKTPOOL_A_POOL_LIMIT, "limit", pctl_pool, limit),
	FIELD(PCTL_U64, PKTPOOL_A_POOL_RESERVE, "reserve", pctl_pool, reserve),
	FIELD(PCTL_U64, PKTPOOL_A_POOL_IN_USE, "in_use", pctl_pool, in_use),
	FIELD(PCTL_U64, PKTPOOL_A_POOL_PEAK, "peak", pctl_pool, peak),
	FIELD(PCTL_U64, PKTPOOL_A_POOL_ALLOCS, "allocs", pctl_pool, allocs),
	FIELD(PCTL_U64, PKTPOOL_A_POOL_FREES, "frees", pctl_pool, frees),
	FIELD(PCTL_U64, PKTPOOL_A_POOL_FAIL_LIMIT, "fail_limit", pctl_pool,
	      fail_limit),
	FIELD(PCTL_U64, PKTPOOL_A_POOL_FAIL_NOMEM, "fail_nomem", pctl_pool,
	      fail_nomem),
	FIELD(PCTL_U64, PKTPOOL_A_POOL_RESERVE_HITS, "reserve_hits", pctl_pool,
	      reserve_hits),
	FIELD(PCTL_U64, PKTPOOL_A_POOL_RESERVE_AVAIL, "reserve_avail",
	      pctl_pool, reserve_avail),
	FIELD(PCTL_U64, PKTPOOL_A_POOL_CACHED, "cached", pctl_pool, cached),
	FIELD(PCTL_U64, PKTPOOL_A_POOL_HOLDERS, "holders", pctl_pool, holders),
	FIELD(PCTL_U64, PKTPOOL_A_POOL_BAD_FREES, "bad_frees", pctl_pool,
	      bad_frees),
	FIELD(PCTL_U64, PKTPOOL_A_POOL_FAILS_SINCE, "fails_since", pctl_pool,
	      fails_since),
	FIELD(PCTL_U32, PKTPOOL_A_POOL_HEALTH, "health", pctl_pool, health),
};

static const struct pctl_field region_fields[] = {
	FIELD(PCTL_U32, PKTPOOL_A_REGION_ID, "id", pctl_region, id),
	FIELD(PCTL_STR, PKTPOOL_A_REGION_NAME, "name", pctl_region, name),
	FIELD(PCTL_U32, PKTPOOL_A_REGION_SLOT_SIZE, "slot_size", pctl_region,
	      slot_size),
	FIELD(PCTL_U32, PKTPOOL_A_REGION_SLOT_COUNT, "slot_count", pctl_region,
	      slot_count),
	FIELD(PCTL_S32, PKTPOOL_A_REGION_NODE, "node", pctl_region, node),
	FIELD(PCTL_U32, PKTPOOL_A_REGION_MODE, "mode", pctl_region, mode),
	FIELD(PCTL_U32, PKTPOOL_A_REGION_UID, "uid", pctl_region, uid),
	FIELD(PCTL_U32, PKTPOOL_A_REGION_GID, "gid", pctl_region, gid),
	FIELD(PCTL_U64, PKTPOOL_A_REGION_SIZE, "size", pctl_region, size),
	FIELD(PCTL_U64, PKTPOOL_A_REGION_ATTACHED, "attached", pctl_region,
	      attached),
	FIELD(PCTL_U64, PKTPOOL_A_REGION_MAPPINGS, "mappings", pctl_region,
	      mappings),
	FIELD(PCTL_U32, PKTPOOL_A_REGION_PID, "pid", pctl_region, pid),
	FIELD(PCTL_U32, PKTPOOL_A_REGION_ACCESS, "access", pctl_region, access),
	FIELD(PCTL_U64, PKTPOOL_A_REGION_KERNEL_SLOTS, "kernel_slots",
	      pctl_region, kernel_slots),
	FIELD(PCTL_U64, PKTPOOL_A_REGION_INFLIGHT_SLOTS, "inflight_slots",
	      pctl_region, inflight_slots),
	FIELD(PCTL_U64, PKTPOOL_A_REGION_USER_SLOTS, "user_slots",
	      pctl_region, user_slots),
	FIELD(PCTL_U64, PKTPOOL_A_REGION_RING_INVALID, "ring_invalid",
	      pctl_region, ring_invalid),
	FIELD(PCTL_U64, PKTPOOL_A_REGION_LIB_AGE_MS, "lib_age_ms",
	      pctl_region, lib_age_ms),
	FIELD(PCTL_U64, PKTPOOL_A_REGION_LIB_IN_USE, "lib_in_use",
	      pctl_region, lib_in_use),
	FIELD(PCTL_U64, PKTPOOL_A_REGION_LIB_CACHED, "lib_cached",
	      pctl_region, lib_cached),
	FIELD(PCTL_U64, PKTPOOL_A_REGION_LIB_FREE, "lib_free",
	      pctl_region, lib_free),
	FIELD(PCTL_U64, PKTPOOL_A_REGION_LIB_PEAK, "lib_peak",
	      pctl_region, lib_peak),
	FIELD(PCTL_U64, PKTPOOL_A_REGION_LIB_ALLOCS, "lib_allocs",
	      pctl_region, lib_allocs),
	FIELD(PCTL_U64, PKTPOOL_A_REGION_LIB_FREES, "lib_frees",
	      pctl_region, lib_frees),
	FIELD(PCTL_U64, PKTPOOL_A_REGION_LIB_FAILURES, "lib_failures",
	      pctl_region, lib_failures),
	FIELD(PCTL_U64, PKTPOOL_A_REGION_LIB_ERRORS, "lib_errors",
	      pctl_region, lib_errors),
	FIELD(PCTL_U64, PKTPOOL_A_REGION_LIB_RECLAIMED, "lib_reclaimed",
	      pctl_region, lib_reclaimed),
	FIELD(PCTL_U32, PKTPOOL_A_REGION_LIB_THREADS, "lib_threads",
	      pctl_region, lib_threads),
	FIELD(PCTL_U32, PKTPOOL_A_REGION_LIB_PROCS, "lib_procs",
	      pctl_region, lib_procs),
	FIELD(PCTL_U64, PKTPOOL_A_REGION_LIB_PROCS_AGE_MS, "lib_procs_age_ms",
	      pctl_region, lib_procs_age_ms),
};

/* One PKTPOOL_A_REGION_LIB_PROC nest; a malformed one is skipped whole. */
static void region_parse_more(const struct nlattr *attr, void *rec)
{
	struct pctl_region *r = rec;
	struct pctl_lib_proc e = { 0, 0, 0 };
	const struct nlattr *a;

	if (mnl_attr_get_type(attr) != PKTPOOL_A_REGION_LIB_PROC ||
	    mnl_attr_validate(attr, MNL_TYPE_NESTED) < 0 ||
	    r->nr_lib_proc >= PCTL_ARRAY_SIZE(r->lib_proc))
		return;
	mnl_attr_for_each_nested(a, attr) {
		switch (mnl_attr_get_type(a)) {
		case PKTPOOL_A_LIB_PROC_ID:
			if (mnl_attr_validate(a, MNL_TYPE_U32) < 0)
				return;
			e.id = mnl_attr_get_u32(a);
			break;
		case PKTPOOL_A_LIB_PROC_PID:
			if (mnl_attr_validate(a, MNL_TYPE_U32) < 0)
				return;
			e.pid = mnl_attr_get_u32(a);
			break;
		case PKTPOOL_A_LIB_PROC_HELD:
			if (mnl_attr_validate(a, MNL_TYPE_U64) < 0)
				return;
			e.held = mnl_attr_get_u64(a);
			break;
		}
	}
	if (e.id)
		r->lib_proc[r->nr_lib_proc++] = e;
}

static void region_json_more(struct pctl_json *j, const void *rec)
{
	const struct pctl_region *r = rec;
	unsigned int i;

	if (!(r->have & (1ULL << PKTPOOL_A_REGION_LIB_PROCS_AGE_MS)))
		return;
	pctl_json_arr(j, "lib_proc");
	for (i = 0; i < r->nr_lib_proc; i++) {
		pctl_json_obj(j, NULL);
		pctl_json_u64(j, "id", r->lib_proc[i].id);
		pctl_json_u64(j, "pid", r->lib_proc[i].pid);
		pctl_json_u64(j, "held", r->lib_proc[i].held);
		pctl_json_end_obj(j);
	}
	pctl_json_end_arr(j);
}

static const struct pctl_field class_fields[] = {
	FIELD(PCTL_U32, PKTPOOL_A_CLASS_SIZE, "size", pctl_class, size),
	FIELD(PCTL_STR, PKTPOOL_A_CLASS_NAME, "name", pctl_class, name),
	FIELD(PCTL_U32, PKTPOOL_A_CLASS_POOLS, "pools", pctl_class, pools),
	FIELD(PCTL_U64, PKTPOOL_A_CLASS_OBJECTS, "objects", pctl_class,
	      objects),
	FIELD(PCTL_U64, PKTPOOL_A_CLASS_BYTES, "bytes", pctl_class, bytes),
	FIELD(PCTL_U64, PKTPOOL_A_CLASS_IN_USE, "in_use", pctl_class, in_use),
};

const struct pctl_attr_set pctl_pool_attrs = {
	"pool", pool_fields, PCTL_ARRAY_SIZE(pool_fields), PKTPOOL_A_POOL_MAX,
	NULL, NULL,
};

const struct pctl_attr_set pctl_region_attrs = {
	"region", region_fields, PCTL_ARRAY_SIZE(region_fields),
	PKTPOOL_A_REGION_MAX, region_parse_more, region_json_more,
};

const struct pctl_attr_set pctl_class_attrs = {
	"class", class_fields, PCTL_ARRAY_SIZE(class_fields),
	PKTPOOL_A_CLASS_MAX, NULL, NULL,
};

static const char *const cmd_names[] = {
	[PKTPOOL_CMD_POOL_GET] = "pool-get",
	[PKTPOOL_CMD_POOL_SET] = "pool-set",
	[PKTPOOL_CMD_REGION_GET] = "region-get",
	[PKTPOOL_CMD_CLASS_GET] = "class-get",
	[PKTPOOL_CMD_POOL_ADD_NTF] = "pool-add-ntf",
	[PKTPOOL_CMD_POOL_DEL_NTF] = "pool-del-ntf",
	[PKTPOOL_CMD_POOL_CHANGE_NTF] = "pool-change-ntf",
	[PKTPOOL_CMD_POOL_LIMIT_NTF] = "pool-limit-ntf",
	[PKTPOOL_CMD_POOL_RESERVE_NTF] = "pool-reserve-ntf",
	[PKTPOOL_CMD_REGION_ATTACH_NTF] = "region-attach-ntf",
	[PKTPOOL_CMD_REGION_DETACH_NTF] = "region-detach-ntf",
	[PKTPOOL_CMD_POOL_HEALTH_NTF] = "pool-health-ntf",
	[PKTPOOL_CMD_POOL_OBJECTS_GET] = "pool-objects-get",
};

/* The spec's name of a command, NULL for one this tool does not know. */
const char *pctl_cmd_name(__u8 cmd)
{
	return cmd < PCTL_ARRAY_SIZE(cmd_names) ? cmd_names[cmd] : NULL;
}

/* Records */

static const struct pctl_field *field_of(const struct pctl_attr_set *set,
					 __u16 attr)
{
	unsigned int i;

	for (i = 0; i < set->nr_fields; i++)
		if (set->fields[i].attr == attr)
			return &set->fields[i];
	return NULL;
}

/*
 * Fill rec from a genetlink message of the set. Attributes this tool does
 * not know (a newer module) are skipped, so are ones of the wrong size.
 */
int pctl_parse_record(const struct pctl_attr_set *set,
		      const struct nlmsghdr *nlh, void *rec)
{
	const struct pctl_field *f;
	const struct nlattr *attr;
	uint64_t *have = rec;	/* every record starts with have */
	char *base = rec;

	mnl_attr_for_each(attr, nlh, GENL_HDRLEN) {
		__u16 type = mnl_attr_get_type(attr);

		f = field_of(set, type);
		if (!f) {
			if (set->parse_more)
				set->parse_more(attr, rec);
			continue;
		}
		switch (f->type) {
		case PCTL_U32:
		case PCTL_S32:
			if (mnl_attr_validate(attr, MNL_TYPE_U32) < 0)
				continue;
			memcpy(base + f->off, mnl_attr_get_payload(attr), 4);
			break;
		case PCTL_U64:
			if (mnl_attr_validate(attr, MNL_TYPE_U64) < 0)
				continue;
			memcpy(base + f->off, mnl_attr_get_payload(attr), 8);
			break;
		case PCTL_STR:
			if (mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) < 0)
				continue;
			snprintf(base + f->off, PKTPOOL_NAME_MAX, "%s",
				 mnl_attr_get_str(attr));
			break;
		}
		*have |= 1ULL << type;
	}
	return 0;
}

/* Requests, acks and extended acks */

/* One request in flight: what the receive callbacks need. */
struct nl_call {
	struct pctl_nl *nl;
	const struct nlmsghdr *req;
	mnl_cb_t cb;
	void *data;
};

/* Which attribute of our request sits at offset off, -1 for none. */
static int attr_at(const struct nlmsghdr *req, __u32 off)
{
	const struct nlattr *attr;

	mnl_attr_for_each(attr, req, GENL_HDRLEN)
		if ((const char *)attr - (const char *)req == (long)off)
			return mnl_attr_get_type(attr);
	return -1;
}

static int ext_attr_cb(const struct nlattr *attr, void *data)
{
	struct nl_call *call = data;

	switch (mnl_attr_get_type(attr)) {
	case NLMSGERR_ATTR_MSG:
		if (mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) >= 0)
			snprintf(call->nl->ext_msg, sizeof(call->nl->ext_msg),
				 "%s", mnl_attr_get_str(attr));
		break;
	case NLMSGERR_ATTR_OFFS:
		if (mnl_attr_validate(attr, MNL_TYPE_U32) >= 0)
			call->nl->ext_attr = attr_at(call->req,
						     mnl_attr_get_u32(attr));
		break;
	}
	return MNL_CB_OK;
}

static void parse_ext(struct nl_call *call, const struct nlmsghdr *nlh,
		      size_t off)
{
	size_t len = mnl_nlmsg_get_payload_len(nlh);

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS) || off >= len)
		return;
	mnl_attr_parse_payload((const char *)mnl_nlmsg_get_payload(nlh) + off,
			       len - off, ext_attr_cb, call);
}

static int error_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
	size_t off = sizeof(*e);

	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*e)) {
		errno = EBADMSG;
		return MNL_CB_ERROR;
	}
	/* Without NLM_F_CAPPED our whole request is echoed before the TLVs. */
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED) &&
	    e->msg.nlmsg_len >= sizeof(struct nlmsghdr))
		off = MNL_ALIGN(off + e->msg.nlmsg_len -
				sizeof(struct nlmsghdr));
	parse_ext(data, nlh, off);
	if (!e->error)
		return MNL_CB_STOP;
	errno = e->error < 0 ? -e->error : e->error;
	return MNL_CB_ERROR;
}

/* The end of a dump; a dump that failed part way carries the error. */
static int done_cb(const struct nlmsghdr *nlh, void *data)
{
	int err = 0;

	if (mnl_nlmsg_get_payload_len(nlh) >= sizeof(err))
		memcpy(&err, mnl_nlmsg_get_payload(nlh), sizeof(err));
	parse_ext(data, nlh, sizeof(err));
	if (err >= 0)
		return MNL_CB_STOP;
	errno = -err;
	return MNL_CB_ERROR;
}

static int data_cb(const struct nlmsghdr *nlh, void *data)
{
	struct nl_call *call = data;

	return call->cb ? call->cb(nlh, call->data) : MNL_CB_OK;
}

static mnl_cb_t ctl_cbs[NLMSG_MIN_TYPE] = {
	[NLMSG_ERROR] = error_cb,
	[NLMSG_DONE] = done_cb,
};

/* Send req and read until its ack, error or the end of its dump. */
static int nl_run(struct pctl_nl *nl, struct nlmsghdr *req, mnl_cb_t cb,
		  void *data)
{
	struct nl_call call = { nl, req, cb, data };
	ssize_t n;
	int ret;

	nl->ext_msg[0] = '\0';
	nl->ext_attr = -1;
	if (mnl_socket_sendto(nl->sock, req, req->nlmsg_len) < 0)
		return -errno;
	do {
		n = mnl_socket_recvfrom(nl->sock, nl->buf, nl->buf_size);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		ret = mnl_cb_run2(nl->buf, n, req->nlmsg_seq, nl->portid,
				  data_cb, &call, ctl_cbs,
				  PCTL_ARRAY_SIZE(ctl_cbs));
		if (ret < 0)
			return errno ? -errno : -EPROTO;
	} while (ret > 0);
	return 0;
}

static struct nlmsghdr *nl_req(struct pctl_nl *nl, char *buf, __u16 type,
			       __u8 cmd, __u8 version, __u16 flags)
{
	struct nlmsghdr *nlh;
	struct genlmsghdr *g;

	/* Attribute padding is sent too: no stack garbage to the kernel. */
	memset(buf, 0, PCTL_REQ_SIZE);
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	nlh->nlmsg_seq = ++nl->seq;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = cmd;
	g->version = version;
	return nlh;
}

/* The family: id, version and the monitor group */

static int family_grp_cb(const struct nlattr *attr, void *data)
{
	const struct nlattr *a;
	const char *name = NULL;
	__u32 id = 0;

	mnl_attr_for_each_nested(a, attr) {
		if (mnl_attr_get_type(a) == CTRL_ATTR_MCAST_GRP_NAME &&
		    mnl_attr_validate(a, MNL_TYPE_NUL_STRING) >= 0)
			name = mnl_attr_get_str(a);
		else if (mnl_attr_get_type(a) == CTRL_ATTR_MCAST_GRP_ID &&
			 mnl_attr_validate(a, MNL_TYPE_U32) >= 0)
			id = mnl_attr_get_u32(a);
	}
	if (name && !strcmp(name, PKTPOOL_GENL_MCGRP_MONITOR))
		((struct pctl_nl *)data)->mcgrp_monitor = id;
	return MNL_CB_OK;
}

static int family_attr_cb(const struct nlattr *attr, void *data)
{
	struct pctl_nl *nl = data;

	switch (mnl_attr_get_type(attr)) {
	case CTRL_ATTR_FAMILY_ID:
		if (mnl_attr_validate(attr, MNL_TYPE_U16) >= 0)
			nl->family = mnl_attr_get_u16(attr);
		break;
	case CTRL_ATTR_VERSION:
		if (mnl_attr_validate(attr, MNL_TYPE_U32) >= 0)
			nl->version = mnl_attr_get_u32(attr);
		break;
	case CTRL_ATTR_MCAST_GROUPS:
		mnl_attr_parse_nested(attr, family_grp_cb, nl);
		break;
	}
	return MNL_CB_OK;
}

static int family_cb(const struct nlmsghdr *nlh, void *data)
{
	return mnl_attr_parse(nlh, GENL_HDRLEN, family_attr_cb, data);
}

/*
 * Open a socket and look the family up: -ENOENT when the module is not
 * loaded (no such family).
 */
int pctl_nl_open(struct pctl_nl *nl)
{
	char req[PCTL_REQ_SIZE];
	struct nlmsghdr *nlh;
	int one = 1, err;

	memset(nl, 0, sizeof(*nl));
	nl->ext_attr = -1;
	nl->seq = (__u32)time(NULL);
	nl->buf_size = PCTL_NL_BUF;
	nl->buf = malloc(nl->buf_size);
	if (!nl->buf)
		return -ENOMEM;
	nl->sock = mnl_socket_open(NETLINK_GENERIC);
	if (!nl->sock || mnl_socket_bind(nl->sock, 0, MNL_SOCKET_AUTOPID) < 0) {
		err = -errno;
		pctl_nl_close(nl);
		return err;
	}
	nl->portid = mnl_socket_get_portid(nl->sock);
	/* Both are best effort: old kernels only lose the messages. */
	mnl_socket_setsockopt(nl->sock, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(nl->sock, NETLINK_CAP_ACK, &one, sizeof(one));

	nlh = nl_req(nl, req, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 1,
		     NLM_F_ACK);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, PKTPOOL_GENL_NAME);
	err = nl_run(nl, nlh, family_cb, nl);
	if (!err && !nl->family)
		err = -ENOENT;
	if (err) {
		pctl_nl_close(nl);
		nl->ext_attr = -1;
	}
	return err;
}

void pctl_nl_close(struct pctl_nl *nl)
{
	if (nl->sock)
		mnl_socket_close(nl->sock);
	nl->sock = NULL;
	free(nl->buf);
	nl->buf = NULL;
}

int pctl_nl_subscribe(struct pctl_nl *nl, __u32 group)
{
	if (mnl_socket_setsockopt(nl->sock, NETLINK_ADD_MEMBERSHIP, &group,
				  sizeof(group)) < 0)
		return -errno;
	return 0;
}

/* Gets, dumps and sets */

static void put_ref(struct nlmsghdr *nlh, __u16 id_attr, __u16 name_attr,
		    const struct pctl_ref *ref)
{
	if (ref->id)
		mnl_attr_put_u32(nlh, id_attr, ref->id);
	else
		mnl_attr_put_strz(nlh, name_attr, ref->name);
}

/* What a get or dump fills: one record, or a growing array of them. */
struct collect {
	const struct pctl_attr_set *set;
	__u8 cmd;
	size_t rec_size;
	void *recs;
	size_t nr;
	size_t cap;
	bool one;
};

static int collect_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct genlmsghdr *g = mnl_nlmsg_get_payload(nlh);
	struct collect *c = data;
	void *rec, *tmp;

	if (g->cmd != c->cmd)
		return MNL_CB_OK;
	if (c->one) {
		if (c->nr)
			return MNL_CB_OK;
	} else if (c->nr == c->cap) {
		c->cap = c->cap ? 2 * c->cap : 16;
		tmp = realloc(c->recs, c->cap * c->rec_size);
		if (!tmp) {
			errno = ENOMEM;
			return MNL_CB_ERROR;
		}
		c->recs = tmp;
	}
	rec = (char *)c->recs + c->nr * c->rec_size;
	memset(rec, 0, c->rec_size);
	pctl_parse_record(c->set, nlh, rec);
	c->nr++;
	return MNL_CB_OK;
}

static int get_one(struct pctl_nl *nl, __u8 cmd, const struct pctl_ref *ref,
		   __u16 id_attr, __u16 name_attr,
		   const struct pctl_attr_set *set, void *rec, size_t size)
{
	struct collect c = { set, cmd, size, rec, 0, 1, true };
	char req[PCTL_REQ_SIZE];
	struct nlmsghdr *nlh;
	int err;

	nlh = nl_req(nl, req, nl->family, cmd, PKTPOOL_GENL_VERSION,
		     NLM_F_ACK);
	put_ref(nlh, id_attr, name_attr, ref);
	err = nl_run(nl, nlh, collect_cb, &c);
	if (!err && !c.nr)
		err = -ENODATA;
	return err;
}

static int dump_all(struct pctl_nl *nl, __u8 cmd,
		    const struct pctl_attr_set *set, size_t size, void **recs,
		    size_t *nr)
{
	struct collect c = { set, cmd, size, NULL, 0, 0, false };
	char req[PCTL_REQ_SIZE];
	struct nlmsghdr *nlh;
	int err;

	nlh = nl_req(nl, req, nl->family, cmd, PKTPOOL_GENL_VERSION,
		     NLM_F_DUMP);
	err = nl_run(nl, nlh, collect_cb, &c);
	if (err) {
		free(c.recs);
		return err;
	}
	*recs = c.recs;
	*nr = c.nr;
	return 0;
}

int pctl_pool_get(struct pctl_nl *nl, const struct pctl_ref *ref,
		  struct pctl_pool *pool)
{
	return get_one(nl, PKTPOOL_CMD_POOL_GET, ref, PKTPOOL_A_POOL_ID,
		       PKTPOOL_A_POOL_NAME, &pctl_pool_attrs, pool,
		       sizeof(*pool));
}

int pctl_pool_dump(struct pctl_nl *nl, struct pctl_pool **pools, size_t *nr)
{
	return dump_all(nl, PKTPOOL_CMD_POOL_GET, &pctl_pool_attrs,
			sizeof(**pools), (void **)pools, nr);
}

/* limit, reserve: NULL to leave alone. */
int pctl_pool_set(struct pctl_nl *nl, const struct pctl_ref *ref,
		  const __u64 *limit, const __u64 *reserve)
{
	char req[PCTL_REQ_SIZE];
	struct nlmsghdr *nlh;

	nlh = nl_req(nl, req, nl->family, PKTPOOL_CMD_POOL_SET,
		     PKTPOOL_GENL_VERSION, NLM_F_ACK);
	put_ref(nlh, PKTPOOL_A_POOL_ID, PKTPOOL_A_POOL_NAME, ref);
	if (limit)
		mnl_attr_put_u64(nlh, PKTPOOL_A_POOL_LIMIT, *limit);
	if (reserve)
		mnl_attr_put_u64(nlh, PKTPOOL_A_POOL_RESERVE, *reserve);
	return nl_run(nl, nlh, NULL, NULL);
}

int pctl_region_get(struct pctl_nl *nl, const struct pctl_ref *ref,
		    struct pctl_region *region)
{
	return get_one(nl, PKTPOOL_CMD_REGION_GET, ref, PKTPOOL_A_REGION_ID,
		       PKTPOOL_A_REGION_NAME, &pctl_region_attrs, region,
		       sizeof(*region));
}

int pctl_region_dump(struct pctl_nl *nl, struct pctl_region **regions,
		     size_t *nr)
{
	return dump_all(nl, PKTPOOL_CMD_REGION_GET, &pctl_region_attrs,
			sizeof(**regions), (void **)regions, nr);
}

int pctl_class_dump(struct pctl_nl *nl, struct pctl_class **classes,
		    size_t *nr)
{
	return dump_all(nl, PKTPOOL_CMD_CLASS_GET, &pctl_class_attrs,
			sizeof(**classes), (void **)classes, nr);
}

/* pool-objects-get: one object per message, nested in PKTPOOL_A_POOL_OBJECT. */

struct objects {
	struct pctl_object *objs;
	size_t nr;
	size_t cap;
};

static void parse_object(const struct nlattr *nest, struct pctl_object *o)
{
	const struct nlattr *a;

	mnl_attr_for_each_nested(a, nest) {
		__u16 type = mnl_attr_get_type(a);

		switch (type) {
		case PKTPOOL_A_OBJECT_SEQ:
		case PKTPOOL_A_OBJECT_AGE_MS:
			if (mnl_attr_validate(a, MNL_TYPE_U64) < 0)
				continue;
			*(type == PKTPOOL_A_OBJECT_SEQ ? &o->seq : &o->age_ms) =
				mnl_attr_get_u64(a);
			break;
		case PKTPOOL_A_OBJECT_CONTEXT:
		case PKTPOOL_A_OBJECT_PID:
		case PKTPOOL_A_OBJECT_TID:
			if (mnl_attr_validate(a, MNL_TYPE_U32) < 0)
				continue;
			*(type == PKTPOOL_A_OBJECT_CONTEXT ? &o->context :
			  type == PKTPOOL_A_OBJECT_PID ? &o->pid : &o->tid) =
				mnl_attr_get_u32(a);
			break;
		case PKTPOOL_A_OBJECT_SITE:
		case PKTPOOL_A_OBJECT_COMM:
			if (mnl_attr_validate(a, MNL_TYPE_NUL_STRING) < 0)
				continue;
			if (type == PKTPOOL_A_OBJECT_SITE)
				snprintf(o->site, sizeof(o->site), "%s",
					 mnl_attr_get_str(a));
			else
				snprintf(o->comm, sizeof(o->comm), "%s",
					 mnl_attr_get_str(a));
			break;
		default:
			continue;	/* a newer module's */
		}
		o->have |= 1ULL << type;
	}
}

static int objects_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct genlmsghdr *g = mnl_nlmsg_get_payload(nlh);
	struct objects *c = data;
	const struct nlattr *attr;
	struct pctl_object *tmp;

	if (g->cmd != PKTPOOL_CMD_POOL_OBJECTS_GET)
		return MNL_CB_OK;
	mnl_attr_for_each(attr, nlh, GENL_HDRLEN) {
		if (mnl_attr_get_type(attr) != PKTPOOL_A_POOL_OBJECT ||
		    mnl_attr_validate(attr, MNL_TYPE_NESTED) < 0)
			continue;
		if (c->nr == c->cap) {
			c->cap = c->cap ? 2 * c->cap : 64;
			tmp = realloc(c->objs, c->cap * sizeof(*tmp));
			if (!tmp) {
				errno = ENOMEM;
				return MNL_CB_ERROR;
			}
			c->objs = tmp;
		}
		memset(&c->objs[c->nr], 0, sizeof(c->objs[c->nr]));
		parse_object(attr, &c->objs[c->nr++]);
	}
	return MNL_CB_OK;
}

int pctl_pool_objects_dump(struct pctl_nl *nl, const struct pctl_ref *ref,
			   struct pctl_object **objs, size_t *nr)
{
	struct objects c = { NULL, 0, 0 };
	char req[PCTL_REQ_SIZE];
	struct nlmsghdr *nlh;
	int err;

	nlh = nl_req(nl, req, nl->family, PKTPOOL_CMD_POOL_OBJECTS_GET,
		     PKTPOOL_GENL_VERSION, NLM_F_DUMP);
	put_ref(nlh, PKTPOOL_A_POOL_ID, PKTPOOL_A_POOL_NAME, ref);
	err = nl_run(nl, nlh, objects_cb, &c);
	if (err) {
		free(c.objs);
		return err;
	}
	*objs = c.objs;
	*nr = c.nr;
	return 0;
}
