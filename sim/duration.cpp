#include "sim/duration.hpp"

#include <array>
#include <cstdint>
#include <utility>

namespace sim {
namespace {

constexpr std::int64_t kMaxMs = 3660LL * 24 * 3600 * 1000;
constexpr std::array<std::pair<std::string_view, std::int64_t>, 5> kUnits{
    {{"ms", 1}, {"s", 1000}, {"m", 60'000}, {"h", 3'600'000}, {"d", 86'400'000}}};

}  // namespace

std::optional<std::chrono::milliseconds> parse_duration(std::string_view text) {
  if (text.starts_with('+')) text.remove_prefix(1);
  std::size_t digits = 0;
  std::int64_t count = 0;
  while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') {
    count = count * 10 + (text[digits] - '0');
    if (count > kMaxMs) return std::nullopt;
    ++digits;
  }
  if (digits == 0) return std::nullopt;
  const std::string_view unit = text.substr(digits);
  for (const auto& [name, ms] : kUnits) {
    if (unit == name) {
      if (count > kMaxMs / ms) return std::nullopt;
      return std::chrono::milliseconds(count * ms);
    }
  }
  return std::nullopt;
}

}  // namespace sim
