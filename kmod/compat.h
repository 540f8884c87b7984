/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel API differences between the kernels pktpool builds for
 * (Debian 12: 6.1 and 6.12, each also PREEMPT_RT), and only here. The code
 * is written against the newest API; for an older kernel this header
 * supplies it under the same name, so nothing else needs an #if.
 */
#ifndef _PKTPOOL_COMPAT_H
#define _PKTPOOL_COMPAT_H

#include <linux/mm.h>
#include <linux/version.h>

#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 3, 0)
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

#endif /* _PKTPOOL_COMPAT_H */
