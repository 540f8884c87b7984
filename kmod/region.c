// SPDX-License-Identifier: GPL-2.0
/*
 * Regions: named, zeroed blocks of pages that processes share by mapping
 * /dev/pktpool. The kernel allocates, maps and frees them and never reads
 * what userspace writes there, so nothing a process leaves in a region can
 * mislead it. A region lives while anything refers to it: the registry
 * (until destroyed), every attached file and every mapping.
 *
 * Lock order: pktpool_regions_lock, then a file's lock. mmap() runs under
 * the mm's mmap_lock and takes only the file's lock; copies to and from
 * userspace happen with neither held.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/overflow.h>
#include <linux/refcount.h>
#include <linux/slab.h>
#include <linux/uidgid.h>

#include "compat.h"
#include "netlink.h"
#include "pool.h"
#include "region.h"
#include "trace.h"

/* A region's mmap offset is its id << 32: a 4 GiB window each. */
#define PKTPOOL_REGION_OFF_SHIFT	32
#define PKTPOOL_REGION_PGOFF_SHIFT	(PKTPOOL_REGION_OFF_SHIFT - PAGE_SHIFT)
#define PKTPOOL_REGION_SLOTS_LIMIT	16777216U	/* 16M */

static unsigned int region_max_slots = 1U << 20;
module_param(region_max_slots, uint, 0444);
MODULE_PARM_DESC(region_max_slots, "Most slots in one region, at most 16M (default 1M)");

static unsigned long region_max_bytes = 256UL << 20;
module_param(region_max_bytes, ulong, 0444);
MODULE_PARM_DESC(region_max_bytes, "Memory all regions may use together (default 256 MiB)");

static unsigned int max_regions = 64;
module_param(max_regions, uint, 0444);
MODULE_PARM_DESC(max_regions, "Most regions that may exist at once (default 64)");

struct pktpool_region {
	refcount_t ref;
	u32 id;
	u32 flags;
	u32 mode;
	kuid_t uid;
	kgid_t gid;
	u32 slot_size;
	u32 slot_count;
	int node;
	u64 ring_off;
	u64 ring_size;
	u64 meta_off;
	u64 meta_size;
	u64 slots_off;
	u64 slots_size;
	u64 size;
	unsigned long nr_pages;
	struct page **pages;
	atomic_t attached;
	atomic_t mappings;
	char name[PKTPOOL_NAME_MAX];
};

static DEFINE_MUTEX(pktpool_regions_lock);	/* the registry below */
static DEFINE_XARRAY_ALLOC1(pktpool_regions);
static u32 pktpool_next_region_id;
static unsigned int pktpool_nr_regions;
/* Memory of every region not yet freed, destroyed ones included. */
static atomic_long_t pktpool_region_bytes = ATOMIC_LONG_INIT(0);

u32 pktpool_region_max(void)
{
	return max_regions;
}

/*
 * The last reference drops with pktpool_regions_lock held, so a lookup
 * under the lock never finds a region on its way out. A named region has
 * left the registry when it was destroyed; an anonymous one leaves it
 * here, with its last file or mapping.
 */
static void pktpool_region_put(struct pktpool_region *r)
{
	unsigned long i;

	if (!refcount_dec_and_mutex_lock(&r->ref, &pktpool_regions_lock))
		return;
	if (r->id && xa_cmpxchg(&pktpool_regions, r->id, r, NULL, 0) == r)
		pktpool_nr_regions--;
	mutex_unlock(&pktpool_regions_lock);

	for (i = 0; i < r->nr_pages; i++)
		if (r->pages[i])
			__free_page(r->pages[i]);
	kvfree(r->pages);
	atomic_long_sub(r->size, &pktpool_region_bytes);
	kfree(r);
}

