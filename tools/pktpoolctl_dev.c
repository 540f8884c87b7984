// SPDX-License-Identifier: GPL-2.0
/*
 * pktpoolctl: the /dev/pktpool ioctls it uses. Making and removing pools
 * and regions stays on the device (the netlink family has no create or
 * destroy); a region created here is attached to this process's file
 * until it exits and then lives on in the kernel until destroyed.
 * No printing here: 0 or -errno.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>

#include "pktpoolctl.h"

/* Read-only is enough for PKTPOOL_IOC_VERSION; the rest asks for O_RDWR. */
int pctl_dev_open(struct ctl *ctl, bool write)
{
	ctl->fd = open(ctl->device, (write ? O_RDWR : O_RDONLY) | O_CLOEXEC);
	return ctl->fd < 0 ? -errno : 0;
}

static int dev_ioctl(struct ctl *ctl, unsigned long cmd, void *arg)
{
	return ioctl(ctl->fd, cmd, arg) ? -errno : 0;
}

int pctl_dev_version(struct ctl *ctl, struct pktpool_version *v)
{
	memset(v, 0, sizeof(*v));
	v->size = sizeof(*v);
	return dev_ioctl(ctl, PKTPOOL_IOC_VERSION, v);
}

int pctl_dev_pool_create(struct ctl *ctl, struct pktpool_pool_create *c)
{
	c->size = sizeof(*c);
	return dev_ioctl(ctl, PKTPOOL_IOC_POOL_CREATE, c);
}

/* The same struct names pools and regions for DESTROY. */
static void dev_id(struct pktpool_pool_id *p, const struct pctl_ref *ref)
{
	memset(p, 0, sizeof(*p));
	p->size = sizeof(*p);
	p->id = ref->id;
	if (!ref->id)
		memcpy(p->name, ref->name, sizeof(p->name));
}

int pctl_dev_pool_destroy(struct ctl *ctl, const struct pctl_ref *ref)
{
	struct pktpool_pool_id p;

	dev_id(&p, ref);
	return dev_ioctl(ctl, PKTPOOL_IOC_POOL_DESTROY, &p);
}

int pctl_dev_pool_reset_stats(struct ctl *ctl, const struct pctl_ref *ref)
{
	struct pktpool_pool_id p;

	dev_id(&p, ref);
	return dev_ioctl(ctl, PKTPOOL_IOC_POOL_RESET_STATS, &p);
}

int pctl_dev_region_create(struct ctl *ctl, struct pktpool_region_create *c)
{
	c->size = sizeof(*c);
	return dev_ioctl(ctl, PKTPOOL_IOC_REGION_CREATE, c);
}

int pctl_dev_region_destroy(struct ctl *ctl, const struct pctl_ref *ref)
{
	struct pktpool_pool_id p;

	dev_id(&p, ref);
	return dev_ioctl(ctl, PKTPOOL_IOC_REGION_DESTROY, &p);
}
