// SPDX-License-Identifier: MIT
/*
 * Buddy allocator: sizes 64 B..64 KiB, split and merge, fragmentation
 * figures, exhaustion, bad frees, sharing by name, threads, a process
 * killed inside calls, and a hostile state file (garbage heads, links,
 * busy flag, unit map): errors, never a crash, a hang, a block outside
 * the arena or misaligned, and with only the lists corrupted never a
 * block that is in use.
 */
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "util.h"

#define KIB 1024u

static struct pktpool_buddy *make(const char *name, uint64_t size)
{
	struct pktpool_buddy_config cfg = { .name = name, .size = size };
	struct pktpool_buddy *b = NULL;
	int err = pktpool_buddy_create(&cfg, &b);

	if (err == -ENODEV || err == -EOPNOTSUPP)
		tap_skip_all("backend not available");
	if (err)
		diag("pktpool_buddy_create: %s", pktpool_strerror(err));
	return b;
}

static struct pktpool_buddy_stats stats(struct pktpool_buddy *b)
{
	struct pktpool_buddy_stats st;

	memset(&st, 0xff, sizeof(st));
	pktpool_buddy_stats(b, &st);
	return st;
}

static void test_config(void)
{
	struct pktpool_buddy_config cfg = { .size = 64 * KIB };
	struct pktpool_buddy *b = NULL;

	cfg.size = 0;
	ok(pktpool_buddy_create(&cfg, &b) == -EINVAL, "create: size 0 is -EINVAL");
	cfg.size = 100 * KIB;
	ok(pktpool_buddy_create(&cfg, &b) == -EINVAL,
	   "create: size not a multiple of 64 KiB is -EINVAL");
	cfg.size = PKTPOOL_BUDDY_SIZE_MAX + 64 * KIB;
	ok(pktpool_buddy_create(&cfg, &b) == -EINVAL,
	   "create: size above PKTPOOL_BUDDY_SIZE_MAX is -EINVAL");
	cfg.size = 64 * KIB;
	cfg.flags = 1;
	ok(pktpool_buddy_create(&cfg, &b) == -EINVAL, "create: a flag is -EINVAL");
	cfg.flags = 0;
	cfg.__reserved[2] = 1;
	ok(pktpool_buddy_create(&cfg, &b) == -EINVAL,
	   "create: reserved set is -EINVAL");
	cfg.__reserved[2] = 0;
	cfg.name = "Bad";
	ok(pktpool_buddy_create(&cfg, &b) == -EINVAL && b == NULL,
	   "create: a bad name is -EINVAL");
}

static void test_sizes(void)
{
	static const struct { size_t bytes, want; } c[] = {
		{ 1, 64 }, { 64, 64 }, { 65, 128 }, { 1500, 2048 },
		{ 4097, 8192 }, { 65535, 65536 }, { 65536, 65536 },
	};
	struct pktpool_buddy *b = make(NULL, 256 * KIB);
	unsigned int i, bad = 0;
	void *o[7];

	require(b);
	for (i = 0; i < 7; i++) {
		o[i] = pktpool_buddy_alloc(b, c[i].bytes);
		if (!o[i] || pktpool_buddy_usable_size(b, o[i]) != c[i].want ||
		    ((uintptr_t)o[i] & (c[i].want < 4096 ? c[i].want - 1 : 4095)))
			bad++;
		else
			memset(o[i], (int)i, c[i].bytes);
	}
	ok(bad == 0, "alloc: the next power of 2 from 64 B to 64 KiB, aligned");
	for (i = 0; i < 7; i++)
		bad += pktpool_buddy_free(b, o[i]) != 0;
	ok(bad == 0, "free: every block");
	errno = 0;
	ok(!pktpool_buddy_alloc(b, 0) && errno == EMSGSIZE,
	   "alloc: 0 bytes is EMSGSIZE");
	errno = 0;
	ok(!pktpool_buddy_alloc(b, 65537) && errno == EMSGSIZE,
	   "alloc: more than 64 KiB is EMSGSIZE");
	ok(stats(b).free_blocks[10] == 4 && stats(b).used_bytes == 0,
	   "free: everything merged back into 64 KiB blocks");
	pktpool_buddy_detach(b);
}

