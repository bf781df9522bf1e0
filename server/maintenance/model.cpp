#include "server/maintenance/model.hpp"

#include <array>

#include "server/common/enum_names.hpp"

namespace server::maintenance {

namespace {

constexpr std::array<std::string_view, 4> kKinds = {"door_alignment", "battery", "hub",
                                                    "lock_hardware"};
constexpr std::array<std::string_view, 3> kStatuses = {"open", "taken", "closed"};
constexpr std::array<std::string_view, 2> kFaults = {"motor", "keypad"};
static_assert(kKinds.size() == static_cast<std::size_t>(Kind::lock_hardware) + 1);
static_assert(kStatuses.size() == static_cast<std::size_t>(OrderStatus::closed) + 1);
static_assert(kFaults.size() == static_cast<std::size_t>(Fault::keypad) + 1);

}  // namespace

std::string_view to_string(Kind kind) {
  return kKinds[static_cast<std::size_t>(kind)];
}
std::string_view to_string(OrderStatus status) {
  return kStatuses[static_cast<std::size_t>(status)];
}
std::string_view to_string(Fault fault) {
  return kFaults[static_cast<std::size_t>(fault)];
}
std::optional<Kind> kind_from(std::string_view name) {
  return from_name<Kind>(kKinds, name);
}
std::optional<OrderStatus> status_from(std::string_view name) {
  return from_name<OrderStatus>(kStatuses, name);
}

}  // namespace server::maintenance
