// Action attempts: an unlock goes out signed, and the lock's own ack decides the outcome; an
// unreachable lock is refused at once and nothing is queued; forged and replayed commands are
// refused by the lock and recorded.

#include <boost/asio/detached.hpp>
#include <gtest/gtest.h>

#include "lockcore/signing.hpp"
#include "protocol/codec.hpp"
#include "protocol/topics.hpp"
#include "tests/server/devices/loopback_site.hpp"

namespace devicestest {
namespace {

using namespace std::chrono_literals;
using server::Errc;
using server::audit::AuditType;
using server::devices::CommandStatus;

class Commands : public LoopbackSite {
 protected:
  // The lock's answer to command `id` (the last one, if it answered twice).
  std::optional<lockcore::LockError> answer(const lockcore::CommandId& id) {
    std::optional<lockcore::LockError> found;
    for (const auto& a : lock("u204").acks) {
      if (a.id == id) found = a.error;
    }
    return found;
  }
  void SetUp() override {
    add_lock("u204");
    commission("u204");
  }
  server::Result<server::devices::CommandResult> unlock() {
    return run(devices->unlock(std::string(kSite), "u204", "account:acc_ana"));
  }
};

TEST_F(Commands, AnUnlockSucceedsConfirmedByTheLockAndItsEventIsAudited) {
  auto outcome = unlock();
  ASSERT_TRUE(outcome) << outcome.error().message;
  EXPECT_EQ(outcome->status, CommandStatus::succeeded);
  EXPECT_TRUE(outcome->confirmed_by_device);
  EXPECT_EQ(outcome->bolt, lockcore::BoltState::unlocked);
  EXPECT_EQ(lock("u204").firmware().bolt(), lockcore::BoltState::unlocked);

  auto row = devices->command(kSite, outcome->id);
  ASSERT_TRUE(row);
  EXPECT_EQ(row->status, CommandStatus::succeeded);
  EXPECT_EQ(row->requested_by, "account:acc_ana");
  ASSERT_EQ(audits(AuditType::unlock_requested).size(), 1u);
  EXPECT_EQ(audits(AuditType::unlock_requested)[0].record.actor, "account:acc_ana");
  settle();
  auto unlocked = audits(AuditType::unlocked);
  ASSERT_EQ(unlocked.size(), 1u);
  EXPECT_NE(unlocked[0].record.detail.find("\"source\":\"remote\""), std::string::npos);

  auto locked = run(devices->lock_door(std::string(kSite), "u204", "account:acc_ana"));
  ASSERT_TRUE(locked);
  EXPECT_EQ(locked->status, CommandStatus::succeeded);
  EXPECT_EQ(lock("u204").firmware().bolt(), lockcore::BoltState::locked);
  EXPECT_EQ(devices->commands(kSite, "u204")->size(), 2u);
}

TEST_F(Commands, AJammedLockFailsTheUnlockWithItsOwnErrorCode) {
  lock("u204").hardware().bolt().jam();
  auto outcome = unlock();
  ASSERT_TRUE(outcome);
  EXPECT_EQ(outcome->status, CommandStatus::failed);
  EXPECT_EQ(outcome->error, "jammed");
  EXPECT_TRUE(outcome->confirmed_by_device);
  settle();
  EXPECT_EQ(audits(AuditType::command_failed).size(), 1u);
  EXPECT_EQ(audits(AuditType::jammed).size(), 1u);
  EXPECT_TRUE(devices->health(kSite, "u204")->jammed);
}

TEST_F(Commands, AnOfflineLockIsRefusedAtOnceAndNothingIsSentOrQueued) {
  lock("u204").set_link(false);
  settle();
  const std::size_t received = lock("u204").commands_received;
  auto outcome = unlock();
  ASSERT_FALSE(outcome);
  EXPECT_EQ(outcome.error().code, Errc::unavailable);
  EXPECT_EQ(outcome.error().message, "lock u204 is offline");
  EXPECT_TRUE(devices->commands(kSite, "u204")->empty());
  lock("u204").set_link(true);
  advance(40s);
  EXPECT_EQ(lock("u204").commands_received, received);
  EXPECT_EQ(lock("u204").firmware().bolt(), lockcore::BoltState::locked);

  devices->set_test_link(false);
  auto no_broker = unlock();
  ASSERT_FALSE(no_broker);
  EXPECT_EQ(no_broker.error().message, "the broker is not connected");
}

TEST_F(Commands, NoAnswerByTheDeadlineIsATimeOutAndALateAckStillUpdatesTheRow) {
  LoopLock& l = lock("u204");
  // The lock takes the command, then loses its link before the turn ends: its ack waits.
  std::optional<server::Result<server::devices::CommandResult>> outcome;
  boost::asio::co_spawn(
      io,
      [&]() -> boost::asio::awaitable<void> {
        outcome = co_await devices->unlock(std::string(kSite), "u204", "account:acc_ana");
      },
      boost::asio::detached);
  settle();
  ASSERT_EQ(l.firmware().bolt(), lockcore::BoltState::unlocking);
  l.set_link(false);
  advance(40s);
  ASSERT_TRUE(outcome && *outcome);
  EXPECT_EQ((*outcome)->status, CommandStatus::timed_out);
  EXPECT_FALSE((*outcome)->confirmed_by_device);
  EXPECT_EQ(audits(AuditType::command_failed).size(), 1u);

  l.set_link(true);
  settle();
  auto row = devices->command(kSite, (*outcome)->id);
  ASSERT_TRUE(row);
  EXPECT_EQ(row->status, CommandStatus::succeeded);
  EXPECT_TRUE(row->confirmed_by_device);
  std::size_t unlocks_sent = 0;
  for (const auto& p : published) {
    if (p.payload.find("\"op\":\"unlock\"") != std::string::npos) ++unlocks_sent;
  }
  EXPECT_EQ(unlocks_sent, 1u);  // never sent again
}

TEST_F(Commands, ForgedAndReplayedCommandsAreRefusedByTheLockAndRecorded) {
  LoopLock& l = lock("u204");
  // Someone with another key publishes an unlock.
  lockcore::SeededRandom rng(99);
  const lockcore::SigningKeyPair impostor = lockcore::make_signing_keypair(rng);
  lockcore::Command forged;
  [[maybe_unused]] bool ok = forged.site.assign(kSite) && forged.lock.assign("u204");
  rng.fill(forged.id);
  forged.issued = scheduler.now();
  forged.expires = forged.issued + 30'000;
  forged.sig = lockcore::sign_command(forged, impostor.secret_key);
  l.receive("cmd", protocol::encode(forged));
  settle();
  EXPECT_EQ(answer(forged.id), lockcore::LockError::bad_signature);
  EXPECT_EQ(l.firmware().bolt(), lockcore::BoltState::locked);
  ASSERT_EQ(audits(AuditType::command_refused).size(), 1u);
  EXPECT_NE(audits(AuditType::command_refused)[0].record.detail.find("bad_signature"),
            std::string::npos);

  // A real unlock, captured and played back.
  auto outcome = unlock();
  ASSERT_TRUE(outcome);
  ASSERT_EQ(outcome->status, CommandStatus::succeeded);
  std::string captured;
  for (const auto& p : published) {
    if (p.topic == protocol::make_topic(kSite, "u204", protocol::Channel::cmd) &&
        p.payload.find(outcome->id) != std::string::npos) {
      captured = p.payload;
    }
  }
  ASSERT_FALSE(captured.empty());
  ASSERT_TRUE(
      l.with_firmware([](auto&, lockcore::model::ModelHardware& hw) { return hw.turn_key(true); }));
  l.receive("cmd", captured);
  settle();
  lockcore::CommandId id{};
  ASSERT_TRUE(server::devices::from_hex(outcome->id, id));
  EXPECT_EQ(answer(id), lockcore::LockError::replayed);
  EXPECT_EQ(l.firmware().bolt(), lockcore::BoltState::locked);
  auto refused = audits(AuditType::command_refused);
  ASSERT_EQ(refused.size(), 1u);  // rate-limited: the second is counted, not audited
  EXPECT_EQ(devices->command(kSite, outcome->id)->status, CommandStatus::succeeded);
  advance(11min);
  l.receive("cmd", captured);
  settle();
  refused = audits(AuditType::command_refused);
  ASSERT_EQ(refused.size(), 2u);
  EXPECT_NE(refused[0].record.detail.find("suppressed"), std::string::npos);
}

TEST_F(Commands, AnUnknownLockOrAnotherSitesLockIsNotFound) {
  auto other = run(devices->unlock("other-site", "u204", "account:acc_ana"));
  ASSERT_FALSE(other);
  EXPECT_EQ(other.error().code, Errc::not_found);
  auto missing = run(devices->unlock(std::string(kSite), "u999", "account:acc_ana"));
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, Errc::not_found);
  EXPECT_FALSE(devices->command("other-site", "00"));
}

}  // namespace
}  // namespace devicestest
