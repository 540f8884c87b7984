// SPDX-License-Identifier: GPL-2.0
/*
 * pktpool_fuzz: the ioctls of /dev/pktpool, with arguments of every size
 * in every kind of memory, one operation per command.
 */
#define _GNU_SOURCE
#include "fuzz.h"

/* ---- ioctl arguments ----------------------------------------------------- */

/*
 * Where an ioctl argument goes and what its size field says. Usually the
 * struct sits at the start of a zeroed buffer with its own size; sometimes
 * the size is short, long with a zero or non-zero tail, or absurd; the
 * struct may end inside a PROT_NONE page (the kernel's read faults), sit
 * in a read-only page (copy-in works, copy-out fails, and whatever the
 * command did must be undone) or be a bad pointer altogether.
 */
struct fz_arg {
	void *p;		/* what the ioctl gets */
	char *buf;		/* where the struct is copied, or NULL */
	size_t room;		/* bytes writable at buf */
	uint32_t size;		/* the size field */
	bool ro;		/* buf is robuf, read-only during the call */
};

static void fz_arg_pick(struct fz_arg *a, size_t base)
{
	unsigned int where = fz_below(100);

	memset(fz_argbuf, 0, 2 * FZ_PAGE);
	a->buf = fz_argbuf;
	a->room = 2 * FZ_PAGE;
	a->size = (uint32_t)base;
	a->ro = false;

	switch (fz_below(24)) {
	case 0:
		a->size = (uint32_t)base - 1 - fz_below(4);
		break;
	case 1:
		a->size = (uint32_t)(base + 8);
		break;
	case 2:		/* longer, with a byte the kernel does not know */
		a->size = (uint32_t)(base + 8);
		fz_argbuf[base + fz_below(8)] = (char)(1 + fz_below(255));
		break;
	case 3:
		a->size = (uint32_t)(fz_chance(50) ? FZ_PAGE : FZ_PAGE + 1);
		break;
	case 4:
		a->size = fz_chance(30) ? 0 : fz_pick_u32_edge();
		break;
	case 5:
		a->size = (uint32_t)(base + 1 + fz_below(FZ_PAGE - base));
		break;
	default:
		break;
	}
	if (where < 4) {
		/* The struct ends inside the guard page. */
		a->buf = fz_argbuf + 2 * FZ_PAGE - base + 1 + fz_below(base - 4);
		a->room = (size_t)(fz_argbuf + 2 * FZ_PAGE - a->buf);
	} else if (where < 7) {
		a->buf = fz_robuf;
		a->room = FZ_PAGE;
		a->ro = true;
		if (a->size > FZ_PAGE)
			a->size = (uint32_t)base;
	} else if (where < 9) {
		a->buf = fz_argbuf + 1 + fz_below(7);	/* misaligned */
		a->room = 2 * FZ_PAGE - 8;
	} else if (where < 12) {
		a->buf = NULL;
		a->room = 0;
	}
	a->p = a->buf;
	if (!a->buf) {
		switch (fz_below(4)) {
		case 0:
			a->p = NULL;
			break;
		case 1:
			a->p = (void *)(uintptr_t)0xffff888000000000ULL;
			break;
		case 2:
			a->p = fz_argbuf + 2 * FZ_PAGE;	/* the guard page */
			break;
		default:
			a->p = (void *)(uintptr_t)(fz_rnd() & ~7ULL);
			break;
		}
	}
}

/* The command, usually as defined, sometimes with other size bits or a
 * wrong direction; *exact tells whether the kernel should take it as cmd. */
static unsigned long fz_pick_cmd(unsigned long cmd, bool *exact)
{
	*exact = true;
	switch (fz_below(20)) {
	case 0:	/* another size: the kernel ignores the size bits */
		return (cmd & ~((unsigned long)_IOC_SIZEMASK << _IOC_SIZESHIFT)) |
		       ((unsigned long)fz_below(1U << _IOC_SIZEBITS) << _IOC_SIZESHIFT);
	case 1:
		*exact = false;
		return cmd ^ ((unsigned long)(1 + fz_below(3)) << _IOC_DIRSHIFT);
	default:
		return cmd;
	}
}

