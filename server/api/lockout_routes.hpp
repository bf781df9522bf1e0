#pragma once
// The lockout domain's HTTP routes (documented in server/api/openapi/lockout.json). They only map
// requests to server::lockout calls and results to JSON; every check is the domain's.
//
//   POST /api/v1/lockout/cases                    the wizard: {site, door | unit, symptoms, …};
//                                                 signed in or not
//   GET  /api/v1/lockout/cases/{case}             the case, its diagnosis as opened, its actions
//   POST /api/v1/lockout/cases/{case}/actions     {action, method?, code?}
//   POST /api/v1/lockout/backup-codes             {site, door, by, value, case?}: 202, always alike
//   GET  /api/v1/lockout/backup-links/{token}     {code, lock_name, site_name, expires_at}; 410
//   GET  /api/v1/sites/{site}/lockout/cases       the site's cases (diagnose_and_recover)

#include "server/api/auth.hpp"
#include "server/api/route_support.hpp"
#include "server/lockout/lockout.hpp"

namespace server::api {

// `lockout` and `auth` must outlive the router.
void add_lockout_routes(http::Router& router, lockout::Lockout& lockout, const Auth& auth);

}  // namespace server::api
