#include "server/codes/schema.hpp"

namespace server::codes {

namespace {

// holder: the account the code is for (own and staff codes); NULL for a guest's code, named by
// `name` and answered for by `created_by`. Times are Unix ms; NULL is an open end. A deleted
// code keeps its row (the audit trail and the placements' history refer to it).
constexpr std::string_view kSchema = R"sql(
CREATE TABLE codes (
  id TEXT PRIMARY KEY,
  site TEXT NOT NULL,
  name TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('own', 'guest', 'staff')),
  holder TEXT,
  created_by TEXT NOT NULL,
  valid_from BIGINT,
  valid_until BIGINT,
  schedule TEXT NOT NULL,
  max_uses BIGINT NOT NULL,
  created BIGINT NOT NULL,
  deleted BIGINT,
  CHECK (valid_from IS NULL OR valid_until IS NULL OR valid_from < valid_until)
);
CREATE INDEX codes_by_site ON codes (site, deleted);
CREATE INDEX codes_by_holder ON codes (holder, site);
CREATE INDEX codes_by_creator ON codes (created_by, site);
)sql";

}  // namespace

std::vector<store::Migration> migrations() {
  return {{"codes", 1, std::string(kSchema)}};
}

}  // namespace server::codes
