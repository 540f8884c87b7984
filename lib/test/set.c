// SPDX-License-Identifier: MIT
/*
 * Pool sets: allocation by size, free by pointer, calloc, realloc across
 * every pair of classes, exhaustion, foreign pointers, references across
 * processes, names.
 */
#include <sys/stat.h>
#include <sys/wait.h>

#include "util.h"

static const uint32_t sizes[4] = { 64, 256, 2048, 9216 };

static void set_cfg(struct pktpool_set_config *cfg, const char *name,
		    uint32_t count)
{
	uint32_t c;

	memset(cfg, 0, sizeof(*cfg));
	cfg->name = name;
	cfg->nclasses = 4;
	for (c = 0; c < 4; c++) {
		cfg->cls[c].slot_size = sizes[c];
		cfg->cls[c].slot_count = count;
	}
}

static struct pktpool_set *make_set(const char *name, uint32_t count,
				    uint32_t flags)
{
	struct pktpool_set_config cfg;
	struct pktpool_set *s = NULL;
	int err;

	set_cfg(&cfg, name, count);
	cfg.flags = flags;
	err = pktpool_set_create(&cfg, &s);
	if (err == -ENODEV || err == -EOPNOTSUPP)
		tap_skip_all("backend not available");
	if (err)
		diag("pktpool_set_create: %s", pktpool_strerror(err));
	return s;
}

static uint64_t in_use(struct pktpool_set *s, unsigned int c)
{
	struct pktpool_set_class_info ci;

	if (pktpool_set_class_info(s, c, &ci))
		return ~0ull;
	return ci.in_use;
}

static uint64_t in_use_all(struct pktpool_set *s)
{
	uint64_t n = 0;
	unsigned int c;

	for (c = 0; c < 4; c++)
		n += in_use(s, c);
	return n;
}

static bool desc_exists(const char *name)
{
	char path[128];
	struct stat st;

	snprintf(path, sizeof(path), "/dev/shm/pktpool-set.%s", name);
	return stat(path, &st) == 0;
}

static void test_bad_config(void)
{
	struct pktpool_set_config cfg;
	struct pktpool_set *s = NULL;
	const char *name = "t-set-badcfg";

	set_cfg(&cfg, name, 8);
	cfg.nclasses = 0;
	ok(pktpool_set_create(&cfg, &s) == -EINVAL, "create: no class is -EINVAL");
	set_cfg(&cfg, name, 8);
	cfg.nclasses = PKTPOOL_SET_CLASSES_MAX + 1;
	ok(pktpool_set_create(&cfg, &s) == -EINVAL,
	   "create: more classes than PKTPOOL_SET_CLASSES_MAX is -EINVAL");
	set_cfg(&cfg, name, 8);
	cfg.cls[2].slot_size = 128;
	ok(pktpool_set_create(&cfg, &s) == -EINVAL,
	   "create: class sizes not ascending is -EINVAL");
	set_cfg(&cfg, name, 8);
	cfg.cls[1].slot_size = 100;
	ok(pktpool_set_create(&cfg, &s) == -EINVAL,
	   "create: a slot size not a multiple of 64 is -EINVAL");
	set_cfg(&cfg, name, 8);
	cfg.cls[0].slot_count = 0;
	ok(pktpool_set_create(&cfg, &s) == -EINVAL,
	   "create: a class without slots is -EINVAL");
	set_cfg(&cfg, name, 8);
	cfg.grow_max = PKTPOOL_SET_REGIONS_MAX + 1;
	ok(pktpool_set_create(&cfg, &s) == -EINVAL,
	   "create: grow_max above PKTPOOL_SET_REGIONS_MAX is -EINVAL");
	set_cfg(&cfg, name, 8);
	cfg.__reserved[3] = 1;
	ok(pktpool_set_create(&cfg, &s) == -EINVAL,
	   "create: reserved field set is -EINVAL");
	set_cfg(&cfg, "a-name-much-too-long-for-a-set", 8);
	ok(pktpool_set_create(&cfg, &s) == -EINVAL,
	   "create: a 30-character name is -EINVAL");
	set_cfg(&cfg, "Bad/Name", 8);
	ok(pktpool_set_create(&cfg, &s) == -EINVAL,
	   "create: a name with '/' is -EINVAL");
	set_cfg(&cfg, name, 8);
	cfg.flags = 1u << 30;
	ok(pktpool_set_create(&cfg, &s) == -EINVAL,
	   "create: unknown flag is -EINVAL");
	ok(s == NULL && !desc_exists(name),
	   "create: refused configs made nothing");
	ok(pktpool_set_create(NULL, &s) == -EINVAL && s == NULL,
	   "create: NULL config is -EINVAL");
}

