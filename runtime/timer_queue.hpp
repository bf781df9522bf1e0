#pragma once
// The ordered set of pending timers that both schedulers share: due time first, then the order in
// which the timers were scheduled, so that equal due times run first-come first-served.

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <unordered_map>
#include <utility>

#include "lockcore/types.hpp"

namespace runtime {

// Identifies one scheduled call, for cancel(). Never reused within one scheduler.
using TimerId = std::uint64_t;

class TimerQueue {
 public:
  using Callback = std::function<void()>;

  TimerId add(lockcore::UnixMs due, Callback callback);
  // False if the timer has already run, was cancelled, or never existed.
  bool cancel(TimerId id);
  std::optional<lockcore::UnixMs> next_due() const;
  // Removes and returns the earliest timer if it is due at or before `limit`.
  std::optional<std::pair<lockcore::UnixMs, Callback>> pop_due(lockcore::UnixMs limit);
  std::size_t size() const { return by_due_.size(); }

 private:
  using Key = std::pair<lockcore::UnixMs, TimerId>;
  std::map<Key, Callback> by_due_;
  std::unordered_map<TimerId, lockcore::UnixMs> due_of_;
  TimerId next_id_ = 1;
};

}  // namespace runtime
