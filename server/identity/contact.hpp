#pragma once
// The shapes of what an account is reached by and called: email address, phone number, display
// name. Each check returns the error the caller hands back (Errc::invalid_field naming `field`).

#include <string>
#include <string_view>

#include "server/common/error.hpp"

namespace server::identity {

inline constexpr std::size_t kMaxEmailLength = 254;  // RFC 5321's path limit, less the brackets
inline constexpr std::size_t kMaxDisplayNameLength = 100;

// An email address as people type it: local@domain, ASCII only (an internationalised domain in
// its xn-- form), the local part 1..64 characters of RFC 5322 atext with single inner dots (no
// quoted forms), the domain two or more labels of letters, digits and inner hyphens, each 1..63
// long, the whole at most 254. Surrounding whitespace is not trimmed: it is an error.
Status check_email(std::string_view email, std::string_view field = "email");
// The form emails are compared in: ASCII lowercase of the whole address (Latchkey treats the
// local part case-insensitively too, as every large provider does).
std::string email_key(std::string_view email);

// E.164: "+", then 7 to 15 digits, the first not 0.
Status check_phone(std::string_view phone, std::string_view field = "phone");

// 0..100 bytes of valid UTF-8 with no control characters (may be empty).
Status check_display_name(std::string_view name, std::string_view field = "display_name");

// Valid UTF-8 without C0/C1 control characters or DEL; `count` receives the number of code
// points. Shared by the display-name, device-name and password rules.
bool printable_utf8(std::string_view text, std::size_t* count = nullptr);

}  // namespace server::identity
