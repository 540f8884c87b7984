// SPDX-License-Identifier: MIT
/*
 * The process table, liveness, and recovery from processes that died
 * holding slots.
 *
 * Each attached process owns one entry; its index + 1 is the owner id in
 * the tags of every slot it has taken off the shared list. The entry is
 * held, for as long as the process lives, by an open-file-description
 * lock (F_OFD_SETLK, a write lock on one byte: the entry's index, plus
 * 128 * region id for kernel regions, which all share /dev/pktpool's
 * inode) on a file description of the region's file that only this
 * process has (pv->lockfd: reopened, O_CLOEXEC, never passed on). The
 * kernel drops the lock when the last fd of that description closes: at
 * exit or exec, however the process dies, whatever PID namespace or /proc
 * mount anyone looks from, whichever of its threads is left. So:
 *
 *  - claiming entry i = taking its lock without waiting, then (holding
 *    it) finding the entry free and filling it in;
 *  - an entry whose lock can be taken belongs to no live process: whoever
 *    takes it may reclaim it, and holds it for the whole reclaim, so the
 *    entry cannot be claimed again meanwhile; a reclaimer that dies drops
 *    the lock and the next one redoes the reclaim (every step is
 *    idempotent: tags move by CAS, see below);
 *  - only the lock holder changes an entry's state.
 *
 * A slot's one linearization point is its tag: a reclaimer moves each slot
 * of the dead owner by CAS to (itself, TAG_RECLAIM) and only then pushes
 * it; an adopter or a freer in another process moves it by CAS to itself
 * and refuses a slot in TAG_RECLAIM. Whoever wins the CAS has the slot.
 *
 * A process killed inside a shared-list CAS may leave a batch neither on
 * the list nor tagged. Its transit record says which batch and which head
 * it expected; when that settles whether the CAS happened the batch is
 * recovered, otherwise it is counted as uncertain and recovered by a later
 * pktpool_reclaim(PKTPOOL_RECLAIM_IDLE), which may rely on nobody else
 * using the region.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <linux/pktpool.h>

#include "internal.h"

static uint64_t file_id(const struct stat *st)
{
	uint64_t id = (uint64_t)st->st_ino * 0x9E3779B97F4A7C15ull ^
		      (uint64_t)st->st_dev;

	return id ? id : 1;	/* 0 means "not recorded" */
}

/*
 * This process's own open file description of the region's file, for the
 * entry and layout locks. Touches only the handle's private state (under
 * pktpool__lock once the handle is live). A memfd has no path: it is
 * reopened through /proc/thread-self/fd (no parsing, and a process always
 * sees its own fds); a named shm region falls back to its name. A kernel
 * region's file is the device: a new open of it is a new description.
 */
int pktpool__lock_open(struct pktpool__priv *pv)
{
	struct stat want, got;
	char path[64];
	int fd;

	if (pv->lockfd >= 0)
		return 0;
	if (fstat(pv->fd, &want))
		return -errno;
	if (pv->lay.region_id) {
		fd = open(PKTPOOL_DEVICE, O_RDWR | O_CLOEXEC);
	} else {
		/* thread-self: /proc/self/fd is gone once the main thread
		 * has exited, while the process lives on */
		snprintf(path, sizeof(path), "/proc/thread-self/fd/%d", pv->fd);
		fd = open(path, O_RDWR | O_CLOEXEC);
		if (fd < 0) {
			snprintf(path, sizeof(path), "/proc/self/fd/%d", pv->fd);
			fd = open(path, O_RDWR | O_CLOEXEC);
		}
		if (fd < 0 && strcmp(pv->name, "(anonymous)")) {
			snprintf(path, sizeof(path), "/pktpool.%s", pv->name);
			fd = shm_open(path, O_RDWR | O_CLOEXEC, 0);
		}
	}
	if (fd < 0)
		return -errno;
	if (fstat(fd, &got) || got.st_ino != want.st_ino ||
	    got.st_dev != want.st_dev) {
		close(fd);
		return -ESTALE;	/* not the file we mapped */
	}
	pv->lockfd = fd;
	pv->lock_id = file_id(&got);
	return 0;
}

static off_t lock_off(const struct pktpool__priv *pv, uint32_t byte)
{
	return (off_t)pv->lay.region_id * 128 + byte;
}

