#pragma once
// How every simulator call refuses: a typed code for programs (and the control channel's
// "error.code") and a sentence for people.

#include <cstdint>
#include <string>
#include <string_view>

#include "lockcore/result.hpp"

namespace sim {

enum class SimErrorCode : std::uint8_t {
  invalid_config,       // FleetConfig refused by Fleet::create (the message names the field)
  missing_credentials,  // no broker password for a lock's or hub's login
  unknown_lock,         // no lock with that id in this fleet
  unknown_hub,          // no hub with that id in this fleet
  not_applicable,       // the fault or action does not apply there (hub_down on a Wi-Fi lock...)
  invalid_argument,     // a value out of range (battery pct, firmware text, PIN length...)
  refused,              // the lock itself refused (e.g. factory_reset with no power)
  not_virtual,          // advancing time needs the virtual clock
  busy,                 // an advance is already under way
  timeout,              // the network did not go quiet before the deadline
  io_error,             // writing a file or opening a socket failed
  client_error,         // the MQTT client could not be created
};

std::string_view to_string(SimErrorCode code);

struct SimError {
  SimErrorCode code = SimErrorCode::invalid_argument;
  std::string message;
};

template <class T>
using SimResult = lockcore::Result<T, SimError>;

inline lockcore::Failure<SimError> sim_fail(SimErrorCode code, std::string message) {
  return lockcore::fail(SimError{code, std::move(message)});
}

}  // namespace sim
