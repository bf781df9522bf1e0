#pragma once
// Accounts: creating, finding and changing the state of a person's account, and their password.
// The access domain calls create/suspend/reactivate (it owns who may); the lockout domain calls
// find_by_email/find_by_phone to reach a person who cannot sign in.

#include <optional>
#include <string>
#include <string_view>

#include <boost/asio/awaitable.hpp>

#include "server/common/error.hpp"
#include "server/identity/account.hpp"
#include "server/identity/actor.hpp"
#include "server/identity/context.hpp"
#include "server/identity/sign_in_throttle.hpp"

namespace server::identity {

class Sessions;

// An account with its password hash: for the identity parts that check passwords.
struct StoredAccount {
  Account account;
  std::string password_hash;
};

class Accounts {
 public:
  Accounts(Context& context, Sessions& sessions) : ctx_(context), sessions_(sessions) {}

  // Creates an active account, without MFA or devices; `actor` names who did it in the audit
  // entry ("account:acc_…", "system:cli"). The email is kept as given and compared
  // case-insensitively.
  // Errors: missing_field / invalid_field for email, phone, display_name or password (rules in
  // contact.hpp and password_policy.hpp); conflict (field "email" or "phone") when another
  // account has it; unavailable (hasher queue full, store busy); internal.
  boost::asio::awaitable<Result<Account>> create(NewAccount account, std::string actor);

  // Errors: not_found; internal.
  Result<Account> find(std::string_view id) const;
  // Errors: not_found (also for something that is not an email address); internal.
  Result<Account> find_by_email(std::string_view email) const;
  // Errors: not_found (also for something that is not an E.164 number); internal.
  Result<Account> find_by_phone(std::string_view phone) const;

  // Suspends an active or locked account: every session of it ends in the same transaction, it
  // can no longer sign in, refresh or use a token, and the person is told. `reason` goes into
  // the audit entry (never to the person who tries to sign in: they see only
  // "unauthenticated"). Errors: not_found; conflict (already suspended, or deleted); internal.
  Status suspend(std::string_view id, std::string actor, std::string reason);
  // Makes a suspended or locked account active again (sessions stay ended). Errors: not_found;
  // conflict (already active, or deleted); internal.
  Status reactivate(std::string_view id, std::string actor);

  // Sets a new password for the actor's own account once `current` checks out (throttled like a
  // sign-in from `source`), ends every other session of the account, and tells the person.
  // Errors: invalid_field "new_password" (password_policy.hpp); unauthenticated (field
  // "current_password") when it is wrong or the account is not active; rate_limited;
  // unavailable; internal.
  boost::asio::awaitable<Status> change_password(const Actor& actor, std::string current,
                                                 std::string next, std::string source);

  // For the other identity parts. The account whose lowercased email is `email`'s, with its
  // hash; nullopt when there is none. Errors: internal.
  Result<std::optional<StoredAccount>> load_by_email(std::string_view email) const;
  Result<StoredAccount> load(std::string_view id) const;
  // Inside the caller's transaction: stores `hash` as the password of `account` if it is still
  // active, and ends every session of it but `keep_session`. Returns how many sessions ended, or
  // nullopt when the account is no longer active (nothing changed). Errors: internal.
  Result<std::optional<std::int64_t>> replace_password(std::string_view account,
                                                       const std::string& hash,
                                                       std::string_view reason,
                                                       std::string_view keep_session = {});
  // Re-authentication for a signed-in person (changing the password, MFA or recovery codes):
  // checks `password` against the account's, throttled as a sign-in from `source`. On success
  // returns the attempt, for the caller to settle with throttle.succeeded() in the transaction
  // that records its act. On a wrong password, audits sign_in_failed ("during": `purpose`).
  // Errors: unauthenticated (field `field`); rate_limited; unavailable; internal.
  boost::asio::awaitable<Result<Attempt>> check_password(const StoredAccount& account,
                                                         std::string password, std::string source,
                                                         std::string_view field,
                                                         std::string_view purpose);

  // Moved by every identity act that writes (server/access/generation.hpp), for the caches of
  // identity's rows kept outside this class.
  const access::Generation& changes() const { return ctx_.changes; }

 private:
  Status set_status(std::string_view id, std::string actor, AccountStatus to, std::string reason);

  Context& ctx_;
  Sessions& sessions_;
};

}  // namespace server::identity
