/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * pktpool: packet-buffer pools, the ABI between pktpool.ko and userspace.
 *
 * Every ioctl argument starts with a __u32 size field that the caller sets
 * to sizeof() of the struct it was compiled against. The kernel accepts
 * any size from the first published version of the struct upwards: a
 * shorter struct gets -EINVAL, a longer one is accepted when every byte the
 * kernel does not know is zero and gets -E2BIG otherwise (as clone3() and
 * openat2() do); a size above the page size gets -E2BIG whatever the bytes,
 * as clone3() does. The kernel writes back only the struct it knows.
 *
 * The ioctl numbers encode the size of the first version of each struct;
 * the kernel matches type, number and direction but ignores the size bits,
 * so a newer, larger struct goes through the same command.
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
#define PKTPOOL_ABI_VERSION	2	/* 2: three rings in a region */

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
#define PKTPOOL_FEAT_REGIONS	(1ULL << 2)	/* region ioctls and mmap */
#define PKTPOOL_FEAT_RINGS	(1ULL << 3)	/* rings, kick, poll, region pools */
#define PKTPOOL_FEAT_RESET_STATS (1ULL << 4)	/* PKTPOOL_IOC_POOL_RESET_STATS */

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

/*
 * Regions: named blocks of fixed-size slots that processes map with mmap()
 * on /dev/pktpool and share. The kernel allocates and zeroes them and never
 * reads what userspace writes there, apart from the rings and the library's
 * summary (struct pktpool_region_lib), which it copies out as numbers. A
 * region is laid out in four
 * page-aligned parts whose offsets pktpool_region_info reports:
 *   ctrl   the control block, owned by the library (free list, counters,
 *          process table)
 *   ring   three single-producer/single-consumer rings between the
 *          kernel and userspace (rx, fill, tx: see "Rings" below)
 *   meta   PKTPOOL_REGION_META_SIZE bytes per slot, owned by the library
 *   slots  slot_count slots of slot_size bytes
 * Access follows SysV shm: the creator's uid/gid and mode decide who may
 * attach for reading or writing; the owner or CAP_NET_ADMIN may destroy.
 * Destroy removes the name at once; the memory lives until the last
 * mapping and attached file are gone. A region created with an all-zero
 * name is anonymous: no one finds it by name, only CAP_NET_ADMIN can
 * destroy it (take it off the list), and it goes away with its last
 * attached file and mapping (other processes reach it through a passed
 * file, or attach it by id).
 * Ids are 1..4095, so a 32-bit process can map any region; they are
 * handed out in turn, so one is reused only after all the others.
 * Limits: max_regions and region_max_bytes for all regions together
 * (-ENOSPC), and for each uid without CAP_NET_ADMIN user_max_regions and
 * user_region_max_bytes (-EDQUOT). A region counts against them from
 * create until its memory is freed, after destroy if it is still mapped.
 * Creating or destroying a region, or attaching one for writing, needs a
 * file opened for writing (-EBADF). A file opened read-only and attached
 * for reading maps the region with PROT_READ and MAP_SHARED.
 */
#define PKTPOOL_REGION_SLOT_MIN		64
#define PKTPOOL_REGION_SLOT_MAX		65536	/* multiple of 64 between */
#define PKTPOOL_REGION_CTRL_SIZE	16384
#define PKTPOOL_REGION_META_SIZE	8
#define PKTPOOL_REGION_RING_HDR		128	/* producer, consumer lines */

/*
 * The library's summary of a region, in the control block at
 * PKTPOOL_REGION_LIB_OFF. libpktpool writes what pktpool_stats() and
 * pktpool_procs() would say: the counters at most every
 * PKTPOOL_REGION_LIB_MS from its slow paths, everything when a process
 * attaches or detaches, on a statistics reset and on
 * pktpool_stats_publish(). The kernel copies it into region-get (the lib-*
 * attributes) for callers who may read the region. It is a claim by
 * whichever process wrote it last, and anyone who may write the region can
 * make it say anything: each field is written whole, fields may come from
 * different moments, and the kernel only clamps slot counts to slot_count.
 * version 0 means no library has published here yet.
 */
