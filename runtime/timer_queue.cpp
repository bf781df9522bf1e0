#include "runtime/timer_queue.hpp"

namespace runtime {

TimerId TimerQueue::add(lockcore::UnixMs due, Callback callback) {
  TimerId id = next_id_++;
  by_due_.emplace(Key{due, id}, std::move(callback));
  due_of_.emplace(id, due);
  return id;
}

bool TimerQueue::cancel(TimerId id) {
  auto it = due_of_.find(id);
  if (it == due_of_.end()) return false;
  by_due_.erase(Key{it->second, id});
  due_of_.erase(it);
  return true;
}

std::optional<lockcore::UnixMs> TimerQueue::next_due() const {
  if (by_due_.empty()) return std::nullopt;
  return by_due_.begin()->first.first;
}

std::optional<std::pair<lockcore::UnixMs, TimerQueue::Callback>> TimerQueue::pop_due(
    lockcore::UnixMs limit) {
  if (by_due_.empty() || by_due_.begin()->first.first > limit) return std::nullopt;
  auto node = by_due_.extract(by_due_.begin());
  due_of_.erase(node.key().second);
  return std::pair{node.key().first, std::move(node.mapped())};
}

}  // namespace runtime
