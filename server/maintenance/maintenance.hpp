#pragma once
// server::maintenance::Maintenance: the maintenance domain as one object, for the composition
// root (Node) and the scenario runner: the rules that open work orders from what locks and hubs
// report (signals()), and the on-site team's work orders (work_orders()).

#include "server/maintenance/deps.hpp"
#include "server/maintenance/signals.hpp"
#include "server/maintenance/work_orders.hpp"

namespace server::maintenance {

class Maintenance {
 public:
  explicit Maintenance(Deps deps, Rules rules = {})
      : deps_(std::move(deps)), orders_(deps_), signals_(deps_, orders_, rules) {}
  Maintenance(const Maintenance&) = delete;
  Maintenance& operator=(const Maintenance&) = delete;

  WorkOrders& work_orders() { return orders_; }
  Signals& signals() { return signals_; }

  // One lock's battery samples and forecast, for the fleet page. Errors: not_found (site not
  // visible), forbidden (access::Action::view_fleet_health), invalid_field "lock", the store's.
  Result<BatteryTrend> battery_trend(std::string_view actor, std::string_view site,
                                     std::string_view lock);

 private:
  Deps deps_;
  WorkOrders orders_;
  Signals signals_;
};

}  // namespace server::maintenance
