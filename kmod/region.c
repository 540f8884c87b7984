// SPDX-License-Identifier: GPL-2.0
/*
 * Regions: named, zeroed blocks of pages that processes share by mapping
 * /dev/pktpool. The kernel allocates, maps and frees them and never acts on
 * what userspace writes there, so nothing a process leaves in a region can
 * mislead it: ring.c checks every ring entry, and the library's summary is
 * only copied out, as numbers, to callers who may read the region. A
 * region lives while anything refers to it: the registry (until
 * destroyed), every attached file and every mapping.
 *
 * Lock order: pktpool_regions_lock, then a file's lock. mmap() runs under
 * the mm's mmap_lock and takes only the file's lock; copies to and from
 * userspace happen with neither held.
 *
 * Limits: every region is charged, from create until its memory is freed,
 * against the global max_regions and region_max_bytes and against its
 * creator's uid. A user without CAP_NET_ADMIN may hold at most
 * user_max_regions regions and user_region_max_bytes bytes, so one user
 * cannot take everything from everyone. Limits are checked and charged
 * before any page is allocated.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/highmem.h>
#include <linux/minmax.h>
#include <linux/sched/signal.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/overflow.h>
#include <linux/refcount.h>
#include <linux/slab.h>
#include <linux/uidgid.h>

#include "compat.h"
#include "debugfs.h"
#include "netlink.h"
#include "pool.h"
#include "region.h"
#include "ring.h"
#include "trace.h"

/* A region's mmap offset is its id << 32: a 4 GiB window each. */
#define PKTPOOL_REGION_OFF_SHIFT	32
#define PKTPOOL_REGION_PGOFF_SHIFT	(PKTPOOL_REGION_OFF_SHIFT - PAGE_SHIFT)
#define PKTPOOL_REGION_SLOTS_LIMIT	16777216U	/* 16M */
/*
 * Ids stay below 4096 so that a 32-bit process, whose mmap2() offset is a
 * 32-bit page number, can map every region. They are handed out
 * cyclically, so an id is reused only after the 4095 that follow it.
 */
#define PKTPOOL_REGION_ID_MAX		4095U
/* The smallest region_max_bytes (and user share) the module accepts. */
#define PKTPOOL_REGION_BYTES_MIN	BIT(20)

static unsigned int region_max_slots = 1U << 20;
module_param(region_max_slots, uint, 0444);
MODULE_PARM_DESC(region_max_slots, "Most slots in one region, at most 16M (default 1M)");

static unsigned long region_max_bytes = 256UL << 20;
module_param(region_max_bytes, ulong, 0444);
MODULE_PARM_DESC(region_max_bytes, "Memory all regions may use together (default 256 MiB)");

static unsigned int max_regions = 64;
module_param(max_regions, uint, 0444);
MODULE_PARM_DESC(max_regions, "Most regions that may exist at once, at most 4095 (default 64)");

static unsigned long user_region_max_bytes = 64UL << 20;
module_param(user_region_max_bytes, ulong, 0444);
MODULE_PARM_DESC(user_region_max_bytes, "Region memory one user without CAP_NET_ADMIN may hold (default 64 MiB)");

static unsigned int user_max_regions = 16;
module_param(user_max_regions, uint, 0444);
MODULE_PARM_DESC(user_max_regions, "Regions one user without CAP_NET_ADMIN may hold (default 16)");

/* What the regions created by one uid hold, under pktpool_regions_lock. */
struct pktpool_region_user {
	kuid_t uid;
	unsigned int regions;
	unsigned long bytes;
};

/* One region attached to one file, and the access the file was granted. */
struct pktpool_attachment {
	struct pktpool_region *region;
	u32 access;
};

static DEFINE_MUTEX(pktpool_regions_lock);	/* everything below */
static DEFINE_XARRAY_ALLOC1(pktpool_regions);
static u32 pktpool_next_region_id;
/* Regions and memory not yet freed, destroyed ones included. */
static unsigned int pktpool_nr_regions;
static unsigned long pktpool_region_bytes;
static DEFINE_XARRAY(pktpool_region_users);	/* uid -> pktpool_region_user */

u32 pktpool_region_max(void)
{
	return max_regions;
}

/*
 * Check every limit for a region of r->size bytes made by r->uid and
 * charge it. A user over its share is refused with -EDQUOT unless it has
 * CAP_NET_ADMIN (asked only then, so audit logs stay quiet); the global
 * limits hold for everyone (-ENOSPC).
 */
