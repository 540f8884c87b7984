// SPDX-License-Identifier: GPL-2.0
/*
 * pktpoolctl_nlerr: send the pktpool generic netlink family requests it
 * must refuse, and check how: the errno, the extended ack's message word
 * for word and, where the kernel blames an attribute, that the offset it
 * reports is that attribute's in our request. Written straight on libmnl,
 * apart from pktpoolctl, so that it tests the kernel and not the tool.
 *
 *   pktpoolctl_nlerr --list          one line per case: NAME, who runs it
 *                                    (root or nocap), what it checks
 *   pktpoolctl_nlerr [--pool P] CASE run one case; P is a scratch pool
 *                                    the pool-set cases aim at (they must
 *                                    not change it); default "nlerr"
 *
 * Exit status: 0 the kernel answered as expected, 1 it did not, 2 usage.
 * The nocap cases are meant to run under build/selftests/pktpool_nocap.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/pktpool.h>

static const char *pool = "nlerr";
static __u16 family;

/* The request being built and the attribute the kernel should blame. */
struct req {
	char buf[8192];
	struct nlmsghdr *nlh;
	struct genlmsghdr *genl;
	long blame;		/* offset of that attribute, -1 none */
};

/* What came back. */
struct answer {
	int error;		/* 0 or a negative errno */
	bool acked;
	int replies;		/* messages of the family */
	char msg[256];
	long offs;		/* -1 none */
};

static void req_init(struct req *r, __u8 cmd, __u16 flags)
{
	memset(r, 0, sizeof(*r));
	r->nlh = mnl_nlmsg_put_header(r->buf);
	r->nlh->nlmsg_type = family;
	r->nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	r->nlh->nlmsg_seq = 1;
	r->genl = mnl_nlmsg_put_extra_header(r->nlh, sizeof(*r->genl));
	r->genl->cmd = cmd;
	r->genl->version = PKTPOOL_GENL_VERSION;
	r->blame = -1;
}

/* Add an attribute of any length; blame: the kernel should point here. */
static void put(struct req *r, __u16 type, const void *data, size_t len,
		bool blame)
{
	if (blame)
		r->blame = (char *)mnl_nlmsg_get_payload_tail(r->nlh) -
			   (char *)r->nlh;
	mnl_attr_put(r->nlh, type, len, data);
}

static void put_u32(struct req *r, __u16 type, __u32 v, bool blame)
{
	put(r, type, &v, sizeof(v), blame);
}

static void put_u64(struct req *r, __u16 type, __u64 v, bool blame)
{
	put(r, type, &v, sizeof(v), blame);
}

static void put_str(struct req *r, __u16 type, const char *s, bool blame)
{
	put(r, type, s, strlen(s) + 1, blame);
}

static int ext_cb(const struct nlattr *attr, void *data)
{
	struct answer *a = data;

	if (mnl_attr_get_type(attr) == NLMSGERR_ATTR_MSG &&
	    mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) >= 0)
		snprintf(a->msg, sizeof(a->msg), "%s", mnl_attr_get_str(attr));
	if (mnl_attr_get_type(attr) == NLMSGERR_ATTR_OFFS &&
	    mnl_attr_validate(attr, MNL_TYPE_U32) >= 0)
		a->offs = mnl_attr_get_u32(attr);
	return MNL_CB_OK;
}

/* The TLVs after the nlmsgerr and, uncapped, after the echoed request. */
static void parse_error(const struct nlmsghdr *nlh, struct answer *a)
{
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
	size_t len = mnl_nlmsg_get_payload_len(nlh), off = sizeof(*e);

	a->error = e->error;
	/* The kernel pads the echo to 4 bytes before the TLVs. */
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		off = MNL_ALIGN(off + e->msg.nlmsg_len -
				sizeof(struct nlmsghdr));
	if ((nlh->nlmsg_flags & NLM_F_ACK_TLVS) && off < len)
		mnl_attr_parse_payload((const char *)e + off, len - off,
				       ext_cb, a);
}

/*
 * The end of a dump: a dump that failed once it had started carries the
 * errno, and the extack TLVs after it (the offset only from 6.2 or so).
 */
