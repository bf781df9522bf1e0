#pragma once
// Which cause ids and recovery action ids of the diagnosis library (server/lockout/diagnosis,
// DESIGN.md section 5) a set of scenarios checks: a cause counts when an expectation names it in
// top_cause or causes_include, an action when one names it in plan_first, plan_includes or
// resolved_by (excludes check its absence, not the id's behaviour). Step-level expectations count.
//
//   Coverage c = coverage_of(scenarios);
//   c.missing_causes / c.missing_actions   the library's ids no scenario names, in library order.

#include <set>
#include <string>
#include <vector>

#include "scenario/model.hpp"

namespace scenario {

struct Coverage {
  std::set<std::string> causes, actions;  // named by some expectation
  std::vector<std::string> missing_causes, missing_actions;
};

Coverage coverage_of(const std::vector<Scenario>& scenarios);

}  // namespace scenario
