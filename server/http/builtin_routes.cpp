#include "server/http/builtin_routes.hpp"

#include "server/http/json.hpp"

namespace server::http {

void add_builtin_routes(Router& router, const Registry& metrics, std::vector<HealthCheck> checks) {
  router.get(
      "/healthz", [checks = std::move(checks)](Request&) -> boost::asio::awaitable<Response> {
        boost::json::object results;
        std::string failed;
        for (const HealthCheck& c : checks) {
          auto r = c.check();
          results[c.name] = r ? std::string("ok") : r.error();
          if (!r) failed += (failed.empty() ? "" : ", ") + c.name + ": " + r.error();
        }
        if (failed.empty()) {
          co_return json_response(200, boost::json::object{{"status", "ok"}, {"checks", results}});
        }
        boost::json::object body = error_body(Error{Code::unavailable, "not ready: " + failed});
        body["checks"] = std::move(results);
        co_return json_response(status_of(Code::unavailable), body);
      });
  router.get("/metrics", [&metrics](Request&) -> boost::asio::awaitable<Response> {
    co_return text_response(200, metrics.render(), "text/plain; version=0.0.4; charset=utf-8");
  });
}

}  // namespace server::http
