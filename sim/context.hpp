#pragma once
// What every simulated lock and hub of one fleet shares: the site, the scheduler that is their
// one source of time and timers, and the network.

#include <cstdint>

#include "lockcore/platform.hpp"
#include "lockcore/types.hpp"
#include "runtime/scheduler.hpp"
#include "sim/network.hpp"

namespace sim {

// The firmware's clock (lockcore::Clock) reading the scheduler's time. runtime::Clock has the
// same shape and becomes `using Clock = lockcore::Clock` once the platform branch merges; then
// the scheduler can be passed to the firmware directly and this adapter goes.
class SchedulerClock final : public lockcore::Clock {
 public:
  explicit SchedulerClock(const runtime::Scheduler& scheduler) : scheduler_(scheduler) {}
  lockcore::UnixMs now() const override { return scheduler_.now(); }

 private:
  const runtime::Scheduler& scheduler_;
};

struct FleetContext {
  lockcore::DeviceId site;
  std::uint64_t seed = 0;
  runtime::Scheduler& scheduler;
  SchedulerClock& clock;
  Network& network;
};

}  // namespace sim
