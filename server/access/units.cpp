#include "server/access/units.hpp"

#include "server/access/records.hpp"
#include "server/store/map_rows.hpp"

namespace server::access {

namespace {

Scope unit_scope(std::string_view site, std::string_view unit) {
  return {std::string(site), std::string(unit), std::nullopt};
}

}  // namespace

Status Units::audit_unit(audit::AuditType type, std::string_view actor, std::string_view site,
                         std::string_view unit, std::string_view name) {
  return audit(deps_, type, account_ref(actor), site,
               "unit:" + std::string(site) + "/" + std::string(unit),
               json_detail({{"name", name}}));
}

Result<Unit> Units::create(std::string_view actor, std::string_view site, const Unit& unit) {
  if (auto ok =
          policy_.check(actor, Action::manage_site, {std::string(site), {}, {}}, deps_.clock.now());
      !ok)
    return fail(ok.error());
  if (auto ok = check_id("id", unit.id); !ok) return fail(ok.error());
  if (auto ok = check_name("name", unit.name); !ok) return fail(ok.error());
  const auto changing = deps_.changes.change();
  auto tx = lift(deps_.db.begin());
  if (!tx) return fail(tx.error());
  const UnixMs now = deps_.clock.now();
  // Revives a removed unit of the same id; refuses a live one.
  auto written = lift(deps_.db.execute(
      "INSERT INTO units (site, id, name, created, removed) VALUES (?, ?, ?, ?, NULL) "
      "ON CONFLICT (site, id) DO UPDATE SET name = excluded.name, created = excluded.created, "
      "removed = NULL WHERE units.removed IS NOT NULL",
      {std::string(site), unit.id, unit.name, now}));
  if (!written) return fail(written.error());
  if (*written == 0) return fail(Error::conflict("this site already has a unit with this id"));
  if (auto ok = audit_unit(audit::AuditType::unit_created, actor, site, unit.id, unit.name); !ok)
    return fail(ok.error());
  if (auto committed = lift(tx->commit()); !committed) return fail(committed.error());
  return Unit{std::string(site), unit.id, unit.name};
}

Result<std::vector<Unit>> Units::list(std::string_view actor, std::string_view site) {
  const UnixMs now = deps_.clock.now();
  if (auto ok = policy_.check(actor, Action::view_site, {std::string(site), {}, {}}, now); !ok)
    return fail(ok.error());
  auto mine = memberships_of(deps_.db, actor, site);
  if (!mine) return fail(mine.error());
  bool site_wide = false;
  std::vector<std::string> own;
  for (const Membership& m : *mine) {
    if (!m.visible_at(now)) continue;
    if (!m.unit)
      site_wide = true;
    else
      own.push_back(*m.unit);
  }
  auto all = lift(store::map_rows(
      deps_.db.query("SELECT id, name FROM units WHERE site = ? AND removed IS NULL ORDER BY id",
                     {std::string(site)}),
      [&](const store::Row& row) -> store::Result<Unit> {
        auto id = row.text(0);
        auto name = row.text(1);
        if (!id) return lockcore::fail(id.error());
        if (!name) return lockcore::fail(name.error());
        return Unit{std::string(site), std::string(*id), std::string(*name)};
      }));
  if (!all) return fail(all.error());
  std::vector<Unit> out;
  for (Unit& u : *all)
    if (site_wide || std::find(own.begin(), own.end(), u.id) != own.end())
      out.push_back(std::move(u));
  return out;
}

Result<Unit> Units::get(std::string_view actor, std::string_view site, std::string_view unit) {
  if (auto ok = policy_.check(actor, Action::view_site, unit_scope(site, unit), deps_.clock.now());
      !ok)
    return fail(ok.error());
  auto found = find_unit(deps_.db, site, unit);
  if (!found) return fail(found.error());
  if (!*found) return fail(Error::not_found("no such unit"));
  return **found;
}

Result<Unit> Units::rename(std::string_view actor, std::string_view site, std::string_view unit,
                           std::string_view name) {
  if (auto ok =
          policy_.check(actor, Action::manage_site, unit_scope(site, unit), deps_.clock.now());
      !ok)
    return fail(ok.error());
  if (auto ok = check_name("name", name); !ok) return fail(ok.error());
  const auto changing = deps_.changes.change();
  auto tx = lift(deps_.db.begin());
  if (!tx) return fail(tx.error());
  auto written = lift(
      deps_.db.execute("UPDATE units SET name = ? WHERE site = ? AND id = ? AND removed IS NULL",
                       {std::string(name), std::string(site), std::string(unit)}));
  if (!written) return fail(written.error());
  if (auto ok = audit_unit(audit::AuditType::unit_changed, actor, site, unit, name); !ok)
    return fail(ok.error());
  if (auto committed = lift(tx->commit()); !committed) return fail(committed.error());
  return Unit{std::string(site), std::string(unit), std::string(name)};
}

Status Units::remove(std::string_view actor, std::string_view site, std::string_view unit) {
  if (auto ok =
          policy_.check(actor, Action::manage_site, unit_scope(site, unit), deps_.clock.now());
      !ok)
    return ok;
  const auto changing = deps_.changes.change();
  auto tx = lift(deps_.db.begin());
  if (!tx) return fail(tx.error());
  auto members = lift(deps_.db.query(
      "SELECT count(*) FROM memberships WHERE site = ? AND unit = ? AND status <> 'ended'",
      {std::string(site), std::string(unit)}));
  if (!members) return fail(members.error());
  auto count = (*members)[0].int64(0);
  if (!count) return fail(Error::from_store(count.error()));
  if (*count > 0)
    return fail(Error::conflict("the unit still has members; end their memberships first"));
  auto doors = deps_.locks.unit_has_locks(site, unit);
  if (!doors) return fail(doors.error());
  if (*doors) return fail(Error::conflict("the unit still has doors; move or remove them first"));
  auto found = find_unit(deps_.db, site, unit);
  if (!found) return fail(found.error());
  auto written = lift(
      deps_.db.execute("UPDATE units SET removed = ? WHERE site = ? AND id = ? AND removed IS NULL",
                       {deps_.clock.now(), std::string(site), std::string(unit)}));
  if (!written) return fail(written.error());
  if (auto ok = audit_unit(audit::AuditType::unit_removed, actor, site, unit, (*found)->name); !ok)
    return ok;
  return lift(tx->commit());
}

}  // namespace server::access
