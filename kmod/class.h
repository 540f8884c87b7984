/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _PKTPOOL_CLASS_H
#define _PKTPOOL_CLASS_H

#include <linux/types.h>

struct kmem_cache;

/* One size class: a kmem_cache of objects of exactly this size. */
struct pktpool_class {
	unsigned int size;
	struct kmem_cache *cache;
	char name[16];		/* "pktpool-65536" at the longest */
};

extern bool pktpool_debug;

int pktpool_class_init(void);
void pktpool_class_exit(void);
const struct pktpool_class *pktpool_class_find(unsigned int size);
unsigned int pktpool_class_count(void);
unsigned int pktpool_class_size(unsigned int i);
const struct pktpool_class *pktpool_class_get(unsigned int i);

#endif /* _PKTPOOL_CLASS_H */
