#include "lockcore/credential_table.hpp"

#include <vector>

#include <gtest/gtest.h>

#include "lock_harness.hpp"

namespace lockcore {
namespace {

using testing::code;
using testing::kHour;
using testing::kStart;

Pin pin(std::string_view digits) {
  Pin p;
  EXPECT_TRUE(Pin::parse(digits, p));
  return p;
}

FixedVector<SlotReport, kMaxPinSlots> apply_list(CredentialTable& table,
                                                 const std::vector<PinCredential>& desired) {
  FixedVector<SlotReport, kMaxPinSlots> report;
  table.apply(desired, report);
  return report;
}

TEST(PackPin, PadsWithNibblesThatAreNotDigits) {
  EXPECT_EQ(pack_pin(pin("1234")), 0x1234FFFFU);
  EXPECT_EQ(pack_pin(pin("00000000")), 0x00000000U);
  EXPECT_NE(pack_pin(pin("1234")), pack_pin(pin("12340")));
  EXPECT_NE(pack_pin(pin("9999")), kEmptyCode);
}

TEST(CredentialTable, FindsEverySlotIncludingTheLastAndNothingElse) {
  CredentialTable table(250);
  std::vector<PinCredential> desired;
  for (std::uint16_t s = 1; s <= 250; ++s)
    desired.push_back(code(s, std::to_string(10'000 + s)));
  apply_list(table, desired);
  EXPECT_EQ(table.size(), 250U);
  EXPECT_EQ(table.find(pin("10001")), 1);
  EXPECT_EQ(table.find(pin("10250")), 250);
  EXPECT_EQ(table.find(pin("10251")), 0);
  EXPECT_EQ(table.find(pin("1000")), 0);  // a prefix is another PIN
}

TEST(CredentialTable, AnEmptyTableMatchesNoPinNotEvenAllZeros) {
  CredentialTable table(250);
  EXPECT_EQ(table.find(pin("0000")), 0);
  EXPECT_EQ(table.find(pin("00000000")), 0);
}

// A battery too low for a safe flash write: codes already held stay, removals happen (nothing
// outlives its revocation), and a new or changed code is refused with its slot left empty, so the
// old holder's code in a reused slot does not stay behind either.
TEST(CredentialTable, WithTooLittlePowerOnlyNewOrChangedCodesAreRefusedAndTheirSlotsEmptied) {
  CredentialTable table(10);
  apply_list(table, {code(1, "1111"), code(2, "2222"), code(3, "3333")});
  FixedVector<SlotReport, kMaxPinSlots> report;
  const std::vector<PinCredential> desired = {code(1, "1111"), code(2, "2929"), code(4, "4444")};
  table.apply(desired, report, CredentialTable::Power::too_low);
  ASSERT_EQ(report.size(), 3U);
  EXPECT_EQ(report[0].error, SlotError::none);
  EXPECT_EQ(report[1].error, SlotError::low_power);
  EXPECT_EQ(report[2].error, SlotError::low_power);
  EXPECT_EQ(table.find(pin("1111")), 1);
  EXPECT_EQ(table.find(pin("2222")), 0) << "the slot's old code is gone";
  EXPECT_EQ(table.find(pin("2929")), 0);
  EXPECT_EQ(table.find(pin("3333")), 0) << "a removal needs no power to speak of";
  EXPECT_EQ(table.find(pin("4444")), 0);
  EXPECT_EQ(table.size(), 1U);

  // With a new battery the same shadow stores them all.
  report.clear();
  table.apply(desired, report);
  for (const SlotReport& r : report)
    EXPECT_EQ(r.error, SlotError::none) << r.slot;
  EXPECT_EQ(table.find(pin("2929")), 2);
  EXPECT_EQ(table.find(pin("4444")), 4);
}

TEST(CredentialTable, ApplyReportsEachFailedSlotAndSetsTheRest) {
  CredentialTable table(10);
  PinCredential bad_pin = code(4, "4444");
  bad_pin.pin.digits[1] = 'x';
  PinCredential bad_schedule = code(5, "5555");
  bad_schedule.schedule = {0x01, 600, 600};
  const auto report =
      apply_list(table, {code(1, "1111"), code(11, "1212"), code(3, "1111"), bad_pin, bad_schedule,
                         code(6, "6666"), code(6, "6767"), code(0, "0000")});
  ASSERT_EQ(report.size(), 8U);
  EXPECT_EQ(report[0].error, SlotError::none);
  EXPECT_EQ(report[1].error, SlotError::slot_out_of_range);
  EXPECT_EQ(report[2].error, SlotError::duplicate_pin);
  EXPECT_EQ(report[3].error, SlotError::invalid);
  EXPECT_EQ(report[4].error, SlotError::invalid);
  EXPECT_EQ(report[5].error, SlotError::none);
  EXPECT_EQ(report[6].error, SlotError::invalid);  // slot 6 given twice
  EXPECT_EQ(report[7].error, SlotError::slot_out_of_range);
  EXPECT_EQ(table.size(), 2U);
  EXPECT_EQ(table.find(pin("1111")), 1);
  EXPECT_EQ(table.find(pin("6666")), 6);
}

TEST(CredentialTable, TheLowerSlotKeepsADuplicatedPinWhateverTheListOrder) {
  CredentialTable table(10);
  const auto report = apply_list(table, {code(7, "2580"), code(2, "2580")});
  EXPECT_EQ(report[0].error, SlotError::duplicate_pin);
  EXPECT_EQ(report[1].error, SlotError::none);
  EXPECT_EQ(table.find(pin("2580")), 2);
}

TEST(CredentialTable, BecomesExactlyTheDesiredListAndKeepsUsesOfUnchangedSlots) {
  CredentialTable table(10);
  PinCredential limited = code(2, "2222");
  limited.max_uses = 3;
  apply_list(table, {code(1, "1111"), limited});
  table.record_use(2);
  apply_list(table, {limited, code(3, "3333")});
  EXPECT_FALSE(table.occupied(1));
  EXPECT_EQ(table.uses(2), 1);  // unchanged credential: its count stays
  limited.max_uses = 4;
  apply_list(table, {limited});
  EXPECT_EQ(table.uses(2), 0);  // changed: counted afresh
  EXPECT_FALSE(table.occupied(3));
}

TEST(CredentialTable, ChecksWindowUsesAndScheduleAfterTheMatch) {
  CredentialTable table(10);
  PinCredential guest = code(1, "1357");
  guest.window = {kStart + kHour, kStart + 2 * kHour};
  PinCredential once = code(2, "2468", CredentialKind::backup);
  once.max_uses = 1;
  PinCredential weekdays = code(3, "3690");
  weekdays.schedule = {0x1F, 8 * 60, 17 * 60};  // Mon-Fri 08:00-17:00
  apply_list(table, {guest, once, weekdays});

  EXPECT_EQ(table.check(pin("1357"), kStart, 0).reason, DenyReason::outside_window);
  EXPECT_EQ(table.check(pin("1357"), kStart + kHour, 0).reason, DenyReason::none);
  EXPECT_EQ(table.check(pin("1357"), kStart + 2 * kHour, 0).reason, DenyReason::outside_window);

  const PinCheck backup = table.check(pin("2468"), kStart, 0);
  EXPECT_EQ(backup.reason, DenyReason::none);
  EXPECT_EQ(backup.kind, CredentialKind::backup);
  table.record_use(2);
  EXPECT_EQ(table.check(pin("2468"), kStart, 0).reason, DenyReason::uses_exhausted);

  // kStart is Thursday 00:00 UTC.
  EXPECT_EQ(table.check(pin("3690"), kStart, 0).reason, DenyReason::outside_schedule);
  EXPECT_EQ(table.check(pin("3690"), kStart + 9 * kHour, 0).reason, DenyReason::none);
  // 09:00 UTC is 03:00 in Chicago (UTC-6): outside.
  EXPECT_EQ(table.check(pin("3690"), kStart + 9 * kHour, -360).reason,
            DenyReason::outside_schedule);
  // Saturday 09:00 is outside.
  EXPECT_EQ(table.check(pin("3690"), kStart + 2 * 24 * kHour + 9 * kHour, 0).reason,
            DenyReason::outside_schedule);

  EXPECT_EQ(table.check(pin("9999"), kStart, 0).reason, DenyReason::wrong_code);
}

TEST(CredentialTable, LocalTimeCrossesMidnightTheRightWay) {
  const WeeklySchedule thursday_evening{1U << 3, 20 * 60, 24 * 60};
  // Friday 01:00 UTC is Thursday 21:00 at UTC-4.
  EXPECT_TRUE(schedule_allows(thursday_evening, kStart + 25 * kHour, -240));
  EXPECT_FALSE(schedule_allows(thursday_evening, kStart + 25 * kHour, 0));
}

TEST(CredentialTable, ReadsBackWhatItHolds) {
  CredentialTable table(250);
  PinCredential c = code(250, "87654321", CredentialKind::backup);
  c.schedule = {0x60, 0, 1440};
  c.window = {kStart, kStart + 7 * 24 * kHour};
  c.max_uses = 9;
  apply_list(table, {c});
  EXPECT_EQ(table.at(250), c);
}

TEST(ValidateCredential, RefusesMalformedFields) {
  EXPECT_EQ(validate_credential(code(1, "1234"), 10), SlotError::none);
  PinCredential c = code(1, "1234");
  c.pin.length = 3;
  EXPECT_EQ(validate_credential(c, 10), SlotError::invalid);
  c = code(1, "1234");
  c.pin.digits[6] = '7';  // garbage past the length
  EXPECT_EQ(validate_credential(c, 10), SlotError::invalid);
  c = code(1, "1234");
  c.kind = static_cast<CredentialKind>(9);
  EXPECT_EQ(validate_credential(c, 10), SlotError::invalid);
  c = code(1, "1234");
  c.window = {kStart + kHour, kStart};
  EXPECT_EQ(validate_credential(c, 10), SlotError::invalid);
  c = code(1, "1234");
  c.window.not_before = -1;
  EXPECT_EQ(validate_credential(c, 10), SlotError::invalid);
  c = code(1, "1234");
  c.schedule = {0x80, 0, 60};
  EXPECT_EQ(validate_credential(c, 10), SlotError::invalid);
}

}  // namespace
}  // namespace lockcore
