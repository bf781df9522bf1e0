#include "transport/broker_process.hpp"

#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>
#include <utility>

#include "transport/child_process.hpp"
#include "transport/file_io.hpp"
#include "transport/mosquitto_runtime.hpp"

namespace transport {

namespace {

using lockcore::fail;
using Clock = std::chrono::steady_clock;

lockcore::Failure<BrokerError> broker_error(BrokerErrorCode code, std::string message) {
  return fail(BrokerError{code, std::move(message)});
}

std::uintmax_t size_of(const std::filesystem::path& path) {
  std::error_code ec;
  const std::uintmax_t size = std::filesystem::file_size(path, ec);
  return ec ? 0 : size;
}

// The last `count` lines of `text`, for error messages.
std::string tail(std::string_view text, int count) {
  std::size_t start = text.size();
  if (start > 0 && text[start - 1] == '\n') --start;
  while (count > 0 && start > 0) {
    const std::size_t newline = text.rfind('\n', start - 1);
    if (newline == std::string_view::npos) {
      start = 0;
      break;
    }
    start = newline;
    --count;
  }
  if (start < text.size() && text[start] == '\n') ++start;
  return std::string(text.substr(start));
}

sockaddr_in loopback(std::uint16_t port) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return address;
}

}  // namespace

bool accepts_connections(std::uint16_t port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  const sockaddr_in address = loopback(port);
  const bool ok = ::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0;
  ::close(fd);
  return ok;
}

lockcore::Result<std::uint16_t, int> pick_free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return fail(errno);
  sockaddr_in address = loopback(0);
  socklen_t length = sizeof address;
  if (::bind(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    const int error = errno;
    ::close(fd);
    return fail(error);
  }
  ::close(fd);
  return static_cast<std::uint16_t>(ntohs(address.sin_port));
}

BrokerProcess::BrokerProcess(BrokerSettings settings, Credentials credentials,
                             BrokerStartOptions options)
    : settings_(std::move(settings)), credentials_(std::move(credentials)), options_(options) {}

BrokerProcess::BrokerProcess(BrokerProcess&& other) noexcept
    : settings_(std::move(other.settings_)),
      credentials_(std::move(other.credentials_)),
      options_(other.options_),
      pid_(std::exchange(other.pid_, -1)) {}

BrokerProcess& BrokerProcess::operator=(BrokerProcess&& other) noexcept {
  if (this != &other) {
    (void)stop();
    settings_ = std::move(other.settings_);
    credentials_ = std::move(other.credentials_);
    options_ = other.options_;
    pid_ = std::exchange(other.pid_, -1);
  }
  return *this;
}

BrokerProcess::~BrokerProcess() {
  (void)stop();
}

lockcore::Result<BrokerProcess, BrokerError> BrokerProcess::start(
    BrokerSettings settings, std::span<const BrokerLogin> logins, BrokerStartOptions options) {
  (void)raise_fd_limit();
  const bool pick_port = settings.port == 0;
  if (pick_port) {
    auto port = pick_free_port();
    if (!port) {
      return broker_error(BrokerErrorCode::spawn,
                          std::string("no free loopback port: ") + std::strerror(port.error()));
    }
    settings.port = *port;
  }
  auto credentials = write_broker_config(settings, logins);
  if (!credentials) return broker_error(BrokerErrorCode::config, credentials.error().detail);

  BrokerProcess broker(std::move(settings), std::move(*credentials), options);
  for (int attempt = 1;; ++attempt) {
    auto launched = broker.launch();
    if (launched) return broker;
    // Someone took the port between our probe and Mosquitto's bind: move to another one.
    if (launched.error().code != BrokerErrorCode::port_in_use || !pick_port ||
        attempt >= options.port_attempts) {
      return fail(launched.error());
    }
    auto port = pick_free_port();
    if (!port) return fail(launched.error());
    broker.settings_.port = *port;
    auto rewritten = write_mosquitto_conf(broker.settings_);
    if (!rewritten) return broker_error(BrokerErrorCode::config, rewritten.error().detail);
  }
}

lockcore::Result<void, BrokerError> BrokerProcess::launch() {
  const auto program = find_executable("mosquitto");
  if (!program) {
    return broker_error(BrokerErrorCode::spawn, "mosquitto not found (Debian package mosquitto)");
  }
  const BrokerFiles paths = files();
  const std::filesystem::path out = settings_.dir / "mosquitto.out";
  const std::uintmax_t log_offset = size_of(paths.log);
  const std::uintmax_t out_offset = size_of(out);
  auto pid = spawn_child({*program, {"-c", paths.conf.string()}, out, true});
  if (!pid) {
    return broker_error(BrokerErrorCode::spawn,
                        std::string("cannot start mosquitto: ") + std::strerror(pid.error()));
  }
  pid_ = *pid;

  const auto deadline = Clock::now() + options_.ready_timeout;
  for (;;) {
    // Only this launch's lines count: the log is appended to across restarts.
    const std::string log = read_file_from(paths.log, log_offset);
    if (const auto status = wait_child(pid_, std::chrono::milliseconds(0))) {
      pid_ = -1;
      const std::string said = log + read_file_from(out, out_offset);
      const bool port_taken = said.find("Address already in use") != std::string::npos;
      return broker_error(port_taken ? BrokerErrorCode::port_in_use : BrokerErrorCode::exited,
                          "mosquitto " + describe_wait_status(*status) +
                              " during start-up on port " + std::to_string(settings_.port) +
                              "; see " + paths.log.string() + " and " + out.string() + ":\n" +
                              tail(said, 10));
    }
    // "mosquitto version X running" is logged once every listener is bound.
    if (log.find(" running") != std::string::npos && accepts_connections(settings_.port)) {
      return {};
    }
    if (Clock::now() >= deadline) {
      (void)terminate(SIGKILL);
      return broker_error(BrokerErrorCode::not_ready,
                          "mosquitto did not accept connections on port " +
                              std::to_string(settings_.port) + " within " +
                              std::to_string(options_.ready_timeout.count()) + " ms; see " +
                              paths.log.string() + ":\n" + tail(log, 10));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

lockcore::Result<void, BrokerError> BrokerProcess::terminate(int signal) {
  if (pid_ <= 0) return broker_error(BrokerErrorCode::not_running, "mosquitto is not running");
  stop_child(pid_, signal, std::chrono::seconds(10));
  pid_ = -1;
  return {};
}

lockcore::Result<void, BrokerError> BrokerProcess::stop() {
  return terminate(SIGTERM);
}

lockcore::Result<void, BrokerError> BrokerProcess::kill() {
  return terminate(SIGKILL);
}

lockcore::Result<void, BrokerError> BrokerProcess::restart() {
  if (running()) (void)stop();
  // The port is ours by right but may linger in another process for a moment; keep trying it.
  const auto deadline = Clock::now() + options_.ready_timeout;
  for (;;) {
    auto launched = launch();
    if (launched || launched.error().code != BrokerErrorCode::port_in_use ||
        Clock::now() >= deadline) {
      return launched;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

}  // namespace transport
