// SPDX-License-Identifier: GPL-2.0
/*
 * pktpool_fuzz: a structure-aware fuzzer for /dev/pktpool (every ioctl),
 * the mappings of its regions (mmap, munmap, mremap, mprotect, madvise,
 * mlock, fork, touching the memory) and the "pktpool" generic netlink
 * family (raw messages, valid and malformed attributes).
 *
 * Requests are mostly valid-looking: ids and names that exist or existed a
 * moment ago, sizes at and around the module's limits, off-by-one offsets,
 * sums that overflow; the rest is random bytes. Several worker processes
 * run at once as root, as root without CAP_NET_ADMIN and as nobody, some
 * of them inside a memory cgroup, and the supervisor SIGKILLs them at
 * random points and starts new ones.
 *
 * Everything random comes from one seed, printed first. Each worker's
 * sequence of operations depends only on its own seed (printed when it
 * starts), so a worker that found something can be replayed alone:
 *   pktpool_fuzz --replay SEED --role ROLE [--ops N] --trace
 * prints every call it makes with its arguments and result.
 *
 * The kernel decides whether the module survived (an oops or WARN shows in
 * the guest's log); the fuzzer also checks a few rules that must hold
 * whatever the input (a "violation"): unprivileged pool commands fail with
 * EPERM, errors are from the documented set, region layouts add up, a
 * file maps only regions it attached and only with the access granted.
 *
 * Exit status: 0 no violation and every worker ended as expected; 1 a
 * violation or an unexpected worker death; 2 usage or setup error.
 */
#define _GNU_SOURCE
#include "fuzz.h"

/* ---- what the loaded module allows --------------------------------------- */

static int fz_read_param(const char *name, char *buf, size_t size)
{
	char path[256];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/sys/module/pktpool/parameters/%s", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n <= 0)
		return -EIO;
	buf[n] = '\0';
	return 0;
}

static int fz_param_u64(const char *name, uint64_t *v)
{
	char buf[256];
	int err = fz_read_param(name, buf, sizeof(buf));

	if (err)
		return err;
	*v = strtoull(buf, NULL, 0);
	return 0;
}

