// SPDX-License-Identifier: GPL-2.0
/*
 * pktpool_fuzz: the seeded generator, what the supervisor and workers share,
 * what a worker knows about ids, names, files and mappings, and the
 * pickers of plausible and implausible values.
 */
#define _GNU_SOURCE
#include "fuzz.h"

/* ---- the seeded generator ------------------------------------------------ */

uint64_t fz_state;

/* splitmix64: good enough, and a seed of 0 works too. */
uint64_t fz_next(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

uint64_t fz_rnd(void)
{
	return fz_next(&fz_state);
}

/* 0..n-1; n > 0. */
uint64_t fz_below(uint64_t n)
{
	return fz_rnd() % n;
}

/* true with probability pct percent. */
bool fz_chance(unsigned int pct)
{
	return fz_below(100) < pct;
}

/* ---- shared state between supervisor and workers ------------------------- */

const char *const fz_role_names[FZ_ROLES] = {
	"root", "nocap", "nobody",
};

const char *const fz_stat_names[FZ_STATS] = {
	"opens", "pools", "regions", "attaches", "detaches", "destroys",
	"mmaps", "mremaps", "mprotects", "munmaps", "touches", "faults",
	"forks", "netlink-replies", "netlink-errors", "EFAULT", "ENOSPC",
	"EDQUOT", "ENOMEM",
};

struct fz_shared *fz_sh;
struct fz_slot *fz_me;	/* this worker's slot, NULL when replaying */
struct fz_limits fz_lim;
bool fz_trace;
uint64_t fz_local_calls;	/* replay mode */
uint64_t fz_worker_seed;
int fz_worker_role;
bool fz_in_child;		/* a forked child of a worker */

void fz_stat_inc(enum fz_stat s)
{
	if (fz_sh)
		__atomic_fetch_add(&fz_sh->stat[s], 1, __ATOMIC_RELAXED);
}

void fz_count_call(void)
{
	if (fz_me)
		__atomic_fetch_add(&fz_me->calls, 1, __ATOMIC_RELAXED);
	else
		fz_local_calls++;
}

void fz_tr(const char *fmt, ...)
{
	va_list ap;

	if (!fz_trace)
		return;
	if (fz_in_child)
		fputs("  [child] ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

uint64_t fz_replay_ops;

static uint64_t fz_cur_ops(void)
{
	return fz_me ? fz_me->ops : fz_replay_ops;
}

/* A rule that must hold whatever the input did not: report and stop. */
void fz_violation(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "FZ-VIOLATION: worker seed %#" PRIx64 " role %s op %" PRIu64 ": ",
		fz_worker_seed, fz_role_names[fz_worker_role], fz_cur_ops());
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	_exit(3);
}

/* ---- what a worker knows ------------------------------------------------- */

struct fz_file fz_files[FZ_FDS];
struct fz_attach fz_attached[64];
int fz_next_file = 1;
/* Files a forked child also used: what they attached is not ours alone. */
bool fz_file_shared[4096];
struct fz_region fz_regions[FZ_KNOWN];
uint32_t fz_pool_ids[FZ_KNOWN];
uint32_t fz_pool_obj[FZ_KNOWN];
struct fz_map fz_maps[FZ_MAPS];
char *fz_arena;
char *fz_argbuf;		/* 2 pages, then a PROT_NONE page */
char *fz_robuf;		/* 1 read-only page */
int fz_nl = -1;
bool fz_nl_joined;
char *fz_balloon;
size_t fz_balloon_len;

void fz_remember_region(uint32_t id, uint64_t size)
{
	unsigned int i;

	for (i = 0; i < FZ_KNOWN; i++)
		if (fz_regions[i].id == id) {
			fz_regions[i].size = size;
			return;
		}
	i = fz_below(FZ_KNOWN);
	fz_regions[i].id = id;
	fz_regions[i].size = size;
}

void fz_remember_pool(uint32_t id, uint32_t obj_size)
{
	unsigned int i;

	for (i = 0; i < FZ_KNOWN; i++)
		if (fz_pool_ids[i] == id)
			return;
	i = fz_below(FZ_KNOWN);
	fz_pool_ids[i] = id;
	fz_pool_obj[i] = obj_size;
}

struct fz_attach *fz_find_attach(int file, uint32_t id)
{
	unsigned int i;

	for (i = 0; i < sizeof(fz_attached) / sizeof(fz_attached[0]); i++)
		if (fz_attached[i].file == file && fz_attached[i].id == id)
			return &fz_attached[i];
	return NULL;
}

void fz_note_attach(int file, uint32_t id, uint32_t access, uint64_t size)
{
	struct fz_attach *a = fz_find_attach(file, id);
	unsigned int i;

	if (!a) {
		for (i = 0; i < sizeof(fz_attached) / sizeof(fz_attached[0]); i++)
			if (!fz_attached[i].file) {
				a = &fz_attached[i];
				break;
			}
	}
	if (!a)
		a = &fz_attached[fz_below(sizeof(fz_attached) / sizeof(fz_attached[0]))];
	a->file = file;
	a->id = id;
	a->access = access;
	a->size = size;
}

void fz_note_detach(int file, uint32_t id)
{
	struct fz_attach *a = fz_find_attach(file, id);

	if (a)
		a->file = 0;
}

/* A file whose every fd is closed attaches nothing any more. */
void fz_forget_file(int file)
{
	unsigned int i;

	for (i = 0; i < FZ_FDS; i++)
		if (fz_files[i].fd >= 0 && fz_files[i].file == file)
			return;
	for (i = 0; i < sizeof(fz_attached) / sizeof(fz_attached[0]); i++)
		if (fz_attached[i].file == file)
			fz_attached[i].file = 0;
}

/* ---- value pickers: mostly plausible, sometimes not ---------------------- */

uint32_t fz_pick_u32_edge(void)
{
	static const uint32_t e[] = {
		0, 1, 2, 63, 64, 65, 4095, 4096, 4097, 65535, 65536, 65537,
		0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff,
	};

	return fz_chance(80) ? e[fz_below(sizeof(e) / sizeof(e[0]))] : (uint32_t)fz_rnd();
}

uint64_t fz_pick_u64_edge(void)
{
	static const uint64_t e[] = {
		0, 1, PKTPOOL_LIMIT_MAX - 1, PKTPOOL_LIMIT_MAX,
		PKTPOOL_LIMIT_MAX + 1, PKTPOOL_RESERVE_MAX,
		PKTPOOL_RESERVE_MAX + 1, INT64_MAX, UINT64_MAX,
		UINT64_MAX - 4095,
	};

	return fz_chance(80) ? e[fz_below(sizeof(e) / sizeof(e[0]))] : fz_rnd();
}

uint32_t fz_pick_region_id(void)
{
	uint32_t id = fz_regions[fz_below(FZ_KNOWN)].id;

	if (id && fz_chance(85))
		return fz_chance(90) ? id : id + (fz_chance(50) ? 1 : -1);
	return fz_chance(50) ? (uint32_t)fz_below(64) : fz_pick_u32_edge();
}

uint32_t fz_pick_pool_id(void)
{
	uint32_t id = fz_pool_ids[fz_below(FZ_KNOWN)];

	if (id && fz_chance(85))
		return fz_chance(90) ? id : id + (fz_chance(50) ? 1 : -1);
	return fz_chance(50) ? (uint32_t)fz_below(64) : fz_pick_u32_edge();
}

/*
 * A name field of 32 bytes: mostly one of the names every worker uses,
 * sometimes one that breaks a rule; all-zero often when zero_often
 * (anonymous regions).
 */
void fz_pick_name(char *name, bool zero_often)
{
	static const char chars[] = "abcdefghijklmnopqrstuvwxyz0123456789_-";
	unsigned int i, len;

	memset(name, 0, PKTPOOL_NAME_MAX);
	if (zero_often && fz_chance(35))
		return;
	if (fz_chance(75)) {
		snprintf(name, PKTPOOL_NAME_MAX, "fz-%u", (unsigned int)fz_below(FZ_NAMES));
		return;
	}
	switch (fz_below(9)) {
	case 0:		/* longest valid */
	case 1:
		for (i = 0; i < PKTPOOL_NAME_MAX - 1; i++)
			name[i] = chars[fz_below(sizeof(chars) - 1)];
		break;
	case 2:		/* no NUL at all */
		memset(name, 'a' + fz_below(26), PKTPOOL_NAME_MAX);
		break;
	case 3:		/* garbage after the NUL */
		strcpy(name, "fz-1");
		name[5 + fz_below(PKTPOOL_NAME_MAX - 5)] = (char)(1 + fz_below(255));
		break;
	case 4:		/* a character outside [a-z0-9_-] */
		snprintf(name, PKTPOOL_NAME_MAX, "fz-%u", (unsigned int)fz_below(FZ_NAMES));
		name[fz_below(4)] = "A/ .\n\xff%"[fz_below(7)];
		break;
	case 5:		/* empty but not zero: a NUL then bytes */
		name[1 + fz_below(PKTPOOL_NAME_MAX - 1)] = 'x';
		break;
	default:	/* random bytes, maybe NUL-terminated */
		len = fz_below(PKTPOOL_NAME_MAX + 1);
		for (i = 0; i < len && i < PKTPOOL_NAME_MAX; i++)
			name[i] = (char)fz_rnd();
		break;
	}
}
