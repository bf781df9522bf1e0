#include "server/notify/webhook_signature.hpp"

#include <array>
#include <charconv>
#include <cstdlib>
#include <optional>
#include <vector>

#include <fmt/format.h>
#include <sodium.h>

namespace server::notify {

namespace {

using Mac = std::array<unsigned char, crypto_auth_hmacsha256_BYTES>;

Mac hmac(std::string_view secret, std::int64_t unix_seconds, std::string_view body) {
  if (sodium_init() < 0) std::abort();  // no randomness or CPU support: nothing can be signed
  const std::string prefix = std::to_string(unix_seconds) + ".";
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, reinterpret_cast<const unsigned char*>(secret.data()),
                              secret.size());
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(prefix.data()),
                                prefix.size());
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(body.data()),
                                body.size());
  Mac mac{};
  crypto_auth_hmacsha256_final(&state, mac.data());
  sodium_memzero(&state, sizeof state);
  return mac;
}

lockcore::Failure<SignatureError> reject(SignatureErrc code, std::string message) {
  return lockcore::fail(SignatureError{code, std::move(message)});
}

}  // namespace

std::string sign_webhook(std::string_view secret, std::int64_t unix_seconds,
                         std::string_view body) {
  Mac mac = hmac(secret, unix_seconds, body);
  std::array<char, crypto_auth_hmacsha256_BYTES * 2 + 1> hex{};
  sodium_bin2hex(hex.data(), hex.size(), mac.data(), mac.size());
  return fmt::format("t={},v1={}", unix_seconds, hex.data());
}

lockcore::Result<void, SignatureError> verify_webhook(std::string_view header,
                                                      std::string_view body,
                                                      std::string_view secret,
                                                      std::int64_t now_unix_seconds,
                                                      std::int64_t tolerance_s) {
  std::optional<std::int64_t> t;
  std::vector<Mac> candidates;
  while (!header.empty()) {
    std::size_t comma = header.find(',');
    std::string_view item = header.substr(0, comma);
    header.remove_prefix(comma == std::string_view::npos ? header.size() : comma + 1);
    std::size_t eq = item.find('=');
    if (eq == std::string_view::npos) continue;
    std::string_view key = item.substr(0, eq);
    std::string_view value = item.substr(eq + 1);
    if (key == "t") {
      std::int64_t seconds = 0;
      auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), seconds);
      if (t || ec != std::errc() || end != value.data() + value.size() || value.empty() ||
          value[0] == '-' || value[0] == '+') {
        return reject(SignatureErrc::malformed, "the timestamp is missing, repeated or not digits");
      }
      t = seconds;
    } else if (key == "v1") {
      Mac mac{};
      std::size_t length = 0;
      if (value.size() == mac.size() * 2 &&
          sodium_hex2bin(mac.data(), mac.size(), value.data(), value.size(), nullptr, &length,
                         nullptr) == 0 &&
          length == mac.size()) {
        candidates.push_back(mac);
      }
    }
  }
  if (!t) return reject(SignatureErrc::malformed, "no t= timestamp");
  if (candidates.empty()) return reject(SignatureErrc::malformed, "no well-formed v1= signature");
  if (*t < now_unix_seconds - tolerance_s || *t > now_unix_seconds + tolerance_s) {
    return reject(SignatureErrc::stale, fmt::format("signed at {}, now is {}: more than {} s apart",
                                                    *t, now_unix_seconds, tolerance_s));
  }
  const Mac expected = hmac(secret, *t, body);
  bool match = false;
  for (const Mac& candidate : candidates)
    match |= sodium_memcmp(candidate.data(), expected.data(), expected.size()) == 0;
  if (!match) return reject(SignatureErrc::mismatch, "the signature does not match the body");
  return {};
}

}  // namespace server::notify
