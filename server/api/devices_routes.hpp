#pragma once
// A site's locks and hubs over HTTP (documented in server/api/openapi/devices.json). They only map
// requests to server::doors::Doors calls (devices behind access's policy) and results to JSON.
//
//   GET  /api/v1/sites/{site}/locks                 the locks the caller may see, with health
//   POST /api/v1/sites/{site}/locks                 register (if new) and commission a lock
//   GET  /api/v1/sites/{site}/locks/{lock}          one lock with its health (the read API)
//   GET  /api/v1/sites/{site}/hubs                  hubs with their health and links
//   POST /api/v1/sites/{site}/hubs                  register a hub
//   POST /api/v1/sites/{site}/locks/{lock}/unlock   an action attempt, answered once decided
//   POST /api/v1/sites/{site}/locks/{lock}/lock
//   GET  /api/v1/sites/{site}/commands/{command}    one attempt
//   GET  /api/v1/sites/{site}/locks/{lock}/battery?from   samples and the forecast

#include "server/api/route_support.hpp"
#include "server/doors/doors.hpp"

namespace server::api {

// `doors` must outlive the router.
void add_devices_routes(http::Router& router, doors::Doors& doors, Authenticate authenticate);

}  // namespace server::api
