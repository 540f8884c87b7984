// SPDX-License-Identifier: MIT
/*
 * Handles: a fixed table in the library, so a handle pointer can be checked
 * against it and a handle used after detach finds its slot marked dead
 * instead of freed memory. Its index is the handle's slot in every
 * thread's pktpool__tls.
 *
 * pktpool__lock serialises attach, detach, thread registration and exit;
 * it is never taken on the alloc/free paths once a thread has its cache.
 * fork() is made safe by holding it across the fork.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"

PKTPOOL_EXPORT struct pktpool pktpool__handles[PKTPOOL_HANDLES_MAX]
	__attribute__((aligned(64)));

_Static_assert(sizeof(struct pktpool) == 64, "a handle is one cache line");
pthread_mutex_t pktpool__lock = PTHREAD_MUTEX_INITIALIZER;
unsigned int pktpool__fork_gen;

static pthread_once_t atfork_once = PTHREAD_ONCE_INIT;

void pktpool__lock_take(int *cancel_state)
{
	pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, cancel_state);
	pthread_mutex_lock(&pktpool__lock);
}

void pktpool__lock_give(int cancel_state)
{
	int unused;

	pthread_mutex_unlock(&pktpool__lock);
	pthread_setcancelstate(cancel_state, &unused);
}

static void atfork_prepare(void)
{
	pthread_mutex_lock(&pktpool__lock);
}

static void atfork_parent(void)
{
	pthread_mutex_unlock(&pktpool__lock);
}

static void atfork_child(void)
{
	pthread_mutex_unlock(&pktpool__lock);
	pktpool__fork_gen++;
	pktpool__fork_child();
}

static void atfork_register(void)
{
	pthread_atfork(atfork_prepare, atfork_parent, atfork_child);
}

/* The private state of a live handle, or -EINVAL/-EBADF. */
int pktpool__handle_get_ro(const struct pktpool *p, struct pktpool__priv **pv)
{
	if (!pktpool__handle_ok(p))
		return -EINVAL;
	if (!p->priv || !p->priv->live)
		return -EBADF;
	*pv = p->priv;
	return 0;
}

int pktpool__handle_get(const struct pktpool *p, struct pktpool__priv **pv)
{
	int err = pktpool__handle_get_ro(p, pv);

	/* a write through a read-only mapping would be SIGSEGV */
	if (!err && (*pv)->rdonly)
		return -EPERM;
	return err;
}

/* Called with pktpool__lock held. */
int pktpool__handle_alloc(struct pktpool **out)
{
	struct pktpool__priv *pv;
	uint32_t i;

	pthread_once(&atfork_once, atfork_register);
	for (i = 0; i < PKTPOOL_HANDLES_MAX; i++)
		if (!pktpool__handles[i].priv)
			break;
	if (i == PKTPOOL_HANDLES_MAX)
		return -ENOSPC;
	pv = calloc(1, sizeof(*pv));
	if (!pv)
		return -ENOMEM;
	pv->fd = -1;
	pv->lockfd = -1;
	pthread_mutex_init(&pv->nc_lock, NULL);
	memset(&pktpool__handles[i], 0, sizeof(pktpool__handles[i]));
	pktpool__handles[i].hid = i;
	pktpool__handles[i].owner = OWNER_NONE;
	pktpool__handles[i].priv = pv;
	*out = &pktpool__handles[i];
	return 0;
}

/* Called with pktpool__lock held. The slot stays in the table, dead. */
void pktpool__handle_free(struct pktpool *p)
{
	uint32_t hid = p->hid;

	if (p->priv) {
		if (p->priv->lockfd >= 0)
			close(p->priv->lockfd);
		pthread_mutex_destroy(&p->priv->nc_lock);
	}
	free(p->priv);
	memset(p, 0, sizeof(*p));
	p->hid = hid;
	p->owner = OWNER_NONE;
}
