#pragma once
// The maintenance domain's HTTP routes (documented in server/api/openapi/maintenance.json). They
// only map requests to server::maintenance calls and results to JSON; every check is the domain's.
//
//   GET  /api/v1/sites/{site}/work_orders?status=&kind=       newest first
//   POST /api/v1/sites/{site}/work_orders/{work_order}/take   open -> taken by me
//   POST /api/v1/sites/{site}/work_orders/{work_order}/close  {"note"}: -> closed
//   GET  /api/v1/sites/{site}/battery_forecasts/{lock}        samples and the forecast empty day

#include "server/api/route_support.hpp"
#include "server/maintenance/maintenance.hpp"

namespace server::api {

// `maintenance` must outlive the router.
void add_maintenance_routes(http::Router& router, maintenance::Maintenance& maintenance,
                            Authenticate authenticate);

}  // namespace server::api
