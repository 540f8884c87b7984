// SPDX-License-Identifier: GPL-2.0
/*
 * pktpoolctl monitor: join the family's "monitor" group and print each
 * notification as it arrives, one line each with the local time (or one
 * JSON object per line). --count and --timeout bound the run for scripts
 * and tests: with --count, running out of time before that many
 * notifications arrived is a failure.
 */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <string.h>
#include <time.h>
#include <sys/socket.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>

#include "pktpoolctl.h"

#define MONITOR_SYNOPSIS "monitor [--count N] [--timeout S] [--json]"

struct monitor {
	bool json;
	__u64 count;	/* stop after this many, 0: never */
	__u64 seen;
};

static bool is_pool_cmd(__u8 cmd)
{
	return (cmd >= PKTPOOL_CMD_POOL_ADD_NTF &&
		cmd <= PKTPOOL_CMD_POOL_RESERVE_NTF) ||
	       cmd == PKTPOOL_CMD_POOL_HEALTH_NTF;
}

static bool is_region_cmd(__u8 cmd)
{
	return cmd == PKTPOOL_CMD_REGION_ATTACH_NTF ||
	       cmd == PKTPOOL_CMD_REGION_DETACH_NTF;
}

/* The spec's names of enum pktpool_health. */
static const char *health_str(__u32 level)
{
	switch (level) {
	case PKTPOOL_HEALTH_OK:
		return "ok";
	case PKTPOOL_HEALTH_WARN:
		return "warn";
	case PKTPOOL_HEALTH_CRIT:
		return "crit";
	}
	return "unknown";
}

static const char *access_str(__u32 access)
{
	static const char *const s[] = { "none", "r", "w", "rw" };

	return s[access & 3];
}

/* What happened, in words, after "TIME CMD ". */
static void pool_text(__u8 cmd, const struct pctl_pool *p)
{
	char a[32], b[32];

	printf("pool %s (id %u): ", p->name, p->id);
	switch (cmd) {
	case PKTPOOL_CMD_POOL_ADD_NTF:
		printf("created, object size %u (class %u), limit %s, reserve %llu\n",
		       p->obj_size, p->class_size,
		       pctl_fmt_limit(p->limit, a, sizeof(a)),
		       (unsigned long long)p->reserve);
		break;
	case PKTPOOL_CMD_POOL_DEL_NTF:
		printf("destroyed after %llu allocations\n",
		       (unsigned long long)p->allocs);
		break;
	case PKTPOOL_CMD_POOL_CHANGE_NTF:
		printf("limit %s, reserve %llu\n",
		       pctl_fmt_limit(p->limit, a, sizeof(a)),
		       (unsigned long long)p->reserve);
		break;
	case PKTPOOL_CMD_POOL_LIMIT_NTF:
		printf("at its limit: %llu in use of %s (%s), %llu allocations refused since the last notice, %llu in all\n",
		       (unsigned long long)p->in_use,
		       pctl_fmt_limit(p->limit, a, sizeof(a)),
		       pctl_fmt_pct(p->in_use, p->limit, b, sizeof(b)),
		       (unsigned long long)p->fails_since,
		       (unsigned long long)p->fail_limit);
		break;
	case PKTPOOL_CMD_POOL_RESERVE_NTF:
		printf("served from the reserve: %llu hits so far, %llu of %llu left\n",
		       (unsigned long long)p->reserve_hits,
		       (unsigned long long)p->reserve_avail,
		       (unsigned long long)p->reserve);
		break;
	case PKTPOOL_CMD_POOL_HEALTH_NTF:
		printf("health %s: %llu in use of %s (%s)\n",
		       health_str(p->health),
		       (unsigned long long)p->in_use,
		       pctl_fmt_limit(p->limit, a, sizeof(a)),
		       pctl_fmt_pct(p->in_use, p->limit, b, sizeof(b)));
		break;
	}
}

static void region_text(__u8 cmd, const struct pctl_region *r)
{
	printf("region %s (id %u): pid %u %s (%s), %llu attached now\n",
	       r->name, r->id, r->pid,
	       cmd == PKTPOOL_CMD_REGION_ATTACH_NTF ? "attached" : "detached",
	       access_str(r->access), (unsigned long long)r->attached);
}

