#include "lockcore/replay_window.hpp"

#include <gtest/gtest.h>

#include "lock_harness.hpp"

namespace lockcore {
namespace {

using testing::command_id;

TEST(ReplayWindow, RemembersAnIdUntilItsCommandExpires) {
  ReplayWindow w;
  EXPECT_EQ(w.check(command_id(1), 1000), ReplayWindow::Check::fresh);
  w.remember(command_id(1), 5000);
  EXPECT_EQ(w.check(command_id(1), 2000), ReplayWindow::Check::replayed);
  EXPECT_EQ(w.check(command_id(2), 2000), ReplayWindow::Check::fresh);
  EXPECT_EQ(w.check(command_id(1), 5000), ReplayWindow::Check::replayed);
  EXPECT_EQ(w.check(command_id(1), 5001), ReplayWindow::Check::fresh);
  EXPECT_EQ(w.size(), 0U);
}

TEST(ReplayWindow, AFullWindowRefusesInsteadOfForgetting) {
  ReplayWindow w;
  for (std::uint32_t i = 0; i < kReplayWindowCapacity; ++i) {
    ASSERT_EQ(w.check(command_id(i), 0), ReplayWindow::Check::fresh);
    w.remember(command_id(i), 10'000 + i);
  }
  EXPECT_EQ(w.check(command_id(999), 1000), ReplayWindow::Check::full);
  EXPECT_EQ(w.check(command_id(0), 1000), ReplayWindow::Check::replayed);   // still known
  EXPECT_EQ(w.check(command_id(999), 10'001), ReplayWindow::Check::fresh);  // 0 expired
}

}  // namespace
}  // namespace lockcore