/* Part offsets; every product is checked, though the bounds forbid overflow. */
static int pktpool_region_layout(struct pktpool_region *r)
{
	u64 ring_bytes, meta_bytes, slot_bytes;

	ring_bytes = PKTPOOL_REGION_RING_HDR +
		     (u64)roundup_pow_of_two(r->slot_count) * sizeof(u32);
	r->ring_off = PKTPOOL_REGION_CTRL_SIZE;
	r->ring_size = 2 * PAGE_ALIGN(ring_bytes);
	if (check_mul_overflow((u64)r->slot_count,
			       (u64)PKTPOOL_REGION_META_SIZE, &meta_bytes) ||
	    check_mul_overflow((u64)r->slot_count, (u64)r->slot_size,
			       &slot_bytes))
		return -EINVAL;
	r->meta_off = r->ring_off + r->ring_size;
	r->meta_size = PAGE_ALIGN(meta_bytes);
	r->slots_off = r->meta_off + r->meta_size;
	r->slots_size = PAGE_ALIGN(slot_bytes);
	if (check_add_overflow(r->slots_off, r->slots_size, &r->size) ||
	    r->size >= (1ULL << PKTPOOL_REGION_OFF_SHIFT) ||
	    r->size > region_max_bytes)
		return -EINVAL;
	r->nr_pages = r->size >> PAGE_SHIFT;
	return 0;
}

static int pktpool_region_alloc_pages(struct pktpool_region *r)
{
	unsigned long i;

	/* Charged to the creator's memory cgroup. */
	r->pages = kvcalloc(r->nr_pages, sizeof(*r->pages), GFP_KERNEL_ACCOUNT);
	if (!r->pages)
		return -ENOMEM;
	for (i = 0; i < r->nr_pages; i++) {
		r->pages[i] = alloc_pages_node(r->node, GFP_KERNEL_ACCOUNT |
					       __GFP_ZERO | __GFP_NOWARN, 0);
		if (!r->pages[i])
			return -ENOMEM;	/* the caller's put frees the rest */
		cond_resched();
	}
	return 0;
}

static struct pktpool_region *pktpool_region_find_locked(u32 id,
							 const char *name)
{
	struct pktpool_region *r;
	unsigned long i;

	lockdep_assert_held(&pktpool_regions_lock);
	if (id)
		return xa_load(&pktpool_regions, id);
	xa_for_each(&pktpool_regions, i, r)
		if (r->name[0] && !strncmp(r->name, name, PKTPOOL_NAME_MAX))
			return r;
	return NULL;
}

static int pktpool_file_attach(struct pktpool_file *pf,
			       struct pktpool_region *r, u32 access)
{
	int err;

	mutex_lock(&pf->lock);
	err = xa_insert(&pf->regions, r->id, xa_tag_pointer(r, access),
			GFP_KERNEL);
	if (!err) {
		refcount_inc(&r->ref);
		atomic_inc(&r->attached);
	}
	mutex_unlock(&pf->lock);
	return err == -EBUSY ? -EEXIST : err;
}

static void pktpool_region_fill(struct pktpool_region *r,
				struct pktpool_region_info *i)
{
	i->id = r->id;
	strscpy_pad(i->name, r->name, sizeof(i->name));
	i->flags = r->flags;
	i->mode = r->mode;
	i->uid = from_kuid_munged(current_user_ns(), r->uid);
	i->gid = from_kgid_munged(current_user_ns(), r->gid);
	i->slot_size = r->slot_size;
	i->slot_count = r->slot_count;
	i->node = r->node;
	i->mmap_offset = (u64)r->id << PKTPOOL_REGION_OFF_SHIFT;
	i->mmap_size = r->size;
	i->ctrl_offset = 0;
	i->ctrl_size = PKTPOOL_REGION_CTRL_SIZE;
	i->ring_offset = r->ring_off;
	i->ring_size = r->ring_size;
	i->meta_offset = r->meta_off;
	i->meta_size = r->meta_size;
	i->slots_offset = r->slots_off;
	i->slots_size = r->slots_size;
	i->attached = atomic_read(&r->attached);
	i->mappings = atomic_read(&r->mappings);
}

/* Process context, r pinned: tell tracers and netlink listeners. */
static void pktpool_region_announce(struct pktpool_region *r, u32 access,
				    bool attach)
{
	struct pktpool_region_info info = {};

	if (attach)
		trace_pktpool_region_attach(r->id, r->name, access);
	else
		trace_pktpool_region_detach(r->id, r->name, access);
	pktpool_region_fill(r, &info);
	info.access = access;
	pktpool_nl_region_event(&info, attach ? PKTPOOL_CMD_REGION_ATTACH_NTF :
					 PKTPOOL_CMD_REGION_DETACH_NTF);
}

