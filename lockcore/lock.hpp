#pragma once
// The lock's firmware. It sees the world only through the injected Clock, Random and Hardware,
// keeps everything in fixed-size members (nothing is allocated after construction; no exception
// is thrown), and is driven by calls:
//  - at the door: enter_pin, begin_bluetooth / bluetooth_unlock;
//  - from the radio: on_command, on_desired, on_radio_connected;
//  - from its timer: poll() whenever now >= next_deadline() (a motor check, the keypad coming
//    back, an auto-relock, the hourly battery sample), and at any time as the hardware's
//    interrupt: a simulator calls poll() after changing the physical world (a key turned, a
//    battery changed) so that the firmware looks at its sensors then, as real firmware would.
// Everything it reports goes out through Hardware::send_*: a state report after every change,
// every event (kept until acknowledged), every command's ack, the reported shadow.
//
// The members model the lock's non-volatile memory: credentials, settings, pairing and the event
// log survive a dead battery, as codes survive a battery change on a real lock.

#include <cstdint>
#include <limits>
#include <span>
#include <string_view>

#include "lockcore/credential_table.hpp"
#include "lockcore/event_log.hpp"
#include "lockcore/hardware.hpp"
#include "lockcore/messages.hpp"
#include "lockcore/offline_pin.hpp"
#include "lockcore/platform.hpp"
#include "lockcore/replay_window.hpp"
#include "lockcore/result.hpp"

namespace lockcore {

inline constexpr UnixMs kNever = std::numeric_limits<UnixMs>::max();

// ---- firmware timings and thresholds
inline constexpr UnixMs kTurnCheckMs = 100;     // how often the bolt switch is read during a turn
inline constexpr UnixMs kTurnTimeoutMs = 2000;  // not at the end stop by then: jammed
inline constexpr UnixMs kBackOffMs = 300;       // reverse drive after a jam, to free the bolt
// Under load below this: no power to turn. Low enough that a pack the fuel gauge still reads as 1 %
// turns the bolt (slowly): DESIGN.md, a low battery still opens the door, only an empty one is
// dark.
inline constexpr std::uint16_t kMotorMinMv = 3100;
inline constexpr std::uint16_t kMotorMinCurrentMa = 50;  // driving with less: the motor is dead
inline constexpr std::uint16_t kStallCurrentMa = 900;    // stalled: the voltage says nothing
inline constexpr UnixMs kBatterySampleMs = 3'600'000;
inline constexpr std::uint8_t kLowBatteryPct = 20;
inline constexpr std::uint8_t kLowBatteryRearmPct = 25;  // a new pack re-arms battery_low
// Below this a new code is not written: a flash write that browns out midway corrupts the table.
inline constexpr std::uint8_t kCodeWriteMinPct = 10;
inline constexpr UnixMs kMaxClockSkewMs = 30'000;         // how far in the future `issued` may be
inline constexpr UnixMs kMaxCommandLifetimeMs = 300'000;  // expires - issued
inline constexpr UnixMs kBluetoothNonceMs = 30'000;       // a challenge must be answered by then
inline constexpr std::size_t kAckOutboxCapacity = 4;      // acks kept while the link is down

struct LockConfig {
  DeviceId site;
  DeviceId lock;
  FirmwareVersion firmware;
  std::uint16_t pin_slots = kMaxPinSlots;  // 1..kMaxPinSlots
  bool has_keypad = true;
  bool has_bluetooth = true;
  SymmetricKey pairing_code_key{};  // see pairing_code_key() in signing.hpp
  Settings settings;                // until the first desired shadow
  std::uint32_t epoch = 0;          // 0: draw a random one
};

// What a person at the door gets back at once.
enum class DoorOutcome : std::uint8_t {
  accepted,         // the credential is good; the bolt is turning (or was already open)
  denied,           // refused: see AccessResult::reason
  keypad_disabled,  // the wrong-code limit was reached; try again after the cool-down
  dark,             // no power: nothing lights up
  fault,            // the keypad does not work
  busy,             // the bolt is already turning
  invalid,          // not a PIN (non-digits, wrong length), or no keypad / Bluetooth: ignored
};

struct AccessResult {
  DoorOutcome outcome = DoorOutcome::invalid;
  DenyReason reason = DenyReason::none;
  AccessSource source = AccessSource::none;
  std::uint16_t slot = 0;
};

class Lock {
 public:
  Lock(const LockConfig& config, Clock& clock, Random& random, Hardware& hardware);
  Lock(const Lock&) = delete;
  Lock& operator=(const Lock&) = delete;

  // ---- at the door

  // A PIN typed on the keypad. Constant time in the PIN's value over the slot table (and over
  // the offline-PIN candidates once paired). Wrong codes (matching nothing) count towards
  // Settings::wrong_code_limit; a code denied for its window, schedule or uses does not count,
  // and does not reset the count either (only an accepted code does).
  AccessResult enter_pin(std::string_view digits);
  // A fresh single-use challenge for a phone; errors: invalid (no Bluetooth), no_power,
  // not_paired. A new challenge replaces the previous one.
  Result<Nonce, LockError> begin_bluetooth();
  // Consumes the challenge whatever the outcome. Denied as bad_key (no live challenge, grant not
  // signed by the site key or for another lock, response not signed by the holder over this
  // challenge), wrong_epoch, key_revoked or key_expired.
  AccessResult bluetooth_unlock(const DigitalKeyGrant& grant, const Signature& response);

