// SPDX-License-Identifier: MIT
/*
 * Two processes share packet buffers by name and hand them over by index.
 *
 * The producer creates a named region, allocates slots, writes a packet
 * into each and sends the slot's index down a pipe. The consumer is a
 * separate program image (this one, re-executed) that attaches the region
 * by name on its own, reads each packet through its own mapping, which
 * may sit at another address, and frees it. Freeing in another process
 * than the one that allocated is the normal case (RX allocates, TX frees).
 *
 *   exchange [NAME [COUNT]]
 *
 * With /dev/pktpool present the region is a kernel region; otherwise a
 * shared-memory one (PKTPOOL_BACKEND=memfd|kernel forces a choice).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "libpktpool.h"

#define SLOT_SIZE	2048
#define SLOTS		256

static int consume(const char *name, int rfd)
{
	struct pktpool *p;
	unsigned int got = 0;
	uint32_t idx;
	int err;

	err = pktpool_attach(name, 0, &p);
	if (err) {
		fprintf(stderr, "consumer: attach '%s': %s\n", name,
			pktpool_strerror(err));
		return 1;
	}
	while (read(rfd, &idx, sizeof(idx)) == (ssize_t)sizeof(idx)) {
		char *pkt = pktpool_idx_to_ptr(p, idx);

		if (!pkt) {
			fprintf(stderr, "consumer: slot %u out of range\n", idx);
			return 1;
		}
		if (got < 3)
			printf("consumer %d: slot %3u at %p: \"%s\"\n",
			       (int)getpid(), idx, (void *)pkt, pkt);
		err = pktpool_free(p, pkt);
		if (err) {
			fprintf(stderr, "consumer: free: %s\n",
				pktpool_strerror(err));
			return 1;
		}
		got++;
	}
	printf("consumer %d: received and freed %u packets\n", (int)getpid(),
	       got);
	return pktpool_detach(p) ? 1 : 0;
}

static int produce(struct pktpool *p, int wfd, unsigned int count)
{
	for (unsigned int i = 0; i < count; i++) {
		uint32_t idx;
		char *pkt;

		/* All slots in flight: wait for the consumer to free some. */
		while (!(pkt = pktpool_alloc(p)))
			usleep(100);
		snprintf(pkt, SLOT_SIZE, "packet %u from %d", i, (int)getpid());
		if (pktpool_ptr_to_idx(p, pkt, &idx) ||
		    write(wfd, &idx, sizeof(idx)) != (ssize_t)sizeof(idx)) {
			perror("producer: send");
			return 1;
		}
		if (i < 3)
			printf("producer %d: slot %3u at %p: \"%s\"\n",
			       (int)getpid(), idx, (void *)pkt, pkt);
	}
	return 0;
}

int main(int argc, char **argv)
{
	const char *name = argc > 1 ? argv[1] : "exchange-demo";
	unsigned int count = argc > 2 ? (unsigned int)atoi(argv[2]) : 10000;
	struct pktpool_config cfg = {
		.name = name, .slot_size = SLOT_SIZE, .slot_count = SLOTS,
	};
	struct pktpool_stats st;
	struct pktpool *p;
	int fds[2], status, err, rc;
	char fdarg[16];
	pid_t pid;

	setvbuf(stdout, NULL, _IOLBF, 0);	/* two processes, one terminal */
	if (argc == 4 && !strcmp(argv[3], "--consume"))
		return consume(name, 0);

	err = pktpool_create(&cfg, &p);
	if (err) {
		fprintf(stderr, "producer: create '%s': %s\n", name,
			pktpool_strerror(err));
		return 1;
	}
	printf("producer %d: region '%s' (%s backend), %u slots of %u bytes\n",
	       (int)getpid(), name, pktpool_backend_name(p),
	       pktpool_slot_count(p), pktpool_slot_size(p));
	if (pipe(fds)) {
		perror("pipe");
		return 1;
	}
	pid = fork();
	if (pid == 0) {
		/* A fresh program image: nothing inherited but the pipe. */
		dup2(fds[0], 0);
		close(fds[0]);
		close(fds[1]);
		snprintf(fdarg, sizeof(fdarg), "%u", count);
		execl("/proc/self/exe", argv[0], name, fdarg, "--consume",
		      (char *)NULL);
		_exit(127);
	}
	close(fds[0]);
	rc = pid < 0 ? 1 : produce(p, fds[1], count);
	close(fds[1]);
	if (pid > 0 && (waitpid(pid, &status, 0) != pid ||
			!WIFEXITED(status) || WEXITSTATUS(status)))
		rc = 1;

	pktpool_flush_cache(p);
	if (!pktpool_stats(p, &st))
		printf("producer: %llu allocations, %llu slots in use now\n",
		       (unsigned long long)st.allocs,
		       (unsigned long long)st.in_use);
	pktpool_detach(p);
	pktpool_unlink(name);
	return rc;
}
