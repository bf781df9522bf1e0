#pragma once
// A fact a cause rests on, with where it comes from: {"source":"telemetry","fact":"lock u204
// reported the bolt jammed at 07:31"}. Facts are short plain sentences kept inline (no heap).

#include <cstdint>
#include <optional>
#include <string_view>

#include "lockcore/fixed.hpp"
#include "server/lockout/diagnosis/names.hpp"

namespace server::lockout {

enum class Source : std::uint8_t {
  report,      // the wizard's answers
  phone,       // the reporting phone's own context
  account,     // identity: status, sessions, sign-ins, MFA, devices
  membership,  // access: role, window, schedule, move-out, transfer
  credential,  // the person's codes and their states on the lock
  telemetry,   // the lock's and hub's retained state: online, bolt, battery, keypad, epoch
  event,       // the lock's event log: jams, wrong codes, limits, resets
  shadow,      // desired against reported credentials
  site,        // the site: its doors, its network, who can be reached
};
inline constexpr std::size_t kSourceCount = 9;

template <>
struct Names<Source> {
  static constexpr NameTable<Source, kSourceCount> table{{
      "report",
      "phone",
      "account",
      "membership",
      "credential",
      "telemetry",
      "event",
      "shadow",
      "site",
  }};
};

// Long enough for "lock u204 has not confirmed the desired credentials for 3 h (desired v12)".
inline constexpr std::size_t kMaxFactLength = 120;
using FactText = lockcore::FixedString<kMaxFactLength>;

struct Evidence {
  Source source = Source::report;
  FactText fact;
};

}  // namespace server::lockout
