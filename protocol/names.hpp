#pragma once
// The wire name of every enumerator: exactly the C++ enumerator's spelling. One table per enum,
// used by the codec in both directions and by anyone who stores or logs these values as text.

#include <array>
#include <cstddef>
#include <optional>
#include <string_view>

#include "lockcore/messages.hpp"
#include "protocol/messages.hpp"

namespace protocol {

// names[i] is the name of the enumerator whose value is i.
template <class E>
struct WireNames;

#define LATCHKEY_WIRE_NAMES(Enum, ...)                                                  \
  template <>                                                                           \
  struct WireNames<Enum> {                                                              \
    static constexpr std::array names = std::to_array<std::string_view>({__VA_ARGS__}); \
  }

LATCHKEY_WIRE_NAMES(lockcore::BoltState, "locked", "unlocked", "locking", "unlocking", "jammed",
                    "unknown");
LATCHKEY_WIRE_NAMES(lockcore::DoorState, "closed", "open", "unknown");
LATCHKEY_WIRE_NAMES(lockcore::KeypadState, "ok", "disabled", "fault", "absent");
LATCHKEY_WIRE_NAMES(lockcore::CommandOp, "unlock", "lock", "events_ack", "pair");
LATCHKEY_WIRE_NAMES(lockcore::LockError, "none", "bad_signature", "expired", "replayed",
                    "not_paired", "wrong_lock", "wrong_epoch", "stale_version", "jammed",
                    "no_power", "motor_fault", "busy", "invalid", "already_paired");
LATCHKEY_WIRE_NAMES(lockcore::EventType, "unlocked", "locked", "unlock_denied", "jammed",
                    "jam_cleared", "wrong_code_limit", "battery_low", "battery_depleted",
                    "motor_fault", "keypad_fault", "factory_reset", "paired", "door_forced", "gap");
LATCHKEY_WIRE_NAMES(lockcore::AccessSource, "none", "keypad", "backup_code", "offline_pin",
                    "remote", "bluetooth", "physical_key", "auto_relock");
LATCHKEY_WIRE_NAMES(lockcore::DenyReason, "none", "wrong_code", "outside_schedule",
                    "outside_window", "uses_exhausted", "keypad_disabled", "bad_key", "key_expired",
                    "key_revoked", "wrong_epoch", "jammed", "no_power");
LATCHKEY_WIRE_NAMES(lockcore::CredentialKind, "pin", "backup");
LATCHKEY_WIRE_NAMES(lockcore::SlotError, "none", "duplicate_pin", "slot_out_of_range", "invalid",
                    "low_power");
LATCHKEY_WIRE_NAMES(DeviceStatus, "online", "offline");

#undef LATCHKEY_WIRE_NAMES

// How many enumerators E has; their values are 0..count-1.
template <class E>
constexpr std::size_t wire_name_count() {
  return WireNames<E>::names.size();
}

// "" for a value outside the enum (which no decoder produces).
template <class E>
constexpr std::string_view wire_name(E value) {
  auto i = static_cast<std::size_t>(value);
  return i < WireNames<E>::names.size() ? WireNames<E>::names[i] : std::string_view{};
}

template <class E>
constexpr std::optional<E> from_wire_name(std::string_view name) {
  for (std::size_t i = 0; i < WireNames<E>::names.size(); ++i) {
    if (WireNames<E>::names[i] == name) return static_cast<E>(i);
  }
  return std::nullopt;
}

}  // namespace protocol