static int pktpool_region_charge_locked(struct pktpool_region *r)
{
	struct pktpool_region_user *u;
	unsigned long key = __kuid_val(r->uid);
	int err;

	lockdep_assert_held(&pktpool_regions_lock);
	if (pktpool_nr_regions >= max_regions ||
	    r->size > region_max_bytes - pktpool_region_bytes)
		return -ENOSPC;
	u = xa_load(&pktpool_region_users, key);
	if ((r->size > user_region_max_bytes - (u ? u->bytes : 0) ||
	     (u && u->regions >= user_max_regions)) &&
	    !capable(CAP_NET_ADMIN))
		return -EDQUOT;
	if (!u) {
		u = kzalloc(sizeof(*u), GFP_KERNEL);
		if (!u)
			return -ENOMEM;
		u->uid = r->uid;
		err = xa_err(xa_store(&pktpool_region_users, key, u,
				      GFP_KERNEL));
		if (err) {
			kfree(u);
			return err;
		}
	}
	u->regions++;
	u->bytes += r->size;
	pktpool_nr_regions++;
	pktpool_region_bytes += r->size;
	r->user = u;
	return 0;
}

static void pktpool_region_uncharge_locked(struct pktpool_region *r)
{
	struct pktpool_region_user *u = r->user;

	lockdep_assert_held(&pktpool_regions_lock);
	if (!u)
		return;
	r->user = NULL;
	pktpool_nr_regions--;
	pktpool_region_bytes -= r->size;
	u->bytes -= r->size;
	if (!--u->regions) {
		xa_erase(&pktpool_region_users, __kuid_val(u->uid));
		kfree(u);
	}
}

/*
 * The last reference drops with pktpool_regions_lock held, so a lookup
 * under the lock never finds a region on its way out. A named region has
 * left the registry when it was destroyed; an anonymous one (or one whose
 * creation failed) leaves it here, with its last file or mapping.
 */
void pktpool_region_put(struct pktpool_region *r)
{
	unsigned long i;

	if (!refcount_dec_and_mutex_lock(&r->ref, &pktpool_regions_lock))
		return;
	if (r->id)
		xa_cmpxchg(&pktpool_regions, r->id, r, NULL, 0);
	pktpool_region_uncharge_locked(r);
	mutex_unlock(&pktpool_regions_lock);

	pktpool_ring_release(r->ring);
	/* A creation that failed may have no page array, or a partial one. */
	if (r->pages) {
		for (i = 0; i < r->nr_pages; i++)
			if (r->pages[i])
				__free_page(r->pages[i]);
		kvfree(r->pages);
	}
	kfree(r);
}

/* Part offsets; every product is checked, though the bounds forbid overflow. */
static int pktpool_region_layout(struct pktpool_region *r)
{
	u64 ring_bytes, meta_bytes, slot_bytes;

	/* Three rings, as the uapi describes: rx, fill, tx. */
	r->ring_entries = roundup_pow_of_two(r->slot_count);
	r->ring_off = PKTPOOL_REGION_CTRL_SIZE;
	r->rx_off = r->ring_off;
	ring_bytes = PKTPOOL_REGION_RING_HDR +
		     (u64)r->ring_entries * sizeof(struct pktpool_desc);
	r->fill_off = r->rx_off + PAGE_ALIGN(ring_bytes);
	r->tx_off = r->fill_off + PAGE_ALIGN(PKTPOOL_REGION_RING_HDR +
					     (u64)r->ring_entries * sizeof(u32));
	r->ring_size = r->tx_off + PAGE_ALIGN(ring_bytes) - r->ring_off;
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
		return -EINVAL;	/* could never be created, whoever asks */
	r->nr_pages = r->size >> PAGE_SHIFT;
	return 0;
}

