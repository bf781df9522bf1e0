#pragma once
// Which ways through the door work for this person now, each with why or why not. Internal to the
// engine; the rules are in docs/lockout.md.

#include "server/lockout/diagnosis/diagnosis.hpp"
#include "server/lockout/diagnosis/facts.hpp"

namespace server::lockout {

// Fills d.paths, from the facts alone (not from the causes found).
void find_paths(const Facts& facts, Diagnosis& d);

}  // namespace server::lockout