static int ntf_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct genlmsghdr *g = mnl_nlmsg_get_payload(nlh);
	struct monitor *m = data;
	struct pctl_region region = { 0 };
	struct pctl_pool pool = { 0 };
	const char *name = pctl_cmd_name(g->cmd);
	char when[48], unknown[32];
	struct timespec now;
	struct pctl_json j;

	clock_gettime(CLOCK_REALTIME, &now);
	if (!name || (!is_pool_cmd(g->cmd) && !is_region_cmd(g->cmd))) {
		snprintf(unknown, sizeof(unknown), "unknown-%u", g->cmd);
		name = unknown;
	}
	if (is_pool_cmd(g->cmd))
		pctl_parse_record(&pctl_pool_attrs, nlh, &pool);
	else if (is_region_cmd(g->cmd))
		pctl_parse_record(&pctl_region_attrs, nlh, &region);

	if (m->json) {
		pctl_json_init(&j, stdout);
		pctl_json_obj(&j, NULL);
		pctl_json_str(&j, "time", pctl_fmt_time(&now, when,
							sizeof(when)));
		pctl_json_double(&j, "timestamp", pctl_epoch(&now), 6);
		pctl_json_str(&j, "cmd", name);
		if (g->cmd == PKTPOOL_CMD_POOL_HEALTH_NTF)
			pctl_json_str(&j, "level", health_str(pool.health));
		if (is_pool_cmd(g->cmd))
			pctl_json_record(&j, "pool", &pctl_pool_attrs, &pool);
		else if (is_region_cmd(g->cmd))
			pctl_json_record(&j, "region", &pctl_region_attrs,
					 &region);
		else
			pctl_json_u64(&j, "cmd_id", g->cmd);
		pctl_json_end_obj(&j);
		pctl_json_done(&j);
	} else {
		printf("%s %-17s ", pctl_fmt_time(&now, when, sizeof(when)),
		       name);
		if (is_pool_cmd(g->cmd))
			pool_text(g->cmd, &pool);
		else if (is_region_cmd(g->cmd))
			region_text(g->cmd, &region);
		else
			printf("(not known to this pktpoolctl)\n");
		fflush(stdout);
	}
	m->seen++;
	/* Not one line more than asked, even from a batch. */
	return m->count && m->seen >= m->count ? MNL_CB_STOP : MNL_CB_OK;
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

int pctl_cmd_monitor(struct ctl *ctl, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "count", required_argument, NULL, 'n' },
		{ "timeout", required_argument, NULL, 't' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct monitor m = { 0 };
	long long deadline = 0;
	double timeout = 0;
	int rcvbuf = 1 << 20;
	__u64 count = 0;
	struct pollfd pfd;
	int opt, err;
	ssize_t n;

	optind = 0;
	while ((opt = getopt_long(argc, argv, "n:t:jh", opts, NULL)) != -1) {
		switch (opt) {
		case 'n':
			if (!pctl_parse_u64(optarg, &count) || !count)
				return pctl_usage_error("invalid --count '%s': 1 or more",
							optarg);
			break;
		case 't':
			if (!pctl_parse_seconds(optarg, &timeout))
				return pctl_usage_error("invalid --timeout '%s': seconds, 0.001 to 86400",
							optarg);
			break;
		case 'j':
			ctl->json = true;
			break;
		case 'h':
			printf("Usage: %s %s\n", pctl_prog, MONITOR_SYNOPSIS);
			return -1;
		default:
			return pctl_usage_error("usage: %s %s", pctl_prog,
						MONITOR_SYNOPSIS);
		}
	}
	if (argc != optind)
		return pctl_usage_error("usage: %s %s", pctl_prog,
					MONITOR_SYNOPSIS);
	m.json = ctl->json;
	m.count = count;
	err = pctl_open_nl(ctl);
	if (err)
		return err;
	if (!ctl->nl.mcgrp_monitor) {
		pctl_err("the pktpool netlink family has no '%s' group: is the module older than this tool?",
			 PKTPOOL_GENL_MCGRP_MONITOR);
		return EXIT_FAIL;
	}
	/* Bursts (a pool per CPU hitting its limit) should not overrun. */
	setsockopt(mnl_socket_get_fd(ctl->nl.sock), SOL_SOCKET, SO_RCVBUF,
		   &rcvbuf, sizeof(rcvbuf));
	err = pctl_nl_subscribe(&ctl->nl, ctl->nl.mcgrp_monitor);
	if (err)
		return pctl_report(ctl, PCTL_OP_MONITOR, NULL, err);
	if (timeout)
		deadline = now_ms() + (long long)(timeout * 1000 + 0.5);

	pfd.fd = mnl_socket_get_fd(ctl->nl.sock);
	pfd.events = POLLIN;
	while (!count || m.seen < count) {
		int wait = -1, ready;

		if (deadline) {
			long long left = deadline - now_ms();

			if (left <= 0)
				break;
			wait = left > 1000000 ? 1000000 : (int)left;
		}
		ready = poll(&pfd, 1, wait);
		if (ready < 0 && errno == EINTR)
			continue;
		if (ready < 0)
			return pctl_report(ctl, PCTL_OP_MONITOR, NULL, -errno);
		if (!ready)
			continue;
		n = mnl_socket_recvfrom(ctl->nl.sock, ctl->nl.buf,
					ctl->nl.buf_size);
		if (n < 0 && errno == ENOBUFS) {
			pctl_err("notifications were lost: the socket's receive buffer overran");
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return pctl_report(ctl, PCTL_OP_MONITOR, NULL, -errno);
		/* Notifications carry sequence 0 and the kernel's port id 0. */
		if (mnl_cb_run(ctl->nl.buf, n, 0, 0, ntf_cb, &m) < 0)
			return pctl_report(ctl, PCTL_OP_MONITOR, NULL, -errno);
	}
	if (count && m.seen < count) {
		pctl_err("timed out after %gs with %llu of %llu notifications",
			 timeout, (unsigned long long)m.seen,
			 (unsigned long long)count);
		return EXIT_FAIL;
	}
	return EXIT_OK;
}
