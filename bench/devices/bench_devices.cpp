// bench_devices: one keypad code fanned out to N simulated locks until every one reads `set`.
// In one process on one io_context: Mosquitto (BrokerProcess, the protocol's ACL for the whole
// fleet), the real simulator (sim::Fleet, real clock) with the locks behind hubs of 64 (the
// standard fleet: one connection per hub, not per lock, so that 10,000 locks fit one machine's
// descriptors next to the broker's), and a real server::devices::Devices on a SQLite store in a
// temporary directory. Every lock is registered, commissioned and confirms its first shadow first
// (not timed); then
//   t0: Devices::place_many(all N locks, one code)   (one transaction, N desired shadows)
//   t1: Devices::progress(code).set == N             (every lock reported it: one transaction per
//                                                     burst of reports; progress() is a kept tally)
// Metrics: fanout_10k_locks_s = t1 - t0 (for N = 10,000; other N report fanout_<N>_locks_s), and
// fanout_10k_locks_cpu_s, this process's CPU meanwhile (server and simulator share one thread).
// Usage: bench_devices [locks=10000] [timeout_s=120]

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <string>
#include <vector>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>

#include "bench/support/metrics.hpp"
#include "bench/support/run_until.hpp"
#include "protocol/messages.hpp"
#include "runtime/real_scheduler.hpp"
#include "server/audit/audit_log.hpp"
#include "server/devices/devices.hpp"
#include "server/devices/migrations.hpp"
#include "server/http/metrics.hpp"
#include "server/live/bus.hpp"
#include "server/notify/outbox.hpp"
#include "server/store/migrations.hpp"
#include "server/store/sqlite_database.hpp"
#include "sim/broker_logins.hpp"
#include "sim/fleet.hpp"
#include "transport/broker_process.hpp"

namespace {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;
using bench::run_until;
constexpr const char* kSite = "bench";

[[noreturn]] void die(const std::string& why) {
  std::fprintf(stderr, "bench_devices: %s\n", why.c_str());
  std::exit(1);
}

double seconds_since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

// `check` at most every `every` (run_until asks after every handler; a count over the store or
// 10,000 locks is not free).
template <class Check>
auto every(std::chrono::milliseconds period, Check check) {
  return [period, check, last = Clock::time_point{}, result = false]() mutable {
    if (Clock::now() - last < period) return result;
    last = Clock::now();
    result = check();
    return result;
  };
}

}  // namespace

