#pragma once
// The clock every time-dependent piece of Latchkey reads: token expiry, schedules, links, retries.
// It is the lock's own clock interface, so one virtual clock can drive the simulated locks and the
// server together: one `now()` in Unix milliseconds, wall-clock time or virtual time.

#include "lockcore/platform.hpp"

namespace runtime {

using lockcore::UnixMs;
using Clock = lockcore::Clock;

}  // namespace runtime
