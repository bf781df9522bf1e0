// The lockout domain: cases opened from the wizard with the diagnosis as it stood, backup codes
// as DESIGN.md invariant 3 (hostile requests included), recovery actions that re-check the plan,
// and a case resolved when its person next gets through the door.

#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

#include "lockcore/signing.hpp"
#include "server/access/records.hpp"
#include "tests/server/lockout/world.hpp"

namespace server::lockout::testing {
namespace {

using namespace std::chrono_literals;
using audit::AuditType;

class Lockout_ : public LockoutWorld {
 protected:
  NewCase wizard(std::vector<std::string> symptoms = {"code_rejected"}) {
    NewCase c;
    c.site = std::string(devicestest::kSite);
    c.lock = "u204";
    c.symptoms = std::move(symptoms);
    return c;
  }
  BackupRequest backup(std::string by, std::string value) {
    return {std::string(devicestest::kSite), "u204", std::move(by), std::move(value), {}};
  }
  static bool plans(const CaseRecord& c, std::string_view action) {
    auto d = boost::json::parse(c.diagnosis).as_object();
    for (const auto& step : d.at("plan").as_array())
      if (step.as_object().at("action").as_string() == action) return true;
    return false;
  }
};

TEST_F(Lockout_, ASignedInResidentOpensACaseWithTheDiagnosisAsItStoodAndItIsAudited) {
  auto c = lockout->report(signed_in(rita), wizard());
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->account, rita);
  EXPECT_EQ(c->verification, Verification::session);
  EXPECT_EQ(c->status, CaseStatus::open);
  EXPECT_FALSE(boost::json::parse(c->diagnosis).as_object().at("causes").as_array().empty());
  EXPECT_EQ(count(AuditType::lockout_reported), 1u);
  EXPECT_EQ(messages(rita, notify::Kind::lockout_update).size(), 1u);
}

TEST_F(Lockout_, AnUnknownCallerGetsOnlyWhatAnUnverifiedPersonMayHave) {
  auto c = lockout->report(anonymous(), wizard());
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_FALSE(c->account);
  EXPECT_EQ(c->verification, Verification::none);
  for (std::string_view given :
       {"use_app", "use_bluetooth", "remote_unlock_by_manager", "resync_code", "enroll_device",
        "locksmith_entry", "factory_reset_and_reenroll"})
    EXPECT_FALSE(plans(*c, given)) << given;
  EXPECT_TRUE(plans(*c, "send_backup_code"));  // as a request: the request checks the account
  // Nobody acts on an anonymous case, and nobody but staff or its person reads it.
  EXPECT_EQ(lockout->case_of(anonymous(), c->id).error().code, Errc::unauthenticated);
  EXPECT_EQ(lockout->case_of(signed_in(rita), c->id).error().code, Errc::not_found);
  EXPECT_TRUE(lockout->case_of(signed_in(mia), c->id));
}

TEST_F(Lockout_, HostileWizardAnswersAreRefusedByName) {
  NewCase unknown = wizard({"code_rejected'; DROP TABLE lockout_cases; --"});
  EXPECT_EQ(lockout->report(anonymous(), unknown).error().field, "symptoms");
  EXPECT_EQ(lockout->report(anonymous(), wizard({})).error().field, "symptoms");
  NewCase elsewhere = wizard();
  elsewhere.site = "other-site";
  EXPECT_EQ(lockout->report(anonymous(), elsewhere).error().code, Errc::not_found);
  NewCase no_door = wizard();
  no_door.lock = "u999";
  EXPECT_EQ(lockout->report(anonymous(), no_door).error().code, Errc::not_found);
  NewCase by_unit = wizard();
  by_unit.lock.reset();
  by_unit.unit = "204";
  auto found = lockout->report(anonymous(), by_unit);
  ASSERT_TRUE(found) << found.error().message;
  EXPECT_EQ(found->lock, "u204");
}

TEST_F(Lockout_, ABackupCodeGoesByLinkToTheAccountsOwnContactsAndOpensTheDoor) {
  auto c = lockout->report(signed_in(rita), wizard());
  ASSERT_TRUE(c);
  auto receipt = lockout->request_backup_code(backup("phone", "+15555550103"), "ip:203.0.113.5");
  ASSERT_TRUE(receipt) << receipt.error().message;
  work();
  auto sms = messages(rita, notify::Kind::backup_code);
  ASSERT_EQ(sms.size(), 2u);  // SMS and email, to her own number and address
  for (const notify::Message& m : sms)
    EXPECT_TRUE(m.notice.address == "+15555550103" || m.notice.address == "rita@example.test");
  const std::string token = link_token(rita);
  ASSERT_EQ(token.size(), 43u);
  auto view = lockout->open_backup_link(token);
  ASSERT_TRUE(view) << view.error().message;
  ASSERT_FALSE(view->gone);
  EXPECT_EQ(view->lock_name, "Unit 204 front door");
  EXPECT_EQ(view->site_name, "Maple Court");
  EXPECT_EQ(count(AuditType::backup_code_issued), 1u);
  EXPECT_EQ(count(AuditType::backup_code_viewed), 1u);

  EXPECT_EQ(enter(view->code), lockcore::DoorOutcome::accepted);
  EXPECT_EQ(count(AuditType::backup_code_used), 1u);
  auto after = lockout->find(c->id);
  ASSERT_TRUE(after && *after);
  EXPECT_EQ((*after)->status, CaseStatus::resolved);
  EXPECT_EQ((*after)->resolved_by, ActionId::send_backup_code);
  EXPECT_EQ(count(AuditType::lockout_resolved), 1u);
}

TEST_F(Lockout_, TheAnswerIsTheSameWhoeverAsksAndOnlyTheEligibleGetAnything) {
  const std::string sam = person("sam", "+15555550104");
  grant(sam, access::Role::resident, "204");
  auto mine = access.memberships().list(olga, devicestest::kSite);
  ASSERT_TRUE(mine);
  for (const access::Membership& m : *mine)
    if (m.account == sam) {
      ASSERT_TRUE(access.memberships().end(olga, devicestest::kSite, m.id));
    }
  const std::string sue = person("sue", "+15555550105");
  grant(sue, access::Role::resident, "204");
  ASSERT_TRUE(access.memberships().suspend(olga, devicestest::kSite, sue));
  const std::string gil = person("gil", "+15555550106");
  grant(gil, access::Role::guest, "204", scheduler.now() + 60'000);
  advance(2min);

  std::vector<BackupRequest> requests = {
      backup("phone", "+15555550199"),         // Rita's email, somebody else's phone: no match
      backup("email", "nobody@example.test"),  // no such account
      backup("email", "sam@example.test"),     // moved out
      backup("email", "sue@example.test"),     // suspended here
      backup("email", "gil@example.test"),     // a guest past her window
      backup("email", "rita@example.test"),    // eligible
  };
  std::string first;
  for (const BackupRequest& r : requests) {
    auto receipt = lockout->request_backup_code(r, "ip:203.0.113.9");
    ASSERT_TRUE(receipt) << r.value;
    if (first.empty()) first = receipt->message;
    EXPECT_EQ(receipt->message, first);
  }
  work();
  for (const std::string& nobody : {sam, sue, gil})
    EXPECT_TRUE(messages(nobody, notify::Kind::backup_code).empty()) << nobody;
  EXPECT_EQ(messages(rita, notify::Kind::backup_code).size(), 2u);
  EXPECT_EQ(count(AuditType::backup_code_issued), 1u);
}

TEST_F(Lockout_, ANewRequestReplacesTheLinkAndAnExpiredLinkIsGoneAndAudited) {
  ASSERT_TRUE(lockout->request_backup_code(backup("email", "rita@example.test"), "ip:1"));
  work();
  const std::string old = link_token(rita);
  ASSERT_TRUE(lockout->request_backup_code(backup("email", "RITA@example.test"), "ip:1"));
  work();
  const std::string fresh = link_token(rita);
  ASSERT_NE(old, fresh);
  auto replaced = lockout->open_backup_link(old);
  ASSERT_TRUE(replaced);
  EXPECT_TRUE(replaced->gone);
  EXPECT_EQ(replaced->reason, "replaced");
  EXPECT_TRUE(replaced->code.empty());
  auto good = lockout->open_backup_link(fresh);
  ASSERT_TRUE(good);
  EXPECT_FALSE(good->gone);
  advance(31min);
  auto expired = lockout->open_backup_link(fresh);
  ASSERT_TRUE(expired);
  EXPECT_TRUE(expired->gone);
  EXPECT_EQ(expired->reason, "expired");
  ASSERT_TRUE(lockout->open_backup_link(fresh));
  EXPECT_EQ(count(AuditType::backup_code_link_expired), 2u);  // once per link
  EXPECT_EQ(lockout->open_backup_link("not-a-token").error().code, Errc::not_found);
}

TEST_F(Lockout_, RequestsAreRateLimitedByWhatWasTypedAndBySource) {
  for (int i = 0; i < 5; ++i)
    ASSERT_TRUE(lockout->request_backup_code(backup("email", "x@example.test"), "ip:2"));
  EXPECT_EQ(lockout->request_backup_code(backup("email", "x@example.test"), "ip:3").error().code,
            Errc::rate_limited);
  for (int i = 0; i < 15; ++i)
    ASSERT_TRUE(
        lockout->request_backup_code(backup("email", std::to_string(i) + "@example.test"), "ip:2"));
  EXPECT_EQ(lockout->request_backup_code(backup("email", "y@example.test"), "ip:2").error().code,
            Errc::rate_limited);
  EXPECT_EQ(lockout->request_backup_code(backup("fax", "x"), "ip:4").error().field, "by");
}

TEST_F(Lockout_, AnActionOutsideThePlanIsRefusedAndOneInItIsRecorded) {
  auto c = lockout->report(signed_in(rita), wizard());
  ASSERT_TRUE(c);
  auto refused =
      run(lockout->take_action(signed_in(rita), c->id, "factory_reset_and_reenroll", {}));
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, Errc::forbidden);
  auto unknown = run(lockout->take_action(signed_in(rita), c->id, "open_sesame", {}));
  EXPECT_EQ(unknown.error().field, "action");
  auto own = run(lockout->take_action(signed_in(rita), c->id, "use_own_code", {}));
  ASSERT_TRUE(own) << own.error().message;
  ASSERT_EQ(own->actions.size(), 1u);
  EXPECT_EQ(own->actions[0].outcome, "advised");
  EXPECT_EQ(count(AuditType::lockout_action_taken), 1u);
  // Her next entry with her own code resolves it, by the last action taken.
  EXPECT_EQ(enter("4831"), lockcore::DoorOutcome::accepted);
  auto after = lockout->find(c->id);
  ASSERT_TRUE(after && *after);
  EXPECT_EQ((*after)->status, CaseStatus::resolved);
  EXPECT_EQ((*after)->resolved_by, ActionId::use_own_code);
}

// The shared README: a case is resolved when its person next gets through that door, whatever the
// way: here the app's remote unlock she asked for, by the last action taken and with its duration.
TEST_F(Lockout_, HerAppOpeningTheDoorResolvesHerCaseByTheActionSheTook) {
  auto c = lockout->report(signed_in(rita), wizard({"keypad_dark"}));
  ASSERT_TRUE(c);
  auto app = run(lockout->take_action(signed_in(rita), c->id, "use_app", {}));
  ASSERT_TRUE(app) << app.error().message;
  advance(2min);
  auto opened = run(devices->unlock(std::string(devicestest::kSite), "u204", "account:" + rita));
  ASSERT_TRUE(opened) << opened.error().message;
  settle();
  auto after = lockout->find(c->id);
  ASSERT_TRUE(after && *after);
  EXPECT_EQ((*after)->status, CaseStatus::resolved);
  EXPECT_EQ((*after)->resolved_by, ActionId::use_app);
  ASSERT_TRUE((*after)->duration_ms);
  EXPECT_GE(*(*after)->duration_ms, 120'000);
}

// Her phone's digital key at the door resolves it too; nobody else's does.
TEST_F(Lockout_, HerBluetoothKeyResolvesHerCaseAndSomeoneElsesKeyDoesNot) {
  auto c = lockout->report(signed_in(rita), wizard({"lock_offline_in_app"}));
  ASSERT_TRUE(c);
  lockcore::SeededRandom rng(7);
  const auto phone = lockcore::make_signing_keypair(rng);
  auto tap = [&](const std::string& issued_to) {
    auto key =
        devices->issue_key(devicestest::kSite, "u204", phone.public_key,
                           {scheduler.now(), scheduler.now() + 3'600'000}, "account:" + issued_to);
    ASSERT_TRUE(key) << key.error().message;
    devicestest::LoopLock& l = lock("u204");
    auto nonce =
        l.with_firmware([](lockcore::Lock& lock, auto&) { return lock.begin_bluetooth(); });
    ASSERT_TRUE(nonce);
    const lockcore::DigitalKeyGrant& grant = key->grant;
    lockcore::BluetoothChallenge challenge{grant.site, grant.lock, grant.epoch, grant.id, *nonce};
    const auto response = lockcore::sign_bluetooth_response(challenge, phone.secret_key);
    auto r = l.with_firmware(
        [&](lockcore::Lock& lock, auto&) { return lock.bluetooth_unlock(grant, response); });
    ASSERT_EQ(r.outcome, lockcore::DoorOutcome::accepted);
    advance(3s);
    l.with_firmware([](auto&, lockcore::model::ModelHardware& hw) { return hw.turn_key(true); });
    settle();
  };
  tap(mia);  // the manager's own key: not Rita getting in
  EXPECT_EQ(lockout->find(c->id).value()->status, CaseStatus::open);
  tap(rita);
  auto after = lockout->find(c->id);
  ASSERT_TRUE(after && *after);
  EXPECT_EQ((*after)->status, CaseStatus::resolved);
  EXPECT_FALSE((*after)->resolved_by);  // she took no action in the case
}

// Findings 1 and 2 of the scenario runner: an ended membership was read as no membership at all.
TEST_F(Lockout_, AResidentWhoMovedOutIsToldTheirAccessEndedAndIsOfferedNothing) {
  auto mine = access::memberships_of(store.db(), rita, devicestest::kSite);
  ASSERT_TRUE(mine && mine->size() == 1u);
  ASSERT_TRUE(access.memberships().end(olga, devicestest::kSite, mine->front().id));
  settle();
  auto c = lockout->report(signed_in(rita), wizard());
  ASSERT_TRUE(c) << c.error().message;
  auto causes = boost::json::parse(c->diagnosis).as_object().at("causes").as_array();
  ASSERT_FALSE(causes.empty());
  EXPECT_EQ(causes[0].as_object().at("id").as_string(), "access_expired") << c->diagnosis;
  for (std::string_view given :
       {"send_backup_code", "remote_unlock_by_manager", "resync_code", "use_own_code", "use_app"})
    EXPECT_FALSE(plans(*c, given)) << given;
}

TEST_F(Lockout_, AGuestWhoseWindowPassedIsToldTheirAccessExpired) {
  const std::string gus = person("gus", "+15555550109");
  grant(gus, access::Role::guest, "204", scheduler.now() + 3'600'000);
  advance(2h);
  auto c = lockout->report(signed_in(gus), wizard());
  ASSERT_TRUE(c) << c.error().message;
  auto causes = boost::json::parse(c->diagnosis).as_object().at("causes").as_array();
  ASSERT_FALSE(causes.empty());
  EXPECT_EQ(causes[0].as_object().at("id").as_string(), "access_expired") << c->diagnosis;
  for (std::string_view given : {"send_backup_code", "remote_unlock_by_manager", "use_app"})
    EXPECT_FALSE(plans(*c, given)) << given;
  // Another person's ended membership at the site says nothing about his.
  const std::string ned = person("ned", "+15555550104");
  auto other = lockout->report(signed_in(ned), wizard());
  ASSERT_TRUE(other);
  EXPECT_EQ(other->diagnosis.find("access_expired"), std::string::npos) << other->diagnosis;
}

}  // namespace
}  // namespace server::lockout::testing
