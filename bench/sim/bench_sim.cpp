// bench_sim: how many Wi-Fi locks one simulator process keeps connected on one core, and what
// each costs. For each fleet size N (default 10000, 15000, 19000; the fd limit is 20,000 per
// process and the broker needs one per lock too):
//   1. a broker config for N Wi-Fi locks (exactly what `latchkey broker init` writes) and
//      Mosquitto on it (BrokerProcess), pinned to CPU 0 with this process;
//   2. `latchkey sim --locks N` as a child process pinned to CPU 1, alone on its core apart from
//      whatever else the shared machine runs;
//   3. a subscriber with the server's login counts each lock's `status` (retained, and its will):
//      the fleet is connected when all N say online;
//   4. the fleet is held for 75 s, two and a half heartbeats: a lock whose keepalive PINGREQ the
//      simulator failed to send in time would be dropped by the broker after 45 s and its will
//      would say offline. The sim's CPU time over the hold is read from /proc.
// N passes when all N were online and none went offline during the hold. Metrics:
//   sim_locks_one_core      the largest N that passed
//   sim_bytes_per_lock      (sim RSS with 10,000 locks connected - RSS of a sim with none) / 10,000
//   sim_connect_all_ms      from starting the 10,000-lock sim to all online at the subscriber
//   sim_cpu_core_fraction   the sim's CPU time / wall time during the hold, at the largest N
// Usage: bench_sim [sizes=10000,15000,19000] [hold_s=75]

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <fcntl.h>
#include <fstream>
#include <optional>
#include <sched.h>
#include <set>
#include <sstream>
#include <string>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include "bench/support/metrics.hpp"
#include "bench/support/run_until.hpp"
#include "protocol/codec.hpp"
#include "protocol/topics.hpp"
#include "sim/broker_logins.hpp"
#include "sim/fleet_config.hpp"
#include "transport/broker_process.hpp"
#include "transport/mqtt_client.hpp"

namespace {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;
using bench::run_until;
constexpr const char* kSite = "bench";

[[noreturn]] void die(const std::string& why) {
  std::fprintf(stderr, "bench_sim: %s\n", why.c_str());
  std::exit(1);
}

void pin_to_cpu(pid_t pid, int cpu) {
  if (::sysconf(_SC_NPROCESSORS_ONLN) < 2) return;  // nothing to separate
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(cpu, &set);
  if (::sched_setaffinity(pid, sizeof(set), &set) != 0) std::perror("bench_sim: sched_setaffinity");
}

// A `latchkey sim` child: stdout and stderr to `log`, pinned to CPU 1.
class SimProcess {
 public:
  SimProcess(const std::vector<std::string>& args, const std::filesystem::path& log) : log_(log) {
    pid_ = ::fork();
    if (pid_ < 0) die("fork failed");
    if (pid_ == 0) {
      pin_to_cpu(0, 1);
      const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
      if (fd >= 0) {
        ::dup2(fd, 1);
        ::dup2(fd, 2);
      }
      std::vector<char*> argv{const_cast<char*>(LATCHKEY_BINARY)};
      for (const std::string& a : args)
        argv.push_back(const_cast<char*>(a.c_str()));
      argv.push_back(nullptr);
      ::execv(LATCHKEY_BINARY, argv.data());
      std::perror("exec latchkey");
      ::_exit(127);
    }
  }
  ~SimProcess() { stop(); }

  void stop() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGTERM);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
  }
  bool alive() const { return pid_ > 0 && ::waitpid(pid_, nullptr, WNOHANG) == 0; }
  pid_t pid() const { return pid_; }
  std::string log() const {
    std::ifstream in(log_);
    return {std::istreambuf_iterator<char>(in), {}};
  }

  std::size_t rss_bytes() const {
    std::ifstream status("/proc/" + std::to_string(pid_) + "/status");
    for (std::string line; std::getline(status, line);) {
      if (line.rfind("VmRSS:", 0) == 0) return std::stoull(line.substr(6)) * 1024;
    }
    return 0;
  }
  double cpu_seconds() const {
    std::ifstream stat("/proc/" + std::to_string(pid_) + "/stat");
    std::string text((std::istreambuf_iterator<char>(stat)), {});
    std::istringstream fields(text.substr(text.rfind(')') + 2));
    std::string skip;
    for (int i = 3; i < 14; ++i)
      fields >> skip;  // state .. cmajflt
    double utime = 0, stime = 0;
    fields >> utime >> stime;
    return (utime + stime) / static_cast<double>(::sysconf(_SC_CLK_TCK));
  }

 private:
  std::filesystem::path log_;
  pid_t pid_ = -1;
};

// Every lock's status as the server sees it.
class StatusWatch {
 public:
  StatusWatch(asio::io_context& io, const transport::BrokerProcess& broker) {
    transport::ClientOptions options;
    options.port = broker.port();
    options.username = "server";
    options.password = std::string(*broker.credentials().password_for("server"));
    auto client = transport::MqttClient::create(io, std::move(options));
    if (!client) die("cannot create the status subscriber");
    client_.emplace(std::move(*client));
    client_->on_subscribed([this](const transport::SubscribeAck&) { subscribed_ = true; });
    client_->on_message([this](const transport::InboundMessage& m) {
      auto topic = protocol::parse_topic(m.topic);
      auto status = protocol::decode_status(m.payload);
      if (!topic || !status) return;
      const std::string lock(topic->device.view());
      if (*status == protocol::DeviceStatus::online) {
        online_.insert(lock);
      } else {
        if (online_.erase(lock) > 0) ++went_offline_;
      }
    });
    (void)client_->subscribe(protocol::make_topic(kSite, "+", protocol::Channel::status), 1);
    client_->connect();
  }
  bool subscribed() const { return subscribed_; }
  std::size_t online() const { return online_.size(); }
  std::size_t went_offline() const { return went_offline_; }

