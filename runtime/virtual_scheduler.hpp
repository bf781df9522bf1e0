#pragma once
// VirtualScheduler: time that moves only when the caller says so, so that a scenario can run days
// in milliseconds, the same way every time. Nothing runs by itself: advance_to/advance_by run
// every timer that falls due, in time order, with now() set to each timer's due time while it
// runs — timers that callbacks schedule inside the window included.

#include <optional>

#include "runtime/scheduler.hpp"

namespace runtime {

class VirtualScheduler final : public Scheduler {
 public:
  explicit VirtualScheduler(UnixMs start = 0) : now_(start) {}

  UnixMs now() const override { return now_; }
  TimerId call_at(UnixMs at, Callback callback) override;
  bool cancel(TimerId id) override { return queue_.cancel(id); }
  std::size_t pending() const override { return queue_.size(); }

  // Runs every timer due at or before `target`, then leaves now() at `target`. A target in the
  // past does not move time back; it only runs what is already due. Returns how many ran.
  std::size_t advance_to(UnixMs target);
  std::size_t advance_by(Duration delta) { return advance_to(now_ + delta.count()); }
  // When the next timer is due, if any.
  std::optional<UnixMs> next_due() const { return queue_.next_due(); }

 private:
  UnixMs now_;
  TimerQueue queue_;
};

}  // namespace runtime
