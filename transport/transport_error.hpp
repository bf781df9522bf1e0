#pragma once
// What an MQTT client call can fail with. Every call that touches the broker reports one of these
// as a value (lockcore::Result), never by throwing.

#include <cstdint>
#include <string_view>

namespace transport {

enum class TransportError : std::uint8_t {
  not_connected,      // no accepted broker connection right now; nothing was queued
  payload_too_large,  // above ClientOptions::max_payload_bytes (or MQTT's own limit)
  invalid_topic,      // empty, not UTF-8, or wildcards where a topic name is required
  invalid_argument,   // QoS outside 0..2, or an option libmosquitto refused
  refused,            // the broker announced it will not accept this (e.g. QoS above its maximum)
  connection_lost,    // the socket failed while sending; the client reconnects by itself. A QoS 1
                      // message was still handed over: libmosquitto retransmits it after the
                      // reconnection and its PublishAck comes then.
  no_memory,
  internal,  // libmosquitto returned something this wrapper does not expect
};

std::string_view to_string(TransportError error);

}  // namespace transport
