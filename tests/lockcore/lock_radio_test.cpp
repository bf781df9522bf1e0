// Commands, pairing, events over the radio, reconnects and factory reset; hostile input refused.
#include <functional>

#include <gtest/gtest.h>

#include "lock_harness.hpp"
#include "lockcore/offline_pin.hpp"

namespace lockcore {
namespace {

using testing::code;
using testing::kMinute;
using testing::kSecond;

// Everything a refused command must leave as it was.
struct Snapshot {
  explicit Snapshot(const Lock& lock)
      : state(lock.state()),
        events(lock.events().begin(), lock.events().end()),
        digest(lock.credentials().digest()),
        remembered(lock.remembered_commands()) {}
  void expect_same_as(const Lock& lock) const {
    const StateReport now = lock.state();
    EXPECT_EQ(now.bolt, state.bolt);
    EXPECT_EQ(now.paired, state.paired);
    EXPECT_EQ(now.epoch, state.epoch);
    EXPECT_EQ(now.event_seq, state.event_seq);
    EXPECT_EQ(lock.events().size(), events.size());
    EXPECT_EQ(lock.credentials().digest(), digest);
    EXPECT_EQ(lock.remembered_commands(), remembered);
  }
  StateReport state;
  std::vector<Event> events;
  Digest digest;
  std::size_t remembered;
};

class LockRadio : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(h.pair());
    ASSERT_TRUE(h.set_codes({code(1, "4831")}));
  }
  // Sends `cmd`, expects it refused with `error` and acked so, and nothing changed.
  void expect_refused(const Command& cmd, LockError error) {
    const Snapshot before(*h.lock);
    h.radio.acks.clear();
    auto r = h.lock->on_command(cmd);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error(), error);
    ASSERT_EQ(h.radio.acks.size(), 1U);
    EXPECT_EQ(h.radio.acks[0].id, cmd.id);
    EXPECT_EQ(h.radio.acks[0].error, error);
    h.settle();
    EXPECT_EQ(h.hw.motor(), MotorDrive::stop);
    before.expect_same_as(*h.lock);
  }
  testing::LockHarness h;
};

TEST(LockPairing, AnUnpairedLockAcceptsNothingButPair) {
  testing::LockHarness h;
  EXPECT_FALSE(h.lock->paired());
  auto r = h.lock->on_command(h.command(CommandOp::unlock));
  EXPECT_EQ(r.error(), LockError::not_paired);
  EXPECT_EQ(h.lock->on_desired(*h.shadow({code(1, "1111")})).error(), LockError::not_paired);
  EXPECT_EQ(h.lock->begin_bluetooth().error(), LockError::not_paired);
  EXPECT_EQ(h.lock->bolt(), BoltState::locked);
}

TEST(LockPairing, PairingLearnsTheSiteKeyAndSharesTheOfflineSecret) {
  testing::LockHarness h;
  const Command pair = h.pair_command();
  ASSERT_TRUE(h.lock->on_command(pair).ok());
  EXPECT_TRUE(h.lock->paired());
  EXPECT_TRUE(h.radio.states.back().paired);
  EXPECT_EQ(h.radio.acks.back().error, LockError::none);
  ASSERT_NE(h.last(EventType::paired), nullptr);
  EXPECT_EQ(h.last(EventType::paired)->value, h.lock->epoch());
  const auto server_secret = server_offline_secret(h.server, h.lock->state().pairing_key);
  EXPECT_EQ(h.lock->offline_secret(), server_secret.value());
  EXPECT_TRUE(h.lock->on_command(h.command(CommandOp::unlock)).ok());
}

TEST(LockPairing, HostilePairCommandsAreRefused) {
  testing::LockHarness h;
  Command wrong_code = h.pair_command();
  wrong_code.sig = sign_pair_command(wrong_code, pairing_code_key("guessed"));
  EXPECT_EQ(h.lock->on_command(wrong_code).error(), LockError::bad_signature);

  Command site_signed = h.pair_command();
  site_signed.sig = sign_command(site_signed, h.site.secret_key);  // not how pair is authenticated
  EXPECT_EQ(h.lock->on_command(site_signed).error(), LockError::bad_signature);

  Command old_epoch = h.pair_command();
  old_epoch.pair.epoch ^= 1;
  old_epoch.sig = sign_pair_command(old_epoch, h.config.pairing_code_key);
  EXPECT_EQ(h.lock->on_command(old_epoch).error(), LockError::wrong_epoch);

  Command bad_point = h.pair_command();
  bad_point.pair.site_key = PublicKey{};
  bad_point.sig = sign_pair_command(bad_point, h.config.pairing_code_key);
  EXPECT_EQ(h.lock->on_command(bad_point).error(), LockError::invalid);
  EXPECT_FALSE(h.lock->paired());
  EXPECT_EQ(h.count(EventType::paired), 0U);
}

