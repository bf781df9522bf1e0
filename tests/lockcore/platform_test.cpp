#include "lockcore/platform.hpp"

#include <gtest/gtest.h>

namespace lockcore {
namespace {

TEST(SeededRandom, SameSeedGivesTheSameStreamAndAnotherSeedAnother) {
  SeededRandom a(7), b(7), c(8);
  auto x = a.bytes<100>();
  auto y = b.bytes<100>();
  auto z = c.bytes<100>();
  EXPECT_EQ(x, y);
  EXPECT_NE(x, z);
}

TEST(SeededRandom, ChunkingDoesNotChangeTheStream) {
  SeededRandom a(99), b(99);
  auto whole = a.bytes<130>();
  std::array<std::uint8_t, 130> pieces{};
  b.fill(std::span(pieces).subspan(0, 3));
  b.fill(std::span(pieces).subspan(3, 64));
  b.fill(std::span(pieces).subspan(67));
  EXPECT_EQ(whole, pieces);
}

TEST(Random, UniformStaysInRangeAndCoversIt) {
  SeededRandom r(1);
  std::array<int, 6> seen{};
  for (int i = 0; i < 6000; ++i) {
    const std::uint32_t v = r.uniform(6);
    ASSERT_LT(v, 6U);
    ++seen[v];
  }
  for (int n : seen)
    EXPECT_GT(n, 800);
  EXPECT_EQ(r.uniform(0), 0U);
}

TEST(Random, UnitIsInTheHalfOpenInterval) {
  SeededRandom r(2);
  double sum = 0;
  for (int i = 0; i < 10000; ++i) {
    const double u = r.unit();
    ASSERT_GE(u, 0.0);
    ASSERT_LT(u, 1.0);
    sum += u;
  }
  EXPECT_NEAR(sum / 10000, 0.5, 0.02);
}

TEST(SodiumRandom, FillsWithFreshBytes) {
  SodiumRandom r;
  EXPECT_NE(r.bytes<32>(), r.bytes<32>());
}

TEST(ManualClock, MovesOnlyWhenTold) {
  ManualClock c(1000);
  EXPECT_EQ(c.now(), 1000);
  c.advance(500);
  EXPECT_EQ(c.now(), 1500);
  c.set(42);
  EXPECT_EQ(c.now(), 42);
}

}  // namespace
}  // namespace lockcore
