#include "transport/backoff.hpp"

#include <algorithm>

namespace transport {

namespace {

// splitmix64: tiny state, good enough spread for jitter (not for anything secret).
std::uint64_t next_random(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

}  // namespace

ReconnectBackoff::ReconnectBackoff(std::chrono::milliseconds initial, std::chrono::milliseconds max,
                                   std::uint64_t seed)
    : initial_ms_(static_cast<std::uint32_t>(std::max<std::int64_t>(1, initial.count()))),
      max_ms_(static_cast<std::uint32_t>(std::max<std::int64_t>(initial_ms_, max.count()))),
      state_(seed) {}

std::chrono::milliseconds ReconnectBackoff::next() {
  // Doubling stops at the cap; the shift is bounded so it cannot overflow.
  std::uint64_t ceiling = initial_ms_;
  for (std::uint32_t i = 0; i < failures_ && ceiling < max_ms_; ++i)
    ceiling *= 2;
  ceiling = std::min<std::uint64_t>(ceiling, max_ms_);
  if (failures_ < UINT32_MAX) ++failures_;
  const std::uint64_t floor = ceiling / 2;
  const std::uint64_t delay = floor + next_random(state_) % (ceiling - floor + 1);
  return std::chrono::milliseconds(delay);
}

std::uint64_t seed_from(std::string_view name) {
  std::uint64_t hash = 0xcbf29ce484222325ULL;
  for (unsigned char c : name) {
    hash ^= c;
    hash *= 0x100000001b3ULL;
  }
  return hash;
}

}  // namespace transport
