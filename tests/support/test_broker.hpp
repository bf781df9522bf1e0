#pragma once
// A real Mosquitto for one test: a generated config (logins, ACL, hashed passwords) in a fresh
// directory, started on a free loopback port, stopped at destruction even when the test failed.
// The directory is removed afterwards unless the test failed: then its path is printed so the
// broker's log can be read.

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <string_view>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <gtest/gtest.h>

#include "transport/broker_config.hpp"
#include "transport/broker_process.hpp"
#include "transport/mqtt_client.hpp"

namespace testsupport {

class TestBroker {
 public:
  // Returns nullptr (after ADD_FAILURE with the broker's own explanation) when it cannot start.
  static std::unique_ptr<TestBroker> start(std::vector<transport::BrokerLogin> logins,
                                           transport::BrokerSettings settings = {});
  ~TestBroker();

  transport::BrokerProcess& process() { return process_; }
  const std::filesystem::path& dir() const { return dir_; }
  std::uint16_t port() const { return process_.port(); }

  // Options for `login` on this broker: address, user name, its password, client id = login,
  // a fast reconnect (50 ms .. 1 s) so restart tests do not wait long.
  transport::ClientOptions client_options(
      std::string_view login, transport::MqttVersion version = transport::MqttVersion::v5) const;

 private:
  TestBroker(std::filesystem::path dir, transport::BrokerProcess process);
  std::filesystem::path dir_;
  transport::BrokerProcess process_;
};

// Fixture: an io_context for the test's clients and a broker started by start_broker(). The broker
// is stopped before the io_context goes away. Use as
//   ASSERT_NO_FATAL_FAILURE(start_broker({...}));
class BrokerTest : public ::testing::Test {
 protected:
  void start_broker(std::vector<transport::BrokerLogin> logins,
                    transport::BrokerSettings settings = {});
  bool wait_for(const std::function<bool()>& done,
                std::chrono::milliseconds timeout = std::chrono::seconds(10));

  boost::asio::io_context io;
  std::unique_ptr<TestBroker> broker;
};

// A fresh private directory under $TMPDIR (or /tmp).
std::filesystem::path make_temp_dir(std::string_view prefix);

}  // namespace testsupport
