// Coroutines waiting on the injected clock: virtual time resumes them only when advanced.

#include "runtime/async_wait.hpp"

#include <vector>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <gtest/gtest.h>

#include "runtime/real_scheduler.hpp"
#include "runtime/virtual_scheduler.hpp"

namespace runtime {
namespace {

using std::chrono::milliseconds;

boost::asio::awaitable<void> retry_three_times(Scheduler& s, std::vector<UnixMs>& attempts) {
  for (int i = 0; i < 3; ++i) {
    attempts.push_back(s.now());
    co_await async_wait_for(s, milliseconds(1000), boost::asio::use_awaitable);
  }
  attempts.push_back(s.now());
}

TEST(AsyncWait, ACoroutineOnVirtualTimeMovesOnlyWhenTimeIsAdvanced) {
  boost::asio::io_context io;
  VirtualScheduler clock(5'000);
  std::vector<UnixMs> attempts;
  boost::asio::co_spawn(io, retry_three_times(clock, attempts), boost::asio::detached);
  io.poll();
  EXPECT_EQ(attempts, (std::vector<UnixMs>{5'000}));
  io.restart();
  io.poll();  // nothing happens however long the context runs
  EXPECT_EQ(attempts.size(), 1u);

  clock.advance_by(milliseconds(999));
  io.restart();
  io.poll();
  EXPECT_EQ(attempts.size(), 1u);
  clock.advance_by(milliseconds(1));
  io.restart();
  io.poll();
  EXPECT_EQ(attempts, (std::vector<UnixMs>{5'000, 6'000}));

  for (int i = 0; i < 2; ++i) {
    clock.advance_by(milliseconds(1000));
    io.restart();
    io.poll();
  }
  EXPECT_EQ(attempts, (std::vector<UnixMs>{5'000, 6'000, 7'000, 8'000}));
}

TEST(AsyncWait, ACoroutineOnRealTimeWaitsForReal) {
  boost::asio::io_context io;
  RealScheduler clock(io);
  UnixMs started = clock.now();
  UnixMs woke = 0;
  boost::asio::co_spawn(
      io,
      [&]() -> boost::asio::awaitable<void> {
        co_await async_wait_for(clock, milliseconds(20), boost::asio::use_awaitable);
        woke = clock.now();
      },
      boost::asio::detached);
  io.run();
  EXPECT_GE(woke, started + 20);
}

}  // namespace
}  // namespace runtime
