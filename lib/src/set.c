// SPDX-License-Identifier: MIT
/*
 * Pool sets: allocation by size over several regions, built on the public
 * region API alone (pktpool_create/attach/alloc/free/stats...).
 *
 * The fast paths are inline in libpktpool.h: pick the class by a scan of
 * the handle's private class sizes, allocate from the class's current
 * region (cur[]); free scans the private table of mapped regions. Both
 * read the handle only; everything that changes it runs here, under the
 * set's mutex, and publishes with release stores (cur[], nmembers).
 *
 * A named set's descriptor is a small file, /dev/shm/pktpool-set.NAME,
 * that any process with write access to it can scribble on. It is only
 * ever read with pread() into a private copy, under an OFD lock (shared
 * to read, exclusive to change it), and the copy is checked whole before
 * any of it is used: magic, sizes, class geometry, lists within bounds,
 * serials unique and below next_serial, the policy unchanged since we
 * attached. A region it lists is attached by name and must have the slot
 * size of its class. So a hostile descriptor can at worst make calls
 * fail with -EUCLEAN or make this process attach or unlink regions named
 * NAME-*.
 *
 * Serials: each region of the set is NAME-SERIAL, SERIAL from the
 * descriptor's next_serial, which is bumped (and written) before the
 * region is made, so a name is never used twice: a process that still
 * has a trimmed region attached can never confuse it with a newer one.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "libpktpool.h"

/* debug.c: PKTPOOL_DEBUG set in the environment (regions honour it too) */
bool pktpool__env_debug(void);
/* cache.c: an alloc whose debug record names site as the call site */
void *pktpool__alloc_at(struct pktpool *p, const void *site);
#include "set_desc.h"

#define EXPORT	__attribute__((visibility("default")))

/* Per entry of the set's base/len/pool tables, same index. */
struct member_priv {
	uint32_t serial;
	uint32_t cls;
	bool retired;		/* no longer listed: frees only */
};

struct pktpool__set {
	pthread_mutex_t lock;	/* slow paths; before the descriptor lock */
	int fd;			/* descriptor, -1: anonymous */
	pid_t pid;		/* whose fd: a child reopens (OFD locks go
				 * with the open file, which fork shares) */
	char name[PKTPOOL_SET_NAME_MAX];
	uint32_t rflags;	/* PKTPOOL_F_* for attaching regions */
	uint32_t mode;
	uint32_t next_serial;	/* anonymous sets */
	struct pktpool__set_desc d;	/* private copy: config, lists as last seen */
	struct member_priv m[PKTPOOL_SET_MEMBERS_MAX];
	/* listed regions this process let go of while idle (trim) and
	 * attaches again only when it needs them */
	uint32_t parked[PKTPOOL_SET_MEMBERS_MAX];
	uint32_t nparked;
	struct pktpool_set *set;
	struct pktpool__set *next_live;	/* every live set, for fork */
};

/* ------------------------------------------------------------------ */
/* fork: the child gets a set whose mutex another thread may have held. */

static pthread_mutex_t live_lock = PTHREAD_MUTEX_INITIALIZER;
static struct pktpool__set *live;
static pthread_once_t atfork_once = PTHREAD_ONCE_INIT;

static void fork_prepare(void)
{
	struct pktpool__set *p;

	pthread_mutex_lock(&live_lock);
	for (p = live; p; p = p->next_live)
		pthread_mutex_lock(&p->lock);
}

static void fork_done(void)
{
	struct pktpool__set *p;

	for (p = live; p; p = p->next_live)
		pthread_mutex_unlock(&p->lock);
	pthread_mutex_unlock(&live_lock);
}

static void atfork_register(void)
{
	pthread_atfork(fork_prepare, fork_done, fork_done);
}

static void live_add(struct pktpool__set *pv)
{
	pthread_once(&atfork_once, atfork_register);
	pthread_mutex_lock(&live_lock);
	pv->next_live = live;
	live = pv;
	pthread_mutex_unlock(&live_lock);
}

static void live_del(struct pktpool__set *pv)
{
	struct pktpool__set **pp;

	pthread_mutex_lock(&live_lock);
	for (pp = &live; *pp; pp = &(*pp)->next_live)
		if (*pp == pv) {
			*pp = pv->next_live;
			break;
		}
	pthread_mutex_unlock(&live_lock);
}

/* Slow paths take locks and may wait: no cancellation inside. */
static void lock_set(struct pktpool__set *pv, int *cs)
{
	pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, cs);
	pthread_mutex_lock(&pv->lock);
}

static void unlock_set(struct pktpool__set *pv, int cs)
{
	pthread_mutex_unlock(&pv->lock);
	pthread_setcancelstate(cs, &cs);
}

/* ------------------------------------------------------------------ */
/* Names and the descriptor file. */

static bool set_name_valid(const char *name)
{
	size_t i, len = strnlen(name, PKTPOOL_SET_NAME_MAX);

	if (len == 0 || len >= PKTPOOL_SET_NAME_MAX)
		return false;
	for (i = 0; i < len; i++) {
		char c = name[i];

		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '_' || c == '-'))
			return false;
	}
	return true;
}

static void desc_path(char *buf, size_t len, const char *name)
{
	snprintf(buf, len, PKTPOOL_SETD_DIR "/" PKTPOOL_SETD_PREFIX "%s", name);
}

static void region_name(char *buf, size_t len, const char *set,
			uint32_t serial)
{
	snprintf(buf, len, "%s-%x", set, serial);
}

