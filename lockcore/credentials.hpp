#pragma once
// What a lock holds: keypad PIN slots (ordinary and backup-pool codes) and its settings.

#include <cstdint>

#include "lockcore/types.hpp"

namespace lockcore {

constexpr std::size_t kMaxPinSlots = 250;

enum class CredentialKind : std::uint8_t {
  pin,     // an ordinary keypad code (resident, guest, staff)
  backup,  // a pre-provisioned backup-pool code, held in reserve by the server until issued
};

// One keypad slot. Slots are numbered 1..capacity.
struct PinCredential {
  std::uint16_t slot = 0;
  CredentialKind kind = CredentialKind::pin;
  Pin pin;
  WeeklySchedule schedule;    // days_mask 0: any time
  Window window;              // open on both sides: always valid
  std::uint16_t max_uses = 0; // 0: unlimited
  friend bool operator==(const PinCredential&, const PinCredential&) = default;
};

// Lock settings the server can change through the shadow (Matter attribute names in brackets).
struct Settings {
  std::uint8_t wrong_code_limit = 5;       // [WrongCodeEntryLimit] 1..255
  std::uint8_t wrong_code_disable_s = 60;  // [UserCodeTemporaryDisableTime] 1..255 seconds
  std::int16_t utc_offset_min = 0;         // local time for weekly schedules, -840..840
  std::uint16_t auto_relock_s = 0;         // [AutoRelockTime] 0: off
  friend bool operator==(const Settings&, const Settings&) = default;
};

}  // namespace lockcore