TEST(LockPairing, ARetriedPairSucceedsButAnotherServerMustFactoryResetFirst) {
  testing::LockHarness h;
  ASSERT_TRUE(h.pair());
  ASSERT_TRUE(h.pair());  // the first ack was lost; the retry (a new id) succeeds again
  EXPECT_EQ(h.count(EventType::paired), 1U);

  Command takeover = h.pair_command();
  takeover.pair.site_key = make_signing_keypair(h.random).public_key;
  takeover.sig = sign_pair_command(takeover, h.config.pairing_code_key);
  EXPECT_EQ(h.lock->on_command(takeover).error(), LockError::already_paired);
  EXPECT_TRUE(h.lock->on_command(h.command(CommandOp::unlock)).ok());  // still the old site's
}

TEST_F(LockRadio, WrongSignaturesAreRefused) {
  Command flipped = h.command(CommandOp::unlock);
  flipped.sig[0] ^= 0x01;
  expect_refused(flipped, LockError::bad_signature);

  Command other_key = h.unsigned_command(CommandOp::unlock);
  other_key.sig = sign_command(other_key, make_signing_keypair(h.random).secret_key);
  expect_refused(other_key, LockError::bad_signature);

  Command unsigned_cmd = h.unsigned_command(CommandOp::unlock);
  expect_refused(unsigned_cmd, LockError::bad_signature);

  Command edited = h.command(CommandOp::lock);
  edited.op = CommandOp::unlock;  // signed as lock, sent as unlock
  expect_refused(edited, LockError::bad_signature);
}

TEST_F(LockRadio, CommandsForAnotherLockOrSiteAreRefused) {
  Command other_lock = h.unsigned_command(CommandOp::unlock);
  other_lock.lock = DeviceId::from("u205");
  other_lock.sig = sign_command(other_lock, h.site.secret_key);
  expect_refused(other_lock, LockError::wrong_lock);

  Command other_site = h.unsigned_command(CommandOp::unlock);
  other_site.site = DeviceId::from("harbor-flats");
  other_site.sig = sign_command(other_site, h.site.secret_key);
  expect_refused(other_site, LockError::wrong_lock);
}

TEST_F(LockRadio, ReplaysAreRefusedEvenAfterOtherCommands) {
  const Command unlock = h.command(CommandOp::unlock);
  ASSERT_TRUE(h.lock->on_command(unlock).ok());
  h.settle();
  ASSERT_TRUE(h.lock->on_command(h.command(CommandOp::lock)).ok());
  h.settle();
  ASSERT_EQ(h.lock->bolt(), BoltState::locked);
  expect_refused(unlock, LockError::replayed);
  EXPECT_EQ(h.lock->bolt(), BoltState::locked);
}

TEST_F(LockRadio, ExpiredAndFarFutureCommandsAreRefused) {
  const Command stale = h.command(CommandOp::unlock, kMinute);
  h.clock.advance(kMinute + 1);
  expect_refused(stale, LockError::expired);

  Command future = h.unsigned_command(CommandOp::unlock);
  future.issued = h.clock.now() + kMaxClockSkewMs + 1;
  future.expires = future.issued + kMinute;
  future.sig = sign_command(future, h.site.secret_key);
  expect_refused(future, LockError::expired);

  Command forever = h.unsigned_command(CommandOp::unlock);
  forever.expires = forever.issued + kMaxCommandLifetimeMs + 1;
  forever.sig = sign_command(forever, h.site.secret_key);
  expect_refused(forever, LockError::expired);

  Command backwards = h.unsigned_command(CommandOp::unlock);
  backwards.expires = backwards.issued - 1;
  backwards.issued = h.clock.now() + 1;
  backwards.sig = sign_command(backwards, h.site.secret_key);
  expect_refused(backwards, LockError::expired);

  // A little clock skew is tolerated.
  Command skewed = h.unsigned_command(CommandOp::unlock);
  skewed.issued = h.clock.now() + kMaxClockSkewMs;
  skewed.expires = skewed.issued + kMinute;
  skewed.sig = sign_command(skewed, h.site.secret_key);
  EXPECT_TRUE(h.lock->on_command(skewed).ok());
}

