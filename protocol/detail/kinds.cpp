#include "protocol/detail/kinds.hpp"

#include <cmath>
#include <string>

namespace protocol::detail {
namespace {

constexpr std::string_view kDayNames[] = {"mo", "tu", "we", "th", "fr", "sa", "su"};
constexpr char kHexDigits[] = "0123456789abcdef";

Refusal refusal(DecodeErrorCode code, std::string what) {
  return {code, std::move(what), ""};
}

std::string one_of(std::span<const std::string_view> names) {
  std::string text = "must be one of ";
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0) text += ", ";
    text.append(names[i]);
  }
  return text;
}

// Refuses anything but a string; `text` views the JSON value's own characters.
Check read_string(const json::value& v, std::string_view& text) {
  if (!v.is_string()) return refusal(DecodeErrorCode::wrong_type, "must be a string");
  text = std::string_view(v.get_string().data(), v.get_string().size());
  return std::nullopt;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

bool is_firmware_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_digit(c) || c == '.' || c == '_' ||
         c == '+' || c == '-';
}

}  // namespace

Check read_integer(const json::value& v, std::int64_t min, std::uint64_t max, std::uint64_t& bits) {
  auto range = [&](DecodeErrorCode code) {
    return refusal(code,
                   "must be an integer in " + std::to_string(min) + ".." + std::to_string(max));
  };
  if (v.is_int64()) {
    std::int64_t i = v.get_int64();
    if (i < min || (i > 0 && static_cast<std::uint64_t>(i) > max)) {
      return range(DecodeErrorCode::out_of_range);
    }
    bits = static_cast<std::uint64_t>(i);
    return std::nullopt;
  }
  if (v.is_uint64()) {  // the parser makes uint64 only of integers above INT64_MAX
    std::uint64_t u = v.get_uint64();
    if (u > max) return range(DecodeErrorCode::out_of_range);
    bits = u;
    return std::nullopt;
  }
  if (v.is_double()) {
    // An integer literal too large for 64 bits arrives as a double; anything else written with a
    // fraction or an exponent is not an integer.
    double d = v.get_double();
    bool huge_integer = std::isfinite(d) && std::fabs(d) >= 9223372036854775808.0;
    return range(huge_integer ? DecodeErrorCode::out_of_range : DecodeErrorCode::wrong_type);
  }
  return range(DecodeErrorCode::wrong_type);
}

Check Version::read(const json::value& v, int& out) const {
  if (!v.is_int64() && !v.is_uint64()) {
    return refusal(DecodeErrorCode::wrong_type, "must be the integer 1");
  }
  if (!v.is_int64() || v.get_int64() != 1) {
    return refusal(DecodeErrorCode::unsupported_version, "must be 1: this decoder speaks v1 only");
  }
  out = 1;
  return std::nullopt;
}

Check Bool::read(const json::value& v, bool& out) const {
  if (!v.is_bool()) return refusal(DecodeErrorCode::wrong_type, "must be true or false");
  out = v.get_bool();
  return std::nullopt;
}

Check Words::read(const json::value& v, bool& out) const {
  std::size_t index = 0;
  const std::string_view names[] = {when_false, when_true};
  Check refused = read_name(v, names, index);
  if (!refused) out = index == 1;
  return refused;
}

Check read_name(const json::value& v, std::span<const std::string_view> names, std::size_t& index) {
  std::string_view text;
  if (Check refused = read_string(v, text)) return refused;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (names[i] == text) {
      index = i;
      return std::nullopt;
    }
  }
  return refusal(DecodeErrorCode::bad_enum, one_of(names));
}

void write_hex(Writer& w, std::span<const std::uint8_t> bytes) {
  std::string text;
  text.reserve(bytes.size() * 2);
  for (std::uint8_t b : bytes) {
    text += kHexDigits[b >> 4];
    text += kHexDigits[b & 0x0f];
  }
  w.string(text);
}

Check read_hex(const json::value& v, std::span<std::uint8_t> out) {
  std::string_view text;
  if (Check refused = read_string(v, text)) return refused;
  bool ok = text.size() == out.size() * 2;
  for (std::size_t i = 0; ok && i < out.size(); ++i) {
    int hi = hex_value(text[2 * i]);
    int lo = hex_value(text[2 * i + 1]);
    ok = hi >= 0 && lo >= 0;
    if (ok) out[i] = static_cast<std::uint8_t>(hi << 4 | lo);
  }
  if (ok) return std::nullopt;
  return refusal(DecodeErrorCode::bad_hex,
                 "must be " + std::to_string(out.size() * 2) + " lowercase hex digits");
}