#define PKTPOOL_REGION_LIB_OFF		3072
#define PKTPOOL_REGION_LIB_VERSION	1
#define PKTPOOL_REGION_LIB_MS		100
#define PKTPOOL_REGION_LIB_PROCS	63

struct pktpool_region_lib_proc {
	__s32 pid;			/* as the process saw itself; 0: none */
	__u32 held;			/* slots charged to it */
};

struct pktpool_region_lib {
	__u32 version;			/* PKTPOOL_REGION_LIB_VERSION */
	__u32 threads;			/* thread caches in use */
	__u64 time_ns;			/* CLOCK_REALTIME of the counters */
	__u64 procs_time_ns;		/* ... of proc[], 0: never taken */
	__u64 in_use;			/* as in libpktpool's pktpool_stats */
	__u64 cached;
	__u64 free;
	__u64 peak;
	__u64 allocs;
	__u64 frees;
	__u64 failures;
	__u64 errors;
	__u64 reclaimed;
	__u32 procs;			/* processes attached */
	__u32 __pad;
	struct pktpool_region_lib_proc proc[PKTPOOL_REGION_LIB_PROCS];
};

/* Bits of pktpool_region_info.access. */
#define PKTPOOL_ACCESS_READ	(1U << 0)
#define PKTPOOL_ACCESS_WRITE	(1U << 1)

/*
 * PKTPOOL_IOC_REGION_CREATE: make a region and attach the calling file
 * to it for reading and writing; map it with
 * mmap(NULL, mmap_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, mmap_offset).
 */
struct pktpool_region_create {
	__u32 size;
	__u32 flags;			/* none defined yet: 0 */
	char name[PKTPOOL_NAME_MAX];
	__u32 slot_size;		/* multiple of 64, 64..65536 */
	__u32 slot_count;		/* 1..module parameter region_max_slots */
	__s32 node;			/* NUMA node, -1 for any */
	__u32 mode;			/* permission bits, at most 0777 */
	__u32 id;			/* out */
	__u32 reserved;
	__u64 mmap_offset;		/* out */
	__u64 mmap_size;		/* out */
};

/*
 * Rings. The ring part of a region holds three rings, each on its own
 * pages, each with ring_entries entries (the power of two at or above
 * slot_count):
 *   rx    kernel -> user: struct pktpool_desc, slots the kernel filled
 *         (a captured packet, or one waiting for a verdict)
 *   fill  user -> kernel: __u32 slot indices the user gives the kernel
 *   tx    user -> kernel: struct pktpool_desc, verdicts on queued packets,
 *         or packets for a device (linux/pktpool_vdev.h); read only on
 *         PKTPOOL_IOC_REGION_KICK (NEED_WAKEUP stays set)
 * Ring bytes: PKTPOOL_REGION_RING_HDR + ring_entries * entry size, rounded
 * up to a page; rx first, then fill, then tx (pktpool_region_info has the
 * offsets). In a ring's header the producer index is the __u32 at
 * PKTPOOL_RING_PRODUCER, the consumer index the __u32 at
 * PKTPOOL_RING_CONSUMER (another cache line) and PKTPOOL_RING_FLAGS the
 * flags the kernel sets for the user side. Indices run freely and wrap;
 * entry i lives at i & (ring_entries - 1).
 *
 * Ordering, as in if_xdp.h: the producer writes entries, then stores the
 * producer index with release semantics (A); the consumer loads it with
 * acquire (B), reads the entries, then stores the consumer index with
 * release (C); the producer loads the consumer index with acquire (D)
 * before it overwrites entries. Each side may cache the other's index and
 * only reload it when its cached view runs out.
 *
 * Ownership: every slot belongs to userspace until it is put on the fill
 * ring. The kernel keeps its own record of which slots it holds and never
 * trusts the region: an index out of range, a slot the kernel already
 * holds, a producer more than ring_entries ahead of the consumer, or a
 * verdict for an unknown id or the wrong slot is counted in ring_invalid
 * and skipped. A slot comes back to userspace on the rx ring, and goes to
 * the kernel again with a verdict on the tx ring or on the fill ring. A
 * tx entry for a region that carries a device comes back at once on rx
 * with PKTPOOL_DESC_F_RETURNED and len 0 (a completion). When the last
 * kernel user of a region goes, the slots the kernel still held unused
 * come back on the rx ring the same way: no slot given to the kernel is
 * ever lost to its process. On a region that carries a device, when the
 * last file attached for writing goes the kernel forgets what was on the
 * rings and every slot it is not filling is userspace's again.

 *
 * Wakeups: poll()/epoll on the file says EPOLLIN when an attached
 * region's rx ring has entries. The kernel sets PKTPOOL_RING_F_NEED_WAKEUP
 * in the fill and tx rings' flags when it wants PKTPOOL_IOC_REGION_KICK to
 * look at them; while the flag is clear a busy user need not call in.
 */
