// Digital keys over Bluetooth: a site-signed grant plus the holder's signature over a fresh nonce.
#include <gtest/gtest.h>

#include "lock_harness.hpp"

namespace lockcore {
namespace {

using testing::kHour;
using testing::kSecond;
using testing::kStart;

class LockBluetooth : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(h.pair());
    grant = make_grant(KeyId{1, 2, 3, 4});
  }
  DigitalKeyGrant make_grant(KeyId id) {
    DigitalKeyGrant g;
    g.id = id;
    g.site = h.config.site;
    g.lock = h.config.lock;
    g.holder = phone.public_key;
    g.window = {kStart, kStart + 24 * kHour};
    g.epoch = h.lock->epoch();
    g.sig = sign_grant(g, h.site.secret_key);
    return g;
  }
  Signature answer(const Nonce& nonce, const DigitalKeyGrant& g, const SecretKey& key) {
    return sign_bluetooth_response({h.config.site, h.config.lock, h.lock->epoch(), g.id, nonce},
                                   key);
  }
  // One full attempt: challenge, answer by `key`, unlock.
  AccessResult attempt(const DigitalKeyGrant& g, const SecretKey& key) {
    auto nonce = h.lock->begin_bluetooth();
    EXPECT_TRUE(nonce.ok());
    return h.lock->bluetooth_unlock(g, answer(*nonce, g, key));
  }
  void expect_denied(AccessResult r, DenyReason reason) {
    EXPECT_EQ(r.outcome, DoorOutcome::denied);
    EXPECT_EQ(r.reason, reason);
    h.settle();
    EXPECT_EQ(h.lock->bolt(), BoltState::locked);
    EXPECT_EQ(h.last(EventType::unlock_denied)->reason, reason);
    EXPECT_EQ(h.last(EventType::unlock_denied)->source, AccessSource::bluetooth);
  }

  testing::LockHarness h;
  SigningKeyPair phone = make_signing_keypair(h.random);
  DigitalKeyGrant grant;
};

TEST_F(LockBluetooth, AValidKeyAnsweringAFreshChallengeUnlocks) {
  const AccessResult r = attempt(grant, phone.secret_key);
  EXPECT_EQ(r.outcome, DoorOutcome::accepted);
  EXPECT_EQ(r.source, AccessSource::bluetooth);
  h.settle();
  EXPECT_EQ(h.lock->bolt(), BoltState::unlocked);
  EXPECT_EQ(h.last(EventType::unlocked)->key, grant.id);
}

TEST_F(LockBluetooth, ARecordedExchangeCannotBeReplayed) {
  auto first = h.lock->begin_bluetooth();
  const Signature recorded = answer(*first, grant, phone.secret_key);
  ASSERT_EQ(h.lock->bluetooth_unlock(grant, recorded).outcome, DoorOutcome::accepted);
  h.settle();
  ASSERT_TRUE(h.lock->on_command(h.command(CommandOp::lock)).ok());
  h.settle();
  // Same response again: the nonce was single use.
  expect_denied(h.lock->bluetooth_unlock(grant, recorded), DenyReason::bad_key);
  // Same response against a new nonce.
  auto second = h.lock->begin_bluetooth();
  ASSERT_NE(*first, *second);
  expect_denied(h.lock->bluetooth_unlock(grant, recorded), DenyReason::bad_key);
}

TEST_F(LockBluetooth, AChallengeMustBeAnsweredWithin30Seconds) {
  auto nonce = h.lock->begin_bluetooth();
  h.clock.advance(kBluetoothNonceMs + 1);
  expect_denied(h.lock->bluetooth_unlock(grant, answer(*nonce, grant, phone.secret_key)),
                DenyReason::bad_key);
}

TEST_F(LockBluetooth, AFailedAttemptUsesUpTheChallenge) {
  auto nonce = h.lock->begin_bluetooth();
  const Signature good = answer(*nonce, grant, phone.secret_key);
  Signature bad = good;
  bad[5] ^= 1;
  expect_denied(h.lock->bluetooth_unlock(grant, bad), DenyReason::bad_key);
  expect_denied(h.lock->bluetooth_unlock(grant, good), DenyReason::bad_key);
}

TEST_F(LockBluetooth, SomeoneElsesPhoneCannotAnswerForTheHolder) {
  expect_denied(attempt(grant, make_signing_keypair(h.random).secret_key), DenyReason::bad_key);
}

TEST_F(LockBluetooth, RevokedKeysAreRefused) {
  auto d = h.shadow({});
  ASSERT_TRUE(d->revoked_keys.push_back(grant.id));
  h.resign(*d);
  ASSERT_TRUE(h.lock->on_desired(*d).ok());
  expect_denied(attempt(grant, phone.secret_key), DenyReason::key_revoked);
  EXPECT_EQ(attempt(make_grant(KeyId{9}), phone.secret_key).outcome, DoorOutcome::accepted);
}

TEST_F(LockBluetooth, GrantsForAnotherLockOrEpochOrOutsideTheirWindowAreRefused) {
  DigitalKeyGrant other_lock = grant;
  other_lock.lock = DeviceId::from("u205");
  other_lock.sig = sign_grant(other_lock, h.site.secret_key);
  expect_denied(attempt(other_lock, phone.secret_key), DenyReason::bad_key);

  DigitalKeyGrant old_epoch = grant;
  old_epoch.epoch ^= 0x10;
  old_epoch.sig = sign_grant(old_epoch, h.site.secret_key);
  expect_denied(attempt(old_epoch, phone.secret_key), DenyReason::wrong_epoch);

  DigitalKeyGrant later = grant;
  later.window = {kStart + kHour, kStart + 2 * kHour};
  later.sig = sign_grant(later, h.site.secret_key);
  expect_denied(attempt(later, phone.secret_key), DenyReason::key_expired);

  DigitalKeyGrant self_signed = grant;
  self_signed.window = {0, 0};
  self_signed.sig = sign_grant(self_signed, phone.secret_key);  // a phone minting its own key
  expect_denied(attempt(self_signed, phone.secret_key), DenyReason::bad_key);
}

TEST_F(LockBluetooth, AfterAFactoryResetOldGrantsAreRefused) {
  ASSERT_TRUE(h.lock->factory_reset().ok());
  ASSERT_TRUE(h.pair());
  expect_denied(attempt(grant, phone.secret_key), DenyReason::wrong_epoch);
}

TEST_F(LockBluetooth, AnAnswerWithoutAChallengeIsRefused) {
  expect_denied(h.lock->bluetooth_unlock(grant, Signature{}), DenyReason::bad_key);
  EXPECT_EQ(h.lock->wrong_code_count(), 0);  // Bluetooth failures are not keypad guesses
  h.clock.advance(kSecond);
}

}  // namespace
}  // namespace lockcore
