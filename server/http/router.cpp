#include "server/http/router.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include "server/http/json.hpp"

namespace server::http {

namespace {

[[noreturn]] void bad_route(std::string_view pattern, const char* why) {
  std::fprintf(stderr, "router: route \"%.*s\" %s\n", static_cast<int>(pattern.size()),
               pattern.data(), why);
  std::abort();
}

std::vector<std::string_view> split(std::string_view path) {
  std::vector<std::string_view> parts;
  std::size_t start = 1;  // skip the leading '/'
  while (start <= path.size()) {
    std::size_t slash = path.find('/', start);
    if (slash == std::string_view::npos) slash = path.size();
    parts.push_back(path.substr(start, slash - start));
    start = slash + 1;
  }
  return parts;
}

std::string verb_name(Verb v) {
  auto s = boost::beast::http::to_string(v);
  return std::string(s.data(), s.size());
}

}  // namespace

Router& Router::add(Verb method, std::string_view pattern, Handler handler) {
  if (pattern.empty() || pattern.front() != '/') bad_route(pattern, "must start with '/'");
  Route route{method, std::string(pattern), {}, std::move(handler)};
  for (std::string_view part : split(pattern)) {
    bool param = part.size() >= 2 && part.front() == '{' && part.back() == '}';
    if (param) part = part.substr(1, part.size() - 2);
    if (part.find_first_of("{}") != std::string_view::npos)
      bad_route(pattern, "has a malformed {}");
    if (part.empty() && param) bad_route(pattern, "has an empty {}");
    route.segments.push_back(Segment{std::string(part), param});
  }
  for (const Route& r : routes_) {
    if (r.method == method && r.pattern == pattern) bad_route(pattern, "is added twice");
  }
  routes_.push_back(std::move(route));
  return *this;
}

std::vector<RouteInfo> Router::routes() const {
  std::vector<RouteInfo> out;
  for (const Route& r : routes_)
    out.push_back({r.method, r.pattern});
  return out;
}

boost::asio::awaitable<Response> Router::dispatch(Request& request) const {
  std::vector<std::string> segments;
  for (std::string_view raw : split(request.path())) {
    auto decoded = percent_decode(raw);
    if (!decoded) {
      co_return error_response(
          Error{Code::malformed_request, "the path has a malformed percent-encoding"});
    }
    segments.push_back(std::move(*decoded));
  }

  Verb wanted = request.method() == Verb::head ? Verb::get : request.method();
  const Route* best = nullptr;
  int best_literals = -1;
  std::vector<std::string> allowed;
  for (const Route& route : routes_) {
    if (route.segments.size() != segments.size()) continue;
    int literals = 0;
    bool match = true;
    for (std::size_t i = 0; i < segments.size() && match; ++i) {
      const Segment& s = route.segments[i];
      if (s.param) {
        match = !segments[i].empty();
      } else {
        match = s.text == segments[i];
        ++literals;
      }
    }
    if (!match) continue;
    if (route.method != wanted) {
      for (std::string m :
           {verb_name(route.method), std::string(route.method == Verb::get ? "HEAD" : "")}) {
        if (!m.empty() && std::find(allowed.begin(), allowed.end(), m) == allowed.end()) {
          allowed.push_back(std::move(m));
        }
      }
      continue;
    }
    if (literals > best_literals) {
      best = &route;
      best_literals = literals;
    }
  }

  if (best != nullptr) {
    request.route_ = best->pattern;
    request.params_.clear();
    for (std::size_t i = 0; i < segments.size(); ++i) {
      if (best->segments[i].param)
        request.params_.emplace_back(best->segments[i].text, segments[i]);
    }
    co_return co_await best->handler(request);
  }
  if (!allowed.empty()) {
    Error e{Code::method_not_allowed,
            verb_name(request.method()) + " is not allowed on " + std::string(request.path())};
    e.allow = std::move(allowed);
    co_return error_response(e);
  }
  if (fallback_ && wanted == Verb::get) {
    request.route_ = "(static)";
    co_return co_await fallback_(request);
  }
  co_return error_response(Error::not_found("no route for " + std::string(request.path())));
}

}  // namespace server::http
