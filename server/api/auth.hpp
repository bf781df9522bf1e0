#pragma once
// Who is calling: every route that acts for a signed-in person starts here.
//
//   auto actor = co_await auth.authenticate(request);
//   if (!actor) co_return api::error_response(actor.error());
//
// The only credential is `Authorization: Bearer <access token>` (RFC 6750): never a cookie, an
// id or a role in the body or query. The answer is 401 unauthenticated, with
// `WWW-Authenticate: Bearer realm="latchkey"`, for a missing header, another scheme, a token
// of the wrong shape, several Authorization headers, and an unknown, expired or ended token or
// an account that is not active (suspended, locked, deleted) — all alike, so the answer does
// not say which.

#include <string>

#include <boost/asio/awaitable.hpp>

#include "server/common/error.hpp"
#include "server/http/message.hpp"
#include "server/identity/actor.hpp"
#include "server/identity/sessions.hpp"

namespace server::api {

using Actor = identity::Actor;

class Auth {
 public:
  explicit Auth(identity::Sessions& sessions) : sessions_(sessions) {}

  // Errors: unauthenticated (see above); internal (the store failed).
  boost::asio::awaitable<Result<Actor>> authenticate(http::Request& request) const;
  // The same check for callers that are not coroutines (it never waits: one indexed read).
  Result<Actor> authenticate_now(const http::Request& request) const;

 private:
  identity::Sessions& sessions_;
};

// The bearer token of `request`, or unauthenticated.
Result<std::string> bearer_token(const http::Request& request);

// "ip:…" of the request's peer, the source the sign-in throttle counts by. (A reverse proxy in
// front of Latchkey makes every request come from the proxy's address; deployments behind one
// need it to pass the client's address, which is left for when there is one.)
std::string source_of(const http::Request& request);

}  // namespace server::api
