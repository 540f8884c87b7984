// SPDX-License-Identifier: GPL-2.0
/*
 * pktpoolctl: libpktpool's own view of a region, read from the region
 * through a read-only handle (PKTPOOL_F_RDONLY: a read-only mapping, no
 * process entry): counters, health, per-process holdings and, in debug
 * mode, the slots still out with who allocated them where. The library
 * treats the region as hostile memory and clamps what it reads; what is
 * printed here comes only from its answers. Also the statistics reset
 * (a writable attach, like region reclaim).
 *
 * Kernel regions are attached through /dev/pktpool, memfd regions
 * (/dev/shm/pktpool.NAME) through the file: pctl_lib_open() picks the
 * backend by where the region is, whatever PKTPOOL_BACKEND says.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "libpktpool.h"
#include "pktpoolctl.h"

int pctl_lib_open(const char *name, bool kernel, bool write,
		  struct pktpool **p)
{
	setenv("PKTPOOL_BACKEND", kernel ? "kernel" : "memfd", 1);
	return pktpool_attach(name, write ? 0 : PKTPOOL_F_RDONLY, p);
}

const char *pctl_lib_why(int err)
{
	switch (err) {
	case -EAGAIN:
		return "not laid out yet: no libpktpool process has attached it";
	case -EACCES:
	case -EPERM:
		return "permission denied (the region's mode)";
	case -EUCLEAN:
	case -EBADMSG:
		return "not a valid libpktpool region (or another layout version)";
	default:
		return pktpool_strerror(err);
	}
}

const char *pctl_health_name(int level)
{
	switch (level) {
	case PKTPOOL_HEALTH_LEVEL_OK:
		return "ok";
	case PKTPOOL_HEALTH_LEVEL_WARN:
		return "warn";
	case PKTPOOL_HEALTH_LEVEL_CRIT:
		return "critical";
	default:
		return "unknown";
	}
}

static const char *const reason_names[] = {
	"slots", "processes", "failures", "errors",
};

/* "slots, failures" into buf ("-" for none). */
const char *pctl_health_reasons(uint32_t reasons, char *buf, size_t size)
{
	size_t i, len = 0;

	buf[0] = '\0';
	for (i = 0; i < PCTL_ARRAY_SIZE(reason_names); i++)
		if (reasons & (1u << i))
			len += (size_t)snprintf(buf + len, len < size ?
						size - len : 0, "%s%s",
						len ? ", " : "",
						reason_names[i]);
	if (!buf[0])
		snprintf(buf, size, "-");
	return buf;
}

void pctl_json_reasons(struct pctl_json *j, uint32_t reasons)
{
	size_t i;

	pctl_json_arr(j, "reasons");
	for (i = 0; i < PCTL_ARRAY_SIZE(reason_names); i++)
		if (reasons & (1u << i))
			pctl_json_str(j, NULL, reason_names[i]);
	pctl_json_end_arr(j);
}

static const char *proc_state(uint32_t s)
{
	switch (s) {
	case PKTPOOL_PROC_CLAIMING:
		return "claiming";
	case PKTPOOL_PROC_ALIVE:
		return "alive";
	case PKTPOOL_PROC_EXITED:
		return "exited";
	case PKTPOOL_PROC_RECLAIMING:
		return "reclaiming";
	default:
		return "invalid";
	}
}

/*
 * Where an address of process pid is: the mapping's file and the offset
 * into it (what addr2line -e FILE takes for an ordinary executable or
 * library). The pid comes from the region: /proc/PID/maps of whatever
 * process has it now is read, never trusted further than that.
 */
struct site {
	char path[256];
	uint64_t off;
	bool found;
};

