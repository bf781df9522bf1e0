#include "transport/transport_error.hpp"

namespace transport {

std::string_view to_string(TransportError error) {
  switch (error) {
    case TransportError::not_connected:
      return "not_connected";
    case TransportError::payload_too_large:
      return "payload_too_large";
    case TransportError::invalid_topic:
      return "invalid_topic";
    case TransportError::invalid_argument:
      return "invalid_argument";
    case TransportError::refused:
      return "refused";
    case TransportError::connection_lost:
      return "connection_lost";
    case TransportError::no_memory:
      return "no_memory";
    case TransportError::internal:
      return "internal";
  }
  return "unknown";
}

}  // namespace transport
