// The event log's promise across every way a lock's link comes back: its own radio, its hub dying
// and returning, the home Wi-Fi changing, the broker restarting. Events made while the link was
// down arrive after it is back; the server, which acknowledges what it has stored, ends with every
// sequence number once: no gap, no duplicate.

#include <gtest/gtest.h>

#include "tests/integration/sim_site.hpp"

namespace simtest {
namespace {

using lockcore::EventType;
using protocol::DeviceStatus;
using sim::FaultKind;

sim::Fault fault(FaultKind kind, std::string lock, std::string hub = "") {
  sim::Fault f;
  f.kind = kind;
  f.lock = std::move(lock);
  f.hub = std::move(hub);
  return f;
}

class Resend : public SimSite {
 protected:
  // Things happen at the door while nobody can hear: three wrong codes, a key turned twice.
  void door_events(std::string_view lock) {
    for (int i = 0; i < 3; ++i)
      (void)fleet->enter_pin(lock, "0000");
    ASSERT_TRUE(*fleet->turn_key(lock, false));
    ASSERT_TRUE(*fleet->turn_key(lock, true));
    run_for(2s);
  }
  std::uint32_t last_seq(std::string_view lock) { return fleet->inspect(lock)->state.event_seq; }

  // Everything the lock numbered has reached the server, once.
  void expect_all_stored_once(std::string_view lock) {
    const std::uint32_t last = last_seq(lock);
    ASSERT_TRUE(wait_for([&] { return server->lock(lock).stored.size() == last; }))
        << lock << " stored " << server->lock(lock).stored.size() << " of " << last;
    EXPECT_TRUE(no_gaps_no_duplicates(lock));
    settle();
    EXPECT_TRUE(fleet->inspect(lock)->events.empty()) << "the lock still holds acked events";
  }
};

TEST_F(Resend, AfterTheLocksOwnRadioComesBack) {
  ASSERT_NO_FATAL_FAILURE(start(site_config({lock_spec("u204")})));
  ASSERT_NO_FATAL_FAILURE(pair("u204"));
  ASSERT_TRUE(fleet->apply(fault(FaultKind::lock_radio_down, "u204")));
  ASSERT_TRUE(wait_for([&] { return server->status("u204") == DeviceStatus::offline; }));
  const std::size_t before = server->lock("u204").received_seqs.size();
  ASSERT_NO_FATAL_FAILURE(door_events("u204"));
  settle();
  EXPECT_EQ(server->lock("u204").received_seqs.size(), before);  // nothing got out

  ASSERT_TRUE(fleet->apply(fault(FaultKind::lock_radio_up, "u204")));
  ASSERT_TRUE(wait_for([&] { return server->status("u204") == DeviceStatus::online; }));
  expect_all_stored_once("u204");
  EXPECT_EQ(last_seq("u204"), 6u);  // paired, 3 denied, unlocked, locked
}

TEST_F(Resend, AfterTheHubDiesAndComesBack) {
  ASSERT_NO_FATAL_FAILURE(
      start(site_config({lock_spec("u204", "hub-a"), lock_spec("u205", "hub-a")}, {{"hub-a"}})));
  ASSERT_NO_FATAL_FAILURE(pair("u204"));
  ASSERT_NO_FATAL_FAILURE(pair("u205"));
  ASSERT_TRUE(fleet->apply(fault(FaultKind::hub_down, "", "hub-a")));
  // The broker publishes the hub's will; its locks lose their link.
  ASSERT_TRUE(wait_for([&] { return server->status("hub-a") == DeviceStatus::offline; }));
  EXPECT_FALSE(fleet->inspect("u204")->link_up);
  ASSERT_NO_FATAL_FAILURE(door_events("u204"));
  ASSERT_NO_FATAL_FAILURE(door_events("u205"));

  ASSERT_TRUE(fleet->apply(fault(FaultKind::hub_up, "u204")));
  ASSERT_TRUE(wait_for([&] { return server->status("hub-a") == DeviceStatus::online; }));
  expect_all_stored_once("u204");
  expect_all_stored_once("u205");
}

TEST_F(Resend, AHubLockWhoseRadioFailsIsReportedByItsHub) {
  ASSERT_NO_FATAL_FAILURE(
      start(site_config({lock_spec("u204", "hub-a"), lock_spec("u205", "hub-a")}, {{"hub-a"}})));
  ASSERT_NO_FATAL_FAILURE(pair("u204"));
  ASSERT_TRUE(fleet->apply(fault(FaultKind::lock_radio_down, "u204")));
  ASSERT_TRUE(wait_for([&] { return server->status("u204") == DeviceStatus::offline; }));
  ASSERT_TRUE(wait_for([&] {
    auto links = server->links("hub-a");
    return links && !links->links[0].up && links->links[1].up;
  }));
  EXPECT_EQ(server->status("hub-a"), DeviceStatus::online);
  // A command for it reaches the hub, which cannot pass it on.
  const auto cmd = server->command("u204", lockcore::CommandOp::unlock);
  ASSERT_TRUE(wait_for([&] { return fleet->inspect_hub("hub-a")->dropped == 1; }));
  ASSERT_NO_FATAL_FAILURE(door_events("u204"));

  ASSERT_TRUE(fleet->apply(fault(FaultKind::lock_radio_up, "u204")));
  ASSERT_TRUE(wait_for([&] { return server->status("u204") == DeviceStatus::online; }));
  expect_all_stored_once("u204");
  EXPECT_EQ(server->ack_for("u204", cmd.id), nullptr);  // it never reached the lock
}

TEST_F(Resend, AfterTheHomeWifiChangesAndTheLockIsReprovisioned) {
  ASSERT_NO_FATAL_FAILURE(start(site_config({lock_spec("u204"), lock_spec("u206")})));
  ASSERT_NO_FATAL_FAILURE(pair("u204"));
  ASSERT_TRUE(fleet->apply(fault(FaultKind::wifi_change, "u204")));
  ASSERT_TRUE(wait_for([&] { return server->status("u204") == DeviceStatus::offline; }));
  ASSERT_NO_FATAL_FAILURE(door_events("u204"));
  // Nothing brings it back by itself: it cannot join the new network.
  ASSERT_TRUE(fleet->apply(fault(FaultKind::lock_radio_up, "u204")));
  settle();
  EXPECT_EQ(server->status("u204"), DeviceStatus::offline);
  EXPECT_EQ(server->status("u206"), DeviceStatus::online);

  ASSERT_TRUE(fleet->provision_wifi("u204"));
  ASSERT_TRUE(wait_for([&] { return server->status("u204") == DeviceStatus::online; }));
  expect_all_stored_once("u204");
}

TEST_F(Resend, AfterTheBrokerRestarts) {
  ASSERT_NO_FATAL_FAILURE(start(site_config(
      {lock_spec("u204"), lock_spec("u205", "hub-a"), lock_spec("u206", "none")}, {{"hub-a"}})));
  ASSERT_NO_FATAL_FAILURE(pair("u204"));
  ASSERT_NO_FATAL_FAILURE(pair("u205"));
  ASSERT_TRUE(broker->process().stop());
  ASSERT_TRUE(wait_for([&] { return fleet->summary().net.links_up == 0; }));
  ASSERT_NO_FATAL_FAILURE(door_events("u204"));
  ASSERT_NO_FATAL_FAILURE(door_events("u205"));

  ASSERT_TRUE(broker->process().restart());
  ASSERT_TRUE(wait_for([&] { return all_up() && server->ready(); }, 20s));
  expect_all_stored_once("u204");
  expect_all_stored_once("u205");
  EXPECT_EQ(fleet->summary().net.disconnects, 2u);  // the Wi-Fi lock's and the hub's
}

}  // namespace
}  // namespace simtest
