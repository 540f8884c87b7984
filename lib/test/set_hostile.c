// SPDX-License-Identifier: MIT
/*
 * Pool sets, hostile descriptor: every field of /dev/shm/pktpool-set.NAME
 * set to a value no honest creator writes makes attach fail with
 * -EUCLEAN (nothing leaked: ASan), and an attached set whose descriptor
 * goes bad keeps allocating from the regions it has, refuses to grow or
 * trim, and changes nothing. A region listed under the wrong class, a
 * truncated file, a listed region that does not exist.
 */
#include <fcntl.h>
#include <sys/stat.h>

#include "util.h"
#include "set_desc.h"

static char name[32], path[96];

static void make(void)
{
	struct pktpool_set_config cfg = {
		.name = name, .nclasses = 2, .grow_max = 3,
		.cls = { { 64, 4 }, { 256, 4 } },
	};
	struct pktpool_set *s = NULL;
	int err;

	pktpool_set_unlink(name);
	err = pktpool_set_create(&cfg, &s);
	if (err == -ENODEV || err == -EOPNOTSUPP)
		tap_skip_all("backend not available");
	require(err == 0);
	pktpool_set_detach(s);
}

static int rd(struct pktpool__set_desc *d)
{
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = pread(fd, d, sizeof(*d), 0);
	close(fd);
	return n == (ssize_t)sizeof(*d) ? 0 : -1;
}

static int wr(const struct pktpool__set_desc *d)
{
	int fd = open(path, O_WRONLY);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = pwrite(fd, d, sizeof(*d), 0);
	close(fd);
	return n == (ssize_t)sizeof(*d) ? 0 : -1;
}

typedef void (*corrupt_fn)(struct pktpool__set_desc *d);

static void c_magic(struct pktpool__set_desc *d) { d->magic ^= 1; }
static void c_version(struct pktpool__set_desc *d) { d->version = 99; }
static void c_size(struct pktpool__set_desc *d) { d->size = 12; }
static void c_ncls0(struct pktpool__set_desc *d) { d->nclasses = 0; }
static void c_ncls9(struct pktpool__set_desc *d) { d->nclasses = 9; }
static void c_nclsbig(struct pktpool__set_desc *d) { d->nclasses = 0xffffffffu; }
static void c_flags(struct pktpool__set_desc *d) { d->flags = 0x80000000u; }
static void c_gmax0(struct pktpool__set_desc *d) { d->grow_max = 0; }
static void c_gmax(struct pktpool__set_desc *d) { d->grow_max = 1000; }
static void c_step(struct pktpool__set_desc *d) { d->grow_step = 0xffffffffu; }
static void c_factor(struct pktpool__set_desc *d) { d->grow_factor = 0xffffffffu; }
static void c_order(struct pktpool__set_desc *d) { d->cls[1].slot_size = 64; }
static void c_ssize(struct pktpool__set_desc *d) { d->cls[0].slot_size = 65; }
static void c_scount(struct pktpool__set_desc *d) { d->cls[0].slot_count = 0; }
static void c_n0(struct pktpool__set_desc *d) { d->reg[0].n = 0; }
static void c_nbig(struct pktpool__set_desc *d) { d->reg[0].n = 0xffffffffu; }
static void c_nmax(struct pktpool__set_desc *d) { d->reg[0].n = 4; }
static void c_nunused(struct pktpool__set_desc *d) { d->reg[5].n = 1; }
static void c_serial(struct pktpool__set_desc *d) { d->reg[1].serial[0] = d->next_serial; }
static void c_dup(struct pktpool__set_desc *d) { d->reg[1].serial[0] = d->reg[0].serial[0]; }
static void c_dup_in(struct pktpool__set_desc *d)
{
	d->reg[0].n = 2;
	d->reg[0].serial[1] = d->reg[0].serial[0];
}
static void c_swap(struct pktpool__set_desc *d)
{
	/* each class lists the other's region: wrong slot size */
	uint32_t t = d->reg[0].serial[0];

	d->reg[0].serial[0] = d->reg[1].serial[0];
	d->reg[1].serial[0] = t;
}
static void c_missing(struct pktpool__set_desc *d)
{
	/* a serial in range whose region was never made */
	d->next_serial = 50;
	d->reg[1].serial[0] = 40;
}

static void c_align(struct pktpool__set_desc *d) { d->align = 96; }
static void c_align_div(struct pktpool__set_desc *d) { d->align = 128; }
static void c_node(struct pktpool__set_desc *d) { d->numa_node = 1; }
static void c_node_big(struct pktpool__set_desc *d)
{
	d->flags |= PKTPOOL_SET_F_NODE;
	d->numa_node = 0xffffffffu;
}

