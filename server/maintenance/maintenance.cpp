#include "server/maintenance/maintenance.hpp"

namespace server::maintenance {

Result<BatteryTrend> Maintenance::battery_trend(std::string_view actor, std::string_view site,
                                                std::string_view lock) {
  if (auto ok = deps_.access.policy().check(actor, access::Action::view_fleet_health,
                                            {std::string(site), {}, {}}, deps_.scheduler.now());
      !ok)
    return fail(ok.error());
  return signals_.battery_trend(site, lock);
}

}  // namespace server::maintenance
