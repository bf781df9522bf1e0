// bench_unlock: remote unlock, HTTP request to HTTP answer, through the whole server (a Node on
// SQLite in WAL mode), a real Mosquitto and the real simulator's locks on loopback (see
// node_site.hpp), at a steady rate, open loop.
//
// Open loop: request n is due at t0 + n / rate whatever happened before it, and its latency is
// counted from that due time, not from when a connection got round to sending it, so a stall of
// the server shows in every request it delayed (no coordinated omission). kConnections keep-alive
// connections on one driver thread take the requests in order; each waits for its request's due
// time. Request n unlocks lock n % locks, so each of the 1,000 locks is asked every 2 s.
//
// What the answer waits for: the lock's ack. A simulated lock acks an unlock after its motor has
// turned the bolt (about 1 s, lockcore::model::BoltParams::turn_ms) and its firmware has read the
// end-stop switch (every lockcore::kTurnCheckMs, 100 ms): that measures a motor, not the
// platform. So every lock is unlocked once first (not timed) and auto-relock is off (the default):
// each measured unlock finds its bolt already retracted and the firmware acks at once ("nothing to
// turn") after the same checks as any command (signature, site key, expiry, replay). The server's
// path is the whole one: session, role check, command row and audit entry, signing, QoS 1 publish,
// ack, outcome row, answer.
//
// Metrics: unlock_rtt_p50_ms, unlock_rtt_p99_ms (budget 2 ms and 10 ms at 500/s),
// unlock_rtt_p999_ms, unlock_rtt_max_ms, unlock_sent_per_s (achieved), unlock_server_cpu_us (CPU
// time of the Node's thread per unlock: what the server costs, whatever else loads the machine),
// unlock_failed (answers other than 200 "succeeded", and connection errors; any fails the run).
// Usage: bench_unlock [rate=500] [seconds=20] [locks=1000]

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>

#include "bench/node/node_site.hpp"
#include "bench/support/metrics.hpp"

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using Clock = std::chrono::steady_clock;

constexpr int kConnections = 32;
constexpr std::chrono::seconds kWarmUp{3};
constexpr int kPrimeConnections = 128;

// The load: requests [0, total) due at start + n * period; latencies of n >= first_measured.
struct Load {
  asio::ip::tcp::endpoint endpoint;
  std::string token;
  const std::vector<std::string>* locks = nullptr;
  Clock::time_point start;
  Clock::duration period{};  // zero: closed loop, each request sent when a connection is free
  std::size_t total = 0;
  std::size_t first_measured = 0;

  std::size_t next = 0;
  std::size_t finished = 0;
  std::size_t failed = 0;
  std::vector<double> latencies_ms;
};

std::string unlock_target(const Load& load, std::size_t n) {
  return bench::NodeSite::site_path("/locks/" + (*load.locks)[n % load.locks->size()] + "/unlock");
}

void fail(Load& load, const std::string& why) {
  if (++load.failed <= 5) std::fprintf(stderr, "bench_unlock: %s\n", why.c_str());
}

// One keep-alive connection taking the next request while any is left.
asio::awaitable<void> connection(Load& load) {
  auto executor = co_await asio::this_coro::executor;
  std::optional<beast::tcp_stream> stream;
  asio::steady_timer timer(executor);
  beast::flat_buffer buffer;
  while (load.next < load.total) {
    const std::size_t n = load.next++;
    const Clock::time_point due = load.start + load.period * static_cast<long>(n);
    beast::error_code ec;
    if (load.period != Clock::duration::zero()) {
      timer.expires_at(due);
      co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    }
    const Clock::time_point sent = Clock::now();
    if (!stream) {
      stream.emplace(executor);
      co_await stream->async_connect(load.endpoint, asio::redirect_error(asio::use_awaitable, ec));
      if (!ec) stream->socket().set_option(asio::ip::tcp::no_delay(true));
    }
    bhttp::response<bhttp::string_body> response;
    if (!ec) {
      bhttp::request<bhttp::empty_body> request(bhttp::verb::post, unlock_target(load, n), 11);
      request.set(bhttp::field::host, "localhost");
      request.set(bhttp::field::authorization, "Bearer " + load.token);
      request.keep_alive(true);
      request.prepare_payload();
      co_await bhttp::async_write(*stream, request, asio::redirect_error(asio::use_awaitable, ec));
    }
    if (!ec) {
      co_await bhttp::async_read(*stream, buffer, response,
                                 asio::redirect_error(asio::use_awaitable, ec));
    }
    const Clock::time_point answered = Clock::now();
    ++load.finished;
    if (ec) {
      fail(load, "request " + std::to_string(n) + ": " + ec.message());
      stream.reset();
      buffer.clear();
      continue;
    }
    if (response.result_int() != 200 ||
        response.body().find(R"("status":"succeeded")") == std::string::npos) {
      fail(load, "request " + std::to_string(n) + ": " + std::to_string(response.result_int()) +
                     " " + response.body());
    }
    if (!response.keep_alive()) stream.reset();
    if (n >= load.first_measured) {
      const auto from = load.period != Clock::duration::zero() ? due : sent;
      load.latencies_ms.push_back(
          std::chrono::duration<double, std::milli>(answered - from).count());
    }
  }
}