/* The family id and the monitor group's id, through the controller. */
static int fz_resolve_family(void)
{
	struct sockaddr_nl to = { .nl_family = AF_NETLINK };
	struct nlmsghdr *h = (struct nlmsghdr *)fz_nlbuf;
	struct genlmsghdr *g;
	struct nlattr *a, *grp, *ga;
	int fd, left, gleft, galeft;
	ssize_t n;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (fd < 0)
		return -errno;
	memset(fz_nlbuf, 0, 256);
	h->nlmsg_type = GENL_ID_CTRL;
	h->nlmsg_flags = NLM_F_REQUEST;
	h->nlmsg_seq = 1;
	g = NLMSG_DATA(h);
	g->cmd = CTRL_CMD_GETFAMILY;
	g->version = 1;
	h->nlmsg_len = (uint32_t)fz_nla_put(NLMSG_HDRLEN + GENL_HDRLEN,
					 CTRL_ATTR_FAMILY_NAME,
					 PKTPOOL_GENL_NAME,
					 sizeof(PKTPOOL_GENL_NAME));
	if (sendto(fd, fz_nlbuf, h->nlmsg_len, 0, (struct sockaddr *)&to,
		   sizeof(to)) < 0 ||
	    (n = recv(fd, fz_nlbuf, sizeof(fz_nlbuf), 0)) < 0) {
		n = -errno;
		close(fd);
		return (int)n;
	}
	close(fd);
	if (!NLMSG_OK(h, (size_t)n) || h->nlmsg_type != GENL_ID_CTRL)
		return -ENOENT;
	a = (struct nlattr *)((char *)NLMSG_DATA(h) + GENL_HDRLEN);
	left = (int)h->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN;
	for (; left >= NLA_HDRLEN && a->nla_len >= NLA_HDRLEN && a->nla_len <= left;
	     left -= NLA_ALIGN(a->nla_len),
	     a = (struct nlattr *)((char *)a + NLA_ALIGN(a->nla_len))) {
		if ((a->nla_type & NLA_TYPE_MASK) == CTRL_ATTR_FAMILY_ID)
			memcpy(&fz_lim.family, (char *)a + NLA_HDRLEN, 2);
		if ((a->nla_type & NLA_TYPE_MASK) != CTRL_ATTR_MCAST_GROUPS)
			continue;
		grp = (struct nlattr *)((char *)a + NLA_HDRLEN);
		for (gleft = a->nla_len - NLA_HDRLEN;
		     gleft >= NLA_HDRLEN && grp->nla_len >= NLA_HDRLEN &&
		     grp->nla_len <= gleft;
		     gleft -= NLA_ALIGN(grp->nla_len),
		     grp = (struct nlattr *)((char *)grp + NLA_ALIGN(grp->nla_len))) {
			uint32_t id = 0;
			bool monitor = false;

			ga = (struct nlattr *)((char *)grp + NLA_HDRLEN);
			for (galeft = grp->nla_len - NLA_HDRLEN;
			     galeft >= NLA_HDRLEN && ga->nla_len >= NLA_HDRLEN &&
			     ga->nla_len <= galeft;
			     galeft -= NLA_ALIGN(ga->nla_len),
			     ga = (struct nlattr *)((char *)ga + NLA_ALIGN(ga->nla_len))) {
				if (ga->nla_type == CTRL_ATTR_MCAST_GRP_ID)
					memcpy(&id, (char *)ga + NLA_HDRLEN, 4);
				if (ga->nla_type == CTRL_ATTR_MCAST_GRP_NAME)
					monitor = !strcmp((char *)ga + NLA_HDRLEN,
							  PKTPOOL_GENL_MCGRP_MONITOR);
			}
			if (monitor)
				fz_lim.mcgrp = id;
		}
	}
	return fz_lim.family ? 0 : -ENOENT;
}

static int fz_read_limits(void)
{
	struct pktpool_version v;
	uint64_t x;
	int fd, err;

	if ((err = fz_param_u64("region_max_slots", &x)))
		return err;
	fz_lim.max_slots = (uint32_t)x;
	if ((err = fz_param_u64("region_max_bytes", &fz_lim.max_bytes)))
		return err;
	if ((err = fz_param_u64("max_regions", &x)))
		return err;
	fz_lim.max_regions = (uint32_t)x;
	if ((err = fz_param_u64("max_pools", &x)))
		return err;
	fz_lim.max_pools = (uint32_t)x;
	fd = open(PKTPOOL_DEVICE, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	memset(&v, 0, sizeof(v));
	v.size = sizeof(v);
	err = ioctl(fd, PKTPOOL_IOC_VERSION, &v) ? -errno : 0;
	close(fd);
	if (err)
		return err;
	if (!v.nr_classes || v.nr_classes > PKTPOOL_CLASSES_MAX)
		return -EPROTO;
	fz_lim.class_min = v.class_size[0];
	fz_lim.class_max = v.class_size[v.nr_classes - 1];
	err = fz_resolve_family();
	if (err)
		fprintf(stderr, "pktpool_fuzz: generic netlink family: %s\n",
			strerror(-err));
	return err;
}

/* ---- the supervisor ------------------------------------------------------ */

struct fz_opts {
	uint64_t seed;
	unsigned int workers;
	unsigned int seconds;
	uint64_t syscalls;
	const char *cgroup;
	bool kills;
};

static uint64_t fz_slot_seed(uint64_t seed, unsigned int slot, uint32_t gen)
{
	uint64_t s = seed ^ ((uint64_t)(slot + 1) << 48) ^ gen;

	fz_next(&s);
	return fz_next(&s);
}

static bool fz_slot_memcg(const struct fz_opts *o, unsigned int i)
{
	return o->cgroup && (i / FZ_ROLES) % 2;
}

static double fz_now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void fz_spawn(const struct fz_opts *o, unsigned int i)
{
	struct fz_slot *w = &fz_sh->w[i];
	uint64_t k;
	pid_t pid;

	w->role = (int)(i % FZ_ROLES);
	w->memcg = fz_slot_memcg(o, i);
	w->seed = fz_slot_seed(o->seed, i, w->gen);
	k = fz_next(&(uint64_t){ w->seed ^ 0x6b696c6cULL });
	w->kill_at = o->kills && k % 100 < 65 ? 50 + (k >> 8) % 3000 : 0;
	w->ops = 0;
	w->calls = 0;
	w->killed = false;
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		fprintf(stderr, "pktpool_fuzz: fork: %s\n", strerror(errno));
		return;
	}
	if (!pid) {
		setpgid(0, 0);
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		fz_me = w;
		_exit(fz_worker(w->seed, w->role, w->memcg ? o->cgroup : NULL, 0));
	}
	setpgid(pid, pid);
	w->pid = pid;
}

