// SPDX-License-Identifier: MIT
/*
 * Who is alive, and who may take a dead owner's slots. Each case is a
 * process the old /proc-based check took for dead while it ran (main
 * thread exited, pid 1 of its own PID namespace, an entry between claim
 * and pid store), a process that exec()ed without detaching (gone as far
 * as the region is concerned), and the races between a reclaim and a live
 * process adopting the dead owner's slots. Everything here must hold on
 * every backend.
 */
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/wait.h>

#include "util.h"

/* Shared with the children. */
struct shared {
	_Atomic uint32_t go;
	_Atomic uint32_t done;
	_Atomic uint32_t n;
	uint32_t idx[4096];
	_Atomic uint8_t adopted[4096];
};

static struct shared *sh;

static void shared_map(void)
{
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	require(sh != MAP_FAILED);
}

static void shared_reset(void)
{
	memset(sh, 0, sizeof(*sh));
}

static void wait_for(_Atomic uint32_t *v, uint32_t want)
{
	while (atomic_load(v) < want)
		sched_yield();
}

/* As wait_for(), but false if child pid exits first. */
static bool wait_for_child(_Atomic uint32_t *v, uint32_t want, pid_t pid)
{
	while (atomic_load(v) < want) {
		if (waitpid(pid, NULL, WNOHANG) == pid)
			return false;
		sched_yield();
	}
	return true;
}

static void reap(pid_t pid)
{
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

static uint64_t in_use(struct pktpool *p)
{
	struct pktpool_stats st;

	pktpool_flush_cache(p);
	if (pktpool_stats(p, &st))
		return ~0ull;
	return st.in_use;
}

/* A thread that holds a slot and lives on after main calls pthread_exit(). */
static void *holder_thread(void *arg)
{
	struct pktpool *p = arg;

	if (!pktpool_alloc(p))
		_exit(2);
	atomic_store(&sh->done, 1);
	for (;;)
		pause();
	return NULL;
}

static void test_main_thread_exited(void)
{
	struct pktpool *p = make_pool(256, 64, 0);
	pthread_t th;
	pid_t pid;
	int r;

	require(p);
	pktpool_set_error_handler(p, quiet_fn, NULL);
	shared_reset();
	pid = fork();
	if (pid == 0) {
		pthread_create(&th, NULL, holder_thread, p);
		pthread_exit(NULL);	/* /proc/PID/stat now says Z */
	}
	if (!wait_for_child(&sh->done, 1, pid)) {
		ok(0, "a process whose main thread exited allocates a slot");
		pktpool_detach(p);
		return;
	}
	usleep(20000);	/* let the main thread finish exiting */
	r = pktpool_reclaim(p, pid, 0);
	ok(r == -EBUSY && in_use(p) == 1,
	   "a process whose main thread exited while another runs is alive: reclaim is -EBUSY (%d)",
	   r);
	ok(pktpool_reclaim(p, 0, 0) == 0,
	   "and reclaim of every gone process leaves it alone");
	reap(pid);
	r = pktpool_reclaim(p, pid, 0);
	ok(r >= 1 && in_use(p) == 0,
	   "once it is killed its slot comes back (%d with its cache)", r);
	pktpool_detach(p);
}

/*
 * A reclaimer in another PID namespace with its own /proc (a container)
 * sees none of the region's other processes there: they are still alive.
 */
static void test_pid_namespace(void)
{
	struct pktpool *p = make_pool(256, 64, 0);
	pid_t holder, outer, inner;
	int pfd[2], r, st;
	char c;

	require(p && pipe(pfd) == 0);
	pktpool_set_error_handler(p, quiet_fn, NULL);
	holder = fork();
	if (holder == 0) {
		if (!pktpool_alloc(p))
			_exit(2);
		if (write(pfd[1], "x", 1) != 1)
			_exit(3);
		pause();
		_exit(0);
	}
	require(read(pfd[0], &c, 1) == 1);
	outer = fork();
	if (outer == 0) {
		if (unshare(CLONE_NEWPID | CLONE_NEWNS))
			_exit(77);
		inner = fork();
		if (inner == 0) {
			if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) ||
			    mount("proc", "/proc", "proc", 0, NULL))
				_exit(77);
			r = pktpool_reclaim(p, 0, 0);
			_exit(r < 0 ? 100 : r > 90 ? 90 : r);
		}
		if (waitpid(inner, &st, 0) != inner || !WIFEXITED(st))
			_exit(99);
		_exit(WEXITSTATUS(st));
	}
	waitpid(outer, &st, 0);
	r = WIFEXITED(st) ? WEXITSTATUS(st) : 128;
	if (r == 77)
		ok(1, "a reclaimer in another PID namespace takes nobody alive for dead # SKIP no namespaces");
	else
		ok(r == 0 && in_use(p) == 1,
		   "a reclaimer in another PID namespace takes nobody alive for dead (%d, %llu in use)",
		   r, (unsigned long long)in_use(p));
	reap(holder);
	ok(pktpool_reclaim(p, holder, 0) >= 1 && in_use(p) == 0,
	   "once the holder is gone its slot comes back");
	close(pfd[0]);
	close(pfd[1]);
	pktpool_detach(p);
}

