#pragma once
// The HTTP/1.1 server: Beast + Asio with C++20 coroutines, on an io_context run by one thread.
// start() and stop() are called on that thread (or before it runs); handlers run on it too.
//
// Per connection: keep-alive and pipelining; an idle timeout while waiting for a request, a read
// timeout for the whole request once its first byte arrived (slowloris), a write timeout per
// answer. Limits: the request head (431 header_too_large) and the body (413 payload_too_large,
// decided from Content-Length before the body is read, or as soon as a chunked body passes the
// limit); both close the connection afterwards since the rest of the request is not read.
// Malformed requests answer 400 malformed_request and close. A handler that throws answers 500
// internal (the exception is logged, never sent). Each answer is access-logged (spdlog, info) and
// counted in the metrics registry.
//
// stop() is graceful: it stops accepting, closes idle connections, lets requests in progress
// finish (their answers carry Connection: close), and closes event streams.

#include <chrono>
#include <cstdint>
#include <functional>
#include <list>
#include <memory>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "lockcore/result.hpp"
#include "server/http/metrics.hpp"
#include "server/http/router.hpp"

namespace spdlog {
class logger;
}

namespace server::http {

struct ServerOptions {
  std::string address = "127.0.0.1";
  std::uint16_t port = 8080;  // 0: any free port (see Server::endpoint())
  std::size_t body_limit = 1 << 20;
  std::size_t header_limit = 16 * 1024;
  std::chrono::milliseconds idle_timeout{60'000};
  std::chrono::milliseconds read_timeout{10'000};
  std::chrono::milliseconds write_timeout{10'000};
  std::chrono::milliseconds event_heartbeat{15'000};
  std::size_t max_connections = 10'000;  // beyond this, new connections are closed at once
};

class Server {
 public:
  // `router` and `metrics` must outlive the server. `logger` null: spdlog's default logger.
  Server(boost::asio::io_context& io, const Router& router, Registry& metrics,
         ServerOptions options, std::shared_ptr<spdlog::logger> logger = nullptr);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds, listens and starts accepting. Errors: a message naming the address and the reason.
  lockcore::Result<boost::asio::ip::tcp::endpoint, std::string> start();
  // The bound endpoint (the real port when options.port was 0).
  boost::asio::ip::tcp::endpoint endpoint() const;
  void stop();
  // Runs once, after stop(), when the acceptor and the last connection have closed.
  void on_stopped(std::function<void()> callback);
  std::size_t connections() const;

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace server::http
