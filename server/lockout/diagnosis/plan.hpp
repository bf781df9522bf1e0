#pragma once
// The plan: every recovery action that is workable (its pathway works now) and allowed (the
// person is eligible now, eligibility.hpp), ordered by DESIGN.md's rank and, within a rank, by how
// directly it addresses the likeliest cause; each candidate passes the invariants (invariants.hpp)
// or is dropped and recorded. Internal to the engine; the rules are in docs/lockout.md.

#include "server/lockout/diagnosis/diagnosis.hpp"
#include "server/lockout/diagnosis/facts.hpp"

namespace server::lockout {

// Fills d.plan and d.dropped. Needs d.causes (sorted) and d.paths.
void make_plan(const Facts& facts, Diagnosis& d);

}  // namespace server::lockout