static void parse_done(const struct nlmsghdr *nlh, struct answer *a)
{
	size_t len = mnl_nlmsg_get_payload_len(nlh);
	int err;

	if (len < sizeof(err))
		return;
	memcpy(&err, mnl_nlmsg_get_payload(nlh), sizeof(err));
	a->error = err < 0 ? err : 0;
	if ((nlh->nlmsg_flags & NLM_F_ACK_TLVS) && len > sizeof(err))
		mnl_attr_parse_payload((const char *)mnl_nlmsg_get_payload(nlh) +
				       sizeof(err), len - sizeof(err),
				       ext_cb, a);
}

/* Send r, read until its ack, error or end of dump. */
static int exchange(struct mnl_socket *sock, struct req *r, struct answer *a)
{
	static char buf[32768];
	ssize_t n;

	memset(a, 0, sizeof(*a));
	a->offs = -1;
	if (mnl_socket_sendto(sock, r->nlh, r->nlh->nlmsg_len) < 0)
		return -errno;
	for (;;) {
		const struct nlmsghdr *nlh;
		int len;

		n = mnl_socket_recvfrom(sock, buf, sizeof(buf));
		if (n < 0)
			return -errno;
		len = (int)n;
		for (nlh = (const struct nlmsghdr *)buf; mnl_nlmsg_ok(nlh, len);
		     nlh = mnl_nlmsg_next(nlh, &len)) {
			if (nlh->nlmsg_type == NLMSG_ERROR) {
				parse_error(nlh, a);
				a->acked = !a->error;
				return 0;
			}
			if (nlh->nlmsg_type == NLMSG_DONE) {
				parse_done(nlh, a);
				a->acked = !a->error;
				return 0;
			}
			if (nlh->nlmsg_type == family)
				a->replies++;
		}
	}
}

static int resolve(struct mnl_socket *sock)
{
	struct answer a;
	struct req r;
	char buf[8192];
	const struct nlmsghdr *nlh;
	const struct nlattr *attr;
	ssize_t n;

	req_init(&r, CTRL_CMD_GETFAMILY, 0);
	r.nlh->nlmsg_type = GENL_ID_CTRL;
	r.genl->version = 1;
	put_str(&r, CTRL_ATTR_FAMILY_NAME, PKTPOOL_GENL_NAME, false);
	memset(&a, 0, sizeof(a));
	if (mnl_socket_sendto(sock, r.nlh, r.nlh->nlmsg_len) < 0)
		return -errno;
	n = mnl_socket_recvfrom(sock, buf, sizeof(buf));
	if (n < 0)
		return -errno;
	nlh = (const struct nlmsghdr *)buf;
	if (nlh->nlmsg_type == NLMSG_ERROR) {
		parse_error(nlh, &a);
		return a.error ? a.error : -EPROTO;
	}
	mnl_attr_for_each(attr, nlh, GENL_HDRLEN)
		if (mnl_attr_get_type(attr) == CTRL_ATTR_FAMILY_ID)
			family = mnl_attr_get_u16(attr);
	return family ? 0 : -ENOENT;
}

/* The cases */

struct expect {
	int error;		/* negative errno, 0 for success */
	const char *msg;	/* exact extack message, NULL: none expected */
	int min_replies;	/* for successes */
};

struct nlcase {
	const char *name;
	const char *who;	/* "root" or "nocap" */
	const char *what;
	void (*build)(struct req *r);
	struct expect want;
};

static char long_name[64];

static void unknown_pool_name(struct req *r)
{
	req_init(r, PKTPOOL_CMD_POOL_GET, NLM_F_ACK);
	put_str(r, PKTPOOL_A_POOL_NAME, "no-such-pool", true);
}

static void unknown_pool_id(struct req *r)
{
	req_init(r, PKTPOOL_CMD_POOL_GET, NLM_F_ACK);
	put_u32(r, PKTPOOL_A_POOL_ID, 0x7ffffffe, true);
}

static void set_unknown_pool(struct req *r)
{
	req_init(r, PKTPOOL_CMD_POOL_SET, NLM_F_ACK);
	put_str(r, PKTPOOL_A_POOL_NAME, "no-such-pool", true);
	put_u64(r, PKTPOOL_A_POOL_LIMIT, 10, false);
}

