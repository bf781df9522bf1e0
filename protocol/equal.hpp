#pragma once
// Field-by-field equality for the message structs, most of which (lockcore/messages.hpp) declare no
// operator==. Recurses through aggregates with Boost.PFR, so a field added to a message is compared
// without anyone having to remember it. Used by the round-trip tests and the fuzz targets.

#include <cstddef>
#include <type_traits>
#include <utility>

#include <boost/pfr/core.hpp>

#include "lockcore/fixed.hpp"

namespace protocol {

template <class T>
bool equal(const T& a, const T& b);

namespace detail {

template <class T, std::size_t... I>
bool fields_equal(const T& a, const T& b, std::index_sequence<I...>) {
  return (equal(boost::pfr::get<I>(a), boost::pfr::get<I>(b)) && ...);
}

template <class T>
struct IsFixedVector : std::false_type {};
template <class T, std::size_t N>
struct IsFixedVector<lockcore::FixedVector<T, N>> : std::true_type {};

}  // namespace detail

template <class T>
bool equal(const T& a, const T& b) {
  if constexpr (detail::IsFixedVector<T>::value) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
      if (!equal(a[i], b[i])) return false;
    }
    return true;
  } else if constexpr (std::is_aggregate_v<T> && !requires { a == b; }) {
    return detail::fields_equal(a, b, std::make_index_sequence<boost::pfr::tuple_size_v<T>>{});
  } else {
    return a == b;
  }
}

}  // namespace protocol
