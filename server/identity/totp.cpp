#include "server/identity/totp.hpp"

#include <array>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <sodium.h>

namespace server::identity::totp {

namespace {

std::string percent_encode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    const bool unreserved = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                            (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~';
    if (unreserved) {
      out += ch;
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    }
  }
  return out;
}

}  // namespace

std::int64_t step_at(lockcore::UnixMs at) {
  // Floor division: a time before the epoch is in a negative step, not step 0.
  return at >= 0 ? at / kStepMs : -((-at + kStepMs - 1) / kStepMs);
}

std::string code(std::span<const std::uint8_t> secret, std::int64_t step, int digits) {
  std::array<std::uint8_t, 8> counter{};
  auto value = static_cast<std::uint64_t>(step);
  for (int i = 7; i >= 0; --i) {
    counter[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(value & 0xFF);
    value >>= 8;
  }
  std::array<std::uint8_t, EVP_MAX_MD_SIZE> mac{};
  unsigned int mac_length = 0;
  if (HMAC(EVP_sha1(), secret.data(), static_cast<int>(secret.size()), counter.data(),
           counter.size(), mac.data(), &mac_length) == nullptr ||
      mac_length != 20) {
    return {};
  }
  // RFC 4226 5.3 dynamic truncation.
  const std::size_t offset = mac[19] & 0x0F;
  const std::uint32_t binary = (static_cast<std::uint32_t>(mac[offset] & 0x7F) << 24) |
                               (static_cast<std::uint32_t>(mac[offset + 1]) << 16) |
                               (static_cast<std::uint32_t>(mac[offset + 2]) << 8) |
                               static_cast<std::uint32_t>(mac[offset + 3]);
  std::uint32_t modulus = 1;
  for (int i = 0; i < digits; ++i)
    modulus *= 10;
  std::string out = std::to_string(binary % modulus);
  return std::string(static_cast<std::size_t>(digits) - out.size(), '0') + out;
}

std::optional<std::int64_t> match(std::span<const std::uint8_t> secret, std::string_view candidate,
                                  lockcore::UnixMs now, std::int64_t last_used) {
  if (candidate.size() != static_cast<std::size_t>(kDigits)) return std::nullopt;
  for (char c : candidate) {
    if (c < '0' || c > '9') return std::nullopt;
  }
  const std::int64_t current = step_at(now);
  // Every candidate step is computed and compared in constant time, so the time taken does not
  // say which step (if any) matched.
  std::optional<std::int64_t> found;
  for (std::int64_t step : {current, current - kToleranceSteps, current + kToleranceSteps}) {
    const std::string expected = code(secret, step);
    const bool same = expected.size() == candidate.size() &&
                      sodium_memcmp(expected.data(), candidate.data(), expected.size()) == 0;
    if (same && step > last_used && !found) found = step;
  }
  return found;
}

std::string base32(std::span<const std::uint8_t> bytes) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  std::string out;
  std::uint32_t buffer = 0;
  int bits = 0;
  for (std::uint8_t b : bytes) {
    buffer = (buffer << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += kAlphabet[(buffer >> (bits - 5)) & 0x1F];
      bits -= 5;
    }
  }
  if (bits > 0) out += kAlphabet[(buffer << (5 - bits)) & 0x1F];
  return out;
}

std::optional<std::vector<std::uint8_t>> from_base32(std::string_view text) {
  std::vector<std::uint8_t> out;
  std::uint32_t buffer = 0;
  int bits = 0;
  for (char c : text) {
    std::uint32_t value = 0;
    if (c >= 'A' && c <= 'Z')
      value = static_cast<std::uint32_t>(c - 'A');
    else if (c >= '2' && c <= '7')
      value = static_cast<std::uint32_t>(c - '2' + 26);
    else
      return std::nullopt;
    buffer = (buffer << 5) | value;
    bits += 5;
    if (bits >= 8) {
      out.push_back(static_cast<std::uint8_t>((buffer >> (bits - 8)) & 0xFF));
      bits -= 8;
    }
  }
  if (bits >= 5 || (buffer & ((1u << bits) - 1)) != 0) return std::nullopt;
  return out;
}

std::string otpauth_uri(std::string_view issuer, std::string_view account,
                        std::span<const std::uint8_t> secret) {
  return "otpauth://totp/" + percent_encode(issuer) + ":" + percent_encode(account) +
         "?secret=" + base32(secret) + "&issuer=" + percent_encode(issuer) +
         "&algorithm=SHA1&digits=" + std::to_string(kDigits) +
         "&period=" + std::to_string(kStepMs / 1000);
}

}  // namespace server::identity::totp