static void fz_replay_hint(const struct fz_opts *o, const struct fz_slot *w)
{
	printf("# replay: pktpool_fuzz --replay %#" PRIx64 " --role %s%s%s --ops %" PRIu64 " --trace\n",
	       w->seed, fz_role_names[w->role], w->memcg ? " --cgroup " : "",
	       w->memcg ? o->cgroup : "", w->ops + 1);
}

static unsigned int fz_live_workers(const struct fz_opts *o)
{
	unsigned int i, n = 0;

	for (i = 0; i < o->workers; i++)
		n += fz_sh->w[i].pid != 0;
	return n;
}

/* Workers that do not go away: where they are in the kernel. */
static void fz_stuck(const struct fz_opts *o)
{
	char path[64], buf[4096];
	unsigned int i;
	ssize_t n;
	int fd;

	for (i = 0; i < o->workers; i++) {
		struct fz_slot *w = &fz_sh->w[i];

		if (!w->pid)
			continue;
		printf("# worker %u (%s%s, seed %#" PRIx64 ", pid %d) stuck after %" PRIu64 " ops, kernel stack:\n",
		       i, fz_role_names[w->role], w->memcg ? ", memcg" : "",
		       w->seed, (int)w->pid, w->ops);
		fz_replay_hint(o, w);
		snprintf(path, sizeof(path), "/proc/%d/stack", (int)w->pid);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue;
		n = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		if (n > 0) {
			char *line, *save = NULL;

			buf[n] = '\0';
			for (line = strtok_r(buf, "\n", &save); line;
			     line = strtok_r(NULL, "\n", &save))
				printf("#   %s\n", line);
		}
	}
}

/* The cgroup's count of OOM kills, from memory.events. */
static uint64_t fz_oom_kills(const struct fz_opts *o)
{
	char path[512], line[128];
	unsigned long long n = 0;
	FILE *f;

	if (!o->cgroup)
		return 0;
	snprintf(path, sizeof(path), "%s/memory.events", o->cgroup);
	f = fopen(path, "re");
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "oom_kill %llu", &n) == 1)
			break;
	fclose(f);
	return n;
}

