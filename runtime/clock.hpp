#pragma once
// The clock every time-dependent piece of Latchkey reads: token expiry, schedules, links, retries.
//
// runtime::Clock has exactly the shape of lockcore::Clock (lockcore/platform.hpp, being added by
// the lockcore work): one `now()` in Unix milliseconds. Once that header lands this interface
// becomes `using Clock = lockcore::Clock;` and nothing that depends on it changes.

#include "lockcore/types.hpp"

namespace runtime {

using lockcore::UnixMs;

class Clock {
 public:
  virtual ~Clock() = default;
  // Milliseconds since the Unix epoch: wall-clock time, or virtual time under the simulator.
  virtual UnixMs now() const = 0;
};

}  // namespace runtime
