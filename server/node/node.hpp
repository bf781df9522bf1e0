#pragma once
// server::Node: one running Latchkey server, composed in one place: its store (migrated), the
// shared domain services (audit log, outbox, live bus), the domains, and the HTTP routes onto
// them. `latchkey serve` runs one on the wall clock; integration tests and the scenario runner
// run one on a virtual clock (runtime::VirtualScheduler) against a real broker.
//
// Everything runs on the thread that runs the io_context given to open().

#include <memory>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "lockcore/result.hpp"
#include "runtime/scheduler.hpp"
#include "server/access/access.hpp"
#include "server/api/auth.hpp"
#include "server/audit/audit_log.hpp"
#include "server/codes/codes.hpp"
#include "server/config/config.hpp"
#include "server/devices/devices.hpp"
#include "server/doors/doors.hpp"
#include "server/doors/live_feed.hpp"
#include "server/doors/lock_directory.hpp"
#include "server/doors/site_audit.hpp"
#include "server/http/metrics.hpp"
#include "server/http/router.hpp"
#include "server/http/server.hpp"
#include "server/identity/access_accounts.hpp"
#include "server/identity/identity.hpp"
#include "server/live/bus.hpp"
#include "server/lockout/lockout.hpp"
#include "server/maintenance/maintenance.hpp"
#include "server/node/credential_task_runner.hpp"
#include "server/node/maintenance_observer.hpp"
#include "server/notify/deliverer.hpp"
#include "server/notify/outbox.hpp"
#include "server/notify/webhooks.hpp"
#include "server/store/database.hpp"
#include "server/store/sqlite_database.hpp"

namespace server {

class Node {
 public:
  // Opens (creating if needed) and migrates the store named by the config, builds the domains and
  // the routes. Errors: a message naming what could not be opened or migrated.
  static lockcore::Result<std::unique_ptr<Node>, std::string> open(boost::asio::io_context& io,
                                                                   runtime::Scheduler& scheduler,
                                                                   const config::Config& config);
  ~Node();
  Node(const Node&) = delete;
  Node& operator=(const Node&) = delete;

  // Starts listening on the configured address and port (port 0: any free port).
  lockcore::Result<boost::asio::ip::tcp::endpoint, std::string> start_http();
  // Stops accepting and lets requests in progress finish, stops the notification deliverer
  // (attempts under way are abandoned untried, sent at the next start) and the credential-task
  // timer, then disconnects devices from the broker; calls `done` once nothing is left.
  void stop(std::function<void()> done);

  // Every domain's migrations, in dependency order (a domain whose tables others reference
  // first).
  static std::vector<store::Migration> migrations();

  const config::Config& config() const { return config_; }
  runtime::Scheduler& scheduler() { return scheduler_; }
  store::Database& db() { return *db_; }
  http::Router& router() { return router_; }
  http::Registry& metrics() { return metrics_; }
  audit::AuditLog& audit() { return audit_; }
  notify::Outbox& outbox() { return outbox_; }
  notify::Webhooks& webhooks() { return webhooks_; }
  // Started by open(). Call poke() after committing a transaction that enqueued a message.
  notify::Deliverer& deliverer() { return *deliverer_; }
  live::Bus& live() { return live_; }
  access::Access& access() { return access_; }
  identity::Identity& identity() { return identity_; }
  // Who is calling, for every domain's routes (server/api/auth.hpp).
  const api::Auth& auth() const { return auth_; }
  devices::Devices& devices() { return *devices_; }
  maintenance::Maintenance& maintenance() { return maintenance_; }
  codes::Codes& codes() { return *codes_; }
  doors::Doors& doors() { return *doors_; }
  // Applies access's credential tasks (a move-out's codes coming off); drain() after acts made
  // outside HTTP when their effect is wanted before the next tick.
  CredentialTaskRunner& credential_tasks() { return *credential_tasks_; }
  lockout::Lockout& lockout() { return *lockout_; }

 private:
  Node(boost::asio::io_context& io, runtime::Scheduler& scheduler, const config::Config& config,
       std::unique_ptr<store::Database> db);
  void add_routes();
  lockcore::Result<void, std::string> open_devices(const store::SqliteOptions& options);
  void open_integration();

  boost::asio::io_context& io_;
  runtime::Scheduler& scheduler_;
  config::Config config_;
  std::unique_ptr<store::Database> db_;
  http::Registry metrics_;
  http::Router router_;
  audit::AuditLog audit_;
  notify::Outbox outbox_;
  live::Bus live_;
  notify::Webhooks webhooks_;
  std::unique_ptr<notify::Deliverer> deliverer_;
  identity::Identity identity_;
  api::Auth auth_;
  identity::AccessAccounts access_accounts_;             // identity, as access asks about accounts
  std::unique_ptr<devices::Devices> devices_;            // made by open_devices(), after access
  doors::DeviceLockDirectory lock_directory_{devices_};  // devices, as access asks where a door is
  access::Access access_;                                // after identity: access calls into it
  maintenance::Maintenance maintenance_;
  // The integration of access, devices and maintenance (open_integration()).
  std::unique_ptr<codes::Codes> codes_;
  std::unique_ptr<doors::Doors> doors_;
  std::unique_ptr<doors::LiveFeed> live_feed_;
  std::unique_ptr<doors::SiteAudit> site_audit_;
  std::unique_ptr<CredentialTaskRunner> credential_tasks_;
  std::unique_ptr<MaintenanceObserver> maintenance_observer_;
  std::unique_ptr<lockout::Lockout> lockout_;  // after devices: it observes the locks
  std::unique_ptr<http::Server> http_;
};

}  // namespace server
