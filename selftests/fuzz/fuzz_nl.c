// SPDX-License-Identifier: GPL-2.0
/*
 * pktpool_fuzz: the "pktpool" generic netlink family: raw requests,
 * well-formed and not, their replies drained, the family looked up.
 */
#define _GNU_SOURCE
#include "fuzz.h"

/* ---- generic netlink ----------------------------------------------------- */

char fz_nlbuf[16384];
static uint32_t fz_nl_seq;
static uint32_t fz_nl_eperm_seq;	/* a pool-set that must fail with EPERM */

size_t fz_nla_put(size_t off, uint16_t type, const void *data, size_t len)
{
	struct nlattr *a = (struct nlattr *)(fz_nlbuf + off);

	if (off + NLA_HDRLEN + NLA_ALIGN(len) > sizeof(fz_nlbuf))
		return off;
	a->nla_type = type;
	a->nla_len = (uint16_t)(NLA_HDRLEN + len);
	memcpy(fz_nlbuf + off + NLA_HDRLEN, data, len);
	memset(fz_nlbuf + off + NLA_HDRLEN + len, 0, NLA_ALIGN(len) - len);
	return off + NLA_HDRLEN + NLA_ALIGN(len);
}

/* One attribute of a pool or region request, mostly well-formed. */
static size_t fz_nl_attr(size_t off, bool region, bool *wellformed)
{
	char name[PKTPOOL_NAME_MAX + 8];
	uint64_t v64;
	uint32_t v32;
	uint16_t type;
	size_t len;

	switch (fz_below(region ? 3 : 5)) {
	case 0:		/* id */
		v32 = region ? fz_pick_region_id() : fz_pick_pool_id();
		type = region ? PKTPOOL_A_REGION_ID : PKTPOOL_A_POOL_ID;
		if (fz_chance(90))
			return fz_nla_put(off, type, &v32, 4);
		*wellformed = false;
		v64 = v32;
		return fz_nla_put(off, type, &v64, fz_below(9));
	case 1:		/* name */
		type = region ? PKTPOOL_A_REGION_NAME : PKTPOOL_A_POOL_NAME;
		fz_pick_name(name, false);
		memset(name + PKTPOOL_NAME_MAX, 'z', 8);
		len = strnlen(name, PKTPOOL_NAME_MAX) + 1;
		if (fz_chance(15)) {
			*wellformed = false;
			len = fz_below(sizeof(name) + 1);	/* no NUL, too long */
		}
		return fz_nla_put(off, type, name, len);
	case 2:		/* a type the policy does not know, or the pad */
		*wellformed = false;
		type = fz_chance(50) ? (uint16_t)(region ? PKTPOOL_A_REGION_MAX + 1 :
					     PKTPOOL_A_POOL_MAX + 1) :
				    (uint16_t)fz_rnd();
		v64 = fz_rnd();
		return fz_nla_put(off, type, &v64, fz_below(9));
	case 3:		/* limit */
		v64 = fz_chance(60) ? fz_below(4096) : fz_pick_u64_edge();
		if (fz_chance(90))
			return fz_nla_put(off, PKTPOOL_A_POOL_LIMIT, &v64, 8);
		*wellformed = false;
		return fz_nla_put(off, PKTPOOL_A_POOL_LIMIT, &v64, 4);
	default:	/* reserve */
		v64 = fz_pick_reserve(0, 0);
		if (v64 > 64 && v64 <= PKTPOOL_RESERVE_MAX)
			v64 = 64;
		return fz_nla_put(off, PKTPOOL_A_POOL_RESERVE, &v64,
			       fz_chance(95) ? 8 : fz_below(12));
	}
}

static void fz_nl_drain(void)
{
	struct nlmsghdr *h;
	ssize_t n;
	int i, rounds = 0;

	for (i = 0; i < 64; i++) {
		n = recv(fz_nl, fz_nlbuf, sizeof(fz_nlbuf), MSG_DONTWAIT);
		fz_count_call();
		if (n <= 0) {
			if (n < 0 && errno == ENOBUFS && rounds++ < 4)
				continue;	/* overrun: keep reading */
			break;
		}
		for (h = (struct nlmsghdr *)fz_nlbuf; NLMSG_OK(h, (size_t)n);
		     h = NLMSG_NEXT(h, n)) {
			struct nlmsgerr *e = NLMSG_DATA(h);

			fz_stat_inc(h->nlmsg_type == NLMSG_ERROR &&
				 h->nlmsg_len >= NLMSG_LENGTH(sizeof(*e)) &&
				 e->error ? FZ_S_NLERR : FZ_S_NLMSG);
			if (h->nlmsg_type != NLMSG_ERROR ||
			    h->nlmsg_len < NLMSG_LENGTH(sizeof(*e)))
				continue;
			if (fz_nl_eperm_seq && h->nlmsg_seq == fz_nl_eperm_seq) {
				if (e->error != -EPERM)
					fz_violation("pool-set from a process without CAP_NET_ADMIN: %d, not -EPERM",
						  e->error);
				fz_nl_eperm_seq = 0;
			}
		}
	}
}

