#pragma once
// One example of every v1 message, its exact encoding (the golden bytes, also shown in
// docs/protocol.md), and helpers shared by the protocol tests.

#include <array>
#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>

#include <gtest/gtest.h>

#include "lockcore/messages.hpp"
#include "protocol/codec.hpp"
#include "protocol/decode_error.hpp"
#include "protocol/equal.hpp"
#include "protocol/messages.hpp"

namespace protocol {
inline void PrintTo(DecodeErrorCode code, std::ostream* os) {
  *os << to_string(code);
}
}  // namespace protocol

namespace protocol::test {

using lockcore::DeviceId;

// Bytes start, start+1, ... so that hex fields are easy to read in the golden JSON.
template <std::size_t N>
std::array<std::uint8_t, N> counting(std::uint8_t start) {
  std::array<std::uint8_t, N> bytes{};
  for (std::size_t i = 0; i < N; ++i)
    bytes[i] = static_cast<std::uint8_t>(start + i);
  return bytes;
}

inline lockcore::Pin pin(std::string_view digits) {
  lockcore::Pin p;
  EXPECT_TRUE(lockcore::Pin::parse(digits, p)) << digits;
  return p;
}

constexpr lockcore::UnixMs kT0 = 1700000000000;  // 2023-11-14T22:13:20Z

inline const DeviceId kSite = DeviceId::from("s1");
inline const DeviceId kLock = DeviceId::from("front-door");

// ---- the examples ----

inline lockcore::StateReport sample_state() {
  lockcore::StateReport s;
  s.bolt = lockcore::BoltState::locked;
  s.door = lockcore::DoorState::closed;
  s.keypad = lockcore::KeypadState::ok;
  s.battery_pct = 80;
  s.battery_mv = 5600;
  s.rssi = -60;
  s.firmware = lockcore::FirmwareVersion::from("2.4.1");
  s.epoch = 123;
  s.event_seq = 42;
  s.paired = true;
  s.motor_fault = false;
  s.pairing_key = counting<32>(0x00);
  return s;
}
inline constexpr std::string_view kStateJson =
    R"({"v":1,"bolt":"locked","door":"closed","keypad":"ok","battery":{"pct":80,"mv":5600},)"
    R"("rssi":-60,"firmware":"2.4.1","epoch":123,"seq":42,"paired":true,"motor_fault":false,)"
    R"("pairing_key":"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"})";

inline lockcore::Event sample_event() {
  lockcore::Event e;
  e.seq = 42;
  e.ts = kT0;
  e.type = lockcore::EventType::unlocked;
  e.source = lockcore::AccessSource::keypad;
  e.slot = 3;
  return e;
}
inline constexpr std::string_view kEventJson =
    R"({"v":1,"seq":42,"ts":1700000000000,"type":"unlocked","source":"keypad","slot":3})";

// Every optional field present.
inline lockcore::Event sample_full_event() {
  lockcore::Event e;
  e.seq = 43;
  e.ts = kT0 + 1;
  e.type = lockcore::EventType::unlock_denied;
  e.source = lockcore::AccessSource::bluetooth;
  e.reason = lockcore::DenyReason::key_revoked;
  e.slot = 250;
  e.value = 4294967295u;
  e.key = counting<8>(0x10);
  return e;
}
inline constexpr std::string_view kFullEventJson =
    R"({"v":1,"seq":43,"ts":1700000000001,"type":"unlock_denied","source":"bluetooth",)"
    R"("reason":"key_revoked","slot":250,"value":4294967295,"key":"1011121314151617"})";

inline lockcore::Command sample_command() {
  lockcore::Command c;
  c.site = kSite;
  c.lock = kLock;
  c.id = counting<16>(0x20);
  c.op = lockcore::CommandOp::unlock;
  c.issued = kT0;
  c.expires = kT0 + 30000;
  c.sig = counting<64>(0x40);
  return c;
}
inline constexpr std::string_view kCommandJson =
    R"({"v":1,"id":"202122232425262728292a2b2c2d2e2f","op":"unlock","args":{},)"
    R"("issued":1700000000000,"expires":1700000030000,"sig":"404142434445464748494a4b4c4d4e4f)"
    R"(505152535455565758595a5b5c5d5e5f606162636465666768696a6b6c6d6e6f707172737475767778797a7b7c)"
    R"(7d7e7f"})";

