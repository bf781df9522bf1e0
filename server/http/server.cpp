#include "server/http/server.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <spdlog/spdlog.h>

#include "server/http/event_stream.hpp"
#include "server/http/json.hpp"

namespace server::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);

namespace {

enum class Phase { waiting, reading, handling, streaming, done };

struct Connection {
  explicit Connection(tcp::socket socket) : stream(std::move(socket)) {}
  beast::tcp_stream stream;
  Phase phase = Phase::waiting;
  std::shared_ptr<EventStream> events;
};

}  // namespace

struct Server::Impl : std::enable_shared_from_this<Server::Impl> {
  Impl(asio::io_context& io, const Router& router, Registry& metrics, ServerOptions options,
       std::shared_ptr<spdlog::logger> logger)
      : io(io),
        acceptor(io),
        router(router),
        metrics(metrics),
        options(std::move(options)),
        log(logger ? std::move(logger) : spdlog::default_logger()),
        open_connections(metrics.gauge("http_connections", "Open HTTP connections")),
        open_streams(metrics.gauge("http_event_streams", "Open server-sent event streams")) {}

  asio::awaitable<void> accept_loop();
  asio::awaitable<void> session(std::shared_ptr<Connection> c);
  using Parser = std::optional<bhttp::request_parser<bhttp::string_body>>;
  struct Read {
    bool complete = false;         // a whole request is in the parser
    std::optional<Error> refusal;  // answer this, then close
  };
  asio::awaitable<Read> read_request(Connection& c, beast::flat_buffer& buffer, Parser& parser);
  asio::awaitable<Response> handle(Request& request);
  asio::awaitable<void> stream_events(Connection& c, Response& response);
  asio::awaitable<bool> send(Connection& c, Response& response);
  void record(const Request* request, std::string_view method, std::string_view target,
              unsigned status, std::size_t bytes, std::chrono::steady_clock::time_point start,
              const tcp::endpoint& remote);

  asio::io_context& io;
  tcp::acceptor acceptor;
  const Router& router;
  Registry& metrics;
  ServerOptions options;
  std::shared_ptr<spdlog::logger> log;
  Gauge& open_connections;
  Gauge& open_streams;
  std::list<std::weak_ptr<Connection>> live;
  bool stopping = false;
  bool accepting = false;
  int sessions = 0;
  std::function<void()> stopped;

  void check_stopped() {
    if (stopping && !accepting && sessions == 0 && stopped) std::exchange(stopped, {})();
  }
};

asio::awaitable<void> Server::Impl::accept_loop() {
  auto self = shared_from_this();
  accepting = true;
  while (!stopping) {
    auto [ec, socket] = co_await acceptor.async_accept(kTuple);
    if (ec) {
      if (stopping || ec == asio::error::operation_aborted) break;
      log->warn("http: accept failed: {}", ec.message());
      continue;
    }
    live.remove_if([](const std::weak_ptr<Connection>& w) { return w.expired(); });
    if (live.size() >= options.max_connections) {
      log->warn("http: {} connections open, refusing one more", live.size());
      continue;  // the socket closes as it goes out of scope
    }
    socket.set_option(tcp::no_delay(true), ec);
    auto c = std::make_shared<Connection>(std::move(socket));
    live.push_back(c);
    asio::co_spawn(io, session(c), asio::detached);
  }
  accepting = false;
  check_stopped();
}

asio::awaitable<Server::Impl::Read> Server::Impl::read_request(Connection& c,
                                                               beast::flat_buffer& buffer,
                                                               Parser& parser) {
  // Keep-alive: wait for the next request's first byte under the idle timeout (unless a
  // pipelined request is already buffered), then give the whole request the read timeout.
  c.phase = Phase::waiting;
  if (buffer.size() == 0) {
    c.stream.expires_after(options.idle_timeout);
    auto [ec, n] = co_await c.stream.async_read_some(buffer.prepare(4096), kTuple);
    if (ec) co_return Read{};  // closed, idle too long, or stopped
    buffer.commit(n);
  }
  if (stopping) co_return Read{};
  c.phase = Phase::reading;
  c.stream.expires_after(options.read_timeout);
  parser.emplace();
  parser->header_limit(static_cast<std::uint32_t>(options.header_limit));
  parser->body_limit(options.body_limit);

  auto [ec, n] = co_await bhttp::async_read_header(c.stream, buffer, *parser, kTuple);
  if (!ec && !parser->is_done()) {
    // A client that asked before sending a large body gets the go-ahead (the limit was already
    // checked against Content-Length while reading the head).
    auto expect = parser->get().find(bhttp::field::expect);
    if (expect != parser->get().end() && beast::iequals(expect->value(), "100-continue")) {
      static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
      std::tie(ec, n) = co_await asio::async_write(c.stream, asio::buffer(kContinue), kTuple);
    }
    if (!ec) std::tie(ec, n) = co_await bhttp::async_read(c.stream, buffer, *parser, kTuple);
  }
  if (!ec) co_return Read{true, std::nullopt};
  if (ec == bhttp::error::header_limit) {
    co_return Read{false,
                   Error{Code::header_too_large,
                         fmt::format("the request head is over {} bytes", options.header_limit)}};
  }
  if (ec == bhttp::error::body_limit) {
    co_return Read{false, Error{Code::payload_too_large,
                                fmt::format("the body is over {} bytes", options.body_limit)}};
  }
  if (ec == bhttp::error::end_of_stream || ec == bhttp::error::partial_message ||
      ec == beast::error::timeout || ec == asio::error::eof ||
      ec == asio::error::operation_aborted || ec == asio::error::connection_reset) {
    co_return Read{};  // the peer left, was too slow, or we are stopping: nobody to answer
  }
  co_return Read{
      false, Error{Code::malformed_request, "the request is not valid HTTP/1.1: " + ec.message()}};
}