static bool fz_errno_documented(int e)
{
	switch (e) {
	case EINVAL: case E2BIG: case EFAULT: case EPERM: case EACCES:
	case ENOENT: case EEXIST: case ENOSPC: case ENOMEM: case ENOTTY:
	case EBUSY: case EINTR: case EBADF: case EDQUOT:
		return true;
	default:
		return false;
	}
}

static const char *fz_cmd_name(unsigned long cmd)
{
	switch (_IOC_NR(cmd)) {
	case 0x00: return "VERSION";
	case 0x01: return "POOL_CREATE";
	case 0x02: return "POOL_DESTROY";
	case 0x03: return "POOL_INFO";
	case 0x04: return "POOL_SET";
	case 0x05: return "POOL_LIST";
	case 0x10: return "REGION_CREATE";
	case 0x11: return "REGION_ATTACH";
	case 0x12: return "REGION_DETACH";
	case 0x13: return "REGION_INFO";
	case 0x14: return "REGION_DESTROY";
	case 0x15: return "REGION_LIST";
	default: return "?";
	}
}

/*
 * Copy the struct k (base bytes, its size field set from a) to where a
 * says, run the ioctl, copy the result back into k. -errno or 0.
 */
static int fz_arg_ioctl(int fd, unsigned long cmd, struct fz_arg *a, void *k,
		     size_t base)
{
	size_t n = base < a->room ? base : a->room;
	int rc;

	memcpy(k, &a->size, sizeof(a->size));
	if (a->ro) {
		mprotect(fz_robuf, FZ_PAGE, PROT_READ | PROT_WRITE);
		memset(fz_robuf, 0, FZ_PAGE);
		fz_count_call();
	}
	if (a->buf) {
		/* Keep a tail byte planted by arg_pick beyond the struct. */
		memcpy(a->buf, k, n);
	}
	if (a->ro) {
		mprotect(fz_robuf, FZ_PAGE, PROT_READ);
		fz_count_call();
	}
	rc = ioctl(fd, cmd, a->p) ? -errno : 0;
	fz_count_call();
	if (a->buf)
		memcpy(k, a->buf, n);
	fz_tr("ioctl(%d, %s %#lx, size=%u buf=%s) = %d", fd, fz_cmd_name(cmd), cmd,
	   a->size, !a->buf ? "bad" : a->ro ? "ro" :
	   a->room < base ? "guard" : "ok", rc);
	if (rc == -EFAULT)
		fz_stat_inc(FZ_S_EFAULT);
	else if (rc == -ENOSPC)
		fz_stat_inc(FZ_S_ENOSPC);
	else if (rc == -EDQUOT)
		fz_stat_inc(FZ_S_EDQUOT);
	else if (rc == -ENOMEM)
		fz_stat_inc(FZ_S_ENOMEM);
	if (rc && !fz_errno_documented(-rc))
		fz_violation("ioctl %s returned undocumented errno %d (%s)",
			  fz_cmd_name(cmd), -rc, strerror(-rc));
	return rc;
}

/* ---- /dev/pktpool files -------------------------------------------------- */

static struct fz_file *fz_pick_file(void)
{
	unsigned int i, start = fz_below(FZ_FDS);

	for (i = 0; i < FZ_FDS; i++)
		if (fz_files[(start + i) % FZ_FDS].fd >= 0)
			return &fz_files[(start + i) % FZ_FDS];
	return NULL;
}

/* An fd for a call: one of ours mostly, sometimes something else. */
int fz_pick_fd(struct fz_file **fp)
{
	struct fz_file *f = fz_chance(95) ? fz_pick_file() : NULL;

	*fp = f;
	if (f)
		return f->fd;
	switch (fz_below(4)) {
	case 0: return -1;
	case 1: return 0;
	case 2: return fz_nl >= 0 ? fz_nl : 999;
	default: return 999;
	}
}

