#include "server/api/route_support.hpp"

#include "server/http/rfc3339.hpp"

namespace server::api {

http::Handler authenticated(const Authenticate& authenticate, Act act) {
  return [authenticate,
          act = std::move(act)](http::Request& request) -> boost::asio::awaitable<http::Response> {
    auto actor = authenticate(request);
    if (!actor) co_return answer(actor.error());
    co_return act(*actor, request);
  };
}

http::Handler authenticated_async(const Authenticate& authenticate, AsyncAct act) {
  return [authenticate,
          act = std::move(act)](http::Request& request) -> boost::asio::awaitable<http::Response> {
    auto actor = authenticate(request);
    if (!actor) co_return answer(actor.error());
    co_return co_await act(std::move(*actor), request);
  };
}

http::Response answer(const Error& error) {
  return http::error_response(to_http(error));
}

http::Response answer(const Status& status) {
  return status ? http::no_content() : answer(status.error());
}

boost::json::value optional_time(const std::optional<lockcore::UnixMs>& t) {
  return t ? boost::json::value(http::format_rfc3339(*t)) : boost::json::value(nullptr);
}

}  // namespace server::api
