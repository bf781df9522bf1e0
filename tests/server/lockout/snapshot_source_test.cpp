// What a case's snapshot learns from the other domains and the lock's own reports, told as the
// diagnosis it leads to: an empty battery from the lock's last word, a second factor that is gone,
// and (hostile) the same facts giving nothing to someone without verified current access.

#include <algorithm>

#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

#include "server/identity/totp.hpp"
#include "tests/server/lockout/world.hpp"

namespace server::lockout::testing {
namespace {

using namespace std::chrono_literals;

class Snapshot_ : public LockoutWorld {
 protected:
  NewCase wizard(std::vector<std::string> symptoms) {
    NewCase c;
    c.site = std::string(devicestest::kSite);
    c.lock = "u204";
    c.symptoms = std::move(symptoms);
    return c;
  }
  CaseRecord report(const Caller& caller, const NewCase& c) {
    auto opened = lockout->report(caller, c);
    EXPECT_TRUE(opened) << opened.error().message;
    return opened ? *opened : CaseRecord{};
  }
  static std::vector<std::string> ids(const CaseRecord& c, std::string_view list,
                                      std::string_view key) {
    std::vector<std::string> out;
    auto d = boost::json::parse(c.diagnosis).as_object();
    for (const auto& item : d.at(list).as_array())
      out.emplace_back(item.as_object().at(key).as_string());
    return out;
  }
  static std::vector<std::string> causes(const CaseRecord& c) { return ids(c, "causes", "id"); }
  static std::vector<std::string> plan(const CaseRecord& c) { return ids(c, "plan", "action"); }
  static bool has(const std::vector<std::string>& v, std::string_view x) {
    return std::find(v.begin(), v.end(), x) != v.end();
  }

