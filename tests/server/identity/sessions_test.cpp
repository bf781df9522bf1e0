// Sessions: signing in with the same answer and the same work whether or not the account
// exists, tokens that expire on the injected clock, refresh rotation with theft detection, sign
// out, and throttling that an attacker cannot turn into a lockout of the owner.

#include "tests/server/identity/fixture.hpp"

namespace server::identity {
namespace {

using audit::AuditType;
using testing::DeviceKeys;
using testing::IdentityTest;

using SessionsTest = IdentityTest;
using std::chrono::milliseconds;

TEST_F(SessionsTest, SigningInGivesASessionWhoseAccessTokenNamesTheAccount) {
  Account ana = make_account();
  auto in = sign_in(sign_in_request("ANA@example.test"));
  ASSERT_TRUE(in) << in.error().message;
  EXPECT_EQ(in->actor.account, ana.id);
  EXPECT_TRUE(in->actor.session.starts_with("ses_"));
  EXPECT_FALSE(in->actor.device);
  EXPECT_FALSE(in->actor.mfa_satisfied);
  EXPECT_EQ(in->tokens.access_expires, kStart + 15 * 60'000);
  EXPECT_EQ(in->tokens.refresh_expires, kStart + 30 * 24 * 3'600'000LL);
  EXPECT_NE(in->tokens.access_token, in->tokens.refresh_token);

  auto actor = identity_.sessions().authenticate(in->tokens.access_token);
  ASSERT_TRUE(actor);
  EXPECT_EQ(actor->account, ana.id);
  EXPECT_EQ(actor->session, in->actor.session);
  // The refresh token is not an access token.
  EXPECT_FALSE(identity_.sessions().authenticate(in->tokens.refresh_token));

  auto signed_ins = audit_of(AuditType::sign_in);
  ASSERT_EQ(signed_ins.size(), 1u);
  EXPECT_EQ(signed_ins[0].record.subject, "account:" + ana.id);
  EXPECT_EQ(signed_ins[0].record.detail.find(kPassword), std::string::npos);
}

TEST_F(SessionsTest, TokensAreStoredOnlyAsDigests) {
  make_account();
  SignedIn in = signed_in();
  auto rows = store_.db().query("SELECT access_hash, refresh_hash FROM sessions");
  ASSERT_TRUE(rows);
  ASSERT_EQ(rows->size(), 1u);
  const Digest access = digest(in.tokens.access_token);
  auto stored = (*rows)[0].blob(0);
  ASSERT_TRUE(stored);
  EXPECT_TRUE(std::equal(stored->begin(), stored->end(), access.begin(), access.end()));
  auto by_token = store_.db().query(
      "SELECT count(*) FROM sessions WHERE access_hash = ? OR "
      "refresh_hash = ?",
      {in.tokens.access_token, in.tokens.refresh_token});
  ASSERT_TRUE(by_token);
  EXPECT_EQ(*(*by_token)[0].int64(0), 0);
}

TEST_F(SessionsTest, AnUnknownAccountAndAWrongPasswordGetTheSameAnswerAfterTheSameWork) {
  make_account();
  const auto before = identity_.hasher().stats();
  auto unknown = sign_in(sign_in_request("nobody@example.test", "wrong password here"));
  const auto after_unknown = identity_.hasher().stats();
  auto wrong = sign_in(sign_in_request("ana@example.test", "wrong password here"));
  const auto after_wrong = identity_.hasher().stats();

  ASSERT_FALSE(unknown);
  ASSERT_FALSE(wrong);
  EXPECT_EQ(unknown.error().code, Errc::unauthenticated);
  EXPECT_EQ(unknown.error().code, wrong.error().code);
  EXPECT_EQ(unknown.error().message, wrong.error().message);
  EXPECT_EQ(unknown.error().field, wrong.error().field);
  EXPECT_EQ(unknown.error().retry_after_s, wrong.error().retry_after_s);
  // One argon2id verification each, at the same cost (the dummy hash is made at the hasher's).
  EXPECT_EQ(after_unknown.verifications - before.verifications, 1u);
  EXPECT_EQ(after_wrong.verifications - after_unknown.verifications, 1u);
  EXPECT_EQ(after_wrong.hashes, before.hashes);
  EXPECT_TRUE(identity_.hasher().dummy_hash().starts_with("$argon2id$v=19$m=8,t=1,p=1$"));
  // Both audited as failed sign-ins by the source; the unknown one names no account.
  auto failed = audit_of(AuditType::sign_in_failed);
  ASSERT_EQ(failed.size(), 2u);
  EXPECT_EQ(failed[1].record.actor, "ip:198.51.100.7");
  EXPECT_EQ(failed[1].record.subject, "");
  EXPECT_NE(failed[1].record.detail.find("unknown_account"), std::string::npos);
  EXPECT_EQ(failed[0].record.actor, "ip:198.51.100.7");
  EXPECT_NE(failed[0].record.detail.find("wrong_password"), std::string::npos);
  EXPECT_EQ(count("SELECT count(*) FROM sessions"), 0);
}

TEST_F(SessionsTest, MalformedRequestsAreRefusedBeforeAnyWork) {
  make_account();
  EXPECT_EQ(sign_in(sign_in_request("' OR '1'='1", kPassword)).error().field, "email");
  EXPECT_EQ(sign_in(sign_in_request("ana@example.test", "")).error().code, Errc::missing_field);
  EXPECT_EQ(sign_in(sign_in_request("ana@example.test", std::string(2000, 'x'))).error().field,
            "password");
  EXPECT_EQ(identity_.hasher().stats().verifications, 0u);
}

TEST_F(SessionsTest, AnAccessTokenExpiresAfterFifteenMinutesOnTheInjectedClock) {
  make_account();
  SignedIn in = signed_in();
  clock_.advance_by(milliseconds(15 * 60'000 - 1));
  EXPECT_TRUE(identity_.sessions().authenticate(in.tokens.access_token));
  clock_.advance_by(milliseconds(1));
  auto expired = identity_.sessions().authenticate(in.tokens.access_token);
  ASSERT_FALSE(expired);
  EXPECT_EQ(expired.error().code, Errc::unauthenticated);
  // The refresh token still buys a new pair.
  auto refreshed = identity_.sessions().refresh(in.tokens.refresh_token, "ip:198.51.100.7");
  ASSERT_TRUE(refreshed);
  EXPECT_TRUE(identity_.sessions().authenticate(refreshed->tokens.access_token));
}

TEST_F(SessionsTest, RefreshRotatesBothTokensAndTheOldOnesStopWorking) {
  make_account();
  SignedIn in = signed_in();
  clock_.advance_by(milliseconds(60'000));
  auto next = identity_.sessions().refresh(in.tokens.refresh_token, "ip:198.51.100.7");
  ASSERT_TRUE(next);
  EXPECT_EQ(next->actor.session, in.actor.session);
  EXPECT_NE(next->tokens.access_token, in.tokens.access_token);
  EXPECT_NE(next->tokens.refresh_token, in.tokens.refresh_token);
  EXPECT_EQ(next->tokens.access_expires, kStart + 60'000 + 15 * 60'000);
  EXPECT_FALSE(identity_.sessions().authenticate(in.tokens.access_token));
  EXPECT_TRUE(identity_.sessions().authenticate(next->tokens.access_token));
  auto again = identity_.sessions().refresh(next->tokens.refresh_token, "ip:198.51.100.7");
  ASSERT_TRUE(again);
}

TEST_F(SessionsTest, AReusedRefreshTokenEndsTheWholeSessionAndIsAuditedAndTold) {
  Account ana = make_account();
  SignedIn in = signed_in();
  auto legit = identity_.sessions().refresh(in.tokens.refresh_token, "ip:198.51.100.7");
  ASSERT_TRUE(legit);
  const auto notices_before = notices_to(ana.id).size();

  auto thief = identity_.sessions().refresh(in.tokens.refresh_token, "ip:203.0.113.66");
  ASSERT_FALSE(thief);
  EXPECT_EQ(thief.error().code, Errc::unauthenticated);
  // The session is over for both holders.
  EXPECT_FALSE(identity_.sessions().authenticate(legit->tokens.access_token));
  EXPECT_FALSE(identity_.sessions().refresh(legit->tokens.refresh_token, "ip:198.51.100.7"));
  auto reused = audit_of(AuditType::refresh_token_reused);
  ASSERT_EQ(reused.size(), 1u);
  EXPECT_EQ(reused[0].record.actor, "ip:203.0.113.66");
  EXPECT_EQ(reused[0].record.subject, "session:" + in.actor.session);
  EXPECT_EQ(notices_to(ana.id).size(), notices_before + 1);
  // Presenting it yet again changes nothing more.
  EXPECT_FALSE(identity_.sessions().refresh(in.tokens.refresh_token, "ip:203.0.113.66"));
  EXPECT_EQ(audit_of(AuditType::refresh_token_reused).size(), 1u);
}

TEST_F(SessionsTest, RefreshTokensExpireAndNoSessionOutlivesNinetyDays) {
  make_account();
  SignedIn in = signed_in();
  clock_.advance_by(milliseconds(30 * 24 * 3'600'000LL));
  EXPECT_FALSE(identity_.sessions().refresh(in.tokens.refresh_token, "ip:198.51.100.7"));

  SignedIn kept = signed_in();
  const lockcore::UnixMs ends = clock_.now() + 90 * 24 * 3'600'000LL;
  std::string refresh = kept.tokens.refresh_token;
  for (int day = 0; day < 89; ++day) {
    clock_.advance_by(milliseconds(24 * 3'600'000LL));
    auto next = identity_.sessions().refresh(refresh, "ip:198.51.100.7");
    ASSERT_TRUE(next) << "day " << day;
    refresh = next->tokens.refresh_token;
    EXPECT_LE(next->tokens.refresh_expires, ends);
    EXPECT_LE(next->tokens.access_expires, ends);
  }
  clock_.advance_by(milliseconds(24 * 3'600'000LL));
  EXPECT_FALSE(identity_.sessions().refresh(refresh, "ip:198.51.100.7"));
}

TEST_F(SessionsTest, SigningOutEndsTheSessionAndIsAudited) {
  make_account();
  SignedIn in = signed_in();
  SignedIn other = signed_in();
  ASSERT_TRUE(identity_.sessions().sign_out(in.actor));
  EXPECT_FALSE(identity_.sessions().authenticate(in.tokens.access_token));
  EXPECT_FALSE(identity_.sessions().refresh(in.tokens.refresh_token, "ip:198.51.100.7"));
  EXPECT_TRUE(identity_.sessions().authenticate(other.tokens.access_token));
  EXPECT_EQ(identity_.sessions().sign_out(in.actor).error().code, Errc::unauthenticated);
  EXPECT_EQ(audit_of(AuditType::sign_out).size(), 1u);
}

TEST_F(SessionsTest, ForgedAndMalformedTokensAreUnauthenticated) {
  make_account();
  signed_in();
  for (const std::string& token :
       {std::string(), std::string("' OR 1=1 --"), new_token(), std::string(43, 'A'),
        new_token() + "A", std::string(10'000, 'a')}) {
    auto who = identity_.sessions().authenticate(token);
    ASSERT_FALSE(who);
    EXPECT_EQ(who.error().code, Errc::unauthenticated);
    EXPECT_FALSE(identity_.sessions().refresh(token, "ip:198.51.100.7"));
  }
}

TEST_F(SessionsTest, ASignInFromAnUnenrolledDeviceIsToldToThePerson) {
  Account ana = make_account();
  signed_in();
  auto notices = notices_to(ana.id);
  ASSERT_EQ(notices.size(), 1u);
  EXPECT_EQ(notices[0].notice.subject, "New sign-in to your Latchkey account");
  EXPECT_EQ(notices[0].notice.channel, notify::Channel::email);
  EXPECT_EQ(notices[0].notice.kind, notify::Kind::security_notice);
  EXPECT_NE(notices[0].notice.body.find("198.51.100.7"), std::string::npos);
  EXPECT_EQ(notices[0].notice.body.find(kPassword), std::string::npos);
}

TEST_F(SessionsTest, AnEnrolledDeviceSignsInBoundToItselfAndWithoutANotice) {
  Account ana = make_account();
  SignedIn first = signed_in();
  DeviceKeys keys;
  auto phone = identity_.devices().enroll(first.actor, "Ana's phone", keys.public_text());
  ASSERT_TRUE(phone);
  const auto notices_before = notices_to(ana.id).size();

  clock_.advance_by(milliseconds(1'000));
  SignIn request = sign_in_request();
  request.device = keys.proof(phone->id, "ana@example.test", clock_.now());
  auto in = sign_in(request);
  ASSERT_TRUE(in) << in.error().message;
  EXPECT_EQ(in->actor.device, phone->id);
  EXPECT_EQ(notices_to(ana.id).size(), notices_before);
  EXPECT_EQ(identity_.devices().list(ana.id)->at(0).last_seen, clock_.now());

  // The same proof again (a replay) is ignored: the sign-in is treated as from a new device.
  auto replayed = sign_in(request);
  ASSERT_TRUE(replayed);
  EXPECT_FALSE(replayed->actor.device);
  EXPECT_EQ(notices_to(ana.id).size(), notices_before + 1);
}

TEST_F(SessionsTest, StaleForgedOrForeignDeviceProofsAreIgnored) {
  make_account("ana@example.test", "+15555550100");
  make_account("bo@example.test", "+15555550101");
  SignedIn ana = signed_in("ana@example.test");
  DeviceKeys keys;
  auto phone = identity_.devices().enroll(ana.actor, "Ana's phone", keys.public_text());
  ASSERT_TRUE(phone);
  clock_.advance_by(milliseconds(10 * 60'000));

  DeviceKeys other;
  const lockcore::UnixMs now = clock_.now();
  const DeviceProof proofs[] = {
      keys.proof(phone->id, "ana@example.test", now - kProofWindowMs - 1),  // too old
      keys.proof(phone->id, "ana@example.test", now + kProofWindowMs + 1),  // from the future
      other.proof(phone->id, "ana@example.test", now),                      // another key
      keys.proof("dev_unknown", "ana@example.test", now),                   // no such device
  };
  for (const DeviceProof& proof : proofs) {
    SignIn request = sign_in_request();
    request.device = proof;
    auto in = sign_in(request);
    ASSERT_TRUE(in);
    EXPECT_FALSE(in->actor.device);
  }
  // Ana's device vouches for nobody else: Bo's sign-in with it is not bound or trusted.
  SignIn as_bo = sign_in_request("bo@example.test");
  as_bo.device = keys.proof(phone->id, "bo@example.test", now);
  auto bo = sign_in(as_bo);
  ASSERT_TRUE(bo);
  EXPECT_FALSE(bo->actor.device);
}

TEST_F(SessionsTest, AnAttackerHammeringTheAccountCannotLockItsOwnerOut) {
  Account ana = make_account();
  // The owner signed in from home once, and enrolled their phone.
  SignedIn home = signed_in();
  DeviceKeys keys;
  auto phone = identity_.devices().enroll(home.actor, "Ana's phone", keys.public_text());
  ASSERT_TRUE(phone);

  // A botnet: 25 addresses, each guessing until it is told to wait.
  int refused = 0;
  for (int host = 1; host <= 25; ++host) {
    for (int i = 0; i < 6; ++i) {
      auto guess = sign_in(sign_in_request("ana@example.test", "guess " + std::to_string(i),
                                           "ip:203.0.113." + std::to_string(host)));
      ASSERT_FALSE(guess);
      if (guess.error().code == Errc::rate_limited) ++refused;
    }
  }
  EXPECT_GT(refused, 0);
  EXPECT_EQ(count("SELECT count(*) FROM sign_in_failures"), 100);
  // The account is closed to anyone new…
  auto newcomer = sign_in(sign_in_request("ana@example.test", kPassword, "ip:192.0.2.50"));
  ASSERT_FALSE(newcomer);
  EXPECT_EQ(newcomer.error().code, Errc::rate_limited);
  EXPECT_GT(*newcomer.error().retry_after_s, 0);
  // …but not to its owner: from home,
  EXPECT_TRUE(sign_in(sign_in_request("ana@example.test", kPassword, "ip:198.51.100.7")));
  // and from their phone on a network they have never used.
  clock_.advance_by(milliseconds(1'000));
  SignIn from_phone = sign_in_request("ana@example.test", kPassword, "ip:192.0.2.77");
  from_phone.device = keys.proof(phone->id, "ana@example.test", clock_.now());
  auto in = sign_in(from_phone);
  ASSERT_TRUE(in) << in.error().message;
  EXPECT_EQ(in->actor.device, phone->id);
  EXPECT_EQ(identity_.accounts().find(ana.id)->status, AccountStatus::active);
  // Nobody's throttling depends on whether the account exists.
  auto ghost = sign_in(sign_in_request("ghost@example.test", "guess", "ip:192.0.2.50"));
  ASSERT_FALSE(ghost);
  EXPECT_EQ(ghost.error().code, Errc::unauthenticated);
}

TEST_F(SessionsTest, RateLimitedAttemptsCostNoHashing) {
  make_account();
  for (int i = 0; i < 5; ++i)
    EXPECT_FALSE(sign_in(sign_in_request("ana@example.test", "guess", "ip:203.0.113.9")));
  const auto before = identity_.hasher().stats().verifications;
  auto limited = sign_in(sign_in_request("ana@example.test", kPassword, "ip:203.0.113.9"));
  ASSERT_FALSE(limited);
  EXPECT_EQ(limited.error().code, Errc::rate_limited);
  EXPECT_EQ(limited.error().retry_after_s, 1);
  EXPECT_EQ(identity_.hasher().stats().verifications, before);
  clock_.advance_by(milliseconds(1'000));
  EXPECT_TRUE(sign_in(sign_in_request("ana@example.test", kPassword, "ip:203.0.113.9")));
}

TEST_F(SessionsTest, AHashUnderAnOlderCostIsReplacedAtTheNextSignIn) {
  Account ana = make_account();
  // Store a hash made at a higher cost than this server's, as after a configuration change.
  PasswordHasher older(HashCost{2, 16u << 10});
  auto hashed = run(older.hash(kPassword));
  ASSERT_TRUE(hashed);
  ASSERT_TRUE(
      store_.db().execute("UPDATE accounts SET password_hash = ? WHERE id = ?", {*hashed, ana.id}));
  signed_in();
  auto stored = identity_.accounts().load(ana.id);
  ASSERT_TRUE(stored);
  EXPECT_NE(stored->password_hash, *hashed);
  EXPECT_TRUE(stored->password_hash.starts_with("$argon2id$v=19$m=8,t=1,p=1$"));
  EXPECT_TRUE(sign_in(sign_in_request()));
}

}  // namespace
}  // namespace server::identity
