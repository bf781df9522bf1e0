#pragma once
// What the lockout domain is built on: the store connection, the injected scheduler (all time and
// every timer), the audit log and outbox (written in each act's transaction), and the domains it
// reads from and acts through: identity (accounts, MFA), access (memberships, sites), devices
// (locks, backup pools, unlocks, re-enrollment) and maintenance (work orders).

#include <functional>

#include "runtime/scheduler.hpp"
#include "server/access/access.hpp"
#include "server/audit/audit_log.hpp"
#include "server/devices/devices.hpp"
#include "server/identity/identity.hpp"
#include "server/maintenance/maintenance.hpp"
#include "server/notify/outbox.hpp"
#include "server/store/database.hpp"

namespace server::lockout {

struct Deps {
  store::Database& db;
  runtime::Scheduler& scheduler;
  audit::AuditLog& audit;
  notify::Outbox& outbox;
  identity::Identity& identity;
  access::Access& access;
  devices::Devices& devices;
  maintenance::Maintenance& maintenance;
  std::function<void()> enqueued{};  // after a commit that enqueued messages (poke the deliverer)
};

}  // namespace server::lockout
