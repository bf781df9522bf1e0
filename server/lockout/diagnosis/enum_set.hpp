#pragma once
// A set of the values of a small id enum (symptoms, causes), as a bit mask: no heap, copied freely.

#include <bit>
#include <cstddef>
#include <cstdint>
#include <initializer_list>

namespace server::lockout {

template <class Enum, std::size_t N>
class EnumSet {
  static_assert(N <= 32, "EnumSet holds at most 32 values");

 public:
  constexpr EnumSet() = default;
  constexpr EnumSet(std::initializer_list<Enum> values) {
    for (Enum v : values)
      add(v);
  }

  constexpr void add(Enum v) { bits_ |= bit(v); }
  constexpr void remove(Enum v) { bits_ &= ~bit(v); }
  constexpr bool has(Enum v) const { return (bits_ & bit(v)) != 0; }
  constexpr bool any_of(EnumSet other) const { return (bits_ & other.bits_) != 0; }
  constexpr bool empty() const { return bits_ == 0; }
  constexpr int size() const { return std::popcount(bits_); }
  constexpr EnumSet operator&(EnumSet other) const { return from_bits(bits_ & other.bits_); }
  constexpr EnumSet operator|(EnumSet other) const { return from_bits(bits_ | other.bits_); }
  constexpr std::uint32_t bits() const { return bits_; }
  friend constexpr bool operator==(EnumSet, EnumSet) = default;

  // Calls f(value) for every value in the set, in enum order.
  template <class F>
  constexpr void for_each(F&& f) const {
    for (std::size_t i = 0; i < N; ++i)
      if ((bits_ >> i) & 1U) f(static_cast<Enum>(i));
  }

 private:
  static constexpr std::uint32_t bit(Enum v) { return 1U << static_cast<std::uint32_t>(v); }
  static constexpr EnumSet from_bits(std::uint32_t bits) {
    EnumSet s;
    s.bits_ = bits;
    return s;
  }
  std::uint32_t bits_ = 0;
};

}  // namespace server::lockout