TEST_F(LockRadio, UnknownOpsAreRefused) {
  Command cmd = h.unsigned_command(CommandOp::unlock);
  cmd.op = static_cast<CommandOp>(42);
  cmd.sig = sign_command(cmd, h.site.secret_key);
  expect_refused(cmd, LockError::invalid);
}

TEST_F(LockRadio, AFullReplayWindowRefusesAsBusyUntilIdsExpire) {
  const std::size_t room = kReplayWindowCapacity - h.lock->remembered_commands();  // pair's id
  ASSERT_TRUE(h.lock->on_command(h.command(CommandOp::events_ack, 10 * kSecond)).ok());
  for (std::size_t i = 1; i < room; ++i) {
    ASSERT_TRUE(h.lock->on_command(h.command(CommandOp::events_ack, kMinute)).ok()) << i;
  }
  expect_refused(h.command(CommandOp::unlock), LockError::busy);
  h.clock.advance(11 * kSecond);  // the first id expired: there is room again
  EXPECT_TRUE(h.lock->on_command(h.command(CommandOp::unlock)).ok());
}

TEST_F(LockRadio, EventsAckDropsStoredEvents) {
  h.lock->enter_pin("0000");
  h.lock->enter_pin("0000");
  const std::uint32_t last = h.lock->state().event_seq;
  ASSERT_GE(h.lock->events().size(), 2U);
  Command ack = h.command(CommandOp::events_ack);
  ack.upto = last - 1;
  ack.sig = sign_command(ack, h.site.secret_key);
  ASSERT_TRUE(h.lock->on_command(ack).ok());
  ASSERT_EQ(h.lock->events().size(), 1U);
  EXPECT_EQ(h.lock->events()[0].seq, last);

  Command beyond = h.command(CommandOp::events_ack);
  beyond.upto = last + 5;
  beyond.sig = sign_command(beyond, h.site.secret_key);
  expect_refused(beyond, LockError::invalid);
}

TEST_F(LockRadio, AfterAReconnectEverythingUnacknowledgedIsSentAgain) {
  h.hw.set_link_up(false);
  const Command cmd = h.command(CommandOp::unlock);
  ASSERT_TRUE(h.lock->on_command(cmd).ok());  // arrived just before the link dropped
  h.settle();
  h.lock->enter_pin("0000");
  h.radio.clear();
  h.hw.set_link_up(true);
  h.lock->on_radio_connected();
  ASSERT_FALSE(h.radio.states.empty());
  EXPECT_EQ(h.radio.states.back().bolt, BoltState::unlocked);
  EXPECT_EQ(h.radio.events.size(), h.lock->events().size());
  EXPECT_EQ(h.radio.events.back().type, EventType::unlock_denied);
  ASSERT_EQ(h.radio.acks.size(), 1U);
  EXPECT_EQ(h.radio.acks[0].id, cmd.id);
  ASSERT_EQ(h.radio.reported.size(), 1U);
  EXPECT_EQ(h.radio.reported[0].version, h.lock->reported().version);
}

TEST_F(LockRadio, FactoryResetStartsANewEpochAndForgetsEverythingButTheLog) {
  const std::uint32_t old_epoch = h.lock->epoch();
  const PublicKey old_pairing_key = h.lock->state().pairing_key;
  const std::uint32_t seq = h.lock->state().event_seq;
  const Command before_reset = h.command(CommandOp::unlock);
  Settings s;
  s.auto_relock_s = 30;
  ASSERT_TRUE(h.set_codes({code(1, "4831")}, s));
  ASSERT_TRUE(h.lock->factory_reset().ok());

  EXPECT_NE(h.lock->epoch(), old_epoch);
  EXPECT_NE(h.lock->epoch(), 0U);
  EXPECT_FALSE(h.lock->paired());
  EXPECT_NE(h.lock->state().pairing_key, old_pairing_key);
  EXPECT_EQ(h.lock->credentials().size(), 0U);
  EXPECT_EQ(h.lock->settings(), Settings{});
  EXPECT_EQ(h.lock->remembered_commands(), 0U);
  EXPECT_EQ(h.lock->offline_secret(), OfflineSecret{});
  EXPECT_EQ(h.lock->reported().version, 0U);
  const Event* reset = h.last(EventType::factory_reset);
  ASSERT_NE(reset, nullptr);
  EXPECT_EQ(reset->value, h.lock->epoch());
  EXPECT_GT(reset->seq, seq);  // the sequence carries on
  EXPECT_EQ(h.radio.states.back().epoch, h.lock->epoch());
  EXPECT_EQ(h.lock->enter_pin("4831").reason, DenyReason::wrong_code);

  // The old site's signed command is now refused; re-pairing for the new epoch works.
  EXPECT_EQ(h.lock->on_command(before_reset).error(), LockError::not_paired);
  ASSERT_TRUE(h.pair());
  EXPECT_TRUE(h.lock->paired());
}

