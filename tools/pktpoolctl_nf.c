// SPDX-License-Identifier: GPL-2.0
/*
 * pktpoolctl nf: netfilter bindings of pktpool_nf.ko, over its own
 * generic netlink family ("pktpool_nf"), in the caller's network
 * namespace:
 *   nf bind REGION --family ipv4|ipv6 --hook HOOK [--priority P]
 *           [--mark M[/MASK]] [--snaplen N] [--action copy|queue]
 *           [--queue-max N] [--timeout MS] [--fail-open]
 *   nf unbind ID
 *   nf list
 * Self-contained: the family is pktpool_nf.ko's, not pktpool.ko's.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/netfilter.h>
#include <linux/pktpool_nf.h>

#include "pktpoolctl.h"
#include "pktpoolctl_genl.h"

struct nf_rec {
	__u32 id, mark, mask, snaplen;
	__s32 priority;
	__u8 family, hook, action, fail_open;
	__u32 queue_max, timeout_ms, waiting;
	char region[PKTPOOL_NAME_MAX];
	__u64 seen, copied, bytes, no_slot, errors;
	/* In attribute order, QUEUED..BAD_VERDICTS. */
	__u64 queued, accepted, dropped, modified, timed_out, queue_full,
	      bad_verdicts;
};

static const char *const hooks[] = {
	[NF_INET_PRE_ROUTING] = "prerouting",
	[NF_INET_LOCAL_IN] = "input",
	[NF_INET_FORWARD] = "forward",
	[NF_INET_LOCAL_OUT] = "output",
	[NF_INET_POST_ROUTING] = "postrouting",
};

static int nf_fail(struct pctl_genl *s, const char *what, int err)
{
	if (err == -ENOENT && !s->family)
		fprintf(stderr, "%s: %s: pktpool_nf is not loaded (modprobe pktpool_nf)\n",
			pctl_prog, what);
	else if (s->ext[0])
		fprintf(stderr, "%s: %s: %s (%s)\n", pctl_prog, what, s->ext,
			strerror(-err));
	else
		fprintf(stderr, "%s: %s: %s\n", pctl_prog, what, strerror(-err));
	return EXIT_FAIL;
}

