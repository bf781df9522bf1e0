#include "server/lockout/diagnosis/paths.hpp"

namespace server::lockout {

namespace {

PathStatus dead(Path path, std::string_view why) {
  return {path, false, false, why};
}
PathStatus alive(Path path, std::string_view why) {
  return {path, true, false, why};
}

// Why the door will not open for this person by any path, if that is so.
const char* no_rights(const Facts& f) {
  if (!f.s.lock.exists) return "there is no such door";
  if (!f.standing.door_rights_now) return "your access does not let you open this door now";
  return nullptr;
}

// Why the motor cannot turn the bolt, if that is so (electronic paths only).
const char* bolt_stuck(const Facts& f) {
  if (f.battery_dead) return "the lock's battery is empty: it does nothing until powered";
  if (f.jammed) return "the bolt is jammed against the strike: the door needs realigning";
  if (f.s.lock.motor_fault) return "the motor has a fault: the bolt cannot turn electrically";
  return nullptr;
}

PathStatus physical_key(const Facts& f) {
  const Path p = Path::physical_key;
  if (const char* why = no_rights(f)) return dead(p, why);
  if (!f.s.lock.has_keyway) return dead(p, "this lock has no keyway");
  if (!f.s.person.carries_physical_key) return dead(p, "you do not carry a key for this door");
  if (f.jammed) return dead(p, "the bolt is jammed: push or pull the door while turning the key");
  if (f.s.report.symptoms.has(Symptom::key_wont_turn))
    return dead(p, "you reported that the key will not turn");
  return alive(p, "your key turns the bolt by hand: no power, network or account needed");
}

// The keypad, for any code: its own faults and the bolt's.
const char* keypad_dead(const Facts& f) {
  if (!f.has_keypad) return "this lock has no keypad";
  if (f.battery_dead) return "the lock's battery is empty: the keypad is dark";
  if (f.keypad_fault) return "the keypad has a fault";
  if (f.jammed) return "the bolt is jammed: codes are fine, the door needs realigning";
  if (f.s.lock.motor_fault) return "the motor has a fault: a code cannot turn the bolt";
  return nullptr;
}

PathStatus own_code(const Facts& f) {
  const Path p = Path::own_code;
  if (const char* why = no_rights(f)) return dead(p, why);
  if (const char* why = keypad_dead(f)) return dead(p, why);
  if (f.usable_code == nullptr) {
    if (f.s.lock.epoch_changed && !f.s.codes.empty())
      return dead(p, "the lock was factory reset and holds no codes");
    if (f.off_schedule_code != nullptr) return dead(p, "your code is outside its schedule now");
    if (f.stuck_code != nullptr) return dead(p, "your code is not on the lock yet");
    if (f.expired_code != nullptr) return dead(p, "your code is outside its validity window");
    if (f.removed_code != nullptr) return dead(p, "your code was removed from the lock");
    return dead(p, "you have no code on this lock");
  }
  if (f.keypad_cooling)
    return {p, false, true,
            "the keypad is disabled after too many wrong codes; your code works "
            "again after the cooldown"};
  return alive(p, "your code is set on the lock and valid now");
}

// What the app on the reporting phone needs of the person's account.
const char* phone_unusable(const Facts& f) {
  if (!f.standing.verified) return "you are not verified: the app needs you signed in";
  // Verified out of band (a call to staff), with no phone in the report and no session: no app.
  if (!f.s.report.phone.present && f.s.person.session_valid != true)
    return "no phone with the app signed in is part of this report";
  if (f.s.person.session_valid == false || f.s.report.phone.signed_in == false)
    return "the app is signed out";
  if (f.s.person.device_enrolled == false || f.s.report.phone.enrolled == false)
    return "this phone is not enrolled";
  return nullptr;
}

PathStatus app(const Facts& f) {
  const Path p = Path::app;
  const LockFacts& l = f.s.lock;
  if (const char* why = no_rights(f)) return dead(p, why);
  if (const char* why = phone_unusable(f)) return dead(p, why);
  if (l.link == Link::none) return dead(p, "the lock has no hub or Wi-Fi: the app cannot reach it");
  if (f.hub_down) return dead(p, "the lock's hub is offline");
  if (!l.online) return dead(p, "the lock is offline");
  if (f.state_lost) return dead(p, "the lock is not enrolled with this site since its reset");
  if (const char* why = bolt_stuck(f)) return dead(p, why);
  return alive(p, "the server reaches the lock now");
}

PathStatus bluetooth(const Facts& f) {
  const Path p = Path::bluetooth;
  const LockFacts& l = f.s.lock;
  if (const char* why = no_rights(f)) return dead(p, why);
  if (!l.has_bluetooth) return dead(p, "this lock has no Bluetooth");
  if (const char* why = phone_unusable(f)) return dead(p, why);
  if (f.s.report.phone.bluetooth_allowed == false)
    return dead(p, "Bluetooth permission is off for the app");
  if (l.firmware_compat == FirmwareCompat::app_too_old ||
      l.firmware_compat == FirmwareCompat::firmware_too_old)
    return dead(p, "the lock's firmware and the app do not speak the same protocol");
  if (f.state_lost) return dead(p, "the lock was reset: digital keys issued before it do not work");
  if (const char* why = bolt_stuck(f)) return dead(p, why);
  return alive(p, "the phone's digital key opens the lock at the door, without a network");
}

PathStatus keypad(const Facts& f) {
  const Path p = Path::keypad;
  if (const char* why = no_rights(f)) return dead(p, why);
  if (const char* why = keypad_dead(f)) return dead(p, why);
  if (f.keypad_cooling)
    return {p, false, true, "the keypad is disabled after too many wrong codes, for a minute"};
  return alive(p, "the keypad takes codes now");
}

}  // namespace

void find_paths(const Facts& f, Diagnosis& d) {
  d.paths = {physical_key(f), own_code(f), app(f), bluetooth(f), keypad(f)};
}

}  // namespace server::lockout
