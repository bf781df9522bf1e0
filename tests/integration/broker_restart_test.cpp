// Surviving the broker: clients reconnect by themselves after BrokerProcess::restart(), restore
// their subscriptions, and QoS 1 traffic flows again; persistent sessions and in-flight QoS 1
// messages survive as Mosquitto's persistence allows (shared/research/perf_security.md 3.1).

#include <signal.h>

#include <gtest/gtest.h>

#include "protocol/topics.hpp"
#include "tests/support/device_logins.hpp"
#include "tests/support/recording_client.hpp"
#include "tests/support/test_broker.hpp"

namespace {

using protocol::Channel;
using protocol::make_topic;
using testsupport::RecordingClient;

class BrokerRestart : public testsupport::BrokerTest {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(
        start_broker({transport::server_login(), testsupport::lock_account("site1", "front")}));
  }
};

TEST_F(BrokerRestart, ClientsReconnectResubscribeAndQos1FlowsAgain) {
  RecordingClient server(io, broker->client_options("server"));
  RecordingClient lock(io, broker->client_options("lock/site1/front"));
  ASSERT_TRUE(server.client().subscribe("latchkey/v1/+/+/event", 1).ok());
  ASSERT_TRUE(lock.client().subscribe(make_topic("site1", "front", Channel::cmd), 1).ok());
  server.client().connect();
  lock.client().connect();
  ASSERT_TRUE(wait_for([&] { return server.subacks.size() == 1 && lock.subacks.size() == 1; }));
  const int port = broker->port();

  auto restarted = broker->process().restart();
  ASSERT_TRUE(restarted.ok()) << restarted.error().message;
  EXPECT_EQ(broker->port(), port);

  ASSERT_TRUE(wait_for([&] {
    return server.accepted_connects() == 2 && lock.accepted_connects() == 2 &&
           server.subacks.size() == 2 && lock.subacks.size() == 2;
  }));
  EXPECT_FALSE(server.disconnects.at(0).requested);
  EXPECT_FALSE(lock.disconnects.at(0).requested);

  auto event =
      lock.client().publish(make_topic("site1", "front", Channel::event), "after", 1, false);
  auto cmd =
      server.client().publish(make_topic("site1", "front", Channel::cmd), "unlock", 1, false);
  ASSERT_TRUE(event.ok() && cmd.ok());
  ASSERT_TRUE(wait_for([&] {
    return server.messages.size() == 1 && lock.messages.size() == 1 && lock.acked(*event) &&
           server.acked(*cmd);
  }));
  EXPECT_EQ(server.messages[0].payload, "after");
  EXPECT_EQ(lock.messages[0].payload, "unlock");
}

class PersistentSession : public BrokerRestart,
                          public ::testing::WithParamInterface<transport::MqttVersion> {};

TEST_P(PersistentSession, KeepsQueuedCommandsAcrossACleanRestart) {
  auto lock_options = broker->client_options("lock/site1/front", GetParam());
  lock_options.clean_session = false;
  {
    RecordingClient lock(io, lock_options);
    ASSERT_TRUE(lock.client().subscribe(make_topic("site1", "front", Channel::cmd), 1).ok());
    lock.client().connect();
    ASSERT_TRUE(wait_for([&] { return lock.subacks.size() == 1; }));
    lock.client().disconnect();
    ASSERT_TRUE(wait_for([&] { return !lock.disconnects.empty(); }));
  }
  RecordingClient server(io, broker->client_options("server"));
  server.client().connect();
  ASSERT_TRUE(wait_for([&] { return server.connected(); }));
  auto queued =
      server.client().publish(make_topic("site1", "front", Channel::cmd), "queued", 1, false);
  ASSERT_TRUE(queued.ok());
  ASSERT_TRUE(wait_for([&] { return server.acked(*queued); }));

  auto restarted = broker->process().restart();  // SIGTERM: Mosquitto saves its database
  ASSERT_TRUE(restarted.ok()) << restarted.error().message;

  RecordingClient lock(io, lock_options);
  lock.client().connect();
  ASSERT_TRUE(wait_for([&] { return !lock.messages.empty(); }));
  EXPECT_TRUE(lock.connects.at(0).session_present);
  EXPECT_TRUE(lock.subacks.empty());  // the broker kept the subscription: none sent again
  EXPECT_EQ(lock.messages[0].payload, "queued");
}

INSTANTIATE_TEST_SUITE_P(Versions, PersistentSession,
                         ::testing::Values(transport::MqttVersion::v311,
                                           transport::MqttVersion::v5),
                         [](const auto& info) {
                           return info.param == transport::MqttVersion::v5 ? "v5" : "v311";
                         });

TEST_F(BrokerRestart, UnacknowledgedQos1PublishIsRetransmittedAfterACrash) {
  RecordingClient lock(io, broker->client_options("lock/site1/front"));
  lock.client().connect();
  ASSERT_TRUE(wait_for([&] { return lock.connected(); }));

  // Frozen, the broker takes the PUBLISH into its socket buffer but never answers it.
  ASSERT_EQ(::kill(broker->process().pid(), SIGSTOP), 0);
  auto pending =
      lock.client().publish(make_topic("site1", "front", Channel::event), "e1", 1, false);
  ASSERT_TRUE(pending.ok());
  EXPECT_FALSE(wait_for([&] { return lock.acked(*pending); }, std::chrono::milliseconds(200)));
  ASSERT_TRUE(broker->process().kill().ok());
  auto restarted = broker->process().restart();
  ASSERT_TRUE(restarted.ok()) << restarted.error().message;

  ASSERT_TRUE(wait_for([&] { return lock.acked(*pending); }));
  EXPECT_EQ(lock.accepted_connects(), 2);
}

}  // namespace
