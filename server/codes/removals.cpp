// Codes when access shrinks: a move-out, a suspension, an ownership transfer, a role change. Access
// records each as a credential task (server/access/credential_tasks.hpp); the Node's runner
// applies it here after the act has committed.

#include <algorithm>
#include <set>

#include "server/access/records.hpp"
#include "server/codes/codes.hpp"

namespace server::codes {

namespace {

using access::Action;
using access::Scope;

bool on_its_way_off(const devices::Placement& p) {
  return p.status == devices::CredentialStatus::removing ||
         p.status == devices::CredentialStatus::removed;
}

}  // namespace

Result<std::vector<PendingRemoval>> Codes::removals(std::string_view actor, std::string_view site,
                                                    std::string_view account) {
  const Scope whole{std::string(site), {}, {}};
  const UnixMs now = deps_.clock.now();
  if (actor != account) {
    if (Status s = deps_.access.policy().check(actor, Action::view_people, whole, now); !s)
      return fail(s.error());
  } else if (Status s = deps_.access.policy().check(actor, Action::view_site, whole, now); !s) {
    // Someone who moved out still sees what is being taken off their doors.
    if (s.error().code != Errc::not_found) return fail(s.error());
  }
  const std::string ref = access::account_ref(account);
  std::vector<PendingRemoval> out;
  for (const devices::LockInfo& lock : deps_.devices.locks(site)) {
    auto placed = deps_.devices.placements_on(site, lock.id);
    if (!placed) return fail(placed.error());
    for (const devices::Placement& p : *placed) {
      if (p.status != devices::CredentialStatus::removing) continue;
      if (p.holder == ref || p.holder == "guest of " + ref)
        out.push_back({p.credential, p.lock, p.status});
    }
  }
  return out;
}

Status Codes::remove_all(std::string_view site, std::string_view account) {
  auto codes = load(
      "WHERE site = ? AND deleted IS NULL AND (holder = ? OR (kind = 'guest' AND created_by = ?))",
      {std::string(site), std::string(account), std::string(account)});
  if (!codes) return fail(codes.error());
  for (const Code& c : *codes) {
    if (Status s = mark_deleted(c, "system"); !s) return s;
  }
  // Every keypad credential placed for the account or its guests, codes or not.
  const std::string ref = access::account_ref(account);
  for (const devices::LockInfo& lock : deps_.devices.locks(site)) {
    auto placed = deps_.devices.placements_on(site, lock.id);
    if (!placed) return fail(placed.error());
    for (const devices::Placement& p : *placed) {
      if (on_its_way_off(p) || p.kind != lockcore::CredentialKind::pin) continue;
      if (p.holder != ref && p.holder != "guest of " + ref) continue;
      if (Status s = withdraw(site, lock.id, p.credential); !s) return s;
    }
  }
  return {};
}

Status Codes::revalidate(std::string_view site, std::string_view account) {
  const access::Policy& policy = deps_.access.policy();
  const UnixMs now = deps_.clock.now();
  const std::string ref = access::account_ref(account);
  const std::string guests_of = "guest of " + ref;
  // May `account` keep what `p` is for on its lock?
  auto entitled = [&](const devices::Placement& p) -> Result<bool> {
    const Scope scope{std::string(site), {}, p.lock};
    if (p.holder == ref) {
      auto d = policy.decide(account, Action::operate_lock, scope, now);
      if (!d) return fail(d.error());
      return keeps_right(*d);
    }
    for (Action a : {Action::manage_unit_guest_codes, Action::manage_any_code}) {
      auto d = policy.decide(account, a, scope, now);
      if (!d) return fail(d.error());
      if (keeps_right(*d)) return true;
    }
    return false;
  };
  std::set<std::string> withdrawn;
  for (const devices::LockInfo& lock : deps_.devices.locks(site)) {
    auto placed = deps_.devices.placements_on(site, lock.id);
    if (!placed) return fail(placed.error());
    for (const devices::Placement& p : *placed) {
      if (on_its_way_off(p) || p.kind != lockcore::CredentialKind::pin) continue;
      if (p.holder != ref && p.holder != guests_of) continue;
      auto keep = entitled(p);
      if (!keep) return fail(keep.error());
      if (*keep) continue;
      if (Status s = withdraw(site, lock.id, p.credential); !s) return s;
      withdrawn.insert(p.credential);
    }
  }
  // A code left on no lock is over.
  for (const std::string& id : withdrawn) {
    auto codes = load("WHERE site = ? AND id = ? AND deleted IS NULL", {std::string(site), id});
    if (!codes) return fail(codes.error());
    for (const Code& c : *codes) {
      const bool left = std::any_of(c.locks.begin(), c.locks.end(),
                                    [](const devices::Placement& p) { return !on_its_way_off(p); });
      if (!left) {
        if (Status s = mark_deleted(c, "system"); !s) return s;
      }
    }
  }
  return {};
}

}  // namespace server::codes
