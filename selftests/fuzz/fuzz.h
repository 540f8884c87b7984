/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pktpool_fuzz: what its parts share. pktpool_fuzz.c is the supervisor
 * and the checks after a run; a worker is fuzz_worker.c, which runs the
 * operations of fuzz_ioctl.c (/dev/pktpool), fuzz_mm.c (mappings) and
 * fuzz_nl.c (generic netlink) on the state and pickers of fuzz_state.c.
 */
#ifndef PKTPOOL_FUZZ_H
#define PKTPOOL_FUZZ_H

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <inttypes.h>
#include <limits.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <linux/capability.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/pktpool.h>

#ifndef MADV_POPULATE_READ
#define MADV_POPULATE_READ	22
#endif
#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE	23
#endif
#ifndef MREMAP_DONTUNMAP
#define MREMAP_DONTUNMAP	4
#endif
#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE	0x100000
#endif

#define FZ_PAGE		4096UL
#define FZ_MAX_WORKERS	16
#define FZ_FDS		6
#define FZ_MAPS		8
#define FZ_KNOWN	24	/* remembered ids of each kind */
#define FZ_NAMES	10	/* shared names: fz-0 .. fz-9 */
#define FZ_ARENA	(256UL << 20)	/* where MAP_FIXED and mremap aim */
#define FZ_NOBODY	65534

enum fz_role {
	FZ_ROOT,	/* uid 0, every capability */
	FZ_NOCAP,	/* uid 0 without CAP_NET_ADMIN */
	FZ_NOBODY_ROLE,	/* uid and gid 65534, no capability */
	FZ_ROLES
};

struct fz_limits {
	uint32_t max_slots;	/* region_max_slots */
	uint32_t max_regions;
	uint32_t max_pools;
	uint32_t class_max;	/* largest size class */
	uint32_t class_min;
	uint64_t max_bytes;	/* region_max_bytes */
	uint16_t family;	/* generic netlink family id, 0 unknown */
	uint32_t mcgrp;		/* id of the "monitor" group */
};

struct fz_slot {
	pid_t pid;		/* 0: free */
	int role;
	bool memcg;
	bool killed;		/* the supervisor sent the SIGKILL */
	uint32_t gen;
	uint64_t seed;
	uint64_t kill_at;	/* ops; 0 never */
	uint64_t ops;		/* written by the worker */
	uint64_t calls;
};

/* What got through, summed over all workers: proof the fuzzer gets deep. */
enum fz_stat {
	FZ_S_OPEN, FZ_S_POOL, FZ_S_REGION, FZ_S_ATTACH, FZ_S_DETACH,
	FZ_S_DESTROY, FZ_S_MMAP, FZ_S_MREMAP, FZ_S_MPROTECT, FZ_S_UNMAP,
	FZ_S_TOUCH, FZ_S_FAULT, FZ_S_FORK, FZ_S_NLMSG, FZ_S_NLERR, FZ_S_EFAULT,
	FZ_S_ENOSPC, FZ_S_EDQUOT, FZ_S_ENOMEM, FZ_STATS
};

struct fz_shared {
	struct fz_limits lim;
	uint64_t calls;		/* syscalls of workers that are gone */
	uint64_t stat[FZ_STATS];
	struct fz_slot w[FZ_MAX_WORKERS];
};

struct fz_file {
	int fd;			/* -1: free */
	int file;		/* identity of the open file (dup shares it) */
	int accmode;
};

/* Regions a file attached, and how; per open file, not per fd. */
struct fz_attach {
	int file;
	uint32_t id;
	uint32_t access;
	uint64_t size;		/* the region's mmap_size */
};

struct fz_region {
	uint32_t id;
	uint64_t size;
};

struct fz_map {
	char *addr;		/* NULL: free */
	size_t len;
	int prot;
	uint32_t id;
	bool in_arena;		/* calls may reach past it: it is all ours */
};

/* fuzz_state.c: the generator, shared state, what a worker knows */
extern uint64_t fz_state;
uint64_t fz_next(uint64_t *s);
uint64_t fz_rnd(void);
uint64_t fz_below(uint64_t n);
bool fz_chance(unsigned int pct);
extern const char *const fz_role_names[FZ_ROLES];
extern const char *const fz_stat_names[FZ_STATS];
extern struct fz_shared *fz_sh;
extern struct fz_slot *fz_me;
extern struct fz_limits fz_lim;
extern bool fz_trace;
extern uint64_t fz_local_calls;
extern uint64_t fz_worker_seed;
extern int fz_worker_role;
extern bool fz_in_child;
void fz_stat_inc(enum fz_stat s);
void fz_count_call(void);
void fz_tr(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
extern uint64_t fz_replay_ops;
void fz_violation(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
extern struct fz_file fz_files[FZ_FDS];
extern struct fz_attach fz_attached[64];
extern int fz_next_file;
extern bool fz_file_shared[4096];
extern struct fz_region fz_regions[FZ_KNOWN];
extern uint32_t fz_pool_ids[FZ_KNOWN];
extern uint32_t fz_pool_obj[FZ_KNOWN];
extern struct fz_map fz_maps[FZ_MAPS];
extern char *fz_arena;
extern char *fz_argbuf;
extern char *fz_robuf;
extern int fz_nl;
extern bool fz_nl_joined;
extern char *fz_balloon;
extern size_t fz_balloon_len;
void fz_remember_region(uint32_t id, uint64_t size);
void fz_remember_pool(uint32_t id, uint32_t obj_size);
struct fz_attach *fz_find_attach(int file, uint32_t id);
void fz_note_attach(int file, uint32_t id, uint32_t access, uint64_t size);
void fz_note_detach(int file, uint32_t id);
void fz_forget_file(int file);
uint32_t fz_pick_u32_edge(void);
uint64_t fz_pick_u64_edge(void);
uint32_t fz_pick_region_id(void);
uint32_t fz_pick_pool_id(void);
void fz_pick_name(char *name, bool zero_often);
int fz_pick_fd(struct fz_file **fp);

/* fuzz_ioctl.c */
void fz_op_open(void);
void fz_op_close(void);
void fz_op_dup(void);
void fz_op_version(void);
uint64_t fz_pick_reserve(uint32_t obj_size, uint64_t limit);
void fz_op_pool_create(void);
void fz_op_pool_destroy(void);
void fz_op_pool_info(void);
void fz_op_pool_set(void);
extern uint32_t fz_ids_out[8192];
void fz_op_list(void);
uint64_t fz_region_bytes(uint64_t n, uint64_t s);
void fz_op_region_create(void);
void fz_op_region_attach(bool attach_it);
void fz_op_region_id(bool destroy);
void fz_op_raw_ioctl(void);

/* fuzz_mm.c */
void fz_on_fault(int sig);
void fz_op_mmap(void);
void fz_op_munmap(void);
void fz_op_mremap(void);
void fz_op_mprotect(void);
void fz_op_madvise(void);
void fz_op_mlock(void);
void fz_op_touch(void);

/* fuzz_nl.c */
extern char fz_nlbuf[16384];
size_t fz_nla_put(size_t off, uint16_t type, const void *data, size_t len);
void fz_op_nl_sock(void);
void fz_op_nl_send(void);

/* fuzz_worker.c: run ops operations (0: until killed) */
int fz_worker(uint64_t seed, int role, const char *cgroup, uint64_t ops);

#endif /* PKTPOOL_FUZZ_H */
