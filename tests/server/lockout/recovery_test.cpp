// Recovery actions taken through Lockout::take_action on the real domains: each does what
// DESIGN.md section 5 says and nothing more, only when the plan computed now holds it and the
// caller may take it, recorded with its outcome and audited.

#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

#include "tests/server/lockout/world.hpp"

namespace server::lockout::testing {
namespace {

using namespace std::chrono_literals;
using audit::AuditType;

class Recovery : public LockoutWorld {
 protected:
  CaseRecord report_by(const std::string& account) {
    NewCase c;
    c.site = std::string(devicestest::kSite);
    c.lock = "u204";
    c.symptoms = {"code_rejected"};
    auto opened = lockout->report(signed_in(account), c);
    EXPECT_TRUE(opened) << opened.error().message;
    return opened ? *opened : CaseRecord{};
  }
  Result<CaseRecord> take(const std::string& by, const CaseRecord& c, const std::string& action) {
    return run(lockout->take_action(signed_in(by), c.id, action, {}));
  }
  void take_rita_code_off() {
    ASSERT_TRUE(devices->withdraw(devicestest::kSite, "u204", "cred_rita"));
    settle();
  }
  devices::CredentialStatus rita_code() {
    auto p = devices->placement(devicestest::kSite, "u204", "cred_rita");
    EXPECT_TRUE(p);
    return p ? p->status : devices::CredentialStatus::failed;
  }
};

TEST_F(Recovery, GuidanceIsRecordedWithItsStepsAndChangesNothingElse) {
  const CaseRecord c = report_by(rita);
  const auto messages_before = outbox.list({});
  auto taken = take(rita, c, "use_app");
  ASSERT_TRUE(taken) << taken.error().message;
  ASSERT_EQ(taken->actions.size(), 1u);
  EXPECT_EQ(taken->actions[0].outcome, "advised");
  auto steps = boost::json::parse(taken->actions[0].detail).as_object().at("steps").as_array();
  EXPECT_FALSE(steps.empty());
  EXPECT_EQ(count(AuditType::lockout_action_taken), 1u);
  // No server effect: no command, no message, the code as it was.
  EXPECT_TRUE(devices->commands(devicestest::kSite, "u204")->empty());
  EXPECT_EQ(outbox.list({})->size(), messages_before->size());
  EXPECT_EQ(rita_code(), devices::CredentialStatus::set);
}

TEST_F(Recovery, AskingAnAdminTellsEveryOwnerAndManagerAndGrantsNothing) {
  take_rita_code_off();
  const CaseRecord c = report_by(rita);
  auto taken = take(rita, c, "ask_admin_for_access");
  ASSERT_TRUE(taken) << taken.error().message;
  EXPECT_EQ(taken->actions.back().outcome, "requested");
  for (const std::string& admin : {olga, mia}) {
    auto told = messages(admin, notify::Kind::lockout_update);
    ASSERT_EQ(told.size(), 1u) << admin;
    const std::string& body = told[0].notice.body;
    EXPECT_NE(body.find("rita"), std::string::npos) << body;  // the person
    EXPECT_NE(body.find("u204"), std::string::npos) << body;  // the door
    EXPECT_NE(body.find(c.id), std::string::npos) << body;    // the case
  }
  EXPECT_EQ(count(AuditType::lockout_escalated), 1u);
  // Nothing granted: her code stays off, no command went to the lock.
  EXPECT_NE(rita_code(), devices::CredentialStatus::set);
  EXPECT_NE(rita_code(), devices::CredentialStatus::pending);
  EXPECT_TRUE(devices->commands(devicestest::kSite, "u204")->empty());
}

TEST_F(Recovery, ARemoteUnlockToALockTheServerCannotReachIsUnavailableNeverQueued) {
  const CaseRecord c = report_by(rita);
  lock("u204").set_link(false);
  advance(10min);
  auto refused = take(mia, c, "remote_unlock_by_manager");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, Errc::unavailable);
  EXPECT_TRUE(devices->commands(devicestest::kSite, "u204")->empty());
  // The link comes back: nothing was waiting to unlock the door.
  lock("u204").set_link(true);
  advance(1min);
  EXPECT_TRUE(devices->commands(devicestest::kSite, "u204")->empty());
  EXPECT_TRUE(lockout->find(c.id).value()->actions.empty());
}

TEST_F(Recovery, AResyncSendsHerCodeToTheLockAgainAndIsPendingUntilTheLockHasIt) {
  // Her code comes off and is placed again, but the broker loses what the server sends.
  take_rita_code_off();
  drop_server_publishes = true;
  ASSERT_TRUE(devices->place(devicestest::kSite, "u204",
                             devicestest::pin_code("cred_rita", "4831", "account:" + rita)));
  settle();
  ASSERT_EQ(rita_code(), devices::CredentialStatus::pending);
  const CaseRecord c = report_by(rita);
  drop_server_publishes = false;
  auto taken = take(rita, c, "resync_code");
  ASSERT_TRUE(taken) << taken.error().message;
  ASSERT_EQ(taken->actions.size(), 1u);
  EXPECT_EQ(taken->actions[0].outcome, "pending");
  EXPECT_NE(taken->actions[0].detail.find("cred_rita"), std::string::npos);
  // Sent at once, not at the reconciler's next retry: the lock has it and says so.
  settle();
  EXPECT_EQ(rita_code(), devices::CredentialStatus::set);
  auto after = lockout->find(c.id);
  ASSERT_TRUE(after && *after);
  EXPECT_EQ((*after)->actions[0].outcome, "done");
  EXPECT_EQ(enter("4831"), lockcore::DoorOutcome::accepted);
  EXPECT_EQ(lockout->find(c.id).value()->status, CaseStatus::resolved);
  // Once it is set there is nothing to re-send.
  const CaseRecord again = report_by(rita);
  EXPECT_FALSE(take(rita, again, "resync_code"));
}

TEST_F(Recovery, ABackupCodeFromTheCaseGoesToItsPersonOnly) {
  const CaseRecord c = report_by(rita);
  auto taken = take(rita, c, "send_backup_code");
  ASSERT_TRUE(taken) << taken.error().message;
  EXPECT_FALSE(link_token(rita).empty());
  EXPECT_TRUE(messages(mia, notify::Kind::backup_code).empty());
  EXPECT_EQ(count(AuditType::backup_code_issued), 1u);
}

TEST_F(Recovery, NobodyActsOnACaseThatIsNotTheirsAndAnActionOutsideThePlanIsRefused) {
  const std::string ned = person("ned", "+15555550104");
  grant(ned, access::Role::resident, "204");
  const CaseRecord c = report_by(rita);
  // Another resident of the same unit does not see her case, let alone act in it.
  EXPECT_EQ(take(ned, c, "use_own_code").error().code, Errc::not_found);
  // Not in the plan now (the code is on the lock): no re-grant, no reset, no work order.
  for (const char* action : {"ask_admin_for_access", "factory_reset_and_reenroll",
                             "verify_identity_restore_admin", "enroll_device"})
    EXPECT_EQ(take(rita, c, action).error().code, Errc::forbidden) << action;
  EXPECT_EQ(count(AuditType::lockout_action_taken), 0u);
}

// ---- a lock someone factory reset -------------------------------------------------------------

// DESIGN.md invariant 5: a reset lock is offered verified re-enrollment, last. Olga (owner) is not
// an impaired admin, so her identity is verified for the case itself; only then does
// factory_reset_and_reenroll re-enroll the lock, audited, with her code placed again.
TEST_F(Recovery, AResetLockIsReenrolledOnlyAfterTheOwnersIdentityIsVerified) {
  lock("u204").with_firmware([](lockcore::Lock& l, auto&) { return l.factory_reset().ok(); });
  settle();
  NewCase wizard;
  wizard.site = std::string(devicestest::kSite);
  wizard.lock = "u204";
  wizard.symptoms = {"code_rejected", "can_view_cannot_unlock"};
  auto opened = lockout->report(signed_in(olga), wizard);
  ASSERT_TRUE(opened) << opened.error().message;
  auto refused = take(olga, *opened, "factory_reset_and_reenroll");
  ASSERT_FALSE(refused);  // in her plan, but not before an identity check
  EXPECT_EQ(refused.error().code, Errc::forbidden);
  EXPECT_EQ(count(AuditType::lock_reenrolled), 0u);

  // Rita cannot vouch for her; Mia (manager) can.
  const Proof attestation{VerificationMethod::manager_attestation, {}};
  EXPECT_FALSE(run(lockout->verify_identity(signed_in(rita), opened->id, olga, attestation)));
  auto verified = run(lockout->verify_identity(signed_in(mia), opened->id, olga, attestation));
  ASSERT_TRUE(verified) << verified.error().message;
  EXPECT_EQ(verified->verification, Verification::identity_checked);
  EXPECT_EQ(count(AuditType::admin_restored), 0u);  // nothing was impaired

  auto reenrolled = take(olga, *verified, "factory_reset_and_reenroll");
  ASSERT_TRUE(reenrolled) << reenrolled.error().message;
  settle();
  EXPECT_EQ(count(AuditType::lock_reenrolled), 1u);
  EXPECT_FALSE(devices->lock(devicestest::kSite, "u204")->needs_reenroll);
}

// ---- an unknown caller's case reaching staff ------------------------------------------------

// Hal's phone is dead and he has no code: he reports from a borrowed browser, without signing in.
// Only a manager who knows him can say who he is; then her remote unlock gets him in and resolves
// his case. Nobody else binds the case, and nothing is given before.
TEST_F(Recovery, AManagerWhoKnowsAnUnknownCallerVerifiesHimAndUnlocksForHisCase) {
  const std::string hal = person("hal", "+15555550109");
  grant(hal, access::Role::resident, "204");
  NewCase wizard;
  wizard.site = std::string(devicestest::kSite);
  wizard.lock = "u204";
  wizard.symptoms = {"no_response", "can_view_cannot_unlock"};
  auto opened = lockout->report(anonymous(), wizard);
  ASSERT_TRUE(opened) << opened.error().message;
  const std::string id = opened->id;
  auto verify = [&](const std::string& by, std::optional<std::string> who, Proof proof) {
    return run(lockout->verify_identity(signed_in(by), id, std::move(who), std::move(proof)));
  };
  const Proof attestation{VerificationMethod::manager_attestation, {}};

  // Hostile: no account named, a code typed for an unknown caller, a resident vouching.
  EXPECT_EQ(verify(mia, std::nullopt, attestation).error().field, "account");
  EXPECT_EQ(verify(mia, hal, Proof{VerificationMethod::totp, "123456"}).error().code,
            Errc::forbidden);
  EXPECT_EQ(verify(rita, hal, attestation).error().code, Errc::not_found);  // not her case
  // Nothing to act on yet: the case has no person.
  EXPECT_EQ(take(mia, *opened, "remote_unlock_by_manager").error().code, Errc::forbidden);
  EXPECT_EQ(count(AuditType::identity_verified), 0u);

  auto verified = verify(mia, hal, attestation);
  ASSERT_TRUE(verified) << verified.error().message;
  EXPECT_EQ(verified->account, hal);
  EXPECT_EQ(verified->verification, Verification::identity_checked);
  EXPECT_EQ(count(AuditType::identity_verified), 1u);
  EXPECT_EQ(count(AuditType::admin_restored), 0u);  // he holds no admin role
  EXPECT_EQ(messages(hal, notify::Kind::security_notice).size(), 1u);

  // Rita, not a manager, cannot unlock for him; Mia can, and that resolves his case.
  EXPECT_EQ(take(rita, *verified, "remote_unlock_by_manager").error().code, Errc::not_found);
  auto unlocked = take(mia, *verified, "remote_unlock_by_manager");
  ASSERT_TRUE(unlocked) << unlocked.error().message;
  EXPECT_EQ(unlocked->status, CaseStatus::resolved);
  EXPECT_EQ(unlocked->resolved_by, ActionId::remote_unlock_by_manager);
}

}  // namespace
}  // namespace server::lockout::testing