/* exec() ends the process's use of the region, even under the same pid. */
static void test_exec_without_detach(void)
{
	struct pktpool *p = make_pool(256, 64, 0);
	int pfd[2], r;
	pid_t pid;
	char c;

	require(p && pipe(pfd) == 0);
	pktpool_set_error_handler(p, quiet_fn, NULL);
	pid = fork();
	if (pid == 0) {
		int i;

		for (i = 0; i < 3; i++)
			if (!pktpool_alloc(p))
				_exit(2);
		/* the write end stays open across exec: EOF means exec done */
		close(pfd[0]);
		fcntl(pfd[1], F_SETFD, FD_CLOEXEC);
		execl("/bin/sleep", "sleep", "600", (char *)NULL);
		_exit(3);
	}
	close(pfd[1]);
	r = (int)read(pfd[0], &c, 1);	/* 0 at exec */
	close(pfd[0]);
	require(r == 0);
	/* the pipe closes at exec a moment before the region's lock fd */
	for (int i = 0; i < 5000 && (r = pktpool_reclaim(p, pid, 0)) == -EBUSY;
	     i++)
		usleep(1000);
	ok(r >= 3 && in_use(p) == 0,
	   "a process that exec()s without detaching gives its slots up, same pid or not (%d)",
	   r);
	reap(pid);
	pktpool_detach(p);
}

/*
 * An entry being claimed by a live process (state CLAIMING, no pid yet)
 * is that process's, not a dead one's. The test holds the entry the way
 * lib/README.md says an owner does: an open file description of the
 * region's file with a write lock on the entry's byte.
 */
#define PROC_TABLE_OFF	1024
#define PROC_ENTRY	32
#define PROC_CLAIMING_STATE	1u

static int lock_entry(struct pktpool *p, uint32_t i)
{
	struct pktpool_layout lay;
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_len = 1 };
	char path[64];
	int fd;

	pktpool_get_layout(p, &lay);
	if (lay.region_id) {
		fd = open("/dev/pktpool", O_RDWR | O_CLOEXEC);
		fl.l_start = (off_t)lay.region_id * 128 + i;
	} else {
		snprintf(path, sizeof(path), "/proc/self/fd/%d",
			 pktpool_region_fd(p));
		fd = open(path, O_RDWR | O_CLOEXEC);
		fl.l_start = i;
	}
	if (fd < 0 || fcntl(fd, F_OFD_SETLK, &fl))
		return -1;
	return fd;
}

static void test_claiming_entry_is_alive(void)
{
	struct pktpool *p = make_pool(256, 64, 0);
	struct pktpool_layout lay;
	_Atomic uint32_t *state;
	const uint32_t e = 40;
	int pfd[2];
	pid_t pid;
	char c;

	require(p && pipe(pfd) == 0);
	pktpool_set_error_handler(p, quiet_fn, NULL);
	pktpool_get_layout(p, &lay);
	state = (_Atomic uint32_t *)((char *)pktpool_idx_to_ptr(p, 0) -
		lay.off_slots + PROC_TABLE_OFF + e * PROC_ENTRY);
	require(atomic_load(state) == 0);
	pid = fork();
	if (pid == 0) {
		if (lock_entry(p, e) < 0)
			_exit(2);
		atomic_store(state, PROC_CLAIMING_STATE);
		if (write(pfd[1], "x", 1) != 1)
			_exit(3);
		pause();
		_exit(0);
	}
	require(read(pfd[0], &c, 1) == 1);
	pktpool_reclaim(p, 0, 0);
	ok(atomic_load(state) == PROC_CLAIMING_STATE,
	   "an entry a live process is still claiming is not reclaimed");
	reap(pid);
	pktpool_reclaim(p, 0, 0);
	ok(atomic_load(state) == 0,
	   "once that process is gone the entry is freed");
	close(pfd[0]);
	close(pfd[1]);
	pktpool_detach(p);
}

