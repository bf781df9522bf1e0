// The MQTT client without a broker: what it refuses up front, and its descriptor budget (the
// simulator runs 10,000 clients under a hard limit of 20,000 descriptors).

#include "transport/mqtt_client.hpp"

#include <dirent.h>

#include <gtest/gtest.h>

#include "tests/support/run_until.hpp"
#include "transport/broker_process.hpp"

namespace {

using transport::ClientState;
using transport::MqttClient;
using transport::TransportError;

int open_descriptors() {
  int count = 0;
  DIR* dir = ::opendir("/proc/self/fd");
  while (::readdir(dir) != nullptr)
    ++count;
  ::closedir(dir);
  return count;
}

transport::ClientOptions options_for(std::string login) {
  transport::ClientOptions options;
  options.username = std::move(login);
  options.password.assign(8, 'x');  // not = "x": GCC 12 -Wrestrict misfires at -O3
  return options;
}

TEST(MqttClient, IdleClientsHoldNoDescriptors) {
  boost::asio::io_context io;
  // The first client brings up the io_context's reactor (epoll, eventfd, timerfd): not ours.
  auto first = MqttClient::create(io, options_for("lock/s/first"));
  ASSERT_TRUE(first.ok());
  const int before = open_descriptors();
  std::vector<MqttClient> clients;
  for (int i = 0; i < 200; ++i) {
    std::string login = "lock/s/";  // appended: GCC 12's -Wrestrict misfires on "..." + at -O3
    auto client = MqttClient::create(io, options_for(login.append(std::to_string(i))));
    ASSERT_TRUE(client.ok());
    clients.push_back(std::move(*client));
  }
  // Plain libmosquitto opens a socket pair per handle; ours opens nothing until connect().
  EXPECT_EQ(open_descriptors(), before);
  clients.clear();
  EXPECT_EQ(open_descriptors(), before);
}

TEST(MqttClient, RefusesAWillItCannotSend) {
  boost::asio::io_context io;
  auto options = options_for("lock/s/a");
  options.will = transport::Will{"latchkey/v1/+/a/status", "offline", 1, true};
  auto client = MqttClient::create(io, options);
  ASSERT_FALSE(client.ok());
  EXPECT_EQ(client.error(), TransportError::invalid_argument);
}

TEST(MqttClient, BeforeConnectingPublishIsRefusedAndSubscribeIsRemembered) {
  boost::asio::io_context io;
  auto client = MqttClient::create(io, options_for("lock/s/a"));
  ASSERT_TRUE(client.ok());
  EXPECT_EQ(client->state(), ClientState::idle);
  auto published = client->publish("latchkey/v1/s/a/event", "{}", 1, false);
  ASSERT_FALSE(published.ok());
  EXPECT_EQ(published.error(), TransportError::not_connected);
  auto subscribed = client->subscribe("latchkey/v1/s/a/cmd", 1);
  ASSERT_TRUE(subscribed.ok());
  EXPECT_EQ(*subscribed, 0);  // no SUBSCRIBE sent yet
  EXPECT_EQ(client->subscribe("latchkey/v1/s/a/cmd", 3).error(), TransportError::invalid_argument);
}

TEST(MqttClient, DisconnectWhileBackingOffStopsRetrying) {
  boost::asio::io_context io;
  auto port = transport::pick_free_port();
  ASSERT_TRUE(port.ok());
  auto options = options_for("lock/s/a");
  options.port = *port;  // nobody listens
  options.reconnect_initial = std::chrono::milliseconds(5);
  options.reconnect_max = std::chrono::milliseconds(10);
  auto client = MqttClient::create(io, options);
  ASSERT_TRUE(client.ok());
  int attempts = 0;
  client->on_connect([&](const transport::ConnectResult& r) {
    ++attempts;
    EXPECT_EQ(r.outcome, transport::ConnectOutcome::network_error);
  });
  client->connect();
  ASSERT_TRUE(testsupport::run_until(io, [&] { return attempts >= 2; }));
  client->disconnect();
  EXPECT_EQ(client->state(), ClientState::idle);
  const int stopped_at = attempts;
  // With no retry pending the io_context runs out of work at once.
  io.restart();
  io.run_for(std::chrono::milliseconds(100));
  EXPECT_EQ(attempts, stopped_at);
}

TEST(MqttClient, ACallbackMayDestroyItsOwnClient) {
  boost::asio::io_context io;
  auto port = transport::pick_free_port();
  ASSERT_TRUE(port.ok());
  auto options = options_for("lock/s/a");
  options.port = *port;
  auto created = MqttClient::create(io, options);
  ASSERT_TRUE(created.ok());
  auto client = std::make_unique<MqttClient>(std::move(*created));
  bool called = false;
  client->on_connect([&](const transport::ConnectResult&) {
    called = true;
    client.reset();  // teardown is deferred until libmosquitto is off the stack
  });
  client->connect();
  ASSERT_TRUE(testsupport::run_until(io, [&] { return called; }));
  io.restart();
  io.run_for(std::chrono::milliseconds(50));
  EXPECT_EQ(client, nullptr);
}

}  // namespace