static int pktpool_region_alloc_pages(struct pktpool_region *r)
{
	unsigned long i;

	/*
	 * Charged to the creator's memory cgroup. On failure the caller's
	 * put frees what was allocated.
	 */
	if (pktpool_fault_region())
		return -ENOMEM;
	r->pages = kvcalloc(r->nr_pages, sizeof(*r->pages), GFP_KERNEL_ACCOUNT);
	if (!r->pages)
		return -ENOMEM;
	for (i = 0; i < r->nr_pages; i++) {
		/* A large region takes a while: let a killed creator go. */
		if (fatal_signal_pending(current))
			return -EINTR;
		if (pktpool_fault_region())
			return -ENOMEM;
		r->pages[i] = alloc_pages_node(r->node, GFP_KERNEL_ACCOUNT |
					       __GFP_ZERO | __GFP_NOWARN, 0);
		if (!r->pages[i])
			return -ENOMEM;
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
	if (id) {
		r = xa_load(&pktpool_regions, id);
		return r && r->live ? r : NULL;
	}
	xa_for_each(&pktpool_regions, i, r)
		if (r->live && r->name[0] &&
		    !strncmp(r->name, name, PKTPOOL_NAME_MAX))
			return r;
	return NULL;
}

/* Regions still being created count: their names are taken already. */
static bool pktpool_region_name_taken_locked(const char *name)
{
	struct pktpool_region *r;
	unsigned long i;

	lockdep_assert_held(&pktpool_regions_lock);
	xa_for_each(&pktpool_regions, i, r)
		if (r->name[0] && !strncmp(r->name, name, PKTPOOL_NAME_MAX))
			return true;
	return false;
}

static int pktpool_file_attach(struct pktpool_file *pf,
			       struct pktpool_region *r, u32 access)
{
	struct pktpool_attachment *a;
	int err;

	a = kmalloc(sizeof(*a), GFP_KERNEL);
	if (!a)
		return -ENOMEM;
	a->region = r;
	a->access = access;
	mutex_lock(&pf->lock);
	err = xa_insert(&pf->regions, r->id, a, GFP_KERNEL);
	if (!err) {
		refcount_inc(&r->ref);
		atomic_inc(&r->attached);
		if (access & PKTPOOL_ACCESS_WRITE)
			atomic_inc(&r->writers);
	}
	mutex_unlock(&pf->lock);
	if (err)
		kfree(a);
	return err == -EBUSY ? -EEXIST : err;
}

/* Take the file's attachment of region id away; NULL if there is none. */
static struct pktpool_region *pktpool_file_detach(struct pktpool_file *pf,
						  u32 id, u32 *access)
{
	struct pktpool_attachment *a;
	struct pktpool_region *r;

	mutex_lock(&pf->lock);
	a = xa_erase(&pf->regions, id);
	mutex_unlock(&pf->lock);
	if (!a)
		return NULL;
	r = a->region;
	*access = a->access;
	kfree(a);
	atomic_dec(&r->attached);
	if (*access & PKTPOOL_ACCESS_WRITE)
		atomic_dec(&r->writers);
	return r;	/* with the file's reference */
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
	i->ring_entries = r->ring_entries;
	i->rx_offset = r->rx_off;
	i->fill_offset = r->fill_off;
	i->tx_offset = r->tx_off;
	pktpool_ring_account(r, i);
}

/*
 * Process context, r pinned: tell the region's kernel users whether a
 * writer is left, then tracers and netlink listeners.
 */
static void pktpool_region_announce(struct pktpool_region *r, u32 access,
				    bool attach)
{
	struct pktpool_region_info info = {};

	if (access & PKTPOOL_ACCESS_WRITE)
		pktpool_ring_liveness(r);

	if (attach)
		trace_pktpool_region_attach(r->id, r->name, access);
	else
		trace_pktpool_region_detach(r->id, r->name, access);
	pktpool_region_fill(r, &info);
	info.access = access;
	pktpool_nl_region_event(&info, attach ? PKTPOOL_CMD_REGION_ATTACH_NTF :
					 PKTPOOL_CMD_REGION_DETACH_NTF);
}

/*
 * Limits are checked and the region registered (under its name, but not
 * yet visible to lookups) before any page is allocated, without holding
 * the registry lock across the allocation. The caller announces the new
 * region with pktpool_region_created() once userspace has its id, or
 * takes it back with pktpool_region_create_abort().
 */
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
	init_waitqueue_head(&r->wait);
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

	mutex_lock(&pktpool_regions_lock);
	if (r->name[0] && pktpool_region_name_taken_locked(r->name))
		err = -EEXIST;
	else
		err = pktpool_region_charge_locked(r);
	if (!err) {
		err = xa_alloc_cyclic(&pktpool_regions, &r->id, r,
				      XA_LIMIT(1, PKTPOOL_REGION_ID_MAX),
				      &pktpool_next_region_id, GFP_KERNEL);
		if (err < 0)
			pktpool_region_uncharge_locked(r);
	}
	mutex_unlock(&pktpool_regions_lock);
	if (err < 0) {
		kfree(r);
		return err == -EBUSY ? -ENOSPC : err;
	}

	/* From here on the put unregisters and uncharges. */
	err = pktpool_region_alloc_pages(r);
	if (err)
		goto err_put;

	mutex_lock(&pktpool_regions_lock);
	err = pktpool_file_attach(pf, r, PKTPOOL_ACCESS_READ |
				  PKTPOOL_ACCESS_WRITE);
	if (!err)
		r->live = true;
	mutex_unlock(&pktpool_regions_lock);
	if (err)
		goto err_put;
	/*
	 * A named region keeps the reference it was born with in the
	 * registry; an anonymous one hands it over to its file, which took
	 * its own.
	 */
	if (!r->name[0])
		pktpool_region_put(r);

	c->id = r->id;
	c->mmap_offset = (u64)r->id << PKTPOOL_REGION_OFF_SHIFT;
	c->mmap_size = r->size;
	return 0;

err_put:
	pktpool_region_put(r);
	return err;
}

