// SPDX-License-Identifier: MIT
/*
 * Thread caches and the out-of-line alloc/free paths.
 *
 * Each thread that touches a region claims one of the region's thread
 * cache entries. The inline fast path pops and pushes slot indices there;
 * this file refills an empty cache with a batch off the shared list and
 * drains a full one by a batch, so the shared list's cache line is touched
 * once per batch. Entries live in the region so that other processes can
 * read their fill for stats and a survivor can empty those of a dead
 * process.
 *
 * Debug handles and PKTPOOL_F_NOCACHE handles never publish their entry in
 * pktpool__tls, so all their calls come here.
 *
 * Caches are drained when their thread exits (pthread key destructor) and
 * when the handle is detached.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "internal.h"

PKTPOOL_EXPORT __thread struct pktpool__tls pktpool__tls
	__attribute__((tls_model("initial-exec")));

static __thread struct pktpool__thread *self
	__attribute__((tls_model("initial-exec")));

/* Without a cache every call is a slow path: the summary's clock is
 * looked at on every 32nd of this thread's (see publish.c). */
static __thread uint32_t nocache_ops
	__attribute__((tls_model("initial-exec")));

static pthread_key_t thread_key;
static pthread_once_t thread_key_once = PTHREAD_ONCE_INIT;
static struct pktpool__thread *threads;	/* under pktpool__lock */

static void thread_exit(void *arg);

static void thread_key_create(void)
{
	pthread_key_create(&thread_key, thread_exit);
}

/* Called with pktpool__lock held. */
static struct pktpool__thread *thread_self(void)
{
	struct pktpool__thread *t = self;

	if (t)
		return t;
	pthread_once(&thread_key_once, thread_key_create);
	t = calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	t->fast = &pktpool__tls;
	t->tid = (pid_t)syscall(SYS_gettid);
	t->next = threads;
	if (threads)
		threads->prev = t;
	threads = t;
	pthread_setspecific(thread_key, t);
	self = t;
	return t;
}

static void thread_unlink(struct pktpool__thread *t)
{
	if (t->prev)
		t->prev->next = t->next;
	else
		threads = t->next;
	if (t->next)
		t->next->prev = t->prev;
	t->prev = t->next = NULL;
}

/* Allocations served through tc (see struct pktpool__tcache). */
uint64_t pktpool__tcache_allocs(const struct pktpool__tcache *tc)
{
	uint64_t in = atomic_load_explicit(&tc->filled, memory_order_relaxed) +
		      atomic_load_explicit(&tc->frees, memory_order_relaxed);
	uint64_t out = atomic_load_explicit(&tc->drained, memory_order_relaxed);
	uint32_t c = atomic_load_explicit(&tc->count, memory_order_relaxed);

	out += c <= PKTPOOL_CACHE_MAX ? c : 0;
	return in > out ? in - out : 0;
}

static void tcache_zero(struct pktpool__tcache *tc)
{
	atomic_store_explicit(&tc->count, 0, memory_order_relaxed);
	atomic_store_explicit(&tc->transit_op, TRANSIT_NONE,
			      memory_order_relaxed);
	atomic_store_explicit(&tc->mag, PKTPOOL_NIL, memory_order_relaxed);
	atomic_store_explicit(&tc->frees, 0, memory_order_relaxed);
	atomic_store_explicit(&tc->filled, 0, memory_order_relaxed);
	atomic_store_explicit(&tc->drained, 0, memory_order_relaxed);
	atomic_store_explicit(&tc->failures, 0, memory_order_relaxed);
}

/* Fold an entry's counters into the header and give the entry up. */
void pktpool__tcache_release(struct pktpool *p, struct pktpool__tcache *tc)
{
	struct pktpool__hdr *h = p->priv->hdr;

	atomic_fetch_add_explicit(&h->retired_allocs,
		pktpool__tcache_allocs(tc), memory_order_relaxed);
	atomic_fetch_add_explicit(&h->retired_frees,
		atomic_load_explicit(&tc->frees, memory_order_relaxed),
		memory_order_relaxed);
	atomic_fetch_add_explicit(&h->retired_failures,
		atomic_load_explicit(&tc->failures, memory_order_relaxed),
		memory_order_relaxed);
	tcache_zero(tc);
	/* [E] pairs with the acquire CAS of owner in tcache_claim() */
	atomic_store_explicit(&tc->owner, 0, memory_order_release);
}

