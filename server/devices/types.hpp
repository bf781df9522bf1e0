#pragma once
// The devices domain's value types: what its C++ interface (devices.hpp) takes and returns. Ids are
// the protocol's device ids (1–32 characters of [A-Za-z0-9._-]); times are Unix milliseconds on
// the injected clock.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lockcore/messages.hpp"
#include "lockcore/types.hpp"

namespace server::devices {

using lockcore::UnixMs;

// How a lock reaches the broker: through a hub (by its id), its own Wi-Fi, or not at all
// (keypad and Bluetooth only).
inline constexpr std::string_view kWifi = "wifi";
inline constexpr std::string_view kNoLink = "none";

// ---- registry

struct HubSpec {
  std::string site;
  std::string id;
  std::string name;
};

struct LockSpec {
  std::string site;
  std::string id;
  std::string name;
  std::optional<std::string> unit;  // absent: a common door
  std::string link{kWifi};          // "wifi", "none" or a hub id of the same site
  std::uint16_t slots = 250;        // keypad slots, 1..250
  std::uint16_t backup_pool = 5;    // backup codes kept on the lock, 0..20
  std::uint8_t pin_min = 4;         // the lock's own PIN length limits, within 4..8
  std::uint8_t pin_max = 8;
  bool keypad = true;
  bool bluetooth = true;
  std::optional<std::string> pairing_code;  // from the lock's label; can also be given later
};

struct HubInfo {
  std::string site;
  std::string id;
  std::string name;
};

struct LockInfo {
  std::string site;
  std::string id;
  std::string name;
  std::optional<std::string> unit;
  std::string link;
  std::uint16_t slots = 0;
  std::uint16_t backup_pool = 0;
  std::uint8_t pin_min = 4;
  std::uint8_t pin_max = 8;
  bool keypad = true;
  bool bluetooth = true;
  bool paired = false;          // commissioned, and its epoch has not changed since
  bool needs_reenroll = false;  // its epoch changed (factory reset): reenroll() it
  std::uint32_t epoch = 0;      // the epoch it was paired at
  UnixMs commissioned_at = 0;
};

// ---- commands (action attempts)

enum class CommandOp : std::uint8_t { unlock, lock };
enum class CommandStatus : std::uint8_t { pending, sent, succeeded, failed, timed_out };

std::string_view to_string(CommandOp op);
std::string_view to_string(CommandStatus status);
std::optional<CommandOp> command_op_from(std::string_view name);
std::optional<CommandStatus> command_status_from(std::string_view name);

struct CommandResult {
  std::string id;  // the wire CommandId, 32 hex characters
  std::string site;
  std::string lock;
  CommandOp op = CommandOp::unlock;
  CommandStatus status = CommandStatus::pending;
  // The lock's own error name ("jammed", "bad_signature"…) when it refused or failed; "not_sent"
  // when the broker refused the message; empty otherwise.
  std::string error;
  bool confirmed_by_device = false;                         // the outcome came from the lock's ack
  lockcore::BoltState bolt = lockcore::BoltState::unknown;  // as the ack reported it
  std::string requested_by;
  UnixMs created = 0;
  UnixMs expires = 0;
  UnixMs updated = 0;
};

// ---- keypad codes on locks ("placements")

enum class CredentialStatus : std::uint8_t { pending, set, failed, removing, removed };
std::string_view to_string(CredentialStatus status);
std::optional<CredentialStatus> credential_status_from(std::string_view name);

// What the access domain asks to put on a lock.
struct PinPlacement {
  std::string credential;  // the access domain's credential id, 1–64 of [A-Za-z0-9._-]
  std::string pin;         // 4–8 digits (and within the lock's own limits)
  lockcore::CredentialKind kind = lockcore::CredentialKind::pin;
  lockcore::WeeklySchedule schedule;  // days_mask 0: any time
  lockcore::Window window;            // 0: unbounded
  std::uint16_t max_uses = 0;         // 0: unlimited
  std::string holder;                 // who it is for ("account:acc_…"), for the audit trail
};

struct Placement {
  std::string site;
  std::string lock;
  std::string credential;
  std::uint16_t slot = 0;
  lockcore::CredentialKind kind = lockcore::CredentialKind::pin;
  lockcore::WeeklySchedule schedule;
  lockcore::Window window;
  std::uint16_t max_uses = 0;
  std::string holder;
  CredentialStatus status = CredentialStatus::pending;
  std::string error;    // the lock's SlotError name when failed
  bool issued = false;  // backup codes: handed out by take_backup_code()
  UnixMs updated = 0;
};

// One credential's progress over every lock it was placed on.
struct FanoutProgress {
  std::size_t locks = 0;
  std::size_t pending = 0;
  std::size_t set = 0;
  std::size_t failed = 0;
  std::size_t removing = 0;
  std::size_t removed = 0;
};

struct BackupCode {
  std::string credential;
  std::uint16_t slot = 0;
  std::string pin;
};

// ---- health

enum class Reachability : std::uint8_t { unknown, online, offline };
std::string_view to_string(Reachability r);

struct LockHealth {
  std::string site;
  std::string lock;
  Reachability reachability = Reachability::unknown;
  std::string offline_reason;  // "lock offline", "hub hub-1 offline", "link to hub hub-1 down"…
  UnixMs last_seen = 0;        // the last message from (or about) the lock
  bool has_state = false;      // a state report has been received
  lockcore::BoltState bolt = lockcore::BoltState::unknown;
  lockcore::DoorState door = lockcore::DoorState::unknown;
  lockcore::KeypadState keypad = lockcore::KeypadState::ok;
  std::uint8_t battery_pct = 0;
  std::uint16_t battery_mv = 0;
  std::int8_t rssi = 0;
  std::string firmware;
  std::uint32_t epoch = 0;  // as reported
  std::uint32_t event_seq = 0;
  bool paired = false;  // as reported
  bool jammed = false;
  bool motor_fault = false;
  bool flaky = false;  // >= 3 offline transitions in the last 24 h
  std::size_t offline_transitions_24h = 0;
  // The shadow: the desired version last published and the one the lock last reported.
  std::uint64_t desired_version = 0;
  std::uint64_t reported_version = 0;
  bool in_sync = false;  // the lock reported exactly the latest desired credentials
};

struct HubLinkHealth {
  std::string lock;
  bool up = false;
  std::int8_t rssi = 0;
};

struct HubHealth {
  std::string site;
  std::string hub;
  Reachability reachability = Reachability::unknown;
  UnixMs last_seen = 0;
  std::vector<HubLinkHealth> links;
};

struct BatterySample {
  UnixMs at = 0;
  std::uint8_t pct = 0;
  std::uint16_t mv = 0;
};

// ---- events

struct StoredEvent {
  std::string site;
  std::string lock;
  lockcore::Event event;
  UnixMs received = 0;
};

// ---- digital keys

struct IssuedKey {
  lockcore::DigitalKeyGrant grant;
  std::string id;  // the grant's id as 16 hex characters
};

}  // namespace server::devices
