#include "server/lockout/schema.hpp"

#include <string>
#include <string_view>

namespace server::lockout {

namespace {

// Times are Unix ms. A case's account is NULL for a caller who was not signed in (an unknown
// caller). `diagnosis` is the engine's answer as it stood when the case opened (JSON text), never
// rewritten. A backup link's token is stored only as its BLAKE2b digest; `replaced` and `expired`
// record how a link stopped being good (a link is good for 30 minutes from its request, until a
// newer request replaces it). `lockout_backup_requests` is what the per-value, per-account and
// per-source rate limits count.
constexpr std::string_view kSchema = R"sql(
CREATE TABLE lockout_cases (
  id TEXT PRIMARY KEY,
  site TEXT NOT NULL REFERENCES sites (id),
  lock TEXT NOT NULL,
  account TEXT,
  symptoms TEXT NOT NULL,
  context TEXT NOT NULL,
  verification TEXT NOT NULL CHECK (verification IN ('none', 'session', 'identity_checked')),
  diagnosis TEXT NOT NULL,
  opened_at BIGINT NOT NULL,
  opened_by TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('open', 'resolved', 'escalated')),
  resolved_by TEXT,
  resolved_at BIGINT,
  duration_ms BIGINT,
  escalated_at BIGINT
);
CREATE INDEX lockout_cases_by_site ON lockout_cases (site, opened_at);
CREATE INDEX lockout_cases_by_person ON lockout_cases (account, site, lock, status);
CREATE TABLE lockout_case_actions (
  case_id TEXT NOT NULL REFERENCES lockout_cases (id),
  seq BIGINT NOT NULL,
  action TEXT NOT NULL,
  taken_by TEXT NOT NULL,
  at BIGINT NOT NULL,
  outcome TEXT NOT NULL,
  detail TEXT NOT NULL,
  PRIMARY KEY (case_id, seq)
);
CREATE TABLE lockout_backup_links (
  token_hash BYTEA PRIMARY KEY,
  account TEXT NOT NULL,
  site TEXT NOT NULL REFERENCES sites (id),
  lock TEXT NOT NULL,
  case_id TEXT,
  credential TEXT NOT NULL,
  code TEXT NOT NULL,
  requested_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  viewed_at BIGINT,
  replaced_at BIGINT,
  expired_audited BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX lockout_backup_links_by_account ON lockout_backup_links (account, requested_at);
CREATE INDEX lockout_backup_links_by_credential ON lockout_backup_links (site, lock, credential);
CREATE TABLE lockout_backup_requests (
  id TEXT PRIMARY KEY,
  value_key TEXT NOT NULL,
  source TEXT NOT NULL,
  at BIGINT NOT NULL
);
CREATE INDEX lockout_backup_requests_by_value ON lockout_backup_requests (value_key, at);
CREATE INDEX lockout_backup_requests_by_source ON lockout_backup_requests (source, at);
)sql";

// Who carries a tracked physical key to which door, as an owner or manager recorded it.
constexpr std::string_view kPhysicalKeys = R"sql(
CREATE TABLE lockout_physical_keys (
  site TEXT NOT NULL REFERENCES sites (id),
  lock TEXT NOT NULL,
  account TEXT NOT NULL,
  handed_by TEXT NOT NULL,
  handed_at BIGINT NOT NULL,
  PRIMARY KEY (site, lock, account)
);
)sql";

}  // namespace

std::vector<store::Migration> migrations() {
  return {{"lockout", 1, std::string(kSchema)}, {"lockout", 2, std::string(kPhysicalKeys)}};
}

}  // namespace server::lockout
