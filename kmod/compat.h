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

#endif /* _PKTPOOL_COMPAT_H */
