#pragma once
// The real Mosquitto broker as a child process, on a free loopback port, for the integration
// tests, the scenario runner and `latchkey demo`.
//
// The broker gets SIGTERM when the thread that started it dies (PR_SET_PDEATHSIG), so a crashed
// test leaves no broker behind; start it from a thread that lives as long as it should (the main
// thread). Its stdout/stderr go to <dir>/mosquitto.out, its log to <dir>/mosquitto.log.

#include <chrono>
#include <cstdint>
#include <span>
#include <string>
#include <sys/types.h>

#include "lockcore/result.hpp"
#include "transport/broker_config.hpp"
#include "transport/credentials_file.hpp"

namespace transport {

enum class BrokerErrorCode {
  config,       // writing the config directory failed (message has the ConfigError detail)
  spawn,        // mosquitto not found, or fork/exec failed
  exited,       // mosquitto stopped during start-up (message quotes its log)
  not_ready,    // still not accepting connections at the deadline
  port_in_use,  // restart(): the port stayed taken by someone else until the deadline
  not_running,  // stop() on a broker that is not running
};

struct BrokerError {
  BrokerErrorCode code;
  std::string message;  // names the log file and quotes its last lines where relevant
};

struct BrokerStartOptions {
  std::chrono::milliseconds ready_timeout{10'000};
  int port_attempts = 5;  // fresh ports tried when the chosen one is taken before Mosquitto binds
};

class BrokerProcess {
 public:
  // Writes the config directory for `logins` into settings.dir (see broker_config.hpp), picks a
  // free loopback port unless settings.port is set, starts mosquitto and waits until it accepts
  // connections. Raises this process's fd limit first (the broker inherits it).
  static lockcore::Result<BrokerProcess, BrokerError> start(BrokerSettings settings,
                                                            std::span<const BrokerLogin> logins,
                                                            BrokerStartOptions options = {});

  BrokerProcess(BrokerProcess&& other) noexcept;
  BrokerProcess& operator=(BrokerProcess&& other) noexcept;
  BrokerProcess(const BrokerProcess&) = delete;
  BrokerProcess& operator=(const BrokerProcess&) = delete;
  ~BrokerProcess();  // stop(), errors ignored

  // SIGTERM, so the broker saves its persistence file, then waits; SIGKILL after 10 s.
  lockcore::Result<void, BrokerError> stop();
  // SIGKILL: a crash. Whatever arrived since the last autosave is lost.
  lockcore::Result<void, BrokerError> kill();
  // Starts again on the same port with the same config and persistence directory (after stop()
  // or kill(); a running broker is stopped first).
  lockcore::Result<void, BrokerError> restart();

  bool running() const { return pid_ > 0; }
  pid_t pid() const { return pid_; }
  std::uint16_t port() const { return settings_.port; }
  const BrokerSettings& settings() const { return settings_; }
  BrokerFiles files() const { return broker_files(settings_.dir); }
  const Credentials& credentials() const { return credentials_; }

 private:
  BrokerProcess(BrokerSettings settings, Credentials credentials, BrokerStartOptions options);
  lockcore::Result<void, BrokerError> launch();
  lockcore::Result<void, BrokerError> terminate(int signal);

  BrokerSettings settings_;
  Credentials credentials_;
  BrokerStartOptions options_;
  pid_t pid_ = -1;
};

// A loopback TCP port that was free a moment ago (bound to port 0, then released).
lockcore::Result<std::uint16_t, int> pick_free_port();
// Whether something accepts TCP connections on loopback `port` now.
bool accepts_connections(std::uint16_t port);

}  // namespace transport
