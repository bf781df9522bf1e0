#pragma once
// The faults a scenario (or a test, or the control channel) injects into a simulated site:
// every fault of the scenario format (shared/scenarios/README.md) except broker_restart and
// server_restart, which are the runner's, plus the repairs the format leaves implicit.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sim {

enum class FaultKind : std::uint8_t {
  jam,         // the bolt sticks: the motor stalls, the key will not turn either
  clear_jam,   // it is free again (the bolt stays where it stuck until the next turn)
  door_swell,  // each turn jams part-way with `probability` unless the door was realigned
  clear_door_swell,
  battery,             // the pack now holds `pct` percent (0: dead, nothing but the key works)
  motor_fault,         // the motor draws no current and nothing moves
  clear_motor_fault,   // the motor was replaced
  keypad_fault,        // the keypad's self-test fails: keys do not register
  clear_keypad_fault,  // the keypad was replaced
  hub_down,            // the hub dies (its will goes out); its locks lose their link
  hub_up,
  lock_radio_down,  // the lock's own radio: its Wi-Fi connection, or its link to its hub
  lock_radio_up,
  wifi_change,    // the home network changed: a Wi-Fi lock stays offline until re-provisioned
  factory_reset,  // new epoch, credentials and pairing wiped (needs power)
  firmware,       // the lock now runs `version`
};

// The fault's name in scenario files and on the control channel ("jam", "hub_down", ...).
std::string_view fault_name(FaultKind kind);
std::optional<FaultKind> fault_from_name(std::string_view name);

// Which target a fault takes: hub_down and hub_up a hub (or a lock, meaning that lock's hub), every
// other fault a lock.
bool targets_hub(FaultKind kind);

struct Fault {
  FaultKind kind = FaultKind::jam;
  std::string lock;          // the lock it happens to (for hub_down/hub_up: that lock's hub)
  std::string hub;           // hub_down / hub_up: the hub (instead of `lock`)
  std::uint8_t pct = 0;      // battery: 0..100
  std::string version;       // firmware: 1–16 characters of [A-Za-z0-9._+-]
  float probability = 1.0F;  // door_swell: the chance that a turn jams, 0..1
};

}  // namespace sim
