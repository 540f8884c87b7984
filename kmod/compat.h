/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel API differences between the kernels pktpool builds for
 * (Debian 12: 6.1 and 6.12, each also PREEMPT_RT), and only here. The code
 * is written against the newest API; where the kernel being built for
 * lacks a part of it, this header supplies it under the same name, so
 * nothing else needs an #if. What the kernel has is found out by feature
 * tests on its headers in kmod/Kbuild (PKTPOOL_HAVE_*), not by version
 * numbers, which distributions' backports make unreliable.
 */
#ifndef _PKTPOOL_COMPAT_H
#define _PKTPOOL_COMPAT_H

#include <linux/mm.h>
#include <linux/printk.h>
#include <linux/shrinker.h>
#include <linux/slab.h>
#include <net/genetlink.h>

#ifndef PKTPOOL_HAVE_VM_FLAGS_SET
/* 6.3 made vma->vm_flags read-only and added these to change it. */
static inline void vm_flags_set(struct vm_area_struct *vma, vm_flags_t flags)
{
	vma->vm_flags |= flags;
}

static inline void vm_flags_clear(struct vm_area_struct *vma,
				  vm_flags_t flags)
{
	vma->vm_flags &= ~flags;
}
#endif

#ifndef PKTPOOL_HAVE_SHRINKER_ALLOC
/*
 * 6.7 made shrinkers allocated objects: shrinker_alloc(), set the
 * callbacks, shrinker_register(), shrinker_free(). Before, the caller
 * embedded a struct shrinker and registered it with register_shrinker().
 * Only what pktpool uses: a plain name (no format arguments).
 * register_shrinker() allocates on 6.1 and can fail, where from 6.7 on
 * shrinker_alloc() does that and shrinker_register() cannot; a failure
 * here leaves the module without its shrinker, and says so.
 */
struct pktpool_compat_shrinker {
	struct shrinker shrinker;
	const char *name;
	bool registered;
};

static inline struct shrinker *shrinker_alloc(unsigned int flags,
					      const char *name)
{
	struct pktpool_compat_shrinker *s = kzalloc(sizeof(*s), GFP_KERNEL);

	if (!s)
		return NULL;
	s->shrinker.flags = flags;
	s->shrinker.seeks = DEFAULT_SEEKS;
	s->name = name;
	return &s->shrinker;
}

static inline void shrinker_register(struct shrinker *shrinker)
{
	struct pktpool_compat_shrinker *s =
		container_of(shrinker, struct pktpool_compat_shrinker, shrinker);

	s->registered = !register_shrinker(shrinker, "%s", s->name);
	if (!s->registered)
		pr_warn("shrinker %s not registered: caches are not drained under memory pressure\n",
			s->name);
}

static inline void shrinker_free(struct shrinker *shrinker)
{
	struct pktpool_compat_shrinker *s;

	if (!shrinker)
		return;
	s = container_of(shrinker, struct pktpool_compat_shrinker, shrinker);
	if (s->registered)
		unregister_shrinker(shrinker);
	kfree(s);
}
#endif

/*
 * The attributes genetlink parsed for a dump, by its op's policy: 6.6 (or
 * so) moved them into a struct genl_info, genl_info_dump(cb)->attrs;
 * before, genl_dumpit_info(cb)->attrs. No newer name fits both, hence a
 * pktpool one.
 */
#ifdef PKTPOOL_HAVE_GENL_INFO_DUMP
#define pktpool_genl_dump_attrs(cb)	(genl_info_dump(cb)->attrs)
#else
#define pktpool_genl_dump_attrs(cb)	(genl_dumpit_info(cb)->attrs)
#endif

#endif /* _PKTPOOL_COMPAT_H */