static void test_split_merge(void)
{
	struct pktpool_buddy *b = make(NULL, 128 * KIB);
	struct pktpool_buddy_stats st;
	unsigned int k, bad = 0;
	void *o, *all[2048], *x;
	int i, n = 0;

	require(b);
	o = pktpool_buddy_alloc(b, 64);
	st = stats(b);
	for (k = 0; k < 10; k++)
		bad += st.free_blocks[k] != 1;
	ok(o && bad == 0 && st.free_blocks[10] == 1,
	   "split: one 64-byte block leaves one free block of each order below 64 KiB");
	ok(st.free_bytes == 128 * KIB - 64 && st.used_bytes == 64 &&
	   st.largest_free == 64 * KIB && st.fragmentation == 49,
	   "stats: free, used, largest, fragmentation 49%% (%u)", st.fragmentation);
	pktpool_buddy_free(b, o);
	st = stats(b);
	ok(st.free_blocks[10] == 2 && st.free_blocks[0] == 0 &&
	   st.fragmentation == 0, "merge: back to two 64 KiB blocks");

	/* exhaustion with the smallest blocks */
	while ((x = pktpool_buddy_alloc(b, 64)) != NULL && n < 2048)
		all[n++] = x;
	errno = 0;
	x = pktpool_buddy_alloc(b, 64);
	ok(n == 2048 && !x && errno == ENOMEM,
	   "exhaustion: 2048 blocks of 64 B, then ENOMEM");
	ok(stats(b).failures >= 1 && stats(b).free_bytes == 0,
	   "exhaustion: failure counted, nothing free");
	/* every other one free: fragmented */
	for (i = 0; i < n; i += 2)
		pktpool_buddy_free(b, all[i]);
	st = stats(b);
	ok(st.free_bytes == 64 * KIB && st.largest_free == 64 &&
	   st.fragmentation == 100 && !pktpool_buddy_alloc(b, 128),
	   "fragmentation: half free in 64-byte holes is 100%%, no 128 B block");
	for (i = 1; i < n; i += 2)
		pktpool_buddy_free(b, all[i]);
	ok(stats(b).free_blocks[10] == 2, "merge: the holes merge back to 64 KiB");
	pktpool_buddy_detach(b);
}

static void test_bad_frees(void)
{
	struct pktpool_buddy *b = make(NULL, 64 * KIB);
	struct pktpool_buddy_stats before;
	char stack[64];
	char *o;

	require(b);
	o = pktpool_buddy_alloc(b, 256);
	require(o);
	before = stats(b);
	ok(pktpool_buddy_free(b, stack) == -EFAULT, "free: a stack pointer is -EFAULT");
	ok(pktpool_buddy_free(b, o + 64) == -EINVAL,
	   "free: inside a block is -EINVAL");
	ok(pktpool_buddy_free(b, o + 1) == -EINVAL,
	   "free: not on a 64-byte unit is -EINVAL");
	ok(pktpool_buddy_free(b, o + 256) == -EALREADY,
	   "free: a free block (the buddy) is -EALREADY");
	ok(memcmp(&before, &(struct pktpool_buddy_stats){ 0 }, 0) == 0 &&
	   stats(b).used_bytes == before.used_bytes &&
	   stats(b).free_bytes == before.free_bytes &&
	   stats(b).frees == before.frees, "free: refused frees changed nothing");
	ok(pktpool_buddy_free(b, o) == 0 && pktpool_buddy_free(b, o) == -EALREADY,
	   "free: a double free is -EALREADY");
	ok(pktpool_buddy_free(b, NULL) == 0 && pktpool_buddy_free(NULL, o) == -EINVAL,
	   "free: NULL ignored, NULL arena -EINVAL");
	ok(pktpool_buddy_usable_size(b, o) == 0 &&
	   pktpool_buddy_usable_size(b, stack) == 0,
	   "usable_size: 0 for a free block or a foreign pointer");
	pktpool_buddy_detach(b);
}

