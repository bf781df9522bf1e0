#pragma once
// Memberships: account x (site-wide or one unit) x role x window x weekly schedule x status, and
// their lifecycle: start (grant or invite), change role, end, and suspending / reinstating
// someone's access at one site. Each act is one transaction with its audit entry
// (membership_started / membership_changed / membership_ended / account_suspended /
// account_reactivated); acts that shrink someone's access also record a credential task
// (credential_tasks.hpp) so their codes and keys follow.
//
// Who may grant what is policy.check_grant() over the grant table (roles.hpp); nobody grants,
// changes or ends a membership of their own, nor one of a role they could not grant (a manager
// cannot demote another manager, nobody but a transfer makes or unmakes an owner).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "server/access/deps.hpp"
#include "server/access/model.hpp"
#include "server/access/policy.hpp"

namespace server::access {

struct Grant {
  Role role = Role::guest;
  std::optional<std::string> unit;  // nullopt: site-wide
  std::optional<UnixMs> valid_from;
  std::optional<UnixMs> valid_until;
  std::optional<std::string> schedule;  // "Mo-Fr 08:00-17:00" (schedule.hpp); nullopt: any time
};

class Memberships {
 public:
  Memberships(const Deps& deps, const Policy& policy) : deps_(deps), policy_(policy) {}

  // Starts a membership for the account with `email` (identity finds or invites it).
  // Errors: not_found (site or unit not visible to `actor`); forbidden (the grant table, or a
  // grant to oneself); invalid_field "email", "role" (owner, manager and support are site-wide
  // only), "valid_until" (not after valid_from), "schedule"; conflict (the account already has a
  // membership for this unit, or site-wide); unavailable (identity); the store's.
  Result<Membership> invite(std::string_view actor, std::string_view site, std::string_view email,
                            const Grant& grant);
  // The same for an account id (scenario set-up, other domains). Errors as invite(), plus
  // not_found "account" when identity knows no such active account.
  Result<Membership> grant(std::string_view actor, std::string_view site, std::string_view account,
                           const Grant& grant);

  // Errors: not_found (site not visible, or no such membership at this site); forbidden (own
  // membership, or `actor` may not grant the old or the new role there); invalid_field "role";
  // conflict (the membership has ended); the store's.
  Result<Membership> change_role(std::string_view actor, std::string_view site,
                                 std::string_view membership, Role role);
  // Ends a membership: one's own (not an owner's: transfer first), or one `actor` could grant.
  // Errors as change_role(); conflict also for an owner leaving.
  Status end(std::string_view actor, std::string_view site, std::string_view membership);

  // The memberships at the site that have not ended. Errors: not_found, forbidden (view_people),
  // the store's.
  Result<std::vector<Membership>> list(std::string_view actor, std::string_view site);
  // The same, each with its holder's email. Errors: as list().
  Result<std::vector<Person>> people(std::string_view actor, std::string_view site);

  // The accounts in good standing that hold, at `site`, a membership of one of `roles` counting
  // at `now` (site-wide or for a unit), each once, ordered by id: whom a site's staff notices go
  // to (a work order to the on-site team). A read for other domains with no actor: never the
  // answer to a request. Errors: the store's and identity's (internal, unavailable).
  Result<std::vector<AccountInfo>> holders(std::string_view site, const std::vector<Role>& roles,
                                           UnixMs now);

  // Suspends every membership `account` holds at `site` (they stay visible and count for
  // nothing) and tells the account. Only someone who could grant every role the account holds
  // there (so never someone of equal or higher role), never oneself. Errors: not_found (site not
  // visible, or the account has no membership there), forbidden, conflict (already suspended),
  // the store's.
  Status suspend(std::string_view actor, std::string_view site, std::string_view account);
  // Lifts a suspension. Errors as suspend(); conflict when not suspended.
  Status reinstate(std::string_view actor, std::string_view site, std::string_view account);

 private:
  Result<Membership> start(std::string_view actor, std::string_view site,
                           const std::string& account, const Grant& grant);
  // The membership `actor` wants to act on, after the checks shared by change_role() and end().
  Result<Membership> target(std::string_view actor, std::string_view site, std::string_view id);
  Status set_suspended(std::string_view actor, std::string_view site, std::string_view account,
                       bool suspended);

  const Deps& deps_;
  const Policy& policy_;
};

// Inside an open transaction: inserts `m` and its membership_started entry.
Status start_membership(const Deps& deps, std::string_view actor, const Membership& m);
// Inside an open transaction: ends `m` with its membership_ended entry and a credential task
// (`reason` says why: "ended", "ownership_transferred", …).
Status end_membership(const Deps& deps, std::string_view actor, Membership m,
                      std::string_view reason);

}  // namespace server::access