TEST_F(LockRadio, ACommandRecordedBeforeAFactoryResetCannotBeReplayedAfterReenrolment) {
  const Command recorded = h.command(CommandOp::unlock, 5 * kMinute);
  h.clock.advance(kMaxClockSkewMs + kSecond);
  ASSERT_TRUE(h.lock->factory_reset().ok());
  ASSERT_TRUE(h.pair());  // the same site enrols it again, within the command's lifetime
  expect_refused(recorded, LockError::expired);
  EXPECT_TRUE(h.lock->on_command(h.command(CommandOp::unlock)).ok());
}

TEST_F(LockRadio, WhileOfflineAFullLogFoldsItsOldestEventsIntoAGap) {
  h.hw.set_link_up(false);
  for (int i = 0; i < 5; ++i)
    h.lock->enter_pin("0000");  // into the lockout
  for (std::size_t i = 0; i < kEventLogCapacity; ++i)
    h.lock->enter_pin("4831");  // refused
  ASSERT_EQ(h.lock->events().size(), kEventLogCapacity);
  const Event gap = h.lock->events()[0];
  ASSERT_EQ(gap.type, EventType::gap);
  EXPECT_EQ(gap.seq, 1U);
  EXPECT_EQ(h.lock->events()[1].seq, gap.value + 1);

  h.hw.set_link_up(true);
  h.radio.clear();
  h.lock->on_radio_connected();
  ASSERT_EQ(h.radio.events.size(), kEventLogCapacity);
  EXPECT_EQ(h.radio.events[0].type, EventType::gap);
  Command ack = h.unsigned_command(CommandOp::events_ack);
  ack.upto = h.radio.events.back().seq;
  ack.sig = sign_command(ack, h.site.secret_key);
  ASSERT_TRUE(h.lock->on_command(ack).ok());
  EXPECT_TRUE(h.lock->events().empty());
}

TEST_F(LockRadio, AFirmwareUpdateIsReportedInTheState) {
  h.lock->set_firmware(FirmwareVersion::from("2.5.0"));
  EXPECT_EQ(h.lock->state().firmware, FirmwareVersion::from("2.5.0"));
  EXPECT_EQ(h.radio.states.back().firmware, FirmwareVersion::from("2.5.0"));
  EXPECT_EQ(h.lock->credentials().size(), 1U);  // an update keeps what the lock holds
}

TEST(LockWithoutBluetooth, RefusesChallenges) {
  LockConfig config = testing::LockHarness::default_config();
  config.has_bluetooth = false;
  testing::LockHarness h({}, config);
  ASSERT_TRUE(h.pair());
  EXPECT_EQ(h.lock->begin_bluetooth().error(), LockError::invalid);
  EXPECT_EQ(h.lock->bluetooth_unlock(DigitalKeyGrant{}, Signature{}).outcome, DoorOutcome::invalid);
  EXPECT_EQ(h.lock->bolt(), BoltState::locked);
}

TEST(LockDeterminism, TheSameSeedMakesTheSameLock) {
  testing::LockHarness a, b;
  EXPECT_EQ(a.lock->epoch(), b.lock->epoch());
  EXPECT_EQ(a.lock->state().pairing_key, b.lock->state().pairing_key);
  ASSERT_TRUE(a.pair());
  ASSERT_TRUE(b.pair());
  EXPECT_EQ(a.lock->begin_bluetooth().value(), b.lock->begin_bluetooth().value());
}

}  // namespace
}  // namespace lockcore