/* Random sizes, contents checked: no two live blocks ever overlap. */
static void test_random(void)
{
	struct pktpool_buddy *b = make(NULL, 512 * KIB);
	static struct { unsigned char *p; size_t n; unsigned char tag; } live[256];
	uint64_t seed = 0x9e3779b97f4a7c15ull;
	long i, rounds = scaled(20000);
	unsigned int bad = 0, j;

	require(b);
	for (i = 0; i < rounds; i++) {
		j = (unsigned int)(xorshift(&seed) % 256);
		if (live[j].p) {
			size_t k;

			for (k = 0; k < live[j].n; k++)
				bad += live[j].p[k] != live[j].tag;
			bad += pktpool_buddy_free(b, live[j].p) != 0;
			live[j].p = NULL;
		} else {
			size_t n = 1 + xorshift(&seed) % (xorshift(&seed) % 2 ?
							  512 : 65536);

			live[j].p = pktpool_buddy_alloc(b, n);
			if (live[j].p) {
				live[j].n = n;
				live[j].tag = (unsigned char)i;
				memset(live[j].p, live[j].tag, n);
			}
		}
	}
	for (j = 0; j < 256; j++)
		if (live[j].p)
			bad += pktpool_buddy_free(b, live[j].p) != 0;
	ok(bad == 0, "random: %ld calls, contents intact, no overlap", rounds);
	ok(stats(b).free_blocks[10] == 8 && stats(b).used_blocks == 0,
	   "random: all merged back at the end");
	pktpool_buddy_detach(b);
}

static struct pktpool_buddy *shared_b;

static void *worker(void *arg)
{
	uint64_t seed = (uintptr_t)arg * 7919 + 1;
	void *o[16] = { 0 };
	long i;

	for (i = 0; i < scaled(2000); i++) {
		unsigned int j = (unsigned int)(xorshift(&seed) % 16);

		if (o[j]) {
			pktpool_buddy_free(shared_b, o[j]);
			o[j] = NULL;
		} else {
			o[j] = pktpool_buddy_alloc(shared_b,
						   64 + xorshift(&seed) % 4000);
			if (o[j])
				memset(o[j], (int)(uintptr_t)arg, 64);
		}
	}
	for (i = 0; i < 16; i++)
		pktpool_buddy_free(shared_b, o[i]);
	return NULL;
}

