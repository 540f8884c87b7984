// SPDX-License-Identifier: MIT
/*
 * DPDK's rte_mempool over its two software backends, "ring_mp_mc" (the
 * default: a lock-free multi-producer multi-consumer ring) and "stack" (a
 * lock-protected stack), each with a per-lcore cache of 256 objects and
 * without one. EAL runs without hugepages or PCI, on lcores 0 and 1.
 */
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_mempool.h>
#include <rte_version.h>

#include "bench.h"

int bench_dpdk_init(void)
{
	char prefix[64];
	char *eal[] = { "bench", "-l", "0-1", "--no-huge", "--no-pci",
			"-m", "512", "--file-prefix", prefix, "--log-level",
			"lib.*:warning", NULL };

	snprintf(prefix, sizeof(prefix), "pktpool-bench-%d", (int)getpid());
	if (rte_eal_init(11, eal) < 0) {
		fprintf(stderr, "bench: rte_eal_init: %s\n",
			rte_strerror(rte_errno));
		return -1;
	}
	return 0;
}

void bench_dpdk_fini(void)
{
	/* EAL leaves its runtime directory behind: remove ours */
	char dir[PATH_MAX], cmd[PATH_MAX + 16];

	snprintf(dir, sizeof(dir), "%s", rte_eal_get_runtime_dir());
	rte_eal_cleanup();
	if (strstr(dir, "pktpool-bench-") && !strchr(dir, '\'')) {
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
		if (system(cmd))
			fprintf(stderr, "bench: could not remove %s\n", dir);
	}
}

static const char *dpdk_version(void)
{
	return rte_version();
}

enum { RING256, RING0, STACK256, STACK0, NMP };

static const struct {
	const char *ops;
	unsigned int cache;
} mp_conf[NMP] = {
	[RING256] = { "ring_mp_mc", 256 },
	[RING0] = { "ring_mp_mc", 0 },
	[STACK256] = { "stack", 256 },
	[STACK0] = { "stack", 0 },
};

static struct rte_mempool *mp[NMP];

static int mp_setup(int k, uint32_t size)
{
	char name[RTE_MEMPOOL_NAMESIZE];
	int err;

	snprintf(name, sizeof(name), "b%d-%u", k, size);
	/* 2^n - 1 objects is what DPDK's documentation advises for rings */
	mp[k] = rte_mempool_create_empty(name, BENCH_NOBJ - 1, size,
					 mp_conf[k].cache, 0, SOCKET_ID_ANY, 0);
	if (!mp[k]) {
		fprintf(stderr, "bench: rte_mempool_create_empty: %s\n",
			rte_strerror(rte_errno));
		return -1;
	}
	err = rte_mempool_set_ops_byname(mp[k], mp_conf[k].ops, NULL);
	if (err) {
		fprintf(stderr, "bench: mempool ops %s: %s\n", mp_conf[k].ops,
			rte_strerror(-err));
		goto fail;
	}
	err = rte_mempool_populate_default(mp[k]);
	if (err != BENCH_NOBJ - 1) {
		fprintf(stderr, "bench: rte_mempool_populate_default: %s\n",
			err < 0 ? rte_strerror(-err) : "short");
		goto fail;
	}
	return 0;
fail:
	rte_mempool_free(mp[k]);
	mp[k] = NULL;
	return -1;
}

static void mp_teardown(int k)
{
	rte_mempool_free(mp[k]);
	mp[k] = NULL;
}

static inline void *mp_get(struct rte_mempool *m)
{
	void *o;

	return rte_mempool_get(m, &o) == 0 ? o : NULL;
}

#define D_FREE(o)	rte_mempool_put(M, o)
#define D_ALLOC_BULK(objs)						\
	do {								\
		if (rte_mempool_get_bulk(M, objs, BENCH_BULK))		\
			abort();					\
	} while (0)
#define D_FREE_BULK(objs)	rte_mempool_put_bulk(M, objs, BENCH_BULK)

#define DPDK_PEER(NAME, K, ID, LABEL)					\
BENCH_DEFINE_CASES(NAME, struct rte_mempool *M = mp[K], mp_get(M),	\
		   D_FREE, D_ALLOC_BULK, D_FREE_BULK,			\
		   (uint64_t)(uintptr_t)o, (void *)(uintptr_t)v)	\
static int NAME##_setup(uint32_t size)					\
{									\
	return mp_setup(K, size);					\
}									\
static void NAME##_teardown(void)					\
{									\
	mp_teardown(K);							\
}									\
const struct bench_peer bench_##NAME = {				\
	.id = ID,							\
	.name = LABEL,							\
	.version = dpdk_version,					\
	.setup = NAME##_setup,						\
	.teardown = NAME##_teardown,					\
	.run = BENCH_CASES(NAME),					\
};

DPDK_PEER(dpdk_ring256, RING256, "dpdk-ring-256", "DPDK ring, cache 256")
DPDK_PEER(dpdk_ring0, RING0, "dpdk-ring-0", "DPDK ring, cache 0")
DPDK_PEER(dpdk_stack256, STACK256, "dpdk-stack-256", "DPDK stack, cache 256")
DPDK_PEER(dpdk_stack0, STACK0, "dpdk-stack-0", "DPDK stack, cache 0")
