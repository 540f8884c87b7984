// SPDX-License-Identifier: MIT
/*
 * Crashed processes: workers killed with SIGKILL in the middle of random
 * alloc/free (slots in use, in their thread caches, maybe inside a
 * shared-list CAS) while another worker keeps running. A survivor's
 * pktpool_reclaim() returns their slots; at the end nothing is lost and no
 * slot was handed out twice. Also: reclaim refuses live processes, names
 * unknown ones, and treats a reused pid (other start time) as dead.
 */
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>

#include "util.h"
#include "../src/internal.h"

#define HOLD	24

struct shared {
	_Atomic uint32_t stop;
	_Atomic uint32_t errors;
	_Atomic uint32_t ready;
	_Atomic uint32_t holder[];	/* slot -> worker pid, 0 free */
};

static struct shared *sh;
static struct errlog elog;

static void msleep(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000 };

	nanosleep(&ts, NULL);
}

/* Random alloc/free with the region inherited over fork. */
static void worker(struct pktpool *p)
{
	uint32_t me = (uint32_t)getpid(), idx = 0, z;
	uint64_t seed = 0xA0761D6478BD642Full ^ me;
	void *held[HOLD];
	int n = 0;

	atomic_fetch_add(&sh->ready, 1);
	while (!atomic_load_explicit(&sh->stop, memory_order_relaxed)) {
		uint64_t r = xorshift(&seed);

		if ((r & 1) && n) {
			int k = (int)((r >> 8) % (uint64_t)n);

			pktpool_ptr_to_idx(p, held[k], &idx);
			atomic_store(&sh->holder[idx], 0);
			if (pktpool_free(p, held[k]))
				atomic_fetch_add(&sh->errors, 1);
			held[k] = held[--n];
		} else if (n < HOLD) {
			void *s = pktpool_alloc(p);

			if (s) {
				pktpool_ptr_to_idx(p, s, &idx);
				z = 0;
				if (!atomic_compare_exchange_strong(&sh->holder[idx],
								    &z, me)) {
					/* held by a killed worker: fine only
					 * if that one is gone and reclaimed */
					if (kill((pid_t)z, 0) == 0)
						atomic_fetch_add(&sh->errors, 1);
					atomic_store(&sh->holder[idx], me);
				}
				held[n++] = s;
			}
		}
	}
	while (n) {
		pktpool_ptr_to_idx(p, held[--n], &idx);
		atomic_store(&sh->holder[idx], 0);
		if (pktpool_free(p, held[n]))
			atomic_fetch_add(&sh->errors, 1);
	}
	_exit(pktpool_detach(p) == 0 ? 0 : 3);
}

