// ConnectGate: at most `limit` attempts at once, the rest in order of asking, and a turn nobody
// wants any more passes to the next in line.

#include "transport/connect_gate.hpp"

#include <vector>

#include <gtest/gtest.h>

namespace {

using transport::ConnectGate;

TEST(ConnectGate, StartsUpToTheLimitThenQueuesInOrder) {
  ConnectGate gate(2);
  std::vector<int> started;
  for (int i = 0; i < 5; ++i) {
    gate.acquire([&, i] {
      started.push_back(i);
      return true;
    });
  }
  EXPECT_EQ(started, (std::vector<int>{0, 1}));
  EXPECT_EQ(gate.connecting(), 2u);
  EXPECT_EQ(gate.waiting(), 3u);
  gate.release();
  EXPECT_EQ(started, (std::vector<int>{0, 1, 2}));
  gate.release();
  gate.release();
  EXPECT_EQ(started, (std::vector<int>{0, 1, 2, 3, 4}));
  EXPECT_EQ(gate.connecting(), 2u);
  gate.release();
  gate.release();
  EXPECT_EQ(gate.connecting(), 0u);
  EXPECT_EQ(gate.waiting(), 0u);
}

TEST(ConnectGate, ATurnNobodyWantsGoesToTheNextInLine) {
  ConnectGate gate(1);
  std::vector<int> started;
  gate.acquire([&] { return started.push_back(0), true; });
  gate.acquire([&] { return false; });  // e.g. the client was disconnected while waiting
  gate.acquire([&] { return false; });
  gate.acquire([&] { return started.push_back(3), true; });
  gate.release();
  EXPECT_EQ(started, (std::vector<int>{0, 3}));
  EXPECT_EQ(gate.connecting(), 1u);
  EXPECT_EQ(gate.waiting(), 0u);
}

TEST(ConnectGate, AnImmediateRefusalFreesItsSlot) {
  ConnectGate gate(1);
  gate.acquire([] { return false; });
  EXPECT_EQ(gate.connecting(), 0u);
  bool started = false;
  gate.acquire([&] { return started = true; });
  EXPECT_TRUE(started);
}

TEST(ConnectGate, ALongQueueOfRefusalsDoesNotRecurse) {
  ConnectGate gate(1);
  gate.acquire([] { return true; });
  for (int i = 0; i < 200'000; ++i)
    gate.acquire([] { return false; });
  gate.release();
  EXPECT_EQ(gate.connecting(), 0u);
  EXPECT_EQ(gate.waiting(), 0u);
}

}  // namespace