static void site_resolve(int32_t pid, uint64_t addr, struct site *s)
{
	char fn[64], line[512];
	FILE *f;

	memset(s, 0, sizeof(*s));
	if (pid <= 0 || !addr)
		return;
	snprintf(fn, sizeof(fn), "/proc/%d/maps", (int)pid);
	f = fopen(fn, "re");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		unsigned long long lo, hi, off;
		int pos = 0;

		if (sscanf(line, "%llx-%llx %*s %llx %*s %*s%n", &lo, &hi, &off,
			   &pos) != 3 || addr < lo || addr >= hi)
			continue;
		while (line[pos] == ' ')
			pos++;
		line[strcspn(line, "\n")] = '\0';
		snprintf(s->path, sizeof(s->path), "%s",
			 line[pos] ? line + pos : "[anonymous]");
		s->off = addr - lo + off;
		s->found = true;
		break;
	}
	fclose(f);
}

static void fmt_age(uint64_t ns, char *buf, size_t size)
{
	double s = (double)ns / 1e9;

	if (s < 120)
		snprintf(buf, size, "%.3fs", s);
	else if (s < 7200)
		snprintf(buf, size, "%.1fmin", s / 60);
	else
		snprintf(buf, size, "%.1fh", s / 3600);
}

static const char *obj_flags(uint32_t f, char *buf, size_t size)
{
	const char *w[3];
	size_t len = 0;
	int n = 0, i;

	if (f & PKTPOOL_OBJ_QUARANTINED)
		w[n++] = "overrun, quarantined";
	else if (f & PKTPOOL_OBJ_OVERRUN)
		w[n++] = "overrun";
	if (f & PKTPOOL_OBJ_UNGUARDED)
		w[n++] = "on a ring";
	else if (!(f & PKTPOOL_OBJ_RECORD))
		w[n++] = "no record";
	buf[0] = '\0';
	for (i = 0; i < n; i++)
		len += (size_t)snprintf(buf + len, len < size ? size - len : 0,
					"%s%s", i ? ", " : "", w[i]);
	return n ? buf : "-";
}

enum { O_SLOT, O_HOLDER, O_PID, O_TID, O_AGE, O_SITE, O_WHERE, O_NOTE,
       NR_OCOLS };

static const struct pctl_col obj_cols[NR_OCOLS] = {
	{ "SLOT", false }, { "HOLDER", false }, { "PID", false },
	{ "TID", false }, { "AGE", false }, { "SITE", false },
	{ "MAPPING+OFFSET", true }, { "NOTE", true },
};

#define OBJ_BATCH	256

/* Every object, in batches: fn per object; a negative errno or 0. */
static int objects_each(struct pktpool *p,
			void (*fn)(const struct pktpool_object *o, void *arg),
			void *arg)
{
	struct pktpool_object *o = malloc(OBJ_BATCH * sizeof(*o));
	uint32_t start = 0;
	int n, i;

	if (!o)
		return -ENOMEM;
	for (;;) {
		n = pktpool_objects(p, start, o, OBJ_BATCH);
		if (n < 0)
			break;
		for (i = 0; i < n; i++)
			fn(&o[i], arg);
		if (n < OBJ_BATCH)
			break;
		start = o[n - 1].idx + 1;
		if (!start)
			break;
	}
	free(o);
	return n < 0 ? n : 0;
}