/* Whole-file OFD lock: F_RDLCK, F_WRLCK or F_UNLCK. */
static int desc_lock(struct pktpool__set *pv, short type)
{
	struct flock fl = { .l_type = type, .l_whence = SEEK_SET };

	if (type != F_UNLCK && pv->pid != getpid()) {
		char path[PKTPOOL_SET_NAME_MAX + 32];
		int fd;

		/* forked: our own open file, or the parent's lock is ours */
		desc_path(path, sizeof(path), pv->name);
		fd = open(path, O_RDWR | O_CLOEXEC);
		if (fd < 0)
			return -errno;
		close(pv->fd);
		pv->fd = fd;
		pv->pid = getpid();
	}
	while (fcntl(pv->fd, F_OFD_SETLKW, &fl)) {
		if (errno != EINTR)
			return -errno;
	}
	return 0;
}

static int desc_read(int fd, struct pktpool__set_desc *d)
{
	ssize_t n = pread(fd, d, sizeof(*d), 0);

	if (n < 0)
		return -errno;
	if (n == 0)
		return -EAGAIN;		/* fallback create: not written yet */
	return n == (ssize_t)sizeof(*d) ? 0 : -EUCLEAN;
}

static int desc_write(int fd, const struct pktpool__set_desc *d)
{
	ssize_t n = pwrite(fd, d, sizeof(*d), 0);

	if (n < 0)
		return -errno;
	return n == (ssize_t)sizeof(*d) ? 0 : -EIO;
}

/* Geometry, alignment and placement, from a config or a descriptor copy. */
static int check_classes(uint32_t nclasses, const struct pktpool_set_class *c,
			 uint32_t align, uint32_t flags, uint32_t node)
{
	struct pktpool_layout lay;
	uint32_t i;

	if (nclasses == 0 || nclasses > PKTPOOL_SET_CLASSES_MAX)
		return -EINVAL;
	if (align && (align < 64 || align > 4096 || (align & (align - 1))))
		return -EINVAL;
	if ((flags & PKTPOOL_SET_F_NODE) ? node >= 1024 : node != 0)
		return -EINVAL;
	for (i = 0; i < nclasses; i++) {
		if (pktpool_layout(c[i].slot_size, c[i].slot_count, &lay))
			return -EINVAL;
		if (i && c[i].slot_size <= c[i - 1].slot_size)
			return -EINVAL;
		/* slots start on a page, slot_size apart */
		if (align && c[i].slot_size % align)
			return -EINVAL;
	}
	return 0;
}

/*
 * The descriptor copy d, which anyone may have written: 0 when every
 * field is one an honest creator writes, else -EUCLEAN. With mine (the
 * copy we attached with) the config must also be the same.
 */
static int desc_check(const struct pktpool__set_desc *d, const struct pktpool__set_desc *mine)
{
	uint32_t c, i, j, k;

	if (d->magic != PKTPOOL_SETD_MAGIC || d->version != PKTPOOL_SETD_VERSION ||
	    d->size != sizeof(*d) || (d->flags & ~PKTPOOL_SET_F_ALL) ||
	    d->grow_max == 0 || d->grow_max > PKTPOOL_SET_REGIONS_MAX ||
	    d->grow_step > PKTPOOL_SLOT_COUNT_MAX ||
	    d->grow_factor > PKTPOOL_SETD_FACTOR_MAX ||
	    check_classes(d->nclasses, d->cls, d->align, d->flags,
			  d->numa_node))
		return -EUCLEAN;
	for (c = 0; c < PKTPOOL_SET_CLASSES_MAX; c++) {
		uint32_t n = d->reg[c].n;

		if (c >= d->nclasses ? n != 0 : n == 0 || n > d->grow_max)
			return -EUCLEAN;
		for (i = 0; i < n; i++) {
			uint32_t s = d->reg[c].serial[i];

			if (s >= d->next_serial)
				return -EUCLEAN;
			/* unique over every list (bounded: 64 x 64) */
			for (k = 0; k <= c; k++)
				for (j = 0; j < (k == c ? i : d->reg[k].n); j++)
					if (d->reg[k].serial[j] == s)
						return -EUCLEAN;
		}
	}
	if (mine && (d->nclasses != mine->nclasses ||
		     d->flags != mine->flags ||
		     d->grow_max != mine->grow_max ||
		     d->grow_step != mine->grow_step ||
		     d->grow_factor != mine->grow_factor ||
		     d->align != mine->align || d->numa_node != mine->numa_node ||
		     memcmp(d->cls, mine->cls, sizeof(d->cls))))
		return -EUCLEAN;
	return 0;
}

/* Read and check the descriptor; the caller holds its lock. */
static int desc_load(struct pktpool__set *pv, struct pktpool__set_desc *d)
{
	int err = desc_read(pv->fd, d);

	return err ? err : desc_check(d, &pv->d);
}

/* ------------------------------------------------------------------ */
/* The member table: base/len/pool of the handle and pv->m[], same index. */

static int find_serial(const struct pktpool_set *s, uint32_t serial)
{
	uint32_t i, n = atomic_load_explicit(&s->nmembers,
					     memory_order_acquire);

	for (i = 0; i < n; i++)
		if (s->priv->m[i].serial == serial)
			return (int)i;
	return -1;
}