static struct pktpool__tcache *tcache_claim(struct pktpool *p, pid_t tid)
{
	struct pktpool__tcache *tc;
	uint32_t i, zero;

	for (i = 0; i < PKTPOOL_THREADS_MAX; i++) {
		tc = &p->priv->tcache[i];
		zero = 0;
		if (atomic_load_explicit(&tc->owner, memory_order_relaxed) ||
		    /* [E] pairs with the release store in
		     * pktpool__tcache_release() */
		    !atomic_compare_exchange_strong_explicit(&tc->owner, &zero,
				p->owner, memory_order_acquire,
				memory_order_relaxed))
			continue;
		tcache_zero(tc);
		p->priv->stash[i] = PKTPOOL_NIL;
		atomic_store_explicit(&tc->tid, (uint32_t)tid,
				      memory_order_relaxed);
		return tc;
	}
	return NULL;
}

/*
 * This process's registration in the region: after fork() the child
 * inherits the handle but not the parent's process slot, so it takes its
 * own on first use.
 */
int pktpool__register(struct pktpool *p)
{
	struct pktpool__priv *pv = p->priv;
	int err = 0;

	int cs;

	/* Unlocked first look: another thread of ours may be registering
	 * (after fork); acquire pairs with the release store of owner in
	 * pktpool__proc_claim(). */
	if (PKTPOOL__LIKELY(__atomic_load_n(&pv->owner, __ATOMIC_ACQUIRE) &&
			    __atomic_load_n(&pv->fork_gen, __ATOMIC_RELAXED) ==
			    pktpool__fork_gen))
		return 0;
	pktpool__lock_take(&cs);
	if (!pv->owner || pv->fork_gen != pktpool__fork_gen)
		err = pktpool__proc_claim(p);
	pktpool__lock_give(cs);
	return err;
}

/*
 * The calling thread's cache entry for p, claimed on first use. NULL with
 * *err = -ENOSPC when the region's entries are all taken: the thread then
 * works on the shared list directly.
 */
struct pktpool__tcache *pktpool__thread_cache(struct pktpool *p, int *err)
{
	struct pktpool__thread *t = self;
	struct pktpool__tcache *tc;
	int cs;

	*err = 0;
	if (PKTPOOL__LIKELY(t && t->tc[p->hid]))
		return t->tc[p->hid];
	pktpool__lock_take(&cs);
	t = thread_self();
	if (!t) {
		pktpool__lock_give(cs);
		*err = -ENOMEM;
		return NULL;
	}
	tc = tcache_claim(p, t->tid);
	if (tc) {
		t->tc[p->hid] = tc;
		if (!p->priv->debug && !p->priv->nocache)
			t->fast->tc[p->hid] = tc;
	} else {
		*err = -ENOSPC;
	}
	pktpool__lock_give(cs);
	return tc;
}

/* The calling thread's cache entry for p if it has one; claims none. */
struct pktpool__tcache *pktpool__thread_cache_peek(struct pktpool *p)
{
	struct pktpool__thread *t = self;

	return t ? t->tc[p->hid] : NULL;
}

/*
 * Give the bottom (coldest) count - keep slots of tc to the shared list,
 * skipping any index a hostile writer put there. *left is what the cache
 * holds after, as this thread wrote it (never re-read from the region).
 */
