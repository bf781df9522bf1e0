#pragma once
// The ids of the commands a lock has accepted, each remembered until its command expires (after
// that, the expiry check refuses a replay on its own). Bounded: when every entry is still live a
// new command is refused as busy rather than forgetting an id that could then be replayed.

#include <array>
#include <cstdint>

#include "lockcore/types.hpp"

namespace lockcore {

inline constexpr std::size_t kReplayWindowCapacity = 24;

class ReplayWindow {
 public:
  enum class Check : std::uint8_t { fresh, replayed, full };

  // Forgets ids whose command has expired by `now`, then looks `id` up.
  Check check(const CommandId& id, UnixMs now);
  // Precondition: check() returned fresh.
  void remember(const CommandId& id, UnixMs expires);
  void clear() { entries_.fill({}); }
  std::size_t size() const;

 private:
  struct Entry {
    CommandId id{};
    UnixMs expires = 0;  // 0: free
  };
  std::array<Entry, kReplayWindowCapacity> entries_{};
};

}  // namespace lockcore
