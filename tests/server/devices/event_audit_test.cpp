// How each kind of lock event reads in the audit log.

#include "server/devices/event_audit.hpp"

#include <gtest/gtest.h>

namespace server::devices {
namespace {

using audit::AuditType;
using lockcore::AccessSource;
using lockcore::DenyReason;
using lockcore::Event;
using lockcore::EventType;

Event event(EventType type, AccessSource source = AccessSource::none,
            DenyReason reason = DenyReason::none, std::uint16_t slot = 0) {
  Event e;
  e.seq = 7;
  e.ts = 1'767'225'600'000;
  e.type = type;
  e.source = source;
  e.reason = reason;
  e.slot = slot;
  return e;
}

TEST(EventAudit, AKeypadUnlockNamesTheCredentialAndItsHolder) {
  auto entries =
      audit_entries(event(EventType::unlocked, AccessSource::keypad, DenyReason::none, 3),
                    "cred_ana", "account:acc_ana");
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].type, AuditType::unlocked);
  EXPECT_EQ(entries[0].detail.at("credential").as_string(), "cred_ana");
  EXPECT_EQ(entries[0].detail.at("holder").as_string(), "account:acc_ana");
  EXPECT_EQ(entries[0].detail.at("slot").to_number<int>(), 3);
  EXPECT_EQ(entries[0].detail.at("source").as_string(), "keypad");
  EXPECT_EQ(entries[0].detail.at("seq").to_number<int>(), 7);
}

TEST(EventAudit, ABackupSlotUnlockIsAlsoABackupCodeUse) {
  auto entries = audit_entries(
      event(EventType::unlocked, AccessSource::backup_code, DenyReason::none, 9), "backup-1", "");
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].type, AuditType::unlocked);
  EXPECT_EQ(entries[1].type, AuditType::backup_code_used);
  EXPECT_EQ(entries[1].detail.at("credential").as_string(), "backup-1");
  EXPECT_FALSE(entries[1].detail.contains("holder"));
}

TEST(EventAudit, ADenialSaysWhy) {
  auto entries = audit_entries(
      event(EventType::unlock_denied, AccessSource::keypad, DenyReason::outside_schedule, 4),
      "cred_guest", "account:acc_guest");
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].type, AuditType::unlock_denied);
  EXPECT_EQ(entries[0].detail.at("reason").as_string(), "outside_schedule");
}

TEST(EventAudit, HardwareAndPowerEventsKeepTheirNames) {
  const std::pair<EventType, AuditType> cases[] = {
      {EventType::jammed, AuditType::jammed},
      {EventType::jam_cleared, AuditType::jam_cleared},
      {EventType::wrong_code_limit, AuditType::wrong_code_limit},
      {EventType::battery_low, AuditType::battery_low},
      {EventType::battery_depleted, AuditType::battery_depleted},
      {EventType::motor_fault, AuditType::motor_fault},
      {EventType::keypad_fault, AuditType::keypad_fault},
      {EventType::door_forced, AuditType::door_forced},
      {EventType::locked, AuditType::locked},
  };
  for (auto [type, expected] : cases) {
    auto entries = audit_entries(event(type), "", "");
    ASSERT_EQ(entries.size(), 1u) << static_cast<int>(type);
    EXPECT_EQ(entries[0].type, expected);
  }
}

TEST(EventAudit, AGapNamesTheNumbersLost) {
  Event e = event(EventType::gap);
  e.value = 40;
  auto entries = audit_entries(e, "", "");
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].type, AuditType::event_gap);
  EXPECT_EQ(entries[0].detail.at("first_lost").to_number<int>(), 7);
  EXPECT_EQ(entries[0].detail.at("last_lost").to_number<int>(), 40);
}

TEST(EventAudit, PairingAndFactoryResetAreTheServersOwnActsToAudit) {
  EXPECT_TRUE(audit_entries(event(EventType::paired), "", "").empty());
  EXPECT_TRUE(audit_entries(event(EventType::factory_reset), "", "").empty());
}

}  // namespace
}  // namespace server::devices
