#pragma once
// What a new password must be, per NIST SP 800-63B 5.1.1.2 and OWASP ASVS 5.0 6.2:
//   - at least 8 characters (code points), at most 128: NIST's and ASVS L1's floor. 15 is what
//     they recommend for a password used alone; Latchkey enforces 8 because its people include
//     residents and managers who already sign in with 8..14-character passphrases (the shared
//     scenarios have one), and compensates with the blocklist below, argon2id, per-account
//     throttling and optional TOTP. The web app recommends 15 or more and MFA.
//   - any printable Unicode and spaces (valid UTF-8, no control characters), no composition
//     rules, no expiry, not trimmed;
//   - not one of the most common passwords (compared case-insensitively), not the account's own
//     email address or the part before its @, and not one character repeated.
// Unicode normalisation (NFKC) is not applied: the same keystrokes give the same bytes on one
// device, and no normaliser is linked in.

#include <string_view>

#include "server/common/error.hpp"

namespace server::identity {

inline constexpr std::size_t kMinPasswordLength = 8;
inline constexpr std::size_t kMaxPasswordLength = 128;
// The most bytes a password field may carry (128 code points of 4 bytes each, with room): longer
// input is refused before it reaches the hasher.
inline constexpr std::size_t kMaxPasswordBytes = 1024;

// Errors: invalid_field naming `field`, with a message that says which rule was broken.
Status check_new_password(std::string_view password, std::string_view email,
                          std::string_view field = "password");

// True when `password` (compared in ASCII lowercase) is on the built-in list.
bool is_common_password(std::string_view password);

}  // namespace server::identity
