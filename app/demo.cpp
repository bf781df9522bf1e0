#include "app/demo.hpp"

#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <thread>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <fmt/format.h>

#include "app/demo_site.hpp"
#include "transport/broker_process.hpp"
#include "transport/child_process.hpp"

namespace app {

namespace {

namespace fs = std::filesystem;
using tcp = boost::asio::ip::tcp;

constexpr std::string_view kSite = "maple-court";
constexpr int kLocks = 6;
constexpr int kHubs = 2;
constexpr std::chrono::seconds kStopGrace{10};
constexpr std::chrono::seconds kBrokerPatience{60};

// Polls every 100 ms until something accepts connections on loopback `port`, or `patience` ends.
bool until_listening(std::uint16_t port, std::chrono::seconds patience) {
  const auto deadline = std::chrono::steady_clock::now() + patience;
  while (!transport::accepts_connections(port)) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return true;
}

// The port bound on loopback and released: `port` 0 picks a free one. nullopt when it is taken.
std::optional<std::uint16_t> loopback_port(std::uint16_t port) {
  boost::asio::io_context io;
  tcp::acceptor acceptor(io);
  boost::system::error_code ec;
  const tcp::endpoint at(boost::asio::ip::make_address("127.0.0.1"), port);
  acceptor.open(at.protocol(), ec);
  if (!ec) acceptor.bind(at, ec);
  if (ec) return std::nullopt;
  return acceptor.local_endpoint().port();
}

// The processes the demo started, stopped in reverse order however the demo ends.
class Children {
 public:
  ~Children() { stop(); }

  bool start(const fs::path& program, std::vector<std::string> args, const fs::path& log) {
    auto pid = transport::spawn_child({program, std::move(args), log, true});
    if (!pid) {
      std::fprintf(stderr, "latchkey demo: cannot start %s: errno %d\n", program.c_str(),
                   pid.error());
      return false;
    }
    pids_.push_back(*pid);
    return true;
  }

  void stop() {
    for (auto it = pids_.rbegin(); it != pids_.rend(); ++it)
      transport::stop_child(*it, SIGTERM, kStopGrace);
    pids_.clear();
  }

 private:
  std::vector<pid_t> pids_;
};

// Runs `latchkey args...` to the end; says on stderr how it failed.
bool run_to_end(const fs::path& self, std::vector<std::string> args, const fs::path& log) {
  auto ran = transport::run_child({self, std::move(args), log, true}, std::chrono::seconds(60));
  if (!ran) std::fprintf(stderr, "latchkey demo: %s (see %s)\n", ran.error().c_str(), log.c_str());
  return ran.ok();
}

}  // namespace

int run_demo(const DemoOptions& options) {
  if (!loopback_port(options.http_port)) {
    std::fprintf(stderr,
                 "latchkey demo: port %u is taken (another demo still running?); pick another with "
                 "--port\n",
                 options.http_port);
    return 2;
  }
  const auto broker_port = loopback_port(0);
  std::error_code ec;
  const fs::path self = fs::read_symlink("/proc/self/exe", ec);
  const fs::path dir = fs::absolute(options.dir, ec);
  fs::remove_all(dir, ec);
  fs::create_directories(dir, ec);
  if (ec || !broker_port) {
    std::fprintf(stderr, "latchkey demo: cannot prepare %s: %s\n", dir.c_str(),
                 ec.message().c_str());
    return 1;
  }

  // Ctrl-C and SIGTERM wait until the demo is up (or failed), then stop everything in order.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  ::pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  const std::string site(kSite);
  const std::string port = std::to_string(*broker_port);
  if (!run_to_end(self,
                  {"broker", "init", "--site", site, "--locks", std::to_string(kLocks), "--hubs",
                   std::to_string(kHubs), "--dir", dir.string(), "--port", port},
                  dir / "broker-init.log"))
    return 1;

  const fs::path config = dir / "latchkey.toml";
  {
    std::ofstream toml(config);
    toml << fmt::format(
        "[http]\nport = {}\n[store]\npath = \"{}\"\n[broker]\nport = {}\ncredentials_file = "
        "\"{}\"\n",
        options.http_port, (dir / "latchkey.db").string(), port, (dir / "credentials").string());
    if (!options.web_dir.empty())
      toml << fmt::format("[web]\nstatic_dir = \"{}\"\n", fs::absolute(options.web_dir).string());
  }

  Children children;
  const fs::path manifest = dir / "manifest.json";
  const fs::path control = dir / "sim.sock";
  if (!children.start(self, {"broker", "run", "--dir", dir.string()}, dir / "broker.log")) return 1;
  // The server and the simulator back off between connection attempts (up to 30 s): started
  // before the broker listens, on a slow machine they could miss it for longer than seeding waits.
  if (!until_listening(*broker_port, kBrokerPatience)) {
    std::fprintf(stderr,
                 "latchkey demo: the broker did not listen on port %u within %llds (see %s)\n",
                 static_cast<unsigned>(*broker_port),
                 static_cast<long long>(kBrokerPatience.count()), (dir / "broker.log").c_str());
    return 1;
  }
  if (!children.start(self, {"serve", "--config", config.string()}, dir / "server.log") ||
      !children.start(self,
                      {"sim", "--broker", "127.0.0.1:" + port, "--site", site, "--locks",
                       std::to_string(kLocks), "--hubs", std::to_string(kHubs), "--credentials",
                       (dir / "credentials").string(), "--control", control.string(), "--manifest",
                       manifest.string()},
                      dir / "sim.log"))
    return 1;

  auto seeded =
      seed_demo_site({self, config, "127.0.0.1", options.http_port, site, manifest, control});
  if (!seeded) {
    std::fprintf(stderr, "latchkey demo: %s\n", seeded.error().c_str());
    return 1;
  }
  std::printf(
      "\nLatchkey is running: open http://127.0.0.1:%u/\n%s"
      "Logs and data: %s (server.log, sim.log, broker.log). Ctrl-C stops everything.\n",
      options.http_port, seeded->c_str(), dir.c_str());
  std::fflush(stdout);

  int signal = 0;
  ::sigwait(&stop_signals, &signal);
  std::printf("latchkey demo: stopping\n");
  children.stop();
  return 0;
}

}  // namespace app