/* 0: we hold the byte now; -EAGAIN: a live process does. */
int pktpool__lock_try(struct pktpool__priv *pv, uint32_t byte)
{
	struct flock fl = {
		.l_type = F_WRLCK, .l_whence = SEEK_SET,
		.l_start = lock_off(pv, byte), .l_len = 1,
	};

	if (pv->lockfd < 0)
		return -EBADF;
	if (fcntl(pv->lockfd, F_OFD_SETLK, &fl) == 0)
		return 0;
	return errno == EACCES || errno == EAGAIN ? -EAGAIN : -errno;
}

void pktpool__lock_drop(struct pktpool__priv *pv, uint32_t byte)
{
	struct flock fl = {
		.l_type = F_UNLCK, .l_whence = SEEK_SET,
		.l_start = lock_off(pv, byte), .l_len = 1,
	};

	if (pv->lockfd >= 0)
		fcntl(pv->lockfd, F_OFD_SETLK, &fl);
}

/* Called with pktpool__lock held. Take a free entry for this process. */
int pktpool__proc_claim(struct pktpool *p)
{
	struct pktpool__priv *pv = p->priv;
	uint32_t i;
	int err;

	err = pktpool__lock_open(pv);
	if (err)
		return pktpool__report(p, err,
			"cannot open the region's file for its process locks");
	for (i = 0; i < PKTPOOL_PROCS_MAX; i++) {
		struct pktpool__proc *e = &pv->hdr->proc[i];

		if (atomic_load_explicit(&e->state, memory_order_relaxed) !=
		    PROC_FREE)
			continue;	/* taken, or a dead one's: reclaim */
		if (pktpool__lock_try(pv, i))
			continue;
		/* [D] pairs with the release store of FREE by the last
		 * holder */
		if (atomic_load_explicit(&e->state, memory_order_acquire) !=
		    PROC_FREE) {
			pktpool__lock_drop(pv, i);
			continue;
		}
		atomic_store_explicit(&e->pid, getpid(), memory_order_relaxed);
		atomic_store_explicit(&e->lock_id, pv->lock_id,
				      memory_order_relaxed);
		atomic_store_explicit(&e->t_op, TRANSIT_NONE,
				      memory_order_relaxed);
		/* [D] pairs with the acquire load of state by the next
		 * holder of the lock */
		atomic_store_explicit(&e->state, PROC_ALIVE,
				      memory_order_release);
		pv->pid = getpid();
		__atomic_store_n(&pv->fork_gen, pktpool__fork_gen,
				 __ATOMIC_RELAXED);
		p->owner = i + 1;
		/* pairs with the unlocked acquire load in pktpool__register() */
		__atomic_store_n(&pv->owner, i + 1, __ATOMIC_RELEASE);
		pktpool__publish(p, NULL);
		return 0;
	}
	return pktpool__report(p, -ENOSPC,
		"process table full (%u); pktpool_reclaim() frees entries of dead processes",
		PKTPOOL_PROCS_MAX);
}

/*
 * Detach: give the entry back, or leave it EXITED with slots charged.
 * The one pass over the tags that decides it also feeds the summary.
 */
void pktpool__proc_release(struct pktpool *p)
{
	uint64_t held[PKTPOOL_PROCS_MAX + 1];
	struct pktpool__priv *pv = p->priv;
	struct pktpool__proc *e;

	if (!pv->owner || pv->fork_gen != pktpool__fork_gen)
		return;
	e = &pv->hdr->proc[pv->owner - 1];
	pktpool__held(p, held);
	/* [D] pairs with the acquire load of state by the next holder */
	atomic_store_explicit(&e->state,
			      held[pv->owner] ? PROC_EXITED : PROC_FREE,
			      memory_order_release);
	pktpool__lock_drop(pv, pv->owner - 1);
	__atomic_store_n(&pv->owner, 0, __ATOMIC_RELAXED);
	p->owner = OWNER_NONE;
	pktpool__publish(p, held);
}

/* Slots gathered by a reclaim, pushed a batch at a time. */
struct gather {
	struct pktpool *p;
	struct pktpool__tcache *tc;	/* the reclaimer's, for transit */
	uint32_t idx[PKTPOOL_BATCH_MAX];
	uint32_t n;
	uint64_t total;
	int err;
};

