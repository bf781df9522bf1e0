// The parser refuses, with the file, the JSON path and what was expected, everything the format
// does not allow; it never skips. Each test starts from a small valid file and breaks one thing.

#include "scenario/parse.hpp"

#include <string>

#include <gtest/gtest.h>

namespace {

const std::string kValid = R"({
  "name": "t", "seed": 1, "start": "2026-01-12T07:30:00-06:00",
  "site": { "id": "s", "timezone": "Europe/London" },
  "hubs": [ { "id": "hub-a" } ],
  "locks": [ { "id": "u1", "unit": "1", "link": "hub-a" } ],
  "people": [ { "id": "ana", "email": "ana@example.test", "phone": "+15555550100",
                "password": "a long passphrase", "memberships": [ { "role": "resident", "unit": "1" } ],
                "devices": [ "ana-phone" ], "codes": [ { "lock": "u1", "pin": "4831" } ] } ],
  "timeline": [ { "at": "+1m", "do": "enter_pin", "who": "ana", "lock": "u1", "pin": "4831",
                  "expect": "granted" },
                { "at": "+2m", "do": "report_lockout", "who": "ana", "lock": "u1",
                  "symptoms": [ "code_rejected" ] } ],
  "expect": [ { "lock": "u1", "bolt": "locked" },
              { "case": 1, "top_cause": "lock_jammed" } ]
})";

std::string replaced(const std::string& from, const std::string& to) {
  std::string s = kValid;
  const auto at = s.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  return s.replace(at, from.size(), to);
}

std::string error_of(const std::string& text) {
  auto parsed = scenario::parse(text, "t.json");
  EXPECT_FALSE(parsed) << "parsed: " << text;
  return parsed ? std::string() : parsed.error();
}