void fz_op_open(void)
{
	static const int modes[] = { O_RDWR, O_RDWR, O_RDWR, O_RDONLY, O_WRONLY };
	int mode = modes[fz_below(5)], fd;
	unsigned int i;

	for (i = 0; i < FZ_FDS; i++)
		if (fz_files[i].fd < 0)
			break;
	if (i == FZ_FDS)
		return;
	fd = open(PKTPOOL_DEVICE, mode | O_CLOEXEC | (fz_chance(10) ? O_NONBLOCK : 0));
	fz_count_call();
	fz_tr("open(%s, %d) = %d", PKTPOOL_DEVICE, mode, fd);
	if (fd < 0)
		return;
	fz_stat_inc(FZ_S_OPEN);
	fz_files[i].fd = fd;
	fz_files[i].file = fz_next_file++ % 4096;
	if (!fz_files[i].file)
		fz_files[i].file = fz_next_file++ % 4096;
	fz_file_shared[fz_files[i].file] = false;
	fz_files[i].accmode = mode;
}

void fz_op_close(void)
{
	struct fz_file *f = fz_pick_file();
	int file;

	if (!f)
		return;
	close(f->fd);
	fz_count_call();
	fz_tr("close(%d)", f->fd);
	file = f->file;
	f->fd = -1;
	fz_forget_file(file);
}

void fz_op_dup(void)
{
	struct fz_file *f = fz_pick_file();
	unsigned int i;
	int fd;

	if (!f)
		return;
	for (i = 0; i < FZ_FDS; i++)
		if (fz_files[i].fd < 0)
			break;
	if (i == FZ_FDS)
		return;
	fd = fcntl(f->fd, F_DUPFD_CLOEXEC, 0);
	fz_count_call();
	fz_tr("dup(%d) = %d", f->fd, fd);
	if (fd < 0)
		return;
	fz_files[i] = *f;
	fz_files[i].fd = fd;
}

/* ---- the ioctls ---------------------------------------------------------- */

void fz_op_version(void)
{
	struct pktpool_version v;
	struct fz_file *f;
	struct fz_arg a;
	bool exact;
	int fd = fz_pick_fd(&f);

	memset(&v, 0, sizeof(v));
	fz_arg_pick(&a, sizeof(v));
	fz_arg_ioctl(fd, fz_pick_cmd(PKTPOOL_IOC_VERSION, &exact), &a, &v, sizeof(v));
}

/* Unprivileged state changes must fail with EPERM, before anything else. */
static void fz_check_eperm(struct fz_file *f, bool exact, int rc, const char *what)
{
	if (f && exact && fz_worker_role != FZ_ROOT && rc != -EPERM)
		fz_violation("%s without CAP_NET_ADMIN returned %d, not -EPERM",
			  what, rc);
}

uint64_t fz_pick_reserve(uint32_t obj_size, uint64_t limit)
{
	static const uint64_t small[] = { 0, 0, 1, 2, 8, 64 };

	switch (fz_below(10)) {
	case 0:
		return PKTPOOL_RESERVE_MAX + 1;
	case 1:
		return limit + 1;
	case 2:
		/* The largest reserve only where it costs little memory. */
		return obj_size && obj_size <= 64 && fz_lim.class_min <= 64 ?
		       PKTPOOL_RESERVE_MAX : fz_pick_u64_edge() | (1ULL << 40);
	default:
		return small[fz_below(sizeof(small) / sizeof(small[0]))];
	}
}

