#pragma once
// Mfa: TOTP as a second factor (RFC 6238, totp.hpp) and the recovery codes that stand in for it
// (recovery_codes.hpp).
//
// Turning it on takes two steps: begin() (with the password, so that someone holding only a
// stolen session cannot put their own authenticator between the owner and their account)
// returns a new secret and its otpauth:// URI; confirm() with a first valid code from the app
// switches it on, returns ten recovery codes (shown once, stored as digests), and counts as a
// second factor for the confirming session. Until confirmed, sign-in ignores it. Turning it off
// and making new recovery codes take the password or a current code. A TOTP code is good once:
// the last step used is stored and no code of that step or before is accepted again. Every
// change is audited and noticed.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "server/common/error.hpp"
#include "server/identity/accounts.hpp"
#include "server/identity/actor.hpp"
#include "server/identity/context.hpp"

namespace server::identity {

class Sessions;

struct MfaEnrollment {
  std::string secret;       // base32, for typing into an app by hand
  std::string otpauth_uri;  // for a QR code
};

// What checking a second-factor code found.
enum class CodeCheck { totp, recovery_code, wrong, reused };
// The answer to a code that was wrong or reused: unauthenticated, field "code".
Error rejected_code(CodeCheck check);

// How a signed-in person proves it is still them: their password, or a code (TOTP or recovery)
// when MFA is on. Exactly one is expected.
struct Reauthentication {
  std::optional<std::string> password;
  std::optional<std::string> code;
};

class Mfa {
 public:
  Mfa(Context& context, Accounts& accounts, Sessions& sessions)
      : ctx_(context), accounts_(accounts), sessions_(sessions) {}

  // Starts (or restarts) enrollment for the actor's account after checking `password`.
  // Errors: conflict (MFA is already on); unauthenticated (field "password"); rate_limited;
  // unavailable; internal.
  boost::asio::awaitable<Result<MfaEnrollment>> begin(const Actor& actor, std::string password,
                                                      std::string source);
  // Switches MFA on with a first code from the new secret; returns the recovery codes.
  // Errors: conflict (no enrollment begun, or already on); invalid_field / unauthenticated
  // (field "code"); internal.
  Result<std::vector<std::string>> confirm(const Actor& actor, std::string_view code);
  // Switches MFA off and deletes the recovery codes. Errors: conflict (MFA is off);
  // missing_field / invalid_field (neither or both of password and code); unauthenticated
  // (field "password" or "code"); rate_limited; unavailable; internal.
  boost::asio::awaitable<Status> disable(const Actor& actor, Reauthentication proof,
                                         std::string source);
  // Replaces every recovery code with ten new ones. Errors: as disable().
  boost::asio::awaitable<Result<std::vector<std::string>>> regenerate_recovery_codes(
      const Actor& actor, Reauthentication proof, std::string source);

  // For sign-in, inside the caller's transaction: checks `code` (a TOTP code or a recovery code)
  // for an account with MFA on and, if good, uses it up (totp / recovery_code); wrong and
  // reused (a TOTP code of a step already used) change nothing. Errors: internal.
  Result<CodeCheck> use_code(std::string_view account, std::string_view code);
  // Unused recovery codes of the account. Errors: internal.
  Result<std::int64_t> recovery_codes_left(std::string_view account) const;

 private:
  struct Reauthenticated {
    StoredAccount stored;
    Attempt attempt;
  };
  // For a change to the actor's MFA, which must be on: the account, once `proof` checks out.
  boost::asio::awaitable<Result<Reauthenticated>> reauthenticate(const Actor& actor,
                                                                 Reauthentication proof,
                                                                 std::string source,
                                                                 std::string_view purpose);
  Result<std::vector<std::string>> store_recovery_codes(std::string_view account);

  Context& ctx_;
  Accounts& accounts_;
  Sessions& sessions_;
};

}  // namespace server::identity
