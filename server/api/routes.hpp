#pragma once
// api: maps HTTP to the domains. Every route the server answers is added here, in one place, and
// documented in server/api/openapi.json (tests/server/api checks the two agree both ways).
// Today: the platform routes; the domains' routes join as they land.

#include <string_view>
#include <vector>

#include "server/http/builtin_routes.hpp"
#include "server/http/router.hpp"

namespace server::api {

struct PlatformRoutes {
  const http::Registry& metrics;
  std::vector<http::HealthCheck> health_checks;
};

// GET /healthz, GET /metrics, GET /api/v1/openapi.json.
void add_routes(http::Router& router, PlatformRoutes platform);

// server/api/openapi.json, compiled in.
std::string_view openapi_document();

}  // namespace server::api