static void gather_flush(struct gather *g)
{
	struct pktpool__priv *pv = g->p->priv;
	uint32_t i;
	int err;

	if (!g->n)
		return;
	for (i = 0; i < g->n; i++) {
		/* a quarantined slot too: the poison makes it whole */
		pktpool__debug_clear(pv, g->idx[i]);
		if (pv->debug)
			pktpool__poison(g->p, g->idx[i]);
	}
	if (!g->tc)
		pthread_mutex_lock(&pv->nc_lock);
	err = pktpool__push(g->p, g->tc, g->idx, g->n);
	if (!g->tc)
		pthread_mutex_unlock(&pv->nc_lock);
	if (err && !g->err)
		g->err = err;
	g->total += g->n;
	g->n = 0;
}

/*
 * Take slot idx from owner 'from' (0: a free-tagged slot known to be off
 * the list) by CAS to (us, TAG_RECLAIM): the slot's linearization point.
 * A live process adopting or freeing it at the same moment either wins
 * (and we leave the slot alone) or loses and is refused.
 */
static void gather_take(struct gather *g, uint32_t idx, uint32_t from)
{
	struct pktpool *p = g->p;
	uint8_t tag = atomic_load_explicit(&p->tag[idx], memory_order_relaxed);

	if ((tag & PKTPOOL__TAG_OWNER) != from ||
	    (from == 0 && tag != TAG(0, TAG_FREE)))
		return;
	if (!atomic_compare_exchange_strong_explicit(&p->tag[idx], &tag,
			TAG(p->owner, TAG_RECLAIM), memory_order_relaxed,
			memory_order_relaxed))
		return;
	g->idx[g->n++] = idx;
	if (g->n == PKTPOOL_BATCH_MAX)
		gather_flush(g);
}

/* A dead process's transit record, from its thread cache or its entry. */
struct transit {
	uint32_t op, first, n;
	struct hv expect;
	const void *record;	/* the tcache or entry it was read from */
};

static void uncertain(struct gather *g, uint32_t dead, uint32_t k)
{
	atomic_fetch_add_explicit(&g->p->priv->hdr->uncertain, k,
				  memory_order_relaxed);
	pktpool__report(g->p, -EBADMSG,
		"process %u died at a shared-list CAS; %u slots unaccounted until an idle reclaim",
		dead, k);
}

/*
 * Is any shared-list operation other than the one in 'record' between its
 * transit begin and end (another popper between its CAS and its tag
 * stores, say)?
 */
static bool others_in_flight(struct pktpool *p, const void *record)
{
	struct pktpool__priv *pv = p->priv;
	uint32_t i;

	for (i = 0; i < PKTPOOL_THREADS_MAX; i++) {
		struct pktpool__tcache *tc = &pv->tcache[i];

		if ((const void *)tc != record &&
		    atomic_load_explicit(&tc->owner, memory_order_relaxed) &&
		    /* [F] pairs with the release stores of transit_op */
		    atomic_load_explicit(&tc->transit_op, memory_order_acquire))
			return true;
	}
	for (i = 0; i < PKTPOOL_PROCS_MAX; i++) {
		struct pktpool__proc *e = &pv->hdr->proc[i];

		if ((const void *)e != record &&
		    atomic_load_explicit(&e->state, memory_order_relaxed) &&
		    atomic_load_explicit(&e->t_op, memory_order_acquire) & 0xff)
			return true;
	}
	return false;
}

/*
 * Mark in on[] every slot on the shared list and in the full magazines,
 * from snapshots of both heads (returned). False when either is broken.
 */
static bool mark_listed(struct pktpool *p, uint8_t *on, struct hv *h0,
			struct hv *f0)
{
	struct pktpool__hdr *h = p->priv->hdr;
	const uint32_t n = p->slot_count;
	uint64_t steps = 0;
	uint32_t cur, where;
	bool dup;

	*h0 = head_snapshot(&h->head);
	for (cur = hv_idx(*h0); cur != PKTPOOL_NIL; steps++) {
		if (cur >= n || steps > n)
			return false;
		on[cur] = 1;
		cur = atomic_load_explicit(&p->priv->next[cur],
					   memory_order_relaxed);
	}
	*f0 = head_snapshot(&h->full);
	return pktpool__depot_walk(p, *f0, on, NULL, &where, &dup) >= 0;
}

/*
 * Settle an ambiguous batch by looking: walk the whole list and the full
 * magazines between two equal snapshots of both heads (nothing pushed or
 * popped meanwhile: the walk is exact) with no other operation in flight
 * before or after (nobody holds a slot taken off but not yet tagged). A
 * batch slot listed is where it belongs; one not listed but still tagged
 * free has been lost by the dead process and nobody else can reach it:
 * take it back. False when the picture never held still long enough.
 */
