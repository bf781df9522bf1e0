#pragma once
// Physical keys: who carries a tracked key to which door (DESIGN.md section 3: a physical key is a
// credential, tracked, not electronic). The lock cannot tell whose key turned it, so the server
// knows a carrier only because an owner or manager recorded handing the key over; the diagnosis
// then offers the key first when it works (no power, network or account needed). Each function
// runs on the domain's connection, inside the caller's transaction when there is one.
// Errors: the store's (internal, unavailable).

#include <string_view>

#include "server/common/error.hpp"
#include "server/lockout/model.hpp"
#include "server/store/database.hpp"

namespace server::lockout {

// Records that `account` carries a key to `lock` since `at` (again: no change).
Status insert_physical_key(store::Database& db, std::string_view site, std::string_view lock,
                           std::string_view account, std::string_view by, UnixMs at);
// Whether `account` carries a key to `lock`.
Result<bool> carries_physical_key(store::Database& db, std::string_view site, std::string_view lock,
                                  std::string_view account);

}  // namespace server::lockout
