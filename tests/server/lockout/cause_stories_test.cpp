// One story per cause of DESIGN.md section 5: the facts that make it fit, the evidence it must
// cite, and the recovery the plan offers for it. A table, so that a test can check that every
// cause id has its story.

#include <functional>

#include <gtest/gtest.h>

#include "server/lockout/diagnosis/invariants.hpp"
#include "tests/server/lockout/story.hpp"

namespace lockout_test {
namespace {

struct CauseStory {
  CauseId cause;
  std::function<void(Snapshot&)> happens;
  Source source;                   // where its evidence comes from
  std::string_view cites;          // a fact it must cite
  std::optional<ActionId> offers;  // what the plan offers for it, when anything
  bool suspected = false;
};

void signed_out(Snapshot& s) {
  s.person.session_valid = false;
  s.report.phone.signed_in = false;
  s.person.verification = Verification::none;
}

const std::vector<CauseStory>& stories() {
  static const std::vector<CauseStory> kStories = {
      {CauseId::signed_out, signed_out, Source::account, "no valid session for ana-phone",
       ActionId::sign_in_again},
      {CauseId::password_forgotten,
       [](Snapshot& s) {
         signed_out(s);
         s.report.symptoms = {Symptom::cannot_sign_in};
         s.person.failed_sign_ins = 2;
       },
       Source::account, "2 failed sign-ins in the last 24 h", ActionId::reset_password},
      {CauseId::mfa_unavailable,
       [](Snapshot& s) {
         signed_out(s);
         s.report.symptoms = {Symptom::cannot_sign_in};
         s.person.mfa_enabled = true;
         s.person.mfa_available = false;
       },
       Source::account, "no second factor is left", ActionId::ask_admin_for_access},
      {CauseId::account_locked,
       [](Snapshot& s) {
         signed_out(s);
         s.person.status = AccountStatus::locked;
       },
       Source::account, "account ana is locked by the site's administration",
       ActionId::reset_password},
      {CauseId::account_suspended,
       [](Snapshot& s) {
         s.person.status = AccountStatus::suspended;
         s.person.verification = Verification::none;
       },
       Source::account, "account ana is suspended", ActionId::ask_admin_for_access},
      {CauseId::device_not_enrolled,
       [](Snapshot& s) {
         s.person.device_enrolled = false;
         s.report.phone.enrolled = false;
         s.report.symptoms = {Symptom::pairing_fails};
       },
       Source::account, "phone ana-phone is not enrolled to this account", ActionId::enroll_device},
      {CauseId::lock_not_in_account,
       [](Snapshot& s) {
         s.relation.role.reset();
         s.report.symptoms = {Symptom::lock_missing_in_app};
       },
       Source::membership, "no membership of ana covers door u204", std::nullopt},
      {CauseId::ownership_transfer_incomplete,
       [](Snapshot& s) {
         s.relation.transfer_pending_to_person = true;
         s.relation.transfer_started_at = kNow - 2 * kDay;
       },
       Source::membership, "ownership of site maple-court is being transferred to ana since Jan 10",
       ActionId::verify_identity_restore_admin},
      {CauseId::lock_state_mismatch,
       [](Snapshot& s) {
         s.lock.epoch_changed = true;
         s.lock.paired = false;
         s.lock.factory_reset_at = kNow - 22 * kMinute;
       },
       Source::telemetry, "lock u204 was factory reset at 07:10", ActionId::maintenance_work_order},
      {CauseId::firmware_incompatible,
       [](Snapshot& s) {
         s.lock.firmware_compat = FirmwareCompat::app_too_old;
         s.report.symptoms = {Symptom::pairing_fails};
       },
       Source::telemetry, "lock firmware 2.4.1 needs a newer app than 5.2.0", ActionId::update_app},
      {CauseId::hub_offline,
       [](Snapshot& s) {
         s.lock.hub_online = false;
         s.lock.online = false;
         s.lock.hub_last_seen = kNow - 40 * kMinute;
       },
       Source::telemetry, "hub hub-a (lock u204's link) offline since 06:52",
       ActionId::restore_hub},
      {CauseId::lock_unreachable,
       [](Snapshot& s) {
         s.lock.link = Link::wifi;
         s.lock.online = false;
         s.lock.last_seen = kNow - 2 * kHour;
         s.report.symptoms = {Symptom::lock_offline_in_app};
       },
       Source::telemetry, "lock u204 last seen at 05:32, 2 h ago", ActionId::use_own_code},
      {CauseId::wifi_changed,
       [](Snapshot& s) {
         s.lock.link = Link::wifi;
         s.lock.online = false;
         s.lock.wifi_network_changed = true;
       },
       Source::report, "the Wi-Fi network changed", ActionId::restore_hub},
      {CauseId::phone_bluetooth_blocked,
       [](Snapshot& s) {
         s.report.phone.bluetooth_allowed = false;
         s.report.symptoms = {Symptom::pairing_fails};
       },
       Source::phone, "Bluetooth permission is off for the app on ana-phone",
       ActionId::allow_bluetooth},
      {CauseId::role_cannot_unlock, [](Snapshot& s) { s.relation.role = Role::maintenance; },
       Source::membership, "opens u204 only with an open work order",
       ActionId::ask_admin_for_access},
      {CauseId::outside_schedule,
       [](Snapshot& s) {
         s.relation.role = Role::guest;
         s.relation.inside_schedule = false;
         s.report.symptoms = {Symptom::code_rejected};
       },
       Source::membership, "outside the weekly schedule of the guest membership",
       ActionId::ask_admin_for_access},
      {CauseId::access_expired,
       [](Snapshot& s) {
         s.relation.role = Role::guest;
         s.relation.window = Validity::ended;
         s.relation.window_edge = kNow - kHour;
       },
       Source::membership, "the guest membership for u204 ended at 06:32", std::nullopt},
      {CauseId::code_not_on_lock,
       [](Snapshot& s) {
         s.codes[0].status = CodeStatus::pending;
         s.codes[0].status_since = kNow - 12 * kMinute;
         s.report.symptoms = {Symptom::code_rejected};
       },
       Source::credential, "the code on u204 is pending since 07:20", ActionId::resync_code},
      {CauseId::code_expired,
       [](Snapshot& s) {
         s.codes[0].window = Validity::ended;
         s.codes[0].window_edge = kNow - kDay;
         s.report.symptoms = {Symptom::code_rejected};
       },
       Source::credential, "the code on u204 ended at Jan 11 07:32",
       ActionId::ask_admin_for_access},
      {CauseId::wrong_code,
       [](Snapshot& s) {
         s.lock.wrong_codes_recent = 3;
         s.lock.last_wrong_code_at = kNow - 2 * kMinute;
         s.report.symptoms = {Symptom::code_rejected};
       },
       Source::event, "3 wrong codes at u204 in the last 30 min, the last at 07:30",
       ActionId::use_own_code},
      {CauseId::keypad_disabled,
       [](Snapshot& s) {
         s.lock.keypad_disabled_until = kNow + 45'000;
         s.lock.last_wrong_code_limit_at = kNow - 15'000;
       },
       Source::telemetry, "the keypad of u204 is disabled for 45 s more",
       ActionId::wait_keypad_cooldown},
      {CauseId::lock_jammed,
       [](Snapshot& s) {
         s.lock.bolt = lockcore::BoltState::jammed;
         s.lock.last_jam_at = kNow - kMinute;
       },
       Source::telemetry, "lock u204 reported the bolt jammed at 07:31",
       ActionId::realign_door_and_retry},
      {CauseId::battery_low,
       [](Snapshot& s) {
         s.lock.battery_pct = 12;
         s.lock.battery_days_left = 9;
       },
       Source::telemetry, "battery 12 % at 07:30; about 9 days left", ActionId::replace_battery},
      {CauseId::battery_depleted,
       [](Snapshot& s) {
         s.lock.battery_pct = 0;
         s.report.symptoms = {Symptom::keypad_dark};
       },
       Source::telemetry, "lock u204 reported its battery empty (0 %)", ActionId::jump_battery},
      {CauseId::motor_fault, [](Snapshot& s) { s.lock.motor_fault = true; }, Source::telemetry,
       "lock u204 reported a motor fault", ActionId::maintenance_work_order},
      {CauseId::keypad_fault,
       [](Snapshot& s) {
         s.lock.keypad = lockcore::KeypadState::fault;
         s.report.symptoms = {Symptom::keypad_dark};
       },
       Source::telemetry, "lock u204 reported a keypad fault", ActionId::use_app},
  };
  return kStories;
}

class CauseStoryTest : public testing::TestWithParam<CauseStory> {};

TEST_P(CauseStoryTest, FitsCitesItsEvidenceAndIsAnswered) {
  const CauseStory& story = GetParam();
  Snapshot s = resident_at_door();
  story.happens(s);
  const Diagnosis d = diagnose(s);
  const Cause* c = d.find(story.cause);
  ASSERT_NE(c, nullptr) << describe(d);
  EXPECT_EQ(c->layer, layer_of(story.cause));
  EXPECT_EQ(c->suspected, story.suspected) << describe(d);
  EXPECT_TRUE(cites(d, story.cause, story.source, story.cites)) << describe(d);
  if (story.offers) {
    const PlanStep* step = d.step(*story.offers);
    ASSERT_NE(step, nullptr) << describe(d);
    EXPECT_FALSE(step->steps.empty());
  }
  expect_sound(s, d);
}

INSTANTIATE_TEST_SUITE_P(EveryCause, CauseStoryTest, testing::ValuesIn(stories()),
                         [](const testing::TestParamInfo<CauseStory>& info) {
                           return std::string(to_string(info.param.cause));
                         });

TEST(CauseStories, EveryCauseIdHasAStory) {
  CauseSet told;
  for (const CauseStory& story : stories())
    told.add(story.cause);
  for (std::size_t i = 0; i < kCauseCount; ++i)
    EXPECT_TRUE(told.has(static_cast<CauseId>(i))) << to_string(static_cast<CauseId>(i));
}

// ---- what each rule must not conclude ------------------------------------------------------

TEST(CauseRules, AHealthyDoorWithNothingReportedHasNoCause) {
  const Diagnosis d = diagnose(resident_at_door());
  EXPECT_TRUE(d.causes.empty()) << describe(d);
  EXPECT_EQ(plan_of(d),
            (std::vector{ActionId::use_own_code, ActionId::use_app, ActionId::use_bluetooth}))
      << describe(d);
}

// The sign-in throttle's wait is what a person meets as a locked account: named, with when it
// lifts; a wait of seconds between tries is not; and an admin held by it loses no role, so no
// identity check is offered for it.
TEST(CauseRules, ASignInHeldByTheThrottleIsALockedAccountUntilTheWaitEnds) {
  Snapshot s = resident_at_door();
  s.report.symptoms = {Symptom::cannot_sign_in};
  s.person.failed_sign_ins = 15;
  s.person.sign_in_held_from = "ip:127.0.0.3";
  s.person.sign_in_held_after = 15;

  s.person.sign_in_held_until = kNow + 5'000;
  const Diagnosis pause = diagnose(s);
  EXPECT_FALSE(pause.has(CauseId::account_locked)) << describe(pause);
  EXPECT_TRUE(pause.has(CauseId::password_forgotten)) << describe(pause);

  s.person.sign_in_held_until = kNow + 17 * kMinute;
  const Diagnosis held = diagnose(s);
  EXPECT_EQ(held.top_cause(), CauseId::account_locked) << describe(held);
  EXPECT_TRUE(cites(held, CauseId::account_locked, Source::account,
                    "sign-in to ana from ip:127.0.0.3 is held until 07:49 after 15 failed "
                    "attempts in a row"))
      << describe(held);
  EXPECT_TRUE(held.has(CauseId::password_forgotten)) << describe(held);
  EXPECT_TRUE(held.plans(ActionId::reset_password)) << describe(held);
  // Her app still opens the door: the least invasive way in is listed first.
  EXPECT_EQ(plan_of(held).front(), ActionId::use_own_code) << describe(held);
  EXPECT_FALSE(held.plans(ActionId::verify_identity_restore_admin)) << describe(held);

  s.person.sign_in_held_from = "untrusted";
  s.person.sign_in_held_after = 100;
  EXPECT_TRUE(cites(diagnose(s), CauseId::account_locked, Source::account,
                    "from new addresses is held until 07:49 after 100 failed attempts"));

  s.person.status = AccountStatus::suspended;
  EXPECT_FALSE(diagnose(s).has(CauseId::account_locked));
}

TEST(CauseRules, AJamReportedWithoutTelemetryIsSuspectedAndNeedsAnOnDoorTest) {
  Snapshot s = resident_at_door();
  s.lock.online = false;
  s.lock.hub_online = false;
  s.lock.last_seen = kNow - 3 * kHour;
  s.lock.hub_last_seen = kNow - 3 * kHour;
  s.report.symptoms = {Symptom::keypad_x_pattern, Symptom::unusual_beep};
  const Diagnosis d = diagnose(s);
  const Cause* jam = d.find(CauseId::lock_jammed);
  ASSERT_NE(jam, nullptr) << describe(d);
  EXPECT_TRUE(jam->suspected);
  EXPECT_TRUE(jam->needs_on_door_test);
  EXPECT_LE(jam->confidence, kSuspectedConfidence);
  EXPECT_TRUE(cites(d, CauseId::lock_jammed, Source::telemetry, "no telemetry to confirm"));
  // The hub being down is established; the jam is not: it ranks below.
  EXPECT_EQ(d.top_cause(), CauseId::hub_offline) << describe(d);
  // Realigning is the on-door test itself, and the cheapest answer.
  EXPECT_TRUE(d.plans(ActionId::realign_door_and_retry)) << describe(d);
}

TEST(CauseRules, TelemetryTurnsASuspectedJamIntoAConfirmedOne) {
  Snapshot s = resident_at_door();
  s.report.symptoms = {Symptom::keypad_x_pattern};
  const Diagnosis before = diagnose(s);
  ASSERT_TRUE(before.has(CauseId::lock_jammed));
  EXPECT_TRUE(before.find(CauseId::lock_jammed)->suspected);
  EXPECT_TRUE(cites(before, CauseId::lock_jammed, Source::telemetry, "shows the bolt locked"));

  s.lock.bolt = lockcore::BoltState::jammed;
  const Diagnosis after = diagnose(s);
  EXPECT_FALSE(after.find(CauseId::lock_jammed)->suspected);
  EXPECT_FALSE(after.find(CauseId::lock_jammed)->needs_on_door_test);
  EXPECT_GT(after.find(CauseId::lock_jammed)->confidence, kSuspectedConfidence);
}

// A dark keypad at a lock that has gone quiet: the battery is suspected, not concluded, and a
// rejected code stays an authorization-path question until the door says otherwise.
TEST(CauseRules, ADarkKeypadAtASilentLockSuspectsTheBattery) {
  Snapshot s = resident_at_door();
  s.lock.online = false;
  s.lock.link = Link::wifi;
  s.lock.last_seen = kNow - 5 * kHour;
  s.lock.battery_pct = 40;
  s.report.symptoms = {Symptom::keypad_dark};
  const Diagnosis d = diagnose(s);
  const Cause* battery = d.find(CauseId::battery_depleted);
  ASSERT_NE(battery, nullptr) << describe(d);
  EXPECT_TRUE(battery->suspected);
  EXPECT_TRUE(battery->needs_on_door_test);
  EXPECT_EQ(d.top_cause(), CauseId::lock_unreachable) << describe(d);
}

TEST(CauseRules, TheBatteryTrendSaysEmptyWhenTheLockWentQuietOnSchedule) {
  Snapshot s = resident_at_door();
  s.lock.online = false;
  s.lock.link = Link::wifi;
  s.lock.last_seen = kNow - 4 * kDay;
  s.lock.battery_pct = 6;
  s.lock.battery_days_left = 3;
  s.report.symptoms = {Symptom::no_response};
  const Diagnosis d = diagnose(s);
  const Cause* battery = d.find(CauseId::battery_depleted);
  ASSERT_NE(battery, nullptr) << describe(d);
  EXPECT_FALSE(battery->suspected);
  EXPECT_TRUE(battery->needs_on_door_test);
  EXPECT_GT(battery->confidence, kSuspectedConfidence);
  EXPECT_TRUE(cites(d, CauseId::battery_depleted, Source::telemetry, "the trend gave 3 days"));
}

TEST(CauseRules, ADarkKeypadAtAPoweredLockSuspectsTheKeypad) {
  Snapshot s = resident_at_door();
  s.report.symptoms = {Symptom::keypad_dark};
  const Diagnosis d = diagnose(s);
  EXPECT_FALSE(d.has(CauseId::battery_depleted)) << describe(d);
  ASSERT_TRUE(d.has(CauseId::keypad_fault)) << describe(d);
  EXPECT_TRUE(d.find(CauseId::keypad_fault)->suspected);
  EXPECT_TRUE(cites(d, CauseId::keypad_fault, Source::telemetry, "reports 80 % battery"));
}

TEST(CauseRules, ARejectedCodeIsNotAWrongCodeWhenTheKeypadShowsAJam) {
  Snapshot s = resident_at_door();
  s.report.symptoms = {Symptom::code_rejected, Symptom::keypad_x_pattern};
  const Diagnosis d = diagnose(s);
  EXPECT_FALSE(d.has(CauseId::wrong_code)) << describe(d);
  EXPECT_TRUE(d.has(CauseId::lock_jammed));
}

TEST(CauseRules, AFailedCodeCitesWhatTheLockSaid) {
  Snapshot s = resident_at_door();
  s.codes[0].status = CodeStatus::failed;
  s.codes[0].failure = lockcore::SlotError::duplicate_pin;
  s.codes[0].status_since = kNow - 5 * kMinute;
  const Diagnosis d = diagnose(s);
  EXPECT_TRUE(cites(d, CauseId::code_not_on_lock, Source::credential,
                    "lock u204 refused the code at 07:27: the same PIN is already in another slot"))
      << describe(d);
}

// A code refused for want of power: the battery comes first, and a resync only once the lock has
// the power to store it (before that it would be refused again).
TEST(CauseRules, ACodeRefusedForLowPowerIsResyncedOnlyAfterANewBattery) {
  Snapshot s = resident_at_door();
  s.codes[0].status = CodeStatus::failed;
  s.codes[0].failure = lockcore::SlotError::low_power;
  s.codes[0].status_since = kNow - 5 * kMinute;
  s.lock.battery_pct = 8;
  s.report.symptoms = {Symptom::code_rejected};
  const Diagnosis weak = diagnose(s);
  EXPECT_TRUE(cites(weak, CauseId::code_not_on_lock, Source::credential,
                    "refused the code at 07:27: its battery was too low to store a new code"))
      << describe(weak);
  EXPECT_TRUE(weak.has(CauseId::battery_low)) << describe(weak);
  EXPECT_TRUE(weak.plans(ActionId::replace_battery)) << describe(weak);
  EXPECT_FALSE(weak.plans(ActionId::resync_code)) << describe(weak);

  s.lock.battery_pct = 100;
  const Diagnosis fresh = diagnose(s);
  EXPECT_TRUE(fresh.plans(ActionId::resync_code)) << describe(fresh);
  EXPECT_FALSE(fresh.plans(ActionId::replace_battery)) << describe(fresh);
}

TEST(CauseRules, AFactoryResetWipesTheCodeTheServerStillThinksIsSet) {
  Snapshot s = resident_at_door();
  s.lock.epoch_changed = true;
  s.lock.paired = false;
  s.lock.factory_reset_at = kNow - kHour;
  const Diagnosis d = diagnose(s);
  EXPECT_TRUE(cites(d, CauseId::code_not_on_lock, Source::telemetry, "it no longer holds the code"))
      << describe(d);
  EXPECT_FALSE(d.path(Path::own_code).alive);
  EXPECT_FALSE(d.plans(ActionId::send_backup_code)) << describe(d);
  EXPECT_FALSE(d.plans(ActionId::resync_code)) << describe(d);
}

TEST(CauseRules, AShadowSlowForHalfAnHourIsAMismatchButNotBefore) {
  Snapshot s = resident_at_door();
  s.lock.shadow_in_sync = false;
  s.lock.shadow_out_of_sync_since = kNow - 10 * kMinute;
  EXPECT_FALSE(diagnose(s).has(CauseId::lock_state_mismatch));
  s.lock.shadow_out_of_sync_since = kNow - 42 * kMinute;
  const Diagnosis d = diagnose(s);
  EXPECT_TRUE(cites(d, CauseId::lock_state_mismatch, Source::shadow,
                    "has not confirmed the desired credentials for 42 min"))
      << describe(d);
}

TEST(CauseRules, EveryAnswerAloneGivesACause) {
  for (std::size_t i = 0; i < kSymptomCount; ++i) {
    Snapshot s = resident_at_door();
    s.report.symptoms = {static_cast<Symptom>(i)};
    const Diagnosis d = diagnose(s);
    ASSERT_FALSE(d.causes.empty()) << to_string(static_cast<Symptom>(i));
    for (const Cause& c : d.causes) {
      EXPECT_FALSE(c.evidence.empty()) << to_string(c.id);
      if (c.layer == Layer::hardware && c.suspected) {
        EXPECT_LE(c.confidence, kSuspectedConfidence) << to_string(c.id);
      }
    }
  }
}

TEST(CauseRules, CausesAreOrderedByConfidence) {
  Snapshot s = resident_at_door();
  s.lock.hub_online = false;
  s.lock.online = false;
  s.lock.battery_pct = 15;
  s.codes[0].status = CodeStatus::pending;
  s.report.symptoms = {Symptom::code_rejected, Symptom::unusual_beep};
  const Diagnosis d = diagnose(s);
  ASSERT_GE(d.causes.size(), 3U) << describe(d);
  for (std::size_t i = 1; i < d.causes.size(); ++i)
    EXPECT_GE(d.causes[i - 1].confidence, d.causes[i].confidence) << describe(d);
}

}  // namespace
}  // namespace lockout_test