inline lockcore::Command sample_pair_command() {
  lockcore::Command c = sample_command();
  c.op = lockcore::CommandOp::pair;
  c.pair.site_key = counting<32>(0x60);
  c.pair.server_kx = counting<32>(0x80);
  c.pair.epoch = 5;
  return c;
}
inline constexpr std::string_view kPairCommandJson =
    R"({"v":1,"id":"202122232425262728292a2b2c2d2e2f","op":"pair","args":{"site_key":)"
    R"("606162636465666768696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f","server_kx":)"
    R"("808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f","epoch":5},)"
    R"("issued":1700000000000,"expires":1700000030000,"sig":"404142434445464748494a4b4c4d4e4f)"
    R"(505152535455565758595a5b5c5d5e5f606162636465666768696a6b6c6d6e6f707172737475767778797a7b7c)"
    R"(7d7e7f"})";

inline lockcore::Command sample_events_ack_command() {
  lockcore::Command c = sample_command();
  c.op = lockcore::CommandOp::events_ack;
  c.upto = 41;
  return c;
}
inline constexpr std::string_view kEventsAckArgs = R"("args":{"upto":41})";

inline lockcore::CommandAck sample_ack() {
  lockcore::CommandAck a;
  a.id = counting<16>(0x20);
  a.error = lockcore::LockError::jammed;
  a.bolt = lockcore::BoltState::jammed;
  return a;
}
inline constexpr std::string_view kAckJson =
    R"({"v":1,"id":"202122232425262728292a2b2c2d2e2f","result":"error","error":"jammed",)"
    R"("bolt":"jammed"})";
inline constexpr std::string_view kOkAckJson =
    R"({"v":1,"id":"202122232425262728292a2b2c2d2e2f","result":"ok","bolt":"unlocked"})";

inline lockcore::DesiredShadow sample_desired() {
  lockcore::DesiredShadow d;
  d.site = kSite;
  d.lock = kLock;
  d.version = 7;
  d.epoch = 123;
  lockcore::PinCredential resident;
  resident.slot = 1;
  resident.kind = lockcore::CredentialKind::pin;
  resident.pin = pin("4831");
  resident.schedule = {0b0011111, 8 * 60, 17 * 60};  // mo..fr 08:00-17:00
  resident.window = {kT0, kT0 + 86400000};
  resident.max_uses = 10;
  lockcore::PinCredential backup;
  backup.slot = 2;
  backup.kind = lockcore::CredentialKind::backup;
  backup.pin = pin("12345678");
  EXPECT_TRUE(d.credentials.push_back(resident));
  EXPECT_TRUE(d.credentials.push_back(backup));
  d.settings = {5, 60, -300, 30};
  EXPECT_TRUE(d.revoked_keys.push_back(counting<8>(0x10)));
  d.sig = counting<64>(0x40);
  return d;
}
inline constexpr std::string_view kDesiredJson =
    R"({"v":1,"version":7,"epoch":123,"credentials":[{"slot":1,"kind":"pin","pin":"4831",)"
    R"("schedule":{"days":["mo","tu","we","th","fr"],"start":"08:00","end":"17:00"},)"
    R"("not_before":1700000000000,"not_after":1700086400000,"max_uses":10},)"
    R"({"slot":2,"kind":"backup","pin":"12345678"}],"settings":{"wrong_code_limit":5,)"
    R"("wrong_code_disable_s":60,"utc_offset_min":-300,"auto_relock_s":30},)"
    R"("revoked_keys":["1011121314151617"],"sig":"404142434445464748494a4b4c4d4e4f)"
    R"(505152535455565758595a5b5c5d5e5f606162636465666768696a6b6c6d6e6f707172737475767778797a7b7c)"
    R"(7d7e7f"})";