int pktpool__drain(struct pktpool *p, struct pktpool__tcache *tc,
		   uint32_t keep, uint32_t *left)
{
	uint32_t have = atomic_load_explicit(&tc->count, memory_order_relaxed);
	uint32_t chain[PKTPOOL_CACHE_MAX], rest[PKTPOOL_CACHE_MAX];
	uint32_t i, k = 0, m;
	int err = 0;

	if (keep > PKTPOOL_CACHE_MAX)
		keep = PKTPOOL_CACHE_MAX;
	if (have > PKTPOOL_CACHE_MAX) {
		atomic_store_explicit(&tc->count, 0, memory_order_relaxed);
		if (left)
			*left = 0;
		return pktpool__report(p, -EUCLEAN,
			"thread cache count %u exceeds %u; cache dropped",
			have, PKTPOOL_CACHE_MAX);
	}
	if (left)
		*left = have;
	if (have <= keep)
		return 0;
	m = have - keep;
	/* private copies first: the region may change under us */
	memcpy(chain, tc->slot, m * sizeof(chain[0]));
	memcpy(rest, &tc->slot[m], keep * sizeof(rest[0]));
	for (i = 0; i < m; i++) {
		uint32_t idx = chain[i];

		if (idx >= p->slot_count) {
			err = pktpool__report(p, -EUCLEAN,
				"thread cache holds slot %u of %u; skipped",
				idx, p->slot_count);
			continue;
		}
		chain[k++] = idx;
	}
	/* Empty while it is rewritten: a reader (validate, a survivor)
	 * never sees a slot twice, only slots in flight. */
	atomic_store_explicit(&tc->count, 0, memory_order_relaxed);
	atomic_thread_fence(memory_order_release);
	memcpy(tc->slot, rest, keep * sizeof(rest[0]));
	/* pairs with the acquire loads of count by other processes */
	atomic_store_explicit(&tc->count, keep, memory_order_release);
	if (left)
		*left = keep;
	pktpool__add(&tc->drained, m);
	/* whole batches into magazines, the rest (or all, when the depot
	 * has no empty magazine) onto the list */
	i = 0;
	while (k - i >= p->priv->batch && !p->priv->nocache) {
		int e = pktpool__depot_put(p, tc, &chain[i]);

		if (e == -ENOSPC)
			break;
		if (e)
			err = e;
		i += p->priv->batch;
	}
	if (k > i) {
		int e = pktpool__push(p, tc, &chain[i], k - i);

		if (e)
			err = e;
	}
	pktpool__publish_tick(p);
	return err;
}

/* Debug: the slot leaves the cache for a user, who called from site. */
static void debug_hand_out(struct pktpool *p, uint32_t idx, const void *site)
{
	struct pktpool__thread *t = self;
	uint8_t want = TAG(p->owner, TAG_CACHED);

	if (!atomic_compare_exchange_strong_explicit(&p->tag[idx], &want,
			TAG(p->owner, TAG_INUSE), memory_order_relaxed,
			memory_order_relaxed))
		pktpool__report(p, -EUCLEAN,
			"slot %u taken from the cache has tag 0x%02x, not cached",
			idx, want);
	pktpool__poison_check(p, idx);
	pktpool__debug_record(p, idx, site,
			      t ? t->tid : (pid_t)syscall(SYS_gettid));
}

/*
 * One slot for a thread without a cache (entry, or PKTPOOL_F_NOCACHE):
 * off the shared list, or when that is empty out of a full magazine,
 * whose other slots go onto the list.
 */
static int pop_one_locked(struct pktpool *p, struct pktpool__tcache *tc,
			  uint32_t *idx, uint32_t *got)
{
	uint32_t buf[PKTPOOL_BATCH_MAX], k;
	int err, e;

	err = pktpool__pop(p, tc, idx, 1, got);
	if (*got)
		return err;
	e = pktpool__depot_get(p, tc, buf, &k);
	if (!k)
		return e ? e : err;
	*idx = buf[k - 1];
	*got = 1;
	if (k > 1)
		pktpool__push(p, tc, buf, k - 1);
	return 0;
}

static int pop_one(struct pktpool *p, struct pktpool__priv *pv,
		   struct pktpool__tcache *tc, uint32_t *idx, uint32_t *got)
{
	int err;

