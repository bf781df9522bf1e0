#include "server/notify/send_error.hpp"

#include <array>

namespace server::notify {

namespace {

constexpr std::array<std::string_view, 10> kNames = {
    "connection_failed", "timed_out",      "tls_failed", "auth_failed", "deferred",
    "refused",           "protocol_error", "aborted",    "rejected",    "invalid_message"};
static_assert(kNames.size() == static_cast<std::size_t>(SendErrc::invalid_message) + 1);

}  // namespace

std::string_view to_string(SendErrc code) {
  return kNames[static_cast<std::size_t>(code)];
}

bool SendError::permanent() const {
  return code == SendErrc::rejected || code == SendErrc::invalid_message;
}

}  // namespace server::notify
