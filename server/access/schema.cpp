#include "server/access/schema.hpp"

namespace server::access {

namespace {

// Times are Unix ms; a NULL valid_from/valid_until is an open end. A membership's unit is NULL when
// it is site-wide. A removed unit keeps its row (its memberships' history refers to it).
constexpr std::string_view kSchema = R"sql(
CREATE TABLE sites (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  timezone TEXT NOT NULL,
  created BIGINT NOT NULL,
  created_by TEXT NOT NULL
);
CREATE TABLE units (
  site TEXT NOT NULL REFERENCES sites (id),
  id TEXT NOT NULL,
  name TEXT NOT NULL,
  created BIGINT NOT NULL,
  removed BIGINT,
  PRIMARY KEY (site, id)
);
CREATE TABLE memberships (
  id TEXT PRIMARY KEY,
  site TEXT NOT NULL REFERENCES sites (id),
  unit TEXT,
  account TEXT NOT NULL,
  role TEXT NOT NULL
    CHECK (role IN ('owner', 'manager', 'maintenance', 'resident', 'guest', 'support')),
  valid_from BIGINT,
  valid_until BIGINT,
  schedule TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('active', 'suspended', 'ended')),
  created BIGINT NOT NULL,
  granted_by TEXT NOT NULL,
  ended BIGINT,
  FOREIGN KEY (site, unit) REFERENCES units (site, id),
  CHECK (valid_from IS NULL OR valid_until IS NULL OR valid_from < valid_until)
);
CREATE INDEX memberships_by_account ON memberships (account, site, status);
CREATE INDEX memberships_by_site ON memberships (site, status);
CREATE TABLE ownership_transfers (
  id TEXT PRIMARY KEY,
  site TEXT NOT NULL REFERENCES sites (id),
  from_account TEXT NOT NULL,
  to_account TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('pending', 'accepted', 'cancelled', 'expired')),
  created BIGINT NOT NULL,
  expires BIGINT NOT NULL,
  finished BIGINT,
  finished_by TEXT
);
CREATE INDEX ownership_transfers_by_site ON ownership_transfers (site, status);
CREATE INDEX ownership_transfers_by_recipient ON ownership_transfers (to_account, status);
CREATE TABLE credential_tasks (
  id TEXT PRIMARY KEY,
  site TEXT NOT NULL REFERENCES sites (id),
  account TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('remove_all', 'revalidate')),
  reason TEXT NOT NULL,
  created BIGINT NOT NULL,
  done BIGINT
);
CREATE INDEX credential_tasks_pending ON credential_tasks (done, created);
)sql";

}  // namespace

std::vector<store::Migration> migrations() {
  return {{"access", 1, std::string(kSchema)}};
}

}  // namespace server::access
