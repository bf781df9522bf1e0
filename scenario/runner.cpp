#include "scenario/runner.hpp"

#include <map>

#include <fmt/format.h>

#include "scenario/breach.hpp"
#include "scenario/expectations.hpp"
#include "scenario/steps.hpp"
#include "scenario/world.hpp"
#include "sim/fault.hpp"

namespace scenario {

namespace {

void line(std::ostream& out, Tally& tally, bool held, const std::string& what,
          const std::string& saw) {
  (held ? tally.passed : tally.failed)++;
  if (held) {
    out << "ok   " << what << "\n";
  } else {
    out << "FAIL " << what << " saw " << saw << "\n";
  }
}

// The end expectations read what the server knows once every device that can report has: a hub
// or a lock radio the timeline left down comes back (a site gets them back; a changed Wi-Fi
// network does not come back by itself), and two virtual minutes pass. So an audit entry or a
// credential state only the lock can tell is checked as the product records it, nothing lost;
// what held at one moment is a step's own `expect`.
Outcome_<void> reconnect_what_the_timeline_cut(World& world, const Scenario& s) {
  std::map<std::pair<std::string, std::string>, sim::Fault> last_cut;  // (hub, lock) -> the up
  for (const Step& step : s.timeline) {
    if (!step.fault) continue;
    const bool hub = step.kind == "hub_down" || step.kind == "hub_up";
    const bool radio = step.kind == "lock_radio_down" || step.kind == "lock_radio_up";
    if (!hub && !radio) continue;
    const auto key = std::make_pair(step.hub, step.lock);
    if (step.kind == "hub_up" || step.kind == "lock_radio_up") {
      last_cut.erase(key);
      continue;
    }
    sim::Fault up;
    up.kind = hub ? sim::FaultKind::hub_up : sim::FaultKind::lock_radio_up;
    up.hub = step.hub;
    up.lock = step.lock;
    last_cut[key] = up;
  }
  if (last_cut.empty()) return {};
  for (const auto& [_, up] : last_cut) {
    if (auto applied = world.fleet().apply(up); !applied)
      return lockcore::fail("reconnecting " + up.hub + up.lock + ": " + applied.error().message);
  }
  return world.advance_to(world.now() + 2 * 60'000);
}

}  // namespace

Tally run(const Scenario& s, std::ostream& out) {
  Tally tally;
  out << "# " << s.file << ": " << s.name << " (seed " << s.seed << ")\n";
  auto opened = World::open(s);
  if (!opened) {
    line(out, tally, false, "the world is set up", opened.error());
    return tally;
  }
  World& world = **opened;
  RunState state;
  bool broken = false;
  for (std::size_t i = 0; i < s.timeline.size() && !broken; ++i) {
    const Step& step = s.timeline[i];
    const std::string name = fmt::format("{} {}", step.path, describe(step));
    if (auto a = world.advance_to(s.start + step.at); !a) {
      line(out, tally, false, name + " runs", a.error());
      broken = true;
      break;
    }
    const std::size_t openings_before = state.openings.size();
    auto done = run_step(world, state, step);
    if (!done) {
      line(out, tally, false, name + " runs", done.error());
    } else if (step.expect != Outcome::none) {
      line(out, tally, done->outcome == step.expect,
           fmt::format("{} is {}", name, to_string(step.expect)),
           fmt::format("{} ({})", to_string(done->outcome), done->detail));
    }
    if (auto settled = world.settle(); !settled) {
      line(out, tally, false, name + " settles", settled.error());
      broken = true;
    }
    for (const std::string& b : breaches(world, state.openings, openings_before))
      line(out, tally, false, "no breach after " + name, b);
    for (const auto& [index, e] : s.step_expect) {
      if (index != i) continue;
      Verdict v = evaluate(world, e, state.cases);
      line(out, tally, v.held, e.path + " " + v.what, v.saw);
    }
  }
  if (!broken) {
    if (auto back = reconnect_what_the_timeline_cut(world, s); !back) {
      line(out, tally, false, "the site reconnects after the timeline", back.error());
      return tally;
    }
    for (const Expectation& e : s.expect) {
      Verdict v = evaluate(world, e, state.cases);
      line(out, tally, v.held, e.path + " " + v.what, v.saw);
    }
  }
  return tally;
}

}  // namespace scenario
