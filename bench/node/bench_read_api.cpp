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
// Metrics: read_api_gets_per_s, bare_beast_gets_per_s, read_api_vs_bare_beast (budget >= 0.5).

#include <algorithm>
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
  double bare_rps = 0;
  double api_rps = 0;
  for (int round = 0; round < 2; ++round) {
    bare_rps = std::max(bare_rps, bench::wrk_requests_per_s(url(bare_port, path), load));
    api_rps = std::max(api_rps, bench::wrk_requests_per_s(url(site.endpoint().port(), path), load));
  }
  if (bare_rps <= 0 || api_rps <= 0) {
    std::fprintf(stderr, "bench_read_api: wrk failed or saw errors\n");
    return 1;
  }
  const double ratio = api_rps / bare_rps;
  std::printf("bare_beast_gets_per_s %.0f\nread_api_gets_per_s %.0f\nread_api_vs_bare_beast %.3f\n",
              bare_rps, api_rps, ratio);
  return bench::write_metrics("read_api", {{"bare_beast_gets_per_s", bare_rps},
                                           {"read_api_gets_per_s", api_rps},
                                           {"read_api_vs_bare_beast", ratio}})
             ? 0
             : 1;
}
