/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _PKTPOOL_HEALTH_H
#define _PKTPOOL_HEALTH_H

#include <linux/compiler.h>

#include "pool.h"

void pktpool_health_check_slow(struct pktpool *pool, long in_use);
u8 pktpool_health_level(const struct pktpool *pool, long in_use);

/*
 * Any context, slow paths only: an allocation took credit from the pool,
 * or credit came back to it, and in_use counts it. Marks the pool for a
 * pool-health-ntf when its level is not the one last sent.
 */
static inline void pktpool_health_check(struct pktpool *pool, long in_use)
{
	if (READ_ONCE(pool->limit))
		pktpool_health_check_slow(pool, in_use);
}

/* Credit came back: only a pool above "ok" can have changed level. */
static inline bool pktpool_health_raised(const struct pktpool *pool)
{
	return READ_ONCE(pool->health) != PKTPOOL_HEALTH_OK;
}

#endif /* _PKTPOOL_HEALTH_H */
