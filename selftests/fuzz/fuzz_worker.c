// SPDX-License-Identifier: GPL-2.0
/*
 * pktpool_fuzz: a worker. Fork, memory pressure and fault injection,
 * the mix of operations, and becoming root without CAP_NET_ADMIN or nobody.
 */
#define _GNU_SOURCE
#include "fuzz.h"

/* ---- fork and memory pressure -------------------------------------------- */

static void fz_run_one(void);

static void fz_op_fork(void)
{
	unsigned int i, n = (unsigned int)fz_below(24);
	int status;
	pid_t pid;

	if (fz_in_child)
		return;
	pid = fork();
	fz_count_call();
	if (pid < 0)
		return;
	if (!pid) {
		fz_in_child = true;
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		for (i = 0; i < n; i++)
			fz_run_one();
		_exit(0);
	}
	fz_stat_inc(FZ_S_FORK);
	fz_tr("fork() = %d, child runs %u ops", pid, n);
	/* Its files were ours too: what they attach is no longer known. */
	for (i = 0; i < FZ_FDS; i++)
		if (fz_files[i].fd >= 0)
			fz_file_shared[fz_files[i].file] = true;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	fz_count_call();
	if (WIFEXITED(status) && WEXITSTATUS(status) == 3)
		_exit(3);	/* the child reported a violation */
	if (WIFSIGNALED(status) && WTERMSIG(status) != SIGKILL)
		fz_violation("a forked child died of signal %d", WTERMSIG(status));
}

/* Workers in the memory cgroup push it towards memory.max. */
static void fz_op_balloon(void)
{
	size_t len;

	if (fz_balloon) {
		munmap(fz_balloon, fz_balloon_len);
		fz_count_call();
		fz_balloon = NULL;
		return;
	}
	len = (2 + fz_below(14)) << 20;
	fz_balloon = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	fz_count_call();
	if (fz_balloon == MAP_FAILED) {
		fz_balloon = NULL;
		return;
	}
	fz_balloon_len = len;
	memset(fz_balloon, 1, len);
	fz_tr("balloon %zu MiB", len >> 20);
}

/*
 * The module's own fault injection (debugfs, root only): the next few
 * slab allocations or region allocation steps fail, so the error paths
 * run under everything else going on.
 */
static void fz_op_fault(void)
{
	const char *knob = fz_chance(50) ? "/sys/kernel/debug/pktpool/fail_region" :
					"/sys/kernel/debug/pktpool/fail_slab";
	char v[16];
	int fd, n;

	if (fz_worker_role == FZ_NOBODY_ROLE)
		return;
	fd = open(knob, O_WRONLY | O_CLOEXEC);
	fz_count_call();
	if (fd < 0)
		return;
	n = snprintf(v, sizeof(v), "%u\n", (unsigned int)fz_below(4));
	if (write(fd, v, (size_t)n) < 0)
		n = -errno;
	fz_count_call();
	close(fd);
	fz_tr("%s = %s", knob, v);
}

/* ---- the worker ---------------------------------------------------------- */

static bool fz_memcg_worker;

static void fz_run_one(void)
{
	unsigned int op = (unsigned int)fz_below(100);

	if (op < 5) fz_op_open();
	else if (op < 8) fz_op_close();
	else if (op < 10) fz_op_dup();
	else if (op < 11) fz_op_version();
	else if (op < 14) fz_op_pool_create();
	else if (op < 16) fz_op_pool_destroy();
	else if (op < 18) fz_op_pool_info();
	else if (op < 20) fz_op_pool_set();
	else if (op < 24) fz_op_list();
	else if (op < 32) fz_op_region_create();
	else if (op < 40) fz_op_region_attach(true);
	else if (op < 43) fz_op_region_attach(false);
	else if (op < 47) fz_op_region_id(false);
	else if (op < 50) fz_op_region_id(true);
	else if (op < 53) fz_op_raw_ioctl();
	else if (op < 61) fz_op_mmap();
	else if (op < 65) fz_op_munmap();
	else if (op < 68) fz_op_mremap();
	else if (op < 71) fz_op_mprotect();
	else if (op < 75) fz_op_madvise();
	else if (op < 76) fz_op_mlock();
	else if (op < 81) fz_op_touch();
	else if (op < 82) fz_op_fork();
	else if (op < 93) fz_op_nl_send();
	else if (op < 96) fz_op_nl_sock();
	else if (op < 99 && fz_memcg_worker) fz_op_balloon();
	else if (op < 99) fz_op_fault();
	else fz_op_list();
}

