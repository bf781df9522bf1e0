#include "server/devices/event_tracker.hpp"

namespace server::devices {

void EventTracker::reset(std::uint32_t floor) {
  contiguous_ = floor;
  stored_.clear();
  in_flight_.clear();
}

bool EventTracker::overlaps(const std::map<std::uint32_t, std::uint32_t>& ranges,
                            std::uint32_t first, std::uint32_t last) {
  // The range starting at or before `last` with the highest start is the only candidate that
  // can reach back into [first, last], apart from ranges starting inside it.
  auto it = ranges.upper_bound(last);
  if (it == ranges.begin()) return false;
  --it;
  return it->second >= first;
}

bool EventTracker::covered(std::uint32_t first, std::uint32_t last) const {
  if (first <= contiguous_) return true;
  return overlaps(stored_, first, last) || overlaps(in_flight_, first, last);
}

void EventTracker::begin(std::uint32_t first, std::uint32_t last) {
  in_flight_[first] = last;
}

void EventTracker::abandon(std::uint32_t first, std::uint32_t /*last*/) {
  in_flight_.erase(first);
}

void EventTracker::stored(std::uint32_t first, std::uint32_t last) {
  in_flight_.erase(first);
  if (last <= contiguous_) return;
  stored_[first] = last;
  // Fold every range that now continues the contiguous prefix into it.
  while (!stored_.empty() && stored_.begin()->first <= contiguous_ + 1) {
    if (stored_.begin()->second > contiguous_) contiguous_ = stored_.begin()->second;
    stored_.erase(stored_.begin());
  }
}

}  // namespace server::devices
