#pragma once
// server::doors::Doors: a site's locks and hubs as the people of the site use them: the devices
// domain's calls, each behind access's policy, asked with the caller's authenticated account (never
// an id or role the client sent). Anything the caller may not see, another site's ids included,
// is not_found, as an id that exists nowhere is; something visible the caller's role does not
// allow is forbidden.
//
//   locks        view_site; each lock listed only if view_lock_state allows it
//   commission   commission_devices (registers the lock first when it is new)
//   hubs         view_fleet_health; add_hub commission_devices
//   unlock/lock  operate_lock on that door, now (its membership's window and weekly schedule)
//   command      the attempt's requester, or someone who may view_audit at the site
//   battery      view_fleet_health: the lock's samples and maintenance's forecast
//
// Single-threaded, on the thread that runs Devices.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "runtime/clock.hpp"
#include "server/access/access.hpp"
#include "server/common/error.hpp"
#include "server/devices/devices.hpp"
#include "server/maintenance/maintenance.hpp"

namespace server::doors {

using lockcore::UnixMs;

struct LockView {
  devices::LockInfo info;
  devices::LockHealth health;
};

struct HubView {
  devices::HubInfo info;
  devices::HubHealth health;
};

struct NewLock {
  devices::LockSpec spec;  // site is the route's; the rest from the request
};

struct BatteryView {
  std::vector<devices::BatterySample> samples;  // oldest first
  std::optional<maintenance::BatteryForecast> forecast;
};

class Doors {
 public:
  Doors(const runtime::Clock& clock, access::Access& access, devices::Devices& devices,
        maintenance::Maintenance& maintenance)
      : clock_(clock), access_(access), devices_(devices), maintenance_(maintenance) {}

  // Errors: not_found (site), internal.
  Result<std::vector<LockView>> locks(std::string_view actor, std::string_view site);
  // Errors: not_found, forbidden, internal.
  Result<LockView> lock(std::string_view actor, std::string_view site, std::string_view lock);
  // Registers the lock when it is new, then pairs it with its label's code. Errors: not_found
  // (site, or the unit named is not the site's), forbidden; then devices' add_lock() and
  // commission() errors (invalid_field naming the field, conflict, unavailable, timed_out).
  boost::asio::awaitable<Result<LockView>> commission(std::string actor, std::string site,
                                                      devices::LockSpec spec);
  // Errors: not_found, forbidden, internal.
  Result<std::vector<HubView>> hubs(std::string_view actor, std::string_view site);
  // Errors: not_found, forbidden, devices' add_hub() errors.
  Result<HubView> add_hub(std::string_view actor, std::string_view site, devices::HubSpec spec);
  // The action attempt, once the lock answered or the deadline passed (succeeded, failed with the
  // lock's error, timed_out). Errors: not_found, forbidden (outside the schedule included),
  // conflict (not commissioned, or waiting for re-enrollment), unavailable (the lock, its hub or
  // the broker cannot be reached now: never queued; the message says which), internal.
  boost::asio::awaitable<Result<devices::CommandResult>> operate(std::string actor,
                                                                 std::string site, std::string lock,
                                                                 devices::CommandOp op);
  // Errors: not_found (no such attempt, or not the caller's to see), internal.
  Result<devices::CommandResult> command(std::string_view actor, std::string_view site,
                                         std::string_view id);
  // Samples from `from` (default: 30 days back) until now. Errors: not_found, forbidden, internal.
  Result<BatteryView> battery(std::string_view actor, std::string_view site, std::string_view lock,
                              std::optional<UnixMs> from);

 private:
  Status check(std::string_view actor, access::Action action, std::string_view site,
               std::optional<std::string> lock = std::nullopt) const;
  Result<LockView> view(const devices::LockInfo& info);

  const runtime::Clock& clock_;
  access::Access& access_;
  devices::Devices& devices_;
  maintenance::Maintenance& maintenance_;
};

// "account:acc_…": how the devices domain names a person in its rows and audit entries.
std::string requester(std::string_view account);

}  // namespace server::doors
