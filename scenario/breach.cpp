#include "scenario/breach.hpp"

#include <fmt/format.h>

#include "server/access/policy.hpp"

namespace scenario {

std::vector<std::string> breaches(World& world, const std::vector<Opening>& openings,
                                  std::size_t first) {
  std::vector<std::string> out;
  const Scenario& s = world.scenario();
  for (std::size_t i = first; i < openings.size(); ++i) {
    const Opening& o = openings[i];
    const LockDecl* lock = s.find_lock(o.lock);
    // The door's unit decides which memberships cover it (a common door: the site).
    server::access::Scope scope{s.site, lock->unit, std::nullopt};
    auto decision = world.node().access().policy().decide(
        world.account_of(o.who), server::access::Action::operate_lock, scope, o.at);
    if (!decision) {
      out.push_back(fmt::format("{} opened for {} ({}) and the policy could not say: {}", o.lock,
                                o.who, o.how, describe(decision.error())));
    } else if (!decision->allowed()) {
      out.push_back(
          fmt::format("{} opened for {} ({}) at +{}s, whose membership did not allow it "
                      "({})",
                      o.lock, o.who, o.how, (o.at - s.start) / 1000,
                      server::access::to_string(decision->denial)));
    }
  }
  return out;
}

}  // namespace scenario
