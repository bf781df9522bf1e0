// The broker's ACL (the protocol's table, as `latchkey broker init` writes it) holds against a
// device that lies: a lock's login cannot publish as another lock or forge commands, and what it
// tries never arrives. Absence is proven without sleeping: after the forbidden message the same
// connection sends an allowed marker, and the broker handles one connection's packets in order.

#include <gtest/gtest.h>

#include "protocol/codec.hpp"
#include "protocol/topics.hpp"
#include "tests/integration/sim_site.hpp"
#include "tests/support/recording_client.hpp"

namespace simtest {
namespace {

using protocol::Channel;
using protocol::make_topic;

class SimAcl : public SimSite {};

TEST_F(SimAcl, ALocksLoginCannotSpeakForAnotherLockOrCommandIt) {
  // "rogue" has a lock login of its own but is not run by the simulator: the test drives it.
  auto rogue_login = sim::lock_broker_login("maple-court", "rogue");
  ASSERT_TRUE(rogue_login);
  ASSERT_NO_FATAL_FAILURE(start(
      site_config({lock_spec("u204"), lock_spec("u205", "hub-a")}, {{"hub-a"}}), {*rogue_login}));
  ASSERT_NO_FATAL_FAILURE(pair("u204"));
  testsupport::RecordingClient rogue(io, broker->client_options("lock/maple-court/rogue"));
  rogue.client().connect();
  ASSERT_TRUE(wait_for([&] { return rogue.connected(); }));

  const lockcore::StateReport real_state = *server->lock("u204").state;
  lockcore::StateReport fake = real_state;
  fake.bolt = lockcore::BoltState::unlocked;
  lockcore::Event fake_event;
  fake_event.seq = 99;
  fake_event.type = lockcore::EventType::unlocked;
  const lockcore::Command forged_unlock =
      authority.command("u204", lockcore::CommandOp::unlock, fleet->now());
  const std::vector<std::pair<std::string, std::string>> attempts{
      {make_topic("maple-court", "u204", Channel::state), protocol::encode(fake)},
      {make_topic("maple-court", "u204", Channel::event), protocol::encode(fake_event)},
      {make_topic("maple-court", "u204", Channel::status),
       protocol::encode(protocol::DeviceStatus::offline)},
      {make_topic("maple-court", "u205", Channel::state), protocol::encode(fake)},
      {make_topic("maple-court", "hub-a", Channel::links), R"({"v":1,"links":[]})"},
      // Even a correctly signed command (replayed from the wire) may not be sent by a lock.
      {make_topic("maple-court", "u204", Channel::cmd), protocol::encode(forged_unlock)},
  };
  const std::string marker = make_topic("maple-court", "rogue", Channel::event);
  for (const auto& [topic, payload] : attempts) {
    auto sent = rogue.client().publish(topic, payload, 1, false);
    ASSERT_TRUE(sent);
    ASSERT_TRUE(
        rogue.client().publish(marker, R"({"v":1,"seq":1,"ts":0,"type":"locked"})", 1, false));
    const std::size_t markers = server->lock("rogue").received_seqs.size();
    ASSERT_TRUE(wait_for([&] { return server->lock("rogue").received_seqs.size() == markers + 1; }))
        << topic;
    ASSERT_TRUE(wait_for([&] { return rogue.acked(*sent); }));
    EXPECT_EQ(rogue.ack_reason(*sent), 135) << topic;  // v5 PUBACK: not authorised
  }
  settle();
  EXPECT_EQ(server->status("u204"), protocol::DeviceStatus::online);
  EXPECT_EQ(server->lock("u204").state->bolt, lockcore::BoltState::locked);
  EXPECT_FALSE(server->lock("u204").stored.contains(99));
  EXPECT_EQ(server->lock("u205").states.size(), 1u);
  EXPECT_EQ(server->links("hub-a")->links.size(), 1u);
  EXPECT_EQ(fleet->find_lock("u204")->counters().firmware_refused, 0u);  // nothing forged arrived
  EXPECT_EQ(fleet->inspect("u204")->state.bolt, lockcore::BoltState::locked);
  // The fleet's own devices never had anything refused.
  EXPECT_EQ(fleet->net().publish_refused, 0u);
  EXPECT_EQ(fleet->net().subscribe_refused, 0u);
}

TEST_F(SimAcl, ALockOnTheRealClockTurnsInRealTime) {
  sim::FleetConfig config = site_config({lock_spec("u204")});
  config.virtual_clock = false;
  ASSERT_NO_FATAL_FAILURE(start(config));
  ASSERT_NO_FATAL_FAILURE(pair("u204"));
  const lockcore::Command unlock = server->command("u204", lockcore::CommandOp::unlock);
  ASSERT_TRUE(wait_for([&] { return server->ack_for("u204", unlock.id) != nullptr; }, 5s));
  EXPECT_EQ(server->ack_for("u204", unlock.id)->error, lockcore::LockError::none);
  EXPECT_EQ(server->ack_for("u204", unlock.id)->bolt, lockcore::BoltState::unlocked);
}

}  // namespace
}  // namespace simtest
