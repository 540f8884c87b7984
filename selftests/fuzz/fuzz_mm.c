// SPDX-License-Identifier: GPL-2.0
/*
 * pktpool_fuzz: mappings of regions (mmap, munmap, mremap, mprotect,
 * madvise, mlock, msync, touching the memory) and the rules they follow.
 */
#define _GNU_SOURCE
#include "fuzz.h"

/* ---- mappings ------------------------------------------------------------ */

static sigjmp_buf fz_fault_jmp;
static volatile sig_atomic_t fz_fault_armed;

void fz_on_fault(int sig)
{
	if (!fz_fault_armed) {
		signal(sig, SIG_DFL);
		raise(sig);
		return;
	}
	siglongjmp(fz_fault_jmp, sig);
}

static struct fz_map *fz_pick_map(void)
{
	unsigned int i, start = fz_below(FZ_MAPS);

	for (i = 0; i < FZ_MAPS; i++)
		if (fz_maps[(start + i) % FZ_MAPS].addr)
			return &fz_maps[(start + i) % FZ_MAPS];
	return NULL;
}

/* Forget every mapping that overlaps [addr, addr + len): it was replaced. */
static void fz_maps_forget(char *addr, size_t len)
{
	unsigned int i;

	for (i = 0; i < FZ_MAPS; i++)
		if (fz_maps[i].addr && fz_maps[i].addr < addr + len &&
		    addr < fz_maps[i].addr + fz_maps[i].len)
			fz_maps[i].addr = NULL;
}

static size_t fz_page_up(uint64_t n)
{
	return (size_t)((n + FZ_PAGE - 1) & ~(FZ_PAGE - 1));
}

static bool fz_in_arena(const char *addr, size_t len)
{
	return addr >= fz_arena && len <= FZ_ARENA &&
	       (size_t)(addr - fz_arena) <= FZ_ARENA - len;
}

/*
 * Give freed arena pages back to the arena, so that the kernel places
 * nothing else there for a later MAP_FIXED to clobber.
 */
static void fz_arena_refill(char *addr, size_t len)
{
	if (!fz_in_arena(addr, len))
		return;
	mmap(addr, len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED |
	     MAP_NORESERVE, -1, 0);
	fz_count_call();
}

/* The mapping and the page after it are ours to hit. */
static bool fz_may_overrun(const struct fz_map *m)
{
	return m->in_arena && fz_in_arena(m->addr, m->len + FZ_PAGE);
}

/* An address in the arena with room for len bytes. */
static char *fz_arena_spot(size_t len)
{
	if (len >= FZ_ARENA)
		return fz_arena;
	return fz_arena + fz_below((FZ_ARENA - len) / FZ_PAGE + 1) * FZ_PAGE;
}

