/* SPDX-License-Identifier: MIT */
/*
 * Shared by the tests: TAP output (ok N - name / not ok N - name, plan at
 * the end, exit 1 on any failure, 77 when skipped) and region helpers.
 * PKTPOOL_BACKEND selects the backend under test; a test skips cleanly
 * when that backend is not available.
 */
#ifndef PKTPOOL_TEST_UTIL_H
#define PKTPOOL_TEST_UTIL_H

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "libpktpool.h"

static int tap_n, tap_failed;

static inline void tap_ok(int cond, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static inline void tap_ok(int cond, const char *fmt, ...)
{
	va_list ap;

	printf("%sok %d - ", cond ? "" : "not ", ++tap_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	if (!cond)
		tap_failed++;
}

#define ok(cond, ...)	tap_ok(!!(cond), __VA_ARGS__)
#define diag(...)	do { printf("# "); printf(__VA_ARGS__); \
			     printf("\n"); fflush(stdout); } while (0)

static inline int tap_done(void)
{
	printf("1..%d\n", tap_n);
	return tap_failed ? 1 : 0;
}

static inline void tap_skip_all(const char *why)
{
	printf("1..0 # SKIP %s\n", why);
	exit(77);
}

/* Errors the library reports, captured instead of printed. */
struct errlog {
	int count;
	int last;
	char msg[256];
};

static inline void errlog_fn(struct pktpool *p, int err, const char *msg,
			     void *arg)
{
	struct errlog *l = arg;

	(void)p;
	l->count++;
	l->last = err;
	snprintf(l->msg, sizeof(l->msg), "%s", msg);
}

static inline void quiet_fn(struct pktpool *p, int err, const char *msg,
			    void *arg)
{
	(void)p; (void)err; (void)msg; (void)arg;
}

/* Create an anonymous region or skip the whole test. */
static inline struct pktpool *make_pool(uint32_t slot_size, uint32_t count,
					uint32_t flags)
{
	struct pktpool_config cfg = {
		.slot_size = slot_size, .slot_count = count, .flags = flags,
	};
	struct pktpool *p = NULL;
	int err = pktpool_create(&cfg, &p);

	if (err == -ENODEV || err == -EOPNOTSUPP)
		tap_skip_all("backend not available");
	if (err) {
		printf("# pktpool_create(%u, %u): %s\n", slot_size, count,
		       pktpool_strerror(err));
		return NULL;
	}
	return p;
}

/* Bail out when setup fails: nothing after it can be meaningful. */
#define require(cond) do {						\
	if (!(cond)) {							\
		printf("Bail out! %s:%d: %s\n", __FILE__, __LINE__, #cond); \
		exit(1);						\
	}								\
} while (0)

/* Scales iteration counts: PKTPOOL_TEST_SCALE=10 runs ten times longer. */
static inline long scaled(long n)
{
	const char *s = getenv("PKTPOOL_TEST_SCALE");
	long k = s ? atol(s) : 1;

	return n * (k > 0 ? k : 1);
}

static inline uint64_t xorshift(uint64_t *s)
{
	uint64_t x = *s;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return *s = x;
}

#endif
