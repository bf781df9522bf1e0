#pragma once
// The engine's input: everything the server knows about one lockout report at one moment, as
// plain facts. No database and no I/O: the lockout domain fills a Snapshot from identity, access
// and devices when a case opens; tests and the benchmark build one by hand.
//
// Defaults are the safe ones for what grants access (no membership, an unverified caller) and the
// healthy ones for the lock (online, in sync, compatible), so a story states what it is about.
// Unknown facts are std::optional; the engine never reads an unknown as "fine" where that would
// give access, and never as "broken" where that would invent a cause.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "lockcore/fixed.hpp"
#include "lockcore/messages.hpp"
#include "lockcore/types.hpp"
#include "server/lockout/diagnosis/names.hpp"
#include "server/lockout/diagnosis/symptom.hpp"

namespace server::lockout {

using UnixMs = lockcore::UnixMs;

// The membership roles of DESIGN.md section 3.
enum class Role : std::uint8_t { owner, manager, maintenance, resident, guest, support };
inline constexpr std::size_t kRoleCount = 6;

enum class AccountStatus : std::uint8_t { active, locked, suspended, deleted };
inline constexpr std::size_t kAccountStatusCount = 4;

// How far the person making the report is proven to be the account holder.
enum class Verification : std::uint8_t {
  none,              // nothing proves it: the wizard used signed out, a phone call
  session,           // a valid session on the reporting phone, with MFA when the account has it
  identity_checked,  // identity verified out of band (verify_identity) by support or an admin
};
inline constexpr std::size_t kVerificationCount = 3;

// Where "now" stands against a validity window.
enum class Validity : std::uint8_t { not_yet, current, ended };
inline constexpr std::size_t kValidityCount = 3;

// How the server reaches the lock: through a hub, over Wi-Fi, or not at all (keypad and Bluetooth
// only).
enum class Link : std::uint8_t { hub, wifi, none };
inline constexpr std::size_t kLinkCount = 3;

// A keypad code's state on the lock, as the shadow reports it (DESIGN.md section 3).
enum class CodeStatus : std::uint8_t { pending, set, failed, removing, removed };
inline constexpr std::size_t kCodeStatusCount = 5;

// Whether the lock's firmware and the reporting phone's app speak the same Bluetooth protocol.
enum class FirmwareCompat : std::uint8_t { unknown, compatible, app_too_old, firmware_too_old };
inline constexpr std::size_t kFirmwareCompatCount = 4;

// What the app on the reporting phone says about itself. All unknown when the report did not come
// from a phone (the web, a support call).
struct PhoneContext {
  bool present = false;                   // the report came from the app on a phone
  std::string device;                     // its device id, for evidence ("ana-phone")
  std::optional<bool> signed_in;          // the app's own view of its session
  std::optional<bool> enrolled;           // the app's own view of its enrollment
  std::optional<bool> bluetooth_allowed;  // the phone's Bluetooth permission for the app
  std::string app_version;                // "5.2.0"; empty: unknown
};

// What the person told the wizard.
struct Report {
  SymptomSet symptoms;
  PhoneContext phone;
};

// The account of the person locked out, from identity.
struct Person {
  std::string id;
  bool account_exists = true;
  AccountStatus status = AccountStatus::active;
  bool mfa_enabled = false;
  bool mfa_available = true;  // a second factor they can still produce (app or recovery code)
  std::uint16_t failed_sign_ins = 0;  // in the last 24 hours
  // Sign-in held by the throttle: until when, from where ("ip:…", "device:…", or "untrusted"
  // for every address the account has not signed in from), after how many failures. 0: no hold.
  UnixMs sign_in_held_until = 0;
  std::string sign_in_held_from;
  std::uint16_t sign_in_held_after = 0;
  std::optional<bool> session_valid;    // a valid session for the reporting phone
  std::optional<bool> device_enrolled;  // the reporting phone is enrolled to this account
  bool carries_physical_key = false;    // a tracked physical key for this door is theirs
  Verification verification = Verification::none;
};

// The person's relation to this door, from access.
struct Relation {
  std::optional<Role> role;      // the membership covering this door; nullopt: none
  bool work_order_open = false;  // maintenance: a work order for this door assigned to them
  Validity window = Validity::current;
  UnixMs window_edge = 0;               // when the window starts (not_yet) or ended (ended)
  std::optional<bool> inside_schedule;  // nullopt: no weekly schedule
  bool moved_out = false;               // the membership ended by a move-out
  UnixMs moved_out_at = 0;
  bool transfer_pending_to_person = false;  // the site's ownership is on its way to them
  UnixMs transfer_started_at = 0;
  bool door_in_account = true;  // the door is listed in their account (the app's list)
};

// One of the person's keypad codes on this lock, from access and the devices shadow.
struct Code {
  CodeStatus status = CodeStatus::set;
  UnixMs status_since = 0;
  lockcore::SlotError failure = lockcore::SlotError::none;  // failed: what the lock reported
  Validity window = Validity::current;                      // the code's own validity window
  UnixMs window_edge = 0;
  std::optional<bool> inside_schedule;  // nullopt: no weekly schedule on the code
};
inline constexpr std::size_t kMaxCodes = 8;

// The lock and its link, from devices: retained state, events and the shadow. A report that is
// not fresh (the lock offline) is the lock's last word, as of last_seen.
struct LockFacts {
  bool exists = true;
  std::string id;
  Link link = Link::hub;
  std::string hub_id;
  bool online = true;
  UnixMs last_seen = 0;
  bool hub_online = true;
  UnixMs hub_last_seen = 0;
  bool wifi_network_changed = false;        // the household says its Wi-Fi changed (a Wi-Fi lock)
  std::optional<std::uint8_t> battery_pct;  // last reported; nullopt: never reported
  std::optional<std::uint16_t> battery_days_left;  // forecast from the trend
  lockcore::BoltState bolt = lockcore::BoltState::locked;
  UnixMs last_jam_at = 0;
  std::uint16_t jams_last_7d = 0;                            // the current one included
  lockcore::KeypadState keypad = lockcore::KeypadState::ok;  // absent: the lock has no keypad
  UnixMs keypad_disabled_until = 0;                          // after the wrong-code limit
  bool motor_fault = false;
  bool epoch_changed = false;  // a factory reset the server has not re-enrolled yet
  UnixMs factory_reset_at = 0;
  bool paired = true;          // paired to this site's keys
  bool shadow_in_sync = true;  // reported credentials match the desired ones
  UnixMs shadow_out_of_sync_since = 0;
  std::string firmware;
  FirmwareCompat firmware_compat = FirmwareCompat::compatible;
  bool has_bluetooth = true;
  bool has_keyway = true;
  bool has_jump_terminal = true;         // external contacts to power a dead lock (9 V, USB-C)
  bool backup_pool_available = true;     // unused pre-provisioned backup PINs on the lock
  std::uint16_t wrong_codes_recent = 0;  // unlock_denied (wrong_code) in the last 30 minutes
  UnixMs last_wrong_code_at = 0;
  UnixMs last_wrong_code_limit_at = 0;
};

// The site around the door, from access.
struct Site {
  std::string id;
  bool admin_reachable = false;     // an owner or manager (not the person) can be reached now
  bool manager_can_unlock = false;  // ... who may remotely unlock this door now
  std::int16_t utc_offset_min = 0;  // the site's offset from UTC now, for times in evidence
};

struct Snapshot {
  UnixMs now = 0;
  Report report;
  Person person;
  Relation relation;
  lockcore::FixedVector<Code, kMaxCodes> codes;
  LockFacts lock;
  Site site;
};

template <>
struct Names<Role> {
  static constexpr NameTable<Role, kRoleCount> table{
      {"owner", "manager", "maintenance", "resident", "guest", "support"}};
};
template <>
struct Names<AccountStatus> {
  static constexpr NameTable<AccountStatus, kAccountStatusCount> table{
      {"active", "locked", "suspended", "deleted"}};
};
template <>
struct Names<Verification> {
  static constexpr NameTable<Verification, kVerificationCount> table{
      {"none", "session", "identity_checked"}};
};
template <>
struct Names<Validity> {
  static constexpr NameTable<Validity, kValidityCount> table{{"not_yet", "current", "ended"}};
};
template <>
struct Names<Link> {
  static constexpr NameTable<Link, kLinkCount> table{{"hub", "wifi", "none"}};
};
template <>
struct Names<CodeStatus> {
  static constexpr NameTable<CodeStatus, kCodeStatusCount> table{
      {"pending", "set", "failed", "removing", "removed"}};
};
template <>
struct Names<FirmwareCompat> {
  static constexpr NameTable<FirmwareCompat, kFirmwareCompatCount> table{
      {"unknown", "compatible", "app_too_old", "firmware_too_old"}};
};

}  // namespace server::lockout
