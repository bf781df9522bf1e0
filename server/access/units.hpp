#pragma once
// Units: the apartments of a site. Creating, renaming and removing them needs manage_site; seeing
// them needs a membership that covers them (a unit membership sees its own unit only).
// A removed unit keeps its row for the history of its memberships; creating it again revives it.

#include <string>
#include <string_view>
#include <vector>

#include "server/access/deps.hpp"
#include "server/access/model.hpp"
#include "server/access/policy.hpp"

namespace server::access {

class Units {
 public:
  Units(const Deps& deps, const Policy& policy) : deps_(deps), policy_(policy) {}

  // Audited unit_created. Errors: not_found (site not visible), forbidden, invalid_field "id" or
  // "name", conflict (the site already has this unit), the store's.
  Result<Unit> create(std::string_view actor, std::string_view site, const Unit& unit);
  // The units of the site that `actor`'s memberships cover, by id. Errors: not_found, the store's.
  Result<std::vector<Unit>> list(std::string_view actor, std::string_view site);
  // Errors: not_found (site or unit not visible), the store's.
  Result<Unit> get(std::string_view actor, std::string_view site, std::string_view unit);
  // Audited unit_changed. Errors: not_found, forbidden, invalid_field "name", the store's.
  Result<Unit> rename(std::string_view actor, std::string_view site, std::string_view unit,
                      std::string_view name);
  // Audited unit_removed. Errors: not_found, forbidden, conflict (memberships that have not ended
  // or doors are still in the unit), the store's.
  Status remove(std::string_view actor, std::string_view site, std::string_view unit);

 private:
  Status audit_unit(audit::AuditType type, std::string_view actor, std::string_view site,
                    std::string_view unit, std::string_view name);

  const Deps& deps_;
  const Policy& policy_;
};

}  // namespace server::access
