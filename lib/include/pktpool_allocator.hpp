/* SPDX-License-Identifier: MIT */
/*
 * pktpool_allocator.hpp: a C++ allocator over a libpktpool pool set, for
 * the standard containers (std::vector, std::list, std::unordered_map...).
 * Header only, C++11 or later.
 *
 *   pktpool_set *set;                        // pktpool_set_create(...)
 *   libpktpool::set_allocator<int> a(set);
 *   std::vector<int, libpktpool::set_allocator<int>> v(a);
 *
 * allocate(n) takes a slot of the smallest class that holds n objects
 * (pktpool_set_alloc()); deallocate() gives it back by pointer
 * (pktpool_set_free()). A request the set cannot serve (larger than its
 * largest class, or the class is out and cannot grow) throws
 * std::bad_alloc; with Fallback = true it goes to ::operator new instead,
 * and deallocate() hands every pointer the set does not own to
 * ::operator delete.
 *
 * In namespace libpktpool (struct pktpool already names the region
 * handle). Copies share the set (they compare equal when their sets are the same)
 * and follow the container on copy, move and swap. The set must outlive
 * every container using it. Slots are 64-byte aligned: types with a
 * stricter alignment are refused at compile time.
 */
#ifndef PKTPOOL_ALLOCATOR_HPP
#define PKTPOOL_ALLOCATOR_HPP

#include <cstddef>
#include <limits>
#include <new>
#include <type_traits>

#include "libpktpool.h"

namespace libpktpool {

template <class T, bool Fallback = false>
class set_allocator {
	static_assert(alignof(T) <= PKTPOOL_SLOT_ALIGN,
		      "pool set slots are 64-byte aligned");

public:
	using value_type = T;
	using size_type = std::size_t;
	using difference_type = std::ptrdiff_t;
	using propagate_on_container_copy_assignment = std::true_type;
	using propagate_on_container_move_assignment = std::true_type;
	using propagate_on_container_swap = std::true_type;
	using is_always_equal = std::false_type;

	template <class U>
	struct rebind {
		using other = set_allocator<U, Fallback>;
	};

	explicit set_allocator(pktpool_set *set) noexcept : set_(set) {}

	template <class U>
	set_allocator(const set_allocator<U, Fallback> &o) noexcept
		: set_(o.set()) {}

	pktpool_set *set() const noexcept { return set_; }

	T *allocate(size_type n)
	{
		void *p = nullptr;

		if (n <= std::numeric_limits<size_type>::max() / sizeof(T))
			p = pktpool_set_alloc(set_, n * sizeof(T));
		if (p)
			return static_cast<T *>(p);
		if (Fallback && n <= std::numeric_limits<size_type>::max() /
				     sizeof(T))
			return static_cast<T *>(::operator new(n * sizeof(T)));
		throw std::bad_alloc();
	}

	void deallocate(T *p, size_type) noexcept
	{
		/* -EFAULT: not one of the set's slots */
		if (pktpool_set_free(set_, p) == -14 && Fallback)
			::operator delete(p);
	}

	size_type max_size() const noexcept
	{
		std::size_t most = set_ ? set_->max_size : 0;

		if (Fallback)
			return std::numeric_limits<size_type>::max() / sizeof(T);
		return most / sizeof(T);
	}

private:
	pktpool_set *set_;
};

template <class T, class U, bool F>
inline bool operator==(const set_allocator<T, F> &a,
		       const set_allocator<U, F> &b) noexcept
{
	return a.set() == b.set();
}

template <class T, class U, bool F>
inline bool operator!=(const set_allocator<T, F> &a,
		       const set_allocator<U, F> &b) noexcept
{
	return !(a == b);
}

} /* namespace libpktpool */

#endif /* PKTPOOL_ALLOCATOR_HPP */
