#include "server/maintenance/signals.hpp"

#include <algorithm>
#include <ctime>

#include <fmt/chrono.h>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "lockcore/types.hpp"
#include "server/maintenance/lift.hpp"
#include "server/store/map_rows.hpp"

namespace server::maintenance {

namespace {

// A write of evidence: a site that does not exist is the caller's not_found.
Status write(store::Database& db, std::string_view sql, const store::Params& params) {
  auto done = db.execute(sql, params);
  if (done) return {};
  if (done.error().code == store::Errc::foreign_key_violation)
    return fail(Error(Errc::not_found, "no such site", "site"));
  return fail(Error::from_store(done.error()));
}

Status check_ids(std::string_view site, std::string_view field, std::string_view id) {
  for (const auto& [name, value] : {std::pair{std::string_view("site"), site}, {field, id}})
    if (!lockcore::is_valid_id(value))
      return fail(Error::invalid_field(name, "must be 1-32 of A-Z, a-z, 0-9, '.', '_', '-'"));
  return {};
}

// "2024-01-15 12:00 UTC": how evidence names a moment.
std::string when(UnixMs at) {
  const auto seconds = static_cast<std::time_t>(at / 1000);
  return fmt::format("{:%Y-%m-%d %H:%M} UTC", fmt::gmtime(seconds));
}

store::Result<std::pair<std::string, std::string>> key_of(const store::Row& row) {
  auto site = row.text(0);
  auto target = row.text(1);
  if (!site) return lockcore::fail(site.error());
  if (!target) return lockcore::fail(target.error());
  return std::pair{std::string(*site), std::string(*target)};
}

struct Outage {
  std::string site;
  std::string hub;
  UnixMs since = 0;
};

Result<std::vector<Outage>> outages(store::Database& db, UnixMs since_at_most) {
  return lift(store::map_rows(
      db.query("SELECT site, hub, since FROM maintenance_hub_outages WHERE since <= ? "
               "ORDER BY site, hub",
               {since_at_most}),
      [](const store::Row& row) -> store::Result<Outage> {
        auto key = key_of(row);
        auto since = row.int64(2);
        if (!key) return lockcore::fail(key.error());
        if (!since) return lockcore::fail(since.error());
        return Outage{key->first, key->second, *since};
      }));
}

}  // namespace

Signals::Signals(const Deps& deps, WorkOrders& orders, Rules rules)
    : deps_(deps), orders_(orders), rules_(rules) {}

Signals::~Signals() {
  for (const auto& [key, id] : timers_)
    deps_.scheduler.cancel(id);
}

template <class Decide>
Result<std::optional<WorkOrder>> Signals::in_transaction(Decide decide) {
  auto tx = lift(deps_.db.begin());
  if (!tx) return fail(tx.error());
  std::optional<Opening> opening;
  if (auto decided = decide(opening); !decided) return fail(decided.error());
  std::optional<WorkOrder> opened;
  if (opening) {
    auto order = orders_.open_in_transaction(*opening);
    if (!order) return fail(order.error());
    opened = std::move(*order);
  }
  if (auto done = lift(tx->commit()); !done) return fail(done.error());
  if (opened) orders_.announce(*opened, true);
  return opened;
}

Result<std::optional<WorkOrder>> Signals::on_jam(std::string_view site_id, std::string_view lock_id,
                                                 UnixMs at) {
  if (auto ok = check_ids(site_id, "lock", lock_id); !ok) return fail(ok.error());
  const std::string site(site_id), lock(lock_id);
  return in_transaction([&](std::optional<Opening>& opening) -> Status {
    if (auto ok = write(deps_.db,
                        "INSERT INTO maintenance_jams (site, lock, at) VALUES (?, ?, ?) "
                        "ON CONFLICT (site, lock, at) DO NOTHING",
                        {site, lock, at});
        !ok)
      return fail(ok.error());
    const UnixMs keep = std::max(rules_.jam_window, rules_.sample_window);
    if (auto ok =
            write(deps_.db, "DELETE FROM maintenance_jams WHERE site = ? AND lock = ? AND at < ?",
                  {site, lock, deps_.scheduler.now() - keep});
        !ok)
      return fail(ok.error());
    auto closed = orders_.last_closed(site, lock, Kind::door_alignment);
    if (!closed) return fail(closed.error());
    // Every burst the new jam could belong to lies within one window either side of it.
    const UnixMs after = std::max(at - rules_.jam_window, closed->value_or(at - rules_.jam_window));
    auto jams = lift(store::map_rows(
        deps_.db.query("SELECT at FROM maintenance_jams WHERE site = ? AND lock = ? AND at > ? "
                       "AND at < ? ORDER BY at",
                       {site, lock, after, at + rules_.jam_window}),
        [](const store::Row& row) { return row.int64(0); }));
    if (!jams) return fail(jams.error());
    const auto n = static_cast<std::size_t>(rules_.jams_for_order);
    for (std::size_t i = 0; n > 0 && i + n <= jams->size(); ++i) {
      const UnixMs first = (*jams)[i], last = (*jams)[i + n - 1];
      if (last - first >= rules_.jam_window) continue;
      opening = Opening{
          site, lock, Kind::door_alignment,
          fmt::format("{} jams between {} and {} ({} or more within {} days: check the door, "
                      "strike and weatherstripping)",
                      n, when(first), when(last), n, rules_.jam_window / kDay),
          std::nullopt};
      return {};
    }
    return {};
  });
}

Result<std::vector<BatterySample>> Signals::fit_samples(const std::string& site,
                                                        const std::string& lock) {
  auto closed = orders_.last_closed(site, lock, Kind::battery);
  if (!closed) return fail(closed.error());
  auto samples = lift(store::map_rows(
      deps_.db.query("SELECT at, pct FROM maintenance_battery_samples WHERE site = ? AND lock = ? "
                     "AND at > ? ORDER BY at",
                     {site, lock, closed->value_or(std::numeric_limits<UnixMs>::min())}),
      [](const store::Row& row) -> store::Result<BatterySample> {
        auto at = row.int64(0);
        auto pct = row.int64(1);
        if (!at) return lockcore::fail(at.error());
        if (!pct) return lockcore::fail(pct.error());
        return BatterySample{*at, static_cast<int>(*pct)};
      }));
  if (!samples || samples->empty()) return samples;
  const UnixMs from = samples->back().at - rules_.sample_window;
  std::erase_if(*samples, [from](const BatterySample& s) { return s.at <= from; });
  return samples;
}

Result<std::optional<WorkOrder>> Signals::on_battery_sample(std::string_view site_id,
                                                            std::string_view lock_id, int pct,
                                                            std::optional<int> mv, UnixMs at) {
  if (auto ok = check_ids(site_id, "lock", lock_id); !ok) return fail(ok.error());
  if (pct < 0 || pct > 100) return fail(Error::invalid_field("pct", "must be 0 to 100"));
  if (mv && *mv < 0) return fail(Error::invalid_field("mv", "must not be negative"));
  const std::string site(site_id), lock(lock_id);
  return in_transaction([&](std::optional<Opening>& opening) -> Status {
    if (auto ok = write(deps_.db,
                        "INSERT INTO maintenance_battery_samples (site, lock, at, pct, mv) "
                        "VALUES (?, ?, ?, ?, ?) ON CONFLICT (site, lock, at) DO UPDATE SET "
                        "pct = excluded.pct, mv = excluded.mv",
                        {site, lock, at, std::int64_t{pct},
                         mv ? store::Value(std::int64_t{*mv}) : store::Value(store::null)});
        !ok)
      return fail(ok.error());
    if (auto ok = write(deps_.db,
                        "DELETE FROM maintenance_battery_samples WHERE site = ? AND lock = ? "
                        "AND at < ?",
                        {site, lock, at - rules_.sample_window});
        !ok)
      return fail(ok.error());
    auto samples = fit_samples(site, lock);
    if (!samples) return fail(samples.error());
    if (samples->empty()) return {};
    const BatterySample latest = samples->back();
    const auto forecast = forecast_empty(*samples, rules_.forecast);
    const bool low = latest.pct < rules_.battery_low_pct;
    const bool soon = forecast && forecast->empty_at <= latest.at + rules_.battery_horizon;
    if (!low && !soon) return {};
    std::string reason = low ? fmt::format("battery at {} % on {} (below {} %)", latest.pct,
                                           when(latest.at), rules_.battery_low_pct)
                             : fmt::format("battery at {} % on {}", latest.pct, when(latest.at));
    if (forecast)
      reason +=
          fmt::format(", falling {:.1f} % a day over {} samples: empty around {}{}",
                      -forecast->pct_per_day, samples->size(), when(forecast->empty_at),
                      soon ? fmt::format(" (within {} days)", rules_.battery_horizon / kDay) : "");
    opening = Opening{site, lock, Kind::battery, std::move(reason),
                      forecast ? std::optional<UnixMs>(forecast->empty_at) : std::nullopt};
    return {};
  });
}

Result<std::optional<WorkOrder>> Signals::on_hardware_fault(std::string_view site_id,
                                                            std::string_view lock_id, Fault fault,
                                                            UnixMs at) {
  if (auto ok = check_ids(site_id, "lock", lock_id); !ok) return fail(ok.error());
  const std::string site(site_id), lock(lock_id);
  return in_transaction([&](std::optional<Opening>& opening) -> Status {
    opening =
        Opening{site, lock, Kind::lock_hardware,
                fmt::format("{} fault reported on {}", to_string(fault), when(at)), std::nullopt};
    return {};
  });
}

Status Signals::on_hub_offline(std::string_view site_id, std::string_view hub_id, UnixMs since) {
  if (auto ok = check_ids(site_id, "hub", hub_id); !ok) return fail(ok.error());
  Key key{std::string(site_id), std::string(hub_id)};
  if (auto ok = write(deps_.db,
                      "INSERT INTO maintenance_hub_outages (site, hub, since) VALUES (?, ?, ?) "
                      "ON CONFLICT (site, hub) DO NOTHING",
                      {key.first, key.second, since});
      !ok)
    return fail(ok.error());
  auto first =
      lift(deps_.db.query("SELECT since FROM maintenance_hub_outages WHERE site = ? AND hub = ?",
                          {key.first, key.second}));
  if (!first) return fail(first.error());
  auto stored = (*first).empty() ? store::Result<std::int64_t>(since) : (*first)[0].int64(0);
  if (!stored) return fail(Error::from_store(stored.error()));
  arm(key, *stored + rules_.hub_grace);
  return {};
}

Status Signals::on_hub_online(std::string_view site_id, std::string_view hub_id) {
  if (auto ok = check_ids(site_id, "hub", hub_id); !ok) return fail(ok.error());
  Key key{std::string(site_id), std::string(hub_id)};
  if (auto ok = write(deps_.db, "DELETE FROM maintenance_hub_outages WHERE site = ? AND hub = ?",
                      {key.first, key.second});
      !ok)
    return fail(ok.error());
  if (auto it = timers_.find(key); it != timers_.end()) {
    deps_.scheduler.cancel(it->second);
    timers_.erase(it);
  }
  return {};
}

void Signals::arm(const Key& hub, UnixMs at) {
  if (auto it = timers_.find(hub); it != timers_.end()) deps_.scheduler.cancel(it->second);
  timers_[hub] = deps_.scheduler.call_at(at, [this, hub] {
    timers_.erase(hub);
    if (auto done = evaluate(deps_.scheduler.now()); !done)
      spdlog::warn("maintenance: checking hub {} of site {}: {}", hub.second, hub.first,
                   done.error().message);
  });
}

Result<std::vector<WorkOrder>> Signals::evaluate(UnixMs now) {
  auto due = outages(deps_.db, now - rules_.hub_grace);
  if (!due) return fail(due.error());
  std::vector<WorkOrder> opened;
  for (const Outage& o : *due) {
    std::optional<UnixMs> rearm;
    auto order = in_transaction([&](std::optional<Opening>& opening) -> Status {
      auto closed = orders_.last_closed(o.site, o.hub, Kind::hub);
      if (!closed) return fail(closed.error());
      // An order closed while the hub stayed down: a new grace period from the close.
      const UnixMs start = std::max(o.since, closed->value_or(o.since));
      if (start + rules_.hub_grace > now) {
        rearm = start + rules_.hub_grace;
        return {};
      }
      opening = Opening{o.site, o.hub, Kind::hub,
                        fmt::format("hub offline since {}, past the grace period of {} minutes",
                                    when(o.since), rules_.hub_grace / 60000),
                        std::nullopt};
      return {};
    });
    if (!order) return fail(order.error());
    if (*order) opened.push_back(std::move(**order));
    if (rearm) arm({o.site, o.hub}, *rearm);
  }
  return opened;
}

Status Signals::resume() {
  auto all = outages(deps_.db, std::numeric_limits<UnixMs>::max());
  if (!all) return fail(all.error());
  for (const Outage& o : *all)
    arm({o.site, o.hub}, o.since + rules_.hub_grace);
  return {};
}

Result<BatteryTrend> Signals::battery_trend(std::string_view site, std::string_view lock) {
  if (auto ok = check_ids(site, "lock", lock); !ok) return fail(ok.error());
  auto samples = fit_samples(std::string(site), std::string(lock));
  if (!samples) return fail(samples.error());
  BatteryTrend trend;
  trend.forecast = forecast_empty(*samples, rules_.forecast);
  trend.samples = std::move(*samples);
  return trend;
}

}  // namespace server::maintenance