#define PKTPOOL_RING_PRODUCER		0
#define PKTPOOL_RING_CONSUMER		64
#define PKTPOOL_RING_FLAGS		68
#define PKTPOOL_RING_F_NEED_WAKEUP	(1U << 0)

/* Bits of pktpool_desc.flags. */
#define PKTPOOL_DESC_F_TRUNCATED	(1U << 0)	/* rx: len < orig_len */
#define PKTPOOL_DESC_F_QUEUED		(1U << 1)	/* rx: awaits a verdict */
#define PKTPOOL_DESC_F_MODIFIED		(1U << 2)	/* tx: take the slot's len bytes */
#define PKTPOOL_DESC_F_MARK		(1U << 3)	/* tx: set the packet's mark */
#define PKTPOOL_DESC_F_RETURNED		(1U << 4)	/* rx: an unused slot given back */

/* pktpool_desc.verdict, on the tx ring. */
#define PKTPOOL_VERDICT_ACCEPT		1
#define PKTPOOL_VERDICT_DROP		2

struct pktpool_desc {
	__u32 slot;		/* slot index */
	__u32 len;		/* bytes of packet at the start of the slot */
	__u32 orig_len;		/* rx: the packet's full length */
	__u32 id;		/* rx: packet id; tx: the packet the verdict is for */
	__u64 tstamp;		/* rx: CLOCK_REALTIME, ns, when the hook saw it */
	__u32 ifindex;		/* rx: input device, output device on output hooks */
	__u32 mark;		/* rx: the packet's mark; tx: see DESC_F_MARK */
	__u16 flags;		/* PKTPOOL_DESC_F_* */
	__u8 family;		/* rx: NFPROTO_IPV4 or NFPROTO_IPV6 */
	__u8 hook;		/* rx: NF_INET_* */
	__u32 verdict;		/* tx: PKTPOOL_VERDICT_* */
	__u32 binding;		/* rx: the binding that produced it */
	__u32 reserved;		/* 0 */
};

/*
 * PKTPOOL_IOC_REGION_INFO (anyone) and PKTPOOL_IOC_REGION_ATTACH: the
 * region named by id or name, as in pktpool_pool_id. ATTACH also attaches
 * the calling file with the access asked for in access (0 means read and
 * write), after the permission check (-EACCES); only attached files may
 * map the region, and only for the access granted. Every mapping needs
 * read access (most CPUs cannot map a page write-only), so a write-only
 * attachment cannot be mapped (-EACCES).
 */
struct pktpool_region_info {
	__u32 size;
	__u32 id;			/* in/out */
	char name[PKTPOOL_NAME_MAX];	/* in/out */
	__u32 access;			/* ATTACH in: PKTPOOL_ACCESS_*; out */
	__u32 flags;
	__u32 mode;
	__u32 uid;
	__u32 gid;
	__u32 slot_size;
	__u32 slot_count;
	__s32 node;
	__u64 mmap_offset;
	__u64 mmap_size;
	__u64 ctrl_offset;
	__u64 ctrl_size;
	__u64 ring_offset;
	__u64 ring_size;
	__u64 meta_offset;
	__u64 meta_size;
	__u64 slots_offset;
	__u64 slots_size;
	__u64 attached;			/* files attached now */
	__u64 mappings;			/* live mappings */
	/* ABI 2: rings and the kernel's account of the slots */
	__u32 ring_entries;
	__u32 __pad;
	__u64 rx_offset;		/* from the start of the mapping */
	__u64 fill_offset;
	__u64 tx_offset;
	__u64 kernel_slots;		/* held by the kernel, free or in use */
	__u64 inflight_slots;		/* on the rx ring, not yet consumed */
	__u64 user_slots;		/* everything else */
	__u64 ring_invalid;		/* bad indices and descriptors seen */
};

