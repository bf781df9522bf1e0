// encode -> decode returns the original for every message, every enum value and the extremes of
// every range, including shadows filled to their fixed capacities.
#include <limits>

#include <gtest/gtest.h>

#include "protocol/names.hpp"
#include "tests/protocol/samples.hpp"

namespace protocol::test {
namespace {

using namespace lockcore;

// Calls set(message, value) for every value of E and round-trips the result.
template <class E, class T, class Set>
void for_every(T message, Set set) {
  for (std::size_t i = 0; i < wire_name_count<E>(); ++i) {
    SCOPED_TRACE(wire_name(static_cast<E>(i)));
    set(message, static_cast<E>(i));
    expect_round_trip(message);
  }
}

TEST(RoundTrip, EverySample) {
  expect_round_trip(DeviceStatus::online);
  expect_round_trip(sample_state());
  expect_round_trip(sample_event());
  expect_round_trip(sample_full_event());
  expect_round_trip(sample_command());
  expect_round_trip(sample_pair_command());
  expect_round_trip(sample_events_ack_command());
  expect_round_trip(sample_ack());
  expect_round_trip(sample_desired());
  expect_round_trip(sample_reported());
  expect_round_trip(sample_links());
  expect_round_trip(sample_grant());
}

TEST(RoundTrip, DefaultConstructedMessagesThatAreValid) {
  expect_round_trip(Event{});
  expect_round_trip(CommandAck{});
  expect_round_trip(ReportedShadow{});
  expect_round_trip(HubLinks{});
  DesiredShadow empty;  // no credentials, default settings, nothing revoked
  expect_round_trip(empty);
}

TEST(RoundTrip, EveryStatus) {
  for_every<DeviceStatus>(DeviceStatus::online, [](DeviceStatus& s, DeviceStatus v) { s = v; });
}

TEST(RoundTrip, EveryStateEnum) {
  for_every<BoltState>(sample_state(), [](StateReport& s, BoltState v) { s.bolt = v; });
  for_every<DoorState>(sample_state(), [](StateReport& s, DoorState v) { s.door = v; });
  for_every<KeypadState>(sample_state(), [](StateReport& s, KeypadState v) { s.keypad = v; });
}

TEST(RoundTrip, EveryEventEnum) {
  for_every<EventType>(sample_full_event(), [](Event& e, EventType v) { e.type = v; });
  for_every<AccessSource>(sample_full_event(), [](Event& e, AccessSource v) { e.source = v; });
  for_every<DenyReason>(sample_full_event(), [](Event& e, DenyReason v) { e.reason = v; });
}

TEST(RoundTrip, EveryCommandOpWithItsArguments) {
  for_every<CommandOp>(sample_command(), [](Command& c, CommandOp op) {
    c = sample_command();
    c.op = op;
    if (op == CommandOp::events_ack) c.upto = std::numeric_limits<std::uint32_t>::max();
    if (op == CommandOp::pair) c.pair = sample_pair_command().pair;
  });
}

TEST(RoundTrip, EveryAckErrorAndBolt) {
  for_every<LockError>(sample_ack(), [](CommandAck& a, LockError v) { a.error = v; });
  for_every<BoltState>(sample_ack(), [](CommandAck& a, BoltState v) { a.bolt = v; });
}

TEST(RoundTrip, EveryCredentialKindAndSlotError) {
  for_every<CredentialKind>(sample_desired(),
                            [](DesiredShadow& d, CredentialKind v) { d.credentials[0].kind = v; });
  for_every<SlotError>(sample_reported(),
                       [](ReportedShadow& r, SlotError v) { r.slots[0].error = v; });
}

TEST(RoundTrip, EveryScheduleDayAlone) {
  DesiredShadow d = sample_desired();
  for (int day = 0; day < 7; ++day) {
    d.credentials[0].schedule.days_mask = static_cast<std::uint8_t>(1 << day);
    expect_round_trip(d);
  }
}

TEST(RoundTrip, ExtremesOfEveryRange) {
  StateReport s = sample_state();
  s.battery_pct = 0;
  s.battery_mv = 65535;
  s.rssi = -128;
  s.epoch = std::numeric_limits<std::uint32_t>::max();
  s.event_seq = std::numeric_limits<std::uint32_t>::max();
  s.firmware = FirmwareVersion::from("v10.20.30-rc.1+b");
  expect_round_trip(s);
  s.battery_pct = 100;
  s.rssi = 127;
  s.firmware = FirmwareVersion::from("1");
  expect_round_trip(s);

  Event e = sample_full_event();
  e.ts = 253402300799999;  // the largest time accepted
  e.slot = 1;
  expect_round_trip(e);
  e.ts = 0;
  expect_round_trip(e);

  DesiredShadow d = sample_desired();
  d.settings = {1, 1, 840, 0};
  d.credentials[0].pin = pin("0000");
  d.credentials[0].schedule = {0x7f, 0, 1440};  // whole days, every day
  d.credentials[0].window = {0, 1};
  expect_round_trip(d);
  d.credentials[0].schedule = {0x01, 1438, 1439};
  d.credentials[0].window = {1, 0};
  d.settings.utc_offset_min = -840;
  expect_round_trip(d);
}

TEST(RoundTrip, FullDesiredShadowFitsItsLimit) {
  DesiredShadow d = largest_desired();
  ASSERT_EQ(d.credentials.size(), kMaxPinSlots);
  expect_round_trip(d);
  EXPECT_LE(encode(d).size(), kMaxDesiredShadowBytes);
}

TEST(RoundTrip, FullReportedShadowFitsItsLimit) {
  ReportedShadow r = largest_reported();
  expect_round_trip(r);
  EXPECT_LE(encode(r).size(), kMaxReportedShadowBytes);
}

TEST(RoundTrip, FullHubLinksFitItsLimit) {
  HubLinks h = largest_links();
  expect_round_trip(h);
  EXPECT_LE(encode(h).size(), kMaxHubLinksBytes);
}

TEST(RoundTrip, ChannelLimitsAreTheDecodersLimits) {
  EXPECT_EQ(max_payload_bytes(Channel::shadow_desired), kMaxDesiredShadowBytes);
  EXPECT_EQ(max_payload_bytes(Channel::shadow_reported), kMaxReportedShadowBytes);
  EXPECT_EQ(max_payload_bytes(Channel::links), kMaxHubLinksBytes);
  EXPECT_EQ(max_payload_bytes(Channel::cmd), kMaxMessageBytes);
  // One byte over a channel's limit is refused by the decoder of that channel's message.
  std::string over(kMaxHubLinksBytes + 1 - kLinksJson.size(), ' ');
  auto refused = decode_hub_links(over + std::string(kLinksJson));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, DecodeErrorCode::too_large);
  EXPECT_TRUE(decode_hub_links(over.substr(1) + std::string(kLinksJson)).ok());
}

TEST(RoundTrip, SmallMessagesAtTheirWidestFitTheCommonLimit) {
  StateReport s = sample_state();
  s.firmware = FirmwareVersion::from("1234567890123456");
  s.battery_mv = 65535;
  EXPECT_LE(encode(s).size(), kMaxMessageBytes);
  DigitalKeyGrant g = sample_grant();
  g.site = DeviceId::from(std::string(32, 's'));
  g.lock = DeviceId::from(std::string(32, 'l'));
  EXPECT_LE(encode(g).size(), kMaxMessageBytes);
  expect_round_trip(g);
}

TEST(RoundTrip, DecodingIgnoresWhitespaceAndKeyOrder) {
  // Other implementations may pretty-print or order keys differently; the meaning is the same.
  auto decoded = decode_status(" {\n  \"status\" : \"offline\",\t\"v\": 1 }\r\n");
  ASSERT_TRUE(decoded.ok()) << decoded.error().message;
  EXPECT_EQ(*decoded, DeviceStatus::offline);
}

TEST(RoundTrip, OptionalFieldsGivenTheirDefaultDecodeAsAbsent) {
  auto decoded = decode_event(
      R"({"v":1,"seq":1,"ts":0,"type":"locked","source":"none","reason":"none","value":0})");
  ASSERT_TRUE(decoded.ok()) << decoded.error().message;
  EXPECT_TRUE(equal(*decoded, [] {
    Event e;
    e.seq = 1;
    e.type = EventType::locked;
    return e;
  }()));
  EXPECT_EQ(encode(*decoded), R"({"v":1,"seq":1,"ts":0,"type":"locked"})");
}

}  // namespace
}  // namespace protocol::test