	if (tc)
		return pop_one_locked(p, tc, idx, got);
	/* one transit record per process for these threads */
	pthread_mutex_lock(&pv->nc_lock);
	err = pop_one_locked(p, NULL, idx, got);
	pthread_mutex_unlock(&pv->nc_lock);
	return err;
}

static int push_one(struct pktpool *p, struct pktpool__priv *pv,
		    struct pktpool__tcache *tc, uint32_t idx)
{
	int err;

	if (tc)
		return pktpool__push(p, tc, &idx, 1);
	pthread_mutex_lock(&pv->nc_lock);
	err = pktpool__push(p, NULL, &idx, 1);
	pthread_mutex_unlock(&pv->nc_lock);
	return err;
}

/* One slot for a caller at site (recorded in debug mode). */
static void *alloc_at(struct pktpool *p, const void *site)
{
	struct pktpool__priv *pv;
	struct pktpool__tcache *tc;
	uint32_t got[PKTPOOL_BATCH_MAX];
	uint32_t idx, n, k;
	int err;

	err = pktpool__handle_get(p, &pv);
	if (!err)
		err = pktpool__register(p);
	if (err) {
		errno = -err;
		return NULL;
	}
	tc = pktpool__thread_cache(p, &err);
	if (!tc || pv->nocache) {
		err = pop_one(p, pv, tc, &idx, &n);
		if (err || !n)
			goto fail;
		/* as if it went through the cache */
		if (tc)
			pktpool__add(&tc->filled, 1);
		else
			atomic_fetch_add_explicit(&pv->hdr->retired_allocs, 1,
						  memory_order_relaxed);
		if (!(++nocache_ops % 32))
			pktpool__publish_tick(p);
		goto out;
	}

	n = atomic_load_explicit(&tc->count, memory_order_relaxed);
	if (n > p->cap) {
		pktpool__report(p, -EUCLEAN,
			"thread cache count %u exceeds %u; cache dropped",
			n, p->cap);
		n = 0;
	}
	while (n) {
		/* debug and no-cache handles come here; others when the
		 * fast path refused a hostile index */
		idx = tc->slot[--n];
		atomic_store_explicit(&tc->count, n, memory_order_relaxed);
		if (idx < p->slot_count)
			goto out;
		pktpool__report(p, -EUCLEAN,
			"thread cache holds slot %u of %u; skipped", idx,
			p->slot_count);
	}
	/*
	 * Refill into private memory: the indices we tag and hand out are
	 * the ones we popped, not what the region says after (anyone who can
	 * write the region could aim our stores anywhere otherwise).
	 */
	err = pktpool__depot_get(p, tc, got, &k);
	if (k == 0) {
		int e = pktpool__pop(p, tc, got, pv->batch, &k);

		if (e || !err)
			err = e;
	}
	pktpool__add(&tc->filled, k);
	if (k == 0) {
		atomic_store_explicit(&tc->count, 0, memory_order_relaxed);
		goto fail;
	}
	memcpy(tc->slot, got, (k - 1) * sizeof(got[0]));
	atomic_store_explicit(&tc->count, k - 1, memory_order_relaxed);
	pktpool__publish_tick(p);
	idx = got[k - 1];
out:
	if (pv->debug)
		debug_hand_out(p, idx, site);
	return slot_ptr(p, idx);
fail:
	if (tc)
		pktpool__add(&tc->failures, 1);
	else
		atomic_fetch_add_explicit(&pv->hdr->shared_failures, 1,
					  memory_order_relaxed);
	pktpool__publish_tick(p);
	errno = err ? -err : ENOMEM;
	return NULL;
}

/* For the library's own callers of an alloc (pool sets): the debug
 * record names site, their caller, not the library. */
void *pktpool__alloc_at(struct pktpool *p, const void *site)
{
	return alloc_at(p, site);
}

PKTPOOL_EXPORT void *pktpool__alloc_slow(struct pktpool *p)
{
	/* inlined pktpool_alloc() called us: this is the caller's code */
	return alloc_at(p, __builtin_return_address(0));
}

