#include "server/http/error.hpp"

#include <array>

#include <fmt/format.h>

namespace server::http {

namespace {

struct Entry {
  Code code;
  std::string_view name;
  unsigned status;
};

constexpr std::array kTable{
    Entry{Code::malformed_request, "malformed_request", 400},
    Entry{Code::invalid_json, "invalid_json", 400},
    Entry{Code::invalid_field, "invalid_field", 400},
    Entry{Code::missing_field, "missing_field", 400},
    Entry{Code::unauthenticated, "unauthenticated", 401},
    Entry{Code::forbidden, "forbidden", 403},
    Entry{Code::not_found, "not_found", 404},
    Entry{Code::method_not_allowed, "method_not_allowed", 405},
    Entry{Code::conflict, "conflict", 409},
    Entry{Code::payload_too_large, "payload_too_large", 413},
    Entry{Code::unsupported_media_type, "unsupported_media_type", 415},
    Entry{Code::header_too_large, "header_too_large", 431},
    Entry{Code::rate_limited, "rate_limited", 429},
    Entry{Code::internal, "internal", 500},
    Entry{Code::unavailable, "unavailable", 503},
};

const Entry& entry(Code code) {
  for (const Entry& e : kTable) {
    if (e.code == code) return e;
  }
  return kTable[13];  // internal
}

}  // namespace

std::string_view code_name(Code code) {
  return entry(code).name;
}
unsigned status_of(Code code) {
  return entry(code).status;
}

std::vector<std::string_view> all_code_names() {
  std::vector<std::string_view> names;
  for (const Entry& e : kTable)
    names.push_back(e.name);
  return names;
}

Error Error::invalid_field(std::string_view field, std::string_view what) {
  return {Code::invalid_field, fmt::format("\"{}\" {}", field, what), std::string(field)};
}

Error Error::missing_field(std::string_view field) {
  return {Code::missing_field, fmt::format("\"{}\" is required", field), std::string(field)};
}

Error Error::rate_limited(int retry_after_s, std::string message) {
  Error e{Code::rate_limited, std::move(message)};
  e.retry_after_s = retry_after_s;
  return e;
}

}  // namespace server::http
