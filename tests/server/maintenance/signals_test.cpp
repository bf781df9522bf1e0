// The rules that open work orders, told as the stories a site lives through: a door that starts
// to jam, a battery running down, a hub that drops off, a motor that fails. Time is the virtual
// scheduler's; `at` is when the lock says it happened.

#include "server/maintenance/signals.hpp"

#include <gtest/gtest.h>

#include "tests/server/maintenance/world.hpp"

namespace server::maintenance {
namespace {

using testing::kDay;
using testing::kHour;
using testing::kMinute;
using testing::World;

class SignalsTest : public ::testing::Test {
 protected:
  // A jam of `lock` at day `day` after the start (the clock moved there first when it is later).
  Result<std::optional<WorkOrder>> jam(double day, const std::string& lock = "u204") {
    const UnixMs at = start_ + static_cast<UnixMs>(day * kDay);
    if (at > w_.now()) w_.advance_to(at);
    return w_.signals().on_jam("s1", lock, at);
  }
  Result<std::optional<WorkOrder>> battery(double day, int pct, const std::string& lock = "u204") {
    const UnixMs at = start_ + static_cast<UnixMs>(day * kDay);
    if (at > w_.now()) w_.advance_to(at);
    return w_.signals().on_battery_sample("s1", lock, pct, 5800, at);
  }
  std::vector<WorkOrder> of(Kind kind) {
    ListFilter filter;
    filter.kind = kind;
    return w_.orders_at("s1", filter);
  }
  void close(const WorkOrder& order) {
    auto closed = w_.orders().close("acc_maint", "s1", order.id, "fixed");
    ASSERT_TRUE(closed.ok()) << closed.error().message;
  }

  World w_;
  const UnixMs start_ = w_.now();
};

// --- door_alignment: 3 jams within 7 days ---

TEST_F(SignalsTest, TwoJamsInSevenDaysOpenNothing) {
  ASSERT_TRUE(jam(0).ok());
  auto second = jam(3);
  ASSERT_TRUE(second.ok());
  EXPECT_FALSE(*second);
  EXPECT_TRUE(w_.orders_at().empty());
}

TEST_F(SignalsTest, TheThirdJamWithinSevenDaysOpensOneDoorAlignmentOrderWithItsEvidence) {
  ASSERT_TRUE(jam(0).ok());
  ASSERT_TRUE(jam(2).ok());
  auto third = jam(5);
  ASSERT_TRUE(third.ok()) << third.error().message;
  ASSERT_TRUE(*third);
  EXPECT_EQ((*third)->kind, Kind::door_alignment);
  EXPECT_EQ((*third)->target, "u204");
  EXPECT_EQ((*third)->status, OrderStatus::open);
  EXPECT_EQ((*third)->opened_at, w_.now());
  EXPECT_NE((*third)->reason.find("3 jams between 2024-01-15 12:00 UTC and 2024-01-20 12:00 UTC"),
            std::string::npos)
      << (*third)->reason;
  auto all = w_.orders_at();
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].id, (*third)->id);
  EXPECT_EQ(w_.count("work_order_opened"), 1u);
}

TEST_F(SignalsTest, AFourthJamWhileTheOrderIsOpenAddsNothing) {
  for (double day : {0.0, 1.0, 2.0})
    ASSERT_TRUE(jam(day).ok());
  const auto told = w_.work_order_recipients();
  auto fourth = jam(3);
  ASSERT_TRUE(fourth.ok());
  EXPECT_FALSE(*fourth);
  EXPECT_EQ(w_.orders_at().size(), 1u);
  EXPECT_EQ(w_.count("work_order_opened"), 1u);
  EXPECT_EQ(w_.work_order_recipients(), told);
}

TEST_F(SignalsTest, ThreeJamsSpreadOverEightDaysOpenNothing) {
  for (double day : {0.0, 4.0, 8.0})
    ASSERT_TRUE(jam(day).ok());
  EXPECT_TRUE(w_.orders_at().empty());
}

