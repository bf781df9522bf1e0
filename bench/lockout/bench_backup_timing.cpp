// bench_lockout_backup: does the answer to POST /api/v1/lockout/backup-codes give away whether the
// account exists? DESIGN.md invariant 3 says the reply is the same whether or not it does; this
// measures that its timing is too. A whole Node (real scheduler, its own store, no broker) on
// loopback; one keep-alive client sends requests for an unknown email and for a known, eligible
// resident's email, interleaved (unknown, known, unknown, ...), kPairs of each after a warm-up.
// Each request's time is from writing it to reading the whole answer.
//
//   backup_request_timing_ratio       median(unknown) / median(known)   (must lie in 0.9-1.1)
//   backup_request_timing_ratio_p90   p90(unknown) / p90(known)
//   backup_request_us_p50_known / _unknown   the medians, for context
//
// The per-value, per-source and per-account limits are raised for this bench only (Lockout's
// Options), so that every request is worked through as a real one would be.

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <future>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <spdlog/spdlog.h>

#include "bench/lockout/percentile.hpp"
#include "bench/support/metrics.hpp"
#include "runtime/real_scheduler.hpp"
#include "server/access/memberships.hpp"
#include "server/node/node.hpp"

namespace {

namespace asio = boost::asio;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

constexpr int kWarmup = 200;
constexpr int kPairs = 3000;
constexpr const char* kKnown = "rita@example.test";
constexpr const char* kUnknown = "nobody@example.test";

// Runs `f` on the io_context's thread and waits for its result.
template <class F>
auto on_io(asio::io_context& io, F f) -> decltype(f()) {
  std::packaged_task<decltype(f())()> task(std::move(f));
  auto done = task.get_future();
  asio::post(io, [&task] { task(); });
  return done.get();
}

// The same for a coroutine.
template <class T>
T on_io(asio::io_context& io, asio::awaitable<T> work) {
  std::promise<T> promise;
  auto done = promise.get_future();
  asio::post(io, [&] {
    asio::co_spawn(
        io, [&]() -> asio::awaitable<void> { promise.set_value(co_await std::move(work)); },
        asio::detached);
  });
  return done.get();
}

bool check(bool ok, const char* what) {
  if (!ok) std::fprintf(stderr, "bench_lockout_backup: %s\n", what);
  return ok;
}

// Site s1, unit 204 with door u204, its owner and Rita, a resident of 204.
bool set_up(asio::io_context& io, server::Node& node) {
  auto account = [&](const std::string& name, const std::string& phone) {
    auto made = on_io(io, node.identity().accounts().create(
                              {name + "@example.test", phone, name, "a long passphrase " + name},
                              "system:bench"));
    return made ? made->id : std::string();
  };
  const std::string owner = account("olga", "+15555550101");
  const std::string rita = account("rita", "+15555550103");
  if (!check(!owner.empty() && !rita.empty(), "accounts")) return false;
  return on_io(io, [&] {
    server::access::Access& a = node.access();
    if (!check(bool(a.sites().create(owner, {"s1", "Maple Court", "America/New_York"})), "site") ||
        !check(bool(a.units().create(owner, "s1", {"s1", "204", "Apartment 204"})), "unit") ||
        !check(bool(a.memberships().grant(owner, "s1", rita,
                                          {server::access::Role::resident, "204", {}, {}, {}})),
               "membership"))
      return false;
    server::devices::LockSpec spec;
    spec.site = "s1";
    spec.id = "u204";
    spec.name = "Door of 204";
    spec.unit = "204";
    return check(bool(node.devices().add_lock(spec, "system:bench")), "lock");
  });
}

class Client {
 public:
  explicit Client(const tcp::endpoint& endpoint) : socket_(io_) { socket_.connect(endpoint); }

