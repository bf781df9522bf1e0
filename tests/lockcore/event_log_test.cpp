#include "lockcore/event_log.hpp"

#include <gtest/gtest.h>

namespace lockcore {
namespace {

Event event(EventType type = EventType::unlocked) {
  Event e;
  e.type = type;
  return e;
}

TEST(EventLog, NumbersEventsFromOne) {
  EventLog log;
  EXPECT_EQ(log.append(event()).seq, 1U);
  EXPECT_EQ(log.append(event()).seq, 2U);
  EXPECT_EQ(log.last_seq(), 2U);
  EXPECT_EQ(log.events().size(), 2U);
}

TEST(EventLog, AcknowledgedEventsAreDroppedAndNumbersNeverReused) {
  EventLog log;
  for (int i = 0; i < 5; ++i)
    log.append(event());
  log.acknowledge(3);
  ASSERT_EQ(log.events().size(), 2U);
  EXPECT_EQ(log.events()[0].seq, 4U);
  log.acknowledge(5);
  EXPECT_TRUE(log.events().empty());
  EXPECT_EQ(log.append(event()).seq, 6U);
}

TEST(EventLog, WhenFullTheOldestBecomeOneGapNamingExactlyWhatWasLost) {
  EventLog log;
  for (std::size_t i = 0; i < kEventLogCapacity; ++i)
    log.append(event());
  log.append(event(EventType::jammed));  // seq 33: 1 and 2 fold into a gap
  ASSERT_EQ(log.events().size(), kEventLogCapacity);
  EXPECT_EQ(log.events()[0].type, EventType::gap);
  EXPECT_EQ(log.events()[0].seq, 1U);
  EXPECT_EQ(log.events()[0].value, 2U);
  EXPECT_EQ(log.events()[1].seq, 3U);
  log.append(event());  // seq 34: the gap grows over 3
  EXPECT_EQ(log.events()[0].value, 3U);
  EXPECT_EQ(log.events()[1].seq, 4U);
  EXPECT_EQ(log.events().back().seq, 34U);
  // Every number 1..34 is either in the gap or present.
  std::uint32_t expected = log.events()[0].value + 1;
  for (std::size_t i = 1; i < log.events().size(); ++i)
    EXPECT_EQ(log.events()[i].seq, expected++);
}

TEST(EventLog, AnAckInsideAGapShrinksIt) {
  EventLog log;
  for (std::size_t i = 0; i < kEventLogCapacity + 5; ++i)
    log.append(event());
  ASSERT_EQ(log.events()[0].type, EventType::gap);
  const std::uint32_t gap_end = log.events()[0].value;
  log.acknowledge(2);
  EXPECT_EQ(log.events()[0].seq, 3U);
  EXPECT_EQ(log.events()[0].value, gap_end);
  log.acknowledge(gap_end);
  EXPECT_NE(log.events()[0].type, EventType::gap);
}

}  // namespace
}  // namespace lockcore