  // ---- from the radio

  // Every refusal is acked with its LockError and changes nothing; with no power the command is
  // ignored (no ack) and no_power returned. unlock/lock are acked when the turn ends (none,
  // jammed, no_power, motor_fault); the others at once. Refusals, in the order checked:
  // invalid (unknown op), wrong_lock, not_paired, bad_signature, expired (also: issued before the
  // lock was paired, so a command recorded before a factory reset cannot be replayed once the
  // wiped replay window would no longer catch it), replayed, busy (replay window full, or a turn
  // under way), then for pair wrong_epoch / already_paired / invalid (a key that is not a valid
  // point), for events_ack invalid (upto beyond the last seq).
  Result<void, LockError> on_command(const Command& cmd);
  // Applies a desired shadow and sends the reported one. Refused (nothing changed, nothing sent):
  // no_power, not_paired, wrong_lock, bad_signature, wrong_epoch, stale_version, invalid
  // (settings out of range).
  Result<void, LockError> on_desired(const DesiredShadow& desired);
  // Sends the state, every unacknowledged event, any unsent ack and the reported shadow.
  void on_radio_connected();

  // ---- time

  void poll();
  UnixMs next_deadline() const;  // kNever: nothing due

  // ---- lifecycle

  // New epoch; wipes credentials, settings (to defaults), pairing (site key, offline secret,
  // pairing key pair) and the replay window. The event log and its sequence carry on.
  // Needs power (no_power otherwise).
  Result<void, LockError> factory_reset();
  void set_firmware(const FirmwareVersion& version);

  // ---- introspection

  StateReport state() const;
  std::span<const Event> events() const { return log_.events(); }
  const CredentialTable& credentials() const { return table_; }
  const ReportedShadow& reported() const { return reported_; }
  const Settings& settings() const { return settings_; }
  std::span<const KeyId> revoked_keys() const { return {revoked_.begin(), revoked_.size()}; }
  BoltState bolt() const { return bolt_; }
  KeypadState keypad() const;
  bool paired() const { return paired_; }
  bool powered() const { return powered_; }
  std::uint32_t epoch() const { return epoch_; }
  std::uint8_t wrong_code_count() const { return wrong_codes_; }
  std::size_t remembered_commands() const { return replay_.size(); }
  // The offline-PIN secret: all zero until paired. For tests and the simulator's inspection.
  const OfflineSecret& offline_secret() const { return offline_secret_; }

 private:
  class Activity;
  struct Turn {
    UnixMs started = 0;
    UnixMs next_check = kNever;
    Event done;  // the event a successful turn records: type, source, slot, value, key
    CommandId command{};
    MotorDrive drive = MotorDrive::stop;
    bool has_command = false;
    bool backing_off = false;
  };

  UnixMs now() const { return clock_.now(); }
  void wake();
  void sample_battery();
  void check_keypad_hardware();
  void watch_bolt_switch();
  void flush_state();
  void record(Event event);
  void ack(const CommandId& id, LockError error);
  void signal(KeypadPattern pattern, BuzzerTone tone);

  LockError check_command(const Command& cmd);
  LockError run_pair(const Command& cmd);
  LockError run_turn_command(const Command& cmd);

  AccessResult grant_access(Event done);
  AccessResult deny_access(Event denied);
  void start_turn(MotorDrive drive, const Event& done);
  void check_turn();
  void finish_turn(BoltSensor sensor);
  void fail_turn(LockError error, BoltState bolt);
  void jam_turn();
  void relock_if_due();
  BoltState bolt_from(BoltSensor sensor) const;

  Clock& clock_;
  Random& random_;
  Hardware& hw_;

  // identity
  DeviceId site_;
  DeviceId lock_id_;
  FirmwareVersion firmware_;
  SymmetricKey pairing_code_key_;
  bool has_keypad_;
  bool has_bluetooth_;

  // pairing: wiped by a factory reset
  bool paired_ = false;
  std::uint32_t epoch_ = 0;
  UnixMs paired_at_ = 0;
  KxKeyPair pairing_kx_;
  PublicKey site_key_{};
  PublicKey server_kx_{};
  OfflineSecret offline_secret_{};

  // what the server provisions
  CredentialTable table_;
  Settings settings_;
  FixedVector<KeyId, kMaxRevokedKeys> revoked_;
  ReportedShadow reported_;

  // the radio side
  ReplayWindow replay_;
  EventLog log_;
  FixedVector<CommandAck, kAckOutboxCapacity> unsent_acks_;

  // the bolt
  Turn turn_;
  UnixMs relock_at_ = kNever;
  BoltState bolt_ = BoltState::unknown;
  BoltSensor last_sensor_ = BoltSensor::between;
  bool turning_ = false;
  bool jam_active_ = false;  // a jam was reported and no turn has succeeded since
  bool motor_fault_ = false;

  // keypad, power, Bluetooth
  UnixMs keypad_disabled_until_ = 0;  // 0: enabled
  UnixMs next_battery_sample_ = 0;
  UnixMs nonce_expires_ = 0;  // 0: no live challenge
  Nonce nonce_{};
  std::uint16_t battery_mv_ = 0;
  std::uint8_t battery_pct_ = 100;
  std::uint8_t wrong_codes_ = 0;
  bool keypad_fault_ = false;
  bool powered_ = true;
  bool low_reported_ = false;
  bool state_dirty_ = false;
};

}  // namespace lockcore
