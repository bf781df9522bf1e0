// The keypad: codes, the wrong-code lockout, denials that do not count, backup and offline codes.
#include <gtest/gtest.h>

#include "lock_harness.hpp"
#include "lockcore/offline_pin.hpp"

namespace lockcore {
namespace {

using testing::code;
using testing::kHour;
using testing::kSecond;
using testing::kStart;

class LockKeypad : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(h.pair());
    PinCredential guest = code(3, "5555");
    guest.window = {kStart + kHour, kStart + 2 * kHour};
    ASSERT_TRUE(h.set_codes({code(1, "4831"), code(2, "9021", CredentialKind::backup), guest}));
  }
  void wrong(int times) {
    for (int i = 0; i < times; ++i) {
      ASSERT_EQ(h.lock->enter_pin("0000").outcome, DoorOutcome::denied);
    }
  }
  testing::LockHarness h;
};

TEST_F(LockKeypad, FiveWrongCodesDisableTheKeypadFor60Seconds) {
  wrong(4);
  EXPECT_EQ(h.lock->keypad(), KeypadState::ok);
  EXPECT_EQ(h.count(EventType::wrong_code_limit), 0U);
  const AccessResult fifth = h.lock->enter_pin("0000");
  EXPECT_EQ(fifth.outcome, DoorOutcome::denied);
  EXPECT_EQ(fifth.reason, DenyReason::wrong_code);
  EXPECT_EQ(h.lock->keypad(), KeypadState::disabled);
  EXPECT_EQ(h.count(EventType::wrong_code_limit), 1U);
  EXPECT_EQ(h.last(EventType::wrong_code_limit)->value, 60U);
  EXPECT_EQ(h.hw.pattern(), KeypadPattern::disabled);
  EXPECT_EQ(h.hw.last_tone(), BuzzerTone::lockout_alarm);
  EXPECT_EQ(h.radio.states.back().keypad, KeypadState::disabled);

  // Even the right code is refused now, and the bolt stays put.
  EXPECT_EQ(h.lock->enter_pin("4831").outcome, DoorOutcome::keypad_disabled);
  EXPECT_EQ(h.lock->bolt(), BoltState::locked);
  EXPECT_EQ(h.lock->next_deadline(), kStart + 60 * kSecond);

  h.run_for(59 * kSecond);
  EXPECT_EQ(h.lock->enter_pin("4831").outcome, DoorOutcome::keypad_disabled);
  h.run_for(1 * kSecond);
  EXPECT_EQ(h.lock->keypad(), KeypadState::ok);
  EXPECT_EQ(h.radio.states.back().keypad, KeypadState::ok);
  EXPECT_EQ(h.lock->enter_pin("4831").outcome, DoorOutcome::accepted);
}

TEST_F(LockKeypad, EntriesWhileDisabledAreRefusedWithoutCounting) {
  wrong(5);
  for (int i = 0; i < 10; ++i)
    h.lock->enter_pin("0000");
  EXPECT_EQ(h.lock->wrong_code_count(), 0);
  EXPECT_EQ(h.count(EventType::wrong_code_limit), 1U);
  h.run_for(60 * kSecond);  // not extended by the tries
  EXPECT_EQ(h.lock->keypad(), KeypadState::ok);
  wrong(4);
  EXPECT_EQ(h.lock->keypad(), KeypadState::ok);  // the count started afresh
}

TEST_F(LockKeypad, AnAcceptedCodeResetsTheCount) {
  wrong(4);
  EXPECT_EQ(h.lock->enter_pin("4831").outcome, DoorOutcome::accepted);
  h.settle();
  EXPECT_EQ(h.lock->wrong_code_count(), 0);
  wrong(4);
  EXPECT_EQ(h.lock->keypad(), KeypadState::ok);
}

TEST_F(LockKeypad, DenialsForAnotherReasonNeitherCountNorReset) {
  for (int i = 0; i < 10; ++i) {
    const AccessResult r = h.lock->enter_pin("5555");  // the guest's window has not opened
    EXPECT_EQ(r.outcome, DoorOutcome::denied);
    EXPECT_EQ(r.reason, DenyReason::outside_window);
  }
  EXPECT_EQ(h.lock->wrong_code_count(), 0);
  EXPECT_EQ(h.lock->keypad(), KeypadState::ok);
  wrong(4);
  h.lock->enter_pin("5555");  // a known code outside its window does not buy more guesses
  EXPECT_EQ(h.lock->wrong_code_count(), 4);
  wrong(1);
  EXPECT_EQ(h.lock->keypad(), KeypadState::disabled);
}

