#pragma once
// A domain enum's stable wire names, kept in one table in enum order (names[i] names the value i):
// the enum a name stands for, or nullopt for a name that is not in the table.

#include <array>
#include <cstddef>
#include <optional>
#include <string_view>

namespace server {

template <class E, std::size_t N>
constexpr std::optional<E> from_name(const std::array<std::string_view, N>& names,
                                     std::string_view name) {
  for (std::size_t i = 0; i < N; ++i) {
    if (names[i] == name) return static_cast<E>(i);
  }
  return std::nullopt;
}

}  // namespace server
