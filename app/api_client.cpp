#include "app/api_client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <fmt/format.h>

namespace app {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;

lockcore::Result<ApiAnswer, std::string> ApiClient::call(
    bhttp::verb method, const std::string& target, const std::optional<boost::json::value>& body,
    std::chrono::seconds timeout) const {
  boost::asio::io_context io;
  beast::tcp_stream stream(io);
  boost::system::error_code ec;
  boost::asio::ip::tcp::resolver resolver(io);
  auto endpoints = resolver.resolve(host_, std::to_string(port_), ec);
  if (ec) return lockcore::fail(fmt::format("{}:{}: {}", host_, port_, ec.message()));
  stream.expires_after(timeout);
  stream.connect(endpoints, ec);
  if (ec)
    return lockcore::fail(fmt::format("cannot connect to {}:{}: {}", host_, port_, ec.message()));

  bhttp::request<bhttp::string_body> request{method, target, 11};
  request.set(bhttp::field::host, host_);
  if (!token_.empty()) request.set(bhttp::field::authorization, "Bearer " + token_);
  if (body) {
    request.set(bhttp::field::content_type, "application/json");
    request.body() = boost::json::serialize(*body);
  }
  request.prepare_payload();
  bhttp::write(stream, request, ec);
  if (ec)
    return lockcore::fail(fmt::format("{} {}: {}", bhttp::to_string(method), target, ec.message()));

  beast::flat_buffer buffer;
  bhttp::response<bhttp::string_body> response;
  bhttp::read(stream, buffer, response, ec);
  if (ec)
    return lockcore::fail(
        fmt::format("{} {}: no answer: {}", bhttp::to_string(method), target, ec.message()));
  stream.socket().shutdown(boost::asio::ip::tcp::socket::shutdown_both, ec);

  ApiAnswer answer;
  answer.status = response.result_int();
  answer.text = std::move(response.body());
  if (!answer.text.empty()) {
    boost::system::error_code parse_error;
    boost::json::value parsed = boost::json::parse(answer.text, parse_error);
    if (!parse_error) answer.body = std::move(parsed);
  }
  return answer;
}

lockcore::Result<boost::json::value, std::string> ApiClient::expect_ok(
    bhttp::verb method, const std::string& target,
    const std::optional<boost::json::value>& body) const {
  auto answer = call(method, target, body);
  if (!answer) return lockcore::fail(answer.error());
  if (answer->status < 200 || answer->status >= 300) {
    return lockcore::fail(fmt::format("{} {} answered {}: {}", bhttp::to_string(method), target,
                                      answer->status, answer->text));
  }
  return std::move(answer->body);
}

}  // namespace app