static const struct { corrupt_fn fn; const char *what; } cases[] = {
	{ c_magic, "magic" }, { c_version, "version" }, { c_size, "size" },
	{ c_ncls0, "nclasses 0" }, { c_ncls9, "nclasses 9" },
	{ c_nclsbig, "nclasses 2^32-1" }, { c_flags, "unknown flag" },
	{ c_gmax0, "grow_max 0" }, { c_gmax, "grow_max 1000" },
	{ c_step, "grow_step 2^32-1" }, { c_factor, "grow_factor 2^32-1" },
	{ c_order, "classes not ascending" }, { c_ssize, "slot size 65" },
	{ c_scount, "slot count 0" }, { c_n0, "a class with no region" },
	{ c_nbig, "region count 2^32-1" }, { c_nmax, "more regions than grow_max" },
	{ c_nunused, "regions in an unused class" },
	{ c_serial, "serial not below next_serial" },
	{ c_dup, "a serial in two classes" }, { c_dup_in, "a serial twice in a class" },
	{ c_swap, "regions listed under the wrong class" },
	{ c_missing, "a listed region that does not exist" },
	{ c_align, "align 96" }, { c_align_div, "align not dividing a class" },
	{ c_node, "numa_node without the flag" },
	{ c_node_big, "numa_node 2^32-1" },
};

static void test_attach_refuses(void)
{
	struct pktpool__set_desc good, bad;
	struct pktpool_set *s;
	unsigned int i;
	int err, fd;

	make();
	require(rd(&good) == 0);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		bad = good;
		cases[i].fn(&bad);
		require(wr(&bad) == 0);
		s = NULL;
		err = pktpool_set_attach(name, 0, &s);
		ok(err == -EUCLEAN && s == NULL,
		   "attach: descriptor with %s is -EUCLEAN (%d)",
		   cases[i].what, err);
		if (!err)
			pktpool_set_detach(s);
	}
	require(wr(&good) == 0);
	fd = open(path, O_WRONLY);
	require(fd >= 0 && ftruncate(fd, 100) == 0);
	close(fd);
	ok(pktpool_set_attach(name, 0, &s) == -EUCLEAN,
	   "attach: a truncated descriptor is -EUCLEAN");
	fd = open(path, O_WRONLY);
	require(fd >= 0 && ftruncate(fd, 0) == 0);
	close(fd);
	ok(pktpool_set_attach(name, 0, &s) == -EAGAIN,
	   "attach: an empty descriptor is -EAGAIN (still being made)");
	ok(pktpool_set_unlink(name) == -EAGAIN && access(path, F_OK) != 0,
	   "unlink: a bad descriptor is reported, and still removed");
	/* its regions are left behind (not listed anywhere we trust) */
	{
		char r[48];

		snprintf(r, sizeof(r), "%s-0", name);
		pktpool_unlink(r);
		snprintf(r, sizeof(r), "%s-1", name);
		pktpool_unlink(r);
	}
}

/* Attached, then the descriptor goes bad. */
static void test_attached_goes_bad(void)
{
	struct pktpool__set_desc good, bad;
	struct pktpool_set *s = NULL;
	struct pktpool_set_class_info ci;
	void *o[5];
	int i, got = 0;

	make();
	require(pktpool_set_attach(name, 0, &s) == 0);
	require(rd(&good) == 0);
	bad = good;
	bad.cls[0].slot_size = 128;	/* valid alone, not the set we know */
	bad.seq++;
	require(wr(&bad) == 0);
	for (i = 0; i < 4; i++)
		got += (o[i] = pktpool_set_alloc(s, 10)) != NULL;
	ok(got == 4, "bad descriptor: the regions attached still allocate");
	errno = 0;
	o[4] = pktpool_set_alloc(s, 10);
	ok(!o[4] && errno == ENOMEM, "bad descriptor: no growth (ENOMEM)");
	ok(pktpool_set_trim(s) == -EUCLEAN, "bad descriptor: trim is -EUCLEAN");
	ok(pktpool_set_class_info(s, 0, &ci) == 0 && ci.regions == 1 &&
	   ci.in_use == 4, "bad descriptor: the set is as it was");
	for (i = 0; i < 4; i++)
		got += pktpool_set_free(s, o[i]) == 0;
	ok(got == 8, "bad descriptor: frees work");
	require(rd(&bad) == 0);
	ok(bad.cls[0].slot_size == 128 && bad.reg[0].n == 1,
	   "bad descriptor: nothing was written back");
	require(wr(&good) == 0);
	o[0] = pktpool_set_alloc(s, 10);
	ok(o[0] != NULL, "bad descriptor: repaired, the set works again");
	pktpool_set_free(s, o[0]);
	pktpool_set_detach(s);
	ok(pktpool_set_unlink(name) == 0, "unlink: a good descriptor is 0");
}

int main(void)
{
	snprintf(name, sizeof(name), "t-hostile-%d", (int)getpid());
	snprintf(path, sizeof(path), "/dev/shm/pktpool-set.%s", name);
	test_attach_refuses();
	test_attached_goes_bad();
	return tap_done();
}
