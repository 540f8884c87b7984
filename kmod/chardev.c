// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/pktpool: the ioctl interface. Each command copies its size-versioned
 * argument in, validates every field before touching any state, and
 * copies the result back. Commands that change pools need CAP_NET_ADMIN in
 * the initial user namespace, since pools are global to the machine.
 * Commands that create or destroy anything, and attaching a region for
 * writing, need a file opened for writing (-EBADF otherwise), as write(2)
 * would.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "chardev.h"
#include "class.h"
#include "pool.h"
#include "region.h"

static ushort dev_mode = 0600;
module_param(dev_mode, ushort, 0444);
MODULE_PARM_DESC(dev_mode, "Permissions of /dev/pktpool (default 0600)");

/*
 * Every argument struct starts with its size; see uapi/linux/pktpool.h.
 * min is the size of the struct's first version; *usizep, when asked for,
 * gets the caller's size so that no more than it is written back.
 */
static int pktpool_copy_in_v(void *karg, size_t ksize, size_t min,
			     const void __user *uarg, u32 *usizep)
{
	u32 usize;
	int err;

	if (get_user(usize, (const u32 __user *)uarg))
		return -EFAULT;
	if (usize < min)
		return -EINVAL;
	if (usize > PAGE_SIZE)
		return -E2BIG;
	err = copy_struct_from_user(karg, ksize, uarg, usize);
	if (err)
		return err;
	if (usizep)
		*usizep = usize;
	return 0;
}

static int pktpool_copy_in(void *karg, size_t ksize, const void __user *uarg)
{
	return pktpool_copy_in_v(karg, ksize, ksize, uarg, NULL);
}

static int pktpool_copy_out(void __user *uarg, const void *karg, size_t ksize)
{
	return copy_to_user(uarg, karg, ksize) ? -EFAULT : 0;
}

/*
 * The rule for every command that names a pool or region: a non-zero id
 * with an all-zero name, or id 0 with a valid name.
 */
static int pktpool_ref_check(u32 id, const char *name)
{
	if (id)
		return memchr_inv(name, 0, PKTPOOL_NAME_MAX) ? -EINVAL : 0;
	return pktpool_name_valid(name, PKTPOOL_NAME_MAX) ? 0 : -EINVAL;
}

static struct pktpool *pktpool_lookup_locked(u32 id, const char *name)
{
	struct pktpool *pool;
	int err;

	err = pktpool_ref_check(id, name);
	if (err)
		return ERR_PTR(err);
	pool = pktpool_find_locked(id, name);
	return pool ?: ERR_PTR(-ENOENT);
}

static long pktpool_ioc_version(void __user *uarg)
{
	struct pktpool_version v;
	unsigned int i;
	int err;

	err = pktpool_copy_in(&v, sizeof(v), uarg);
	if (err)
		return err;
	memset(&v, 0, sizeof(v));
	v.size = sizeof(v);
	v.abi_version = PKTPOOL_ABI_VERSION;
	v.features = PKTPOOL_FEAT_POOLS | PKTPOOL_FEAT_REGIONS |
		     PKTPOOL_FEAT_RINGS | PKTPOOL_FEAT_RESET_STATS;
	if (pktpool_debug)
		v.features |= PKTPOOL_FEAT_DEBUG;
	v.nr_classes = pktpool_class_count();
	v.max_pools = pktpool_max_pools();
	for (i = 0; i < v.nr_classes; i++)
		v.class_size[i] = pktpool_class_size(i);
	return pktpool_copy_out(uarg, &v, sizeof(v));
}

static long pktpool_ioc_create(void __user *uarg)
{
	struct pktpool_pool_create c;
	struct pktpool_params p;
	struct pktpool *pool;
	int err;

	err = pktpool_copy_in(&c, sizeof(c), uarg);
	if (err)
		return err;
	if (c.reserved || !pktpool_name_valid(c.name, sizeof(c.name)))
		return -EINVAL;

	p = (struct pktpool_params) {
		.name = c.name,
		.obj_size = c.obj_size,
		.limit = c.limit,
		.reserve = c.reserve,
		.node = c.node,
		.flags = c.flags,
	};
	mutex_lock(&pktpool_pools_lock);
	pool = pktpool_create_locked(&p);
	if (IS_ERR(pool)) {
		mutex_unlock(&pktpool_pools_lock);
		return PTR_ERR(pool);
	}
	c.id = pool->id;
	err = pktpool_copy_out(uarg, &c, sizeof(c));
	/* Whoever cannot learn the id should not be left with the pool. */
	if (err)
		pktpool_destroy_locked(pool, 1);
	mutex_unlock(&pktpool_pools_lock);
	return err;
}

