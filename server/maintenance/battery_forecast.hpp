#pragma once
// When a lock's battery will be empty, from its discharge trend: a least-squares line of percent
// over time through the recent samples, and the moment it reaches 0 %. Pure: the caller chooses
// the samples (maintenance keeps them per lock) and the rules.

#include <optional>
#include <span>

#include "server/maintenance/model.hpp"

namespace server::maintenance {

struct ForecastRules {
  std::size_t min_samples = 3;                     // fewer: no forecast
  UnixMs min_span = 2LL * 24 * 3600 * 1000;        // first to last sample; shorter: no forecast
  int replacement_rise_pct = 15;                   // a rise this large is a new battery
  UnixMs horizon_cap = 3650LL * 24 * 3600 * 1000;  // an empty day further out is "not in sight"
};

// `samples` in time order. The fit starts at the last battery change (a rise of
// replacement_rise_pct or more over the sample before it): an old battery's samples say nothing
// about the new one. nullopt when the samples from there are too few or span too short, when the
// line does not fall (flat or charging), or when it reaches 0 % further out than horizon_cap.
std::optional<BatteryForecast> forecast_empty(std::span<const BatterySample> samples,
                                              const ForecastRules& rules = {});

}  // namespace server::maintenance
