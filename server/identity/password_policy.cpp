#include "server/identity/password_policy.hpp"

#include <algorithm>
#include <iterator>

#include "server/identity/contact.hpp"

namespace server::identity {

namespace {

// The most common passwords of 8 characters or more in public breach corpora (shorter ones are
// refused by length already), plus this product's own name.
constexpr std::string_view kCommon[] = {
    "password",      "12345678",   "123456789",   "1234567890",   "qwertyuiop",
    "password1",     "iloveyou",   "sunshine",    "princess",     "football",
    "baseball",      "abc12345",   "qwerty123",   "1q2w3e4r",     "11111111",
    "00000000",      "87654321",   "123123123",   "1qaz2wsx",     "zaq12wsx",
    "superman",      "trustno1",   "password123", "passw0rd",     "p@ssw0rd",
    "letmein1",      "iloveyou1",  "michael1",    "jennifer",     "starwars",
    "computer",      "whatever",   "987654321",   "qwertyui",     "asdfghjkl",
    "1234qwer",      "q1w2e3r4",   "q1w2e3r4t5",  "123qweasd",    "qweasdzxc",
    "12344321",      "147258369",  "changeme",    "changeme1",    "admin123",
    "administrator", "welcome1",   "welcome123",  "password!",    "password12",
    "password1234",  "passwort",   "motdepasse",  "contraseña",   "12341234",
    "1234512345",    "123456789a", "a123456789",  "aa12345678",   "qazwsxedc",
    "1qazxsw2",      "asdf1234",   "asdfasdf",    "zxcvbnm123",   "qwerty12",
    "qwerty1234",    "football1",  "baseball1",   "sunshine1",    "princess1",
    "charlie1",      "shadow12",   "master12",    "mustang1",     "michelle",
    "jessica1",      "12qwaszx",   "q2w3e4r5",    "11223344",     "112233445566",
    "123654789",     "741852963",  "159357456",   "88888888",     "99999999",
    "12121212",      "123abc123",  "abcd1234",    "abcdefgh",     "abcdefg1",
    "loveyou1",      "lovely12",   "iloveyou2",   "ihateyou",     "internet",
    "samsung1",      "google123",  "facebook",    "linkedin",     "dragon12",
    "monkey12",      "freedom1",   "security",    "letmein123",   "access14",
    "batman12",      "secret123",  "1password",   "password01",   "hello123",
    "homehome",      "frontdoor",  "opendoor",    "doorlock",     "smartlock",
    "latchkey",      "latchkey1",  "latchkey123", "correcthorse", "correcthorsebatterystaple",
};

std::string ascii_lower(std::string_view text) {
  return email_key(text);  // the same ASCII-only lowercasing
}

}  // namespace

bool is_common_password(std::string_view password) {
  const std::string lowered = ascii_lower(password);
  return std::find(std::begin(kCommon), std::end(kCommon), lowered) != std::end(kCommon);
}

Status check_new_password(std::string_view password, std::string_view email,
                          std::string_view field) {
  std::size_t length = 0;
  if (password.size() > kMaxPasswordBytes || !printable_utf8(password, &length))
    return fail(Error::invalid_field(field,
                                     "must be printable text (letters, digits, symbols "
                                     "and spaces in any language), at most 128 characters"));
  if (length < kMinPasswordLength || length > kMaxPasswordLength)
    return fail(Error::invalid_field(field,
                                     "must be 8 to 128 characters; a phrase of 15 or more "
                                     "is best"));
  if (is_common_password(password))
    return fail(Error::invalid_field(field, "is one of the most common passwords; choose another"));
  const std::string lowered = ascii_lower(password);
  const std::string address = email_key(email);
  const std::string local = address.substr(0, address.find('@'));
  if (!address.empty() && (lowered == address || lowered == local))
    return fail(Error::invalid_field(field, "must not be your email address"));
  if (std::all_of(password.begin(), password.end(), [&](char c) { return c == password[0]; }))
    return fail(Error::invalid_field(field, "must not be one character repeated"));
  return {};
}

}  // namespace server::identity