static int rec_attr(const struct nlattr *a, void *data)
{
	struct nf_rec *r = data;

	switch (mnl_attr_get_type(a)) {
	case PKTPOOL_NF_A_BIND_ID:
		if (mnl_attr_validate(a, MNL_TYPE_U32) >= 0)
			r->id = mnl_attr_get_u32(a);
		break;
	case PKTPOOL_NF_A_BIND_REGION:
		if (mnl_attr_validate(a, MNL_TYPE_NUL_STRING) >= 0)
			snprintf(r->region, sizeof(r->region), "%s",
				 mnl_attr_get_str(a));
		break;
	case PKTPOOL_NF_A_BIND_FAMILY:
		if (mnl_attr_validate(a, MNL_TYPE_U8) >= 0)
			r->family = mnl_attr_get_u8(a);
		break;
	case PKTPOOL_NF_A_BIND_HOOK:
		if (mnl_attr_validate(a, MNL_TYPE_U8) >= 0)
			r->hook = mnl_attr_get_u8(a);
		break;
	case PKTPOOL_NF_A_BIND_ACTION:
		if (mnl_attr_validate(a, MNL_TYPE_U8) >= 0)
			r->action = mnl_attr_get_u8(a);
		break;
	case PKTPOOL_NF_A_BIND_PRIORITY:
		if (mnl_attr_validate(a, MNL_TYPE_U32) >= 0)
			r->priority = (__s32)mnl_attr_get_u32(a);
		break;
	case PKTPOOL_NF_A_BIND_MARK:
		if (mnl_attr_validate(a, MNL_TYPE_U32) >= 0)
			r->mark = mnl_attr_get_u32(a);
		break;
	case PKTPOOL_NF_A_BIND_MASK:
		if (mnl_attr_validate(a, MNL_TYPE_U32) >= 0)
			r->mask = mnl_attr_get_u32(a);
		break;
	case PKTPOOL_NF_A_BIND_SNAPLEN:
		if (mnl_attr_validate(a, MNL_TYPE_U32) >= 0)
			r->snaplen = mnl_attr_get_u32(a);
		break;
	case PKTPOOL_NF_A_BIND_SEEN:
	case PKTPOOL_NF_A_BIND_COPIED:
	case PKTPOOL_NF_A_BIND_BYTES:
	case PKTPOOL_NF_A_BIND_NO_SLOT:
	case PKTPOOL_NF_A_BIND_ERRORS:
		if (mnl_attr_validate(a, MNL_TYPE_U64) < 0)
			break;
		*(&r->seen + (mnl_attr_get_type(a) - PKTPOOL_NF_A_BIND_SEEN)) =
			mnl_attr_get_u64(a);
		break;
	case PKTPOOL_NF_A_BIND_QUEUED:
	case PKTPOOL_NF_A_BIND_ACCEPTED:
	case PKTPOOL_NF_A_BIND_DROPPED:
	case PKTPOOL_NF_A_BIND_MODIFIED:
	case PKTPOOL_NF_A_BIND_TIMED_OUT:
	case PKTPOOL_NF_A_BIND_QUEUE_FULL:
	case PKTPOOL_NF_A_BIND_BAD_VERDICTS:
		if (mnl_attr_validate(a, MNL_TYPE_U64) < 0)
			break;
		*(&r->queued + (mnl_attr_get_type(a) - PKTPOOL_NF_A_BIND_QUEUED)) =
			mnl_attr_get_u64(a);
		break;
	case PKTPOOL_NF_A_BIND_QUEUE_MAX:
		if (mnl_attr_validate(a, MNL_TYPE_U32) >= 0)
			r->queue_max = mnl_attr_get_u32(a);
		break;
	case PKTPOOL_NF_A_BIND_TIMEOUT_MS:
		if (mnl_attr_validate(a, MNL_TYPE_U32) >= 0)
			r->timeout_ms = mnl_attr_get_u32(a);
		break;
	case PKTPOOL_NF_A_BIND_WAITING:
		if (mnl_attr_validate(a, MNL_TYPE_U32) >= 0)
			r->waiting = mnl_attr_get_u32(a);
		break;
	case PKTPOOL_NF_A_BIND_FAIL_OPEN:
		if (mnl_attr_validate(a, MNL_TYPE_U8) >= 0)
			r->fail_open = mnl_attr_get_u8(a);
		break;
	}
	return MNL_CB_OK;
}

static int bind_reply_cb(const struct nlmsghdr *nlh, void *data)
{
	return mnl_attr_parse(nlh, GENL_HDRLEN, rec_attr, data);
}

struct nf_list {
	bool json;
	unsigned int n;
};

static const char *hook_name(__u8 h)
{
	return h < PCTL_ARRAY_SIZE(hooks) ? hooks[h] : "?";
}

static const char *action_name(__u8 a)
{
	return a == PKTPOOL_NF_ACTION_QUEUE ? "queue" : "copy";
}

