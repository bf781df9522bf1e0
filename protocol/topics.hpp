#pragma once
// MQTT topics of protocol v1: latchkey/v1/{site}/{device}/{channel} (DESIGN.md section 4).
// One table of channels drives topic building, parsing, the server's subscriptions and the broker
// ACL, so that what a device may publish and what the codec expects can never disagree.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "lockcore/types.hpp"
#include "protocol/decode_error.hpp"

namespace protocol {

inline constexpr std::string_view kTopicRoot = "latchkey/v1/";
inline constexpr int kQos = 1;  // every v1 message

enum class Channel : std::uint8_t {
  status,           // lock/hub ->, retained, also the last will: online / offline
  state,            // lock ->, retained
  event,            // lock ->
  cmd,              // -> lock
  ack,              // lock ->
  shadow_desired,   // -> lock, retained
  shadow_reported,  // lock ->, retained
  links,            // hub ->, retained: the state of each lock link behind the hub
};

enum class Flow : std::uint8_t { from_device, to_device };

struct ChannelInfo {
  Channel channel;
  std::string_view suffix;  // the topic levels after the device id, e.g. "shadow/desired"
  Flow flow;
  bool retained;
  bool lock;  // used by a lock (or by a hub on behalf of a lock behind it)
  bool hub;   // used by a hub for itself
};

// Every channel, in enum order.
std::span<const ChannelInfo> channels();
const ChannelInfo& info(Channel channel);

struct Topic {
  lockcore::DeviceId site;
  lockcore::DeviceId device;  // a lock or a hub
  Channel channel = Channel::status;
  friend bool operator==(const Topic&, const Topic&) = default;
};

// Precondition: site and device are valid ids (lockcore::is_valid_id); checked by assert only, so
// build topics from ids that were validated when they entered the system.
std::string make_topic(std::string_view site, std::string_view device, Channel channel);
std::string make_topic(const Topic& topic);

// Refuses (field in brackets): anything outside the root or with the wrong number of levels
// [bad_topic, ""], an invalid site or device id [bad_id, "site" / "device"], a channel that v1
// does not define [bad_enum, "channel"].
Decoded<Topic> parse_topic(std::string_view topic);

// Subscription filters for the server: every device -> server channel (status, state, event, ack,
// shadow/reported, links) of every site, or of one site. Refuses an invalid site id [bad_id].
std::vector<std::string> server_filters();
Decoded<std::vector<std::string>> server_filters(std::string_view site);

// Broker ACL entries (Mosquitto `topic read|write <topic>`), exact topics without wildcards.
enum class Access : std::uint8_t { read, write };
struct AclEntry {
  std::string topic;
  Access access = Access::read;
  friend bool operator==(const AclEntry&, const AclEntry&) = default;
};

// A lock reads cmd and shadow/desired and writes status, state, event, ack and shadow/reported,
// all under its own id. Refuses an invalid id [bad_id, "site" / "lock"].
Decoded<std::vector<AclEntry>> lock_acl(std::string_view site, std::string_view lock);

// A hub writes its own status and links, and has every entry of each lock behind it (at most
// kMaxHubLinks, what its links message can report). Refuses an invalid id [bad_id, "site" / "hub" /
// "locks[i]"], more than kMaxHubLinks locks [too_many_items, "locks"] and a lock listed twice or
// with the hub's own id [duplicate_item, "locks[i]"].
Decoded<std::vector<AclEntry>> hub_acl(std::string_view site, std::string_view hub,
                                       std::span<const lockcore::DeviceId> locks);

}  // namespace protocol
