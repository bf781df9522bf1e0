#pragma once
// The identity domain on a real SQLite store and a virtual clock, with the audit log and outbox it
// writes to, argon2id at its test-only cost, and a way to run its coroutines to completion.

#include <optional>
#include <string>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <gtest/gtest.h>
#include <sodium.h>

#include "runtime/virtual_scheduler.hpp"
#include "server/audit/audit_log.hpp"
#include "server/identity/identity.hpp"
#include "server/identity/secret.hpp"
#include "server/identity/totp.hpp"
#include "server/notify/outbox.hpp"
#include "tests/support/migrated_store.hpp"

namespace server::identity::testing {

// Runs `task` on `io` until it finishes and returns its result (any exception is rethrown).
template <class T>
T run_to_end(boost::asio::io_context& io, boost::asio::awaitable<T> task) {
  std::optional<T> out;
  boost::asio::co_spawn(
      io, [&]() -> boost::asio::awaitable<void> { out.emplace(co_await std::move(task)); },
      [](std::exception_ptr e) {
        if (e) std::rethrow_exception(e);
      });
  io.restart();
  io.run();
  return std::move(*out);
}

inline std::vector<store::Migration> all_migrations() {
  std::vector<store::Migration> all;
  for (auto domain : {audit::migrations, notify::migrations, identity::migrations}) {
    auto list = domain();
    all.insert(all.end(), list.begin(), list.end());
  }
  return all;
}

// An Ed25519 key pair as an app would make one.
struct DeviceKeys {
  DeviceKeys() { crypto_sign_keypair(public_key.data(), secret_key.data()); }
  std::string public_text() const { return base64url(public_key); }
  // A sign-in proof by this device for `email` at `at` (RFC 3339 text from the clock).
  DeviceProof proof(const std::string& device, const std::string& email, lockcore::UnixMs at) const;

  std::array<std::uint8_t, crypto_sign_PUBLICKEYBYTES> public_key{};
  std::array<std::uint8_t, crypto_sign_SECRETKEYBYTES> secret_key{};
};

class IdentityTest : public ::testing::Test {
 protected:
  static constexpr lockcore::UnixMs kStart = 1'767'225'600'000;  // 2026-01-01T00:00:00Z
  static constexpr const char* kPassword = "correct horse 204";

  IdentityTest() : identity_(store_.db(), clock_, audit_, outbox_, options()) {}

  Options options() {
    Options o;
    o.password_cost = HashCost::test_only();
    o.enqueued = [this] { ++delivery_wakes_; };
    return o;
  }

  // Runs a coroutine of the domain to completion on this test's io_context.
  template <class T>
  T run(boost::asio::awaitable<T> task) {
    return run_to_end(io_, std::move(task));
  }

  // A new active account (fails the test if it cannot be made).
  Account make_account(const std::string& email = "ana@example.test",
                       const std::string& phone = "+15555550100",
                       const std::string& password = kPassword);

  SignIn sign_in_request(const std::string& email = "ana@example.test",
                         const std::string& password = kPassword,
                         const std::string& source = "ip:198.51.100.7") {
    return SignIn{email, password, std::nullopt, std::nullopt, source};
  }
  Result<SignedIn> sign_in(SignIn request) {
    return run(identity_.sessions().sign_in(std::move(request)));
  }
  // Signs in (must succeed) as the given account, without MFA.
  SignedIn signed_in(const std::string& email = "ana@example.test");

  // Turns MFA on for `actor`'s account; returns the secret's bytes and fills `codes`.
  std::vector<std::uint8_t> enable_mfa(const Actor& actor,
                                       std::vector<std::string>* codes = nullptr);
  std::string current_code(const std::vector<std::uint8_t>& secret) const {
    return totp::code(secret, totp::step_at(clock_.now()));
  }

  std::vector<audit::Entry> audit_of(audit::AuditType type) const;
  std::vector<notify::Message> notices_to(const std::string& account) const;
  std::vector<notify::Message> messages_to(const std::string& account, notify::Kind kind) const;
  // Whether `account` was sent a security notice with this subject.
  bool told(const std::string& account, const std::string& subject) const;
  std::int64_t count(const std::string& sql);

  testsupport::MigratedStore store_{all_migrations()};
  runtime::VirtualScheduler clock_{kStart};
  audit::AuditLog audit_{store_.db(), clock_};
  notify::Outbox outbox_{store_.db(), clock_};
  int delivery_wakes_ = 0;  // how often an act woke delivery after committing its messages
  Identity identity_;
  boost::asio::io_context io_;
};

}  // namespace server::identity::testing
