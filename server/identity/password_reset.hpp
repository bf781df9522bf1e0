#pragma once
// PasswordReset: "Forgot password". Anyone may ask for a reset by email address; when the address
// is an active account's, a single-use link goes to that account's own address (never to one the
// asker supplies), valid for 30 minutes from the request, and a newer request replaces it. The
// reply, and the work done before it (one synced transaction either way), are the same whether or
// not the account exists, and requests are limited per address and per source, counted whether or
// not the account exists. Completing a reset sets the new password (password_policy.hpp), ends
// every session of the account, lifts the sign-in throttle's holds on it (their guesses were at
// the old password), audits password_reset and tells the person. A locked, suspended or deleted
// account gets no link: a reset never undoes an administration's decision.

#include <string>

#include <boost/asio/awaitable.hpp>

#include "server/common/error.hpp"
#include "server/identity/account.hpp"
#include "server/identity/context.hpp"

namespace server::identity {

class Accounts;

struct ResetPolicy {
  lockcore::UnixMs link_lifetime_ms = 30 * 60'000;
  lockcore::UnixMs window_ms = 3'600'000;      // the window both limits count in
  int per_address = 5;                         // requests for one address (account or not)
  int per_source = 20;                         // requests from one source, whatever the address
  std::string link_base = "/reset-password/";  // the web app's page; the token follows
};

class PasswordReset {
 public:
  PasswordReset(Context& context, Accounts& accounts, ResetPolicy policy = {})
      : ctx_(context), accounts_(accounts), policy_(std::move(policy)) {}

  // Asks for a reset of the account whose address is `email`, from `source` ("ip:…").
  // Errors: invalid_field "email" (not an address); rate_limited with retry_after_s; unavailable;
  // internal. Never says whether the account exists.
  Status request(std::string_view email, std::string_view source);

  // Sets `new_password` for the account `token`'s link was sent to.
  // Errors: unauthenticated "token" (unknown, used, replaced or expired: one message for all, and
  // for an account no longer active); invalid_field "new_password"; unavailable; internal.
  boost::asio::awaitable<Status> complete(std::string token, std::string new_password,
                                          std::string source);

  const ResetPolicy& policy() const { return policy_; }

 private:
  Status within_limits(const std::string& login, std::string_view source, lockcore::UnixMs now);
  Status send_link(const Account& account, std::string_view source, lockcore::UnixMs now);

  Context& ctx_;
  Accounts& accounts_;
  ResetPolicy policy_;
};

}  // namespace server::identity
