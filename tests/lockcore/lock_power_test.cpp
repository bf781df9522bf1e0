// The battery: the fuel gauge, battery_low, going dark at 0 % and coming back with a new pack.
#include <gtest/gtest.h>

#include "lock_harness.hpp"

namespace lockcore {
namespace {

using testing::code;
using testing::kHour;

class LockPower : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(h.pair());
    ASSERT_TRUE(h.set_codes({code(1, "4831")}));
  }
  testing::LockHarness h;
};

TEST_F(LockPower, ReportsTheFuelGaugeReading) {
  EXPECT_GE(h.lock->state().battery_pct, 99);  // a fresh pack, less what pairing drew
  EXPECT_GT(h.lock->state().battery_mv, 6300);
  h.hw.battery().set_percent(60);
  h.lock->poll();
  EXPECT_NEAR(h.lock->state().battery_pct, 60, 1);
  EXPECT_NEAR(h.radio.states.back().battery_pct, 60, 1);
}

TEST_F(LockPower, BatteryLowIsRaisedOnceWhenCrossingBelow20Percent) {
  h.hw.battery().set_percent(21);
  h.lock->poll();
  EXPECT_EQ(h.count(EventType::battery_low), 0U);
  h.hw.battery().set_percent(19);
  h.lock->poll();
  ASSERT_EQ(h.count(EventType::battery_low), 1U);
  EXPECT_NEAR(h.last(EventType::battery_low)->value, 19U, 1U);
  h.hw.battery().set_percent(15);
  h.lock->poll();
  EXPECT_EQ(h.count(EventType::battery_low), 1U);
  // A new pack re-arms it.
  h.hw.battery().set_percent(100);
  h.lock->poll();
  h.hw.battery().set_percent(18);
  h.lock->poll();
  EXPECT_EQ(h.count(EventType::battery_low), 2U);
}

TEST_F(LockPower, TheHourlySampleNoticesWithoutAnyoneAtTheDoor) {
  EXPECT_EQ(h.lock->next_deadline(), h.clock.now() + kBatterySampleMs);
  h.hw.battery().set_percent(19);
  h.run_for(kHour);
  EXPECT_EQ(h.count(EventType::battery_low), 1U);
}

TEST_F(LockPower, IdleDrainShowsOverWeeks) {
  h.run_for(30 * 24 * kHour);
  const std::uint8_t pct = h.lock->state().battery_pct;
  EXPECT_LT(pct, 100);
  EXPECT_GT(pct, 80);
}

TEST_F(LockPower, AtZeroTheLockSaysBatteryDepletedAndGoesDark) {
  h.hw.battery().set_percent(0);
  h.lock->poll();
  ASSERT_EQ(h.count(EventType::battery_depleted), 1U);
  EXPECT_EQ(h.radio.events.back().type, EventType::battery_depleted);  // its last word
  EXPECT_FALSE(h.lock->powered());
  EXPECT_EQ(h.hw.pattern(), KeypadPattern::off);

  h.radio.clear();
  EXPECT_EQ(h.lock->enter_pin("4831").outcome, DoorOutcome::dark);
  const auto cmd = h.lock->on_command(h.command(CommandOp::unlock));
  EXPECT_EQ(cmd.error(), LockError::no_power);
  EXPECT_FALSE(h.lock->on_desired(*h.shadow({code(1, "1111")})).ok());
  EXPECT_FALSE(h.lock->begin_bluetooth().ok());
  h.lock->on_radio_connected();
  h.run_for(3 * kHour);
  EXPECT_TRUE(h.radio.states.empty());  // radio silent
  EXPECT_TRUE(h.radio.events.empty());
  EXPECT_TRUE(h.radio.acks.empty());
  EXPECT_EQ(h.hw.motor(), MotorDrive::stop);
  EXPECT_EQ(h.count(EventType::battery_depleted), 1U);

  // Only the physical key still works.
  EXPECT_TRUE(h.hw.turn_key(false));
  EXPECT_EQ(h.hw.bolt_sensor(), BoltSensor::retracted);
}

TEST_F(LockPower, ANewPackBringsItBackWithItsCodesAndTheBoltWhereTheKeyLeftIt) {
  h.hw.battery().set_percent(0);
  h.lock->poll();
  ASSERT_TRUE(h.hw.turn_key(false));
  h.lock->poll();
  EXPECT_EQ(h.count(EventType::unlocked), 0U);  // dark: it saw nothing
  h.hw.battery().set_percent(100);
  h.lock->poll();
  EXPECT_TRUE(h.lock->powered());
  EXPECT_EQ(h.lock->bolt(), BoltState::unlocked);
  EXPECT_EQ(h.last(EventType::unlocked)->source, AccessSource::physical_key);
  EXPECT_EQ(h.radio.states.back().bolt, BoltState::unlocked);
  EXPECT_EQ(h.lock->enter_pin("4831").outcome, DoorOutcome::accepted);  // codes survived
}

}  // namespace
}  // namespace lockcore
