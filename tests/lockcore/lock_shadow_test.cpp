// The shadow: a signed, versioned desired state applied whole; stale or foreign ones refused.
#include <gtest/gtest.h>

#include "lock_harness.hpp"

namespace lockcore {
namespace {

using testing::code;

class LockShadow : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(h.pair()); }
  void expect_refused(const DesiredShadow& d, LockError error) {
    const Digest digest = h.lock->credentials().digest();
    const ReportedShadow reported = h.lock->reported();
    const Settings settings = h.lock->settings();
    const std::size_t sent = h.radio.reported.size();
    auto r = h.lock->on_desired(d);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error(), error);
    EXPECT_EQ(h.lock->credentials().digest(), digest);
    EXPECT_EQ(h.lock->reported().version, reported.version);
    EXPECT_EQ(h.lock->settings(), settings);
    EXPECT_EQ(h.radio.reported.size(), sent);
  }
  testing::LockHarness h;
};

TEST_F(LockShadow, AppliesTheDesiredStateAndReportsIt) {
  Settings s;
  s.auto_relock_s = 45;
  s.utc_offset_min = -360;
  auto d = h.shadow({code(1, "4831"), code(7, "90210", CredentialKind::backup)}, 5, s);
  ASSERT_TRUE(d->revoked_keys.push_back(KeyId{0xAB}));
  h.resign(*d);
  ASSERT_TRUE(h.lock->on_desired(*d).ok());
  EXPECT_EQ(h.lock->credentials().size(), 2U);
  EXPECT_EQ(h.lock->settings(), s);
  ASSERT_EQ(h.lock->revoked_keys().size(), 1U);
  ASSERT_EQ(h.radio.reported.size(), 1U);
  const ReportedShadow& r = h.radio.reported[0];
  EXPECT_EQ(r.version, 5U);
  EXPECT_EQ(r.epoch, h.lock->epoch());
  EXPECT_EQ(r.credential_digest,
            credential_digest({d->credentials.begin(), d->credentials.size()}));
  ASSERT_EQ(r.slots.size(), 2U);
  EXPECT_EQ(r.slots[1].slot, 7);
  EXPECT_EQ(r.slots[1].error, SlotError::none);
}

TEST_F(LockShadow, TheTableBecomesExactlyTheNewList) {
  ASSERT_TRUE(h.set_codes({code(1, "1111"), code(2, "2222")}));
  ASSERT_TRUE(h.set_codes({code(2, "2222"), code(3, "3333")}));
  EXPECT_FALSE(h.lock->credentials().occupied(1));
  EXPECT_EQ(h.lock->enter_pin("1111").reason, DenyReason::wrong_code);
  EXPECT_EQ(h.lock->enter_pin("3333").outcome, DoorOutcome::accepted);
}

TEST_F(LockShadow, FailedSlotsAreReportedAndTheRestApplied) {
  testing::LockHarness small({}, [] {
    LockConfig c = testing::LockHarness::default_config();
    c.pin_slots = 20;
    return c;
  }());
  ASSERT_TRUE(small.pair());
  auto d = small.shadow({code(1, "1111"), code(21, "2121"), code(2, "1111"), code(3, "3333")});
  ASSERT_TRUE(small.lock->on_desired(*d).ok());
  const ReportedShadow& r = small.lock->reported();
  ASSERT_EQ(r.slots.size(), 4U);
  EXPECT_EQ(r.slots[0].error, SlotError::none);
  EXPECT_EQ(r.slots[1].error, SlotError::slot_out_of_range);
  EXPECT_EQ(r.slots[2].error, SlotError::duplicate_pin);
  EXPECT_EQ(r.slots[3].error, SlotError::none);
  EXPECT_EQ(small.lock->credentials().size(), 2U);
  // The digest is of what is held, so the server sees that it differs from its full list.
  EXPECT_NE(r.credential_digest,
            credential_digest({d->credentials.begin(), d->credentials.size()}));
}

TEST_F(LockShadow, StaleAndReplayedVersionsAreRefused) {
  auto v2 = h.shadow({code(1, "1111")}, 2);
  ASSERT_TRUE(h.lock->on_desired(*v2).ok());
  expect_refused(*v2, LockError::stale_version);  // the same one again
  expect_refused(*h.shadow({code(1, "9999")}, 2), LockError::stale_version);
  expect_refused(*h.shadow({code(1, "9999")}, 1), LockError::stale_version);
  EXPECT_TRUE(h.lock->on_desired(*h.shadow({code(1, "9999")}, 3)).ok());
}

TEST_F(LockShadow, ForgedOrForeignShadowsAreRefused) {
  auto forged = h.shadow({code(1, "1111")});
  forged->credentials[0].pin.digits[0] = '2';  // edited after signing
  expect_refused(*forged, LockError::bad_signature);

  auto other_key = h.shadow({code(1, "1111")});
  other_key->sig = sign_shadow(*other_key, make_signing_keypair(h.random).secret_key);
  expect_refused(*other_key, LockError::bad_signature);

  auto other_lock = h.shadow({code(1, "1111")});
  other_lock->lock = DeviceId::from("u205");
  h.resign(*other_lock);
  expect_refused(*other_lock, LockError::wrong_lock);

  auto bad_settings = h.shadow({code(1, "1111")});
  bad_settings->settings.wrong_code_limit = 0;
  h.resign(*bad_settings);
  expect_refused(*bad_settings, LockError::invalid);
}

TEST_F(LockShadow, AShadowWrittenForAnOldEpochIsRefused) {
  auto old = h.shadow({code(1, "1111")}, 10);
  ASSERT_TRUE(h.lock->factory_reset().ok());
  ASSERT_TRUE(h.pair());
  expect_refused(*old, LockError::wrong_epoch);
  EXPECT_TRUE(h.lock->on_desired(*h.shadow({code(1, "1111")}, 11)).ok());
}

}  // namespace
}  // namespace lockcore
