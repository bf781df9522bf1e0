// RealScheduler: timers on an io_context, against the wall clock.

#include "runtime/real_scheduler.hpp"

#include <vector>

#include <boost/asio/io_context.hpp>
#include <gtest/gtest.h>

namespace runtime {
namespace {

using std::chrono::milliseconds;

TEST(RealScheduler, NowIsTheWallClock) {
  boost::asio::io_context io;
  RealScheduler s(io);
  UnixMs before = SystemClock().now();
  UnixMs now = s.now();
  EXPECT_GE(now, before);
  EXPECT_LE(now, SystemClock().now());
}

TEST(RealScheduler, RunsTimersInDueOrderNotBefore) {
  boost::asio::io_context io;
  RealScheduler s(io);
  std::vector<int> order;
  UnixMs start = s.now();
  UnixMs first_ran_at = 0;
  s.call_after(milliseconds(30), [&] { order.push_back(3); });
  s.call_after(milliseconds(10), [&] {
    first_ran_at = s.now();
    order.push_back(1);
  });
  s.call_after(milliseconds(20), [&] { order.push_back(2); });
  io.run();
  EXPECT_EQ(order, (std::vector<int>{1, 2, 3}));
  EXPECT_GE(first_ran_at, start + 10);
  EXPECT_EQ(s.pending(), 0u);
}

TEST(RealScheduler, NeverRunsACallbackInsideCallAt) {
  boost::asio::io_context io;
  RealScheduler s(io);
  bool ran = false;
  s.call_at(0, [&] { ran = true; });  // long past
  EXPECT_FALSE(ran);
  io.run();
  EXPECT_TRUE(ran);
}

TEST(RealScheduler, CancelledTimerDoesNotRunAndLaterOnesStill) {
  boost::asio::io_context io;
  RealScheduler s(io);
  std::vector<int> order;
  TimerId early = s.call_after(milliseconds(5), [&] { order.push_back(1); });
  s.call_after(milliseconds(15), [&] { order.push_back(2); });
  EXPECT_TRUE(s.cancel(early));
  io.run();
  EXPECT_EQ(order, (std::vector<int>{2}));
}

TEST(RealScheduler, CallbacksCanScheduleMore) {
  boost::asio::io_context io;
  RealScheduler s(io);
  int ticks = 0;
  std::function<void()> tick = [&] {
    if (++ticks < 3) s.call_after(milliseconds(1), tick);
  };
  s.call_after(milliseconds(1), tick);
  io.run();
  EXPECT_EQ(ticks, 3);
}

TEST(RealScheduler, DestroyingTheSchedulerDropsItsTimersSafely) {
  boost::asio::io_context io;
  bool ran = false;
  {
    RealScheduler s(io);
    s.call_after(milliseconds(1), [&] { ran = true; });
  }
  io.run();  // the aborted wait completes without touching the destroyed scheduler
  EXPECT_FALSE(ran);
}

}  // namespace
}  // namespace runtime
