// Simulated locks and hubs on a real Mosquitto with the protocol's ACL, driven by a server
// stand-in: commissioning with `pair`, signed commands and their acks, shadows, refusals, and the
// event log's promise (resent after every way a link can come back, none lost, none twice).

#include <gtest/gtest.h>

#include "lockcore/signing.hpp"
#include "protocol/codec.hpp"
#include "protocol/topics.hpp"
#include "tests/integration/sim_site.hpp"
#include "tests/support/recording_client.hpp"

namespace simtest {
namespace {

using lockcore::BoltState;
using lockcore::CommandOp;
using lockcore::EventType;
using lockcore::LockError;
using protocol::Channel;
using protocol::DeviceStatus;
using testsupport::SiteAuthority;

class SimFleet : public SimSite {};

TEST_F(SimFleet, WifiLockIsCommissionedUnlockedByASignedCommandAndReportsIt) {
  ASSERT_NO_FATAL_FAILURE(start(site_config({lock_spec("u204")})));
  EXPECT_EQ(server->status("u204"), DeviceStatus::online);
  ASSERT_TRUE(server->lock("u204").state);
  EXPECT_FALSE(server->lock("u204").state->paired);
  EXPECT_EQ(server->lock("u204").state->bolt, BoltState::locked);

  ASSERT_NO_FATAL_FAILURE(pair("u204"));
  EXPECT_TRUE(wait_for([&] { return server->lock("u204").state->paired; }));
  ASSERT_EQ(server->lock("u204").stored.size(), 1u);
  EXPECT_EQ(server->lock("u204").stored.begin()->second.type, EventType::paired);

  const lockcore::CommandAck* ack = command("u204", CommandOp::unlock);
  ASSERT_NE(ack, nullptr);
  EXPECT_EQ(ack->error, LockError::none);
  EXPECT_EQ(ack->bolt, BoltState::unlocked);
  settle();
  EXPECT_EQ(server->lock("u204").state->bolt, BoltState::unlocked);
  const auto& stored = server->lock("u204").stored;
  EXPECT_EQ(stored.rbegin()->second.type, EventType::unlocked);
  EXPECT_EQ(stored.rbegin()->second.source, lockcore::AccessSource::remote);
  EXPECT_EQ(server->undecodable(), 0u);
}

TEST_F(SimFleet, HubRelaysForItsLocksAndReportsTheirLinks) {
  ASSERT_NO_FATAL_FAILURE(
      start(site_config({lock_spec("u204", "hub-a"), lock_spec("u205", "hub-a")}, {{"hub-a"}})));
  EXPECT_EQ(server->status("hub-a"), DeviceStatus::online);
  EXPECT_EQ(server->status("u204"), DeviceStatus::online);
  auto links = server->links("hub-a");
  ASSERT_TRUE(links);
  ASSERT_EQ(links->links.size(), 2u);
  EXPECT_TRUE(links->links[0].up);
  EXPECT_EQ(links->links[1].lock.view(), "u205");

  ASSERT_NO_FATAL_FAILURE(pair("u205"));
  const lockcore::CommandAck* ack = command("u205", CommandOp::unlock);
  ASSERT_NE(ack, nullptr);
  EXPECT_EQ(ack->error, LockError::none);
  settle();
  EXPECT_EQ(server->lock("u205").state->bolt, BoltState::unlocked);
  EXPECT_EQ(server->lock("u204").state->bolt, BoltState::locked);
}

TEST_F(SimFleet, DesiredShadowIsAppliedReportedAndUsedAtTheDoor) {
  ASSERT_NO_FATAL_FAILURE(start(site_config({lock_spec("u204")})));
  ASSERT_NO_FATAL_FAILURE(pair("u204"));
  const std::vector<lockcore::PinCredential> codes{
      SiteAuthority::code(1, "4831"), SiteAuthority::code(2, "4831"),  // a duplicate PIN
      SiteAuthority::code(3, "77777777", lockcore::CredentialKind::backup)};
  ASSERT_NO_FATAL_FAILURE(set_codes("u204", codes));
  const auto& reported = *server->lock("u204").reported;
  ASSERT_EQ(reported.slots.size(), 3u);
  EXPECT_EQ(reported.slots[0].error, lockcore::SlotError::none);
  EXPECT_EQ(reported.slots[1].error, lockcore::SlotError::duplicate_pin);
  EXPECT_EQ(reported.credential_digest,
            lockcore::credential_digest(std::vector{codes[0], codes[2]}));

  EXPECT_EQ(fleet->enter_pin("u204", "77777777")->source, lockcore::AccessSource::backup_code);
  run_for(5s);
  EXPECT_TRUE(wait_for([&] {
    const auto& stored = server->lock("u204").stored;
    return !stored.empty() && stored.rbegin()->second.type == EventType::unlocked;
  }));
  EXPECT_EQ(server->lock("u204").stored.rbegin()->second.slot, 3);
}

TEST_F(SimFleet, ForgedUnsignedReplayedAndExpiredCommandsAreRefusedAndChangeNothing) {
  ASSERT_NO_FATAL_FAILURE(start(site_config({lock_spec("u204")})));
  ASSERT_NO_FATAL_FAILURE(pair("u204"));
  const auto now = fleet->now();

  lockcore::Command forged = authority.command("u204", CommandOp::unlock, now);
  forged.sig[10] ^= 0x40;
  const lockcore::Command unsigned_cmd = authority.unsigned_command("u204", CommandOp::unlock, now);
  const lockcore::Command for_other = authority.command("u999", CommandOp::unlock, now);
  const lockcore::Command expired = authority.command("u204", CommandOp::unlock, now - 60'000);
  SiteAuthority impostor("maple-court", 99);  // another site key
  const lockcore::Command foreign = impostor.command("u204", CommandOp::unlock, now);
  const lockcore::Command* refused[] = {&forged, &unsigned_cmd, &for_other, &expired, &foreign};
  for (const lockcore::Command* cmd : refused)
    ASSERT_TRUE(server->send("u204", *cmd));
  ASSERT_TRUE(server->publish_raw(protocol::make_topic("maple-court", "u204", Channel::cmd),
                                  R"({"v":1,"op":"unlock"})"));
  settle();
  const LockError expected[] = {LockError::bad_signature, LockError::bad_signature,
                                LockError::bad_signature, LockError::expired,
                                LockError::bad_signature};
  int i = 0;
  for (const lockcore::Command* cmd : refused) {
    const lockcore::CommandAck* ack = server->ack_for("u204", cmd->id);
    ASSERT_NE(ack, nullptr) << i;
    EXPECT_EQ(ack->error, expected[i++]);
    EXPECT_EQ(ack->bolt, BoltState::locked);
  }
  EXPECT_EQ(fleet->find_lock("u204")->counters().refused, 1u);  // the malformed one: no ack

  // A command that worked, sent again byte for byte, is refused as replayed.
  const lockcore::Command unlock = server->command("u204", CommandOp::unlock);
  const lockcore::CommandAck* ok = await_ack("u204", unlock.id);
  ASSERT_NE(ok, nullptr);
  ASSERT_EQ(ok->error, LockError::none);
  ASSERT_TRUE(*fleet->turn_key("u204", true));
  ASSERT_TRUE(server->send("u204", unlock));
  settle();
  std::vector<LockError> answers;
  for (const auto& a : server->lock("u204").acks) {
    if (a.id == unlock.id) answers.push_back(a.error);
  }
  EXPECT_EQ(answers, (std::vector{LockError::none, LockError::replayed}));
  run_for(5s);
  EXPECT_EQ(fleet->inspect("u204")->state.bolt, BoltState::locked);
}

}  // namespace
}  // namespace simtest
