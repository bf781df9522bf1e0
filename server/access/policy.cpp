#include "server/access/policy.hpp"

#include <array>

#include "server/access/records.hpp"
#include "server/access/schedule.hpp"
#include "server/access/time_zone.hpp"

namespace server::access {

namespace {

// What the scope resolved to: the whole site, one unit, or one door (unit nullopt: common).
struct Target {
  enum class Kind { site, unit, door } kind = Kind::site;
  std::optional<std::string> unit;
};

bool covers(const Membership& m, const Target& t) {
  if (!m.unit || t.kind == Target::Kind::site) return true;
  if (t.kind == Target::Kind::door && !t.unit) return true;  // a common door
  return t.unit == m.unit;
}

// The scope's target, or nullopt when the unit or lock does not exist at this site.
Result<std::optional<Target>> resolve(const Deps& deps, const Scope& scope) {
  if (scope.lock) {
    auto placement = deps.locks.find_lock(scope.site, *scope.lock);
    if (!placement) return fail(placement.error());
    if (!*placement) return std::optional<Target>();
    return std::optional<Target>(Target{Target::Kind::door, (*placement)->unit});
  }
  if (scope.unit) {
    auto unit = find_unit(deps.db, scope.site, *scope.unit);
    if (!unit) return fail(unit.error());
    if (!*unit) return std::optional<Target>();
    return std::optional<Target>(Target{Target::Kind::unit, *scope.unit});
  }
  return std::optional<Target>(Target{});
}

Result<bool> account_active(const Deps& deps, std::string_view account) {
  auto info = deps.accounts.find(account);
  if (!info) return fail(info.error());
  return *info && (*info)->active;
}

// The memberships among `all` through which the target is visible.
std::vector<const Membership*> covering(const std::vector<Membership>& all, const Target& target,
                                        UnixMs now) {
  std::vector<const Membership*> out;
  for (const Membership& m : all)
    if (m.visible_at(now) && covers(m, target)) out.push_back(&m);
  return out;
}

std::string_view not_found_message(const Scope& scope) {
  if (scope.lock) return "no such lock";
  if (scope.unit) return "no such unit";
  return "no such site";
}

}  // namespace

std::string_view to_string(Denial denial) {
  static constexpr std::array<std::string_view, 7> kNames = {
      "none",      "not_visible",    "account_inactive", "role",
      "suspended", "outside_window", "outside_schedule"};
  return kNames[static_cast<std::size_t>(denial)];
}

Result<std::shared_ptr<const Policy::SiteRows>> Policy::rows_of(std::string_view account,
                                                                std::string_view site) const {
  std::string key;
  key.reserve(account.size() + 1 + site.size());
  key.append(account).append(1, '\n').append(site);  // an account id holds no newline
  return rows_.get(key, [&]() -> Result<std::shared_ptr<const SiteRows>> {
    auto rows = std::make_shared<SiteRows>();
    auto found = find_site(deps_.db, site);
    if (!found) return fail(found.error());
    rows->site = std::move(*found);
    if (rows->site) {
      auto all = memberships_of(deps_.db, account, site);
      if (!all) return fail(all.error());
      rows->memberships = std::move(*all);
    }
    return std::shared_ptr<const SiteRows>(std::move(rows));
  });
}

Result<Decision> Policy::decide(std::string_view account, Action action, const Scope& scope,
                                UnixMs now) const {
  auto rows = rows_of(account, scope.site);
  if (!rows) return fail(rows.error());
  const std::optional<Site>& site = (*rows)->site;
  if (!site) return Decision{Denial::not_visible};
  auto target = resolve(deps_, scope);
  if (!target) return fail(target.error());
  if (!*target) return Decision{Denial::not_visible};
  const std::vector<const Membership*> mine = covering((*rows)->memberships, **target, now);
  if (mine.empty()) return Decision{Denial::not_visible};

  auto active = account_active(deps_, account);
  if (!active) return fail(active.error());
  if (!*active) return Decision{Denial::account_inactive};

  // The most specific reason among the memberships whose role allows the action.
  Denial best = Denial::role;
  std::shared_ptr<const TimeZone> zone;
  for (const Membership* each : mine) {
    const Membership& m = *each;
    if (!role_allows(m.role, action)) continue;
    if (m.status != MembershipStatus::active) {
      best = std::max(best, Denial::suspended);
      continue;
    }
    if (!m.counts_at(now)) {
      best = std::max(best, Denial::outside_window);
      continue;
    }
    if (is_door_operation(action) && m.schedule.days_mask != 0) {
      if (!zone) {
        auto located = TimeZone::locate(site->timezone);
        if (!located)
          return fail(Error(Errc::internal, "access: site " + scope.site + ": " + located.error()));
        zone = *located;
      }
      if (!schedule_allows(m.schedule, now, *zone)) {
        best = std::max(best, Denial::outside_schedule);
        continue;
      }
    }
    return Decision{Denial::none};
  }
  return Decision{best};
}

Status Policy::check(std::string_view account, Action action, const Scope& scope,
                     UnixMs now) const {
  auto decision = decide(account, action, scope, now);
  if (!decision) return fail(decision.error());
  switch (decision->denial) {
    case Denial::none:
      return {};
    case Denial::not_visible:
      return fail(Error::not_found(std::string(not_found_message(scope))));
    case Denial::account_inactive:
      return fail(Error::forbidden("this account is not active"));
    case Denial::role:
      return fail(Error::forbidden("your role does not allow " + std::string(to_string(action))));
    case Denial::suspended:
      return fail(Error::forbidden("your access here is suspended"));
    case Denial::outside_window:
      return fail(Error::forbidden("your access here has not started yet"));
    case Denial::outside_schedule:
      return fail(Error::forbidden("your access here is outside its schedule now"));
  }
  return fail(Error(Errc::internal, "access: unknown denial"));
}

Status Policy::check_grant(std::string_view account, std::string_view site, Role role,
                           const std::optional<std::string>& unit, std::optional<UnixMs> from,
                           std::optional<UnixMs> until, UnixMs now) const {
  // Seeing the site (or the unit) is the first condition; manage_people then says whether this
  // person manages people at all, and the grant table which roles.
  Scope scope{std::string(site), unit, std::nullopt};
  auto may_manage = check(account, Action::manage_people, scope, now);
  if (!may_manage) return may_manage;
  auto mine = memberships_of(deps_.db, account, site);
  if (!mine) return fail(mine.error());
  for (const Membership& m : *mine) {
    if (!m.counts_at(now) || !role_allows(m.role, Action::manage_people) ||
        !may_grant(m.role, role))
      continue;
    if (m.unit && m.unit != unit) continue;  // a unit membership grants only in its unit
    if (grants_are_bounded(m.role)) {
      if (m.valid_until && (!until || *until > *m.valid_until)) continue;
      if (m.valid_from && (!from || *from < *m.valid_from)) continue;
    }
    return {};
  }
  return fail(Error::forbidden("your role does not allow granting " + std::string(to_string(role)) +
                               (unit ? " in this unit" : " site-wide") + " for this window"));
}

}  // namespace server::access
