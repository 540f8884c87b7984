// SPDX-License-Identifier: MIT
/*
 * Creating, attaching and detaching regions: ask the backend for memory,
 * map it between two inaccessible guard pages (an access just outside the
 * region faults instead of touching a neighbour), and fill in the handle's
 * private copy of the geometry.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"

#define ATTACH_WAIT_MS	2000	/* for a creator still initialising */

static bool name_valid(const char *name)
{
	size_t i, len = strnlen(name, PKTPOOL_NAME_MAX);

	if (len == 0 || len >= PKTPOOL_NAME_MAX)
		return false;
	for (i = 0; i < len; i++) {
		char c = name[i];

		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '_' || c == '-'))
			return false;
	}
	return true;
}

static int map_region(struct pktpool__priv *pv, const struct pktpool__region *r)
{
	size_t len = (size_t)r->size + 2 * PKTPOOL_PAGE;
	void *res, *m;

	res = mmap(NULL, len, PROT_NONE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (res == MAP_FAILED)
		return -ENOMEM;
	m = mmap((char *)res + PKTPOOL_PAGE, r->size,
		 pv->rdonly ? PROT_READ : PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_FIXED, r->fd, (off_t)r->mmap_off);
	if (m == MAP_FAILED) {
		int err = -errno;

		munmap(res, len);
		return err;
	}
	pv->map = res;
	pv->map_len = len;
	pv->base = m;
	pv->hdr = m;
	return 0;
}

static void unmap_region(struct pktpool__priv *pv)
{
	if (pv->map)
		munmap(pv->map, pv->map_len);
	pv->map = NULL;
	pv->base = NULL;
	pv->hdr = NULL;
}

/* The private geometry and the handle's fast-path fields from pv->lay. */
static void setup_handle(struct pktpool *p, uint32_t flags)
{
	struct pktpool__priv *pv = p->priv;
	const struct pktpool_layout *lay = &pv->lay;
	uint32_t d = lay->slot_size / 64, i;
	uint64_t mag_off;

	pv->next = (_Atomic uint32_t *)(pv->base + lay->off_next);
	pv->tag = (_Atomic uint8_t *)(pv->base + lay->off_tag);
	/* the meta's spare bytes: 8 a slot, 4 link + 1 tag, then dbg[],
	 * then the depot's magazines */
	pv->dbg = (_Atomic uint8_t *)(pv->base + lay->off_tag +
				      lay->slot_count);
	pktpool__mag_area(lay->slot_count, &mag_off, &pv->mag_count);
	pv->mag = (struct pktpool__mag *)(pv->base + lay->off_meta + mag_off);
	for (i = 0; i < PKTPOOL_THREADS_MAX; i++)
		pv->stash[i] = PKTPOOL_NIL;
	pv->tcache = (struct pktpool__tcache *)(pv->base + lay->off_tcache);
	/* a read-only handle hands nothing out: the region's mode only */
	pv->debug = (flags & PKTPOOL_F_DEBUG) ||
		    (!pv->rdonly && pktpool__env_debug());
	pv->nocache = flags & PKTPOOL_F_NOCACHE;
	pv->batch = pktpool__batch(lay->slot_count);

	p->slots = pv->base + lay->off_slots;
	p->tag = pv->tag;
	p->slots_len = (uint64_t)lay->slot_count * lay->slot_size;
	p->slot_size = lay->slot_size;
	p->slot_count = lay->slot_count;
	if ((lay->slot_size & (lay->slot_size - 1)) == 0) {
		p->shift = (uint32_t)__builtin_ctz(lay->slot_size);
		p->div_magic = 0;
	} else {
		/* d >= 3 here; exact for every 32-bit dividend */
		p->shift = 0;
		p->div_magic = UINT64_MAX / d + 1;
	}
	p->cap = pv->nocache ? 0 : 2 * pv->batch;
}

/*
 * Wait for a creator still initialising; -EAGAIN if it takes too long. For
 * a kernel region (geometry known: can_layout) a layout a killed process
 * left half done is taken over (see pktpool__hdr_layout()).
 */
static int wait_published(struct pktpool__priv *pv, bool can_layout)
{
	struct timespec ts = { 0, 1000000 };
	/* a read-only look does not wait long for someone else's creator */
	int ms, err, limit = pv->rdonly ? 100 : ATTACH_WAIT_MS;

	for (ms = 0;; ms++) {
		/* [A] pairs with the release store of magic in
		 * pktpool__hdr_init() */
		uint64_t magic = atomic_load_explicit(&pv->hdr->magic,
						      memory_order_acquire);

		if (magic && magic != PKTPOOL_MAGIC_CLAIMED)
			return 0;
		if (can_layout) {
			err = pktpool__hdr_layout(pv, 0);
			if (err != -EAGAIN)
				return err;
		}
		if (ms >= limit)
			return -EAGAIN;
		nanosleep(&ts, NULL);
	}
}

static int attach_common(struct pktpool *p, struct pktpool__region *r,
			 const struct pktpool_layout *expect, uint32_t flags)
{
	struct pktpool__priv *pv = p->priv;
	struct pktpool__hdr *h;
	uint32_t ss, sc;
	bool can_layout;
	int err, cs;

	/* A shm file its creator has not sized yet (older libraries named
	 * it first): still being created. */
	if (r->size == 0)
		return -EAGAIN;
	if (r->size < PKTPOOL_HDR_SIZE || r->size > PKTPOOL_REGION_SIZE_MAX ||
	    r->size % PKTPOOL_PAGE)
		return -EUCLEAN;
	err = map_region(pv, r);
	if (err)
		return err;
	h = pv->hdr;
	if (expect) {
		ss = expect->slot_size;
		sc = expect->slot_count;
		if (r->slot_size && (r->slot_size != ss || r->slot_count != sc))
			return -EINVAL;
	} else if (r->slot_size) {
		ss = r->slot_size;
		sc = r->slot_count;
	} else {
		/*
		 * Only the size is known: take the creator's slot size and
		 * count from the header, but only if they reproduce the size
		 * exactly, so every offset derived from them is inside the
		 * mapping whatever the header says.
		 */
		err = wait_published(pv, false);
		if (err)
			return err;
		ss = h->slot_size;
		sc = h->slot_count;
	}
	if (pktpool__layout(ss, sc, &pv->lay))
		return expect ? -EINVAL : -EUCLEAN;
	if (pv->lay.size != r->size)
		return expect ? -EINVAL : -EUCLEAN;
	pv->lay.region_id = r->id;
	if (r->id)
		memcpy(pv->name, r->name, sizeof(pv->name));
	/*
	 * The kernel vouches for this geometry, so a zeroed kernel region that
	 * no library process has laid out yet (or whose layout a killed
	 * process left half done) can be laid out here.
	 */
	can_layout = r->slot_size && r->id && !pv->rdonly;
	if (can_layout) {
		setup_handle(p, 0);	/* hdr_init writes through it */
		err = pktpool__lock_open(pv);
		if (err)
			return err;
	}
	err = wait_published(pv, can_layout);
	if (!err)
		err = pktpool__hdr_check(pv);
	if (err)
		return err;
	setup_handle(p, flags | ((h->flags & PKTPOOL_HDR_F_DEBUG) ?
				 PKTPOOL_F_DEBUG : 0));
	memcpy(pv->name, h->name, sizeof(pv->name));
	pv->name[sizeof(pv->name) - 1] = 0;
	if (r->id && r->name[0])
		memcpy(pv->name, r->name, sizeof(pv->name));
	if (pv->rdonly)
		return 0;	/* a look from outside: no process entry */
	pktpool__lock_take(&cs);
	err = pktpool__proc_claim(p);
	pktpool__lock_give(cs);
	return err;
}

static void destroy_handle(struct pktpool *p)
{
	struct pktpool__priv *pv = p->priv;

	int cs;

	unmap_region(pv);
	if (pv->fd >= 0)
		close(pv->fd);
	pktpool__lock_take(&cs);
	pktpool__handle_free(p);
	pktpool__lock_give(cs);
}

static int new_handle(struct pktpool **out)
{
	int err, cs;

	pktpool__lock_take(&cs);
	err = pktpool__handle_alloc(out);
	pktpool__lock_give(cs);
	return err;
}

static int create(const struct pktpool_config *cfg, struct pktpool **out)
{
	struct pktpool__region r = { .fd = -1 };
	struct pktpool_layout lay;
	struct pktpool__priv *pv;
	struct pktpool *p;
	bool named;
	int err, cs;

	if (!cfg || !out || (cfg->flags & ~PKTPOOL_F_ALL) ||
	    cfg->mode > 07777)
		return -EINVAL;
	named = cfg->name && cfg->name[0];
	if (named && !name_valid(cfg->name))
		return -EINVAL;
	err = pktpool__layout(cfg->slot_size, cfg->slot_count, &lay);
	if (err)
		return err;
	err = new_handle(&p);
	if (err)
		return err;
	pv = p->priv;
	err = pktpool__backend_select(&pv->be);
	if (err)
		goto fail;
	err = pv->be->create(cfg, &lay, &r);
	if (err)
		goto fail;
	pv->fd = r.fd;
	if (named)
		strcpy(pv->name, cfg->name);
	else
		strcpy(pv->name, "(anonymous)");
	err = map_region(pv, &r);
	if (err)
		goto fail_unlink;
	pv->lay = lay;
	pv->lay.region_id = r.id;
	setup_handle(p, cfg->flags);
	err = pktpool__lock_open(pv);
	if (err)
		goto fail_unlink;
	if (r.id) {
		/*
		 * A kernel region is visible by name already: an attacher
		 * may lay it out first (then we use its layout), or take
		 * over if we die half way.
		 */
		err = pktpool__hdr_layout(pv, pv->debug ? PKTPOOL_F_DEBUG : 0);
		if (err == -EAGAIN)
			err = wait_published(pv, true);
		if (!err)
			err = pktpool__hdr_check(pv);
		if (err)
			goto fail_unlink;
		setup_handle(p, cfg->flags | ((pv->hdr->flags &
			     PKTPOOL_HDR_F_DEBUG) ? PKTPOOL_F_DEBUG : 0));
	} else {
		/* Nobody can see it before publish() below. */
		pktpool__hdr_init(pv, pv->debug ? PKTPOOL_F_DEBUG : 0);
	}
	pktpool__lock_take(&cs);
	err = pktpool__proc_claim(p);
	pktpool__lock_give(cs);
	if (err)
		goto fail_unlink;
	if (named && pv->be->publish) {
		err = pv->be->publish(cfg, &r);
		if (err)
			goto fail;	/* the name is someone else's */
	}
	pv->live = true;
	*out = p;
	return 0;

fail_unlink:
	if (named && !r.unnamed)
		pv->be->unlink(cfg->name);
fail:
	destroy_handle(p);
	return err;
}

/*
 * The calls that make or drop a handle are no cancellation points: one
 * stopped half way would leak its handle, fds and entry locks.
 */
PKTPOOL_EXPORT int pktpool_create(const struct pktpool_config *cfg,
				  struct pktpool **out)
{
	int err, cs;

	pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, &cs);
	err = create(cfg, out);
	pthread_setcancelstate(cs, &cs);
	return err;
}

