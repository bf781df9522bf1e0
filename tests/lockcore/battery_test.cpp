#include <gtest/gtest.h>

#include "lockcore/battery_curve.hpp"
#include "lockcore/lock.hpp"
#include "lockcore/model/battery_pack.hpp"

namespace lockcore {
namespace {

using model::BatteryPack;

TEST(BatteryCurve, FreshPackIsAbout6Point4VoltsAndEmptyIs4) {
  EXPECT_EQ(pack_open_circuit_mv(1000), 6400);
  EXPECT_EQ(pack_open_circuit_mv(0), 4000);
  EXPECT_NEAR(pack_open_circuit_mv(500), 4 * 1290, 1);  // ~1.3 V per cell at half charge
}

TEST(BatteryCurve, IsMonotonicAndSlopedNotLinear) {
  for (std::uint16_t p = 1; p <= 1000; ++p) {
    ASSERT_GE(pack_open_circuit_mv(p), pack_open_circuit_mv(p - 1)) << p;
  }
  // A linear map would put half charge at 5.2 V; alkaline sits lower.
  EXPECT_LT(pack_open_circuit_mv(500), 5200);
}

TEST(BatteryCurve, FuelGaugeReadsTheCurveBackwards) {
  for (std::uint16_t pct = 1; pct <= 100; ++pct) {
    const std::uint16_t mv = pack_open_circuit_mv(pct * 10);
    EXPECT_NEAR(pack_percent_from_mv(mv), pct, 1) << pct;
  }
  EXPECT_EQ(pack_percent_from_mv(3900), 0);
  EXPECT_EQ(pack_percent_from_mv(4000), 0);
  EXPECT_EQ(pack_percent_from_mv(7000), 100);
}

TEST(BatteryPack, IdleDrainIsCountedPerHour) {
  model::BatteryParams params;
  params.idle_ma = 1.0F;
  BatteryPack pack(0, params);
  pack.advance(10 * 3'600'000);  // 10 h at 1 mA
  EXPECT_NEAR(pack.used_mah(), 10.0, 1e-6);
}

TEST(BatteryPack, MotorAndRadioDrawCharge) {
  BatteryPack pack(0);
  pack.draw_ma_for(300, 1000);  // one turn
  EXPECT_NEAR(pack.used_mah(), 300.0 / 3600.0, 1e-9);
  pack.draw_mah(pack.params().radio_mah_per_message);
  EXPECT_NEAR(pack.used_mah(), 300.0 / 3600.0 + 0.01, 1e-6);
}

TEST(BatteryPack, SetPercentPlacesTheChargeAndTheVoltageFollows) {
  BatteryPack pack(0);
  pack.set_percent(50);
  EXPECT_EQ(pack.percent(), 50);
  EXPECT_EQ(pack.open_circuit_mv(), pack_open_circuit_mv(500));
  pack.set_percent(0);
  EXPECT_EQ(pack.percent(), 0);
  pack.draw_mah(10);  // cannot go below empty
  EXPECT_EQ(pack.permille(), 0);
}

TEST(BatteryPack, VoltageSagsUnderLoadAndMoreSoWhenEmptying) {
  BatteryPack pack(0);
  const int fresh_sag = pack.open_circuit_mv() - pack.loaded_mv(300);
  EXPECT_GT(fresh_sag, 100);
  pack.set_percent(10);
  const int weak_sag = pack.open_circuit_mv() - pack.loaded_mv(300);
  EXPECT_GT(weak_sag, 2 * fresh_sag);
  // Even a pack at 1 % stays, under the motor's load, above what the firmware needs to turn.
  pack.set_percent(1);
  EXPECT_GT(pack.loaded_mv(300), kMotorMinMv);
  EXPECT_LT(pack.loaded_mv(300), pack.open_circuit_mv() - 2 * fresh_sag);
}

}  // namespace
}  // namespace lockcore
