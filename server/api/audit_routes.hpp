#pragma once
// A site's audit log over HTTP (documented in server/api/openapi/audit.json), for those who may
// read it (server/doors/site_audit.hpp).
//
//   GET /api/v1/sites/{site}/audit?type&actor&target&from&until&before&limit   newest first

#include "server/api/route_support.hpp"
#include "server/doors/site_audit.hpp"

namespace server::api {

// `audit` must outlive the router.
void add_audit_routes(http::Router& router, doors::SiteAudit& audit, Authenticate authenticate);

}  // namespace server::api
