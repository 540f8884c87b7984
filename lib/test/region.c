// SPDX-License-Identifier: MIT
/*
 * Regions: create, attach by name, by fd (passed over a unix socket) and by
 * fork, detach, unlink, the layout, and the errors of each.
 */
#include <fcntl.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "util.h"

static struct errlog elog;
static char name[32];

static int send_fd(int sock, int fd)
{
	char cbuf[CMSG_SPACE(sizeof(int))], c = 'x';
	struct iovec iov = { &c, 1 };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *cm = CMSG_FIRSTHDR(&msg);

	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &fd, sizeof(int));
	return sendmsg(sock, &msg, 0) == 1 ? 0 : -1;
}

static int recv_fd(int sock)
{
	char cbuf[CMSG_SPACE(sizeof(int))], c;
	struct iovec iov = { &c, 1 };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *cm;
	int fd;

	if (recvmsg(sock, &msg, 0) != 1)
		return -1;
	cm = CMSG_FIRSTHDR(&msg);
	if (!cm || cm->cmsg_type != SCM_RIGHTS)
		return -1;
	memcpy(&fd, CMSG_DATA(cm), sizeof(int));
	return fd;
}

static int child_status(pid_t pid)
{
	int st;

	if (waitpid(pid, &st, 0) != pid)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static void test_layout(void)
{
	struct pktpool_layout lay, got;
	struct pktpool *p;
	int aligned;

	ok(pktpool_layout(2048, 1000, &lay) == 0, "layout of 1000 x 2048");
	aligned = lay.off_rx_ring % 4096 == 0 && lay.off_fill_ring % 4096 == 0 &&
		  lay.off_tx_ring % 4096 == 0 &&
		  lay.off_meta % 4096 == 0 && lay.off_slots % 4096 == 0 &&
		  lay.size % 4096 == 0 && lay.off_tcache >= 4096 &&
		  lay.off_tcache + PKTPOOL_THREADS_MAX * 320 <= lay.ctrl_size &&
		  lay.ctrl_size <= lay.off_rx_ring &&
		  lay.off_tag == lay.off_next + 4 * 1000 &&
		  lay.off_slots >= lay.off_meta + 8 * 1000 &&
		  lay.size >= lay.off_slots + 2048 * 1000 &&
		  lay.ring_entries == 1024;
	ok(aligned, "layout parts are page aligned, ordered and large enough");
	ok(pktpool_layout(63, 1, &lay) == -EINVAL &&
	   pktpool_layout(96, 1, &lay) == -EINVAL &&
	   pktpool_layout(65600, 1, &lay) == -EINVAL &&
	   pktpool_layout(64, 0, &lay) == -EINVAL &&
	   pktpool_layout(64, PKTPOOL_SLOT_COUNT_MAX + 1, &lay) == -EINVAL &&
	   pktpool_layout(65536, PKTPOOL_SLOT_COUNT_MAX, &lay) == -EINVAL &&
	   pktpool_layout(64, 1, NULL) == -EINVAL,
	   "layout refuses bad sizes, counts and regions too large");
	p = make_pool(2048, 1000, 0);
	require(p);
	pktpool_layout(2048, 1000, &lay);
	ok(pktpool_get_layout(p, &got) == 0 && got.size == lay.size &&
	   got.off_slots == lay.off_slots, "a region uses the computed layout");
	ok(pktpool_get_layout(p, NULL) == -EINVAL, "get_layout refuses NULL");
	pktpool_detach(p);
}

static void test_create_errors(void)
{
	struct pktpool_config cfg = { .slot_size = 2048, .slot_count = 8 };
	struct pktpool *p = NULL;

	ok(pktpool_create(NULL, &p) == -EINVAL && pktpool_create(&cfg, NULL) == -EINVAL,
	   "create refuses NULL arguments");
	cfg.flags = 1u << 7;
	ok(pktpool_create(&cfg, &p) == -EINVAL, "create refuses unknown flags");
	cfg.flags = 0;
	cfg.slot_size = 100;
	ok(pktpool_create(&cfg, &p) == -EINVAL,
	   "create refuses a slot size not a multiple of 64");
	cfg.slot_size = 2048;
	cfg.slot_count = 0;
	ok(pktpool_create(&cfg, &p) == -EINVAL, "create refuses zero slots");
	cfg.slot_count = 8;
	cfg.name = "Bad Name";
	ok(pktpool_create(&cfg, &p) == -EINVAL, "create refuses an invalid name");
	cfg.name = "0123456789012345678901234567890123";
	ok(pktpool_create(&cfg, &p) == -EINVAL, "create refuses a name too long");
	cfg.name = NULL;
	cfg.mode = 010000;
	ok(pktpool_create(&cfg, &p) == -EINVAL, "create refuses a bad mode");
	ok(pktpool_attach("no-such-region-here", 0, &p) == -ENOENT,
	   "attach of a missing name is -ENOENT");
	ok(pktpool_attach("Bad/Name", 0, &p) == -EINVAL &&
	   pktpool_attach(NULL, 0, &p) == -EINVAL &&
	   pktpool_attach("x", 0, NULL) == -EINVAL &&
	   pktpool_attach("x", 99, &p) == -EINVAL,
	   "attach refuses bad arguments");
	ok(pktpool_unlink("Bad/Name") == -EINVAL && pktpool_unlink(NULL) == -EINVAL,
	   "unlink refuses bad names");
	ok(pktpool_detach(NULL) == -EINVAL, "detach of NULL is -EINVAL");
	ok(pktpool_region_fd(NULL) == -EINVAL, "region_fd of NULL is -EINVAL");
	ok(pktpool_attach_fd(-1, NULL, 0, &p) == -EINVAL &&
	   pktpool_attach_fd(0, NULL, 0, NULL) == -EINVAL,
	   "attach_fd refuses bad arguments");
}

static void test_named(void)
{
	struct pktpool_config cfg = {
		.name = name, .slot_size = 1024, .slot_count = 64, .mode = 0600,
	};
	struct pktpool *a = NULL, *b = NULL, *c = NULL;
	struct pktpool_stats st;
	uint32_t idx;
	char *pa, *pb;
	pid_t pid;

	ok(pktpool_create(&cfg, &a) == 0, "create a named region");
	ok(pktpool_create(&cfg, &c) == -EEXIST, "a second create of the name is -EEXIST");
	ok(pktpool_attach(name, 0, &b) == 0, "attach it by name");
	require(a && b);
	pa = pktpool_alloc(a);
	require(pa);
	strcpy(pa, "written through the creator");
	pktpool_ptr_to_idx(a, pa, &idx);
	pb = pktpool_idx_to_ptr(b, idx);
	ok(pb != pa && strcmp(pb, "written through the creator") == 0,
	   "both handles see the same slot at different addresses");
	ok(pktpool_free(b, pb) == 0, "a slot allocated through one handle frees through the other");
	pktpool_stats(a, &st);
	ok(st.procs == 2 && st.in_use == 0,
	   "stats are shared: two attachments, nothing in use (%u, %llu)",
	   st.procs, (unsigned long long)st.in_use);
	ok(strcmp(pktpool_backend_name(a), "memfd") == 0 ||
	   strcmp(pktpool_backend_name(a), "kernel") == 0, "backend name");

	pid = fork();
	if (pid == 0) {
		struct pktpool *x = NULL;
		char *s;

		if (pktpool_attach(name, 0, &x))
			_exit(2);
		s = pktpool_alloc(x);
		if (!s)
			_exit(3);
		strcpy(s, "from the child");
		if (pktpool_ptr_to_idx(x, s, &idx))
			_exit(4);
		if (pktpool_detach(x))	/* the slot stays out, charged */
			_exit(5);
		_exit(idx < 64 ? 0 : 6);
	}
	ok(child_status(pid) == 0, "another process attaches by name, allocates, detaches");
	pktpool_stats(a, &st);
	ok(st.in_use == 1, "its slot stays in use after it detached");
	ok(pktpool_reclaim(a, 0, 0) == 1, "reclaim returns the detached process's slot");

	ok(pktpool_unlink(name) == 0, "unlink the name");
	ok(pktpool_attach(name, 0, &c) == -ENOENT, "after unlink the name is gone");
	ok(pktpool_alloc(a) != NULL, "the region lives on while attached");
	pktpool_detach(b);
	pktpool_detach(a);
	ok(pktpool_unlink(name) == -ENOENT, "unlink of a gone name is -ENOENT");
}

static void test_fd_passing(void)
{
	struct pktpool *p = make_pool(512, 32, 0);
	struct pktpool_layout lay;
	struct pktpool_stats st;
	int sv[2], fd, memfd;
	pid_t pid;

	require(p);
	require(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
	pktpool_get_layout(p, &lay);
	memfd = strcmp(pktpool_backend_name(p), "memfd") == 0;
	pid = fork();
	if (pid == 0) {
		struct pktpool *q = NULL;
		uint32_t i;
		char *s;

		close(sv[0]);
		fd = recv_fd(sv[1]);
		/* memfd: the geometry comes from the file; a kernel region
		 * is named by the id the sender's layout carries */
		if (fd < 0 || pktpool_attach_fd(fd, memfd ? NULL : &lay, 0, &q))
			_exit(2);
		close(fd);
		for (i = 0; i < 5; i++) {
			s = pktpool_alloc(q);
			if (!s)
				_exit(3);
			snprintf(s, 512, "slot from fd child");
		}
		_exit(0);	/* exits without detach: 5 slots charged */
	}
	close(sv[1]);
	ok(pktpool_region_fd(p) >= 0 && send_fd(sv[0], pktpool_region_fd(p)) == 0,
	   "send the region fd over a unix socket");
	ok(child_status(pid) == 0, "the receiver attaches by fd and allocates");
	close(sv[0]);
	pktpool_stats(p, &st);
	ok(st.in_use == 5, "its slots are in use after it exited (%llu)",
	   (unsigned long long)st.in_use);
	fd = pktpool_reclaim(p, pid, 0);
	pktpool_stats(p, &st);
	ok(fd >= 5 && st.in_use == 0 && st.free + st.cached == 32,
	   "reclaim of the exited receiver returns its slots, cached ones too (%d)",
	   fd);
	ok(pktpool_reclaim(p, pid, 0) == -ESRCH,
	   "a second reclaim of it is -ESRCH");

	if (strcmp(pktpool_backend_name(p), "memfd") == 0) {
		struct pktpool *q = NULL;

		lay.slot_size = 1024;
		ok(pktpool_attach_fd(pktpool_region_fd(p), &lay, 0, &q) == -EINVAL,
		   "attach_fd with the wrong expected geometry is -EINVAL");
		pktpool_get_layout(p, &lay);
		ok(pktpool_attach_fd(pktpool_region_fd(p), &lay, 0, &q) == 0,
		   "attach_fd with the right expected geometry");
		ok(q && pktpool_detach(q) == 0, "and detach it");
	}
	pktpool_detach(p);
}

static void test_fork_inherits(void)
{
	struct pktpool *p = make_pool(2048, 256, 0);
	struct pktpool_stats st;
	void *keep;
	pid_t pid;

	require(p);
	keep = pktpool_alloc(p);	/* parent's thread cache now holds slots */
	pid = fork();
	if (pid == 0) {
		void *v[100];
		int i, n = 0;

		for (i = 0; i < 100; i++)
			if ((v[n] = pktpool_alloc(p)))
				n++;
		for (i = 0; i < n; i++)
			if (pktpool_free(p, v[i]))
				_exit(3);
		if (pktpool_free(p, keep))	/* the parent's slot */
			_exit(4);
		_exit(n == 100 && pktpool_detach(p) == 0 ? 0 : 2);
	}
	ok(child_status(pid) == 0,
	   "a forked child uses the inherited handle with its own caches");
	pktpool_stats(p, &st);
	ok(st.in_use == 0, "its frees, of its slots and one of the parent's, balance");
	ok(pktpool_validate(p) == 0, "validate after the child");
	pktpool_detach(p);
}

static void test_handle_limits(void)
{
	struct pktpool *h[PKTPOOL_HANDLES_MAX + 1];
	struct pktpool_config cfg = { .slot_size = 64, .slot_count = 4 };
	int i, n = 0, err = 0;

	for (i = 0; i <= PKTPOOL_HANDLES_MAX; i++) {
		err = pktpool_create(&cfg, &h[n]);
		if (err)
			break;
		n++;
	}
	ok(n == PKTPOOL_HANDLES_MAX && err == -ENOSPC,
	   "at most %d regions attached at once, then -ENOSPC", PKTPOOL_HANDLES_MAX);
	for (i = 0; i < n; i++)
		pktpool_detach(h[i]);
	ok(pktpool_detach(h[0]) == -EBADF, "a second detach is -EBADF");
	ok(pktpool_stats(h[0], &(struct pktpool_stats){0}) == -EBADF &&
	   pktpool_validate(h[0]) == -EBADF && pktpool_reclaim(h[0], 0, 0) == -EBADF,
	   "calls on a detached handle are -EBADF");
}

static void test_not_a_region(void)
{
	struct pktpool *p = NULL;
	int fd = memfd_create("junk", MFD_CLOEXEC);
	char junk[8192];

	require(fd >= 0);
	memset(junk, 0x5a, sizeof(junk));
	require(write(fd, junk, sizeof(junk)) == (ssize_t)sizeof(junk));
	ok(pktpool_attach_fd(fd, NULL, 0, &p) == -EUCLEAN,
	   "attach_fd of a file that is no region is -EUCLEAN");
	require(ftruncate(fd, 100) == 0);
	ok(pktpool_attach_fd(fd, NULL, 0, &p) == -EUCLEAN,
	   "attach_fd of a file smaller than a header is -EUCLEAN");
	close(fd);
}

static void test_unpublished(void)
{
	struct pktpool_layout lay;
	struct pktpool *p = NULL;
	char path[64];
	int fd, err;

	snprintf(path, sizeof(path), "/pktpool.%s-half", name);
	pktpool_layout(64, 64, &lay);
	fd = shm_open(path, O_RDWR | O_CREAT | O_EXCL, 0600);
	require(fd >= 0 && ftruncate(fd, (off_t)lay.size) == 0);
	snprintf(path, sizeof(path), "%s-half", name);
	err = pktpool_attach(path, 0, &p);
	ok(err == -EAGAIN, "attach of a region whose creator has not finished is -EAGAIN");
	close(fd);
	pktpool_unlink(path);
}

/* Attaching by name while another process creates and removes it. */
static void test_attach_during_create(void)
{
	struct pktpool_config cfg = { .slot_size = 2048, .slot_count = 4096 };
	struct pktpool *q;
	char rname[40];
	int i, err, bad = 0, attached = 0, st;
	pid_t pid;

	snprintf(rname, sizeof(rname), "%s-race", name);
	cfg.name = rname;
	pid = fork();
	if (pid == 0) {
		for (i = 0; i < 100; i++) {
			struct pktpool *c = NULL;

			if (pktpool_create(&cfg, &c) == 0) {
				pktpool_unlink(rname);
				pktpool_detach(c);
			}
		}
		_exit(0);
	}
	for (i = 0; waitpid(pid, &st, WNOHANG) == 0; i++) {
		q = NULL;
		err = pktpool_attach(rname, 0, &q);
		if (err == 0) {
			attached++;
			pktpool_detach(q);
		} else if (err != -ENOENT && err != -EAGAIN) {
			if (!bad++)
				diag("attach during create: %s", pktpool_strerror(err));
		}
	}
	diag("attached %d times in %d tries", attached, i);
	ok(bad == 0,
	   "attach while the region is created is 0, -ENOENT or -EAGAIN, never a corrupt region (%d were)",
	   bad);
	pktpool_unlink(rname);
}

/* A creator killed while it lays the region out leaves the name usable. */
static void test_creator_killed(void)
{
	struct pktpool_config cfg = {
		.slot_size = 4096, .slot_count = 2048, .flags = PKTPOOL_F_DEBUG,
	};
	char rname[40];
	int round, unusable = 0;

	snprintf(rname, sizeof(rname), "%s-kill", name);
	cfg.name = rname;
	for (round = 0; round < 24; round++) {
		struct pktpool *c = NULL;
		pid_t pid = fork();
		int err;

		if (pid == 0) {
			pktpool_create(&cfg, &c);
			pause();
			_exit(0);
		}
		usleep((useconds_t)(round % 8) * 1000);
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		err = pktpool_create(&cfg, &c);
		if (err == -EEXIST)
			err = pktpool_attach(rname, 0, &c);
		if (err) {
			unusable++;
			diag("round %d: %s", round, pktpool_strerror(err));
		}
		pktpool_unlink(rname);
		if (!err)
			pktpool_detach(c);
	}
	ok(unusable == 0,
	   "a creator killed during layout leaves the name usable (%d of 24 were not)",
	   unusable);
}

int main(void)
{
	snprintf(name, sizeof(name), "t-region-%d", (int)getpid());
	(void)elog;
	test_layout();
	test_create_errors();
	test_named();
	test_fd_passing();
	test_fork_inherits();
	test_handle_limits();
	test_attach_during_create();
	test_creator_killed();
	if (!getenv("PKTPOOL_BACKEND") ||
	    strcmp(getenv("PKTPOOL_BACKEND"), "kernel") != 0) {
		test_not_a_region();
		test_unpublished();
	}
	return tap_done();
}