void fz_op_pool_create(void)
{
	struct pktpool_pool_create c;
	struct fz_file *f;
	struct fz_arg a;
	bool exact;
	int fd = fz_pick_fd(&f), rc;
	unsigned long cmd = fz_pick_cmd(PKTPOOL_IOC_POOL_CREATE, &exact);
	static const int32_t nodes[] = { 0, 1, 64, INT32_MIN, 1 << 20, -2 };

	memset(&c, 0, sizeof(c));
	fz_pick_name(c.name, false);
	switch (fz_below(8)) {
	case 0: c.obj_size = fz_lim.class_max + 1; break;
	case 1: c.obj_size = fz_chance(50) ? 0 : fz_pick_u32_edge(); break;
	case 2: c.obj_size = fz_lim.class_max; break;
	case 3: c.obj_size = fz_lim.class_min; break;
	default: c.obj_size = 1 + fz_below(fz_lim.class_max); break;
	}
	c.node = fz_chance(85) ? -1 : nodes[fz_below(6)];
	c.limit = fz_chance(50) ? 0 : fz_chance(70) ? 1 + fz_below(4096) : fz_pick_u64_edge();
	c.reserve = fz_pick_reserve(c.obj_size, c.limit);
	c.flags = fz_chance(85) ? 0 : fz_chance(50) ? PKTPOOL_POOL_F_DEBUG : fz_pick_u32_edge();
	c.reserved = fz_chance(95) ? 0 : 1;
	fz_tr("POOL_CREATE name=%.32s obj_size=%u node=%d limit=%" PRIu64 " reserve=%" PRIu64 " flags=%#x",
	   c.name, c.obj_size, c.node, (uint64_t)c.limit, (uint64_t)c.reserve, c.flags);
	fz_arg_pick(&a, sizeof(c));
	rc = fz_arg_ioctl(fd, cmd, &a, &c, sizeof(c));
	fz_check_eperm(f, exact, rc, "POOL_CREATE");
	if (!rc) {
		fz_stat_inc(FZ_S_POOL);
		fz_remember_pool(c.id, c.obj_size);
	}
}

static void fz_fill_ref(uint32_t *id, char *name, bool region)
{
	*id = 0;
	memset(name, 0, PKTPOOL_NAME_MAX);
	switch (fz_below(10)) {
	case 0:		/* both: invalid */
		*id = region ? fz_pick_region_id() : fz_pick_pool_id();
		fz_pick_name(name, false);
		break;
	case 1:		/* neither */
		break;
	case 2: case 3: case 4: case 5:
		*id = region ? fz_pick_region_id() : fz_pick_pool_id();
		break;
	default:
		fz_pick_name(name, false);
		break;
	}
}

void fz_op_pool_destroy(void)
{
	struct pktpool_pool_id d;
	struct fz_file *f;
	struct fz_arg a;
	bool exact;
	int fd = fz_pick_fd(&f), rc;
	unsigned long cmd = fz_pick_cmd(PKTPOOL_IOC_POOL_DESTROY, &exact);

	memset(&d, 0, sizeof(d));
	fz_fill_ref(&d.id, d.name, false);
	fz_tr("POOL_DESTROY id=%u name=%.32s", d.id, d.name);
	fz_arg_pick(&a, sizeof(d));
	rc = fz_arg_ioctl(fd, cmd, &a, &d, sizeof(d));
	fz_check_eperm(f, exact, rc, "POOL_DESTROY");
}

void fz_op_pool_info(void)
{
	struct pktpool_pool_info i;
	struct fz_file *f;
	struct fz_arg a;
	bool exact;
	int fd = fz_pick_fd(&f), rc;

	memset(&i, 0, sizeof(i));
	fz_fill_ref(&i.id, i.name, false);
	fz_tr("POOL_INFO id=%u name=%.32s", i.id, i.name);
	fz_arg_pick(&a, sizeof(i));
	rc = fz_arg_ioctl(fd, fz_pick_cmd(PKTPOOL_IOC_POOL_INFO, &exact), &a, &i,
		       sizeof(i));
	if (!rc && exact && a.buf && !a.ro) {
		if (i.reserve > PKTPOOL_RESERVE_MAX || i.limit > PKTPOOL_LIMIT_MAX ||
		    (i.limit && i.reserve > i.limit) || i.obj_size > i.class_size)
			fz_violation("POOL_INFO of %u: limit %llu reserve %llu obj %u class %u",
				  i.id, (unsigned long long)i.limit,
				  (unsigned long long)i.reserve, i.obj_size,
				  i.class_size);
		fz_remember_pool(i.id, i.obj_size);
	}
}

