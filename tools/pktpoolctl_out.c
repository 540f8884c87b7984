// SPDX-License-Identifier: GPL-2.0
/*
 * pktpoolctl: output. Numbers with units for people, aligned tables, and
 * a small JSON writer for programs (schema: pktpoolctl-json.md). The JSON
 * writer escapes every string it writes, keeps commas right by nesting
 * level and writes numbers as JSON numbers, never as strings.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "pktpoolctl.h"

/* Bytes with a binary unit: "512 B", "1.5 KiB", "16.0 MiB". */
const char *pctl_fmt_bytes(long double bytes, char *buf, size_t size)
{
	static const char *const unit[] = { "KiB", "MiB", "GiB", "TiB", "PiB",
					    "EiB" };
	int i = -1;

	if (bytes < 1024) {
		snprintf(buf, size, "%.0Lf B", bytes);
		return buf;
	}
	while (bytes >= 1024 && i < 5) {
		bytes /= 1024;
		i++;
	}
	snprintf(buf, size, "%.1Lf %s", bytes, unit[i]);
	return buf;
}

const char *pctl_fmt_limit(__u64 limit, char *buf, size_t size)
{
	if (!limit)
		snprintf(buf, size, "unlimited");
	else
		snprintf(buf, size, "%llu", (unsigned long long)limit);
	return buf;
}

const char *pctl_fmt_u64(__u64 v, char *buf, size_t size)
{
	snprintf(buf, size, "%llu", (unsigned long long)v);
	return buf;
}

/* "12.5%" of a limit, "-" when there is none. */
const char *pctl_fmt_pct(__u64 n, __u64 of, char *buf, size_t size)
{
	if (!of)
		snprintf(buf, size, "-");
	else
		snprintf(buf, size, "%.1f%%", 100.0 * (double)n / (double)of);
	return buf;
}

/* Per second: "-" unknown, "0", "12.5", "1.2k", "3.4M". */
const char *pctl_fmt_rate(double rate, char *buf, size_t size)
{
	if (isnan(rate))
		snprintf(buf, size, "-");
	else if (rate == 0)
		snprintf(buf, size, "0");
	else if (rate < 1000)
		snprintf(buf, size, "%.1f", rate);
	else if (rate < 1e6)
		snprintf(buf, size, "%.1fk", rate / 1e3);
	else
		snprintf(buf, size, "%.1fM", rate / 1e6);
	return buf;
}

/* "0660 rw-rw----" */
const char *pctl_fmt_mode(__u32 mode, char *buf, size_t size)
{
	char rwx[10];
	int i;

	for (i = 0; i < 9; i++)
		rwx[i] = mode & (0400 >> i) ? "rwx"[i % 3] : '-';
	rwx[9] = '\0';
	snprintf(buf, size, "%04o %s", mode & 0777, rwx);
	return buf;
}

const char *pctl_fmt_node(__s32 node, char *buf, size_t size)
{
	if (node < 0)
		snprintf(buf, size, "any");
	else
		snprintf(buf, size, "%d", node);
	return buf;
}

/* Local time, ISO 8601 with microseconds: 2024-05-01T12:00:00.123456+0200 */
const char *pctl_fmt_time(const struct timespec *ts, char *buf, size_t size)
{
	char date[32], zone[8];
	struct tm tm;

	if (!localtime_r(&ts->tv_sec, &tm) ||
	    !strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%S", &tm) ||
	    !strftime(zone, sizeof(zone), "%z", &tm)) {
		snprintf(buf, size, "%lld.%06ld", (long long)ts->tv_sec,
			 ts->tv_nsec / 1000);
		return buf;
	}
	snprintf(buf, size, "%s.%06ld%s", date, ts->tv_nsec / 1000, zone);
	return buf;
}

/* Seconds since the epoch, for JSON. */
double pctl_epoch(const struct timespec *ts)
{
	return (double)ts->tv_sec + ts->tv_nsec / 1e9;
}

