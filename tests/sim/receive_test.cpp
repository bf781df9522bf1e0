// What reaches a lock over its radio is decoded strictly before the firmware sees it: a payload
// that is not a v1 cmd or shadow/desired for this lock is refused (counted, logged) and changes
// nothing; a decoded one is the firmware's to judge (signature, expiry, replay).

#include <gtest/gtest.h>

#include "tests/sim/offline_fleet.hpp"

namespace simtest {
namespace {

using lockcore::CommandOp;
using protocol::Channel;

TEST_F(OfflineFleet, MalformedCommandsAreRefusedBeforeTheFirmware) {
  pair("u204");
  const sim::LockView before = view("u204");
  sim::SimLock& lock = this->lock("u204");
  const lockcore::Command unlock = authority.command("u204", CommandOp::unlock, fleet->now());
  std::string valid = protocol::encode(unlock);
  for (const std::string& hostile :
       {std::string("{"), std::string(""), valid + "x", std::string(R"({"v":2})"),
        valid.substr(0, valid.size() - 1) + R"(,"extra":1})", std::string(5000, ' ') + valid}) {
    lock.receive(Channel::cmd, hostile);
  }
  lock.receive(Channel::state, valid);  // a lock does not read its own state
  EXPECT_EQ(lock.counters().refused, 7u);
  EXPECT_EQ(lock.counters().received, 1u);  // the pair command, nothing since
  EXPECT_EQ(fleet->net().refused, 7u);
  const sim::LockView after = view("u204");
  EXPECT_EQ(after.state.bolt, before.state.bolt);
  EXPECT_EQ(after.events.size(), before.events.size());
}

TEST_F(OfflineFleet, TheFirmwareJudgesSignaturesExpiryAndReplay) {
  pair("u204");
  sim::SimLock& lock = this->lock("u204");
  lockcore::Command forged = authority.command("u204", CommandOp::unlock, fleet->now());
  forged.sig[0] ^= 1;
  send_command("u204", forged);
  send_command("u204", authority.unsigned_command("u204", CommandOp::unlock, fleet->now()));
  // Signed for another lock: the topic names u204, so the signature covers the wrong lock id.
  lockcore::Command other = authority.command("u205", CommandOp::unlock, fleet->now());
  send_command("u204", other);
  EXPECT_EQ(lock.counters().firmware_refused, 3u);
  run_for(5s);
  EXPECT_EQ(view("u204").state.bolt, lockcore::BoltState::locked);

  const lockcore::Command unlock = authority.command("u204", CommandOp::unlock, fleet->now());
  send_command("u204", unlock);
  run_for(5s);
  EXPECT_EQ(view("u204").state.bolt, lockcore::BoltState::unlocked);
  ASSERT_TRUE(fleet->turn_key("u204", true));
  send_command("u204", unlock);  // replayed
  run_for(5s);
  EXPECT_EQ(view("u204").state.bolt, lockcore::BoltState::locked);
  EXPECT_EQ(lock.counters().firmware_refused, 4u);
}

TEST_F(OfflineFleet, DesiredShadowsAreDecodedThenJudged) {
  commission("u204");
  sim::SimLock& lock = this->lock("u204");
  lock.receive(Channel::shadow_desired, "");  // the server cleared the retained topic: ignored
  lock.receive(Channel::shadow_desired, R"({"v":1,"version":9})");
  EXPECT_EQ(lock.counters().refused, 1u);
  auto stale = authority.desired("u204", 1, epoch("u204"), {});
  lock.receive(Channel::shadow_desired, protocol::encode(*stale));
  EXPECT_EQ(lock.counters().firmware_refused, 1u);
  EXPECT_EQ(view("u204").credentials.size(), 1u);
}

}  // namespace
}  // namespace simtest
