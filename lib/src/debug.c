// SPDX-License-Identifier: MIT
/*
 * Reporting what goes wrong (misuse, corruption) without aborting, debug
 * poisoning of freed slots, and error strings.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

	if (pv && pv->hdr)
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

	if (pktpool__handle_get(p, &pv))
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
