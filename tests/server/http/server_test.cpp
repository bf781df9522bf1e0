// The HTTP server over a real socket: keep-alive, pipelining, limits, timeouts, hostile input,
// handler failures, server-sent events and graceful stop.

#include "server/http/server.hpp"

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/parse.hpp>

#include "server/http/builtin_routes.hpp"
#include "server/http/event_stream.hpp"
#include "server/http/json.hpp"
#include "tests/server/http/test_server.hpp"

namespace server::http {
namespace {

using namespace testing;
using std::chrono::milliseconds;
namespace json = boost::json;

boost::asio::awaitable<Response> echo(Request& request) {
  co_return json_response(200,
                          json::object{{"path", request.path()}, {"bytes", request.body().size()}});
}

boost::asio::awaitable<Response> slow(Request&) {
  boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor, milliseconds(400));
  co_await timer.async_wait(boost::asio::use_awaitable);
  co_return json_response(200, json::object{{"slow", true}});
}

boost::asio::awaitable<Response> throws(Request&) {
  throw std::runtime_error("database on fire");
  co_return no_content();
}

class ServerTest : public ::testing::Test {
 protected:
  ServerTest() {
    router_.get("/echo", echo).post("/echo", echo).get("/slow", slow).get("/throws", throws);
    router_.get("/events", [this](Request&) -> boost::asio::awaitable<Response> {
      stream_ = std::make_shared<EventStream>();
      stream_->on_close([this] { closed_ = true; });
      stream_->send("hello", "first");
      co_return event_stream_response(stream_);
    });
  }

  json::value body_of(const RawResponse& r) { return json::parse(r.body()); }
  std::string error_code(const std::string& raw_response) {
    auto body = raw_response.substr(raw_response.find("\r\n\r\n") + 4);
    return std::string(json::parse(body).at("error").at("code").as_string());
  }

