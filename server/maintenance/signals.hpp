#pragma once
// Signals: what locks and hubs report, in plain terms, and the rules that turn it into work
// orders. The devices domain calls these (through its observer, after its own change is durable);
// each call is one transaction on this connection, so call it outside any open transaction.
//
//   door_alignment  `jams_for_order` jams of one lock within `jam_window` (3 in 7 days)
//   battery         the latest sample below `battery_low_pct` (20 %), or the least-squares trend
//                   of the samples within `sample_window` (30 days) reaching 0 % within
//                   `battery_horizon` (14 days) of the latest sample (battery_forecast.hpp)
//   hub             a hub offline for `hub_grace` (15 minutes) and not back: a scheduler timer
//                   fires at the end of the grace period, and evaluate() checks every outage
//   lock_hardware   a motor or keypad fault, at once
//
// While an order of that kind for that lock or hub is open or taken, the rules open nothing more.
// Evidence from before the last such order was closed is spent: after a close it takes a new
// burst of jams (or new samples, or a new grace period) to open another.
//
// Every time comes from the injected scheduler (`at` is when the lock says it happened).
// Errors of every call: invalid_field "site", "lock", "hub" (not an id: 1-32 of
// [A-Za-z0-9._-]), "pct" (not 0..100), "mv" (negative); not_found "site" (no such site); the
// store's (internal, unavailable).

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "server/common/error.hpp"
#include "server/maintenance/battery_forecast.hpp"
#include "server/maintenance/deps.hpp"
#include "server/maintenance/work_orders.hpp"

namespace server::maintenance {

inline constexpr UnixMs kDay = 24LL * 3600 * 1000;

struct Rules {
  int jams_for_order = 3;
  UnixMs jam_window = 7 * kDay;
  int battery_low_pct = 20;
  UnixMs battery_horizon = 14 * kDay;
  UnixMs sample_window = 30 * kDay;
  ForecastRules forecast{};
  UnixMs hub_grace = 15LL * 60 * 1000;
};

// What the manager's fleet page charts for one lock: the samples the fit uses (oldest first) and
// the forecast, if there is one.
struct BatteryTrend {
  std::vector<BatterySample> samples;
  std::optional<BatteryForecast> forecast;
};

class Signals {
 public:
  Signals(const Deps& deps, WorkOrders& orders, Rules rules = {});
  // Cancels its timers.
  ~Signals();
  Signals(const Signals&) = delete;
  Signals& operator=(const Signals&) = delete;

  // Each returns the order it opened, or nullopt.
  Result<std::optional<WorkOrder>> on_jam(std::string_view site, std::string_view lock, UnixMs at);
  Result<std::optional<WorkOrder>> on_battery_sample(std::string_view site, std::string_view lock,
                                                     int pct, std::optional<int> mv, UnixMs at);
  Result<std::optional<WorkOrder>> on_hardware_fault(std::string_view site, std::string_view lock,
                                                     Fault fault, UnixMs at);
  // The hub has been offline since `since` (a repeat keeps the first `since`); a timer checks it at
  // the end of the grace period.
  Status on_hub_offline(std::string_view site, std::string_view hub, UnixMs since);
  // The hub is back: its outage is forgotten and its timer cancelled (an order already open stays
  // open: someone should still look at why it went).
  Status on_hub_online(std::string_view site, std::string_view hub);

  // The time-based rules at `now`: opens a hub order for every outage past its grace period.
  // Returns the orders it opened.
  Result<std::vector<WorkOrder>> evaluate(UnixMs now);
  // Arms a timer for every outage stored before a restart (Node calls it once at start).
  Status resume();

  // The fit's samples and forecast for one lock (no actor: see Maintenance::battery_trend).
  Result<BatteryTrend> battery_trend(std::string_view site, std::string_view lock);

 private:
  using Key = std::pair<std::string, std::string>;
  // A lock's samples after its last closed battery order, within sample_window of the newest.
  Result<std::vector<BatterySample>> fit_samples(const std::string& site, const std::string& lock);
  // One transaction: `decide(std::optional<Opening>&)` writes the evidence and sets what to open,
  // if anything (returning a Status); the order
  // is opened in the same transaction and announced after it commits.
  template <class Decide>
  Result<std::optional<WorkOrder>> in_transaction(Decide decide);
  void arm(const Key& hub, UnixMs at);

  const Deps& deps_;
  WorkOrders& orders_;
  Rules rules_;
  std::map<Key, runtime::TimerId> timers_;
};

}  // namespace server::maintenance