void pctl_kv(const char *key, const char *value)
{
	printf("%-16s %s\n", key, value);
}

/* Tables: cells of PCTL_CELL bytes, grown as rows are added. */

void pctl_table_init(struct pctl_table *t, const struct pctl_col *cols,
		     unsigned int nr_cols)
{
	memset(t, 0, sizeof(*t));
	t->cols = cols;
	t->nr_cols = nr_cols;
}

/* A new, empty row; NULL when out of memory. */
char (*pctl_table_row(struct pctl_table *t))[PCTL_CELL]
{
	char (*row)[PCTL_CELL];

	if (t->nr_rows == t->cap) {
		unsigned int cap = t->cap ? 2 * t->cap : 16;
		void *tmp = realloc(t->cells, (size_t)cap * t->nr_cols *
				    PCTL_CELL);

		if (!tmp)
			return NULL;
		t->cells = tmp;
		t->cap = cap;
	}
	row = t->cells + (size_t)t->nr_rows++ * t->nr_cols;
	memset(row, 0, (size_t)t->nr_cols * PCTL_CELL);
	return row;
}

/*
 * Names left-aligned, numbers right-aligned, two spaces between columns,
 * no trailing blanks. max_rows 0: all of them.
 */
void pctl_table_print(const struct pctl_table *t, FILE *f,
		      unsigned int max_rows)
{
	size_t width[32] = { 0 };
	unsigned int r, c, nr = t->nr_rows;

	if (max_rows && nr > max_rows)
		nr = max_rows;
	for (c = 0; c < t->nr_cols && c < 32; c++) {
		width[c] = strlen(t->cols[c].title);
		for (r = 0; r < nr; r++) {
			size_t len = strlen(t->cells[r * t->nr_cols + c]);

			if (len > width[c])
				width[c] = len;
		}
	}
	for (r = 0; r <= nr; r++) {
		for (c = 0; c < t->nr_cols && c < 32; c++) {
			const char *s = r ? t->cells[(r - 1) * t->nr_cols + c] :
					    t->cols[c].title;
			bool last = c + 1 == t->nr_cols;

			if (c)
				fputs("  ", f);
			if (t->cols[c].left && last)
				fputs(s, f);
			else
				fprintf(f, t->cols[c].left ? "%-*s" : "%*s",
					(int)width[c], s);
		}
		fputc('\n', f);
	}
}

void pctl_table_free(struct pctl_table *t)
{
	free(t->cells);
	t->cells = NULL;
	t->nr_rows = t->cap = 0;
}

/* JSON */

void pctl_json_init(struct pctl_json *j, FILE *f)
{
	memset(j, 0, sizeof(*j));
	j->f = f;
	j->first[0] = true;
}

static void json_string(FILE *f, const char *s)
{
	const unsigned char *p;

	fputc('"', f);
	for (p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '"':
			fputs("\\\"", f);
			break;
		case '\\':
			fputs("\\\\", f);
			break;
		case '\n':
			fputs("\\n", f);
			break;
		case '\t':
			fputs("\\t", f);
			break;
		case '\r':
			fputs("\\r", f);
			break;
		default:
			/*
			 * Control characters, DEL and every byte above
			 * ASCII as \u00XX: the output is valid JSON (and
			 * ASCII) whatever bytes the kernel sent.
			 */
			if (*p < 0x20 || *p >= 0x7f)
				fprintf(f, "\\u%04x", *p);
			else
				fputc(*p, f);
		}
	}
	fputc('"', f);
}

/* The comma and key before a value at the current level. */
static void json_key(struct pctl_json *j, const char *key)
{
	if (!j->first[j->depth])
		fputc(',', j->f);
	j->first[j->depth] = false;
	if (key) {
		json_string(j->f, key);
		fputc(':', j->f);
	}
}

