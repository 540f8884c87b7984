// SPDX-License-Identifier: GPL-2.0
/*
 * pktpool_nocap COMMAND [ARG...]: run COMMAND without CAP_NET_ADMIN.
 *
 * Used by vm-tests.sh to check pktpoolctl's errors for unprivileged users.
 * setpriv --bounding-set=-net_admin did not drop the capability in the test
 * VM, so this drops it from the bounding, inheritable, permitted and
 * effective sets itself and checks /proc/self/status before exec. Dropping
 * it from the bounding and inheritable sets keeps it out of a root exec too.
 *
 * Exit status: COMMAND's, or 125 when the capability could not be dropped,
 * 126/127 when COMMAND could not be run.
 */
#include "pktpool_util.h"

int main(int argc, char **argv)
{
	int err;

	if (argc < 2) {
		fprintf(stderr, "usage: %s COMMAND [ARG...]\n", argv[0]);
		return 125;
	}
	err = pp_drop_cap(CAP_NET_ADMIN);
	if (err) {
		fprintf(stderr, "%s: cannot drop CAP_NET_ADMIN: %s\n", argv[0],
			strerror(-err));
		return 125;
	}
	execvp(argv[1], argv + 1);
	err = errno;
	fprintf(stderr, "%s: %s: %s\n", argv[0], argv[1], strerror(err));
	return err == ENOENT ? 127 : 126;
}
