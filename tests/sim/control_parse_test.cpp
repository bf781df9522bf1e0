// The control channel's language against hostile lines: everything that is not exactly a request
// is refused with a code and a message naming what was wrong, before it reaches the fleet.

#include <string>
#include <variant>

#include <gtest/gtest.h>

#include "sim/control.hpp"
#include "sim/duration.hpp"

namespace {

using sim::parse_control_line;

std::string refusal(std::string_view line) {
  auto parsed = parse_control_line(line);
  EXPECT_FALSE(parsed) << line;
  return parsed ? std::string("accepted") : parsed.error().code;
}

std::string message(std::string_view line) {
  auto parsed = parse_control_line(line);
  return parsed ? std::string() : parsed.error().message;
}

TEST(ControlParse, FaultsWithTheirArguments) {
  auto jam = parse_control_line(R"({"fault":"jam","lock":"u204"})");
  ASSERT_TRUE(jam);
  const auto& f = std::get<sim::Fault>(*jam);
  EXPECT_EQ(f.kind, sim::FaultKind::jam);
  EXPECT_EQ(f.lock, "u204");

  auto battery = parse_control_line(R"( { "pct" : 15 , "lock":"u204", "fault":"battery" } )");
  ASSERT_TRUE(battery);
  EXPECT_EQ(std::get<sim::Fault>(*battery).pct, 15);

  auto firmware = parse_control_line(R"({"fault":"firmware","lock":"u204","version":"2.5.0"})");
  ASSERT_TRUE(firmware);
  EXPECT_EQ(std::get<sim::Fault>(*firmware).version, "2.5.0");

  auto swell = parse_control_line(R"({"fault":"door_swell","lock":"u204","probability":0.25})");
  ASSERT_TRUE(swell);
  EXPECT_FLOAT_EQ(std::get<sim::Fault>(*swell).probability, 0.25F);

  auto hub = parse_control_line(R"({"fault":"hub_down","hub":"hub-1"})");
  ASSERT_TRUE(hub);
  EXPECT_EQ(std::get<sim::Fault>(*hub).hub, "hub-1");
  auto by_lock = parse_control_line(R"({"fault":"hub_up","lock":"u204"})");
  ASSERT_TRUE(by_lock);
  EXPECT_EQ(std::get<sim::Fault>(*by_lock).lock, "u204");
}

TEST(ControlParse, DoorActionsQueriesAndAdvance) {
  auto pin = parse_control_line(R"({"do":"enter_pin","lock":"u204","pin":"4831"})");
  ASSERT_TRUE(pin);
  EXPECT_EQ(std::get<sim::DoorAction>(*pin).pin, "4831");
  auto key = parse_control_line(R"({"do":"turn_key","lock":"u204","to":"locked"})");
  ASSERT_TRUE(key);
  EXPECT_TRUE(std::get<sim::DoorAction>(*key).to_locked);
  auto key_default = parse_control_line(R"({"do":"turn_key","lock":"u204"})");
  ASSERT_TRUE(key_default);
  EXPECT_FALSE(std::get<sim::DoorAction>(*key_default).to_locked);
  auto query = parse_control_line(R"({"query":"lock","lock":"u204"})");
  ASSERT_TRUE(query);
  EXPECT_EQ(std::get<sim::Query>(*query).id, "u204");
  ASSERT_TRUE(parse_control_line(R"({"query":"fleet"})"));
  auto advance = parse_control_line(R"({"advance":"+90s"})");
  ASSERT_TRUE(advance);
  EXPECT_EQ(std::get<sim::Advance>(*advance).by, std::chrono::seconds(90));
}

TEST(ControlParse, NotOneJsonObjectIsMalformed) {
  for (std::string_view line :
       {"", "not json", "[]", "42", R"("fault")", R"({"fault":"jam","lock":"u204"} {})",
        R"({"fault":"jam","lock":"u204",})", R"({"fault":"jam" /* c */,"lock":"u204"})",
        "{\"fault\":\"jam\",\"lock\":\"\xff\"}", R"({"fault":"jam","fault":"jam","lock":"a"})",
        R"({"fault":"jam","lock":"a","x":[[[[[[[[[1]]]]]]]]]})"}) {
    EXPECT_EQ(refusal(line), "malformed") << line;
  }
  EXPECT_EQ(message(R"({"fault":"jam","fault":"clear_jam","lock":"a"})"),
            R"("fault" appears twice in the same object)");
}

TEST(ControlParse, ExactlyOneKnownVerb) {
  EXPECT_EQ(refusal(R"({"lock":"u204"})"), "unknown_command");
  EXPECT_EQ(refusal(R"({"fault":"jam","do":"enter_pin","lock":"u204"})"), "unknown_command");
  EXPECT_EQ(refusal(R"({"fault":"broker_restart","lock":"u204"})"), "unknown_command");
  EXPECT_EQ(refusal(R"({"do":"app_unlock","lock":"u204"})"), "unknown_command");
  EXPECT_EQ(refusal(R"({"query":"everything"})"), "unknown_command");
  EXPECT_EQ(message(R"({"fault":"Jam","lock":"u204"})"), R"("Jam" is not a fault)");
}

TEST(ControlParse, KeysAreExactlyTheRequestsOwn) {
  EXPECT_EQ(refusal(R"({"fault":"jam","lock":"u204","pct":15})"), "unknown_key");
  EXPECT_EQ(message(R"({"fault":"jam","lock":"u204","Lock":"u205"})"),
            R"("Lock" is not a key of this request)");
  EXPECT_EQ(refusal(R"({"fault":"jam"})"), "missing_key");
  EXPECT_EQ(refusal(R"({"fault":"battery","lock":"u204"})"), "missing_key");
  EXPECT_EQ(refusal(R"({"fault":"firmware","lock":"u204"})"), "missing_key");
  EXPECT_EQ(refusal(R"({"fault":"hub_down"})"), "missing_key");
  EXPECT_EQ(refusal(R"({"fault":"hub_down","hub":"h","lock":"u204"})"), "unknown_key");
  EXPECT_EQ(refusal(R"({"fault":"jam","hub":"h"})"), "missing_key");
  EXPECT_EQ(refusal(R"({"do":"enter_pin","lock":"u204"})"), "missing_key");
  EXPECT_EQ(refusal(R"({"do":"realign_door","lock":"u204","pin":"1234"})"), "unknown_key");
  EXPECT_EQ(refusal(R"({"query":"fleet","lock":"u204"})"), "unknown_key");
  EXPECT_EQ(refusal(R"({"advance":"90s","lock":"u204"})"), "unknown_key");
}

TEST(ControlParse, ValuesOfTheWrongTypeOrRange) {
  EXPECT_EQ(refusal(R"({"fault":"jam","lock":204})"), "wrong_type");
  EXPECT_EQ(refusal(R"({"fault":true,"lock":"u204"})"), "wrong_type");
  EXPECT_EQ(refusal(R"({"fault":"battery","lock":"u204","pct":"15"})"), "wrong_type");
  EXPECT_EQ(refusal(R"({"fault":"battery","lock":"u204","pct":1.5})"), "wrong_type");
  EXPECT_EQ(refusal(R"({"fault":"battery","lock":"u204","pct":101})"), "bad_value");
  EXPECT_EQ(refusal(R"({"fault":"battery","lock":"u204","pct":-1})"), "bad_value");
  EXPECT_EQ(refusal(R"({"fault":"battery","lock":"u204","pct":18446744073709551615})"),
            "bad_value");
  EXPECT_EQ(refusal(R"({"fault":"door_swell","lock":"u204","probability":2})"), "bad_value");
  EXPECT_EQ(refusal(R"({"fault":"door_swell","lock":"u204","probability":"high"})"), "wrong_type");
  EXPECT_EQ(refusal(R"({"do":"turn_key","lock":"u204","to":"open"})"), "bad_value");
  EXPECT_EQ(refusal(R"({"do":"enter_pin","lock":"u204","pin":4831})"), "wrong_type");
  EXPECT_EQ(refusal(R"({"advance":"90"})"), "bad_value");
  EXPECT_EQ(refusal(R"({"advance":90})"), "wrong_type");
}

TEST(ControlParse, BluetoothUnlockDecodesTheGrantStrictly) {
  const std::string response(128, 'a');
  const std::string grant =
      R"({"v":1,"id":"1011121314151617","site":"s1","lock":"u204","holder":")" +
      std::string(64, 'c') + R"(","not_before":0,"not_after":0,"epoch":1,"sig":")" +
      std::string(128, 'd') + "\"}";
  auto ok = parse_control_line(R"({"do":"bluetooth_unlock","lock":"u204","grant":)" + grant +
                               R"(,"response":")" + response + "\"}");
  ASSERT_TRUE(ok) << ok.error().message;
  EXPECT_EQ(std::get<sim::DoorAction>(*ok).grant.epoch, 1u);
  EXPECT_EQ(std::get<sim::DoorAction>(*ok).response[0], 0xaa);

  EXPECT_EQ(refusal(R"({"do":"bluetooth_unlock","lock":"u204","grant":)" + grant +
                    R"(,"response":"AA"})"),
            "bad_value");
  EXPECT_EQ(refusal(R"({"do":"bluetooth_unlock","lock":"u204","grant":)" + grant +
                    R"(,"response":")" + std::string(128, 'A') + "\"}"),
            "bad_value");
  EXPECT_EQ(refusal(R"({"do":"bluetooth_unlock","lock":"u204","grant":"x","response":")" +
                    response + "\"}"),
            "wrong_type");
  std::string bad_grant = grant;
  bad_grant.replace(bad_grant.find("\"epoch\":1"), 9, "\"epoch\":-1");
  EXPECT_EQ(refusal(R"({"do":"bluetooth_unlock","lock":"u204","grant":)" + bad_grant +
                    R"(,"response":")" + response + "\"}"),
            "bad_value");
}

