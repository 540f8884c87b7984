// SPDX-License-Identifier: MIT
/*
 * libpktpool.h from C++: the header compiles as C++17 with -Wall -Wextra
 * -Werror (no _Atomic, no <stdatomic.h> in it), and its inline fast path
 * works from C++ code against the C library.
 */
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "libpktpool.h"

static int n_tests, n_failed;

static void ok(bool cond, const char *what)
{
	std::printf("%sok %d - %s\n", cond ? "" : "not ", ++n_tests, what);
	if (!cond)
		n_failed++;
}

int main()
{
	pktpool_config cfg{};
	pktpool *p = nullptr;
	std::vector<void *> held;
	void *bulk[16];

	cfg.slot_size = 256;
	cfg.slot_count = 128;
	int err = pktpool_create(&cfg, &p);
	if (err == -ENODEV || err == -EOPNOTSUPP) {
		std::printf("1..0 # SKIP backend not available\n");
		return 77;
	}
	ok(err == 0 && p, "C++: create a region");
	if (!p)
		return 1;
	for (int i = 0; i < 100; i++) {
		void *s = pktpool_alloc(p);

		if (!s)
			break;
		std::memset(s, i, 256);
		held.push_back(s);
	}
	ok(held.size() == 100, "C++: the inline alloc hands out slots");
	bool good = true;
	for (void *s : held) {
		uint32_t idx;

		good &= pktpool_contains(p, s) &&
			pktpool_ptr_to_idx(p, s, &idx) == 0 &&
			pktpool_idx_to_ptr(p, idx) == s;
	}
	ok(good, "C++: index conversion and contains agree");
	good = true;
	for (void *s : held)
		good &= pktpool_free(p, s) == 0;
	ok(good, "C++: the inline free takes them back");
	ok(pktpool_alloc_bulk(p, bulk, 16) == 16 &&
	   pktpool_free_bulk(p, bulk, 16) == 0, "C++: bulk alloc and free");
	struct pktpool_stats st;
	ok(pktpool_flush_cache(p) == 0 && pktpool_stats(p, &st) == 0 &&
	   st.free == 128 && st.in_use == 0, "C++: every slot is back");
	ok(pktpool_free(p, &cfg) == -EFAULT, "C++: a foreign pointer is -EFAULT");
	ok(pktpool_detach(p) == 0, "C++: detach");
	std::printf("1..%d\n", n_tests);
	return n_failed ? 1 : 0;
}
