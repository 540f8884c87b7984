// SPDX-License-Identifier: MIT
/*
 * pktpool_allocator.hpp: std::vector, std::list and std::unordered_map
 * over a pool set; their memory comes from the set and all of it goes
 * back; requests past the largest class or past exhaustion throw
 * std::bad_alloc (nothing taken), or with Fallback go to operator new and
 * come back through the same deallocate().
 */
#include <cstdio>
#include <cstring>
#include <list>
#include <new>
#include <stdexcept>
#include <unordered_map>
#include <vector>

#include "pktpool_allocator.hpp"

using libpktpool::set_allocator;

static int n_tests, n_failed;

static void ok(bool cond, const char *what)
{
	std::printf("%sok %d - %s\n", cond ? "" : "not ", ++n_tests, what);
	std::fflush(stdout);
	if (!cond)
		n_failed++;
}

static uint64_t in_use(pktpool_set *s)
{
	struct pktpool_set_class_info ci;	/* the function hides the name */
	uint64_t n = 0;

	for (unsigned int c = 0; c < s->nclasses; c++)
		if (pktpool_set_class_info(s, c, &ci) == 0)
			n += ci.in_use;
	return n;
}

static pktpool_set *make_set(uint32_t count)
{
	pktpool_set_config cfg{};
	pktpool_set *s = nullptr;
	static const uint32_t sizes[4] = { 64, 256, 2048, 9216 };

	cfg.nclasses = 4;
	for (unsigned int c = 0; c < 4; c++) {
		cfg.cls[c].slot_size = sizes[c];
		cfg.cls[c].slot_count = count;
	}
	if (pktpool_set_create(&cfg, &s))
		return nullptr;
	return s;
}

static void test_vector(pktpool_set *s)
{
	set_allocator<int> a(s);
	bool good = true;

	{
		std::vector<int, set_allocator<int>> v(a);

		for (int i = 0; i < 2000; i++)
			v.push_back(i);
		for (int i = 0; i < 2000; i++)
			good &= v[i] == i;
		ok(good && pktpool_set_usable_size(s, v.data()) == 9216,
		   "vector: 2000 ints in a slot of the 9216 class");
		ok(in_use(s) == 1, "vector: growth gave the smaller slots back");
		std::vector<int, set_allocator<int>> w(v);
		ok(w == v && w.get_allocator() == a && in_use(s) == 2,
		   "vector: a copy takes its own slot of the same set");
	}
	ok(in_use(s) == 0, "vector: every slot back after destruction");

	bool threw = false;
	{
		std::vector<int, set_allocator<int>> v(a);

		try {
			v.resize(9216 / sizeof(int) + 1);
		} catch (const std::length_error &) {
			threw = true;
		}
		ok(threw && v.empty(),
		   "vector: past max_size() (the largest class) is std::length_error");
	}
	threw = false;
	try {
		a.allocate(9216 / sizeof(int) + 1);
	} catch (const std::bad_alloc &) {
		threw = true;
	}
	ok(threw, "allocate: past the largest class is std::bad_alloc");
	ok(in_use(s) == 0, "vector: the failed requests took nothing");
}

static void test_list(pktpool_set *s)
{
	set_allocator<long> a(s);
	{
		std::list<long, set_allocator<long>> l(a);
		long sum = 0;

		for (long i = 0; i < 100; i++)
			l.push_back(i);
		l.remove_if([](long x) { return x % 2; });
		for (long x : l)
			sum += x;
		ok(sum == 2450 && in_use(s) == 50,
		   "list: one 64-byte slot a node, freed on erase");
	}
	ok(in_use(s) == 0, "list: every node back");
}

static void test_unordered_map(pktpool_set *s)
{
	using pair_t = std::pair<const int, int>;
	using map_t = std::unordered_map<int, int, std::hash<int>,
					 std::equal_to<int>,
					 set_allocator<pair_t>>;
	set_allocator<pair_t> a(s);
	{
		map_t m(16, std::hash<int>(), std::equal_to<int>(), a);
		bool good = true;

		for (int i = 0; i < 200; i++)
			m[i] = i * i;
		for (int i = 0; i < 200; i++)
			good &= m.at(i) == i * i;
		m.erase(7);
		ok(good && m.size() == 199 && !m.count(7),
		   "unordered_map: 200 inserts, lookups, an erase");
		ok(in_use(s) >= 199, "unordered_map: nodes and buckets from the set");
	}
	ok(in_use(s) == 0, "unordered_map: everything back");
}

static void test_exhaustion()
{
	pktpool_set *s = make_set(4);
	set_allocator<char> a(s);
	std::vector<char *> held;
	bool threw = false;

	if (!s) {
		ok(false, "exhaustion: set");
		return;
	}
	try {
		for (int i = 0; i < 5; i++)
			held.push_back(a.allocate(100));
	} catch (const std::bad_alloc &) {
		threw = true;
	}
	ok(threw && held.size() == 4,
	   "exhaustion: a class out of slots throws std::bad_alloc");
	for (char *p : held)
		a.deallocate(p, 100);
	ok(in_use(s) == 0, "exhaustion: all given back");
	pktpool_set_detach(s);
}

static void test_fallback(pktpool_set *s)
{
	set_allocator<int, true> a(s);
	{
		std::vector<int, set_allocator<int, true>> v(a);

		for (int i = 0; i < 10000; i++)
			v.push_back(i);
		ok(v[9999] == 9999 && pktpool_set_usable_size(s, v.data()) == 0,
		   "fallback: past the largest class from operator new");
		ok(in_use(s) == 0, "fallback: the set's slots given back on growth");
		v.resize(10);
		v.shrink_to_fit();
		ok(pktpool_set_usable_size(s, v.data()) == 64 && in_use(s) == 1,
		   "fallback: shrunk back into the set");
	}
	ok(in_use(s) == 0, "fallback: everything back (ASan: nothing leaked)");
	ok(a.max_size() > set_allocator<int>(s).max_size() &&
	   set_allocator<int>(s).max_size() == 9216 / sizeof(int),
	   "max_size: the largest class, or unbounded with the fallback");
}

static void test_equality(pktpool_set *s)
{
	pktpool_set *t = make_set(1);
	set_allocator<int> a(s), b(s), c(t);
	set_allocator<double> d(a);

	ok(a == b && !(a != b) && a != c && d == a,
	   "equality: same set equal, rebound copies equal, other set not");
	pktpool_set_detach(t);
}

int main()
{
	pktpool_set *s = make_set(512);

	if (!s) {
		std::printf("Bail out! pktpool_set_create\n");
		return 1;
	}
	test_vector(s);
	test_list(s);
	test_unordered_map(s);
	test_exhaustion();
	test_fallback(s);
	test_equality(s);
	pktpool_set_detach(s);
	std::printf("1..%d\n", n_tests);
	return n_failed ? 1 : 0;
}