static void test_alloc_by_size(void)
{
	static const struct { size_t bytes; uint32_t want; } cases[] = {
		{ 0, 64 }, { 1, 64 }, { 64, 64 }, { 65, 256 }, { 256, 256 },
		{ 257, 2048 }, { 1500, 2048 }, { 2048, 2048 }, { 2049, 9216 },
		{ 9216, 9216 },
	};
	struct pktpool_set *s = make_set(NULL, 16, 0);
	unsigned int i;
	bool good = true;
	void *o;

	require(s);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		o = pktpool_set_alloc(s, cases[i].bytes);
		if (!o || pktpool_set_usable_size(s, o) != cases[i].want) {
			diag("%zu bytes: usable %zu, want %u", cases[i].bytes,
			     o ? pktpool_set_usable_size(s, o) : 0,
			     cases[i].want);
			good = false;
		}
		memset(o, 0xa5, cases[i].bytes);
		if (pktpool_set_free(s, o))
			good = false;
	}
	ok(good, "alloc: the smallest class that holds the bytes, every boundary");
	ok(in_use_all(s) == 0, "free: by pointer alone, every class back to 0 in use");
	errno = 0;
	o = pktpool_set_alloc(s, 9217);
	ok(!o && errno == EMSGSIZE, "alloc: more than the largest class is EMSGSIZE");
	errno = 0;
	o = pktpool_set_alloc(s, SIZE_MAX);
	ok(!o && errno == EMSGSIZE, "alloc: SIZE_MAX is EMSGSIZE");
	errno = 0;
	ok(!pktpool_set_alloc(NULL, 1) && errno == EINVAL,
	   "alloc: NULL set is EINVAL");
	ok(pktpool_set_free(s, NULL) == 0, "free: NULL is ignored");
	ok(pktpool_set_free(NULL, &i) == -EINVAL, "free: NULL set is -EINVAL");
	pktpool_set_detach(s);
}

static void test_exhaustion(void)
{
	struct pktpool_set *s = make_set(NULL, 4, 0);
	void *o[4], *x;
	int i, got = 0;

	require(s);
	for (i = 0; i < 4; i++)
		got += (o[i] = pktpool_set_alloc(s, 100)) != NULL;
	errno = 0;
	x = pktpool_set_alloc(s, 100);
	ok(got == 4 && !x && errno == ENOMEM,
	   "exhaustion: a full class without growth is ENOMEM");
	x = pktpool_set_alloc(s, 10);
	ok(x && pktpool_set_usable_size(s, x) == 64,
	   "exhaustion: other classes unaffected");
	pktpool_set_free(s, x);
	pktpool_set_free(s, o[0]);
	x = pktpool_set_alloc(s, 200);
	ok(x == o[0], "exhaustion: a freed slot is handed out again");
	o[0] = x;
	for (i = 0; i < 4; i++)
		pktpool_set_free(s, o[i]);
	pktpool_set_detach(s);

	/* spill: a full class takes from the next larger one */
	s = make_set(NULL, 2, PKTPOOL_SET_F_SPILL);
	require(s);
	for (i = 0; i < 4; i++)
		o[i] = pktpool_set_alloc(s, 64);
	ok(o[0] && o[1] && o[2] && o[3] &&
	   pktpool_set_usable_size(s, o[1]) == 64 &&
	   pktpool_set_usable_size(s, o[2]) == 256 &&
	   pktpool_set_usable_size(s, o[3]) == 256,
	   "spill: a full class takes from the next larger one");
	for (i = 0; i < 4; i++)
		pktpool_set_free(s, o[i]);
	ok(in_use_all(s) == 0, "spill: spilled slots free to their own class");
	pktpool_set_detach(s);
}

