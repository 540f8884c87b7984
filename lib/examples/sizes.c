// SPDX-License-Identifier: MIT
/*
 * Packets of every size from one pool set, shared by two processes.
 *
 * The parent creates a named set with classes for ACKs (64), small
 * packets (256), MTU frames (2048) and jumbo frames (9216), each allowed
 * to grow to four regions. It allocates packets of mixed sizes (each
 * from the smallest class that holds it), grows a frame into a jumbo one
 * with realloc, and hands every packet to a child by reference; the child
 * attaches the set by name, resolves each reference (attaching regions
 * the parent added after it attached) and frees it by pointer alone.
 * Then the parent gives the idle added regions back.
 *
 *   sizes [NAME]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "libpktpool.h"

#define PACKETS	200

static int child(const char *name, int rfd)
{
	struct pktpool_set *s;
	unsigned int got = 0;
	uint64_t ref;
	void *pkt;
	int err;

	err = pktpool_set_attach(name, 0, &s);
	if (err) {
		fprintf(stderr, "child: attach '%s': %s\n", name,
			pktpool_strerror(err));
		return 1;
	}
	while (read(rfd, &ref, sizeof(ref)) == (ssize_t)sizeof(ref)) {
		err = pktpool_set_ref_to_ptr(s, ref, &pkt);
		if (!err)
			err = pktpool_set_free(s, pkt);
		if (err) {
			fprintf(stderr, "child: ref %#llx: %s\n",
				(unsigned long long)ref, pktpool_strerror(err));
			return 1;
		}
		got++;
	}
	printf("child: freed %u packets\n", got);
	fflush(stdout);	/* _exit() below does not */
	pktpool_set_detach(s);
	return 0;
}

int main(int argc, char **argv)
{
	const char *name = argc > 1 ? argv[1] : "example-sizes";
	static const size_t lens[] = { 40, 40, 200, 1500, 1500, 9000 };
	struct pktpool_set_config cfg = {
		.name = name, .nclasses = 4, .grow_max = 4,
		.cls = { { 64, 32 }, { 256, 32 }, { 2048, 32 }, { 9216, 16 } },
	};
	struct pktpool_set_class_info ci;
	struct pktpool_set *s;
	void *pkt[PACKETS];
	int fds[2], st, err, i;
	unsigned int c;
	pid_t pid;
	char *jumbo;

	pktpool_set_unlink(name);	/* a previous run's leftovers */
	err = pktpool_set_create(&cfg, &s);
	if (err) {
		fprintf(stderr, "create '%s': %s\n", name, pktpool_strerror(err));
		return 1;
	}
	if (pipe(fds))
		return 1;
	pid = fork();
	if (pid == 0) {
		close(fds[1]);
		_exit(child(name, fds[0]));
	}
	close(fds[0]);

	for (i = 0; i < PACKETS; i++) {
		size_t len = lens[i % 6];

		pkt[i] = pktpool_set_alloc(s, len);
		if (!pkt[i]) {
			perror("alloc");
			return 1;
		}
		memset(pkt[i], i, len);
	}
	/* a 1500-byte frame that turns out to need 4000 bytes */
	jumbo = pktpool_set_realloc(s, pkt[3], 4000);
	if (!jumbo) {
		perror("realloc");
		return 1;
	}
	pkt[3] = jumbo;
	printf("parent: packet 3 moved to a %zu-byte slot, first byte %d\n",
	       pktpool_set_usable_size(s, jumbo), jumbo[0]);
	for (c = 0; c < s->nclasses; c++) {
		pktpool_set_class_info(s, c, &ci);
		printf("parent: class %5u: %u region(s), %llu slots, %llu in use\n",
		       ci.slot_size, ci.regions,
		       (unsigned long long)ci.slot_count,
		       (unsigned long long)ci.in_use);
	}
	fflush(stdout);
	for (i = 0; i < PACKETS; i++) {
		uint64_t ref;

		if (pktpool_set_ptr_to_ref(s, pkt[i], &ref) ||
		    write(fds[1], &ref, sizeof(ref)) != (ssize_t)sizeof(ref))
			return 1;
	}
	close(fds[1]);
	waitpid(pid, &st, 0);
	if (!WIFEXITED(st) || WEXITSTATUS(st))
		return 1;
	printf("parent: trim gave back %d region(s)\n", pktpool_set_trim(s));
	pktpool_set_detach(s);
	pktpool_set_unlink(name);
	return 0;
}
