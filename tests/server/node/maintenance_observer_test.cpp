// What locks and hubs report reaches maintenance through the Node's MaintenanceObserver: three
// jams open a door-alignment order, a motor fault a hardware order, a low battery a battery order
// (a repeated sample does not count twice), and a hub offline past its grace a hub order. And
// access's LockDirectory answers from devices: a door of one site is no door of another.

#include "server/node/maintenance_observer.hpp"

#include <gtest/gtest.h>

#include "tests/server/api/site_world.hpp"

namespace server {
namespace {

using maintenance::Kind;

class MaintenanceObserverTest : public ::testing::Test {
 protected:
  std::vector<maintenance::WorkOrder> orders() {
    return w_.server.on_server([&] {
      auto all = w_.server.node().maintenance().work_orders().list(w_.accounts["owner"], "s1", {});
      EXPECT_TRUE(all) << (all ? "" : all.error().message);
      return all ? *all : std::vector<maintenance::WorkOrder>{};
    });
  }
  std::size_t count(Kind kind) {
    std::size_t n = 0;
    for (const auto& o : orders())
      n += o.kind == kind ? 1 : 0;
    return n;
  }
  void event(lockcore::EventType type, std::uint32_t seq) {
    w_.server.on_server([&] {
      devices::LockEventInfo info{"s1", "u204", {}, {}, {}};
      info.event.seq = seq;
      info.event.type = type;
      info.event.ts = w_.server.clock().now();
      observer().on_lock_event(info);
    });
    w_.server.advance(std::chrono::minutes(1));  // the lock's events come at their own times
  }
  MaintenanceObserver& observer() {
    if (!observer_)
      observer_ = std::make_unique<MaintenanceObserver>(w_.server.node().maintenance().signals(),
                                                        w_.server.clock());
    return *observer_;
  }

  api::testing::SiteWorld w_;
  std::unique_ptr<MaintenanceObserver> observer_;
};

TEST_F(MaintenanceObserverTest, ThreeJamsOpenADoorAlignmentOrderAndAMotorFaultAHardwareOne) {
  event(lockcore::EventType::jammed, 1);
  event(lockcore::EventType::jam_cleared, 2);
  event(lockcore::EventType::jammed, 3);
  EXPECT_EQ(count(Kind::door_alignment), 0u);
  event(lockcore::EventType::jammed, 4);
  EXPECT_EQ(count(Kind::door_alignment), 1u);
  event(lockcore::EventType::unlocked, 5);
  EXPECT_EQ(count(Kind::lock_hardware), 0u);
  event(lockcore::EventType::motor_fault, 6);
  EXPECT_EQ(count(Kind::lock_hardware), 1u);
}

TEST_F(MaintenanceObserverTest, ALowBatteryOpensABatteryOrderOnce) {
  auto report = [&](int pct, int mv) {
    w_.server.on_server([&] {
      devices::LockHealth h;
      h.site = "s1";
      h.lock = "u204";
      h.has_state = true;
      h.battery_pct = static_cast<std::uint8_t>(pct);
      h.battery_mv = static_cast<std::uint16_t>(mv);
      observer().on_health_change(h);
    });
    w_.server.advance(std::chrono::hours(1));
  };
  report(80, 5800);
  report(80, 5800);  // the same reading again (another health change): no new sample
  report(12, 4400);
  EXPECT_EQ(count(Kind::battery), 1u);
  auto trend = w_.server.on_server(
      [&] { return w_.server.node().maintenance().signals().battery_trend("s1", "u204"); });
  ASSERT_TRUE(trend);
  EXPECT_EQ(trend->samples.size(), 2u);
}

TEST_F(MaintenanceObserverTest, AHubOfflinePastItsGraceOpensAHubOrderAndOneBackInTimeDoesNot) {
  auto hub = [&](const std::string& id, devices::Reachability r) {
    w_.server.on_server([&] {
      devices::HubHealth h;
      h.site = "s1";
      h.hub = id;
      h.reachability = r;
      h.last_seen = w_.server.clock().now();
      observer().on_hub_health_change(h);
    });
  };
  hub("hub-a", devices::Reachability::offline);
  hub("hub-b", devices::Reachability::offline);
  w_.server.advance(std::chrono::minutes(5));
  hub("hub-b", devices::Reachability::online);
  w_.server.advance(std::chrono::minutes(11));
  const auto all = orders();
  ASSERT_EQ(count(Kind::hub), 1u);
  for (const auto& o : all) {
    if (o.kind == Kind::hub) {
      EXPECT_EQ(o.target, "hub-a");
    }
  }
}

TEST_F(MaintenanceObserverTest, AccessFindsDoorsThroughDevicesAndNeverAnotherSitesDoor) {
  w_.server.on_server([&] {
    const access::Policy& policy = w_.server.node().access().policy();
    const std::string resident = w_.accounts["resident"];
    const auto now = w_.server.clock().now();
    // u204 is in the resident's unit; the lobby is a common door; e1 is s2's.
    EXPECT_TRUE(policy.check(resident, access::Action::operate_lock, {"s1", {}, "u204"}, now));
    EXPECT_TRUE(policy.check(resident, access::Action::operate_lock, {"s1", {}, "lobby"}, now));
    auto theirs = policy.check(resident, access::Action::operate_lock, {"s1", {}, "e1"}, now);
    ASSERT_FALSE(theirs);
    EXPECT_EQ(theirs.error().code, Errc::not_found);
    // A unit with a door cannot be removed; one without can.
    const std::string owner = w_.accounts["owner"];
    access::Units& units = w_.server.node().access().units();
    ASSERT_TRUE(units.create(owner, "s1", {"s1", "206", "Apartment 206"}));
    ASSERT_TRUE(units.create(owner, "s1", {"s1", "207", "Apartment 207"}));
    devices::LockSpec spec;
    spec.site = "s1";
    spec.id = "u206";
    spec.name = "Door of 206";
    spec.unit = "206";
    ASSERT_TRUE(w_.server.node().devices().add_lock(spec, "system:test"));
    auto with_door = units.remove(owner, "s1", "206");
    ASSERT_FALSE(with_door);
    EXPECT_EQ(with_door.error().code, Errc::conflict);
    EXPECT_TRUE(units.remove(owner, "s1", "207"));
  });
}

}  // namespace
}  // namespace server
