#pragma once
// The maintenance domain's records: work orders (a job for the on-site team), their kinds and
// statuses, and the battery forecast the manager's fleet page charts.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "lockcore/types.hpp"

namespace server::maintenance {

using lockcore::UnixMs;

// Stable names (the API, scenario `work_order` expectations).
enum class Kind : std::uint8_t {
  door_alignment,  // a lock that jams repeatedly: door, strike and weatherstripping adjustment
  battery,         // low now, or forecast to be empty soon from its discharge trend
  hub,             // a hub offline past its grace period
  lock_hardware,   // a motor or keypad fault the lock reported
};
enum class OrderStatus : std::uint8_t { open, taken, closed };
// What a lock reports as broken (a lock_hardware order).
enum class Fault : std::uint8_t { motor, keypad };

std::string_view to_string(Kind kind);
std::string_view to_string(OrderStatus status);
std::string_view to_string(Fault fault);
std::optional<Kind> kind_from(std::string_view name);
std::optional<OrderStatus> status_from(std::string_view name);

// Whether the order is about a hub (kind hub) rather than a lock (every other kind).
constexpr bool is_about_hub(Kind kind) {
  return kind == Kind::hub;
}

struct WorkOrder {
  std::string id;  // "wo_…"
  std::string site;
  std::string target;  // the lock id, or the hub id for Kind::hub
  Kind kind = Kind::door_alignment;
  OrderStatus status = OrderStatus::open;
  UnixMs opened_at = 0;
  std::string reason;  // the evidence, e.g. "3 jams between … and … (3 or more in 7 days)"
  std::optional<UnixMs> forecast_empty_at;  // battery orders: the day the trend reaches 0 %
  std::optional<std::string> taken_by;      // account id
  std::optional<UnixMs> taken_at;
  std::optional<std::string> closed_by;  // account id
  std::optional<UnixMs> closed_at;
  std::optional<std::string> closed_note;
};

struct ListFilter {
  std::optional<OrderStatus> status;
  std::optional<Kind> kind;
  std::optional<std::string> target;  // one lock or hub
};

// One battery report of a lock.
struct BatterySample {
  UnixMs at = 0;
  int pct = 0;  // 0..100
};

// A least-squares line through a lock's recent samples (battery_forecast.hpp).
struct BatteryForecast {
  double pct_per_day = 0;  // the slope; negative while discharging
  UnixMs empty_at = 0;     // where the line reaches 0 %
};

}  // namespace server::maintenance
