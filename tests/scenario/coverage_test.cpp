// Every cause id and every recovery action id of the diagnosis library is checked by at least one
// of the project's own scenarios (tests/scenarios/*.json): a new id without a scenario, or a
// scenario edited so that an id is no longer checked, fails here by name.

#include "scenario/coverage.hpp"

#include <algorithm>
#include <filesystem>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <gtest/gtest.h>

#include "scenario/parse.hpp"
#include "server/lockout/diagnosis/action.hpp"
#include "server/lockout/diagnosis/cause.hpp"

namespace {

std::vector<scenario::Scenario> own_scenarios() {
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator(LATCHKEY_OWN_SCENARIOS))
    if (entry.path().extension() == ".json") files.push_back(entry.path().string());
  std::sort(files.begin(), files.end());
  std::vector<scenario::Scenario> out;
  for (const std::string& f : files) {
    auto parsed = scenario::parse_file(f);
    EXPECT_TRUE(parsed) << (parsed ? "" : parsed.error());
    if (parsed) out.push_back(std::move(*parsed));
  }
  return out;
}

scenario::Scenario with(std::vector<scenario::Expectation> expect) {
  scenario::Scenario s;
  s.expect = std::move(expect);
  return s;
}

TEST(ScenarioCoverage, NamesEveryIdNoScenarioChecks) {
  scenario::Expectation diagnosis;
  diagnosis.kind = scenario::ExpectKind::case_diagnosis;
  diagnosis.top_cause = "lock_jammed";
  diagnosis.includes = {"battery_low"};
  diagnosis.excludes = {"wrong_code"};  // an exclusion checks the id's absence: not coverage
  scenario::Expectation plan;
  plan.kind = scenario::ExpectKind::case_plan;
  plan.plan_first = "realign_door_and_retry";
  plan.excludes = {"send_backup_code"};
  scenario::Expectation resolved;
  resolved.kind = scenario::ExpectKind::case_resolved;
  resolved.resolved = true;
  resolved.resolved_by = "wait_keypad_cooldown";

  const scenario::Coverage c = scenario::coverage_of({with({diagnosis, plan, resolved})});
  EXPECT_EQ(c.causes, (std::set<std::string>{"battery_low", "lock_jammed"}));
  EXPECT_EQ(c.actions, (std::set<std::string>{"realign_door_and_retry", "wait_keypad_cooldown"}));
  EXPECT_EQ(c.missing_causes.size(), server::lockout::kCauseCount - 2);
  EXPECT_EQ(c.missing_actions.size(), server::lockout::kActionCount - 2);
  EXPECT_NE(std::find(c.missing_causes.begin(), c.missing_causes.end(), "wrong_code"),
            c.missing_causes.end());
  EXPECT_NE(std::find(c.missing_actions.begin(), c.missing_actions.end(), "send_backup_code"),
            c.missing_actions.end());
  EXPECT_EQ(c.missing_causes.front(), "signed_out");  // the library's order
}

TEST(ScenarioCoverage, StepExpectationsCount) {
  scenario::Expectation diagnosis;
  diagnosis.kind = scenario::ExpectKind::case_diagnosis;
  diagnosis.includes = {"hub_offline"};
  scenario::Scenario s;
  s.step_expect.emplace_back(0, diagnosis);
  EXPECT_TRUE(scenario::coverage_of({s}).causes.contains("hub_offline"));
}

TEST(ScenarioCoverage, OwnScenariosCheckEveryCauseAndAction) {
  const std::vector<scenario::Scenario> scenarios = own_scenarios();
  ASSERT_FALSE(scenarios.empty()) << "no scenario in " << LATCHKEY_OWN_SCENARIOS;
  const scenario::Coverage c = scenario::coverage_of(scenarios);
  EXPECT_TRUE(c.missing_causes.empty())
      << fmt::format("no scenario checks cause(s): {}", fmt::join(c.missing_causes, ", "));
  EXPECT_TRUE(c.missing_actions.empty())
      << fmt::format("no scenario checks action(s): {}", fmt::join(c.missing_actions, ", "));
}

}  // namespace