static int list_cb(const struct nlmsghdr *nlh, void *data)
{
	struct nf_list *l = data;
	struct nf_rec r = { 0 };

	mnl_attr_parse(nlh, GENL_HDRLEN, rec_attr, &r);
	if (l->json) {
		printf("%s{\"id\":%u,\"region\":\"%s\",\"family\":\"%s\",\"hook\":\"%s\","
		       "\"priority\":%d,\"mark\":%u,\"mask\":%u,\"snaplen\":%u,"
		       "\"action\":\"%s\",\"seen\":%" PRIu64 ",\"copied\":%" PRIu64
		       ",\"bytes\":%" PRIu64 ",\"no_slot\":%" PRIu64
		       ",\"errors\":%" PRIu64 ",\"queue_max\":%u,\"timeout_ms\":%u"
		       ",\"fail_open\":%s,\"waiting\":%u,\"queued\":%" PRIu64
		       ",\"accepted\":%" PRIu64 ",\"dropped\":%" PRIu64
		       ",\"modified\":%" PRIu64 ",\"timed_out\":%" PRIu64
		       ",\"queue_full\":%" PRIu64 ",\"bad_verdicts\":%" PRIu64 "}",
		       l->n ? "," : "", r.id, r.region,
		       r.family == NFPROTO_IPV6 ? "ipv6" : "ipv4",
		       hook_name(r.hook), r.priority, r.mark, r.mask, r.snaplen,
		       action_name(r.action),
		       (uint64_t)r.seen, (uint64_t)r.copied, (uint64_t)r.bytes,
		       (uint64_t)r.no_slot, (uint64_t)r.errors, r.queue_max,
		       r.timeout_ms, r.fail_open ? "true" : "false", r.waiting,
		       (uint64_t)r.queued, (uint64_t)r.accepted,
		       (uint64_t)r.dropped, (uint64_t)r.modified,
		       (uint64_t)r.timed_out, (uint64_t)r.queue_full,
		       (uint64_t)r.bad_verdicts);
	} else {
		if (!l->n)
			printf("%-4s %-20s %-4s %-11s %9s %-21s %7s %10s %10s %8s %6s\n",
			       "ID", "REGION", "FAM", "HOOK", "PRIORITY",
			       "MARK/MASK", "SNAPLEN", "SEEN", "COPIED",
			       "NO_SLOT", "ERRORS");
		printf("%-4u %-20s %-4s %-11s %9d 0x%08x/0x%08x %7u %10" PRIu64
		       " %10" PRIu64 " %8" PRIu64 " %6" PRIu64 "\n",
		       r.id, r.region, r.family == NFPROTO_IPV6 ? "ipv6" : "ipv4",
		       hook_name(r.hook), r.priority, r.mark, r.mask, r.snaplen,
		       (uint64_t)r.seen, (uint64_t)r.copied,
		       (uint64_t)r.no_slot, (uint64_t)r.errors);
		if (r.action == PKTPOOL_NF_ACTION_QUEUE)
			printf("     queue: max %u, timeout %u ms, fail-%s; waiting %u,"
			       " queued %" PRIu64 ", accepted %" PRIu64
			       ", dropped %" PRIu64 ", modified %" PRIu64
			       ", timed out %" PRIu64 ", queue full %" PRIu64
			       ", bad verdicts %" PRIu64 "\n",
			       r.queue_max, r.timeout_ms,
			       r.fail_open ? "open" : "closed", r.waiting,
			       (uint64_t)r.queued, (uint64_t)r.accepted,
			       (uint64_t)r.dropped, (uint64_t)r.modified,
			       (uint64_t)r.timed_out, (uint64_t)r.queue_full,
			       (uint64_t)r.bad_verdicts);
	}
	l->n++;
	return MNL_CB_OK;
}

static int parse_u32(const char *s, __u32 *v)
{
	char *end;
	unsigned long long x;

	errno = 0;
	x = strtoull(s, &end, 0);
	if (errno || end == s || *end || x > UINT32_MAX || *s == '-')
		return -1;
	*v = (__u32)x;
	return 0;
}