static long pktpool_ioc_destroy(void __user *uarg)
{
	struct pktpool_pool_id d;
	struct pktpool *pool;
	int err;

	err = pktpool_copy_in(&d, sizeof(d), uarg);
	if (err)
		return err;
	mutex_lock(&pktpool_pools_lock);
	pool = pktpool_lookup_locked(d.id, d.name);
	err = IS_ERR(pool) ? PTR_ERR(pool) : pktpool_destroy_locked(pool, 1);
	mutex_unlock(&pktpool_pools_lock);
	return err;
}

static long pktpool_ioc_reset_stats(void __user *uarg)
{
	struct pktpool_pool_id d;
	struct pktpool *pool;
	int err;

	err = pktpool_copy_in(&d, sizeof(d), uarg);
	if (err)
		return err;
	mutex_lock(&pktpool_pools_lock);
	pool = pktpool_lookup_locked(d.id, d.name);
	if (IS_ERR(pool))
		err = PTR_ERR(pool);
	else
		pktpool_reset_stats_locked(pool);
	mutex_unlock(&pktpool_pools_lock);
	return err;
}

static void pktpool_fill_info(struct pktpool *pool, struct pktpool_pool_info *i)
{
	struct pktpool_stats s;

	pktpool_get_stats(pool, &s);
	i->id = pool->id;
	strscpy_pad(i->name, pool->name, sizeof(i->name));
	i->obj_size = pool->obj_size;
	i->class_size = pool->class->size;
	i->node = pool->node;
	i->flags = pool->flags;
	i->limit = pool->limit;
	i->reserve = pool->reserve_target;
	i->in_use = s.in_use;
	i->peak = s.peak;
	i->allocs = s.allocs;
	i->frees = s.frees;
	i->fail_limit = s.fail_limit;
	i->fail_nomem = s.fail_nomem;
	i->reserve_hits = s.reserve_hits;
	i->reserve_avail = s.reserve_avail;
	i->cached = s.cached;
	i->holders = s.holders;
	i->bad_frees = s.bad_frees;
}

static long pktpool_ioc_info(void __user *uarg)
{
	struct pktpool_pool_info info;
	struct pktpool *pool;
	int err;

	err = pktpool_copy_in(&info, sizeof(info), uarg);
	if (err)
		return err;
	mutex_lock(&pktpool_pools_lock);
	pool = pktpool_lookup_locked(info.id, info.name);
	if (IS_ERR(pool)) {
		mutex_unlock(&pktpool_pools_lock);
		return PTR_ERR(pool);
	}
	pktpool_fill_info(pool, &info);
	mutex_unlock(&pktpool_pools_lock);
	return pktpool_copy_out(uarg, &info, sizeof(info));
}

static long pktpool_ioc_set(void __user *uarg)
{
	struct pktpool_pool_set s;
	struct pktpool *pool;
	int err;

	err = pktpool_copy_in(&s, sizeof(s), uarg);
	if (err)
		return err;
	if (s.reserved || !s.mask || (s.mask & ~PKTPOOL_SET_ALL))
		return -EINVAL;
	mutex_lock(&pktpool_pools_lock);
	pool = pktpool_lookup_locked(s.id, s.name);
	if (IS_ERR(pool))
		err = PTR_ERR(pool);
	else
		err = pktpool_set_locked(pool, s.mask & PKTPOOL_SET_LIMIT,
					 s.limit, s.mask & PKTPOOL_SET_RESERVE,
					 s.reserve);
	mutex_unlock(&pktpool_pools_lock);
	return err;
}

static u32 pktpool_pool_ids(u32 *ids, u32 max)
{
	struct pktpool *pool;
	unsigned long id;
	u32 n = 0;

	mutex_lock(&pktpool_pools_lock);
	xa_for_each(&pktpool_pools, id, pool)
		if (n < max)
			ids[n++] = pool->id;
	mutex_unlock(&pktpool_pools_lock);
	return n;
}

