#pragma once
// A real Latchkey HTTP server on a loopback port, its io_context on a thread of its own, and a
// blocking client to talk to it: raw bytes (for malformed and hostile requests) or Beast messages.

#include <chrono>
#include <string>
#include <thread>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <gtest/gtest.h>

#include "server/http/server.hpp"

namespace server::http::testing {

using tcp = boost::asio::ip::tcp;

class TestServer {
 public:
  explicit TestServer(Router& router, ServerOptions options = fast_options())
      : server_(io_, router, metrics_, std::move(options)) {
    auto bound = server_.start();
    EXPECT_TRUE(bound.ok());
    if (bound.ok()) endpoint_ = *bound;
    thread_ = std::thread([this] { io_.run(); });
  }
  ~TestServer() {
    stop();
    thread_.join();
  }

  static ServerOptions fast_options() {
    ServerOptions o;
    o.address = "127.0.0.1";
    o.port = 0;
    o.body_limit = 1024;
    o.header_limit = 2048;
    o.idle_timeout = std::chrono::milliseconds(400);
    o.read_timeout = std::chrono::milliseconds(400);
    o.write_timeout = std::chrono::milliseconds(1000);
    o.event_heartbeat = std::chrono::milliseconds(200);
    return o;
  }

  void stop() {
    boost::asio::post(io_, [this] { server_.stop(); });
  }
  // Runs `f` on the server's thread (where handlers and event producers run).
  template <class F>
  void on_server_thread(F f) {
    boost::asio::post(io_, std::move(f));
  }

  tcp::socket connect() {
    // Client sockets live on a context of their own that outlives any one server.
    static boost::asio::io_context client_io;
    tcp::socket socket(client_io);
    socket.connect(endpoint_);
    return socket;
  }

  Registry& metrics() { return metrics_; }
  Server& server() { return server_; }
  const tcp::endpoint& endpoint() const { return endpoint_; }

 private:
  boost::asio::io_context io_;
  Registry metrics_;
  Server server_;
  tcp::endpoint endpoint_;
  std::thread thread_;
};

inline void write_all(tcp::socket& socket, std::string_view bytes) {
  boost::asio::write(socket, boost::asio::buffer(bytes));
}

// Reads until the server closes the connection; returns everything read.
inline std::string read_to_close(tcp::socket& socket) {
  std::string out;
  boost::system::error_code ec;
  char chunk[4096];
  for (;;) {
    std::size_t n = socket.read_some(boost::asio::buffer(chunk), ec);
    out.append(chunk, n);
    if (ec) return out;
  }
}

// Appends what arrives to `seen` until it contains `needle` (for streams that stay open).
inline void read_until(tcp::socket& socket, std::string& seen, std::string_view needle) {
  char chunk[1024];
  while (seen.find(needle) == std::string::npos) {
    seen.append(chunk, socket.read_some(boost::asio::buffer(chunk)));
  }
}

// Reads one response from a keep-alive connection.
inline RawResponse read_response(tcp::socket& socket, boost::beast::flat_buffer& buffer) {
  RawResponse response;
  boost::beast::http::read(socket, buffer, response);
  return response;
}

inline RawResponse round_trip(tcp::socket& socket, Verb method, std::string target,
                              std::string body = {}) {
  RawRequest request(method, target, 11);
  request.set(boost::beast::http::field::host, "localhost");
  if (!body.empty()) request.set(boost::beast::http::field::content_type, "application/json");
  request.body() = std::move(body);
  request.prepare_payload();
  boost::beast::http::write(socket, request);
  boost::beast::flat_buffer buffer;
  return read_response(socket, buffer);
}

// One request on a fresh connection of `server`: with "Authorization: Bearer <bearer>" when
// `bearer` is not empty, and `body` as `content_type` when it is not empty.
inline RawResponse call_as(TestServer& server, const std::string& bearer, Verb method,
                           const std::string& target, const std::string& body = {},
                           const std::string& content_type = "application/json") {
  auto socket = server.connect();
  RawRequest request(method, target, 11);
  request.set(boost::beast::http::field::host, "localhost");
  if (!bearer.empty()) request.set(boost::beast::http::field::authorization, "Bearer " + bearer);
  if (!body.empty()) request.set(boost::beast::http::field::content_type, content_type);
  request.body() = body;
  request.prepare_payload();
  boost::beast::http::write(socket, request);
  boost::beast::flat_buffer buffer;
  return read_response(socket, buffer);
}

}  // namespace server::http::testing