/* Tell tracers and listeners about a region created through this file. */
void pktpool_region_created(struct pktpool_file *pf, u32 id)
{
	struct pktpool_attachment *a;
	struct pktpool_region *r = NULL;
	u32 access = 0;

	mutex_lock(&pf->lock);
	a = xa_load(&pf->regions, id);
	if (a) {
		r = a->region;
		access = a->access;
		refcount_inc(&r->ref);
	}
	mutex_unlock(&pf->lock);
	if (!r)
		return;		/* detached by another thread already */
	pktpool_region_announce(r, access, true);
	pktpool_region_put(r);
}

/*
 * Undo a create whose id never reached userspace, quietly: no one was
 * told it existed. Another thread of the caller may have attached or
 * mapped it meanwhile by guessing the id; they keep it alive, nameless.
 */
void pktpool_region_create_abort(struct pktpool_file *pf, u32 id)
{
	struct pktpool_region *r;
	bool named;
	u32 access;

	r = pktpool_file_detach(pf, id, &access);
	if (!r)
		return;
	pktpool_ring_liveness(r);
	mutex_lock(&pktpool_regions_lock);
	named = r->name[0] && xa_cmpxchg(&pktpool_regions, id, r, NULL, 0) == r;
	mutex_unlock(&pktpool_regions_lock);
	if (named)
		pktpool_region_put(r);	/* the registry's */
	pktpool_region_put(r);		/* the file's */
}

/* SysV shm rules: owner, group or other bits (CAP_IPC_OWNER aside). */
static bool pktpool_region_granted(const struct pktpool_region *r,
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
	return (granted & need) == need;
}

static bool pktpool_region_permitted(const struct pktpool_region *r,
				     u32 access)
{
	return pktpool_region_granted(r, access) || capable(CAP_IPC_OWNER);
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
	u32 access;

	if (!id) {
		mutex_lock(&pktpool_regions_lock);
		r = pktpool_region_find_locked(0, name);
		id = r ? r->id : 0;
		mutex_unlock(&pktpool_regions_lock);
		if (!id)
			return -ENOENT;
	}
	r = pktpool_file_detach(pf, id, &access);
	if (!r)
		return -ENOENT;
	pktpool_region_announce(r, access, false);
	pktpool_region_put(r);
	return 0;
}

/* Process context: a live named region, pinned, for a kernel pool user. */
struct pktpool_region *pktpool_region_get(const char *name)
{
	struct pktpool_region *r;

	mutex_lock(&pktpool_regions_lock);
	r = pktpool_region_find_locked(0, name);
	if (r)
		refcount_inc(&r->ref);
	mutex_unlock(&pktpool_regions_lock);
	return r;
}

/* The file's attachment of region id, pinned, with the access granted. */
static struct pktpool_region *pktpool_file_region(struct pktpool_file *pf,
						  u32 id, u32 *access)
{
	struct pktpool_attachment *a;
	struct pktpool_region *r = NULL;

	mutex_lock(&pf->lock);
	a = xa_load(&pf->regions, id);
	if (a) {
		r = a->region;
		*access = a->access;
		refcount_inc(&r->ref);
	}
	mutex_unlock(&pf->lock);
	return r;
}

