#include "server/api/auth.hpp"

#include "server/identity/sign_in_throttle.hpp"

namespace server::api {

namespace {

Error not_signed_in(std::string message) {
  return Error(Errc::unauthenticated, std::move(message));
}

}  // namespace

Result<std::string> bearer_token(const http::Request& request) {
  const auto& raw = request.raw();
  if (raw.count(boost::beast::http::field::authorization) > 1)
    return fail(not_signed_in("send one Authorization header"));
  std::string_view value = request.header("Authorization");
  if (value.empty()) return fail(not_signed_in("sign in first: Authorization: Bearer <token>"));
  constexpr std::string_view kScheme = "bearer ";
  bool scheme = value.size() > kScheme.size();
  for (std::size_t i = 0; scheme && i < kScheme.size(); ++i) {
    const char c = value[i];
    scheme = (c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c) == kScheme[i];
  }
  if (!scheme) return fail(not_signed_in("the Authorization scheme must be Bearer"));
  return std::string(value.substr(kScheme.size()));
}

Result<Actor> Auth::authenticate_now(const http::Request& request) const {
  auto token = bearer_token(request);
  if (!token) return fail(token.error());
  return sessions_.authenticate(*token);
}

boost::asio::awaitable<Result<Actor>> Auth::authenticate(http::Request& request) const {
  co_return authenticate_now(request);
}

std::string source_of(const http::Request& request) {
  return identity::source_of(request.remote().address());
}

}  // namespace server::api
