#pragma once
// Schema migrations. Each domain owns its tables and lists its own migrations, numbered 1, 2, 3…;
// the app concatenates the domains' lists (in dependency order: a domain whose tables others
// reference comes first) and calls migrate() at start-up.
//
// migrate() applies, in list order, every migration not yet recorded in `schema_migrations`,
// each in its own transaction together with its record, so a failing migration leaves nothing of
// itself behind and the ones before it stay applied. Running it again is a no-op.

#include <string>
#include <vector>

#include "server/store/database.hpp"

namespace server::store {

struct Migration {
  std::string domain;  // the owning domain's name, e.g. "identity"
  int version;         // 1, 2, 3… within the domain
  std::string sql;     // portable SQL (database.hpp), any number of statements
};

struct MigrationReport {
  std::vector<std::string> applied;  // "identity v1", … in the order they were applied
};

// Errors:
//   misuse  the list is malformed (a domain's versions not 1, 2, 3… in order, an empty domain
//           name), the database records a version this list does not have (a newer binary
//           migrated it), or an applied migration's SQL has changed since (checksum differs);
//           also a migration whose SQL is invalid — the message names "domain vN".
//   busy, io, *_violation  from the migration's own statements, named the same way.
Result<MigrationReport> migrate(Database& db, const std::vector<Migration>& migrations);

}  // namespace server::store