static int fz_supervise(const struct fz_opts *o)
{
	unsigned int i, started = 0, ours = 0, ooms = 0, bad = 0, live;
	double start = fz_now_s(), last = start, t, stop_at = 0, progress_at = start;
	uint64_t total = 0, last_total = 0;
	bool stopping = false;
	int status;
	pid_t pid;

	uint64_t oom_base = fz_oom_kills(o);

	prctl(PR_SET_CHILD_SUBREAPER, 1);
	for (i = 0; i < o->workers; i++) {
		fz_spawn(o, i);
		started++;
	}
	for (;;) {
		while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
			struct fz_slot *w = NULL;

			for (i = 0; i < o->workers; i++)
				if (fz_sh->w[i].pid == pid)
					w = &fz_sh->w[i];
			if (!w)
				continue;	/* an orphaned child of a worker */
			fz_sh->calls += w->calls;
			w->pid = 0;
			if (WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL &&
			    (w->killed || stopping)) {
				ours++;
			} else if (WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL &&
				   w->memcg) {
				ooms++;	/* the cgroup's OOM killer */
			} else {
				bad++;
				printf("# worker %u gen %u (%s%s, seed %#" PRIx64 ") %s %d%s after %" PRIu64 " ops\n",
				       (unsigned int)(w - fz_sh->w), w->gen,
				       fz_role_names[w->role],
				       w->memcg ? ", memcg" : "", w->seed,
				       WIFSIGNALED(status) ? "died of signal" :
				       "exited with status",
				       WIFSIGNALED(status) ? WTERMSIG(status) :
				       WEXITSTATUS(status),
				       WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL ?
				       " not sent by the fuzzer (a kernel oops kills with SIGKILL)" :
				       "", w->ops);
				fz_replay_hint(o, w);
			}
			w->gen++;
			/* After a failure the kernel may be wedged: stop. */
			if (!stopping && !bad) {
				fz_spawn(o, (unsigned int)(w - fz_sh->w));
				started++;
			}
		}
		if (stopping && !fz_live_workers(o))
			break;
		if (stopping) {
			if (fz_now_s() - stop_at > 60) {
				fz_stuck(o);
				bad++;
				break;
			}
			usleep(20000);
			continue;
		}
		total = fz_sh->calls;
		live = 0;
		for (i = 0; i < o->workers; i++) {
			struct fz_slot *w = &fz_sh->w[i];

			if (!w->pid)
				continue;
			live++;
			total += w->calls;
			if (w->kill_at && w->ops >= w->kill_at && !w->killed) {
				w->killed = true;
				kill(-w->pid, SIGKILL);
				kill(w->pid, SIGKILL);
			}
		}
		t = fz_now_s();
		if (total != last_total) {
			last_total = total;
			progress_at = t;
		}
		if (t - progress_at > 120) {
			printf("# no system call finished in 120 s\n");
			fz_stuck(o);
			bad++;
			stopping = true;
		}
		if ((o->syscalls && total >= o->syscalls) ||
		    (o->seconds && t - start >= o->seconds) || !live || bad) {
			stopping = true;
			stop_at = t;
			for (i = 0; i < o->workers; i++)
				if (fz_sh->w[i].pid) {
					kill(-fz_sh->w[i].pid, SIGKILL);
					kill(fz_sh->w[i].pid, SIGKILL);
				}
			continue;
		}
		if (t - last >= 30) {
			printf("# %" PRIu64 " syscalls after %.0f s, %u workers started\n",
			       total, t - start, started);
			fflush(stdout);
			last = t;
		}
		usleep(20000);
	}
	/* Orphans of killed workers come to us as the subreaper. */
	while (!bad && (waitpid(-1, &status, 0) > 0 || errno == EINTR))
		;
	/* A SIGKILL in the cgroup that its OOM killer did not send: an oops. */
	if (ooms > fz_oom_kills(o) - oom_base) {
		printf("# %u workers in the cgroup died of SIGKILL, its OOM killer killed %" PRIu64 "\n",
		       ooms, fz_oom_kills(o) - oom_base);
		bad++;
	}
	printf("# fuzz: %" PRIu64 " syscalls in %.0f s: %u workers started, %u killed by the fuzzer, %u by the OOM killer, %u ended badly\n",
	       fz_sh->calls, fz_now_s() - start, started, ours, ooms, bad);
	printf("# got through:");
	for (i = 0; i < FZ_STATS; i++)
		printf(" %s %" PRIu64, fz_stat_names[i], fz_sh->stat[i]);
	printf("\n# syscalls: %" PRIu64 "\n", fz_sh->calls);
	return bad ? 1 : 0;
}

/* ---- after the run: nothing left, every byte usable again ---------------- */

