// Commissioning pairs a lock with the code on its label; a factory reset is noticed by its new
// epoch and leaves every credential pending until the lock is re-enrolled.

#include <gtest/gtest.h>

#include "tests/server/devices/loopback_site.hpp"

namespace devicestest {
namespace {

using namespace std::chrono_literals;
using server::Errc;
using server::audit::AuditType;
using server::devices::CredentialStatus;

class Commissioning : public LoopbackSite {};

TEST_F(Commissioning, ALockIsPairedAtItsEpochAndGetsItsBackupPool) {
  LoopLock& l = add_lock("u204");
  EXPECT_FALSE(l.firmware().paired());
  commission("u204");
  EXPECT_TRUE(l.firmware().paired());
  auto info = devices->lock(kSite, "u204");
  ASSERT_TRUE(info);
  EXPECT_TRUE(info->paired);
  EXPECT_EQ(info->epoch, l.firmware().epoch());
  ASSERT_EQ(audits(AuditType::lock_commissioned).size(), 1u);
  EXPECT_EQ(audits(AuditType::lock_commissioned)[0].record.actor, "account:acc_manager");

  // The pool of backup codes is on the lock, each `set`.
  auto placed = devices->placements_on(kSite, "u204");
  ASSERT_TRUE(placed);
  ASSERT_EQ(placed->size(), 5u);
  for (const auto& p : *placed) {
    EXPECT_EQ(p.kind, lockcore::CredentialKind::backup);
    EXPECT_EQ(p.status, CredentialStatus::set) << p.credential;
  }
  EXPECT_EQ(l.firmware().credentials().size(), 5u);
  EXPECT_TRUE(devices->health(kSite, "u204")->in_sync);

  auto again = run(devices->commission(std::string(kSite), "u204", l.pairing_code(), "x"));
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, Errc::conflict);
}

TEST_F(Commissioning, TheWrongCodeIsRefusedByTheLockAndNothingIsPaired) {
  LoopLock& l = add_lock("u204");
  auto wrong = run(devices->commission(std::string(kSite), "u204", "WRONG-CODE-0000-0000-0000",
                                       "account:acc_manager"));
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error().code, Errc::invalid_field);
  EXPECT_EQ(wrong.error().field, "pairing_code");
  EXPECT_FALSE(l.firmware().paired());
  EXPECT_FALSE(devices->lock(kSite, "u204")->paired);
  EXPECT_EQ(audits(AuditType::command_failed).size(), 1u);
  EXPECT_TRUE(audits(AuditType::lock_commissioned).empty());

  auto missing = run(devices->commission(std::string(kSite), "u204", std::nullopt, "x"));
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, Errc::missing_field);
}

TEST_F(Commissioning, AnUnreachableLockCannotBeCommissioned) {
  LoopLock& l = add_lock("u204");
  l.set_link(false);
  settle();
  auto refused = run(devices->commission(std::string(kSite), "u204", l.pairing_code(), "x"));
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, Errc::unavailable);
  EXPECT_EQ(l.commands_received, 0u);
}

TEST_F(Commissioning, AFactoryResetLeavesCredentialsPendingUntilReenrollSetsThemAgain) {
  LoopLock& l = add_lock("u204");
  commission("u204");
  ASSERT_TRUE(devices->place(kSite, "u204", pin_code("cred_ana", "4831")));
  settle();
  ASSERT_EQ(devices->placement(kSite, "u204", "cred_ana")->status, CredentialStatus::set);
  const std::uint32_t old_epoch = l.firmware().epoch();

  l.with_firmware([](lockcore::Lock& lock, auto&) { return lock.factory_reset().ok(); });
  settle();
  auto info = devices->lock(kSite, "u204");
  EXPECT_TRUE(info->needs_reenroll);
  EXPECT_FALSE(info->paired);
  ASSERT_EQ(audits(AuditType::lock_epoch_changed).size(), 1u);
  EXPECT_NE(audits(AuditType::lock_epoch_changed)[0].record.detail.find("\"old_epoch\":" +
                                                                        std::to_string(old_epoch)),
            std::string::npos);
  auto wiped = devices->placements_on(kSite, "u204");
  ASSERT_TRUE(wiped);
  for (const auto& p : *wiped) {
    EXPECT_EQ(p.status, CredentialStatus::pending) << p.credential;
  }
  // Nothing is sent to it meanwhile, and no code works on it.
  auto unlock = run(devices->unlock(std::string(kSite), "u204", "account:acc_ana"));
  ASSERT_FALSE(unlock);
  EXPECT_EQ(unlock.error().code, Errc::conflict);
  EXPECT_EQ(
      l.with_firmware([](lockcore::Lock& lock, auto&) { return lock.enter_pin("4831"); }).outcome,
      lockcore::DoorOutcome::denied);

  auto re = run(devices->reenroll(std::string(kSite), "u204", "account:acc_support"));
  ASSERT_TRUE(re) << re.error().message;
  EXPECT_EQ(re->epoch, l.firmware().epoch());
  settle();
  EXPECT_EQ(audits(AuditType::lock_reenrolled).size(), 1u);
  EXPECT_EQ(devices->placement(kSite, "u204", "cred_ana")->status, CredentialStatus::set);
  advance(3s);
  EXPECT_EQ(
      l.with_firmware([](lockcore::Lock& lock, auto&) { return lock.enter_pin("4831"); }).outcome,
      lockcore::DoorOutcome::accepted);

  auto not_needed = run(devices->reenroll(std::string(kSite), "u204", "x"));
  ASSERT_FALSE(not_needed);
  EXPECT_EQ(not_needed.error().code, Errc::conflict);
}

}  // namespace
}  // namespace devicestest