/* Called with the set's mutex held. */
static int member_add(struct pktpool_set *s, struct pktpool *p,
		      uint32_t serial, uint32_t cls)
{
	uint32_t n = atomic_load_explicit(&s->nmembers, memory_order_relaxed);

	if (n >= PKTPOOL_SET_MEMBERS_MAX)
		return -ENOSPC;
	if (s->priv->d.flags & PKTPOOL_SET_F_PREFAULT) {
		int err = pktpool_prefault(p, (s->priv->d.flags &
					       PKTPOOL_SET_F_MLOCK) ?
					   PKTPOOL_PREFAULT_MLOCK : 0);

		if (err)
			return err;
	}
	s->base[n] = (uintptr_t)pktpool_idx_to_ptr(p, 0);
	s->len[n] = (uint64_t)pktpool_slot_count(p) * pktpool_slot_size(p);
	s->pool[n] = p;
	s->priv->m[n].serial = serial;
	s->priv->m[n].cls = cls;
	s->priv->m[n].retired = false;
	/* release pairs with the acquire loads of nmembers (the inline
	 * free, find_serial): the entry is written */
	atomic_store_explicit(&s->nmembers, n + 1, memory_order_release);
	return (int)n;
}

/* Detach entry i and close the gap. Only while no other thread uses the
 * set (trim, detach): the inline free reads the table unlocked. */
static void member_drop(struct pktpool_set *s, uint32_t i)
{
	uint32_t n = atomic_load_explicit(&s->nmembers, memory_order_relaxed);

	pktpool_detach(s->pool[i]);
	memmove(&s->base[i], &s->base[i + 1], (n - i - 1) * sizeof(s->base[0]));
	memmove(&s->len[i], &s->len[i + 1], (n - i - 1) * sizeof(s->len[0]));
	memmove(&s->pool[i], &s->pool[i + 1], (n - i - 1) * sizeof(s->pool[0]));
	memmove(&s->priv->m[i], &s->priv->m[i + 1],
		(n - i - 1) * sizeof(s->priv->m[0]));
	atomic_store_explicit(&s->nmembers, n - 1, memory_order_release);
}

/* Point cur[c] at the first region listed for class c. */
static void reset_cur(struct pktpool_set *s, uint32_t c)
{
	struct pktpool__set *pv = s->priv;
	uint32_t i;

	for (i = 0; i < pv->d.reg[c].n; i++) {
		int k = find_serial(s, pv->d.reg[c].serial[i]);

		if (k >= 0) {
			/* release pairs with the inline alloc's acquire */
			__atomic_store_n(&s->cur[c], s->pool[k],
					 __ATOMIC_RELEASE);
			return;
		}
	}
}

/* Attach region serial for class c; -EUCLEAN when it is not one. */
static int attach_member(struct pktpool_set *s, uint32_t serial, uint32_t c)
{
	struct pktpool__set *pv = s->priv;
	char name[PKTPOOL_NAME_MAX];
	struct pktpool *p;
	int err;

	region_name(name, sizeof(name), pv->name, serial);
	err = pktpool_attach(name, pv->rflags, &p);
	if (err)
		return err == -ENOENT ? -EUCLEAN : err;
	if (pktpool_slot_size(p) != pv->d.cls[c].slot_size) {
		pktpool_detach(p);
		return -EUCLEAN;
	}
	err = member_add(s, p, serial, c);
	if (err < 0) {
		pktpool_detach(p);
		return err;
	}
	return 0;
}

static bool listed(const struct pktpool__set_desc *d, uint32_t serial)
{
	uint32_t c, i;

	for (c = 0; c < d->nclasses; c++)
		for (i = 0; i < d->reg[c].n; i++)
			if (d->reg[c].serial[i] == serial)
				return true;
	return false;
}

static bool parked(const struct pktpool__set *pv, uint32_t serial)
{
	uint32_t i;

	for (i = 0; i < pv->nparked; i++)
		if (pv->parked[i] == serial)
			return true;
	return false;
}

/*
 * Bring the table in line with the descriptor copy d (already checked):
 * attach what is listed and not mapped (parked regions too when all),
 * retire what is mapped and no longer listed. The first error, but
 * everything possible is done.
 */
static int sync_to(struct pktpool_set *s, const struct pktpool__set_desc *d, bool all)
{
	struct pktpool__set *pv = s->priv;
	uint32_t c, i, n;
	int err, first = 0;

	pv->d = *d;
	for (i = 0; i < pv->nparked;)
		if (all || !listed(d, pv->parked[i]))
			pv->parked[i] = pv->parked[--pv->nparked];
		else
			i++;
	for (c = 0; c < d->nclasses; c++)
		for (i = 0; i < d->reg[c].n; i++) {
			if (find_serial(s, d->reg[c].serial[i]) >= 0 ||
			    parked(pv, d->reg[c].serial[i]))
				continue;
			err = attach_member(s, d->reg[c].serial[i], c);
			if (err && !first)
				first = err;
		}
	n = atomic_load_explicit(&s->nmembers, memory_order_relaxed);
	for (i = 0; i < n; i++) {
		struct member_priv *m = &pv->m[i];
		uint32_t j, cnt = d->reg[m->cls].n;

		for (j = 0; j < cnt; j++)
			if (d->reg[m->cls].serial[j] == m->serial)
				break;
		m->retired = j == cnt;
	}
	for (c = 0; c < d->nclasses; c++) {
		struct pktpool *p = __atomic_load_n(&s->cur[c],
						    __ATOMIC_RELAXED);

		for (i = 0; i < n; i++)
			if (s->pool[i] == p && !pv->m[i].retired)
				break;
		if (i == n)
			reset_cur(s, c);
	}
	return first;
}

