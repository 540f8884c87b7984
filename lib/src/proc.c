// SPDX-License-Identifier: MIT
/*
 * The process table and recovery from processes that died holding slots.
 *
 * Each attached process owns one entry (pid and start time) and its index
 * + 1 is the owner id in the tags of every slot it has taken off the
 * shared list, cached or in use. A process that exits cleanly gives its
 * entry back at detach, or leaves it EXITED when slots are still charged
 * to it. pktpool_reclaim() run by a survivor returns every slot tagged
 * with a gone process's id and empties its thread caches.
 *
 * A process killed inside a shared-list CAS may leave a batch neither on
 * the list nor tagged. Its thread cache's transit record says which batch
 * and which head it expected; when that settles whether the CAS happened
 * the batch is recovered, otherwise it is counted as uncertain and
 * recovered by a later pktpool_reclaim(PKTPOOL_RECLAIM_IDLE), which may
 * rely on nobody else using the region.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"

/*
 * Start time of pid in clock ticks since boot, from /proc/PID/stat. *dead
 * is set when the process is gone or a zombie.
 */
int pktpool__proc_start_time(pid_t pid, uint64_t *start, bool *dead)
{
	char path[64], buf[1024], *s, state;
	unsigned long long st;
	ssize_t len;
	int fd, field;

	*dead = false;
	*start = 0;
	if (pid <= 0)
		return -EINVAL;
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT || errno == ESRCH) {
			*dead = true;
			return 0;
		}
		return -errno;
	}
	len = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (len <= 0) {
		*dead = true;	/* exited while we read */
		return 0;
	}
	buf[len] = 0;
	/* comm may hold anything, spaces and parentheses included */
	s = strrchr(buf, ')');
	if (!s || sscanf(s + 1, " %c", &state) != 1)
		return -EPROTO;
	if (state == 'Z' || state == 'X')
		*dead = true;
	/* field 3 is state; start time is field 22 */
	s += 2;
	for (field = 3; field < 22 && s; field++) {
		s = strchr(s, ' ');
		if (s)
			s++;
	}
	if (!s || sscanf(s, "%llu", &st) != 1)
		return -EPROTO;
	*start = st;
	return 0;
}

/* Called with pktpool__lock held. Take an entry for this process. */
int pktpool__proc_claim(struct pktpool *p)
{
	struct pktpool__priv *pv = p->priv;
	pid_t pid = getpid();
	uint64_t start;
	bool dead;
	uint32_t i;
	int err;

	err = pktpool__proc_start_time(pid, &start, &dead);
	if (err)
		return err;
	for (i = 0; i < PKTPOOL_PROCS_MAX; i++) {
		struct pktpool__proc *e = &pv->hdr->proc[i];
		uint32_t st = PROC_FREE;

		if (atomic_load_explicit(&e->state, memory_order_relaxed) !=
		    PROC_FREE ||
		    !atomic_compare_exchange_strong_explicit(&e->state, &st,
				PROC_CLAIMING, memory_order_relaxed,
				memory_order_relaxed))
			continue;
		atomic_store_explicit(&e->pid, pid, memory_order_relaxed);
		atomic_store_explicit(&e->start_time, start,
				      memory_order_relaxed);
		atomic_store_explicit(&e->reclaimer, 0, memory_order_relaxed);
		atomic_fetch_add_explicit(&e->epoch, 1, memory_order_relaxed);
		/* [D] pairs with the acquire load of state in reclaim_one() */
		atomic_store_explicit(&e->state, PROC_ALIVE,
				      memory_order_release);
		pv->owner = i + 1;
		pv->pid = pid;
		pv->start_time = start;
		pv->fork_gen = pktpool__fork_gen;
		p->owner = pv->owner;
		return 0;
	}
	return pktpool__report(p, -ENOSPC,
		"process table full (%u); pktpool_reclaim() frees entries of dead processes",
		PKTPOOL_PROCS_MAX);
}

static uint64_t count_owned(struct pktpool *p, uint32_t owner)
{
	uint64_t k = 0;
	uint32_t i;

	for (i = 0; i < p->slot_count; i++)
		k += (atomic_load_explicit(&p->tag[i], memory_order_relaxed) &
		      PKTPOOL__TAG_OWNER) == owner;
	return k;
}

/* Detach: give the entry back, or leave it EXITED with slots charged. */
void pktpool__proc_release(struct pktpool *p)
{
	struct pktpool__priv *pv = p->priv;
	struct pktpool__proc *e;

	if (!pv->owner || pv->fork_gen != pktpool__fork_gen)
		return;
	e = &pv->hdr->proc[pv->owner - 1];
	/* [D] pairs with the acquire load of state in reclaim_one() */
	atomic_store_explicit(&e->state,
			      count_owned(p, pv->owner) ? PROC_EXITED : PROC_FREE,
			      memory_order_release);
	pv->owner = 0;
	p->owner = PKTPOOL__TAG_OWNER + 1;
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
	int err;

	if (!g->n)
		return;
	if (g->p->priv->debug) {
		uint32_t i;

		for (i = 0; i < g->n; i++)
			pktpool__poison(g->p, g->idx[i]);
	}
	err = pktpool__push(g->p, g->tc, g->idx, g->n);
	if (err && !g->err)
		g->err = err;
	g->total += g->n;
	g->n = 0;
}

