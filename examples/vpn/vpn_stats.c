// SPDX-License-Identifier: MIT
/*
 * Counters as key=value lines, one block per report: "state=..." first
 * (running, exit), the counters in the order of vpn.h, then an empty
 * line. Built in memory and written with one write() so a reader of a
 * pipe or file never sees half a block.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <unistd.h>

#include "vpn.h"

int pktpool_vpn_stats_write(int fd, const struct pktpool_vpn_stats *st,
			    const char *state)
{
	char buf[2048];
	size_t off = 0, left;
	ssize_t n;
	int len;

	len = snprintf(buf, sizeof(buf), "state=%s\n", state);
	if (len < 0 || (size_t)len >= sizeof(buf))
		return -ENOSPC;
	off = (size_t)len;
#define PKTPOOL_VPN_LINE(f) \
	len = snprintf(buf + off, sizeof(buf) - off, #f "=%" PRIu64 "\n", \
		       st->f); \
	if (len < 0 || (size_t)len >= sizeof(buf) - off) \
		return -ENOSPC; \
	off += (size_t)len;
	PKTPOOL_VPN_COUNTERS(PKTPOOL_VPN_LINE)
#undef PKTPOOL_VPN_LINE
	if (off + 1 >= sizeof(buf))
		return -ENOSPC;
	buf[off++] = '\n';
	for (left = 0; left < off; left += (size_t)n) {
		n = write(fd, buf + left, off - left);
		if (n < 0 && errno == EINTR) {
			n = 0;
			continue;
		}
		if (n <= 0)
			return n < 0 ? -errno : -EIO;
	}
	return 0;
}
