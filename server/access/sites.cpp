#include "server/access/sites.hpp"

#include "server/access/records.hpp"
#include "server/access/time_zone.hpp"
#include "server/store/ids.hpp"

namespace server::access {

Result<SiteView> Sites::create(std::string_view actor, const NewSite& site) {
  if (auto ok = check_id("id", site.id); !ok) return fail(ok.error());
  if (auto ok = check_name("name", site.name); !ok) return fail(ok.error());
  if (auto zone = TimeZone::locate(site.timezone); !zone)
    return fail(Error::invalid_field("timezone", "must be an IANA time zone, e.g. Europe/London"));
  auto creator = deps_.accounts.find(actor);
  if (!creator) return fail(creator.error());
  if (!*creator || !(*creator)->active) return fail(Error::forbidden("this account is not active"));

  const auto changing = deps_.changes.change();
  auto tx = lift(deps_.db.begin());
  if (!tx) return fail(tx.error());
  const UnixMs now = deps_.clock.now();
  auto inserted = deps_.db.execute(
      "INSERT INTO sites (id, name, timezone, created, created_by) VALUES (?, ?, ?, ?, ?)",
      {site.id, site.name, site.timezone, now, std::string(actor)});
  if (!inserted) {
    if (inserted.error().code == store::Errc::unique_violation)
      return fail(Error::conflict("a site with this id already exists"));
    return fail(Error::from_store(inserted.error()));
  }
  Membership owner;
  owner.id = store::new_id("mem");
  owner.site = site.id;
  owner.account = std::string(actor);
  owner.role = Role::owner;
  owner.created = now;
  owner.granted_by = std::string(actor);
  const std::string who = account_ref(actor);
  Status done = insert_membership(deps_.db, owner);
  if (done)
    done = audit(deps_, audit::AuditType::site_created, who, site.id, "site:" + site.id,
                 json_detail({{"name", site.name}, {"timezone", site.timezone}}));
  if (done)
    done =
        audit(deps_, audit::AuditType::membership_started, who, site.id, "membership:" + owner.id,
              json_detail({{"account", owner.account}, {"role", "owner"}}));
  if (!done) return fail(done.error());
  if (auto committed = lift(tx->commit()); !committed) return fail(committed.error());
  return SiteView{Site{site.id, site.name, site.timezone, now}, {Role::owner}};
}

Result<SiteView> Sites::view(std::string_view actor, const Site& site) {
  auto mine = memberships_of(deps_.db, actor, site.id);
  if (!mine) return fail(mine.error());
  SiteView out{site, {}};
  const UnixMs now = deps_.clock.now();
  for (const Membership& m : *mine)
    if (m.visible_at(now)) out.my_roles.push_back(m.role);
  return out;
}

Result<SiteView> Sites::get(std::string_view actor, std::string_view site) {
  if (auto ok =
          policy_.check(actor, Action::view_site, {std::string(site), {}, {}}, deps_.clock.now());
      !ok)
    return fail(ok.error());
  auto found = find_site(deps_.db, site);
  if (!found) return fail(found.error());
  if (!*found) return fail(Error::not_found("no such site"));
  return view(actor, **found);
}

Result<std::vector<SiteView>> Sites::list_mine(std::string_view actor) {
  auto ids = sites_of(deps_.db, actor);
  if (!ids) return fail(ids.error());
  std::vector<SiteView> out;
  for (const std::string& id : *ids) {
    auto found = find_site(deps_.db, id);
    if (!found) return fail(found.error());
    if (!*found) continue;
    auto v = view(actor, **found);
    if (!v) return fail(v.error());
    if (!v->my_roles.empty()) out.push_back(std::move(*v));
  }
  return out;
}

}  // namespace server::access
