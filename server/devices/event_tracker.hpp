#pragma once
// EventTracker: which of one lock's event sequence numbers are stored, and which are being written,
// so that a duplicate (the broker redelivering, the lock resending after a reconnect) is recognised
// without touching the store, and the lock is acknowledged only up to the highest number below
// which everything is durable. A `gap` event covers a range (the numbers the lock dropped).

#include <cstdint>
#include <map>

namespace server::devices {

class EventTracker {
 public:
  // Everything up to and including `floor` counts as stored (what the lock was last acknowledged).
  void reset(std::uint32_t floor);

  // Any number of [first, last] is stored or being written.
  bool covered(std::uint32_t first, std::uint32_t last) const;
  // Marks [first, last] as being written. Precondition: !covered(first, last).
  void begin(std::uint32_t first, std::uint32_t last);
  // The write of [first, last] (begun before) is durable / failed.
  void stored(std::uint32_t first, std::uint32_t last);
  void abandon(std::uint32_t first, std::uint32_t last);

  // The highest N such that every number in 1..N is stored.
  std::uint32_t contiguous() const { return contiguous_; }
  std::size_t ranges_above() const { return stored_.size(); }

 private:
  static bool overlaps(const std::map<std::uint32_t, std::uint32_t>& ranges, std::uint32_t first,
                       std::uint32_t last);

  std::uint32_t contiguous_ = 0;
  std::map<std::uint32_t, std::uint32_t> stored_;     // first -> last, above contiguous_
  std::map<std::uint32_t, std::uint32_t> in_flight_;  // first -> last
};

}  // namespace server::devices
