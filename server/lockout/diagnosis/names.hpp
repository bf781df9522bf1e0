#pragma once
// One name table per id enum: the stable wire names (DESIGN.md section 5, the scenario files, the
// API) in enum order. Each id header specializes Names<E> with its table; to_string and
// from_string<E> then work for every such enum:
//   to_string(CauseId::lock_jammed) == "lock_jammed"
//   from_string<CauseId>("lock_jammed") == CauseId::lock_jammed; nullopt for an unknown name.

#include <array>
#include <cstddef>
#include <optional>
#include <string_view>

namespace server::lockout {

template <class Enum, std::size_t N>
struct NameTable {
  std::array<std::string_view, N> names;

  constexpr std::string_view name(Enum value) const {
    const auto i = static_cast<std::size_t>(value);
    return i < N ? names[i] : std::string_view{};
  }
  constexpr std::optional<Enum> find(std::string_view text) const {
    for (std::size_t i = 0; i < N; ++i)
      if (names[i] == text) return static_cast<Enum>(i);
    return std::nullopt;
  }
};

// Specialized by each id header: `static constexpr NameTable<E, N> table{...};`.
template <class Enum>
struct Names;

template <class Enum>
concept Named = requires {
  Names<Enum>::table;
};

template <Named Enum>
constexpr std::string_view to_string(Enum value) {
  return Names<Enum>::table.name(value);
}

template <Named Enum>
constexpr std::optional<Enum> from_string(std::string_view name) {
  return Names<Enum>::table.find(name);
}

}  // namespace server::lockout