void fz_op_mmap(void)
{
	struct fz_region *r = &fz_regions[fz_below(FZ_KNOWN)];
	struct fz_file *f;
	struct fz_attach *at;
	struct fz_map *m;
	int fd = fz_pick_fd(&f), prot, flags, slot = -1;
	uint64_t off = (uint64_t)r->id << 32;
	size_t len = fz_page_up(r->size);
	char *want = NULL, *p;
	unsigned int i, n;

	for (i = 0; i < FZ_MAPS; i++)
		if (!fz_maps[i].addr)
			slot = (int)i;
	if (slot < 0)
		return;
	/* Mostly a region one of our files attached, through that file. */
	at = NULL;
	for (i = 0, n = (unsigned int)fz_below(64); i < 64 && !at; i++)
		if (fz_attached[(n + i) % 64].file)
			at = &fz_attached[(n + i) % 64];
	if (at && fz_chance(75)) {
		for (i = 0; i < FZ_FDS; i++)
			if (fz_files[i].fd >= 0 && fz_files[i].file == at->file) {
				f = &fz_files[i];
				fd = f->fd;
				off = (uint64_t)at->id << 32;
				len = fz_page_up(at->size);
				r = NULL;
				break;
			}
	}
	if (r && (!r->id || fz_chance(5)))
		off = fz_chance(50) ? 0 : (uint64_t)fz_pick_u32_edge() << 32;
	switch (fz_below(12)) {
	case 0: off += FZ_PAGE; break;
	case 1: off -= FZ_PAGE; break;
	case 2: off += 1ULL << 31; break;
	default: break;
	}
	if (!len || fz_chance(10)) {
		switch (fz_below(5)) {
		case 0: len = FZ_PAGE; break;
		case 1: len = len + FZ_PAGE; break;
		case 2: len = len > FZ_PAGE ? len - FZ_PAGE : 1; break;
		case 3: len = fz_page_up(fz_region_bytes(1 + fz_below(64), 64)); break;
		default: len = 1 + fz_below(1 << 20); break;
		}
	}
	switch (fz_below(20)) {
	case 0: prot = PROT_READ | PROT_EXEC; break;
	case 1: prot = PROT_NONE; break;
	case 2: prot = PROT_WRITE; break;
	case 3: prot = PROT_READ | PROT_WRITE | PROT_EXEC; break;
	case 4: case 5: case 6: case 7: prot = PROT_READ; break;
	default: prot = PROT_READ | PROT_WRITE; break;
	}
	flags = MAP_SHARED;
	switch (fz_below(20)) {
	case 0: flags = MAP_PRIVATE; break;
	case 1: flags |= MAP_POPULATE; break;
	case 2: flags |= MAP_LOCKED; break;
	case 3: flags = MAP_SHARED_VALIDATE | (fz_chance(50) ? MAP_SYNC : 0); break;
	case 4: case 5: case 6: case 7:
		break;	/* where the kernel likes */
	default:
		/* Anywhere in the arena, or over a mapping of ours there. */
		m = fz_pick_map();
		want = m && m->in_arena && len <= m->len && fz_chance(20) ?
		       m->addr : fz_arena_spot(len);
		flags |= fz_chance(90) ? MAP_FIXED : MAP_FIXED_NOREPLACE;
		break;
	}
	p = mmap(want, len, prot, flags, fd, (off_t)off);
	fz_count_call();
	fz_tr("mmap(%p, %zu, %#x, %#x, %d, %#llx) = %p", (void *)want, len, prot,
	   flags, fd, (unsigned long long)off, (void *)p);
	if (p == MAP_FAILED) {
		/*
		 * A failed MAP_FIXED may have unmapped what was there
		 * first: forget it and fill the arena again.
		 */
		if (flags & MAP_FIXED) {
			fz_maps_forget(want, len);
			fz_arena_refill(want, len);
		}
		return;
	}
	fz_stat_inc(FZ_S_MMAP);
	fz_maps_forget(p, len);
	/* What the kernel let through must be what it promises. */
	if (f && !fz_file_shared[f->file] && (off & 0xffffffffULL) == 0) {
		uint32_t id = (uint32_t)(off >> 32);

		at = fz_find_attach(f->file, id);
		if (!at)
			fz_violation("mmap of region %u through a file that never attached it",
				  id);
		if ((prot & PROT_WRITE) && !(at->access & PKTPOOL_ACCESS_WRITE))
			fz_violation("PROT_WRITE mmap of region %u attached for access %u",
				  id, at->access);
		if ((prot & PROT_READ) && !(at->access & PKTPOOL_ACCESS_READ))
			fz_violation("PROT_READ mmap of region %u attached write-only",
				  id);
		if (at->size && len != fz_page_up(at->size))
			fz_violation("mmap of region %u with %zu bytes, region has %llu",
				  id, len, (unsigned long long)at->size);
	}
	if (f && (prot & PROT_EXEC))
		fz_violation("an executable mapping of a region");
	if (f && !(flags & MAP_SHARED))
		fz_violation("a private mapping of a region");
	fz_maps[slot].addr = p;
	fz_maps[slot].len = len;
	fz_maps[slot].prot = prot;
	fz_maps[slot].id = (uint32_t)(off >> 32);
	fz_maps[slot].in_arena = fz_in_arena(p, len);
	if (f) {
		at = fz_find_attach(f->file, fz_maps[slot].id);
		/* mprotect may add PROT_WRITE only where the grant has it */
		if (at && !fz_file_shared[f->file] &&
		    !(at->access & PKTPOOL_ACCESS_WRITE))
			fz_maps[slot].prot |= 0x1000;	/* read-only for good */
	}
}

/*
 * Whether [addr, addr + len) is one whole mapping of /dev/pktpool now, as
 * /proc/self/maps says: checked before calling a partial unmap a defect,
 * since a failed MAP_FIXED or mremap may have unmapped what we recorded.
 */