static int fz_open_dev(void)
{
	int fd = open(PKTPOOL_DEVICE, O_RDWR | O_CLOEXEC);

	if (fd < 0)
		fprintf(stderr, "pktpool_fuzz: %s: %s\n", PKTPOOL_DEVICE,
			strerror(errno));
	return fd;
}

static int fz_list_ids(int fd, bool region, uint32_t *ids, uint32_t cap)
{
	struct pktpool_pool_list l;

	memset(&l, 0, sizeof(l));
	l.size = sizeof(l);
	l.capacity = cap;
	l.ids_ptr = (uint64_t)(uintptr_t)ids;
	if (ioctl(fd, region ? PKTPOOL_IOC_REGION_LIST : PKTPOOL_IOC_POOL_LIST,
		  &l))
		return -errno;
	return (int)l.count;
}

/*
 * Every worker is gone: no region may be attached or mapped, and no
 * anonymous one may be left. Destroy the named regions and the pools the
 * workers left (they may), then nothing at all must be left.
 */
static int fz_cleanup(void)
{
	struct pktpool_region_info ri;
	struct pktpool_pool_info pi;
	struct pktpool_pool_id d;
	int fd = fz_open_dev(), n, i, rc = 0;

	if (fd < 0)
		return 2;
	n = fz_list_ids(fd, true, fz_ids_out, 8192);
	for (i = 0; i < n; i++) {
		memset(&ri, 0, sizeof(ri));
		ri.size = sizeof(ri);
		ri.id = fz_ids_out[i];
		if (ioctl(fd, PKTPOOL_IOC_REGION_INFO, &ri)) {
			printf("# region %u: info: %s\n", fz_ids_out[i], strerror(errno));
			rc = 1;
			continue;
		}
		printf("# region %u '%s' left: %llu bytes, %llu attached, %llu mappings\n",
		       ri.id, ri.name, (unsigned long long)ri.mmap_size,
		       (unsigned long long)ri.attached,
		       (unsigned long long)ri.mappings);
		if (ri.attached || ri.mappings || !ri.name[0]) {
			printf("# region %u is still in use with no process left\n",
			       ri.id);
			rc = 1;
			continue;
		}
		memset(&d, 0, sizeof(d));
		d.size = sizeof(d);
		d.id = ri.id;
		if (ioctl(fd, PKTPOOL_IOC_REGION_DESTROY, &d)) {
			printf("# region %u: destroy: %s\n", ri.id, strerror(errno));
			rc = 1;
		}
	}
	n = fz_list_ids(fd, false, fz_ids_out, 8192);
	for (i = 0; i < n; i++) {
		memset(&pi, 0, sizeof(pi));
		pi.size = sizeof(pi);
		pi.id = fz_ids_out[i];
		if (ioctl(fd, PKTPOOL_IOC_POOL_INFO, &pi))
			continue;
		if (pi.in_use || pi.holders) {
			printf("# pool %u '%s': %llu in use, %llu holders\n", pi.id,
			       pi.name, (unsigned long long)pi.in_use,
			       (unsigned long long)pi.holders);
			rc = 1;
		}
		memset(&d, 0, sizeof(d));
		d.size = sizeof(d);
		d.id = pi.id;
		if (ioctl(fd, PKTPOOL_IOC_POOL_DESTROY, &d)) {
			printf("# pool %u: destroy: %s\n", pi.id, strerror(errno));
			rc = 1;
		}
	}
	n = fz_list_ids(fd, true, fz_ids_out, 8192);
	i = fz_list_ids(fd, false, fz_ids_out, 8192);
	printf("# after cleanup: %d regions, %d pools\n", n, i);
	if (n || i)
		rc = 1;
	close(fd);
	return rc;
}

static int fz_create_anon(int fd, uint32_t slot_size, uint32_t slot_count,
		       uint64_t *size)
{
	struct pktpool_region_create c;

	memset(&c, 0, sizeof(c));
	c.size = sizeof(c);
	c.slot_size = slot_size;
	c.slot_count = slot_count;
	c.node = -1;
	c.mode = 0600;
	if (ioctl(fd, PKTPOOL_IOC_REGION_CREATE, &c))
		return -errno;
	*size = c.mmap_size;
	return 0;
}

