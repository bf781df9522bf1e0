#pragma once
// The one table from a domain error (server::Error) to an HTTP error answer (http::Error).

#include "server/common/error.hpp"
#include "server/http/error.hpp"
#include "server/http/message.hpp"

namespace server::api {

http::Error to_http(const Error& error);
// The standard error answer for a domain error (http::error_response of to_http). An
// unauthenticated answer carries `WWW-Authenticate: Bearer realm="latchkey"` (RFC 6750), the
// API's one scheme.
http::Response error_response(const Error& error);

}  // namespace server::api