  // One request on the kept-alive connection; its time in microseconds, or -1 if the answer was
  // not 202.
  double request(const std::string& email) {
    bhttp::request<bhttp::string_body> r(bhttp::verb::post, "/api/v1/lockout/backup-codes", 11);
    r.set(bhttp::field::host, "localhost");
    r.set(bhttp::field::content_type, "application/json");
    r.body() = R"({"site":"s1","door":"u204","by":"email","value":")" + email + R"("})";
    r.prepare_payload();
    const auto start = std::chrono::steady_clock::now();
    bhttp::write(socket_, r);
    bhttp::response<bhttp::string_body> answer;
    bhttp::read(socket_, buffer_, answer);
    const auto end = std::chrono::steady_clock::now();
    if (answer.result_int() != 202) {
      std::fprintf(stderr, "bench_lockout_backup: %u %s\n", answer.result_int(),
                   answer.body().c_str());
      return -1;
    }
    return std::chrono::duration<double, std::micro>(end - start).count();
  }

 private:
  asio::io_context io_;
  tcp::socket socket_;
  boost::beast::flat_buffer buffer_;
};

}  // namespace

int main() {
  spdlog::set_level(spdlog::level::warn);
  const auto dir = std::filesystem::temp_directory_path() /
                   ("latchkey_bench_backup_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);

  server::config::Config config;
  config.store.path = (dir / "latchkey.db").string();
  config.http.port = 0;
  config.log.access = false;
  config.identity.password_opslimit = 1;  // accounts are made once, before measuring
  config.identity.password_memlimit_kib = 8;
  config.identity.allow_weak_password_hash = true;

  asio::io_context io;
  runtime::RealScheduler scheduler(io);
  auto opened = server::Node::open(io, scheduler, config);
  if (!opened) {
    std::fprintf(stderr, "bench_lockout_backup: %s\n", opened.error().c_str());
    return 1;
  }
  std::unique_ptr<server::Node> node = std::move(*opened);
  auto endpoint = node->start_http();
  if (!endpoint) {
    std::fprintf(stderr, "bench_lockout_backup: %s\n", endpoint.error().c_str());
    return 1;
  }
  server::lockout::Options options;
  options.requests_per_value_per_hour = 1'000'000;
  options.requests_per_source_per_hour = 1'000'000;
  options.links_per_account_per_hour = 1'000'000;
  node->lockout().set_options(options);
  auto work = asio::make_work_guard(io);
  std::thread thread([&] { io.run(); });

  int status = 1;
  if (set_up(io, *node)) {
    Client client(*endpoint);
    std::vector<double> known, unknown;
    known.reserve(kPairs);
    unknown.reserve(kPairs);
    bool ok = true;
    for (int i = 0; ok && i < kWarmup + kPairs; ++i) {
      const double u = client.request(kUnknown);
      const double k = client.request(kKnown);
      ok = u >= 0 && k >= 0;
      if (i >= kWarmup) {
        unknown.push_back(u);
        known.push_back(k);
      }
    }
    if (ok) {
      const double p50_known = bench::percentile(known, 0.5);
      const double p50_unknown = bench::percentile(unknown, 0.5);
      const double ratio = p50_unknown / p50_known;
      const double ratio_p90 = bench::percentile(unknown, 0.9) / bench::percentile(known, 0.9);
      std::printf(
          "backup request us: known p50 %.1f p90 %.1f, unknown p50 %.1f p90 %.1f; ratio %.3f "
          "(p90 %.3f; must lie in 0.9-1.1) over %d pairs\n",
          p50_known, bench::percentile(known, 0.9), p50_unknown, bench::percentile(unknown, 0.9),
          ratio, ratio_p90, kPairs);
      status =
          bench::write_metrics("lockout_backup", {{"backup_request_timing_ratio", ratio},
                                                  {"backup_request_timing_ratio_p90", ratio_p90},
                                                  {"backup_request_us_p50_known", p50_known},
                                                  {"backup_request_us_p50_unknown", p50_unknown}})
              ? 0
              : 1;
    }
  }

  asio::post(io, [&] {
    node->stop([&] {
      work.reset();
      io.stop();
    });
  });
  thread.join();
  node.reset();
  std::filesystem::remove_all(dir);
  return status;
}