/*
 * region_max_bytes, all of it, in anonymous regions: the largest regions
 * of 64 KiB slots that leave room for a last one, then one of a single
 * slot that takes exactly what is left. Then not one more page fits.
 */
static int fz_fill(void)
{
	uint64_t left = fz_lim.max_bytes, want, got, n, lo, hi;
	unsigned int made = 0;
	uint32_t slot_size, count;
	int fd = fz_open_dev(), err, rc = 0;
	const uint64_t min = fz_region_bytes(1, 64), one_max = fz_region_bytes(1, 65536);

	if (fd < 0)
		return 2;
	if (left % FZ_PAGE || left < min) {
		printf("# region_max_bytes %llu cannot be filled exactly\n",
		       (unsigned long long)left);
		return 2;
	}
	while (left) {
		if (left <= one_max) {
			slot_size = (uint32_t)(left - (min - FZ_PAGE));
			count = 1;
		} else {
			/* Largest n with region_bytes(n, 64K) <= left - min. */
			lo = 0;
			hi = fz_lim.max_slots;
			while (lo < hi) {
				n = (lo + hi + 1) / 2;
				if (fz_region_bytes(n, 65536) <= left - min)
					lo = n;
				else
					hi = n - 1;
			}
			if (lo) {
				slot_size = 65536;
				count = (uint32_t)lo;
			} else {
				slot_size = (uint32_t)(left - min - (min - FZ_PAGE));
				count = 1;
			}
		}
		want = fz_region_bytes(count, slot_size);
		err = fz_create_anon(fd, slot_size, count, &got);
		if (err || got != want) {
			printf("# region %u of %u x %u bytes (%llu of %llu left): %s, size %llu\n",
			       made + 1, count, slot_size, (unsigned long long)want,
			       (unsigned long long)left, err ? strerror(-err) : "made",
			       err ? 0ULL : (unsigned long long)got);
			rc = 1;
			break;
		}
		made++;
		left -= want;
	}
	if (!rc) {
		err = fz_create_anon(fd, 64, 1, &got);
		if (err != -ENOSPC) {
			printf("# one more region once region_max_bytes is used: %s\n",
			       err ? strerror(-err) : "made");
			rc = 1;
		}
	}
	printf("# %u regions made %llu of region_max_bytes %llu\n", made,
	       (unsigned long long)(fz_lim.max_bytes - left),
	       (unsigned long long)fz_lim.max_bytes);
	close(fd);
	/* Anonymous: gone with the file. */
	fd = fz_open_dev();
	if (fd < 0)
		return 2;
	err = fz_list_ids(fd, true, fz_ids_out, 8192);
	if (err) {
		printf("# %d regions left after their only file closed\n", err);
		rc = 1;
	}
	close(fd);
	return rc;
}

/* ---- main ---------------------------------------------------------------- */

static void fz_usage(FILE *f)
{
	fprintf(f,
		"usage: pktpool_fuzz [options]        fuzz with workers until a limit\n"
		"       pktpool_fuzz --replay SEED --role ROLE [--ops N] [--cgroup DIR] [--trace]\n"
		"       pktpool_fuzz --cleanup | --fill\n"
		"options:\n"
		"  --seed N       master seed (default: from the clock), printed first\n"
		"  --workers N    worker processes at a time (default 6, at most %d)\n"
		"  --seconds N    stop after N seconds\n"
		"  --syscalls N   stop after N system calls in all (default 200000\n"
		"                 when --seconds is not given)\n"
		"  --cgroup DIR   a cgroup v2 directory; half the workers run in it\n"
		"  --no-kill      the supervisor kills no worker\n"
		"  --trace        print every call (stderr)\n"
		"roles: root, nocap (root without CAP_NET_ADMIN), nobody\n",
		FZ_MAX_WORKERS);
}

