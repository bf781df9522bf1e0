#pragma once
// What a person can tell the "I'm locked out" wizard: its answers, by their stable ids
// (shared/scenarios/README.md), and each one's plain-language label for evidence lines.

#include <cstdint>
#include <optional>
#include <string_view>

#include "server/lockout/diagnosis/enum_set.hpp"
#include "server/lockout/diagnosis/names.hpp"

namespace server::lockout {

enum class Symptom : std::uint8_t {
  cannot_sign_in,
  lock_offline_in_app,
  lock_missing_in_app,
  pairing_fails,
  can_view_cannot_unlock,
  code_rejected,
  keypad_x_pattern,
  keypad_dark,
  unusual_beep,
  motor_runs_bolt_stuck,
  key_wont_turn,
  no_response,
};
inline constexpr std::size_t kSymptomCount = 12;

using SymptomSet = EnumSet<Symptom, kSymptomCount>;

template <>
struct Names<Symptom> {
  static constexpr NameTable<Symptom, kSymptomCount> table{{
      "cannot_sign_in",
      "lock_offline_in_app",
      "lock_missing_in_app",
      "pairing_fails",
      "can_view_cannot_unlock",
      "code_rejected",
      "keypad_x_pattern",
      "keypad_dark",
      "unusual_beep",
      "motor_runs_bolt_stuck",
      "key_wont_turn",
      "no_response",
  }};
};

// "the keypad shows an X": how an evidence line quotes the answer back.
std::string_view label(Symptom symptom);

}  // namespace server::lockout