/*
 * Generic netlink family "pktpool", described by
 * Documentation/netlink/specs/pktpool.yaml (scripts/check-spec.py keeps
 * the two in step). Notifications go to the "monitor" group. Reads and
 * the monitor group are open to every user, as ipcs and /proc/net/stat
 * are; the device mode only guards the ioctls and mmap. pool-set and
 * pool-objects-get (which shows kernel symbols) need CAP_NET_ADMIN.
 */
#define PKTPOOL_GENL_NAME		"pktpool"
#define PKTPOOL_GENL_VERSION		1
#define PKTPOOL_GENL_MCGRP_MONITOR	"monitor"

/*
 * How close a pool is to its limit (pool-health-ntf): the module
 * parameters health_warn and health_crit are the thresholds, in percent
 * of the limit. A pool without a limit is always ok.
 */
enum pktpool_health {
	PKTPOOL_HEALTH_OK = 1,
	PKTPOOL_HEALTH_WARN,		/* at least health_warn % in use */
	PKTPOOL_HEALTH_CRIT,		/* at least health_crit % in use */
};

enum {
	PKTPOOL_A_POOL_ID = 1,
	PKTPOOL_A_POOL_NAME,
	PKTPOOL_A_POOL_OBJ_SIZE,
	PKTPOOL_A_POOL_CLASS_SIZE,
	PKTPOOL_A_POOL_NODE,
	PKTPOOL_A_POOL_FLAGS,
	PKTPOOL_A_POOL_LIMIT,
	PKTPOOL_A_POOL_RESERVE,
	PKTPOOL_A_POOL_IN_USE,
	PKTPOOL_A_POOL_PEAK,
	PKTPOOL_A_POOL_ALLOCS,
	PKTPOOL_A_POOL_FREES,
	PKTPOOL_A_POOL_FAIL_LIMIT,
	PKTPOOL_A_POOL_FAIL_NOMEM,
	PKTPOOL_A_POOL_RESERVE_HITS,
	PKTPOOL_A_POOL_RESERVE_AVAIL,
	PKTPOOL_A_POOL_CACHED,
	PKTPOOL_A_POOL_HOLDERS,
	PKTPOOL_A_POOL_BAD_FREES,
	PKTPOOL_A_POOL_FAILS_SINCE,
	PKTPOOL_A_POOL_PAD,
	PKTPOOL_A_POOL_HEALTH,		/* u32: enum pktpool_health */
	PKTPOOL_A_POOL_OBJECT,		/* nest of PKTPOOL_A_OBJECT_* */

	__PKTPOOL_A_POOL_MAX,
	PKTPOOL_A_POOL_MAX = (__PKTPOOL_A_POOL_MAX - 1)
};

enum {
	PKTPOOL_A_REGION_ID = 1,
	PKTPOOL_A_REGION_NAME,
	PKTPOOL_A_REGION_SLOT_SIZE,
	PKTPOOL_A_REGION_SLOT_COUNT,
	PKTPOOL_A_REGION_NODE,
	PKTPOOL_A_REGION_MODE,
	PKTPOOL_A_REGION_UID,
	PKTPOOL_A_REGION_GID,
	PKTPOOL_A_REGION_SIZE,
	PKTPOOL_A_REGION_ATTACHED,
	PKTPOOL_A_REGION_MAPPINGS,
	PKTPOOL_A_REGION_PID,
	PKTPOOL_A_REGION_ACCESS,
	PKTPOOL_A_REGION_PAD,
	PKTPOOL_A_REGION_KERNEL_SLOTS,	/* u64, as in pktpool_region_info */
	PKTPOOL_A_REGION_INFLIGHT_SLOTS,	/* u64 */
	PKTPOOL_A_REGION_USER_SLOTS,	/* u64 */
	PKTPOOL_A_REGION_RING_INVALID,	/* u64 */
	/* struct pktpool_region_lib, when readable by the caller */
	PKTPOOL_A_REGION_LIB_AGE_MS,	/* u64: since its time_ns */
	PKTPOOL_A_REGION_LIB_IN_USE,	/* u64 */
	PKTPOOL_A_REGION_LIB_CACHED,	/* u64 */
	PKTPOOL_A_REGION_LIB_FREE,	/* u64 */
	PKTPOOL_A_REGION_LIB_PEAK,	/* u64 */
	PKTPOOL_A_REGION_LIB_ALLOCS,	/* u64 */
	PKTPOOL_A_REGION_LIB_FREES,	/* u64 */
	PKTPOOL_A_REGION_LIB_FAILURES,	/* u64 */
	PKTPOOL_A_REGION_LIB_ERRORS,	/* u64 */
	PKTPOOL_A_REGION_LIB_RECLAIMED,	/* u64 */
	PKTPOOL_A_REGION_LIB_THREADS,	/* u32 */
	PKTPOOL_A_REGION_LIB_PROCS,	/* u32 */
	PKTPOOL_A_REGION_LIB_PROCS_AGE_MS,	/* u64: since procs_time_ns */
	PKTPOOL_A_REGION_LIB_PROC,	/* nest of PKTPOOL_A_LIB_PROC_*, one
					 * per process entry in use */