/*
 * Make the slot this process's: a slot another process allocated (and
 * handed over) is re-tagged by CAS, the slot's linearization point, so it
 * races safely with a survivor reclaiming the allocator: a slot a
 * reclaimer took first (TAG_RECLAIM) is refused with -ESTALE. In debug
 * mode only a slot handed out (TAG_INUSE) moves; anything else is a
 * double free, refused without touching the tag. 0, -EALREADY (free),
 * -ESTALE, -EBUSY.
 */
static int take_ownership(struct pktpool *p, uint32_t idx, uint8_t *tagp)
{
	uint8_t tag = atomic_load_explicit(&p->tag[idx], memory_order_relaxed);
	bool debug = p->priv->debug;
	int tries;

	for (tries = 0; tries < 64; tries++) {
		uint8_t owner = tag & PKTPOOL__TAG_OWNER;
		uint8_t state = tag & TAG_STATE_MASK;

		if (owner == 0)
			return pktpool__report(p, -EALREADY,
				"free of slot %u that is already free", idx);
		if (state == TAG_RECLAIM)
			return pktpool__report(p, -ESTALE,
				"slot %u is being reclaimed from a dead owner",
				idx);
		if (owner == p->owner) {
			*tagp = tag;
			return 0;
		}
		if (debug && state != TAG_INUSE)
			return pktpool__report(p, -EALREADY,
				"double free of slot %u (cached by process %u)",
				idx, owner);
		if (atomic_compare_exchange_weak_explicit(&p->tag[idx], &tag,
				TAG(p->owner, state), memory_order_relaxed,
				memory_order_relaxed)) {
			*tagp = TAG(p->owner, state);
			return 0;
		}
	}
	return -EBUSY;
}

static int free_one(struct pktpool *p, struct pktpool__priv *pv,
		    struct pktpool__tcache *tc, void *obj)
{
	uint32_t idx, n;
	uint8_t tag;
	int err;

	err = pktpool_ptr_to_idx(p, obj, &idx);
	if (err == -EFAULT)
		return pktpool__report(p, err, "free of %p: not in the region",
				       obj);
	if (err)
		return pktpool__report(p, err,
			"free of %p: not the start of a slot", obj);
	err = take_ownership(p, idx, &tag);
	if (err)
		return err;
	if (pv->debug) {
		uint8_t want = TAG(p->owner, TAG_INUSE);

		/* Only a debug handle's alloc marks a slot in use: a slot
		 * still cached was never handed out, or was freed already. */
		if ((tag & TAG_STATE_MASK) != TAG_INUSE)
			return pktpool__report(p, -EALREADY,
				"double free of slot %u", idx);
		/* an overrun keeps the slot out (quarantined) */
		err = pktpool__guard_check(p, idx);
		if (err)
			return err;
		if (!atomic_compare_exchange_strong_explicit(&p->tag[idx],
				&want, TAG(p->owner, TAG_CACHED),
				memory_order_relaxed, memory_order_relaxed))
			return pktpool__report(p, -EALREADY,
				"double free of slot %u", idx);
		pktpool__debug_clear(pv, idx);
		pktpool__poison(p, idx);
	}

	if (!tc || pv->nocache) {
		err = push_one(p, pv, tc, idx);
		if (err)
			return err;
		if (tc)
			pktpool__add(&tc->drained, 1);
		goto out;
	}
	n = atomic_load_explicit(&tc->count, memory_order_relaxed);
	if (n > p->cap) {
		pktpool__report(p, -EUCLEAN,
			"thread cache count %u exceeds %u; cache dropped", n,
			p->cap);
		n = 0;
		atomic_store_explicit(&tc->count, 0, memory_order_relaxed);
	}
	if (n >= p->cap)
		pktpool__drain(p, tc, p->cap - pv->batch, &n);
	/* n is what this thread wrote, checked again all the same */
	if (n >= p->cap) {
		err = push_one(p, pv, tc, idx);
		if (err)
			return err;
		pktpool__add(&tc->drained, 1);
	} else {
		tc->slot[n] = idx;
		atomic_store_explicit(&tc->count, n + 1, memory_order_relaxed);
	}
out:
	if (tc)
		pktpool__add(&tc->frees, 1);
	else
		atomic_fetch_add_explicit(&pv->hdr->retired_frees, 1,
					  memory_order_relaxed);
	return 0;
}

