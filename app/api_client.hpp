#pragma once
// ApiClient: the product's public HTTP API as a program calls it — one JSON request, one JSON
// answer, over a fresh loopback connection each time, with the bearer token of whoever signed in.
// For the command line's own callers (`latchkey demo` seeding a site), not for load.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include <boost/beast/http/verb.hpp>
#include <boost/json/value.hpp>

#include "lockcore/result.hpp"

namespace app {

struct ApiAnswer {
  unsigned status = 0;
  boost::json::value body;  // null when the answer had no body or was not JSON
  std::string text;         // the body as sent
};

class ApiClient {
 public:
  ApiClient(std::string host, std::uint16_t port) : host_(std::move(host)), port_(port) {}

  void sign_in_as(std::string access_token) { token_ = std::move(access_token); }

  // Any answer the server gave, whatever its status. Errors: a message when no answer came
  // (cannot connect, the connection broke, `timeout` passed).
  lockcore::Result<ApiAnswer, std::string> call(
      boost::beast::http::verb method, const std::string& target,
      const std::optional<boost::json::value>& body = std::nullopt,
      std::chrono::seconds timeout = std::chrono::seconds(30)) const;

  // call(), refusing any status but 2xx: the error names the request and the server's answer.
  lockcore::Result<boost::json::value, std::string> expect_ok(
      boost::beast::http::verb method, const std::string& target,
      const std::optional<boost::json::value>& body = std::nullopt) const;

 private:
  std::string host_;
  std::uint16_t port_;
  std::string token_;
};

}  // namespace app
