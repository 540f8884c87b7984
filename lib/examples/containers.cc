// SPDX-License-Identifier: MIT
/*
 * Standard containers whose memory comes from a pool set: a flow table
 * (std::unordered_map), a queue of packet lengths (std::list) and a
 * reassembly buffer (std::vector) that grows through the classes, then
 * past the largest one into operator new (the Fallback allocator).
 *
 *   containers
 */
#include <cstdio>
#include <list>
#include <unordered_map>
#include <vector>

#include "pktpool_allocator.hpp"

template <class T>
using pool_alloc = libpktpool::set_allocator<T, true>;

static void show(pktpool_set *s, const char *when)
{
	std::printf("%-28s", when);
	for (unsigned int c = 0; c < s->nclasses; c++) {
		struct pktpool_set_class_info ci;

		pktpool_set_class_info(s, c, &ci);
		std::printf("  %5u: %3llu", ci.slot_size,
			    (unsigned long long)ci.in_use);
	}
	std::printf("\n");
}

int main()
{
	pktpool_set_config cfg{};
	pktpool_set *s;
	static const uint32_t sizes[4] = { 64, 256, 2048, 9216 };

	cfg.nclasses = 4;
	cfg.grow_max = 4;
	for (unsigned int c = 0; c < 4; c++) {
		cfg.cls[c].slot_size = sizes[c];
		cfg.cls[c].slot_count = 256;
	}
	int err = pktpool_set_create(&cfg, &s);
	if (err) {
		std::fprintf(stderr, "pktpool_set_create: %s\n",
			     pktpool_strerror(err));
		return 1;
	}
	pool_alloc<int> a(s);
	{
		using flow = std::pair<const unsigned int, unsigned long>;
		std::unordered_map<unsigned int, unsigned long,
				   std::hash<unsigned int>,
				   std::equal_to<unsigned int>, pool_alloc<flow>>
			flows(64, std::hash<unsigned int>(),
			      std::equal_to<unsigned int>(), pool_alloc<flow>(a));
		std::list<unsigned short, pool_alloc<unsigned short>> lens(a);
		std::vector<unsigned char, pool_alloc<unsigned char>> reasm(a);

		for (unsigned int i = 0; i < 300; i++) {
			flows[i % 97] += 1500;
			lens.push_back((unsigned short)(64 + i % 1400));
		}
		show(s, "flows and queue:");
		for (unsigned int i = 0; i < 6000; i++)
			reasm.push_back((unsigned char)i);
		show(s, "reassembly at 6000 bytes:");
		std::printf("  reassembly buffer in a %zu-byte slot\n",
			    pktpool_set_usable_size(s, reasm.data()));
		reasm.resize(20000);
		std::printf("  at 20000 bytes: %s\n",
			    pktpool_set_usable_size(s, reasm.data()) ?
			    "in the set" : "from operator new");
	}
	show(s, "after the containers:");
	pktpool_set_detach(s);
	return 0;
}