static void test_foreign(void)
{
	struct pktpool_set *s = make_set(NULL, 8, 0);
	struct pktpool_set *t = make_set(NULL, 8, 0);
	struct pktpool *r = make_pool(64, 8, 0);
	void *mine, *theirs, *heap = malloc(64), *slot;
	char stack[64];
	int err;

	require(s && t && r && heap);
	mine = pktpool_set_alloc(s, 100);
	theirs = pktpool_set_alloc(t, 100);
	slot = pktpool_alloc(r);
	require(mine && theirs && slot);
	ok(pktpool_set_free(s, stack) == -EFAULT, "free: a stack pointer is -EFAULT");
	ok(pktpool_set_free(s, heap) == -EFAULT, "free: a heap pointer is -EFAULT");
	ok(pktpool_set_free(s, theirs) == -EFAULT,
	   "free: another set's slot is -EFAULT");
	ok(pktpool_set_free(s, slot) == -EFAULT,
	   "free: a plain region's slot is -EFAULT");
	err = pktpool_set_free(s, (char *)mine + 8);
	ok(err == -EINVAL, "free: a pointer inside a slot is -EINVAL (%d)", err);
	ok(in_use(s, 1) == 1 && in_use(t, 1) == 1 && in_use_all(s) == 1,
	   "free: refused frees changed nothing");
	ok(pktpool_set_usable_size(s, theirs) == 0 &&
	   pktpool_set_usable_size(s, heap) == 0,
	   "usable_size: 0 for a foreign pointer");
	errno = 0;
	ok(!pktpool_set_realloc(s, theirs, 10) && errno == EFAULT &&
	   in_use(t, 1) == 1 && in_use_all(s) == 1,
	   "realloc: a foreign pointer is EFAULT, nothing moves");
	ok(pktpool_set_free(s, mine) == 0 && pktpool_set_free(t, theirs) == 0,
	   "free: own slots still free after the refusals");
	pktpool_free(r, slot);
	pktpool_detach(r);
	free(heap);
	pktpool_set_detach(s);
	pktpool_set_detach(t);
}

static void test_calloc(void)
{
	struct pktpool_set *s = make_set(NULL, 1, 0);
	unsigned char *o;
	bool zero = true;
	size_t i;

	require(s);
	o = pktpool_set_alloc(s, 2000);
	require(o);
	memset(o, 0xff, 2048);
	pktpool_set_free(s, o);
	o = pktpool_set_calloc(s, 100, 20);
	ok(o != NULL && pktpool_set_usable_size(s, o) == 2048,
	   "calloc: n * size picks the class");
	for (i = 0; o && i < 2000; i++)
		zero &= o[i] == 0;
	ok(o && zero, "calloc: the bytes asked for are zero in a reused slot");
	pktpool_set_free(s, o);
	errno = 0;
	ok(!pktpool_set_calloc(s, SIZE_MAX / 2, 3) && errno == EMSGSIZE,
	   "calloc: n * size overflowing is EMSGSIZE");
	ok(in_use_all(s) == 0, "calloc: refused calloc took nothing");
	pktpool_set_detach(s);
}

static void fill(unsigned char *p, size_t n, unsigned int seed)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = (unsigned char)(i * 31 + seed);
}

static bool same(const unsigned char *p, size_t n, unsigned int seed)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i] != (unsigned char)(i * 31 + seed))
			return false;
	return true;
}

static void test_realloc(void)
{
	struct pktpool_set *s = make_set(NULL, 4, 0);
	unsigned int from, to, k, bad = 0;
	void *o, *n;

	require(s);
	for (from = 0; from < 4; from++)
		for (to = 0; to < 4; to++)
			for (k = 0; k < 2; k++) {
				/* the full new size, and one byte less */
				size_t want = sizes[to] - k;
				size_t keep = want < sizes[from] ? want : sizes[from];

				o = pktpool_set_alloc(s, sizes[from]);
				if (!o) {
					bad++;
					continue;
				}
				fill(o, sizes[from], from * 4 + to);
				n = pktpool_set_realloc(s, o, want);
				if (!n || pktpool_set_usable_size(s, n) !=
					   sizes[to] ||
				    !same(n, keep, from * 4 + to) ||
				    (from == to && n != o) ||
				    in_use(s, from) != (from == to) ||
				    in_use(s, to) != 1) {
					diag("realloc %u -> %u (%zu bytes) wrong",
					     sizes[from], sizes[to], want);
					bad++;
				}
				pktpool_set_free(s, n);
			}
	ok(bad == 0, "realloc: every class pair moves, keeping min(old, new) bytes");
	ok(in_use_all(s) == 0, "realloc: old slots went back");

	o = pktpool_set_realloc(s, NULL, 100);
	ok(o && pktpool_set_usable_size(s, o) == 256, "realloc: NULL is alloc");
	fill(o, 256, 7);
	errno = 0;
	n = pktpool_set_realloc(s, o, 10000);
	ok(!n && errno == EMSGSIZE && same(o, 256, 7) && in_use(s, 1) == 1,
	   "realloc: too large is EMSGSIZE, the slot stays as it was");
	/* the target class full: the slot stays where it is */
	{
		void *big[4];
		int i;

		for (i = 0; i < 4; i++)
			big[i] = pktpool_set_alloc(s, 9000);
		errno = 0;
		n = pktpool_set_realloc(s, o, 5000);
		ok(!n && errno == ENOMEM && same(o, 256, 7) &&
		   in_use(s, 1) == 1 && in_use(s, 3) == 4,
		   "realloc: target class full is ENOMEM, nothing moves");
		for (i = 0; i < 4; i++)
			pktpool_set_free(s, big[i]);
	}
	errno = 0;
	ok(!pktpool_set_realloc(s, (char *)o + 1, 10) && errno == EINVAL &&
	   in_use(s, 1) == 1, "realloc: a pointer inside a slot is EINVAL");
	pktpool_set_free(s, o);
	pktpool_set_detach(s);
}

