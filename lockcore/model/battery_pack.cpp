#include "lockcore/model/battery_pack.hpp"

#include <algorithm>

#include "lockcore/battery_curve.hpp"

namespace lockcore::model {

void BatteryPack::advance(UnixMs now) {
  if (now > last_) draw_ma_for(params_.idle_ma, now - last_);
  last_ = std::max(last_, now);
}

void BatteryPack::draw_mah(double mah) {
  used_mah_ = std::min<double>(used_mah_ + mah, params_.capacity_mah);
}

void BatteryPack::draw_ma_for(double ma, UnixMs duration_ms) {
  draw_mah(ma * static_cast<double>(duration_ms) / 3'600'000.0);
}

void BatteryPack::set_percent(std::uint8_t percent) {
  used_mah_ = params_.capacity_mah * (1.0 - std::min<std::uint8_t>(percent, 100) / 100.0);
}

std::uint16_t BatteryPack::permille() const {
  const double left = 1.0 - used_mah_ / params_.capacity_mah;
  return static_cast<std::uint16_t>(std::clamp(left, 0.0, 1.0) * 1000.0 + 0.5);
}

std::uint16_t BatteryPack::open_circuit_mv() const {
  return pack_open_circuit_mv(permille());
}

double BatteryPack::internal_resistance_ohm() const {
  const double depth = 1.0 - permille() / 1000.0;
  return kPackCells *
         (params_.cell_resistance_ohm + params_.cell_resistance_empty_ohm * depth * depth * depth);
}

std::uint16_t BatteryPack::loaded_mv(double load_ma) const {
  const double sag_mv = load_ma * internal_resistance_ohm();
  return static_cast<std::uint16_t>(std::max(0.0, open_circuit_mv() - sag_mv));
}

}  // namespace lockcore::model
