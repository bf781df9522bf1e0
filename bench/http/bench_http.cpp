// bench_http: requests per second of Latchkey's HTTP server (router, handler coroutine, limits,
// metrics) against a bare Beast server, same machine, same run, same wrk load (keep-alive,
// one wrk thread, kConnections connections), each server on one thread. Reports
// http_bare_beast_rps, http_router_rps and http_router_vs_bare_beast (the read API's budget is
// >= 0.5 of the bare server). Each server is measured twice, alternating, and its best run kept,
// so that a burst of load from elsewhere on the machine does not decide the ratio.
//
// The domains' read API will reuse this driver: measure() takes any URL.

#include <cstdio>
#include <memory>
#include <string>
#include <thread>

#include <boost/asio/io_context.hpp>
#include <spdlog/spdlog.h>

#include "bench/http/bare_beast_server.hpp"
#include "bench/support/io_thread.hpp"
#include "bench/support/metrics.hpp"
#include "bench/support/wrk.hpp"
#include "server/http/json.hpp"
#include "server/http/server.hpp"

namespace {

constexpr int kLocks = 1000;
constexpr int kConnections = 32;
constexpr int kSeconds = 3;

}  // namespace

int main() {
  spdlog::set_level(spdlog::level::warn);  // access logs off, as a production server under load
  bench::Documents documents;
  for (int i = 0; i < kLocks; ++i) {
    documents["/api/v1/locks/lock-" + std::to_string(i) + "/state"] =
        R"({"lock_id":"lock-)" + std::to_string(i) +
        R"(","bolt":"locked","door":"closed","battery_pct":87,"online":true,"event_seq":4211})";
  }

  bench::IoThread bare;
  unsigned short bare_port = bench::start_bare_beast_server(bare.io, documents);
  bare.start();

  using namespace server::http;
  Router router;
  router.get("/api/v1/locks/{lock_id}/state",
             [&documents](Request& request) -> boost::asio::awaitable<Response> {
               auto it = documents.find(std::string(request.path()));
               if (it == documents.end())
                 co_return error_response(Error::not_found("no such lock"));
               co_return text_response(200, it->second, "application/json");
             });
  Registry metrics;
  bench::IoThread latchkey;
  ServerOptions options;
  options.port = 0;
  Server server(latchkey.io, router, metrics, options);
  auto bound = server.start();
  if (!bound) {
    std::fprintf(stderr, "bench_http: %s\n", bound.error().c_str());
    return 1;
  }
  latchkey.start();

  std::string path = "/api/v1/locks/lock-7/state";
  double bare_rps = 0;
  double router_rps = 0;
  const bench::WrkLoad load{1, kConnections, kSeconds, {}};
  auto measure = [&load](const std::string& url) { return bench::wrk_requests_per_s(url, load); };
  for (int round = 0; round < 2; ++round) {
    bare_rps = std::max(bare_rps, measure("http://127.0.0.1:" + std::to_string(bare_port) + path));
    router_rps =
        std::max(router_rps, measure("http://127.0.0.1:" + std::to_string(bound->port()) + path));
  }
  if (bare_rps <= 0 || router_rps <= 0) {
    std::fprintf(stderr, "bench_http: wrk failed or saw errors\n");
    return 1;
  }
  double ratio = router_rps / bare_rps;
  std::printf("http_bare_beast_rps %.0f\nhttp_router_rps %.0f\nhttp_router_vs_bare_beast %.3f\n",
              bare_rps, router_rps, ratio);
  return bench::write_metrics("http", {{"http_bare_beast_rps", bare_rps},
                                       {"http_router_rps", router_rps},
                                       {"http_router_vs_bare_beast", ratio}})
             ? 0
             : 1;
}
