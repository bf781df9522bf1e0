#include "server/notify/email_message.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <ctime>

#include <fmt/format.h>
#include <sodium.h>

namespace server::notify {

namespace {

constexpr std::size_t kBodyLine = 76;
constexpr std::size_t kLine = 78;       // RFC 5322's SHOULD for every line
constexpr std::size_t kWordBytes = 42;  // -> 56 base64 chars -> a 68-char word: fits "Subject: "

std::string base64(std::string_view bytes) {
  std::string out(sodium_base64_encoded_len(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                    bytes.size(), sodium_base64_VARIANT_ORIGINAL);
  out.resize(out.size() - 1);  // the terminating NUL
  return out;
}

bool printable_ascii(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return c >= 0x20 && c < 0x7f; });
}

std::string one_line(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c == '\r' || c == '\n' || c == '\t') c = ' ';
  }
  return out;
}

// Splits UTF-8 text into pieces of at most kWordBytes without cutting a character in two.
std::string encoded_words(std::string_view text) {
  std::string out;
  while (!text.empty()) {
    std::size_t n = std::min(kWordBytes, text.size());
    while (n < text.size() && n > 0 && (static_cast<unsigned char>(text[n]) & 0xC0) == 0x80)
      --n;
    if (n == 0) n = std::min(kWordBytes, text.size());  // not UTF-8 at all: cut anyway
    if (!out.empty()) out += "\r\n ";
    out += "=?UTF-8?B?" + base64(text.substr(0, n)) + "?=";
    text.remove_prefix(n);
  }
  return out;
}

// An unstructured header value (Subject): as is when short printable ASCII, else encoded words.
std::string header_text(std::string_view text, std::size_t room) {
  std::string line = one_line(text);
  if (printable_ascii(line) && line.size() <= room) return line;
  return encoded_words(line);
}

std::string display_name(std::string_view name) {
  std::string line = one_line(name);
  if (!printable_ascii(line)) return encoded_words(line);
  std::string quoted = "\"";
  for (char c : line) {
    if (c == '"' || c == '\\') quoted += '\\';
    quoted += c;
  }
  return quoted + "\"";
}

std::string crlf_base64_lines(std::string_view body) {
  std::string text;
  text.reserve(body.size() + body.size() / 32);
  for (std::size_t i = 0; i < body.size(); ++i) {
    if (body[i] == '\n' && (i == 0 || body[i - 1] != '\r')) text += '\r';
    text += body[i];
  }
  std::string encoded = base64(text);
  std::string out;
  for (std::size_t i = 0; i < encoded.size(); i += kBodyLine)
    out += encoded.substr(i, kBodyLine) + "\r\n";
  return out;
}

// "Name: value\r\n", folded after the colon when the line would pass kLine (a single token such
// as an address cannot be folded anywhere else).
std::string structured(std::string_view name, std::string_view value) {
  const bool fold = name.size() + 2 + value.size() > kLine;
  return std::string(name) + (fold ? ":\r\n " : ": ") + std::string(value) + "\r\n";
}

bool id_text(std::string_view id) {
  return !id.empty() && std::all_of(id.begin(), id.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '-' || c == '.';
  });
}

}  // namespace

bool plain_address(std::string_view address) {
  if (address.empty() || address.size() > 254) return false;
  std::size_t at = address.find('@');
  if (at == 0 || at == std::string_view::npos || at + 1 == address.size()) return false;
  if (address.find('@', at + 1) != std::string_view::npos) return false;
  constexpr std::string_view kForbidden = " \"<>(),;:\\[]";
  return std::all_of(address.begin(), address.end(), [&](char c) {
    auto u = static_cast<unsigned char>(c);
    return u > 0x20 && u != 0x7f && kForbidden.find(c) == std::string_view::npos;
  });
}

std::string rfc5322_date(lockcore::UnixMs ms) {
  static constexpr std::array<const char*, 7> kDays = {"Sun", "Mon", "Tue", "Wed",
                                                       "Thu", "Fri", "Sat"};
  static constexpr std::array<const char*, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  std::time_t seconds = static_cast<std::time_t>(ms >= 0 ? ms / 1000 : (ms - 999) / 1000);
  std::tm t{};
  gmtime_r(&seconds, &t);
  return fmt::format("{}, {:02} {} {:04} {:02}:{:02}:{:02} +0000", kDays[t.tm_wday], t.tm_mday,
                     kMonths[t.tm_mon], t.tm_year + 1900, t.tm_hour, t.tm_min, t.tm_sec);
}

lockcore::Result<std::string, SendError> format_email(const EmailContent& c) {
  if (!plain_address(c.from_address)) {
    return send_error(
        SendErrc::invalid_message,
        fmt::format("email: the sender \"{}\" is not a plain address", one_line(c.from_address)));
  }
  if (!plain_address(c.to_address)) {
    return send_error(SendErrc::invalid_message,
                      fmt::format("email: \"{}\" is not a plain address", one_line(c.to_address)));
  }
  if (!id_text(c.message_id)) {
    return send_error(SendErrc::invalid_message, "email: the message id is empty or not plain");
  }
  std::string_view domain = std::string_view(c.from_address).substr(c.from_address.find('@') + 1);
  std::string from = c.from_address;
  if (!c.from_name.empty()) {
    std::string name = display_name(c.from_name);
    std::size_t last = name.rfind("\r\n");
    std::size_t last_line = last == std::string::npos ? 6 + name.size() : name.size() - last - 2;
    // Fold before the address when it would not fit on the name's last line.
    const bool fold = last_line + 2 + c.from_address.size() + 1 > kLine;
    from = name + (fold ? "\r\n <" : " <") + c.from_address + ">";
  }
  std::string out;
  out += "Date: " + rfc5322_date(c.date) + "\r\n";
  out += c.from_name.empty() ? structured("From", from) : "From: " + from + "\r\n";
  out += structured("To", c.to_address);
  out += "Subject: " + header_text(c.subject, kLine - 9) + "\r\n";
  out += structured("Message-ID", fmt::format("<{}@{}>", c.message_id, domain));
  out += "Auto-Submitted: auto-generated\r\n";  // RFC 3834: no vacation replies to a lock
  out += "MIME-Version: 1.0\r\n";
  out += "Content-Type: text/plain; charset=UTF-8\r\n";
  out += "Content-Transfer-Encoding: base64\r\n";
  out += "\r\n";
  out += crlf_base64_lines(c.body);
  return out;
}

}  // namespace server::notify