TEST_F(SignalsTest, JamsReportedLateAndOutOfOrderStillMakeABurst) {
  // The lock was offline and resends its events after reconnecting, oldest last.
  w_.advance_to(start_ + 6 * kDay);
  ASSERT_TRUE(w_.signals().on_jam("s1", "u204", start_ + 5 * kDay).ok());
  ASSERT_TRUE(w_.signals().on_jam("s1", "u204", start_ + 3 * kDay).ok());
  EXPECT_TRUE(w_.orders_at().empty());
  auto oldest = w_.signals().on_jam("s1", "u204", start_);
  ASSERT_TRUE(oldest.ok());
  EXPECT_TRUE(*oldest);
}

TEST_F(SignalsTest, TheSameJamReportedTwiceCountsOnce) {
  ASSERT_TRUE(jam(0).ok());
  ASSERT_TRUE(jam(1).ok());
  ASSERT_TRUE(jam(1).ok());  // a resend of the same event
  EXPECT_TRUE(w_.orders_at().empty());
}

TEST_F(SignalsTest, JamsOfDifferentLocksAreNotAddedTogether) {
  ASSERT_TRUE(jam(0, "u204").ok());
  ASSERT_TRUE(jam(1, "u204").ok());
  ASSERT_TRUE(jam(2, "u205").ok());
  ASSERT_TRUE(w_.signals().on_jam("s2", "u204", w_.now()).ok());  // another site's lock u204
  EXPECT_TRUE(w_.orders_at().empty());
  EXPECT_TRUE(w_.orders_at("s2").empty());
}

TEST_F(SignalsTest, AfterACloseOnlyANewBurstOpensAnotherOrder) {
  for (double day : {0.0, 1.0, 2.0})
    ASSERT_TRUE(jam(day).ok());
  ASSERT_EQ(w_.orders_at().size(), 1u);
  close(w_.orders_at()[0]);
  // The jams before the close are spent: one more does not reopen it.
  auto one = jam(3);
  ASSERT_TRUE(one.ok());
  EXPECT_FALSE(*one);
  ASSERT_TRUE(jam(4).ok());
  auto burst = jam(5);
  ASSERT_TRUE(burst.ok());
  ASSERT_TRUE(*burst);
  auto all = of(Kind::door_alignment);
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].status, OrderStatus::open);
  EXPECT_EQ(all[1].status, OrderStatus::closed);
}

TEST_F(SignalsTest, HostileIdsAndUnknownSitesChangeNothing) {
  EXPECT_EQ(testing::code(w_.signals().on_jam("s1", "u204'; DROP TABLE work_orders;--", 0)),
            Errc::invalid_field);
  EXPECT_EQ(testing::code(w_.signals().on_jam("s1", "", 0)), Errc::invalid_field);
  EXPECT_EQ(testing::code(w_.signals().on_jam("s1", std::string(33, 'a'), 0)), Errc::invalid_field);
  EXPECT_EQ(testing::code(w_.signals().on_jam("s 1", "u204", 0)), Errc::invalid_field);
  EXPECT_EQ(testing::code(w_.signals().on_jam("nowhere", "u204", 0)), Errc::not_found);
  EXPECT_EQ(testing::code(w_.signals().on_battery_sample("s1", "u204", 101, {}, 0)),
            Errc::invalid_field);
  EXPECT_EQ(testing::code(w_.signals().on_battery_sample("s1", "u204", -1, {}, 0)),
            Errc::invalid_field);
  EXPECT_EQ(testing::code(w_.signals().on_battery_sample("s1", "u204", 50, -5, 0)),
            Errc::invalid_field);
  EXPECT_FALSE(w_.signals().on_hub_offline("nowhere", "hub-1", 0).ok());
  auto rows = w_.db().query("SELECT count(*) FROM maintenance_jams");
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ(*(*rows)[0].int64(0), 0);
}

// --- battery: low now, or forecast empty within 14 days ---

TEST_F(SignalsTest, ABatteryLowNowOpensAnOrderAtOnce) {
  auto low = battery(0, 15);
  ASSERT_TRUE(low.ok()) << low.error().message;
  ASSERT_TRUE(*low);
  EXPECT_EQ((*low)->kind, Kind::battery);
  EXPECT_FALSE((*low)->forecast_empty_at);  // one sample: no trend
  EXPECT_NE((*low)->reason.find("battery at 15 %"), std::string::npos) << (*low)->reason;
  auto again = battery(1, 12);
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(*again);
  EXPECT_EQ(of(Kind::battery).size(), 1u);
}

