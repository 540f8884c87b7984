// SPDX-License-Identifier: MIT
/*
 * Which peers this binary holds, in table order. The driver (bench) holds
 * the fixed-size pools and glibc and starts the binaries of the
 * allocators that replace malloc; each of those holds its one allocator.
 */
#include <stddef.h>

#include "bench.h"

extern const struct bench_peer bench_malloc;

#ifdef BENCH_DRIVER

extern const struct bench_peer bench_pktpool, bench_pktpool_nc, bench_mutex;
extern const struct bench_peer bench_pktpool_idx;
#ifdef HAVE_DPDK
extern const struct bench_peer bench_dpdk_ring256, bench_dpdk_ring0,
	bench_dpdk_stack256, bench_dpdk_stack0;
#endif

/* the pool set, allocating by size (peer_pktpool.c) */
extern const struct bench_peer bench_pktpool_set;

const struct bench_peer *const bench_local_peers[] = {
	&bench_pktpool,
	&bench_pktpool_idx,
	&bench_pktpool_nc,
	&bench_pktpool_set,
#ifdef HAVE_DPDK
	&bench_dpdk_ring256,
	&bench_dpdk_ring0,
	&bench_dpdk_stack256,
	&bench_dpdk_stack0,
#endif
	&bench_mutex,
	&bench_malloc,		/* glibc */
};

const char *const bench_children[] = {
	"bench-jemalloc", "bench-mimalloc", "bench-tcmalloc", NULL,
};

#else

const struct bench_peer *const bench_local_peers[] = { &bench_malloc };
const char *const bench_children[] = { NULL };

#endif

const unsigned int bench_nlocal =
	sizeof(bench_local_peers) / sizeof(bench_local_peers[0]);
