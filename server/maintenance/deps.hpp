#pragma once
// What the maintenance domain is built on: the store connection, the injected scheduler (all time
// and every timer), the audit log and outbox (written in each act's transaction), access (who may
// act, and who hears of a new order), and two optional hooks run after a commit.

#include <functional>

#include "runtime/scheduler.hpp"
#include "server/access/access.hpp"
#include "server/audit/audit_log.hpp"
#include "server/live/bus.hpp"
#include "server/notify/outbox.hpp"
#include "server/store/database.hpp"

namespace server::maintenance {

struct Deps {
  store::Database& db;
  runtime::Scheduler& scheduler;
  audit::AuditLog& audit;
  notify::Outbox& outbox;
  access::Access& access;
  live::Bus* live = nullptr;         // topic "work_order" on each change; none: not published
  std::function<void()> enqueued{};  // after a commit that enqueued messages (poke the deliverer)
};

}  // namespace server::maintenance
