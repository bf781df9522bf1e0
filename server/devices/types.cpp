#include "server/devices/types.hpp"

#include <array>

#include "server/common/enum_names.hpp"

namespace server::devices {

namespace {

constexpr std::array<std::string_view, 2> kOps = {"unlock", "lock"};
constexpr std::array<std::string_view, 5> kCommandStatuses = {"pending", "sent", "succeeded",
                                                              "failed", "timed_out"};
constexpr std::array<std::string_view, 5> kCredentialStatuses = {"pending", "set", "failed",
                                                                 "removing", "removed"};
constexpr std::array<std::string_view, 3> kReachability = {"unknown", "online", "offline"};
static_assert(kOps.size() == static_cast<std::size_t>(CommandOp::lock) + 1);
static_assert(kCommandStatuses.size() == static_cast<std::size_t>(CommandStatus::timed_out) + 1);
static_assert(kCredentialStatuses.size() ==
              static_cast<std::size_t>(CredentialStatus::removed) + 1);
static_assert(kReachability.size() == static_cast<std::size_t>(Reachability::offline) + 1);

}  // namespace

std::string_view to_string(CommandOp op) {
  return kOps[static_cast<std::size_t>(op)];
}
std::string_view to_string(CommandStatus status) {
  return kCommandStatuses[static_cast<std::size_t>(status)];
}
std::string_view to_string(CredentialStatus status) {
  return kCredentialStatuses[static_cast<std::size_t>(status)];
}
std::string_view to_string(Reachability r) {
  return kReachability[static_cast<std::size_t>(r)];
}
std::optional<CommandOp> command_op_from(std::string_view name) {
  return from_name<CommandOp>(kOps, name);
}
std::optional<CommandStatus> command_status_from(std::string_view name) {
  return from_name<CommandStatus>(kCommandStatuses, name);
}
std::optional<CredentialStatus> credential_status_from(std::string_view name) {
  return from_name<CredentialStatus>(kCredentialStatuses, name);
}

}  // namespace server::devices