/* Pool or region ids, by the rules of struct pktpool_pool_list. */
static long pktpool_ioc_list(void __user *uarg, u32 max,
			     u32 (*gather)(u32 *ids, u32 max))
{
	struct pktpool_pool_list l;
	u32 *ids;
	u32 n;
	int err;

	err = pktpool_copy_in(&l, sizeof(l), uarg);
	if (err)
		return err;
	if (l.reserved)
		return -EINVAL;

	/* At most a few thousand ids: small enough to gather first. */
	ids = kcalloc(max, sizeof(*ids), GFP_KERNEL);
	if (!ids)
		return -ENOMEM;
	n = gather(ids, max);

	l.count = n;
	if (n > l.capacity) {
		err = pktpool_copy_out(uarg, &l, sizeof(l)) ?: -ENOSPC;
		goto out;
	}
	if (n && copy_to_user(u64_to_user_ptr(l.ids_ptr), ids,
			      array_size(n, sizeof(*ids)))) {
		err = -EFAULT;
		goto out;
	}
	err = pktpool_copy_out(uarg, &l, sizeof(l));
out:
	kfree(ids);
	return err;
}

static long pktpool_ioc_region_create(struct pktpool_file *pf,
				      void __user *uarg)
{
	struct pktpool_region_create c;
	int err;

	err = pktpool_copy_in(&c, sizeof(c), uarg);
	if (err)
		return err;
	/* An all-zero name makes an anonymous region. */
	if (memchr_inv(c.name, 0, sizeof(c.name)) &&
	    !pktpool_name_valid(c.name, sizeof(c.name)))
		return -EINVAL;
	err = pktpool_region_create(pf, &c);
	if (err)
		return err;
	err = pktpool_copy_out(uarg, &c, sizeof(c));
	if (err)
		pktpool_region_create_abort(pf, c.id);
	else
		pktpool_region_created(pf, c.id);
	return err;
}

/* pktpool_region_info as ABI 1 knew it, without rings. */
#define PKTPOOL_REGION_INFO_SIZE_V1 \
	offsetofend(struct pktpool_region_info, mappings)

static long pktpool_ioc_region_attach(struct file *file, void __user *uarg,
				      bool attach)
{
	struct pktpool_file *pf = file->private_data;
	struct pktpool_region_info info;
	u32 usize;
	int err;

	err = pktpool_copy_in_v(&info, sizeof(info),
				PKTPOOL_REGION_INFO_SIZE_V1, uarg, &usize);
	if (err)
		return err;
	err = pktpool_ref_check(info.id, info.name);
	if (err)
		return err;
	/* access 0 asks for reading and writing. */
	if (attach && !(file->f_mode & FMODE_WRITE) &&
	    (!info.access || (info.access & PKTPOOL_ACCESS_WRITE)))
		return -EBADF;
	err = attach ? pktpool_region_attach(pf, &info) :
		       pktpool_region_info(&info);
	if (err)
		return err;
	info.size = min_t(u32, usize, sizeof(info));
	err = pktpool_copy_out(uarg, &info, info.size);
	if (err && attach)
		pktpool_region_detach(pf, info.id, NULL);
	return err;
}

static long pktpool_ioc_region_id(struct pktpool_file *pf, void __user *uarg,
				  bool destroy)
{
	struct pktpool_pool_id d;
	int err;

	err = pktpool_copy_in(&d, sizeof(d), uarg);
	if (err)
		return err;
	err = pktpool_ref_check(d.id, d.name);
	if (err)
		return err;
	if (destroy)
		return pktpool_region_destroy(d.id, d.name);
	return pktpool_region_detach(pf, d.id, d.name);
}

static long pktpool_ioc_region_kick(struct pktpool_file *pf,
				    void __user *uarg)
{
	struct pktpool_pool_id d;
	int err;

	err = pktpool_copy_in(&d, sizeof(d), uarg);
	if (err)
		return err;
	if (!d.id || memchr_inv(d.name, 0, sizeof(d.name)))
		return -EINVAL;
	return pktpool_region_kick(pf, d.id);
}

static bool pktpool_cmd_is(unsigned int cmd, unsigned int want)
{
	/* The size in the number is the first version's; any size goes. */
	return (cmd & ~IOCSIZE_MASK) == (want & ~IOCSIZE_MASK);
}

static bool pktpool_cmd_changes_pools(unsigned int cmd)
{
	return pktpool_cmd_is(cmd, PKTPOOL_IOC_POOL_CREATE) ||
	       pktpool_cmd_is(cmd, PKTPOOL_IOC_POOL_DESTROY) ||
	       pktpool_cmd_is(cmd, PKTPOOL_IOC_POOL_SET) ||
	       pktpool_cmd_is(cmd, PKTPOOL_IOC_POOL_RESET_STATS);
}

