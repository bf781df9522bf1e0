#pragma once
// The lockout benches' percentile: the sample at rank p (0..1) of the sorted samples.

#include <algorithm>
#include <cstddef>
#include <vector>

namespace bench {

inline double percentile(std::vector<double> samples, double p) {
  if (samples.empty()) return 0;
  std::sort(samples.begin(), samples.end());
  return samples[static_cast<std::size_t>(p * static_cast<double>(samples.size() - 1))];
}

}  // namespace bench
