#include "protocol/topics.hpp"

#include <array>
#include <cassert>

#include "protocol/messages.hpp"

namespace protocol {
namespace {

using lockcore::is_valid_id;

constexpr std::array<ChannelInfo, 8> kChannels{{
    // channel, suffix, flow, retained, lock, hub
    {Channel::status, "status", Flow::from_device, true, true, true},
    {Channel::state, "state", Flow::from_device, true, true, false},
    {Channel::event, "event", Flow::from_device, false, true, false},
    {Channel::cmd, "cmd", Flow::to_device, false, true, false},
    {Channel::ack, "ack", Flow::from_device, false, true, false},
    {Channel::shadow_desired, "shadow/desired", Flow::to_device, true, true, false},
    {Channel::shadow_reported, "shadow/reported", Flow::from_device, true, true, false},
    {Channel::links, "links", Flow::from_device, true, false, true},
}};

constexpr bool table_in_enum_order() {
  for (std::size_t i = 0; i < kChannels.size(); ++i) {
    if (static_cast<std::size_t>(kChannels[i].channel) != i) return false;
  }
  return true;
}
static_assert(table_in_enum_order());

constexpr std::string_view kIdRule = "must be 1–32 characters of [A-Za-z0-9._-]";

DecodeError bad_id(std::string field) {
  return make_decode_error(DecodeErrorCode::bad_id, std::move(field), kIdRule);
}

DecodeError bad_shape() {
  return make_decode_error(DecodeErrorCode::bad_topic, "",
                           "topic must be latchkey/v1/{site}/{device}/{channel}");
}

Access access_for(const ChannelInfo& c) {
  return c.flow == Flow::from_device ? Access::write : Access::read;
}

// Every channel `used` selects, under one device's topic prefix.
template <class Used>
void append_acl(std::vector<AclEntry>& acl, std::string_view site, std::string_view device,
                Used used) {
  for (const ChannelInfo& c : kChannels) {
    if (used(c)) acl.push_back({make_topic(site, device, c.channel), access_for(c)});
  }
}

std::vector<std::string> filters_under(std::string_view site_level) {
  std::vector<std::string> filters;
  for (const ChannelInfo& c : kChannels) {
    if (c.flow == Flow::from_device) filters.push_back(make_topic(site_level, "+", c.channel));
  }
  return filters;
}

}  // namespace

std::span<const ChannelInfo> channels() {
  return kChannels;
}

const ChannelInfo& info(Channel channel) {
  return kChannels[static_cast<std::size_t>(channel)];
}

std::string make_topic(std::string_view site, std::string_view device, Channel channel) {
  std::string_view suffix = info(channel).suffix;
  std::string topic;
  topic.reserve(kTopicRoot.size() + site.size() + device.size() + suffix.size() + 2);
  topic.append(kTopicRoot).append(site).append("/").append(device).append("/").append(suffix);
  return topic;
}

std::string make_topic(const Topic& topic) {
  assert(is_valid_id(topic.site.view()) && is_valid_id(topic.device.view()));
  return make_topic(topic.site.view(), topic.device.view(), topic.channel);
}

Decoded<Topic> parse_topic(std::string_view text) {
  if (!text.starts_with(kTopicRoot)) return lockcore::fail(bad_shape());
  std::string_view rest = text.substr(kTopicRoot.size());
  std::size_t site_end = rest.find('/');
  std::size_t device_end =
      site_end == std::string_view::npos ? site_end : rest.find('/', site_end + 1);
  if (device_end == std::string_view::npos) return lockcore::fail(bad_shape());
  std::string_view site = rest.substr(0, site_end);
  std::string_view device = rest.substr(site_end + 1, device_end - site_end - 1);
  std::string_view suffix = rest.substr(device_end + 1);
  if (!is_valid_id(site)) return lockcore::fail(bad_id("site"));
  if (!is_valid_id(device)) return lockcore::fail(bad_id("device"));
  for (const ChannelInfo& c : kChannels) {
    if (c.suffix == suffix) {
      return Topic{lockcore::DeviceId::from(site), lockcore::DeviceId::from(device), c.channel};
    }
  }
  return lockcore::fail(make_decode_error(
      DecodeErrorCode::bad_enum, "channel",
      "must be one of status, state, event, cmd, ack, shadow/desired, shadow/reported, links"));
}

std::vector<std::string> server_filters() {
  return filters_under("+");
}

Decoded<std::vector<std::string>> server_filters(std::string_view site) {
  if (!is_valid_id(site)) return lockcore::fail(bad_id("site"));
  return filters_under(site);
}

Decoded<std::vector<AclEntry>> lock_acl(std::string_view site, std::string_view lock) {
  if (!is_valid_id(site)) return lockcore::fail(bad_id("site"));
  if (!is_valid_id(lock)) return lockcore::fail(bad_id("lock"));
  std::vector<AclEntry> acl;
  append_acl(acl, site, lock, [](const ChannelInfo& c) { return c.lock; });
  return acl;
}

Decoded<std::vector<AclEntry>> hub_acl(std::string_view site, std::string_view hub,
                                       std::span<const lockcore::DeviceId> locks) {
  if (!is_valid_id(site)) return lockcore::fail(bad_id("site"));
  if (!is_valid_id(hub)) return lockcore::fail(bad_id("hub"));
  if (locks.size() > kMaxHubLinks) {
    return lockcore::fail(make_decode_error(DecodeErrorCode::too_many_items, "locks",
                                            "must list at most 64 locks (kMaxHubLinks)"));
  }
  std::vector<AclEntry> acl;
  append_acl(acl, site, hub, [](const ChannelInfo& c) { return c.hub; });
  for (std::size_t i = 0; i < locks.size(); ++i) {
    std::string field = "locks[" + std::to_string(i) + "]";
    if (!is_valid_id(locks[i].view())) return lockcore::fail(bad_id(std::move(field)));
    bool repeated = locks[i].view() == hub;
    for (std::size_t j = 0; j < i; ++j)
      repeated = repeated || locks[j] == locks[i];
    if (repeated) {
      return lockcore::fail(make_decode_error(DecodeErrorCode::duplicate_item, std::move(field),
                                              "is listed twice, or is the hub's own id"));
    }
    append_acl(acl, site, locks[i].view(), [](const ChannelInfo& c) { return c.lock; });
  }
  return acl;
}

}  // namespace protocol
