#include "server/lockout/diagnosis/symptom.hpp"

namespace server::lockout {

namespace {

constexpr std::array<std::string_view, kSymptomCount> kLabels = {
    "cannot sign in",
    "the app shows the lock offline",
    "the lock is missing from the app",
    "pairing fails",
    "the app shows the lock but will not unlock it",
    "the keypad rejects the code",
    "the keypad shows an X",
    "the keypad stays dark",
    "an unusual beep",
    "the motor runs but the bolt is stuck",
    "the key will not turn",
    "the lock does not respond",
};

}  // namespace

std::string_view label(Symptom symptom) {
  return kLabels[static_cast<std::size_t>(symptom)];
}

}  // namespace server::lockout
