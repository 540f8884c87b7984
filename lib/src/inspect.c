// SPDX-License-Identifier: MIT
/*
 * Looking at a region from outside: health against thresholds, what each
 * process holds, and in debug mode the slots still out with who
 * allocated them. All read sides, fit for a read-only handle
 * (PKTPOOL_F_RDONLY): nothing here writes the region or reports through
 * the error handler, and every value read from the region is a claim by
 * some process that may lie, checked or clamped where it is used.
 */
#include <errno.h>
#include <string.h>
#include <time.h>

#include "internal.h"

static uint32_t level_of(uint64_t n, uint64_t of, uint32_t warn,
			 uint32_t crit)
{
	/* n / of >= pct / 100, in integers: n, of < 2^32 and pct <= 100 */
	if (n * 100 >= (uint64_t)crit * of)
		return PKTPOOL_HEALTH_LEVEL_CRIT;
	if (n * 100 >= (uint64_t)warn * of)
		return PKTPOOL_HEALTH_LEVEL_WARN;
	return PKTPOOL_HEALTH_LEVEL_OK;
}

PKTPOOL_EXPORT int pktpool_health(struct pktpool *p,
				  const struct pktpool_health_limits *lim,
				  struct pktpool_health_report *hl)
{
	struct pktpool__priv *pv;
	struct pktpool_stats st;
	struct pktpool__hdr *h;
	uint32_t warn = PKTPOOL_HEALTH_WARN_PCT, crit = PKTPOOL_HEALTH_CRIT_PCT;
	uint32_t i, lv;
	int64_t t;
	int err;

	err = pktpool__handle_get_ro(p, &pv);
	if (err)
		return err;
	if (!hl)
		return -EINVAL;
	if (lim && lim->warn_pct)
		warn = lim->warn_pct;
	if (lim && lim->crit_pct)
		crit = lim->crit_pct;
	if (warn > 100 || crit > 100 || warn > crit)
		return -EINVAL;
	err = pktpool__stats(p, pv, &st);
	if (err)
		return err;
	h = pv->hdr;
	memset(hl, 0, sizeof(*hl));
	hl->warn_pct = warn;
	hl->crit_pct = crit;
	hl->slot_count = st.slot_count;
	hl->used = st.in_use + st.cached;	/* clamped to slot_count */
	hl->failures = st.failures;
	hl->errors = st.errors;
	hl->procs_max = PKTPOOL_PROCS_MAX;
	for (i = 0; i < PKTPOOL_PROCS_MAX; i++)
		hl->procs += atomic_load_explicit(&h->proc[i].state,
						  memory_order_relaxed) !=
			     PROC_FREE;
	t = atomic_load_explicit(&h->reset_time, memory_order_relaxed);
	hl->stats_since = t > 0 ? t : 0;
	hl->resets = atomic_load_explicit(&h->resets, memory_order_relaxed);
	if (h->flags & PKTPOOL_HDR_F_DEBUG)
		hl->flags |= PKTPOOL_HEALTH_F_DEBUG;

	lv = level_of(hl->used, hl->slot_count, warn, crit);
	if (lv)
		hl->reasons |= PKTPOOL_HEALTH_R_SLOTS;
	hl->level = lv;
	lv = level_of(hl->procs, hl->procs_max, warn, crit);
	if (lv)
		hl->reasons |= PKTPOOL_HEALTH_R_PROCS;
	if (lv > hl->level)
		hl->level = lv;
	if (hl->failures)
		hl->reasons |= PKTPOOL_HEALTH_R_FAILURES;
	if (hl->errors)
		hl->reasons |= PKTPOOL_HEALTH_R_ERRORS;
	if ((hl->failures || hl->errors) && hl->level < PKTPOOL_HEALTH_LEVEL_WARN)
		hl->level = PKTPOOL_HEALTH_LEVEL_WARN;
	return (int)hl->level;
}

/*
 * Slots charged to each owner id (held[0]: free), counted from the tags:
 * one pass over slot_count bytes. The tag's owner bits are 0..63 whatever
 * a writer put there.
 */
void pktpool__held(struct pktpool *p, uint64_t held[PKTPOOL_PROCS_MAX + 1])
{
	uint32_t i;

	memset(held, 0, (PKTPOOL_PROCS_MAX + 1) * sizeof(held[0]));
	for (i = 0; i < p->slot_count; i++)
		held[atomic_load_explicit(&p->tag[i], memory_order_relaxed) &
		     PKTPOOL__TAG_OWNER]++;
}