static void test_kill_and_reclaim(uint32_t flags, int rounds)
{
	const uint32_t count = 256;
	struct pktpool *p = make_pool(1024, count, flags);
	struct pktpool_stats st;
	uint64_t seed = 12345;
	int round, st_, reclaimed = 0, bad_reclaim = 0, uncertain = 0;
	pid_t survivor, victim;
	const char *what = flags & PKTPOOL_F_DEBUG ? "debug" :
			   flags & PKTPOOL_F_NOCACHE ? "no cache" : "cached";

	require(p);
	pktpool_set_error_handler(p, quiet_fn, NULL);
	sh = mmap(NULL, sizeof(*sh) + count * 4, PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	require(sh != MAP_FAILED);

	survivor = fork();
	if (survivor == 0)
		worker(p);
	for (round = 0; round < rounds; round++) {
		atomic_store(&sh->ready, 0);
		victim = fork();
		if (victim == 0)
			worker(p);
		while (atomic_load(&sh->ready) == 0)
			sched_yield();
		msleep(1 + (long)(xorshift(&seed) % 8));
		kill(victim, SIGKILL);
		waitpid(victim, &st_, 0);
		st_ = pktpool_reclaim(p, victim, 0);
		if (st_ < 0 && st_ != -ESRCH)	/* ESRCH: killed before it registered */
			bad_reclaim++;
		else if (st_ > 0)
			reclaimed += st_;
	}
	atomic_store(&sh->stop, 1);
	waitpid(survivor, &st_, 0);
	ok(WIFEXITED(st_) && WEXITSTATUS(st_) == 0,
	   "%s: the surviving worker ran on through %d kills", what, rounds);
	ok(bad_reclaim == 0 && reclaimed > 0,
	   "%s: reclaim of each killed worker succeeded (%d slots back)", what,
	   reclaimed);
	ok(atomic_load(&sh->errors) == 0,
	   "%s: no slot was handed out while a live process held it", what);
	pktpool_flush_cache(p);
	pktpool_stats(p, &st);
	/* A worker killed inside a shared-list CAS may leave a batch that
	 * only an idle reclaim can place: every such slot is counted. */
	{
		struct pktpool_layout lay;
		struct pktpool__hdr *h;
		uint64_t lost = count - st.free, unc;

		pktpool_get_layout(p, &lay);
		h = (struct pktpool__hdr *)((char *)pktpool_idx_to_ptr(p, 0) -
					    lay.off_slots);
		unc = atomic_load(&h->uncertain);
		ok(lost <= unc,
		   "%s: every slot a kill left unaccounted is counted as uncertain (%llu lost, %llu counted)",
		   what, (unsigned long long)lost, (unsigned long long)unc);
	}
	diag("%s: in use after the reclaims: %llu", what,
	     (unsigned long long)st.in_use);
	uncertain = pktpool_reclaim(p, 0, PKTPOOL_RECLAIM_IDLE);
	diag("%s: idle reclaim recovered %d slots", what, uncertain);
	pktpool_flush_cache(p);
	pktpool_stats(p, &st);
	ok(st.in_use == 0 && st.free == count && st.cached == 0,
	   "%s: every slot is back after the kills (free %llu in_use %llu)",
	   what, (unsigned long long)st.free, (unsigned long long)st.in_use);
	pktpool_set_error_handler(p, errlog_fn, &elog);
	elog.count = 0;
	st_ = pktpool_validate(p);
	ok(st_ == 0, "%s: validate passes after the kills%s%s", what,
	   st_ ? ": " : "", st_ ? (elog.count ? elog.msg : pktpool_strerror(st_)) : "");
	ok(st.procs == 1, "%s: the dead workers' process entries are free", what);
	pktpool_detach(p);
	munmap(sh, sizeof(*sh) + count * 4);
}

static void test_reclaim_errors(void)
{
	struct pktpool *p = make_pool(512, 64, 0);
	struct pktpool__hdr *h;
	struct pktpool_layout lay;
	struct pktpool_stats st;
	int pipefd[2], r;
	pid_t pid;
	char c;

	require(p && pipe(pipefd) == 0);
	pid = fork();
	if (pid == 0) {
		void *s = pktpool_alloc(p);

		(void)s;
		close(pipefd[0]);
		if (write(pipefd[1], "x", 1) != 1)
			_exit(1);
		pause();
		_exit(0);
	}
	close(pipefd[1]);
	require(read(pipefd[0], &c, 1) == 1);
	ok(pktpool_reclaim(p, pid, 0) == -EBUSY,
	   "reclaim of a running process is -EBUSY");
	ok(pktpool_reclaim(p, 0, 0) == 0,
	   "reclaim of all gone processes skips the running one");
	ok(pktpool_reclaim(p, 1, 0) == -ESRCH,
	   "reclaim of a pid that never attached is -ESRCH");
	ok(pktpool_reclaim(p, -1, 0) == -EINVAL &&
	   pktpool_reclaim(p, 0, 0x80) == -EINVAL,
	   "reclaim refuses bad arguments");

	/*
	 * The pid in an entry is a label, not the proof of life: garbage
	 * there (a pid that does not exist) leaves a live process alive.
	 */
	pktpool_get_layout(p, &lay);
	h = (struct pktpool__hdr *)((char *)pktpool_idx_to_ptr(p, 0) -
				    lay.off_slots);
	for (r = 0; r < PKTPOOL_PROCS_MAX; r++)
		if (atomic_load(&h->proc[r].pid) == pid)
			atomic_store(&h->proc[r].pid, 0x3ffffff0);
	r = pktpool_reclaim(p, 0, 0);
	pktpool_stats(p, &st);
	ok(r == 0 && st.in_use == 1,
	   "a live process whose entry names a pid that does not exist keeps its slots (%d)",
	   r);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	r = pktpool_reclaim(p, 0x3ffffff0, 0);
	pktpool_stats(p, &st);
	ok(r >= 1 && st.in_use == 0,
	   "once it is gone, reclaim by the pid its entry names returns its slots (%d)",
	   r);
	ok(pktpool_reclaim(p, pid, 0) == -ESRCH,
	   "after reclaim its entry is gone");
	pktpool_detach(p);
}

/* A slot handed over and adopted survives the sender's death. */
/*
 * A process killed inside a push after clearing its tags, while others
 * moved the head: its record cannot say whether its CAS happened. When
 * the list holds still, a reclaim looks and takes back what is not on it
 * instead of leaving it to an idle reclaim. (The record is forged: the
 * kill cannot be aimed that precisely.)
 */
static void test_settle_by_looking(void)
{
	struct pktpool *p = make_pool(256, 64, PKTPOOL_F_NOCACHE);
	struct pktpool_layout lay;
	struct pktpool__hdr *h;
	struct pktpool__tcache *tc;
	struct pktpool_stats st;
	int pipefd[2], r, i;
	uint32_t idx, owner;
	pid_t pid;

	require(p && pipe(pipefd) == 0);
	pktpool_set_error_handler(p, quiet_fn, NULL);
	pid = fork();
	if (pid == 0) {
		if (pktpool_alloc_idx(p, &idx) ||
		    write(pipefd[1], &idx, sizeof(idx)) != sizeof(idx))
			_exit(1);
		pause();
		_exit(0);
	}
	require(read(pipefd[0], &idx, sizeof(idx)) == sizeof(idx));
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	pktpool_get_layout(p, &lay);
	h = (struct pktpool__hdr *)((char *)pktpool_idx_to_ptr(p, 0) -
				    lay.off_slots);
	tc = (struct pktpool__tcache *)((char *)h + lay.off_tcache);
	owner = atomic_load(&p->tag[idx]) & PKTPOOL__TAG_OWNER;
	for (i = 0; i < PKTPOOL_THREADS_MAX; i++)
		if (atomic_load(&tc[i].owner) == owner)
			break;
	require(i < PKTPOOL_THREADS_MAX);
	/* "pushing idx, tags cleared, expecting a head two CAS ago" */
	atomic_store(&tc[i].transit_first, idx);
	atomic_store(&tc[i].transit_n, 1);
	atomic_store(&tc[i].transit_gen,
		     atomic_load(&h->head.gen) - 2);
	atomic_store(&p->tag[idx], TAG(0, TAG_FREE));
	atomic_store(&tc[i].transit_op, TRANSIT_PUSH);
	r = pktpool_reclaim(p, pid, 0);
	pktpool_stats(p, &st);
	ok(r == 1 && st.free == 64 && atomic_load(&h->uncertain) == 0,
	   "a push a kill left ambiguous is settled by looking at a quiet list (%d back)",
	   r);
	ok(pktpool_validate(p) == 0, "validate after settling it");
	close(pipefd[0]);
	close(pipefd[1]);
	pktpool_detach(p);
}

static void test_adopt(void)
{
	struct pktpool *p = make_pool(512, 64, 0);
	struct pktpool_stats st;
	int pipefd[2], r;
	uint32_t idx;
	char local[8];
	void *s, *mine;
	pid_t pid;

	require(p && pipe(pipefd) == 0);
	pktpool_set_error_handler(p, quiet_fn, NULL);
	pid = fork();
	if (pid == 0) {
		s = pktpool_alloc(p);
		pktpool_ptr_to_idx(p, s, &idx);
		if (write(pipefd[1], &idx, sizeof(idx)) != sizeof(idx))
			_exit(1);
		pause();
		_exit(0);
	}
	require(read(pipefd[0], &idx, sizeof(idx)) == sizeof(idx));
	s = pktpool_idx_to_ptr(p, idx);
	ok(pktpool_adopt(p, s) == 0, "adopt a slot another process allocated");
	mine = pktpool_alloc(p);
	ok(pktpool_adopt(p, mine) == 0, "adopting one's own slot is a no-op");
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	r = pktpool_reclaim(p, pid, 0);
	pktpool_stats(p, &st);
	ok(r >= 0 && st.in_use == 2,
	   "reclaiming the sender leaves the adopted slot in use (%llu)",
	   (unsigned long long)st.in_use);
	ok(pktpool_free(p, s) == 0 && pktpool_free(p, mine) == 0,
	   "the adopted slot frees normally");
	ok(pktpool_adopt(p, local) == -EFAULT &&
	   pktpool_adopt(p, (char *)s + 64) == -EINVAL &&
	   pktpool_adopt(NULL, s) == -EINVAL,
	   "adopt refuses foreign, misaligned and handle-less pointers");
	pktpool_flush_cache(p);
	ok(pktpool_adopt(p, s) == -EALREADY, "adopt of a free slot is -EALREADY");
	ok(pktpool_validate(p) == 0, "validate after adopt");
	pktpool_detach(p);
	close(pipefd[0]);
	close(pipefd[1]);
}

/* A full process table refuses attach until dead entries are reclaimed. */
static void test_proc_table_full(void)
{
	struct pktpool *p = make_pool(256, 16, 0), *q = NULL;
	struct pktpool_layout lay;
	struct pktpool__hdr *h;
	int i, err, filled = 0;

	require(p);
	pktpool_set_error_handler(p, quiet_fn, NULL);
	pktpool_get_layout(p, &lay);
	h = (struct pktpool__hdr *)((char *)pktpool_idx_to_ptr(p, 0) -
				    lay.off_slots);
	for (i = 0; i < PKTPOOL_PROCS_MAX; i++) {
		uint32_t zero = PROC_FREE;

		/* entries of a process that is gone: a pid that cannot be */
		if (atomic_compare_exchange_strong(&h->proc[i].state, &zero,
						   PROC_ALIVE)) {
			atomic_store(&h->proc[i].pid, 0x3ffffff0 - i);
			filled++;
		}
	}
	err = pktpool_attach_fd(pktpool_region_fd(p), NULL, 0, &q);
	ok(err == -ENOSPC, "attach with a full process table is -ENOSPC (%s)",
	   pktpool_strerror(err));
	ok(pktpool_reclaim(p, 0, 0) == 0, "reclaim frees the dead entries");
	err = pktpool_attach_fd(pktpool_region_fd(p), NULL, 0, &q);
	ok(err == 0 && filled == PKTPOOL_PROCS_MAX - 1,
	   "then attach works again");
	if (q)
		pktpool_detach(q);
	pktpool_detach(p);
}

/*
 * A process with more threads than the region has thread caches, killed
 * while all of them allocate and free: the threads without a cache share
 * their process's transit record (one of them at a time), so after the
 * reclaims every slot is back or counted as uncertain, and an idle
 * reclaim brings back the rest.
 */
#define MANY_THREADS	(PKTPOOL_THREADS_MAX + 8)

static struct pktpool *many_pool;

static void *many_thread(void *arg)
{
	uint64_t seed = 0x9E3779B97F4A7C15ull * ((uintptr_t)arg + 1);
	void *held[16];
	int n = 0;

	atomic_fetch_add(&sh->ready, 1);
	for (;;) {
		if ((xorshift(&seed) & 1) && n)
			pktpool_free(many_pool, held[--n]);
		else if (n < 16 && (held[n] = pktpool_alloc(many_pool)))
			n++;
	}
	return NULL;
}

static void test_kill_many_threads(int rounds)
{
	const uint32_t count = 4096;
	struct pktpool_layout lay;
	struct pktpool_stats st;
	struct pktpool__hdr *h;
	uint64_t seed = 777, lost, unc;
	int round, r;

	many_pool = make_pool(64, count, 0);
	require(many_pool);
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	require(sh != MAP_FAILED);
	pktpool_set_error_handler(many_pool, quiet_fn, NULL);
	for (round = 0; round < rounds; round++) {
		pid_t pid;

		atomic_store(&sh->ready, 0);
		pid = fork();
		if (pid == 0) {
			pthread_t th;
			uintptr_t i;

			for (i = 0; i < MANY_THREADS; i++)
				pthread_create(&th, NULL, many_thread, (void *)i);
			pause();
			_exit(0);
		}
		while (atomic_load(&sh->ready) < MANY_THREADS)
			sched_yield();
		msleep(1 + (long)(xorshift(&seed) % 8));
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		pktpool_reclaim(many_pool, pid, 0);
	}
	pktpool_flush_cache(many_pool);
	pktpool_stats(many_pool, &st);
	pktpool_get_layout(many_pool, &lay);
	h = (struct pktpool__hdr *)((char *)pktpool_idx_to_ptr(many_pool, 0) -
				    lay.off_slots);
	lost = count - st.free;
	unc = atomic_load(&h->uncertain);
	ok(st.threads <= 1 && lost <= unc,
	   "%d threads killed %d times: every slot is back or counted as uncertain (%llu lost, %llu counted)",
	   MANY_THREADS, rounds, (unsigned long long)lost,
	   (unsigned long long)unc);
	r = pktpool_reclaim(many_pool, 0, PKTPOOL_RECLAIM_IDLE);
	pktpool_flush_cache(many_pool);
	pktpool_stats(many_pool, &st);
	ok(r >= 0 && st.free == count && pktpool_validate(many_pool) == 0,
	   "then an idle reclaim brings back the rest (%d)", r);
	pktpool_detach(many_pool);
	munmap(sh, sizeof(*sh));
}

int main(void)
{
	int rounds = (int)scaled(15);

	test_kill_and_reclaim(0, rounds);
	test_kill_and_reclaim(PKTPOOL_F_NOCACHE, rounds);
	test_kill_and_reclaim(PKTPOOL_F_DEBUG, rounds / 2 + 1);
#ifdef __SANITIZE_THREAD__
	test_kill_many_threads(2);	/* 40 threads are slow under TSan */
#else
	test_kill_many_threads(rounds / 2 + 1);
#endif
	test_reclaim_errors();
	test_settle_by_looking();
	test_adopt();
	if (strcmp(getenv("PKTPOOL_BACKEND") ? getenv("PKTPOOL_BACKEND") : "",
		   "kernel"))
		test_proc_table_full();
	return tap_done();
}