int main(int argc, char **argv)
{
	struct fz_opts o = { .workers = 6, .kills = true };
	uint64_t replay = 0, ops = 0;
	bool have_seed = false, do_replay = false, do_cleanup = false;
	bool do_fill = false;
	int i, role = FZ_ROOT, rc;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(a, "--seed") && v) {
			o.seed = strtoull(v, NULL, 0);
			have_seed = true;
			i++;
		} else if (!strcmp(a, "--workers") && v) {
			o.workers = (unsigned int)strtoul(v, NULL, 0);
			i++;
		} else if (!strcmp(a, "--seconds") && v) {
			o.seconds = (unsigned int)strtoul(v, NULL, 0);
			i++;
		} else if (!strcmp(a, "--syscalls") && v) {
			o.syscalls = strtoull(v, NULL, 0);
			i++;
		} else if (!strcmp(a, "--cgroup") && v) {
			o.cgroup = v;
			i++;
		} else if (!strcmp(a, "--ops") && v) {
			ops = strtoull(v, NULL, 0);
			i++;
		} else if (!strcmp(a, "--replay") && v) {
			replay = strtoull(v, NULL, 0);
			do_replay = true;
			i++;
		} else if (!strcmp(a, "--role") && v) {
			for (role = 0; role < FZ_ROLES; role++)
				if (!strcmp(v, fz_role_names[role]))
					break;
			if (role == FZ_ROLES) {
				fz_usage(stderr);
				return 2;
			}
			i++;
		} else if (!strcmp(a, "--no-kill")) {
			o.kills = false;
		} else if (!strcmp(a, "--trace")) {
			fz_trace = true;
		} else if (!strcmp(a, "--cleanup")) {
			do_cleanup = true;
		} else if (!strcmp(a, "--fill")) {
			do_fill = true;
		} else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			fz_usage(stdout);
			return 0;
		} else {
			fz_usage(stderr);
			return 2;
		}
	}
	if (!o.workers || o.workers > FZ_MAX_WORKERS) {
		fz_usage(stderr);
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	rc = fz_read_limits();
	if (rc && rc != -ENOENT && !fz_lim.max_bytes) {
		fprintf(stderr, "pktpool_fuzz: is pktpool loaded? %s\n",
			strerror(-rc));
		return 2;
	}
	if (do_cleanup)
		return fz_cleanup();
	if (do_fill)
		return fz_fill();
	if (do_replay) {
		printf("# replaying worker seed %#" PRIx64 " as %s%s\n", replay,
		       fz_role_names[role], o.cgroup ? " in the cgroup" : "");
		rc = fz_worker(replay, role, o.cgroup, ops ? ops : 100000);
		printf("# %" PRIu64 " syscalls\n", fz_local_calls);
		return rc;
	}
	if (!have_seed)
		o.seed = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32);
	if (!o.seconds && !o.syscalls)
		o.syscalls = 200000;
	printf("# seed %#" PRIx64 "\n", o.seed);
	printf("# limits: region_max_bytes %llu, region_max_slots %u, max_regions %u, max_pools %u, classes %u..%u, netlink family %u group %u\n",
	       (unsigned long long)fz_lim.max_bytes, fz_lim.max_slots, fz_lim.max_regions,
	       fz_lim.max_pools, fz_lim.class_min, fz_lim.class_max, fz_lim.family, fz_lim.mcgrp);
	printf("# %u workers (%s), %s%s, stop after %s%" PRIu64 "%s\n", o.workers,
	       "root, nocap, nobody in turn", o.cgroup ? "half in cgroup " : "no cgroup",
	       o.cgroup ? o.cgroup : "", o.seconds ? "seconds: " : "syscalls: ",
	       o.seconds ? (uint64_t)o.seconds : o.syscalls, "");
	fz_sh = mmap(NULL, sizeof(*fz_sh), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (fz_sh == MAP_FAILED) {
		perror("pktpool_fuzz: mmap");
		return 2;
	}
	fz_sh->lim = fz_lim;
	return fz_supervise(&o);
}
