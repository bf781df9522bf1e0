#pragma once
// The lock's event log: every event gets the next number of the lock's own sequence (1, 2, ...;
// monotonic, never reused, not reset by a factory reset, so (lock, seq) names one event forever
// and the server dedupes on it). Events stay until the server acknowledges them (events_ack) and
// are resent after a reconnect. The log is bounded: when it is full the oldest events are
// dropped and one `gap` event (seq = first dropped, value = last dropped) stands in their place,
// so the server sees exactly which numbers it will never get.

#include <cstdint>
#include <span>

#include "lockcore/fixed.hpp"
#include "lockcore/messages.hpp"

namespace lockcore {

inline constexpr std::size_t kEventLogCapacity = 32;

class EventLog {
 public:
  // Numbers `event` with the next seq, stores it and returns the stored copy.
  const Event& append(Event event);
  // Drops every event whose numbers are all <= upto; a gap that straddles upto shrinks.
  void acknowledge(std::uint32_t upto);

  std::span<const Event> events() const { return {entries_.begin(), entries_.size()}; }
  std::uint32_t last_seq() const { return last_seq_; }

 private:
  void drop_oldest();

  FixedVector<Event, kEventLogCapacity> entries_;
  std::uint32_t last_seq_ = 0;
};

}  // namespace lockcore