 private:
  std::optional<transport::MqttClient> client_;
  std::set<std::string> online_;
  std::size_t went_offline_ = 0;
  bool subscribed_ = false;
};

struct Trial {
  std::size_t locks = 0;
  bool passed = false;
  double connect_ms = 0;
  double rss_bytes = 0;
  double cpu_fraction = 0;
};

std::vector<std::string> sim_args(const transport::BrokerProcess& broker, std::size_t locks) {
  return {"sim",
          "--broker",
          "127.0.0.1:" + std::to_string(broker.port()),
          "--site",
          kSite,
          "--locks",
          std::to_string(locks),
          "--credentials",
          broker.files().credentials.string(),
          "--log-level",
          "warn"};
}

// The RSS of a simulator with no locks at all: the process, its libraries, its io_context.
double empty_sim_rss(const transport::BrokerProcess& broker, const std::filesystem::path& dir) {
  std::vector<std::string> args = sim_args(broker, 0);
  args.back() = "info";  // to see the "all 0 connections up" line
  SimProcess sim(args, dir / "sim-empty.log");
  const auto deadline = Clock::now() + std::chrono::seconds(30);
  while (sim.log().find("connections up") == std::string::npos) {
    if (Clock::now() > deadline || !sim.alive())
      die("the empty simulator did not start:\n" + sim.log());
    ::usleep(20'000);
  }
  return static_cast<double>(sim.rss_bytes());
}

Trial run_trial(std::size_t locks, std::chrono::seconds hold, const std::filesystem::path& dir,
                double* empty_rss) {
  Trial trial;
  trial.locks = locks;
  auto logins = sim::fleet_broker_logins(sim::standard_fleet(kSite, locks, 0));
  if (!logins) die(logins.error().message);
  logins->push_back(transport::server_login());
  transport::BrokerSettings settings;
  settings.dir = dir / ("broker-" + std::to_string(locks));
  auto broker = transport::BrokerProcess::start(settings, *logins);
  if (!broker) die(broker.error().message);
  pin_to_cpu(broker->pid(), 0);
  if (*empty_rss == 0) *empty_rss = empty_sim_rss(*broker, dir);

  asio::io_context io;
  StatusWatch watch(io, *broker);
  if (!run_until(
          io, [&] { return watch.subscribed(); }, std::chrono::seconds(10))) {
    die("the status subscriber did not connect");
  }
  const auto started = Clock::now();
  SimProcess sim(sim_args(*broker, locks), dir / ("sim-" + std::to_string(locks) + ".log"));
  const bool connected = run_until(
      io, [&] { return watch.online() == locks || !sim.alive(); }, std::chrono::seconds(300));
  if (!connected || !sim.alive()) {
    std::fprintf(stderr, "bench_sim: %zu locks: %zu online before giving up\n%s\n", locks,
                 watch.online(), sim.log().c_str());
    return trial;
  }
  trial.connect_ms = std::chrono::duration<double, std::milli>(Clock::now() - started).count();
  trial.rss_bytes = static_cast<double>(sim.rss_bytes());

  const double cpu_before = sim.cpu_seconds();
  const auto hold_start = Clock::now();
  run_until(
      io, [&] { return watch.went_offline() > 0 || !sim.alive(); }, hold);
  const double wall = std::chrono::duration<double>(Clock::now() - hold_start).count();
  trial.cpu_fraction = (sim.cpu_seconds() - cpu_before) / wall;
  trial.passed = sim.alive() && watch.went_offline() == 0 && watch.online() == locks;
  std::printf(
      "%zu locks: %s; all online after %.0f ms, %.0f bytes RSS; held %.0f s with %zu going "
      "offline, sim CPU %.1f%% of one core\n",
      locks, trial.passed ? "kept connected" : "FAILED", trial.connect_ms, trial.rss_bytes, wall,
      watch.went_offline(), 100 * trial.cpu_fraction);
  sim.stop();
  (void)broker->stop();
  return trial;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::size_t> sizes{10'000, 15'000, 19'000};
  if (argc > 1) {
    sizes.clear();
    std::istringstream list(argv[1]);
    for (std::string item; std::getline(list, item, ',');)
      sizes.push_back(std::stoul(item));
  }
  const std::chrono::seconds hold(argc > 2 ? std::atoi(argv[2]) : 75);
  std::setvbuf(stdout, nullptr, _IOLBF, 0);  // each trial's line as it ends
  pin_to_cpu(0, 0);

  char dir_template[] = "/tmp/latchkey-bench-sim-XXXXXX";
  if (::mkdtemp(dir_template) == nullptr) die("cannot create a temporary directory");
  const std::filesystem::path dir(dir_template);

  double empty_rss = 0;
  bench::Metrics metrics;
  std::size_t best = 0;
  for (std::size_t locks : sizes) {
    const Trial trial = run_trial(locks, hold, dir, &empty_rss);
    if (trial.passed) {
      best = std::max(best, locks);
      metrics["sim_cpu_core_fraction"] = trial.cpu_fraction;
    }
    if (locks == sizes.front()) {
      metrics["sim_bytes_per_lock"] = (trial.rss_bytes - empty_rss) / static_cast<double>(locks);
      metrics["sim_connect_all_ms"] = trial.connect_ms;
    }
    if (!trial.passed) break;
  }
  metrics["sim_locks_one_core"] = static_cast<double>(best);
  std::printf("sim_locks_one_core %zu, sim_bytes_per_lock %.0f (empty sim %.0f bytes)\n", best,
              metrics["sim_bytes_per_lock"], empty_rss);
  std::filesystem::remove_all(dir);
  return bench::write_metrics("sim", metrics) ? 0 : 1;
}
