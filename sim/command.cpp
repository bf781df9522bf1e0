#include "sim/command.hpp"

#include <chrono>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <unistd.h>
#include <vector>

#include <CLI/CLI.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <spdlog/spdlog.h>

#include "sim/broker_logins.hpp"
#include "sim/control_server.hpp"
#include "sim/fleet.hpp"
#include "sim/manifest.hpp"
#include "transport/broker_config.hpp"
#include "transport/child_process.hpp"
#include "transport/credentials_file.hpp"
#include "transport/mosquitto_runtime.hpp"

namespace sim {
namespace {

namespace asio = boost::asio;

constexpr int kFailed = 1;
constexpr int kBadInput = 2;

struct SimArgs {
  std::string broker;
  std::string site;
  std::size_t locks = 0;
  std::size_t hubs = 0;
  std::string credentials;
  std::string control;
  std::uint64_t seed = 1;
  bool virtual_clock = false;
  std::string manifest;
  std::string log_level = "info";
};

struct BrokerArgs {
  std::string site;
  std::size_t locks = 0;
  std::size_t hubs = 0;
  std::string dir;
  std::uint16_t port = 1883;
};

std::optional<std::pair<std::string, std::uint16_t>> parse_host_port(std::string_view text) {
  const std::size_t colon = text.rfind(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == text.size())
    return std::nullopt;
  std::string host(text.substr(0, colon));
  if (host.size() > 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  unsigned port = 0;
  for (char c : text.substr(colon + 1)) {
    if (c < '0' || c > '9') return std::nullopt;
    port = port * 10 + static_cast<unsigned>(c - '0');
    if (port > 65535) return std::nullopt;
  }
  if (port == 0) return std::nullopt;
  return std::pair{std::move(host), static_cast<std::uint16_t>(port)};
}

// Says once when every connection the fleet wants is up, and again whenever that changes.
class Progress {
 public:
  Progress(asio::io_context& io, Fleet& fleet) : timer_(io), fleet_(fleet) {}
  void start() {
    started_ = std::chrono::steady_clock::now();
    tick();
  }

 private:
  void tick() {
    const FleetSummary s = fleet_.summary();
    const bool all = s.net.links_up == s.links_expected;
    if (all != all_up_) {
      const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::steady_clock::now() - started_)
                          .count();
      if (all) {
        spdlog::info("sim: all {} connections up ({} locks, {} hubs) after {} ms", s.links_expected,
                     s.locks, s.hubs, ms);
      } else {
        spdlog::warn("sim: {} of {} connections up", s.net.links_up, s.links_expected);
      }
      all_up_ = all;
    }
    timer_.expires_after(std::chrono::milliseconds(100));
    timer_.async_wait([this](boost::system::error_code ec) {
      if (!ec) tick();
    });
  }

  asio::steady_timer timer_;
  Fleet& fleet_;
  std::chrono::steady_clock::time_point started_;
  bool all_up_ = false;
};

int run_sim(const SimArgs& args) {
  const auto level = spdlog::level::from_str(args.log_level);
  spdlog::set_level(level);
  const auto address = parse_host_port(args.broker);
  if (!address) {
    std::fprintf(stderr, "latchkey sim: --broker must be HOST:PORT, not \"%s\"\n",
                 args.broker.c_str());
    return kBadInput;
  }
  auto credentials = transport::read_credentials(args.credentials);
  if (!credentials) {
    std::fprintf(stderr, "latchkey sim: %s: %s\n", args.credentials.c_str(),
                 transport::describe(credentials.error()).c_str());
    return kBadInput;
  }
  FleetConfig config = standard_fleet(args.site, args.locks, args.hubs, args.seed);
  config.broker.host = address->first;
  config.broker.port = address->second;
  config.credentials = std::move(*credentials);
  config.virtual_clock = args.virtual_clock;

  asio::io_context io;
  auto fleet = Fleet::create(io, std::move(config));
  if (!fleet) {
    std::fprintf(stderr, "latchkey sim: %s\n", fleet.error().message.c_str());
    return kBadInput;
  }
  if (!args.manifest.empty()) {
    if (auto written = write_manifest(args.manifest, (*fleet)->config()); !written) {
      std::fprintf(stderr, "latchkey sim: %s\n", written.error().message.c_str());
      return kFailed;
    }
  }
  std::unique_ptr<ControlServer> control;
  if (!args.control.empty()) {
    auto opened = ControlServer::open(io, **fleet, args.control);
    if (!opened) {
      std::fprintf(stderr, "latchkey sim: %s\n", opened.error().message.c_str());
      return kFailed;
    }
    control = std::move(*opened);
  }
  asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](boost::system::error_code ec, int) {
    if (ec) return;
    spdlog::info("sim: stopping");
    (*fleet)->stop();
    if (control) control->close();
    io.stop();
  });
  if (auto started = (*fleet)->start(); !started) {
    std::fprintf(stderr, "latchkey sim: %s\n", started.error().message.c_str());
    return kFailed;
  }
  spdlog::info("sim: site {}, {} locks, {} hubs, seed {}, {} clock, broker {}:{}", args.site,
               args.locks, args.hubs, args.seed, args.virtual_clock ? "virtual" : "real",
               address->first, address->second);
  Progress progress(io, **fleet);
  progress.start();
  io.run();
  return 0;
}

