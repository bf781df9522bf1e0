#include "tests/support/test_broker.hpp"

#include <cstdio>
#include <stdlib.h>
#include <string>

#include <gtest/gtest.h>

#include "tests/support/run_until.hpp"

namespace testsupport {

std::filesystem::path make_temp_dir(std::string_view prefix) {
  const char* base = std::getenv("TMPDIR");
  std::string pattern = std::string(base != nullptr && *base == '/' ? base : "/tmp") + "/" +
                        std::string(prefix) + "-XXXXXX";
  if (::mkdtemp(pattern.data()) == nullptr) return {};
  return pattern;
}

TestBroker::TestBroker(std::filesystem::path dir, transport::BrokerProcess process)
    : dir_(std::move(dir)), process_(std::move(process)) {}

std::unique_ptr<TestBroker> TestBroker::start(std::vector<transport::BrokerLogin> logins,
                                              transport::BrokerSettings settings) {
  std::filesystem::path dir = make_temp_dir("latchkey-broker");
  if (dir.empty()) {
    ADD_FAILURE() << "cannot create a temporary directory for the broker";
    return nullptr;
  }
  settings.dir = dir;
  auto process = transport::BrokerProcess::start(settings, logins);
  if (!process) {
    ADD_FAILURE() << "broker did not start: " << process.error().message;
    return nullptr;
  }
  return std::unique_ptr<TestBroker>(new TestBroker(std::move(dir), std::move(*process)));
}

TestBroker::~TestBroker() {
  (void)process_.stop();
  if (::testing::Test::HasFailure()) {
    std::fprintf(stderr, "broker directory kept for inspection: %s\n", dir_.c_str());
    return;
  }
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
}

transport::ClientOptions TestBroker::client_options(std::string_view login,
                                                    transport::MqttVersion version) const {
  transport::ClientOptions options;
  options.host = "127.0.0.1";
  options.port = process_.port();
  options.username = std::string(login);
  options.client_id = std::string(login);
  if (auto password = process_.credentials().password_for(login)) {
    options.password = std::string(*password);
  }
  options.version = version;
  options.keepalive = std::chrono::seconds(10);
  options.reconnect_initial = std::chrono::milliseconds(50);
  options.reconnect_max = std::chrono::milliseconds(1000);
  return options;
}

void BrokerTest::start_broker(std::vector<transport::BrokerLogin> logins,
                              transport::BrokerSettings settings) {
  broker = TestBroker::start(std::move(logins), std::move(settings));
  ASSERT_NE(broker, nullptr);
}

bool BrokerTest::wait_for(const std::function<bool()>& done, std::chrono::milliseconds timeout) {
  return run_until(io, done, timeout);
}

}  // namespace testsupport
