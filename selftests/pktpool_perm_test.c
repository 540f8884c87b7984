// SPDX-License-Identifier: GPL-2.0
/*
 * Who may do what on /dev/pktpool: commands that change pools need
 * CAP_NET_ADMIN, the read-only ones need only an open file.
 *
 * Each unprivileged call runs in a child that drops CAP_NET_ADMIN from its
 * bounding, effective, permitted and inheritable sets (checked against
 * /proc/self/status) before it issues the ioctl on the descriptor the test
 * opened, so the test itself keeps the capability to set up and clean up.
 */
#include <grp.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>

#include "pktpool_harness.h"
#include "pktpool_util.h"

#define CHILD_NO_DROP	200	/* exit code: could not drop the cap */

FIXTURE(perm) {
	int fd;
	const char *skip;
	char name[PKTPOOL_NAME_MAX];
	__u32 id;
	void *shared;		/* ioctl argument, visible to both sides */
};

FIXTURE_SETUP(perm)
{
	self->id = 0;
	self->shared = MAP_FAILED;
	self->fd = pp_open_dev(PKTPOOL_DEVICE);
	if (self->fd == -ENOENT) {
		self->skip = PKTPOOL_DEVICE " missing: pktpool.ko not loaded";
		return;
	}
	if (self->fd < 0) {
		self->skip = "cannot open " PKTPOOL_DEVICE " (not root?)";
		return;
	}
	if (!pp_status_cap("CapEff", CAP_NET_ADMIN) ||
	    !pp_status_cap("CapEff", CAP_SETPCAP)) {
		self->skip = "needs CAP_NET_ADMIN and CAP_SETPCAP to drop it";
		return;
	}
	self->shared = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
			    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, self->shared);
	pp_name(self->name, "perm");
	ASSERT_EQ(0, pp_create_simple(self->fd, self->name, 256, 100, 4,
				      &self->id));
}

FIXTURE_TEARDOWN(perm)
{
	if (self->id)
		pp_destroy(self->fd, self->id, NULL);
	if (self->shared != MAP_FAILED)
		munmap(self->shared, 4096);
	if (self->fd >= 0)
		close(self->fd);
}

#define REQUIRE_DEV() do {					\
	if (self->skip)						\
		SKIP(return, "%s", self->skip);			\
} while (0)

/*
 * Issue cmd on fd in a child without CAP_NET_ADMIN. arg (size bytes) is
 * passed through shared memory and copied back. Returns the errno the
 * child saw, 0 on success.
 */