static void obj_row(const struct pktpool_object *o, void *arg)
{
	struct pctl_table *t = arg;
	char (*row)[PCTL_CELL] = pctl_table_row(t);
	struct site s;
	char f[64];

	if (!row)
		return;
	pctl_fmt_u64(o->idx, row[O_SLOT], PCTL_CELL);
	snprintf(row[O_HOLDER], PCTL_CELL, "%d", (int)o->holder_pid);
	if (!(o->flags & PKTPOOL_OBJ_RECORD)) {
		snprintf(row[O_PID], PCTL_CELL, "-");
		snprintf(row[O_TID], PCTL_CELL, "-");
		snprintf(row[O_AGE], PCTL_CELL, "-");
		snprintf(row[O_SITE], PCTL_CELL, "-");
		snprintf(row[O_WHERE], PCTL_CELL, "-");
	} else {
		snprintf(row[O_PID], PCTL_CELL, "%d", (int)o->pid);
		snprintf(row[O_TID], PCTL_CELL, "%d", (int)o->tid);
		fmt_age(o->age_ns, row[O_AGE], PCTL_CELL);
		snprintf(row[O_SITE], PCTL_CELL, "%#" PRIx64, o->site);
		site_resolve(o->pid, o->site, &s);
		if (s.found) {
			const char *base = strrchr(s.path, '/');
			char off[24];

			/* the cell is short: the file's last part here, the
			 * whole path in --json */
			snprintf(off, sizeof(off), "+%#" PRIx64, s.off);
			snprintf(row[O_WHERE], PCTL_CELL, "%.*s%s",
				 (int)(PCTL_CELL - 1 - strlen(off)),
				 base ? base + 1 : s.path, off);
		} else {
			snprintf(row[O_WHERE], PCTL_CELL, "(pid gone)");
		}
	}
	snprintf(row[O_NOTE], PCTL_CELL, "%s",
		 obj_flags(o->flags, f, sizeof(f)));
}

enum { P_ID, P_PID, P_STATE, P_THREADS, P_HELD, P_CACHED, P_INUSE,
       NR_PCOLS };

static const struct pctl_col proc_cols[NR_PCOLS] = {
	{ "ID", false }, { "PID", false }, { "STATE", true },
	{ "THREADS", false }, { "HELD", false }, { "CACHED", false },
	{ "IN-USE", false },
};

static void fmt_since(int64_t t, char *buf, size_t size)
{
	struct tm tm;
	time_t tt = (time_t)t;

	if (t <= 0 || !localtime_r(&tt, &tm) ||
	    !strftime(buf, size, "%Y-%m-%d %H:%M:%S", &tm))
		snprintf(buf, size, "the region's creation");
}

/* The text view, after the kernel's lines (or alone for memfd). */
int pctl_lib_print(struct pktpool *p, bool objects)
{
	struct pktpool_proc_info pi[PKTPOOL_PROCS_MAX];
	struct pktpool_health_report h;
	struct pktpool_stats st;
	struct pctl_table t;
	char buf[160], a[32], r[64];
	int n, i, lv, err;

	err = pktpool_stats(p, &st);
	lv = err ? err : pktpool_health(p, NULL, &h);
	if (lv < 0)
		return lv;
	pctl_kv("library:", "libpktpool's counters, read from the region");
	snprintf(buf, sizeof(buf), "%u of %s (%u usable%s)", st.slot_count,
		 pctl_fmt_bytes(st.slot_size, a, sizeof(a)),
		 pktpool_usable_size(p),
		 (h.flags & PKTPOOL_HEALTH_F_DEBUG) ? ", debug mode" : "");
	pctl_kv("  slots:", buf);
	snprintf(buf, sizeof(buf), "%" PRIu64 " in use, %" PRIu64 " cached, %"
		 PRIu64 " free; peak %" PRIu64, st.in_use, st.cached, st.free,
		 st.peak);
	pctl_kv("  now:", buf);
	snprintf(buf, sizeof(buf), "%" PRIu64 " allocs, %" PRIu64 " frees, %"
		 PRIu64 " failures, %" PRIu64 " errors, %" PRIu64 " reclaimed",
		 st.allocs, st.frees, st.failures, st.errors, st.reclaimed);
	pctl_kv("  counters:", buf);
	fmt_since(h.stats_since, a, sizeof(a));
	snprintf(buf, sizeof(buf), "%s (%u reset%s)", a, h.resets,
		 h.resets == 1 ? "" : "s");
	pctl_kv("  since:", buf);
	snprintf(buf, sizeof(buf), "%s (%" PRIu64 " of %" PRIu64
		 " slots out, %s; warn %u%%, critical %u%%; %s)",
		 pctl_health_name(lv), h.used, h.slot_count,
		 pctl_fmt_pct(h.used, h.slot_count, a, sizeof(a)), h.warn_pct,
		 h.crit_pct, pctl_health_reasons(h.reasons, r, sizeof(r)));
	pctl_kv("  health:", buf);
	n = pktpool_procs(p, pi, PKTPOOL_PROCS_MAX);
	if (n < 0)
		return n;
	snprintf(buf, sizeof(buf), "%d of %d entries, %u thread caches", n,
		 PKTPOOL_PROCS_MAX, st.threads);
	pctl_kv("  processes:", buf);
	if (n > 0) {
		pctl_table_init(&t, proc_cols, NR_PCOLS);
		for (i = 0; i < n && i < PKTPOOL_PROCS_MAX; i++) {
			char (*row)[PCTL_CELL] = pctl_table_row(&t);

			if (!row)
				break;
			pctl_fmt_u64(pi[i].id, row[P_ID], PCTL_CELL);
			snprintf(row[P_PID], PCTL_CELL, "%d", (int)pi[i].pid);
			snprintf(row[P_STATE], PCTL_CELL, "%s",
				 proc_state(pi[i].state));
			pctl_fmt_u64(pi[i].threads, row[P_THREADS], PCTL_CELL);
			pctl_fmt_u64(pi[i].held, row[P_HELD], PCTL_CELL);
			pctl_fmt_u64(pi[i].cached, row[P_CACHED], PCTL_CELL);
			pctl_fmt_u64(pi[i].held - pi[i].cached, row[P_INUSE],
				     PCTL_CELL);
		}
		pctl_table_print(&t, stdout, 0);
		pctl_table_free(&t);
	}
	if (!objects)
		return 0;
	printf("\nobjects out (debug mode records):\n");
	pctl_table_init(&t, obj_cols, NR_OCOLS);
	err = objects_each(p, obj_row, &t);
	if (!err && !t.nr_rows)
		printf("none%s\n", (h.flags & PKTPOOL_HEALTH_F_DEBUG) ? "" :
		       " (the region is not in debug mode: slots carry no records)");
	else if (!err)
		pctl_table_print(&t, stdout, 0);
	pctl_table_free(&t);
	return err;
}