static void get_without_ref(struct req *r)
{
	req_init(r, PKTPOOL_CMD_POOL_GET, NLM_F_ACK);
}

static void get_id_and_name(struct req *r)
{
	req_init(r, PKTPOOL_CMD_POOL_GET, NLM_F_ACK);
	put_u32(r, PKTPOOL_A_POOL_ID, 1, false);
	put_str(r, PKTPOOL_A_POOL_NAME, pool, false);
}

static void set_without_ref(struct req *r)
{
	req_init(r, PKTPOOL_CMD_POOL_SET, NLM_F_ACK);
	put_u64(r, PKTPOOL_A_POOL_LIMIT, 10, false);
}

static void set_nothing(struct req *r)
{
	req_init(r, PKTPOOL_CMD_POOL_SET, NLM_F_ACK);
	put_str(r, PKTPOOL_A_POOL_NAME, pool, false);
}

static void set_reserve_above_limit(struct req *r)
{
	req_init(r, PKTPOOL_CMD_POOL_SET, NLM_F_ACK);
	put_str(r, PKTPOOL_A_POOL_NAME, pool, false);
	put_u64(r, PKTPOOL_A_POOL_LIMIT, 10, false);
	put_u64(r, PKTPOOL_A_POOL_RESERVE, 20, false);
}

static void set_limit_too_big(struct req *r)
{
	req_init(r, PKTPOOL_CMD_POOL_SET, NLM_F_ACK);
	put_str(r, PKTPOOL_A_POOL_NAME, pool, false);
	put_u64(r, PKTPOOL_A_POOL_LIMIT, PKTPOOL_LIMIT_MAX + 1, true);
}

static void set_reserve_too_big(struct req *r)
{
	req_init(r, PKTPOOL_CMD_POOL_SET, NLM_F_ACK);
	put_str(r, PKTPOOL_A_POOL_NAME, pool, false);
	put_u64(r, PKTPOOL_A_POOL_RESERVE, PKTPOOL_RESERVE_MAX + 1, true);
}

static void region_without_ref(struct req *r)
{
	req_init(r, PKTPOOL_CMD_REGION_GET, NLM_F_ACK);
}

static void unknown_region(struct req *r)
{
	req_init(r, PKTPOOL_CMD_REGION_GET, NLM_F_ACK);
	put_str(r, PKTPOOL_A_REGION_NAME, "no-such-region", false);
}

static void name_32(struct req *r)
{
	memset(long_name, 'a', 32);
	long_name[32] = '\0';
	req_init(r, PKTPOOL_CMD_POOL_GET, NLM_F_ACK);
	put_str(r, PKTPOOL_A_POOL_NAME, long_name, true);
}

static void name_31(struct req *r)
{
	memset(long_name, 'a', 31);
	long_name[31] = '\0';
	req_init(r, PKTPOOL_CMD_POOL_GET, NLM_F_ACK);
	put_str(r, PKTPOOL_A_POOL_NAME, long_name, true);
}

static void name_60(struct req *r)
{
	memset(long_name, 'a', 60);
	long_name[60] = '\0';
	req_init(r, PKTPOOL_CMD_POOL_GET, NLM_F_ACK);
	put_str(r, PKTPOOL_A_POOL_NAME, long_name, true);
}

static void name_unterminated(struct req *r)
{
	req_init(r, PKTPOOL_CMD_POOL_GET, NLM_F_ACK);
	put(r, PKTPOOL_A_POOL_NAME, "fw", 2, true);
}

static void region_name_32(struct req *r)
{
	memset(long_name, 'r', 32);
	long_name[32] = '\0';
	req_init(r, PKTPOOL_CMD_REGION_GET, NLM_F_ACK);
	put_str(r, PKTPOOL_A_REGION_NAME, long_name, true);
}

static void id_zero(struct req *r)
{
	req_init(r, PKTPOOL_CMD_POOL_GET, NLM_F_ACK);
	put_u32(r, PKTPOOL_A_POOL_ID, 0, true);
}

static void id_short(struct req *r)
{
	__u16 id = 1;

	req_init(r, PKTPOOL_CMD_POOL_GET, NLM_F_ACK);
	put(r, PKTPOOL_A_POOL_ID, &id, sizeof(id), true);
}

