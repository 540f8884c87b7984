// SPDX-License-Identifier: GPL-2.0
/*
 * pktpoolctl show NAME|ID --objects: the objects a debug pool has out,
 * oldest first, each with where it was allocated (the kernel's symbol of
 * the call site), its age and the task that allocated it, for hunting
 * leaks. Netlink pool-objects-get, which needs CAP_NET_ADMIN.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "pktpoolctl.h"

static const char *ctx_name(__u32 ctx)
{
	switch (ctx) {
	case PKTPOOL_OBJ_CTX_TASK:
		return "task";
	case PKTPOOL_OBJ_CTX_SOFTIRQ:
		return "softirq";
	case PKTPOOL_OBJ_CTX_HARDIRQ:
		return "hardirq";
	}
	return "unknown";
}

/* Oldest first: allocation order, which seq numbers. */
static int by_seq(const void *a, const void *b)
{
	const struct pctl_object *x = a, *y = b;

	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static bool is_task(const struct pctl_object *o)
{
	return o->context == PKTPOOL_OBJ_CTX_TASK &&
	       (o->have & (1ULL << PKTPOOL_A_OBJECT_PID));
}

static void objects_json(const struct pctl_pool *pool,
			 const struct pctl_object *objs, size_t nr)
{
	struct pctl_json j;
	size_t i;

	pctl_json_init(&j, stdout);
	pctl_json_obj(&j, NULL);
	pctl_json_u64(&j, "id", pool->id);
	pctl_json_str(&j, "name", pool->name);
	pctl_json_arr(&j, "objects");
	for (i = 0; i < nr; i++) {
		const struct pctl_object *o = &objs[i];

		pctl_json_obj(&j, NULL);
		pctl_json_u64(&j, "seq", o->seq);
		pctl_json_str(&j, "site", o->site[0] ? o->site : "?");
		pctl_json_u64(&j, "age_ms", o->age_ms);
		pctl_json_str(&j, "context", ctx_name(o->context));
		if (is_task(o)) {
			pctl_json_u64(&j, "pid", o->pid);
			pctl_json_u64(&j, "tid", o->tid);
			pctl_json_str(&j, "comm", o->comm);
		} else {
			pctl_json_null(&j, "pid");
			pctl_json_null(&j, "tid");
			pctl_json_null(&j, "comm");
		}
		pctl_json_end_obj(&j);
	}
	pctl_json_end_arr(&j);
	pctl_json_end_obj(&j);
	pctl_json_done(&j);
}

static int width(int w, const char *s)
{
	int n = (int)strlen(s);

	return n > w ? n : w;
}

static void objects_text(const struct pctl_pool *pool,
			 const struct pctl_object *objs, size_t nr)
{
	int wseq = 3, wage = 3, wpid = 3, wcomm = 4;
	char seq[24], age[32], pid[16], comm[24];
	size_t i, pass;

	printf("pool '%s' (id %u): ", pool->name, pool->id);
	if (!nr) {
		printf("no objects out\n");
		return;
	}
	printf("%zu object%s out, oldest first\n", nr, nr == 1 ? "" : "s");
	/* Pass 0 measures the columns, pass 1 prints. */
	for (pass = 0; pass < 2; pass++) {
		if (pass)
			printf("%*s  %*s  %*s  %-*s  %s\n", wseq, "SEQ", wage,
			       "AGE", wpid, "PID", wcomm, "COMM", "SITE");
		for (i = 0; i < nr; i++) {
			const struct pctl_object *o = &objs[i];

			snprintf(seq, sizeof(seq), "%llu",
				 (unsigned long long)o->seq);
			snprintf(age, sizeof(age), "%llu.%03llus",
				 (unsigned long long)(o->age_ms / 1000),
				 (unsigned long long)(o->age_ms % 1000));
			if (is_task(o)) {
				snprintf(pid, sizeof(pid), "%u", o->pid);
				snprintf(comm, sizeof(comm), "%s", o->comm);
			} else {
				snprintf(pid, sizeof(pid), "-");
				snprintf(comm, sizeof(comm), "[%s]",
					 ctx_name(o->context));
			}
			if (!pass) {
				wseq = width(wseq, seq);
				wage = width(wage, age);
				wpid = width(wpid, pid);
				wcomm = width(wcomm, comm);
				continue;
			}
			printf("%*s  %*s  %*s  %-*s  %s\n", wseq, seq, wage, age,
			       wpid, pid, wcomm, comm,
			       o->site[0] ? o->site : "?");
		}
	}
}

int pctl_show_objects(struct ctl *ctl, const struct pctl_ref *ref)
{
	struct pctl_object *objs;
	struct pctl_pool pool;
	size_t nr;
	int err;

	err = pctl_open_nl(ctl);
	if (err)
		return err;
	err = pctl_pool_objects_dump(&ctl->nl, ref, &objs, &nr);
	if (err)
		return pctl_report(ctl, PCTL_OP_OBJECTS, ref, err);
	/* For the heading; the pool may have gone since. */
	memset(&pool, 0, sizeof(pool));
	if (pctl_pool_get(&ctl->nl, ref, &pool)) {
		pool.id = ref->id;
		snprintf(pool.name, sizeof(pool.name), "%s", ref->name);
	}
	if (nr)
		qsort(objs, nr, sizeof(*objs), by_seq);
	if (ctl->json)
		objects_json(&pool, objs, nr);
	else
		objects_text(&pool, objs, nr);
	free(objs);
	return EXIT_OK;
}
