#include "server/maintenance/battery_forecast.hpp"

#include <cmath>

namespace server::maintenance {

namespace {

constexpr double kDayMs = 24.0 * 3600 * 1000;

// The samples since the last battery change.
std::span<const BatterySample> since_replacement(std::span<const BatterySample> samples,
                                                 int rise_pct) {
  std::size_t first = 0;
  for (std::size_t i = 1; i < samples.size(); ++i)
    if (samples[i].pct - samples[i - 1].pct >= rise_pct) first = i;
  return samples.subspan(first);
}

}  // namespace

std::optional<BatteryForecast> forecast_empty(std::span<const BatterySample> samples,
                                              const ForecastRules& rules) {
  const auto fit = since_replacement(samples, rules.replacement_rise_pct);
  if (fit.size() < rules.min_samples || fit.size() < 2) return std::nullopt;
  const UnixMs origin = fit.front().at;
  if (fit.back().at - origin < rules.min_span) return std::nullopt;

  // Days since the first sample against percent: slope = cov(x, y) / var(x).
  const double n = static_cast<double>(fit.size());
  double mean_x = 0, mean_y = 0;
  for (const BatterySample& s : fit) {
    mean_x += static_cast<double>(s.at - origin) / kDayMs;
    mean_y += s.pct;
  }
  mean_x /= n;
  mean_y /= n;
  double cov = 0, var = 0;
  for (const BatterySample& s : fit) {
    const double dx = static_cast<double>(s.at - origin) / kDayMs - mean_x;
    cov += dx * (s.pct - mean_y);
    var += dx * dx;
  }
  if (var <= 0) return std::nullopt;
  const double slope = cov / var;
  if (!(slope < 0)) return std::nullopt;
  const double intercept = mean_y - slope * mean_x;
  const double empty_day = -intercept / slope;  // days after `origin`
  const double empty_ms = empty_day * kDayMs;
  if (empty_ms > static_cast<double>(fit.back().at - origin + rules.horizon_cap))
    return std::nullopt;
  return BatteryForecast{slope, origin + static_cast<UnixMs>(std::llround(empty_ms))};
}

}  // namespace server::maintenance