static bool settle_by_walk(struct gather *g, const struct transit *t,
			   const uint32_t *chain, uint32_t k)
{
	struct pktpool *p = g->p;
	struct pktpool__hdr *h = p->priv->hdr;
	uint8_t *on;
	bool settled = false;
	int tries;
	uint32_t i;

	gather_flush(g);	/* our own batch is on the list, not in limbo */
	on = calloc(p->slot_count, 1);
	if (!on)
		return false;
	for (tries = 0; tries < 8 && !settled; tries++) {
		struct hv h0, f0;

		if (others_in_flight(p, t->record))
			continue;
		memset(on, 0, p->slot_count);
		if (!mark_listed(p, on, &h0, &f0) ||
		    !hv_eq(head_snapshot(&h->head), h0) ||
		    !hv_eq(head_snapshot(&h->full), f0) ||
		    others_in_flight(p, t->record))
			continue;
		for (i = 0; i < k; i++)
			if (!on[chain[i]])
				gather_take(g, chain[i], 0);
		settled = true;
	}
	free(on);
	return settled;
}

/*
 * The magazine a dead process was moving (see depot.c); t->first names
 * it. Its slots are read from the magazine, which the dead process held
 * (only honest contents matter: each is taken only if tagged free and
 * provably off every list).
 */
static void resolve_mag(struct gather *g, const struct transit *t,
			uint32_t dead)
{
	struct pktpool *p = g->p;
	struct pktpool__priv *pv = p->priv;
	uint32_t chain[PKTPOOL_BATCH_MAX], k = 0, i, m = t->first;
	struct hv now;
	bool pushed;

	if (m >= pv->mag_count)
		return;
	for (i = 0; i < pv->batch; i++) {
		uint32_t s = atomic_load_explicit(&pv->mag[m].slot[i],
						  memory_order_relaxed);

		if (s < p->slot_count)
			chain[k++] = s;
	}
	switch (t->op) {
	case TRANSIT_MPOPPED:	/* ours: the untagged rest is the dead's */
		for (i = 0; i < k; i++)
			gather_take(g, chain[i], 0);
		gather_flush(g);
		pktpool__mag_push_empty(p, g->tc, m);
		return;
	case TRANSIT_EHELD:	/* an empty one it was filling */
		pktpool__mag_push_empty(p, g->tc, m);
		return;
	case TRANSIT_MPOP:
		now = head_snapshot(&pv->hdr->full);
		if (now.gen == t->expect.gen)
			return;	/* the CAS did not happen */
		/* moved by its CAS or another popper's: look */
		break;
	case TRANSIT_MPUSH:
		/* tags go free before the CAS: one still the dead's means
		 * the CAS had not come; so does an unmoved head */
		now = head_snapshot(&pv->hdr->full);
		pushed = now.gen != t->expect.gen;
		for (i = 0; i < k; i++)
			if ((atomic_load_explicit(&p->tag[chain[i]],
				memory_order_relaxed) & PKTPOOL__TAG_OWNER) == dead)
				pushed = false;
		if (!pushed) {
			for (i = 0; i < k; i++)
				gather_take(g, chain[i], 0);
			gather_flush(g);
			pktpool__mag_push_empty(p, g->tc, m);
			return;
		}
		/* nobody else pushes this magazine: a head of exactly (m,
		 * expected generation + 1) is its CAS */
		if (now.gen == t->expect.gen + 1 && hv_idx(now) == m)
			return;
		break;
	default:		/* empty magazines in flight: idle reclaim */
		return;
	}
	if (!settle_by_walk(g, t, chain, k))
		uncertain(g, dead, k);
}

/*
 * The batch a dead process was moving when it died (see freelist.c).
 * Runs before the tag scan, so that slots on the list still tagged for the
 * dead process are untagged instead of pushed a second time.
 */
