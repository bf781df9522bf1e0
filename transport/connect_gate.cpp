#include "transport/connect_gate.hpp"

#include <utility>

namespace transport {

void ConnectGate::acquire(std::function<bool()> start) {
  if (connecting_ < limit_ && waiting_.empty()) {
    ++connecting_;
    if (!start()) release();
    return;
  }
  waiting_.push_back(std::move(start));
}

void ConnectGate::release() {
  if (connecting_ > 0) --connecting_;
  // A start() may itself release (its attempt failed at once): the outer loop carries on instead
  // of recursing, so a long queue of failing clients cannot exhaust the stack.
  if (dispatching_) return;
  dispatching_ = true;
  while (connecting_ < limit_ && !waiting_.empty()) {
    std::function<bool()> start = std::move(waiting_.front());
    waiting_.pop_front();
    ++connecting_;
    if (!start() && connecting_ > 0) --connecting_;
  }
  dispatching_ = false;
}

}  // namespace transport
