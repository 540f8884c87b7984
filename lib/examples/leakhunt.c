// SPDX-License-Identifier: MIT
/*
 * Leak hunting and health: a named region in debug mode, two threads that
 * allocate, one of which forgets two slots, and a write one byte past a
 * slot's usable size. The program then looks at its region the way
 * `pktpoolctl region show NAME --objects` and `pktpoolctl health NAME`
 * do from outside: health against thresholds, what each process holds,
 * and every slot still out with the thread and call site that took it.
 *
 *   leakhunt [NAME] [--hold]
 *
 * With --hold it publishes the region's summary for netlink readers
 * (pktpool_stats_publish()), prints "ready" and keeps the region (and the
 * leaks) until its stdin closes, so that pktpoolctl can look at it
 * meanwhile.
 *
 * Build: cc -std=c11 -D_GNU_SOURCE leakhunt.c -lpktpool -lpthread
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libpktpool.h>

static struct pktpool *pool;

static void *forgetful(void *arg)
{
	void *a = pktpool_alloc(pool), *b = pktpool_alloc(pool);
	void *c = pktpool_alloc(pool);

	(void)arg;
	(void)a;
	(void)b;		/* a and b: never freed */
	pktpool_free(pool, c);
	return NULL;
}

static void report(struct pktpool *p, int err, const char *msg, void *arg)
{
	(void)p;
	(void)arg;
	printf("  library reports: %s (%s)\n", msg, pktpool_strerror(err));
}

int main(int argc, char **argv)
{
	struct pktpool_config cfg = {
		.name = "leakhunt", .slot_size = 256, .slot_count = 64,
		.flags = PKTPOOL_F_DEBUG,
	};
	struct pktpool_health_limits lim = { 2, 5 };	/* tiny, to show WARN */
	struct pktpool_proc_info pi[PKTPOOL_PROCS_MAX];
	struct pktpool_object o[16];
	struct pktpool_health_report h;
	bool hold = false;
	unsigned char *x;
	pthread_t th;
	int i, n, err;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--hold"))
			hold = true;
		else
			cfg.name = argv[i];
	}
	pktpool_unlink(cfg.name);	/* a leftover of an earlier run */
	err = pktpool_create(&cfg, &pool);
	if (err) {
		fprintf(stderr, "leakhunt: create '%s': %s\n", cfg.name,
			pktpool_strerror(err));
		return 1;
	}
	pktpool_set_error_handler(pool, report, NULL);
	printf("region '%s': %u slots of %u bytes, %u usable in debug mode\n",
	       cfg.name, pktpool_slot_count(pool), pktpool_slot_size(pool),
	       pktpool_usable_size(pool));

	pthread_create(&th, NULL, forgetful, NULL);
	pthread_join(th, NULL);

	/* one byte too many: caught when the slot is freed */
	x = pktpool_alloc(pool);
	memset(x, 0, pktpool_usable_size(pool) + 1);
	printf("free after an overrun: %s\n", pktpool_strerror(pktpool_free(pool, x)));

	err = pktpool_health(pool, &lim, &h);
	printf("health with warn %u%%, critical %u%%: %s (%llu of %llu slots out, %llu errors)\n",
	       h.warn_pct, h.crit_pct,
	       err == PKTPOOL_HEALTH_LEVEL_OK ? "ok" :
	       err == PKTPOOL_HEALTH_LEVEL_WARN ? "warn" : "critical",
	       (unsigned long long)h.used, (unsigned long long)h.slot_count,
	       (unsigned long long)h.errors);

	n = pktpool_procs(pool, pi, PKTPOOL_PROCS_MAX);
	for (i = 0; i < n && i < PKTPOOL_PROCS_MAX; i++)
		printf("process %d holds %llu slots (%llu cached)\n",
		       (int)pi[i].pid, (unsigned long long)pi[i].held,
		       (unsigned long long)pi[i].cached);

	n = pktpool_objects(pool, 0, o, 16);
	printf("%d slots out:\n", n);
	for (i = 0; i < n; i++)
		printf("  slot %u: thread %d, call site %#llx, %.3f s ago%s\n",
		       o[i].idx, (int)o[i].tid, (unsigned long long)o[i].site,
		       (double)o[i].age_ns / 1e9,
		       (o[i].flags & PKTPOOL_OBJ_QUARANTINED) ?
		       " (overrun: quarantined)" : "");
	printf("resolve a site: addr2line -f -e /proc/%d/exe with the offset that\n"
	       "'pktpoolctl region show %s --objects' prints\n",
	       (int)getpid(), cfg.name);

	if (hold) {
		char c;

		/*
		 * Idle from here on: publish the summary now, so that
		 * region-get over netlink (pktpoolctl region list, YNL)
		 * shows these numbers exactly while we wait. A busy
		 * program needs no call: its slow paths publish.
		 */
		err = pktpool_stats_publish(pool);
		printf("summary for netlink readers: %s\n",
		       err ? pktpool_strerror(err) : "published");
		printf("ready\n");
		fflush(stdout);
		while (read(0, &c, 1) > 0)
			;
	}
	pktpool_unlink(cfg.name);
	pktpool_detach(pool);
	return 0;
}
