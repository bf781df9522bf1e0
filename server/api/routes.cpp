#include "server/api/routes.hpp"

#include "server/http/json.hpp"

namespace server::api {

void add_routes(http::Router& router, PlatformRoutes platform) {
  http::add_builtin_routes(router, platform.metrics, std::move(platform.health_checks));
  router.get("/api/v1/openapi.json", [](http::Request&) -> boost::asio::awaitable<http::Response> {
    co_return http::text_response(200, std::string(openapi_document()), "application/json");
  });
}

}  // namespace server::api