static int nf_bind(struct pctl_genl *s, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "family", required_argument, NULL, 'f' },
		{ "hook", required_argument, NULL, 'k' },
		{ "priority", required_argument, NULL, 'p' },
		{ "mark", required_argument, NULL, 'm' },
		{ "snaplen", required_argument, NULL, 's' },
		{ "action", required_argument, NULL, 'a' },
		{ "queue-max", required_argument, NULL, 'q' },
		{ "timeout", required_argument, NULL, 't' },
		{ "fail-open", no_argument, NULL, 'o' },
		{ 0 }
	};
	const char *usage = "nf bind REGION --family ipv4|ipv6 --hook HOOK "
			    "[--priority P] [--mark M[/MASK]] [--snaplen N] "
			    "[--action copy|queue] [--queue-max N] [--timeout MS] "
			    "[--fail-open]";
	__u8 action = PKTPOOL_NF_ACTION_COPY, fail_open = 0;
	__u32 queue_max = 0, timeout_ms = 0;
	char req[PCTL_GENL_REQ];
	struct nlmsghdr *nlh;
	struct nf_rec r = { 0 };
	int family = -1, hook = -1, c, err;
	__u32 mark = 0, mask = 0, snap = 0;
	bool have_prio = false, have_snap = false;
	__s32 prio = 0;
	char *slash, *end;
	long lp;

	optind = 0;	/* GNU getopt: start over, main() used it already */
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'f':
			if (!strcmp(optarg, "ipv4"))
				family = NFPROTO_IPV4;
			else if (!strcmp(optarg, "ipv6"))
				family = NFPROTO_IPV6;
			else
				return pctl_usage_error("--family: ipv4 or ipv6, not '%s'", optarg);
			break;
		case 'k':
			for (hook = 0; hook < (int)PCTL_ARRAY_SIZE(hooks); hook++)
				if (!strcmp(optarg, hooks[hook]))
					break;
			if (hook == (int)PCTL_ARRAY_SIZE(hooks))
				return pctl_usage_error("--hook: prerouting, input, forward, output or postrouting, not '%s'",
							optarg);
			break;
		case 'p':
			errno = 0;
			lp = strtol(optarg, &end, 0);
			if (errno || end == optarg || *end || lp <= INT32_MIN ||
			    lp >= INT32_MAX)
				return pctl_usage_error("--priority: an integer strictly between INT_MIN and INT_MAX, not '%s'",
							optarg);
			prio = (__s32)lp;
			have_prio = true;
			break;
		case 'm':
			slash = strchr(optarg, '/');
			if (slash)
				*slash = '\0';
			if (parse_u32(optarg, &mark) ||
			    (slash && parse_u32(slash + 1, &mask)))
				return pctl_usage_error("--mark: M or M/MASK, numbers up to 0xffffffff");
			if (!slash)
				mask = 0xffffffffu;
			break;
		case 's':
			if (parse_u32(optarg, &snap) || !snap ||
			    snap > PKTPOOL_NF_SNAPLEN_MAX)
				return pctl_usage_error("--snaplen: 1..65535, not '%s'", optarg);
			have_snap = true;
			break;
		case 'a':
			if (!strcmp(optarg, "copy"))
				action = PKTPOOL_NF_ACTION_COPY;
			else if (!strcmp(optarg, "queue"))
				action = PKTPOOL_NF_ACTION_QUEUE;
			else
				return pctl_usage_error("--action: copy or queue, not '%s'", optarg);
			break;
		case 'q':
			if (parse_u32(optarg, &queue_max) || !queue_max ||
			    queue_max > PKTPOOL_NF_QUEUE_MAX)
				return pctl_usage_error("--queue-max: 1..65536, not '%s'", optarg);
			break;
		case 't':
			if (parse_u32(optarg, &timeout_ms) || !timeout_ms ||
			    timeout_ms > PKTPOOL_NF_TIMEOUT_MAX)
				return pctl_usage_error("--timeout: 1..600000 ms, not '%s'", optarg);
			break;
		case 'o':
			fail_open = 1;
			break;
		default:
			return pctl_usage_error("usage: %s %s", pctl_prog, usage);
		}
	}
	if (argc - optind != 1 || family < 0 || hook < 0)
		return pctl_usage_error("usage: %s %s", pctl_prog, usage);
	if (strlen(argv[optind]) >= PKTPOOL_NAME_MAX)
		return pctl_usage_error("region name too long: '%s'", argv[optind]);

	nlh = pctl_genl_req(s, req, s->family, PKTPOOL_NF_CMD_BIND, NLM_F_ACK);
	mnl_attr_put_strz(nlh, PKTPOOL_NF_A_BIND_REGION, argv[optind]);
	mnl_attr_put_u8(nlh, PKTPOOL_NF_A_BIND_FAMILY, (__u8)family);
	mnl_attr_put_u8(nlh, PKTPOOL_NF_A_BIND_HOOK, (__u8)hook);
	if (have_prio)
		mnl_attr_put_u32(nlh, PKTPOOL_NF_A_BIND_PRIORITY, (__u32)prio);
	mnl_attr_put_u32(nlh, PKTPOOL_NF_A_BIND_MARK, mark);
	mnl_attr_put_u32(nlh, PKTPOOL_NF_A_BIND_MASK, mask);
	if (have_snap)
		mnl_attr_put_u32(nlh, PKTPOOL_NF_A_BIND_SNAPLEN, snap);
	mnl_attr_put_u8(nlh, PKTPOOL_NF_A_BIND_ACTION, action);
	if (queue_max)
		mnl_attr_put_u32(nlh, PKTPOOL_NF_A_BIND_QUEUE_MAX, queue_max);
	if (timeout_ms)
		mnl_attr_put_u32(nlh, PKTPOOL_NF_A_BIND_TIMEOUT_MS, timeout_ms);
	mnl_attr_put_u8(nlh, PKTPOOL_NF_A_BIND_FAIL_OPEN, fail_open);
	err = pctl_genl_run(s, nlh, bind_reply_cb, &r);
	if (err)
		return nf_fail(s, "nf bind", err);
	printf("%u\n", r.id);
	return EXIT_OK;
}

