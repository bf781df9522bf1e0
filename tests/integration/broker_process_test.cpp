// BrokerProcess itself: it starts on a free port, reports a start-up failure with the log file's
// name and words, and leaves no mosquitto behind after stop(), kill() or destruction.

#include "transport/broker_process.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "tests/support/test_broker.hpp"

namespace {

bool alive(pid_t pid) {
  return ::kill(pid, 0) == 0;
}

class BrokerProcessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = testsupport::make_temp_dir("latchkey-broker-process");
    ASSERT_FALSE(dir_.empty());
    settings_.dir = dir_ / "site";
  }
  void TearDown() override {
    if (!HasFailure()) std::filesystem::remove_all(dir_);
  }
  std::filesystem::path dir_;
  transport::BrokerSettings settings_;
  std::vector<transport::BrokerLogin> logins_{transport::server_login()};
};

TEST_F(BrokerProcessTest, StartsStopsAndLeavesNothingRunning) {
  pid_t pid = -1;
  {
    auto broker = transport::BrokerProcess::start(settings_, logins_);
    ASSERT_TRUE(broker.ok()) << broker.error().message;
    pid = broker->pid();
    EXPECT_TRUE(broker->running());
    EXPECT_TRUE(alive(pid));
    EXPECT_NE(broker->port(), 0);
    EXPECT_TRUE(broker->credentials().password_for("server").has_value());

    ASSERT_TRUE(broker->stop().ok());
    EXPECT_FALSE(broker->running());
    EXPECT_FALSE(alive(pid));
    EXPECT_EQ(broker->stop().error().code, transport::BrokerErrorCode::not_running);

    ASSERT_TRUE(broker->restart().ok());
    pid = broker->pid();
    EXPECT_TRUE(alive(pid));
  }  // the destructor stops it
  EXPECT_FALSE(alive(pid));
}

TEST_F(BrokerProcessTest, KillIsACrashAndRestartComesBackOnTheSamePort) {
  auto broker = transport::BrokerProcess::start(settings_, logins_);
  ASSERT_TRUE(broker.ok()) << broker.error().message;
  const auto port = broker->port();
  const pid_t first = broker->pid();
  ASSERT_TRUE(broker->kill().ok());
  EXPECT_FALSE(alive(first));
  ASSERT_TRUE(broker->restart().ok());
  EXPECT_EQ(broker->port(), port);
  EXPECT_NE(broker->pid(), first);
}

TEST_F(BrokerProcessTest, APortTakenBySomeoneElseFailsWithTheLogFileNamed) {
  // Hold a listening socket on a port, then insist on that port.
  const int holder = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  ASSERT_GE(holder, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  ASSERT_EQ(::bind(holder, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  ASSERT_EQ(::listen(holder, 1), 0);
  ASSERT_EQ(::getsockname(holder, reinterpret_cast<sockaddr*>(&address), &length), 0);
  settings_.port = ntohs(address.sin_port);

  auto broker = transport::BrokerProcess::start(settings_, logins_);
  ::close(holder);
  ASSERT_FALSE(broker.ok());
  EXPECT_EQ(broker.error().code, transport::BrokerErrorCode::port_in_use);
  const std::string log = (settings_.dir / "mosquitto.log").string();
  EXPECT_NE(broker.error().message.find(log), std::string::npos) << broker.error().message;
  EXPECT_NE(broker.error().message.find("Address already in use"), std::string::npos)
      << broker.error().message;
}

TEST_F(BrokerProcessTest, InvalidLoginsFailBeforeAnythingStarts) {
  logins_.push_back({"bad login", {}});
  auto broker = transport::BrokerProcess::start(settings_, logins_);
  ASSERT_FALSE(broker.ok());
  EXPECT_EQ(broker.error().code, transport::BrokerErrorCode::config);
  EXPECT_NE(broker.error().message.find("bad login"), std::string::npos);
}

}  // namespace
