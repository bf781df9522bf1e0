// Health: reachability from status, state and (for hub locks) the hub's status and links; each
// transition audited once; flaky after repeated drops; battery samples for trends.

#include <gtest/gtest.h>

#include "protocol/codec.hpp"
#include "protocol/topics.hpp"
#include "tests/server/devices/loopback_site.hpp"

namespace devicestest {
namespace {

using namespace std::chrono_literals;
using server::audit::AuditType;
using server::devices::Reachability;

class Health : public LoopbackSite {
 protected:
  void hub_says(std::string_view hub, protocol::Channel channel, std::string payload) {
    devices->receive(protocol::make_topic(kSite, hub, channel), payload, true);
    settle();
  }
  static std::string links(bool up) {
    protocol::HubLinks l;
    protocol::HubLink link;
    [[maybe_unused]] bool ok = link.lock.assign("u205");
    link.up = up;
    link.rssi = -70;
    ok = l.links.push_back(link);
    return protocol::encode(l);
  }
};

TEST_F(Health, AWifiLockIsOnlineWhileItsStatusSaysSoAndEachTransitionIsAuditedOnce) {
  add_lock("u204");
  auto h = devices->health(kSite, "u204");
  ASSERT_TRUE(h);
  EXPECT_EQ(h->reachability, Reachability::online);
  EXPECT_TRUE(h->has_state);
  EXPECT_EQ(h->bolt, lockcore::BoltState::locked);
  EXPECT_EQ(h->firmware, "2.4.1");
  EXPECT_EQ(audits(AuditType::lock_online).size(), 1u);

  lock("u204").set_link(false);
  settle();
  h = devices->health(kSite, "u204");
  EXPECT_EQ(h->reachability, Reachability::offline);
  EXPECT_EQ(h->offline_reason, "lock u204 is offline");
  EXPECT_EQ(audits(AuditType::lock_offline).size(), 1u);

  // The same status again (a retained redelivery) is not a transition.
  devices->receive(protocol::make_topic(kSite, "u204", protocol::Channel::status),
                   protocol::encode(protocol::DeviceStatus::offline), true);
  settle();
  EXPECT_EQ(audits(AuditType::lock_offline).size(), 1u);
  EXPECT_FALSE(h->flaky);
}

TEST_F(Health, ThreeDropsInADayMakeALockFlakyAndADayLaterItIsNotAnyMore) {
  add_lock("u204");
  for (int i = 0; i < 3; ++i) {
    lock("u204").set_link(false);
    advance(60s);
    lock("u204").set_link(true);
    advance(60s);
  }
  auto h = devices->health(kSite, "u204");
  EXPECT_TRUE(h->flaky);
  EXPECT_EQ(h->offline_transitions_24h, 3u);
  advance(std::chrono::hours(25));
  EXPECT_FALSE(devices->health(kSite, "u204")->flaky);
}

TEST_F(Health, AHubLockIsReachableOnlyWhenTheHubIsOnlineAndItsLinkIsUp) {
  ASSERT_TRUE(devices->add_hub({std::string(kSite), "hub-1", "Hub"}, "account:acc_manager"));
  server::devices::LockSpec spec;
  spec.link = "hub-1";
  add_lock("u205", spec);
  // The lock's own status is online, but nothing is known of its hub yet.
  EXPECT_EQ(devices->health(kSite, "u205")->reachability, Reachability::unknown);

  hub_says("hub-1", protocol::Channel::status, protocol::encode(protocol::DeviceStatus::online));
  hub_says("hub-1", protocol::Channel::links, links(true));
  EXPECT_EQ(devices->health(kSite, "u205")->reachability, Reachability::online);
  EXPECT_EQ(devices->hub_health(kSite, "hub-1")->reachability, Reachability::online);

  hub_says("hub-1", protocol::Channel::links, links(false));
  auto h = devices->health(kSite, "u205");
  EXPECT_EQ(h->reachability, Reachability::offline);
  EXPECT_EQ(h->offline_reason, "the link from hub hub-1 to lock u205 is down");

  hub_says("hub-1", protocol::Channel::links, links(true));
  hub_says("hub-1", protocol::Channel::status, protocol::encode(protocol::DeviceStatus::offline));
  h = devices->health(kSite, "u205");
  EXPECT_EQ(h->reachability, Reachability::offline);
  EXPECT_EQ(h->offline_reason, "hub hub-1 is offline");
  EXPECT_EQ(audits(AuditType::hub_offline).size(), 1u);
  EXPECT_EQ(audits(AuditType::hub_online).size(), 1u);
  EXPECT_EQ(audits(AuditType::lock_offline).size(), 2u);
  EXPECT_EQ(audits(AuditType::lock_online).size(), 2u);
}

TEST_F(Health, LoadingTheRegistryAgainKeepsAHubsLocksFollowingTheHub) {
  ASSERT_TRUE(devices->add_hub({std::string(kSite), "hub-1", "Hub"}, "account:acc_manager"));
  server::devices::LockSpec spec;
  spec.link = "hub-1";
  add_lock("u205", spec);
  // start() again reloads every record from the store over the ones already held (as when a
  // caller registers devices before starting); the hub's list of locks must follow.
  ASSERT_TRUE(devices->start());
  hub_says("u205", protocol::Channel::status, protocol::encode(protocol::DeviceStatus::online));
  hub_says("hub-1", protocol::Channel::status, protocol::encode(protocol::DeviceStatus::online));
  hub_says("hub-1", protocol::Channel::links, links(true));
  EXPECT_EQ(devices->health(kSite, "u205")->reachability, Reachability::online);
  hub_says("hub-1", protocol::Channel::status, protocol::encode(protocol::DeviceStatus::offline));
  EXPECT_EQ(devices->health(kSite, "u205")->reachability, Reachability::offline);
}

TEST_F(Health, BatterySamplesAreKeptForTrendsAndTheStateSurvivesARestart) {
  LoopLock& l = add_lock("u204");
  advance(1min);
  l.with_firmware([](lockcore::Lock& lock, lockcore::model::ModelHardware& hw) {
    hw.battery().set_percent(15);
    lock.poll();
    return 0;
  });
  settle();
  auto h = devices->health(kSite, "u204");
  EXPECT_LT(h->battery_pct, 20);
  auto samples = devices->battery_history(kSite, "u204", 0, kStart + 1'000'000);
  ASSERT_TRUE(samples);
  ASSERT_GE(samples->size(), 2u);
  EXPECT_GT(samples->front().pct, samples->back().pct);

  restart_server();
  h = devices->health(kSite, "u204");
  EXPECT_LT(h->battery_pct, 20);
  EXPECT_EQ(h->reachability, Reachability::online);
  // Coming back with the same status is no transition.
  EXPECT_EQ(audits(AuditType::lock_online).size(), 1u);
}

TEST_F(Health, ObserversHearOfChanges) {
  struct Recorder : server::devices::Observer {
    void on_health_change(const server::devices::LockHealth& h) override { seen.push_back(h); }
    std::vector<server::devices::LockHealth> seen;
  } recorder;
  devices->add_observer(&recorder);
  add_lock("u204");
  lock("u204").set_link(false);
  settle();
  ASSERT_FALSE(recorder.seen.empty());
  EXPECT_EQ(recorder.seen.back().reachability, Reachability::offline);
  devices->remove_observer(&recorder);
}

// A lock online before the manager registers it: the broker sent its retained status and state
// once, when the server subscribed, and they are heard as soon as the lock is registered. Its
// non-retained messages (events) from before are not: only the lock's resend brings those.
TEST_F(Health, ALockHeardBeforeItIsRegisteredIsKnownTheMomentItIs) {
  lockcore::StateReport state;
  state.bolt = lockcore::BoltState::unlocked;
  ASSERT_TRUE(state.firmware.assign("2.4.1"));
  devices->receive(protocol::make_topic(kSite, "u300", protocol::Channel::status),
                   protocol::encode(protocol::DeviceStatus::online), true);
  devices->receive(protocol::make_topic(kSite, "u300", protocol::Channel::state),
                   protocol::encode(state), true);
  settle();
  server::devices::LockSpec spec;
  spec.site = std::string(kSite);
  spec.id = "u300";
  spec.name = "Apartment 300";
  ASSERT_TRUE(devices->add_lock(spec, "account:acc_manager"));
  settle();
  auto h = devices->health(kSite, "u300");
  ASSERT_TRUE(h);
  EXPECT_EQ(h->reachability, Reachability::online);
  EXPECT_TRUE(h->has_state);
  EXPECT_EQ(h->bolt, lockcore::BoltState::unlocked);
}

}  // namespace
}  // namespace devicestest
