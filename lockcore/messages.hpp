#pragma once
// The lock's side of every v1 message (DESIGN.md section 4), as fixed-size structs.
// protocol/ maps these to and from JSON; the lock and the server act on them.

#include <cstdint>

#include "lockcore/credentials.hpp"
#include "lockcore/types.hpp"

namespace lockcore {

// ---- state (lock ->, retained) ------------------------------------------------------------

enum class BoltState : std::uint8_t { locked, unlocked, locking, unlocking, jammed, unknown };
enum class DoorState : std::uint8_t { closed, open, unknown };
enum class KeypadState : std::uint8_t {
  ok,
  disabled,  // wrong-code limit reached; enabled again after Settings::wrong_code_disable_s
  fault,     // hardware fault: keys do not register
  absent,    // this lock has no keypad
};

struct StateReport {
  BoltState bolt = BoltState::unknown;
  DoorState door = DoorState::unknown;
  KeypadState keypad = KeypadState::ok;
  std::uint8_t battery_pct = 100;
  std::uint16_t battery_mv = 0;
  std::int8_t rssi = 0;  // dBm of the lock's link (Wi-Fi, or to its hub)
  FirmwareVersion firmware;
  std::uint32_t epoch = 0;      // changes on factory reset
  std::uint32_t event_seq = 0;  // the last sequence number the lock has assigned
  bool paired = false;          // false after a factory reset until re-enrolled
  bool motor_fault = false;
  PublicKey pairing_key{};  // the lock's X25519 key for the pairing key exchange
};

// ---- cmd (-> lock) and ack (lock ->) ------------------------------------------------------

enum class CommandOp : std::uint8_t {
  unlock,
  lock,
  events_ack,  // the server has stored every event up to and including args.upto
  pair,        // commissioning; authenticated by the pairing code, not by the site key
};

// Arguments of `pair`: the lock learns the site's public key, and both sides derive the offline
// secret from an X25519 exchange (crypto_kx) between the lock's pairing key and server_kx.
struct PairArgs {
  PublicKey site_key{};
  PublicKey server_kx{};
  std::uint32_t epoch = 0;  // must equal the lock's current epoch
};

struct Command {
  DeviceId site;
  DeviceId lock;
  CommandId id{};
  CommandOp op = CommandOp::unlock;
  std::uint32_t upto = 0;  // events_ack only
  PairArgs pair;           // pair only
  UnixMs issued = 0;
  UnixMs expires = 0;
  // Ed25519 signature by the site key over command_signing_bytes(); for `pair`, the first 32 bytes
  // are a crypto_auth tag keyed by the pairing code and the rest are zero.
  Signature sig{};
};

// Why a lock refused or could not complete something. Stable names on the wire (protocol/).
enum class LockError : std::uint8_t {
  none,
  bad_signature,
  expired,     // now > expires, or issued too far in the future, or a lifetime over the limit
  replayed,    // command id already seen
  not_paired,  // factory reset: nothing but `pair` is accepted
  wrong_lock,  // addressed to another site or lock
  wrong_epoch,
  stale_version,  // shadow version not newer than the one applied
  jammed,
  no_power,
  motor_fault,
  busy,            // a turn is already under way, or the replay window is full
  invalid,         // a field out of range
  already_paired,  // pair refused: the lock is paired to other keys; factory reset it first
};

struct CommandAck {
  CommandId id{};
  LockError error = LockError::none;  // none: succeeded
  BoltState bolt = BoltState::unknown;
};

// ---- event (lock ->) ---------------------------------------------------------------------

enum class EventType : std::uint8_t {
  unlocked,
  locked,
  unlock_denied,
  jammed,
  jam_cleared,
  wrong_code_limit,  // alarm: keypad disabled for Settings::wrong_code_disable_s
  battery_low,       // crossed below 20 %
  battery_depleted,  // 0 %: the last thing the lock says
  motor_fault,
  keypad_fault,
  factory_reset,  // value: the new epoch
  paired,         // value: the epoch
  door_forced,
  gap,  // events seq..value were dropped because the log was full
};

enum class AccessSource : std::uint8_t {
  none,
  keypad,       // slot
  backup_code,  // slot
  offline_pin,
  remote,     // a signed command (app, manager)
  bluetooth,  // key
  physical_key,
  auto_relock,
};

enum class DenyReason : std::uint8_t {
  none,
  wrong_code,
  outside_schedule,
  outside_window,
  uses_exhausted,
  keypad_disabled,
  bad_key,  // digital key: bad signature, wrong lock or wrong response
  key_expired,
  key_revoked,
  wrong_epoch,
  jammed,
  no_power,
};

struct Event {
  std::uint32_t seq = 0;
  UnixMs ts = 0;
  EventType type = EventType::unlocked;
  AccessSource source = AccessSource::none;
  DenyReason reason = DenyReason::none;
  std::uint16_t slot = 0;  // keypad / backup slot
  // gap: last dropped seq; battery: pct; factory_reset/paired: epoch;
  // wrong_code_limit: seconds disabled; source offline_pin: OfflinePinSpec::packed()
  std::uint32_t value = 0;
  KeyId key{};  // bluetooth: the grant's id
};

// ---- shadow/desired (-> lock, retained) and shadow/reported (lock ->, retained) -----------

constexpr std::size_t kMaxRevokedKeys = 32;

struct DesiredShadow {
  DeviceId site;
  DeviceId lock;
  std::uint64_t version = 0;
  std::uint32_t epoch = 0;  // the lock epoch this state was written for
  FixedVector<PinCredential, kMaxPinSlots> credentials;
  Settings settings;
  FixedVector<KeyId, kMaxRevokedKeys> revoked_keys;
  Signature sig{};  // by the site key over shadow_signing_bytes()
};

enum class SlotError : std::uint8_t {
  none,
  duplicate_pin,      // the same PIN is already in another slot
  slot_out_of_range,  // beyond this lock's slot capacity
  invalid,
  low_power,  // the battery was too low to store a new code safely; the slot is left empty
};

struct SlotReport {
  std::uint16_t slot = 0;
  SlotError error = SlotError::none;  // none: the credential is set
};

struct ReportedShadow {
  std::uint64_t version = 0;  // the last desired version applied
  std::uint32_t epoch = 0;
  Digest credential_digest{};  // credential_digest() of what the lock now holds
  FixedVector<SlotReport, kMaxPinSlots> slots;
};

// ---- digital keys (Bluetooth path) --------------------------------------------------------

// Issued by the server to an enrolled phone; the lock checks it offline.
struct DigitalKeyGrant {
  KeyId id{};
  DeviceId site;
  DeviceId lock;
  PublicKey holder{};  // the phone's Ed25519 key
  Window window;
  std::uint32_t epoch = 0;
  Signature sig{};  // by the site key over grant_signing_bytes()
};

}  // namespace lockcore
