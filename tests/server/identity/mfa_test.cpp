// MFA: TOTP enrollment in two steps (begin with the password, confirm with a first code), codes
// good once and only near now, ten recovery codes each good once, sign-in that asks for a code
// without making a session, and turning it off or renewing codes only for someone who proves it
// is still them — each change audited and told.

#include <algorithm>
#include <cctype>
#include <set>

#include "tests/server/identity/fixture.hpp"

namespace server::identity {
namespace {

using audit::AuditType;
using std::chrono::milliseconds;
using testing::IdentityTest;

class MfaTest : public IdentityTest {
 protected:
  MfaTest() {
    ana_ = make_account();
    first_ = signed_in();
  }
  Result<SignedIn> sign_in_with(const std::string& code,
                                const std::string& source = "ip:198.51.100.7") {
    SignIn request = sign_in_request("ana@example.test", kPassword, source);
    request.code = code;
    return sign_in(request);
  }
  bool told(const std::string& subject) const { return IdentityTest::told(ana_.id, subject); }

  Account ana_;
  SignedIn first_;
};

TEST_F(MfaTest, EnrollmentReturnsASecretAndAnOtpauthUriAndIsNotEnforcedUntilConfirmed) {
  auto begun = run(identity_.mfa().begin(first_.actor, kPassword, "ip:198.51.100.7"));
  ASSERT_TRUE(begun) << begun.error().message;
  EXPECT_EQ(begun->secret.size(), 32u);  // 20 bytes in base32
  EXPECT_TRUE(begun->otpauth_uri.starts_with(
      "otpauth://totp/Latchkey:ana%40example.test?secret=" + begun->secret + "&issuer=Latchkey"));
  // Not yet on: signing in needs no code.
  EXPECT_FALSE(identity_.accounts().find(ana_.id)->mfa_enabled);
  EXPECT_TRUE(sign_in(sign_in_request()));

  auto secret = totp::from_base32(begun->secret);
  ASSERT_TRUE(secret);
  auto wrong = identity_.mfa().confirm(first_.actor, "000000");
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error().field, "code");
  auto codes = identity_.mfa().confirm(first_.actor, current_code(*secret));
  ASSERT_TRUE(codes) << codes.error().message;
  EXPECT_EQ(codes->size(), 10u);
  EXPECT_TRUE(identity_.accounts().find(ana_.id)->mfa_enabled);
  // The confirming session passed a second factor.
  auto actor = identity_.sessions().authenticate(first_.tokens.access_token);
  ASSERT_TRUE(actor);
  EXPECT_TRUE(actor->mfa_enabled);
  EXPECT_TRUE(actor->mfa_satisfied);
  EXPECT_EQ(audit_of(AuditType::mfa_enabled).size(), 1u);
  EXPECT_TRUE(told("Two-step sign-in is on"));
  // Recovery codes are stored as digests only.
  EXPECT_EQ(count("SELECT count(*) FROM recovery_codes WHERE used IS NULL"), 10);
}

TEST_F(MfaTest, BeginningNeedsThePasswordSoAStolenSessionCannotTakeTheAccount) {
  auto begun = run(identity_.mfa().begin(first_.actor, "not the password", "ip:203.0.113.9"));
  ASSERT_FALSE(begun);
  EXPECT_EQ(begun.error().code, Errc::unauthenticated);
  EXPECT_EQ(begun.error().field, "password");
  EXPECT_EQ(count("SELECT count(*) FROM mfa_totp"), 0);
  EXPECT_FALSE(identity_.mfa().confirm(first_.actor, "123456"));
}

TEST_F(MfaTest, WithMfaOnSignInAsksForACodeWithoutMakingASession) {
  auto secret = enable_mfa(first_.actor);
  const auto sessions = count("SELECT count(*) FROM sessions");
  auto no_code = sign_in(sign_in_request());
  ASSERT_FALSE(no_code);
  EXPECT_EQ(no_code.error().code, Errc::unauthenticated);
  EXPECT_EQ(no_code.error().field, "code");
  EXPECT_EQ(count("SELECT count(*) FROM sessions"), sessions);
  // A wrong password still gets the plain answer: the code question comes only after it.
  auto wrong_password = sign_in(sign_in_request("ana@example.test", "not the password"));
  ASSERT_FALSE(wrong_password);
  EXPECT_EQ(wrong_password.error().field, "");

  auto in = sign_in_with(current_code(secret));
  ASSERT_TRUE(in) << in.error().message;
  EXPECT_TRUE(in->actor.mfa_satisfied);
  EXPECT_TRUE(in->actor.mfa_enabled);
}

TEST_F(MfaTest, AskingForTheCodeDoesNotCountAsAFailedAttempt) {
  enable_mfa(first_.actor);
  for (int i = 0; i < 10; ++i) {
    auto no_code = sign_in(sign_in_request("ana@example.test", kPassword, "ip:203.0.113.9"));
    ASSERT_FALSE(no_code);
    EXPECT_EQ(no_code.error().field, "code") << i;
  }
}

TEST_F(MfaTest, ACodeIsGoodOnceAndOnlyWithinOneStepOfNow) {
  auto secret = enable_mfa(first_.actor);
  const std::string code = current_code(secret);
  ASSERT_TRUE(sign_in_with(code));
  auto replay = sign_in_with(code);
  ASSERT_FALSE(replay);
  EXPECT_EQ(replay.error().field, "code");
  EXPECT_NE(replay.error().message.find("used already"), std::string::npos);

  clock_.advance_by(milliseconds(totp::kStepMs));
  const std::int64_t step = totp::step_at(clock_.now());
  EXPECT_TRUE(sign_in_with(totp::code(secret, step + 1)));  // a phone running a little fast
  clock_.advance_by(milliseconds(3 * totp::kStepMs));
  EXPECT_FALSE(sign_in_with(totp::code(secret, totp::step_at(clock_.now()) - 2)));
  EXPECT_FALSE(sign_in_with("12345"));
  EXPECT_FALSE(sign_in_with("' OR 1=1"));

  auto failed = audit_of(AuditType::sign_in_failed);
  ASSERT_GE(failed.size(), 2u);
  bool reuse_logged = false;
  for (const auto& e : failed)
    reuse_logged = reuse_logged || e.record.detail.find("code_reused") != std::string::npos;
  EXPECT_TRUE(reuse_logged);
}

TEST_F(MfaTest, EachRecoveryCodeWorksOnceInAnyCaseOrGrouping) {
  std::vector<std::string> codes;
  enable_mfa(first_.actor, &codes);
  ASSERT_EQ(codes.size(), 10u);
  std::string typed = codes[3];
  for (char& c : typed)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  typed.erase(std::remove(typed.begin(), typed.end(), '-'), typed.end());
  auto in = sign_in_with(typed);
  ASSERT_TRUE(in) << in.error().message;
  EXPECT_TRUE(in->actor.mfa_satisfied);
  EXPECT_FALSE(sign_in_with(codes[3]));
  EXPECT_EQ(*identity_.mfa().recovery_codes_left(ana_.id), 9);
  auto used = audit_of(AuditType::recovery_code_used);
  ASSERT_EQ(used.size(), 1u);
  EXPECT_NE(used[0].record.detail.find("\"left\":9"), std::string::npos);
  EXPECT_TRUE(told("A Latchkey recovery code was used"));
  // Another account's code is no good here.
  EXPECT_FALSE(sign_in_with("0000-0000-0000-0000-0000-0000"));
}

TEST_F(MfaTest, WrongCodesAreThrottledLikeWrongPasswords) {
  auto secret = enable_mfa(first_.actor);
  Result<SignedIn> last = fail(Error());
  for (int i = 0; i < 6; ++i)
    last = sign_in_with("000000", "ip:203.0.113.9");
  ASSERT_FALSE(last);
  EXPECT_EQ(last.error().code, Errc::rate_limited);
  // The owner elsewhere is not held up.
  EXPECT_TRUE(sign_in_with(current_code(secret)));
}

TEST_F(MfaTest, TurningItOffTakesTheCodeOrThePasswordAndEndsTheRecoveryCodes) {
  std::vector<std::string> codes;
  auto secret = enable_mfa(first_.actor, &codes);
  auto neither = run(identity_.mfa().disable(first_.actor, {}, "ip:198.51.100.7"));
  ASSERT_FALSE(neither);
  EXPECT_EQ(neither.error().code, Errc::missing_field);
  auto both = run(
      identity_.mfa().disable(first_.actor, {std::string(kPassword), "123456"}, "ip:198.51.100.7"));
  ASSERT_FALSE(both);
  EXPECT_EQ(both.error().code, Errc::invalid_field);
  auto wrong =
      run(identity_.mfa().disable(first_.actor, {std::nullopt, "000000"}, "ip:198.51.100.7"));
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error().code, Errc::unauthenticated);
  EXPECT_TRUE(identity_.accounts().find(ana_.id)->mfa_enabled);