/* PKTPOOL_IOC_REGION_KICK: for a region this file attached for writing. */
int pktpool_region_kick(struct pktpool_file *pf, u32 id)
{
	struct pktpool_region *r;
	u32 access;

	r = pktpool_file_region(pf, id, &access);
	if (!r)
		return -ENOENT;
	if (access & PKTPOOL_ACCESS_WRITE)
		pktpool_ring_kick(r);
	pktpool_region_put(r);
	return access & PKTPOOL_ACCESS_WRITE ? 0 : -EACCES;
}

/* poll(): the union over every region the file attached. */
__poll_t pktpool_region_poll(struct pktpool_file *pf, struct file *file,
			     poll_table *wait)
{
	struct pktpool_attachment *a;
	__poll_t mask = 0;
	unsigned long id;

	mutex_lock(&pf->lock);
	xa_for_each(&pf->regions, id, a) {
		poll_wait(file, &a->region->wait, wait);
		mask |= pktpool_ring_poll(a->region);
	}
	mutex_unlock(&pf->lock);
	return mask;
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
	} else if (!r->name[0] && !capable(CAP_NET_ADMIN)) {
		err = -EINVAL;	/* goes with its last file and mapping */
	} else if (!uid_eq(current_euid(), r->uid) &&
		   !capable(CAP_NET_ADMIN)) {
		err = -EPERM;
	} else {
		xa_erase(&pktpool_regions, r->id);
	}
	mutex_unlock(&pktpool_regions_lock);
	/*
	 * Files and mappings keep their references. The registry holds one
	 * for a named region only; an anonymous one just became unreachable.
	 */
	if (!err && r->name[0])
		pktpool_region_put(r);
	return err;
}

/* The region with the lowest id at or above *id, for netlink dumps. */
int pktpool_region_next(u32 *id, struct pktpool_region_info *info)
{
	struct pktpool_region *r;
	unsigned long idx;
	int err = -ENOENT;

	mutex_lock(&pktpool_regions_lock);
	xa_for_each_start(&pktpool_regions, idx, r, *id) {
		if (!r->live)
			continue;
		pktpool_region_fill(r, info);
		*id = r->id;
		err = 0;
		break;
	}
	mutex_unlock(&pktpool_regions_lock);
	return err;
}

static_assert(PKTPOOL_REGION_LIB_OFF + sizeof(struct pktpool_region_lib) <=
	      PAGE_SIZE);

/*
 * Copy the library's summary out of shared memory: each field read once,
 * slot counts (a process's too) clamped to the region's slots, a pid
 * below 0 made 0.
 */
static void pktpool_region_lib_copy(struct pktpool_region_lib *lib,
				    const struct pktpool_region_lib *src,
				    u32 slot_count)
{
	u32 i;

	lib->version = READ_ONCE(src->version);
	lib->threads = READ_ONCE(src->threads);
	lib->time_ns = READ_ONCE(src->time_ns);
	lib->procs_time_ns = READ_ONCE(src->procs_time_ns);
	lib->in_use = min_t(u64, READ_ONCE(src->in_use), slot_count);
	lib->cached = min_t(u64, READ_ONCE(src->cached), slot_count);
	lib->free = min_t(u64, READ_ONCE(src->free), slot_count);
	lib->peak = min_t(u64, READ_ONCE(src->peak), slot_count);
	lib->allocs = READ_ONCE(src->allocs);
	lib->frees = READ_ONCE(src->frees);
	lib->failures = READ_ONCE(src->failures);
	lib->errors = READ_ONCE(src->errors);
	lib->reclaimed = READ_ONCE(src->reclaimed);
	lib->procs = min_t(u32, READ_ONCE(src->procs),
			   PKTPOOL_REGION_LIB_PROCS);
	for (i = 0; i < PKTPOOL_REGION_LIB_PROCS; i++) {
		s32 pid = READ_ONCE(src->proc[i].pid);

		lib->proc[i].pid = max(pid, 0);
		lib->proc[i].held = min(READ_ONCE(src->proc[i].held),
					slot_count);
	}
}

/*
 * The library's summary in region id's control block, if the caller may
 * read the region (-EACCES) and a library has published one (-ENODATA).
 * Process context; the summary is a snapshot of hostile memory.
 */
