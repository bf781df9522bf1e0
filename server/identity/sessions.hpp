#pragma once
// Sessions: signing in, the tokens a signed-in app carries, and ending them.
//
// A session has two opaque bearer tokens (32 random bytes each, stored only as BLAKE2b digests):
// an access token for requests, good for `access_ttl` (15 min), and a refresh token, good for
// `refresh_ttl` (30 days), that buys a new pair. Every refresh rotates both: the old refresh
// token is remembered as used, and presenting a used one again means two parties hold it (one of
// them a thief), so the whole session is ended, audited (refresh_token_reused) and the person
// told. No session outlives `max_lifetime` (90 days) from its sign-in, however often it is
// refreshed: past that the person signs in again. (ASVS 5.0 7.3.2 asks for a documented
// absolute lifetime: the phone is this product's door key, being signed out is itself a lockout
// cause, and a phone's session is normally bound to an enrolled device key; 90 days balances
// those against a stolen, unlocked phone.)
//
// Sessions end on sign-out, on a password change (the others), on suspension, and when the
// device they are bound to is removed. A device's last_seen moves on sign-in and refresh, not on
// every request, so that authenticating stays a read.
//
// authenticate() keeps the session rows it read (by token digest) while no identity act has
// written since (Context::changes, server/access/generation.hpp), and checks their expiry against
// the clock on every call: sign-out, refresh, suspension, a password change or a removed device
// take effect on the very next request, as without the cache. Unknown tokens are not kept.

#include <optional>
#include <string>
#include <string_view>

#include <boost/asio/awaitable.hpp>

#include "server/common/error.hpp"
#include "server/identity/account.hpp"
#include "server/identity/accounts.hpp"
#include "server/identity/actor.hpp"
#include "server/identity/context.hpp"
#include "server/identity/device_key.hpp"

namespace server::identity {

class Devices;
class Mfa;

struct SessionPolicy {
  lockcore::UnixMs access_ttl_ms = 15 * 60'000;
  lockcore::UnixMs refresh_ttl_ms = 30 * 24 * 3'600'000LL;
  lockcore::UnixMs max_lifetime_ms = 90 * 24 * 3'600'000LL;
};

struct Tokens {
  std::string access_token;
  lockcore::UnixMs access_expires = 0;
  std::string refresh_token;
  lockcore::UnixMs refresh_expires = 0;
};

struct SignIn {
  std::string email;
  std::string password;
  std::optional<std::string> code;  // a TOTP code or a recovery code, when MFA is on
  std::optional<DeviceProof> device;
  std::string source;  // "ip:…" (sign_in_throttle.hpp source_of)
};

struct SignedIn {
  Actor actor;
  Tokens tokens;
};

class Sessions {
 public:
  Sessions(Context& context, Accounts& accounts, Mfa& mfa, Devices& devices, SessionPolicy policy)
      : ctx_(context), accounts_(accounts), mfa_(mfa), devices_(devices), policy_(policy) {}

  // Email + password (+ code when the account has MFA on) -> a new session.
  //   - Throttled before the password is checked (sign_in_throttle.hpp); a valid device proof
  //     makes the attempt trusted and binds the session to that device.
  //   - An unknown email, a wrong password and an account that is not active get the same
  //     answer after the same work: the password is checked against the hasher's dummy hash
  //     when there is no account, and each is audited sign_in_failed (actor: the source).
  //   - MFA on and no code: unauthenticated with field "code", no session, and the attempt is
  //     not counted as a failure. A wrong or reused code: unauthenticated, field "code".
  //   - Success: audited sign_in; a notice to the person unless a device proof showed it is one
  //     of their enrolled apps; a recovery code used is audited and noticed too.
  // Errors: missing_field / invalid_field (email, password, code); unauthenticated;
  // rate_limited (retry_after_s); unavailable; internal.
  boost::asio::awaitable<Result<SignedIn>> sign_in(SignIn request);

  // A new token pair for a live session's current refresh token. Errors: unauthenticated for a
  // malformed, unknown, expired or already-used token (the last also ends the session), an
  // ended session or an account that is not active; internal.
  Result<SignedIn> refresh(std::string_view refresh_token, std::string_view source);

  // Ends the actor's session. Errors: unauthenticated (already ended); internal.
  Status sign_out(const Actor& actor);

  // Who holds `access_token`. Errors: unauthenticated for a malformed, unknown, expired or
  // ended token and for an account that is not active; internal.
  Result<Actor> authenticate(std::string_view access_token) const;

  // For the other identity parts, inside the caller's transaction. Each returns how many live
  // sessions it ended.
  Result<std::int64_t> end_all(std::string_view account, std::string_view reason,
                               std::string_view except_session = {});
  Result<std::int64_t> end_for_device(std::string_view device, std::string_view reason);
  // Binds a session that has no device yet to `device`. Errors: internal.
  Status bind_device(std::string_view session, std::string_view device);
  // Marks a session as having passed a second factor. Errors: internal.
  Status mark_mfa_satisfied(std::string_view session);

  const SessionPolicy& policy() const { return policy_; }

 private:
  Result<SignedIn> open(const Account& account, const std::optional<std::string>& device, bool mfa);
  Result<std::int64_t> end_where(std::string_view column, std::string_view value,
                                 std::string_view reason, std::string_view except_session);
  Status record_failure(std::string_view source, const std::optional<StoredAccount>& account,
                        std::string_view email, std::string_view reason);

  // What authenticate() read about a live session of an active account.
  struct Live {
    Actor actor;
    lockcore::UnixMs access_expires = 0;
    lockcore::UnixMs expires = 0;
    friend bool operator==(const Live&, const Live&) = default;
  };
  static constexpr std::size_t kCachedSessions = 65536;

  Context& ctx_;
  Accounts& accounts_;
  Mfa& mfa_;
  Devices& devices_;
  SessionPolicy policy_;
  mutable access::RowCache<Live> live_{ctx_.changes, kCachedSessions};
};

}  // namespace server::identity