static void attr_unknown(struct req *r)
{
	req_init(r, PKTPOOL_CMD_POOL_GET, NLM_F_ACK);
	put_str(r, PKTPOOL_A_POOL_NAME, pool, false);
	put_u32(r, PKTPOOL_A_POOL_MAX + 10, 1, true);
}

static void attr_reply_only(struct req *r)
{
	req_init(r, PKTPOOL_CMD_POOL_GET, NLM_F_ACK);
	put_str(r, PKTPOOL_A_POOL_NAME, pool, false);
	put_u64(r, PKTPOOL_A_POOL_IN_USE, 0, true);
}

static void attr_nested_flag(struct req *r)
{
	req_init(r, PKTPOOL_CMD_POOL_GET, NLM_F_ACK);
	put_u32(r, PKTPOOL_A_POOL_ID | NLA_F_NESTED, 1, true);
}

static void trailing_bytes(struct req *r)
{
	req_init(r, PKTPOOL_CMD_POOL_GET, NLM_F_ACK);
	put_str(r, PKTPOOL_A_POOL_NAME, pool, false);
	/* Two bytes too few for an attribute header. */
	memset(mnl_nlmsg_get_payload_tail(r->nlh), 0, 4);
	r->nlh->nlmsg_len += 2;
}

static void dump_bad_attr(struct req *r)
{
	req_init(r, PKTPOOL_CMD_POOL_GET, NLM_F_DUMP | NLM_F_ACK);
	put_u32(r, PKTPOOL_A_POOL_MAX + 10, 1, true);
}

static void unknown_cmd(struct req *r)
{
	req_init(r, PKTPOOL_CMD_MAX + 50, NLM_F_ACK);
}

static void class_get_do(struct req *r)
{
	req_init(r, PKTPOOL_CMD_CLASS_GET, NLM_F_ACK);
}

static void ntf_as_request(struct req *r)
{
	req_init(r, PKTPOOL_CMD_POOL_LIMIT_NTF, NLM_F_ACK);
}

static void reserved_set(struct req *r)
{
	req_init(r, PKTPOOL_CMD_POOL_GET, NLM_F_ACK);
	r->genl->reserved = 1;
	put_str(r, PKTPOOL_A_POOL_NAME, pool, false);
}

static void flags_create(struct req *r)
{
	req_init(r, PKTPOOL_CMD_POOL_GET, NLM_F_ACK | NLM_F_CREATE);
	put_str(r, PKTPOOL_A_POOL_NAME, pool, false);
}

static void no_genl_header(struct req *r)
{
	req_init(r, PKTPOOL_CMD_POOL_GET, NLM_F_ACK);
	r->nlh->nlmsg_len = sizeof(struct nlmsghdr) + 2;
}

static void get_ok(struct req *r)
{
	req_init(r, PKTPOOL_CMD_POOL_GET, NLM_F_ACK);
	put_str(r, PKTPOOL_A_POOL_NAME, pool, false);
}

static void dump_ok(struct req *r)
{
	req_init(r, PKTPOOL_CMD_POOL_GET, NLM_F_DUMP);
}

/*
 * pool-objects-get is a dump: its errors come in NLMSG_DONE, and the
 * attribute's offset only on newer kernels, so none is blamed here.
 */
static void objects_unknown_pool(struct req *r)
{
	req_init(r, PKTPOOL_CMD_POOL_OBJECTS_GET, NLM_F_DUMP);
	put_str(r, PKTPOOL_A_POOL_NAME, "no-such-pool", false);
}

static void objects_not_debug(struct req *r)
{
	req_init(r, PKTPOOL_CMD_POOL_OBJECTS_GET, NLM_F_DUMP);
	put_str(r, PKTPOOL_A_POOL_NAME, pool, false);
}

static void objects_without_ref(struct req *r)
{
	req_init(r, PKTPOOL_CMD_POOL_OBJECTS_GET, NLM_F_DUMP);
}

static void objects_id_and_name(struct req *r)
{
	req_init(r, PKTPOOL_CMD_POOL_OBJECTS_GET, NLM_F_DUMP);
	put_u32(r, PKTPOOL_A_POOL_ID, 1, false);
	put_str(r, PKTPOOL_A_POOL_NAME, pool, false);
}