TEST_F(SignalsTest, AFastFallingBatteryOpensAnOrderWithTheForecastDay) {
  // 60 % to 30 % over 10 days: 3 % a day, empty on day 20, 10 days after the last sample.
  std::optional<WorkOrder> opened;
  for (int day = 0; day <= 10; ++day) {
    auto r = battery(day, 60 - 3 * day);
    ASSERT_TRUE(r.ok()) << r.error().message;
    if (*r) opened = **r;
  }
  ASSERT_TRUE(opened);
  ASSERT_TRUE(opened->forecast_empty_at);
  EXPECT_NEAR(static_cast<double>(*opened->forecast_empty_at - start_) / kDay, 20.0, 0.01);
  EXPECT_GT(opened->forecast_empty_at, w_.now());
  EXPECT_NE(opened->reason.find("within 14 days"), std::string::npos) << opened->reason;
}

TEST_F(SignalsTest, ASlowFallingBatteryIsForecastButNotYetAnOrder) {
  // 80 % to 60 % over 10 days: 2 % a day, empty on day 40, 30 days out: past the 14-day horizon.
  for (int day = 0; day <= 10; ++day)
    ASSERT_TRUE(battery(day, 80 - 2 * day).ok());
  EXPECT_TRUE(of(Kind::battery).empty());
  auto trend = w_.signals().battery_trend("s1", "u204");
  ASSERT_TRUE(trend.ok());
  EXPECT_EQ(trend->samples.size(), 11u);
  ASSERT_TRUE(trend->forecast);
  EXPECT_NEAR(trend->forecast->pct_per_day, -2.0, 1e-9);
  EXPECT_NEAR(static_cast<double>(trend->forecast->empty_at - start_) / kDay, 40.0, 0.01);
  // Sixteen days later the same line is within the horizon: the next sample opens the order.
  auto later = battery(27, 26);
  ASSERT_TRUE(later.ok());
  ASSERT_TRUE(*later);
  EXPECT_TRUE((*later)->forecast_empty_at);
}

TEST_F(SignalsTest, AFlatBatteryOpensNothing) {
  for (int day = 0; day <= 20; ++day)
    ASSERT_TRUE(battery(day, 80).ok());
  EXPECT_TRUE(of(Kind::battery).empty());
  auto trend = w_.signals().battery_trend("s1", "u204");
  ASSERT_TRUE(trend.ok());
  EXPECT_FALSE(trend->forecast);
}

TEST_F(SignalsTest, NoisySamplesFollowTheTrendNotTheLastReading) {
  // Around 90 % falling 2 % a day, each reading off by up to 4 points: the fitted line empties
  // near day 46, past the horizon, so no order, though day 12 to 13 alone (70 % then 61 %) would
  // say empty within a week.
  const int noise[] = {3, -4, 2, 0, -3, 4, -2, 1, -4, 3, 0, -1, 4, -3, 2};
  for (int day = 0; day < 15; ++day)
    ASSERT_TRUE(battery(day, 90 - 2 * day + noise[day]).ok());
  EXPECT_TRUE(of(Kind::battery).empty());
  auto trend = w_.signals().battery_trend("s1", "u204");
  ASSERT_TRUE(trend.ok());
  ASSERT_TRUE(trend->forecast);
  EXPECT_NEAR(static_cast<double>(trend->forecast->empty_at - start_) / kDay, 45.76, 0.01);
}

TEST_F(SignalsTest, TooFewSamplesMakeNoForecast) {
  ASSERT_TRUE(battery(0, 60).ok());
  ASSERT_TRUE(battery(1, 40).ok());  // steep, but two samples over one day are not a trend
  EXPECT_TRUE(of(Kind::battery).empty());
  auto trend = w_.signals().battery_trend("s1", "u204");
  ASSERT_TRUE(trend.ok());
  EXPECT_EQ(trend->samples.size(), 2u);
  EXPECT_FALSE(trend->forecast);
}

// --- hub: offline past the grace period ---

TEST_F(SignalsTest, AHubOfflineShorterThanTheGracePeriodOpensNothing) {
  ASSERT_TRUE(w_.signals().on_hub_offline("s1", "hub-1", w_.now()).ok());
  w_.advance_to(w_.now() + 14 * kMinute);
  EXPECT_TRUE(of(Kind::hub).empty());
}

