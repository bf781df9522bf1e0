// VirtualScheduler: time moves only when advanced, and every due timer runs in time order.

#include "runtime/virtual_scheduler.hpp"

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace runtime {
namespace {

using std::chrono::milliseconds;

TEST(VirtualScheduler, NothingRunsUntilTimeIsAdvanced) {
  VirtualScheduler s(1000);
  int runs = 0;
  s.call_after(milliseconds(0), [&] { ++runs; });
  s.call_at(500, [&] { ++runs; });  // in the past: due now
  EXPECT_EQ(runs, 0);
  EXPECT_EQ(s.pending(), 2u);
  EXPECT_EQ(s.advance_by(milliseconds(0)), 2u);
  EXPECT_EQ(runs, 2);
  EXPECT_EQ(s.now(), 1000);
}

TEST(VirtualScheduler, RunsDueTimersInTimeOrderWithNowAtEachDueTime) {
  VirtualScheduler s(0);
  std::vector<std::string> log;
  auto note = [&](std::string name) {
    return [&, name] { log.push_back(name + "@" + std::to_string(s.now())); };
  };
  s.call_at(30, note("c"));
  s.call_at(10, note("a"));
  s.call_at(20, note("b1"));
  s.call_at(20, note("b2"));  // same time: first scheduled runs first
  s.call_at(40, note("later"));
  EXPECT_EQ(s.advance_to(35), 4u);
  EXPECT_EQ(log, (std::vector<std::string>{"a@10", "b1@20", "b2@20", "c@30"}));
  EXPECT_EQ(s.now(), 35);
  EXPECT_EQ(s.next_due(), 40);
}

TEST(VirtualScheduler, TimersScheduledByCallbacksRunInTheSameAdvanceWhenDue) {
  VirtualScheduler s(0);
  std::vector<lockcore::UnixMs> ticks;
  // A retry loop: every 100 ms, five times.
  std::function<void()> tick = [&] {
    ticks.push_back(s.now());
    if (ticks.size() < 5) s.call_after(milliseconds(100), tick);
  };
  s.call_after(milliseconds(100), tick);
  s.advance_by(milliseconds(350));
  EXPECT_EQ(ticks, (std::vector<lockcore::UnixMs>{100, 200, 300}));
  s.advance_by(milliseconds(10'000));
  EXPECT_EQ(ticks.size(), 5u);
  EXPECT_EQ(s.pending(), 0u);
}

TEST(VirtualScheduler, ACallbackSchedulingForNowRunsAfterThoseAlreadyDueThen) {
  VirtualScheduler s(0);
  std::vector<std::string> log;
  s.call_at(10, [&] {
    log.push_back("first");
    s.call_at(10, [&] { log.push_back("added"); });
  });
  s.call_at(10, [&] { log.push_back("second"); });
  s.advance_to(10);
  EXPECT_EQ(log, (std::vector<std::string>{"first", "second", "added"}));
}

TEST(VirtualScheduler, CancelledTimersNeverRun) {
  VirtualScheduler s(0);
  int runs = 0;
  TimerId a = s.call_at(10, [&] { ++runs; });
  TimerId b = s.call_at(20, [&] { ++runs; });
  EXPECT_TRUE(s.cancel(a));
  EXPECT_FALSE(s.cancel(a));
  s.call_at(5, [&] { EXPECT_TRUE(s.cancel(b)); });  // cancelled by an earlier callback
  s.advance_to(100);
  EXPECT_EQ(runs, 0);
  EXPECT_FALSE(s.cancel(b));
  EXPECT_FALSE(s.cancel(12345));
}

TEST(VirtualScheduler, TimeNeverMovesBackwards) {
  VirtualScheduler s(1000);
  s.advance_to(10);
  EXPECT_EQ(s.now(), 1000);
}

TEST(VirtualScheduler, SameScheduleGivesTheSameRunEveryTime) {
  auto run = [] {
    VirtualScheduler s(0);
    std::vector<int> order;
    for (int i = 0; i < 50; ++i)
      s.call_at((i * 37) % 11, [&order, i] { order.push_back(i); });
    s.advance_to(11);
    return order;
  };
  EXPECT_EQ(run(), run());
}

}  // namespace
}  // namespace runtime
