#include "server/devices/model.hpp"

#include <utility>

namespace server::devices {

lockcore::PinCredential PlacementRecord::credential_on_lock() const {
  lockcore::PinCredential c;
  c.slot = slot;
  c.kind = kind;
  [[maybe_unused]] const bool parsed = lockcore::Pin::parse(pin, c.pin);  // checked when placed
  c.schedule = schedule;
  c.window = window;
  c.max_uses = max_uses;
  return c;
}

std::string Model::key(std::string_view site, std::string_view id) {
  std::string k;
  k.reserve(site.size() + id.size() + 1);
  k.append(site).push_back('/');  // ids never contain '/'
  k.append(id);
  return k;
}

const SiteRecord* Model::site(std::string_view site) const {
  auto it = sites_.find(std::string(site));
  return it == sites_.end() ? nullptr : &it->second;
}

SiteRecord* Model::site(std::string_view site) {
  return const_cast<SiteRecord*>(std::as_const(*this).site(site));
}

LockRecord* Model::lock(std::string_view site, std::string_view lock) {
  auto it = locks_.find(key(site, lock));
  return it == locks_.end() ? nullptr : it->second.get();
}

HubRecord* Model::hub(std::string_view site, std::string_view hub) {
  return const_cast<HubRecord*>(std::as_const(*this).hub(site, hub));
}

const HubRecord* Model::hub(std::string_view site, std::string_view hub) const {
  auto it = hubs_.find(key(site, hub));
  return it == hubs_.end() ? nullptr : it->second.get();
}

SiteRecord& Model::add_site(SiteRecord site) {
  std::string id = site.id;
  return sites_.insert_or_assign(std::move(id), std::move(site)).first->second;
}

LockRecord& Model::add_lock(std::unique_ptr<LockRecord> lock) {
  LockRecord& added = *lock;
  // A record loaded again (start() after add_lock()) replaces the old one everywhere.
  if (auto old = locks_.find(key(added.info.site, added.info.id)); old != locks_.end()) {
    const LockRecord* gone = old->second.get();
    if (auto behind = behind_hub_.find(key(gone->info.site, gone->info.link));
        behind != behind_hub_.end()) {
      std::erase(behind->second, gone);
    }
  }
  if (added.hub_linked()) behind_hub_[key(added.info.site, added.info.link)].push_back(&added);
  locks_[key(added.info.site, added.info.id)] = std::move(lock);
  return added;
}

HubRecord& Model::add_hub(std::unique_ptr<HubRecord> hub) {
  HubRecord& added = *hub;
  hubs_[key(added.info.site, added.info.id)] = std::move(hub);
  return added;
}

const std::vector<LockRecord*>& Model::locks_behind(std::string_view site,
                                                    std::string_view hub) const {
  static const std::vector<LockRecord*> kNone;
  auto it = behind_hub_.find(key(site, hub));
  return it == behind_hub_.end() ? kNone : it->second;
}

std::vector<LockRecord*> Model::locks_of(std::string_view site) const {
  std::vector<LockRecord*> out;
  for (const auto& [k, lock] : locks_) {
    if (lock->info.site == site) out.push_back(lock.get());
  }
  return out;
}

std::vector<LockRecord*> Model::all_locks() const {
  std::vector<LockRecord*> out;
  out.reserve(locks_.size());
  for (const auto& [k, lock] : locks_)
    out.push_back(lock.get());
  return out;
}

std::vector<HubRecord*> Model::hubs_of(std::string_view site) const {
  std::vector<HubRecord*> out;
  for (const auto& [k, hub] : hubs_) {
    if (hub->info.site == site) out.push_back(hub.get());
  }
  return out;
}

}  // namespace server::devices