  ASSERT_TRUE(run(identity_.mfa().disable(first_.actor, {std::nullopt, current_code(secret)},
                                          "ip:198.51.100.7")));
  EXPECT_FALSE(identity_.accounts().find(ana_.id)->mfa_enabled);
  EXPECT_EQ(count("SELECT count(*) FROM recovery_codes"), 0);
  EXPECT_TRUE(sign_in(sign_in_request()));
  EXPECT_EQ(audit_of(AuditType::mfa_disabled).size(), 1u);
  EXPECT_TRUE(told("Two-step sign-in is off"));
  auto again = run(identity_.mfa().disable(first_.actor, {std::string(kPassword), std::nullopt},
                                           "ip:198.51.100.7"));
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, Errc::conflict);
}

TEST_F(MfaTest, NewRecoveryCodesReplaceTheOldOnesAndAreTold) {
  std::vector<std::string> old_codes;
  enable_mfa(first_.actor, &old_codes);
  auto fresh = run(identity_.mfa().regenerate_recovery_codes(
      first_.actor, {std::string(kPassword), std::nullopt}, "ip:198.51.100.7"));
  ASSERT_TRUE(fresh) << fresh.error().message;
  ASSERT_EQ(fresh->size(), 10u);
  std::set<std::string> all(old_codes.begin(), old_codes.end());
  all.insert(fresh->begin(), fresh->end());
  EXPECT_EQ(all.size(), 20u);
  EXPECT_FALSE(sign_in_with(old_codes[0]));
  EXPECT_TRUE(sign_in_with((*fresh)[0]));
  EXPECT_EQ(audit_of(AuditType::recovery_codes_regenerated).size(), 1u);
  EXPECT_TRUE(told("New Latchkey recovery codes"));
}

TEST_F(MfaTest, BeginningAgainWhileOnIsAConflict) {
  enable_mfa(first_.actor);
  auto again = run(identity_.mfa().begin(first_.actor, kPassword, "ip:198.51.100.7"));
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, Errc::conflict);
}

}  // namespace
}  // namespace server::identity
