/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _PKTPOOL_OBJECTS_H
#define _PKTPOOL_OBJECTS_H

#include <linux/atomic.h>
#include <linux/gfp.h>
#include <linux/sched.h>
#include <linux/types.h>

struct pktpool;

/*
 * Debug mode: a private copy of what pktpool recorded about one object
 * out, for the netlink dump. key is where the record sits in pool->objs
 * (derived from the object's address): it resumes a dump and must never
 * leave the kernel.
 */
struct pktpool_obj_info {
	unsigned long key;
	u64 seq;		/* the pool's allocation number, from 1 */
	u64 time_ns;		/* ktime_get_ns() at allocation */
	unsigned long site;	/* return address of the pktpool call */
	pid_t pid;		/* tgid, task context only, init namespace */
	pid_t tid;
	u8 ctx;			/* PKTPOOL_OBJ_CTX_* */
	char comm[TASK_COMM_LEN];
};

/* Records alive in every pool (debugfs object_records). */
extern atomic_t pktpool_obj_records;

int pktpool_objects_init(void);
void pktpool_objects_exit(void);

/* Any context: record obj as out, allocated from ip. false: no memory. */
bool pktpool_obj_track(struct pktpool *pool, void *obj, gfp_t gfp,
		       unsigned long ip);
/* Any context: obj is back; false (counted, reported) if it was not out. */
bool pktpool_obj_untrack(struct pktpool *pool, void *obj);
/* Process context, pool unreachable: drop every record left. */
void pktpool_obj_forget_all(struct pktpool *pool);
/*
 * Process context: copy up to max records with keys from *next on into
 * out, ascending; *next is moved past the last one copied. Returns how
 * many were copied, 0 at the end.
 */
unsigned int pktpool_obj_copy(struct pktpool *pool, unsigned long *next,
			      struct pktpool_obj_info *out, unsigned int max);

#endif /* _PKTPOOL_OBJECTS_H */