int pktpool_region_create(struct pktpool_file *pf,
			  struct pktpool_region_create *c)
{
	struct pktpool_region *r;
	int err;

	if (c->flags || c->reserved || (c->mode & ~0777) ||
	    c->slot_size < PKTPOOL_REGION_SLOT_MIN ||
	    c->slot_size > PKTPOOL_REGION_SLOT_MAX || c->slot_size % 64 ||
	    !c->slot_count || c->slot_count > region_max_slots ||
	    !pktpool_node_valid(c->node))
		return -EINVAL;

	r = kzalloc(sizeof(*r), GFP_KERNEL);
	if (!r)
		return -ENOMEM;
	/* A named region's registry reference; an anonymous one's file's. */
	refcount_set(&r->ref, 1);
	strscpy(r->name, c->name, sizeof(r->name));
	r->mode = c->mode;
	r->uid = current_euid();
	r->gid = current_egid();
	r->slot_size = c->slot_size;
	r->slot_count = c->slot_count;
	r->node = c->node;
	err = pktpool_region_layout(r);
	if (err) {
		kfree(r);
		return err;
	}
	if (atomic_long_add_return(r->size, &pktpool_region_bytes) >
	    region_max_bytes) {
		atomic_long_sub(r->size, &pktpool_region_bytes);
		kfree(r);
		return -ENOSPC;
	}
	err = pktpool_region_alloc_pages(r);
	if (err)
		goto err_put;

	mutex_lock(&pktpool_regions_lock);
	if (r->name[0] && pktpool_region_find_locked(0, r->name))
		err = -EEXIST;
	else if (pktpool_nr_regions >= max_regions)
		err = -ENOSPC;
	else
		err = xa_alloc_cyclic(&pktpool_regions, &r->id, r, xa_limit_31b,
				      &pktpool_next_region_id, GFP_KERNEL);
	if (err < 0) {
		mutex_unlock(&pktpool_regions_lock);
		goto err_put;
	}
	pktpool_nr_regions++;
	err = pktpool_file_attach(pf, r, PKTPOOL_ACCESS_READ |
				  PKTPOOL_ACCESS_WRITE);
	if (err) {
		xa_erase(&pktpool_regions, r->id);
		pktpool_nr_regions--;
		mutex_unlock(&pktpool_regions_lock);
		goto err_put;
	}
	/*
	 * Pin the region for the announcement: a named one beside the
	 * registry's reference, an anonymous one with the reference it was
	 * born with, which its file now takes over.
	 */
	if (r->name[0])
		refcount_inc(&r->ref);
	mutex_unlock(&pktpool_regions_lock);
	pktpool_region_announce(r, PKTPOOL_ACCESS_READ | PKTPOOL_ACCESS_WRITE,
				true);

	c->id = r->id;
	c->mmap_offset = (u64)r->id << PKTPOOL_REGION_OFF_SHIFT;
	c->mmap_size = r->size;
	pktpool_region_put(r);
	return 0;

err_put:
	pktpool_region_put(r);
	return err == -EBUSY ? -ENOSPC : err;
}

/* SysV shm rules: owner, group or other bits, or CAP_IPC_OWNER. */
static bool pktpool_region_permitted(const struct pktpool_region *r,
				     u32 access)
{
	u32 need = 0, granted;

	if (access & PKTPOOL_ACCESS_READ)
		need |= 4;
	if (access & PKTPOOL_ACCESS_WRITE)
		need |= 2;
	if (uid_eq(current_euid(), r->uid))
		granted = r->mode >> 6;
	else if (in_egroup_p(r->gid))
		granted = r->mode >> 3;
	else
		granted = r->mode;
	if ((granted & need) == need)
		return true;
	return capable(CAP_IPC_OWNER);
}

int pktpool_region_attach(struct pktpool_file *pf,
			  struct pktpool_region_info *info)
{
	u32 access = info->access;
	struct pktpool_region *r;
	int err;

