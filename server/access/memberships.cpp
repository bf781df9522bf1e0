#include "server/access/memberships.hpp"

#include <algorithm>
#include <set>

#include "server/access/credential_tasks.hpp"
#include "server/access/records.hpp"
#include "server/access/schedule.hpp"
#include "server/store/ids.hpp"

namespace server::access {

namespace {

Status check_role_scope(Role role, const std::optional<std::string>& unit) {
  if (unit && is_site_wide_only(role))
    return fail(Error::invalid_field(
        "role", "\"" + std::string(to_string(role)) + "\" is a site-wide role, never one unit's"));
  return {};
}

// The checked membership a grant describes, before it has an account.
Result<Membership> membership_from(const Grant& grant, std::string_view site, UnixMs now) {
  if (auto ok = check_role_scope(grant.role, grant.unit); !ok) return fail(ok.error());
  Membership m;
  if (grant.valid_from && grant.valid_until && *grant.valid_until <= *grant.valid_from)
    return fail(Error::invalid_field("valid_until", "must be after valid_from"));
  if (grant.valid_until && *grant.valid_until <= now)
    return fail(Error::invalid_field("valid_until", "is in the past"));
  if (grant.schedule) {
    auto parsed = parse_schedule(*grant.schedule);
    if (!parsed) return fail(Error::invalid_field("schedule", parsed.error()));
    m.schedule = *parsed;
  }
  m.id = store::new_id("mem");
  m.site = std::string(site);
  m.unit = grant.unit;
  m.role = grant.role;
  m.valid_from = grant.valid_from;
  m.valid_until = grant.valid_until;
  m.created = now;
  return m;
}

Status check_grantable(const Policy& policy, std::string_view actor, const Membership& m, Role role,
                       UnixMs now) {
  return policy.check_grant(actor, m.site, role, m.unit, m.valid_from, m.valid_until, now);
}

}  // namespace

Status start_membership(const Deps& deps, std::string_view actor, const Membership& m) {
  if (auto ok = insert_membership(deps.db, m); !ok) return ok;
  return audit(deps, audit::AuditType::membership_started, account_ref(actor), m.site,
               "membership:" + m.id,
               json_detail({{"account", m.account},
                            {"role", to_string(m.role)},
                            {"unit", m.unit.value_or("")},
                            {"schedule", format_schedule(m.schedule)}}));
}

Status end_membership(const Deps& deps, std::string_view actor, Membership m,
                      std::string_view reason) {
  m.status = MembershipStatus::ended;
  if (auto ok = update_membership(deps.db, m, deps.clock.now()); !ok) return ok;
  if (auto ok = audit(
          deps, audit::AuditType::membership_ended, account_ref(actor), m.site,
          "membership:" + m.id,
          json_detail({{"account", m.account}, {"role", to_string(m.role)}, {"reason", reason}}));
      !ok)
    return ok;
  return request_credential_task(deps, m.site, m.account, CredentialTaskKind::revalidate, reason);
}

Result<Membership> Memberships::start(std::string_view actor, std::string_view site,
                                      const std::string& account, const Grant& grant) {
  const UnixMs now = deps_.clock.now();
  auto m = membership_from(grant, site, now);
  if (!m) return m;
  if (auto ok = check_grantable(policy_, actor, *m, grant.role, now); !ok) return fail(ok.error());
  if (account == actor) return fail(Error::forbidden("nobody grants themselves a membership"));
  auto existing = memberships_of(deps_.db, account, site);
  if (!existing) return fail(existing.error());
  for (const Membership& e : *existing)
    if (e.unit == m->unit)
      return fail(Error::conflict(m->unit ? "this person already has a membership for this unit"
                                          : "this person already has a site-wide membership"));
  m->account = account;
  m->granted_by = std::string(actor);
  if (auto ok = start_membership(deps_, actor, *m); !ok) return fail(ok.error());
  return m;
}

Result<Membership> Memberships::invite(std::string_view actor, std::string_view site,
                                       std::string_view email, const Grant& grant) {
  // Checked before identity is asked, so that nobody without the right can create invitations.
  const UnixMs now = deps_.clock.now();
  auto m = membership_from(grant, site, now);
  if (!m) return m;
  if (auto ok = check_grantable(policy_, actor, *m, grant.role, now); !ok) return fail(ok.error());
  const auto changing = deps_.changes.change();
  auto tx = lift(deps_.db.begin());
  if (!tx) return fail(tx.error());
  auto account = deps_.accounts.find_or_invite(email, actor);
  if (!account) return fail(account.error());
  if (!account->active) return fail(Error::conflict("this account is not active"));
  auto started = start(actor, site, account->id, grant);
  if (!started) return started;
  if (auto committed = lift(tx->commit()); !committed) return fail(committed.error());
  return started;
}

Result<Membership> Memberships::grant(std::string_view actor, std::string_view site,
                                      std::string_view account, const Grant& grant) {
  const auto changing = deps_.changes.change();
  auto tx = lift(deps_.db.begin());
  if (!tx) return fail(tx.error());
  auto info = deps_.accounts.find(account);
  if (!info) return fail(info.error());
  if (!*info || !(*info)->active) return fail(Error(Errc::not_found, "no such account", "account"));
  auto started = start(actor, site, std::string(account), grant);
  if (!started) return started;
  if (auto committed = lift(tx->commit()); !committed) return fail(committed.error());
  return started;
}

Result<Membership> Memberships::target(std::string_view actor, std::string_view site,
                                       std::string_view id) {
  if (auto ok =
          policy_.check(actor, Action::view_site, {std::string(site), {}, {}}, deps_.clock.now());
      !ok)
    return fail(ok.error());
  auto found = find_membership(deps_.db, site, id);
  if (!found) return fail(found.error());
  if (!*found) return fail(Error::not_found("no such membership"));
  if ((*found)->status == MembershipStatus::ended)
    return fail(Error::conflict("this membership has ended"));
  return std::move(**found);
}

Result<Membership> Memberships::change_role(std::string_view actor, std::string_view site,
                                            std::string_view membership, Role role) {
  const auto changing = deps_.changes.change();
  auto tx = lift(deps_.db.begin());
  if (!tx) return fail(tx.error());
  auto m = target(actor, site, membership);
  if (!m) return m;
  if (m->account == actor) return fail(Error::forbidden("nobody changes their own role"));
  if (auto ok = check_role_scope(role, m->unit); !ok) return fail(ok.error());
  const UnixMs now = deps_.clock.now();
  for (Role r : {m->role, role})
    if (auto ok = check_grantable(policy_, actor, *m, r, now); !ok) return fail(ok.error());
  if (m->role == role) return m;
  const Role before = m->role;
  m->role = role;
  Status done = update_membership(deps_.db, *m, now);
  if (done)
    done = audit(deps_, audit::AuditType::membership_changed, account_ref(actor), site,
                 "membership:" + m->id,
                 json_detail({{"account", m->account},
                              {"from_role", to_string(before)},
                              {"role", to_string(role)}}));
  if (done)
    done = request_credential_task(deps_, site, m->account, CredentialTaskKind::revalidate,
                                   "role_changed");
  if (!done) return fail(done.error());
  if (auto committed = lift(tx->commit()); !committed) return fail(committed.error());
  return m;
}

Status Memberships::end(std::string_view actor, std::string_view site,
                        std::string_view membership) {
  const auto changing = deps_.changes.change();
  auto tx = lift(deps_.db.begin());
  if (!tx) return fail(tx.error());
  auto m = target(actor, site, membership);
  if (!m) return fail(m.error());
  if (m->account == actor) {
    if (m->role == Role::owner)
      return fail(Error::conflict("an owner leaves by transferring ownership first"));
  } else if (auto ok = check_grantable(policy_, actor, *m, m->role, deps_.clock.now()); !ok) {
    return ok;
  }
  if (auto ok = end_membership(deps_, actor, std::move(*m), "ended"); !ok) return ok;
  return lift(tx->commit());
}

Result<std::vector<Membership>> Memberships::list(std::string_view actor, std::string_view site) {
  if (auto ok =
          policy_.check(actor, Action::view_people, {std::string(site), {}, {}}, deps_.clock.now());
      !ok)
    return fail(ok.error());
  return memberships_at(deps_.db, site);
}

Result<std::vector<Person>> Memberships::people(std::string_view actor, std::string_view site) {
  auto all = list(actor, site);
  if (!all) return fail(all.error());
  std::vector<Person> out;
  out.reserve(all->size());
  for (Membership& m : *all) {
    auto info = deps_.accounts.find(m.account);
    if (!info) return fail(info.error());
    std::string email = *info ? (*info)->email : std::string();
    out.push_back({std::move(m), std::move(email)});
  }
  return out;
}

Result<std::vector<AccountInfo>> Memberships::holders(std::string_view site,
                                                      const std::vector<Role>& roles, UnixMs now) {
  auto all = memberships_at(deps_.db, site);
  if (!all) return fail(all.error());
  std::set<std::string> accounts;
  for (const Membership& m : *all)
    if (m.counts_at(now) && std::find(roles.begin(), roles.end(), m.role) != roles.end())
      accounts.insert(m.account);
  std::vector<AccountInfo> out;
  for (const std::string& id : accounts) {
    auto info = deps_.accounts.find(id);
    if (!info) return fail(info.error());
    if (*info && (*info)->active) out.push_back(std::move(**info));
  }
  return out;
}

Status Memberships::set_suspended(std::string_view actor, std::string_view site,
                                  std::string_view account, bool suspended) {
  const UnixMs now = deps_.clock.now();
  if (auto ok = policy_.check(actor, Action::suspend_account, {std::string(site), {}, {}}, now);
      !ok)
    return ok;
  if (account == actor) return fail(Error::forbidden("nobody suspends or reinstates themselves"));
  const auto changing = deps_.changes.change();
  auto tx = lift(deps_.db.begin());
  if (!tx) return fail(tx.error());
  auto held = memberships_of(deps_.db, account, site);
  if (!held) return fail(held.error());
  if (held->empty()) return fail(Error::not_found("no such member"));
  // Never someone of equal or higher role: the actor must be able to grant every role held.
  for (const Membership& m : *held)
    if (auto ok = check_grantable(policy_, actor, m, m.role, now); !ok) return ok;
  const MembershipStatus from = suspended ? MembershipStatus::active : MembershipStatus::suspended;
  std::size_t changed = 0;
  for (Membership& m : *held) {
    if (m.status != from) continue;
    m.status = suspended ? MembershipStatus::suspended : MembershipStatus::active;
    if (auto ok = update_membership(deps_.db, m, now); !ok) return ok;
    ++changed;
  }
  if (changed == 0)
    return fail(Error::conflict(suspended ? "already suspended here" : "not suspended here"));
  const auto type =
      suspended ? audit::AuditType::account_suspended : audit::AuditType::account_reactivated;
  Status done = audit(deps_, type, account_ref(actor), site, account_ref(account),
                      json_detail({{"scope", "site"}}));
  if (done && suspended)
    done =
        request_credential_task(deps_, site, account, CredentialTaskKind::revalidate, "suspended");
  if (done)
    done = notify_account(
        deps_, account, site,
        suspended ? "Your access has been suspended" : "Your access has been restored",
        std::string(suspended ? "Your access to site " : "Your access to site ") +
            std::string(site) +
            (suspended ? " has been suspended by an administrator."
                       : " has been restored by an administrator."));
  if (!done) return done;
  return lift(tx->commit());
}

Status Memberships::suspend(std::string_view actor, std::string_view site,
                            std::string_view account) {
  return set_suspended(actor, site, account, true);
}

Status Memberships::reinstate(std::string_view actor, std::string_view site,
                              std::string_view account) {
  return set_suspended(actor, site, account, false);
}

}  // namespace server::access
