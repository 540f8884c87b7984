// SPDX-License-Identifier: MIT
/*
 * Reporting what goes wrong (misuse, corruption) without aborting, debug
 * poisoning of freed slots, and error strings.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"

/*
 * Count the error in the region, hand a one-line message to the handler
 * (or stderr) and return err, so callers can 'return pktpool__report()'.
 */
int pktpool__report(struct pktpool *p, int err, const char *fmt, ...)
{
	struct pktpool__priv *pv = p ? p->priv : NULL;
	char msg[256];
	va_list ap;
	int cs;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);

	if (pv && pv->hdr && !pv->rdonly)
		atomic_fetch_add_explicit(&pv->hdr->errors, 1,
					  memory_order_relaxed);
	/* Callers may hold a lock: not a cancellation point. */
	pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, &cs);
	if (pv && pv->errfn)
		pv->errfn(p, err, msg, pv->errarg);
	else
		fprintf(stderr, "libpktpool[%d]: %s: %s (%s)\n", (int)getpid(),
			pv ? pv->name : "?", msg, pktpool_strerror(err));
	pthread_setcancelstate(cs, &cs);
	return err;
}

PKTPOOL_EXPORT void pktpool_set_error_handler(struct pktpool *p,
					      pktpool_error_fn fn, void *arg)
{
	struct pktpool__priv *pv;

	if (pktpool__handle_get_ro(p, &pv))
		return;
	pv->errfn = fn;
	pv->errarg = arg;
}

bool pktpool__env_debug(void)
{
	const char *v = getenv("PKTPOOL_DEBUG");

	return v && *v && strcmp(v, "0") != 0;
}

/* Debug: fill a slot the user gave back, to catch writes after free. */
void pktpool__poison(struct pktpool *p, uint32_t idx)
{
	memset(slot_ptr(p, idx), PKTPOOL_POISON, p->slot_size);
}

/* Debug, at layout: every slot poisoned (before the region is visible). */
void pktpool__poison_all(struct pktpool__priv *pv)
{
	memset(pv->base + pv->lay.off_slots, PKTPOOL_POISON,
	       (size_t)pv->lay.slot_count * pv->lay.slot_size);
}

/* Debug: -EBADMSG when a free slot was written to since it was poisoned. */
int pktpool__poison_check(struct pktpool *p, uint32_t idx)
{
	const uint64_t want = 0x0101010101010101ull * PKTPOOL_POISON;
	const unsigned char *s = slot_ptr(p, idx);
	uint32_t off;

	for (off = 0; off < p->slot_size; off += 8) {
		uint64_t v;

		memcpy(&v, s + off, 8);
		if (v != want) {
			unsigned char b[8];
			uint32_t k = 0;

			/* our copy: another process may change the slot
			 * meanwhile, and the slot may end at a guard page */
			memcpy(b, &v, 8);
			while (k < 7 && b[k] == PKTPOOL_POISON)
				k++;
			return pktpool__report(p, -EBADMSG,
				"slot %u written after free (byte %u is 0x%02x)",
				idx, off + k, b[k]);
		}
	}
	return 0;
}

static struct pktpool__dbg_rec *dbg_rec(struct pktpool *p, uint32_t idx)
{
	return (struct pktpool__dbg_rec *)((unsigned char *)slot_ptr(p, idx) +
					   p->slot_size - PKTPOOL_DEBUG_TRAILER);
}

/*
 * Debug, at hand out (after the poison check): guard bytes after the
 * usable size, then who allocated the slot and where. site is the return
 * address of the public alloc call, so in the caller's code (the inline
 * pktpool_alloc() calls the library from there).
 */