/* Re-read a named set's descriptor. Mutex held. */
static int sync_named(struct pktpool_set *s, bool all)
{
	struct pktpool__set *pv = s->priv;
	struct pktpool__set_desc d;
	int err;

	if (pv->fd < 0)
		return 0;
	err = desc_lock(pv, F_RDLCK);
	if (err)
		return err;
	err = desc_load(pv, &d);
	if (!err)
		err = sync_to(s, &d, all);
	desc_lock(pv, F_UNLCK);
	return err;
}

/* ------------------------------------------------------------------ */
/* Growth. */

/* Slots of the k-th region of class c (k >= 1: an added one). */
static uint32_t grown_count(const struct pktpool__set_desc *d, uint32_t c, uint32_t k)
{
	uint64_t n = d->grow_step ? d->grow_step : d->cls[c].slot_count;
	uint32_t f = d->grow_factor ? d->grow_factor : 1, i;
	struct pktpool_layout lay;

	for (i = 1; i < k && n < PKTPOOL_SLOT_COUNT_MAX; i++)
		n *= f;
	if (n > PKTPOOL_SLOT_COUNT_MAX)
		n = PKTPOOL_SLOT_COUNT_MAX;
	/* at most what fits a region */
	while (n > 1 && pktpool_layout(d->cls[c].slot_size, (uint32_t)n, &lay))
		n /= 2;
	return (uint32_t)n;
}

static int make_region(struct pktpool__set *pv, uint32_t serial,
		       uint32_t slot_size, uint32_t count, struct pktpool **p)
{
	char name[PKTPOOL_NAME_MAX];
	struct pktpool_config cfg = {
		.slot_size = slot_size, .slot_count = count,
		.flags = pv->rflags, .mode = pv->mode,
	};
	int err;

	if (pv->fd >= 0 || pv->name[0]) {
		region_name(name, sizeof(name), pv->name, serial);
		cfg.name = name;
	}
	err = pktpool_create(&cfg, p);
	if (err || !(pv->d.flags & PKTPOOL_SET_F_NODE))
		return err;
	/* before anything faults its slots in */
	err = pktpool_bind_node(*p, (int)pv->d.numa_node, 0);
	if (err) {
		pktpool_detach(*p);
		if (cfg.name)
			pktpool_unlink(cfg.name);
	}
	return err;
}

/*
 * Add a region to class c, if the policy allows one. Mutex held; for a
 * named set under the descriptor's exclusive lock, after syncing, so the
 * count is everyone's. 0 (added, or another process added one: try
 * again), -ENOMEM at the maximum, or the error.
 */
static int grow(struct pktpool_set *s, uint32_t c)
{
	struct pktpool__set *pv = s->priv;
	struct pktpool__set_desc d = pv->d;
	struct pktpool *p;
	uint32_t serial, n, seq;
	int err;

	if (pv->fd >= 0) {
		err = desc_lock(pv, F_WRLCK);
		if (err)
			return err;
		err = desc_load(pv, &d);
		if (err)
			goto out;
		seq = pv->d.seq;
		err = sync_to(s, &d, true);
		if (err)
			goto out;
		if (d.seq != seq)
			goto out;	/* something changed: try it first */
	}
	n = d.reg[c].n;
	err = -ENOMEM;
	if (n >= d.grow_max)
		goto out;
	serial = pv->fd >= 0 ? d.next_serial : pv->next_serial;
	if (serial == PKTPOOL_SETD_NONE)
		goto out;
	if (pv->fd >= 0) {
		/* the serial is spent before its region exists: a name is
		 * never made twice, even if we die right here */
		d.next_serial = serial + 1;
		err = desc_write(pv->fd, &d);
		if (err)
			goto out;
	}
	pv->next_serial = serial + 1;
	err = make_region(pv, serial, d.cls[c].slot_size,
			  grown_count(&d, c, n), &p);
	if (err)
		goto out;
	err = member_add(s, p, serial, c);
	if (err < 0) {
		pktpool_detach(p);
		goto unlink;
	}
	d.reg[c].serial[n] = serial;
	d.reg[c].n = n + 1;
	d.seq++;
	if (pv->fd >= 0) {
		err = desc_write(pv->fd, &d);
		if (err) {
			member_drop(s, (uint32_t)find_serial(s, serial));
			goto unlink;
		}
	}
	pv->d = d;
	err = 0;
	goto out;
unlink:
	if (pv->fd >= 0) {
		char name[PKTPOOL_NAME_MAX];

		region_name(name, sizeof(name), pv->name, serial);
		pktpool_unlink(name);
	}
out:
	if (pv->fd >= 0)
		desc_lock(pv, F_UNLCK);
	return err;
}

/* A slot from any listed region of class c, or NULL. site: the caller
 * of the public call, for debug records. */
static void *alloc_listed(struct pktpool_set *s, uint32_t c,
			  const void *site)
{
	struct pktpool__set *pv = s->priv;
	uint32_t i;

	for (i = 0; i < pv->d.reg[c].n; i++) {
		int k = find_serial(s, pv->d.reg[c].serial[i]);
		void *obj;

		if (k < 0)
			continue;
		obj = pktpool__alloc_at(s->pool[k], site);
		if (obj) {
			/* release pairs with the inline alloc's acquire */
			__atomic_store_n(&s->cur[c], s->pool[k],
					 __ATOMIC_RELEASE);
			return obj;
		}
	}
	return NULL;
}

