#pragma once
// The open-circuit discharge curve of the lock's pack: 4 x AA alkaline in series. Sloped, not
// linear: ~1.6 V/cell fresh, ~1.3 V at half charge, ~1.1 V with 90 % used, 1.0 V empty (the
// cut-off below which the lock electronics are not trusted to work). See research perf_security
// section 4. The firmware's fuel gauge reads it backwards (percent from a rest voltage); the
// physical model reads it forwards (voltage from the charge left).

#include <cstdint>

namespace lockcore {

constexpr std::uint8_t kPackCells = 4;

// Pack open-circuit voltage in mV at a state of charge of `permille` (0..1000, clamped).
std::uint16_t pack_open_circuit_mv(std::uint16_t permille);

// The fuel gauge: percent (0..100) from a pack voltage read at rest. Rounds down, so that 0 %
// is reported only at or below the empty voltage and 100 % only for a fresh pack.
std::uint8_t pack_percent_from_mv(std::uint16_t mv);

}  // namespace lockcore