void fz_op_pool_set(void)
{
	struct pktpool_pool_set s;
	struct fz_file *f;
	struct fz_arg a;
	bool exact;
	int fd = fz_pick_fd(&f), rc;
	unsigned long cmd = fz_pick_cmd(PKTPOOL_IOC_POOL_SET, &exact);
	unsigned int k = fz_below(FZ_KNOWN);

	memset(&s, 0, sizeof(s));
	if (fz_chance(70) && fz_pool_ids[k]) {
		s.id = fz_pool_ids[k];
	} else {
		fz_fill_ref(&s.id, s.name, false);
		k = FZ_KNOWN;
	}
	s.mask = fz_chance(85) ? 1 + fz_below(3) : fz_pick_u32_edge();
	s.limit = fz_chance(40) ? 0 : fz_chance(70) ? 1 + fz_below(4096) : fz_pick_u64_edge();
	s.reserve = fz_pick_reserve(k < FZ_KNOWN ? fz_pool_obj[k] : 0, s.limit);
	s.reserved = fz_chance(95) ? 0 : 1;
	fz_tr("POOL_SET id=%u name=%.32s mask=%#x limit=%" PRIu64 " reserve=%" PRIu64,
	   s.id, s.name, s.mask, (uint64_t)s.limit, (uint64_t)s.reserve);
	fz_arg_pick(&a, sizeof(s));
	rc = fz_arg_ioctl(fd, cmd, &a, &s, sizeof(s));
	fz_check_eperm(f, exact, rc, "POOL_SET");
}

uint32_t fz_ids_out[8192];

void fz_op_list(void)
{
	bool region = fz_chance(60), exact;
	struct pktpool_pool_list l;
	struct fz_file *f;
	struct fz_arg a;
	int fd = fz_pick_fd(&f), rc;
	uint32_t i, cap_max = region ? fz_lim.max_regions : fz_lim.max_pools;
	unsigned long cmd = fz_pick_cmd(region ? PKTPOOL_IOC_REGION_LIST :
				     PKTPOOL_IOC_POOL_LIST, &exact);

	memset(&l, 0, sizeof(l));
	switch (fz_below(6)) {
	case 0: l.capacity = 0; break;
	case 1: l.capacity = 1; break;
	case 2: l.capacity = UINT32_MAX; break;
	default: l.capacity = cap_max + (uint32_t)fz_below(3) - 1; break;
	}
	switch (fz_below(10)) {
	case 0: l.ids_ptr = 0; break;
	case 1: l.ids_ptr = (uint64_t)(uintptr_t)(fz_argbuf + 2 * FZ_PAGE - 4); break;
	case 2: l.ids_ptr = (uint64_t)(uintptr_t)fz_robuf; break;
	case 3: l.ids_ptr = fz_rnd(); break;
	default: l.ids_ptr = (uint64_t)(uintptr_t)fz_ids_out; break;
	}
	l.reserved = fz_chance(95) ? 0 : (uint32_t)fz_rnd();
	fz_arg_pick(&a, sizeof(l));
	rc = fz_arg_ioctl(fd, cmd, &a, &l, sizeof(l));
	if (rc || !exact || l.ids_ptr != (uint64_t)(uintptr_t)fz_ids_out || !a.buf ||
	    a.ro)
		return;
	if (l.count > l.capacity || l.count > cap_max)
		fz_violation("%s_LIST: count %u, capacity %u, most %u",
			  region ? "REGION" : "POOL", l.count, l.capacity, cap_max);
	for (i = 0; i < l.count; i++) {
		if (!fz_ids_out[i] || (i && fz_ids_out[i] <= fz_ids_out[i - 1]))
			fz_violation("%s_LIST: ids not ascending at %u",
				  region ? "REGION" : "POOL", i);
		if (region)
			fz_remember_region(fz_ids_out[i], 0);
		else
			fz_remember_pool(fz_ids_out[i], 0);
	}
}