int pctl_cmd_nf(struct ctl *ctl, int argc, char **argv)
{
	struct nf_list l = { .json = ctl->json };
	struct pctl_genl *s;
	char req[PCTL_GENL_REQ];
	struct nlmsghdr *nlh;
	__u32 id;
	int err, ret;

	if (argc < 2)
		return pctl_usage_error("usage: %s nf bind|unbind|list ...", pctl_prog);
	s = calloc(1, sizeof(*s));
	if (!s) {
		fprintf(stderr, "%s: nf: %s\n", pctl_prog, strerror(ENOMEM));
		return EXIT_FAIL;
	}
	err = pctl_genl_open(s, PKTPOOL_NF_GENL_NAME, PKTPOOL_NF_GENL_VERSION);
	if (err) {
		ret = nf_fail(s, "nf", err);
		free(s);
		return ret;
	}
	if (!strcmp(argv[1], "bind")) {
		ret = nf_bind(s, argc - 1, argv + 1);
	} else if (!strcmp(argv[1], "unbind")) {
		if (argc != 3 || parse_u32(argv[2], &id) || !id) {
			ret = pctl_usage_error("usage: %s nf unbind ID", pctl_prog);
		} else {
			nlh = pctl_genl_req(s, req, s->family, PKTPOOL_NF_CMD_UNBIND,
				     NLM_F_ACK);
			mnl_attr_put_u32(nlh, PKTPOOL_NF_A_BIND_ID, id);
			err = pctl_genl_run(s, nlh, NULL, NULL);
			ret = err ? nf_fail(s, "nf unbind", err) : EXIT_OK;
		}
	} else if (!strcmp(argv[1], "list") && argc == 2) {
		nlh = pctl_genl_req(s, req, s->family, PKTPOOL_NF_CMD_GET,
			     NLM_F_DUMP);
		if (l.json)
			printf("[");
		err = pctl_genl_run(s, nlh, list_cb, &l);
		if (l.json)
			printf("]\n");
		ret = err ? nf_fail(s, "nf list", err) : EXIT_OK;
	} else {
		ret = pctl_usage_error("usage: %s nf bind|unbind|list ...", pctl_prog);
	}
	pctl_genl_close(s);
	free(s);
	return ret;
}