	if (!access)
		access = PKTPOOL_ACCESS_READ | PKTPOOL_ACCESS_WRITE;
	if (access & ~(PKTPOOL_ACCESS_READ | PKTPOOL_ACCESS_WRITE))
		return -EINVAL;

	mutex_lock(&pktpool_regions_lock);
	r = pktpool_region_find_locked(info->id, info->name);
	if (!r)
		err = -ENOENT;
	else if (!pktpool_region_permitted(r, access))
		err = -EACCES;
	else
		err = pktpool_file_attach(pf, r, access);
	if (!err) {
		pktpool_region_fill(r, info);
		info->access = access;
		refcount_inc(&r->ref);	/* for the announcement below */
	}
	mutex_unlock(&pktpool_regions_lock);
	if (!err) {
		pktpool_region_announce(r, access, true);
		pktpool_region_put(r);
	}
	return err;
}

int pktpool_region_detach(struct pktpool_file *pf, u32 id, const char *name)
{
	struct pktpool_region *r;
	void *entry;

	if (!id) {
		mutex_lock(&pktpool_regions_lock);
		r = pktpool_region_find_locked(0, name);
		id = r ? r->id : 0;
		mutex_unlock(&pktpool_regions_lock);
		if (!id)
			return -ENOENT;
	}
	mutex_lock(&pf->lock);
	entry = xa_erase(&pf->regions, id);
	mutex_unlock(&pf->lock);
	if (!entry)
		return -ENOENT;
	r = xa_untag_pointer(entry);
	atomic_dec(&r->attached);
	pktpool_region_announce(r, xa_pointer_tag(entry), false);
	pktpool_region_put(r);
	return 0;
}

int pktpool_region_info(struct pktpool_region_info *info)
{
	struct pktpool_region *r;

	mutex_lock(&pktpool_regions_lock);
	r = pktpool_region_find_locked(info->id, info->name);
	if (r) {
		pktpool_region_fill(r, info);
		info->access = 0;
	}
	mutex_unlock(&pktpool_regions_lock);
	return r ? 0 : -ENOENT;
}

int pktpool_region_destroy(u32 id, const char *name)
{
	struct pktpool_region *r;
	int err = 0;

	mutex_lock(&pktpool_regions_lock);
	r = pktpool_region_find_locked(id, name);
	if (!r) {
		err = -ENOENT;
	} else if (!r->name[0]) {
		err = -EINVAL;	/* goes with its last file and mapping */
	} else if (!uid_eq(current_euid(), r->uid) &&
		   !capable(CAP_NET_ADMIN)) {
		err = -EPERM;
	} else {
		xa_erase(&pktpool_regions, r->id);
		pktpool_nr_regions--;
	}
	mutex_unlock(&pktpool_regions_lock);
	if (!err)
		pktpool_region_put(r);	/* mappings and files keep theirs */
	return err;
}

/* The region with the lowest id at or above *id, for netlink dumps. */
int pktpool_region_next(u32 *id, struct pktpool_region_info *info)
{
	unsigned long idx = *id;
	struct pktpool_region *r;

	mutex_lock(&pktpool_regions_lock);
	r = xa_find(&pktpool_regions, &idx, U32_MAX, XA_PRESENT);
	if (r) {
		pktpool_region_fill(r, info);
		*id = r->id;
	}
	mutex_unlock(&pktpool_regions_lock);
	return r ? 0 : -ENOENT;
}

u32 pktpool_region_list(u32 *ids, u32 max)
{
	struct pktpool_region *r;
	unsigned long i;
	u32 n = 0;

	mutex_lock(&pktpool_regions_lock);
	xa_for_each(&pktpool_regions, i, r)
		if (n < max)
			ids[n++] = r->id;
	mutex_unlock(&pktpool_regions_lock);
	return n;
}

static void pktpool_region_vm_open(struct vm_area_struct *vma)
{
	struct pktpool_region *r = vma->vm_private_data;

	refcount_inc(&r->ref);
	atomic_inc(&r->mappings);
}

