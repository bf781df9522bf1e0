#pragma once
// The one table from a domain error (server::Error) to an HTTP error answer (http::Error).

#include "server/common/error.hpp"
#include "server/http/error.hpp"

namespace server::api {

http::Error to_http(const Error& error);

}  // namespace server::api