static void resolve_transit(struct gather *g, const struct transit *t,
			    uint32_t dead)
{
	struct pktpool *p = g->p;
	struct hv now = head_snapshot(&p->priv->hdr->head);
	uint32_t chain[PKTPOOL_CACHE_MAX], k = 0, i, cur;
	bool moved = now.gen != t->expect.gen;

	if (t->op > TRANSIT_PUSHED && t->op <= TRANSIT_OP_MAX) {
		resolve_mag(g, t, dead);
		return;
	}
	if (t->op == TRANSIT_NONE || t->op > TRANSIT_PUSHED || t->n == 0 ||
	    t->n > PKTPOOL_CACHE_MAX || t->first >= p->slot_count)
		return;
	/* The links of a chain in flight belong to the dead process. */
	for (cur = t->first; k < t->n && cur < p->slot_count;) {
		chain[k++] = cur;
		cur = atomic_load_explicit(&p->priv->next[cur],
					   memory_order_relaxed);
	}

	switch (t->op) {
	case TRANSIT_PUSHED:	/* on the list */
		return;
	case TRANSIT_POPPED:	/* taken: the untagged rest is the dead's */
		for (i = 0; i < k; i++)
			gather_take(g, chain[i], 0);
		return;
	case TRANSIT_POP:
		if (!moved)
			return;	/* the CAS did not happen: still on the list */
		/*
		 * Moved: by its CAS or by another popper's, which can leave
		 * the very same head (same chain, same rest), so the head
		 * cannot tell, and taking the slots could take the other
		 * popper's. Uncertain: only an idle reclaim may decide.
		 */
		break;
	case TRANSIT_PUSH:
		/* A push tags its chain free before its CAS: a slot still
		 * tagged for the dead process means the CAS had not come.
		 * Nobody else pushes this chain's first slot, so a head of
		 * exactly (first, expected generation + 1) is its CAS. */
		for (i = 0; i < k; i++)
			if ((atomic_load_explicit(&p->tag[chain[i]],
				memory_order_relaxed) & PKTPOOL__TAG_OWNER) == dead)
				moved = false;
		if (moved && now.gen == t->expect.gen + 1 &&
		    hv_idx(now) == t->first)
			return;	/* ours is the last CAS: on the list */
		if (!moved) {	/* not pushed: free-tagged ones are lost */
			for (i = 0; i < k; i++)
				gather_take(g, chain[i], 0);
			return;
		}
		break;
	}
	if (!settle_by_walk(g, t, chain, k))
		uncertain(g, dead, k);
}

/* Return every slot of owner id 'dead' and empty its thread caches. */
static void reclaim_owner(struct gather *g, uint32_t dead)
{
	struct pktpool *p = g->p;
	struct pktpool__tcache *tcache = p->priv->tcache;
	struct pktpool__proc *e = &p->priv->hdr->proc[dead - 1];
	struct transit t;
	uint32_t i, v;

	for (i = 0; i < PKTPOOL_THREADS_MAX; i++) {
		struct pktpool__tcache *tc = &tcache[i];

		if (atomic_load_explicit(&tc->owner, memory_order_relaxed) !=
		    dead)
			continue;
		/* [F] pairs with the release stores of transit_op */
		t.op = atomic_load_explicit(&tc->transit_op,
					    memory_order_acquire);
		t.first = atomic_load_explicit(&tc->transit_first,
					       memory_order_relaxed);
		t.n = atomic_load_explicit(&tc->transit_n, memory_order_relaxed);
		t.expect.lo = atomic_load_explicit(&tc->transit_lo,
						   memory_order_relaxed);
		t.expect.gen = atomic_load_explicit(&tc->transit_gen,
						    memory_order_relaxed);
		t.record = tc;
		resolve_transit(g, &t, dead);
	}
	/* [F] pairs with the release stores of t_op */
	v = atomic_load_explicit(&e->t_op, memory_order_acquire);
	t.op = v & 0xff;
	t.n = v >> 8;
	t.first = atomic_load_explicit(&e->t_first, memory_order_relaxed);
	t.expect.gen = atomic_load_explicit(&e->t_gen, memory_order_relaxed);
	t.expect.lo = 0;
	t.record = e;
	resolve_transit(g, &t, dead);
	atomic_store_explicit(&e->t_op, TRANSIT_NONE, memory_order_relaxed);

	for (i = 0; i < p->slot_count; i++)
		gather_take(g, i, dead);
	gather_flush(g);
	for (i = 0; i < PKTPOOL_THREADS_MAX; i++) {
		if (atomic_load_explicit(&tcache[i].owner,
					 memory_order_relaxed) != dead)
			continue;
		/* its spare empty magazine (the record never names it
		 * too: see depot.c) */
		pktpool__mag_push_empty(p, g->tc,
			atomic_load_explicit(&tcache[i].mag,
					     memory_order_relaxed));
		pktpool__tcache_release(p, &tcache[i]);
	}
}

