#pragma once
// The run's standing invariant: no door opened for anyone whose membership at that moment did not
// allow it. Checked after every step over the openings the step caused (keypad, app, remote,
// Bluetooth: everything electronic), asking the access policy whether the person's memberships
// allowed operating that door at the moment it opened. A mechanical key is not an opening: no
// membership stands behind it.

#include <string>
#include <vector>

#include "scenario/steps.hpp"
#include "scenario/world.hpp"

namespace scenario {

// Each opening from `first` on that the person's membership did not allow, in words.
std::vector<std::string> breaches(World& world, const std::vector<Opening>& openings,
                                  std::size_t first);

}  // namespace scenario