PKTPOOL_EXPORT int pktpool__free_slow(struct pktpool *p, void *obj)
{
	struct pktpool__priv *pv;
	struct pktpool__tcache *tc;
	int err;

	err = pktpool__handle_get(p, &pv);
	if (err)
		return err;
	if (!obj)
		return 0;
	err = pktpool__register(p);
	if (err)
		return err;
	tc = pktpool__thread_cache(p, &err);
	return free_one(p, pv, tc, obj);
}

PKTPOOL_EXPORT int pktpool__alloc_bulk_slow(struct pktpool *p, void **objs, unsigned int n)
{
	const void *site = __builtin_return_address(0);
	struct pktpool__priv *pv;
	unsigned int i;
	int err;

	err = pktpool__handle_get(p, &pv);
	if (err)
		return err;
	if (!objs && n)
		return -EINVAL;
	for (i = 0; i < n; i++) {
		objs[i] = pv->debug ? alloc_at(p, site) : pktpool_alloc(p);
		if (!objs[i])
			break;
	}
	return (int)i;
}

PKTPOOL_EXPORT int pktpool__free_bulk_slow(struct pktpool *p, void *const *objs,
			    unsigned int n)
{
	struct pktpool__priv *pv;
	unsigned int i;
	int err, first = 0;

	err = pktpool__handle_get(p, &pv);
	if (err)
		return err;
	if (!objs && n)
		return -EINVAL;
	for (i = 0; i < n; i++) {
		err = pktpool_free(p, objs[i]);
		if (err && !first)
			first = err;
	}
	return first;
}

PKTPOOL_EXPORT int pktpool__alloc_idx_bulk_slow(struct pktpool *p,
						uint32_t *idx, unsigned int n)
{
	/* inlined pktpool_alloc_idx_bulk() called us: the caller's code */
	const void *site = __builtin_return_address(0);
	struct pktpool__priv *pv;
	unsigned int i;
	int err;

	err = pktpool__handle_get(p, &pv);
	if (err)
		return err;
	if (!idx && n)
		return -EINVAL;
	for (i = 0; i < n; i++) {
		unsigned char *obj;

		if (!pv->debug) {
			if (pktpool_alloc_idx(p, &idx[i]))
				break;
			continue;
		}
		obj = alloc_at(p, site);
		if (!obj)
			break;
		idx[i] = (uint32_t)((obj - p->slots) / p->slot_size);
	}
	return (int)i;
}

PKTPOOL_EXPORT int pktpool__free_idx_bulk_slow(struct pktpool *p,
					       const uint32_t *idx,
					       unsigned int n)
{
	struct pktpool__priv *pv;
	unsigned int i;
	int err, first = 0;

	err = pktpool__handle_get(p, &pv);
	if (err)
		return err;
	if (!idx && n)
		return -EINVAL;
	for (i = 0; i < n; i++) {
		err = pktpool_free_idx(p, idx[i]);
		if (err && !first)
			first = err;
	}
	return first;
}

PKTPOOL_EXPORT int pktpool_alloc_idx(struct pktpool *p, uint32_t *idx)
{
	struct pktpool__priv *pv;
	void *obj;
	int err;

	if (!idx)
		return -EINVAL;
	err = pktpool__handle_get(p, &pv);
	if (err)
		return err;
	obj = pv->debug ? alloc_at(p, __builtin_return_address(0)) :
			  pktpool_alloc(p);
	if (!obj)
		return -errno;
	*idx = (uint32_t)(((unsigned char *)obj - p->slots) / p->slot_size);
	return 0;
}

