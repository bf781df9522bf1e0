// The invariant checks themselves (invariants.hpp), fed plans the engine would never build: each
// invariant of DESIGN.md section 5 must catch the action that breaks it, and name itself.

#include "server/lockout/diagnosis/invariants.hpp"

#include <gtest/gtest.h>

#include "server/lockout/diagnosis/steps.hpp"
#include "tests/server/lockout/story.hpp"

namespace lockout_test {
namespace {

PlanStep step(ActionId action) {
  PlanStep p;
  p.action = action;
  p.rank = rank_of(action);
  p.steps = steps_for(action, Link::hub);
  return p;
}

Cause cause(CauseId id, bool suspected = false) {
  Cause c;
  c.id = id;
  c.layer = layer_of(id);
  c.confidence = suspected ? 0.4 : 0.95;
  c.suspected = suspected;
  return c;
}

std::optional<Invariant> broken(const Snapshot& s, ActionId action, std::vector<Cause> causes = {},
                                std::vector<PlanStep> before = {}) {
  const auto v = violation(s, causes, before, action);
  if (!v) return std::nullopt;
  EXPECT_EQ(v->action, action);
  EXPECT_FALSE(v->rule.empty());
  return v->invariant;
}

constexpr auto kBeyondRole = Invariant::no_access_beyond_verified_role;

TEST(Invariant1, AMovedOutResidentGetsNothingAtAll) {
  Snapshot s = resident_at_door();
  s.relation.moved_out = true;
  for (std::size_t i = 0; i < kActionCount; ++i)
    EXPECT_EQ(broken(s, static_cast<ActionId>(i)), kBeyondRole)
        << to_string(static_cast<ActionId>(i));
}

TEST(Invariant1, AGuestWhoseWindowEndedGetsNoCodeKeyOrUnlock) {
  Snapshot s = resident_at_door();
  s.relation.role = Role::guest;
  s.relation.window = Validity::ended;
  for (ActionId a : {ActionId::send_backup_code, ActionId::remote_unlock_by_manager,
                     ActionId::use_own_code, ActionId::use_bluetooth, ActionId::resync_code})
    EXPECT_EQ(broken(s, a), kBeyondRole) << to_string(a);
}

TEST(Invariant1, AnUnverifiedCallerMayUseWhatSheHoldsButIsGivenNothing) {
  Snapshot s = resident_at_door();
  s.person.verification = Verification::none;
  EXPECT_EQ(broken(s, ActionId::use_own_code), std::nullopt);
  EXPECT_EQ(broken(s, ActionId::sign_in_again), std::nullopt);
  // Enrolling her phone happens in identity behind a full sign-in: advice, no access by itself.
  EXPECT_EQ(broken(s, ActionId::enroll_device), std::nullopt);
  for (ActionId a : {ActionId::send_backup_code, ActionId::remote_unlock_by_manager,
                     ActionId::locksmith_entry, ActionId::use_app})
    EXPECT_EQ(broken(s, a), kBeyondRole) << to_string(a);
}

TEST(Invariant1, NobodyWhoseAccessEndedIsToldToEnrollAPhone) {
  Snapshot s = resident_at_door();
  s.person.verification = Verification::none;
  s.relation.moved_out = true;
  s.relation.window = Validity::ended;
  EXPECT_EQ(broken(s, ActionId::enroll_device), kBeyondRole);
  s = resident_at_door();
  s.relation.role = Role::guest;
  s.relation.window = Validity::ended;
  EXPECT_EQ(broken(s, ActionId::enroll_device), kBeyondRole);
  s = resident_at_door();
  s.relation.role = Role::support;
  EXPECT_EQ(broken(s, ActionId::enroll_device), kBeyondRole);
}

TEST(Invariant1, OutsideTheScheduleNothingOpensTheDoor) {
  Snapshot s = resident_at_door();
  s.relation.inside_schedule = false;
  EXPECT_EQ(broken(s, ActionId::use_own_code), kBeyondRole);
  EXPECT_EQ(broken(s, ActionId::remote_unlock_by_manager), kBeyondRole);
  EXPECT_EQ(broken(s, ActionId::ask_admin_for_access), std::nullopt);
}

TEST(Invariant1, SupportAndMaintenanceWithoutAWorkOrderOpenNothing) {
  for (Role role : {Role::support, Role::maintenance}) {
    Snapshot s = resident_at_door();
    s.relation.role = role;
    EXPECT_EQ(broken(s, ActionId::use_physical_key), kBeyondRole);
    EXPECT_EQ(broken(s, ActionId::remote_unlock_by_manager), kBeyondRole);
  }
  Snapshot s = resident_at_door();
  s.relation.role = Role::maintenance;
  s.relation.work_order_open = true;
  EXPECT_EQ(broken(s, ActionId::use_physical_key), std::nullopt);
  EXPECT_EQ(broken(s, ActionId::locksmith_entry), kBeyondRole);
}

TEST(Invariant1, ASuspendedAccountGetsNothingThatOpensTheDoor) {
  Snapshot s = resident_at_door();
  s.person.status = AccountStatus::suspended;
  EXPECT_EQ(broken(s, ActionId::use_physical_key), kBeyondRole);
  EXPECT_EQ(broken(s, ActionId::send_backup_code), kBeyondRole);
}

TEST(Invariant1, OnlyAdminsResetALock) {
  Snapshot s = resident_at_door();
  std::vector causes{cause(CauseId::lock_state_mismatch)};
  EXPECT_EQ(broken(s, ActionId::factory_reset_and_reenroll, causes), kBeyondRole);
  s.relation.role = Role::manager;
  EXPECT_EQ(broken(s, ActionId::factory_reset_and_reenroll, causes), std::nullopt);
}

TEST(Invariant2, IdentityVerificationRestoresOnlyAnAdminRoleThePersonHolds) {
  Snapshot s = resident_at_door();
  s.person.status = AccountStatus::locked;
  EXPECT_EQ(broken(s, ActionId::verify_identity_restore_admin),
            Invariant::admin_restore_needs_identity);
  s.relation.role = Role::owner;
  EXPECT_EQ(broken(s, ActionId::verify_identity_restore_admin), std::nullopt);
  s.person.status = AccountStatus::suspended;
  EXPECT_EQ(broken(s, ActionId::verify_identity_restore_admin),
            Invariant::admin_restore_needs_identity);
}

TEST(Invariant2, AnImpairedAdminIsNeverSentToAnotherAdmin) {
  Snapshot s = resident_at_door();
  s.relation.role = Role::manager;
  s.person.mfa_enabled = true;
  s.person.mfa_available = false;
  EXPECT_EQ(broken(s, ActionId::ask_admin_for_access), Invariant::admin_restore_needs_identity);
  s.relation.role = Role::resident;
  EXPECT_EQ(broken(s, ActionId::ask_admin_for_access), std::nullopt);
  s.relation.transfer_pending_to_person = true;
  EXPECT_EQ(broken(s, ActionId::ask_admin_for_access), Invariant::admin_restore_needs_identity);
}

TEST(Invariant3, ABackupCodeOnlyWhenTheKeypadCanTakeIt) {
  const auto backup = [](const Snapshot& s) { return broken(s, ActionId::send_backup_code); };
  Snapshot s = resident_at_door();
  EXPECT_EQ(backup(s), std::nullopt);
  Snapshot dead = s;
  dead.lock.battery_pct = 0;
  EXPECT_EQ(backup(dead), Invariant::backup_code_eligible_now);
  Snapshot no_keypad = s;
  no_keypad.lock.keypad = lockcore::KeypadState::absent;
  EXPECT_EQ(backup(no_keypad), Invariant::backup_code_eligible_now);
  Snapshot faulty = s;
  faulty.lock.keypad = lockcore::KeypadState::fault;
  EXPECT_EQ(backup(faulty), Invariant::backup_code_eligible_now);
  Snapshot reset = s;
  reset.lock.epoch_changed = true;
  EXPECT_EQ(backup(reset), Invariant::backup_code_eligible_now);
  Snapshot empty = s;
  empty.lock.backup_pool_available = false;
  empty.lock.paired = false;
  EXPECT_EQ(backup(empty), Invariant::backup_code_eligible_now);
}

TEST(Invariant4, AJamAloneGetsNoBackupCodeResyncOrReset) {
  Snapshot s = resident_at_door();
  s.relation.role = Role::owner;
  const std::vector jam{cause(CauseId::lock_jammed), cause(CauseId::battery_low)};
  for (ActionId a :
       {ActionId::send_backup_code, ActionId::resync_code, ActionId::factory_reset_and_reenroll})
    EXPECT_EQ(broken(s, a, jam), Invariant::jam_is_hardware) << to_string(a);
  // With a code that is really missing, a resync answers that, not the jam.
  const std::vector both{cause(CauseId::lock_jammed), cause(CauseId::code_not_on_lock)};
  EXPECT_EQ(broken(s, ActionId::resync_code, both), std::nullopt);
}

TEST(Invariant4, ForAJamRealigningComesBeforeAWorkOrder) {
  Snapshot s = resident_at_door();
  Diagnosis d;
  (void)d.causes.push_back(cause(CauseId::lock_jammed));
  (void)d.plan.push_back(step(ActionId::maintenance_work_order));
  (void)d.plan.push_back(step(ActionId::realign_door_and_retry));
  const Violations v = check_plan(s, d);
  ASSERT_EQ(v.size(), 1U);
  EXPECT_EQ(v[0].invariant, Invariant::jam_is_hardware);
  EXPECT_EQ(v[0].action, ActionId::maintenance_work_order);
}

TEST(Invariant5, AFactoryResetOnlyWhenNothingElseWorks) {
  Snapshot s = resident_at_door();
  s.relation.role = Role::owner;
  const std::vector mismatch{cause(CauseId::lock_state_mismatch)};
  EXPECT_EQ(broken(s, ActionId::factory_reset_and_reenroll, mismatch), std::nullopt);
  EXPECT_EQ(
      broken(s, ActionId::factory_reset_and_reenroll, mismatch, {step(ActionId::use_physical_key)}),
      Invariant::factory_reset_last_resort);
  EXPECT_EQ(
      broken(s, ActionId::factory_reset_and_reenroll, mismatch, {step(ActionId::send_backup_code)}),
      Invariant::factory_reset_last_resort);
  // A locksmith is not a way the lock works again: it does not rule the reset out.
  EXPECT_EQ(
      broken(s, ActionId::factory_reset_and_reenroll, mismatch, {step(ActionId::locksmith_entry)}),
      std::nullopt);
}

TEST(Invariant5, AFactoryResetNeedsAMismatchTheFactsEstablish) {
  Snapshot s = resident_at_door();
  s.relation.role = Role::owner;
  EXPECT_EQ(broken(s, ActionId::factory_reset_and_reenroll), Invariant::factory_reset_last_resort);
  EXPECT_EQ(
      broken(s, ActionId::factory_reset_and_reenroll, {cause(CauseId::lock_state_mismatch, true)}),
      Invariant::factory_reset_last_resort);
}

TEST(Invariant5, AFactoryResetIsLastAndEndsWithVerifiedReenrollment) {
  Snapshot s = resident_at_door();
  s.relation.role = Role::owner;
  Diagnosis d;
  (void)d.causes.push_back(cause(CauseId::lock_state_mismatch));
  PlanStep reset = step(ActionId::factory_reset_and_reenroll);
  EXPECT_NE(reset.steps.back().find("verified"), std::string_view::npos);
  (void)d.plan.push_back(reset);
  EXPECT_TRUE(check_plan(s, d).empty());

  (void)d.plan.push_back(step(ActionId::ask_admin_for_access));
  Violations v = check_plan(s, d);
  ASSERT_EQ(v.size(), 1U);
  EXPECT_EQ(v[0].rule, "a factory reset comes last");

  d.plan.pop_back();
  d.plan[0].steps = d.plan[0].steps.first(2);  // stops before re-enrolling
  v = check_plan(s, d);
  ASSERT_EQ(v.size(), 1U);
  EXPECT_EQ(v[0].rule, "a factory reset always ends with verified re-enrollment");
}

}  // namespace
}  // namespace lockout_test
