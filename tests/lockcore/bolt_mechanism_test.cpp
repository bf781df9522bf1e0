#include "lockcore/model/bolt_mechanism.hpp"

#include <gtest/gtest.h>

#include "lockcore/model/model_hardware.hpp"

namespace lockcore {
namespace {

using model::BoltMechanism;

// Runs the motor in `drive` from t=0 in steps of 10 ms until the sensor reads `until` or 5 s.
UnixMs time_to(BoltMechanism& bolt, MotorDrive drive, BoltSensor until, std::uint16_t mv) {
  bolt.advance(0, mv);
  bolt.drive(drive, 0);
  for (UnixMs t = 10; t <= 5000; t += 10) {
    bolt.advance(t, mv);
    if (bolt.sensor() == until) return t;
  }
  return -1;
}

TEST(BoltMechanism, TurnsInAboutASecondAndStallsAtTheEndStop) {
  SeededRandom random(1);
  BoltMechanism bolt(random);
  EXPECT_EQ(bolt.sensor(), BoltSensor::extended);
  bolt.advance(0, 6000);
  bolt.drive(MotorDrive::retract, 0);
  bolt.advance(500, 6000);
  EXPECT_EQ(bolt.sensor(), BoltSensor::between);
  EXPECT_EQ(bolt.current_ma(), bolt.params().running_ma);
  bolt.advance(1000, 6000);
  EXPECT_EQ(bolt.sensor(), BoltSensor::retracted);
  EXPECT_EQ(bolt.current_ma(), bolt.params().stall_ma);
  bolt.drive(MotorDrive::stop, 1000);
  EXPECT_EQ(bolt.current_ma(), 0);
}

TEST(BoltMechanism, ASaggingSupplyTurnsMoreSlowlyAndTooLowNotAtAll) {
  SeededRandom random(1);
  BoltMechanism fresh(random), weak(random, {}, true), dead(random, {}, true);
  const UnixMs t_fresh = time_to(fresh, MotorDrive::retract, BoltSensor::retracted, 6000);
  const UnixMs t_weak = time_to(weak, MotorDrive::retract, BoltSensor::retracted, 4200);
  EXPECT_NEAR(t_fresh, 1000, 30);
  EXPECT_GT(t_weak, t_fresh * 13 / 10);
  EXPECT_EQ(time_to(dead, MotorDrive::retract, BoltSensor::retracted, 2900), -1);
  EXPECT_EQ(dead.current_ma(), dead.params().running_ma);  // trying, not stalled
}

TEST(BoltMechanism, AJamHoldsTheBoltUntilCleared) {
  SeededRandom random(1);
  BoltMechanism bolt(random);
  bolt.jam();
  EXPECT_EQ(time_to(bolt, MotorDrive::retract, BoltSensor::retracted, 6000), -1);
  EXPECT_EQ(bolt.current_ma(), bolt.params().stall_ma);
  EXPECT_FALSE(bolt.turn_key(MotorDrive::retract, 0));  // nor will the key turn it
  bolt.drive(MotorDrive::stop, 5000);
  bolt.clear_jam();
  EXPECT_TRUE(bolt.turn_key(MotorDrive::retract, 5000));
  EXPECT_EQ(bolt.sensor(), BoltSensor::retracted);
}

TEST(BoltMechanism, DoorSwellJamsPartWayUnlessRealigned) {
  SeededRandom random(1);
  BoltMechanism bolt(random);
  bolt.door_swell();
  EXPECT_EQ(time_to(bolt, MotorDrive::retract, BoltSensor::retracted, 6000), -1);
  EXPECT_EQ(bolt.sensor(), BoltSensor::between);
  EXPECT_EQ(bolt.current_ma(), bolt.params().stall_ma);
  // Backing off is free; the next turn after a realign goes through.
  bolt.drive(MotorDrive::extend, 5000);
  bolt.advance(5300, 6000);
  bolt.drive(MotorDrive::stop, 5300);
  bolt.realign(5300);
  bolt.advance(6000, 6000);
  bolt.drive(MotorDrive::retract, 6000);
  bolt.advance(7500, 6000);
  EXPECT_EQ(bolt.sensor(), BoltSensor::retracted);
}

TEST(BoltMechanism, ARealignCoversOneTurnWithin30Seconds) {
  SeededRandom random(1);
  BoltMechanism bolt(random);
  bolt.door_swell();
  bolt.realign(0);
  EXPECT_FALSE(bolt.turn_key(MotorDrive::retract, 40'000));  // too late: the door swelled back
  bolt.realign(50'000);
  EXPECT_TRUE(bolt.turn_key(MotorDrive::retract, 60'000));
  EXPECT_FALSE(bolt.turn_key(MotorDrive::extend, 61'000));  // used up by the last turn
  bolt.clear_door_swell();
  EXPECT_TRUE(bolt.turn_key(MotorDrive::extend, 62'000));
}

TEST(BoltMechanism, SwellProbabilityIsDrawnFromTheInjectedRandom) {
  auto jams = [](std::uint64_t seed) {
    SeededRandom random(seed);
    BoltMechanism bolt(random);
    bolt.door_swell(0.3F);
    int n = 0;
    for (int i = 0; i < 1000; ++i)
      n += bolt.turn_key(i % 2 ? MotorDrive::extend : MotorDrive::retract, i) ? 0 : 1;
    return n;
  };
  EXPECT_EQ(jams(5), jams(5));  // reproducible
  EXPECT_NEAR(jams(5), 300, 60);
}

TEST(BoltMechanism, MotorFaultDrawsNoCurrentAndMovesNothing) {
  SeededRandom random(1);
  BoltMechanism bolt(random);
  bolt.set_motor_fault(true);
  EXPECT_EQ(time_to(bolt, MotorDrive::retract, BoltSensor::retracted, 6000), -1);
  EXPECT_EQ(bolt.current_ma(), 0);
  EXPECT_EQ(bolt.sensor(), BoltSensor::extended);
  EXPECT_TRUE(bolt.turn_key(MotorDrive::retract, 6000));  // the key still works
}

TEST(ModelHardware, TheMotorDrawsFromTheBatteryAndTheKeyNeedsNone) {
  ManualClock clock(0);
  SeededRandom random(3);
  model::ModelHardware hw(clock, random, nullptr);
  const double before = hw.battery().used_mah();
  hw.drive_motor(MotorDrive::retract);
  clock.advance(100);
  EXPECT_LT(hw.battery_mv(), hw.battery().open_circuit_mv());  // sags under load
  clock.advance(1000);
  hw.drive_motor(MotorDrive::stop);
  EXPECT_EQ(hw.bolt_sensor(), BoltSensor::retracted);
  EXPECT_GT(hw.battery().used_mah() - before, 0.08);

  hw.battery().set_percent(0);
  EXPECT_TRUE(hw.turn_key(true));
  EXPECT_EQ(hw.bolt_sensor(), BoltSensor::extended);
  EXPECT_FALSE(hw.radio_up());  // no link at all
}

}  // namespace
}  // namespace lockcore