void fz_op_nl_sock(void)
{
	int grp, rc;

	if (fz_nl < 0) {
		fz_nl = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
		fz_count_call();
		fz_nl_joined = false;
		fz_tr("socket(NETLINK_GENERIC) = %d", fz_nl);
		return;
	}
	switch (fz_below(4)) {
	case 0:
		close(fz_nl);
		fz_count_call();
		fz_tr("close(netlink %d)", fz_nl);
		fz_nl = -1;
		return;
	default:
		grp = fz_chance(90) ? (int)fz_lim.mcgrp : (int)fz_below(64);
		rc = setsockopt(fz_nl, SOL_NETLINK, fz_nl_joined ? NETLINK_DROP_MEMBERSHIP :
				NETLINK_ADD_MEMBERSHIP, &grp, sizeof(grp)) ? -errno : 0;
		fz_count_call();
		fz_tr("setsockopt(netlink, %s %d) = %d", fz_nl_joined ? "drop" : "add",
		   grp, rc);
		if (!rc && grp == (int)fz_lim.mcgrp)
			fz_nl_joined = !fz_nl_joined;
		fz_nl_drain();
		return;
	}
}

void fz_op_nl_send(void)
{
	static const uint8_t cmds[] = {
		PKTPOOL_CMD_POOL_GET, PKTPOOL_CMD_POOL_SET,
		PKTPOOL_CMD_REGION_GET, PKTPOOL_CMD_CLASS_GET,
		PKTPOOL_CMD_POOL_OBJECTS_GET,
	};
	struct sockaddr_nl to = { .nl_family = AF_NETLINK };
	struct nlmsghdr *h = (struct nlmsghdr *)fz_nlbuf;
	struct genlmsghdr *g;
	bool wellformed = true, region;
	unsigned int i, nattr;
	size_t off, len;
	ssize_t rc;

	if (fz_nl < 0)
		fz_op_nl_sock();
	if (fz_nl < 0 || !fz_lim.family)
		return;
	memset(fz_nlbuf, 0, 512);
	h->nlmsg_type = fz_chance(95) ? fz_lim.family : fz_chance(50) ? GENL_ID_CTRL :
			(uint16_t)fz_rnd();
	h->nlmsg_flags = NLM_F_REQUEST;
	if (fz_chance(40))
		h->nlmsg_flags |= NLM_F_ACK;
	if (fz_chance(30))
		h->nlmsg_flags |= NLM_F_DUMP;
	if (fz_chance(3)) {
		h->nlmsg_flags = (uint16_t)fz_rnd();
		wellformed = false;
	}
	h->nlmsg_seq = ++fz_nl_seq;
	g = NLMSG_DATA(h);
	g->cmd = fz_chance(90) ? cmds[fz_below(sizeof(cmds))] :
		 (uint8_t)fz_below(16);
	g->version = fz_chance(90) ? PKTPOOL_GENL_VERSION : (uint8_t)fz_rnd();
	if (fz_chance(3)) {
		g->reserved = (uint16_t)fz_rnd();
		wellformed = false;
	}
	region = g->cmd == PKTPOOL_CMD_REGION_GET;
	off = NLMSG_HDRLEN + GENL_HDRLEN;
	nattr = (unsigned int)fz_below(4);
	for (i = 0; i < nattr; i++)
		off = fz_nl_attr(off, region, &wellformed);
	if (fz_chance(5)) {
		/* An attribute that claims more than is there. */
		struct nlattr *a = (struct nlattr *)(fz_nlbuf + off);

		a->nla_type = PKTPOOL_A_POOL_NAME;
		a->nla_len = (uint16_t)(fz_chance(50) ? 2 : 200);
		off += NLA_HDRLEN;
		wellformed = false;
	}
	if (fz_chance(3)) {
		/* Junk after the header. */
		len = fz_below(256);
		for (i = 0; i < len; i++)
			fz_nlbuf[off + i] = (char)fz_rnd();
		off += len;
		wellformed = false;
	}
	h->nlmsg_len = (uint32_t)off;
	len = off;
	if (fz_chance(4)) {
		switch (fz_below(3)) {
		case 0: h->nlmsg_len = (uint32_t)fz_below(off + 1); break;
		case 1: h->nlmsg_len = (uint32_t)(off + 1 + fz_below(64)); break;
		default: len = fz_below(off + 1); break;
		}
		wellformed = false;
	}
	if (g->cmd == PKTPOOL_CMD_POOL_SET && fz_worker_role != FZ_ROOT &&
	    wellformed && h->nlmsg_type == fz_lim.family &&
	    !(h->nlmsg_flags & NLM_F_DUMP))
		fz_nl_eperm_seq = h->nlmsg_seq;
	rc = sendto(fz_nl, fz_nlbuf, len, MSG_DONTWAIT, (struct sockaddr *)&to,
		    sizeof(to));
	fz_count_call();
	fz_tr("netlink cmd %u flags %#x type %#x attrs %u len %zu/%u = %zd",
	   g->cmd, h->nlmsg_flags, h->nlmsg_type, nattr, len, h->nlmsg_len,
	   rc < 0 ? (ssize_t)-errno : rc);
	fz_nl_drain();
	fz_nl_eperm_seq = 0;
}
