// SPDX-License-Identifier: MIT
/*
 * The memfd backend: regions in tmpfs, on any Linux host, no module needed.
 *
 * Anonymous regions are memfds, sealed against shrinking and growing once
 * sized, shared by fork() or by passing the fd. Named regions are POSIX
 * shared-memory objects: shm_open("/pktpool.NAME") is the file
 * /dev/shm/pktpool.NAME, created with O_EXCL and the config's mode (umask
 * not applied), so unrelated processes with access to it can attach by
 * name. A shm file cannot be sealed: a process with write access could
 * truncate it under the others (they would get SIGBUS); its permission
 * bits are the trust boundary.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"

static void shm_path(char *buf, size_t len, const char *name)
{
	snprintf(buf, len, "/pktpool.%s", name);
}

static int memfd_create_region(const struct pktpool_config *cfg,
			       const struct pktpool_layout *lay,
			       struct pktpool__region *r)
{
	char path[PKTPOOL_NAME_MAX + 16];
	int fd, err;

	if (cfg->name && cfg->name[0]) {
		shm_path(path, sizeof(path), cfg->name);
		fd = shm_open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC,
			      cfg->mode ? cfg->mode : 0600);
		if (fd < 0)
			return -errno;
		if (fchmod(fd, cfg->mode ? cfg->mode : 0600) ||
		    ftruncate(fd, (off_t)lay->size)) {
			err = -errno;
			close(fd);
			shm_unlink(path);
			return err;
		}
		r->sealed = false;
	} else {
		fd = memfd_create("pktpool", MFD_CLOEXEC | MFD_ALLOW_SEALING);
		if (fd < 0)
			return -errno;
		if (ftruncate(fd, (off_t)lay->size) ||
		    fcntl(fd, F_ADD_SEALS,
			  F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL)) {
			err = -errno;
			close(fd);
			return err;
		}
		r->sealed = true;
	}
	r->fd = fd;
	r->size = lay->size;
	r->mmap_off = 0;
	return 0;
}

static int memfd_describe(struct pktpool__region *r)
{
	struct stat st;
	int seals;

	if (fstat(r->fd, &st))
		return -errno;
	if (!S_ISREG(st.st_mode))
		return -EINVAL;
	r->size = (uint64_t)st.st_size;
	r->mmap_off = 0;
	r->slot_size = r->slot_count = 0;	/* only the size is known */
	seals = fcntl(r->fd, F_GET_SEALS);
	r->sealed = seals >= 0 && (seals & F_SEAL_SHRINK);
	return 0;
}

static int memfd_attach(const char *name, struct pktpool__region *r)
{
	char path[PKTPOOL_NAME_MAX + 16];
	int err;

	shm_path(path, sizeof(path), name);
	r->fd = shm_open(path, O_RDWR | O_CLOEXEC, 0);
	if (r->fd < 0)
		return -errno;
	err = memfd_describe(r);
	if (err) {
		close(r->fd);
		r->fd = -1;
	}
	return err;
}

static int memfd_unlink(const char *name)
{
	char path[PKTPOOL_NAME_MAX + 16];

	shm_path(path, sizeof(path), name);
	return shm_unlink(path) ? -errno : 0;
}

const struct pktpool__backend pktpool__backend_memfd = {
	.name = "memfd",
	.create = memfd_create_region,
	.attach = memfd_attach,
	.attach_fd = memfd_describe,
	.unlink = memfd_unlink,
};
