#include "server/common/error.hpp"

#include <array>

#include <fmt/format.h>

namespace server {

std::string_view to_string(Errc code) {
  static constexpr std::array<std::string_view, 10> kNames = {
      "invalid_field", "missing_field", "unauthenticated", "forbidden", "not_found",
      "conflict",      "rate_limited",  "unavailable",     "timed_out", "internal"};
  static_assert(kNames.size() == static_cast<std::size_t>(Errc::internal) + 1);
  return kNames[static_cast<std::size_t>(code)];
}

Error Error::invalid_field(std::string_view field, std::string_view what) {
  return {Errc::invalid_field, fmt::format("\"{}\" {}", field, what), std::string(field)};
}

Error Error::missing_field(std::string_view field) {
  return {Errc::missing_field, fmt::format("\"{}\" is required", field), std::string(field)};
}

Error Error::from_store(const store::Error& error) {
  // Constraint violations are the domain's to interpret before it gets here; anything that
  // reaches this point is a failure the caller cannot fix by changing the request.
  const bool busy = error.code == store::Errc::busy;
  return {busy ? Errc::unavailable : Errc::internal,
          busy ? "the store is busy; try again" : "storage failure: " + error.message};
}

}  // namespace server