static bool fz_whole_region_vma(const char *addr, size_t len)
{
	static char buf[65536];
	unsigned long lo, hi;
	char *line, *save = NULL;
	ssize_t n;
	int fd;

	fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	fz_count_call();
	if (n <= 0)
		return false;
	buf[n] = '\0';
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save))
		if (sscanf(line, "%lx-%lx", &lo, &hi) == 2 &&
		    lo == (unsigned long)addr && hi == (unsigned long)addr + len)
			return strstr(line, PKTPOOL_DEVICE) != NULL;
	return false;
}

/* A partial call on m is coming: is m still what we think it is? */
static bool fz_still_mapped(struct fz_map *m)
{
	if (fz_whole_region_vma(m->addr, m->len))
		return true;
	fz_tr("stale mapping record %p+%zu dropped", (void *)m->addr, m->len);
	m->addr = NULL;
	return false;
}

void fz_op_munmap(void)
{
	struct fz_map *m = fz_pick_map();
	char *addr;
	size_t len;
	int rc;

	if (!m)
		return;
	addr = m->addr;
	len = m->len;
	switch (fz_below(8)) {
	case 0: len = FZ_PAGE; break;			/* the head */
	case 1: addr += m->len - FZ_PAGE; len = FZ_PAGE; break;	/* the tail */
	case 2:		/* and what follows */
		if (fz_may_overrun(m))
			len = m->len + FZ_PAGE;
		break;
	default: break;
	}
	if (len < m->len && !fz_still_mapped(m))
		return;
	rc = munmap(addr, len) ? -errno : 0;
	fz_count_call();
	fz_tr("munmap(%p, %zu) = %d", (void *)addr, len, rc);
	if (rc)
		return;
	fz_stat_inc(FZ_S_UNMAP);
	if (len < m->len && m->len > FZ_PAGE)
		fz_violation("munmap of part of a region mapping (%zu of %zu bytes) succeeded",
			  len, m->len);
	fz_maps_forget(addr, len);
	fz_arena_refill(addr, len);
}

void fz_op_mremap(void)
{
	struct fz_map *m = fz_pick_map();
	size_t nlen;
	char *p, *to = NULL;
	int flags = MREMAP_MAYMOVE;

	if (!m)
		return;
	nlen = m->len;
	if (!fz_still_mapped(m))
		return;
	switch (fz_below(8)) {
	case 0: nlen += FZ_PAGE; break;
	case 1: nlen = m->len > FZ_PAGE ? m->len - FZ_PAGE : m->len; break;
	case 2:
		if (fz_may_overrun(m)) {
			flags = 0;	/* grow in place, over the arena */
			nlen += FZ_PAGE;
		}
		break;
	case 3: flags |= MREMAP_DONTUNMAP; break;
	default:
		flags |= MREMAP_FIXED;
		to = fz_arena_spot(nlen);
		break;
	}
	p = mremap(m->addr, m->len, nlen, flags, to);
	fz_count_call();
	fz_tr("mremap(%p, %zu, %zu, %#x, %p) = %p", (void *)m->addr, m->len, nlen,
	   flags, (void *)to, (void *)p);
	if (p == MAP_FAILED) {
		/* MREMAP_FIXED unmaps the target before it may fail. */
		if (flags & MREMAP_FIXED) {
			fz_maps_forget(to, nlen);
			fz_arena_refill(to, nlen);
		}
		return;
	}
	fz_stat_inc(FZ_S_MREMAP);
	if (nlen != m->len)
		fz_violation("mremap resized a region mapping from %zu to %zu bytes",
			  m->len, nlen);
	/* With DONTUNMAP the old range stays mapped; it is simply forgotten. */
	if (!(flags & MREMAP_DONTUNMAP) && p != m->addr)
		fz_arena_refill(m->addr, m->len);
	m->addr = NULL;
	fz_maps_forget(p, nlen);
	m->addr = p;
	m->len = nlen;
	m->in_arena = fz_in_arena(p, nlen);
}