static void *alloc_class(struct pktpool_set *s, uint32_t c,
			 const void *site)
{
	void *obj;
	int tries;

	/* bounded: each round either allocates, grows, or learns of
	 * another process's growth */
	for (tries = 0; tries < 2 * PKTPOOL_SET_REGIONS_MAX; tries++) {
		obj = alloc_listed(s, c, site);
		if (obj)
			return obj;
		if (tries == 0 && sync_named(s, true) == 0)
			continue;
		if (grow(s, c))
			return NULL;
	}
	return NULL;
}

static void *set_alloc_slow_at(struct pktpool_set *s, unsigned int cls,
			       const void *site)
{
	struct pktpool__set *pv = s->priv;
	void *obj = NULL;
	uint32_t c;
	int cs;

	lock_set(pv, &cs);
	for (c = cls; c < s->nclasses; c++) {
		obj = alloc_class(s, c, site);
		if (obj || !(pv->d.flags & PKTPOOL_SET_F_SPILL))
			break;
	}
	unlock_set(pv, cs);
	if (!obj)
		errno = ENOMEM;
	return obj;
}

EXPORT void *pktpool__set_alloc_slow(struct pktpool_set *s, unsigned int cls)
{
	/* the inline pktpool_set_alloc() called us from its caller */
	return set_alloc_slow_at(s, cls, __builtin_return_address(0));
}

EXPORT void *pktpool__set_bad_size(struct pktpool_set *s)
{
	errno = s ? EMSGSIZE : EINVAL;
	return NULL;
}

/* pktpool_set_alloc() for calloc and realloc: their caller is the site. */
static void *set_alloc_at(struct pktpool_set *s, size_t bytes,
			  const void *site)
{
	struct pktpool *p;
	void *obj;
	uint32_t c;

	if (!s || bytes > s->max_size)
		return pktpool__set_bad_size(s);
	c = s->cls_of[(bytes + 63) >> 6];
	/* acquire pairs with the release store of cur (alloc_listed) */
	p = __atomic_load_n(&s->cur[c], __ATOMIC_ACQUIRE);
	/* the inline path when it applies: a debug handle never publishes
	 * its thread cache to it, so this takes no record */
	obj = pktpool__handle_ok(p) && pktpool__tls.tc[p->hid] ?
	      pktpool_alloc(p) : pktpool__alloc_at(p, site);
	if (obj)
		return obj;
	return set_alloc_slow_at(s, c, site);
}

/* ------------------------------------------------------------------ */
/* Create, attach, detach, unlink. */

static int check_config(const struct pktpool_set_config *cfg)
{
	uint32_t i;

	if (!cfg || (cfg->flags & ~PKTPOOL_SET_F_ALL) || cfg->mode > 07777 ||
	    cfg->grow_max > PKTPOOL_SET_REGIONS_MAX ||
	    cfg->grow_step > PKTPOOL_SLOT_COUNT_MAX ||
	    cfg->grow_factor > PKTPOOL_SETD_FACTOR_MAX)
		return -EINVAL;
	if (cfg->name && cfg->name[0] && !set_name_valid(cfg->name))
		return -EINVAL;
	for (i = 0; i < sizeof(cfg->__reserved) / sizeof(cfg->__reserved[0]); i++)
		if (cfg->__reserved[i])
			return -EINVAL;
	for (i = cfg->nclasses; i < PKTPOOL_SET_CLASSES_MAX && cfg->nclasses <=
	     PKTPOOL_SET_CLASSES_MAX; i++)
		if (cfg->cls[i].slot_size || cfg->cls[i].slot_count)
			return -EINVAL;
	return check_classes(cfg->nclasses, cfg->cls, cfg->align, cfg->flags,
			     cfg->numa_node);
}

static struct pktpool_set *set_new(void)
{
	struct pktpool_set *s;
	struct pktpool__set *pv;

	s = aligned_alloc(64, (sizeof(*s) + 63) & ~(size_t)63);
	pv = calloc(1, sizeof(*pv));
	if (!s || !pv) {
		free(s);
		free(pv);
		return NULL;
	}
	memset(s, 0, sizeof(*s));
	pthread_mutex_init(&pv->lock, NULL);
	pv->fd = -1;
	pv->pid = getpid();
	pv->set = s;
	s->priv = pv;
	return s;
}

/* Detach every region, close, free. */
static void set_destroy(struct pktpool_set *s)
{
	struct pktpool__set *pv = s->priv;

	while (atomic_load_explicit(&s->nmembers, memory_order_relaxed))
		member_drop(s, 0);
	if (pv->fd >= 0)
		close(pv->fd);
	pthread_mutex_destroy(&pv->lock);
	free(pv);
	free(s);
}

static void set_publish_classes(struct pktpool_set *s)
{
	bool debug = (s->priv->rflags & PKTPOOL_F_DEBUG) ||
		     pktpool__env_debug();
	uint32_t b, c;

	s->nclasses = s->priv->d.nclasses;
	for (c = 0; c < s->nclasses; c++) {
		s->size[c] = s->priv->d.cls[c].slot_size;
		/* debug: each slot's last PKTPOOL_DEBUG_TRAILER bytes are the
		 * library's; a class serves what is left, in 64-byte steps
		 * as cls_of[] counts (a 64-byte class: 0-byte requests) */
		if (debug)
			s->size[c] = (s->size[c] - PKTPOOL_DEBUG_TRAILER) &
				     ~(PKTPOOL_SLOT_ALIGN - 1);
		reset_cur(s, c);
	}
	s->max_size = s->size[s->nclasses - 1];
	/* the smallest class holding b * 64 bytes (so any of the 64
	 * sizes that round up to it) */
	for (b = 0, c = 0; b <= s->max_size / 64; b++) {
		while (s->size[c] < b * 64)
			c++;
		s->cls_of[b] = (uint8_t)c;
	}
}

