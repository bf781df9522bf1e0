// Reconnect backoff: doubles from the initial delay up to the cap, jittered within [d/2, d],
// reproducible from its seed, and back to the start after a success.

#include "transport/backoff.hpp"

#include <gtest/gtest.h>

namespace {

using std::chrono::milliseconds;
using transport::ReconnectBackoff;

TEST(ReconnectBackoff, DoublesUpToTheCapWithJitterInTheUpperHalf) {
  ReconnectBackoff backoff(milliseconds(100), milliseconds(1000), 42);
  const long ceilings[] = {100, 200, 400, 800, 1000, 1000, 1000};
  for (long ceiling : ceilings) {
    const long delay = backoff.next().count();
    EXPECT_GE(delay, ceiling / 2);
    EXPECT_LE(delay, ceiling);
  }
  EXPECT_EQ(backoff.failures(), 7u);
}

TEST(ReconnectBackoff, NeverOverflowsAfterManyFailures) {
  ReconnectBackoff backoff(milliseconds(100), milliseconds(30'000), 1);
  for (int i = 0; i < 10'000; ++i) {
    const long delay = backoff.next().count();
    ASSERT_GE(delay, 50);
    ASSERT_LE(delay, 30'000);
  }
}

TEST(ReconnectBackoff, SameSeedSameDelaysDifferentSeedsSpreadOut) {
  ReconnectBackoff a(milliseconds(1000), milliseconds(1000), transport::seed_from("lock/s/1"));
  ReconnectBackoff b(milliseconds(1000), milliseconds(1000), transport::seed_from("lock/s/1"));
  ReconnectBackoff c(milliseconds(1000), milliseconds(1000), transport::seed_from("lock/s/2"));
  int differ = 0;
  for (int i = 0; i < 20; ++i) {
    const auto da = a.next();
    EXPECT_EQ(da, b.next());
    differ += da != c.next();
  }
  EXPECT_GT(differ, 10);  // two clients that lost the broker together do not retry together
}

TEST(ReconnectBackoff, ResetStartsAgainFromTheInitialDelay) {
  ReconnectBackoff backoff(milliseconds(100), milliseconds(10'000), 7);
  for (int i = 0; i < 6; ++i)
    (void)backoff.next();
  backoff.reset();
  EXPECT_EQ(backoff.failures(), 0u);
  EXPECT_LE(backoff.next().count(), 100);
}

}  // namespace