static int attach(const char *name, uint32_t flags, struct pktpool **out)
{
	struct pktpool__region r = { .fd = -1 };
	struct pktpool__priv *pv;
	struct pktpool *p;
	int err;

	if (!name || !out || (flags & ~(PKTPOOL_F_ALL | PKTPOOL_F_RDONLY)) ||
	    !name_valid(name))
		return -EINVAL;
	err = new_handle(&p);
	if (err)
		return err;
	pv = p->priv;
	pv->rdonly = r.rdonly = flags & PKTPOOL_F_RDONLY;
	err = pktpool__backend_select(&pv->be);
	if (err)
		goto fail;
	err = pv->be->attach(name, &r);
	if (err)
		goto fail;
	pv->fd = r.fd;
	err = attach_common(p, &r, NULL, flags);
	if (err)
		goto fail;
	pv->live = true;
	*out = p;
	return 0;
fail:
	destroy_handle(p);
	return err;
}

PKTPOOL_EXPORT int pktpool_attach(const char *name, uint32_t flags,
				  struct pktpool **out)
{
	int err, cs;

	pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, &cs);
	err = attach(name, flags, out);
	pthread_setcancelstate(cs, &cs);
	return err;
}

static int attach_fd(int fd, const struct pktpool_layout *expect,
		     uint32_t flags, struct pktpool **out)
{
	struct pktpool__region r = { .fd = -1 };
	struct pktpool__priv *pv;
	struct pktpool *p;
	struct stat stb;
	int err;

	if (fd < 0 || !out || (flags & ~(PKTPOOL_F_ALL | PKTPOOL_F_RDONLY)))
		return -EINVAL;
	if (fstat(fd, &stb))
		return -errno;
	err = new_handle(&p);
	if (err)
		return err;
	pv = p->priv;
	pv->rdonly = r.rdonly = flags & PKTPOOL_F_RDONLY;
	r.fd = fcntl(fd, F_DUPFD_CLOEXEC, 3);
	if (r.fd < 0) {
		err = -errno;
		goto fail;
	}
	pv->fd = r.fd;
	pv->be = S_ISREG(stb.st_mode) ? &pktpool__backend_memfd :
					&pktpool__backend_kernel;
	r.id = expect ? expect->region_id : 0;
	err = pv->be->attach_fd(&r);
	if (err)
		goto fail;
	err = attach_common(p, &r, expect, flags);
	if (err)
		goto fail;
	pv->live = true;
	*out = p;
	return 0;
fail:
	destroy_handle(p);
	return err;
}

