#pragma once
// Live updates over server-sent events (documented in server/api/openapi/live.json):
//
//   GET /api/v1/sites/{site}/live   events `lock`, `hub`, `command`, `credential`, `fanout`,
//                                   `event`, `work_order`, each a JSON object
//
// Only the route's site, and of it only what the caller may see now (server/doors/live_feed.hpp).

#include "server/api/route_support.hpp"
#include "server/doors/live_feed.hpp"
#include "server/live/bus.hpp"

namespace server::api {

// `feed`, `bus` and `access` must outlive the router.
void add_live_routes(http::Router& router, live::Bus& bus, const doors::LiveFeed& feed,
                     access::Access& access, const runtime::Clock& clock,
                     Authenticate authenticate);

}  // namespace server::api