inline lockcore::ReportedShadow sample_reported() {
  lockcore::ReportedShadow r;
  r.version = 7;
  r.epoch = 123;
  r.credential_digest = counting<16>(0xa0);
  EXPECT_TRUE(r.slots.push_back({1, lockcore::SlotError::none}));
  EXPECT_TRUE(r.slots.push_back({2, lockcore::SlotError::duplicate_pin}));
  return r;
}
inline constexpr std::string_view kReportedJson =
    R"({"v":1,"version":7,"epoch":123,"digest":"a0a1a2a3a4a5a6a7a8a9aaabacadaeaf","slots":)"
    R"([{"slot":1,"status":"set"},{"slot":2,"status":"failed","error":"duplicate_pin"}]})";

inline HubLinks sample_links() {
  HubLinks h;
  EXPECT_TRUE(h.links.push_back({DeviceId::from("a3"), true, -70}));
  EXPECT_TRUE(h.links.push_back({DeviceId::from("b7"), false, -128}));
  return h;
}
inline constexpr std::string_view kLinksJson =
    R"({"v":1,"links":[{"lock":"a3","up":true,"rssi":-70},{"lock":"b7","up":false,"rssi":-128}]})";

inline lockcore::DigitalKeyGrant sample_grant() {
  lockcore::DigitalKeyGrant g;
  g.id = counting<8>(0x10);
  g.site = kSite;
  g.lock = kLock;
  g.holder = counting<32>(0xc0);
  g.window = {kT0, kT0 + 86400000};
  g.epoch = 123;
  g.sig = counting<64>(0x40);
  return g;
}
inline constexpr std::string_view kGrantJson =
    R"({"v":1,"id":"1011121314151617","site":"s1","lock":"front-door","holder":)"
    R"("c0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3d4d5d6d7d8d9dadbdcdddedf",)"
    R"("not_before":1700000000000,"not_after":1700086400000,"epoch":123,)"
    R"("sig":"404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f606162636465666768)"
    R"(696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f"})";

inline constexpr std::string_view kStatusJson = R"({"v":1,"status":"online"})";

// ---- helpers ----

// The decoder for the type of `like` (cmd and shadow/desired take site and lock from it, as the
// caller would from the topic).
inline Decoded<DeviceStatus> decode_like(std::string_view j, DeviceStatus) {
  return decode_status(j);
}
inline Decoded<lockcore::StateReport> decode_like(std::string_view j,
                                                  const lockcore::StateReport&) {
  return decode_state(j);
}
inline Decoded<lockcore::Event> decode_like(std::string_view j, const lockcore::Event&) {
  return decode_event(j);
}
inline Decoded<lockcore::Command> decode_like(std::string_view j, const lockcore::Command& like) {
  return decode_command(j, like.site, like.lock);
}
inline Decoded<lockcore::CommandAck> decode_like(std::string_view j, const lockcore::CommandAck&) {
  return decode_ack(j);
}
inline Decoded<lockcore::DesiredShadow> decode_like(std::string_view j,
                                                    const lockcore::DesiredShadow& like) {
  return decode_desired_shadow(j, like.site, like.lock);
}
inline Decoded<lockcore::ReportedShadow> decode_like(std::string_view j,
                                                     const lockcore::ReportedShadow&) {
  return decode_reported_shadow(j);
}
inline Decoded<HubLinks> decode_like(std::string_view j, const HubLinks&) {
  return decode_hub_links(j);
}
inline Decoded<lockcore::DigitalKeyGrant> decode_like(std::string_view j,
                                                      const lockcore::DigitalKeyGrant&) {
  return decode_key_grant(j);
}

// encode -> decode gives the original back, and encoding that gives the same bytes.
template <class T>
void expect_round_trip(const T& message) {
  std::string json = encode(message);
  auto decoded = decode_like(json, message);
  ASSERT_TRUE(decoded.ok()) << decoded.error().message << "\n" << json;
  EXPECT_TRUE(equal(*decoded, message)) << json;
  EXPECT_EQ(encode(*decoded), json);
}

// The largest message of each type the protocol allows (every field at its widest).
lockcore::DesiredShadow largest_desired();
lockcore::ReportedShadow largest_reported();
HubLinks largest_links();

}  // namespace protocol::test
