#pragma once
// Expectations evaluated against the world as it stands: the lock's bolt (the simulator's view),
// a credential's status (devices' placements), audit entry types present (the audit log), messages
// counted in the outbox by recipient account, channel and kind, work orders (maintenance), and a
// lockout case's diagnosis, plan and resolution (the lockout domain).

#include <string>

#include "scenario/model.hpp"
#include "scenario/world.hpp"

namespace scenario {

struct Verdict {
  bool held = false;
  std::string what;  // the expectation in words
  std::string saw;   // what the runner saw instead, when it did not hold
};

Verdict evaluate(World& world, const Expectation& expectation);

}  // namespace scenario
