// SPDX-License-Identifier: MIT
/*
 * Warm-up and placement: prefault makes every page of a region resident
 * without changing a byte (and mlock locks them), warm_cache fills the
 * calling thread's cache, bind_node puts a memfd region's memory on a
 * NUMA node (mbind policy visible with get_mempolicy), slot alignment is
 * the largest power of 2 dividing the slot size up to 4096; the same
 * options of a pool set (align, PKTPOOL_SET_F_NODE, _PREFAULT) and
 * pktpool_set_warm().
 */
#include <linux/mempolicy.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include "util.h"

static size_t resident(void *addr, size_t len)
{
	size_t pages = (len + 4095) / 4096, n = 0, i;
	unsigned char *v = malloc(pages);

	if (!v || mincore(addr, len, v)) {
		free(v);
		return (size_t)-1;
	}
	for (i = 0; i < pages; i++)
		n += v[i] & 1;
	free(v);
	return n;
}

/* The policy of the page at addr: mode, and the node mask's first word. */
static int policy_of(void *addr, int *mode, unsigned long *mask)
{
	unsigned long m[16] = { 0 };

	if (syscall(SYS_get_mempolicy, mode, m, 1025, addr, MPOL_F_ADDR))
		return -errno;
	*mask = m[0];
	return 0;
}

static int node_of(void *addr)
{
	int node = -1;

	if (syscall(SYS_get_mempolicy, &node, NULL, 0, addr,
		    MPOL_F_NODE | MPOL_F_ADDR))
		return -errno;
	return node;
}

/* Residency is only to be seen on memfd regions: the kernel backend's
 * pages are all there from the mmap on. */
static bool memfd(struct pktpool *p)
{
	return strcmp(pktpool_backend_name(p), "memfd") == 0;
}

static void test_prefault(void)
{
	struct pktpool *p = make_pool(2048, 256, 0);
	unsigned char *s0, *s9;
	size_t len = 2048 * 256;
	bool mfd;
	int err;

	require(p);
	mfd = memfd(p);
	s0 = pktpool_idx_to_ptr(p, 0);
	s9 = pktpool_idx_to_ptr(p, 9);
	ok(!mfd || resident(s0, len) <= 1,
	   "prefault: slots not resident before (%zu)%s", resident(s0, len),
	   mfd ? "" : " # SKIP kernel region");
	memset(s9, 0x5a, 2048);
	err = pktpool_prefault(p, 0);
	ok(err == 0 && (!mfd || resident(s0, len) == len / 4096),
	   "prefault: every slot page resident after (%s)", pktpool_strerror(err));
	ok(s9[0] == 0x5a && s9[2047] == 0x5a && s0[0] == 0,
	   "prefault: no byte changed");
	ok(pktpool_prefault(p, 1u << 7) == -EINVAL,
	   "prefault: unknown flag is -EINVAL");
	ok(pktpool_prefault(NULL, 0) == -EINVAL, "prefault: NULL is -EINVAL");
	err = pktpool_prefault(p, PKTPOOL_PREFAULT_MLOCK);
	if (err == -ENOMEM || err == -EPERM) {
		diag("mlock refused (%s): RLIMIT_MEMLOCK", pktpool_strerror(err));
		ok(1, "prefault: mlock refused by the limit, reported # SKIP");
	} else {
		unsigned char v = 0;

		ok(err == 0 && (!mfd || (mincore(s0, 4096, &v) == 0 && (v & 1))),
		   "prefault: with PKTPOOL_PREFAULT_MLOCK, locked (%s)",
		   pktpool_strerror(err));
		munlock(s0, len);
	}
	pktpool_detach(p);
}