asio::awaitable<Response> Server::Impl::handle(Request& request) {
  try {
    co_return co_await router.dispatch(request);
  } catch (const std::exception& e) {
    log->error("http: {} {} failed: {}", std::string(bhttp::to_string(request.method())),
               request.target(), e.what());
  } catch (...) {
    log->error("http: {} {} failed", std::string(bhttp::to_string(request.method())),
               request.target());
  }
  co_return error_response(Error::internal("the server failed to answer this request"));
}

asio::awaitable<bool> Server::Impl::send(Connection& c, Response& response) {
  c.stream.expires_after(options.write_timeout);
  auto [ec, n] = co_await bhttp::async_write(c.stream, response.message, kTuple);
  (void)n;
  co_return !ec;
}

asio::awaitable<void> Server::Impl::stream_events(Connection& c, Response& response) {
  std::shared_ptr<EventStream> events = response.events;
  c.phase = Phase::streaming;
  c.events = events;
  open_streams.add(1);
  // The body runs until the connection closes: no Content-Length, no chunking.
  response.message.keep_alive(false);
  bool ok = co_await send(c, response);

  asio::steady_timer wake(io);
  bool peer_gone = false;
  events->set_waker([&wake] { wake.cancel(); });
  // The client sends nothing on an event stream; a completed read means it left (or misbehaves).
  auto probe = std::make_shared<std::array<char, 256>>();
  c.stream.socket().async_read_some(asio::buffer(*probe),
                                    [&, probe](beast::error_code, std::size_t) {
                                      peer_gone = true;
                                      wake.cancel();
                                    });
  while (ok && !peer_gone && !stopping) {
    std::string frames = events->take();
    if (!frames.empty()) {
      c.stream.expires_after(options.write_timeout);
      auto [ec, n] = co_await asio::async_write(c.stream, asio::buffer(frames), kTuple);
      (void)n;
      if (ec) break;
      continue;
    }
    if (events->closed()) break;
    wake.expires_after(options.event_heartbeat);
    auto [ec] = co_await wake.async_wait(kTuple);
    if (!ec) events->comment("");  // heartbeat: also finds dead peers
  }
  events->set_waker({});
  events->close();
  beast::error_code ignored;
  c.stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
  c.stream.socket().close(ignored);
  // The probe's completion references `wake` and `peer_gone`: wait for it before they go.
  while (!peer_gone) {
    wake.expires_after(std::chrono::milliseconds(1));
    co_await wake.async_wait(kTuple);
  }
  open_streams.add(-1);
}

void Server::Impl::record(const Request* request, std::string_view method, std::string_view target,
                          unsigned status, std::size_t bytes,
                          std::chrono::steady_clock::time_point start,
                          const tcp::endpoint& remote) {
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::string route = request != nullptr && !request->route().empty() ? request->route() : "(none)";
  // Labels take only known values, so that made-up methods or paths cannot grow the registry.
  bool known = bhttp::string_to_verb(beast::string_view(method.data(), method.size())) !=
               bhttp::verb::unknown;
  std::string method_label = known ? std::string(method) : "OTHER";
  metrics
      .counter("http_requests_total", "HTTP requests answered",
               {{"method", method_label}, {"route", route}, {"status", std::to_string(status)}})
      .inc();
  metrics
      .histogram("http_request_duration_seconds",
                 "Time from a request fully read to its answer written", {{"route", route}})
      .observe(seconds);
  if (log->should_log(spdlog::level::info)) {
    log->info("http: {} {} {} {}B {:.3f}ms {}", method, target, status, bytes, seconds * 1e3,
              remote.address().to_string());
  }
}

