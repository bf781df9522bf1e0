#include "server/api/error_mapping.hpp"

namespace server::api {

http::Error to_http(const Error& error) {
  http::Code code = http::Code::internal;
  switch (error.code) {
    case Errc::invalid_field:
      code = http::Code::invalid_field;
      break;
    case Errc::missing_field:
      code = http::Code::missing_field;
      break;
    case Errc::unauthenticated:
      code = http::Code::unauthenticated;
      break;
    case Errc::forbidden:
      code = http::Code::forbidden;
      break;
    case Errc::not_found:
      code = http::Code::not_found;
      break;
    case Errc::conflict:
      code = http::Code::conflict;
      break;
    case Errc::rate_limited:
      code = http::Code::rate_limited;
      break;
    case Errc::unavailable:
      code = http::Code::unavailable;
      break;
    case Errc::timed_out:
      code = http::Code::unavailable;
      break;
    case Errc::internal:
      code = http::Code::internal;
      break;
  }
  http::Error out(code, error.message, error.field);
  out.retry_after_s = error.retry_after_s;
  return out;
}

}  // namespace server::api