PKTPOOL_EXPORT int pktpool_attach_fd(int fd, const struct pktpool_layout *expect,
				     uint32_t flags, struct pktpool **out)
{
	int err, cs;

	pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, &cs);
	err = attach_fd(fd, expect, flags, out);
	pthread_setcancelstate(cs, &cs);
	return err;
}

PKTPOOL_EXPORT int pktpool_detach(struct pktpool *p)
{
	struct pktpool__priv *pv;
	int err, cs;

	err = pktpool__handle_get_ro(p, &pv);
	if (err)
		return err;
	pktpool__lock_take(&cs);
	if (pv->owner && pv->fork_gen == pktpool__fork_gen)
		pktpool__drain_all_local(p);
	pktpool__proc_release(p);
	pv->live = false;
	pktpool__lock_give(cs);
	pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, &cs);
	destroy_handle(p);
	pthread_setcancelstate(cs, &cs);
	return 0;
}

PKTPOOL_EXPORT int pktpool_unlink(const char *name)
{
	const struct pktpool__backend *be;
	int err;

	if (!name || !name_valid(name))
		return -EINVAL;
	err = pktpool__backend_select(&be);
	if (err)
		return err;
	return be->unlink(name);
}

PKTPOOL_EXPORT int pktpool_region_fd(const struct pktpool *p)
{
	struct pktpool__priv *pv;
	int err = pktpool__handle_get_ro(p, &pv);

	return err ? err : pv->fd;
}

PKTPOOL_EXPORT const char *pktpool_backend_name(const struct pktpool *p)
{
	struct pktpool__priv *pv;

	if (pktpool__handle_get_ro(p, &pv))
		return "";
	return pv->be->name;
}

PKTPOOL_EXPORT int pktpool_get_layout(const struct pktpool *p,
				      struct pktpool_layout *lay)
{
	struct pktpool__priv *pv;
	int err = pktpool__handle_get_ro(p, &pv);

	if (err)
		return err;
	if (!lay)
		return -EINVAL;
	*lay = pv->lay;
	return 0;
}
