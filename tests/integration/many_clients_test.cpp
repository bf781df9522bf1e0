// Many clients, each with its own broker login, sharing one io_context on one thread (the
// simulator's shape, scaled down for the sanitized build): all connected at once, each publishes
// and receives.

#include <gtest/gtest.h>

#include "protocol/topics.hpp"
#include "tests/support/device_logins.hpp"
#include "tests/support/recording_client.hpp"
#include "tests/support/test_broker.hpp"

namespace {

using protocol::Channel;
using protocol::make_topic;
using testsupport::RecordingClient;

constexpr int kLocks = 600;

std::string lock_id(int i) {
  std::string id = "l";  // appended: GCC 12's -Wrestrict misfires on "l" + ... at -O3
  return id.append(std::to_string(i));
}

class ManyClients : public testsupport::BrokerTest {
 protected:
  void SetUp() override {
    std::vector<transport::BrokerLogin> logins{transport::server_login()};
    for (int i = 0; i < kLocks; ++i)
      logins.push_back(testsupport::lock_account("big", lock_id(i)));
    ASSERT_NO_FATAL_FAILURE(start_broker(std::move(logins)));
  }
};

TEST_F(ManyClients, SixHundredLocksOnOneIoContextAllConnectPublishAndReceive) {
  RecordingClient server(io, broker->client_options("server"));
  ASSERT_TRUE(server.client().subscribe("latchkey/v1/big/+/state", 1).ok());
  server.client().connect();
  ASSERT_TRUE(wait_for([&] { return !server.subacks.empty(); }));

  std::vector<std::unique_ptr<RecordingClient>> locks;
  for (int i = 0; i < kLocks; ++i) {
    auto options = broker->client_options(transport::lock_login("big", lock_id(i)));
    locks.push_back(std::make_unique<RecordingClient>(io, options));
    ASSERT_TRUE(
        locks.back()->client().subscribe(make_topic("big", lock_id(i), Channel::cmd), 1).ok());
    locks.back()->client().connect();
  }
  auto all = [&](auto predicate) {
    return std::all_of(locks.begin(), locks.end(), [&](const auto& l) { return predicate(*l); });
  };
  ASSERT_TRUE(
      wait_for([&] { return all([](const RecordingClient& l) { return !l.subacks.empty(); }); },
               std::chrono::seconds(60)));
  EXPECT_TRUE(all([](const RecordingClient& l) { return l.accepted_connects() == 1; }));

  for (int i = 0; i < kLocks; ++i) {
    ASSERT_TRUE(locks[i]
                    ->client()
                    .publish(make_topic("big", lock_id(i), Channel::state), lock_id(i), 1, true)
                    .ok());
    ASSERT_TRUE(server.client()
                    .publish(make_topic("big", lock_id(i), Channel::cmd), lock_id(i), 1, false)
                    .ok());
  }
  ASSERT_TRUE(wait_for(
      [&] {
        return server.messages.size() == kLocks && all([](const RecordingClient& l) {
                 return l.messages.size() == 1 && l.acks.size() == 1;
               });
      },
      std::chrono::seconds(60)));
  for (int i = 0; i < kLocks; ++i)
    EXPECT_EQ(locks[i]->messages[0].payload, lock_id(i));
  EXPECT_TRUE(all([](const RecordingClient& l) { return l.disconnects.empty(); }));
}

TEST_F(ManyClients, AfterABrokerRestartAllReconnectThroughTheConnectGate) {
  auto gate = std::make_shared<transport::ConnectGate>(32);
  std::size_t most_connecting = 0;
  RecordingClient server(io, broker->client_options("server"));
  ASSERT_TRUE(server.client().subscribe("latchkey/v1/big/+/event", 1).ok());
  server.client().connect();
  std::vector<std::unique_ptr<RecordingClient>> locks;
  for (int i = 0; i < kLocks; ++i) {
    auto options = broker->client_options(transport::lock_login("big", lock_id(i)));
    options.connect_gate = gate;
    locks.push_back(std::make_unique<RecordingClient>(io, options));
    RecordingClient* lock = locks.back().get();
    lock->client().on_connect([&, lock](const transport::ConnectResult& result) {
      lock->connects.push_back(result);
      most_connecting = std::max(most_connecting, gate->connecting());
    });
    locks.back()->client().connect();
  }
  auto all_connected = [&](int times) {
    return std::all_of(locks.begin(), locks.end(), [&](const auto& l) {
      return l->connected() && l->connects.size() == static_cast<std::size_t>(times);
    });
  };
  ASSERT_TRUE(
      wait_for([&] { return all_connected(1) && server.connected(); }, std::chrono::seconds(60)));
  EXPECT_EQ(gate->waiting(), 0u);

  auto restarted = broker->process().restart();
  ASSERT_TRUE(restarted.ok()) << restarted.error().message;
  ASSERT_TRUE(wait_for(
      [&] {
        return all_connected(2) && server.accepted_connects() == 2 && server.subacks.size() == 2;
      },
      std::chrono::seconds(60)));
  EXPECT_LE(most_connecting, gate->limit());
  EXPECT_EQ(gate->connecting(), 0u);

  for (int i = 0; i < kLocks; ++i) {
    ASSERT_TRUE(locks[i]
                    ->client()
                    .publish(make_topic("big", lock_id(i), Channel::event), "back", 1, false)
                    .ok());
  }
  ASSERT_TRUE(wait_for([&] { return server.messages.size() == kLocks; }, std::chrono::seconds(60)));
}

}  // namespace
