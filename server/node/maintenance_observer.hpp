#pragma once
// What locks and hubs report (the devices domain's Observer), told to maintenance's Signals in its
// plain terms: a jam, a motor or keypad fault (each lock event arrives once: events are
// deduplicated by the lock's sequence), a battery sample whenever a lock's reported battery
// changes, and a hub going offline or coming back. Signals opens the work orders.

#include <map>
#include <string>
#include <utility>

#include "server/devices/observer.hpp"
#include "server/maintenance/signals.hpp"

namespace server {

class MaintenanceObserver final : public devices::Observer {
 public:
  MaintenanceObserver(maintenance::Signals& signals, const runtime::Clock& clock)
      : signals_(signals), clock_(clock) {}

  void on_lock_event(const devices::LockEventInfo& event) override;
  void on_health_change(const devices::LockHealth& health) override;
  void on_hub_health_change(const devices::HubHealth& health) override;

 private:
  using Key = std::pair<std::string, std::string>;
  maintenance::Signals& signals_;
  const runtime::Clock& clock_;
  std::map<Key, std::pair<int, int>> battery_;  // the last sample told, per lock
  std::map<Key, devices::Reachability> hubs_;   // the last reachability told, per hub
};

}  // namespace server
