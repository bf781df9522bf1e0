#pragma once
// Durations as scenario files and the control channel write them: an optional '+', a whole
// number and a unit, e.g. "90s", "+30m", "2h", "3d", "250ms". Up to 3660 days.

#include <chrono>
#include <optional>
#include <string_view>

namespace sim {

// nullopt for anything else: no unit, an unknown unit, signs other than a leading '+', spaces,
// fractions, or more than the limit.
std::optional<std::chrono::milliseconds> parse_duration(std::string_view text);

}  // namespace sim
