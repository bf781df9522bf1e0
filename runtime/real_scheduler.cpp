#include "runtime/real_scheduler.hpp"

#include <chrono>

#include <boost/asio/steady_timer.hpp>

namespace runtime {

UnixMs SystemClock::now() const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

struct RealScheduler::State : std::enable_shared_from_this<RealScheduler::State> {
  explicit State(boost::asio::io_context& io) : timer(io) {}

  void arm() {
    auto due = queue.next_due();
    if (!due) {
      timer.cancel();
      armed_for.reset();
      return;
    }
    if (armed_for == due) return;
    armed_for = due;
    timer.expires_after(std::chrono::milliseconds(std::max<UnixMs>(0, *due - clock.now())));
    timer.async_wait([weak = weak_from_this()](boost::system::error_code ec) {
      if (ec) return;  // re-armed or destroyed
      if (auto self = weak.lock()) self->fire();
    });
  }

  void fire() {
    armed_for.reset();
    // Run what is due now; timers that callbacks add for "now" or earlier run in this pass too,
    // after those already queued for the same time.
    while (auto due = queue.pop_due(clock.now()))
      due->second();
    arm();
  }

  SystemClock clock;
  TimerQueue queue;
  boost::asio::steady_timer timer;
  std::optional<UnixMs> armed_for;
};

RealScheduler::RealScheduler(boost::asio::io_context& io) : state_(std::make_shared<State>(io)) {}

RealScheduler::~RealScheduler() {
  state_->timer.cancel();
}

UnixMs RealScheduler::now() const {
  return state_->clock.now();
}

TimerId RealScheduler::call_at(UnixMs at, Callback callback) {
  TimerId id = state_->queue.add(at, std::move(callback));
  state_->arm();
  return id;
}

bool RealScheduler::cancel(TimerId id) {
  bool removed = state_->queue.cancel(id);
  if (removed) state_->arm();
  return removed;
}

std::size_t RealScheduler::pending() const {
  return state_->queue.size();
}

}  // namespace runtime
