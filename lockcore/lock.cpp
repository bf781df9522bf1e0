#include "lockcore/lock.hpp"

#include <algorithm>

#include <sodium.h>

#include "lockcore/battery_curve.hpp"
#include "lockcore/signing.hpp"

namespace lockcore {

// Every entry point runs inside one: it wakes the lock first (battery, keypad, bolt switch) and
// sends one state report at the end if anything in it changed.
class Lock::Activity {
 public:
  explicit Activity(Lock& lock) : lock_(lock) { lock_.wake(); }
  ~Activity() { lock_.flush_state(); }
  Activity(const Activity&) = delete;
  Activity& operator=(const Activity&) = delete;

 private:
  Lock& lock_;
};

namespace {

std::uint32_t fresh_epoch(Random& random, std::uint32_t avoid) {
  for (;;) {
    const std::uint32_t epoch = random.next_u32();
    if (epoch != 0 && epoch != avoid) return epoch;
  }
}

bool settings_valid(const Settings& s) {
  return s.wrong_code_limit >= 1 && s.wrong_code_disable_s >= 1 && s.utc_offset_min >= -840 &&
         s.utc_offset_min <= 840;
}

Event event_of(EventType type, AccessSource source = AccessSource::none,
               DenyReason reason = DenyReason::none) {
  Event e;
  e.type = type;
  e.source = source;
  e.reason = reason;
  return e;
}

}  // namespace

Lock::Lock(const LockConfig& config, Clock& clock, Random& random, Hardware& hardware)
    : clock_(clock),
      random_(random),
      hw_(hardware),
      site_(config.site),
      lock_id_(config.lock),
      firmware_(config.firmware),
      pairing_code_key_(config.pairing_code_key),
      has_keypad_(config.has_keypad),
      has_bluetooth_(config.has_bluetooth),
      epoch_(config.epoch != 0 ? config.epoch : fresh_epoch(random, 0)),
      pairing_kx_(make_kx_keypair(random)),
      table_(std::clamp<std::uint16_t>(config.pin_slots, 1, kMaxPinSlots)),
      settings_(settings_valid(config.settings) ? config.settings : Settings{}) {
  sodium_ready();
  reported_.epoch = epoch_;
  reported_.credential_digest = table_.digest();
  last_sensor_ = hw_.bolt_sensor();
  bolt_ = bolt_from(last_sensor_);
  battery_mv_ = hw_.battery_mv();
  battery_pct_ = pack_percent_from_mv(battery_mv_);
  low_reported_ = battery_pct_ < kLowBatteryPct;
  powered_ = battery_pct_ > 0;
  next_battery_sample_ = now() + kBatterySampleMs;
}

// ---- waking, power, reporting -------------------------------------------------------------

void Lock::wake() {
  if (!turning_) sample_battery();
  if (!powered_) return;
  check_keypad_hardware();
  if (keypad_disabled_until_ != 0 && now() >= keypad_disabled_until_) {
    keypad_disabled_until_ = 0;
    hw_.show(KeypadPattern::off);
    state_dirty_ = true;
  }
  watch_bolt_switch();
}

void Lock::sample_battery() {
  // Read at rest only: under the motor's load the voltage says nothing about the charge left.
  battery_mv_ = hw_.battery_mv();
  const std::uint8_t pct = pack_percent_from_mv(battery_mv_);
  next_battery_sample_ = now() + kBatterySampleMs;
  if (pct != battery_pct_) state_dirty_ = true;
  battery_pct_ = pct;

  if (!powered_) {
    if (pct == 0) return;
    // A new pack: come back up and look at where the bolt is now.
    powered_ = true;
    state_dirty_ = true;
  }
  if (pct >= kLowBatteryRearmPct) low_reported_ = false;
  if (pct < kLowBatteryPct && !low_reported_) {
    low_reported_ = true;
    Event e = event_of(EventType::battery_low);
    e.value = pct;
    record(e);
  }
  if (pct == 0) {
    // The last thing the lock says before it goes dark.
    Event e = event_of(EventType::battery_depleted);
    record(e);
    hw_.show(KeypadPattern::off);
    relock_at_ = kNever;
    nonce_expires_ = 0;
    powered_ = false;
    state_dirty_ = false;
  }
}

void Lock::check_keypad_hardware() {
  if (!has_keypad_) return;
  const bool ok = hw_.keypad_ok();
  if (ok == !keypad_fault_) return;
  keypad_fault_ = !ok;
  state_dirty_ = true;
  if (keypad_fault_) record(event_of(EventType::keypad_fault));
}

void Lock::watch_bolt_switch() {
  if (turning_) return;
  const BoltSensor sensor = hw_.bolt_sensor();
  if (sensor == last_sensor_) return;
  last_sensor_ = sensor;
  if (sensor == BoltSensor::between) return;
  // The bolt reached an end stop without the motor: someone turned the key (or the thumb turn).
  bolt_ = bolt_from(sensor);
  state_dirty_ = true;
  if (jam_active_) {
    jam_active_ = false;
    record(event_of(EventType::jam_cleared, AccessSource::physical_key));
  }
  const bool unlocked = sensor == BoltSensor::retracted;
  record(event_of(unlocked ? EventType::unlocked : EventType::locked, AccessSource::physical_key));
  relock_at_ = unlocked && settings_.auto_relock_s != 0
                   ? now() + settings_.auto_relock_s * UnixMs{1000}
                   : kNever;
}

void Lock::flush_state() {
  if (!state_dirty_ || !powered_) return;
  state_dirty_ = false;
  hw_.send_state(state());
}

void Lock::record(Event event) {
  event.ts = now();
  const Event& stored = log_.append(event);
  // Sent at once when the link is up; kept either way until acknowledged.
  hw_.send_event(stored);
}

void Lock::ack(const CommandId& id, LockError error) {
  const CommandAck a{id, error, bolt_};
  if (hw_.send_ack(a)) return;
  if (unsent_acks_.full()) unsent_acks_.erase_at(0);
  [[maybe_unused]] const bool kept = unsent_acks_.push_back(a);
}

void Lock::signal(KeypadPattern pattern, BuzzerTone tone) {
  hw_.show(pattern);
  hw_.beep(tone);
}

BoltState Lock::bolt_from(BoltSensor sensor) const {
  switch (sensor) {
    case BoltSensor::extended:
      return BoltState::locked;
    case BoltSensor::retracted:
      return BoltState::unlocked;
    case BoltSensor::between:
      break;
  }
  return jam_active_ ? BoltState::jammed : BoltState::unknown;
}

KeypadState Lock::keypad() const {
  if (!has_keypad_) return KeypadState::absent;
  if (keypad_fault_) return KeypadState::fault;
  if (keypad_disabled_until_ != 0) return KeypadState::disabled;
  return KeypadState::ok;
}

StateReport Lock::state() const {
  StateReport s;
  s.bolt = bolt_;
  s.door = hw_.door();
  s.keypad = keypad();
  s.battery_pct = battery_pct_;
  s.battery_mv = battery_mv_;
  s.rssi = hw_.rssi();
  s.firmware = firmware_;
  s.epoch = epoch_;
  s.event_seq = log_.last_seq();
  s.paired = paired_;
  s.motor_fault = motor_fault_;
  s.pairing_key = pairing_kx_.public_key;
  return s;
}

// ---- the door ------------------------------------------------------------------------------

AccessResult Lock::enter_pin(std::string_view digits) {
  Activity activity(*this);
  if (!has_keypad_) return {DoorOutcome::invalid};
  if (!powered_) return {DoorOutcome::dark};
  if (keypad_fault_) return {DoorOutcome::fault};
  if (keypad_disabled_until_ != 0) {
    // Refused without counting: the cool-down is not extended by more tries.
    deny_access(
        event_of(EventType::unlock_denied, AccessSource::keypad, DenyReason::keypad_disabled));
    hw_.show(KeypadPattern::disabled);
    return {DoorOutcome::keypad_disabled, DenyReason::keypad_disabled, AccessSource::keypad};
  }
  Pin pin;
  if (!Pin::parse(digits, pin)) return {DoorOutcome::invalid};
  if (turning_) return {DoorOutcome::busy};

  const UnixMs t = now();
  const PinCheck check = table_.check(pin, t, settings_.utc_offset_min);
  // Always derived once paired, so the time taken does not tell a slot code from the others.
  OfflinePinSpec offline;
  const bool offline_match = paired_ && match_offline_pin(offline_secret_, pin, t, offline);

  Event e = event_of(EventType::unlocked, AccessSource::keypad, check.reason);
  e.slot = check.slot;
  if (check.slot != 0 && check.kind == CredentialKind::backup) e.source = AccessSource::backup_code;
  if (check.slot == 0 && offline_match) {
    e.source = AccessSource::offline_pin;
    e.reason = DenyReason::none;
    e.value = offline.packed();
  }
  if (e.reason == DenyReason::none) return grant_access(e);

  e.type = EventType::unlock_denied;
  AccessResult result = deny_access(e);
  if (e.reason != DenyReason::wrong_code) return result;
  if (++wrong_codes_ >= settings_.wrong_code_limit) {
    wrong_codes_ = 0;
    keypad_disabled_until_ = t + settings_.wrong_code_disable_s * UnixMs{1000};
    Event alarm = event_of(EventType::wrong_code_limit, AccessSource::keypad);
    alarm.value = settings_.wrong_code_disable_s;
    record(alarm);
    signal(KeypadPattern::disabled, BuzzerTone::lockout_alarm);
    state_dirty_ = true;
  }
  return result;
}

AccessResult Lock::grant_access(Event done) {
  if (done.source != AccessSource::bluetooth) wrong_codes_ = 0;
  signal(KeypadPattern::ok, BuzzerTone::accept);
  if (battery_pct_ < kLowBatteryPct) hw_.beep(BuzzerTone::low_battery);
  if (bolt_ == BoltState::unlocked) {
    // Already open: the access is still recorded (and a code's use counted).
    if (done.slot != 0) table_.record_use(done.slot);
    record(done);
  } else {
    start_turn(MotorDrive::retract, done);
  }
  return {DoorOutcome::accepted, DenyReason::none, done.source, done.slot};
}

AccessResult Lock::deny_access(Event denied) {
  denied.type = EventType::unlock_denied;
  record(denied);
  signal(KeypadPattern::error, BuzzerTone::reject);
  return {DoorOutcome::denied, denied.reason, denied.source, denied.slot};
}

Result<Nonce, LockError> Lock::begin_bluetooth() {
  Activity activity(*this);
  if (!has_bluetooth_) return fail(LockError::invalid);
  if (!powered_) return fail(LockError::no_power);
  if (!paired_) return fail(LockError::not_paired);
  random_.fill(nonce_);
  nonce_expires_ = now() + kBluetoothNonceMs;
  return nonce_;
}

AccessResult Lock::bluetooth_unlock(const DigitalKeyGrant& grant, const Signature& response) {
  Activity activity(*this);
  if (!has_bluetooth_) return {DoorOutcome::invalid};
  if (!powered_) return {DoorOutcome::dark};
  const UnixMs t = now();
  const bool challenge_live = nonce_expires_ != 0 && t <= nonce_expires_;
  nonce_expires_ = 0;  // single use, whatever happens next
  if (turning_) return {DoorOutcome::busy};

  Event e = event_of(EventType::unlocked, AccessSource::bluetooth);
  e.key = grant.id;
  const BluetoothChallenge challenge{site_, lock_id_, epoch_, grant.id, nonce_};
  if (!challenge_live || !paired_ || !(grant.site == site_) || !(grant.lock == lock_id_) ||
      !verify_grant(grant, site_key_)) {
    e.reason = DenyReason::bad_key;
  } else if (grant.epoch != epoch_) {
    e.reason = DenyReason::wrong_epoch;
  } else if (std::find(revoked_.begin(), revoked_.end(), grant.id) != revoked_.end()) {
    e.reason = DenyReason::key_revoked;
  } else if (!grant.window.contains(t)) {
    e.reason = DenyReason::key_expired;
  } else if (!verify_bluetooth_response(challenge, response, grant.holder)) {
    e.reason = DenyReason::bad_key;
  }
  if (e.reason != DenyReason::none) return deny_access(e);
  return grant_access(e);
}

// ---- the bolt ------------------------------------------------------------------------------

void Lock::start_turn(MotorDrive drive, const Event& done) {
  turning_ = true;
  turn_.started = now();
  turn_.next_check = turn_.started + kTurnCheckMs;
  turn_.done = done;
  turn_.drive = drive;
  turn_.has_command = false;
  turn_.backing_off = false;
  relock_at_ = kNever;
  bolt_ = drive == MotorDrive::extend ? BoltState::locking : BoltState::unlocking;
  state_dirty_ = true;
  hw_.drive_motor(drive);
}

void Lock::check_turn() {
  if (!turning_ || now() < turn_.next_check) return;
  if (turn_.backing_off) {
    hw_.drive_motor(MotorDrive::stop);
    turning_ = false;
    last_sensor_ = hw_.bolt_sensor();
    return;
  }
  const BoltSensor sensor = hw_.bolt_sensor();
  const BoltSensor target =
      turn_.drive == MotorDrive::extend ? BoltSensor::extended : BoltSensor::retracted;
  if (sensor == target) return finish_turn(sensor);

  const std::uint16_t current = hw_.motor_current_ma();
  if (current < kMotorMinCurrentMa) return fail_turn(LockError::motor_fault, BoltState::unknown);
  // A stalled motor pulls the voltage down by itself; only a running motor's sag means the
  // battery cannot drive it.
  if (current < kStallCurrentMa && hw_.battery_mv() < kMotorMinMv) {
    return fail_turn(LockError::no_power, bolt_from(sensor));
  }
  if (now() - turn_.started >= kTurnTimeoutMs) return jam_turn();
  turn_.next_check = now() + kTurnCheckMs;
}

void Lock::finish_turn(BoltSensor sensor) {
  hw_.drive_motor(MotorDrive::stop);
  turning_ = false;
  last_sensor_ = sensor;
  bolt_ = bolt_from(sensor);
  motor_fault_ = false;
  state_dirty_ = true;
  if (jam_active_) {
    jam_active_ = false;
    hw_.show(KeypadPattern::off);
    record(event_of(EventType::jam_cleared, turn_.done.source));
  }
  // A code's use is counted only when it opened the door: a jam does not use up a backup code.
  if (turn_.done.slot != 0 && bolt_ == BoltState::unlocked) table_.record_use(turn_.done.slot);
  record(turn_.done);
  if (turn_.has_command) ack(turn_.command, LockError::none);
  if (bolt_ == BoltState::unlocked && settings_.auto_relock_s != 0) {
    relock_at_ = now() + settings_.auto_relock_s * UnixMs{1000};
  }
}

void Lock::fail_turn(LockError error, BoltState bolt) {
  hw_.drive_motor(MotorDrive::stop);
  turning_ = false;
  last_sensor_ = hw_.bolt_sensor();
  bolt_ = bolt;
  state_dirty_ = true;
  Event e = turn_.done;
  if (error == LockError::motor_fault) {
    motor_fault_ = true;
    e.type = EventType::motor_fault;
    record(e);
    signal(KeypadPattern::error, BuzzerTone::reject);
  } else {
    // no_power: reported as what it is, never as a jam.
    if (turn_.drive == MotorDrive::retract) {
      e.type = EventType::unlock_denied;
      e.reason = DenyReason::no_power;
      record(e);
    }
    signal(KeypadPattern::error, BuzzerTone::low_battery);
  }
  if (turn_.has_command) ack(turn_.command, error);
}

void Lock::jam_turn() {
  // Back off to take the load off the bolt, then report. Codes are untouched.
  hw_.drive_motor(MotorDrive::stop);
  hw_.drive_motor(turn_.drive == MotorDrive::extend ? MotorDrive::retract : MotorDrive::extend);
  turn_.backing_off = true;
  turn_.next_check = now() + kBackOffMs;
  jam_active_ = true;
  bolt_ = BoltState::jammed;
  state_dirty_ = true;
  Event e = turn_.done;
  e.type = EventType::jammed;
  e.reason = DenyReason::jammed;
  record(e);
  signal(KeypadPattern::jam_x, BuzzerTone::jam);
  if (turn_.has_command) ack(turn_.command, LockError::jammed);
}

void Lock::relock_if_due() {
  if (relock_at_ == kNever || now() < relock_at_) return;
  relock_at_ = kNever;
  if (turning_ || bolt_ != BoltState::unlocked) return;
  if (hw_.door() == DoorState::open) {
    relock_at_ = now() + settings_.auto_relock_s * UnixMs{1000};  // wait for the door to close
    return;
  }
  start_turn(MotorDrive::extend, event_of(EventType::locked, AccessSource::auto_relock));
}

// ---- time ----------------------------------------------------------------------------------

void Lock::poll() {
  Activity activity(*this);
  if (!powered_) return;
  check_turn();
  relock_if_due();
}

UnixMs Lock::next_deadline() const {
  UnixMs next = next_battery_sample_;
  if (!powered_) return next;
  if (turning_) next = std::min(next, turn_.next_check);
  if (keypad_disabled_until_ != 0) next = std::min(next, keypad_disabled_until_);
  return std::min(next, relock_at_);
}

// ---- the radio -----------------------------------------------------------------------------

LockError Lock::check_command(const Command& cmd) {
  if (static_cast<std::uint8_t>(cmd.op) > static_cast<std::uint8_t>(CommandOp::pair)) {
    return LockError::invalid;
  }
  if (!(cmd.site == site_) || !(cmd.lock == lock_id_)) return LockError::wrong_lock;
  if (cmd.op == CommandOp::pair) {
    if (!verify_pair_command(cmd, pairing_code_key_)) return LockError::bad_signature;
  } else {
    if (!paired_) return LockError::not_paired;
    if (!verify_command(cmd, site_key_)) return LockError::bad_signature;
  }
  const UnixMs t = now();
  const bool before_pairing =
      cmd.op != CommandOp::pair && cmd.issued + kMaxClockSkewMs < paired_at_;
  if (t > cmd.expires || cmd.issued > t + kMaxClockSkewMs || cmd.expires < cmd.issued ||
      cmd.expires - cmd.issued > kMaxCommandLifetimeMs || before_pairing) {
    return LockError::expired;
  }
  switch (replay_.check(cmd.id, t)) {
    case ReplayWindow::Check::replayed:
      return LockError::replayed;
    case ReplayWindow::Check::full:
      return LockError::busy;
    case ReplayWindow::Check::fresh:
      break;
  }
  return LockError::none;
}

Result<void, LockError> Lock::on_command(const Command& cmd) {
  Activity activity(*this);
  if (!powered_) return fail(LockError::no_power);
  LockError error = check_command(cmd);
  if (error == LockError::none) {
    switch (cmd.op) {
      case CommandOp::pair:
        error = run_pair(cmd);
        break;
      case CommandOp::unlock:
      case CommandOp::lock:
        error = run_turn_command(cmd);
        break;
      case CommandOp::events_ack:
        if (cmd.upto > log_.last_seq()) {
          error = LockError::invalid;
          break;
        }
        replay_.remember(cmd.id, cmd.expires);
        log_.acknowledge(cmd.upto);
        ack(cmd.id, LockError::none);
        break;
    }
  }
  if (error == LockError::none) return {};
  ack(cmd.id, error);
  return fail(error);
}

LockError Lock::run_pair(const Command& cmd) {
  const PairArgs& args = cmd.pair;
  if (args.epoch != epoch_) return LockError::wrong_epoch;
  if (paired_) {
    // A retry of the pairing that took (its ack was lost) succeeds again; anything else waits for
    // a factory reset.
    if (sodium_memcmp(args.site_key.data(), site_key_.data(), site_key_.size()) != 0 ||
        sodium_memcmp(args.server_kx.data(), server_kx_.data(), server_kx_.size()) != 0) {
      return LockError::already_paired;
    }
    replay_.remember(cmd.id, cmd.expires);
    ack(cmd.id, LockError::none);
    return LockError::none;
  }
  if (crypto_core_ed25519_is_valid_point(args.site_key.data()) != 1) return LockError::invalid;
  auto secret = lock_offline_secret(pairing_kx_, args.server_kx);
  if (!secret) return LockError::invalid;

  replay_.remember(cmd.id, cmd.expires);
  paired_ = true;
  paired_at_ = now();
  site_key_ = args.site_key;
  server_kx_ = args.server_kx;
  offline_secret_ = *secret;
  state_dirty_ = true;
  Event e = event_of(EventType::paired, AccessSource::remote);
  e.value = epoch_;
  record(e);
  ack(cmd.id, LockError::none);
  return LockError::none;
}

LockError Lock::run_turn_command(const Command& cmd) {
  if (turning_) return LockError::busy;
  replay_.remember(cmd.id, cmd.expires);
  const bool unlock = cmd.op == CommandOp::unlock;
  if (bolt_ == (unlock ? BoltState::unlocked : BoltState::locked)) {
    ack(cmd.id, LockError::none);  // already there: nothing to turn
    return LockError::none;
  }
  start_turn(unlock ? MotorDrive::retract : MotorDrive::extend,
             event_of(unlock ? EventType::unlocked : EventType::locked, AccessSource::remote));
  turn_.command = cmd.id;
  turn_.has_command = true;
  return LockError::none;
}

Result<void, LockError> Lock::on_desired(const DesiredShadow& desired) {
  Activity activity(*this);
  if (!powered_) return fail(LockError::no_power);
  if (!paired_) return fail(LockError::not_paired);
  if (!(desired.site == site_) || !(desired.lock == lock_id_)) return fail(LockError::wrong_lock);
  if (!verify_shadow(desired, site_key_)) return fail(LockError::bad_signature);
  if (desired.epoch != epoch_) return fail(LockError::wrong_epoch);
  if (desired.version <= reported_.version) return fail(LockError::stale_version);
  if (!settings_valid(desired.settings)) return fail(LockError::invalid);

  reported_.slots.clear();
  table_.apply({desired.credentials.begin(), desired.credentials.size()}, reported_.slots,
               battery_pct_ < kCodeWriteMinPct ? CredentialTable::Power::too_low
                                               : CredentialTable::Power::enough);
  settings_ = desired.settings;
  if (settings_.auto_relock_s == 0) relock_at_ = kNever;
  revoked_ = desired.revoked_keys;
  reported_.version = desired.version;
  reported_.epoch = epoch_;
  reported_.credential_digest = table_.digest();
  hw_.send_reported(reported_);
  return {};
}

void Lock::on_radio_connected() {
  Activity activity(*this);
  if (!powered_) return;
  state_dirty_ = false;
  hw_.send_state(state());
  for (const Event& e : log_.events()) {
    if (!hw_.send_event(e)) return;
  }
  while (!unsent_acks_.empty() && hw_.send_ack(unsent_acks_[0]))
    unsent_acks_.erase_at(0);
  hw_.send_reported(reported_);
}

// ---- lifecycle -----------------------------------------------------------------------------

Result<void, LockError> Lock::factory_reset() {
  Activity activity(*this);
  if (!powered_) return fail(LockError::no_power);
  epoch_ = fresh_epoch(random_, epoch_);
  paired_ = false;
  sodium_memzero(pairing_kx_.secret_key.data(), pairing_kx_.secret_key.size());
  pairing_kx_ = make_kx_keypair(random_);
  site_key_ = {};
  server_kx_ = {};
  sodium_memzero(offline_secret_.data(), offline_secret_.size());
  table_.clear();
  settings_ = Settings{};
  revoked_.clear();
  reported_ = ReportedShadow{};
  reported_.epoch = epoch_;
  reported_.credential_digest = table_.digest();
  replay_.clear();
  unsent_acks_.clear();
  wrong_codes_ = 0;
  keypad_disabled_until_ = 0;
  nonce_expires_ = 0;
  relock_at_ = kNever;
  state_dirty_ = true;
  Event e = event_of(EventType::factory_reset);
  e.value = epoch_;
  record(e);
  return {};
}

void Lock::set_firmware(const FirmwareVersion& version) {
  Activity activity(*this);
  firmware_ = version;
  state_dirty_ = true;
}

}  // namespace lockcore
