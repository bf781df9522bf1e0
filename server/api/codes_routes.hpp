#pragma once
// Keypad codes over HTTP (documented in server/api/openapi/codes.json). They only map requests to
// server::codes::Codes calls and results to JSON; every check is the domain's.
//
//   GET    /api/v1/sites/{site}/codes                        the codes the caller may see
//   POST   /api/v1/sites/{site}/codes                        a code on one or many locks (201,
//                                                            with its PIN shown this once)
//   DELETE /api/v1/sites/{site}/codes/{code}                 withdrawn from every lock
//   GET    /api/v1/sites/{site}/codes/{code}/progress        the fan-out's counts
//   GET    /api/v1/sites/{site}/accounts/{account}/removals  doors where removal is pending

#include "server/api/route_support.hpp"
#include "server/codes/codes.hpp"

namespace server::api {

// `codes` must outlive the router.
void add_codes_routes(http::Router& router, codes::Codes& codes, Authenticate authenticate);

}  // namespace server::api