static void test_warm_cache(void)
{
	struct pktpool *p = make_pool(256, 1024, 0), *nc;
	struct pktpool_stats st;
	int n;

	require(p);
	pktpool_stats(p, &st);
	ok(st.cache_fill == 0, "warm_cache: empty cache before");
	n = pktpool_warm_cache(p);
	pktpool_stats(p, &st);
	ok(n > 0 && (uint32_t)n == st.cache_cap && st.cache_fill == st.cache_cap,
	   "warm_cache: the calling thread's cache full (%d of %u)", n,
	   st.cache_cap);
	ok(st.in_use == 0, "warm_cache: nothing handed out");
	pktpool_free(p, pktpool_alloc(p));
	pktpool_stats(p, &st);
	ok(st.cache_fill == st.cache_cap, "warm_cache: alloc/free from the cache");
	ok(pktpool_warm_cache(NULL) == -EINVAL, "warm_cache: NULL is -EINVAL");
	pktpool_detach(p);
	nc = make_pool(256, 64, PKTPOOL_F_NOCACHE);
	require(nc);
	ok(pktpool_warm_cache(nc) == 0, "warm_cache: no cache, 0 slots");
	pktpool_detach(nc);
}

static void test_bind_node(void)
{
	struct pktpool *p = make_pool(4096, 64, 0);
	unsigned long mask = 0;
	int mode = -1, err;
	void *s0;

	require(p);
	s0 = pktpool_idx_to_ptr(p, 0);
	if (strcmp(pktpool_backend_name(p), "memfd") != 0) {
		ok(pktpool_bind_node(p, 0, 0) == -EOPNOTSUPP,
		   "bind_node: kernel backend is -EOPNOTSUPP");
		pktpool_detach(p);
		return;
	}
	err = pktpool_bind_node(p, 0, 0);
	if (err == -ENOSYS) {
		ok(1, "bind_node: no NUMA in this kernel # SKIP");
		pktpool_detach(p);
		return;
	}
	ok(err == 0, "bind_node: node 0 (%s)", pktpool_strerror(err));
	err = policy_of(s0, &mode, &mask);
	ok(err == 0 && mode == MPOL_BIND && mask == 1,
	   "bind_node: the slots' policy is MPOL_BIND to node 0 (%d, %#lx)",
	   mode, mask);
	pktpool_prefault(p, 0);
	ok(node_of(s0) == 0, "bind_node: pages faulted afterwards on node 0");
	ok(pktpool_bind_node(p, 0, PKTPOOL_NODE_PREFERRED) == 0 &&
	   policy_of(s0, &mode, &mask) == 0 && mode == MPOL_PREFERRED,
	   "bind_node: PKTPOOL_NODE_PREFERRED is MPOL_PREFERRED");
	ok(pktpool_bind_node(p, 1000, 0) == -EINVAL,
	   "bind_node: a node the system lacks is -EINVAL");
	ok(pktpool_bind_node(p, -1, 0) == -EINVAL &&
	   pktpool_bind_node(p, 1 << 20, 0) == -EINVAL,
	   "bind_node: node out of range is -EINVAL");
	ok(pktpool_bind_node(p, 0, 1u << 9) == -EINVAL,
	   "bind_node: unknown flag is -EINVAL");
	ok(pktpool_bind_node(NULL, 0, 0) == -EINVAL, "bind_node: NULL is -EINVAL");
	pktpool_detach(p);
}

static void test_align(void)
{
	static const uint32_t sizes[][2] = {
		{ 64, 64 }, { 192, 64 }, { 128, 128 }, { 2048, 2048 },
		{ 4096, 4096 }, { 12288, 4096 }, { 65536, 4096 },
	};
	unsigned int i, j, bad = 0;

	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		struct pktpool *p = make_pool(sizes[i][0], 16, 0);

		require(p);
		if (pktpool_slot_align(p) != sizes[i][1])
			bad++;
		for (j = 0; j < 16; j++)
			if ((uintptr_t)pktpool_idx_to_ptr(p, j) %
			    pktpool_slot_align(p))
				bad++;
		pktpool_detach(p);
	}
	ok(bad == 0, "slot_align: power of 2 of the slot size up to 4096, every slot so");
	ok(pktpool_slot_align(NULL) == 0, "slot_align: NULL is 0");
}