PKTPOOL_EXPORT int pktpool_free_idx(struct pktpool *p, uint32_t idx)
{
	struct pktpool__priv *pv;
	int err = pktpool__handle_get(p, &pv);

	if (err)
		return err;
	if (idx >= p->slot_count)
		return pktpool__report(p, -EFAULT, "free of slot %u of %u",
				       idx, p->slot_count);
	return pktpool_free(p, slot_ptr(p, idx));
}

PKTPOOL_EXPORT int pktpool_adopt(struct pktpool *p, void *obj)
{
	struct pktpool__priv *pv;
	uint32_t idx;
	uint8_t tag;
	int err = pktpool__handle_get(p, &pv);

	if (!err)
		err = pktpool__register(p);
	if (!err)
		err = pktpool_ptr_to_idx(p, obj, &idx);
	if (!err)
		err = take_ownership(p, idx, &tag);
	return err;
}

PKTPOOL_EXPORT int pktpool_flush_cache(struct pktpool *p)
{
	struct pktpool__priv *pv;
	struct pktpool__thread *t = self;
	int err = pktpool__handle_get(p, &pv);

	if (err)
		return err;
	if (!t || !t->tc[p->hid])
		return 0;
	return pktpool__drain(p, t->tc[p->hid], 0, NULL);
}

/* Called with pktpool__lock held: forget p in every thread of ours. */
static void forget_in_thread(struct pktpool *p, struct pktpool__thread *t)
{
	struct pktpool__tcache *tc = t->tc[p->hid];

	if (tc) {
		pktpool__drain(p, tc, 0, NULL);
		pktpool__depot_unstash(p, tc);
		pktpool__tcache_release(p, tc);
	}
	t->tc[p->hid] = NULL;
	t->fast->tc[p->hid] = NULL;
}

/*
 * Detach, with pktpool__lock held: drain and release every thread cache
 * of this process for p. The other threads must not be using p.
 */
int pktpool__drain_all_local(struct pktpool *p)
{
	struct pktpool__thread *t;

	for (t = threads; t; t = t->next)
		forget_in_thread(p, t);
	return 0;
}

/* Thread exit: the pthread key destructor. */
static void thread_exit(void *arg)
{
	struct pktpool__thread *t = arg;
	uint32_t hid;
	int cs;

	pktpool__lock_take(&cs);
	for (hid = 0; hid < PKTPOOL_HANDLES_MAX; hid++) {
		struct pktpool *p = &pktpool__handles[hid];

		if (t->tc[hid] && p->priv && p->priv->live &&
		    p->priv->fork_gen == pktpool__fork_gen)
			forget_in_thread(p, t);
		t->tc[hid] = NULL;
		t->fast->tc[hid] = NULL;
	}
	thread_unlink(t);
	if (self == t)
		self = NULL;
	pktpool__lock_give(cs);
	free(t);
}

/*
 * In the child after fork(): the only thread is the one that forked. The
 * caches it had belong to the parent's process slot, so drop them (without
 * touching their contents) and the other threads' bookkeeping (those
 * threads do not exist here; their small records are leaked).
 */
void pktpool__fork_child(void)
{
	struct pktpool__thread *t = self;
	uint32_t hid;

	memset(&pktpool__tls, 0, sizeof(pktpool__tls));
	threads = NULL;
	if (t) {
		memset(t->tc, 0, sizeof(t->tc));
		t->prev = t->next = NULL;
		t->tid = (pid_t)syscall(SYS_gettid);
		threads = t;
	}
	for (hid = 0; hid < PKTPOOL_HANDLES_MAX; hid++) {
		struct pktpool *p = &pktpool__handles[hid];

		if (p->priv) {
			struct pktpool__priv *pv = p->priv;

			pv->owner = 0;
			p->owner = OWNER_NONE;
			/* The parent's lock description: its entries stay
			 * held by the parent alone. */
			if (pv->lockfd >= 0)
				close(pv->lockfd);
			pv->lockfd = -1;
			pthread_mutex_init(&pv->nc_lock, NULL);
			/* the parent's spares, in the parent's entries */
			memset(pv->stash, 0xff, sizeof(pv->stash));
		}
	}
}