int main(int argc, char** argv) {
  const std::size_t locks = argc > 1 ? std::stoul(argv[1]) : 10'000;
  const std::chrono::seconds timeout(argc > 2 ? std::atoi(argv[2]) : 120);
  std::setvbuf(stdout, nullptr, _IOLBF, 0);
  char dir_template[] = "/tmp/latchkey-bench-devices-XXXXXX";
  if (::mkdtemp(dir_template) == nullptr) die("cannot create a temporary directory");
  const std::filesystem::path dir(dir_template);

  const std::size_t hubs = (locks + protocol::kMaxHubLinks - 1) / protocol::kMaxHubLinks;
  sim::FleetConfig config = sim::standard_fleet(kSite, locks, hubs, 5);
  auto logins = sim::fleet_broker_logins(config);
  if (!logins) die(logins.error().message);
  logins->push_back(transport::server_login());
  transport::BrokerSettings settings;
  settings.dir = dir / "broker";
  auto broker = transport::BrokerProcess::start(settings, *logins);
  if (!broker) die(broker.error().message);

  asio::io_context io;
  config.broker.port = broker->port();
  config.credentials = broker->credentials();
  const std::vector<sim::LockSpec> lock_specs = config.locks;
  const std::vector<sim::HubSpec> hub_specs = config.hubs;
  auto fleet = sim::Fleet::create(io, std::move(config));
  if (!fleet) die(fleet.error().message);
  runtime::Scheduler& scheduler = (*fleet)->scheduler();

  // The store: every domain the devices domain writes to.
  auto db = server::store::open_sqlite(dir / "latchkey.db");
  if (!db) die(db.error().message);
  std::vector<server::store::Migration> migrations;
  for (auto domain :
       {server::audit::migrations, server::notify::migrations, server::devices::migrations}) {
    auto list = domain();
    migrations.insert(migrations.end(), list.begin(), list.end());
  }
  if (auto m = server::store::migrate(**db, migrations); !m) die(m.error().message);
  auto writer_db = server::store::open_sqlite(dir / "latchkey.db");
  if (!writer_db) die(writer_db.error().message);
  server::audit::AuditLog audit(**db, scheduler);
  server::live::Bus live;
  server::http::Registry metrics;
  server::devices::DevicesOptions options;
  auto credentials = broker->credentials().password_for("server");
  if (!credentials) die("no server password");
  transport::ClientOptions client;
  client.host = "127.0.0.1";
  client.port = broker->port();
  client.username = "server";
  client.password = std::string(*credentials);
  client.client_id = "server";
  options.broker = client;
  server::devices::Devices devices(io, scheduler, **db, std::move(*writer_db), audit, live, metrics,
                                   options);

  if (auto s = devices.start(); !s) die(s.error().message);
  auto phase = Clock::now();
  for (const sim::HubSpec& h : hub_specs) {
    if (auto r = devices.add_hub({kSite, h.id, h.id}, "system"); !r) die(r.error().message);
  }
  for (const sim::LockSpec& l : lock_specs) {
    server::devices::LockSpec spec;
    spec.site = kSite;
    spec.id = l.id;
    spec.name = l.id;
    spec.link = l.link;
    spec.backup_pool = 0;  // only the code under test goes out
    if (auto r = devices.add_lock(spec, "system"); !r) die(r.error().message);
  }
  if (auto s = (*fleet)->start(); !s) die(s.error().message);
  std::printf("%zu locks behind %zu hubs registered in %.1f s\n", locks, hubs,
              seconds_since(phase));

  phase = Clock::now();
  auto reachable = [&] {
    std::size_t n = 0;
    for (const sim::LockSpec& l : lock_specs) {
      auto h = devices.health(kSite, l.id);
      if (h && h->has_state && h->reachability == server::devices::Reachability::online) ++n;
    }
    return n;
  };
  if (!run_until(io,
                 every(std::chrono::milliseconds(200),
                       [&] { return devices.broker_connected() && reachable() == locks; }),
                 timeout)) {
    die("only " + std::to_string(reachable()) + " locks reachable");
  }
  std::printf("all online at the server after %.1f s\n", seconds_since(phase));

  // Commissioning, a window of 256 at a time.
  phase = Clock::now();
  std::size_t next = 0, done = 0, failed = 0, running = 0;
  auto launch = [&] {
    while (running < 256 && next < lock_specs.size()) {
      const sim::LockSpec& l = lock_specs[next++];
      auto code = (*fleet)->pairing_code(l.id);
      if (!code) die(code.error().message);
      ++running;
      asio::co_spawn(
          io,
          [&, id = l.id, c = *code]() -> asio::awaitable<void> {
            auto r = co_await devices.commission(kSite, id, c, "system");
            if (!r) {
              ++failed;
              std::fprintf(stderr, "commission %s: %s\n", id.c_str(), r.error().message.c_str());
            }
            ++done;
            --running;
          },
          asio::detached);
    }
  };
  if (!run_until(
          io,
          [&] {
            launch();
            return done == locks;
          },
          timeout)) {
    die("commissioned only " + std::to_string(done));
  }
  if (failed != 0) die(std::to_string(failed) + " locks not commissioned");
  std::printf("all commissioned in %.1f s\n", seconds_since(phase));

  // Every lock confirms its first shadow before the clock starts: what is still settling from
  // commissioning is not the fan-out's work.
  phase = Clock::now();
  auto in_sync = [&] {
    std::size_t n = 0;
    for (const sim::LockSpec& l : lock_specs) {
      auto h = devices.health(kSite, l.id);
      if (h && h->in_sync) ++n;
    }
    return n;
  };
  if (!run_until(io, every(std::chrono::milliseconds(200), [&] { return in_sync() == locks; }),
                 timeout)) {
    die("only " + std::to_string(in_sync()) + " locks in sync after commissioning");
  }
  devices.sync();
  std::printf("all in sync after %.1f s\n", seconds_since(phase));

  std::vector<std::string> ids;
  for (const sim::LockSpec& l : lock_specs)
    ids.push_back(l.id);
  server::devices::PinPlacement code;
  code.credential = "bench-code";
  code.pin = "482913";
  code.holder = "account:acc_bench";
  const auto t0 = Clock::now();
  const std::clock_t cpu0 = std::clock();
  auto placed = devices.place_many(kSite, ids, code);
  if (!placed) die(placed.error().message);
  std::size_t set = 0;
  const bool all = run_until(io,
                             every(std::chrono::milliseconds(5),
                                   [&] {
                                     auto p = devices.progress(kSite, "bench-code");
                                     set = p ? p->set : 0;
                                     return set == locks;
                                   }),
                             timeout);
  const double fanout_s = seconds_since(t0);
  // This process only (server and simulator on one thread); the broker runs beside it.
  const double cpu_s = double(std::clock() - cpu0) / CLOCKS_PER_SEC;
  std::printf("fan-out to %zu locks: %zu set after %.3f s%s (%.2f s of this process's CPU)\n",
              locks, set, fanout_s, all ? "" : " (TIMED OUT)", cpu_s);

  devices.stop();
  (*fleet)->stop();
  (void)broker->stop();
  std::filesystem::remove_all(dir);
  bench::Metrics out;
  const std::string name =
      locks == 10'000 ? "fanout_10k_locks_s" : "fanout_" + std::to_string(locks) + "_locks_s";
  out[name] = all ? fanout_s : -1;
  out[name.substr(0, name.size() - 2) + "_cpu_s"] = cpu_s;
  return bench::write_metrics("devices", out) ? 0 : 1;
}
