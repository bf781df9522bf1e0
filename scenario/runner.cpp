#include "scenario/runner.hpp"

#include <fmt/format.h>

#include "scenario/breach.hpp"
#include "scenario/expectations.hpp"
#include "scenario/steps.hpp"
#include "scenario/world.hpp"

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
    for (const Expectation& e : s.expect) {
      Verdict v = evaluate(world, e, state.cases);
      line(out, tally, v.held, e.path + " " + v.what, v.saw);
    }
  }
  return tally;
}

}  // namespace scenario
