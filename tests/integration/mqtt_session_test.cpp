// Connection life against the real broker: the last will on an abrupt end and none on a clean
// disconnect, refused credentials told apart from network failures, and reconnecting.

#include <gtest/gtest.h>

#include "protocol/topics.hpp"
#include "tests/support/device_logins.hpp"
#include "tests/support/recording_client.hpp"
#include "tests/support/test_broker.hpp"
#include "transport/broker_process.hpp"

namespace {

using protocol::Channel;
using protocol::make_topic;
using testsupport::RecordingClient;
using transport::ConnectOutcome;
using transport::MqttVersion;

class Session : public testsupport::BrokerTest, public ::testing::WithParamInterface<MqttVersion> {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(
        start_broker({transport::server_login(), testsupport::lock_account("site1", "front")}));
    server_ = std::make_unique<RecordingClient>(io, broker->client_options("server"));
    ASSERT_TRUE(server_->client().subscribe(make_topic("site1", "front", Channel::status), 1).ok());
    server_->client().connect();
    ASSERT_TRUE(wait_for([&] { return server_->connected() && !server_->subacks.empty(); }));
  }

  // A lock whose will is a retained "offline" on its status topic, as DESIGN section 4 says.
  std::unique_ptr<RecordingClient> make_lock() {
    auto options = broker->client_options("lock/site1/front", GetParam());
    options.will =
        transport::Will{make_topic("site1", "front", Channel::status), "offline", 1, true};
    auto lock = std::make_unique<RecordingClient>(io, options);
    lock->client().connect();
    EXPECT_TRUE(wait_for([&] { return lock->connected(); }));
    auto online =
        lock->client().publish(make_topic("site1", "front", Channel::status), "online", 1, true);
    EXPECT_TRUE(online.ok());
    EXPECT_TRUE(wait_for([&] { return server_->messages.size() == 1; }));
    return lock;
  }

  std::vector<std::string> statuses() const {
    std::vector<std::string> seen;
    for (const auto& m : server_->messages)
      seen.push_back(m.payload);
    return seen;
  }

  std::unique_ptr<RecordingClient> server_;
};

TEST_P(Session, DroppedConnectionPublishesTheWillThenTheClientReconnects) {
  auto lock = make_lock();
  lock->client().drop_connection();
  // The broker's will and the lock's own end-of-file arrive in either order.
  ASSERT_TRUE(
      wait_for([&] { return server_->messages.size() == 2 && !lock->disconnects.empty(); }));
  EXPECT_EQ(statuses(), (std::vector<std::string>{"online", "offline"}));
  ASSERT_EQ(lock->disconnects.size(), 1u);
  EXPECT_FALSE(lock->disconnects[0].requested);
  ASSERT_TRUE(wait_for([&] { return lock->accepted_connects() == 2; }));
}

TEST_P(Session, DestroyingAConnectedClientIsAnAbruptEndWithAWill) {
  auto lock = make_lock();
  lock.reset();  // as if the process died: the socket closes without DISCONNECT
  ASSERT_TRUE(wait_for([&] { return server_->messages.size() == 2; }));
  EXPECT_EQ(server_->messages[1].payload, "offline");
}

TEST_P(Session, CleanDisconnectSendsNoWillAndDoesNotReconnect) {
  auto lock = make_lock();
  lock->client().disconnect();
  ASSERT_TRUE(wait_for([&] { return !lock->disconnects.empty(); }));
  EXPECT_TRUE(lock->disconnects[0].requested);
  EXPECT_EQ(lock->client().state(), transport::ClientState::idle);

  // Proof of absence without sleeping: the lock comes back and says "online" again. Had a will
  // been published it would have reached the server before that second "online".
  lock->client().connect();
  ASSERT_TRUE(wait_for([&] { return lock->connected(); }));
  ASSERT_TRUE(lock->client()
                  .publish(make_topic("site1", "front", Channel::status), "online", 1, true)
                  .ok());
  ASSERT_TRUE(wait_for([&] { return server_->messages.size() >= 2; }));
  EXPECT_EQ(statuses(), (std::vector<std::string>{"online", "online"}));
  EXPECT_EQ(lock->accepted_connects(), 2);
}

TEST_P(Session, WrongPasswordIsReportedAsBadCredentialsAndNotRetried) {
  auto options = broker->client_options("lock/site1/front", GetParam());
  options.password = "not-the-password";
  RecordingClient lock(io, options);
  lock.client().connect();
  ASSERT_TRUE(wait_for([&] { return !lock.connects.empty(); }));
  const transport::ConnectResult& result = lock.connects[0];
  // Mosquitto 2.0.11 answers a wrong password with "not authorised" (v3.1.1 code 5, v5 reason
  // 135), not "bad user name or password"; either way it is the broker's verdict, not a network
  // failure, and retrying cannot fix it.
  EXPECT_EQ(result.outcome, ConnectOutcome::not_authorized);
  EXPECT_EQ(result.reason_code, GetParam() == MqttVersion::v5 ? 135 : 5);
  EXPECT_FALSE(result.will_retry);
  ASSERT_TRUE(wait_for([&] { return lock.client().state() == transport::ClientState::idle; }));
  EXPECT_TRUE(lock.disconnects.empty());  // it never was connected
}

TEST_P(Session, UnknownLoginIsRefusedTheSameWay) {
  auto options = broker->client_options("lock/site1/front", GetParam());
  options.username = options.client_id = "lock/site1/nobody";
  RecordingClient lock(io, options);
  lock.client().connect();
  ASSERT_TRUE(wait_for([&] { return !lock.connects.empty(); }));
  EXPECT_EQ(lock.connects[0].outcome, ConnectOutcome::not_authorized);
  EXPECT_FALSE(lock.connects[0].will_retry);
}

TEST_P(Session, NoBrokerListeningIsANetworkErrorThatKeepsRetrying) {
  auto port = transport::pick_free_port();
  ASSERT_TRUE(port.ok());
  auto options = broker->client_options("lock/site1/front", GetParam());
  options.port = *port;  // nothing listens there
  options.reconnect_initial = std::chrono::milliseconds(10);
  options.reconnect_max = std::chrono::milliseconds(20);
  RecordingClient lock(io, options);
  lock.client().connect();
  ASSERT_TRUE(wait_for([&] { return lock.connects.size() >= 3; }));
  for (const auto& attempt : lock.connects) {
    EXPECT_EQ(attempt.outcome, ConnectOutcome::network_error);
    EXPECT_EQ(attempt.reason_code, -1);
    EXPECT_TRUE(attempt.will_retry);
  }
  EXPECT_EQ(lock.connects[0].sys_errno, ECONNREFUSED);
  lock.client().disconnect();  // stops the retries
  EXPECT_EQ(lock.client().state(), transport::ClientState::idle);
}

INSTANTIATE_TEST_SUITE_P(Versions, Session, ::testing::Values(MqttVersion::v311, MqttVersion::v5),
                         [](const auto& info) {
                           return info.param == MqttVersion::v5 ? "v5" : "v311";
                         });

}  // namespace
