// Digital keys: a grant signed by the site key opens the lock over Bluetooth offline; revoking it
// puts it on the lock's shadow and the lock refuses it from then on.

#include <gtest/gtest.h>

#include "lockcore/signing.hpp"
#include "tests/server/devices/loopback_site.hpp"

namespace devicestest {
namespace {

using namespace std::chrono_literals;
using server::Errc;
using server::audit::AuditType;

class DigitalKeys : public LoopbackSite {
 protected:
  void SetUp() override {
    add_lock("u204");
    commission("u204");
    lockcore::SeededRandom rng(7);
    phone = lockcore::make_signing_keypair(rng);
  }
  lockcore::AccessResult tap(const lockcore::DigitalKeyGrant& grant) {
    LoopLock& l = lock("u204");
    auto nonce =
        l.with_firmware([](lockcore::Lock& lock, auto&) { return lock.begin_bluetooth(); });
    EXPECT_TRUE(nonce);
    lockcore::BluetoothChallenge challenge{grant.site, grant.lock, grant.epoch, grant.id, *nonce};
    const lockcore::Signature response =
        lockcore::sign_bluetooth_response(challenge, phone.secret_key);
    auto r = l.with_firmware(
        [&](lockcore::Lock& lock, auto&) { return lock.bluetooth_unlock(grant, response); });
    advance(3s);
    l.with_firmware([](auto&, lockcore::model::ModelHardware& hw) { return hw.turn_key(true); });
    settle();
    return r;
  }
  lockcore::Window day() const { return {scheduler.now(), scheduler.now() + 24 * 3'600'000}; }

  lockcore::SigningKeyPair phone;
};

TEST_F(DigitalKeys, AnIssuedKeyOpensTheLockAndARevokedOneNoLonger) {
  auto issued = devices->issue_key(kSite, "u204", phone.public_key, day(), "account:acc_ana");
  ASSERT_TRUE(issued) << issued.error().message;
  EXPECT_TRUE(lockcore::verify_grant(issued->grant, *devices->site_key(kSite)));
  EXPECT_EQ(issued->grant.epoch, lock("u204").firmware().epoch());
  EXPECT_EQ(tap(issued->grant).outcome, lockcore::DoorOutcome::accepted);
  EXPECT_EQ(audits(AuditType::digital_key_issued).size(), 1u);

  std::vector<std::string> ids{issued->id};
  auto revoked = devices->revoke_keys(kSite, "u204", ids, "account:acc_manager");
  ASSERT_TRUE(revoked);
  EXPECT_EQ(*revoked, 1u);
  settle();
  auto result = tap(issued->grant);
  EXPECT_EQ(result.outcome, lockcore::DoorOutcome::denied);
  EXPECT_EQ(result.reason, lockcore::DenyReason::key_revoked);
  EXPECT_EQ(audits(AuditType::digital_key_revoked).size(), 1u);
  EXPECT_EQ(*devices->revoke_keys(kSite, "u204", ids, "account:acc_manager"), 0u);

  // Still revoked after a restart.
  restart_server();
  ASSERT_TRUE(devices->place(kSite, "u204", pin_code("cred_x", "2468")));
  settle();
  EXPECT_EQ(tap(issued->grant).reason, lockcore::DenyReason::key_revoked);
}

TEST_F(DigitalKeys, WindowsHoldersAndLocksAreChecked) {
  auto too_long = devices->issue_key(kSite, "u204", phone.public_key,
                                     {scheduler.now(), scheduler.now() + 25 * 3'600'000}, "x");
  ASSERT_FALSE(too_long);
  EXPECT_EQ(too_long.error().field, "window");
  auto unbounded = devices->issue_key(kSite, "u204", phone.public_key, {0, 0}, "x");
  ASSERT_FALSE(unbounded);
  EXPECT_EQ(unbounded.error().field, "window");
  lockcore::PublicKey not_a_point{};
  not_a_point.fill(0xff);
  auto bad_holder = devices->issue_key(kSite, "u204", not_a_point, day(), "x");
  ASSERT_FALSE(bad_holder);
  EXPECT_EQ(bad_holder.error().field, "holder");
  auto elsewhere = devices->issue_key("other-site", "u204", phone.public_key, day(), "x");
  ASSERT_FALSE(elsewhere);
  EXPECT_EQ(elsewhere.error().code, Errc::not_found);
  std::vector<std::string> bogus{"zz"};
  EXPECT_EQ(devices->revoke_keys(kSite, "u204", bogus, "x").error().field, "keys");
  std::vector<std::string> unknown{"0011223344556677"};
  EXPECT_EQ(devices->revoke_keys(kSite, "u204", unknown, "x").error().code, Errc::not_found);
}

TEST_F(DigitalKeys, AKeyFromBeforeAFactoryResetOpensNothing) {
  auto issued = devices->issue_key(kSite, "u204", phone.public_key, day(), "account:acc_ana");
  ASSERT_TRUE(issued);
  lock("u204").with_firmware([](lockcore::Lock& l, auto&) { return l.factory_reset().ok(); });
  settle();
  auto re = run(devices->reenroll(std::string(kSite), "u204", "account:acc_support"));
  ASSERT_TRUE(re);
  settle();
  EXPECT_EQ(tap(issued->grant).reason, lockcore::DenyReason::wrong_epoch);
}

}  // namespace
}  // namespace devicestest