/*
 * Take slot idx from owner 'from' (0: a free-tagged slot known to be off
 * the list) by CAS, so that a live process adopting it at the same moment
 * either wins or loses cleanly.
 */
static void gather_take(struct gather *g, uint32_t idx, uint32_t from)
{
	struct pktpool *p = g->p;
	uint8_t tag = atomic_load_explicit(&p->tag[idx], memory_order_relaxed);

	if ((tag & PKTPOOL__TAG_OWNER) != from)
		return;
	if (!atomic_compare_exchange_strong_explicit(&p->tag[idx], &tag,
			TAG(p->owner, TAG_CACHED), memory_order_relaxed,
			memory_order_relaxed))
		return;
	g->idx[g->n++] = idx;
	if (g->n == PKTPOOL_BATCH_MAX)
		gather_flush(g);
}

/*
 * The batch a dead process was moving when it died (see freelist.c).
 * Runs before the tag scan, so that slots on the list still tagged for the
 * dead process are untagged instead of pushed a second time.
 */
static void resolve_transit(struct gather *g, struct pktpool__tcache *dtc,
			    uint32_t dead)
{
	struct pktpool *p = g->p;
	/* [F] pairs with the release stores of transit_op in freelist.c */
	uint32_t op = atomic_load_explicit(&dtc->transit_op,
					   memory_order_acquire);
	uint32_t first = atomic_load_explicit(&dtc->transit_first,
					      memory_order_relaxed);
	uint32_t n = atomic_load_explicit(&dtc->transit_n, memory_order_relaxed);
	uint64_t expect = atomic_load_explicit(&dtc->transit_head,
					       memory_order_relaxed);
	uint64_t now = atomic_load_explicit(&p->priv->hdr->head,
					    memory_order_relaxed);
	uint32_t chain[PKTPOOL_CACHE_MAX], k = 0, i, cur;
	bool moved = head_gen(now) != head_gen(expect);

	if (op == TRANSIT_NONE || op > TRANSIT_PUSHED || n == 0 ||
	    n > PKTPOOL_CACHE_MAX || first >= p->slot_count)
		return;
	/* The links of a chain in flight belong to the dead process. */
	for (cur = first; k < n && cur < p->slot_count;) {
		chain[k++] = cur;
		cur = atomic_load_explicit(&p->priv->next[cur],
					   memory_order_relaxed);
	}
	/*
	 * A push that happened and was the last CAS left its chain on top. A
	 * push tags its chain free before its CAS: a slot still tagged for
	 * the dead process means the CAS had not come.
	 */
	if (op == TRANSIT_PUSH && moved) {
		if (now == head_make(first, head_gen(expect) + 1))
			op = TRANSIT_PUSHED;
		for (i = 0; i < k; i++)
			if ((atomic_load_explicit(&p->tag[chain[i]],
				memory_order_relaxed) & PKTPOOL__TAG_OWNER) == dead)
				moved = false;
	}

	switch (op) {
	case TRANSIT_POPPED:	/* taken: the untagged rest is the dead's */
		for (i = 0; i < k; i++)
			gather_take(g, chain[i], 0);
		return;
	case TRANSIT_PUSHED:	/* on the list */
		return;
	case TRANSIT_POP:
		if (!moved)
			return;	/* the CAS did not happen: still on the list */
		break;
	case TRANSIT_PUSH:
		if (!moved) {	/* not pushed: free-tagged ones are lost */
			for (i = 0; i < k; i++)
				gather_take(g, chain[i], 0);
			return;
		}
		break;
	}
	atomic_fetch_add_explicit(&p->priv->hdr->uncertain, k,
				  memory_order_relaxed);
	pktpool__report(p, -EBADMSG,
		"process %u died at a shared-list CAS; %u slots unaccounted until an idle reclaim",
		dead, k);
}

/* Return every slot of owner id 'dead' and empty its thread caches. */
static void reclaim_owner(struct gather *g, uint32_t dead)
{
	struct pktpool *p = g->p;
	struct pktpool__tcache *tcache = p->priv->tcache;
	uint32_t i;

	for (i = 0; i < PKTPOOL_THREADS_MAX; i++)
		if (atomic_load_explicit(&tcache[i].owner,
					 memory_order_relaxed) == dead)
			resolve_transit(g, &tcache[i], dead);
	for (i = 0; i < p->slot_count; i++)
		gather_take(g, i, dead);
	gather_flush(g);
	for (i = 0; i < PKTPOOL_THREADS_MAX; i++)
		if (atomic_load_explicit(&tcache[i].owner,
					 memory_order_relaxed) == dead)
			pktpool__tcache_release(p, &tcache[i]);
}

