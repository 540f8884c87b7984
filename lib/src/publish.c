// SPDX-License-Identifier: MIT
/*
 * The region's summary for readers who do not map it (struct
 * pktpool_region_lib in the uapi, at PKTPOOL_REGION_LIB_OFF in the control
 * block): what pktpool_stats() and pktpool_procs() say, which pktpool.ko
 * copies into netlink's region-get.
 *
 * The counters are published from the slow paths, at most every
 * PKTPOOL_REGION_LIB_MS: a refill, a drain or a failed allocation (and
 * every 32nd call of a handle without a cache) reads the coarse clock (a
 * vDSO read, no system call) and the summary's stamp, and the one caller
 * whose compare-and-swap moves the stamp sums the thread caches and
 * stores the fields. Everything, the per-process holdings too (a pass
 * over the slot tags), is published when a process attaches or detaches,
 * on a reset and on pktpool_stats_publish(). There is no lock a SIGKILL
 * could leave held: each field is stored whole, and two publishers at
 * once may mix their fields, as the uapi tells the reader.
 */
#include <errno.h>
#include <string.h>
#include <time.h>
#include <linux/pktpool.h>

#include "internal.h"

_Static_assert(PKTPOOL_REGION_LIB_OFF >= offsetof(struct pktpool__hdr, proc) +
	       PKTPOOL_PROCS_MAX * sizeof(struct pktpool__proc),
	       "summary after the process table");
_Static_assert(PKTPOOL_REGION_LIB_OFF + sizeof(struct pktpool_region_lib) <=
	       PKTPOOL_HDR_SIZE, "summary inside the header page");
_Static_assert(PKTPOOL_REGION_LIB_PROCS == PKTPOOL_PROCS_MAX,
	       "one summary entry per process entry");

#define PUBLISH_NS	((uint64_t)PKTPOOL_REGION_LIB_MS * 1000000u)

static struct pktpool_region_lib *summary(struct pktpool__priv *pv)
{
	return (struct pktpool_region_lib *)((unsigned char *)pv->hdr +
					     PKTPOOL_REGION_LIB_OFF);
}

/* CLOCK_REALTIME, as the kernel's age needs; coarse is a vDSO read. */
static uint64_t realtime_ns(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_REALTIME_COARSE, &ts) || ts.tv_sec < 0)
		return 0;
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

#define STORE(field, v)	__atomic_store_n(&(field), (v), __ATOMIC_RELAXED)

static void put_counters(struct pktpool *p, struct pktpool__priv *pv,
			 struct pktpool_region_lib *s)
{
	struct pktpool_stats st;

	pktpool__stats(p, pv, &st);
	STORE(s->threads, st.threads);
	STORE(s->in_use, st.in_use);
	STORE(s->cached, st.cached);
	STORE(s->free, st.free);
	STORE(s->peak, st.peak);
	STORE(s->allocs, st.allocs);
	STORE(s->frees, st.frees);
	STORE(s->failures, st.failures);
	STORE(s->errors, st.errors);
	STORE(s->reclaimed, st.reclaimed);
	STORE(s->procs, st.procs);
	STORE(s->version, PKTPOOL_REGION_LIB_VERSION);
}

/* Each process entry's pid and the slots its tags charge to it. */
static void put_procs(struct pktpool *p, struct pktpool__priv *pv,
		      struct pktpool_region_lib *s, const uint64_t *held,
		      uint64_t now)
{
	uint64_t mine[PKTPOOL_PROCS_MAX + 1];
	uint32_t i;

	if (!held) {
		pktpool__held(p, mine);
		held = mine;
	}
	for (i = 0; i < PKTPOOL_PROCS_MAX; i++) {
		struct pktpool__proc *e = &pv->hdr->proc[i];
		uint32_t st = atomic_load_explicit(&e->state,
						   memory_order_relaxed);
		int32_t pid = atomic_load_explicit(&e->pid,
						   memory_order_relaxed);
		bool used = st != PROC_FREE || held[i + 1];

		STORE(s->proc[i].pid, used && pid > 0 ? pid : 0);
		STORE(s->proc[i].held, used ? (uint32_t)held[i + 1] : 0);
	}
	STORE(s->procs_time_ns, now);
}

/*
 * Everything, now: the counters and the holdings (held as
 * pktpool__held() counted them, NULL to count here). Writable handles
 * only; the caller holds the handle.
 */
void pktpool__publish(struct pktpool *p, const uint64_t *held)
{
	struct pktpool__priv *pv = p->priv;
	struct pktpool_region_lib *s = summary(pv);
	uint64_t now = realtime_ns();

	STORE(s->time_ns, now);
	put_counters(p, pv, s);
	put_procs(p, pv, s, held, now);
}

/* The slow paths' call: the counters when the last are PUBLISH_NS old. */
void pktpool__publish_tick(struct pktpool *p)
{
	struct pktpool__priv *pv = p->priv;
	struct pktpool_region_lib *s = summary(pv);
	uint64_t now = realtime_ns();
	uint64_t last = __atomic_load_n(&s->time_ns, __ATOMIC_RELAXED);

	/* a stamp ahead of us (a clock step, a hostile writer) is stale */
	if (last <= now && now - last < PUBLISH_NS)
		return;
	/* one publisher per interval: whoever moves the stamp */
	if (!__atomic_compare_exchange_n(&s->time_ns, &last, now, false,
					 __ATOMIC_RELAXED, __ATOMIC_RELAXED))
		return;
	put_counters(p, pv, s);
}

PKTPOOL_EXPORT int pktpool_stats_publish(struct pktpool *p)
{
	struct pktpool__priv *pv;
	int err;

	err = pktpool__handle_get(p, &pv);
	if (err)
		return err;
	pktpool__publish(p, NULL);
	return 0;
}