  Router router_;
  std::shared_ptr<EventStream> stream_;
  std::atomic<bool> closed_{false};
};

TEST_F(ServerTest, KeepAliveServesManyRequestsOnOneConnection) {
  TestServer server(router_);
  auto socket = server.connect();
  for (int i = 0; i < 3; ++i) {
    RawResponse r = round_trip(socket, Verb::get, "/echo");
    EXPECT_EQ(r.result_int(), 200);
    EXPECT_TRUE(r.keep_alive());
    EXPECT_EQ(r[boost::beast::http::field::content_type], "application/json");
  }
  RawResponse posted = round_trip(socket, Verb::post, "/echo", R"({"a":1})");
  EXPECT_EQ(body_of(posted).at("bytes").as_int64(), 7);
}

TEST_F(ServerTest, PipelinedRequestsAreAnsweredInOrder) {
  TestServer server(router_);
  auto socket = server.connect();
  write_all(socket,
            "GET /slow HTTP/1.1\r\nHost: x\r\n\r\n"
            "GET /echo HTTP/1.1\r\nHost: x\r\n\r\n"
            "GET /nowhere HTTP/1.1\r\nHost: x\r\n\r\n");
  boost::beast::flat_buffer buffer;
  EXPECT_EQ(body_of(read_response(socket, buffer)).at("slow").as_bool(), true);
  EXPECT_EQ(body_of(read_response(socket, buffer)).at("path").as_string(), "/echo");
  EXPECT_EQ(read_response(socket, buffer).result_int(), 404);
}

TEST_F(ServerTest, MalformedRequestsGet400AndTheConnectionCloses) {
  TestServer server(router_);
  for (std::string junk : {"NOT HTTP AT ALL\r\n\r\n", "GET /echo HTTP/9.9\r\n\r\n",
                           "GET /echo HTTP/1.1\r\nBad Header Line\r\n\r\n",
                           "POST /echo HTTP/1.1\r\nContent-Length: abc\r\n\r\n"}) {
    auto socket = server.connect();
    write_all(socket, junk);
    std::string answer = read_to_close(socket);
    EXPECT_TRUE(answer.starts_with("HTTP/1.1 400")) << junk << " -> " << answer;
    EXPECT_EQ(error_code(answer), "malformed_request");
  }
}

TEST_F(ServerTest, ABodyOverTheLimitIs413BeforeItIsSent) {
  TestServer server(router_);
  auto socket = server.connect();
  // Only the head: the server must answer without waiting for the 1 MB it announces.
  write_all(socket, "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000\r\n\r\n");
  std::string answer = read_to_close(socket);
  EXPECT_TRUE(answer.starts_with("HTTP/1.1 413")) << answer;
  EXPECT_EQ(error_code(answer), "payload_too_large");
  EXPECT_NE(answer.find("over 1024 bytes"), std::string::npos);
}

TEST_F(ServerTest, AChunkedBodyPassingTheLimitIs413) {
  TestServer server(router_);
  auto socket = server.connect();
  std::string chunk(600, 'x');
  write_all(socket, "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n");
  write_all(socket, "258\r\n" + chunk + "\r\n258\r\n" + chunk + "\r\n0\r\n\r\n");
  std::string answer = read_to_close(socket);
  EXPECT_TRUE(answer.starts_with("HTTP/1.1 413")) << answer;
}

TEST_F(ServerTest, AnOversizedHeadIs431) {
  TestServer server(router_);
  auto socket = server.connect();
  write_all(socket,
            "GET /echo HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(4000, 'a') + "\r\n\r\n");
  std::string answer = read_to_close(socket);
  EXPECT_TRUE(answer.starts_with("HTTP/1.1 431")) << answer;
  EXPECT_EQ(error_code(answer), "header_too_large");
}

TEST_F(ServerTest, ASlowlorisClientIsCutOffAfterTheReadTimeout) {
  TestServer server(router_);
  auto socket = server.connect();
  auto start = std::chrono::steady_clock::now();
  write_all(socket, "GET /echo HTTP/1.1\r\nHost: x\r\n");
  for (int i = 0; i < 10; ++i) {  // one header line every 100 ms, never finishing the head
    std::this_thread::sleep_for(milliseconds(100));
    boost::system::error_code ec;
    boost::asio::write(socket, boost::asio::buffer(std::string("X-Drip: 1\r\n")), ec);
    if (ec) break;
  }
  std::string answer = read_to_close(socket);
  EXPECT_EQ(answer, "");  // nothing to answer: the connection is simply closed
  EXPECT_LT(std::chrono::steady_clock::now() - start, milliseconds(1500));
}

TEST_F(ServerTest, AnIdleKeepAliveConnectionIsClosed) {
  TestServer server(router_);
  auto socket = server.connect();
  EXPECT_EQ(round_trip(socket, Verb::get, "/echo").result_int(), 200);
  auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(read_to_close(socket), "");
  auto waited = std::chrono::steady_clock::now() - start;
  EXPECT_GE(waited, milliseconds(300));
  EXPECT_LT(waited, milliseconds(1500));
}

TEST_F(ServerTest, AHandlerThatThrowsAnswers500WithoutLeakingTheReason) {
  TestServer server(router_);
  auto socket = server.connect();
  RawResponse r = round_trip(socket, Verb::get, "/throws");
  EXPECT_EQ(r.result_int(), 500);
  EXPECT_EQ(body_of(r).at("error").at("code").as_string(), "internal");
  EXPECT_EQ(r.body().find("fire"), std::string::npos);
  EXPECT_EQ(round_trip(socket, Verb::get, "/echo").result_int(), 200);  // connection still fine
}

TEST_F(ServerTest, ASlowHandlerDoesNotBlockOtherConnections) {
  TestServer server(router_);
  auto waiting = server.connect();
  write_all(waiting, "GET /slow HTTP/1.1\r\nHost: x\r\n\r\n");
  auto other = server.connect();
  auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(round_trip(other, Verb::get, "/echo").result_int(), 200);
  EXPECT_LT(std::chrono::steady_clock::now() - start, milliseconds(300));  // not after /slow
  boost::beast::flat_buffer buffer;
  EXPECT_EQ(read_response(waiting, buffer).result_int(), 200);
}

TEST_F(ServerTest, HeadAnswersTheGetHeadWithoutABody) {
  TestServer server(router_);
  auto socket = server.connect();
  write_all(socket, "HEAD /echo HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  std::string answer = read_to_close(socket);
  EXPECT_TRUE(answer.starts_with("HTTP/1.1 200")) << answer;
  EXPECT_NE(answer.find("Content-Length: 26"), std::string::npos) << answer;
  EXPECT_TRUE(answer.ends_with("\r\n\r\n"));
}

TEST_F(ServerTest, ExpectContinueGetsTheGoAhead) {
  TestServer server(router_);
  auto socket = server.connect();
  write_all(socket,
            "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nExpect: 100-continue\r\n\r\n");
  char buf[64];
  std::size_t n = socket.read_some(boost::asio::buffer(buf));
  EXPECT_EQ(std::string(buf, n), "HTTP/1.1 100 Continue\r\n\r\n");
  write_all(socket, "{}");
  boost::beast::flat_buffer buffer;
  EXPECT_EQ(read_response(socket, buffer).result_int(), 200);
}

TEST_F(ServerTest, EventsReachTheClientAndLeavingClosesTheStream) {
  TestServer server(router_);
  auto socket = server.connect();
  write_all(socket, "GET /events HTTP/1.1\r\nHost: x\r\n\r\n");
  std::string seen;
  read_until(socket, seen, "data: first\n\n");
  EXPECT_NE(seen.find("Content-Type: text/event-stream"), std::string::npos);
  EXPECT_NE(seen.find("event: hello\ndata: first\n\n"), std::string::npos);

  server.on_server_thread([this] { stream_->send("lock", "{\"bolt\":\"locked\"}\nline2", "7"); });
  read_until(socket, seen, "line2");
  EXPECT_NE(seen.find("id: 7\nevent: lock\ndata: {\"bolt\":\"locked\"}\ndata: line2\n\n"),
            std::string::npos);
  read_until(socket, seen, ": \n\n");  // a heartbeat while idle

  socket.close();  // the client leaves
  for (int i = 0; i < 200 && !closed_; ++i)
    std::this_thread::sleep_for(milliseconds(5));
  EXPECT_TRUE(closed_);
}

TEST_F(ServerTest, StoppingTheServerEndsEventStreamsAndIdleConnections) {
  auto server = std::make_unique<TestServer>(router_);
  auto idle = server->connect();
  auto events = server->connect();
  write_all(events, "GET /events HTTP/1.1\r\nHost: x\r\n\r\n");
  std::string seen;
  read_until(events, seen, "first");
  std::atomic<bool> stopped = false;
  server->on_server_thread([&] { server->server().on_stopped([&] { stopped = true; }); });
  server->stop();
  read_to_close(events);
  EXPECT_EQ(read_to_close(idle), "");
  server.reset();  // joins: the io_context ran out of work, nothing was left hanging
  EXPECT_TRUE(closed_);
  EXPECT_TRUE(stopped);
}

TEST_F(ServerTest, StopLetsARequestInProgressFinishWithConnectionClose) {
  TestServer server(router_);
  auto socket = server.connect();
  write_all(socket, "GET /slow HTTP/1.1\r\nHost: x\r\n\r\n");
  std::this_thread::sleep_for(milliseconds(50));  // the handler is waiting on its timer
  server.stop();
  std::string answer = read_to_close(socket);
  EXPECT_TRUE(answer.starts_with("HTTP/1.1 200")) << answer;
  EXPECT_NE(answer.find("Connection: close"), std::string::npos);
}

TEST_F(ServerTest, BuiltinRoutesReportHealthAndMetrics) {
  Router router;
  std::atomic<bool> healthy = true;
  auto server_metrics = std::make_shared<Registry>();
  add_builtin_routes(router, *server_metrics,
                     {{"store", [&]() -> lockcore::Result<void, std::string> {
                         if (healthy) return {};
                         return lockcore::fail(std::string("database is locked"));
                       }}});
  TestServer server(router);
  auto socket = server.connect();
  RawResponse ok = round_trip(socket, Verb::get, "/healthz");
  EXPECT_EQ(ok.result_int(), 200);
  EXPECT_EQ(body_of(ok).at("checks").at("store").as_string(), "ok");
  healthy = false;
  RawResponse down = round_trip(socket, Verb::get, "/healthz");
  EXPECT_EQ(down.result_int(), 503);
  EXPECT_EQ(body_of(down).at("error").at("code").as_string(), "unavailable");
  EXPECT_EQ(body_of(down).at("checks").at("store").as_string(), "database is locked");

  server_metrics->counter("latchkey_test_total", "A test counter").inc(3);
  RawResponse metrics = round_trip(socket, Verb::get, "/metrics");
  EXPECT_EQ(metrics.result_int(), 200);
  EXPECT_NE(metrics.body().find("latchkey_test_total 3\n"), std::string::npos);
  EXPECT_NE(metrics[boost::beast::http::field::content_type].find("text/plain; version=0.0.4"),
            std::string::npos);
  // The server counts what it answered in its own registry.
  std::string own = server.metrics().render();
  EXPECT_NE(own.find("http_requests_total{method=\"GET\",route=\"/healthz\",status=\"200\"} 1"),
            std::string::npos)
      << own;
}

}  // namespace
}  // namespace server::http

namespace server::http {
namespace {

TEST(ServerMetrics, MadeUpMethodsAnswer405AndCountAsOther) {
  Router router;
  router.get("/echo", [](Request&) -> boost::asio::awaitable<Response> { co_return no_content(); });
  testing::TestServer server(router);
  auto socket = server.connect();
  testing::write_all(socket, "BREW /echo HTTP/1.1\r\nHost: x\r\n\r\n");
  boost::beast::flat_buffer buffer;
  RawResponse r = testing::read_response(socket, buffer);
  EXPECT_EQ(r.result_int(), 405);
  EXPECT_EQ(r[boost::beast::http::field::allow], "GET, HEAD");
  // The server records an answer just after writing it: give it a moment.
  std::string wanted = "method=\"OTHER\",route=\"(none)\",status=\"405\"";
  std::string rendered;
  for (int i = 0; i < 200 && rendered.find(wanted) == std::string::npos; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    rendered = server.metrics().render();
  }
  EXPECT_NE(rendered.find(wanted), std::string::npos) << rendered;
  EXPECT_EQ(rendered.find("BREW"), std::string::npos);
}

}  // namespace
}  // namespace server::http
