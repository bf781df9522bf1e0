// Codec of the shadow: what the server wants on a lock (desired) and what the lock has (reported).
#include "protocol/codec.hpp"
#include "protocol/detail/schema.hpp"

namespace protocol {
namespace detail {

using lockcore::PinCredential;
using lockcore::SlotReport;

template <class Io, Of<PinCredential> S>
void describe(Io& io, S& c) {
  io.field("slot", c.slot, kSlot);
  io.field("kind", c.kind, kEnum);
  io.field("pin", c.pin, kPin);
  schedule(io, c.schedule);
  window(io, c.window, /*required=*/false);
  io.optional("max_uses", c.max_uses, kInt, std::uint16_t{0});
}

template <class Io, Of<lockcore::Settings> S>
void describe(Io& io, S& s) {
  io.field("wrong_code_limit", s.wrong_code_limit, Int{1, 255});
  io.field("wrong_code_disable_s", s.wrong_code_disable_s, Int{1, 255});
  io.field("utc_offset_min", s.utc_offset_min, Int{-840, 840});
  io.field("auto_relock_s", s.auto_relock_s, kInt);
}

template <class Io, Of<lockcore::DesiredShadow> S>
void describe(Io& io, S& d) {
  version(io);
  io.field("version", d.version, kInt);
  io.field("epoch", d.epoch, kInt);
  io.objects("credentials", d.credentials, [](Io& item, auto& c) { describe(item, c); });
  unique(io, "credentials", "slot", d.credentials, [](const PinCredential& c) { return c.slot; });
  io.object("settings", [&](Io& settings) { describe(settings, d.settings); });
  io.values("revoked_keys", d.revoked_keys, kHex);
  unique(io, "revoked_keys", "", d.revoked_keys, [](const lockcore::KeyId& k) { return k; });
  io.field("sig", d.sig, kHex);
}

template <class Io, Of<SlotReport> S>
void describe(Io& io, S& r) {
  io.field("slot", r.slot, kSlot);
  outcome(io, "status", Words{"set", "failed"}, r.error);
}

template <class Io, Of<lockcore::ReportedShadow> S>
void describe(Io& io, S& r) {
  version(io);
  io.field("version", r.version, kInt);
  io.field("epoch", r.epoch, kInt);
  io.field("digest", r.credential_digest, kHex);
  io.objects("slots", r.slots, [](Io& item, auto& slot) { describe(item, slot); });
  unique(io, "slots", "slot", r.slots, [](const SlotReport& s) { return s.slot; });
}

}  // namespace detail

std::string encode(const lockcore::DesiredShadow& shadow) {
  return detail::encode_message(shadow);
}
Decoded<lockcore::DesiredShadow> decode_desired_shadow(std::string_view json,
                                                       const lockcore::DeviceId& site,
                                                       const lockcore::DeviceId& lock) {
  lockcore::DesiredShadow shadow;
  shadow.site = site;
  shadow.lock = lock;
  return detail::decode_message(json, kMaxDesiredShadowBytes, std::move(shadow));
}

std::string encode(const lockcore::ReportedShadow& shadow) {
  return detail::encode_message(shadow);
}
Decoded<lockcore::ReportedShadow> decode_reported_shadow(std::string_view json) {
  return detail::decode_message(json, kMaxReportedShadowBytes, lockcore::ReportedShadow{});
}

}  // namespace protocol
