#pragma once
// TOTP (RFC 6238 over RFC 4226 HOTP) with HMAC-SHA1, the algorithm every authenticator app
// implements: 30-second steps counted from the Unix epoch, 6 digits. HMAC-SHA1 comes from
// OpenSSL, as libsodium has no SHA-1; HOTP's truncation is not affected by SHA-1's collision
// weakness.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "lockcore/types.hpp"

namespace server::identity::totp {

inline constexpr std::int64_t kStepMs = 30'000;
inline constexpr int kDigits = 6;
inline constexpr std::size_t kSecretBytes = 20;  // 160 bits, RFC 4226's recommendation
// Codes from one step before or after now are accepted too: clocks drift and people type slowly.
inline constexpr std::int64_t kToleranceSteps = 1;

// The time step `at` falls in.
std::int64_t step_at(lockcore::UnixMs at);
// The HOTP value of `secret` at counter `step`, as exactly `digits` decimal digits (1..9),
// zero-padded.
std::string code(std::span<const std::uint8_t> secret, std::int64_t step, int digits = kDigits);

// The step within ±kToleranceSteps of `now` whose code is `candidate`, preferring the current
// one; nullopt when none matches. `candidate` of any other shape matches nothing. Steps at or
// before `last_used` are not considered: a code is good once.
std::optional<std::int64_t> match(std::span<const std::uint8_t> secret, std::string_view candidate,
                                  lockcore::UnixMs now, std::int64_t last_used);

// RFC 4648 base32 without padding, as authenticator apps expect secrets.
std::string base32(std::span<const std::uint8_t> bytes);
// The bytes of unpadded RFC 4648 base32 (upper case), as an authenticator app reads a typed
// secret; nullopt for other characters or leftover bits that are not zero. What a client or the
// scenario runner needs to compute codes from an enrollment's secret.
std::optional<std::vector<std::uint8_t>> from_base32(std::string_view text);

// otpauth://totp/<issuer>:<account>?secret=…&issuer=…&algorithm=SHA1&digits=6&period=30 (the
// Key Uri Format authenticator apps scan), label and issuer percent-encoded.
std::string otpauth_uri(std::string_view issuer, std::string_view account,
                        std::span<const std::uint8_t> secret);

}  // namespace server::identity::totp
