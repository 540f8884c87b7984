// SPDX-License-Identifier: MIT
/*
 * Warm-up and placement of a region, on the public API: fault its pages
 * in (and lock them) before traffic does, fill the calling thread's
 * cache, and put a memfd region's pages on a NUMA node.
 *
 * The whole region is the mapping from slot 0 back to offset 0 of the
 * layout (pktpool_get_layout()): slots start on a page at off_slots.
 */
#include <errno.h>
#include <linux/mempolicy.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "libpktpool.h"

#define EXPORT	__attribute__((visibility("default")))
#define PAGE	4096u

/* This process's mapping of the whole region. */
static int region_span(struct pktpool *p, unsigned char **base, size_t *len)
{
	struct pktpool_layout lay;
	unsigned char *slots = pktpool_idx_to_ptr(p, 0);
	int err;

	if (!slots)
		return -EINVAL;
	err = pktpool_get_layout(p, &lay);
	if (err)
		return err;
	*base = slots - lay.off_slots;
	*len = (size_t)lay.size;
	return 0;
}

EXPORT int pktpool_prefault(struct pktpool *p, uint32_t flags)
{
	unsigned char *base;
	size_t len, off;
	int err;

	if (flags & ~PKTPOOL_PREFAULT_MLOCK)
		return -EINVAL;
	err = region_span(p, &base, &len);
	if (err)
		return err;
	if (madvise(base, len, MADV_POPULATE_WRITE)) {
		/*
		 * Older kernels, or a mapping populate refuses: touch every
		 * page. An atomic add of 0 writes (so the fault is a write
		 * fault) without changing a byte another process may be
		 * writing at the same time.
		 */
		for (off = 0; off < len; off += PAGE)
			__atomic_fetch_add(base + off, 0, __ATOMIC_RELAXED);
	}
	if ((flags & PKTPOOL_PREFAULT_MLOCK) && mlock(base, len))
		return -errno;
	return 0;
}

EXPORT int pktpool_warm_cache(struct pktpool *p)
{
	void *objs[PKTPOOL_CACHE_MAX];
	struct pktpool_stats st;
	unsigned int want;
	int got, err;

	err = pktpool_stats(p, &st);
	if (err)
		return err;
	want = st.cache_cap;
	if (want > PKTPOOL_CACHE_MAX)
		want = PKTPOOL_CACHE_MAX;
	/* take a cacheful (refilling from the shared list) and give it
	 * back: frees go to this thread's cache first */
	got = pktpool_alloc_bulk(p, objs, want);
	if (got < 0)
		return got;
	err = pktpool_free_bulk(p, objs, (unsigned int)got);
	if (err)
		return err;
	err = pktpool_stats(p, &st);
	return err ? err : (int)st.cache_fill;
}

EXPORT int pktpool_bind_node(struct pktpool *p, int node, uint32_t flags)
{
	unsigned long mask[16] = { 0 };	/* nodes 0..1023 */
	const unsigned long bits = 8 * sizeof(mask[0]);
	unsigned char *base;
	size_t len;
	int err;

	if ((flags & ~PKTPOOL_NODE_PREFERRED) || node < 0 ||
	    (unsigned long)node >= bits * 16)
		return -EINVAL;
	if (strcmp(pktpool_backend_name(p), "memfd") != 0)
		return pktpool_slot_size(p) ? -EOPNOTSUPP : -EINVAL;
	err = region_span(p, &base, &len);
	if (err)
		return err;
	mask[node / bits] = 1ul << (node % bits);
	/* on a shared mapping of tmpfs the policy is the file's: every
	 * process's faults follow it; pages already there move if only
	 * this process maps them */
	if (syscall(SYS_mbind, base, len,
		    (flags & PKTPOOL_NODE_PREFERRED) ? MPOL_PREFERRED : MPOL_BIND,
		    mask, bits * 16 + 1, MPOL_MF_MOVE))
		return -errno;
	return 0;
}