int init_broker(const BrokerArgs& args) {
  auto logins = fleet_broker_logins(standard_fleet(args.site, args.locks, args.hubs));
  if (!logins) {
    std::fprintf(stderr, "latchkey broker init: %s\n", logins.error().message.c_str());
    return kBadInput;
  }
  logins->push_back(transport::server_login());
  transport::BrokerSettings settings;
  settings.dir = args.dir;
  settings.port = args.port;
  auto written = transport::write_broker_config(settings, *logins);
  if (!written) {
    std::fprintf(stderr, "latchkey broker init: %s\n", written.error().detail.c_str());
    return kFailed;
  }
  const transport::BrokerFiles files = transport::broker_files(args.dir);
  std::printf(
      "wrote the broker config for site %s (%zu locks, %zu hubs, %zu logins) to %s\n"
      "credentials: %s\nrun it with: latchkey broker run --dir %s\n",
      args.site.c_str(), args.locks, args.hubs, logins->size(), args.dir.c_str(),
      files.credentials.c_str(), args.dir.c_str());
  return 0;
}

int run_broker(const std::string& dir) {
  const transport::BrokerFiles files = transport::broker_files(dir);
  std::error_code ec;
  if (!std::filesystem::is_regular_file(files.conf, ec)) {
    std::fprintf(stderr, "latchkey broker run: no %s (run latchkey broker init first)\n",
                 files.conf.c_str());
    return kBadInput;
  }
  const auto mosquitto = transport::find_executable("mosquitto");
  if (!mosquitto) {
    std::fprintf(stderr, "latchkey broker run: mosquitto is not installed\n");
    return kFailed;
  }
  // A fleet of 10,000 locks needs 10,000 descriptors; the broker inherits the raised limit.
  (void)transport::raise_fd_limit();
  std::fflush(stdout);
  const std::string program = mosquitto->string();
  const std::string conf = files.conf.string();
  std::vector<char*> argv{const_cast<char*>(program.c_str()), const_cast<char*>("-c"),
                          const_cast<char*>(conf.c_str()), nullptr};
  ::execv(program.c_str(), argv.data());
  std::perror("latchkey broker run: cannot start mosquitto");
  return kFailed;
}

}  // namespace

void add_sim_command(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<SimArgs>();
  CLI::App* sim = app.add_subcommand("sim", "Run a fleet of virtual locks and hubs on a broker");
  sim->add_option("--broker", args->broker, "Broker address, HOST:PORT")->required();
  sim->add_option("--site", args->site, "Site id")->required();
  sim->add_option("--locks", args->locks, "How many locks (lock-0001, ...)")->required();
  sim->add_option("--hubs", args->hubs, "How many hubs (hub-01, ...); 0: every lock on Wi-Fi");
  sim->add_option("--credentials", args->credentials,
                  "The broker's credentials file (latchkey broker init writes it)")
      ->required();
  sim->add_option("--control", args->control, "Unix socket for the JSON control channel");
  sim->add_option("--seed", args->seed, "Seed for every random choice (default 1)");
  sim->add_flag("--virtual-clock", args->virtual_clock,
                "Time moves only when the control channel advances it");
  sim->add_option("--manifest", args->manifest,
                  "Write the locks and their pairing codes here (JSON, mode 0600)");
  sim->add_option("--log-level", args->log_level, "trace, debug, info, warn, error (default info)")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "critical", "off"}));
  sim->callback([args, &exit_code] { exit_code = run_sim(*args); });
}

void add_broker_command(CLI::App& app, int& exit_code) {
  CLI::App* broker = app.add_subcommand("broker", "Write or run the site's Mosquitto broker");
  broker->require_subcommand(1);

  auto init_args = std::make_shared<BrokerArgs>();
  CLI::App* init = broker->add_subcommand(
      "init", "Write config, password file, ACL and credentials for latchkey sim's devices");
  init->add_option("--site", init_args->site, "Site id")->required();
  init->add_option("--locks", init_args->locks, "How many locks")->required();
  init->add_option("--hubs", init_args->hubs, "How many hubs (default 0)");
  init->add_option("--dir", init_args->dir, "Directory to write (created, mode 0700)")->required();
  init->add_option("--port", init_args->port, "Loopback port to listen on (default 1883)");
  init->callback([init_args, &exit_code] { exit_code = init_broker(*init_args); });

  auto dir = std::make_shared<std::string>();
  CLI::App* run = broker->add_subcommand("run", "Run Mosquitto on a directory in the foreground");
  run->add_option("--dir", *dir, "Directory written by latchkey broker init")->required();
  run->callback([dir, &exit_code] { exit_code = run_broker(*dir); });
}

}  // namespace sim
