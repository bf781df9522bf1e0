// Accounts: made with a valid email, phone and password (hashed with argon2id, never stored as
// given), found by id, email (any case) or phone, suspended and reactivated with every session
// ended, an audit entry and a notice, and a password change that needs the current password.

#include <thread>

#include "tests/server/identity/fixture.hpp"

namespace server::identity {
namespace {

using audit::AuditType;
using testing::IdentityTest;

using AccountsTest = IdentityTest;

TEST_F(AccountsTest, AnAccountIsCreatedActiveWithItsPasswordOnlyAsAnArgon2idHash) {
  Account ana = make_account("Ana.Lopez@Example.test");
  EXPECT_TRUE(ana.id.starts_with("acc_"));
  EXPECT_EQ(ana.email, "Ana.Lopez@Example.test");
  EXPECT_EQ(ana.phone, "+15555550100");
  EXPECT_EQ(ana.status, AccountStatus::active);
  EXPECT_EQ(ana.created, kStart);
  EXPECT_FALSE(ana.mfa_enabled);
  auto stored = identity_.accounts().load(ana.id);
  ASSERT_TRUE(stored);
  EXPECT_TRUE(stored->password_hash.starts_with("$argon2id$"));
  EXPECT_EQ(stored->password_hash.find(kPassword), std::string::npos);
  auto created = audit_of(AuditType::account_created);
  ASSERT_EQ(created.size(), 1u);
  EXPECT_EQ(created[0].record.actor, "system:test");
  EXPECT_EQ(created[0].record.subject, "account:" + ana.id);
}

TEST_F(AccountsTest, FoundByIdByEmailInAnyCaseAndByPhone) {
  Account ana = make_account("ana@example.test");
  EXPECT_EQ(identity_.accounts().find(ana.id)->email, "ana@example.test");
  EXPECT_EQ(identity_.accounts().find_by_email("ANA@EXAMPLE.TEST")->id, ana.id);
  EXPECT_EQ(identity_.accounts().find_by_phone("+15555550100")->id, ana.id);
  EXPECT_EQ(identity_.accounts().find("acc_nope").error().code, Errc::not_found);
  EXPECT_EQ(identity_.accounts().find_by_email("bo@example.test").error().code, Errc::not_found);
  EXPECT_EQ(identity_.accounts().find_by_email("' OR '1'='1").error().code, Errc::not_found);
  EXPECT_EQ(identity_.accounts().find_by_phone("+15555550199").error().code, Errc::not_found);
  EXPECT_EQ(identity_.accounts().find("' OR 1=1 --").error().code, Errc::not_found);
}

TEST_F(AccountsTest, EmailAndPhoneAreEachOneAccountsAndTheConflictNamesWhich) {
  make_account("ana@example.test", "+15555550100");
  auto same_email = run(identity_.accounts().create(
      {"ANA@example.test", "+15555550101", "", kPassword}, "system:test"));
  ASSERT_FALSE(same_email);
  EXPECT_EQ(same_email.error().code, Errc::conflict);
  EXPECT_EQ(same_email.error().field, "email");
  auto same_phone = run(identity_.accounts().create(
      {"bo@example.test", "+15555550100", "", kPassword}, "system:test"));
  ASSERT_FALSE(same_phone);
  EXPECT_EQ(same_phone.error().field, "phone");
  EXPECT_EQ(count("SELECT count(*) FROM accounts"), 1);
}

TEST_F(AccountsTest, InvalidDetailsAreRefusedBeforeAnythingIsHashedOrStored) {
  struct Case {
    NewAccount account;
    const char* field;
  };
  const Case cases[] = {
      {{"not-an-email", "+15555550100", "", kPassword}, "email"},
      {{"ana@example.test'--", "+15555550100", "", kPassword}, "email"},
      {{"ana@example.test", "5555550100", "", kPassword}, "phone"},
      {{"ana@example.test", "+15555550100", std::string(101, 'x'), kPassword}, "display_name"},
      {{"ana@example.test", "+15555550100", "", "short"}, "password"},
      {{"ana@example.test", "+15555550100", "", "password123"}, "password"},
      {{"ana@example.test", "+15555550100", "", "ana@example.test"}, "password"},
  };
  for (const Case& c : cases) {
    auto made = run(identity_.accounts().create(c.account, "system:test"));
    ASSERT_FALSE(made) << c.field;
    EXPECT_EQ(made.error().field, c.field);
  }
  EXPECT_EQ(identity_.hasher().stats().hashes, 0u);
  EXPECT_EQ(count("SELECT count(*) FROM accounts"), 0);
}

TEST_F(AccountsTest, SuspensionEndsEverySessionAtOnceIsAuditedAndTold) {
  Account ana = make_account();
  SignedIn phone = signed_in();
  SignedIn laptop = signed_in();
  ASSERT_TRUE(identity_.sessions().authenticate(phone.tokens.access_token));

  ASSERT_TRUE(identity_.accounts().suspend(ana.id, "account:acc_manager", "moved out"));
  EXPECT_EQ(identity_.accounts().find(ana.id)->status, AccountStatus::suspended);
  for (const SignedIn* s : {&phone, &laptop}) {
    auto used = identity_.sessions().authenticate(s->tokens.access_token);
    ASSERT_FALSE(used);
    EXPECT_EQ(used.error().code, Errc::unauthenticated);
    EXPECT_FALSE(identity_.sessions().refresh(s->tokens.refresh_token, "ip:198.51.100.7"));
  }
  EXPECT_EQ(count("SELECT count(*) FROM sessions WHERE ended IS NULL"), 0);
  auto suspended = audit_of(AuditType::account_suspended);
  ASSERT_EQ(suspended.size(), 1u);
  EXPECT_EQ(suspended[0].record.actor, "account:acc_manager");
  EXPECT_NE(suspended[0].record.detail.find("\"sessions_ended\":2"), std::string::npos);
  EXPECT_NE(suspended[0].record.detail.find("moved out"), std::string::npos);
  EXPECT_TRUE(told(ana.id, "Your Latchkey account was suspended"));
  for (const notify::Message& m : notices_to(ana.id))
    EXPECT_EQ(m.notice.address, "ana@example.test");
}

TEST_F(AccountsTest, ASuspendedAccountCannotSignInAndTheAnswerDoesNotSayWhy) {
  Account ana = make_account();
  ASSERT_TRUE(identity_.accounts().suspend(ana.id, "system", ""));
  auto right_password = sign_in(sign_in_request());
  auto wrong_password = sign_in(sign_in_request("ana@example.test", "wrong password here"));
  ASSERT_FALSE(right_password);
  ASSERT_FALSE(wrong_password);
  EXPECT_EQ(right_password.error().code, Errc::unauthenticated);
  EXPECT_EQ(right_password.error().message, wrong_password.error().message);
  EXPECT_EQ(right_password.error().field, wrong_password.error().field);

  ASSERT_TRUE(identity_.accounts().reactivate(ana.id, "system"));
  EXPECT_TRUE(sign_in(sign_in_request()));
  EXPECT_EQ(audit_of(AuditType::account_reactivated).size(), 1u);
}

TEST_F(AccountsTest, SuspendingTwiceOrReactivatingAnActiveAccountIsAConflict) {
  Account ana = make_account();
  EXPECT_EQ(identity_.accounts().reactivate(ana.id, "system").error().code, Errc::conflict);
  ASSERT_TRUE(identity_.accounts().suspend(ana.id, "system", ""));
  EXPECT_EQ(identity_.accounts().suspend(ana.id, "system", "").error().code, Errc::conflict);
  EXPECT_EQ(identity_.accounts().suspend("acc_nope", "system", "").error().code, Errc::not_found);
  EXPECT_EQ(audit_of(AuditType::account_suspended).size(), 1u);
}

TEST_F(AccountsTest, ChangingThePasswordNeedsTheCurrentOneAndEndsTheOtherSessions) {
  Account ana = make_account();
  SignedIn here = signed_in();
  SignedIn elsewhere = signed_in();

  auto wrong = run(identity_.accounts().change_password(here.actor, "not my password",
                                                        "a brand new passphrase", "ip:1.2.3.4"));
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error().code, Errc::unauthenticated);
  EXPECT_EQ(wrong.error().field, "current_password");
  auto weak =
      run(identity_.accounts().change_password(here.actor, kPassword, "password1", "ip:1.2.3.4"));
  ASSERT_FALSE(weak);
  EXPECT_EQ(weak.error().field, "new_password");
  EXPECT_TRUE(identity_.sessions().authenticate(elsewhere.tokens.access_token));

