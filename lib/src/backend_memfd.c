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
 *
 * A named region is made nameless (O_TMPFILE in /dev/shm), laid out, and
 * only then linked to its name, which fails if the name was taken
 * meanwhile: nobody can attach a region half made, and a creator killed
 * half way leaves no name behind. Where O_TMPFILE is not available it
 * falls back to shm_open(O_EXCL), named from the start.
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

#define SHM_DIR	"/dev/shm"	/* where glibc's shm_open() puts names */

static bool shm_exists(const char *path)
{
	char full[PKTPOOL_NAME_MAX + 32];
	struct stat st;

	snprintf(full, sizeof(full), SHM_DIR "%s", path);
	return stat(full, &st) == 0;
}

/* Name a region made nameless, now that it is laid out. */
static int memfd_publish(const struct pktpool_config *cfg,
			 struct pktpool__region *r)
{
	char path[PKTPOOL_NAME_MAX + 16], full[PKTPOOL_NAME_MAX + 32];
	char self[64];

	if (!r->unnamed)
		return 0;
	shm_path(path, sizeof(path), cfg->name);
	snprintf(full, sizeof(full), SHM_DIR "%s", path);
	snprintf(self, sizeof(self), "/proc/thread-self/fd/%d", r->fd);
	/* AT_EMPTY_PATH needs CAP_DAC_READ_SEARCH; /proc/self/fd does not */
	if (linkat(r->fd, "", AT_FDCWD, full, AT_EMPTY_PATH) &&
	    linkat(AT_FDCWD, self, AT_FDCWD, full, AT_SYMLINK_FOLLOW))
		return -errno;
	r->unnamed = false;
	return 0;
}

static int memfd_create_region(const struct pktpool_config *cfg,
			       const struct pktpool_layout *lay,
			       struct pktpool__region *r)
{
	char path[PKTPOOL_NAME_MAX + 16];
	int fd, err;

	if (cfg->name && cfg->name[0]) {
		mode_t mode = cfg->mode ? cfg->mode : 0600;

		shm_path(path, sizeof(path), cfg->name);
		if (shm_exists(path))
			return -EEXIST;	/* early; publish() decides */
		fd = open(SHM_DIR, O_TMPFILE | O_RDWR | O_CLOEXEC, mode);
		r->unnamed = fd >= 0;
		if (fd < 0)
			fd = shm_open(path, O_RDWR | O_CREAT | O_EXCL |
				      O_CLOEXEC, mode);
		if (fd < 0)
			return -errno;
		if (fchmod(fd, mode) || ftruncate(fd, (off_t)lay->size)) {
			err = -errno;
			close(fd);
			if (!r->unnamed)
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
	r->fd = shm_open(path, (r->rdonly ? O_RDONLY : O_RDWR) | O_CLOEXEC, 0);
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
	.publish = memfd_publish,
	.unlink = memfd_unlink,
};
