#pragma once
// The access domain's HTTP routes (documented in server/api/openapi/access.json). They only map
// requests to server::access calls and results to JSON; every check is the domain's.
//
//   POST   /api/v1/sites                                   create a site (the creator owns it)
//   GET    /api/v1/sites                                   the sites visible to me
//   GET    /api/v1/sites/{site}                            one, with my roles and allowed actions
//   GET    /api/v1/sites/{site}/units                      units (those my memberships cover)
//   POST   /api/v1/sites/{site}/units                      create a unit
//   GET    /api/v1/sites/{site}/units/{unit}
//   PATCH  /api/v1/sites/{site}/units/{unit}               rename
//   DELETE /api/v1/sites/{site}/units/{unit}               remove
//   GET    /api/v1/sites/{site}/people                     memberships that have not ended
//   POST   /api/v1/sites/{site}/people                     invite by email with a role
//   PATCH  /api/v1/sites/{site}/people/{membership}        change the role
//   DELETE /api/v1/sites/{site}/people/{membership}        end the membership
//   POST   /api/v1/sites/{site}/accounts/{account}/suspend     suspend someone's access here
//   POST   /api/v1/sites/{site}/accounts/{account}/reinstate   lift it
//   POST   /api/v1/sites/{site}/transfers                  start an ownership transfer
//   GET    /api/v1/transfers                               transfers I am a party to
//   POST   /api/v1/transfers/{transfer}/accept
//   POST   /api/v1/transfers/{transfer}/cancel

#include <functional>
#include <string>

#include "server/access/access.hpp"
#include "server/api/route_support.hpp"

namespace server::api {

// `access` must outlive the router.
void add_access_routes(http::Router& router, access::Access& access, Authenticate authenticate);

}  // namespace server::api