static void test_threads(void)
{
	pthread_t t[4];
	long i;

	shared_b = make(NULL, 1024 * KIB);
	require(shared_b);
	for (i = 0; i < 4; i++)
		pthread_create(&t[i], NULL, worker, (void *)i);
	for (i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	ok(stats(shared_b).free_blocks[10] == 16 &&
	   stats(shared_b).allocs == stats(shared_b).frees,
	   "threads: four threads at once, all merged back");
	pktpool_buddy_detach(shared_b);
}

static void test_shared(const char *name)
{
	struct pktpool_buddy *b = make(name, 128 * KIB), *a = NULL;
	int fds[2], st;
	uint64_t off;
	pid_t pid;

	require(b);
	ok(pktpool_buddy_create(&(struct pktpool_buddy_config){
		.name = name, .size = 64 * KIB }, &a) == -EEXIST,
	   "shared: a second create of the name is -EEXIST");
	require(pipe(fds) == 0);
	pid = fork();
	require(pid >= 0);
	if (pid == 0) {
		struct pktpool_buddy *c;
		unsigned char *p, *base;

		if (pktpool_buddy_attach(name, &c))
			_exit(2);
		base = pktpool_buddy_alloc(c, 64);	/* the arena's first unit */
		p = pktpool_buddy_alloc(c, 3000);
		if (!p || !base)
			_exit(3);
		memset(p, 0x77, 3000);
		off = (uint64_t)(p - base);
		pktpool_buddy_free(c, base);
		if (write(fds[1], &off, sizeof(off)) != sizeof(off))
			_exit(4);
		pktpool_buddy_detach(c);
		_exit(0);
	}
	close(fds[1]);
	ok(read(fds[0], &off, sizeof(off)) == sizeof(off),
	   "shared: the child attached by name and allocated");
	waitpid(pid, &st, 0);
	close(fds[0]);
	{
		unsigned char *base = pktpool_buddy_alloc(b, 64);
		unsigned char *p = base + off;

		ok(base && pktpool_buddy_usable_size(b, p) == 4096 &&
		   p[0] == 0x77 && p[2999] == 0x77,
		   "shared: the parent sees the child's block and bytes");
		ok(pktpool_buddy_free(b, p) == 0 && pktpool_buddy_free(b, base) == 0 &&
		   stats(b).free_blocks[10] == 2,
		   "shared: the parent frees it, all merged");
	}
	ok(pktpool_buddy_attach("t-buddy-none", &a) == -ENOENT,
	   "shared: attach of a missing arena is -ENOENT");
	pktpool_buddy_detach(b);
	ok(pktpool_buddy_unlink(name) == 0 &&
	   pktpool_buddy_attach(name, &a) == -ENOENT,
	   "unlink: the name goes");
}

/* A fork child uses an anonymous arena it inherited (its own lock). */
static void test_forked_child(void)
{
	struct pktpool_buddy *b = make(NULL, 128 * KIB);
	unsigned char *p;
	int st;
	pid_t pid;

	require(b);
	pid = fork();
	require(pid >= 0);
	if (pid == 0) {
		unsigned char *q = pktpool_buddy_alloc(b, 5000);

		if (!q)
			_exit(2);
		memset(q, 0x3c, 5000);
		_exit(0);
	}
	waitpid(pid, &st, 0);
	p = pktpool_buddy_alloc(b, 8192);
	ok(WIFEXITED(st) && WEXITSTATUS(st) == 0 && stats(b).used_blocks == 2 &&
	   p && p[0] != 0x3c,
	   "fork: the child allocates from the inherited arena, the parent sees it");
	pktpool_buddy_detach(b);
}

/* A process killed inside calls, again and again: the state holds. */
static void test_killed(const char *name)
{
	struct pktpool_buddy *b = make(name, 256 * KIB);
	struct pktpool_buddy_stats st;
	int i, fds[2];
	char c;

	require(b);
	for (i = 0; i < 10; i++) {
		pid_t pid;

		require(pipe(fds) == 0);
		pid = fork();
		require(pid >= 0);
		if (pid == 0) {
			struct pktpool_buddy *k;
			uint64_t seed = (uint64_t)i + 1;
			void *o[8] = { 0 };

			if (pktpool_buddy_attach(name, &k))
				_exit(2);
			if (write(fds[1], "g", 1) != 1)
				_exit(3);
			for (;;) {
				unsigned int j = (unsigned int)(xorshift(&seed) % 8);

				if (o[j]) {
					pktpool_buddy_free(k, o[j]);
					o[j] = NULL;
				} else {
					o[j] = pktpool_buddy_alloc(k, 64 + xorshift(&seed) % 9000);
				}
			}
		}
		close(fds[1]);
		require(read(fds[0], &c, 1) == 1);
		close(fds[0]);
		usleep(2000 + 1000 * i);
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
	}
	st = stats(b);
	ok(st.free_bytes + st.used_bytes == 256 * KIB,
	   "killed: after 10 SIGKILLs free + used is the arena (%llu used)",
	   (unsigned long long)st.used_bytes);
	ok(pktpool_buddy_repair(b) == (long long)st.free_bytes,
	   "killed: a repair agrees with the lists");
	/* what the killed children held stays used: no owner is recorded */
	{
		void *x;
		uint64_t got = 0;

		while ((x = pktpool_buddy_alloc(b, 64)) != NULL)
			got += 64;
		ok(got == st.free_bytes,
		   "killed: every free byte can be allocated");
	}
	pktpool_buddy_detach(b);
	pktpool_buddy_unlink(name);
}

/* The state file's layout, as buddy.c writes it. */
struct hdr {
	uint64_t magic;
	uint32_t version, nsb, busy, pad;
	uint64_t allocs, frees, failures, repairs;
	uint32_t head[PKTPOOL_BUDDY_ORDERS];
};

static void test_hostile(const char *name)
{
	struct pktpool_buddy *b = make(name, 256 * KIB), *a = NULL;
	char path[96];
	unsigned char *map, *state;
	uint32_t *next;
	struct hdr *h;
	void *mine[4], *x;
	uint64_t seed = 42;
	unsigned int i, bad = 0, round;
	int fd;
	size_t len = 4096 + 4096 * 9;

	require(b);
	snprintf(path, sizeof(path), "/dev/shm/pktpool-buddy.%s", name);
	fd = open(path, O_RDWR);
	require(fd >= 0);
	map = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	require(map != MAP_FAILED);
	h = (struct hdr *)map;
	state = map + 4096;
	next = (uint32_t *)(state + 4096);
	for (i = 0; i < 4; i++) {
		mine[i] = pktpool_buddy_alloc(b, 1000 << i);
		require(mine[i]);
		memset(mine[i], 0xa0 + (int)i, 1000 << i);
	}

	/* lists only: heads and links garbage, in-use blocks stay safe */
	for (round = 0; round < 50; round++) {
		for (i = 0; i < PKTPOOL_BUDDY_ORDERS; i++)
			h->head[i] = (uint32_t)xorshift(&seed) % 5000;
		for (i = 0; i < 64; i++)
			next[xorshift(&seed) % 8192] = (uint32_t)xorshift(&seed);
		while ((x = pktpool_buddy_alloc(b, 64 << (round % 6))) != NULL) {
			uintptr_t lo = (uintptr_t)x, hi = lo + (64u << (round % 6));

			for (i = 0; i < 4; i++) {
				uintptr_t mlo = (uintptr_t)mine[i];

				bad += lo < mlo + (1024u << i) && mlo < hi;
			}
			pktpool_buddy_free(b, x);
			if (xorshift(&seed) % 8 == 0)
				break;
		}
		if (errno != ENOMEM && errno != EUCLEAN && x == NULL)
			bad++;
	}
	for (i = 0; i < 4; i++)
		bad += ((unsigned char *)mine[i])[0] != 0xa0 + i;
	ok(bad == 0, "hostile lists: -EUCLEAN or repaired, never a block in use");
	ok(stats(b).repairs > 0, "hostile lists: repairs counted");

	/* busy flag and heads garbage: the next call repairs */
	h->busy = 1;
	for (i = 0; i < PKTPOOL_BUDDY_ORDERS; i++)
		h->head[i] = 0xffff0000u + i;
	x = pktpool_buddy_alloc(b, 100);
	ok(x != NULL && pktpool_buddy_free(b, x) == 0,
	   "busy left set: the next call rebuilds and works");

	/* the unit map too: anything, but inside the arena and aligned */
	for (round = 0; round < 20; round++) {
		for (i = 0; i < 200; i++)
			state[xorshift(&seed) % 4096] = (unsigned char)xorshift(&seed);
		h->busy = (uint32_t)(xorshift(&seed) % 2);
		x = pktpool_buddy_alloc(b, 64u << (round % 11));
		if (x) {
			size_t n = pktpool_buddy_usable_size(b, x);
			uint64_t off = (uint64_t)((char *)x - (char *)mine[0]);

			(void)off;
			bad += n && ((uintptr_t)x & ((n < 4096 ? n : 4096) - 1));
			pktpool_buddy_free(b, x);
		}
		pktpool_buddy_stats(b, &(struct pktpool_buddy_stats){ 0 });
	}
	ok(bad == 0, "hostile unit map: no crash, no hang, blocks aligned");
	ok(pktpool_buddy_repair(b) >= 0, "hostile: repair always ends");

	/* a file that does not fit: attach refuses */
	h->magic ^= 1;
	ok(pktpool_buddy_attach(name, &a) == -EUCLEAN, "hostile: bad magic on attach is -EUCLEAN");
	h->magic ^= 1;
	h->nsb = 1000;
	ok(pktpool_buddy_attach(name, &a) == -EUCLEAN, "hostile: wrong block count is -EUCLEAN");
	require(ftruncate(fd, 4096) == 0);
	ok(pktpool_buddy_attach(name, &a) == -EUCLEAN,
	   "hostile: a truncated state file is -EUCLEAN");
	munmap(map, len);
	close(fd);
	pktpool_buddy_detach(b);
	pktpool_buddy_unlink(name);
}

int main(void)
{
	char name[32];

	snprintf(name, sizeof(name), "t-buddy-%d", (int)getpid());
	pktpool_buddy_unlink(name);
	test_config();
	test_sizes();
	test_split_merge();
	test_bad_frees();
	test_random();
	test_threads();
	test_shared(name);
	test_forked_child();
	test_killed(name);
	test_hostile(name);
	return tap_done();
}
