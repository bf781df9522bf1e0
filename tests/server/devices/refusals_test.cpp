// Anything malformed, oversized, for an unknown device or on a channel the device may not use is
// refused: nothing changes, it is counted, and it is audited at most once per window per device.

#include <gtest/gtest.h>

#include "protocol/codec.hpp"
#include "protocol/topics.hpp"
#include "tests/server/devices/loopback_site.hpp"

namespace devicestest {
namespace {

using namespace std::chrono_literals;
using server::audit::AuditType;

class Refusals : public LoopbackSite {
 protected:
  void send(std::string_view topic, std::string_view payload) {
    devices->receive(topic, payload);
    settle();
  }
  std::string topic(std::string_view device, protocol::Channel channel) {
    return protocol::make_topic(kSite, device, channel);
  }
};

TEST_F(Refusals, MalformedMessagesChangeNothingAndANoisyLockIsAuditedOncePerWindow) {
  add_lock("u204");
  const auto before = *devices->health(kSite, "u204");
  const std::string bad[] = {
      "not json",
      R"({"v":2,"status":"online"})",
      R"({"v":1,"bolt":"open"})",
      R"({"v":1,"bolt":"locked","door":"closed","keypad":"ok","battery":{"pct":180,"mv":5600},"rssi":-60,"firmware":"2.4.1","epoch":1,"seq":1,"paired":true,"motor_fault":false,"pairing_key":"00"})",
      R"({"v":1,"bolt":"unlocked'); DROP TABLE device_locks; --"})",
      std::string(protocol::kMaxMessageBytes + 1, ' '),
  };
  for (const std::string& payload : bad)
    send(topic("u204", protocol::Channel::state), payload);
  const auto after = *devices->health(kSite, "u204");
  EXPECT_EQ(after.bolt, before.bolt);
  EXPECT_EQ(after.battery_pct, before.battery_pct);
  EXPECT_EQ(devices->stats().refused, std::size(bad));
  EXPECT_EQ(audits(AuditType::message_refused).size(), 1u);
  EXPECT_NE(metrics.render().find("latchkey_device_messages_refused_total{reason=\"decode\"}"),
            std::string::npos);

  advance(11min);
  send(topic("u204", protocol::Channel::event), "[]");
  auto entries = audits(AuditType::message_refused);
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_NE(entries[0].record.detail.find("\"suppressed\":5"), std::string::npos)
      << entries[0].record.detail;
  EXPECT_EQ(entries[0].record.subject, "lock:u204");
}

TEST_F(Refusals, UnknownDevicesWrongChannelsAndBadTopicsAreRefused) {
  add_lock("u204");
  ASSERT_TRUE(devices->add_hub({std::string(kSite), "hub-1", "Hub"}, "account:acc_manager"));
  const std::string online = protocol::encode(protocol::DeviceStatus::online);
  send(topic("u999", protocol::Channel::status), online);  // not registered
  send(protocol::make_topic("other-site", "u204", protocol::Channel::status), online);
  send(topic("u204", protocol::Channel::links), R"({"v":1,"links":[]})");  // a lock has no links
  send(topic("hub-1", protocol::Channel::event), R"({"v":1,"seq":1,"ts":1,"type":"jammed"})");
  send("latchkey/v1/maple-court/u204'--/status", online);
  send("latchkey/v1/maple-court/u204/status/extra", online);
  // A hub reporting a lock it does not link.
  send(topic("hub-1", protocol::Channel::links),
       R"({"v":1,"links":[{"lock":"u204","up":false,"rssi":-90}]})");
  EXPECT_EQ(devices->stats().refused, 7u);
  EXPECT_EQ(devices->health(kSite, "u204")->reachability, server::devices::Reachability::online);
  EXPECT_FALSE(devices->lock(kSite, "u999"));
  EXPECT_FALSE(devices->lock("other-site", "u204"));
}

}  // namespace
}  // namespace devicestest
