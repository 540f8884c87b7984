/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * pktpool: packet-buffer pools, the ABI between pktpool.ko and userspace.
 *
 * Every ioctl argument starts with a __u32 size field that the caller sets
 * to sizeof() of the struct it was compiled against. The kernel accepts
 * any size from the first published version of the struct upwards: a
 * shorter struct gets -EINVAL, a longer one is accepted when every byte the
 * kernel does not know is zero and gets -E2BIG otherwise (as clone3() and
 * openat2() do). Output is written back up to the smaller of the two sizes.
 *
 * The ioctl numbers encode the size of the first version of each struct;
 * the kernel matches on type and number only, so a newer, larger struct
 * goes through the same command.
 *
 * Fields named reserved or __pad and unknown flag bits must be zero
 * (-EINVAL otherwise). Names are 1..31 characters of [a-z0-9_-] and must be
 * NUL-terminated inside their 32-byte field, with zero bytes after the NUL.
 *
 * Commands that change state need CAP_NET_ADMIN (-EPERM otherwise); the
 * read-only commands work for anyone who can open /dev/pktpool.
 */
#ifndef _UAPI_LINUX_PKTPOOL_H
#define _UAPI_LINUX_PKTPOOL_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define PKTPOOL_DEVICE		"/dev/pktpool"
#define PKTPOOL_ABI_VERSION	1

#define PKTPOOL_NAME_MAX	32	/* bytes, including the NUL */
#define PKTPOOL_CLASSES_MAX	16
#define PKTPOOL_OBJ_SIZE_MAX	65536
/* Largest limit a pool may have; 0 means unlimited. */
#define PKTPOOL_LIMIT_MAX	(1ULL << 32)
/* Largest reserve: objects allocated up front and kept aside. */
#define PKTPOOL_RESERVE_MAX	65536

/* Bits of pktpool_version.features. */
#define PKTPOOL_FEAT_POOLS	(1ULL << 0)	/* pool ioctls below */
#define PKTPOOL_FEAT_DEBUG	(1ULL << 1)	/* module loaded with debug=1 */

/*
 * PKTPOOL_IOC_VERSION: what this module speaks. All fields are output;
 * size is set to the size of the struct the kernel knows.
 */
struct pktpool_version {
	__u32 size;
	__u32 abi_version;		/* PKTPOOL_ABI_VERSION */
	__u64 features;			/* PKTPOOL_FEAT_* */
	__u32 nr_classes;		/* size classes in use */
	__u32 max_pools;		/* module parameter max_pools */
	__u32 class_size[PKTPOOL_CLASSES_MAX];	/* ascending, bytes */
};

/* Flags of pktpool_pool_create.flags and pktpool_pool_info.flags. */
#define PKTPOOL_POOL_F_DEBUG	(1U << 0)	/* track every object: catch
						 * double and foreign frees */
#define PKTPOOL_POOL_F_ALL	(PKTPOOL_POOL_F_DEBUG)

/* PKTPOOL_IOC_POOL_CREATE: make a pool. id is written back. */
struct pktpool_pool_create {
	__u32 size;
	__u32 flags;			/* PKTPOOL_POOL_F_* */
	char name[PKTPOOL_NAME_MAX];
	__u32 obj_size;			/* 1..largest size class */
	__s32 node;			/* NUMA node, -1 for any */
	__u64 limit;			/* max objects out, 0 = unlimited */
	__u64 reserve;			/* objects kept for GFP_ATOMIC */
	__u32 id;			/* out */
	__u32 reserved;
};

/*
 * A pool is named either by id (non-zero, name all zero) or by name (id 0).
 * Used alone by PKTPOOL_IOC_POOL_DESTROY and at the head of other structs.
 */
struct pktpool_pool_id {
	__u32 size;
	__u32 id;
	char name[PKTPOOL_NAME_MAX];
};

/* PKTPOOL_IOC_POOL_INFO: configuration and statistics of one pool. */
struct pktpool_pool_info {
	__u32 size;
	__u32 id;			/* in/out */
	char name[PKTPOOL_NAME_MAX];	/* in/out */
	__u32 obj_size;
	__u32 class_size;		/* size class that serves the pool */
	__s32 node;
	__u32 flags;
	__u64 limit;
	__u64 reserve;
	/* Statistics, summed over CPUs when read. */
	__u64 in_use;			/* objects handed out, not yet freed */
	__u64 peak;			/* highest in_use seen */
	__u64 allocs;
	__u64 frees;
	__u64 fail_limit;		/* allocations refused: limit reached */
	__u64 fail_nomem;		/* allocations refused: no memory */
	__u64 reserve_hits;		/* allocations served from the reserve */
	__u64 reserve_avail;		/* objects in the reserve now */
	__u64 cached;			/* free objects in per-CPU caches */
	__u64 holders;			/* kernel references (pktpool_get) */
	__u64 bad_frees;		/* debug: frees of foreign pointers */
};

/* Bits of pktpool_pool_set.mask: which fields to apply. */
#define PKTPOOL_SET_LIMIT	(1U << 0)
#define PKTPOOL_SET_RESERVE	(1U << 1)
#define PKTPOOL_SET_ALL		(PKTPOOL_SET_LIMIT | PKTPOOL_SET_RESERVE)

/* PKTPOOL_IOC_POOL_SET: change limit and/or reserve of a pool. */
struct pktpool_pool_set {
	__u32 size;
	__u32 id;
	char name[PKTPOOL_NAME_MAX];
	__u32 mask;			/* PKTPOOL_SET_*, at least one bit */
	__u32 reserved;
	__u64 limit;
	__u64 reserve;
};

/*
 * PKTPOOL_IOC_POOL_LIST: ids of all pools, ascending. The caller points
 * ids_ptr at an array of capacity __u32s. count is set to the number of
 * pools; when that exceeds capacity nothing is copied to the array and the
 * call fails with -ENOSPC (count still tells how many are needed).
 */
struct pktpool_pool_list {
	__u32 size;
	__u32 capacity;			/* in: entries at ids_ptr */
	__u32 count;			/* out: number of pools */
	__u32 reserved;
	__u64 ids_ptr;			/* in: user pointer to __u32[capacity] */
};

#define PKTPOOL_IOC_MAGIC	0xB8	/* free in ioctl-number.rst */

#define PKTPOOL_IOC_VERSION	_IOWR(PKTPOOL_IOC_MAGIC, 0x00, struct pktpool_version)
#define PKTPOOL_IOC_POOL_CREATE	_IOWR(PKTPOOL_IOC_MAGIC, 0x01, struct pktpool_pool_create)
#define PKTPOOL_IOC_POOL_DESTROY _IOW(PKTPOOL_IOC_MAGIC, 0x02, struct pktpool_pool_id)
#define PKTPOOL_IOC_POOL_INFO	_IOWR(PKTPOOL_IOC_MAGIC, 0x03, struct pktpool_pool_info)
#define PKTPOOL_IOC_POOL_SET	_IOW(PKTPOOL_IOC_MAGIC, 0x04, struct pktpool_pool_set)
#define PKTPOOL_IOC_POOL_LIST	_IOWR(PKTPOOL_IOC_MAGIC, 0x05, struct pktpool_pool_list)

#endif /* _UAPI_LINUX_PKTPOOL_H */