static int create(const struct pktpool_set_config *cfg,
		  struct pktpool_set **out)
{
	char path[PKTPOOL_SET_NAME_MAX + 32], name[PKTPOOL_NAME_MAX];
	bool named = cfg->name && cfg->name[0];
	struct pktpool_set *s;
	struct pktpool__set *pv;
	struct pktpool__set_desc *d;
	struct pktpool *p;
	struct stat st;
	uint32_t c;
	int err;

	s = set_new();
	if (!s)
		return -ENOMEM;
	pv = s->priv;
	d = &pv->d;
	d->magic = PKTPOOL_SETD_MAGIC;
	d->version = PKTPOOL_SETD_VERSION;
	d->size = sizeof(*d);
	d->nclasses = cfg->nclasses;
	d->flags = cfg->flags;
	d->grow_max = cfg->grow_max ? cfg->grow_max : 1;
	d->grow_step = cfg->grow_step;
	d->grow_factor = cfg->grow_factor;
	memcpy(d->cls, cfg->cls, sizeof(d->cls));
	d->align = cfg->align;
	d->numa_node = cfg->numa_node;
	pv->rflags = cfg->flags & PKTPOOL_F_ALL;
	pv->mode = cfg->mode ? cfg->mode : 0600;
	if (named) {
		strcpy(pv->name, cfg->name);
		desc_path(path, sizeof(path), cfg->name);
		if (stat(path, &st) == 0) {
			err = -EEXIST;	/* early; linkat() decides */
			goto fail;
		}
	}
	for (c = 0; c < cfg->nclasses; c++) {
		err = make_region(pv, c, cfg->cls[c].slot_size,
				  cfg->cls[c].slot_count, &p);
		if (err)
			goto fail;
		err = member_add(s, p, c, c);
		if (err < 0) {
			pktpool_detach(p);
			if (named) {
				region_name(name, sizeof(name), pv->name, c);
				pktpool_unlink(name);
			}
			goto fail;
		}
		d->reg[c].n = 1;
		d->reg[c].serial[0] = c;
	}
	d->next_serial = pv->next_serial = cfg->nclasses;
	if (named) {
		/* nameless until whole, then linked: no one sees it half
		 * written, and the link fails if the name was taken */
		pv->fd = open(PKTPOOL_SETD_DIR, O_TMPFILE | O_RDWR | O_CLOEXEC, pv->mode);
		if (pv->fd < 0) {
			err = -errno;
			goto fail;
		}
		if (fchmod(pv->fd, pv->mode)) {
			err = -errno;
			goto fail;
		}
		err = desc_write(pv->fd, d);
		if (err)
			goto fail;
		if (linkat(pv->fd, "", AT_FDCWD, path, AT_EMPTY_PATH)) {
			char self[64];

			snprintf(self, sizeof(self), "/proc/self/fd/%d",
				 pv->fd);
			if (linkat(AT_FDCWD, self, AT_FDCWD, path,
				   AT_SYMLINK_FOLLOW)) {
				err = -errno;
				goto fail;
			}
		}
	}
	set_publish_classes(s);
	live_add(pv);
	*out = s;
	return 0;
fail:
	if (named) {
		uint32_t i, n = atomic_load_explicit(&s->nmembers,
						     memory_order_relaxed);

		for (i = 0; i < n; i++) {
			region_name(name, sizeof(name), pv->name,
				    pv->m[i].serial);
			pktpool_unlink(name);
		}
	}
	set_destroy(s);
	return err;
}

EXPORT int pktpool_set_create(const struct pktpool_set_config *cfg,
			      struct pktpool_set **out)
{
	int err, cs;

	err = check_config(cfg);
	if (err)
		return err;
	if (!out)
		return -EINVAL;
	pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, &cs);
	err = create(cfg, out);
	pthread_setcancelstate(cs, &cs);
	return err;
}

static int attach(const char *name, uint32_t flags, struct pktpool_set **out)
{
	char path[PKTPOOL_SET_NAME_MAX + 32];
	struct pktpool_set *s;
	struct pktpool__set *pv;
	struct pktpool__set_desc d;
	int err;

	s = set_new();
	if (!s)
		return -ENOMEM;
	pv = s->priv;
	strcpy(pv->name, name);
	pv->rflags = flags;
	desc_path(path, sizeof(path), name);
	pv->fd = open(path, O_RDWR | O_CLOEXEC);
	if (pv->fd < 0) {
		err = -errno;
		goto fail;
	}
	err = desc_lock(pv, F_RDLCK);
	if (err)
		goto fail;
	err = desc_read(pv->fd, &d);
	if (!err)
		err = desc_check(&d, NULL);
	if (!err) {
		pv->d = d;
		err = sync_to(s, &d, true);
	}
	desc_lock(pv, F_UNLCK);
	if (err)
		goto fail;
	pv->rflags |= d.flags & PKTPOOL_F_DEBUG;
	pv->next_serial = PKTPOOL_SETD_NONE;
	set_publish_classes(s);
	live_add(pv);
	*out = s;
	return 0;
fail:
	set_destroy(s);
	return err;
}