static void test_named(void)
{
	char name[32];
	struct pktpool_set *s, *a = NULL;
	int fds[2], st, err;
	uint64_t ref = 0;
	void *o;
	pid_t pid;

	snprintf(name, sizeof(name), "t-set-%d", (int)getpid());
	pktpool_set_unlink(name);
	s = make_set(name, 8, 0);
	require(s);
	ok(desc_exists(name), "named: descriptor in /dev/shm");
	ok(pktpool_set_create(&(struct pktpool_set_config){
		.name = name, .nclasses = 1,
		.cls = { { 64, 4 } } }, &a) == -EEXIST && a == NULL,
	   "named: a second create of the name is -EEXIST");
	err = pktpool_set_attach(name, 0, &a);
	ok(err == 0, "named: attach by name (%s)", pktpool_strerror(err));
	ok(err == 0 && a->nclasses == 4 && a->size[3] == 9216,
	   "named: the attacher sees the classes");
	ok(pktpool_set_attach("t-set-no-such", 0, &a) == -ENOENT,
	   "named: attach of a missing set is -ENOENT");

	require(pipe(fds) == 0);
	pid = fork();
	require(pid >= 0);
	if (pid == 0) {
		struct pktpool_set *c;
		unsigned char *p;

		if (pktpool_set_attach(name, 0, &c))
			_exit(2);
		p = pktpool_set_alloc(c, 1500);
		if (!p || pktpool_set_ptr_to_ref(c, p, &ref))
			_exit(3);
		fill(p, 1500, 9);
		if (write(fds[1], &ref, sizeof(ref)) != sizeof(ref))
			_exit(4);
		pktpool_set_detach(c);
		_exit(0);
	}
	close(fds[1]);
	ok(read(fds[0], &ref, sizeof(ref)) == sizeof(ref),
	   "named: child allocated and sent a reference");
	waitpid(pid, &st, 0);
	ok(WIFEXITED(st) && WEXITSTATUS(st) == 0, "named: child ok");
	close(fds[0]);
	o = NULL;
	err = pktpool_set_ref_to_ptr(s, ref, &o);
	ok(err == 0 && o && same(o, 1500, 9),
	   "ref: the child's slot and bytes, by reference");
	ok(pktpool_set_free(s, o) == 0 && in_use(s, 2) == 0,
	   "ref: the parent frees the child's slot");
	ok(pktpool_set_ref_to_ptr(s, ref | 0xffffu, &o) == -EINVAL,
	   "ref: a slot index past the region is -EINVAL");
	ok(pktpool_set_ref_to_ptr(s, ref + (1000ull << 32), &o) == -ENOENT,
	   "ref: an unknown region is -ENOENT");
	ok(pktpool_set_ptr_to_ref(s, &st, &ref) == -EFAULT,
	   "ref: a foreign pointer is -EFAULT");
	pktpool_set_detach(a);
	pktpool_set_detach(s);
	ok(pktpool_set_unlink(name) == 0 && !desc_exists(name),
	   "unlink: the descriptor goes");
	ok(pktpool_attach((snprintf(name + strlen(name), 4, "-0"), name), 0,
			  &(struct pktpool *){ NULL }) == -ENOENT,
	   "unlink: the regions' names go too");
	ok(pktpool_set_unlink("t-set-no-such") == -ENOENT,
	   "unlink: a missing set is -ENOENT");
}

int main(void)
{
	test_bad_config();
	test_alloc_by_size();
	test_exhaustion();
	test_foreign();
	test_calloc();
	test_realloc();
	test_named();
	return tap_done();
}
