#pragma once
// The physical battery: 4 x AA alkaline in series. Coulomb counting (idle drain per hour, charge
// per motor turn and per radio message) gives the state of charge; the discharge curve gives the
// open-circuit voltage; an internal resistance that rises as the cells empty makes the voltage
// sag under the motor's load. Time is integrated lazily: advance() to the clock before reading.

#include <cstdint>

#include "lockcore/types.hpp"

namespace lockcore::model {

struct BatteryParams {
  float capacity_mah = 2500.0F;             // AA alkaline at a lock's mixed, mostly light drain
  float idle_ma = 0.4F;                     // MCU sleep, keypad scan, BLE adverts, link keep-alive
  float radio_mah_per_message = 0.01F;      // one wake-up and publish
  float cell_resistance_ohm = 0.12F;        // a fresh cell
  float cell_resistance_empty_ohm = 0.55F;  // added, cubed in the depth of discharge
};

class BatteryPack {
 public:
  explicit BatteryPack(UnixMs now, BatteryParams params = {}) : params_(params), last_(now) {}

  // Draws the idle current from the last call up to `now`.
  void advance(UnixMs now);
  void draw_mah(double mah);
  void draw_ma_for(double ma, UnixMs duration_ms);

  // The simulator's battery fault: the pack now holds `percent` of its capacity.
  void set_percent(std::uint8_t percent);

  std::uint16_t permille() const;  // true state of charge, 0..1000
  std::uint8_t percent() const { return static_cast<std::uint8_t>(permille() / 10); }
  double used_mah() const { return used_mah_; }
  const BatteryParams& params() const { return params_; }

  std::uint16_t open_circuit_mv() const;
  double internal_resistance_ohm() const;  // the whole pack
  std::uint16_t loaded_mv(double load_ma) const;

 private:
  BatteryParams params_;
  double used_mah_ = 0.0;
  UnixMs last_;
};

}  // namespace lockcore::model