static void json_open(struct pctl_json *j, const char *key, char c)
{
	json_key(j, key);
	fputc(c, j->f);
	if (j->depth < (int)PCTL_ARRAY_SIZE(j->first) - 1)
		j->depth++;
	j->first[j->depth] = true;
}

void pctl_json_obj(struct pctl_json *j, const char *key)
{
	json_open(j, key, '{');
}

void pctl_json_arr(struct pctl_json *j, const char *key)
{
	json_open(j, key, '[');
}

void pctl_json_end_obj(struct pctl_json *j)
{
	fputc('}', j->f);
	if (j->depth)
		j->depth--;
}

void pctl_json_end_arr(struct pctl_json *j)
{
	fputc(']', j->f);
	if (j->depth)
		j->depth--;
}

void pctl_json_str(struct pctl_json *j, const char *key, const char *s)
{
	json_key(j, key);
	json_string(j->f, s);
}

void pctl_json_u64(struct pctl_json *j, const char *key, __u64 v)
{
	json_key(j, key);
	fprintf(j->f, "%llu", (unsigned long long)v);
}

void pctl_json_s64(struct pctl_json *j, const char *key, long long v)
{
	json_key(j, key);
	fprintf(j->f, "%lld", v);
}

/* NaN and infinities have no JSON form: null. */
void pctl_json_double(struct pctl_json *j, const char *key, double v,
		      int decimals)
{
	json_key(j, key);
	if (!isfinite(v))
		fputs("null", j->f);
	else
		fprintf(j->f, "%.*f", decimals, v);
}

void pctl_json_null(struct pctl_json *j, const char *key)
{
	json_key(j, key);
	fputs("null", j->f);
}

void pctl_json_bool(struct pctl_json *j, const char *key, bool v)
{
	json_key(j, key);
	fputs(v ? "true" : "false", j->f);
}

/* Every field of rec the kernel sent, in the table's (the spec's) order. */
void pctl_json_fields(struct pctl_json *j, const struct pctl_attr_set *set,
		      const void *rec)
{
	const uint64_t *have = rec;
	const char *base = rec;
	unsigned int i;

	for (i = 0; i < set->nr_fields; i++) {
		const struct pctl_field *f = &set->fields[i];
		const void *p = base + f->off;
		__u32 u32;
		__s32 s32;
		__u64 u64;

		if (!(*have & (1ULL << f->attr)))
			continue;
		switch (f->type) {
		case PCTL_U32:
			memcpy(&u32, p, sizeof(u32));
			pctl_json_u64(j, f->json, u32);
			break;
		case PCTL_S32:
			memcpy(&s32, p, sizeof(s32));
			pctl_json_s64(j, f->json, s32);
			break;
		case PCTL_U64:
			memcpy(&u64, p, sizeof(u64));
			pctl_json_u64(j, f->json, u64);
			break;
		case PCTL_STR:
			pctl_json_str(j, f->json, p);
			break;
		}
	}
	if (set->json_more)
		set->json_more(j, rec);
}

void pctl_json_record(struct pctl_json *j, const char *key,
		      const struct pctl_attr_set *set, const void *rec)
{
	pctl_json_obj(j, key);
	pctl_json_fields(j, set, rec);
	pctl_json_end_obj(j);
}

/* A whole JSON document: an array of nr records, size bytes apart. */
void pctl_json_print_records(const struct pctl_attr_set *set,
			     const void *recs, size_t nr, size_t size)
{
	struct pctl_json j;
	size_t i;

	pctl_json_init(&j, stdout);
	pctl_json_arr(&j, NULL);
	for (i = 0; i < nr; i++)
		pctl_json_record(&j, NULL, set, (const char *)recs + i * size);
	pctl_json_end_arr(&j);
	pctl_json_done(&j);
}

/* End of one JSON document (or JSON line). */
void pctl_json_done(struct pctl_json *j)
{
	fputc('\n', j->f);
	fflush(j->f);
}
