#pragma once
// The lockout diagnosis engine: one pure function from what the server knows (a Snapshot) to what
// is wrong, which ways in still work, and what to do, least invasive first.
//
//   Diagnosis d = diagnose(snapshot);
//   d.causes      every cause of DESIGN.md section 5 that fits, most likely first, each with its
//                 evidence and confidence. A hardware cause inferred from the report alone is
//                 `suspected` (confidence <= kSuspectedConfidence) and `needs_on_door_test` until
//                 telemetry confirms it.
//   d.paths       physical_key, own_code, app, bluetooth, keypad: alive for this person now, and
//   why. d.plan        every action that is workable (its path is alive) and allowed (the person is
//                 eligible now), by rank; within a rank the one addressing the likelier cause
//                 first. Each with the steps to show.
//   d.dropped     actions the invariants (invariants.hpp) refused: recorded, never shown.
//
// No I/O, no heap, no exceptions; deterministic: the same snapshot gives the same diagnosis.
// Costs a few microseconds (bench_lockout: diagnosis_us_p99, budget 1 ms).

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "lockcore/fixed.hpp"
#include "server/lockout/diagnosis/action.hpp"
#include "server/lockout/diagnosis/cause.hpp"
#include "server/lockout/diagnosis/evidence.hpp"
#include "server/lockout/diagnosis/invariant.hpp"
#include "server/lockout/diagnosis/path.hpp"
#include "server/lockout/diagnosis/snapshot.hpp"

namespace server::lockout {

// The highest confidence a hardware cause gets from the report alone.
inline constexpr double kSuspectedConfidence = 0.45;
inline constexpr std::size_t kMaxEvidence = 4;

struct Cause {
  CauseId id = CauseId::signed_out;
  Layer layer = Layer::account;
  double confidence = 0;   // 0..1
  bool suspected = false;  // inferred without telemetry confirming it
  bool needs_on_door_test = false;
  lockcore::FixedVector<Evidence, kMaxEvidence> evidence;
};

struct PathStatus {
  Path path = Path::physical_key;
  bool alive = false;
  bool after_cooldown = false;  // not now, but once the keypad's wrong-code cooldown ends
  std::string_view why;         // one plain sentence
};

struct PlanStep {
  ActionId action = ActionId::wait_keypad_cooldown;
  int rank = 0;
  std::optional<CauseId> addresses;         // the likeliest found cause it addresses
  std::span<const std::string_view> steps;  // plain language, in order
  std::uint32_t wait_s = 0;                 // wait_keypad_cooldown: seconds left
  std::optional<WorkOrderKind> work_order;  // maintenance_work_order: which kind
};

struct Violation {
  Invariant invariant = Invariant::no_access_beyond_verified_role;
  ActionId action = ActionId::wait_keypad_cooldown;
  std::string_view rule;  // the rule it broke, one sentence
};

struct Diagnosis {
  lockcore::FixedVector<Cause, kCauseCount> causes;
  std::array<PathStatus, kPathCount> paths{};
  lockcore::FixedVector<PlanStep, kActionCount> plan;
  lockcore::FixedVector<Violation, kActionCount> dropped;

  const Cause* find(CauseId id) const;
  bool has(CauseId id) const { return find(id) != nullptr; }
  std::optional<CauseId> top_cause() const;
  const PathStatus& path(Path p) const { return paths[static_cast<std::size_t>(p)]; }
  const PlanStep* step(ActionId action) const;
  bool plans(ActionId action) const { return step(action) != nullptr; }
};

Diagnosis diagnose(const Snapshot& snapshot);

}  // namespace server::lockout