TEST(ScenarioParse, AValidFileParsesWithEveryDeclaration) {
  auto parsed = scenario::parse(kValid, "t.json");
  ASSERT_TRUE(parsed) << parsed.error();
  EXPECT_EQ(parsed->site, "s");
  ASSERT_EQ(parsed->timeline.size(), 2U);
  EXPECT_EQ(parsed->timeline[0].at, 60'000);
  EXPECT_EQ(parsed->timeline[0].expect, scenario::Outcome::granted);
  EXPECT_EQ(parsed->timeline[1].case_number, 1);
  EXPECT_EQ(parsed->people[0].codes[0].pin, "4831");
  EXPECT_EQ(parsed->expect.size(), 2U);
}

TEST(ScenarioParse, NotJsonNamesTheFile) {
  EXPECT_EQ(error_of("{ nope").rfind("t.json: $: expected a JSON document", 0), 0U);
}

TEST(ScenarioParse, AnUnknownKeyIsNamedWithItsPath) {
  EXPECT_EQ(error_of(replaced(R"("link": "hub-a")", R"("link": "hub-a", "colour": "red")")),
            R"(t.json: $.locks[0].colour: expected no such key here, got "colour")");
}

TEST(ScenarioParse, AWrongTypeSaysWhatWasExpected) {
  EXPECT_EQ(error_of(replaced(R"("seed": 1)", R"("seed": "one")")),
            R"(t.json: $.seed: expected an integer 0..9223372036854775807, got "one")");
  EXPECT_NE(error_of(replaced(R"("link": "hub-a")", R"("link": "hub-a", "keypad": "yes")"))
                .find(R"($.locks[0].keypad: expected true or false, got "yes")"),
            std::string::npos);
}

TEST(ScenarioParse, UnknownIdsAreRefused) {
  EXPECT_NE(error_of(replaced(R"("do": "enter_pin")", R"("do": "pick_lock")"))
                .find("$.timeline[0].do: expected an action of the scenario format"),
            std::string::npos);
  EXPECT_NE(error_of(replaced(R"("code_rejected")", R"("code_rejected'; DROP TABLE x;--")"))
                .find("$.timeline[1].symptoms[0]: expected a symptom id"),
            std::string::npos);
  EXPECT_NE(error_of(replaced(R"("top_cause": "lock_jammed")", R"("top_cause": "gremlins")"))
                .find("$.expect[1].top_cause: expected a cause id"),
            std::string::npos);
  EXPECT_NE(error_of(replaced(R"("role": "resident")", R"("role": "landlord")"))
                .find("$.people[0].memberships[0].role: expected a role"),
            std::string::npos);
}

TEST(ScenarioParse, ReferencesToUndeclaredThingsAreRefused) {
  EXPECT_NE(error_of(replaced(R"("lock": "u1", "pin": "4831",)", R"("lock": "u9", "pin": "4831",)"))
                .find(R"($.timeline[0].lock: expected a declared lock id, got "u9")"),
            std::string::npos);
  EXPECT_NE(error_of(replaced(R"("link": "hub-a")", R"("link": "hub-z")"))
                .find("$.locks[0].link: expected a declared hub id"),
            std::string::npos);
  EXPECT_NE(error_of(replaced(R"("who": "ana", "lock": "u1", "pin")",
                              R"("who": "bob", "lock": "u1", "pin")"))
                .find("$.timeline[0].who: expected a declared person id"),
            std::string::npos);
  EXPECT_NE(error_of(replaced(R"("unit": "1" } ],)", R"("unit": "9" } ],)"))
                .find("$.people[0].memberships[0].unit: expected a unit some declared lock names"),
            std::string::npos);
  EXPECT_NE(error_of(replaced(R"({ "case": 1,)", R"({ "case": 2,)"))
                .find("$.expect[1].case: expected a case the timeline opens (1..1)"),
            std::string::npos);
}

TEST(ScenarioParse, TimesOutOfOrderAreRefused) {
  EXPECT_NE(error_of(replaced(R"("at": "+2m")", R"("at": "+30s")"))
                .find("$.timeline[1].at: expected a time at or after the previous step's"),
            std::string::npos);
  EXPECT_NE(error_of(replaced(R"("at": "+1m")", R"("at": "one minute")"))
                .find("$.timeline[0].at: expected a duration"),
            std::string::npos);
  EXPECT_NE(error_of(replaced(R"("2026-01-12T07:30:00-06:00")", R"("yesterday")"))
                .find("$.start: expected an RFC 3339 time"),
            std::string::npos);
}

TEST(ScenarioParse, MissingKeysAndBadValuesAreRefused) {
  EXPECT_NE(
      error_of(replaced(R"("pin": "4831",)", "")).find("$.timeline[0].pin: expected this key"),
      std::string::npos);
  EXPECT_NE(error_of(replaced(R"("pin": "4831",)", R"("pin": "48a1",)"))
                .find(R"($.timeline[0].pin: expected 4-8 digits or "{backup}")"),
            std::string::npos);
  EXPECT_NE(error_of(replaced(R"("expect": "granted")", R"("expect": "maybe")"))
                .find("$.timeline[0].expect: expected one of granted"),
            std::string::npos);
  EXPECT_NE(error_of(replaced(R"("link": "hub-a")", R"("link": "hub-a", "battery_pct": 101)"))
                .find("$.locks[0].battery_pct: expected an integer 0..100"),
            std::string::npos);
}

// The lockout steps and case expectations are as strict as the rest: each wrong field is named
// with its path and what was expected.
TEST(ScenarioParse, LockoutStepsAndCaseExpectationsAreStrict) {
  const std::string report =
      R"({ "at": "+2m", "do": "report_lockout", "who": "ana", "lock": "u1",
                  "symptoms": [ "code_rejected" ] })";
  auto with_step = [&](const std::string& step) { return replaced(report, report + ", " + step); };
  EXPECT_NE(error_of(with_step(R"({ "at": "+3m", "do": "take_action", "who": "ana", "case": 1,
                                    "action": "kick_door" })"))
                .find("$.timeline[2].action: expected a recovery action id"),
            std::string::npos);
  EXPECT_NE(error_of(with_step(R"({ "at": "+3m", "do": "take_action", "who": "ana", "case": 2,
                                    "action": "use_app" })"))
                .find("$.timeline[2].case: expected a case opened before this step (1..1)"),
            std::string::npos);
  EXPECT_NE(error_of(with_step(R"({ "at": "+3m", "do": "take_action", "who": "ana", "case": "1",
                                    "action": "use_app" })"))
                .find("$.timeline[2].case: expected an integer"),
            std::string::npos);
  EXPECT_NE(error_of(with_step(R"({ "at": "+3m", "do": "verify_identity", "who": "ana",
                                    "for": "ana", "method": "selfie" })"))
                .find(R"($.timeline[2].method: expected "totp", "recovery_code" or)"),
            std::string::npos);
  EXPECT_NE(error_of(with_step(R"({ "at": "+3m", "do": "request_backup_code", "who": "ana",
                                    "by": "pigeon", "value": "x" })"))
                .find(R"($.timeline[2].by: expected "email" or "phone", got "pigeon")"),
            std::string::npos);
  EXPECT_NE(error_of(with_step(R"({ "at": "+3m", "do": "open_backup_link", "who": "ana",
                                    "channel": "fax" })"))
                .find(R"($.timeline[2].channel: expected "sms" or "email", got "fax")"),
            std::string::npos);
  EXPECT_NE(error_of(replaced(R"("symptoms": [ "code_rejected" ] })",
                              R"("symptoms": [ "code_rejected" ], "urgent": true })"))
                .find(R"($.timeline[1].urgent: expected no such key here)"),
            std::string::npos);
  EXPECT_NE(error_of(replaced(R"({ "case": 1, "top_cause": "lock_jammed" })",
                              R"({ "case": 1, "plan_includes": [ "pray" ] })"))
                .find("$.expect[1].plan_includes[0]: expected a recovery action id"),
            std::string::npos);
  EXPECT_NE(error_of(replaced(R"({ "case": 1, "top_cause": "lock_jammed" })",
                              R"({ "case": 1, "causes_include": "lock_jammed" })"))
                .find("$.expect[1].causes_include: expected an array of strings"),
            std::string::npos);
  EXPECT_NE(error_of(replaced(R"({ "case": 1, "top_cause": "lock_jammed" })",
                              R"({ "case": 1, "resolved": true, "resolved_by": "magic" })"))
                .find("$.expect[1].resolved_by: expected a recovery action id"),
            std::string::npos);
  // A cause where a plan is read is not silently ignored.
  EXPECT_NE(
      error_of(replaced(R"({ "case": 1, "top_cause": "lock_jammed" })",
                        R"({ "case": 1, "plan_first": "use_app", "top_cause": "lock_jammed" })"))
          .find("$.expect[1].top_cause: expected no such key here"),
      std::string::npos);
}

TEST(ScenarioParse, IdsAreOneNamespace) {
  EXPECT_NE(error_of(replaced(R"({ "id": "hub-a" })", R"({ "id": "u1" })"))
                .find("$.locks[0].id: expected an id not used before"),
            std::string::npos);
}

}  // namespace
