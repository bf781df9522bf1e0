#pragma once
// The routes every Latchkey server has: GET /healthz and GET /metrics.

#include <functional>
#include <string>
#include <vector>

#include "lockcore/result.hpp"
#include "server/http/metrics.hpp"
#include "server/http/router.hpp"

namespace server::http {

// One readiness check (e.g. "store": can the database be read?): ok, or why not.
struct HealthCheck {
  std::string name;
  std::function<lockcore::Result<void, std::string>()> check;
};

// GET /healthz: 200 {"status":"ok","checks":{"store":"ok"}}, or 503 with
//   {"error":{"code":"unavailable",…},"checks":{"store":"<why>"}} when any check fails.
// GET /metrics: `metrics` in the Prometheus text format.
void add_builtin_routes(Router& router, const Registry& metrics,
                        std::vector<HealthCheck> checks = {});

}  // namespace server::http
