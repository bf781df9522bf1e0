#include "lockcore/battery_curve.hpp"

#include <array>

namespace lockcore {

namespace {

struct CurvePoint {
  std::uint16_t permille;
  std::uint16_t cell_mv;
};

// Typical alkaline AA open-circuit voltage against the charge left, at low drain.
constexpr std::array<CurvePoint, 12> kCurve{{
    {0, 1000},
    {50, 1060},
    {100, 1100},
    {200, 1160},
    {300, 1210},
    {400, 1250},
    {500, 1290},
    {600, 1330},
    {700, 1370},
    {800, 1420},
    {900, 1480},
    {1000, 1600},
}};

}  // namespace

std::uint16_t pack_open_circuit_mv(std::uint16_t permille) {
  if (permille >= 1000) return static_cast<std::uint16_t>(kCurve.back().cell_mv * kPackCells);
  for (std::size_t i = 1; i < kCurve.size(); ++i) {
    const CurvePoint lo = kCurve[i - 1];
    const CurvePoint hi = kCurve[i];
    if (permille > hi.permille) continue;
    const std::uint32_t cell = lo.cell_mv + static_cast<std::uint32_t>(hi.cell_mv - lo.cell_mv) *
                                                (permille - lo.permille) /
                                                (hi.permille - lo.permille);
    return static_cast<std::uint16_t>(cell * kPackCells);
  }
  return static_cast<std::uint16_t>(kCurve.front().cell_mv * kPackCells);
}

std::uint8_t pack_percent_from_mv(std::uint16_t mv) {
  const std::uint32_t cell = mv / kPackCells;
  if (cell <= kCurve.front().cell_mv) return 0;
  if (cell >= kCurve.back().cell_mv) return 100;
  for (std::size_t i = 1; i < kCurve.size(); ++i) {
    const CurvePoint lo = kCurve[i - 1];
    const CurvePoint hi = kCurve[i];
    if (cell > hi.cell_mv) continue;
    const std::uint32_t permille =
        lo.permille + (cell - lo.cell_mv) * (hi.permille - lo.permille) / (hi.cell_mv - lo.cell_mv);
    return static_cast<std::uint8_t>(permille / 10);
  }
  return 100;
}

}  // namespace lockcore
