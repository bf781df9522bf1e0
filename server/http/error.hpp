#pragma once
// http::Error: the one way an HTTP answer says what went wrong. Every error answer is
//   {"error": {"code": "invalid_field", "field": "starts_at", "message": "\"starts_at\" must be
//   RFC 3339"}}
// with the HTTP status taken from the code by one table (error.cpp), so a client can switch on
// `code` (stable, machine-readable) and show `message` (names what was wrong).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lockcore/result.hpp"

namespace server::http {

enum class Code {
  malformed_request,       // 400 not valid HTTP/1.1, or a bad percent-encoding
  invalid_json,            // 400 the body is not JSON, or not the JSON shape expected
  invalid_field,           // 400 a field has the wrong type or value
  missing_field,           // 400 a required field is absent
  unauthenticated,         // 401
  forbidden,               // 403
  not_found,               // 404 unknown path or unknown id
  method_not_allowed,      // 405 (with Allow)
  conflict,                // 409
  payload_too_large,       // 413 the body is over the limit
  unsupported_media_type,  // 415 a body that is not application/json
  header_too_large,        // 431 the request head is over the limit
  rate_limited,            // 429 (with Retry-After)
  internal,                // 500
  unavailable,             // 503
};

struct Error {
  Error() = default;
  Error(Code code, std::string message, std::string field = {})
      : code(code), message(std::move(message)), field(std::move(field)) {}

  Code code = Code::internal;
  std::string message;
  std::string field;                 // the offending field, for the *_field codes
  std::optional<int> retry_after_s;  // rate_limited, unavailable: sent as Retry-After
  std::vector<std::string> allow;    // method_not_allowed: sent as Allow

  // `"starts_at" must be RFC 3339` — `what` completes the sentence after the quoted name.
  static Error invalid_field(std::string_view field, std::string_view what);
  // `"starts_at" is required`
  static Error missing_field(std::string_view field);
  static Error invalid_json(std::string message) {
    return {Code::invalid_json, std::move(message)};
  }
  static Error not_found(std::string message) { return {Code::not_found, std::move(message)}; }
  static Error conflict(std::string message) { return {Code::conflict, std::move(message)}; }
  static Error internal(std::string message) { return {Code::internal, std::move(message)}; }
  static Error rate_limited(int retry_after_s, std::string message);
};

template <class T>
using Result = lockcore::Result<T, Error>;

// The table: stable name and HTTP status of each code.
std::string_view code_name(Code code);
unsigned status_of(Code code);
// Every code's name, in table order (the OpenAPI document lists the same set).
std::vector<std::string_view> all_code_names();

}  // namespace server::http
