/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _PKTPOOL_REGION_H
#define _PKTPOOL_REGION_H

#include <linux/fs.h>
#include <linux/mutex.h>
#include <linux/poll.h>
#include <linux/refcount.h>
#include <linux/wait.h>
#include <linux/xarray.h>
#include <linux/pktpool.h>

struct pktpool_ring;

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
	u32 ring_entries;
	u64 ring_off;		/* the ring part: rx, fill, tx */
	u64 ring_size;
	u64 rx_off;
	u64 fill_off;
	u64 tx_off;
	u64 meta_off;
	u64 meta_size;
	u64 slots_off;
	u64 slots_size;
	u64 size;
	unsigned long nr_pages;
	struct page **pages;
	atomic_t attached;
	atomic_t writers;	/* files attached for writing: its daemons */
	atomic_t mappings;
	struct pktpool_region_user *user;	/* charged to; NULL once freed */
	bool live;		/* pages ready: visible to lookups */
	struct pktpool_ring *ring;	/* kernel side, while a pool uses it */
	wait_queue_head_t wait;	/* poll() for the rx ring */
	char name[PKTPOOL_NAME_MAX];
};

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
int pktpool_region_lib_get(u32 id, struct pktpool_region_lib *lib);
int pktpool_region_next(u32 *id, struct pktpool_region_info *info);
u32 pktpool_region_max(void);
int pktpool_region_mmap(struct pktpool_file *pf, struct vm_area_struct *vma);
int pktpool_region_kick(struct pktpool_file *pf, u32 id);
__poll_t pktpool_region_poll(struct pktpool_file *pf, struct file *file,
			     poll_table *wait);

/* For region-backed pools. Process context. */
struct pktpool_region *pktpool_region_get(const char *name);
void pktpool_region_put(struct pktpool_region *r);

int pktpool_region_init(void);
void pktpool_region_exit(void);

#endif /* _PKTPOOL_REGION_H */
