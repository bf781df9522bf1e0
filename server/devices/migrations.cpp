#include "server/devices/migrations.hpp"

namespace server::devices {

namespace {

constexpr std::string_view kSchemaV1 = R"sql(
CREATE TABLE device_sites (
  site TEXT PRIMARY KEY,
  public_key BYTEA NOT NULL,
  secret_key BYTEA NOT NULL,
  utc_offset_min BIGINT NOT NULL DEFAULT 0 CHECK (utc_offset_min BETWEEN -840 AND 840),
  created BIGINT NOT NULL
);
CREATE TABLE device_hubs (
  site TEXT NOT NULL REFERENCES device_sites (site),
  hub TEXT NOT NULL,
  name TEXT NOT NULL,
  created BIGINT NOT NULL,
  PRIMARY KEY (site, hub)
);
CREATE TABLE device_locks (
  site TEXT NOT NULL REFERENCES device_sites (site),
  lock TEXT NOT NULL,
  name TEXT NOT NULL,
  unit TEXT,
  link TEXT NOT NULL,
  slots BIGINT NOT NULL CHECK (slots BETWEEN 1 AND 250),
  backup_pool BIGINT NOT NULL CHECK (backup_pool BETWEEN 0 AND 20),
  pin_min BIGINT NOT NULL CHECK (pin_min BETWEEN 4 AND 8),
  pin_max BIGINT NOT NULL CHECK (pin_max BETWEEN 4 AND 8),
  keypad BIGINT NOT NULL,
  bluetooth BIGINT NOT NULL,
  pairing_code_key BYTEA,
  paired BIGINT NOT NULL DEFAULT 0,
  needs_reenroll BIGINT NOT NULL DEFAULT 0,
  epoch BIGINT NOT NULL DEFAULT 0,
  offline_secret BYTEA,
  commissioned_at BIGINT NOT NULL DEFAULT 0,
  shadow_version BIGINT NOT NULL DEFAULT 0,
  wrong_code_limit BIGINT NOT NULL DEFAULT 5,
  wrong_code_disable_s BIGINT NOT NULL DEFAULT 60,
  auto_relock_s BIGINT NOT NULL DEFAULT 0,
  backup_rotate_pending BIGINT NOT NULL DEFAULT 0,
  events_acked BIGINT NOT NULL DEFAULT 0,
  created BIGINT NOT NULL,
  PRIMARY KEY (site, lock)
);
CREATE TABLE device_health (
  site TEXT NOT NULL,
  device TEXT NOT NULL,
  online BIGINT,
  last_seen BIGINT NOT NULL DEFAULT 0,
  bolt TEXT,
  door TEXT,
  keypad TEXT,
  battery_pct BIGINT,
  battery_mv BIGINT,
  rssi BIGINT,
  firmware TEXT,
  epoch BIGINT,
  event_seq BIGINT,
  paired BIGINT,
  motor_fault BIGINT,
  pairing_key BYTEA,
  reported_version BIGINT NOT NULL DEFAULT 0,
  reported_digest BYTEA,
  links TEXT,
  PRIMARY KEY (site, device)
);
CREATE TABLE device_transitions (
  site TEXT NOT NULL,
  device TEXT NOT NULL,
  at BIGINT NOT NULL,
  seq BIGINT NOT NULL,
  online BIGINT NOT NULL,
  reason TEXT NOT NULL,
  PRIMARY KEY (site, device, at, seq)
);
CREATE TABLE device_battery (
  site TEXT NOT NULL,
  lock TEXT NOT NULL,
  at BIGINT NOT NULL,
  pct BIGINT NOT NULL,
  mv BIGINT NOT NULL,
  PRIMARY KEY (site, lock, at)
);
CREATE TABLE device_placements (
  site TEXT NOT NULL,
  lock TEXT NOT NULL,
  credential TEXT NOT NULL,
  slot BIGINT NOT NULL CHECK (slot BETWEEN 1 AND 250),
  active_slot BIGINT,
  kind TEXT NOT NULL CHECK (kind IN ('pin', 'backup')),
  pin TEXT NOT NULL,
  days_mask BIGINT NOT NULL,
  start_min BIGINT NOT NULL,
  end_min BIGINT NOT NULL,
  not_before BIGINT NOT NULL,
  not_after BIGINT NOT NULL,
  max_uses BIGINT NOT NULL,
  holder TEXT NOT NULL,
  wanted BIGINT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('pending', 'set', 'failed', 'removing', 'removed')),
  error TEXT NOT NULL,
  issued_at BIGINT NOT NULL DEFAULT 0,
  created BIGINT NOT NULL,
  updated BIGINT NOT NULL,
  PRIMARY KEY (site, lock, credential),
  UNIQUE (site, lock, active_slot),
  FOREIGN KEY (site, lock) REFERENCES device_locks (site, lock)
);
CREATE INDEX device_placements_by_credential ON device_placements (site, credential);
CREATE TABLE device_commands (
  id TEXT PRIMARY KEY,
  site TEXT NOT NULL,
  lock TEXT NOT NULL,
  op TEXT NOT NULL CHECK (op IN ('unlock', 'lock')),
  requested_by TEXT NOT NULL,
  status TEXT NOT NULL
    CHECK (status IN ('pending', 'sent', 'succeeded', 'failed', 'timed_out')),
  error TEXT NOT NULL,
  confirmed BIGINT NOT NULL,
  bolt TEXT NOT NULL,
  created BIGINT NOT NULL,
  expires BIGINT NOT NULL,
  updated BIGINT NOT NULL,
  FOREIGN KEY (site, lock) REFERENCES device_locks (site, lock)
);
CREATE INDEX device_commands_by_lock ON device_commands (site, lock, created);
CREATE TABLE device_events (
  site TEXT NOT NULL,
  lock TEXT NOT NULL,
  seq BIGINT NOT NULL,
  last_seq BIGINT NOT NULL,
  ts BIGINT NOT NULL,
  type TEXT NOT NULL,
  source TEXT NOT NULL,
  reason TEXT NOT NULL,
  slot BIGINT NOT NULL,
  value BIGINT NOT NULL,
  key_id TEXT NOT NULL,
  received BIGINT NOT NULL,
  audited BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (site, lock, seq)
);
CREATE INDEX device_events_unaudited ON device_events (audited, site, lock);
CREATE TABLE device_keys (
  id TEXT PRIMARY KEY,
  site TEXT NOT NULL,
  lock TEXT NOT NULL,
  holder BYTEA NOT NULL,
  not_before BIGINT NOT NULL,
  not_after BIGINT NOT NULL,
  epoch BIGINT NOT NULL,
  issued_by TEXT NOT NULL,
  issued_at BIGINT NOT NULL,
  revoked_at BIGINT NOT NULL DEFAULT 0,
  FOREIGN KEY (site, lock) REFERENCES device_locks (site, lock)
);
CREATE INDEX device_keys_by_lock ON device_keys (site, lock, revoked_at);
)sql";

}  // namespace

std::vector<store::Migration> migrations() {
  return {{"devices", 1, std::string(kSchemaV1)}};
}

}  // namespace server::devices