void fz_op_mprotect(void)
{
	struct fz_map *m = fz_pick_map();
	static const int prots[] = {
		PROT_NONE, PROT_READ, PROT_READ | PROT_WRITE, PROT_WRITE,
		PROT_READ | PROT_EXEC, PROT_READ | PROT_WRITE | PROT_EXEC,
	};
	char *addr;
	size_t len;
	int prot = prots[fz_below(6)], rc;

	if (!m)
		return;
	addr = m->addr;
	len = m->len;
	if (fz_chance(20)) {
		len = FZ_PAGE;
		if (fz_chance(50))
			addr += m->len - FZ_PAGE;
	}
	if (len < m->len && !fz_still_mapped(m))
		return;
	rc = mprotect(addr, len, prot) ? -errno : 0;
	fz_count_call();
	fz_tr("mprotect(%p, %zu, %#x) = %d", (void *)addr, len, prot, rc);
	if (rc)
		return;
	fz_stat_inc(FZ_S_MPROTECT);
	/* The same protection again changes nothing and splits nothing. */
	if (len < m->len && prot != (m->prot & 0xfff))
		fz_violation("mprotect of part of a region mapping succeeded");
	if (prot & PROT_EXEC)
		fz_violation("mprotect made a region mapping executable");
	if ((prot & PROT_WRITE) && (m->prot & 0x1000))
		fz_violation("mprotect made a read-only region mapping writable");
	m->prot = prot | (m->prot & 0x1000);
}

void fz_op_madvise(void)
{
	static const int advice[] = {
		MADV_NORMAL, MADV_RANDOM, MADV_SEQUENTIAL, MADV_WILLNEED,
		MADV_DONTNEED, MADV_FREE, MADV_REMOVE, MADV_DONTFORK,
		MADV_DOFORK, MADV_MERGEABLE, MADV_UNMERGEABLE, MADV_HUGEPAGE,
		MADV_NOHUGEPAGE, MADV_DONTDUMP, MADV_DODUMP, MADV_WIPEONFORK,
		MADV_KEEPONFORK, MADV_COLD, MADV_PAGEOUT, MADV_POPULATE_READ,
		MADV_POPULATE_WRITE,
	};
	struct fz_map *m = fz_pick_map();
	char *addr;
	size_t len;
	int adv, rc;

	if (!m)
		return;
	/* Never the memory-failure advices: root would poison real pages. */
	adv = fz_chance(95) ? advice[fz_below(sizeof(advice) / sizeof(advice[0]))] :
			   (int)fz_below(30);
	addr = m->addr;
	len = m->len;
	switch (fz_below(6)) {
	case 0: len = FZ_PAGE; break;
	case 1: addr += FZ_PAGE * fz_below(m->len / FZ_PAGE); len = FZ_PAGE; break;
	case 2:
		if (fz_may_overrun(m))
			len += FZ_PAGE;
		break;
	default: break;
	}
	rc = madvise(addr, len, adv) ? -errno : 0;
	fz_count_call();
	fz_tr("madvise(%p, %zu, %d) = %d", (void *)addr, len, adv, rc);
}

void fz_op_mlock(void)
{
	struct fz_map *m = fz_pick_map();
	int rc;

	if (!m)
		return;
	rc = (fz_chance(50) ? mlock(m->addr, m->len) : munlock(m->addr, m->len)) ?
	     -errno : 0;
	fz_count_call();
	fz_tr("mlock/munlock(%p, %zu) = %d", (void *)m->addr, m->len, rc);
	if (fz_chance(30)) {
		rc = msync(m->addr, m->len, fz_chance(50) ? MS_SYNC : MS_ASYNC) ?
		     -errno : 0;
		fz_count_call();
		fz_tr("msync(%p, %zu) = %d", (void *)m->addr, m->len, rc);
	}
}

/* Read or write a byte of a mapping; faults are expected now and then. */
void fz_op_touch(void)
{
	struct fz_map *m = fz_pick_map();
	volatile char *volatile p;
	int sig;

	if (!m)
		return;
	switch (fz_below(4)) {
	case 0: p = m->addr; break;
	case 1: p = m->addr + m->len - 1; break;
	default: p = m->addr + fz_below(m->len); break;
	}
	sig = sigsetjmp(fz_fault_jmp, 1);
	if (!sig) {
		fz_fault_armed = 1;
		if (fz_chance(50))
			*p = (char)fz_rnd();
		else
			(void)*p;
	}
	fz_fault_armed = 0;
	fz_stat_inc(sig ? FZ_S_FAULT : FZ_S_TOUCH);
	fz_tr("touch(%p) = signal %d", (void *)p, sig);
}
