#pragma once
// The control channel's language: one JSON object per line in, one JSON object per line out.
//
// Requests (exactly one of "fault", "do", "query", "advance"; no other keys than listed):
//   {"fault":"jam","lock":"u204"}                 every FaultKind by name (fault.hpp), with
//   {"fault":"battery","lock":"u204","pct":15}    "lock", or for hub_down/hub_up "hub" (or "lock":
//   {"fault":"firmware","lock":"u204","version":"2.5.0"}            that lock's hub); "pct" for
//   {"fault":"door_swell","lock":"u204","probability":0.5}          battery, "version" for
//   {"fault":"hub_down","hub":"hub-1"}                              firmware, optional
//                                                                   "probability" for door_swell
//   {"do":"enter_pin","lock":"u204","pin":"4831"}
//   {"do":"turn_key","lock":"u204","to":"unlocked"}      "to": "unlocked" (default) or "locked"
//   {"do":"realign_door","lock":"u204"}
//   {"do":"begin_bluetooth","lock":"u204"}               answers the challenge: "nonce" (hex 32)
//   {"do":"bluetooth_unlock","lock":"u204","grant":{...v1 key grant...},"response":"hex 128"}
//   {"do":"provision_wifi","lock":"u204"}
//   {"query":"lock","lock":"u204"} / {"query":"hub","hub":"hub-1"} / {"query":"fleet"}
//   {"advance":"90s"}                                    virtual clock only; see parse_duration
//
// Answers: {"ok":true,...} with what the request produced, or
//   {"ok":false,"error":{"code":"unknown_lock","message":"no lock \"u999\" in site \"s\""}}.
// Error codes: a SimErrorCode name (sim_error.hpp) for what the fleet refused, and for a line
// refused before reaching it: too_long (over kMaxControlLine), malformed (not one JSON object;
// duplicate keys and nesting beyond 8 included), unknown_command (none or several of the four
// verbs, or a name that is not one), unknown_key, missing_key, wrong_type, bad_value. A refused
// line changes nothing.

#include <chrono>
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <variant>

#include "lockcore/messages.hpp"
#include "sim/fault.hpp"
#include "sim/fleet.hpp"

namespace sim {

inline constexpr std::size_t kMaxControlLine = 16 * 1024;

enum class DoorActionKind : std::uint8_t {
  enter_pin,
  turn_key,
  realign_door,
  begin_bluetooth,
  bluetooth_unlock,
  provision_wifi,
};

struct DoorAction {
  DoorActionKind kind = DoorActionKind::enter_pin;
  std::string lock;
  std::string pin;                  // enter_pin
  bool to_locked = false;           // turn_key
  lockcore::DigitalKeyGrant grant;  // bluetooth_unlock
  lockcore::Signature response{};   // bluetooth_unlock
};

enum class QueryKind : std::uint8_t { lock, hub, fleet };

struct Query {
  QueryKind kind = QueryKind::fleet;
  std::string id;
};

struct Advance {
  std::chrono::milliseconds by{0};
};

using ControlRequest = std::variant<Fault, DoorAction, Query, Advance>;

struct ControlError {
  std::string code;
  std::string message;
};

lockcore::Result<ControlRequest, ControlError> parse_control_line(std::string_view line);

// "a request is at most 16384 bytes"
std::string too_long_message();

// The answer line (without its newline) for a refused request.
std::string control_error_answer(const ControlError& error);

// Runs `request` on `fleet` and hands its answer line (without newline) to `done`, at once or, for
// advance, once the fleet has advanced (never inside this call in that case).
void execute_control(Fleet& fleet, const ControlRequest& request,
                     const std::function<void(std::string)>& done);

}  // namespace sim
