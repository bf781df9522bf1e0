#pragma once
// Router: method + path pattern -> handler. Patterns are absolute paths whose segments are either
// literal or a `{name}` parameter matching one whole, non-empty segment (percent-decoded before it
// reaches the handler, so "%2F" inside an id never splits it).
//
// Dispatch: a matching route runs its handler; HEAD runs the GET handler (the server drops the
// body); a path some route matches under other methods answers 405 method_not_allowed with Allow;
// any other path goes to the fallback if one is set (static files, GET/HEAD only) or answers 404
// not_found. Literal segments win over parameters when both match ("/locks/new" over
// "/locks/{id}").

#include <string>
#include <string_view>
#include <vector>

#include "server/http/message.hpp"

namespace server::http {

struct RouteInfo {
  Verb method;
  std::string pattern;
};

class Router {
 public:
  // Adding a malformed pattern (not starting with '/', an empty or unterminated {}, a duplicate
  // method + pattern) is a programming error: it aborts with the reason at start-up.
  Router& add(Verb method, std::string_view pattern, Handler handler);
  Router& get(std::string_view pattern, Handler h) { return add(Verb::get, pattern, std::move(h)); }
  Router& post(std::string_view pattern, Handler h) {
    return add(Verb::post, pattern, std::move(h));
  }
  Router& put(std::string_view pattern, Handler h) { return add(Verb::put, pattern, std::move(h)); }
  Router& patch(std::string_view pattern, Handler h) {
    return add(Verb::patch, pattern, std::move(h));
  }
  Router& del(std::string_view pattern, Handler h) {
    return add(Verb::delete_, pattern, std::move(h));
  }
  // Serves GET/HEAD requests that no route matches.
  void set_fallback(Handler handler) { fallback_ = std::move(handler); }

  // Every route, in the order added (for the OpenAPI check and the docs).
  std::vector<RouteInfo> routes() const;

  // Runs the matching handler, or produces the 404/405/400 error answer. Exceptions from a
  // handler are the server's to catch.
  boost::asio::awaitable<Response> dispatch(Request& request) const;

 private:
  struct Segment {
    std::string text;  // literal text, or the parameter name
    bool param;
  };
  struct Route {
    Verb method;
    std::string pattern;
    std::vector<Segment> segments;
    Handler handler;
  };

  std::vector<Route> routes_;
  Handler fallback_;
};

}  // namespace server::http
