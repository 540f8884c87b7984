// SPDX-License-Identifier: GPL-2.0
/*
 * Size classes: one kmem_cache per configured object size. Pools of any
 * object size are served by the smallest class that fits, so a handful of
 * slabs carry every pool and memory freed by one pool is reused by the next.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/slab.h>
#include <linux/pktpool.h>

#include "class.h"

static unsigned int classes[PKTPOOL_CLASSES_MAX] = { 64, 256, 1024, 2048, 4096 };
static unsigned int nr_classes = 5;
module_param_array(classes, uint, &nr_classes, 0444);
MODULE_PARM_DESC(classes,
		 "Object sizes of the slab classes, ascending, multiples of 8, at most 65536 (default 64,256,1024,2048,4096)");

bool pktpool_debug;
module_param_named(debug, pktpool_debug, bool, 0444);
MODULE_PARM_DESC(debug,
		 "Red zones, poisoning and owner tracking on the caches; every pool checks its frees (default 0)");

static struct pktpool_class pktpool_classes[PKTPOOL_CLASSES_MAX];

static int pktpool_class_validate(void)
{
	unsigned int i;

	if (!nr_classes || nr_classes > PKTPOOL_CLASSES_MAX) {
		pr_err("classes: between 1 and %d sizes\n", PKTPOOL_CLASSES_MAX);
		return -EINVAL;
	}
	for (i = 0; i < nr_classes; i++) {
		if (classes[i] < 8 || classes[i] > PKTPOOL_OBJ_SIZE_MAX ||
		    classes[i] % 8) {
			pr_err("classes: %u is not a multiple of 8 in 8..%u\n",
			       classes[i], PKTPOOL_OBJ_SIZE_MAX);
			return -EINVAL;
		}
		if (i && classes[i] <= classes[i - 1]) {
			pr_err("classes: sizes must be strictly ascending\n");
			return -EINVAL;
		}
	}
	return 0;
}

int pktpool_class_init(void)
{
	slab_flags_t flags = SLAB_HWCACHE_ALIGN;
	unsigned int i;
	int err;

	err = pktpool_class_validate();
	if (err)
		return err;
	if (pktpool_debug)
		flags |= SLAB_CONSISTENCY_CHECKS | SLAB_RED_ZONE |
			 SLAB_POISON | SLAB_STORE_USER;

	for (i = 0; i < nr_classes; i++) {
		struct pktpool_class *c = &pktpool_classes[i];

		c->size = classes[i];
		snprintf(c->name, sizeof(c->name), "pktpool-%u", c->size);
		/*
		 * The usercopy window spans the object: packet data is copied
		 * to and from userspace. It also keeps SLUB from merging the
		 * cache into kmalloc-N, so it stays visible by its own name in
		 * /proc/slabinfo and its slabs hold pktpool objects only.
		 */
		c->cache = kmem_cache_create_usercopy(c->name, c->size, 0, flags,
						      0, c->size, NULL);
		if (!c->cache) {
			err = -ENOMEM;
			goto err_unwind;
		}
	}
	return 0;

err_unwind:
	while (i--) {
		kmem_cache_destroy(pktpool_classes[i].cache);
		pktpool_classes[i].cache = NULL;
	}
	return err;
}

void pktpool_class_exit(void)
{
	unsigned int i;

	for (i = 0; i < nr_classes; i++) {
		kmem_cache_destroy(pktpool_classes[i].cache);
		pktpool_classes[i].cache = NULL;
	}
}

/* The smallest class that holds size bytes, or NULL when none does. */
const struct pktpool_class *pktpool_class_find(unsigned int size)
{
	unsigned int i;

	for (i = 0; i < nr_classes; i++)
		if (pktpool_classes[i].size >= size)
			return &pktpool_classes[i];
	return NULL;
}

unsigned int pktpool_class_count(void)
{
	return nr_classes;
}

unsigned int pktpool_class_size(unsigned int i)
{
	return i < nr_classes ? pktpool_classes[i].size : 0;
}

const struct pktpool_class *pktpool_class_get(unsigned int i)
{
	return i < nr_classes ? &pktpool_classes[i] : NULL;
}