static void objects_do(struct req *r)
{
	req_init(r, PKTPOOL_CMD_POOL_OBJECTS_GET, NLM_F_ACK);
	put_str(r, PKTPOOL_A_POOL_NAME, pool, false);
}

/* Kernel symbols: the check comes before the lookup, as for pool-set. */
static void objects_nocap(struct req *r)
{
	req_init(r, PKTPOOL_CMD_POOL_OBJECTS_GET, NLM_F_DUMP);
	put_str(r, PKTPOOL_A_POOL_NAME, "no-such-pool", false);
}

/*
 * The permission check comes before the lookup: a pool that does not
 * exist gets EPERM too, and nothing could change if the check failed.
 */
static void set_nocap(struct req *r)
{
	req_init(r, PKTPOOL_CMD_POOL_SET, NLM_F_ACK);
	put_str(r, PKTPOOL_A_POOL_NAME, "no-such-pool", false);
	put_u64(r, PKTPOOL_A_POOL_LIMIT, 1, false);
}

#define POLICY	"Attribute failed policy validation"
#define RANGE	"integer out of range"

static const struct nlcase cases[] = {
	{ "unknown-pool-name", "root",
	  "pool-get of an unknown name: ENOENT, 'no such pool' at the name",
	  unknown_pool_name, { -ENOENT, "no such pool", 0 } },
	{ "unknown-pool-id", "root",
	  "pool-get of an unknown id: ENOENT, 'no such pool' at the id",
	  unknown_pool_id, { -ENOENT, "no such pool", 0 } },
	{ "set-unknown-pool", "root",
	  "pool-set of an unknown pool: ENOENT, 'no such pool' at the name",
	  set_unknown_pool, { -ENOENT, "no such pool", 0 } },
	{ "get-without-id-or-name", "root",
	  "pool-get do without id or name: EINVAL with extack",
	  get_without_ref, { -EINVAL, "a pool id or name is required", 0 } },
	{ "get-with-id-and-name", "root",
	  "pool-get with both id and name: EINVAL with extack",
	  get_id_and_name,
	  { -EINVAL, "give a pool id or a name, not both", 0 } },
	{ "set-without-id-or-name", "root",
	  "pool-set without id or name: EINVAL with extack",
	  set_without_ref, { -EINVAL, "a pool id or name is required", 0 } },
	{ "set-without-limit-or-reserve", "root",
	  "pool-set without limit or reserve: EINVAL with extack",
	  set_nothing,
	  { -EINVAL, "nothing to set: give a limit and/or a reserve", 0 } },
	{ "set-reserve-above-limit", "root",
	  "pool-set of a reserve above the limit: EINVAL with extack",
	  set_reserve_above_limit,
	  { -EINVAL, "the reserve may not exceed a non-zero limit", 0 } },
	{ "set-limit-too-big", "root",
	  "pool-set of a limit above 2^32: ERANGE by policy, at the limit",
	  set_limit_too_big, { -ERANGE, RANGE, 0 } },
	{ "set-reserve-too-big", "root",
	  "pool-set of a reserve above 65536: ERANGE by policy, at the reserve",
	  set_reserve_too_big, { -ERANGE, RANGE, 0 } },
	{ "region-get-without-id-or-name", "root",
	  "region-get do without id or name: EINVAL with extack",
	  region_without_ref, { -EINVAL, "give a region id or a name", 0 } },
	{ "unknown-region", "root",
	  "region-get of an unknown region: ENOENT, 'no such region'",
	  unknown_region, { -ENOENT, "no such region", 0 } },
	{ "name-31-bytes", "root",
	  "a 31-character pool name passes the policy (ENOENT: no such pool)",
	  name_31, { -ENOENT, "no such pool", 0 } },
	{ "name-32-bytes", "root",
	  "a 32-character pool name: EINVAL by policy, at the name",
	  name_32, { -EINVAL, POLICY, 0 } },
	{ "name-60-bytes", "root",
	  "a 60-character pool name: EINVAL by policy, at the name",
	  name_60, { -EINVAL, POLICY, 0 } },
	{ "region-name-32-bytes", "root",
	  "a 32-character region name: EINVAL by policy, at the name",
	  region_name_32, { -EINVAL, POLICY, 0 } },
	{ "name-without-nul", "root",
	  "a pool name without its NUL: EINVAL by policy, at the name",
	  name_unterminated, { -EINVAL, POLICY, 0 } },
	{ "id-zero", "root",
	  "pool id 0: ERANGE by policy (ids start at 1), at the id",
	  id_zero, { -ERANGE, RANGE, 0 } },
	{ "id-two-bytes", "root",
	  "a 2-byte id attribute: EINVAL, invalid attribute length",
	  id_short, { -EINVAL, "invalid attribute length", 0 } },
	{ "unknown-attribute-type", "root",
	  "an attribute type above the maximum: EINVAL, at that attribute",
	  attr_unknown, { -EINVAL, "Unknown attribute type", 0 } },
	{ "reply-attribute-in-request", "root",
	  "in-use (reply only) in a request: EINVAL, unsupported attribute",
	  attr_reply_only, { -EINVAL, "Unsupported attribute", 0 } },
	{ "nested-flag-on-u32", "root",
	  "NLA_F_NESTED on a u32 attribute: EINVAL",
	  attr_nested_flag, { -EINVAL, "NLA_F_NESTED not expected", 0 } },
	{ "trailing-bytes", "root",
	  "bytes after the last attribute: EINVAL with extack",
	  trailing_bytes,
	  { -EINVAL, "bytes leftover after parsing attributes", 0 } },
	{ "dump-unknown-attribute", "root",
	  "a pool-get dump with an unknown attribute: EINVAL",
	  dump_bad_attr, { -EINVAL, "Unknown attribute type", 0 } },
	{ "unknown-command", "root", "an unknown command: EOPNOTSUPP",
	  unknown_cmd, { -EOPNOTSUPP, NULL, 0 } },
	{ "class-get-do", "root",
	  "class-get as a do (dump only): EOPNOTSUPP",
	  class_get_do, { -EOPNOTSUPP, NULL, 0 } },
	{ "notification-as-request", "root",
	  "a notification command sent as a request: EOPNOTSUPP",
	  ntf_as_request, { -EOPNOTSUPP, NULL, 0 } },
	{ "genl-reserved-set", "root",
	  "a non-zero genlmsghdr.reserved: EINVAL with extack",
	  reserved_set, { -EINVAL, "genlmsghdr.reserved field is not 0", 0 } },
	{ "nlmsg-flags-create", "root",
	  "NLM_F_CREATE on pool-get: EINVAL with extack",
	  flags_create,
	  { -EINVAL, "ambiguous or reserved bits set in nlmsg_flags", 0 } },
	{ "no-genl-header", "root",
	  "a message too short for the genetlink header: EINVAL",
	  no_genl_header, { -EINVAL, NULL, 0 } },
	{ "objects-unknown-pool", "root",
	  "pool-objects-get of an unknown pool: ENOENT, 'no such pool'",
	  objects_unknown_pool, { -ENOENT, "no such pool", 0 } },
	{ "objects-not-debug", "root",
	  "pool-objects-get of a pool not in debug mode: EOPNOTSUPP with extack",
	  objects_not_debug, { -EOPNOTSUPP, "pool is not in debug mode", 0 } },
	{ "objects-without-id-or-name", "root",
	  "pool-objects-get without id or name: EINVAL with extack",
	  objects_without_ref,
	  { -EINVAL, "a pool id or name is required", 0 } },
	{ "objects-id-and-name", "root",
	  "pool-objects-get with both id and name: EINVAL with extack",
	  objects_id_and_name,
	  { -EINVAL, "give a pool id or a name, not both", 0 } },
	{ "objects-do", "root",
	  "pool-objects-get as a do (dump only): EOPNOTSUPP",
	  objects_do, { -EOPNOTSUPP, NULL, 0 } },
	{ "get-works", "root",
	  "the scratch pool's pool-get succeeds (the cases above aim true)",
	  get_ok, { 0, NULL, 1 } },
	{ "nocap-set", "nocap",
	  "pool-set without CAP_NET_ADMIN: EPERM, before any lookup",
	  set_nocap, { -EPERM, NULL, 0 } },
	{ "nocap-objects", "nocap",
	  "pool-objects-get without CAP_NET_ADMIN: EPERM, before any lookup",
	  objects_nocap, { -EPERM, NULL, 0 } },
	{ "nocap-get", "nocap",
	  "pool-get without CAP_NET_ADMIN works",
	  get_ok, { 0, NULL, 1 } },
	{ "nocap-dump", "nocap",
	  "a pool-get dump without CAP_NET_ADMIN works",
	  dump_ok, { 0, NULL, 1 } },
};

