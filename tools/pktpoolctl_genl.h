/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A generic netlink client for the families of pktpool's other modules
 * (pktpool_nf, pktpool_vdev): one socket, the family resolved by name,
 * requests with acks, and the kernel's extended ack message kept for the
 * error report.
 */
#ifndef PKTPOOLCTL_GENL_H
#define PKTPOOLCTL_GENL_H

#include <libmnl/libmnl.h>
#include <linux/types.h>

#define PCTL_GENL_BUF	16384
#define PCTL_GENL_REQ	1024	/* bytes of a request buffer */

struct pctl_genl {
	struct mnl_socket *sock;
	__u32 portid, seq;
	__u16 family;		/* 0 until resolved */
	__u8 version;		/* the family's */
	char ext[256];		/* the kernel's extack message, if any */
	char buf[PCTL_GENL_BUF];
};

/*
 * Open a socket and resolve family name: 0, -ENOENT when the family is
 * missing (its module is not loaded), or another -errno. s->family tells
 * the two apart for the caller's message. Nothing is left open on error.
 */
int pctl_genl_open(struct pctl_genl *s, const char *name, __u8 version);
void pctl_genl_close(struct pctl_genl *s);

/* A request header in buf (PCTL_GENL_REQ bytes) for cmd of family type. */
struct nlmsghdr *pctl_genl_req(struct pctl_genl *s, char *buf, __u16 type,
			       __u8 cmd, __u16 flags);

/*
 * Send req and read the answer up to its ack or dump end, calling cb (may
 * be NULL) for each data message: 0 or -errno, with s->ext set from the
 * kernel's extack.
 */
int pctl_genl_run(struct pctl_genl *s, struct nlmsghdr *req, mnl_cb_t cb,
		  void *data);

#endif /* PKTPOOLCTL_GENL_H */
