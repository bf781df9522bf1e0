// Codec of the digital key grant, carried over HTTP and Bluetooth rather than MQTT.
#include "protocol/codec.hpp"
#include "protocol/detail/schema.hpp"

namespace protocol {
namespace detail {

template <class Io, Of<lockcore::DigitalKeyGrant> S>
void describe(Io& io, S& g) {
  version(io);
  io.field("id", g.id, kHex);
  io.field("site", g.site, kId);
  io.field("lock", g.lock, kId);
  io.field("holder", g.holder, kHex);
  window(io, g.window, /*required=*/true);
  io.field("epoch", g.epoch, kInt);
  io.field("sig", g.sig, kHex);
}

}  // namespace detail

std::string encode(const lockcore::DigitalKeyGrant& grant) {
  return detail::encode_message(grant);
}
Decoded<lockcore::DigitalKeyGrant> decode_key_grant(std::string_view json) {
  return detail::decode_message(json, kMaxMessageBytes, lockcore::DigitalKeyGrant{});
}

}  // namespace protocol
