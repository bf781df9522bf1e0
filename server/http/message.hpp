#pragma once
// What a handler receives and returns. Handlers are coroutines on the server's io_context:
//   asio::awaitable<Response> handler(Request& request)
// so a handler can await a lock's acknowledgement or a durable write without blocking others.

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

namespace server::http {

class EventStream;

using Verb = boost::beast::http::verb;
using RawRequest = boost::beast::http::request<boost::beast::http::string_body>;
using RawResponse = boost::beast::http::response<boost::beast::http::string_body>;

class Request {
 public:
  Request(RawRequest raw, boost::asio::ip::tcp::endpoint remote);

  const RawRequest& raw() const { return raw_; }
  Verb method() const { return raw_.method(); }
  std::string_view target() const { return {raw_.target().data(), raw_.target().size()}; }
  std::string_view path() const;          // the target before '?', still percent-encoded
  std::string_view query_string() const;  // after '?', or empty
  // The first query parameter `name`, percent-decoded ('+' is a space). nullopt if absent or
  // badly encoded.
  std::optional<std::string> query(std::string_view name) const;
  // A {param} of the matched route, percent-decoded; empty if the route has none by that name.
  std::string_view param(std::string_view name) const;
  std::string_view header(std::string_view name) const;
  const std::string& body() const { return raw_.body(); }
  const boost::asio::ip::tcp::endpoint& remote() const { return remote_; }
  // The pattern of the matched route ("/api/v1/locks/{lock_id}"), for logs and metrics.
  const std::string& route() const { return route_; }

 private:
  friend class Router;
  RawRequest raw_;
  boost::asio::ip::tcp::endpoint remote_;
  std::vector<std::pair<std::string, std::string>> params_;
  std::string route_;
};

struct Response {
  RawResponse message;
  // Set: the answer is a server-sent event stream (event_stream.hpp); message carries its head.
  std::shared_ptr<EventStream> events;
};

using Handler = std::function<boost::asio::awaitable<Response>(Request&)>;

// Decodes %XX (and '+' as a space when `plus_is_space`). nullopt on a bad escape or a NUL byte.
std::optional<std::string> percent_decode(std::string_view text, bool plus_is_space = false);

}  // namespace server::http
