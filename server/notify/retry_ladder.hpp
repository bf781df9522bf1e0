#pragma once
// When a message is tried: the standard ladder is 0 s, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h —
// the first attempt at once, each later one that long after the attempt before it failed; after
// the eighth failure the message is failed for good (about 28 h after it was written). Webhooks
// use exactly this ladder; email and SMS use it too.

#include <chrono>
#include <cstdint>
#include <optional>
#include <vector>

#include "lockcore/types.hpp"

namespace server::notify {

class RetryLadder {
 public:
  // steps[i]: the wait before attempt i + 1, after attempt i failed (steps[0] is the wait before
  // the first attempt, 0 s in the standard ladder). Precondition: not empty.
  explicit RetryLadder(std::vector<std::chrono::milliseconds> steps) : steps_(std::move(steps)) {}

  static const RetryLadder& standard();

  // When to try next after `failures` attempts have failed (fewer than 1 counts as 1), the last at
  // `now`; nullopt once every step has been used.
  std::optional<lockcore::UnixMs> next_attempt(std::int64_t failures, lockcore::UnixMs now) const;
  // How many attempts a message gets in all.
  std::size_t attempts() const { return steps_.size(); }
  const std::vector<std::chrono::milliseconds>& steps() const { return steps_; }

 private:
  std::vector<std::chrono::milliseconds> steps_;
};

}  // namespace server::notify