TEST_F(SignalsTest, AHubOfflinePastTheGracePeriodOpensOneOrderOnItsTimer) {
  const UnixMs since = w_.now();
  ASSERT_TRUE(w_.signals().on_hub_offline("s1", "hub-1", since).ok());
  w_.advance_to(since + 15 * kMinute);
  auto hubs = of(Kind::hub);
  ASSERT_EQ(hubs.size(), 1u);
  EXPECT_EQ(hubs[0].target, "hub-1");
  EXPECT_EQ(hubs[0].opened_at, since + 15 * kMinute);
  // Still down a day later, reported again: still one.
  ASSERT_TRUE(w_.signals().on_hub_offline("s1", "hub-1", since + kHour).ok());
  w_.advance_to(since + kDay);
  auto evaluated = w_.signals().evaluate(w_.now());
  ASSERT_TRUE(evaluated.ok());
  EXPECT_TRUE(evaluated->empty());
  EXPECT_EQ(of(Kind::hub).size(), 1u);
}

TEST_F(SignalsTest, AHubBackOnlineBeforeTheGracePeriodOpensNothing) {
  const UnixMs since = w_.now();
  ASSERT_TRUE(w_.signals().on_hub_offline("s1", "hub-1", since).ok());
  w_.advance_to(since + 5 * kMinute);
  ASSERT_TRUE(w_.signals().on_hub_online("s1", "hub-1").ok());
  w_.advance_to(since + kDay);
  ASSERT_TRUE(w_.signals().evaluate(w_.now()).ok());
  EXPECT_TRUE(of(Kind::hub).empty());
  EXPECT_EQ(w_.scheduler().pending(), 0u);
}

TEST_F(SignalsTest, AnOutageOutlivesARestart) {
  const UnixMs since = w_.now();
  {
    Maintenance before(w_.deps());
    ASSERT_TRUE(before.signals().on_hub_offline("s1", "hub-1", since).ok());
  }  // the server stops: its timer goes with it
  EXPECT_EQ(w_.scheduler().pending(), 0u);
  Maintenance after(w_.deps());
  ASSERT_TRUE(after.signals().resume().ok());
  w_.advance_to(since + 20 * kMinute);
  EXPECT_EQ(of(Kind::hub).size(), 1u);
}

TEST_F(SignalsTest, AHubOrderClosedWhileTheHubIsStillDownReopensAfterANewGracePeriod) {
  const UnixMs since = w_.now();
  ASSERT_TRUE(w_.signals().on_hub_offline("s1", "hub-1", since).ok());
  w_.advance_to(since + 20 * kMinute);
  ASSERT_EQ(of(Kind::hub).size(), 1u);
  close(of(Kind::hub)[0]);
  auto right_after = w_.signals().evaluate(w_.now());
  ASSERT_TRUE(right_after.ok());
  EXPECT_TRUE(right_after->empty());
  w_.advance_to(w_.now() + 15 * kMinute);
  auto hubs = of(Kind::hub);
  ASSERT_EQ(hubs.size(), 2u);
  EXPECT_EQ(hubs[0].status, OrderStatus::open);
}

// --- lock_hardware: a motor or keypad fault ---

TEST_F(SignalsTest, AMotorFaultOpensALockHardwareOrder) {
  auto motor = w_.signals().on_hardware_fault("s1", "u204", Fault::motor, w_.now());
  ASSERT_TRUE(motor.ok());
  ASSERT_TRUE(*motor);
  EXPECT_EQ((*motor)->kind, Kind::lock_hardware);
  EXPECT_NE((*motor)->reason.find("motor fault"), std::string::npos);
  // A keypad fault on the same lock while it is open: the same job.
  auto keypad = w_.signals().on_hardware_fault("s1", "u204", Fault::keypad, w_.now());
  ASSERT_TRUE(keypad.ok());
  EXPECT_FALSE(*keypad);
  // Another kind on the same lock is another job.
  ASSERT_TRUE(battery(0, 5).ok());
  EXPECT_EQ(w_.orders_at().size(), 2u);
}

}  // namespace
}  // namespace server::maintenance
