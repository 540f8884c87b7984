// SPDX-License-Identifier: GPL-2.0
/*
 * The generic netlink client of pktpoolctl nf and pktpoolctl vdev: see
 * pktpoolctl_genl.h. (pktpool's own family has its own, in
 * pktpoolctl_nl.c, with multicast groups and dumps of its records.)
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <linux/genetlink.h>

#include "pktpoolctl_genl.h"

struct nlmsghdr *pctl_genl_req(struct pctl_genl *s, char *buf, __u16 type,
			       __u8 cmd, __u16 flags)
{
	struct nlmsghdr *nlh;
	struct genlmsghdr *g;

	memset(buf, 0, PCTL_GENL_REQ);
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	nlh->nlmsg_seq = ++s->seq;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = cmd;
	g->version = type == GENL_ID_CTRL ? 1 : s->version;
	return nlh;
}

/* One request: the socket, and what to do with each data message. */
struct genl_call {
	struct pctl_genl *s;
	mnl_cb_t cb;
	void *data;
};

static int data_cb(const struct nlmsghdr *nlh, void *data)
{
	struct genl_call *c = data;

	return c->cb ? c->cb(nlh, c->data) : MNL_CB_OK;
}

static int err_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
	struct pctl_genl *s = ((struct genl_call *)data)->s;
	const struct nlattr *attr;
	size_t off;
	int left;

	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*e)) {
		errno = EPROTO;
		return MNL_CB_ERROR;
	}
	if (!e->error)
		return MNL_CB_STOP;
	/* The extack TLVs follow the error and the (capped) request. */
	off = sizeof(*e);
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		off += e->msg.nlmsg_len - sizeof(e->msg);
	if ((nlh->nlmsg_flags & NLM_F_ACK_TLVS) &&
	    mnl_nlmsg_get_payload_len(nlh) > off) {
		left = (int)(mnl_nlmsg_get_payload_len(nlh) - off);
		attr = (const void *)((const char *)e + off);
		while (mnl_attr_ok(attr, left)) {
			if (mnl_attr_get_type(attr) == NLMSGERR_ATTR_MSG &&
			    mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) >= 0)
				snprintf(s->ext, sizeof(s->ext), "%s",
					 mnl_attr_get_str(attr));
			left -= MNL_ALIGN(attr->nla_len);
			attr = mnl_attr_next(attr);
		}
	}
	errno = -e->error;
	return MNL_CB_ERROR;
}

static int done_cb(const struct nlmsghdr *nlh, void *data)
{
	(void)nlh;
	(void)data;
	return MNL_CB_STOP;
}

int pctl_genl_run(struct pctl_genl *s, struct nlmsghdr *req, mnl_cb_t cb,
		  void *data)
{
	/* libmnl calls no default for a type this array covers: set both. */
	mnl_cb_t ctl[NLMSG_MIN_TYPE] = {
		[NLMSG_ERROR] = err_cb,
		[NLMSG_DONE] = done_cb,
	};
	struct genl_call call = { s, cb, data };
	ssize_t n;
	int ret;

	s->ext[0] = '\0';
	if (mnl_socket_sendto(s->sock, req, req->nlmsg_len) < 0)
		return -errno;
	do {
		n = mnl_socket_recvfrom(s->sock, s->buf, sizeof(s->buf));
		if (n < 0)
			return -errno;
		errno = 0;
		ret = mnl_cb_run2(s->buf, n, req->nlmsg_seq, s->portid,
				  data_cb, &call, ctl, NLMSG_MIN_TYPE);
		if (ret < 0)
			return errno ? -errno : -EPROTO;
	} while (ret > 0);
	return 0;
}

static int family_attr(const struct nlattr *a, void *data)
{
	if (mnl_attr_get_type(a) == CTRL_ATTR_FAMILY_ID &&
	    mnl_attr_validate(a, MNL_TYPE_U16) >= 0)
		((struct pctl_genl *)data)->family = mnl_attr_get_u16(a);
	return MNL_CB_OK;
}

static int family_cb(const struct nlmsghdr *nlh, void *data)
{
	return mnl_attr_parse(nlh, GENL_HDRLEN, family_attr, data);
}

int pctl_genl_open(struct pctl_genl *s, const char *name, __u8 version)
{
	char req[PCTL_GENL_REQ];
	struct nlmsghdr *nlh;
	int one = 1, err;

	memset(s, 0, offsetof(struct pctl_genl, buf));
	s->seq = (__u32)time(NULL);
	s->version = version;
	s->sock = mnl_socket_open(NETLINK_GENERIC);
	if (!s->sock)
		return -errno;
	if (mnl_socket_bind(s->sock, 0, MNL_SOCKET_AUTOPID) < 0) {
		err = -errno;
		mnl_socket_close(s->sock);
		s->sock = NULL;
		return err;
	}
	s->portid = mnl_socket_get_portid(s->sock);
	/* Best effort: old kernels only lose the messages. */
	mnl_socket_setsockopt(s->sock, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(s->sock, NETLINK_CAP_ACK, &one, sizeof(one));
	nlh = pctl_genl_req(s, req, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, NLM_F_ACK);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, name);
	err = pctl_genl_run(s, nlh, family_cb, s);
	if (!err && !s->family)
		err = -ENOENT;
	if (err) {
		mnl_socket_close(s->sock);
		s->sock = NULL;
	}
	return err;
}

void pctl_genl_close(struct pctl_genl *s)
{
	if (s->sock)
		mnl_socket_close(s->sock);
	s->sock = NULL;
}
