#include "server/node/maintenance_observer.hpp"

#include <spdlog/spdlog.h>

namespace server {

namespace {

template <class T>
void log_failure(const Result<T>& r, std::string_view what, std::string_view site,
                 std::string_view id) {
  if (!r) spdlog::error("maintenance: {} of {}/{}: {}", what, site, id, r.error().message);
}

}  // namespace

void MaintenanceObserver::on_lock_event(const devices::LockEventInfo& e) {
  using lockcore::EventType;
  switch (e.event.type) {
    case EventType::jammed:
      log_failure(signals_.on_jam(e.site, e.lock, e.event.ts), "jam", e.site, e.lock);
      break;
    case EventType::motor_fault:
      log_failure(signals_.on_hardware_fault(e.site, e.lock, maintenance::Fault::motor, e.event.ts),
                  "motor fault", e.site, e.lock);
      break;
    case EventType::keypad_fault:
      log_failure(
          signals_.on_hardware_fault(e.site, e.lock, maintenance::Fault::keypad, e.event.ts),
          "keypad fault", e.site, e.lock);
      break;
    default:
      break;
  }
}

void MaintenanceObserver::on_health_change(const devices::LockHealth& h) {
  if (!h.has_state) return;
  const std::pair<int, int> sample{h.battery_pct, h.battery_mv};
  auto [it, inserted] = battery_.try_emplace({h.site, h.lock}, sample);
  if (!inserted && it->second == sample) return;
  it->second = sample;
  log_failure(signals_.on_battery_sample(h.site, h.lock, h.battery_pct, h.battery_mv, clock_.now()),
              "battery sample", h.site, h.lock);
}

void MaintenanceObserver::on_hub_health_change(const devices::HubHealth& h) {
  auto& last = hubs_[{h.site, h.hub}];
  if (last == h.reachability) return;
  last = h.reachability;
  if (h.reachability == devices::Reachability::offline) {
    log_failure(
        signals_.on_hub_offline(h.site, h.hub, h.last_seen != 0 ? h.last_seen : clock_.now()),
        "hub offline", h.site, h.hub);
  } else if (h.reachability == devices::Reachability::online) {
    log_failure(signals_.on_hub_online(h.site, h.hub), "hub online", h.site, h.hub);
  }
}

}  // namespace server
