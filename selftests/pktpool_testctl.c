// SPDX-License-Identifier: GPL-2.0
/*
 * pktpool_testctl: drive /dev/pktpool_test from a shell script.
 *
 *   pktpool_testctl hold POOL COUNT [WORD...]
 *       hold COUNT objects, print how many were handed out
 *   pktpool_testctl release POOL [COUNT] [WORD...]
 *       release COUNT held objects (default: all), print how many
 *   WORD: process (default), softirq or irq (an interrupt handler: hard irq,
 *         threaded on PREEMPT_RT; "hardirq" is the same): the context;
 *         atomic: GFP_ATOMIC; bulk: alloc_bulk/free_bulk; zero: zalloc
 *   pktpool_testctl run TEST [POOL [ARG]]
 *       TEST: both_cpus, bad_free, lifecycle, cross_cpu, bulk_null,
 *       node_count, drain_node, undrain_node; prints the result, out[]
 *       and msg
 *
 * Exit status: 0 success (for run: result 0), 1 failure, 2 usage error.
 */
#include "pktpool_util.h"

static const char *const tests[] = {
	[PKTPOOL_TEST_BOTH_CPUS] = "both_cpus",
	[PKTPOOL_TEST_BAD_FREE] = "bad_free",
	[PKTPOOL_TEST_LIFECYCLE] = "lifecycle",
	[PKTPOOL_TEST_CROSS_CPU] = "cross_cpu",
	[PKTPOOL_TEST_BULK_NULL] = "bulk_null",
	[PKTPOOL_TEST_NODE_COUNT] = "node_count",
	[PKTPOOL_TEST_DRAIN_NODE] = "drain_node",
	[PKTPOOL_TEST_UNDRAIN_NODE] = "undrain_node",
	[PKTPOOL_TEST_RING] = "ring",
};

static int usage(void)
{
	fprintf(stderr,
		"usage: pktpool_testctl hold POOL COUNT [WORD...]\n"
		"       pktpool_testctl release POOL [COUNT] [WORD...]\n"
		"       WORD: process|softirq|irq, atomic, bulk, zero\n"
		"       pktpool_testctl run TEST [POOL [ARG]]\n"
		"       TEST: both_cpus|bad_free|lifecycle|cross_cpu|bulk_null|node_count|drain_node|undrain_node\n");
	return 2;
}

static bool parse_u32(const char *s, __u32 *out)
{
	unsigned long v;
	char *end;

	if (*s < '0' || *s > '9')
		return false;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v > UINT32_MAX)
		return false;
	*out = (__u32)v;
	return true;
}

/* Context and flag words after the count; false on an unknown word. */
static bool parse_words(char **words, int nr, __u32 *ctx, __u32 *flags)
{
	int i;

	*ctx = PKTPOOL_TEST_CTX_PROCESS;
	*flags = 0;
	for (i = 0; i < nr; i++) {
		if (!strcmp(words[i], "process"))
			*ctx = PKTPOOL_TEST_CTX_PROCESS;
		else if (!strcmp(words[i], "softirq"))
			*ctx = PKTPOOL_TEST_CTX_SOFTIRQ;
		else if (!strcmp(words[i], "irq") ||
			 !strcmp(words[i], "hardirq"))
			*ctx = PKTPOOL_TEST_CTX_IRQ;
		else if (!strcmp(words[i], "atomic"))
			*flags |= PKTPOOL_TEST_F_ATOMIC;
		else if (!strcmp(words[i], "bulk"))
			*flags |= PKTPOOL_TEST_F_BULK;
		else if (!strcmp(words[i], "zero"))
			*flags |= PKTPOOL_TEST_F_ZERO;
		else
			return false;
	}
	return true;
}

int main(int argc, char **argv)
{
	struct pktpool_test_run run;
	__u32 count = 0, arg = 0, test = 0, i, done = 0, ctx, flags;
	int fd, err, first;

	if (argc < 3)
		return usage();
	fd = pp_open_dev(PKTPOOL_TEST_DEVICE);
	if (fd < 0) {
		fprintf(stderr, "pktpool_testctl: %s: %s\n",
			PKTPOOL_TEST_DEVICE, strerror(-fd));
		return 1;
	}

	if (!strcmp(argv[1], "hold") && argc >= 4) {
		if (!parse_u32(argv[3], &count) ||
		    !parse_words(argv + 4, argc - 4, &ctx, &flags))
			return usage();
		err = pt_hold(fd, argv[2], count, ctx, flags, &done);
		printf("held %u\n", done);
	} else if (!strcmp(argv[1], "release")) {
		/* An optional count first; 0 (the default) means all. */
		first = argc > 3 && parse_u32(argv[3], &count) ? 4 : 3;
		if (!parse_words(argv + first, argc - first, &ctx, &flags))
			return usage();
		err = pt_release(fd, argv[2], count, ctx, flags, &done);
		printf("released %u\n", done);
	} else if (!strcmp(argv[1], "run") && argc >= 3 && argc <= 5) {
		for (i = 1; i < sizeof(tests) / sizeof(tests[0]); i++)
			if (!strcmp(argv[2], tests[i]))
				test = i;
		if (!test || (argc == 5 && !parse_u32(argv[4], &arg)))
			return usage();
		err = pt_run(fd, test, arg, argc >= 4 ? argv[3] : NULL, &run);
		if (!err) {
			printf("result %d out %llu %llu %llu %llu msg '%s'\n",
			       run.result, (unsigned long long)run.out[0],
			       (unsigned long long)run.out[1],
			       (unsigned long long)run.out[2],
			       (unsigned long long)run.out[3], run.msg);
			if (run.result)
				err = run.result;
		}
	} else {
		return usage();
	}
	close(fd);
	if (err) {
		fprintf(stderr, "pktpool_testctl: %s\n", strerror(-err));
		return 1;
	}
	return 0;
}
