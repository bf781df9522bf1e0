#include "tests/support/node_server.hpp"

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <gtest/gtest.h>

namespace testsupport {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace json = boost::json;
using tcp = asio::ip::tcp;

std::string Reply::code() const {
  if (!body.is_object() || !body.as_object().contains("error")) return {};
  return std::string(body.at("error").at("code").as_string());
}

std::string Reply::field() const {
  if (!body.is_object() || !body.as_object().contains("error")) return {};
  const auto& e = body.at("error").as_object();
  return e.contains("field") ? std::string(e.at("field").as_string()) : std::string();
}

server::config::Config test_config(const std::string& db_path) {
  server::config::Config config;
  config.store.path = db_path;
  config.http.port = 0;
  config.log.access = false;
  config.identity.password_opslimit = 1;
  config.identity.password_memlimit_kib = 8;
  config.identity.allow_weak_password_hash = true;
  return config;
}

NodeServer::NodeServer(server::config::Config config, runtime::Scheduler* scheduler,
                       lockcore::UnixMs start) {
  if (scheduler == nullptr) {
    virtual_ = std::make_unique<runtime::VirtualScheduler>(start);
    scheduler = virtual_.get();
  }
  auto node = server::Node::open(io_, *scheduler, config);
  if (!node) {
    ADD_FAILURE() << "the node did not open: " << node.error();
    return;
  }
  node_ = std::move(*node);
  auto bound = node_->start_http();
  if (!bound) {
    ADD_FAILURE() << "the node did not listen: " << bound.error();
    return;
  }
  endpoint_ = *bound;
  thread_ = std::thread([this] { io_.run(); });
}

NodeServer::~NodeServer() {
  if (thread_.joinable()) {
    asio::post(io_, [this] { node_->stop([this] { io_.stop(); }); });
    thread_.join();
  }
  node_.reset();
}

boost::asio::awaitable<Reply> http_call(tcp::endpoint endpoint, Call c) {
  tcp::socket socket(co_await asio::this_coro::executor);
  co_await socket.async_connect(endpoint, asio::use_awaitable);
  server::http::RawRequest request(c.method, c.target, 11);
  request.set(bhttp::field::host, "localhost");
  request.set(bhttp::field::connection, "close");
  if (!c.body.empty()) request.set(bhttp::field::content_type, c.content_type);
  if (!c.token.empty()) request.set(bhttp::field::authorization, "Bearer " + c.token);
  request.body() = c.body;
  request.prepare_payload();
  // A server may answer (413, say) and close before taking the whole body: as a browser does, read
  // the answer even when the rest of the body could not be written.
  boost::system::error_code unwritten;
  co_await bhttp::async_write(socket, request,
                              asio::redirect_error(asio::use_awaitable, unwritten));
  beast::flat_buffer buffer;
  bhttp::response_parser<bhttp::string_body> parser;
  parser.body_limit(64 * 1024 * 1024);
  Reply reply;
  if (c.head_only) {
    co_await bhttp::async_read_header(socket, buffer, parser, asio::use_awaitable);
    // An event stream stays open: only an error answer is read to its end.
    if (parser.get().result_int() != 200)
      co_await bhttp::async_read(socket, buffer, parser, asio::use_awaitable);
  } else {
    co_await bhttp::async_read(socket, buffer, parser, asio::use_awaitable);
  }
  reply.status = parser.get().result_int();
  reply.content_type = std::string(parser.get()[bhttp::field::content_type]);
  reply.text = parser.get().body();
  boost::system::error_code ec;
  if (!reply.text.empty()) {
    reply.body = json::parse(reply.text, ec);
    if (ec) reply.body = nullptr;
  }
  co_return reply;
}

Reply NodeServer::call(const Call& c) const {
  asio::io_context client;
  auto done = asio::co_spawn(client, http_call(endpoint_, c), asio::use_future);
  client.run();
  return done.get();
}

Reply NodeServer::post(const std::string& target, const json::object& body,
                       const std::string& token) const {
  return call({server::http::Verb::post, target, json::serialize(body), token});
}

void NodeServer::advance(std::chrono::milliseconds by) {
  on_server([&] { return virtual_->advance_by(by); });
}

std::string NodeServer::sign_in(const std::string& email, const std::string& password) const {
  Reply r = post("/api/v1/sessions", {{"email", email}, {"password", password}}, {});
  EXPECT_EQ(r.status, 201u) << r.text;
  return r.status == 201 ? r.str("access_token") : std::string();
}

}  // namespace testsupport