  // Turns MFA on for `account` as the app does; returns its recovery codes.
  std::vector<std::string> turn_mfa_on(const std::string& account, const std::string& name) {
    identity::Actor actor = signed_in(account).actor.value();
    auto begun = run(identity.mfa().begin(actor, "a long passphrase for " + name, "ip:test"));
    EXPECT_TRUE(begun) << begun.error().message;
    if (!begun) return {};
    auto secret = identity::totp::from_base32(begun->secret);
    EXPECT_TRUE(secret);
    const std::string code =
        identity::totp::code(*secret, identity::totp::step_at(scheduler.now()));
    auto codes = identity.mfa().confirm(actor, code);
    EXPECT_TRUE(codes) << codes.error().message;
    return codes ? *codes : std::vector<std::string>{};
  }
  // The pack of door u204 now holds `pct` %, and the firmware looks.
  void set_battery(std::uint8_t pct) {
    lock("u204").with_firmware([pct](lockcore::Lock& firmware, lockcore::model::ModelHardware& hw) {
      hw.battery().set_percent(pct);
      firmware.poll();
      return 0;
    });
  }
  // Door u204 (Wi-Fi) silent for 20 minutes, then Rita's report with her Wi-Fi answer.
  CaseRecord rita_after_20_silent_minutes(std::optional<bool> wifi_changed) {
    lock("u204").set_link(false);
    advance(20min);
    NewCase c = wizard({"lock_offline_in_app"});
    c.wifi_changed = wifi_changed;
    return report(signed_in(rita), c);
  }
  // Mia, a manager with MFA on, signed in with it.
  Caller mia_with_mfa() {
    Caller c = signed_in(mia);
    c.actor->mfa_enabled = true;
    c.actor->mfa_satisfied = true;
    return c;
  }
};

// ---- the second factor
// ---------------------------------------------------------------------------

TEST_F(Snapshot_, ALostAuthenticatorWithRecoveryCodesLeftIsNoMfaProblem) {
  const auto codes = turn_mfa_on(mia, "mia");
  ASSERT_EQ(codes.size(), 10u);
  NewCase c = wizard({"cannot_sign_in"});
  c.mfa_available = false;  // "I lost my authenticator"; she still has her recovery codes
  const CaseRecord opened = report(mia_with_mfa(), c);
  EXPECT_FALSE(has(causes(opened), "mfa_unavailable"));
  EXPECT_FALSE(has(plan(opened), "verify_identity_restore_admin"));
}

TEST_F(Snapshot_,
       NoAuthenticatorAndNoRecoveryCodeAtHandIsMfaUnavailableAndOnlyAnIdentityCheckHelps) {
  turn_mfa_on(mia, "mia");
  NewCase c = wizard({"cannot_sign_in"});
  c.mfa_available = false;
  c.recovery_code_at_hand = false;
  const CaseRecord opened = report(mia_with_mfa(), c);
  EXPECT_TRUE(has(causes(opened), "mfa_unavailable"));
  EXPECT_TRUE(has(plan(opened), "verify_identity_restore_admin"));
  // Her word restores nothing by itself: no admin decision is asked for on her behalf either.
  EXPECT_FALSE(has(plan(opened), "ask_admin_for_access"));
}

TEST_F(Snapshot_, EveryRecoveryCodeUsedUpIsMfaUnavailableWhateverTheAnswer) {
  const auto codes = turn_mfa_on(mia, "mia");
  for (const std::string& code : codes) {
    auto used = identity.mfa().use_code(mia, code);
    ASSERT_TRUE(used) << used.error().message;
    ASSERT_EQ(*used, identity::CodeCheck::recovery_code);
  }
  NewCase c = wizard({"cannot_sign_in"});
  c.mfa_available = false;
  EXPECT_TRUE(has(causes(report(mia_with_mfa(), c)), "mfa_unavailable"));
}

TEST_F(Snapshot_, HostileTheMfaAnswersOfAnAccountWithoutMfaChangeNothing) {
  NewCase c = wizard({"cannot_sign_in"});
  c.mfa_available = false;
  c.recovery_code_at_hand = false;
  const CaseRecord opened = report(signed_in(rita), c);
  EXPECT_FALSE(has(causes(opened), "mfa_unavailable"));
  EXPECT_FALSE(has(plan(opened), "verify_identity_restore_admin"));
}

// ---- the sign-in throttle
// ---------------------------------------------------------------------------

// Rita mistyped her password on a new phone until the throttle made her wait: to her own report
// that is a locked account; an unsigned caller learns nothing of any account; once the wait is
// over only the forgotten password remains.
TEST_F(Snapshot_, ASignInTheThrottleHoldsIsALockedAccountToItsOwnerAndNobodyElse) {
  for (int i = 0; i < 11; ++i) {  // the 11th failure in a row makes the next attempt wait 64 s
    auto attempt = identity.throttle().begin("rita@example.test", "ip:203.0.113.9", false);
    if (!attempt && attempt.error().code == Errc::rate_limited) {
      advance(std::chrono::seconds(*attempt.error().retry_after_s));
      attempt = identity.throttle().begin("rita@example.test", "ip:203.0.113.9", false);
    }
    ASSERT_TRUE(attempt) << i << ": " << attempt.error().message;
  }
  const CaseRecord held = report(signed_in(rita), wizard({"cannot_sign_in"}));
  EXPECT_TRUE(has(causes(held), "account_locked")) << held.diagnosis;
  EXPECT_TRUE(has(causes(held), "password_forgotten")) << held.diagnosis;
  EXPECT_NE(held.diagnosis.find("held until"), std::string::npos) << held.diagnosis;
  EXPECT_TRUE(has(plan(held), "reset_password"));

  const CaseRecord stranger = report(anonymous(), wizard({"cannot_sign_in"}));
  EXPECT_FALSE(has(causes(stranger), "account_locked")) << stranger.diagnosis;
  EXPECT_EQ(stranger.diagnosis.find("203.0.113.9"), std::string::npos);

  advance(65s);
  const CaseRecord later = report(signed_in(rita), wizard({"cannot_sign_in"}));
  EXPECT_FALSE(has(causes(later), "account_locked")) << later.diagnosis;
  EXPECT_TRUE(has(causes(later), "password_forgotten")) << later.diagnosis;
}

// ---- the battery -------------------------------------------------------------------------------

TEST_F(Snapshot_, ALockSilentSinceItsBatteryDepletedEventIsEmptyNotJustOffline) {
  set_battery(0);
  settle();
  lock("u204").set_link(false);  // its radio goes silent with it
  advance(20min);
  const CaseRecord opened = report(signed_in(rita), wizard({"keypad_dark"}));
  const auto found = causes(opened);
  ASSERT_FALSE(found.empty());
  EXPECT_EQ(found.front(), "battery_depleted");
  const auto steps = plan(opened);
  EXPECT_TRUE(has(steps, "jump_battery"));
  // A dark keypad takes no code, a silent lock no command.
  for (std::string_view none :
       {"use_own_code", "send_backup_code", "remote_unlock_by_manager", "use_app"})
    EXPECT_FALSE(has(steps, none)) << none;
}

TEST_F(Snapshot_, ALockBackOnlineAfterANewPackIsNotEmpty) {
  set_battery(0);
  settle();
  lock("u204").set_link(false);
  advance(20min);
  set_battery(100);
  lock("u204").set_link(true);
  advance(1min);
  const CaseRecord opened = report(signed_in(rita), wizard({"code_rejected"}));
  EXPECT_FALSE(has(causes(opened), "battery_depleted"));
  EXPECT_TRUE(has(plan(opened), "use_own_code"));
}

// ---- the physical key ----------------------------------------------------------------------

// The lock cannot say whose key turned it: the server knows a carrier because staff recorded the
// hand-over. With the battery dead, her key is then the first step; without the record it is none.
TEST_F(Snapshot_, AKeyStaffRecordedHandingHerIsTheFirstStepWhenTheBatteryIsDead) {
  set_battery(0);
  settle();
  lock("u204").set_link(false);
  advance(20min);
  const CaseRecord before = report(signed_in(rita), wizard({"keypad_dark"}));
  EXPECT_FALSE(has(plan(before), "use_physical_key"));

  // Hostile: she cannot record a key for herself, nor can an unknown caller.
  const std::string site(devicestest::kSite);
  EXPECT_EQ(lockout->hand_physical_key(signed_in(rita), site, "u204", rita).error().code,
            Errc::forbidden);
  EXPECT_EQ(lockout->hand_physical_key(anonymous(), site, "u204", rita).error().code,
            Errc::unauthenticated);
  EXPECT_EQ(lockout->hand_physical_key(signed_in(mia), site, "no-such-door", rita).error().code,
            Errc::not_found);

  const std::size_t set_before = count(audit::AuditType::credential_set);  // codes placed
  ASSERT_TRUE(lockout->hand_physical_key(signed_in(mia), site, "u204", rita));
  ASSERT_EQ(count(audit::AuditType::credential_set), set_before + 1);
  EXPECT_NE(audits(audit::AuditType::credential_set).front().record.detail.find("physical_key"),
            std::string::npos);
  const CaseRecord after = report(signed_in(rita), wizard({"keypad_dark"}));
  ASSERT_FALSE(plan(after).empty());
  EXPECT_EQ(plan(after).front(), "use_physical_key");
}

// ---- the Wi-Fi link -------------------------------------------------------------------------

TEST_F(Snapshot_, AWiFiLockSilentAfterTheHouseholdChangedItsNetworkIsTheWiFiChange) {
  const CaseRecord opened = rita_after_20_silent_minutes(true);
  const auto found = causes(opened);
  ASSERT_FALSE(found.empty());
  EXPECT_EQ(found.front(), "wifi_changed");
  EXPECT_FALSE(has(found, "lock_unreachable"));
  EXPECT_TRUE(has(plan(opened), "restore_hub"));
  EXPECT_TRUE(has(plan(opened), "use_own_code"));
  EXPECT_FALSE(has(plan(opened), "use_app"));
}

TEST_F(Snapshot_, WithoutTheHouseholdsWordASilentWiFiLockIsJustUnreachable) {
  const CaseRecord opened = rita_after_20_silent_minutes(std::nullopt);
  EXPECT_FALSE(has(causes(opened), "wifi_changed"));
  EXPECT_TRUE(has(causes(opened), "lock_unreachable"));
}

TEST_F(Snapshot_, HostileAWiFiChangeClaimedForALockThatIsOnlineChangesNothing) {
  NewCase c = wizard({"lock_offline_in_app"});
  c.wifi_changed = true;
  const CaseRecord opened = report(anonymous(), c);
  EXPECT_FALSE(has(causes(opened), "wifi_changed"));
  // (send_backup_code stays a request: the request checks the account, as for any anonymous case)
  for (std::string_view none : {"use_app", "remote_unlock_by_manager", "restore_hub"})
    EXPECT_FALSE(has(plan(opened), none)) << none;
}

}  // namespace
}  // namespace server::lockout::testing
