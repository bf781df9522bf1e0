// Codec of what locks and hubs report about themselves: status, state, event and hub links.
#include "protocol/codec.hpp"
#include "protocol/detail/schema.hpp"

namespace protocol {
namespace detail {

using lockcore::AccessSource;
using lockcore::DenyReason;

template <class Io, Of<DeviceStatus> S>
void describe(Io& io, S& status) {
  version(io);
  io.field("status", status, kEnum);
}

template <class Io, Of<lockcore::StateReport> S>
void describe(Io& io, S& s) {
  version(io);
  io.field("bolt", s.bolt, kEnum);
  io.field("door", s.door, kEnum);
  io.field("keypad", s.keypad, kEnum);
  io.object("battery", [&](Io& battery) {
    battery.field("pct", s.battery_pct, Int{0, 100});
    battery.field("mv", s.battery_mv, kInt);
  });
  io.field("rssi", s.rssi, kInt);
  io.field("firmware", s.firmware, kFirmware);
  io.field("epoch", s.epoch, kInt);
  io.field("seq", s.event_seq, kInt);
  io.field("paired", s.paired, kBool);
  io.field("motor_fault", s.motor_fault, kBool);
  io.field("pairing_key", s.pairing_key, kHex);
}

template <class Io, Of<lockcore::Event> S>
void describe(Io& io, S& e) {
  version(io);
  io.field("seq", e.seq, kInt);
  io.field("ts", e.ts, kMs);
  io.field("type", e.type, kEnum);
  io.optional("source", e.source, kEnum, AccessSource::none);
  io.optional("reason", e.reason, kEnum, DenyReason::none);
  io.optional("slot", e.slot, kSlot, std::uint16_t{0});
  io.optional("value", e.value, kInt, std::uint32_t{0});
  io.optional("key", e.key, kHex, lockcore::KeyId{});
}

template <class Io, Of<HubLink> S>
void describe(Io& io, S& link) {
  io.field("lock", link.lock, kId);
  io.field("up", link.up, kBool);
  io.field("rssi", link.rssi, kInt);
}

template <class Io, Of<HubLinks> S>
void describe(Io& io, S& hub) {
  version(io);
  io.objects("links", hub.links, [](Io& item, auto& link) { describe(item, link); });
  unique(io, "links", "lock", hub.links, [](const HubLink& link) { return link.lock.view(); });
}

}  // namespace detail

std::size_t max_payload_bytes(Channel channel) {
  switch (channel) {
    case Channel::shadow_desired:
      return kMaxDesiredShadowBytes;
    case Channel::shadow_reported:
      return kMaxReportedShadowBytes;
    case Channel::links:
      return kMaxHubLinksBytes;
    default:
      return kMaxMessageBytes;
  }
}

std::string encode(DeviceStatus status) {
  return detail::encode_message(status);
}
Decoded<DeviceStatus> decode_status(std::string_view json) {
  return detail::decode_message(json, kMaxMessageBytes, DeviceStatus::offline);
}

std::string encode(const lockcore::StateReport& state) {
  return detail::encode_message(state);
}
Decoded<lockcore::StateReport> decode_state(std::string_view json) {
  return detail::decode_message(json, kMaxMessageBytes, lockcore::StateReport{});
}

std::string encode(const lockcore::Event& event) {
  return detail::encode_message(event);
}
Decoded<lockcore::Event> decode_event(std::string_view json) {
  return detail::decode_message(json, kMaxMessageBytes, lockcore::Event{});
}

std::string encode(const HubLinks& links) {
  return detail::encode_message(links);
}
Decoded<HubLinks> decode_hub_links(std::string_view json) {
  return detail::decode_message(json, kMaxHubLinksBytes, HubLinks{});
}

}  // namespace protocol