PKTPOOL_EXPORT int pktpool_procs(struct pktpool *p,
				 struct pktpool_proc_info *out,
				 unsigned int max)
{
	uint64_t held[PKTPOOL_PROCS_MAX + 1], cached[PKTPOOL_PROCS_MAX + 1];
	uint32_t threads[PKTPOOL_PROCS_MAX + 1];
	struct pktpool__priv *pv;
	struct pktpool__hdr *h;
	uint32_t i, k = 0;
	int err;

	err = pktpool__handle_get_ro(p, &pv);
	if (err)
		return err;
	if (!out && max)
		return -EINVAL;
	h = pv->hdr;
	memset(cached, 0, sizeof(cached));
	memset(threads, 0, sizeof(threads));
	pktpool__held(p, held);
	for (i = 0; i < PKTPOOL_THREADS_MAX; i++) {
		struct pktpool__tcache *tc = &pv->tcache[i];
		uint32_t o = atomic_load_explicit(&tc->owner,
						  memory_order_relaxed);
		uint32_t c = atomic_load_explicit(&tc->count,
						  memory_order_relaxed);

		if (o == 0 || o > PKTPOOL_PROCS_MAX)
			continue;
		threads[o]++;
		cached[o] += c <= PKTPOOL_CACHE_MAX ? c : 0;
	}
	for (i = 0; i < PKTPOOL_PROCS_MAX; i++) {
		uint32_t s = atomic_load_explicit(&h->proc[i].state,
						  memory_order_relaxed);
		int32_t pid = atomic_load_explicit(&h->proc[i].pid,
						   memory_order_relaxed);
		struct pktpool_proc_info *pi;

		/* an entry no writer should leave FREE with slots is
		 * listed all the same: the slots are charged to it */
		if (s == PROC_FREE && !held[i + 1] && !threads[i + 1])
			continue;
		if (k++ >= max)
			continue;
		pi = &out[k - 1];
		memset(pi, 0, sizeof(*pi));
		pi->id = i + 1;
		pi->pid = pid > 0 ? pid : 0;
		pi->state = s <= PROC_RECLAIMING ? s : 0;
		pi->threads = threads[i + 1];
		pi->held = held[i + 1];
		/* cache counts are claims: never more than the tags say */
		pi->cached = cached[i + 1] < pi->held ? cached[i + 1] : pi->held;
	}
	return (int)k;
}

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);	/* as the records */
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* One slot handed out in debug mode, described from a private copy. */
static void object_of(struct pktpool *p, struct pktpool__priv *pv,
		      uint32_t idx, uint8_t tag, uint64_t now,
		      struct pktpool_object *o)
{
	uint8_t state = atomic_load_explicit(&pv->dbg[idx],
					     memory_order_relaxed);
	uint32_t owner = tag & PKTPOOL__TAG_OWNER;
	struct pktpool__dbg_rec rec;
	int32_t hp;
	uint32_t k;

	memset(o, 0, sizeof(*o));
	o->idx = idx;
	o->owner = owner;
	if (owner >= 1 && owner <= PKTPOOL_PROCS_MAX) {
		hp = atomic_load_explicit(&pv->hdr->proc[owner - 1].pid,
					  memory_order_relaxed);
		o->holder_pid = hp > 0 ? hp : 0;
	}
	if (state != DBG_ARMED && state != DBG_UNGUARDED &&
	    state != DBG_QUARANTINE)
		return;
	memcpy(&rec, (unsigned char *)slot_ptr(p, idx) + p->slot_size -
	       PKTPOOL_DEBUG_TRAILER, sizeof(rec));
	if (state == DBG_UNGUARDED) {
		/* the kernel may have written over the record too */
		o->flags |= PKTPOOL_OBJ_UNGUARDED;
	} else {
		for (k = 0; k < PKTPOOL_GUARD_LEN; k++)
			if (rec.guard[k] != PKTPOOL_GUARD_BYTE)
				o->flags |= PKTPOOL_OBJ_OVERRUN;
		if (state == DBG_QUARANTINE)
			o->flags |= PKTPOOL_OBJ_OVERRUN |
				    PKTPOOL_OBJ_QUARANTINED;
	}
	/* a record a process could have written: pids and tids positive,
	 * a time not in the future */
	if (rec.pid <= 0 || rec.tid <= 0 || rec.time_ns == 0 ||
	    rec.time_ns > now || (o->flags & PKTPOOL_OBJ_UNGUARDED))
		return;
	o->flags |= PKTPOOL_OBJ_RECORD;
	o->pid = rec.pid;
	o->tid = rec.tid;
	o->site = rec.site;
	o->alloc_ns = rec.time_ns;
	o->age_ns = now - rec.time_ns;
}

PKTPOOL_EXPORT int pktpool_objects(struct pktpool *p, uint32_t start,
				   struct pktpool_object *out,
				   unsigned int max)
{
	struct pktpool__priv *pv;
	uint32_t i, k = 0;
	uint64_t now;
	int err;

	err = pktpool__handle_get_ro(p, &pv);
	if (err)
		return err;
	if ((!out && max) || max > INT32_MAX)
		return -EINVAL;
	now = mono_ns();
	for (i = start; i < p->slot_count && k < max; i++) {
		uint8_t tag = atomic_load_explicit(&pv->tag[i],
						   memory_order_relaxed);

		if ((tag & TAG_STATE_MASK) != TAG_INUSE ||
		    !(tag & PKTPOOL__TAG_OWNER))
			continue;
		object_of(p, pv, i, tag, now, &out[k++]);
	}
	return (int)k;
}

PKTPOOL_EXPORT uint32_t pktpool_usable_size(const struct pktpool *p)
{
	struct pktpool__priv *pv;

	if (pktpool__handle_get_ro(p, &pv))
		return 0;
	return p->slot_size - (pv->debug ? PKTPOOL_DEBUG_TRAILER : 0);
}