static bool desc_exists(const char *name)
{
	char path[96];
	struct stat st;

	snprintf(path, sizeof(path), "/dev/shm/pktpool-set.%s", name);
	return stat(path, &st) == 0;
}

static void test_set_options(void)
{
	struct pktpool_set_config cfg = {
		.nclasses = 2, .align = 4096,
		.cls = { { 4096, 16 }, { 8192, 16 } },
	};
	struct pktpool_set_class_info ci;
	struct pktpool_set *s = NULL;
	char name[32];
	unsigned long mask = 0;
	int mode = -1, err, i, bad = 0;
	void *o[8];

	err = pktpool_set_create(&cfg, &s);
	ok(err == 0, "set align: 4096 with classes of 4096 and 8192");
	for (i = 0; i < 8 && s; i++) {
		o[i] = pktpool_set_alloc(s, i % 2 ? 5000 : 100);
		bad += !o[i] || (uintptr_t)o[i] % 4096;
	}
	ok(s && bad == 0, "set align: every slot 4096-aligned");
	for (i = 0; i < 8 && s; i++)
		pktpool_set_free(s, o[i]);
	pktpool_set_detach(s);
	cfg.cls[0].slot_size = 2048;
	ok(pktpool_set_create(&cfg, &s) == -EINVAL,
	   "set align: a class not a multiple is -EINVAL");
	cfg.cls[0].slot_size = 4096;
	cfg.align = 96;
	ok(pktpool_set_create(&cfg, &s) == -EINVAL,
	   "set align: not a power of 2 is -EINVAL");
	cfg.align = 8192;
	ok(pktpool_set_create(&cfg, &s) == -EINVAL,
	   "set align: above 4096 is -EINVAL");
	cfg.align = 0;

	snprintf(name, sizeof(name), "t-warm-%d", (int)getpid());
	pktpool_set_unlink(name);
	{
		struct pktpool *probe = make_pool(64, 1, 0);
		bool mfd;

		require(probe);
		mfd = memfd(probe);
		pktpool_detach(probe);
		if (!mfd) {
			ok(1, "set node and prefault # SKIP kernel regions");
			return;
		}
	}
	cfg.name = name;
	cfg.numa_node = 3;
	ok(pktpool_set_create(&cfg, &s) == -EINVAL,
	   "set node: numa_node without PKTPOOL_SET_F_NODE is -EINVAL");
	cfg.flags = PKTPOOL_SET_F_NODE;
	cfg.numa_node = 1000;
	err = pktpool_set_create(&cfg, &s);
	ok(err == -EINVAL && !desc_exists(name) &&
	   pktpool_attach(strcat(strcpy((char[48]){ 0 }, name), "-0"), 0,
			  &(struct pktpool *){ NULL }) == -ENOENT,
	   "set node: a missing node fails the create, nothing left (%d)", err);
	cfg.numa_node = 0;
	cfg.flags = PKTPOOL_SET_F_NODE | PKTPOOL_SET_F_PREFAULT;
	err = pktpool_set_create(&cfg, &s);
	ok(err == 0, "set node+prefault: create (%s)", pktpool_strerror(err));
	if (err)
		return;
	ok(policy_of((void *)s->base[1], &mode, &mask) == 0 && mode == MPOL_BIND &&
	   mask == 1, "set node: regions bound to node 0");
	ok(resident((void *)s->base[1], s->len[1]) == s->len[1] / 4096,
	   "set prefault: every slot page resident");
	ok(pktpool_set_warm(s, 0) == 0 &&
	   pktpool_set_class_info(s, 0, &ci) == 0 && ci.cached > 0 &&
	   ci.in_use == 0, "set warm: the thread's cache of each class filled");
	ok(pktpool_set_warm(s, 1u << 5) == -EINVAL,
	   "set warm: unknown flag is -EINVAL");
	pktpool_set_detach(s);
	pktpool_set_unlink(name);
}

int main(void)
{
	test_prefault();
	test_warm_cache();
	test_bind_node();
	test_align();
	test_set_options();
	return tap_done();
}
