#pragma once
// JSON in and out of handlers, on Boost.JSON, with strict readers that produce the standard error
// (error.hpp) naming the field that was wrong.

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "lockcore/types.hpp"
#include "server/http/error.hpp"
#include "server/http/message.hpp"

namespace server::http {

// A complete answer with a JSON body (Content-Type: application/json).
Response json_response(unsigned status, const boost::json::value& body);
// {"error": {"code": …, "field": …, "message": …}} for `error`.
boost::json::object error_body(const Error& error);
// The standard error answer: status from the code table, Retry-After and Allow when set.
Response error_response(const Error& error);
// Any other body, e.g. text/plain for /metrics.
Response text_response(unsigned status, std::string body, std::string_view content_type);
// 204 No Content.
Response no_content();

// The request body as a JSON object. Errors: unsupported_media_type when a Content-Type other
// than application/json is given; invalid_json when the body is not JSON or not an object.
Result<boost::json::object> parse_object(const Request& request);

// Reads the fields of one JSON object strictly. Each reader returns the value, or a neutral
// value after the first error (which it records); finish() returns that first error, or an
// invalid_field error for a field that no reader asked for. Null counts as absent.
//
//   ObjectReader in(body);
//   auto name = in.text("name", 64);
//   auto starts = in.time("starts_at");
//   if (auto done = in.finish(); !done) return error_response(done.error());
class ObjectReader {
 public:
  explicit ObjectReader(const boost::json::object& object) : object_(object) {}

  // A string of 1..max_length bytes.
  std::string text(std::string_view name, std::size_t max_length = 1024);
  std::optional<std::string> optional_text(std::string_view name, std::size_t max_length = 1024);
  // An integer in [min, max] (a JSON number without fraction or exponent).
  std::int64_t integer(std::string_view name, std::int64_t min, std::int64_t max);
  std::optional<std::int64_t> optional_integer(std::string_view name, std::int64_t min,
                                               std::int64_t max);
  bool boolean(std::string_view name);
  std::optional<bool> optional_boolean(std::string_view name);
  // An RFC 3339 timestamp string, as Unix milliseconds.
  lockcore::UnixMs time(std::string_view name);
  std::optional<lockcore::UnixMs> optional_time(std::string_view name);
  // A nested object or array, returned as is (read it with another ObjectReader).
  const boost::json::object* object(std::string_view name);
  const boost::json::array* array(std::string_view name);

  bool ok() const { return !error_; }
  lockcore::Result<void, Error> finish();

 private:
  // The field's value; nullptr when absent or null (recording missing_field if `required`).
  const boost::json::value* find(std::string_view name, bool required);
  void fail(Error error);

  const boost::json::object& object_;
  std::set<std::string, std::less<>> read_;
  std::optional<Error> error_;
};

}  // namespace server::http