static void pktpool_region_vm_close(struct vm_area_struct *vma)
{
	struct pktpool_region *r = vma->vm_private_data;

	atomic_dec(&r->mappings);
	pktpool_region_put(r);
}

/* A region is mapped whole or not at all: no partial munmap or mprotect. */
static int pktpool_region_vm_split(struct vm_area_struct *vma,
				   unsigned long addr)
{
	return -EINVAL;
}

static const struct vm_operations_struct pktpool_region_vm_ops = {
	.open = pktpool_region_vm_open,
	.close = pktpool_region_vm_close,
	.may_split = pktpool_region_vm_split,
};

int pktpool_region_mmap(struct pktpool_file *pf, struct vm_area_struct *vma)
{
	unsigned long id = vma->vm_pgoff >> PKTPOOL_REGION_PGOFF_SHIFT;
	struct pktpool_region *r = NULL;
	u32 access = 0;
	void *entry;
	int err;

	if (vma->vm_pgoff & (BIT(PKTPOOL_REGION_PGOFF_SHIFT) - 1) || !id ||
	    id > U32_MAX)
		return -EINVAL;

	mutex_lock(&pf->lock);
	entry = xa_load(&pf->regions, id);
	if (entry) {
		r = xa_untag_pointer(entry);
		access = xa_pointer_tag(entry);
		refcount_inc(&r->ref);
	}
	mutex_unlock(&pf->lock);
	if (!r)
		return -EINVAL;		/* not a region this file attached */

	err = -EINVAL;
	if (vma->vm_end - vma->vm_start != r->size ||
	    !(vma->vm_flags & VM_SHARED))
		goto err_put;
	err = -EPERM;
	if (vma->vm_flags & VM_EXEC)
		goto err_put;
	err = -EACCES;
	if ((vma->vm_flags & VM_WRITE) && !(access & PKTPOOL_ACCESS_WRITE))
		goto err_put;

	vm_flags_clear(vma, VM_MAYEXEC);
	if (!(access & PKTPOOL_ACCESS_WRITE))
		vm_flags_clear(vma, VM_MAYWRITE);
	vm_flags_set(vma, VM_DONTEXPAND | VM_DONTDUMP);
	err = vm_map_pages_zero(vma, r->pages, r->nr_pages);
	if (err)
		goto err_put;
	vma->vm_private_data = r;	/* the reference taken above */
	vma->vm_ops = &pktpool_region_vm_ops;
	atomic_inc(&r->mappings);
	return 0;

err_put:
	pktpool_region_put(r);
	return err;
}

void pktpool_file_init(struct pktpool_file *pf)
{
	mutex_init(&pf->lock);
	xa_init(&pf->regions);
}

void pktpool_file_release(struct pktpool_file *pf)
{
	struct pktpool_region *r;
	unsigned long id;
	void *entry;

	xa_for_each(&pf->regions, id, entry) {
		r = xa_untag_pointer(entry);
		atomic_dec(&r->attached);
		pktpool_region_announce(r, xa_pointer_tag(entry), false);
		pktpool_region_put(r);
	}
	xa_destroy(&pf->regions);
	mutex_destroy(&pf->lock);
}

int pktpool_region_init(void)
{
	if (!region_max_slots || region_max_slots > PKTPOOL_REGION_SLOTS_LIMIT ||
	    !max_regions || max_regions > 4096) {
		pr_err("region_max_slots must be 1..%u, max_regions 1..4096\n",
		       PKTPOOL_REGION_SLOTS_LIMIT);
		return -EINVAL;
	}
	return 0;
}

/*
 * No file is open any more: anonymous regions are gone with them, and
 * only the registry refers to the named ones.
 */
void pktpool_region_exit(void)
{
	struct pktpool_region *r;
	unsigned long id;

	do {
		id = 0;
		mutex_lock(&pktpool_regions_lock);
		r = xa_find(&pktpool_regions, &id, ULONG_MAX, XA_PRESENT);
		if (r) {
			xa_erase(&pktpool_regions, id);
			pktpool_nr_regions--;
		}
		mutex_unlock(&pktpool_regions_lock);
		if (r)
			pktpool_region_put(r);
	} while (r);
}
