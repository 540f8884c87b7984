// SPDX-License-Identifier: MIT
/*
 * The kernel backend: regions made by pktpool.ko (uapi/linux/pktpool.h).
 * Used only when the module advertises PKTPOOL_FEAT_REGIONS; fails with
 * -ENODEV (no /dev/pktpool) or -EOPNOTSUPP otherwise.
 *
 * The region's file descriptor is the /dev/pktpool file that created or
 * attached it: only attached files may map a region, at the mmap offset
 * the kernel reports. Passing that fd to another process passes the
 * attachment; the receiver names the region by id (pktpool_layout's
 * region_id). The geometry comes from PKTPOOL_IOC_REGION_INFO, and the
 * kernel's offsets (the three rings' too, ABI 2) must be the ones the
 * library computes (-EPROTO if not).
 *
 * An anonymous region is created with an all-zero name: the kernel keeps
 * it only while some file has it attached or mapped, so a creator that
 * dies leaves nothing behind.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/pktpool.h>

#include "internal.h"

_Static_assert(PKTPOOL_CTRL_SIZE == PKTPOOL_REGION_CTRL_SIZE, "ctrl size");
_Static_assert(PKTPOOL_META_SIZE == PKTPOOL_REGION_META_SIZE, "meta size");
_Static_assert(PKTPOOL_RING_HDR == PKTPOOL_REGION_RING_HDR, "ring header");
_Static_assert(PKTPOOL_NAME_MAX == 32, "name size");

static int dev_open_mode(int mode)
{
	struct pktpool_version v;
	int fd = open(PKTPOOL_DEVICE, mode | O_CLOEXEC);

	if (fd < 0)
		return errno == ENOENT || errno == ENXIO ? -ENODEV : -errno;
	memset(&v, 0, sizeof(v));
	v.size = sizeof(v);
	if (ioctl(fd, PKTPOOL_IOC_VERSION, &v) ||
	    v.abi_version != PKTPOOL_ABI_VERSION ||
	    !(v.features & PKTPOOL_FEAT_REGIONS)) {
		close(fd);
		return -EOPNOTSUPP;
	}
	return fd;
}

static int dev_open(void)
{
	return dev_open_mode(O_RDWR);
}

int pktpool__kernel_probe(void)
{
	int fd = dev_open();

	if (fd < 0)
		return fd;
	close(fd);
	return 0;
}

static uint64_t page_up(uint64_t v)
{
	return (v + PKTPOOL_PAGE - 1) & ~(uint64_t)(PKTPOOL_PAGE - 1);
}

/* The kernel's view must be exactly the library's layout. */
static int take_info(const struct pktpool_region_info *i,
		     struct pktpool__region *r)
{
	struct pktpool_layout lay;

	if (pktpool__layout(i->slot_size, i->slot_count, &lay) ||
	    i->mmap_size != lay.size || i->ctrl_offset != 0 ||
	    i->ctrl_size != lay.ctrl_size ||
	    i->ring_offset != lay.off_rx_ring ||
	    i->ring_size != lay.rx_ring_size + lay.fill_ring_size +
			    lay.tx_ring_size ||
	    i->ring_entries != lay.ring_entries ||
	    i->rx_offset != lay.off_rx_ring ||
	    i->fill_offset != lay.off_fill_ring ||
	    i->tx_offset != lay.off_tx_ring ||
	    i->meta_offset != lay.off_meta ||
	    i->meta_size != page_up((uint64_t)lay.slot_count *
				    PKTPOOL_META_SIZE) ||
	    i->slots_offset != lay.off_slots ||
	    i->slots_size != page_up((uint64_t)lay.slot_count * lay.slot_size))
		return -EPROTO;
	r->size = i->mmap_size;
	r->mmap_off = i->mmap_offset;
	r->slot_size = i->slot_size;
	r->slot_count = i->slot_count;
	r->id = i->id;
	memcpy(r->name, i->name, sizeof(r->name));
	r->name[sizeof(r->name) - 1] = 0;
	r->sealed = true;
	return 0;
}

static int info_by_id(int fd, uint32_t id, struct pktpool__region *r)
{
	struct pktpool_region_info info;

	memset(&info, 0, sizeof(info));
	info.size = sizeof(info);
	info.id = id;
	if (ioctl(fd, PKTPOOL_IOC_REGION_INFO, &info))
		return -errno;
	return take_info(&info, r);
}

static int kernel_create(const struct pktpool_config *cfg,
			 const struct pktpool_layout *lay,
			 struct pktpool__region *r)
{
	struct pktpool_region_create c;
	int fd = dev_open(), err;

	if (fd < 0)
		return fd;
	memset(&c, 0, sizeof(c));
	c.size = sizeof(c);
	if (cfg->name && cfg->name[0])
		strncpy(c.name, cfg->name, sizeof(c.name) - 1);
	c.slot_size = lay->slot_size;
	c.slot_count = lay->slot_count;
	c.node = -1;
	c.mode = cfg->mode ? cfg->mode & 0777 : 0600;
	if (ioctl(fd, PKTPOOL_IOC_REGION_CREATE, &c)) {
		err = -errno;
		goto fail;
	}
	err = info_by_id(fd, c.id, r);
	if (!err && (r->size != lay->size || c.mmap_size != lay->size))
		err = -EPROTO;
	if (err) {
		struct pktpool_pool_id id = { .size = sizeof(id), .id = c.id };

		/* An anonymous region goes with the file closed below. */
		if (c.name[0])
			ioctl(fd, PKTPOOL_IOC_REGION_DESTROY, &id);
		goto fail;
	}
	r->fd = fd;
	return 0;
fail:
	close(fd);
	return err;
}

static int kernel_attach(const char *name, struct pktpool__region *r)
{
	struct pktpool_region_info info;
	/* a file opened for reading attaches for reading (the region's
	 * mode may allow no more) */
	int fd = dev_open_mode(r->rdonly ? O_RDONLY : O_RDWR), err;

	if (fd < 0)
		return fd;
	memset(&info, 0, sizeof(info));
	info.size = sizeof(info);
	strncpy(info.name, name, sizeof(info.name) - 1);
	/* 0 asks for reading and writing: -EBADF on a read-only file */
	if (r->rdonly)
		info.access = PKTPOOL_ACCESS_READ;
	err = ioctl(fd, PKTPOOL_IOC_REGION_ATTACH, &info) ? -errno : 0;
	if (!err)
		err = take_info(&info, r);
	if (err) {
		close(fd);
		return err;
	}
	r->fd = fd;
	return 0;
}

/* r->fd is an attached /dev/pktpool file, r->id the region. */
static int kernel_attach_fd(struct pktpool__region *r)
{
	if (!r->id)
		return -EINVAL;
	return info_by_id(r->fd, r->id, r);
}

static int kernel_unlink(const char *name)
{
	struct pktpool_pool_id id;
	int fd = dev_open(), err;

	if (fd < 0)
		return fd;
	memset(&id, 0, sizeof(id));
	id.size = sizeof(id);
	strncpy(id.name, name, sizeof(id.name) - 1);
	err = ioctl(fd, PKTPOOL_IOC_REGION_DESTROY, &id) ? -errno : 0;
	close(fd);
	return err;
}

const struct pktpool__backend pktpool__backend_kernel = {
	.name = "kernel",
	.create = kernel_create,
	.attach = kernel_attach,
	.attach_fd = kernel_attach_fd,
	.unlink = kernel_unlink,
};
