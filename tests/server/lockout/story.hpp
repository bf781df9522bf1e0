#pragma once
// What every lockout story starts from and how it reads a diagnosis.
//
// resident_at_door(): Ana, a verified resident of unit 204, at the door of lock u204 (a hub-linked
// lock at maple-court, Chicago time) at 07:32 on 2026-01-12, reporting from her enrolled,
// signed-in phone. Everything is healthy: her code is set, the lock online, the battery at 80 %,
// a manager reachable. A story changes what it is about.

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include "server/lockout/diagnosis/diagnosis.hpp"
#include "server/lockout/diagnosis/invariants.hpp"
#include "server/lockout/diagnosis/snapshot.hpp"

namespace lockout_test {

using namespace server::lockout;

inline constexpr UnixMs kMinute = 60'000;
inline constexpr UnixMs kHour = 60 * kMinute;
inline constexpr UnixMs kDay = 24 * kHour;
inline constexpr UnixMs kNow = 1'768'224'720'000;  // 2026-01-12T07:32:00-06:00

inline Code code(CodeStatus status, UnixMs since) {
  Code c;
  c.status = status;
  c.status_since = since;
  return c;
}

inline Snapshot resident_at_door() {
  Snapshot s;
  s.now = kNow;
  s.report.phone = {.present = true,
                    .device = "ana-phone",
                    .signed_in = true,
                    .enrolled = true,
                    .bluetooth_allowed = std::nullopt,
                    .app_version = "5.2.0"};
  s.person.id = "ana";
  s.person.session_valid = true;
  s.person.device_enrolled = true;
  s.person.verification = Verification::session;
  s.relation.role = Role::resident;
  (void)s.codes.push_back(code(CodeStatus::set, kNow - 30 * kDay));
  s.lock.id = "u204";
  s.lock.hub_id = "hub-a";
  s.lock.last_seen = kNow - 2 * kMinute;
  s.lock.hub_last_seen = kNow - kMinute;
  s.lock.battery_pct = 80;
  s.lock.battery_days_left = 200;
  s.lock.firmware = "2.4.1";
  s.site = {.id = "maple-court",
            .admin_reachable = true,
            .manager_can_unlock = true,
            .utc_offset_min = -360};
  return s;
}

inline std::vector<ActionId> plan_of(const Diagnosis& d) {
  std::vector<ActionId> out;
  for (const PlanStep& p : d.plan)
    out.push_back(p.action);
  return out;
}

inline std::vector<CauseId> causes_of(const Diagnosis& d) {
  std::vector<CauseId> out;
  for (const Cause& c : d.causes)
    out.push_back(c.id);
  return out;
}

// Whether the cause cites a fact from `source` containing `text`.
inline bool cites(const Diagnosis& d, CauseId id, Source source, std::string_view text) {
  const Cause* c = d.find(id);
  if (c == nullptr) return false;
  return std::any_of(c->evidence.begin(), c->evidence.end(), [&](const Evidence& e) {
    return e.source == source && e.fact.view().find(text) != std::string_view::npos;
  });
}

// The whole diagnosis as text, for failure messages.
inline std::string describe(const Diagnosis& d) {
  std::string out = "causes:";
  for (const Cause& c : d.causes) {
    out += "\n  " + std::string(to_string(c.id)) + " " + std::to_string(c.confidence) +
           (c.suspected ? " suspected" : "") + (c.needs_on_door_test ? " needs-test" : "");
    for (const Evidence& e : c.evidence)
      out += "\n    [" + std::string(to_string(e.source)) + "] " + std::string(e.fact.view());
  }
  out += "\npaths:";
  for (const PathStatus& p : d.paths)
    out += "\n  " + std::string(to_string(p.path)) + (p.alive ? " alive: " : " dead: ") +
           std::string(p.why);
  out += "\nplan:";
  for (const PlanStep& p : d.plan)
    out += " " + std::string(to_string(p.action));
  out += "\ndropped:";
  for (const Violation& v : d.dropped)
    out += " " + std::string(to_string(v.action)) + "(" + std::string(to_string(v.invariant)) + ")";
  return out;
}

inline bool plans_in_order(const Diagnosis& d) {
  for (std::size_t i = 1; i < d.plan.size(); ++i)
    if (d.plan[i - 1].rank > d.plan[i].rank) return false;
  return true;
}

// What every returned diagnosis must be: least invasive first, nothing the invariants object to,
// nothing dropped on the way.
inline void expect_sound(const Snapshot& s, const Diagnosis& d) {
  EXPECT_TRUE(plans_in_order(d)) << describe(d);
  EXPECT_TRUE(check_plan(s, d).empty()) << describe(d);
  EXPECT_TRUE(d.dropped.empty()) << describe(d);
}

}  // namespace lockout_test