EXPORT int pktpool_set_attach(const char *name, uint32_t flags,
			      struct pktpool_set **out)
{
	int err, cs;

	if (!name || !out || (flags & ~PKTPOOL_F_ALL) || !set_name_valid(name))
		return -EINVAL;
	pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, &cs);
	err = attach(name, flags, out);
	pthread_setcancelstate(cs, &cs);
	return err;
}

EXPORT int pktpool_set_detach(struct pktpool_set *s)
{
	int cs;

	if (!s)
		return -EINVAL;
	pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, &cs);
	live_del(s->priv);
	set_destroy(s);
	pthread_setcancelstate(cs, &cs);
	return 0;
}

EXPORT int pktpool_set_unlink(const char *name)
{
	char path[PKTPOOL_SET_NAME_MAX + 32], rname[PKTPOOL_NAME_MAX];
	struct pktpool__set pv = { .pid = getpid() };
	struct pktpool__set_desc d;
	uint32_t c, i;
	int err, cs;

	if (!name || !set_name_valid(name))
		return -EINVAL;
	strcpy(pv.name, name);
	desc_path(path, sizeof(path), name);
	pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, &cs);
	pv.fd = open(path, O_RDWR | O_CLOEXEC);
	if (pv.fd < 0) {
		err = -errno;
		goto out;
	}
	err = desc_lock(&pv, F_WRLCK);
	if (!err) {
		err = desc_read(pv.fd, &d);
		if (!err)
			err = desc_check(&d, NULL);
		/* the regions it lists, only if it checks out; the name
		 * goes either way, so it can be made again */
		for (c = 0; !err && c < d.nclasses; c++)
			for (i = 0; i < d.reg[c].n; i++) {
				region_name(rname, sizeof(rname), name,
					    d.reg[c].serial[i]);
				pktpool_unlink(rname);
			}
		if (unlink(path) && !err)
			err = -errno;
		desc_lock(&pv, F_UNLCK);
	}
	close(pv.fd);
out:
	pthread_setcancelstate(cs, &cs);
	return err;
}

/* ------------------------------------------------------------------ */
/* calloc, realloc, references. */

/* Entry of the table holding obj, or -1. */
static int member_of(struct pktpool_set *s, const void *obj)
{
	uint32_t i, n = atomic_load_explicit(&s->nmembers,
					     memory_order_acquire);

	for (i = 0; i < n; i++)
		if ((uintptr_t)obj - s->base[i] < s->len[i])
			return (int)i;
	return -1;
}

EXPORT void *pktpool_set_calloc(struct pktpool_set *s, size_t n, size_t size)
{
	size_t bytes;
	void *obj;

	if (__builtin_mul_overflow(n, size, &bytes)) {
		errno = s ? EMSGSIZE : EINVAL;
		return NULL;
	}
	obj = set_alloc_at(s, bytes, __builtin_return_address(0));
	if (obj)
		memset(obj, 0, bytes);
	return obj;
}

EXPORT void *pktpool_set_realloc(struct pktpool_set *s, void *obj,
				 size_t bytes)
{
	struct pktpool *from;
	uint32_t idx, old, c;
	void *to;
	int k, err;

	if (!s || !obj)
		return set_alloc_at(s, bytes, __builtin_return_address(0));
	k = member_of(s, obj);
	if (k < 0) {
		errno = EFAULT;
		return NULL;
	}
	from = s->pool[k];
	err = pktpool_ptr_to_idx(from, obj, &idx);
	if (err) {
		errno = -err;
		return NULL;
	}
	for (c = 0; c < s->nclasses; c++)
		if (bytes <= s->size[c])
			break;
	if (c == s->nclasses) {
		errno = EMSGSIZE;
		return NULL;
	}
	old = pktpool_usable_size(from);
	if (c == s->priv->m[k].cls)
		return obj;
	to = set_alloc_at(s, bytes, __builtin_return_address(0));
	if (!to)
		return NULL;
	memcpy(to, obj, bytes < old ? bytes : old);
	err = pktpool_free(from, obj);
	if (err) {
		/* obj was not the caller's to move (a double free, ...):
		 * leave it as it was */
		pktpool_set_free(s, to);
		errno = -err;
		return NULL;
	}
	return to;
}

EXPORT size_t pktpool_set_usable_size(struct pktpool_set *s, const void *obj)
{
	int k;

	if (!s)
		return 0;
	k = member_of(s, obj);
	return k < 0 ? 0 : pktpool_usable_size(s->pool[k]);
}

EXPORT int pktpool_set_ptr_to_ref(struct pktpool_set *s, const void *obj,
				  uint64_t *ref)
{
	uint32_t idx;
	int k, err;

	if (!s || !ref)
		return -EINVAL;
	k = member_of(s, obj);
	if (k < 0)
		return -EFAULT;
	err = pktpool_ptr_to_idx(s->pool[k], obj, &idx);
	if (err)
		return err;
	*ref = (uint64_t)s->priv->m[k].serial << 32 | idx;
	return 0;
}

