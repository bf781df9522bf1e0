// The MQTT client against the real broker: connecting, QoS 1 publish/subscribe both ways,
// retained messages, for MQTT 3.1.1 and 5.

#include <gtest/gtest.h>

#include "protocol/topics.hpp"
#include "tests/support/device_logins.hpp"
#include "tests/support/recording_client.hpp"
#include "tests/support/test_broker.hpp"

namespace {

using protocol::Channel;
using protocol::make_topic;
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

  auto lock_sub = lock.client().subscribe(make_topic("site1", "front", Channel::cmd), 1);
  auto server_sub = server.client().subscribe("latchkey/v1/site1/+/ack", 1);
  ASSERT_TRUE(lock_sub.ok() && server_sub.ok());
  ASSERT_TRUE(wait_for([&] { return lock.suback(*lock_sub) && server.suback(*server_sub); }));
  EXPECT_EQ(lock.suback(*lock_sub)->granted, std::vector<int>{1});

  auto cmd = server.client().publish(make_topic("site1", "front", Channel::cmd),
                                     R"({"v":1,"id":"c1"})", 1, false);
  ASSERT_TRUE(cmd.ok());
  ASSERT_TRUE(wait_for([&] { return !lock.messages.empty() && server.acked(*cmd); }));
  EXPECT_EQ(lock.messages[0].payload, R"({"v":1,"id":"c1"})");
  EXPECT_EQ(lock.messages[0].qos, 1);
  EXPECT_FALSE(lock.messages[0].retained);

  auto ack = lock.client().publish(make_topic("site1", "front", Channel::ack),
                                   R"({"v":1,"id":"c1"})", 1, false);
  ASSERT_TRUE(ack.ok());
  ASSERT_TRUE(wait_for([&] { return !server.messages.empty() && lock.acked(*ack); }));
  EXPECT_EQ(server.messages[0].topic, make_topic("site1", "front", Channel::ack));
  EXPECT_EQ(lock.ack_reason(*ack), 0);
}

INSTANTIATE_TEST_SUITE_P(Versions, RoundTrip, ::testing::Values(MqttVersion::v311, MqttVersion::v5),
                         [](const auto& info) {
                           return info.param == MqttVersion::v5 ? "v5" : "v311";
                         });

}  // namespace

namespace {

class Basics : public testsupport::BrokerTest {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(
        start_broker({transport::server_login(), transport::server_login("server-2"),
                      testsupport::lock_account("site1", "front")}));
  }
};

TEST_F(Basics, RetainedStateReachesALateSubscriberMarkedRetained) {
  RecordingClient lock(io, broker->client_options("lock/site1/front"));
  lock.client().connect();
  ASSERT_TRUE(wait_for([&] { return lock.connected(); }));
  auto published = lock.client().publish(make_topic("site1", "front", Channel::state),
                                         R"({"v":1,"bolt":"locked"})", 1, true);
  ASSERT_TRUE(published.ok());
  ASSERT_TRUE(wait_for([&] { return lock.acked(*published); }));

  RecordingClient server(io, broker->client_options("server"));
  ASSERT_TRUE(server.client()
                  .subscribe("latchkey/v1/+/+/state", 1)
                  .ok());  // remembered, sent once connected
  server.client().connect();
  ASSERT_TRUE(wait_for([&] { return !server.messages.empty(); }));
  EXPECT_TRUE(server.messages[0].retained);
  EXPECT_EQ(server.messages[0].payload, R"({"v":1,"bolt":"locked"})");

  // A live publish on the same topic is not marked retained for a subscriber already there.
  auto live =
      lock.client().publish(make_topic("site1", "front", Channel::state), R"({"v":1})", 1, true);
  ASSERT_TRUE(live.ok());
  ASSERT_TRUE(wait_for([&] { return server.messages.size() == 2; }));
  EXPECT_FALSE(server.messages[1].retained);
}

TEST_F(Basics, PublishingWhileNotConnectedIsRefusedAndNothingIsSentLater) {
  RecordingClient server(io, broker->client_options("server"));
  ASSERT_TRUE(server.client().subscribe("latchkey/v1/#", 1).ok());
  server.client().connect();
  ASSERT_TRUE(wait_for([&] { return server.connected() && !server.subacks.empty(); }));

  RecordingClient lock(io, broker->client_options("lock/site1/front"));
  auto early =
      lock.client().publish(make_topic("site1", "front", Channel::event), "early", 1, false);
  ASSERT_FALSE(early.ok());
  EXPECT_EQ(early.error(), transport::TransportError::not_connected);

  lock.client().connect();
  ASSERT_TRUE(wait_for([&] { return lock.connected(); }));
  auto marker =
      lock.client().publish(make_topic("site1", "front", Channel::event), "marker", 1, false);
  ASSERT_TRUE(marker.ok());
  ASSERT_TRUE(wait_for([&] { return !server.messages.empty(); }));
  // Had libmosquitto queued the early message, it would have arrived before the marker.
  EXPECT_EQ(server.messages[0].payload, "marker");
  EXPECT_TRUE(lock.acks.size() == 1 || wait_for([&] { return lock.acks.size() == 1; }));
}

TEST_F(Basics, OversizedPayloadsAndBadTopicsAreRefusedBeforeReachingTheBroker) {
  auto options = broker->client_options("server");
  options.max_payload_bytes = 1024;
  RecordingClient server(io, options);
  server.client().connect();
  ASSERT_TRUE(wait_for([&] { return server.connected(); }));
  using transport::TransportError;
  EXPECT_EQ(
      server.client().publish("latchkey/v1/a/b/cmd", std::string(1025, 'x'), 1, false).error(),
      TransportError::payload_too_large);
  EXPECT_TRUE(
      server.client().publish("latchkey/v1/a/b/cmd", std::string(1024, 'x'), 1, false).ok());
  EXPECT_EQ(server.client().publish("latchkey/v1/+/b/cmd", "x", 1, false).error(),
            TransportError::invalid_topic);
  EXPECT_EQ(server.client().publish("", "x", 1, false).error(), TransportError::invalid_topic);
  EXPECT_EQ(server.client().publish(std::string_view("a\0b", 3), "x", 1, false).error(),
            TransportError::invalid_topic);
  EXPECT_EQ(server.client().publish("latchkey/v1/a", "x", 3, false).error(),
            TransportError::invalid_argument);
  EXPECT_EQ(server.client().subscribe("latchkey/#/x", 1).error(), TransportError::invalid_topic);
  EXPECT_TRUE(server.connected());
}

TEST_F(Basics, TwoLoginsExchangeManyQos1MessagesInOrder) {
  RecordingClient a(io, broker->client_options("server"));
  RecordingClient b(io, broker->client_options("server-2"));
  ASSERT_TRUE(b.client().subscribe("latchkey/v1/site1/front/cmd", 1).ok());
  a.client().connect();
  b.client().connect();
  ASSERT_TRUE(wait_for([&] { return a.connected() && !b.subacks.empty(); }));
  constexpr int kCount = 500;
  for (int i = 0; i < kCount; ++i) {
    ASSERT_TRUE(
        a.client().publish("latchkey/v1/site1/front/cmd", std::to_string(i), 1, false).ok());
  }
  ASSERT_TRUE(wait_for([&] {
    return b.messages.size() == kCount && a.acks.size() == static_cast<std::size_t>(kCount);
  }));
  for (int i = 0; i < kCount; ++i)
    EXPECT_EQ(b.messages[i].payload, std::to_string(i));
}

}  // namespace
