// The three shared scenarios (shared/scenarios/*.json), at the moment each case opens, as
// snapshots: the diagnosis must conclude what the files expect of it.

#include <gtest/gtest.h>

#include "server/lockout/diagnosis/invariants.hpp"
#include "tests/server/lockout/story.hpp"

namespace lockout_test {
namespace {

// jammed-door.json: a swollen door jams u204's deadbolt at +1m (07:31); at +2m Ana reports the X
// on the keypad and an unusual beep from her phone. Her code 4831 is set; mo manages the site.
Snapshot jammed_door_case() {
  Snapshot s = resident_at_door();
  s.now = kNow;
  s.lock.bolt = lockcore::BoltState::jammed;
  s.lock.last_jam_at = kNow - kMinute;
  s.lock.last_seen = kNow - kMinute;
  s.lock.jams_last_7d = 1;
  s.lock.battery_pct = 100;
  s.report.symptoms = {Symptom::keypad_x_pattern, Symptom::unusual_beep};
  return s;
}

TEST(JammedDoorScenario, TheJamIsTheTopCauseAndTheCodeIsNotBlamed) {
  const Diagnosis d = diagnose(jammed_door_case());
  ASSERT_EQ(d.top_cause(), CauseId::lock_jammed) << describe(d);
  EXPECT_FALSE(d.has(CauseId::code_not_on_lock)) << describe(d);
  EXPECT_FALSE(d.has(CauseId::wrong_code)) << describe(d);
  EXPECT_FALSE(d.find(CauseId::lock_jammed)->suspected);
  EXPECT_TRUE(cites(d, CauseId::lock_jammed, Source::telemetry,
                    "lock u204 reported the bolt jammed at 07:31"))
      << describe(d);
  EXPECT_TRUE(cites(d, CauseId::lock_jammed, Source::report, "the keypad shows an X"));
}

TEST(JammedDoorScenario, RealignComesFirstAndNoResetOrBackupCode) {
  const Diagnosis d = diagnose(jammed_door_case());
  ASSERT_FALSE(d.plan.empty()) << describe(d);
  EXPECT_EQ(d.plan[0].action, ActionId::realign_door_and_retry) << describe(d);
  EXPECT_EQ(d.plan[0].steps[0],
            "Push or pull the door firmly toward the frame while you enter your code; the X on "
            "the keypad means the bolt is stuck against the strike, your code is fine.");
  EXPECT_FALSE(d.plans(ActionId::factory_reset_and_reenroll)) << describe(d);
  EXPECT_FALSE(d.plans(ActionId::send_backup_code)) << describe(d);
  EXPECT_FALSE(d.plans(ActionId::resync_code)) << describe(d);
  // One jam is not yet a door that needs adjusting.
  EXPECT_FALSE(d.plans(ActionId::maintenance_work_order)) << describe(d);
  EXPECT_TRUE(d.dropped.empty()) << describe(d);
}

// At +2d the door has jammed three times in the week: the plan opens a door_alignment work order.
TEST(JammedDoorScenario, RepeatedJamsOpenADoorAlignmentWorkOrder) {
  Snapshot s = jammed_door_case();
  s.now = kNow + 2 * kDay;
  s.lock.last_jam_at = s.now - kMinute;
  s.lock.last_seen = s.now - kMinute;
  s.lock.jams_last_7d = 3;
  const Diagnosis d = diagnose(s);
  EXPECT_EQ(d.plan[0].action, ActionId::realign_door_and_retry) << describe(d);
  const PlanStep* order = d.step(ActionId::maintenance_work_order);
  ASSERT_NE(order, nullptr) << describe(d);
  EXPECT_EQ(order->work_order, WorkOrderKind::door_alignment);
  EXPECT_EQ(order->addresses, CauseId::lock_jammed);
  EXPECT_TRUE(cites(d, CauseId::lock_jammed, Source::event, "jammed 3 times in the last 7 days"));
  EXPECT_TRUE(check_plan(s, d).empty());
}

// backup-code.json: hub-1 goes down at 23:10; Lee (no keypad code of her own) is refused at the
// keypad and by the app, and at +3m reports code_rejected and lock_offline_in_app from lee-phone.
Snapshot backup_code_case() {
  Snapshot s = resident_at_door();
  s.now = 1'770'178'380'000;  // 2026-02-03T23:13:00-05:00
  const UnixMs hub_down_at = s.now - 3 * kMinute;
  s.site = {.id = "harbor-flats",
            .admin_reachable = true,
            .manager_can_unlock = true,
            .utc_offset_min = -300};
  s.person.id = "lee";
  s.report.phone.device = "lee-phone";
  s.report.symptoms = {Symptom::code_rejected, Symptom::lock_offline_in_app};
  s.codes.clear();
  s.lock.id = "a3";
  s.lock.hub_id = "hub-1";
  s.lock.battery_pct = 100;
  s.lock.hub_online = false;
  s.lock.hub_last_seen = hub_down_at;
  s.lock.online = false;
  s.lock.last_seen = hub_down_at;
  s.lock.backup_pool_available = true;
  return s;
}

TEST(BackupCodeScenario, TheHubIsOfflineAndABackupCodeIsOfferedButNoRemoteUnlock) {
  const Snapshot s = backup_code_case();
  const Diagnosis d = diagnose(s);
  EXPECT_TRUE(d.has(CauseId::hub_offline)) << describe(d);
  EXPECT_TRUE(cites(d, CauseId::hub_offline, Source::telemetry,
                    "hub hub-1 (lock a3's link) offline since 23:10"))
      << describe(d);
  EXPECT_TRUE(d.plans(ActionId::send_backup_code)) << describe(d);
  EXPECT_FALSE(d.plans(ActionId::remote_unlock_by_manager)) << describe(d);
  EXPECT_FALSE(d.path(Path::app).alive);
  EXPECT_TRUE(d.path(Path::keypad).alive);
  EXPECT_TRUE(d.plans(ActionId::restore_hub));
  EXPECT_TRUE(check_plan(s, d).empty());
}

TEST(BackupCodeScenario, ARejectedCodeFromSomeoneWithoutACodeIsAWrongCode) {
  const Diagnosis d = diagnose(backup_code_case());
  EXPECT_TRUE(d.has(CauseId::wrong_code)) << describe(d);
  EXPECT_TRUE(cites(d, CauseId::wrong_code, Source::credential, "lee has no keypad code on a3"));
  EXPECT_FALSE(d.has(CauseId::code_not_on_lock));
}

// moved-out.json: kit moves sam out at 12:00; his code is removed and his phone refused. Had he
// opened a case at +2m, he would get nothing: not a code, not a key, not an unlock.
Snapshot moved_out_case() {
  Snapshot s = resident_at_door();
  s.now = 1'774'958'520'000;  // 2026-03-31T12:02:00+00:00 (London, summer time)
  s.site = {
      .id = "elm-house", .admin_reachable = true, .manager_can_unlock = true, .utc_offset_min = 60};
  s.person.id = "sam";
  s.report.phone.device = "sam-phone";
  s.report.symptoms = {Symptom::code_rejected, Symptom::can_view_cannot_unlock};
  s.relation.moved_out = true;
  s.relation.moved_out_at = s.now - 2 * kMinute;
  s.relation.window = Validity::ended;
  s.relation.window_edge = s.relation.moved_out_at;
  s.codes.clear();
  (void)s.codes.push_back(code(CodeStatus::removed, s.now - kMinute));
  s.lock.id = "d1";
  s.lock.hub_id = "hub-e";
  return s;
}

TEST(MovedOutScenario, AMovedOutResidentGetsNothing) {
  const Snapshot s = moved_out_case();
  const Diagnosis d = diagnose(s);
  EXPECT_EQ(d.top_cause(), CauseId::access_expired) << describe(d);
  EXPECT_TRUE(cites(d, CauseId::access_expired, Source::membership, "sam moved out at 13:00"))
      << describe(d);
  EXPECT_TRUE(cites(d, CauseId::access_expired, Source::credential, "the code on d1 was removed"));
  EXPECT_TRUE(d.plan.empty()) << describe(d);
  for (const PathStatus& p : d.paths)
    EXPECT_FALSE(p.alive) << to_string(p.path);
  // The removed code is the move-out working, not a fault to repair.
  EXPECT_FALSE(d.has(CauseId::code_not_on_lock)) << describe(d);
}

TEST(MovedOutScenario, NotEvenWithAKeyAVerifiedIdentityAndAManagerStandingBy) {
  Snapshot s = moved_out_case();
  s.person.carries_physical_key = true;
  s.person.verification = Verification::identity_checked;
  s.lock.bolt = lockcore::BoltState::jammed;
  s.lock.battery_pct = 0;
  const Diagnosis d = diagnose(s);
  EXPECT_TRUE(d.plan.empty()) << describe(d);
  EXPECT_TRUE(d.dropped.empty()) << describe(d);
}

}  // namespace
}  // namespace lockout_test
