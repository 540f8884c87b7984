// SPDX-License-Identifier: MIT
/*
 * Threads that exit and threads that are cancelled: a cancellation inside
 * a library call must not leave the library's lock held (every later
 * attach, detach and thread exit would block), and the caches of threads
 * that exit or are cancelled go back to the region.
 *
 * Each case runs in a child process with an alarm, so a hang fails the
 * case instead of stopping the suite.
 */
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <sys/wait.h>

#include "util.h"

static struct pktpool *pool;
static struct pktpool_layout lay;	/* kernel regions need its id */

static int in_child(int (*fn)(void))
{
	int st;
	pid_t pid = fork();

	if (pid == 0) {
		int r;

		alarm(90);
		r = fn();
		fflush(stdout);
		_exit(r);
	}
	if (waitpid(pid, &st, 0) != pid)
		return -1;
	if (WIFSIGNALED(st))
		printf("# child killed by signal %d%s\n", WTERMSIG(st),
		       WTERMSIG(st) == SIGALRM ? " (it hung)" : "");
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static _Atomic int cancel_sent;

/*
 * Enters attach with a cancellation already pending. No locals in its
 * frame: ASan does not clear the redzones of frames a cancellation unwinds.
 */
static __thread struct pktpool *cancel_p;
static __thread int cancel_old;

static void *attach_cancelled(void *arg)
{

	(void)arg;
	pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, &cancel_old);
	while (!atomic_load(&cancel_sent))
		;
	pthread_setcancelstate(PTHREAD_CANCEL_ENABLE, &cancel_old);
	if (pktpool_attach_fd(pktpool_region_fd(pool), &lay, 0,
			      &cancel_p) == 0)
		pktpool_detach(cancel_p);
	pthread_testcancel();
	return NULL;
}

static void *alloc_and_exit(void *arg)
{
	void *s = pktpool_alloc(pool);

	(void)arg;
	return s;
}

static int case_cancel_in_attach(void)
{
	struct pktpool *q = NULL;
	pthread_t th;
	void *ret, *s;
	int i;

	setenv("PKTPOOL_BACKEND", getenv("PKTPOOL_BACKEND") ?
	       getenv("PKTPOOL_BACKEND") : "memfd", 1);
	pool = make_pool(256, 64, 0);
	if (!pool)
		return 90;
	pktpool_get_layout(pool, &lay);
	for (i = 0; i < 20; i++) {
		atomic_store(&cancel_sent, 0);
		pthread_create(&th, NULL, attach_cancelled, NULL);
		pthread_cancel(th);
		atomic_store(&cancel_sent, 1);
		pthread_join(th, &ret);
		/* every library call that takes the lock still works */
		if (pktpool_attach_fd(pktpool_region_fd(pool), &lay, 0, &q))
			return 1;
		if (pktpool_detach(q))
			return 2;
		pthread_create(&th, NULL, alloc_and_exit, NULL);
		pthread_join(th, &s);
		if (!s || pktpool_free(pool, s))
			return 3;
	}
	return pktpool_validate(pool) == 0 ? 0 : 4;
}

/*
 * Threads allocating and freeing, cancelled at their cancellation points.
 * volatile: the cleanup handler runs after a longjmp-style unwind.
 */
struct held {
	void *volatile s[32];
	volatile int n;
};

static void release_all(void *arg)
{
	struct held *h = arg;

	while (h->n)
		pktpool_free(pool, h->s[--h->n]);
}

static void *churn(void *arg)
{
	struct held h = { .n = 0 };
	volatile uint64_t seed = 0x853C49E6748FEA9Bull ^ (uintptr_t)arg;
	volatile long i;

	pthread_cleanup_push(release_all, &h);
	for (i = 0;; i++) {
		uint64_t sd = seed, r = xorshift(&sd);

		seed = sd;
		if ((r & 1) && h.n)
			pktpool_free(pool, h.s[--h.n]);
		else if (h.n < 32 && (h.s[h.n] = pktpool_alloc(pool)))
			h.n++;
		if ((i & 63) == 0)
			pthread_testcancel();
		if ((uintptr_t)arg % 3 == 0 && i == 500)
			break;	/* some exit on their own */
	}
	pthread_cleanup_pop(1);
	return NULL;
}

static int case_threads_exit_and_cancelled(void)
{
	const int rounds = (int)scaled(8), per = 16;
	struct pktpool_stats st;
	pthread_t th[16];
	int r, i;

	pool = make_pool(128, 1024, 0);
	if (!pool)
		return 90;
	for (r = 0; r < rounds; r++) {
		for (i = 0; i < per; i++)
			pthread_create(&th[i], NULL, churn,
				       (void *)(uintptr_t)(r * per + i));
		for (i = 0; i < per; i++) {
			if ((r * per + i) % 3)
				pthread_cancel(th[i]);
			pthread_join(th[i], NULL);
		}
	}
	if (pktpool_stats(pool, &st))
		return 1;
	if (st.in_use || st.cached || st.free != 1024 || st.threads)
		return printf("# in_use %llu cached %llu free %llu threads %u\n",
			      (unsigned long long)st.in_use,
			      (unsigned long long)st.cached,
			      (unsigned long long)st.free, st.threads), 2;
	return pktpool_validate(pool) == 0 ? 0 : 3;
}

int main(void)
{
	static const struct {
		const char *name;
		int (*fn)(void);
	} cases[] = {
		{ "a thread cancelled inside attach leaves attach, detach and thread exit working",
		  case_cancel_in_attach },
		{ "threads that exit or are cancelled give every slot and cache back",
		  case_threads_exit_and_cancelled },
	};
	unsigned int i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int r = in_child(cases[i].fn);

		if (r == 90 || r == 77)
			tap_skip_all("backend not available");
		ok(r == 0, "%s", cases[i].name);
		if (r)
			diag("case returned %d", r);
	}
	return tap_done();
}