void run(Load& load, int connections) {
  asio::io_context io;
  for (int i = 0; i < connections; ++i)
    asio::co_spawn(io, connection(load), asio::detached);
  io.run();
}

double percentile(std::vector<double> sorted, double p) {
  if (sorted.empty()) return -1;
  std::sort(sorted.begin(), sorted.end());
  const auto rank = static_cast<std::size_t>(std::ceil(p * static_cast<double>(sorted.size())));
  return sorted[std::clamp<std::size_t>(rank, 1, sorted.size()) - 1];
}

}  // namespace

int main(int argc, char** argv) {
  std::setvbuf(stdout, nullptr, _IOLBF, 0);
  const int rate = argc > 1 ? std::atoi(argv[1]) : 500;
  const int seconds = argc > 2 ? std::atoi(argv[2]) : 20;
  const std::size_t locks = argc > 3 ? std::stoul(argv[3]) : 1000;
  if (rate <= 0 || seconds <= 0 || locks == 0) {
    std::fprintf(stderr, "usage: bench_unlock [rate=500] [seconds=20] [locks=1000]\n");
    return 2;
  }
  bench::NodeSite site({locks});

  // Every bolt retracted first, each unlock through a motor turn (closed loop, not measured).
  Load prime;
  prime.endpoint = site.endpoint();
  prime.token = site.token();
  prime.locks = &site.locks();
  prime.start = Clock::now();
  prime.total = locks;
  run(prime, kPrimeConnections);
  std::printf("every lock unlocked once (through its motor): median %.0f ms, %zu failed\n",
              percentile(prime.latencies_ms, 0.5), prime.failed);
  if (prime.failed != 0) return 1;

  Load load;
  load.endpoint = site.endpoint();
  load.token = site.token();
  load.locks = &site.locks();
  load.period = std::chrono::duration_cast<Clock::duration>(std::chrono::seconds(1)) / rate;
  load.first_measured = static_cast<std::size_t>(rate) * kWarmUp.count();
  load.total = load.first_measured + static_cast<std::size_t>(rate) * seconds;
  load.start = Clock::now() + std::chrono::milliseconds(100);
  const double cpu0 = site.node_cpu_s();
  run(load, kConnections);
  const double server_cpu_us = (site.node_cpu_s() - cpu0) * 1e6 / static_cast<double>(load.total);
  const double took = std::chrono::duration<double>(Clock::now() - load.start).count();
  const double sent_per_s = static_cast<double>(load.total) / took;

  const double p50 = percentile(load.latencies_ms, 0.50);
  const double p99 = percentile(load.latencies_ms, 0.99);
  const double p999 = percentile(load.latencies_ms, 0.999);
  const double max = percentile(load.latencies_ms, 1.0);
  std::printf(
      "%zu unlocks at %d/s over %d s after %lld s of warm-up (%.0f/s achieved), %zu failed:\n"
      "  p50 %.3f ms  p99 %.3f ms  p99.9 %.3f ms  max %.3f ms; server thread CPU %.0f us each\n",
      load.latencies_ms.size(), rate, seconds, static_cast<long long>(kWarmUp.count()), sent_per_s,
      load.failed, p50, p99, p999, max, server_cpu_us);
  const bool written = bench::write_metrics("unlock", {{"unlock_rtt_p50_ms", p50},
                                                       {"unlock_rtt_p99_ms", p99},
                                                       {"unlock_rtt_p999_ms", p999},
                                                       {"unlock_rtt_max_ms", max},
                                                       {"unlock_sent_per_s", sent_per_s},
                                                       {"unlock_server_cpu_us", server_cpu_us},
                                                       {"unlock_failed", double(load.failed)}});
  return written && load.failed == 0 ? 0 : 1;
}
