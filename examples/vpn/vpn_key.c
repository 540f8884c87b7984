// SPDX-License-Identifier: MIT
/*
 * The pre-shared key file: exactly 32 raw bytes, or 64 hex digits and an
 * optional newline. Refused when others may read or write it (any of
 * the mode's "other" bits), when it is not a regular file, and when the
 * key is all zeros. The key lives in sodium_malloc'd memory (guarded,
 * locked when the system allows, wiped when freed); the read buffer is
 * wiped too.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <sodium.h>

#include "vpn.h"

/* Longest file read: 64 hex digits, a newline, and one more to refuse. */
#define KEY_FILE_MAX	(2 * PKTPOOL_VPN_KEY_LEN + 2)

static int parse_key(const unsigned char *buf, size_t n, uint8_t *key,
		     char *why, size_t why_size)
{
	size_t bin_len;

	if (n == PKTPOOL_VPN_KEY_LEN) {
		memcpy(key, buf, PKTPOOL_VPN_KEY_LEN);
		return 0;
	}
	if (n == 2 * PKTPOOL_VPN_KEY_LEN + 1 && buf[n - 1] == '\n')
		n--;
	if (n == 2 * PKTPOOL_VPN_KEY_LEN &&
	    sodium_hex2bin(key, PKTPOOL_VPN_KEY_LEN, (const char *)buf, n,
			   NULL, &bin_len, NULL) == 0 &&
	    bin_len == PKTPOOL_VPN_KEY_LEN)
		return 0;
	snprintf(why, why_size,
		 "not a key: want exactly 32 bytes, or 64 hex digits and an optional newline");
	return -EINVAL;
}

int pktpool_vpn_key_load(const char *path, uint8_t **keyp, char *why,
			 size_t why_size)
{
	unsigned char buf[KEY_FILE_MAX];
	struct stat st;
	uint8_t *key;
	ssize_t n;
	size_t got = 0;
	int fd, err = 0;

	*keyp = NULL;
	fd = open(path, O_RDONLY | O_NOCTTY | O_CLOEXEC);
	if (fd < 0) {
		err = -errno;
		snprintf(why, why_size, "%s", strerror(errno));
		return err;
	}
	if (fstat(fd, &st)) {
		err = -errno;
		snprintf(why, why_size, "%s", strerror(errno));
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(why, why_size, "not a regular file");
		err = -EINVAL;
		goto out;
	}
	if (st.st_mode & (S_IROTH | S_IWOTH | S_IXOTH)) {
		snprintf(why, why_size,
			 "others may read or write it (mode %04o): chmod o= it first",
			 (unsigned int)(st.st_mode & 07777));
		err = -EPERM;
		goto out;
	}
	while (got < sizeof(buf)) {
		n = read(fd, buf + got, sizeof(buf) - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			err = -errno;
			snprintf(why, why_size, "%s", strerror(errno));
			goto out;
		}
		if (!n)
			break;
		got += (size_t)n;
	}
	key = sodium_malloc(PKTPOOL_VPN_KEY_LEN);
	if (!key) {
		snprintf(why, why_size, "out of memory");
		err = -ENOMEM;
		goto out;
	}
	err = parse_key(buf, got, key, why, why_size);
	if (!err && sodium_is_zero(key, PKTPOOL_VPN_KEY_LEN)) {
		snprintf(why, why_size, "the key is all zeros");
		err = -EINVAL;
	}
	if (err) {
		sodium_free(key);
		goto out;
	}
	sodium_mprotect_readonly(key);
	*keyp = key;
out:
	sodium_memzero(buf, sizeof(buf));
	close(fd);
	return err;
}
