#pragma once
// Field kinds: one type per kind of JSON field, each with both directions side by side —
// write(Writer&, value) and read(json, value&) -> Check (nullopt: accepted). A message description
// names the kind of every field once (schema.hpp), so encoder and decoder cannot drift apart.

#include <array>
#include <concepts>
#include <cstdint>
#include <limits>
#include <span>
#include <string_view>

#include <boost/json/value.hpp>

#include "lockcore/types.hpp"
#include "protocol/detail/reader.hpp"
#include "protocol/detail/writer.hpp"
#include "protocol/names.hpp"

namespace protocol::detail {

namespace json = boost::json;

// ---- integers ---------------------------------------------------------------------------------

// An integer in [min, max] (clamped to what the C++ type holds). Refuses non-numbers, numbers
// written with a fraction or exponent (1.5, 1e2), and integers out of range.
Check read_integer(const json::value& v, std::int64_t min, std::uint64_t max, std::uint64_t& bits);

struct Int {
  std::int64_t min = std::numeric_limits<std::int64_t>::min();
  std::uint64_t max = std::numeric_limits<std::uint64_t>::max();

  template <std::integral T>
  void write(Writer& w, T value) const {
    w.integer(value);
  }
  template <std::integral T>
  Check read(const json::value& v, T& out) const {
    std::uint64_t bits = 0;
    Check refused = read_integer(v, std::max<std::int64_t>(min, std::numeric_limits<T>::min()),
                                 std::min<std::uint64_t>(max, std::numeric_limits<T>::max()), bits);
    // In range, so the two's complement bits convert back exactly.
    if (!refused) out = static_cast<T>(static_cast<std::int64_t>(bits));
    return refused;
  }
};

inline constexpr Int kInt{};                                     // the C++ type's whole range
inline constexpr lockcore::UnixMs kMaxUnixMs = 253402300799999;  // 9999-12-31T23:59:59.999Z
inline constexpr Int kMs{0, kMaxUnixMs};

// "v": the integer 1; any other integer is unsupported_version.
struct Version {
  void write(Writer& w, int value) const { w.integer(value); }
  Check read(const json::value& v, int& out) const;
};

// ---- booleans ---------------------------------------------------------------------------------

struct Bool {
  void write(Writer& w, bool value) const { w.boolean(value); }
  Check read(const json::value& v, bool& out) const;
};

// A bool spelled as one of two words, e.g. "ok" / "error".
struct Words {
  std::string_view when_false, when_true;
  void write(Writer& w, bool value) const { w.string(value ? when_true : when_false); }
  Check read(const json::value& v, bool& out) const;
};

// ---- names ------------------------------------------------------------------------------------

// One of `names`; index receives its position.
Check read_name(const json::value& v, std::span<const std::string_view> names, std::size_t& index);

struct Enum {
  template <class E>
  void write(Writer& w, E value) const {
    w.string(wire_name(value));  // "" for a value outside the enum: the decoder refuses it
  }
  template <class E>
  Check read(const json::value& v, E& out) const {
    std::size_t index = 0;
    Check refused = read_name(v, WireNames<E>::names, index);
    if (!refused) out = static_cast<E>(index);
    return refused;
  }
};

// ---- byte strings -----------------------------------------------------------------------------

void write_hex(Writer& w, std::span<const std::uint8_t> bytes);
Check read_hex(const json::value& v, std::span<std::uint8_t> out);

// Fixed-size bytes as exactly 2N lowercase hex digits.
struct Hex {
  template <std::size_t N>
  void write(Writer& w, const std::array<std::uint8_t, N>& bytes) const {
    write_hex(w, bytes);
  }
  template <std::size_t N>
  Check read(const json::value& v, std::array<std::uint8_t, N>& out) const {
    return read_hex(v, out);
  }
};

// ---- text -------------------------------------------------------------------------------------

// A site, lock or hub id (lockcore::is_valid_id).
struct Id {
  void write(Writer& w, const lockcore::DeviceId& id) const { w.string(id.view()); }
  Check read(const json::value& v, lockcore::DeviceId& out) const;
};

// Firmware version: 1–16 characters of [A-Za-z0-9._+-].
struct Firmware {
  void write(Writer& w, const lockcore::FirmwareVersion& f) const { w.string(f.view()); }
  Check read(const json::value& v, lockcore::FirmwareVersion& out) const;
};

struct PinDigits {
  void write(Writer& w, const lockcore::Pin& pin) const { w.string(pin.view()); }
  Check read(const json::value& v, lockcore::Pin& out) const;
};

// Minutes of the day as "HH:MM", from 00:00 up to `max_minutes` (1439, or 1440 for an end).
struct ClockTime {
  std::uint16_t max_minutes;
  void write(Writer& w, std::uint16_t minutes) const;
  Check read(const json::value& v, std::uint16_t& out) const;
};

// A weekly schedule's days_mask as a list of 1–7 distinct day names, "mo" (bit 0) .. "su" (bit 6).
struct Days {
  void write(Writer& w, std::uint8_t mask) const;
  Check read(const json::value& v, std::uint8_t& out) const;
};

}  // namespace protocol::detail
