#include "sim/sim_error.hpp"

namespace sim {

std::string_view to_string(SimErrorCode code) {
  switch (code) {
    case SimErrorCode::invalid_config:
      return "invalid_config";
    case SimErrorCode::missing_credentials:
      return "missing_credentials";
    case SimErrorCode::unknown_lock:
      return "unknown_lock";
    case SimErrorCode::unknown_hub:
      return "unknown_hub";
    case SimErrorCode::not_applicable:
      return "not_applicable";
    case SimErrorCode::invalid_argument:
      return "invalid_argument";
    case SimErrorCode::refused:
      return "refused";
    case SimErrorCode::not_virtual:
      return "not_virtual";
    case SimErrorCode::busy:
      return "busy";
    case SimErrorCode::timeout:
      return "timeout";
    case SimErrorCode::io_error:
      return "io_error";
    case SimErrorCode::client_error:
      return "client_error";
  }
  return "unknown";
}

}  // namespace sim