static bool pktpool_cmd_needs_write(unsigned int cmd)
{
	return pktpool_cmd_changes_pools(cmd) ||
	       pktpool_cmd_is(cmd, PKTPOOL_IOC_REGION_CREATE) ||
	       pktpool_cmd_is(cmd, PKTPOOL_IOC_REGION_DESTROY);
}

static long pktpool_ioctl(struct file *file, unsigned int cmd,
			  unsigned long arg)
{
	struct pktpool_file *pf = file->private_data;
	void __user *uarg = (void __user *)arg;

	if (pktpool_cmd_changes_pools(cmd) && !capable(CAP_NET_ADMIN))
		return -EPERM;
	if (pktpool_cmd_needs_write(cmd) && !(file->f_mode & FMODE_WRITE))
		return -EBADF;
	if (pktpool_cmd_is(cmd, PKTPOOL_IOC_VERSION))
		return pktpool_ioc_version(uarg);
	if (pktpool_cmd_is(cmd, PKTPOOL_IOC_POOL_CREATE))
		return pktpool_ioc_create(uarg);
	if (pktpool_cmd_is(cmd, PKTPOOL_IOC_POOL_DESTROY))
		return pktpool_ioc_destroy(uarg);
	if (pktpool_cmd_is(cmd, PKTPOOL_IOC_POOL_INFO))
		return pktpool_ioc_info(uarg);
	if (pktpool_cmd_is(cmd, PKTPOOL_IOC_POOL_SET))
		return pktpool_ioc_set(uarg);
	if (pktpool_cmd_is(cmd, PKTPOOL_IOC_POOL_LIST))
		return pktpool_ioc_list(uarg, pktpool_max_pools(),
					pktpool_pool_ids);
	if (pktpool_cmd_is(cmd, PKTPOOL_IOC_POOL_RESET_STATS))
		return pktpool_ioc_reset_stats(uarg);
	if (pktpool_cmd_is(cmd, PKTPOOL_IOC_REGION_CREATE))
		return pktpool_ioc_region_create(pf, uarg);
	if (pktpool_cmd_is(cmd, PKTPOOL_IOC_REGION_ATTACH))
		return pktpool_ioc_region_attach(file, uarg, true);
	if (pktpool_cmd_is(cmd, PKTPOOL_IOC_REGION_INFO))
		return pktpool_ioc_region_attach(file, uarg, false);
	if (pktpool_cmd_is(cmd, PKTPOOL_IOC_REGION_DETACH))
		return pktpool_ioc_region_id(pf, uarg, false);
	if (pktpool_cmd_is(cmd, PKTPOOL_IOC_REGION_DESTROY))
		return pktpool_ioc_region_id(pf, uarg, true);
	if (pktpool_cmd_is(cmd, PKTPOOL_IOC_REGION_KICK))
		return pktpool_ioc_region_kick(pf, uarg);
	if (pktpool_cmd_is(cmd, PKTPOOL_IOC_REGION_LIST))
		return pktpool_ioc_list(uarg, pktpool_region_max(),
					pktpool_region_list);
	return -ENOTTY;
}

static int pktpool_open(struct inode *inode, struct file *file)
{
	struct pktpool_file *pf;

	pf = kzalloc(sizeof(*pf), GFP_KERNEL);
	if (!pf)
		return -ENOMEM;
	pktpool_file_init(pf);
	file->private_data = pf;
	return 0;
}

static int pktpool_release(struct inode *inode, struct file *file)
{
	struct pktpool_file *pf = file->private_data;

	pktpool_file_release(pf);
	kfree(pf);
	return 0;
}

static int pktpool_mmap(struct file *file, struct vm_area_struct *vma)
{
	return pktpool_region_mmap(file->private_data, vma);
}

static __poll_t pktpool_poll(struct file *file, poll_table *wait)
{
	return pktpool_region_poll(file->private_data, file, wait);
}

static const struct file_operations pktpool_fops = {
	.owner = THIS_MODULE,
	.open = pktpool_open,
	.release = pktpool_release,
	.mmap = pktpool_mmap,
	.poll = pktpool_poll,
	.unlocked_ioctl = pktpool_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.llseek = noop_llseek,
};

static struct miscdevice pktpool_miscdev = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "pktpool",
	.fops = &pktpool_fops,
};

int pktpool_chardev_init(void)
{
	if (dev_mode & ~0777) {
		pr_err("dev_mode: %#o is not a permission mode\n", dev_mode);
		return -EINVAL;
	}
	pktpool_miscdev.mode = dev_mode;
	return misc_register(&pktpool_miscdev);
}

void pktpool_chardev_exit(void)
{
	misc_deregister(&pktpool_miscdev);
}
