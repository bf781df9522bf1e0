#pragma once
// What every domain's routes share: who is calling (the Authenticate seam), reading a strict JSON
// body, and turning a domain result into an answer. Routes only map HTTP to a domain's calls.

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "server/api/error_mapping.hpp"
#include "server/common/error.hpp"
#include "server/http/json.hpp"
#include "server/http/router.hpp"

namespace server::api {

// Who is asking: the authenticated account's id, or unauthenticated. Node answers it through
// identity's sessions (server/api/auth.hpp); route tests pass their own.
using Authenticate = std::function<Result<std::string>(const http::Request&)>;

// What a handler does once the caller is known: takes the account id and the request.
using Act = std::function<http::Response(const std::string& actor, http::Request& request)>;

// A handler that answers the authentication error, or runs `act` for the caller.
http::Handler authenticated(const Authenticate& authenticate, Act act);

// The same for an act that waits (on a lock's answer, a pairing): a coroutine.
using AsyncAct = std::function<boost::asio::awaitable<http::Response>(std::string actor,
                                                                      http::Request& request)>;
http::Handler authenticated_async(const Authenticate& authenticate, AsyncAct act);

http::Response answer(const Error& error);
// 204 No Content, or the error.
http::Response answer(const Status& status);
template <class T, class F>
http::Response answer(const Result<T>& result, F to_json, unsigned status = 200) {
  if (!result) return answer(result.error());
  return http::json_response(status, to_json(*result));
}

// {key: [to_json(item)…]}
template <class T, class F>
boost::json::object list_json(std::string_view key, const std::vector<T>& items, F to_json) {
  boost::json::array out;
  for (const T& item : items)
    out.emplace_back(to_json(item));
  return {{key, std::move(out)}};
}

// Reads a JSON object body with `read`, which fills its result from an ObjectReader; the first
// error (body or field) becomes the answer.
template <class T, class Read>
lockcore::Result<T, http::Response> read_body(const http::Request& request, Read read) {
  auto body = http::parse_object(request);
  if (!body) return lockcore::fail(http::error_response(body.error()));
  http::ObjectReader in(*body);
  T out = read(in);
  if (auto done = in.finish(); !done) return lockcore::fail(http::error_response(done.error()));
  return out;
}

// An RFC 3339 time, or null.
boost::json::value optional_time(const std::optional<lockcore::UnixMs>& t);

// A {param} of the matched route.
inline std::string param(const http::Request& r, std::string_view name) {
  return std::string(r.param(name));
}

}  // namespace server::api
