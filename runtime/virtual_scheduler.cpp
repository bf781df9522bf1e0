#include "runtime/virtual_scheduler.hpp"

#include <algorithm>

namespace runtime {

TimerId VirtualScheduler::call_at(UnixMs at, Callback callback) {
  // A time in the past is due now: it runs at the next advance, never before timers already due.
  return queue_.add(std::max(at, now_), std::move(callback));
}

std::size_t VirtualScheduler::advance_to(UnixMs target) {
  target = std::max(target, now_);
  std::size_t ran = 0;
  while (auto due = queue_.pop_due(target)) {
    now_ = due->first;
    due->second();
    ++ran;
  }
  now_ = target;
  return ran;
}

}  // namespace runtime
