#include "lockcore/event_log.hpp"

namespace lockcore {

namespace {

std::uint32_t last_covered(const Event& e) {
  return e.type == EventType::gap ? e.value : e.seq;
}

}  // namespace

void EventLog::drop_oldest() {
  // Gaps only ever stand at the front: fold the front entry and the next into one gap.
  const Event& first = entries_[0];
  Event gap = first;
  gap.type = EventType::gap;
  gap.source = AccessSource::none;
  gap.reason = DenyReason::none;
  gap.slot = 0;
  gap.key = {};
  gap.value = last_covered(entries_[1]);
  entries_.erase_at(0);
  entries_[0] = gap;
}

const Event& EventLog::append(Event event) {
  event.seq = ++last_seq_;
  if (entries_.full()) drop_oldest();
  [[maybe_unused]] const bool stored = entries_.push_back(event);
  return entries_[entries_.size() - 1];
}

void EventLog::acknowledge(std::uint32_t upto) {
  std::size_t drop = 0;
  while (drop < entries_.size() && last_covered(entries_[drop]) <= upto)
    ++drop;
  for (std::size_t i = 0; i < drop; ++i)
    entries_.erase_at(0);
  if (!entries_.empty() && entries_[0].type == EventType::gap && entries_[0].seq <= upto) {
    entries_[0].seq = upto + 1;
  }
}

}  // namespace lockcore
