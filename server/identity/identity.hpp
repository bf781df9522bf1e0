#pragma once
// The identity domain: accounts, passwords, sessions, TOTP MFA with recovery codes, and devices.
// Node owns one Identity; other domains reach its C++ interface through the parts below:
//
//   identity.accounts()  create, find, suspend/reactivate, change password   (accounts.hpp)
//   identity.sessions()  sign in, refresh, sign out, authenticate a token    (sessions.hpp)
//   identity.mfa()       TOTP enrollment, recovery codes                      (mfa.hpp)
//   identity.devices()   enroll, list, remove the apps that act for a person  (devices.hpp)
//   identity.password_reset()  "Forgot password": a link by email, then a new password
//                                                                    (password_reset.hpp)
//
// Everything runs on the server's io thread except argon2id, which runs on the hasher's own
// thread (password_hasher.hpp); calls that hash are coroutines. Every act that matters to
// security commits its audit entry (and, where the person should know, a security notice) in
// the same transaction. All time comes from the injected clock.

#include <memory>
#include <vector>

#include "lockcore/platform.hpp"
#include "server/audit/audit_log.hpp"
#include "server/identity/accounts.hpp"
#include "server/identity/devices.hpp"
#include "server/identity/mfa.hpp"
#include "server/identity/password_hasher.hpp"
#include "server/identity/password_reset.hpp"
#include "server/identity/sessions.hpp"
#include "server/identity/sign_in_throttle.hpp"
#include "server/notify/outbox.hpp"
#include "server/store/database.hpp"
#include "server/store/migrations.hpp"

namespace server::identity {

struct Options {
  HashCost password_cost = HashCost::interactive();
  SessionPolicy sessions;
  ThrottlePolicy throttle;
  std::string issuer = "Latchkey";  // the name authenticator apps show beside the code
  ResetPolicy reset;
  std::function<void()> enqueued{};  // after a commit that enqueued messages (poke the deliverer)
};

class Identity {
 public:
  // Makes the hasher's dummy hash (one argon2id computation at `options.password_cost`).
  Identity(store::Database& db, const lockcore::Clock& clock, audit::AuditLog& audit,
           notify::Outbox& outbox, Options options = {});
  Identity(const Identity&) = delete;
  Identity& operator=(const Identity&) = delete;

  Accounts& accounts() { return accounts_; }
  Sessions& sessions() { return sessions_; }
  Mfa& mfa() { return mfa_; }
  Devices& devices() { return devices_; }
  PasswordHasher& hasher() { return hasher_; }
  SignInThrottle& throttle() { return throttle_; }
  PasswordReset& password_reset() { return password_reset_; }

 private:
  Context context_;
  PasswordHasher hasher_;
  SignInThrottle throttle_;
  Accounts accounts_;
  Sessions sessions_;
  Mfa mfa_;
  Devices devices_;
  PasswordReset password_reset_;
};

// The identity domain's tables (no dependency on other domains' tables).
std::vector<store::Migration> migrations();

}  // namespace server::identity
