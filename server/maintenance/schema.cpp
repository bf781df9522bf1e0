#include "server/maintenance/schema.hpp"

#include <string>

namespace server::maintenance {

namespace {

// Times are Unix ms. A work order's target is a lock id, or a hub id when its kind is `hub`.
// At most one order that is not closed per site, target and kind: the partial unique index is
// the store's backstop for the check the opening transaction makes.
constexpr std::string_view kSchema = R"sql(
CREATE TABLE maintenance_jams (
  site TEXT NOT NULL REFERENCES sites (id),
  lock TEXT NOT NULL,
  at BIGINT NOT NULL,
  PRIMARY KEY (site, lock, at)
);
CREATE TABLE maintenance_battery_samples (
  site TEXT NOT NULL REFERENCES sites (id),
  lock TEXT NOT NULL,
  at BIGINT NOT NULL,
  pct BIGINT NOT NULL CHECK (pct >= 0 AND pct <= 100),
  mv BIGINT,
  PRIMARY KEY (site, lock, at)
);
CREATE TABLE maintenance_hub_outages (
  site TEXT NOT NULL REFERENCES sites (id),
  hub TEXT NOT NULL,
  since BIGINT NOT NULL,
  PRIMARY KEY (site, hub)
);
CREATE TABLE work_orders (
  id TEXT PRIMARY KEY,
  site TEXT NOT NULL REFERENCES sites (id),
  target TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('door_alignment', 'battery', 'hub', 'lock_hardware')),
  status TEXT NOT NULL CHECK (status IN ('open', 'taken', 'closed')),
  opened_at BIGINT NOT NULL,
  reason TEXT NOT NULL,
  forecast_empty_at BIGINT,
  taken_by TEXT,
  taken_at BIGINT,
  closed_by TEXT,
  closed_at BIGINT,
  closed_note TEXT
);
CREATE UNIQUE INDEX work_orders_one_open ON work_orders (site, target, kind)
  WHERE status <> 'closed';
CREATE INDEX work_orders_by_site ON work_orders (site, status, opened_at);
)sql";

}  // namespace

std::vector<store::Migration> migrations() {
  return {{"maintenance", 1, std::string(kSchema)}};
}

}  // namespace server::maintenance
