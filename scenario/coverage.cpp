#include "scenario/coverage.hpp"

#include "server/lockout/diagnosis/action.hpp"
#include "server/lockout/diagnosis/cause.hpp"

namespace scenario {

namespace {

void count(Coverage& c, const Expectation& e) {
  switch (e.kind) {
    case ExpectKind::case_diagnosis:
      if (!e.top_cause.empty()) c.causes.insert(e.top_cause);
      c.causes.insert(e.includes.begin(), e.includes.end());
      break;
    case ExpectKind::case_plan:
      if (!e.plan_first.empty()) c.actions.insert(e.plan_first);
      c.actions.insert(e.includes.begin(), e.includes.end());
      break;
    case ExpectKind::case_resolved:
      if (!e.resolved_by.empty()) c.actions.insert(e.resolved_by);
      break;
    default:
      break;
  }
}

// The names of `Enum`'s table that `named` lacks, in table order.
template <class Enum>
std::vector<std::string> missing(const std::set<std::string>& named) {
  std::vector<std::string> out;
  for (std::string_view name : server::lockout::Names<Enum>::table.names)
    if (!named.contains(std::string(name))) out.emplace_back(name);
  return out;
}

}  // namespace

Coverage coverage_of(const std::vector<Scenario>& scenarios) {
  Coverage c;
  for (const Scenario& s : scenarios) {
    for (const Expectation& e : s.expect)
      count(c, e);
    for (const auto& [step, e] : s.step_expect)
      count(c, e);
  }
  c.missing_causes = missing<server::lockout::CauseId>(c.causes);
  c.missing_actions = missing<server::lockout::ActionId>(c.actions);
  return c;
}

}  // namespace scenario