static const char *err_name(int err)
{
	static char buf[32];

	switch (-err) {
	case 0: return "success";
	case ENOENT: return "ENOENT";
	case EINVAL: return "EINVAL";
	case ERANGE: return "ERANGE";
	case EPERM: return "EPERM";
	case EOPNOTSUPP: return "EOPNOTSUPP";
	}
	snprintf(buf, sizeof(buf), "errno %d", -err);
	return buf;
}

/* CAP_NET_ADMIN (12) in the effective set, from /proc/self/status. */
static bool have_net_admin(void)
{
	unsigned long long eff = 0;
	char line[256];
	FILE *f = fopen("/proc/self/status", "r");

	if (!f)
		return true;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "CapEff: %llx", &eff) == 1)
			break;
	fclose(f);
	return eff & (1ULL << 12);
}

static int run(const struct nlcase *c)
{
	struct mnl_socket *sock;
	struct answer a;
	struct req r;
	int one = 1, zero = 0, err, bad = 0;

	if (!strcmp(c->who, "nocap") && have_net_admin()) {
		printf("%s must run without CAP_NET_ADMIN (under pktpool_nocap)\n",
		       c->name);
		return 2;
	}
	sock = mnl_socket_open(NETLINK_GENERIC);
	if (!sock || mnl_socket_bind(sock, 0, MNL_SOCKET_AUTOPID) < 0) {
		perror("netlink socket");
		return 1;
	}
	/* Extended acks, with the request echoed: the offset math is ours. */
	mnl_socket_setsockopt(sock, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(sock, NETLINK_CAP_ACK, &zero, sizeof(zero));
	err = resolve(sock);
	if (err) {
		printf("family %s: %s (module not loaded?)\n", PKTPOOL_GENL_NAME,
		       strerror(-err));
		mnl_socket_close(sock);
		return 1;
	}
	c->build(&r);
	err = exchange(sock, &r, &a);
	mnl_socket_close(sock);
	if (err) {
		printf("exchange failed: %s\n", strerror(-err));
		return 1;
	}
	printf("%s: got %s, extack '%s', offset %ld; %d replies\n", c->name,
	       err_name(a.error), a.msg, a.offs, a.replies);
	if (a.error != c->want.error) {
		printf("expected %s\n", err_name(c->want.error));
		bad = 1;
	}
	if (c->want.msg && strcmp(a.msg, c->want.msg)) {
		printf("expected extack '%s'\n", c->want.msg);
		bad = 1;
	}
	if (!c->want.msg && a.error && a.msg[0] && c->want.error != -EINVAL) {
		printf("expected no extack message\n");
		bad = 1;
	}
	if (r.blame >= 0 && a.offs != r.blame) {
		printf("expected the offset of the attribute at %ld\n",
		       r.blame);
		bad = 1;
	}
	if (!c->want.error && (a.replies < c->want.min_replies || !a.acked)) {
		printf("expected at least %d replies and the end\n",
		       c->want.min_replies);
		bad = 1;
	}
	return bad;
}

int main(int argc, char **argv)
{
	size_t i;
	int arg = 1;

	if (argc > 1 && !strcmp(argv[1], "--list")) {
		for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
			printf("%s\t%s\t%s\n", cases[i].name, cases[i].who,
			       cases[i].what);
		return 0;
	}
	if (argc > 2 && !strcmp(argv[1], "--pool")) {
		pool = argv[2];
		arg = 3;
	}
	if (argc != arg + 1) {
		fprintf(stderr, "usage: %s --list | [--pool POOL] CASE\n",
			argv[0]);
		return 2;
	}
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		if (!strcmp(cases[i].name, argv[arg]))
			return run(&cases[i]);
	fprintf(stderr, "%s: unknown case '%s'\n", argv[0], argv[arg]);
	return 2;
}
