// The identity domain's tables. Times are Unix milliseconds from the injected clock; secrets are
// stored only as digests (tokens, recovery codes) or argon2id strings (passwords).

#include "server/identity/identity.hpp"

namespace server::identity {

namespace {

constexpr std::string_view kV1 = R"sql(
CREATE TABLE accounts (
  id TEXT PRIMARY KEY,
  email TEXT NOT NULL,
  email_key TEXT NOT NULL UNIQUE,
  phone TEXT NOT NULL UNIQUE,
  display_name TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('active', 'locked', 'suspended', 'deleted')),
  password_hash TEXT NOT NULL,
  created BIGINT NOT NULL,
  updated BIGINT NOT NULL
);

CREATE TABLE devices (
  id TEXT PRIMARY KEY,
  account TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  public_key BYTEA NOT NULL UNIQUE,
  created BIGINT NOT NULL,
  last_seen BIGINT NOT NULL,
  last_proof BIGINT NOT NULL
);
CREATE INDEX devices_by_account ON devices (account);

CREATE TABLE sessions (
  id TEXT PRIMARY KEY,
  account TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  device TEXT REFERENCES devices (id) ON DELETE SET NULL,
  mfa BIGINT NOT NULL,
  created BIGINT NOT NULL,
  expires BIGINT NOT NULL,
  access_hash BYTEA NOT NULL UNIQUE,
  access_expires BIGINT NOT NULL,
  refresh_hash BYTEA NOT NULL UNIQUE,
  refresh_expires BIGINT NOT NULL,
  ended BIGINT,
  end_reason TEXT NOT NULL
);
CREATE INDEX sessions_by_account ON sessions (account);
CREATE INDEX sessions_by_device ON sessions (device);

CREATE TABLE used_refresh_tokens (
  hash BYTEA PRIMARY KEY,
  session TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
  used BIGINT NOT NULL
);

CREATE TABLE mfa_totp (
  account TEXT PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
  secret BYTEA NOT NULL,
  created BIGINT NOT NULL,
  confirmed BIGINT,
  last_step BIGINT NOT NULL
);

CREATE TABLE recovery_codes (
  digest BYTEA PRIMARY KEY,
  account TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  created BIGINT NOT NULL,
  used BIGINT
);
CREATE INDEX recovery_codes_by_account ON recovery_codes (account);

CREATE TABLE sign_in_streaks (
  login TEXT NOT NULL,
  source TEXT NOT NULL,
  failures BIGINT NOT NULL,
  last_failure BIGINT NOT NULL,
  PRIMARY KEY (login, source)
);

CREATE TABLE sign_in_failures (
  id TEXT PRIMARY KEY,
  login TEXT NOT NULL,
  source TEXT NOT NULL,
  at BIGINT NOT NULL
);
CREATE INDEX sign_in_failures_by_login ON sign_in_failures (login, at);

CREATE TABLE sign_in_sources (
  login TEXT NOT NULL,
  source TEXT NOT NULL,
  last_success BIGINT NOT NULL,
  PRIMARY KEY (login, source)
);
)sql";

}  // namespace

// "Forgot password" (password_reset.hpp): the links sent, and the requests the limits count.
constexpr std::string_view kV2 = R"sql(
CREATE TABLE password_reset_links (
  token_hash BYTEA PRIMARY KEY,
  account TEXT NOT NULL REFERENCES accounts(id),
  requested BIGINT NOT NULL,
  expires BIGINT NOT NULL,
  replaced BIGINT NOT NULL,
  used BIGINT NOT NULL
);
CREATE INDEX password_reset_links_by_account ON password_reset_links (account);

CREATE TABLE password_reset_requests (
  id TEXT PRIMARY KEY,
  login TEXT NOT NULL,
  source TEXT NOT NULL,
  at BIGINT NOT NULL
);
CREATE INDEX password_reset_requests_by_login ON password_reset_requests (login, at);
CREATE INDEX password_reset_requests_by_source ON password_reset_requests (source, at);
)sql";

std::vector<store::Migration> migrations() {
  return {{"identity", 1, std::string(kV1)}, {"identity", 2, std::string(kV2)}};
}

}  // namespace server::identity
