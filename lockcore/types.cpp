#include "lockcore/types.hpp"

namespace lockcore {

bool is_valid_id(std::string_view id) {
  if (id.empty() || id.size() > kMaxIdLength) return false;
  for (char c : id) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

bool Pin::parse(std::string_view text, Pin& out) {
  if (text.size() < kMinPinDigits || text.size() > kMaxPinDigits) return false;
  Pin pin;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
    pin.digits[i] = text[i];
  }
  pin.length = static_cast<std::uint8_t>(text.size());
  out = pin;
  return true;
}

}  // namespace lockcore
