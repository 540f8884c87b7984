// SPDX-License-Identifier: MIT
/*
 * Choosing a backend. PKTPOOL_BACKEND=memfd or =kernel forces one (kernel
 * fails with -ENODEV or -EOPNOTSUPP when /dev/pktpool cannot make
 * regions); unset or "auto" takes the kernel when it can, memfd otherwise.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

int pktpool__kernel_probe(void);

int pktpool__backend_select(const struct pktpool__backend **be)
{
	const char *v = getenv("PKTPOOL_BACKEND");
	int err;

	if (v && strcmp(v, "memfd") == 0) {
		*be = &pktpool__backend_memfd;
		return 0;
	}
	if (v && strcmp(v, "kernel") == 0) {
		err = pktpool__kernel_probe();
		if (err)
			return err;
		*be = &pktpool__backend_kernel;
		return 0;
	}
	if (v && *v && strcmp(v, "auto") != 0)
		return -EINVAL;
	*be = pktpool__kernel_probe() ? &pktpool__backend_memfd :
					&pktpool__backend_kernel;
	return 0;
}
