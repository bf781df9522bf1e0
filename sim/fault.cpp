#include "sim/fault.hpp"

#include <array>

namespace sim {
namespace {

constexpr auto kNames = std::to_array<std::string_view>({
    "jam",
    "clear_jam",
    "door_swell",
    "clear_door_swell",
    "battery",
    "motor_fault",
    "clear_motor_fault",
    "keypad_fault",
    "clear_keypad_fault",
    "hub_down",
    "hub_up",
    "lock_radio_down",
    "lock_radio_up",
    "wifi_change",
    "factory_reset",
    "firmware",
});
static_assert(kNames.size() == static_cast<std::size_t>(FaultKind::firmware) + 1);

}  // namespace

std::string_view fault_name(FaultKind kind) {
  const auto i = static_cast<std::size_t>(kind);
  return i < kNames.size() ? kNames[i] : std::string_view{};
}

std::optional<FaultKind> fault_from_name(std::string_view name) {
  for (std::size_t i = 0; i < kNames.size(); ++i) {
    if (kNames[i] == name) return static_cast<FaultKind>(i);
  }
  return std::nullopt;
}

bool targets_hub(FaultKind kind) {
  return kind == FaultKind::hub_down || kind == FaultKind::hub_up;
}

}  // namespace sim
