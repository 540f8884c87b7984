// SPDX-License-Identifier: GPL-2.0
/*
 * Pool health: how close a pool with a limit is to it. Two thresholds,
 * module parameters in percent of the limit, give three levels: ok, warn
 * (health_warn, default 80) and critical (health_crit, default 95). When
 * a pool's level changes, the monitor group gets a pool-health-ntf.
 *
 * The fast path does not look: the level is looked at when an allocation
 * takes credit from the pool and, for a pool above ok, when credit goes
 * back to it (see pcpu.c). A CPU takes and returns credit a batch at a
 * time, so in general a crossing is seen within a batch per CPU. Near the
 * limit the pool runs tight (batch 0), and every allocation and free is
 * looked at: tight begins when less than a batch per CPU is left, a
 * quarter of the limit when batches are limit / (4 * CPUs), which they
 * are up to limits of 128 per CPU; above that a batch is 32 and the
 * crossing can be late by that many objects per CPU.
 *
 * The notification goes through netlink's alert work, at most one a
 * second per pool, with the level when it is sent: a pool that crosses
 * and crosses back within that second sends nothing, one that crosses two
 * thresholds sends the last level.
 */
#include <linux/kernel.h>
#include <linux/moduleparam.h>

#include "health.h"
#include "netlink.h"

static unsigned int health_warn = 80;
static unsigned int health_crit = 95;

/* 0 turns a level off; above 100 it could never be reached. */
static int pktpool_health_param_set(const char *val,
				    const struct kernel_param *kp)
{
	unsigned int pct;
	int err;

	err = kstrtouint(val, 0, &pct);
	if (err)
		return err;
	if (pct > 100)
		return -ERANGE;
	WRITE_ONCE(*(unsigned int *)kp->arg, pct);
	return 0;
}

static const struct kernel_param_ops pktpool_health_param_ops = {
	.set = pktpool_health_param_set,
	.get = param_get_uint,
};

module_param_cb(health_warn, &pktpool_health_param_ops, &health_warn, 0644);
MODULE_PARM_DESC(health_warn,
		 "Percent of a pool's limit in use that is \"warn\", 0 off (default 80)");
module_param_cb(health_crit, &pktpool_health_param_ops, &health_crit, 0644);
MODULE_PARM_DESC(health_crit,
		 "Percent of a pool's limit in use that is \"critical\", 0 off (default 95)");

/* in_use against the pool's limit and the thresholds as they are now. */
u8 pktpool_health_level(const struct pktpool *pool, long in_use)
{
	u64 limit = READ_ONCE(pool->limit);
	u64 used = in_use > 0 ? (u64)in_use * 100 : 0;
	unsigned int crit = READ_ONCE(health_crit);
	unsigned int warn = READ_ONCE(health_warn);

	/* limit <= PKTPOOL_LIMIT_MAX (2^32): no product overflows. */
	if (!limit)
		return PKTPOOL_HEALTH_OK;
	if (crit && used >= limit * crit)
		return PKTPOOL_HEALTH_CRIT;
	if (warn && used >= limit * warn)
		return PKTPOOL_HEALTH_WARN;
	return PKTPOOL_HEALTH_OK;
}

void pktpool_health_check_slow(struct pktpool *pool, long in_use)
{
	if (pktpool_health_level(pool, in_use) != READ_ONCE(pool->health))
		pktpool_nl_pool_alert(pool, PKTPOOL_NTF_HEALTH);
}
