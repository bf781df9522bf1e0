#pragma once
// The ways through a door that a diagnosis reports on for one person: alive now or not, and why.

#include <cstdint>
#include <optional>
#include <string_view>

#include "server/lockout/diagnosis/names.hpp"

namespace server::lockout {

enum class Path : std::uint8_t {
  physical_key,  // the key in the cylinder: needs no power, no network, no account
  own_code,      // the person's own keypad code, as set on the lock
  app,           // a remote unlock from the app, through the server and the lock's hub or Wi-Fi
  bluetooth,     // the phone's digital key, checked by the lock offline
  keypad,        // the keypad would take a code issued now (a backup code)
};
inline constexpr std::size_t kPathCount = 5;

template <>
struct Names<Path> {
  static constexpr NameTable<Path, kPathCount> table{
      {"physical_key", "own_code", "app", "bluetooth", "keypad"}};
};

}  // namespace server::lockout