/* The layout documented in uapi/linux/pktpool.h, checked part by part. */
static void fz_check_layout(const struct pktpool_region_info *i, const char *what)
{
	bool bad = false;

	bad |= i->mmap_offset != (uint64_t)i->id << 32;
	bad |= i->ctrl_offset != 0 || i->ctrl_size != PKTPOOL_REGION_CTRL_SIZE;
	bad |= i->ring_offset != i->ctrl_offset + i->ctrl_size;
	bad |= i->meta_offset != i->ring_offset + i->ring_size;
	bad |= i->slots_offset != i->meta_offset + i->meta_size;
	bad |= i->mmap_size != i->slots_offset + i->slots_size;
	bad |= (i->mmap_size | i->ring_offset | i->meta_offset |
		i->slots_offset) % FZ_PAGE != 0;
	bad |= i->slots_size < (uint64_t)i->slot_size * i->slot_count;
	bad |= i->meta_size < (uint64_t)PKTPOOL_REGION_META_SIZE * i->slot_count;
	bad |= i->mmap_size > fz_lim.max_bytes;
	bad |= i->slot_count > fz_lim.max_slots || !i->slot_count;
	bad |= i->slot_size % 64 || i->slot_size < PKTPOOL_REGION_SLOT_MIN ||
	       i->slot_size > PKTPOOL_REGION_SLOT_MAX;
	bad |= i->mode & ~0777U;
	if (bad)
		fz_violation("%s: region %u layout does not add up: size %llu ring %llu+%llu meta %llu+%llu slots %llu+%llu, %u x %u",
			  what, i->id, (unsigned long long)i->mmap_size,
			  (unsigned long long)i->ring_offset,
			  (unsigned long long)i->ring_size,
			  (unsigned long long)i->meta_offset,
			  (unsigned long long)i->meta_size,
			  (unsigned long long)i->slots_offset,
			  (unsigned long long)i->slots_size, i->slot_count,
			  i->slot_size);
}

/* Bytes of a region of n slots of s bytes, as the kernel lays it out. */
uint64_t fz_region_bytes(uint64_t n, uint64_t s)
{
	uint64_t p = 1, desc_ring, fill_ring;

	while (p < n)
		p <<= 1;
	/* rx and tx carry descriptors, fill carries slot indices. */
	desc_ring = (PKTPOOL_REGION_RING_HDR + p * sizeof(struct pktpool_desc) +
		     FZ_PAGE - 1) & ~(FZ_PAGE - 1);
	fill_ring = (PKTPOOL_REGION_RING_HDR + p * sizeof(uint32_t) +
		     FZ_PAGE - 1) & ~(FZ_PAGE - 1);
	return PKTPOOL_REGION_CTRL_SIZE + 2 * desc_ring + fill_ring +
	       ((n * PKTPOOL_REGION_META_SIZE + FZ_PAGE - 1) & ~(FZ_PAGE - 1)) +
	       ((n * s + FZ_PAGE - 1) & ~(FZ_PAGE - 1));
}

/*
 * The limits are tiny and named regions outlive their creators, so the
 * registry is full most of the time: make room now and then by
 * destroying a region that exists (which may belong to someone else).
 */
static void fz_make_room(int fd)
{
	struct pktpool_pool_list l;
	struct pktpool_pool_id d;
	int rc;

	memset(&l, 0, sizeof(l));
	l.size = sizeof(l);
	l.capacity = 8192;
	l.ids_ptr = (uint64_t)(uintptr_t)fz_ids_out;
	rc = ioctl(fd, PKTPOOL_IOC_REGION_LIST, &l) ? -errno : 0;
	fz_count_call();
	if (rc || !l.count || l.count > 8192)
		return;
	memset(&d, 0, sizeof(d));
	d.size = sizeof(d);
	d.id = fz_ids_out[fz_below(l.count)];
	rc = ioctl(fd, PKTPOOL_IOC_REGION_DESTROY, &d) ? -errno : 0;
	fz_count_call();
	fz_tr("make room: REGION_DESTROY id=%u = %d", d.id, rc);
	if (!rc)
		fz_stat_inc(FZ_S_DESTROY);
}