int pktpool_region_lib_get(u32 id, struct pktpool_region_lib *lib)
{
	struct pktpool_region *r;
	void *ctrl;
	int err = 0;

	mutex_lock(&pktpool_regions_lock);
	r = pktpool_region_find_locked(id, NULL);
	if (!r) {
		err = -ENOENT;
	} else if (!pktpool_region_granted(r, PKTPOOL_ACCESS_READ) &&
		   !ns_capable_noaudit(&init_user_ns, CAP_IPC_OWNER)) {
		err = -EACCES;	/* no audit record: dumps ask for every one */
	} else {
		/* a live region has all its pages; ctrl is the first part */
		ctrl = kmap_local_page(r->pages[0]);
		pktpool_region_lib_copy(lib, ctrl + PKTPOOL_REGION_LIB_OFF,
					r->slot_count);
		kunmap_local(ctrl);
		if (lib->version != PKTPOOL_REGION_LIB_VERSION)
			err = -ENODATA;
	}
	mutex_unlock(&pktpool_regions_lock);
	return err;
}

u32 pktpool_region_list(u32 *ids, u32 max)
{
	struct pktpool_region *r;
	unsigned long i;
	u32 n = 0;

	mutex_lock(&pktpool_regions_lock);
	xa_for_each(&pktpool_regions, i, r)
		if (r->live && n < max)
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
	struct pktpool_attachment *a;
	struct pktpool_region *r = NULL;
	u32 access = 0;
	int err;

	if (vma->vm_pgoff & (BIT(PKTPOOL_REGION_PGOFF_SHIFT) - 1) || !id ||
	    id > PKTPOOL_REGION_ID_MAX)
		return -EINVAL;

	mutex_lock(&pf->lock);
	a = xa_load(&pf->regions, id);
	if (a) {
		r = a->region;
		access = a->access;
		refcount_inc(&r->ref);
	}
	mutex_unlock(&pf->lock);
	if (!r)
		return -EINVAL;		/* not a region this file attached */

	/*
	 * MAP_SHARED, tested by VM_MAYSHARE: for a file not opened for
	 * writing do_mmap() clears VM_SHARED (the mapping can never write),
	 * and a read-only attachment's file is such a file.
	 */
	err = -EINVAL;
	if (vma->vm_end - vma->vm_start != r->size ||
	    !(vma->vm_flags & VM_MAYSHARE))
		goto err_put;
	err = -EPERM;
	if (vma->vm_flags & VM_EXEC)
		goto err_put;
	/*
	 * x86 and most others have no write-only pages: whatever is mapped
	 * can be read, so a grant without read maps nothing.
	 */
	err = -EACCES;
	if (!(access & PKTPOOL_ACCESS_READ) ||
	    ((vma->vm_flags & VM_WRITE) && !(access & PKTPOOL_ACCESS_WRITE)))
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
	struct pktpool_attachment *a;
	struct pktpool_region *r;
	unsigned long id;
	u32 access;

	/* The last reference to the file: no one adds attachments now. */
	xa_for_each(&pf->regions, id, a) {
		r = pktpool_file_detach(pf, id, &access);
		pktpool_region_announce(r, access, false);
		pktpool_region_put(r);
	}
	xa_destroy(&pf->regions);
	mutex_destroy(&pf->lock);
}

int pktpool_region_init(void)
{
	unsigned long ram = totalram_pages() << PAGE_SHIFT;

	if (!region_max_slots || region_max_slots > PKTPOOL_REGION_SLOTS_LIMIT ||
	    !max_regions || max_regions > PKTPOOL_REGION_ID_MAX) {
		pr_err("region_max_slots must be 1..%u, max_regions 1..%u\n",
		       PKTPOOL_REGION_SLOTS_LIMIT, PKTPOOL_REGION_ID_MAX);
		return -EINVAL;
	}
	if (region_max_bytes < PKTPOOL_REGION_BYTES_MIN || region_max_bytes > ram) {
		pr_err("region_max_bytes must be %lu..%lu (the RAM)\n",
		       PKTPOOL_REGION_BYTES_MIN, ram);
		return -EINVAL;
	}
	if (!user_max_regions || user_max_regions > max_regions ||
	    user_region_max_bytes < PKTPOOL_REGION_BYTES_MIN ||
	    user_region_max_bytes > region_max_bytes) {
		pr_err("user_max_regions must be 1..max_regions, user_region_max_bytes %lu..region_max_bytes\n",
		       PKTPOOL_REGION_BYTES_MIN);
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
		if (r)
			xa_erase(&pktpool_regions, id);
		mutex_unlock(&pktpool_regions_lock);
		if (r)
			pktpool_region_put(r);
	} while (r);
	WARN_ON(pktpool_nr_regions || !xa_empty(&pktpool_region_users));
}
