#pragma once
// Capped exponential backoff with jitter, for reconnecting after a lost or failed connection.
// Jitter spreads 10,000 clients that lost the broker at the same instant over time, so that the
// restarted broker is not hit by all of them in the same millisecond. Deterministic from its seed.

#include <chrono>
#include <cstdint>
#include <string_view>

namespace transport {

class ReconnectBackoff {
 public:
  // Preconditions: 0 < initial <= max. Delays are computed in whole milliseconds.
  ReconnectBackoff(std::chrono::milliseconds initial, std::chrono::milliseconds max,
                   std::uint64_t seed);

  // The wait before the next attempt, counting one more failure: uniform in [d/2, d] where
  // d = min(max, initial * 2^(failures so far)).
  std::chrono::milliseconds next();

  // After a successful connection the next failure waits about `initial` again.
  void reset() { failures_ = 0; }

  std::uint32_t failures() const { return failures_; }

 private:
  std::uint32_t initial_ms_;
  std::uint32_t max_ms_;
  std::uint32_t failures_ = 0;
  std::uint64_t state_;
};

// A stable seed from a name (FNV-1a), so each client id jitters differently but reproducibly.
std::uint64_t seed_from(std::string_view name);

}  // namespace transport
