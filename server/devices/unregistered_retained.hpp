#pragma once
// UnregisteredRetained: what the broker's retained topics (status, state, reported shadow, links)
// said about devices the server has not registered yet. The broker sends a retained message once,
// when the server subscribes; a lock installed and online before the manager registers it would
// otherwise stay unheard (no status, so no pairing) until its next publication. Kept per device
// and channel (the newest wins), bounded: past `capacity` messages new devices are not kept, so
// unknown logins cannot grow the server's memory.

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "protocol/topics.hpp"

namespace server::devices {

class UnregisteredRetained {
 public:
  explicit UnregisteredRetained(std::size_t capacity = 8192) : capacity_(capacity) {}

  void keep(const protocol::Topic& topic, std::string_view payload);
  // The messages kept for (site, device), oldest channel first; forgotten here.
  std::vector<std::pair<protocol::Topic, std::string>> take(std::string_view site,
                                                            std::string_view device);
  std::size_t size() const { return count_; }

 private:
  using Key = std::pair<std::string, std::string>;  // site, device
  std::map<Key, std::map<protocol::Channel, std::pair<protocol::Topic, std::string>>, std::less<>>
      by_device_;
  std::size_t capacity_;
  std::size_t count_ = 0;
};

}  // namespace server::devices
