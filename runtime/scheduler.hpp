#pragma once
// Scheduler: "call me at time T / after D" and now(), the one source of time and timers for the
// simulator and the server. Two implementations:
//   RealScheduler     wall-clock now(), timers on an asio::io_context (real_scheduler.hpp)
//   VirtualScheduler  time moves only when the caller advances it (virtual_scheduler.hpp)
// Both are used from one thread (the thread that runs the io_context, or the test/scenario
// thread); neither is thread-safe. Callbacks run on that thread, one at a time, in due-time order
// (ties in the order they were scheduled). A callback may schedule or cancel timers.

#include <chrono>
#include <functional>

#include "runtime/clock.hpp"
#include "runtime/timer_queue.hpp"

namespace runtime {

using Duration = std::chrono::milliseconds;

class Scheduler : public Clock {
 public:
  using Callback = std::function<void()>;

  // Runs `callback` once at `at` (Unix ms); a time already past runs as soon as possible, never
  // inside this call.
  virtual TimerId call_at(UnixMs at, Callback callback) = 0;
  TimerId call_after(Duration delay, Callback callback) {
    return call_at(now() + delay.count(), std::move(callback));
  }
  // Stops a timer that has not run yet. False if it already ran, was cancelled or never existed.
  virtual bool cancel(TimerId id) = 0;
  // How many timers are waiting.
  virtual std::size_t pending() const = 0;
};

}  // namespace runtime
