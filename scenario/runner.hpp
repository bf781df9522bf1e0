#pragma once
// One scenario run: the world set up from the file, the timeline played step by step (each step
// at its time, the network settled before and after), the steps' own expectations, the breach
// check after every step, then the file's expectations. Prints one line per expectation, `ok …`
// or `FAIL … saw …`, in a fixed order, so that the same file and seed print the same lines.

#include <ostream>

#include "scenario/model.hpp"

namespace scenario {

struct Tally {
  int passed = 0;
  int failed = 0;
};

Tally run(const Scenario& scenario, std::ostream& out);

}  // namespace scenario