void fz_op_region_create(void)
{
	struct pktpool_region_create c;
	static const uint32_t modes[] = {
		0600, 0600, 0666, 0644, 0660, 0604, 0602, 0622, 0, 0777,
		01000, 0xffffffff,
	};
	static const int32_t nodes[] = { 0, 1, 64, INT32_MIN, 1 << 20, -2 };
	struct fz_file *f;
	struct fz_arg a;
	bool exact;
	int fd = fz_pick_fd(&f), rc;
	unsigned long cmd = fz_pick_cmd(PKTPOOL_IOC_REGION_CREATE, &exact);
	uint64_t n;

	memset(&c, 0, sizeof(c));
	fz_pick_name(c.name, true);
	switch (fz_below(10)) {
	case 0:
		c.slot_size = fz_chance(50) ? PKTPOOL_REGION_SLOT_MAX + 64 :
			      fz_pick_u32_edge();
		break;
	case 1:
		c.slot_size = 64 * (uint32_t)(1 + fz_below(1024)) + (uint32_t)fz_below(2);
		break;
	case 2:
		c.slot_size = PKTPOOL_REGION_SLOT_MAX;
		break;
	default:
		c.slot_size = 64U << fz_below(6);
		break;
	}
	switch (fz_below(10)) {
	case 0:
		c.slot_count = fz_lim.max_slots + (uint32_t)fz_below(3) - 1;
		break;
	case 1:
		c.slot_count = fz_chance(50) ? 0 : fz_pick_u32_edge();
		break;
	case 2: case 3:
		/* As many as fit in region_max_bytes, give or take one. */
		if (c.slot_size >= 64 && c.slot_size <= PKTPOOL_REGION_SLOT_MAX) {
			n = (fz_lim.max_bytes - fz_region_bytes(1, 0)) / c.slot_size;
			while (n > 1 && fz_region_bytes(n, c.slot_size) > fz_lim.max_bytes)
				n--;
			c.slot_count = (uint32_t)(n + fz_below(3)) - 1;
			break;
		}
		/* fall through */
	default:
		c.slot_count = 1 + (uint32_t)fz_below(fz_chance(80) ? 64 : fz_lim.max_slots);
		break;
	}
	c.node = fz_chance(90) ? -1 : nodes[fz_below(6)];
	c.mode = modes[fz_below(sizeof(modes) / sizeof(modes[0]))];
	c.flags = fz_chance(95) ? 0 : fz_pick_u32_edge();
	c.reserved = fz_chance(95) ? 0 : 1;
	fz_tr("REGION_CREATE name=%.32s slot_size=%u slot_count=%u node=%d mode=%#o",
	   c.name, c.slot_size, c.slot_count, c.node, c.mode);
	fz_arg_pick(&a, sizeof(c));
	rc = fz_arg_ioctl(fd, cmd, &a, &c, sizeof(c));
	if ((rc == -ENOSPC || rc == -EDQUOT) && f && fz_chance(50))
		fz_make_room(fd);
	if (rc)
		return;
	fz_stat_inc(FZ_S_REGION);
	if (!f || !exact)
		return;
	fz_tr("  -> id %u offset %#llx size %llu", c.id,
	   (unsigned long long)c.mmap_offset, (unsigned long long)c.mmap_size);
	if (!c.id || c.mmap_offset != (uint64_t)c.id << 32 || !c.mmap_size ||
	    c.mmap_size % FZ_PAGE || c.mmap_size > fz_lim.max_bytes)
		fz_violation("REGION_CREATE: id %u offset %#llx size %llu", c.id,
			  (unsigned long long)c.mmap_offset,
			  (unsigned long long)c.mmap_size);
	if (f->accmode == O_RDONLY)
		fz_violation("REGION_CREATE succeeded on a file opened O_RDONLY");
	fz_remember_region(c.id, c.mmap_size);
	fz_note_attach(f->file, c.id, PKTPOOL_ACCESS_READ | PKTPOOL_ACCESS_WRITE,
		    c.mmap_size);
}