/*
 * A live process adopts the slots of a dead one while a survivor reclaims
 * it: each slot ends up either adopted (adopt returned 0) or back on the
 * free list, never both. The adopter walks the slots up or down, the
 * reclaimer up, so they meet or overtake each other.
 */
static void test_adopt_races_reclaim(int rounds)
{
	const uint32_t count = 4096, half = 2048;
	struct pktpool *p = make_pool(64, count, PKTPOOL_F_NOCACHE);
	int round, twice = 0, lost = 0, adopted_total = 0;
	pid_t dead, adopter;
	uint32_t i;

	require(p);
	pktpool_set_error_handler(p, quiet_fn, NULL);
	for (round = 0; round < rounds; round++) {
		uint8_t got[4096];
		uint32_t nadopted = 0, nalloc = 0, idx;
		int pfd[2];
		char c;

		shared_reset();
		require(pipe(pfd) == 0);
		dead = fork();
		if (dead == 0) {
			for (i = 0; i < half; i++)
				if (pktpool_alloc_idx(p, &sh->idx[i]))
					_exit(2);
			atomic_store(&sh->n, half);
			pause();
			_exit(0);
		}
		wait_for(&sh->n, half);
		reap(dead);
		adopter = fork();
		if (adopter == 0) {
			close(pfd[0]);
			pktpool_reclaim(p, 1, 0);	/* registers: -ESRCH */
			wait_for(&sh->go, 1);
			for (i = 0; i < half; i++) {
				uint32_t k = round & 1 ? half - 1 - i : i;
				volatile int spin;

				/* slower than the reclaimer's scan: overtaken */
				for (spin = 0; spin < 300; spin++)
					;

				if (pktpool_adopt(p, pktpool_idx_to_ptr(p,
						sh->idx[k])) == 0) {
					atomic_store(&sh->adopted[sh->idx[k]], 1);
					atomic_store(&sh->go, 2);
				}
			}
			atomic_store(&sh->done, 1);
			/* hold them until the parent has counted */
			if (read(pfd[1], &c, 1) < 0)
				_exit(0);
			pause();
			_exit(0);
		}
		close(pfd[1]);
		atomic_store(&sh->go, 1);
		wait_for(&sh->go, 2);	/* the adopter is under way */
		pktpool_reclaim(p, dead, 0);
		wait_for(&sh->done, 1);
		/* everything the pool still hands out must not be adopted */
		memset(got, 0, sizeof(got));
		while (pktpool_alloc_idx(p, &idx) == 0) {
			if (idx >= count || got[idx]) {
				twice++;
				break;
			}
			got[idx] = 1;
			nalloc++;
			if (atomic_load(&sh->adopted[idx]))
				twice++;
		}
		for (i = 0; i < count; i++)
			nadopted += atomic_load(&sh->adopted[i]);
		adopted_total += (int)nadopted;
		if (nadopted + nalloc != count)
			lost += (int)(count - nadopted - nalloc);
		for (i = 0; i < count; i++)
			if (got[i])
				pktpool_free_idx(p, i);
		reap(adopter);
		close(pfd[0]);
		pktpool_reclaim(p, adopter, 0);
	}
	diag("adopted %d slots over %d rounds", adopted_total, rounds);
	ok(twice == 0,
	   "adopt racing a reclaim: no slot is both adopted and free (%d were)",
	   twice);
	ok(lost == 0, "adopt racing a reclaim: no slot is lost (%d were)", lost);
	pktpool_detach(p);
}

int main(void)
{
	shared_map();
	test_main_thread_exited();
	test_pid_namespace();
	test_exec_without_detach();
	test_claiming_entry_is_alive();
	test_adopt_races_reclaim((int)scaled(16));
	return tap_done();
}
