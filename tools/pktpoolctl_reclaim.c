// SPDX-License-Identifier: GPL-2.0
/*
 * pktpoolctl region reclaim: give back the slots that processes which
 * died (or detached with slots out) still held in a region. This goes
 * through libpktpool, since the free list and the process records live in
 * the region and only the library knows them; the kernel never reads them.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "libpktpool.h"
#include "pktpoolctl.h"

int pctl_region_reclaim(struct ctl *ctl, int argc, char **argv)
{
	uint32_t flags = 0;
	const char *name = NULL;
	struct pktpool *p;
	__u64 pid = 0;
	int i, n, err;

	(void)ctl;
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--pid") && i + 1 < argc) {
			if (!pctl_parse_u64(argv[++i], &pid) || !pid ||
			    pid > 0x7fffffff)
				return pctl_usage_error("--pid takes a process id, not '%s'",
							argv[i]);
		} else if (!strcmp(argv[i], "--idle")) {
			flags |= PKTPOOL_RECLAIM_IDLE;
		} else if (!name && argv[i][0] != '-') {
			name = argv[i];
		} else {
			return pctl_usage_error("usage: %s region reclaim NAME [--pid PID] [--idle]",
						pctl_prog);
		}
	}
	if (!name)
		return pctl_usage_error("usage: %s region reclaim NAME [--pid PID] [--idle]",
					pctl_prog);

	err = pktpool_attach(name, 0, &p);
	if (err) {
		pctl_err("cannot attach region '%s': %s%s", name,
			 pktpool_strerror(err),
			 err == -ENOENT ? " (see 'pktpoolctl region list')" : "");
		return 1;
	}
	n = pktpool_reclaim(p, (pid_t)pid, flags);
	pktpool_detach(p);
	if (n < 0) {
		pctl_err("reclaim in region '%s': %s%s", name, pktpool_strerror(n),
			 n == -EBUSY ? " (that process is still running)" : "");
		return 1;
	}
	printf("reclaimed %d slot%s in region '%s'\n", n, n == 1 ? "" : "s",
	       name);
	return 0;
}
