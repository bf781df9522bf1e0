#include "server/devices/unregistered_retained.hpp"

namespace server::devices {

void UnregisteredRetained::keep(const protocol::Topic& topic, std::string_view payload) {
  Key key{std::string(topic.site.view()), std::string(topic.device.view())};
  auto& channels = by_device_[key];
  auto [at, added] = channels.try_emplace(topic.channel);
  if (added && count_ >= capacity_) {
    channels.erase(at);
    if (channels.empty()) by_device_.erase(key);
    return;
  }
  if (added) ++count_;
  at->second = {topic, std::string(payload)};
}

std::vector<std::pair<protocol::Topic, std::string>> UnregisteredRetained::take(
    std::string_view site, std::string_view device) {
  std::vector<std::pair<protocol::Topic, std::string>> out;
  auto found = by_device_.find(Key{std::string(site), std::string(device)});
  if (found == by_device_.end()) return out;
  for (auto& [channel, message] : found->second)
    out.push_back(std::move(message));
  count_ -= out.size();
  by_device_.erase(found);
  return out;
}

}  // namespace server::devices