static int without_net_admin(struct __test_metadata *_metadata,
			     FIXTURE_DATA(perm) *self, unsigned long cmd,
			     void *arg, size_t size)
{
	int status;
	pid_t pid;

	ASSERT_LE(size, 4096U);
	memcpy(self->shared, arg, size);
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	ASSERT_GE(pid, 0);
	if (pid == 0) {
		if (pp_drop_cap(CAP_NET_ADMIN))
			_exit(CHILD_NO_DROP);
		_exit(ioctl(self->fd, cmd, self->shared) ? errno : 0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_NE(CHILD_NO_DROP, WEXITSTATUS(status)) {
		TH_LOG("could not drop CAP_NET_ADMIN");
	}
	memcpy(arg, self->shared, size);
	return WEXITSTATUS(status);
}

TEST_F(perm, dropping_net_admin_clears_it_from_proc_status)
{
	REQUIRE_DEV();
	/*
	 * The test runs in its own child process: dropping here is safe, but
	 * the teardown could no longer destroy the fixture's pool, so that
	 * goes first.
	 */
	ASSERT_EQ(0, pp_destroy(self->fd, self->id, NULL));
	self->id = 0;
	ASSERT_EQ(0, pp_drop_cap(CAP_NET_ADMIN));
	EXPECT_FALSE(pp_status_cap("CapEff", CAP_NET_ADMIN));
	EXPECT_FALSE(pp_status_cap("CapPrm", CAP_NET_ADMIN));
	EXPECT_FALSE(pp_status_cap("CapBnd", CAP_NET_ADMIN));
	/* Only that one capability went. */
	EXPECT_TRUE(pp_status_cap("CapEff", CAP_SYS_ADMIN));
}

TEST_F(perm, create_without_net_admin_gives_eperm)
{
	struct pktpool_pool_create c;
	struct pktpool_pool_info info;
	char name[PKTPOOL_NAME_MAX];
	long before;

	REQUIRE_DEV();
	pp_name(name, "nocap");
	pp_create_init(&c, name, 256);
	before = pp_count(self->fd);
	EXPECT_EQ(EPERM, without_net_admin(_metadata, self,
					   PKTPOOL_IOC_POOL_CREATE, &c,
					   sizeof(c)));
	EXPECT_EQ(0U, c.id);
	EXPECT_EQ(before, pp_count(self->fd));
	EXPECT_EQ(-ENOENT, pp_info(self->fd, 0, name, &info));
}

/* Permission is checked first: bad arguments still give EPERM. */
TEST_F(perm, create_checks_permission_before_arguments)
{
	struct pktpool_pool_create c;

	REQUIRE_DEV();
	pp_create_init(&c, "Bad Name", 0);
	c.flags = ~0U;
	c.reserved = 1;
	EXPECT_EQ(EPERM, without_net_admin(_metadata, self,
					   PKTPOOL_IOC_POOL_CREATE, &c,
					   sizeof(c)));
}

TEST_F(perm, destroy_without_net_admin_gives_eperm)
{
	struct pktpool_pool_info info;
	struct pktpool_pool_id p;

	REQUIRE_DEV();
	pp_id_init(&p, self->id, NULL);
	EXPECT_EQ(EPERM, without_net_admin(_metadata, self,
					   PKTPOOL_IOC_POOL_DESTROY, &p,
					   sizeof(p)));
	EXPECT_EQ(0, pp_info(self->fd, self->id, NULL, &info));
}

TEST_F(perm, set_without_net_admin_gives_eperm)
{
	struct pktpool_pool_info before, after;
	struct pktpool_pool_set s;

	REQUIRE_DEV();
	ASSERT_EQ(0, pp_info(self->fd, self->id, NULL, &before));
	pp_set_init(&s, self->id, NULL, PKTPOOL_SET_ALL, 1000, 8);
	EXPECT_EQ(EPERM, without_net_admin(_metadata, self,
					   PKTPOOL_IOC_POOL_SET, &s,
					   sizeof(s)));
	ASSERT_EQ(0, pp_info(self->fd, self->id, NULL, &after));
	EXPECT_EQ(0, memcmp(&before, &after, sizeof(before)));
}

TEST_F(perm, reset_stats_without_net_admin_gives_eperm)
{
	struct pktpool_pool_id p;

	REQUIRE_DEV();
	pp_id_init(&p, self->id, NULL);
	EXPECT_EQ(EPERM, without_net_admin(_metadata, self,
					   PKTPOOL_IOC_POOL_RESET_STATS, &p,
					   sizeof(p)));
}

TEST_F(perm, version_works_without_net_admin)
{
	struct pktpool_version v;

	REQUIRE_DEV();
	memset(&v, 0, sizeof(v));
	v.size = sizeof(v);
	EXPECT_EQ(0, without_net_admin(_metadata, self, PKTPOOL_IOC_VERSION,
				       &v, sizeof(v)));
	EXPECT_EQ((__u32)PKTPOOL_ABI_VERSION, v.abi_version);
}

TEST_F(perm, info_works_without_net_admin)
{
	struct pktpool_pool_info mine, theirs;

	REQUIRE_DEV();
	ASSERT_EQ(0, pp_info(self->fd, self->id, NULL, &mine));
	memset(&theirs, 0, sizeof(theirs));
	theirs.size = sizeof(theirs);
	theirs.id = self->id;
	EXPECT_EQ(0, without_net_admin(_metadata, self, PKTPOOL_IOC_POOL_INFO,
				       &theirs, sizeof(theirs)));
	EXPECT_EQ(0, memcmp(&mine, &theirs, sizeof(mine)));
}

TEST_F(perm, list_works_without_net_admin)
{
	struct pktpool_pool_list l;
	long count;

	REQUIRE_DEV();
	count = pp_count(self->fd);
	ASSERT_GE(count, 1);
	/* Capacity 0: the count comes back with ENOSPC, no array needed. */
	memset(&l, 0, sizeof(l));
	l.size = sizeof(l);
	EXPECT_EQ(ENOSPC, without_net_admin(_metadata, self,
					    PKTPOOL_IOC_POOL_LIST, &l,
					    sizeof(l)));
	EXPECT_EQ(count, l.count);
}

TEST_F(perm, device_node_is_root_only_by_default)
{
	char buf[32];
	struct stat st;

	REQUIRE_DEV();
	if (!pp_read_file(PP_PARAMS "dev_mode", buf, sizeof(buf)) &&
	    strtoul(buf, NULL, 0) != 0600 && strcmp(buf, "600"))
		SKIP(return, "module loaded with dev_mode=%s", buf);
	ASSERT_EQ(0, stat(PKTPOOL_DEVICE, &st));
	EXPECT_TRUE(S_ISCHR(st.st_mode));
	EXPECT_EQ(0600U, st.st_mode & 07777);
	EXPECT_EQ(0U, st.st_uid);
}

TEST_F(perm, unprivileged_user_cannot_open_device)
{
	struct stat st;
	int status, fd;
	pid_t pid;

	REQUIRE_DEV();
	ASSERT_EQ(0, stat(PKTPOOL_DEVICE, &st));
	if (st.st_mode & 0006)
		SKIP(return, "device node is open to everyone (dev_mode)");
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	ASSERT_GE(pid, 0);
	if (pid == 0) {
		if (setgroups(0, NULL) || setgid(65534) || setuid(65534))
			_exit(CHILD_NO_DROP);
		fd = open(PKTPOOL_DEVICE, O_RDWR);
		_exit(fd < 0 ? errno : 0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_NE(CHILD_NO_DROP, WEXITSTATUS(status));
	EXPECT_EQ(EACCES, WEXITSTATUS(status));
}

TEST_HARNESS_MAIN
