#pragma once
// RFC 3339 timestamps, the API's only way of writing time: "2026-11-21T12:30:00Z",
// "2026-11-21T13:30:00.250+01:00". Times inside the server are Unix milliseconds.

#include <optional>
#include <string>
#include <string_view>

#include "lockcore/types.hpp"

namespace server::http {

// Strict: full date, 'T' (or 't'), time with seconds, optional fraction (milliseconds kept, finer
// digits truncated), and 'Z' or ±hh:mm. nullopt for anything else, including 24:00 and Feb 30.
std::optional<lockcore::UnixMs> parse_rfc3339(std::string_view text);

// UTC with milliseconds: "2026-11-21T12:30:00.000Z".
std::string format_rfc3339(lockcore::UnixMs ms);

}  // namespace server::http