/*
 * Reclaim entry i when no live process holds it (for pid != 0: only the
 * entry that process recorded). Returns slots returned, -EBUSY (its
 * process lives), or 0 when not applicable.
 */
static int reclaim_one(struct pktpool *p, struct gather *g, uint32_t i,
		       pid_t pid, bool *matched)
{
	struct pktpool__priv *pv = p->priv;
	struct pktpool__proc *e = &pv->hdr->proc[i];
	uint32_t owner = i + 1, st;
	uint64_t before = g->total, id;
	int err;

	if (owner == p->owner ||
	    atomic_load_explicit(&e->state, memory_order_relaxed) == PROC_FREE)
		return 0;
	if (pid && atomic_load_explicit(&e->pid, memory_order_relaxed) != pid)
		return 0;
	*matched = true;
	/* Its lock on another file than ours (another /dev node for the
	 * same device, say) would not conflict with ours: cannot tell. */
	id = atomic_load_explicit(&e->lock_id, memory_order_relaxed);
	if (id && id != pv->lock_id)
		return -EBUSY;
	err = pktpool__lock_try(pv, i);
	if (err)
		return err == -EAGAIN ? -EBUSY : err;
	/* We hold the entry: its process is gone (died, exec'd or
	 * detached); nobody else changes it until we let go. */
	/* [D] pairs with the release stores of state by earlier holders */
	st = atomic_load_explicit(&e->state, memory_order_acquire);
	if (st == PROC_FREE) {
		pktpool__lock_drop(pv, i);
		return 0;	/* another reclaimer finished it */
	}
	if (st > PROC_RECLAIMING)
		pktpool__report(p, -EUCLEAN,
			"process table entry %u has state %u", owner, st);
	atomic_store_explicit(&e->state, PROC_RECLAIMING, memory_order_relaxed);
	reclaim_owner(g, owner);
	atomic_fetch_add_explicit(&pv->hdr->reclaimed, g->total - before,
				  memory_order_relaxed);
	atomic_store_explicit(&e->pid, 0, memory_order_relaxed);
	atomic_store_explicit(&e->lock_id, 0, memory_order_relaxed);
	/* [D] pairs with the acquire load of state by the next holder */
	atomic_store_explicit(&e->state, PROC_FREE, memory_order_release);
	pktpool__lock_drop(pv, i);
	return (int)(g->total - before);
}

/*
 * The depot's part of an idle recovery: mark the slots of the full
 * magazines in on[], make the stacks' counts match, and put every
 * magazine on neither stack and no live thread cache's spare back on the
 * empty stack (lost by a process killed while it held one).
 */
static int reclaim_idle_depot(struct pktpool *p, uint8_t *on)
{
	struct pktpool__priv *pv = p->priv;
	struct pktpool__hdr *h = pv->hdr;
	uint8_t *mon = calloc(pv->mag_count ? pv->mag_count : 1, 1);
	struct hv full, empty;
	long nf, ne;
	uint32_t i, where;
	bool dup;

	if (!mon)
		return -ENOMEM;
	full = head_snapshot(&h->full);
	nf = pktpool__depot_walk(p, full, on, mon, &where, &dup);
	if (nf < 0 || dup) {
		free(mon);
		return pktpool__report(p, -EUCLEAN,
			"full magazines broken at magazine %u; idle reclaim stopped",
			nf < 0 ? where : hv_idx(full));
	}
	empty = head_snapshot(&h->empty);
	ne = pktpool__depot_walk_empty(p, empty, mon);
	if (ne < 0) {
		free(mon);
		return pktpool__report(p, -EUCLEAN,
			"empty magazines broken; idle reclaim stopped");
	}
	if ((hv_count(full) != nf &&
	     !head_cas(&h->full, &full, hv_make(hv_idx(full), (uint32_t)nf,
						full.gen + 1))) ||
	    (hv_count(empty) != ne &&
	     !head_cas(&h->empty, &empty, hv_make(hv_idx(empty), (uint32_t)ne,
						  empty.gen + 1)))) {
		free(mon);
		return -EAGAIN;		/* not idle after all */
	}
	for (i = 0; i < PKTPOOL_THREADS_MAX; i++) {
		struct pktpool__tcache *tc = &pv->tcache[i];
		uint32_t m = atomic_load_explicit(&tc->mag,
						  memory_order_relaxed);

		if (atomic_load_explicit(&tc->owner, memory_order_relaxed) &&
		    m < pv->mag_count)
			mon[m] = 1;
		/* our own threads' spares: the private truth */
		if (pv->stash[i] < pv->mag_count)
			mon[pv->stash[i]] = 1;
	}
	for (i = 0; i < pv->mag_count; i++)
		if (!mon[i])
			pktpool__mag_push_empty(p, NULL, i);
	free(mon);
	return 0;
}