static void obj_json(const struct pktpool_object *o, void *arg)
{
	struct pctl_json *j = arg;
	struct site s;

	pctl_json_obj(j, NULL);
	pctl_json_u64(j, "slot", o->idx);
	pctl_json_u64(j, "owner", o->owner);
	pctl_json_s64(j, "holder_pid", o->holder_pid);
	if (o->flags & PKTPOOL_OBJ_RECORD) {
		pctl_json_s64(j, "pid", o->pid);
		pctl_json_s64(j, "tid", o->tid);
		pctl_json_u64(j, "site", o->site);
		site_resolve(o->pid, o->site, &s);
		if (s.found) {
			pctl_json_str(j, "mapping", s.path);
			pctl_json_u64(j, "offset", s.off);
		} else {
			pctl_json_null(j, "mapping");
			pctl_json_null(j, "offset");
		}
		pctl_json_double(j, "age", (double)o->age_ns / 1e9, 6);
	}
	pctl_json_bool(j, "record", o->flags & PKTPOOL_OBJ_RECORD);
	pctl_json_bool(j, "overrun", o->flags & PKTPOOL_OBJ_OVERRUN);
	pctl_json_bool(j, "quarantined", o->flags & PKTPOOL_OBJ_QUARANTINED);
	pctl_json_bool(j, "unguarded", o->flags & PKTPOOL_OBJ_UNGUARDED);
	pctl_json_end_obj(j);
}

