#pragma once
// RealScheduler: wall-clock now() (system_clock) and timers on an asio::io_context, driven by one
// steady_timer armed for the earliest due time. A timer for wall time T waits T - now() on the
// steady clock, so a wall-clock step after scheduling does not make it fire early or late by the
// step; it fires when the steady delay has passed and T has been reached.

#include <memory>

#include <boost/asio/io_context.hpp>

#include "runtime/scheduler.hpp"

namespace runtime {

class RealScheduler final : public Scheduler {
 public:
  explicit RealScheduler(boost::asio::io_context& io);
  ~RealScheduler() override;
  RealScheduler(const RealScheduler&) = delete;
  RealScheduler& operator=(const RealScheduler&) = delete;

  UnixMs now() const override;
  TimerId call_at(UnixMs at, Callback callback) override;
  bool cancel(TimerId id) override;
  std::size_t pending() const override;

 private:
  struct State;
  std::shared_ptr<State> state_;  // shared with the pending wait, so a late completion is safe
};

// The system wall clock as a Clock, for code that needs time but no timers.
class SystemClock final : public Clock {
 public:
  UnixMs now() const override;
};

}  // namespace runtime
