#include "server/lockout/diagnosis/facts.hpp"

namespace server::lockout {

namespace {

bool current(const Code& c) {
  return c.window == Validity::current;
}

}  // namespace

Facts::Facts(const Snapshot& snapshot) : s(snapshot), standing(standing_of(snapshot)) {
  const LockFacts& l = s.lock;
  if (!l.exists) return;
  fresh = l.online || s.now - l.last_seen <= kFreshMs;
  hub_down = l.link == Link::hub && !l.hub_online;
  reachable = l.link != Link::none && l.online && !hub_down;
  battery_dead = l.battery_pct == 0;
  jammed = l.bolt == lockcore::BoltState::jammed;
  has_keypad = l.keypad != lockcore::KeypadState::absent;
  keypad_fault = l.keypad == lockcore::KeypadState::fault;
  if (has_keypad && l.keypad_disabled_until > s.now) {
    keypad_cooling = true;
    cooldown_s = static_cast<std::uint32_t>((l.keypad_disabled_until - s.now + 999) / 1000);
  }
  bolt_can_move = !battery_dead && !jammed && !l.motor_fault;
  state_lost = l.epoch_changed || !l.paired;
  keypad_takes_codes = has_keypad && !keypad_fault && bolt_can_move;
  offline_pins = !state_lost;

  for (const Code& c : s.codes) {
    const bool on_lock = c.status == CodeStatus::set && !l.epoch_changed;
    if (on_lock && current(c) && c.inside_schedule.value_or(true)) {
      if (usable_code == nullptr) usable_code = &c;
    } else if (on_lock && current(c)) {
      if (off_schedule_code == nullptr) off_schedule_code = &c;
    } else if ((c.status == CodeStatus::pending || c.status == CodeStatus::failed) && current(c)) {
      if (stuck_code == nullptr) stuck_code = &c;
    } else if (c.status == CodeStatus::removing || c.status == CodeStatus::removed) {
      if (removed_code == nullptr) removed_code = &c;
    } else if (!current(c)) {
      if (expired_code == nullptr) expired_code = &c;
    }
  }
}

}  // namespace server::lockout