asio::awaitable<void> Server::Impl::session(std::shared_ptr<Connection> c) {
  auto self = shared_from_this();
  ++sessions;
  open_connections.add(1);
  beast::error_code ignored;
  tcp::endpoint remote = c->stream.socket().remote_endpoint(ignored);
  beast::flat_buffer buffer;
  Parser parser;

  for (;;) {
    Read read = co_await read_request(*c, buffer, parser);
    auto start = std::chrono::steady_clock::now();
    if (read.refusal) {
      // The rest of the request is not read, so the connection cannot be reused.
      Response r = error_response(*read.refusal);
      r.message.keep_alive(false);
      r.message.prepare_payload();
      bool head_done = parser && parser->is_header_done();
      std::string method = head_done ? std::string(parser->get().method_string()) : "-";
      std::string target = head_done ? std::string(parser->get().target()) : "-";
      co_await send(*c, r);
      record(nullptr, method, target, r.message.result_int(), r.message.body().size(), start,
             remote);
      break;
    }
    if (!read.complete) break;

    Request request(parser->release(), remote);
    bool keep_alive = request.raw().keep_alive();
    c->phase = Phase::handling;
    Response response = co_await handle(request);
    std::string_view method(request.raw().method_string().data(),
                            request.raw().method_string().size());
    if (response.events) {
      record(&request, method, request.target(), 200, 0, start, remote);
      co_await stream_events(*c, response);
      break;
    }

    RawResponse& m = response.message;
    keep_alive = keep_alive && !stopping;
    m.version(request.raw().version());
    m.keep_alive(keep_alive);
    std::size_t bytes = m.body().size();
    unsigned status = m.result_int();
    if (status == 204 || status == 304) {
      m.body().clear();
    } else {
      m.content_length(bytes);
      if (request.method() == Verb::head) m.body().clear();  // HEAD: the GET head, no body
    }
    bool written = co_await send(*c, response);
    record(&request, method, request.target(), status, bytes, start, remote);
    if (!written || !keep_alive) break;
  }
  c->phase = Phase::done;
  c->stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
  c->stream.close();
  open_connections.add(-1);
  --sessions;
  check_stopped();
}

Server::Server(asio::io_context& io, const Router& router, Registry& metrics, ServerOptions options,
               std::shared_ptr<spdlog::logger> logger)
    : impl_(std::make_shared<Impl>(io, router, metrics, std::move(options), std::move(logger))) {}

Server::~Server() {
  stop();
}

lockcore::Result<tcp::endpoint, std::string> Server::start() {
  beast::error_code ec;
  auto address = asio::ip::make_address(impl_->options.address, ec);
  if (ec) return lockcore::fail("http: \"" + impl_->options.address + "\" is not an IP address");
  tcp::endpoint where(address, impl_->options.port);
  auto failed = [&](const char* step) {
    return lockcore::fail(fmt::format("http: cannot {} {}:{}: {}", step, impl_->options.address,
                                      impl_->options.port, ec.message()));
  };
  impl_->acceptor.open(where.protocol(), ec);
  if (ec) return failed("open");
  impl_->acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  impl_->acceptor.bind(where, ec);
  if (ec) return failed("bind");
  impl_->acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return failed("listen on");
  asio::co_spawn(impl_->io, impl_->accept_loop(), asio::detached);
  return endpoint();
}

tcp::endpoint Server::endpoint() const {
  beast::error_code ec;
  return impl_->acceptor.local_endpoint(ec);
}

void Server::stop() {
  Impl& s = *impl_;
  if (s.stopping) return;
  s.stopping = true;
  beast::error_code ignored;
  s.acceptor.close(ignored);
  for (auto& weak : s.live) {
    auto c = weak.lock();
    if (!c) continue;
    switch (c->phase) {
      case Phase::waiting:
      case Phase::reading:
        c->stream.cancel();
        break;
      case Phase::streaming:
        if (c->events) c->events->close();
        break;
      case Phase::handling:  // finishes, answers with Connection: close
      case Phase::done:
        break;
    }
  }
}

void Server::on_stopped(std::function<void()> callback) {
  impl_->stopped = std::move(callback);
  impl_->check_stopped();
}

std::size_t Server::connections() const {
  std::size_t n = 0;
  for (auto& weak : impl_->live)
    n += weak.expired() ? 0 : 1;
  return n;
}

}  // namespace server::http