TEST(ControlParse, OverTheSizeLimitIsTooLong) {
  std::string line = R"({"fault":"jam","lock":"u204","x":")";
  line.append(sim::kMaxControlLine, 'x');
  line += "\"}";
  EXPECT_EQ(refusal(line), "too_long");
}

TEST(ControlParse, ErrorAnswersAreOneJsonObject) {
  EXPECT_EQ(sim::control_error_answer({"unknown_lock", R"(no lock "u999")"}),
            R"({"ok":false,"error":{"code":"unknown_lock","message":"no lock \"u999\""}})");
}

TEST(Duration, ScenarioStyle) {
  using std::chrono::milliseconds;
  EXPECT_EQ(sim::parse_duration("90s"), milliseconds(90'000));
  EXPECT_EQ(sim::parse_duration("+30m"), milliseconds(1'800'000));
  EXPECT_EQ(sim::parse_duration("2h"), milliseconds(7'200'000));
  EXPECT_EQ(sim::parse_duration("3d"), milliseconds(259'200'000));
  EXPECT_EQ(sim::parse_duration("250ms"), milliseconds(250));
  EXPECT_EQ(sim::parse_duration("+0s"), milliseconds(0));
  for (std::string_view bad : {"", "s", "+", "10", "-5s", "1.5h", "10 s", " 10s", "10S", "10sec",
                               "++1s", "3661d", "99999999999999999999d"}) {
    EXPECT_EQ(sim::parse_duration(bad), std::nullopt) << bad;
  }
}

}  // namespace