	__PKTPOOL_A_REGION_MAX,
	PKTPOOL_A_REGION_MAX = (__PKTPOOL_A_REGION_MAX - 1)
};

enum {
	PKTPOOL_A_CLASS_SIZE = 1,
	PKTPOOL_A_CLASS_NAME,
	PKTPOOL_A_CLASS_POOLS,
	PKTPOOL_A_CLASS_OBJECTS,
	PKTPOOL_A_CLASS_BYTES,
	PKTPOOL_A_CLASS_IN_USE,
	PKTPOOL_A_CLASS_PAD,

	__PKTPOOL_A_CLASS_MAX,
	PKTPOOL_A_CLASS_MAX = (__PKTPOOL_A_CLASS_MAX - 1)
};

/*
 * One object a debug pool has out, in pool-objects-get (PKTPOOL_A_POOL_OBJECT).
 * seq numbers the pool's allocations from 1 (an object's address is never
 * shown); site is the caller of pktpool_alloc() and friends as the kernel
 * prints symbols ("func+0x1c/0x80 [module]", "?" if it no longer
 * resolves); pid, tid and comm (init namespace) only when context is
 * PKTPOOL_OBJ_CTX_TASK.
 */
enum {
	PKTPOOL_A_OBJECT_SEQ = 1,	/* u64 */
	PKTPOOL_A_OBJECT_SITE,		/* string */
	PKTPOOL_A_OBJECT_AGE_MS,	/* u64 */
	PKTPOOL_A_OBJECT_CONTEXT,	/* u32, PKTPOOL_OBJ_CTX_* */
	PKTPOOL_A_OBJECT_PID,		/* u32 */
	PKTPOOL_A_OBJECT_TID,		/* u32 */
	PKTPOOL_A_OBJECT_COMM,		/* string */
	PKTPOOL_A_OBJECT_PAD,

	__PKTPOOL_A_OBJECT_MAX,
	PKTPOOL_A_OBJECT_MAX = (__PKTPOOL_A_OBJECT_MAX - 1)
};

/* One process entry of a region's library summary (PKTPOOL_A_REGION_LIB_PROC). */
enum {
	PKTPOOL_A_LIB_PROC_ID = 1,	/* u32: entry, 1..PKTPOOL_REGION_LIB_PROCS */
	PKTPOOL_A_LIB_PROC_PID,		/* u32: as the process saw itself */
	PKTPOOL_A_LIB_PROC_HELD,	/* u64: slots charged to it */
	PKTPOOL_A_LIB_PROC_PAD,

	__PKTPOOL_A_LIB_PROC_MAX,
	PKTPOOL_A_LIB_PROC_MAX = (__PKTPOOL_A_LIB_PROC_MAX - 1)
};

/* Where an object was allocated (PKTPOOL_A_OBJECT_CONTEXT). */
enum pktpool_obj_ctx {
	PKTPOOL_OBJ_CTX_TASK = 1,	/* process context, a task named */
	PKTPOOL_OBJ_CTX_SOFTIRQ,
	PKTPOOL_OBJ_CTX_HARDIRQ,
};

