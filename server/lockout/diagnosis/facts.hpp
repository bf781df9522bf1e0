#pragma once
// The conditions every rule of the engine reads, derived once per diagnosis from the snapshot:
// is the telemetry fresh, can a command reach the lock, can the bolt move, which of the person's
// codes would work. Internal to the engine.

#include <cstdint>

#include "server/lockout/diagnosis/eligibility.hpp"
#include "server/lockout/diagnosis/snapshot.hpp"

namespace server::lockout {

inline constexpr UnixMs kMinuteMs = 60'000;
inline constexpr UnixMs kHourMs = 60 * kMinuteMs;
inline constexpr UnixMs kDayMs = 24 * kHourMs;
// A report this old is still the lock's present state.
inline constexpr UnixMs kFreshMs = 15 * kMinuteMs;
// A sign-in wait shorter than this is a pause between tries, not a locked account.
inline constexpr UnixMs kSignInHoldMs = kMinuteMs;
// Desired and reported credentials may differ this long while a change travels.
inline constexpr UnixMs kShadowSlowMs = 30 * kMinuteMs;
// ... and after this long, resyncing has been tried and has not helped.
inline constexpr UnixMs kShadowStuckMs = kDayMs;
// A hub down this long needs someone on site.
inline constexpr UnixMs kHubLongDownMs = 30 * kMinuteMs;
// Two jams within a week are a door that needs adjusting, not bad luck.
inline constexpr std::uint16_t kRepeatedJams = 2;
inline constexpr std::uint8_t kBatteryLowPct = 20;  // the lock's own battery_low threshold

struct Facts {
  explicit Facts(const Snapshot& snapshot);

  const Snapshot& s;
  Standing standing;

  bool fresh = false;         // the lock's last report describes it now
  bool hub_down = false;      // the lock's hub is offline
  bool reachable = false;     // a command from the server reaches the lock now
  bool battery_dead = false;  // the last report said 0 %
  bool jammed = false;        // the last report said the bolt is jammed
  bool has_keypad = false;
  bool keypad_fault = false;
  bool keypad_cooling = false;  // disabled after the wrong-code limit, for cooldown_s more
  std::uint32_t cooldown_s = 0;
  bool bolt_can_move = false;  // power, no jam, no motor fault: an electronic credential can open
  bool keypad_takes_codes = false;  // a keypad code would open, once any cooldown ends
  bool state_lost = false;    // factory reset not re-enrolled, or not paired: holds nothing of ours
  bool offline_pins = false;  // time-bound PINs derivable offline (paired, same epoch)
  const Code* usable_code = nullptr;        // set, inside its window and schedule
  const Code* stuck_code = nullptr;         // pending or failed, inside its window
  const Code* expired_code = nullptr;       // outside its window
  const Code* off_schedule_code = nullptr;  // set and current, outside its schedule
  const Code* removed_code = nullptr;       // removing or removed
};

}  // namespace server::lockout