static int fz_join_cgroup(const char *cg)
{
	char path[512], pid[32];
	int fd, n;

	snprintf(path, sizeof(path), "%s/cgroup.procs", cg);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = snprintf(pid, sizeof(pid), "%d\n", (int)getpid());
	if (write(fd, pid, (size_t)n) != n) {
		n = -errno;
		close(fd);
		return n;
	}
	close(fd);
	return 0;
}

/* Drop CAP_NET_ADMIN from every set, and check the kernel agrees. */
static int fz_drop_net_admin(void)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct d[_LINUX_CAPABILITY_U32S_3];
	char line[256];
	bool ok = true;
	FILE *f;

	if (prctl(PR_CAPBSET_DROP, CAP_NET_ADMIN, 0, 0, 0) ||
	    syscall(SYS_capget, &hdr, d))
		return -errno;
	d[0].effective &= ~(1U << CAP_NET_ADMIN);
	d[0].permitted &= ~(1U << CAP_NET_ADMIN);
	d[0].inheritable &= ~(1U << CAP_NET_ADMIN);
	if (syscall(SYS_capset, &hdr, d))
		return -errno;
	f = fopen("/proc/self/status", "re");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		unsigned long long m;

		if ((!strncmp(line, "CapEff:", 7) || !strncmp(line, "CapPrm:", 7) ||
		     !strncmp(line, "CapBnd:", 7)) &&
		    sscanf(line + 7, "%llx", &m) == 1 && (m >> CAP_NET_ADMIN) & 1)
			ok = false;
	}
	fclose(f);
	return ok ? 0 : -EPERM;
}

static int fz_become(int role, const char *cgroup)
{
	int err;

	if (cgroup) {
		err = fz_join_cgroup(cgroup);
		if (err)
			return err;
	}
	if (role == FZ_NOCAP)
		return fz_drop_net_admin();
	if (role == FZ_NOBODY_ROLE) {
		if (setgroups(0, NULL) || setgid(FZ_NOBODY) || setuid(FZ_NOBODY))
			return -errno;
		if (!getuid() || !geteuid())
			return -EPERM;
	}
	return 0;
}

static void fz_worker_setup(void)
{
	struct sigaction sa;
	unsigned int i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = fz_on_fault;
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	fz_argbuf = mmap(NULL, 3 * FZ_PAGE, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	fz_robuf = mmap(NULL, FZ_PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	fz_arena = mmap(NULL, FZ_ARENA, PROT_NONE,
		     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (fz_argbuf == MAP_FAILED || fz_robuf == MAP_FAILED || fz_arena == MAP_FAILED) {
		fprintf(stderr, "pktpool_fuzz: worker: no memory for buffers\n");
		_exit(2);
	}
	mprotect(fz_argbuf + 2 * FZ_PAGE, FZ_PAGE, PROT_NONE);
	for (i = 0; i < FZ_FDS; i++)
		fz_files[i].fd = -1;
}

/* Run ops operations (0: until killed). */
int fz_worker(uint64_t seed, int role, const char *cgroup, uint64_t ops)
{
	uint64_t i;
	int err;

	fz_worker_seed = seed;
	fz_worker_role = role;
	fz_state = seed;
	fz_memcg_worker = cgroup != NULL;
	err = fz_become(role, cgroup);
	if (err) {
		fprintf(stderr, "pktpool_fuzz: worker cannot become %s%s: %s\n",
			fz_role_names[role], cgroup ? " in the cgroup" : "",
			strerror(-err));
		return 2;
	}
	fz_worker_setup();
	for (i = 0; !ops || i < ops; i++) {
		if (fz_me)
			__atomic_fetch_add(&fz_me->ops, 1, __ATOMIC_RELAXED);
		else
			fz_replay_ops++;
		fz_tr("#%" PRIu64, i);
		fz_run_one();
	}
	return 0;
}
