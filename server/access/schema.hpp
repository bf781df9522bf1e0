#pragma once
// The access domain's tables: sites, units, memberships, ownership_transfers, credential_tasks.
// Other domains reference `sites (id)` and `units (site, id)` (a lock's site and unit), so these
// migrations come before theirs. Accounts are referred to by id (text) without a foreign key:
// identity's tables are not ours.

#include <vector>

#include "server/store/migrations.hpp"

namespace server::access {

std::vector<store::Migration> migrations();

}  // namespace server::access