enum {
	PKTPOOL_CMD_POOL_GET = 1,
	PKTPOOL_CMD_POOL_SET,
	PKTPOOL_CMD_REGION_GET,
	PKTPOOL_CMD_CLASS_GET,
	PKTPOOL_CMD_POOL_ADD_NTF,
	PKTPOOL_CMD_POOL_DEL_NTF,
	PKTPOOL_CMD_POOL_CHANGE_NTF,
	PKTPOOL_CMD_POOL_LIMIT_NTF,
	PKTPOOL_CMD_POOL_RESERVE_NTF,
	PKTPOOL_CMD_REGION_ATTACH_NTF,
	PKTPOOL_CMD_REGION_DETACH_NTF,
	PKTPOOL_CMD_POOL_HEALTH_NTF,
	PKTPOOL_CMD_POOL_OBJECTS_GET,

	__PKTPOOL_CMD_MAX,
	PKTPOOL_CMD_MAX = (__PKTPOOL_CMD_MAX - 1)
};

#define PKTPOOL_IOC_MAGIC	0xB8	/* free in ioctl-number.rst */

#define PKTPOOL_IOC_VERSION	_IOWR(PKTPOOL_IOC_MAGIC, 0x00, struct pktpool_version)
#define PKTPOOL_IOC_POOL_CREATE	_IOWR(PKTPOOL_IOC_MAGIC, 0x01, struct pktpool_pool_create)
#define PKTPOOL_IOC_POOL_DESTROY _IOW(PKTPOOL_IOC_MAGIC, 0x02, struct pktpool_pool_id)
#define PKTPOOL_IOC_POOL_INFO	_IOWR(PKTPOOL_IOC_MAGIC, 0x03, struct pktpool_pool_info)
#define PKTPOOL_IOC_POOL_SET	_IOW(PKTPOOL_IOC_MAGIC, 0x04, struct pktpool_pool_set)
#define PKTPOOL_IOC_POOL_LIST	_IOWR(PKTPOOL_IOC_MAGIC, 0x05, struct pktpool_pool_list)
/*
 * PKTPOOL_IOC_POOL_RESET_STATS: start a pool's counters over. peak becomes
 * the current in_use; fail_limit, fail_nomem, reserve_hits and bad_frees
 * become 0. What is state stays: in_use, and allocs and frees (in_use is
 * their difference), reserve_avail, cached, holders. Needs CAP_NET_ADMIN
 * and the device open for writing, as POOL_SET does.
 */
#define PKTPOOL_IOC_POOL_RESET_STATS _IOW(PKTPOOL_IOC_MAGIC, 0x06, struct pktpool_pool_id)

#define PKTPOOL_IOC_REGION_CREATE _IOWR(PKTPOOL_IOC_MAGIC, 0x10, struct pktpool_region_create)
#define PKTPOOL_IOC_REGION_ATTACH _IOWR(PKTPOOL_IOC_MAGIC, 0x11, struct pktpool_region_info)
#define PKTPOOL_IOC_REGION_DETACH _IOW(PKTPOOL_IOC_MAGIC, 0x12, struct pktpool_pool_id)
#define PKTPOOL_IOC_REGION_INFO	_IOWR(PKTPOOL_IOC_MAGIC, 0x13, struct pktpool_region_info)
#define PKTPOOL_IOC_REGION_DESTROY _IOW(PKTPOOL_IOC_MAGIC, 0x14, struct pktpool_pool_id)
/* Same struct and rules as PKTPOOL_IOC_POOL_LIST, for region ids. */
#define PKTPOOL_IOC_REGION_LIST	_IOWR(PKTPOOL_IOC_MAGIC, 0x15, struct pktpool_pool_list)
/*
 * PKTPOOL_IOC_REGION_KICK: the kernel looks at the fill and tx rings of
 * the region (attached to this file for writing) now. Cheap; needed only
 * while a ring's PKTPOOL_RING_F_NEED_WAKEUP is set.
 */
#define PKTPOOL_IOC_REGION_KICK	_IOW(PKTPOOL_IOC_MAGIC, 0x16, struct pktpool_pool_id)

#endif /* _UAPI_LINUX_PKTPOOL_H */
