#pragma once
// A whole server::Node listening on a loopback port, its io_context on a thread of its own, spoken
// to over real HTTP by a Beast client as an app would. Time is a virtual clock the test moves
// (advance), or the caller's scheduler. For the route tests (role matrix, hostile bodies) and the
// end-to-end test.

#include <chrono>
#include <future>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "runtime/virtual_scheduler.hpp"
#include "server/config/config.hpp"
#include "server/http/message.hpp"
#include "server/node/node.hpp"

namespace testsupport {

struct Reply {
  unsigned status = 0;
  boost::json::value body;  // null when the body is empty or not JSON
  std::string text;         // the body as sent
  std::string content_type;

  std::string code() const;   // the error code, or ""
  std::string field() const;  // the error's field, or ""
  std::string str(std::string_view name) const { return std::string(body.at(name).as_string()); }
};

struct Call {
  server::http::Verb method = server::http::Verb::get;
  std::string target;
  std::string body;  // sent as application/json unless content_type says otherwise
  std::string token;
  std::string content_type = "application/json";
  bool head_only = false;  // read the answer's head and hang up (event streams)
};

// One request on a fresh connection ("Connection: close") to `endpoint`, on the caller's executor:
// for tests whose server runs on the same io_context as the test (the end-to-end test).
boost::asio::awaitable<Reply> http_call(boost::asio::ip::tcp::endpoint endpoint, Call call);

// The configuration tests start from: a store in `db_path`, port 0, the cheap argon2id profile,
// no access log.
server::config::Config test_config(const std::string& db_path);

class NodeServer {
 public:
  // Opens the Node and starts it listening; `scheduler` null: a VirtualScheduler of its own at
  // `start`. Asserts (ADD_FAILURE) when it cannot start: ok() is then false.
  NodeServer(server::config::Config config, runtime::Scheduler* scheduler = nullptr,
             lockcore::UnixMs start = 1'767'225'600'000);
  // Stops the Node and its thread, then destroys it.
  ~NodeServer();
  NodeServer(const NodeServer&) = delete;
  NodeServer& operator=(const NodeServer&) = delete;

  bool ok() const { return node_ != nullptr && thread_.joinable(); }
  const boost::asio::ip::tcp::endpoint& endpoint() const { return endpoint_; }
  server::Node& node() { return *node_; }
  runtime::VirtualScheduler& clock() { return *virtual_; }

  Reply call(const Call& call) const;
  Reply get(const std::string& target, const std::string& token) const {
    return call({server::http::Verb::get, target, {}, token});
  }
  Reply post(const std::string& target, const boost::json::object& body,
             const std::string& token) const;

  // Runs `f` on the server's thread and waits for its result.
  template <class F>
  auto on_server(F f) -> decltype(f()) {
    std::packaged_task<decltype(f())()> task(std::move(f));
    auto done = task.get_future();
    boost::asio::post(io_, [&task] { task(); });
    return done.get();
  }
  // Runs a coroutine on the server's thread to its end.
  template <class T>
  T on_server(boost::asio::awaitable<T> work) {
    std::promise<T> promise;
    auto done = promise.get_future();
    boost::asio::post(io_, [&] {
      boost::asio::co_spawn(
          io_,
          [&]() -> boost::asio::awaitable<void> { promise.set_value(co_await std::move(work)); },
          boost::asio::detached);
    });
    return done.get();
  }
  // Moves the virtual clock (own scheduler only), running what falls due on the server's thread.
  void advance(std::chrono::milliseconds by);

  // Signs in through POST /api/v1/sessions; the access token, or "" (with a test failure).
  std::string sign_in(const std::string& email, const std::string& password) const;

 private:
  boost::asio::io_context io_;
  std::unique_ptr<runtime::VirtualScheduler> virtual_;
  std::unique_ptr<server::Node> node_;
  boost::asio::ip::tcp::endpoint endpoint_;
  std::thread thread_;
};

}  // namespace testsupport
