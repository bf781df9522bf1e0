#pragma once
// The causes of a lockout and their layers: the stable ids of DESIGN.md section 5, used by the
// API, the web app and the scenario files.

#include <cstdint>
#include <optional>
#include <string_view>

#include "server/lockout/diagnosis/enum_set.hpp"
#include "server/lockout/diagnosis/names.hpp"

namespace server::lockout {

enum class Layer : std::uint8_t {
  account,
  enrollment,
  connectivity,
  authorization,
  keypad,
  hardware,
};
inline constexpr std::size_t kLayerCount = 6;

// In the order of DESIGN.md's table; that order also breaks ties between equally likely causes.
enum class CauseId : std::uint8_t {
  // account
  signed_out,
  password_forgotten,
  mfa_unavailable,
  account_locked,
  account_suspended,
  // enrollment
  device_not_enrolled,
  lock_not_in_account,
  ownership_transfer_incomplete,
  lock_state_mismatch,
  firmware_incompatible,
  // connectivity
  hub_offline,
  lock_unreachable,
  wifi_changed,
  phone_bluetooth_blocked,
  // authorization
  role_cannot_unlock,
  outside_schedule,
  access_expired,
  // keypad
  code_not_on_lock,
  code_expired,
  wrong_code,
  keypad_disabled,
  // hardware
  lock_jammed,
  battery_low,
  battery_depleted,
  motor_fault,
  keypad_fault,
};
inline constexpr std::size_t kCauseCount = 26;

using CauseSet = EnumSet<CauseId, kCauseCount>;

Layer layer_of(CauseId cause);

template <>
struct Names<Layer> {
  static constexpr NameTable<Layer, kLayerCount> table{{
      "account",
      "enrollment",
      "connectivity",
      "authorization",
      "keypad",
      "hardware",
  }};
};

template <>
struct Names<CauseId> {
  static constexpr NameTable<CauseId, kCauseCount> table{{
      "signed_out",          "password_forgotten",
      "mfa_unavailable",     "account_locked",
      "account_suspended",   "device_not_enrolled",
      "lock_not_in_account", "ownership_transfer_incomplete",
      "lock_state_mismatch", "firmware_incompatible",
      "hub_offline",         "lock_unreachable",
      "wifi_changed",        "phone_bluetooth_blocked",
      "role_cannot_unlock",  "outside_schedule",
      "access_expired",      "code_not_on_lock",
      "code_expired",        "wrong_code",
      "keypad_disabled",     "lock_jammed",
      "battery_low",         "battery_depleted",
      "motor_fault",         "keypad_fault",
  }};
};

}  // namespace server::lockout