TEST_F(LockKeypad, TheLimitAndCoolDownComeFromSettings) {
  Settings s;
  s.wrong_code_limit = 3;
  s.wrong_code_disable_s = 10;
  ASSERT_TRUE(h.set_codes({code(1, "4831")}, s));
  wrong(3);
  EXPECT_EQ(h.lock->keypad(), KeypadState::disabled);
  h.run_for(10 * kSecond);
  EXPECT_EQ(h.lock->keypad(), KeypadState::ok);
}

TEST_F(LockKeypad, WhatIsNotAPinChangesNothing) {
  const auto events = h.log();
  const auto states = h.radio.states.size();
  for (std::string_view junk : {"", "123", "123456789", "12a4", " 1234", "1234#", "٣٣٣٣"}) {
    EXPECT_EQ(h.lock->enter_pin(junk).outcome, DoorOutcome::invalid) << junk;
  }
  EXPECT_EQ(h.lock->wrong_code_count(), 0);
  EXPECT_EQ(h.log().size(), events.size());
  EXPECT_EQ(h.radio.states.size(), states);
  EXPECT_EQ(h.lock->bolt(), BoltState::locked);
}

TEST_F(LockKeypad, ABackupCodeIsReportedAsSuchAndItsUsesAreCounted) {
  PinCredential once = code(2, "9021", CredentialKind::backup);
  once.max_uses = 1;
  ASSERT_TRUE(h.set_codes({code(1, "4831"), once}));
  const AccessResult r = h.lock->enter_pin("9021");
  EXPECT_EQ(r.outcome, DoorOutcome::accepted);
  EXPECT_EQ(r.source, AccessSource::backup_code);
  h.settle();
  EXPECT_EQ(h.last(EventType::unlocked)->source, AccessSource::backup_code);
  EXPECT_EQ(h.last(EventType::unlocked)->slot, 2);
  const AccessResult again = h.lock->enter_pin("9021");
  EXPECT_EQ(again.reason, DenyReason::uses_exhausted);
  EXPECT_EQ(h.lock->wrong_code_count(), 0);
}

TEST_F(LockKeypad, AJamDoesNotUseUpASingleUseCode) {
  PinCredential once = code(2, "9021", CredentialKind::backup);
  once.max_uses = 1;
  ASSERT_TRUE(h.set_codes({once}));
  h.hw.bolt().jam();
  EXPECT_EQ(h.lock->enter_pin("9021").outcome, DoorOutcome::accepted);
  h.settle();
  ASSERT_EQ(h.lock->bolt(), BoltState::jammed);
  h.hw.bolt().clear_jam();
  EXPECT_EQ(h.lock->enter_pin("9021").outcome, DoorOutcome::accepted);
  h.settle();
  EXPECT_EQ(h.lock->bolt(), BoltState::unlocked);
  EXPECT_EQ(h.lock->credentials().uses(2), 1);
}

TEST_F(LockKeypad, AnOfflinePinWorksInItsWindowOnly) {
  const OfflineSecret secret = server_offline_secret(h.server, h.lock->state().pairing_key).value();
  const OfflinePinSpec spec{static_cast<std::uint32_t>(kStart / kHour), OfflineDuration::h1, 1};
  const Pin pin = derive_offline_pin(secret, spec);
  const AccessResult r = h.lock->enter_pin(pin.view());
  EXPECT_EQ(r.outcome, DoorOutcome::accepted);
  EXPECT_EQ(r.source, AccessSource::offline_pin);
  h.settle();
  EXPECT_EQ(h.last(EventType::unlocked)->value, spec.packed());

  h.run_for(kHour);
  const AccessResult late = h.lock->enter_pin(pin.view());
  EXPECT_EQ(late.reason, DenyReason::wrong_code);  // outside its window it is just a wrong code
  EXPECT_EQ(h.lock->wrong_code_count(), 1);
}

TEST_F(LockKeypad, AFaultyKeypadSaysSoOnce) {
  h.hw.set_keypad_fault(true);
  EXPECT_EQ(h.lock->enter_pin("4831").outcome, DoorOutcome::fault);
  EXPECT_EQ(h.lock->enter_pin("4831").outcome, DoorOutcome::fault);
  EXPECT_EQ(h.count(EventType::keypad_fault), 1U);
  EXPECT_EQ(h.lock->state().keypad, KeypadState::fault);
  EXPECT_EQ(h.lock->bolt(), BoltState::locked);
  h.hw.set_keypad_fault(false);
  EXPECT_EQ(h.lock->enter_pin("4831").outcome, DoorOutcome::accepted);
}

TEST(LockWithoutKeypad, IgnoresKeysAndReportsTheKeypadAbsent) {
  LockConfig config = testing::LockHarness::default_config();
  config.has_keypad = false;
  testing::LockHarness h({}, config);
  EXPECT_EQ(h.lock->enter_pin("4831").outcome, DoorOutcome::invalid);
  EXPECT_EQ(h.lock->state().keypad, KeypadState::absent);
}

}  // namespace
}  // namespace lockcore
