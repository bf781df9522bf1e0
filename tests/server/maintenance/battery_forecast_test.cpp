// The least-squares forecast on its own: exact lines land on their day, and what is not a trend
// (too few samples, too short a span, flat or rising, a new battery) is not forecast.

#include "server/maintenance/battery_forecast.hpp"

#include <vector>

#include <gtest/gtest.h>

namespace server::maintenance {
namespace {

constexpr UnixMs kDay = 24LL * 3600 * 1000;
constexpr UnixMs kStart = 1705320000000;

std::vector<BatterySample> line(std::initializer_list<int> pcts, UnixMs step = kDay) {
  std::vector<BatterySample> out;
  UnixMs at = kStart;
  for (int pct : pcts) {
    out.push_back({at, pct});
    at += step;
  }
  return out;
}

double days_from_start(UnixMs t) {
  return static_cast<double>(t - kStart) / kDay;
}

TEST(BatteryForecastTest, AnExactLineReachesZeroOnItsDay) {
  auto f = forecast_empty(line({60, 57, 54, 51, 48}));
  ASSERT_TRUE(f);
  EXPECT_NEAR(f->pct_per_day, -3.0, 1e-9);
  EXPECT_NEAR(days_from_start(f->empty_at), 20.0, 1e-6);
}

TEST(BatteryForecastTest, UnevenlySpacedSamplesAreWeightedByTime) {
  // 90 % at day 0, 80 % at day 5, 78 % at day 6: one line, 2 % a day.
  std::vector<BatterySample> s = {{kStart, 90}, {kStart + 5 * kDay, 80}, {kStart + 6 * kDay, 78}};
  auto f = forecast_empty(s);
  ASSERT_TRUE(f);
  EXPECT_NEAR(days_from_start(f->empty_at), 45.0, 1e-6);
}

TEST(BatteryForecastTest, FlatOrRisingIsNoForecast) {
  EXPECT_FALSE(forecast_empty(line({80, 80, 80, 80})));
  EXPECT_FALSE(forecast_empty(line({50, 52, 54})));
}

TEST(BatteryForecastTest, TooFewSamplesOrTooShortASpanIsNoForecast) {
  EXPECT_FALSE(forecast_empty({}));
  EXPECT_FALSE(forecast_empty(line({60})));
  EXPECT_FALSE(forecast_empty(line({60, 40})));
  // Three samples, but over 1.5 days.
  EXPECT_FALSE(forecast_empty(line({60, 50, 40}, 18 * 3600 * 1000)));
  // Three samples over exactly two days is enough.
  EXPECT_TRUE(forecast_empty(line({60, 50, 40})));
}

TEST(BatteryForecastTest, ANewBatteryStartsANewTrend) {
  // 40, 30, 20 then replaced: 100, 99, 98 fall 1 % a day from day 3.
  auto f = forecast_empty(line({40, 30, 20, 100, 99, 98}));
  ASSERT_TRUE(f);
  EXPECT_NEAR(f->pct_per_day, -1.0, 1e-9);
  EXPECT_NEAR(days_from_start(f->empty_at), 103.0, 1e-6);
  // Right after the change there are too few new samples: no forecast rather than the old one.
  EXPECT_FALSE(forecast_empty(line({40, 30, 20, 100})));
}

TEST(BatteryForecastTest, AnEmptyDayBeyondTheCapIsNotInSight) {
  // 0.001 % a day from 90 %: 90,000 days out.
  std::vector<BatterySample> s = {
      {kStart, 90}, {kStart + 1000 * kDay, 89}, {kStart + 2000 * kDay, 88}};
  EXPECT_FALSE(forecast_empty(s));
}

}  // namespace
}  // namespace server::maintenance