/* The "library" object of region show --json. */
int pctl_lib_json(struct pctl_json *j, struct pktpool *p, bool objects)
{
	struct pktpool_proc_info pi[PKTPOOL_PROCS_MAX];
	struct pktpool_health_report h;
	struct pktpool_stats st;
	int n, i, lv, err;

	err = pktpool_stats(p, &st);
	lv = err ? err : pktpool_health(p, NULL, &h);
	if (lv < 0)
		return lv;
	n = pktpool_procs(p, pi, PKTPOOL_PROCS_MAX);
	if (n < 0)
		return n;
	pctl_json_obj(j, "library");
	pctl_json_u64(j, "slot_size", st.slot_size);
	pctl_json_u64(j, "slot_count", st.slot_count);
	pctl_json_u64(j, "usable_size", pktpool_usable_size(p));
	pctl_json_bool(j, "debug", h.flags & PKTPOOL_HEALTH_F_DEBUG);
	pctl_json_u64(j, "in_use", st.in_use);
	pctl_json_u64(j, "cached", st.cached);
	pctl_json_u64(j, "free", st.free);
	pctl_json_u64(j, "peak", st.peak);
	pctl_json_u64(j, "allocs", st.allocs);
	pctl_json_u64(j, "frees", st.frees);
	pctl_json_u64(j, "failures", st.failures);
	pctl_json_u64(j, "errors", st.errors);
	pctl_json_u64(j, "reclaimed", st.reclaimed);
	pctl_json_u64(j, "threads", st.threads);
	if (h.stats_since > 0)
		pctl_json_s64(j, "stats_since", h.stats_since);
	else
		pctl_json_null(j, "stats_since");
	pctl_json_u64(j, "resets", h.resets);
	pctl_json_obj(j, "health");
	pctl_json_str(j, "level", pctl_health_name(lv));
	pctl_json_u64(j, "used", h.used);
	pctl_json_u64(j, "warn_pct", h.warn_pct);
	pctl_json_u64(j, "crit_pct", h.crit_pct);
	pctl_json_reasons(j, h.reasons);
	pctl_json_end_obj(j);
	pctl_json_arr(j, "processes");
	for (i = 0; i < n && i < PKTPOOL_PROCS_MAX; i++) {
		pctl_json_obj(j, NULL);
		pctl_json_u64(j, "id", pi[i].id);
		pctl_json_s64(j, "pid", pi[i].pid);
		pctl_json_str(j, "state", proc_state(pi[i].state));
		pctl_json_u64(j, "threads", pi[i].threads);
		pctl_json_u64(j, "held", pi[i].held);
		pctl_json_u64(j, "cached", pi[i].cached);
		pctl_json_u64(j, "in_use", pi[i].held - pi[i].cached);
		pctl_json_end_obj(j);
	}
	pctl_json_end_arr(j);
	if (objects) {
		pctl_json_arr(j, "objects");
		err = objects_each(p, obj_json, j);
		pctl_json_end_arr(j);
		/* the library object is written: say it here, once */
		if (err)
			pctl_json_str(j, "objects_error", pktpool_strerror(err));
	}
	pctl_json_end_obj(j);
	return 0;
}

/* region reset-stats NAME */
int pctl_region_reset_stats(struct ctl *ctl, int argc, char **argv)
{
	struct pctl_region region;
	struct pctl_ref ref;
	struct pktpool *p;
	bool kernel = false;
	int err;

	err = pctl_simple_args(ctl, argc, argv, 1, "region reset-stats NAME");
	if (err)
		return err;
	if (!pctl_name_valid(argv[optind]))
		return pctl_usage_error("invalid region name '%s'",
					argv[optind]);
	pctl_ref_name(&ref, argv[optind]);
	if (!pctl_nl_open(&ctl->nl))
		kernel = !pctl_region_get(&ctl->nl, &ref, &region);
	err = pctl_lib_open(ref.name, kernel, true, &p);
	if (err) {
		pctl_err("cannot attach region '%s': %s%s", ref.name,
			 pctl_lib_why(err),
			 err == -ENOENT ? " (see 'pktpoolctl region list')" : "");
		return EXIT_FAIL;
	}
	err = pktpool_stats_reset(p);
	pktpool_detach(p);
	if (err) {
		pctl_err("reset the statistics of region '%s': %s", ref.name,
			 pktpool_strerror(err));
		return EXIT_FAIL;
	}
	printf("reset the statistics of region '%s': counters 0, peak what is out now\n",
	       ref.name);
	return EXIT_OK;
}
