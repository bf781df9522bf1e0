#include "server/identity/contact.hpp"

#include <algorithm>
#include <cstdint>

namespace server::identity {

namespace {

bool ascii_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// RFC 5322 atext.
bool atext(char c) {
  static constexpr std::string_view kSpecials = "!#$%&'*+-/=?^_`{|}~";
  return ascii_alnum(c) || kSpecials.find(c) != std::string_view::npos;
}

bool valid_local_part(std::string_view local) {
  if (local.empty() || local.size() > 64 || local.front() == '.' || local.back() == '.')
    return false;
  for (std::size_t i = 0; i < local.size(); ++i) {
    if (local[i] == '.') {
      if (local[i - 1] == '.') return false;
    } else if (!atext(local[i])) {
      return false;
    }
  }
  return true;
}

bool valid_domain(std::string_view domain) {
  std::size_t labels = 0;
  while (true) {
    std::size_t dot = domain.find('.');
    std::string_view label = domain.substr(0, dot);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-')
      return false;
    if (!std::all_of(label.begin(), label.end(), [](char c) { return ascii_alnum(c) || c == '-'; }))
      return false;
    ++labels;
    if (dot == std::string_view::npos) break;
    domain.remove_prefix(dot + 1);
  }
  return labels >= 2;
}

}  // namespace

Status check_email(std::string_view email, std::string_view field) {
  if (email.empty()) return fail(Error::missing_field(field));
  std::size_t at = email.rfind('@');
  if (email.size() > kMaxEmailLength || at == std::string_view::npos ||
      !valid_local_part(email.substr(0, at)) || !valid_domain(email.substr(at + 1))) {
    return fail(Error::invalid_field(field, "must be an email address such as ana@example.com"));
  }
  return {};
}

std::string email_key(std::string_view email) {
  std::string out(email);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

Status check_phone(std::string_view phone, std::string_view field) {
  if (phone.empty()) return fail(Error::missing_field(field));
  std::string_view digits = phone.substr(1);
  if (phone.front() != '+' || digits.size() < 7 || digits.size() > 15 || digits.front() == '0' ||
      !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return fail(Error::invalid_field(field, "must be an E.164 phone number such as +15555550100"));
  }
  return {};
}

bool printable_utf8(std::string_view text, std::size_t* count) {
  std::size_t points = 0;
  std::size_t i = 0;
  while (i < text.size()) {
    const auto lead = static_cast<std::uint8_t>(text[i]);
    std::size_t length = 0;
    std::uint32_t cp = 0;
    if (lead < 0x80) {
      length = 1;
      cp = lead;
    } else if ((lead & 0xE0) == 0xC0) {
      length = 2;
      cp = lead & 0x1F;
    } else if ((lead & 0xF0) == 0xE0) {
      length = 3;
      cp = lead & 0x0F;
    } else if ((lead & 0xF8) == 0xF0) {
      length = 4;
      cp = lead & 0x07;
    } else {
      return false;
    }
    if (i + length > text.size()) return false;
    for (std::size_t k = 1; k < length; ++k) {
      const auto next = static_cast<std::uint8_t>(text[i + k]);
      if ((next & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (next & 0x3F);
    }
    static constexpr std::uint32_t kMinForLength[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kMinForLength[length] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
      return false;  // overlong, out of range, or a surrogate
    if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0)) return false;  // C0, DEL, C1
    i += length;
    ++points;
  }
  if (count != nullptr) *count = points;
  return true;
}

Status check_display_name(std::string_view name, std::string_view field) {
  if (name.size() > kMaxDisplayNameLength || !printable_utf8(name)) {
    return fail(Error::invalid_field(
        field,
        "must be at most " + std::to_string(kMaxDisplayNameLength) + " bytes of printable text"));
  }
  return {};
}

}  // namespace server::identity
