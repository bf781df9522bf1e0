// EventTracker knows which of a lock's sequence numbers are stored or being written, so that
// duplicates are dropped without the store and the lock is acknowledged only below the first hole.

#include "server/devices/event_tracker.hpp"

#include <gtest/gtest.h>

namespace server::devices {
namespace {

TEST(EventTracker, AcknowledgesOnlyUpToTheFirstNumberNotYetStored) {
  EventTracker t;
  t.reset(0);
  for (std::uint32_t seq : {1u, 2u, 4u}) {
    ASSERT_FALSE(t.covered(seq, seq));
    t.begin(seq, seq);
  }
  t.stored(1, 1);
  t.stored(4, 4);
  EXPECT_EQ(t.contiguous(), 1u);  // 2 is still being written, 3 never arrived
  t.stored(2, 2);
  EXPECT_EQ(t.contiguous(), 2u);
  EXPECT_FALSE(t.covered(3, 3));
  t.begin(3, 3);
  t.stored(3, 3);
  EXPECT_EQ(t.contiguous(), 4u);
  EXPECT_EQ(t.ranges_above(), 0u);
}

TEST(EventTracker, DuplicatesAreRecognisedWhetherStoredOrStillBeingWritten) {
  EventTracker t;
  t.reset(10);  // the lock was acknowledged up to 10
  EXPECT_TRUE(t.covered(7, 7));
  EXPECT_TRUE(t.covered(10, 10));
  EXPECT_FALSE(t.covered(11, 11));
  t.begin(11, 11);
  EXPECT_TRUE(t.covered(11, 11));  // in flight: a redelivery must not be written twice
  t.stored(11, 11);
  EXPECT_TRUE(t.covered(11, 11));
  t.begin(20, 20);
  t.stored(20, 20);
  EXPECT_TRUE(t.covered(20, 20));
  EXPECT_FALSE(t.covered(12, 19));
}

TEST(EventTracker, AGapCoversTheNumbersTheLockDropped) {
  EventTracker t;
  t.reset(0);
  t.begin(1, 1);
  t.stored(1, 1);
  t.begin(2, 40);  // a gap: 2..40 were dropped by the lock
  EXPECT_TRUE(t.covered(17, 17));
  t.stored(2, 40);
  EXPECT_EQ(t.contiguous(), 40u);
  EXPECT_TRUE(t.covered(33, 33));
}

TEST(EventTracker, AFailedWriteIsForgottenSoThatTheResendIsStored) {
  EventTracker t;
  t.reset(0);
  t.begin(1, 1);
  t.abandon(1, 1);
  EXPECT_FALSE(t.covered(1, 1));
  EXPECT_EQ(t.contiguous(), 0u);
}

}  // namespace
}  // namespace server::devices
