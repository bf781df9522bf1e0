// One story per recovery action of DESIGN.md section 5: a situation in which it is both workable
// and allowed, the cause it answers and the steps the person is shown. Then the stories in which
// it must not be offered: its pathway dead, or the person not eligible.

#include <functional>

#include <gtest/gtest.h>

#include "server/lockout/diagnosis/invariants.hpp"
#include "tests/server/lockout/story.hpp"

namespace lockout_test {
namespace {

struct ActionStory {
  ActionId action;
  std::function<void(Snapshot&)> happens;
  std::optional<CauseId> answers;  // the cause the step says it addresses
  std::string_view says;           // a phrase of its steps
};

void hub_down(Snapshot& s) {
  s.lock.hub_online = false;
  s.lock.online = false;
  s.lock.hub_last_seen = kNow - 50 * kMinute;
  s.lock.last_seen = kNow - 50 * kMinute;
}

void owner_locked_out_of_mfa(Snapshot& s) {
  s.relation.role = Role::owner;
  s.person.mfa_enabled = true;
  s.person.mfa_available = false;
  s.person.session_valid = false;
  s.person.verification = Verification::none;
  s.report.symptoms = {Symptom::cannot_sign_in};
}

const std::vector<ActionStory>& stories() {
  static const std::vector<ActionStory> kStories = {
      {ActionId::wait_keypad_cooldown,
       [](Snapshot& s) { s.lock.keypad_disabled_until = kNow + 50'000; }, CauseId::keypad_disabled,
       "Wait until the time shown"},
      {ActionId::use_physical_key,
       [](Snapshot& s) {
         s.person.carries_physical_key = true;
         s.lock.battery_pct = 0;
       },
       std::nullopt, "Insert your key"},
      {ActionId::use_own_code, hub_down, std::nullopt, "Enter your own code once"},
      {ActionId::use_app, [](Snapshot& s) { s.codes[0].status = CodeStatus::pending; },
       std::nullopt, "tap Unlock"},
      {ActionId::use_bluetooth,
       [](Snapshot& s) {
         hub_down(s);
         s.codes.clear();
         s.report.phone.bluetooth_allowed = true;
       },
       std::nullopt, "without the network"},
      {ActionId::sign_in_again,
       [](Snapshot& s) {
         s.person.session_valid = false;
         s.person.verification = Verification::none;
       },
       CauseId::signed_out, "sign in with your email and password"},
      {ActionId::reset_password,
       [](Snapshot& s) {
         s.person.status = AccountStatus::locked;
         s.person.verification = Verification::none;
       },
       CauseId::account_locked, "Forgot password"},
      {ActionId::allow_bluetooth, [](Snapshot& s) { s.report.phone.bluetooth_allowed = false; },
       CauseId::phone_bluetooth_blocked, "Bluetooth permission on"},
      {ActionId::update_app,
       [](Snapshot& s) { s.lock.firmware_compat = FirmwareCompat::app_too_old; },
       CauseId::firmware_incompatible, "Update the Latchkey app"},
      {ActionId::enroll_device, [](Snapshot& s) { s.person.device_enrolled = false; },
       CauseId::device_not_enrolled, "choose Enroll"},
      {ActionId::resync_code, [](Snapshot& s) { s.codes[0].status = CodeStatus::failed; },
       CauseId::code_not_on_lock, "send your code to the lock again"},
      {ActionId::send_backup_code,
       [](Snapshot& s) {
         hub_down(s);
         s.codes[0].status = CodeStatus::pending;
       },
       CauseId::hub_offline, "to the contacts on your account only"},
      {ActionId::realign_door_and_retry,
       [](Snapshot& s) { s.lock.bolt = lockcore::BoltState::jammed; }, CauseId::lock_jammed,
       "your code is fine"},
      {ActionId::restore_hub, hub_down, CauseId::hub_offline, "Unplug the hub"},
      {ActionId::remote_unlock_by_manager,
       [](Snapshot& s) {
         // Support checked her identity on the phone; her app is signed out and her code failed.
         s.person.session_valid = false;
         s.report.phone.signed_in = false;
         s.person.verification = Verification::identity_checked;
         s.codes[0].status = CodeStatus::failed;
         s.lock.shadow_in_sync = false;
         s.lock.shadow_out_of_sync_since = kNow - kMinute;
       },
       CauseId::code_not_on_lock, "unlock the door for you remotely"},
      {ActionId::ask_admin_for_access,
       [](Snapshot& s) {
         s.relation.role = Role::guest;
         s.relation.window = Validity::not_yet;
         s.relation.window_edge = kNow + 3 * kHour;
       },
       CauseId::access_expired, "review your access"},
      {ActionId::jump_battery, [](Snapshot& s) { s.lock.battery_pct = 0; },
       CauseId::battery_depleted, "9 V battery"},
      {ActionId::replace_battery, [](Snapshot& s) { s.lock.battery_pct = 9; }, CauseId::battery_low,
       "Replace all the batteries"},
      {ActionId::verify_identity_restore_admin, owner_locked_out_of_mfa, CauseId::mfa_unavailable,
       "nothing is restored silently"},
      {ActionId::maintenance_work_order,
       [](Snapshot& s) {
         s.lock.bolt = lockcore::BoltState::jammed;
         s.lock.jams_last_7d = 2;
       },
       CauseId::lock_jammed, "work order for the on-site team"},
      {ActionId::locksmith_entry,
       [](Snapshot& s) {
         s.lock.battery_pct = 0;
         s.lock.has_jump_terminal = false;
       },
       CauseId::battery_depleted, "Call a locksmith only if nothing above has worked"},
      {ActionId::factory_reset_and_reenroll,
       [](Snapshot& s) {
         // The lock answers to keys of another epoch: paired, but not to what the server holds.
         s.relation.role = Role::owner;
         s.lock.epoch_changed = true;
         s.lock.paired = true;
         s.lock.factory_reset_at = kNow - 3 * kDay;
         s.report.symptoms = {Symptom::pairing_fails};
       },
       CauseId::lock_state_mismatch, "Re-enroll the lock from the app as a verified owner"},
  };
  return kStories;
}

class ActionStoryTest : public testing::TestWithParam<ActionStory> {};

TEST_P(ActionStoryTest, IsOfferedWithItsStepsAndPassesTheInvariants) {
  const ActionStory& story = GetParam();
  Snapshot s = resident_at_door();
  story.happens(s);
  const Diagnosis d = diagnose(s);
  const PlanStep* step = d.step(story.action);
  ASSERT_NE(step, nullptr) << describe(d);
  EXPECT_EQ(step->rank, rank_of(story.action));
  EXPECT_EQ(step->addresses, story.answers) << describe(d);
  bool says = false;
  for (std::string_view line : step->steps)
    says = says || line.find(story.says) != line.npos;
  EXPECT_TRUE(says) << story.says;
  expect_sound(s, d);
}

INSTANTIATE_TEST_SUITE_P(EveryAction, ActionStoryTest, testing::ValuesIn(stories()),
                         [](const testing::TestParamInfo<ActionStory>& info) {
                           return std::string(to_string(info.param.action));
                         });

TEST(ActionStories, EveryActionIdHasAStory) {
  ActionSet told;
  for (const ActionStory& story : stories())
    told.add(story.action);
  for (std::size_t i = 0; i < kActionCount; ++i)
    EXPECT_TRUE(told.has(static_cast<ActionId>(i))) << to_string(static_cast<ActionId>(i));
}

// ---- details of single actions -------------------------------------------------------------

TEST(PlanRules, TheCooldownComesFirstWithTheSecondsLeftThenTheOwnCode) {
  Snapshot s = resident_at_door();
  s.lock.keypad_disabled_until = kNow + 50'000;
  const Diagnosis d = diagnose(s);
  ASSERT_GE(d.plan.size(), 2U) << describe(d);
  EXPECT_EQ(d.plan[0].action, ActionId::wait_keypad_cooldown);
  EXPECT_EQ(d.plan[0].wait_s, 50U);
  EXPECT_EQ(d.plan[1].action, ActionId::use_own_code);
  EXPECT_TRUE(d.path(Path::own_code).after_cooldown);
  EXPECT_FALSE(d.path(Path::own_code).alive);
}

TEST(PlanRules, ABackupCodeWaitsForTheKeypadCooldownToo) {
  Snapshot s = resident_at_door();
  s.lock.keypad_disabled_until = kNow + 30'000;
  s.lock.wrong_codes_recent = 5;
  s.lock.last_wrong_code_at = kNow - 30'000;
  const Diagnosis d = diagnose(s);
  ASSERT_TRUE(d.plans(ActionId::send_backup_code)) << describe(d);
  EXPECT_EQ(d.plan[0].action, ActionId::wait_keypad_cooldown) << describe(d);
}

TEST(PlanRules, RestoreHubShowsWiFiStepsForAWiFiLock) {
  Snapshot s = resident_at_door();
  s.lock.link = Link::wifi;
  s.lock.online = false;
  s.lock.wifi_network_changed = true;
  const Diagnosis d = diagnose(s);
  const PlanStep* step = d.step(ActionId::restore_hub);
  ASSERT_NE(step, nullptr) << describe(d);
  EXPECT_NE(step->steps[0].find("Wi-Fi"), std::string_view::npos);
  EXPECT_EQ(d.step(ActionId::maintenance_work_order)->work_order, WorkOrderKind::hub);
}

TEST(PlanRules, AHubDownForLongGetsAHubWorkOrder) {
  Snapshot s = resident_at_door();
  hub_down(s);
  const Diagnosis d = diagnose(s);
  const PlanStep* order = d.step(ActionId::maintenance_work_order);
  ASSERT_NE(order, nullptr) << describe(d);
  EXPECT_EQ(order->work_order, WorkOrderKind::hub);
  s.lock.hub_last_seen = kNow - 5 * kMinute;
  EXPECT_FALSE(diagnose(s).plans(ActionId::maintenance_work_order));
}

TEST(PlanRules, WithinARankTheActionForTheLikelierCauseComesFirst) {
  // A confirmed jam (0.95) and a pending code (0.85): both have rank-3 answers; realign first.
  Snapshot s = resident_at_door();
  s.person.carries_physical_key = true;
  s.lock.bolt = lockcore::BoltState::jammed;
  s.codes[0].status = CodeStatus::removed;
  (void)s.codes.push_back(code(CodeStatus::pending, kNow - kHour));
  const Diagnosis jam = diagnose(s);
  ASSERT_TRUE(jam.plans(ActionId::resync_code)) << describe(jam);
  EXPECT_EQ(jam.plan[0].action, ActionId::realign_door_and_retry) << describe(jam);

  // The jam only suspected from the report (0.4): the pending code is likelier, resync first.
  s.lock.bolt = lockcore::BoltState::locked;
  s.report.symptoms = {Symptom::keypad_x_pattern};
  const Diagnosis pending = diagnose(s);
  const auto order = plan_of(pending);
  const auto resync = std::find(order.begin(), order.end(), ActionId::resync_code);
  const auto realign = std::find(order.begin(), order.end(), ActionId::realign_door_and_retry);
  ASSERT_NE(realign, order.end()) << describe(pending);
  EXPECT_LT(resync, realign) << describe(pending);
  EXPECT_TRUE(check_plan(s, pending).empty());
}

TEST(PlanRules, AFactoryResetIsLastAndOnlyWhenNothingElseGetsThePersonIn) {
  Snapshot s = resident_at_door();
  s.relation.role = Role::owner;
  s.lock.epoch_changed = true;
  s.lock.paired = true;
  const Diagnosis d = diagnose(s);
  ASSERT_FALSE(d.plan.empty()) << describe(d);
  EXPECT_EQ(d.plan[d.plan.size() - 1].action, ActionId::factory_reset_and_reenroll) << describe(d);
  EXPECT_TRUE(d.plans(ActionId::locksmith_entry));

  s.person.carries_physical_key = true;  // a way in: no reset
  const Diagnosis with_key = diagnose(s);
  EXPECT_TRUE(with_key.plans(ActionId::use_physical_key)) << describe(with_key);
  EXPECT_FALSE(with_key.plans(ActionId::factory_reset_and_reenroll)) << describe(with_key);
  EXPECT_TRUE(with_key.dropped.empty());
}

// As devices reports it: a lock reset to a new epoch is no longer paired at all. It holds none of
// the site's codes or keys, so only re-enrollment (factory_reset_and_reenroll, the reset already
// done) makes it the site's lock again: offered last, to a verified admin, beside the locksmith.
TEST(PlanRules, ALockResetAndNoLongerPairedIsOfferedVerifiedReenrollmentLast) {
  Snapshot s = resident_at_door();
  s.relation.role = Role::manager;
  s.lock.epoch_changed = true;
  s.lock.paired = false;
  s.report.symptoms = {Symptom::code_rejected, Symptom::can_view_cannot_unlock};
  const Diagnosis d = diagnose(s);
  ASSERT_FALSE(d.plan.empty()) << describe(d);
  EXPECT_EQ(d.plan[d.plan.size() - 1].action, ActionId::factory_reset_and_reenroll) << describe(d);
  EXPECT_TRUE(d.plans(ActionId::locksmith_entry)) << describe(d);
  for (ActionId a : {ActionId::send_backup_code, ActionId::use_app, ActionId::use_bluetooth,
                     ActionId::resync_code})
    EXPECT_FALSE(d.plans(a)) << to_string(a) << "\n" << describe(d);
  EXPECT_TRUE(check_plan(s, d).empty());

  // Hostile: an admin who is not verified, or a resident, is never offered it.
  s.person.verification = Verification::none;
  EXPECT_FALSE(diagnose(s).plans(ActionId::factory_reset_and_reenroll));
  s.person.verification = Verification::session;
  s.relation.role = Role::resident;
  EXPECT_FALSE(diagnose(s).plans(ActionId::factory_reset_and_reenroll));
}

// A lock whose firmware is older than any current app speaks: a newer app cannot help, so the
// plan offers no app update; her code works, and the firmware is a job for the on-site team.
TEST(PlanRules, FirmwareTooOldForTheAppIsALockJobNotAnAppUpdate) {
  Snapshot s = resident_at_door();
  s.lock.firmware = "1.0.0";
  s.lock.firmware_compat = FirmwareCompat::firmware_too_old;
  s.report.symptoms = {Symptom::pairing_fails};
  const Diagnosis d = diagnose(s);
  ASSERT_TRUE(d.top_cause());
  EXPECT_EQ(*d.top_cause(), CauseId::firmware_incompatible) << describe(d);
  EXPECT_FALSE(d.plans(ActionId::update_app)) << describe(d);
  EXPECT_FALSE(d.plans(ActionId::use_bluetooth)) << describe(d);
  EXPECT_TRUE(d.plans(ActionId::use_own_code)) << describe(d);
  const PlanStep* job = d.step(ActionId::maintenance_work_order);
  ASSERT_NE(job, nullptr) << describe(d);
  EXPECT_EQ(job->work_order, WorkOrderKind::lock_hardware);
}

TEST(PlanRules, AResidentIsNeverOfferedAFactoryReset) {
  Snapshot s = resident_at_door();
  s.lock.epoch_changed = true;
  s.lock.paired = true;
  const Diagnosis d = diagnose(s);
  EXPECT_FALSE(d.plans(ActionId::factory_reset_and_reenroll)) << describe(d);
  EXPECT_TRUE(d.plans(ActionId::locksmith_entry)) << describe(d);
}

// ---- when the pathway is dead --------------------------------------------------------------

TEST(Workability, AnOfflineLockGetsNoRemoteUnlockAndNoApp) {
  Snapshot s = resident_at_door();
  s.codes[0].status = CodeStatus::failed;
  s.person.session_valid = false;
  s.person.verification = Verification::identity_checked;
  s.lock.link = Link::wifi;
  s.lock.online = false;
  const Diagnosis d = diagnose(s);
  EXPECT_FALSE(d.plans(ActionId::remote_unlock_by_manager)) << describe(d);
  EXPECT_FALSE(d.plans(ActionId::use_app));
  EXPECT_FALSE(d.plans(ActionId::resync_code));
  EXPECT_TRUE(d.plans(ActionId::send_backup_code)) << describe(d);
}

// A dead phone at 2 a.m.: he reported from a borrowed browser without signing in, staff verified
// who he is. No phone is part of the report, so the app is no way in; a manager's remote unlock is.
TEST(Workability, AVerifiedCallerWithoutAPhoneGetsTheManagersRemoteUnlockNotTheApp) {
  Snapshot s = resident_at_door();
  s.codes.clear();
  s.report.phone = {};
  s.person.session_valid = false;  // he reported without signing in
  s.person.verification = Verification::identity_checked;
  s.report.symptoms = {Symptom::no_response, Symptom::can_view_cannot_unlock};
  const Diagnosis d = diagnose(s);
  EXPECT_FALSE(d.path(Path::app).alive) << describe(d);
  EXPECT_TRUE(d.plans(ActionId::remote_unlock_by_manager)) << describe(d);
  EXPECT_FALSE(d.plans(ActionId::use_app)) << describe(d);
  // Unverified, the same caller is given no unlock.
  s.person.verification = Verification::none;
  EXPECT_FALSE(diagnose(s).plans(ActionId::remote_unlock_by_manager));
}

TEST(Workability, ADeadBatteryGetsNoKeypadCodeNoBackupCodeAndNoUnlock) {
  Snapshot s = resident_at_door();
  s.lock.battery_pct = 0;
  s.codes[0].status = CodeStatus::pending;
  const Diagnosis d = diagnose(s);
  for (ActionId a :
       {ActionId::use_own_code, ActionId::send_backup_code, ActionId::wait_keypad_cooldown,
        ActionId::use_app, ActionId::use_bluetooth, ActionId::remote_unlock_by_manager})
    EXPECT_FALSE(d.plans(a)) << to_string(a) << "\n" << describe(d);
  EXPECT_TRUE(d.plans(ActionId::jump_battery));
  EXPECT_FALSE(d.path(Path::keypad).alive);
}

TEST(Workability, NoBackupCodeWithoutAPoolOrOfflinePins) {
  Snapshot s = resident_at_door();
  hub_down(s);
  s.codes[0].status = CodeStatus::pending;
  s.lock.backup_pool_available = false;
  EXPECT_TRUE(diagnose(s).plans(ActionId::send_backup_code));  // offline PINs from the pairing
  s.lock.paired = false;
  EXPECT_FALSE(diagnose(s).plans(ActionId::send_backup_code));
}

TEST(Workability, NoBackupCodeWhenTheOwnCodeWorks) {
  Snapshot s = resident_at_door();
  hub_down(s);
  const Diagnosis d = diagnose(s);
  EXPECT_TRUE(d.plans(ActionId::use_own_code));
  EXPECT_FALSE(d.plans(ActionId::send_backup_code)) << describe(d);
}

// ---- when the person is not eligible -------------------------------------------------------

TEST(Eligibility, AnUnverifiedCallerGetsNoCodeNoKeyNoUnlock) {
  Snapshot s = resident_at_door();
  hub_down(s);
  s.codes[0].status = CodeStatus::pending;
  s.person.verification = Verification::none;
  s.person.session_valid = false;
  s.lock.battery_pct = 0;
  s.lock.has_jump_terminal = false;
  const Diagnosis d = diagnose(s);
  for (ActionId a :
       {ActionId::send_backup_code, ActionId::remote_unlock_by_manager, ActionId::locksmith_entry,
        ActionId::resync_code, ActionId::enroll_device, ActionId::use_app, ActionId::use_bluetooth})
    EXPECT_FALSE(d.plans(a)) << to_string(a) << "\n" << describe(d);
  EXPECT_TRUE(d.plans(ActionId::sign_in_again)) << describe(d);
}

// A reinstalled app: signed out and no longer enrolled, reported without a session. Signing in
// comes first, then enrolling the phone (identity's, behind the full sign-in); nothing is given.
TEST(Eligibility, AReinstalledAppIsToldToSignInThenEnrollAndIsGivenNothing) {
  Snapshot s = resident_at_door();
  s.person.verification = Verification::none;
  s.person.session_valid = false;
  s.person.device_enrolled = false;
  s.report.phone.present = true;
  s.report.phone.signed_in = false;
  s.report.phone.enrolled = false;
  s.codes.clear();
  const Diagnosis d = diagnose(s);
  ASSERT_FALSE(d.plan.empty()) << describe(d);
  EXPECT_EQ(d.plan[0].action, ActionId::sign_in_again) << describe(d);
  EXPECT_TRUE(d.plans(ActionId::enroll_device)) << describe(d);
  for (ActionId a : {ActionId::use_app, ActionId::use_bluetooth, ActionId::remote_unlock_by_manager,
                     ActionId::send_backup_code, ActionId::locksmith_entry})
    EXPECT_FALSE(d.plans(a)) << to_string(a) << "\n" << describe(d);
}

TEST(Eligibility, AGuestOutsideHerWindowGetsNothingThatOpensTheDoor) {
  Snapshot s = resident_at_door();
  s.relation.role = Role::guest;
  s.relation.window = Validity::not_yet;
  s.relation.window_edge = kNow + kDay;
  s.person.carries_physical_key = true;
  s.codes[0].status = CodeStatus::pending;
  const Diagnosis d = diagnose(s);
  EXPECT_EQ(plan_of(d), (std::vector{ActionId::ask_admin_for_access})) << describe(d);
  EXPECT_FALSE(d.path(Path::physical_key).alive);
}

TEST(Eligibility, SupportAndMaintenanceWithoutAWorkOrderOpenNothing) {
  for (Role role : {Role::support, Role::maintenance}) {
    Snapshot s = resident_at_door();
    s.relation.role = role;
    s.person.carries_physical_key = true;
    s.lock.battery_pct = 0;
    const Diagnosis d = diagnose(s);
    for (const PlanStep& p : d.plan)
      EXPECT_TRUE(p.action == ActionId::ask_admin_for_access) << to_string(p.action);
    for (const PathStatus& p : d.paths)
      EXPECT_FALSE(p.alive) << to_string(p.path);
  }
}

TEST(Eligibility, MaintenanceWithAWorkOrderUsesTheDoorButCallsNoLocksmith) {
  Snapshot s = resident_at_door();
  s.relation.role = Role::maintenance;
  s.relation.work_order_open = true;
  s.lock.battery_pct = 0;
  s.lock.has_jump_terminal = false;
  const Diagnosis d = diagnose(s);
  EXPECT_TRUE(d.plans(ActionId::replace_battery)) << describe(d);
  EXPECT_FALSE(d.plans(ActionId::locksmith_entry)) << describe(d);
}

TEST(Eligibility, ASuspendedAccountMayOnlyAskAnAdmin) {
  Snapshot s = resident_at_door();
  s.person.status = AccountStatus::suspended;
  s.person.carries_physical_key = true;
  const Diagnosis d = diagnose(s);
  EXPECT_EQ(plan_of(d), (std::vector{ActionId::ask_admin_for_access})) << describe(d);
}

TEST(Eligibility, AnImpairedAdminIsRestoredByIdentityVerificationOnly) {
  Snapshot s = resident_at_door();
  owner_locked_out_of_mfa(s);
  const Diagnosis d = diagnose(s);
  EXPECT_TRUE(d.plans(ActionId::verify_identity_restore_admin)) << describe(d);
  EXPECT_FALSE(d.plans(ActionId::ask_admin_for_access)) << describe(d);

  s.relation.role = Role::resident;  // the same trouble for a resident: an admin may help
  const Diagnosis resident = diagnose(s);
  EXPECT_FALSE(resident.plans(ActionId::verify_identity_restore_admin)) << describe(resident);
  EXPECT_TRUE(resident.plans(ActionId::ask_admin_for_access)) << describe(resident);
}

TEST(Eligibility, ALockedAccountKeepsWhatItHoldsButGetsNothingNew) {
  Snapshot s = resident_at_door();
  s.person.status = AccountStatus::locked;
  s.person.verification = Verification::session;  // a session from before the lock is not proof
  s.person.carries_physical_key = true;
  hub_down(s);
  s.codes[0].status = CodeStatus::pending;
  const Diagnosis d = diagnose(s);
  EXPECT_TRUE(d.plans(ActionId::use_physical_key)) << describe(d);
  EXPECT_TRUE(d.plans(ActionId::reset_password));
  EXPECT_FALSE(d.plans(ActionId::send_backup_code)) << describe(d);
  EXPECT_FALSE(d.plans(ActionId::use_bluetooth));
}

}  // namespace
}  // namespace lockout_test