  const int wakes = delivery_wakes_;
  ASSERT_TRUE(run(identity_.accounts().change_password(here.actor, kPassword,
                                                       "a brand new passphrase", "ip:1.2.3.4")));
  EXPECT_EQ(delivery_wakes_, wakes + 1) << "the notice is delivered now, not at some later pass";
  EXPECT_TRUE(identity_.sessions().authenticate(here.tokens.access_token));
  EXPECT_FALSE(identity_.sessions().authenticate(elsewhere.tokens.access_token));
  EXPECT_FALSE(sign_in(sign_in_request()));
  EXPECT_TRUE(sign_in(sign_in_request("ana@example.test", "a brand new passphrase")));
  EXPECT_EQ(audit_of(AuditType::password_changed).size(), 1u);
  EXPECT_TRUE(told(ana.id, "Your Latchkey password was changed"));
}

TEST_F(AccountsTest, GuessingTheCurrentPasswordWithAStolenSessionIsThrottled) {
  make_account();
  SignedIn stolen = signed_in();
  Status last;
  for (int i = 0; i < 6; ++i) {
    last =
        run(identity_.accounts().change_password(stolen.actor, "guess number " + std::to_string(i),
                                                 "a brand new passphrase", "ip:203.0.113.9"));
  }
  ASSERT_FALSE(last);
  EXPECT_EQ(last.error().code, Errc::rate_limited);
  EXPECT_EQ(identity_.hasher().stats().verifications, 5u + 1u);  // 5 guesses + the sign-in
}

TEST(HashCost, InteractiveMeetsTheAsvsFloorAndTheTestProfileDoesNot) {
  EXPECT_TRUE(HashCost::interactive().meets_asvs_minimum());
  EXPECT_FALSE(HashCost::test_only().meets_asvs_minimum());
  EXPECT_TRUE((HashCost{1, 46u << 20}).meets_asvs_minimum());
  EXPECT_FALSE((HashCost{1, 45u << 20}).meets_asvs_minimum());
  EXPECT_TRUE((HashCost{2, 19u << 20}).meets_asvs_minimum());
  EXPECT_FALSE((HashCost{2, 18u << 20}).meets_asvs_minimum());
  EXPECT_TRUE((HashCost{3, 12u << 20}).meets_asvs_minimum());
  EXPECT_TRUE((HashCost{7, 7u << 20}).meets_asvs_minimum());
  EXPECT_FALSE((HashCost{7, 6u << 20}).meets_asvs_minimum());
  EXPECT_FALSE((HashCost{0, 1u << 30}).meets_asvs_minimum());
}

TEST_F(AccountsTest, HashingRunsOffTheCallersThreadAndResumesOnIt) {
  const auto caller = std::this_thread::get_id();
  auto checked = run([&]() -> boost::asio::awaitable<std::pair<bool, bool>> {
    auto hashed = co_await identity_.hasher().hash("some passphrase");
    const bool back_home = std::this_thread::get_id() == caller;
    auto verdict = co_await identity_.hasher().verify(*hashed, "some passphrase");
    co_return std::pair{back_home && std::this_thread::get_id() == caller, verdict->match};
  }());
  EXPECT_TRUE(checked.first);
  EXPECT_TRUE(checked.second);
}

TEST(PasswordHasher, AFullQueueIsRefusedAsUnavailableInsteadOfGrowing) {
  PasswordHasher hasher(HashCost::test_only(), 0);
  boost::asio::io_context io;
  auto verdict = testing::run_to_end(io, hasher.verify(hasher.dummy_hash(), "x"));
  ASSERT_FALSE(verdict);
  EXPECT_EQ(verdict.error().code, Errc::unavailable);
  EXPECT_EQ(verdict.error().retry_after_s, 1);
}

TEST(PasswordHasher, AMalformedStoredHashIsAMismatchAndAnOldCostAsksForARehash) {
  PasswordHasher cheap(HashCost::test_only());
  PasswordHasher dearer(HashCost{2, 16u << 10});
  boost::asio::io_context io;
  auto check = [&](PasswordHasher& h, std::string stored, std::string password) {
    return *testing::run_to_end(io, h.verify(std::move(stored), std::move(password)));
  };
  EXPECT_FALSE(check(cheap, "not a hash", "x").match);
  EXPECT_FALSE(check(cheap, std::string(200, '$'), "x").match);
  EXPECT_FALSE(check(cheap, cheap.dummy_hash(), "anything").match);
  const std::string stored = *testing::run_to_end(io, cheap.hash("my pass phrase"));
  Verdict same = check(cheap, stored, "my pass phrase");
  EXPECT_TRUE(same.match);
  EXPECT_FALSE(same.needs_rehash);
  Verdict upgraded = check(dearer, stored, "my pass phrase");
  EXPECT_TRUE(upgraded.match);
  EXPECT_TRUE(upgraded.needs_rehash);
}

}  // namespace
}  // namespace server::identity
