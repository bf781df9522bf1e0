// UnregisteredRetained: the newest retained message per unregistered device and channel, handed
// over once, and bounded so that unknown logins cannot grow the server's memory.

#include "server/devices/unregistered_retained.hpp"

#include <gtest/gtest.h>

namespace server::devices {
namespace {

protocol::Topic topic(std::string_view device, protocol::Channel channel) {
  protocol::Topic t;
  EXPECT_TRUE(t.site.assign("s1"));
  EXPECT_TRUE(t.device.assign(device));
  t.channel = channel;
  return t;
}

TEST(UnregisteredRetained, KeepsTheNewestPerChannelAndHandsThemOverOnce) {
  UnregisteredRetained kept;
  kept.keep(topic("u1", protocol::Channel::status), "offline");
  kept.keep(topic("u1", protocol::Channel::status), "online");
  kept.keep(topic("u1", protocol::Channel::state), "{}");
  EXPECT_EQ(kept.size(), 2u);
  auto taken = kept.take("s1", "u1");
  ASSERT_EQ(taken.size(), 2u);
  EXPECT_EQ(taken[0].second, "online");
  EXPECT_EQ(taken[1].second, "{}");
  EXPECT_TRUE(kept.take("s1", "u1").empty());
  EXPECT_EQ(kept.size(), 0u);
}

TEST(UnregisteredRetained, PastItsCapacityNewDevicesAreNotKeptButKnownOnesStillUpdate) {
  UnregisteredRetained kept(2);
  kept.keep(topic("u1", protocol::Channel::status), "online");
  kept.keep(topic("u2", protocol::Channel::status), "online");
  kept.keep(topic("u3", protocol::Channel::status), "online");  // a flood of unknown logins
  kept.keep(topic("u1", protocol::Channel::status), "offline");
  EXPECT_EQ(kept.size(), 2u);
  EXPECT_TRUE(kept.take("s1", "u3").empty());
  auto u1 = kept.take("s1", "u1");
  ASSERT_EQ(u1.size(), 1u);
  EXPECT_EQ(u1[0].second, "offline");
}

}  // namespace
}  // namespace server::devices
