#include "server/doors/doors.hpp"

namespace server::doors {

namespace {

using access::Action;

constexpr UnixMs kDefaultBatteryDays = 30LL * 24 * 3600 * 1000;

}  // namespace

std::string requester(std::string_view account) {
  return "account:" + std::string(account);
}

Status Doors::check(std::string_view actor, Action action, std::string_view site,
                    std::optional<std::string> lock) const {
  return access_.policy().check(actor, action, {std::string(site), {}, std::move(lock)},
                                clock_.now());
}

Result<LockView> Doors::view(const devices::LockInfo& info) {
  auto health = devices_.health(info.site, info.id);
  if (!health) return fail(health.error());
  return LockView{info, std::move(*health)};
}

Result<std::vector<LockView>> Doors::locks(std::string_view actor, std::string_view site) {
  if (Status s = check(actor, Action::view_site, site); !s) return fail(s.error());
  std::vector<LockView> out;
  for (const devices::LockInfo& info : devices_.locks(site)) {
    auto decided = access_.policy().decide(actor, Action::view_lock_state,
                                           {std::string(site), {}, info.id}, clock_.now());
    if (!decided) return fail(decided.error());
    if (!decided->allowed()) continue;
    auto v = view(info);
    if (!v) return fail(v.error());
    out.push_back(std::move(*v));
  }
  return out;
}

Result<LockView> Doors::lock(std::string_view actor, std::string_view site, std::string_view lock) {
  if (Status s = check(actor, Action::view_lock_state, site, std::string(lock)); !s)
    return fail(s.error());
  auto info = devices_.lock(site, lock);
  if (!info) return fail(info.error());
  return view(*info);
}

boost::asio::awaitable<Result<LockView>> Doors::commission(std::string actor, std::string site,
                                                           devices::LockSpec spec) {
  spec.site = site;
  if (Status s = check(actor, Action::commission_devices, site); !s) co_return fail(s.error());
  if (spec.unit) {
    // The unit must be one of the site's (and visible to the caller).
    auto unit = access_.units().get(actor, site, *spec.unit);
    if (!unit) {
      if (unit.error().code == Errc::not_found)
        co_return fail(Error::invalid_field("unit", "names no unit of this site"));
      co_return fail(unit.error());
    }
  }
  const std::optional<std::string> code = spec.pairing_code;
  auto existing = devices_.lock(site, spec.id);
  if (!existing) {
    auto added = devices_.add_lock(spec, requester(actor));
    if (!added) co_return fail(added.error());
  } else if (existing->paired && !existing->needs_reenroll) {
    co_return fail(Error::conflict("lock " + spec.id + " is already commissioned"));
  }
  Result<devices::LockInfo> paired = fail(Error::not_found("no such lock"));
  if (existing && existing->needs_reenroll)
    paired = co_await devices_.reenroll(site, spec.id, requester(actor));
  else
    paired = co_await devices_.commission(site, spec.id, code, requester(actor));
  if (!paired) co_return fail(paired.error());
  co_return view(*paired);
}

Result<std::vector<HubView>> Doors::hubs(std::string_view actor, std::string_view site) {
  if (Status s = check(actor, Action::view_fleet_health, site); !s) return fail(s.error());
  std::vector<HubView> out;
  for (const devices::HubInfo& info : devices_.hubs(site)) {
    auto health = devices_.hub_health(site, info.id);
    if (!health) return fail(health.error());
    out.push_back({info, std::move(*health)});
  }
  return out;
}

Result<HubView> Doors::add_hub(std::string_view actor, std::string_view site,
                               devices::HubSpec spec) {
  if (Status s = check(actor, Action::commission_devices, site); !s) return fail(s.error());
  spec.site = std::string(site);
  auto added = devices_.add_hub(spec, requester(actor));
  if (!added) return fail(added.error());
  auto health = devices_.hub_health(site, added->id);
  if (!health) return fail(health.error());
  return HubView{std::move(*added), std::move(*health)};
}

boost::asio::awaitable<Result<devices::CommandResult>> Doors::operate(std::string actor,
                                                                      std::string site,
                                                                      std::string lock,
                                                                      devices::CommandOp op) {
  if (Status s = check(actor, Action::operate_lock, site, lock); !s) co_return fail(s.error());
  if (op == devices::CommandOp::unlock)
    co_return co_await devices_.unlock(site, lock, requester(actor));
  co_return co_await devices_.lock_door(site, lock, requester(actor));
}

Result<devices::CommandResult> Doors::command(std::string_view actor, std::string_view site,
                                              std::string_view id) {
  const Error missing = Error::not_found("no such command");
  if (Status s = check(actor, Action::view_site, site); !s) return fail(missing);
  auto found = devices_.command(site, id);
  if (!found) return fail(found.error().code == Errc::internal ? found.error() : missing);
  if (found->requested_by != requester(actor) && !check(actor, Action::view_audit, site))
    return fail(missing);
  return found;
}

Result<BatteryView> Doors::battery(std::string_view actor, std::string_view site,
                                   std::string_view lock, std::optional<UnixMs> from) {
  if (Status s = check(actor, Action::view_lock_state, site, std::string(lock)); !s)
    return fail(s.error());
  if (Status s = check(actor, Action::view_fleet_health, site); !s) return fail(s.error());
  const UnixMs now = clock_.now();
  auto samples =
      devices_.battery_history(site, lock, from.value_or(now - kDefaultBatteryDays), now + 1);
  if (!samples) return fail(samples.error());
  BatteryView out{std::move(*samples), std::nullopt};
  auto trend = maintenance_.battery_trend(actor, site, lock);
  if (trend) out.forecast = trend->forecast;
  return out;
}

}  // namespace server::doors
