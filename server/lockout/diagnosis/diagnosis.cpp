#include "server/lockout/diagnosis/diagnosis.hpp"

#include "server/lockout/diagnosis/causes.hpp"
#include "server/lockout/diagnosis/facts.hpp"
#include "server/lockout/diagnosis/paths.hpp"
#include "server/lockout/diagnosis/plan.hpp"

namespace server::lockout {

const Cause* Diagnosis::find(CauseId id) const {
  for (const Cause& c : causes)
    if (c.id == id) return &c;
  return nullptr;
}

std::optional<CauseId> Diagnosis::top_cause() const {
  if (causes.empty()) return std::nullopt;
  return causes[0].id;
}

const PlanStep* Diagnosis::step(ActionId action) const {
  for (const PlanStep& p : plan)
    if (p.action == action) return &p;
  return nullptr;
}

Diagnosis diagnose(const Snapshot& snapshot) {
  Diagnosis d;
  const Facts facts(snapshot);
  find_causes(facts, d);
  find_paths(facts, d);
  make_plan(facts, d);
  return d;
}

}  // namespace server::lockout