EXPORT int pktpool_set_ref_to_ptr(struct pktpool_set *s, uint64_t ref,
				  void **obj)
{
	uint32_t serial = (uint32_t)(ref >> 32);
	void *p;
	int k, cs;

	if (!s || !obj)
		return -EINVAL;
	k = find_serial(s, serial);
	if (k < 0) {
		/* a region another process added since we last looked */
		lock_set(s->priv, &cs);
		sync_named(s, true);
		k = find_serial(s, serial);
		unlock_set(s->priv, cs);
		if (k < 0)
			return -ENOENT;
	}
	p = pktpool_idx_to_ptr(s->pool[k], (uint32_t)ref);
	if (!p)
		return -EINVAL;
	*obj = p;
	return 0;
}

/* ------------------------------------------------------------------ */
/* Trim and statistics. */

/*
 * Processes attached to p when nothing of it is in use (our thread's
 * cache flushed, slots of dead processes reclaimed), else 0.
 */
static uint32_t idle_procs(struct pktpool *p)
{
	struct pktpool_stats st;

	pktpool_flush_cache(p);
	pktpool_reclaim(p, 0, 0);
	if (pktpool_stats(p, &st) || st.in_use != 0)
		return 0;
	return st.procs ? st.procs : 1;
}

/* Remove serial from class c's list in d. */
static void list_del(struct pktpool__set_desc *d, uint32_t c, uint32_t serial)
{
	uint32_t i, n = d->reg[c].n;

	for (i = 0; i < n; i++)
		if (d->reg[c].serial[i] == serial) {
			memmove(&d->reg[c].serial[i], &d->reg[c].serial[i + 1],
				(n - i - 1) * sizeof(uint32_t));
			d->reg[c].n = n - 1;
			d->seq++;
			return;
		}
}

/*
 * An added region nothing is in use of leaves this process; when no
 * other process has it attached it also leaves the set (unlisted, name
 * removed) and its memory goes back when the last mapping does.
 */
EXPORT int pktpool_set_trim(struct pktpool_set *s)
{
	struct pktpool__set *pv;
	char name[PKTPOOL_NAME_MAX];
	struct pktpool__set_desc d;
	uint32_t i, c, procs;
	int err = 0, dropped = 0, cs;

	if (!s)
		return -EINVAL;
	pv = s->priv;
	lock_set(pv, &cs);
	if (pv->fd >= 0) {
		err = desc_lock(pv, F_WRLCK);
		if (err)
			goto out;
		err = desc_load(pv, &d);
		if (!err)
			err = sync_to(s, &d, false);
		if (err)
			goto unlock;
	}
	d = pv->d;
	for (i = atomic_load_explicit(&s->nmembers, memory_order_relaxed);
	     i-- > 0;) {
		struct member_priv *m = &pv->m[i];

		c = m->cls;
		if (!m->retired && d.reg[c].serial[0] == m->serial)
			continue;	/* a class's first region stays */
		procs = idle_procs(s->pool[i]);
		if (!procs)
			continue;
		if (!m->retired) {
			if (procs == 1) {
				list_del(&d, c, m->serial);
				if (pv->name[0]) {
					region_name(name, sizeof(name),
						    pv->name, m->serial);
					pktpool_unlink(name);
				}
			} else if (pv->nparked < PKTPOOL_SET_MEMBERS_MAX) {
				pv->parked[pv->nparked++] = m->serial;
			} else {
				continue;
			}
		}
		member_drop(s, i);
		dropped++;
	}
	if (pv->fd >= 0 && d.seq != pv->d.seq) {
		err = desc_write(pv->fd, &d);
		if (err)
			goto unlock;
	}
	pv->d = d;
	/* allocate from first regions again, so added ones drain */
	for (c = 0; c < s->nclasses; c++)
		reset_cur(s, c);
unlock:
	if (pv->fd >= 0)
		desc_lock(pv, F_UNLCK);
out:
	unlock_set(pv, cs);
	return err ? err : dropped;
}

EXPORT int pktpool_set_class_info(struct pktpool_set *s, unsigned int cls,
				  struct pktpool_set_class_info *info)
{
	struct pktpool_stats st;
	uint32_t i, n;
	int cs;

	if (!s || !info || cls >= s->nclasses)
		return -EINVAL;
	memset(info, 0, sizeof(*info));
	info->slot_size = s->priv->d.cls[cls].slot_size;
	lock_set(s->priv, &cs);
	sync_named(s, false);
	n = atomic_load_explicit(&s->nmembers, memory_order_relaxed);
	for (i = 0; i < n; i++) {
		if (s->priv->m[i].cls != cls || s->priv->m[i].retired ||
		    pktpool_stats(s->pool[i], &st))
			continue;
		info->regions++;
		info->slot_count += st.slot_count;
		info->in_use += st.in_use;
		info->free += st.free;
		info->cached += st.cached;
		info->failures += st.failures;
	}
	unlock_set(s->priv, cs);
	return 0;
}

EXPORT int pktpool_set_warm(struct pktpool_set *s, uint32_t flags)
{
	uint32_t i, n, c;
	int err, first = 0, cs;

	if (!s || (flags & ~PKTPOOL_PREFAULT_MLOCK))
		return -EINVAL;
	lock_set(s->priv, &cs);
	n = atomic_load_explicit(&s->nmembers, memory_order_relaxed);
	for (i = 0; i < n; i++) {
		err = pktpool_prefault(s->pool[i], flags);
		if (err && !first)
			first = err;
	}
	for (c = 0; c < s->nclasses; c++) {
		err = pktpool_warm_cache(__atomic_load_n(&s->cur[c],
							 __ATOMIC_RELAXED));
		if (err < 0 && !first)
			first = err;
	}
	unlock_set(s->priv, cs);
	return first;
}
