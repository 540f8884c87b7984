// SPDX-License-Identifier: MIT
/*
 * The kernel backend (/dev/pktpool regions): the same region and API as
 * memfd. Skips while the module is not loaded or lacks region support.
 */
#include <sys/wait.h>

#include "util.h"

int main(void)
{
	struct pktpool_config cfg = { .slot_size = 2048, .slot_count = 256 };
	struct pktpool *a = NULL, *b = NULL;
	struct pktpool_layout lay;
	char name[32];
	void *s;
	uint32_t idx = 0;
	pid_t pid;
	int err, st;

	setenv("PKTPOOL_BACKEND", "kernel", 1);
	snprintf(name, sizeof(name), "t-kernel-%d", (int)getpid());
	cfg.name = name;
	err = pktpool_create(&cfg, &a);
	if (err == -ENODEV || err == -EOPNOTSUPP)
		tap_skip_all("no /dev/pktpool with region support");
	ok(err == 0, "kernel: create a named region (%s)", pktpool_strerror(err));
	require(a);
	ok(strcmp(pktpool_backend_name(a), "kernel") == 0, "kernel: backend name");
	ok(pktpool_get_layout(a, &lay) == 0 && lay.region_id != 0,
	   "kernel: the layout carries the kernel's region id");
	ok(pktpool_attach(name, 0, &b) == 0, "kernel: attach by name");
	s = pktpool_alloc(a);
	require(s && b);
	strcpy(s, "kernel region");
	pktpool_ptr_to_idx(a, s, &idx);
	ok(strcmp(pktpool_idx_to_ptr(b, idx), "kernel region") == 0,
	   "kernel: both attachments see the same slot");
	ok(pktpool_free(b, pktpool_idx_to_ptr(b, idx)) == 0,
	   "kernel: free through the other attachment");
	pid = fork();
	if (pid == 0) {
		struct pktpool *c = NULL;

		if (pktpool_attach_fd(pktpool_region_fd(a), &lay, 0, &c))
			_exit(2);
		s = pktpool_alloc(c);
		_exit(s && pktpool_free(c, s) == 0 && pktpool_detach(c) == 0 ?
		      0 : 3);
	}
	waitpid(pid, &st, 0);
	ok(WIFEXITED(st) && WEXITSTATUS(st) == 0,
	   "kernel: attach_fd with the region id in another process");
	ok(pktpool_validate(a) == 0, "kernel: validate");
	pktpool_detach(b);
	pktpool_detach(a);
	ok(pktpool_unlink(name) == 0, "kernel: unlink");
	return tap_done();
}
