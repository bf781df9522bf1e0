#pragma once
// The lock's vocabulary: identifiers, time, keys, PINs, schedules and validity windows.
// Every message type (command, shadow, event, state) is built from these; protocol/ maps them to
// JSON and back, lockcore/ acts on them, server/ produces and consumes them.

#include <array>
#include <cstdint>
#include <string_view>

#include "lockcore/fixed.hpp"

namespace lockcore {

// Milliseconds since the Unix epoch, on the lock's real-time clock (or the virtual clock).
using UnixMs = std::int64_t;

// Site, lock and hub ids: 1–32 characters of [A-Za-z0-9._-]; they are MQTT topic levels.
constexpr std::size_t kMaxIdLength = 32;
using DeviceId = FixedString<kMaxIdLength>;
bool is_valid_id(std::string_view id);

// Firmware version text such as "2.4.1".
using FirmwareVersion = FixedString<16>;

using PublicKey = std::array<std::uint8_t, 32>;   // Ed25519 public key
using SecretKey = std::array<std::uint8_t, 64>;   // Ed25519 secret key (libsodium layout)
using Signature = std::array<std::uint8_t, 64>;   // Ed25519 detached signature
using SymmetricKey = std::array<std::uint8_t, 32>;
using Mac = std::array<std::uint8_t, 32>;         // crypto_auth (HMAC-SHA512-256) tag
using Digest = std::array<std::uint8_t, 16>;      // BLAKE2b-128
using CommandId = std::array<std::uint8_t, 16>;   // random, hex on the wire
using KeyId = std::array<std::uint8_t, 8>;        // a digital key grant's id, hex on the wire
using Nonce = std::array<std::uint8_t, 16>;       // Bluetooth challenge

// A keypad PIN: 4–8 decimal digits, stored padded so that every comparison touches 8 bytes.
constexpr std::size_t kMinPinDigits = 4;
constexpr std::size_t kMaxPinDigits = 8;
struct Pin {
  std::array<char, kMaxPinDigits> digits{};  // '0'..'9', unused tail is '\0'
  std::uint8_t length = 0;

  // Refuses anything but 4–8 ASCII digits.
  static bool parse(std::string_view text, Pin& out);
  std::string_view view() const { return {digits.data(), length}; }
  friend bool operator==(const Pin&, const Pin&) = default;
};

// A weekly schedule in the lock's local time (Settings::utc_offset_min). days_mask bit 0 is
// Monday … bit 6 Sunday; minutes are [start_min, end_min) of the day, end_min may be 1440.
// days_mask == 0 means "no schedule": always allowed.
struct WeeklySchedule {
  std::uint8_t days_mask = 0;
  std::uint16_t start_min = 0;
  std::uint16_t end_min = 0;
  friend bool operator==(const WeeklySchedule&, const WeeklySchedule&) = default;
};

// A validity window [not_before, not_after); 0 on either side means unbounded on that side.
struct Window {
  UnixMs not_before = 0;
  UnixMs not_after = 0;
  bool contains(UnixMs t) const {
    return (not_before == 0 || t >= not_before) && (not_after == 0 || t < not_after);
  }
  friend bool operator==(const Window&, const Window&) = default;
};

}  // namespace lockcore
