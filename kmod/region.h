/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _PKTPOOL_REGION_H
#define _PKTPOOL_REGION_H

#include <linux/fs.h>
#include <linux/mutex.h>
#include <linux/xarray.h>
#include <linux/pktpool.h>

/* What one open file of /dev/pktpool has attached. */
struct pktpool_file {
	struct mutex lock;	/* regions below; taken under mmap_lock */
	struct xarray regions;	/* id -> struct pktpool_attachment */
};

void pktpool_file_init(struct pktpool_file *pf);
void pktpool_file_release(struct pktpool_file *pf);

/* Process context; arguments already copied in and their names checked. */
int pktpool_region_create(struct pktpool_file *pf,
			  struct pktpool_region_create *c);
void pktpool_region_created(struct pktpool_file *pf, u32 id);
void pktpool_region_create_abort(struct pktpool_file *pf, u32 id);
int pktpool_region_attach(struct pktpool_file *pf,
			  struct pktpool_region_info *info);
int pktpool_region_detach(struct pktpool_file *pf, u32 id, const char *name);
int pktpool_region_info(struct pktpool_region_info *info);
int pktpool_region_destroy(u32 id, const char *name);
u32 pktpool_region_list(u32 *ids, u32 max);
int pktpool_region_next(u32 *id, struct pktpool_region_info *info);
u32 pktpool_region_max(void);
int pktpool_region_mmap(struct pktpool_file *pf, struct vm_area_struct *vma);

int pktpool_region_init(void);
void pktpool_region_exit(void);

#endif /* _PKTPOOL_REGION_H */
