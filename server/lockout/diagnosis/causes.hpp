#pragma once
// The cause rules: every cause of DESIGN.md section 5 that fits the facts, with its evidence and
// confidence, most likely first (docs/lockout.md lists each rule). Internal to the engine.

#include "server/lockout/diagnosis/diagnosis.hpp"
#include "server/lockout/diagnosis/facts.hpp"

namespace server::lockout {

// Confidence levels, so that the rules read alike and the document can name them.
inline constexpr double kCertain = 0.98;    // a deliberate state an admin set
inline constexpr double kConfirmed = 0.95;  // the lock or the server says so now
inline constexpr double kStrong = 0.9;
inline constexpr double kLikely = 0.85;
inline constexpr double kProbable = 0.75;
inline constexpr double kPossible = 0.6;
inline constexpr double kEven = 0.5;
inline constexpr double kHint = 0.3;
inline constexpr double kUnexplained = 0.2;  // a symptom nothing the server knows explains

// Fills d.causes, sorted by confidence (ties: DESIGN.md's order). Never empty when the report
// has a symptom.
void find_causes(const Facts& facts, Diagnosis& d);

}  // namespace server::lockout