/*
 * Idle recovery: with nobody else using the region, any slot tagged free
 * that is not on the list, and any slot tagged with an owner whose entry
 * is free, has been lost; put it back, and make the count match the list.
 */
static int reclaim_idle(struct pktpool *p, struct gather *g)
{
	struct pktpool__hdr *h = p->priv->hdr;
	const uint32_t n = p->slot_count;
	uint8_t *on = calloc(n, 1);
	struct hv head;
	uint64_t steps = 0;
	uint32_t cur, i;
	int err;

	if (!on)
		return -ENOMEM;
	head = head_snapshot(&h->head);
	for (cur = hv_idx(head); cur != PKTPOOL_NIL; steps++) {
		if (cur >= n || on[cur] || steps > n) {
			free(on);
			return pktpool__report(p, -EUCLEAN,
				"free list broken at slot %u; idle reclaim stopped",
				cur);
		}
		on[cur] = 1;
		cur = atomic_load_explicit(&p->priv->next[cur],
					   memory_order_relaxed);
	}
	/* The count the list really has, before we add to it. */
	if (hv_count(head) != steps &&
	    !head_cas(&h->head, &head,
		      hv_make(hv_idx(head), (uint32_t)steps, head.gen + 1))) {
		free(on);
		return -EAGAIN;		/* not idle after all */
	}
	err = reclaim_idle_depot(p, on);
	if (err) {
		free(on);
		return err;
	}
	for (i = 0; i < n; i++) {
		uint8_t tag = atomic_load_explicit(&p->tag[i],
						   memory_order_relaxed);
		uint32_t owner = tag & PKTPOOL__TAG_OWNER;

		if (owner == 0 && !on[i]) {
			gather_take(g, i, 0);
		} else if (owner && owner != p->owner &&
			   atomic_load_explicit(&h->proc[owner - 1].state,
				memory_order_relaxed) == PROC_FREE) {
			gather_take(g, i, owner);
		}
	}
	free(on);
	gather_flush(g);
	atomic_store_explicit(&h->uncertain, 0, memory_order_relaxed);
	return 0;
}

PKTPOOL_EXPORT int pktpool_reclaim(struct pktpool *p, pid_t pid,
				   uint32_t flags)
{
	struct pktpool__priv *pv;
	struct gather g;
	bool matched = false;
	uint32_t i;
	int err, r, busy = 0, cs;

	err = pktpool__handle_get(p, &pv);
	if (err)
		return err;
	if (pid < 0 || (flags & ~PKTPOOL_RECLAIM_IDLE))
		return -EINVAL;
	err = pktpool__register(p);
	if (err)
		return err;
	/* Not a cancellation point: a reclaim stopped half way would hold
	 * entry locks until this process exits. */
	pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, &cs);
	memset(&g, 0, sizeof(g));
	g.p = p;
	g.tc = pktpool__thread_cache(p, &err);

	for (i = 0; i < PKTPOOL_PROCS_MAX; i++) {
		r = reclaim_one(p, &g, i, pid, &matched);
		if (r == -EBUSY)
			busy = r;
	}
	err = 0;
	if (flags & PKTPOOL_RECLAIM_IDLE) {
		uint64_t before = g.total;

		err = reclaim_idle(p, &g);
		atomic_fetch_add_explicit(&pv->hdr->reclaimed,
					  g.total - before,
					  memory_order_relaxed);
	}
	if (g.total || matched)
		pktpool__publish(p, NULL);
	pthread_setcancelstate(cs, &cs);
	if (err)
		return err;
	if (g.err)
		return g.err;
	if (pid && !matched)
		return -ESRCH;
	if (pid && busy && !g.total)
		return busy;
	return (int)(g.total > INT32_MAX ? INT32_MAX : g.total);
}
