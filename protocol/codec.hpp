#pragma once
// JSON encoding and strict decoding of every v1 message (docs/protocol.md has the exact shapes).
// One codec for the simulator, the server and the tests.
//
// Encoders write compact JSON with a fixed key order: equal messages give equal bytes, so retained
// messages compare equal. They expect a message the decoder would accept (valid ids and PINs,
// fields in range) and do not check it: an invalid one still becomes JSON, but need
// not survive a round trip: the decoder may refuse it (slot 0, an empty PIN) or the encoding may
// drop what v1 cannot express (days_mask bit 7, the args of another op).
//
// Decoders accept only what v1 defines and refuse everything else with a DecodeError naming the
// field's JSON path. They never throw, and hand back a message only when all of it was accepted.
// Every decoder refuses: a payload over its size limit [too_large], anything but one JSON object
// [malformed / wrong_type], nesting deeper than 8 [too_deep], an object with more than 32 keys
// [too_many_items], a key twice in one object
// [duplicate_field], an unknown key [unknown_field], a missing required key [missing_field],
// "v" other than 1 [unsupported_version], a value of the wrong JSON type [wrong_type: 1.5, "1" or
// true for an integer], an integer outside its field's range [out_of_range], a name outside its
// enum [bad_enum], hex of the wrong length or not lowercase [bad_hex], more list items than the
// fixed capacity [too_many_items] and a repeated item in a list that is a set [duplicate_item].
// Message-specific refusals are listed at each decoder.

#include <cstddef>
#include <string>
#include <string_view>

#include "lockcore/messages.hpp"
#include "protocol/decode_error.hpp"
#include "protocol/messages.hpp"
#include "protocol/topics.hpp"

namespace protocol {

// Payload size limits: each is above the largest valid message of its type (pinned by tests).
inline constexpr std::size_t kMaxMessageBytes = 4 * 1024;          // every type not listed below
inline constexpr std::size_t kMaxHubLinksBytes = 8 * 1024;         // 64 links
inline constexpr std::size_t kMaxReportedShadowBytes = 16 * 1024;  // 250 slot reports
inline constexpr std::size_t kMaxDesiredShadowBytes = 64 * 1024;   // 250 credentials

// The limit of the message carried on `channel`, for a transport that drops oversized payloads
// before decoding (the decoders enforce the same limits themselves).
std::size_t max_payload_bytes(Channel channel);

// ---- status (lock/hub ->) ---------------------------------------------------------------------
std::string encode(DeviceStatus status);
Decoded<DeviceStatus> decode_status(std::string_view json);

// ---- state (lock ->) --------------------------------------------------------------------------
// Also refuses: battery.pct over 100, rssi outside -128..127, firmware not 1–16 characters of
// [A-Za-z0-9._+-] [bad_text].
std::string encode(const lockcore::StateReport& state);
Decoded<lockcore::StateReport> decode_state(std::string_view json);

// ---- event (lock ->) --------------------------------------------------------------------------
// source, reason, slot, value and key are written only when not their default (none / 0 / zero
// bytes). Also refuses: slot outside 1..250, ts outside 0..kMaxUnixMs.
std::string encode(const lockcore::Event& event);
Decoded<lockcore::Event> decode_event(std::string_view json);

// ---- cmd (-> lock) ----------------------------------------------------------------------------
// The site and lock are the topic's, not the payload's: decode takes them from the parsed topic.
// args must hold exactly the op's arguments: {} for unlock and lock, {"upto"} for events_ack,
// {"site_key","server_kx","epoch"} for pair. Fields of other ops are not encoded.
std::string encode(const lockcore::Command& command);
Decoded<lockcore::Command> decode_command(std::string_view json, const lockcore::DeviceId& site,
                                          const lockcore::DeviceId& lock);

// ---- ack (lock ->) ----------------------------------------------------------------------------
// Also refuses: "result":"error" without "error" [missing_field, "error"], "error" with
// "result":"ok" or "error":"none" [inconsistent, "error"].
std::string encode(const lockcore::CommandAck& ack);
Decoded<lockcore::CommandAck> decode_ack(std::string_view json);

// ---- shadow/desired (-> lock) -----------------------------------------------------------------
// The site and lock come from the topic, as for cmd. Also refuses: a slot outside 1..250 or used
// twice [duplicate_item, "credentials[i].slot"], a PIN not 4–8 digits [bad_pin], a schedule with
// no or repeated days, times not HH:MM [bad_time] or start >= end [inconsistent,
// "credentials[i].schedule.end"], not_before >= not_after [inconsistent], settings out of range
// (wrong_code_limit and wrong_code_disable_s 1..255, utc_offset_min -840..840), a revoked key id
// listed twice.
std::string encode(const lockcore::DesiredShadow& shadow);
Decoded<lockcore::DesiredShadow> decode_desired_shadow(std::string_view json,
                                                       const lockcore::DeviceId& site,
                                                       const lockcore::DeviceId& lock);

// ---- shadow/reported (lock ->) ----------------------------------------------------------------
// Also refuses: a slot outside 1..250 or reported twice, "status":"failed" without "error"
// [missing_field], "error" with "status":"set" or "error":"none" [inconsistent].
std::string encode(const lockcore::ReportedShadow& shadow);
Decoded<lockcore::ReportedShadow> decode_reported_shadow(std::string_view json);

// ---- links (hub ->) ---------------------------------------------------------------------------
// Also refuses: an invalid lock id [bad_id], a lock listed twice [duplicate_item, "links[i].lock"].
std::string encode(const HubLinks& links);
Decoded<HubLinks> decode_hub_links(std::string_view json);

// ---- digital key grant (HTTP / Bluetooth, not MQTT) -------------------------------------------
// Also refuses: invalid site or lock ids [bad_id], not_before >= not_after when both are set
// [inconsistent, "not_after"].
std::string encode(const lockcore::DigitalKeyGrant& grant);
Decoded<lockcore::DigitalKeyGrant> decode_key_grant(std::string_view json);

}  // namespace protocol