void pktpool__debug_record(struct pktpool *p, uint32_t idx, const void *site,
			   pid_t tid)
{
	struct pktpool__dbg_rec rec;
	struct timespec ts;

	/* coarse (a tick, a few ms): a read of the vDSO page, where the
	 * precise clock can cost tens of ns (kvm-clock) */
	clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
	memset(rec.guard, PKTPOOL_GUARD_BYTE, sizeof(rec.guard));
	rec.site = (uint64_t)(uintptr_t)site;
	rec.time_ns = (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
	/* set when this process registered (again after a fork): getpid()
	 * is a system call, too slow for every alloc */
	rec.pid = (int32_t)p->priv->pid;
	rec.tid = (int32_t)tid;
	memcpy(dbg_rec(p, idx), &rec, sizeof(rec));
	atomic_store_explicit(&p->priv->dbg[idx], DBG_ARMED,
			      memory_order_relaxed);
}

/* Debug: the slot goes to a ring, where the kernel may fill all of it. */
void pktpool__debug_unguard(struct pktpool *p, uint32_t idx)
{
	struct pktpool__priv *pv = p->priv;

	if (pv->debug && idx < p->slot_count)
		atomic_store_explicit(&pv->dbg[idx], DBG_UNGUARDED,
				      memory_order_relaxed);
}

/*
 * Debug, at free of a slot a debug handle handed out: were the guard
 * bytes after its usable size overwritten? Then the slot is quarantined:
 * it stays charged to this process (tag in use, dbg[] QUARANTINE), is not
 * poisoned or pushed, pktpool_objects() lists it with the record of who
 * allocated it, and every later free of it says -EBADMSG again. A reclaim
 * after this process is gone returns it (poisoned again in debug mode).
 * 0 when the guard is intact (or the slot has none).
 */
int pktpool__guard_check(struct pktpool *p, uint32_t idx)
{
	struct pktpool__priv *pv = p->priv;
	struct pktpool__dbg_rec rec;
	uint8_t state = atomic_load_explicit(&pv->dbg[idx],
					     memory_order_relaxed);
	uint32_t k;

	if (state == DBG_QUARANTINE)
		return pktpool__report(p, -EBADMSG,
			"free of slot %u, quarantined after an overrun", idx);
	if (state != DBG_ARMED)
		return 0;
	/* our copy: the slot's bytes may change under us */
	memcpy(&rec, dbg_rec(p, idx), sizeof(rec));
	for (k = 0; k < PKTPOOL_GUARD_LEN; k++)
		if (rec.guard[k] != PKTPOOL_GUARD_BYTE)
			break;
	if (k == PKTPOOL_GUARD_LEN)
		return 0;
	atomic_store_explicit(&pv->dbg[idx], DBG_QUARANTINE,
			      memory_order_relaxed);
	return pktpool__report(p, -EBADMSG,
		"slot %u overrun: byte %u after its %u usable bytes is 0x%02x "
		"(allocated by pid %d tid %d at %#llx); slot quarantined",
		idx, k, p->slot_size - PKTPOOL_DEBUG_TRAILER, rec.guard[k],
		(int)rec.pid, (int)rec.tid, (unsigned long long)rec.site);
}

PKTPOOL_EXPORT const char *pktpool_strerror(int err)
{
	if (err < 0)
		err = -err;
	switch (err) {
	case 0:
		return "success";
	case EINVAL:
		return "invalid argument or pointer not at the start of a slot";
	case EFAULT:
		return "pointer not in the region";
	case EALREADY:
		return "slot already free (double free)";
	case EUCLEAN:
		return "region structure corrupted";
	case EBADMSG:
		return "region counts or slot contents inconsistent";
	case ENOMEM:
		return "no free slot, or out of memory";
	case ENOSPC:
		return "table full (handles, processes or thread caches)";
	case EEXIST:
		return "region name already exists";
	case ENOENT:
		return "no such region";
	case EAGAIN:
		return "region busy or still being created; try again";
	case EBUSY:
		return "process still running, or too much contention";
	case ESRCH:
		return "process not attached to the region";
	case EBADF:
		return "handle not attached";
	case ENODEV:
		return "backend device not present";
	case EOPNOTSUPP:
		return "backend does not support this";
	case EPROTO:
		return "kernel and library disagree on the region layout";
	case ESTALE:
		return "slot was reclaimed from a dead owner";
	case EPERM:
	case EACCES:
		return "permission denied";
	case EMSGSIZE:
		return "size larger than the set's largest class";
	default:
		return "unknown error";
	}
}