void fz_op_region_attach(bool attach_it)
{
	struct pktpool_region_info i;
	struct fz_file *f;
	struct fz_arg a;
	bool exact;
	int fd = fz_pick_fd(&f), rc;
	unsigned long cmd = fz_pick_cmd(attach_it ? PKTPOOL_IOC_REGION_ATTACH :
				     PKTPOOL_IOC_REGION_INFO, &exact);
	uint32_t access;

	memset(&i, 0, sizeof(i));
	fz_fill_ref(&i.id, i.name, true);
	switch (fz_below(10)) {
	case 0: i.access = 4 + (uint32_t)fz_below(4); break;
	case 1: i.access = fz_pick_u32_edge(); break;
	default: i.access = (uint32_t)fz_below(4); break;
	}
	access = i.access ? i.access :
		 PKTPOOL_ACCESS_READ | PKTPOOL_ACCESS_WRITE;
	fz_tr("REGION_%s id=%u name=%.32s access=%u", attach_it ? "ATTACH" : "INFO",
	   i.id, i.name, i.access);
	fz_arg_pick(&a, sizeof(i));
	rc = fz_arg_ioctl(fd, cmd, &a, &i, sizeof(i));
	if (rc || !exact || !a.buf || a.ro)
		return;
	fz_check_layout(&i, attach_it ? "REGION_ATTACH" : "REGION_INFO");
	fz_remember_region(i.id, i.mmap_size);
	if (attach_it && f) {
		fz_stat_inc(FZ_S_ATTACH);
		if (i.access != access || !i.attached)
			fz_violation("REGION_ATTACH: access %u asked, %u granted, %llu attached",
				  access, i.access,
				  (unsigned long long)i.attached);
		fz_note_attach(f->file, i.id, access, i.mmap_size);
	}
}

void fz_op_region_id(bool destroy)
{
	struct pktpool_pool_id d;
	struct fz_file *f;
	struct fz_arg a;
	bool exact;
	int fd = fz_pick_fd(&f), rc;
	unsigned long cmd = fz_pick_cmd(destroy ? PKTPOOL_IOC_REGION_DESTROY :
				     PKTPOOL_IOC_REGION_DETACH, &exact);

	memset(&d, 0, sizeof(d));
	fz_fill_ref(&d.id, d.name, true);
	fz_tr("REGION_%s id=%u name=%.32s", destroy ? "DESTROY" : "DETACH", d.id,
	   d.name);
	fz_arg_pick(&a, sizeof(d));
	rc = fz_arg_ioctl(fd, cmd, &a, &d, sizeof(d));
	if (!rc)
		fz_stat_inc(destroy ? FZ_S_DESTROY : FZ_S_DETACH);
	/* Detached by name: which id is not known, so keep the record. */
	if (!rc && !destroy && exact && f && d.id)
		fz_note_detach(f->file, d.id);
}

/* Anything in the pktpool ioctl space, or anywhere, with junk. */
void fz_op_raw_ioctl(void)
{
	struct fz_file *f;
	int fd = fz_pick_fd(&f), rc;
	unsigned long cmd;
	unsigned int i;

	/* Junk commands go only to pktpool files: root could reconfigure
	 * the network through a socket. */
	if (!f)
		fd = -1;
	if (fz_chance(80))
		cmd = _IOC(fz_below(4), PKTPOOL_IOC_MAGIC, fz_below(0x20),
			   fz_below(1U << _IOC_SIZEBITS));
	else
		cmd = (uint32_t)fz_rnd();
	for (i = 0; i < 2 * FZ_PAGE / 8; i++)
		((uint64_t *)fz_argbuf)[i] = fz_chance(50) ? 0 : fz_rnd();
	if (fz_chance(70))
		*(uint32_t *)fz_argbuf = (uint32_t)(fz_chance(50) ? 16 + 8 * fz_below(30) :
							     fz_rnd());
	rc = ioctl(fd, cmd, fz_chance(90) ? (void *)fz_argbuf :
				       (void *)(uintptr_t)fz_rnd()) ? -errno : 0;
	fz_count_call();
	fz_tr("ioctl(%d, %#lx, junk) = %d", fd, cmd, rc);
	if (f && rc && !fz_errno_documented(-rc))
		fz_violation("ioctl %#lx returned undocumented errno %d", cmd, -rc);
}