Check Id::read(const json::value& v, lockcore::DeviceId& out) const {
  std::string_view text;
  if (Check refused = read_string(v, text)) return refused;
  if (!lockcore::is_valid_id(text)) {
    return refusal(DecodeErrorCode::bad_id, "must be 1–32 characters of [A-Za-z0-9._-]");
  }
  out = lockcore::DeviceId::from(text);
  return std::nullopt;
}

Check Firmware::read(const json::value& v, lockcore::FirmwareVersion& out) const {
  std::string_view text;
  if (Check refused = read_string(v, text)) return refused;
  bool ok = !text.empty() && text.size() <= lockcore::FirmwareVersion::capacity();
  for (char c : text)
    ok = ok && is_firmware_char(c);
  if (!ok) return refusal(DecodeErrorCode::bad_text, "must be 1–16 characters of [A-Za-z0-9._+-]");
  out = lockcore::FirmwareVersion::from(text);
  return std::nullopt;
}

Check PinDigits::read(const json::value& v, lockcore::Pin& out) const {
  std::string_view text;
  if (Check refused = read_string(v, text)) return refused;
  if (!lockcore::Pin::parse(text, out)) {
    return refusal(DecodeErrorCode::bad_pin, "must be 4–8 digits");
  }
  return std::nullopt;
}

void ClockTime::write(Writer& w, std::uint16_t minutes) const {
  unsigned h = minutes / 60u, m = minutes % 60u;
  char text[] = {static_cast<char>('0' + h / 10 % 10), static_cast<char>('0' + h % 10), ':',
                 static_cast<char>('0' + m / 10), static_cast<char>('0' + m % 10)};
  w.string(std::string_view(text, sizeof text));
}

Check ClockTime::read(const json::value& v, std::uint16_t& out) const {
  std::string_view t;
  if (Check refused = read_string(v, t)) return refused;
  bool shape = t.size() == 5 && is_digit(t[0]) && is_digit(t[1]) && t[2] == ':' && is_digit(t[3]) &&
               is_digit(t[4]);
  int hours = shape ? (t[0] - '0') * 10 + (t[1] - '0') : 0;
  int minutes = shape ? (t[3] - '0') * 10 + (t[4] - '0') : 0;
  int total = hours * 60 + minutes;
  if (!shape || minutes > 59 || total > max_minutes) {
    unsigned last = max_minutes;
    std::string latest =
        std::to_string(last / 60) + ":" + (last % 60 < 10 ? "0" : "") + std::to_string(last % 60);
    return refusal(DecodeErrorCode::bad_time, "must be a time HH:MM from 00:00 to " + latest);
  }
  out = static_cast<std::uint16_t>(total);
  return std::nullopt;
}

void Days::write(Writer& w, std::uint8_t mask) const {
  w.begin_array();
  for (std::size_t day = 0; day < std::size(kDayNames); ++day) {
    if (mask & (1u << day)) w.string(kDayNames[day]);
  }
  w.end_array();
}

Check Days::read(const json::value& v, std::uint8_t& out) const {
  constexpr std::string_view kRule = "must list 1 to 7 distinct days";
  if (!v.is_array()) return refusal(DecodeErrorCode::wrong_type, "must be an array of days");
  const json::array& days = v.get_array();
  if (days.empty()) return refusal(DecodeErrorCode::out_of_range, std::string(kRule));
  if (days.size() > std::size(kDayNames)) {
    return refusal(DecodeErrorCode::too_many_items, std::string(kRule));
  }
  std::uint8_t mask = 0;
  for (std::size_t i = 0; i < days.size(); ++i) {
    std::size_t day = 0;
    if (Check refused = read_name(days[i], kDayNames, day)) {
      refused->at = path_index("", i);
      return refused;
    }
    if (mask & (1u << day)) {
      return Refusal{DecodeErrorCode::duplicate_item, "repeats a day", path_index("", i)};
    }
    mask = static_cast<std::uint8_t>(mask | (1u << day));
  }
  out = mask;
  return std::nullopt;
}

}  // namespace protocol::detail
