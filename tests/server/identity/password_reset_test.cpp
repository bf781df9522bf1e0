// "Forgot password": a link by email to the account's own address, used once within 30 minutes,
// replaced by a newer request; completing it sets the password, ends every session and lifts the
// throttle's holds. Hostile: an unknown or suspended address gets the same answer and no mail; an
// old, used, replaced, expired or made-up link sets nothing; requests are limited per address and
// per source whether or not the account exists.

#include "server/identity/password_reset.hpp"

#include <gtest/gtest.h>

#include "tests/server/identity/fixture.hpp"

namespace server::identity::testing {
namespace {

using namespace std::chrono_literals;

constexpr const char* kNewPassword = "a brand new passphrase";

class PasswordResetTest : public IdentityTest {
 protected:
  Status ask(const std::string& email, const std::string& source = "ip:203.0.113.5") {
    return identity_.password_reset().request(email, source);
  }
  Status complete(const std::string& token, const std::string& password = kNewPassword) {
    return run(identity_.password_reset().complete(token, password, "ip:203.0.113.5"));
  }
  std::vector<notify::Message> links_to(const std::string& account) const {
    return messages_to(account, notify::Kind::password_reset);
  }
  // The token of the newest link mailed to `account`.
  std::string newest_token(const std::string& account) const {
    const auto links = links_to(account);
    if (links.empty()) return "";
    const std::string& body = links.front().notice.body;
    const std::string base = ResetPolicy{}.link_base;
    const auto at = body.find(base);
    return at == std::string::npos ? "" : body.substr(at + base.size(), 43);
  }
};

TEST_F(PasswordResetTest, TheLinkGoesToTheAccountsOwnAddressAndSetsANewPasswordOnce) {
  const Account ana = make_account();
  const SignedIn phone = signed_in();
  ASSERT_TRUE(ask("ANA@example.test"));
  const auto links = links_to(ana.id);
  ASSERT_EQ(links.size(), 1u);
  EXPECT_EQ(links[0].notice.address, "ana@example.test");
  EXPECT_EQ(links[0].notice.channel, notify::Channel::email);
  EXPECT_NE(links[0].notice.body.find("expires in 30 minutes"), std::string::npos);
  const std::string token = newest_token(ana.id);
  ASSERT_TRUE(is_token_shaped(token)) << links[0].notice.body;

  const int wakes = delivery_wakes_;
  ASSERT_TRUE(complete(token));
  EXPECT_EQ(delivery_wakes_, wakes + 1) << "the notice goes out now, not at some later pass";
  EXPECT_FALSE(sign_in(sign_in_request("ana@example.test", kPassword)));
  EXPECT_TRUE(sign_in(sign_in_request("ana@example.test", kNewPassword)));
  auto old_session = identity_.sessions().authenticate(phone.tokens.access_token);
  EXPECT_FALSE(old_session) << "every session ends with the reset";
  EXPECT_TRUE(told(ana.id, "Your Latchkey password was reset"));
  EXPECT_EQ(audit_of(audit::AuditType::password_reset).size(), 2u);  // link sent, password set

  auto again = complete(token, "yet another passphrase");
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, Errc::unauthenticated);
  EXPECT_EQ(again.error().field, "token");
  EXPECT_TRUE(sign_in(sign_in_request("ana@example.test", kNewPassword)));
}

TEST_F(PasswordResetTest, TheResetLiftsTheThrottlesHoldsOnTheAccount) {
  const Account ana = make_account();
  for (int i = 0; i < 11; ++i) {
    auto attempt = identity_.throttle().begin("ana@example.test", "ip:203.0.113.9", false);
    if (!attempt && attempt.error().code == Errc::rate_limited) {
      clock_.advance_by(std::chrono::seconds(*attempt.error().retry_after_s));
      attempt = identity_.throttle().begin("ana@example.test", "ip:203.0.113.9", false);
    }
    ASSERT_TRUE(attempt) << i;
  }
  ASSERT_GT(identity_.throttle().standing("ana@example.test")->held_until, clock_.now());
  ASSERT_TRUE(ask("ana@example.test"));
  ASSERT_TRUE(complete(newest_token(ana.id)));
  auto standing = identity_.throttle().standing("ana@example.test");
  ASSERT_TRUE(standing);
  EXPECT_EQ(standing->held_until, 0);
  EXPECT_EQ(standing->failures, 0);
  EXPECT_TRUE(sign_in(sign_in_request("ana@example.test", kNewPassword, "ip:203.0.113.9")));
}

TEST_F(PasswordResetTest, HostileAnUnknownOrSuspendedAddressGetsTheSameAnswerAndNoMail) {
  const Account bo = make_account("bo@example.test", "+15555550101");
  ASSERT_TRUE(identity_.accounts().suspend(bo.id, "system:test", "moved out"));
  EXPECT_TRUE(ask("nobody@example.test"));
  EXPECT_TRUE(ask("bo@example.test"));
  EXPECT_EQ(count("SELECT count(*) FROM outbox WHERE kind = 'password_reset'"), 0);
  EXPECT_EQ(count("SELECT count(*) FROM password_reset_links"), 0);
  // Both requests were counted, as a known account's would be.
  EXPECT_EQ(count("SELECT count(*) FROM password_reset_requests"), 2);

  auto not_email = ask("not an address");
  ASSERT_FALSE(not_email);
  EXPECT_EQ(not_email.error().code, Errc::invalid_field);
  EXPECT_EQ(not_email.error().field, "email");
}

TEST_F(PasswordResetTest, HostileOldReplacedExpiredAndMadeUpLinksSetNothing) {
  const Account ana = make_account();
  ASSERT_TRUE(ask("ana@example.test"));
  const std::string first = newest_token(ana.id);
  clock_.advance_by(1min);
  ASSERT_TRUE(ask("ana@example.test"));
  const std::string second = newest_token(ana.id);
  ASSERT_NE(first, second);

  for (const std::string& bad : {first, std::string("not-a-token"), new_token()}) {
    auto refused = complete(bad);
    ASSERT_FALSE(refused) << bad;
    EXPECT_EQ(refused.error().code, Errc::unauthenticated);
    EXPECT_EQ(refused.error().message, "this link is not valid or has expired");
  }
  // A weak password is refused beside its field and leaves the link usable.
  auto weak = complete(second, "short");
  ASSERT_FALSE(weak);
  EXPECT_EQ(weak.error().code, Errc::invalid_field);
  EXPECT_EQ(weak.error().field, "new_password");

  clock_.advance_by(29min);  // a minute before the second link expires it still works
  clock_.advance_by(59s);
  auto weak_again = complete(second, "short");
  EXPECT_EQ(weak_again.error().code, Errc::invalid_field) << "still a live link";
  clock_.advance_by(1s);  // 30 minutes after the second request
  auto late = complete(second);
  ASSERT_FALSE(late);
  EXPECT_EQ(late.error().code, Errc::unauthenticated);
  EXPECT_TRUE(sign_in(sign_in_request("ana@example.test", kPassword)));
}

TEST_F(PasswordResetTest, HostileRequestsAreLimitedPerAddressAndPerSourceAccountOrNot) {
  make_account();
  for (const std::string email : {"ana@example.test", "nobody@example.test"}) {
    for (int i = 0; i < 5; ++i)
      ASSERT_TRUE(ask(email, "ip:198.51.100." + std::to_string(i))) << email << i;
    auto sixth = ask(email, "ip:198.51.100.99");
    ASSERT_FALSE(sixth) << email;
    EXPECT_EQ(sixth.error().code, Errc::rate_limited);
    EXPECT_EQ(sixth.error().retry_after_s, 3'600);
  }
  // One source asking for many addresses.
  for (int i = 0; i < 20; ++i)
    ASSERT_TRUE(ask("someone" + std::to_string(i) + "@example.test", "ip:192.0.2.1")) << i;
  auto more = ask("someone99@example.test", "ip:192.0.2.1");
  ASSERT_FALSE(more);
  EXPECT_EQ(more.error().code, Errc::rate_limited);
  // An hour later there is room again.
  clock_.advance_by(1h);
  EXPECT_TRUE(ask("ana@example.test", "ip:192.0.2.1"));
}

}  // namespace
}  // namespace server::identity::testing
