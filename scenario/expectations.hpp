#pragma once
// Expectations evaluated against the world as it stands: the lock's bolt (the simulator's view),
// a credential's status (devices' placements), audit entry types present (the audit log), messages
// counted in the outbox by recipient account, channel and kind, work orders (maintenance), and a
// lockout case's diagnosis, plan and resolution (the lockout domain). A case's causes and plan are
// read from the diagnosis the case stored when it opened (most likely cause first, the plan least
// invasive first); its resolution from the case as it stands.

#include <string>
#include <vector>

#include "scenario/model.hpp"
#include "scenario/steps.hpp"
#include "scenario/world.hpp"

namespace scenario {

struct Verdict {
  bool held = false;
  std::string what;  // the expectation in words
  std::string saw;   // what the runner saw instead, when it did not hold
};

// `cases`: the lockout cases the timeline opened so far, case n at [n - 1].
Verdict evaluate(World& world, const Expectation& expectation, const std::vector<CaseRef>& cases);

}  // namespace scenario
