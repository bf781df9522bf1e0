#pragma once
// What every simulated lock and hub of one fleet shares: the site, the seed, the scheduler that is
// their one source of time and timers, and the network.

#include <cstdint>

#include "lockcore/types.hpp"
#include "runtime/scheduler.hpp"
#include "sim/network.hpp"

namespace sim {

struct FleetContext {
  lockcore::DeviceId site;
  std::uint64_t seed = 0;
  runtime::Scheduler& scheduler;  // also the firmware's clock (runtime::Clock is lockcore::Clock)
  Network& network;
};

}  // namespace sim
