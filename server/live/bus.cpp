#include "server/live/bus.hpp"

#include <vector>

namespace server::live {

struct Bus::Subscription::Registry {
  struct Entry {
    std::string site;
    std::shared_ptr<Handler> handler;
  };
  std::map<std::uint64_t, Entry> entries;  // ordered by id: the order of subscription
  std::uint64_t next_id = 1;
};

void Bus::Subscription::reset() {
  if (auto registry = registry_.lock()) registry->entries.erase(id_);
  registry_.reset();
}

Bus::Bus() : registry_(std::make_shared<Subscription::Registry>()) {}

Bus::Subscription Bus::subscribe(std::string site, Handler handler) {
  const std::uint64_t id = registry_->next_id++;
  registry_->entries.emplace(
      id, Subscription::Registry::Entry{std::move(site),
                                        std::make_shared<Handler>(std::move(handler))});
  return Subscription(registry_, id);
}

void Bus::publish(const Update& update) {
  // Snapshot the ids first: handlers may change the registry while we call them.
  std::vector<std::uint64_t> ids;
  ids.reserve(registry_->entries.size());
  for (const auto& [id, entry] : registry_->entries) {
    if (entry.site.empty() || entry.site == update.site) ids.push_back(id);
  }
  for (std::uint64_t id : ids) {
    auto it = registry_->entries.find(id);
    if (it == registry_->entries.end()) continue;
    std::shared_ptr<Handler> handler = it->second.handler;  // keeps it alive through the call
    (*handler)(update);
  }
}

std::size_t Bus::subscribers() const {
  return registry_->entries.size();
}

}  // namespace server::live
