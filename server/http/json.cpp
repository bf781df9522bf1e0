#include "server/http/json.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "server/http/rfc3339.hpp"

namespace server::http {

namespace json = boost::json;
namespace bhttp = boost::beast::http;

Response text_response(unsigned status, std::string body, std::string_view content_type) {
  Response r;
  r.message.result(status);
  r.message.set(bhttp::field::content_type,
                boost::beast::string_view(content_type.data(), content_type.size()));
  r.message.body() = std::move(body);
  return r;
}

Response json_response(unsigned status, const json::value& body) {
  return text_response(status, json::serialize(body), "application/json");
}

Response no_content() {
  Response r;
  r.message.result(bhttp::status::no_content);
  return r;
}

json::object error_body(const Error& error) {
  json::object detail;
  detail["code"] = code_name(error.code);
  if (!error.field.empty()) detail["field"] = error.field;
  detail["message"] = error.message;
  return json::object{{"error", std::move(detail)}};
}

Response error_response(const Error& error) {
  Response r = json_response(status_of(error.code), error_body(error));
  if (error.retry_after_s)
    r.message.set(bhttp::field::retry_after, std::to_string(*error.retry_after_s));
  if (!error.allow.empty()) {
    std::string allow;
    for (const std::string& m : error.allow)
      allow += (allow.empty() ? "" : ", ") + m;
    r.message.set(bhttp::field::allow, allow);
  }
  return r;
}

Result<json::object> parse_object(const Request& request) {
  std::string_view type = request.header("Content-Type");
  if (!type.empty()) {
    std::string_view media = type.substr(0, type.find(';'));
    while (!media.empty() && media.back() == ' ')
      media.remove_suffix(1);
    if (media != "application/json") {
      return lockcore::fail(Error{Code::unsupported_media_type,
                                  "the body must be application/json, not " + std::string(media)});
    }
  }
  boost::system::error_code ec;
  json::value value = json::parse(request.body(), ec);
  if (ec) return lockcore::fail(Error::invalid_json("the body is not valid JSON: " + ec.message()));
  if (!value.is_object())
    return lockcore::fail(Error::invalid_json("the body must be a JSON object"));
  return std::move(value.as_object());
}

void ObjectReader::fail(Error error) {
  if (!error_) error_ = std::move(error);
}

const json::value* ObjectReader::find(std::string_view name, bool required) {
  read_.emplace(name);
  auto it = object_.find(name);
  if (it == object_.end() || it->value().is_null()) {
    if (required) fail(Error::missing_field(name));
    return nullptr;
  }
  return &it->value();
}

std::optional<std::string> ObjectReader::optional_text(std::string_view name,
                                                       std::size_t max_length) {
  const json::value* v = find(name, false);
  if (v == nullptr) return std::nullopt;
  if (!v->is_string()) {
    fail(Error::invalid_field(name, "must be a string"));
    return std::nullopt;
  }
  const json::string& s = v->get_string();
  if (s.empty() || s.size() > max_length) {
    fail(Error::invalid_field(name, "must be 1 to " + std::to_string(max_length) + " characters"));
    return std::nullopt;
  }
  return std::string(s);
}

std::string ObjectReader::text(std::string_view name, std::size_t max_length) {
  if (find(name, true) == nullptr) return {};
  return optional_text(name, max_length).value_or(std::string());
}

std::optional<std::int64_t> ObjectReader::optional_integer(std::string_view name, std::int64_t min,
                                                           std::int64_t max) {
  const json::value* v = find(name, false);
  if (v == nullptr) return std::nullopt;
  std::string range =
      "must be an integer from " + std::to_string(min) + " to " + std::to_string(max);
  std::optional<std::int64_t> value;
  if (v->is_int64())
    value = v->get_int64();
  else if (v->is_uint64() && v->get_uint64() <= static_cast<std::uint64_t>(INT64_MAX))
    value = static_cast<std::int64_t>(v->get_uint64());
  if (!value || *value < min || *value > max) {
    fail(Error::invalid_field(name, range));
    return std::nullopt;
  }
  return value;
}

std::int64_t ObjectReader::integer(std::string_view name, std::int64_t min, std::int64_t max) {
  if (find(name, true) == nullptr) return 0;
  return optional_integer(name, min, max).value_or(0);
}

std::optional<bool> ObjectReader::optional_boolean(std::string_view name) {
  const json::value* v = find(name, false);
  if (v == nullptr) return std::nullopt;
  if (!v->is_bool()) {
    fail(Error::invalid_field(name, "must be true or false"));
    return std::nullopt;
  }
  return v->get_bool();
}

bool ObjectReader::boolean(std::string_view name) {
  if (find(name, true) == nullptr) return false;
  return optional_boolean(name).value_or(false);
}

std::optional<lockcore::UnixMs> ObjectReader::optional_time(std::string_view name) {
  const json::value* v = find(name, false);
  if (v == nullptr) return std::nullopt;
  std::optional<lockcore::UnixMs> t;
  if (v->is_string()) t = parse_rfc3339(v->get_string());
  if (!t) fail(Error::invalid_field(name, "must be RFC 3339"));
  return t;
}

lockcore::UnixMs ObjectReader::time(std::string_view name) {
  if (find(name, true) == nullptr) return 0;
  return optional_time(name).value_or(0);
}

const json::object* ObjectReader::object(std::string_view name) {
  const json::value* v = find(name, false);
  if (v != nullptr && !v->is_object()) fail(Error::invalid_field(name, "must be an object"));
  return v != nullptr ? v->if_object() : nullptr;
}

const json::array* ObjectReader::array(std::string_view name) {
  const json::value* v = find(name, false);
  if (v != nullptr && !v->is_array()) fail(Error::invalid_field(name, "must be an array"));
  return v != nullptr ? v->if_array() : nullptr;
}

lockcore::Result<void, Error> ObjectReader::finish() {
  if (error_) return lockcore::fail(*error_);
  for (const auto& field : object_) {
    if (!read_.contains(std::string_view(field.key()))) {
      return lockcore::fail(Error::invalid_field(field.key(), "is not a known field"));
    }
  }
  return {};
}

}  // namespace server::http