static bool proc_gone(struct pktpool__proc *e)
{
	pid_t pid = atomic_load_explicit(&e->pid, memory_order_relaxed);
	uint64_t start, want = atomic_load_explicit(&e->start_time,
						     memory_order_relaxed);
	bool dead;

	if (pid <= 0)
		return true;	/* never filled in, or garbage */
	if (pktpool__proc_start_time(pid, &start, &dead))
		return false;	/* cannot tell: assume alive */
	return dead || start != want;
}

/*
 * Reclaim entry i when its process is gone (or, for pid != 0, is pid).
 * Returns slots returned, -EBUSY (alive), or 0 when not applicable.
 */
static int reclaim_one(struct pktpool *p, struct gather *g, uint32_t i,
		       pid_t pid, bool *matched)
{
	struct pktpool__proc *e = &p->priv->hdr->proc[i];
	uint32_t owner = i + 1;
	/* [D] pairs with the release stores of state in proc_claim and
	 * proc_release */
	uint32_t st = atomic_load_explicit(&e->state, memory_order_acquire);
	uint64_t before = g->total;
	pid_t epid = atomic_load_explicit(&e->pid, memory_order_relaxed);

	if (owner == p->owner || st == PROC_FREE)
		return 0;
	if (pid && epid != pid)
		return 0;
	*matched = true;
	switch (st) {
	case PROC_ALIVE:
	case PROC_CLAIMING:
		if (!proc_gone(e))
			return pid ? -EBUSY : 0;
		break;
	case PROC_EXITED:
		break;
	case PROC_RECLAIMING: {
		pid_t r = atomic_load_explicit(&e->reclaimer,
					       memory_order_relaxed);

		if (r > 0 && r != getpid() && kill(r, 0) == 0)
			return pid ? -EBUSY : 0;	/* another survivor */
		break;
	}
	default:
		pktpool__report(p, -EUCLEAN,
			"process table entry %u has state %u", owner, st);
		break;
	}
	/* [D] pairs with the release stores of state in proc_claim and
	 * proc_release: the pid and start time checked above are its own */
	if (!atomic_compare_exchange_strong_explicit(&e->state, &st,
			PROC_RECLAIMING, memory_order_acquire,
			memory_order_relaxed))
		return 0;	/* someone else got there */
	atomic_store_explicit(&e->reclaimer, getpid(), memory_order_relaxed);
	reclaim_owner(g, owner);
	atomic_fetch_add_explicit(&p->priv->hdr->reclaimed, g->total - before,
				  memory_order_relaxed);
	atomic_store_explicit(&e->pid, 0, memory_order_relaxed);
	/* [D] pairs with the acquire load of state in proc_claim (relaxed
	 * CAS there; the entry is rewritten whole before ALIVE) */
	atomic_store_explicit(&e->state, PROC_FREE, memory_order_release);
	return (int)(g->total - before);
}

/*
 * Idle recovery: with nobody else using the region, any slot tagged free
 * that is not on the list, and any slot tagged with an owner whose entry
 * is free, has been lost; put it back.
 */
static int reclaim_idle(struct pktpool *p, struct gather *g)
{
	struct pktpool__hdr *h = p->priv->hdr;
	const uint32_t n = p->slot_count;
	uint8_t *on = calloc(n, 1);
	uint64_t head, steps = 0;
	uint64_t before = g->total;
	uint32_t cur, i;

	if (!on)
		return -ENOMEM;
	/* [C] pairs with the release CAS [B] in pktpool__push_chain() */
	head = atomic_load_explicit(&h->head, memory_order_acquire);
	for (cur = head_idx(head); cur != PKTPOOL_NIL; steps++) {
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
	/* Idle: the count may have missed a CAS a killed process made. */
	atomic_store_explicit(&h->free_count, steps + (g->total - before),
			      memory_order_relaxed);
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
	int err, r, busy = 0;

	err = pktpool__handle_get(p, &pv);
	if (err)
		return err;
	if (pid < 0 || (flags & ~PKTPOOL_RECLAIM_IDLE))
		return -EINVAL;
	err = pktpool__register(p);
	if (err)
		return err;
	memset(&g, 0, sizeof(g));
	g.p = p;
	g.tc = pktpool__thread_cache(p, &err);

	for (i = 0; i < PKTPOOL_PROCS_MAX; i++) {
		r = reclaim_one(p, &g, i, pid, &matched);
		if (r == -EBUSY)
			busy = r;
	}
	if (flags & PKTPOOL_RECLAIM_IDLE) {
		uint64_t before = g.total;

		err = reclaim_idle(p, &g);
		atomic_fetch_add_explicit(&pv->hdr->reclaimed,
					  g.total - before,
					  memory_order_relaxed);
		if (err)
			return err;
	}
	if (g.err)
		return g.err;
	if (pid && !matched)
		return -ESRCH;
	if (pid && busy && !g.total)
		return busy;
	return (int)(g.total > INT32_MAX ? INT32_MAX : g.total);
}
