#pragma once
// An io_context on a thread of its own, kept running (a work guard) until destroyed, for the
// benchmarks that put a server, a fleet and a load driver each on their own thread.

#include <future>
#include <optional>
#include <thread>
#include <utility>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

namespace bench {

struct IoThread {
  boost::asio::io_context io;
  std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> guard;
  std::thread thread;

  void start() {
    guard.emplace(io.get_executor());
    thread = std::thread([this] { io.run(); });
  }
  // Runs `f` on the thread and waits for its result.
  template <class F>
  auto call(F f) -> decltype(f()) {
    std::packaged_task<decltype(f())()> task(std::move(f));
    auto done = task.get_future();
    boost::asio::post(io, [&task] { task(); });
    return done.get();
  }
  void stop() {
    io.stop();
    if (thread.joinable()) thread.join();
  }
  ~IoThread() { stop(); }
};

}  // namespace bench
