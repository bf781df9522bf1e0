// What a hostile or broken peer might send, and the typed refusal each gets: the code and the JSON
// path of the offending field. Most cases take a golden example and change one thing in it; the
// change must apply, so that no case passes by testing the unchanged example.
#include <functional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "tests/protocol/samples.hpp"

namespace protocol::test {
namespace {

using Code = DecodeErrorCode;

// Decodes with the decoder of one message type and returns its error ("" message if accepted).
using Decoder = std::function<std::optional<DecodeError>(std::string_view)>;

template <class T>
Decoder decoder_like(T like) {
  return [like](std::string_view json) -> std::optional<DecodeError> {
    auto decoded = decode_like(json, like);
    if (decoded.ok()) return std::nullopt;
    return decoded.error();
  };
}

std::string replaced(std::string_view json, std::string_view from, std::string_view to) {
  std::string text(json);
  std::size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << "the case does not apply: " << from << " not in " << json;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

void expect_refused(const Decoder& decode, std::string_view json, Code code,
                    std::string_view field) {
  std::optional<DecodeError> error = decode(json);
  ASSERT_TRUE(error.has_value()) << "accepted: " << json;
  EXPECT_EQ(error->code, code) << error->message;
  EXPECT_EQ(error->field, field) << error->message;
  EXPECT_FALSE(error->message.empty());
  if (!field.empty()) {
    EXPECT_NE(error->message.find("\"" + std::string(field) + "\""), std::string::npos)
        << "the message should name the field: " << error->message;
  }
}

struct Case {
  std::string name;
  Decoder decode;
  std::string_view json;  // a golden example
  std::string from, to;   // the one change
  Code code;
  std::string field;
};

std::ostream& operator<<(std::ostream& os, const Case& c) {
  return os << c.name;
}

const Decoder kStatus = decoder_like(DeviceStatus::online);
const Decoder kState = decoder_like(sample_state());
const Decoder kEvent = decoder_like(sample_event());
const Decoder kCommand = decoder_like(sample_command());
const Decoder kAck = decoder_like(sample_ack());
const Decoder kDesired = decoder_like(sample_desired());
const Decoder kReported = decoder_like(sample_reported());
const Decoder kLinks = decoder_like(sample_links());
const Decoder kGrant = decoder_like(sample_grant());

const std::string kHex64(64, 'a');

std::vector<Case> cases() {
  return {
      // ---- every message: envelope, JSON well-formedness, strictness ----
      {"VersionTwo", kStatus, kStatusJson, R"("v":1)", R"("v":2)", Code::unsupported_version, "v"},
      {"VersionZero", kState, kStateJson, R"("v":1)", R"("v":0)", Code::unsupported_version, "v"},
      {"VersionAsString", kStatus, kStatusJson, R"("v":1)", R"("v":"1")", Code::wrong_type, "v"},
      {"VersionAsFloat", kEvent, kEventJson, R"("v":1)", R"("v":1.0)", Code::wrong_type, "v"},
      {"VersionMissing", kStatus, kStatusJson, R"("v":1,)", "", Code::missing_field, "v"},
      {"VersionCheckedBeforeUnknownFields", kStatus, kStatusJson, R"("v":1)", R"("v":2,"new":1)",
       Code::unsupported_version, "v"},
      {"UnknownTopLevelField", kStatus, kStatusJson, R"("online")", R"("online","extra":1)",
       Code::unknown_field, "extra"},
      {"UnknownNestedField", kState, kStateJson, R"("mv":5600)", R"("mv":5600,"volts":5.6)",
       Code::unknown_field, "battery.volts"},
      {"DuplicateTopLevelKey", kStatus, kStatusJson, R"("status":"online")",
       R"("status":"online","status":"offline")", Code::duplicate_field, "status"},
      // Keys are compared unescaped, so an escape cannot smuggle a second value past the check.
      {"DuplicateKeyWrittenWithEscape", kStatus, kStatusJson, R"("status":"online")",
       R"("status":"online","st\u0061tus":"offline")", Code::duplicate_field, "status"},
      {"DuplicateNestedKey", kState, kStateJson, R"("pct":80)", R"("pct":80,"pct":81)",
       Code::duplicate_field, "battery.pct"},
      {"DuplicateKeyInArrayItem", kDesired, kDesiredJson, R"("pin":"12345678")",
       R"("pin":"12345678","pin":"1234")", Code::duplicate_field, "credentials[1].pin"},
      {"NotAnObject", kStatus, kStatusJson, std::string(kStatusJson), "[1,2]", Code::wrong_type,
       ""},
      {"Truncated", kStatus, kStatusJson, R"("online"})", R"("onl)", Code::malformed, ""},
      {"TrailingData", kStatus, kStatusJson, R"("online"})", R"("online"}{})", Code::malformed, ""},
      {"TrailingComma", kStatus, kStatusJson, R"("online"})", R"("online",})", Code::malformed, ""},
      {"Comment", kStatus, kStatusJson, R"({"v")", R"({/*x*/"v")", Code::malformed, ""},
      {"InvalidUtf8", kStatus, kStatusJson, R"("online")", "\"onl\xff\"", Code::malformed, ""},
      {"Empty", kStatus, kStatusJson, std::string(kStatusJson), "", Code::malformed, ""},
      // The object is level 1, "rssi" level 2, ...: the ninth container is one too many.
      {"TooDeep", kState, kStateJson, R"("rssi":-60)", R"("rssi":[[[[[[[[-60]]]]]]]])",
       Code::too_deep, "rssi[0][0][0][0][0][0][0]"},
      {"EightDeepIsOnlyTheWrongType", kState, kStateJson, R"("rssi":-60)",
       R"("rssi":[[[[[[[-60]]]]]]])", Code::wrong_type, "rssi"},
      {"NullForAnInteger", kState, kStateJson, R"("rssi":-60)", R"("rssi":null)", Code::wrong_type,
       "rssi"},

      // ---- integers: type and range ----
      {"PctOver100", kState, kStateJson, R"("pct":80)", R"("pct":101)", Code::out_of_range,
       "battery.pct"},
      {"PctNegative", kState, kStateJson, R"("pct":80)", R"("pct":-1)", Code::out_of_range,
       "battery.pct"},
      {"PctFraction", kState, kStateJson, R"("pct":80)", R"("pct":1.5)", Code::wrong_type,
       "battery.pct"},
      {"PctExponent", kState, kStateJson, R"("pct":80)", R"("pct":8e1)", Code::wrong_type,
       "battery.pct"},
      {"PctAsString", kState, kStateJson, R"("pct":80)", R"("pct":"80")", Code::wrong_type,
       "battery.pct"},
      {"PctAsBool", kState, kStateJson, R"("pct":80)", R"("pct":true)", Code::wrong_type,
       "battery.pct"},
      {"MillivoltsOver16Bits", kState, kStateJson, R"("mv":5600)", R"("mv":65536)",
       Code::out_of_range, "battery.mv"},
      {"RssiBelowInt8", kState, kStateJson, R"("rssi":-60)", R"("rssi":-129)", Code::out_of_range,
       "rssi"},
      {"EpochOver32Bits", kState, kStateJson, R"("epoch":123)", R"("epoch":4294967296)",
       Code::out_of_range, "epoch"},
      {"BoolAsInteger", kState, kStateJson, R"("paired":true)", R"("paired":1)", Code::wrong_type,
       "paired"},
      {"VersionBeyond64Bits", kDesired, kDesiredJson, R"("version":7)",
       R"("version":18446744073709551616)", Code::out_of_range, "version"},
      {"VersionNegative", kDesired, kDesiredJson, R"("version":7)", R"("version":-1)",
       Code::out_of_range, "version"},
      {"TimestampNegative", kEvent, kEventJson, R"("ts":1700000000000)", R"("ts":-1)",
       Code::out_of_range, "ts"},
      {"TimestampAfterYear9999", kEvent, kEventJson, R"("ts":1700000000000)",
       R"("ts":253402300800000)", Code::out_of_range, "ts"},
      {"EventSlotZero", kEvent, kEventJson, R"("slot":3)", R"("slot":0)", Code::out_of_range,
       "slot"},
      {"EventSlot251", kEvent, kEventJson, R"("slot":3)", R"("slot":251)", Code::out_of_range,
       "slot"},
      {"EventValueNegative", kEvent, kEventJson, R"("slot":3)", R"("slot":3,"value":-1)",
       Code::out_of_range, "value"},

      // ---- enums ----
      {"StatusUnknown", kStatus, kStatusJson, R"("online")", R"("away")", Code::bad_enum, "status"},
      {"BoltWrongCase", kState, kStateJson, R"("locked")", R"("Locked")", Code::bad_enum, "bolt"},
      {"EventTypeUnknown", kEvent, kEventJson, R"("unlocked")", R"("opened")", Code::bad_enum,
       "type"},
      {"OpUnknown", kCommand, kCommandJson, R"("unlock")", R"("open")", Code::bad_enum, "op"},
      {"KindUnknown", kDesired, kDesiredJson, R"("backup")", R"("guest")", Code::bad_enum,
       "credentials[1].kind"},
      {"EnumAsInteger", kState, kStateJson, R"("door":"closed")", R"("door":0)", Code::wrong_type,
       "door"},

      // ---- hex, ids, text ----
      {"HexTooShort", kState, kStateJson, R"(1e1f")", R"(1e1")", Code::bad_hex, "pairing_key"},
      {"HexTooLong", kState, kStateJson, R"(1e1f")", R"(1e1f00")", Code::bad_hex, "pairing_key"},
      {"HexNotHex", kState, kStateJson, R"(1e1f")", R"(1e1g")", Code::bad_hex, "pairing_key"},
      {"HexUppercase", kState, kStateJson, R"(1e1f")", R"(1E1F")", Code::bad_hex, "pairing_key"},
      {"CommandIdShort", kCommand, kCommandJson, R"(2e2f")", R"(2e")", Code::bad_hex, "id"},
      {"SignatureShort", kCommand, kCommandJson, R"(7d7e7f")", R"(7d7e")", Code::bad_hex, "sig"},
      {"EventKeyShort", kEvent, kEventJson, R"("slot":3)", R"("slot":3,"key":"10111213")",
       Code::bad_hex, "key"},
      {"FirmwareEmpty", kState, kStateJson, R"("2.4.1")", R"("")", Code::bad_text, "firmware"},
      {"FirmwareWithSpace", kState, kStateJson, R"("2.4.1")", R"("2.4 beta")", Code::bad_text,
       "firmware"},
      {"FirmwareTooLong", kState, kStateJson, R"("2.4.1")", R"("2.4.1-rc.1+build.9")",
       Code::bad_text, "firmware"},
      {"LinkLockWithSlash", kLinks, kLinksJson, R"("a3")", R"("a/3")", Code::bad_id,
       "links[0].lock"},
      {"LinkLockWildcard", kLinks, kLinksJson, R"("b7")", R"("+")", Code::bad_id, "links[1].lock"},
      {"LinkLockEmpty", kLinks, kLinksJson, R"("a3")", R"("")", Code::bad_id, "links[0].lock"},
      {"LinkLockTooLong", kLinks, kLinksJson, R"("a3")", "\"" + std::string(33, 'a') + "\"",
       Code::bad_id, "links[0].lock"},
      {"GrantSiteInvalid", kGrant, kGrantJson, R"("s1")", R"("s 1")", Code::bad_id, "site"},

      // ---- cmd ----
      {"SiteInPayload", kCommand, kCommandJson, R"("op")", R"("site":"s1","op")",
       Code::unknown_field, "site"},
      {"ArgsForUnlock", kCommand, kCommandJson, R"("args":{})", R"("args":{"upto":3})",
       Code::unknown_field, "args.upto"},
      {"ArgsNotObject", kCommand, kCommandJson, R"("args":{})", R"("args":[])", Code::wrong_type,
       "args"},
      {"ArgsMissing", kCommand, kCommandJson, R"("args":{},)", "", Code::missing_field, "args"},
      {"EventsAckWithoutUpto", kCommand, kCommandJson, R"("unlock")", R"("events_ack")",
       Code::missing_field, "args.upto"},
      {"PairWithoutArgs", kCommand, kCommandJson, R"("unlock")", R"("pair")", Code::missing_field,
       "args.site_key"},
      {"PairEpochNegative", kCommand, kPairCommandJson, R"("epoch":5)", R"("epoch":-5)",
       Code::out_of_range, "args.epoch"},
      {"ExpiresAsText", kCommand, kCommandJson, R"("expires":1700000030000)", R"("expires":"soon")",
       Code::wrong_type, "expires"},

      // ---- ack ----
      {"ErrorWithoutError", kAck, kAckJson, R"("error":"jammed",)", "", Code::missing_field,
       "error"},
      {"OkWithError", kAck, kAckJson, R"("result":"error")", R"("result":"ok")", Code::inconsistent,
       "error"},
      {"ErrorNone", kAck, kAckJson, R"("error":"jammed")", R"("error":"none")", Code::inconsistent,
       "error"},
      {"ResultUnknown", kAck, kAckJson, R"("result":"error")", R"("result":"fine")", Code::bad_enum,
       "result"},
      {"AckErrorUnknown", kAck, kAckJson, R"("jammed",)", R"("exploded",)", Code::bad_enum,
       "error"},

      // ---- shadow/desired ----
      {"SlotZero", kDesired, kDesiredJson, R"("slot":1)", R"("slot":0)", Code::out_of_range,
       "credentials[0].slot"},
      {"Slot251", kDesired, kDesiredJson, R"("slot":2)", R"("slot":251)", Code::out_of_range,
       "credentials[1].slot"},
      {"SlotTwice", kDesired, kDesiredJson, R"("slot":2)", R"("slot":1)", Code::duplicate_item,
       "credentials[1].slot"},
      {"PinThreeDigits", kDesired, kDesiredJson, R"("4831")", R"("483")", Code::bad_pin,
       "credentials[0].pin"},
      {"PinNineDigits", kDesired, kDesiredJson, R"("12345678")", R"("123456789")", Code::bad_pin,
       "credentials[1].pin"},
      {"PinWithLetter", kDesired, kDesiredJson, R"("4831")", R"("48a1")", Code::bad_pin,
       "credentials[0].pin"},
      {"PinAsNumber", kDesired, kDesiredJson, R"("4831")", R"(4831)", Code::wrong_type,
       "credentials[0].pin"},
      {"StartWithoutLeadingZero", kDesired, kDesiredJson, R"("08:00")", R"("8:00")", Code::bad_time,
       "credentials[0].schedule.start"},
      {"StartAt2400", kDesired, kDesiredJson, R"("08:00")", R"("24:00")", Code::bad_time,
       "credentials[0].schedule.start"},
      {"MinuteSixty", kDesired, kDesiredJson, R"("17:00")", R"("16:60")", Code::bad_time,
       "credentials[0].schedule.end"},
      {"EndAfter2400", kDesired, kDesiredJson, R"("17:00")", R"("24:01")", Code::bad_time,
       "credentials[0].schedule.end"},
      {"StartNotBeforeEnd", kDesired, kDesiredJson, R"("17:00")", R"("08:00")", Code::inconsistent,
       "credentials[0].schedule.end"},
      {"NoDays", kDesired, kDesiredJson, R"(["mo","tu","we","th","fr"])", "[]", Code::out_of_range,
       "credentials[0].schedule.days"},
      {"DayMisspelt", kDesired, kDesiredJson, R"("tu")", R"("tue")", Code::bad_enum,
       "credentials[0].schedule.days[1]"},
      {"DayTwice", kDesired, kDesiredJson, R"("tu")", R"("mo")", Code::duplicate_item,
       "credentials[0].schedule.days[1]"},
      {"EightDays", kDesired, kDesiredJson, R"("fr"])", R"("fr","sa","su","mo"])",
       Code::too_many_items, "credentials[0].schedule.days"},
      {"ScheduleWithoutDays", kDesired, kDesiredJson, R"("days":["mo","tu","we","th","fr"],)", "",
       Code::missing_field, "credentials[0].schedule.days"},
      {"WindowBackwards", kDesired, kDesiredJson, R"("not_after":1700086400000)",
       R"("not_after":1700000000000)", Code::inconsistent, "credentials[0].not_after"},
      {"MaxUsesOver16Bits", kDesired, kDesiredJson, R"("max_uses":10)", R"("max_uses":65536)",
       Code::out_of_range, "credentials[0].max_uses"},
      {"UnknownCredentialField", kDesired, kDesiredJson, R"("max_uses":10)",
       R"("max_uses":10,"note":"x")", Code::unknown_field, "credentials[0].note"},
      {"CredentialNotObject", kDesired, kDesiredJson, R"([{"slot":1)", R"([7,{"slot":1)",
       Code::wrong_type, "credentials[0]"},
      {"WrongCodeLimitZero", kDesired, kDesiredJson, R"("wrong_code_limit":5)",
       R"("wrong_code_limit":0)", Code::out_of_range, "settings.wrong_code_limit"},
      {"DisableTimeOver255", kDesired, kDesiredJson, R"("wrong_code_disable_s":60)",
       R"("wrong_code_disable_s":256)", Code::out_of_range, "settings.wrong_code_disable_s"},
      {"UtcOffsetBelow", kDesired, kDesiredJson, R"("utc_offset_min":-300)",
       R"("utc_offset_min":-841)", Code::out_of_range, "settings.utc_offset_min"},
      {"UtcOffsetAbove", kDesired, kDesiredJson, R"("utc_offset_min":-300)",
       R"("utc_offset_min":841)", Code::out_of_range, "settings.utc_offset_min"},
      {"SettingMissing", kDesired, kDesiredJson, R"("auto_relock_s":30)", R"("x":30)",
       Code::missing_field, "settings.auto_relock_s"},
      {"RevokedKeyTwice", kDesired, kDesiredJson, R"(["1011121314151617"])",
       R"(["1011121314151617","1011121314151617"])", Code::duplicate_item, "revoked_keys[1]"},
      {"RevokedKeyBadHex", kDesired, kDesiredJson, R"(["1011121314151617"])",
       R"(["101112131415161z"])", Code::bad_hex, "revoked_keys[0]"},

      // ---- shadow/reported ----
      {"FailedWithoutError", kReported, kReportedJson, R"(,"error":"duplicate_pin")", "",
       Code::missing_field, "slots[1].error"},
      {"SetWithError", kReported, kReportedJson, R"("status":"set")",
       R"("status":"set","error":"invalid")", Code::inconsistent, "slots[0].error"},
      {"StatusWordUnknown", kReported, kReportedJson, R"("status":"set")", R"("status":"pending")",
       Code::bad_enum, "slots[0].status"},
      {"ReportedSlotTwice", kReported, kReportedJson, R"("slot":2)", R"("slot":1)",
       Code::duplicate_item, "slots[1].slot"},
      {"DigestShort", kReported, kReportedJson, R"(aeaf")", R"(ae")", Code::bad_hex, "digest"},

      // ---- links ----
      {"LinkTwice", kLinks, kLinksJson, R"("b7")", R"("a3")", Code::duplicate_item,
       "links[1].lock"},
      {"LinkRssiAbove", kLinks, kLinksJson, R"(-70)", R"(128)", Code::out_of_range,
       "links[0].rssi"},
      {"LinkUpAsString", kLinks, kLinksJson, R"("up":true)", R"("up":"true")", Code::wrong_type,
       "links[0].up"},

      // ---- digital key grant ----
      {"GrantBackwards", kGrant, kGrantJson, R"("not_after":1700086400000)",
       R"("not_after":1699999999999)", Code::inconsistent, "not_after"},
      {"GrantWithoutEnd", kGrant, kGrantJson, R"("not_after":1700086400000,)", "",
       Code::missing_field, "not_after"},
      {"GrantHolderShort", kGrant, kGrantJson, R"(dedf")", R"(de")", Code::bad_hex, "holder"},
  };
}

class Hostile : public testing::TestWithParam<Case> {};

TEST_P(Hostile, IsRefusedWithCodeAndField) {
  const Case& c = GetParam();
  expect_refused(c.decode, replaced(c.json, c.from, c.to), c.code, c.field);
}

INSTANTIATE_TEST_SUITE_P(Decoders, Hostile, testing::ValuesIn(cases()),
                         [](const testing::TestParamInfo<Case>& info) { return info.param.name; });

// ---- sizes and capacities, built rather than edited ----

TEST(HostileSize, OverTheCommonLimit) {
  std::string json(kStatusJson);
  json.insert(1, kMaxMessageBytes, ' ');  // valid JSON, but too many bytes
  expect_refused(kStatus, json, Code::too_large, "");
}

TEST(HostileSize, OverTheDesiredShadowLimit) {
  std::string json(kDesiredJson);
  json.insert(1, kMaxDesiredShadowBytes, ' ');
  expect_refused(kDesired, json, Code::too_large, "");
  // The same padding is within limits for a desired shadow when it fits.
  std::string fits(kDesiredJson);
  fits.insert(1, kMaxDesiredShadowBytes - kDesiredJson.size(), ' ');
  EXPECT_FALSE(kDesired(fits).has_value());
}

std::string with_list(std::string_view json, std::string_view key, std::string_view item,
                      std::size_t count) {
  std::string list = "[";
  for (std::size_t i = 0; i < count; ++i)
    list.append(i ? "," : "").append(item);
  list += "]";
  std::string text(json);
  std::size_t start = text.find(std::string("\"") + std::string(key) + "\":[");
  EXPECT_NE(start, std::string::npos);
  start = text.find('[', start);
  std::size_t depth = 0, end = start;
  for (; end < text.size(); ++end) {
    if (text[end] == '[') ++depth;
    if (text[end] == ']' && --depth == 0) break;
  }
  text.replace(start, end + 1 - start, list);
  return text;
}

TEST(HostileSize, MoreCredentialsThanSlots) {
  std::string item = R"({"slot":1,"kind":"pin","pin":"1234"})";
  expect_refused(kDesired, with_list(kDesiredJson, "credentials", item, lockcore::kMaxPinSlots + 1),
                 Code::too_many_items, "credentials");
}

TEST(HostileSize, MoreRevokedKeysThanCapacity) {
  expect_refused(kDesired,
                 with_list(kDesiredJson, "revoked_keys", R"("1011121314151617")",
                           lockcore::kMaxRevokedKeys + 1),
                 Code::too_many_items, "revoked_keys");
}

TEST(HostileSize, MoreSlotReportsThanSlots) {
  expect_refused(
      kReported,
      with_list(kReportedJson, "slots", R"({"slot":1,"status":"set"})", lockcore::kMaxPinSlots + 1),
      Code::too_many_items, "slots");
}

TEST(HostileSize, MoreLinksThanCapacity) {
  expect_refused(
      kLinks,
      with_list(kLinksJson, "links", R"({"lock":"a","up":true,"rssi":0})", kMaxHubLinks + 1),
      Code::too_many_items, "links");
}

TEST(HostileSize, ObjectWithMoreKeysThanAnyMessage) {
  // Refused while parsing, before the duplicate-key check could be made to work hard.
  std::string keys;
  for (int i = 0; i < 31; ++i)
    keys += ",\"k" + std::to_string(i) + "\":0";
  expect_refused(kState, replaced(kStateJson, R"("pct":80)", R"("pct":80)" + keys),
                 Code::too_many_items, "battery");
}

TEST(HostileSize, FirstErrorIsReportedNotTheLast) {
  // Two faults: the decoder stops at the first it reads, and says which.
  std::string json = replaced(kDesiredJson, R"("pin":"4831")", R"("pin":"48")");
  json = replaced(json, R"("wrong_code_limit":5)", R"("wrong_code_limit":0)");
  expect_refused(kDesired, json, Code::bad_pin, "credentials[0].pin");
}

TEST(HostileMessage, NamesTheFieldAndTheRule) {
  std::optional<DecodeError> error =
      kDesired(replaced(kDesiredJson, R"("pin":"12345678")", R"("pin":"12")"));
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->message, "\"credentials[1].pin\" must be 4–8 digits");
}

}  // namespace
}  // namespace protocol::test
