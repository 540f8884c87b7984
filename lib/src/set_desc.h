/* SPDX-License-Identifier: MIT */
/*
 * A pool set's descriptor file (/dev/shm/pktpool-set.NAME), as set.c
 * writes it and the tests corrupt it. Hostile: read and written whole,
 * checked whole (set.c, desc_check()) before any field is used.
 */
#ifndef PKTPOOL_SET_DESC_H
#define PKTPOOL_SET_DESC_H

#include <stdint.h>

#include "libpktpool.h"

#define PKTPOOL_SETD_MAGIC	0x3130544553544b50ull	/* "PKTSET01" */
#define PKTPOOL_SETD_VERSION	1u
#define PKTPOOL_SETD_DIR		"/dev/shm"
#define PKTPOOL_SETD_PREFIX	"pktpool-set."
#define PKTPOOL_SETD_FACTOR_MAX	1024u
#define PKTPOOL_SETD_NONE		UINT32_MAX

/* The descriptor file: hostile, read and written whole. */
struct pktpool__set_desc {
	uint64_t magic;
	uint32_t version;
	uint32_t size;		/* sizeof(struct pktpool__set_desc) */
	uint32_t nclasses;
	uint32_t flags;
	uint32_t grow_max;	/* 1..PKTPOOL_SET_REGIONS_MAX */
	uint32_t grow_step;
	uint32_t grow_factor;
	uint32_t seq;		/* bumped by every change of the lists */
	uint32_t next_serial;
	uint32_t numa_node;	/* with PKTPOOL_SET_F_NODE, else 0 */
	uint32_t align;		/* 0, or 64..4096 dividing every slot size */
	uint32_t __pad;
	struct pktpool_set_class cls[PKTPOOL_SET_CLASSES_MAX];
	struct {
		uint32_t n;
		uint32_t serial[PKTPOOL_SET_REGIONS_MAX];
	} reg[PKTPOOL_SET_CLASSES_MAX];
};

#endif
