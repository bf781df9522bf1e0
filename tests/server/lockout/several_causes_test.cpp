// Lockouts with several causes at once: each cause found with its own evidence, the plan answering
// them in rank order and nothing more.

#include <gtest/gtest.h>

#include "tests/server/lockout/story.hpp"

namespace lockout_test {
namespace {

// The hub went down 20 minutes ago, just after Ana's new code was issued, and the battery is low.
TEST(SeveralCauses, HubOfflineCodePendingAndLowBattery) {
  Snapshot s = resident_at_door();
  s.lock.hub_online = false;
  s.lock.online = false;
  s.lock.hub_last_seen = kNow - 20 * kMinute;
  s.lock.last_seen = kNow - 20 * kMinute;
  s.codes[0].status = CodeStatus::pending;
  s.codes[0].status_since = kNow - 25 * kMinute;
  s.lock.battery_pct = 14;
  s.lock.battery_days_left = 11;
  s.report.symptoms = {Symptom::code_rejected, Symptom::lock_offline_in_app};
  const Diagnosis d = diagnose(s);
  EXPECT_EQ(causes_of(d),
            (std::vector{CauseId::hub_offline, CauseId::code_not_on_lock, CauseId::battery_low}))
      << describe(d);
  EXPECT_TRUE(cites(d, CauseId::code_not_on_lock, Source::credential, "pending since 07:07"));
  EXPECT_TRUE(cites(d, CauseId::code_not_on_lock, Source::telemetry, "cannot be reached"));
  EXPECT_TRUE(cites(d, CauseId::battery_low, Source::telemetry, "about 11 days left"));
  // The code cannot travel to an unreachable lock, and no one can unlock it remotely; the keypad
  // still takes a backup code, and the phone's Bluetooth key still works at the door.
  EXPECT_FALSE(d.plans(ActionId::resync_code));
  EXPECT_FALSE(d.plans(ActionId::remote_unlock_by_manager));
  EXPECT_EQ(plan_of(d), (std::vector{ActionId::use_bluetooth, ActionId::send_backup_code,
                                     ActionId::restore_hub, ActionId::replace_battery}))
      << describe(d);
  EXPECT_EQ(d.step(ActionId::send_backup_code)->addresses, CauseId::hub_offline);
  expect_sound(s, d);
}

// Signed out, Bluetooth denied, five wrong codes and the keypad cooling down: wait, then the code.
TEST(SeveralCauses, SignedOutBluetoothDeniedAndTheKeypadCoolingDown) {
  Snapshot s = resident_at_door();
  s.person.session_valid = false;
  s.report.phone.signed_in = false;
  s.person.verification = Verification::none;
  s.report.phone.bluetooth_allowed = false;
  s.lock.keypad_disabled_until = kNow + 40'000;
  s.lock.last_wrong_code_limit_at = kNow - 20'000;
  s.lock.wrong_codes_recent = 5;
  s.lock.last_wrong_code_at = kNow - 20'000;
  s.report.symptoms = {Symptom::code_rejected, Symptom::cannot_sign_in};
  const Diagnosis d = diagnose(s);
  for (CauseId c : {CauseId::keypad_disabled, CauseId::signed_out, CauseId::phone_bluetooth_blocked,
                    CauseId::wrong_code, CauseId::password_forgotten})
    EXPECT_TRUE(d.has(c)) << to_string(c) << "\n" << describe(d);
  EXPECT_EQ(d.top_cause(), CauseId::keypad_disabled);
  const auto plan = plan_of(d);
  ASSERT_GE(plan.size(), 3U) << describe(d);
  EXPECT_EQ(plan[0], ActionId::wait_keypad_cooldown);
  EXPECT_EQ(plan[1], ActionId::use_own_code);
  EXPECT_EQ(plan[2], ActionId::sign_in_again);
  // She is not verified: no backup code, whatever else is wrong.
  EXPECT_FALSE(d.plans(ActionId::send_backup_code)) << describe(d);
  expect_sound(s, d);
}

// A jammed bolt, and a keypad disabled by the codes typed against it: wait, then realign.
TEST(SeveralCauses, AJamAndAKeypadDisabledByTheCodesTypedAgainstIt) {
  Snapshot s = resident_at_door();
  s.lock.bolt = lockcore::BoltState::jammed;
  s.lock.last_jam_at = kNow - 3 * kMinute;
  s.lock.keypad_disabled_until = kNow + 30'000;
  s.report.symptoms = {Symptom::keypad_x_pattern, Symptom::unusual_beep};
  const Diagnosis d = diagnose(s);
  EXPECT_EQ(plan_of(d).front(), ActionId::wait_keypad_cooldown) << describe(d);
  EXPECT_EQ(plan_of(d)[1], ActionId::realign_door_and_retry) << describe(d);
  EXPECT_FALSE(d.plans(ActionId::send_backup_code));
  EXPECT_FALSE(d.has(CauseId::wrong_code));
  expect_sound(s, d);
}

// A guest inside her stay whose code failed to set, behind a hub that is down: a backup code for
// the length of her stay, not a remote unlock (unreachable) and not a locksmith (not hers to call).
TEST(SeveralCauses, AGuestsFailedCodeBehindADownHub) {
  Snapshot s = resident_at_door();
  s.relation.role = Role::guest;
  s.relation.window_edge = kNow + 2 * kDay;
  s.codes[0].status = CodeStatus::failed;
  s.codes[0].failure = lockcore::SlotError::slot_out_of_range;
  s.lock.hub_online = false;
  s.lock.online = false;
  s.lock.hub_last_seen = kNow - 2 * kHour;
  s.report.phone.bluetooth_allowed = false;
  const Diagnosis d = diagnose(s);
  EXPECT_TRUE(cites(d, CauseId::code_not_on_lock, Source::credential, "no free slot on the lock"));
  EXPECT_TRUE(d.plans(ActionId::send_backup_code)) << describe(d);
  EXPECT_FALSE(d.plans(ActionId::remote_unlock_by_manager));
  EXPECT_FALSE(d.plans(ActionId::locksmith_entry));
  EXPECT_FALSE(d.plans(ActionId::maintenance_work_order)) << describe(d);  // guests ask the host
  expect_sound(s, d);
}

// Hostile: Sam moved out this morning and tries his old code, then a guess. The lock counted both
// as wrong codes: that is listed beside the ended access (evidence for the site), and he is
// offered nothing at all.
TEST(SeveralCauses, AMovedOutResidentTryingCodesIsListedAndGetsNothing) {
  Snapshot s = resident_at_door();
  s.relation.moved_out = true;
  s.relation.moved_out_at = kNow - 3 * kMinute;
  s.relation.window = Validity::ended;
  s.relation.window_edge = kNow - 3 * kMinute;
  s.codes[0].status = CodeStatus::removed;
  s.codes[0].status_since = kNow - 3 * kMinute;
  s.lock.wrong_codes_recent = 2;
  s.lock.last_wrong_code_at = kNow - kMinute;
  s.report.symptoms = {Symptom::code_rejected};
  const Diagnosis d = diagnose(s);
  ASSERT_TRUE(d.top_cause());
  EXPECT_EQ(*d.top_cause(), CauseId::access_expired) << describe(d);
  EXPECT_TRUE(cites(d, CauseId::wrong_code, Source::event, "2 wrong codes")) << describe(d);
  EXPECT_TRUE(d.plan.empty()) << describe(d);
  expect_sound(s, d);
}

// The owner lost her MFA device and the lock was reset by someone else: her key still works; her
// admin role comes back through identity verification only.
TEST(SeveralCauses, AnOwnerWithoutMfaAtALockResetBySomeoneElse) {
  Snapshot s = resident_at_door();
  s.relation.role = Role::owner;
  s.person.mfa_enabled = true;
  s.person.mfa_available = false;
  s.person.session_valid = false;
  s.person.verification = Verification::none;
  s.person.carries_physical_key = true;
  s.lock.epoch_changed = true;
  s.lock.paired = true;
  s.lock.factory_reset_at = kNow - kDay;
  s.report.symptoms = {Symptom::cannot_sign_in, Symptom::code_rejected};
  const Diagnosis d = diagnose(s);
  EXPECT_TRUE(d.has(CauseId::mfa_unavailable));
  EXPECT_TRUE(d.has(CauseId::lock_state_mismatch));
  EXPECT_TRUE(d.has(CauseId::code_not_on_lock));
  EXPECT_EQ(plan_of(d).front(), ActionId::use_physical_key) << describe(d);
  EXPECT_TRUE(d.plans(ActionId::verify_identity_restore_admin));
  EXPECT_FALSE(d.plans(ActionId::ask_admin_for_access));
  // Unverified: no reset, and her key is a way in anyway.
  EXPECT_FALSE(d.plans(ActionId::factory_reset_and_reenroll));
  expect_sound(s, d);
}

// Outside the schedule with a dead battery: the battery is real, but she may not open the door
// now, so she is offered only the manager's decision.
TEST(SeveralCauses, OutsideTheScheduleWithADeadBattery) {
  Snapshot s = resident_at_door();
  s.relation.role = Role::guest;
  s.relation.inside_schedule = false;
  s.lock.battery_pct = 0;
  s.report.symptoms = {Symptom::keypad_dark};
  const Diagnosis d = diagnose(s);
  EXPECT_TRUE(d.has(CauseId::outside_schedule));
  EXPECT_TRUE(d.has(CauseId::battery_depleted));
  EXPECT_EQ(plan_of(d), (std::vector{ActionId::ask_admin_for_access})) << describe(d);
  expect_sound(s, d);
}

}  // namespace
}  // namespace lockout_test
