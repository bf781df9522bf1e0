// bench_read_api: lock-state reads per second through the whole server against a bare Beast
// server, same machine, same run, same wrk load (keep-alive, kThreads threads, kConnections
// connections, kSeconds each), each server on one thread.
//
// Latchkey: GET /api/v1/sites/<site>/locks/<lock> with a signed-in owner's bearer token, on a
// whole Node (node_site.hpp: SQLite, a real broker and the simulator's 1,000 locks online); every
// request is authenticated and authorised as any app's. The baseline: bench/http's bare Beast
// server answering the same path with the very body the Node answered (same size, same type).
// Each server is measured twice, alternating, and its best run kept, so that a burst of load from
// elsewhere on the shared machine does not decide the ratio.
// Metrics: read_api_gets_per_s, bare_beast_gets_per_s, read_api_vs_bare_beast (budget >= 0.5), and
// the CPU time each server's thread spent per request in its best run (read_api_cpu_us,
// bare_beast_cpu_us): what a GET costs whatever else loads the machine. (Requests are counted as
// wrk's rate times the run's length: wrk's own count differs by the few ms it overruns.)

#include <cstdio>
#include <string>

#include "bench/http/bare_beast_server.hpp"
#include "bench/node/node_site.hpp"
#include "bench/support/io_thread.hpp"
#include "bench/support/metrics.hpp"
#include "bench/support/wrk.hpp"

namespace {

constexpr int kThreads = 2;
constexpr int kConnections = 64;
constexpr int kSeconds = 10;

std::string url(unsigned short port, const std::string& path) {
  return "http://127.0.0.1:" + std::to_string(port) + path;
}

struct Run {
  double per_s = 0;
  double cpu_us = 0;  // of the server's thread, per request
};

// One wrk run against `target`, with the CPU the server's thread (`cpu_s()`) used meanwhile.
template <class Cpu>
Run measure(const std::string& target, const bench::WrkLoad& load, Cpu cpu_s) {
  const double before = cpu_s();
  Run run;
  run.per_s = bench::wrk_requests_per_s(target, load);
  if (run.per_s > 0) run.cpu_us = (cpu_s() - before) * 1e6 / (run.per_s * load.seconds);
  return run;
}

void keep_best(Run& best, const Run& run) {
  if (run.per_s > best.per_s) best = run;
}

}  // namespace

int main() {
  std::setvbuf(stdout, nullptr, _IOLBF, 0);
  bench::NodeSite site({1000});
  const std::string path = bench::NodeSite::site_path("/locks/" + site.locks()[7]);
  bench::BlockingClient client(site.endpoint());
  const auto state = client.call(boost::beast::http::verb::get, path, site.token());
  if (state.status != 200) {
    std::fprintf(stderr, "bench_read_api: GET %s: %u %s\n", path.c_str(), state.status,
                 state.body.c_str());
    return 1;
  }
  std::printf("GET %s answers %zu bytes: %s\n", path.c_str(), state.body.size(),
              state.body.c_str());

  const bench::Documents documents{{path, state.body}};
  bench::IoThread bare;
  const unsigned short bare_port = bench::start_bare_beast_server(bare.io, documents);
  bare.start();

  const bench::WrkLoad load{
      kThreads, kConnections, kSeconds, {"Authorization: Bearer " + site.token()}};
  Run bare_best;
  Run api_best;
  for (int round = 0; round < 2; ++round) {
    keep_best(bare_best, measure(url(bare_port, path), load,
                                 [&bare] { return bench::thread_cpu_s(bare.thread); }));
    keep_best(api_best, measure(url(site.endpoint().port(), path), load,
                                [&site] { return site.node_cpu_s(); }));
  }
  if (bare_best.per_s <= 0 || api_best.per_s <= 0) {
    std::fprintf(stderr, "bench_read_api: wrk failed or saw errors\n");
    return 1;
  }
  const double ratio = api_best.per_s / bare_best.per_s;
  std::printf(
      "bare_beast_gets_per_s %.0f\nread_api_gets_per_s %.0f\nread_api_vs_bare_beast %.3f\n"
      "bare_beast_cpu_us %.2f\nread_api_cpu_us %.2f\n",
      bare_best.per_s, api_best.per_s, ratio, bare_best.cpu_us, api_best.cpu_us);
  return bench::write_metrics("read_api", {{"bare_beast_gets_per_s", bare_best.per_s},
                                           {"read_api_gets_per_s", api_best.per_s},
                                           {"read_api_vs_bare_beast", ratio},
                                           {"bare_beast_cpu_us", bare_best.cpu_us},
                                           {"read_api_cpu_us", api_best.cpu_us}})
             ? 0
             : 1;
}
