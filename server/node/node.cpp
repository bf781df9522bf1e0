#include "server/node/node.hpp"

#include <boost/asio/post.hpp>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "server/access/schema.hpp"
#include "server/api/access_routes.hpp"
#include "server/api/audit_routes.hpp"
#include "server/api/codes_routes.hpp"
#include "server/api/devices_routes.hpp"
#include "server/api/identity_routes.hpp"
#include "server/api/live_routes.hpp"
#include "server/api/lockout_routes.hpp"
#include "server/api/maintenance_routes.hpp"
#include "server/api/routes.hpp"
#include "server/codes/schema.hpp"
#include "server/devices/migrations.hpp"
#include "server/http/static_files.hpp"
#include "server/maintenance/schema.hpp"
#include "server/notify/from_config.hpp"
#include "server/store/migrations.hpp"
#include "server/store/sqlite_database.hpp"
#include "transport/credentials_file.hpp"

namespace server {

namespace {

identity::HashCost password_cost(const config::Config& config) {
  return {static_cast<unsigned long long>(config.identity.password_opslimit),
          static_cast<std::size_t>(config.identity.password_memlimit_kib) * 1024};
}

}  // namespace

std::vector<store::Migration> Node::migrations() {
  std::vector<store::Migration> all;
  for (auto domain :
       {audit::migrations, notify::migrations, access::migrations, identity::migrations,
        devices::migrations, maintenance::migrations, codes::migrations, lockout::migrations}) {
    auto list = domain();
    all.insert(all.end(), list.begin(), list.end());
  }
  return all;
}

lockcore::Result<std::unique_ptr<Node>, std::string> Node::open(boost::asio::io_context& io,
                                                                runtime::Scheduler& scheduler,
                                                                const config::Config& config) {
  const identity::HashCost cost = password_cost(config);
  if (!cost.meets_asvs_minimum() && !config.identity.allow_weak_password_hash) {
    return lockcore::fail(fmt::format(
        "identity: argon2id with {} passes and {} KiB is below the OWASP ASVS floor (t=1: 46 MiB, "
        "t=2: 19 MiB, t=3: 12 MiB, t=4: 9 MiB, t>=5: 7 MiB)",
        cost.opslimit, cost.memlimit / 1024));
  }
  store::SqliteOptions options;
  options.busy_timeout = std::chrono::milliseconds(config.store.busy_timeout_ms);
  auto db = store::open_sqlite(config.store.path, options);
  if (!db) return lockcore::fail("store: " + db.error().message);
  auto migrated = store::migrate(**db, migrations());
  if (!migrated) return lockcore::fail("store: " + migrated.error().message);
  for (const std::string& m : migrated->applied)
    spdlog::info("store: applied {}", m);
  std::unique_ptr<Node> node(new Node(io, scheduler, config, std::move(*db)));
  if (auto devices = node->open_devices(options); !devices) return lockcore::fail(devices.error());
  node->open_integration();
  node->add_routes();
  if (auto started = node->devices_->start(); !started) {
    return lockcore::fail("devices: " + started.error().message);
  }
  node->deliverer_->start();
  // Credential tasks a previous run recorded but did not apply, then every few seconds.
  node->credential_tasks_->start(std::chrono::seconds(5));
  if (auto resumed = node->maintenance_.signals().resume(); !resumed)
    return lockcore::fail("maintenance: " + resumed.error().message);
  return node;
}

Node::Node(boost::asio::io_context& io, runtime::Scheduler& scheduler, const config::Config& config,
           std::unique_ptr<store::Database> db)
    : io_(io),
      scheduler_(scheduler),
      config_(config),
      db_(std::move(db)),
      audit_(*db_, scheduler_),
      outbox_(*db_, scheduler_),
      webhooks_(*db_, scheduler_),
      deliverer_(std::make_unique<notify::Deliverer>(
          io.get_executor(), scheduler_, outbox_, webhooks_, metrics_,
          notify::senders_from(config.notify), notify::deliverer_options_from(config.notify))),
      identity_(*db_, scheduler_, audit_, outbox_,
                identity::Options{
                    password_cost(config), {}, {}, "Latchkey", {}, [this] { deliverer_->poke(); }}),
      auth_(identity_.sessions()),
      access_accounts_(identity_.accounts()),
      access_(*db_, scheduler_, audit_, outbox_,
              access::Ports{&access_accounts_, &lock_directory_, nullptr}),
      maintenance_(
          {*db_, scheduler_, audit_, outbox_, access_, &live_, [this] { deliverer_->poke(); }}) {}

Node::~Node() {
  if (devices_ && maintenance_observer_) devices_->remove_observer(maintenance_observer_.get());
}

void Node::open_integration() {
  codes_ =
      std::make_unique<codes::Codes>(codes::Deps{*db_, scheduler_, audit_, access_, *devices_});
  doors_ = std::make_unique<doors::Doors>(scheduler_, access_, *devices_, maintenance_);
  live_feed_ = std::make_unique<doors::LiveFeed>(scheduler_, access_, *codes_);
  site_audit_ = std::make_unique<doors::SiteAudit>(scheduler_, access_, audit_);
  credential_tasks_ = std::make_unique<CredentialTaskRunner>(*db_, scheduler_, *codes_);
  maintenance_observer_ = std::make_unique<MaintenanceObserver>(maintenance_.signals(), scheduler_);
  devices_->add_observer(maintenance_observer_.get());
  lockout_ = std::make_unique<lockout::Lockout>(
      lockout::Deps{*db_, scheduler_, audit_, outbox_, identity_, access_, *devices_, maintenance_,
                    [this] { deliverer_->poke(); }});
}

lockcore::Result<void, std::string> Node::open_devices(const store::SqliteOptions& options) {
  // The batch writer (events, health) has a connection of its own.
  auto writer_db = store::open_sqlite(config_.store.path, options);
  if (!writer_db) return lockcore::fail("store: " + writer_db.error().message);
  devices::DevicesOptions d;
  d.writer.max_rows = static_cast<std::size_t>(config_.store.batch_max_rows);
  d.writer.max_delay = std::chrono::milliseconds(config_.store.batch_max_delay_ms);
  if (!config_.broker.credentials_file.empty()) {
    auto credentials = transport::read_credentials(config_.broker.credentials_file);
    if (!credentials) {
      return lockcore::fail("broker credentials " + config_.broker.credentials_file + ": " +
                            transport::describe(credentials.error()));
    }
    auto password = credentials->password_for(config_.broker.login);
    if (!password) {
      return lockcore::fail("broker credentials " + config_.broker.credentials_file +
                            ": no password for login \"" + config_.broker.login + "\"");
    }
    transport::ClientOptions broker;
    broker.host = config_.broker.host;
    broker.port = static_cast<std::uint16_t>(config_.broker.port);
    broker.username = config_.broker.login;
    broker.password = std::string(*password);
    broker.client_id = config_.broker.login;
    d.broker = std::move(broker);
  }
  devices_ = std::make_unique<devices::Devices>(io_, scheduler_, *db_, std::move(*writer_db),
                                                audit_, live_, metrics_, std::move(d));
  return {};
}

void Node::add_routes() {
  store::Database& store = *db_;
  api::add_routes(router_, {metrics_, {{"store", [&store]() -> lockcore::Result<void, std::string> {
                                          auto r =
                                              store.query("SELECT count(*) FROM schema_migrations");
                                          if (!r) return lockcore::fail(r.error().message);
                                          return {};
                                        }}}});
  api::add_identity_routes(router_, identity_, auth_);
  // Every domain's routes ask who is calling through identity.
  const auto authenticate = [this](const http::Request& request) -> Result<std::string> {
    auto actor = auth_.authenticate_now(request);
    if (!actor) return fail(actor.error());
    return actor->account;
  };
  // An access act that shrank someone's access left a credential task: applied right after it.
  const auto authenticate_then_sweep =
      [this, authenticate](const http::Request& request) -> Result<std::string> {
    boost::asio::post(io_, [this] { (void)credential_tasks_->drain(); });
    return authenticate(request);
  };
  api::add_access_routes(router_, access_, authenticate_then_sweep);
  api::add_maintenance_routes(router_, maintenance_, authenticate);
  api::add_devices_routes(router_, *doors_, authenticate);
  api::add_codes_routes(router_, *codes_, authenticate);
  api::add_audit_routes(router_, *site_audit_, authenticate);
  api::add_live_routes(router_, live_, *live_feed_, access_, scheduler_, authenticate);
  api::add_lockout_routes(router_, *lockout_, auth_);
  if (!config_.web.static_dir.empty()) {
    router_.set_fallback(http::static_files(config_.web.static_dir));
  }
}

lockcore::Result<boost::asio::ip::tcp::endpoint, std::string> Node::start_http() {
  http::ServerOptions options;
  options.address = config_.http.address;
  options.port = static_cast<std::uint16_t>(config_.http.port);
  options.body_limit = static_cast<std::size_t>(config_.http.body_limit);
  options.header_limit = static_cast<std::size_t>(config_.http.header_limit);
  options.idle_timeout = std::chrono::milliseconds(config_.http.idle_timeout_ms);
  options.read_timeout = std::chrono::milliseconds(config_.http.read_timeout_ms);
  options.write_timeout = std::chrono::milliseconds(config_.http.write_timeout_ms);
  auto access_log = spdlog::default_logger()->clone("http");
  if (!config_.log.access) access_log->set_level(spdlog::level::warn);
  http_ = std::make_unique<http::Server>(io_, router_, metrics_, options, access_log);
  auto bound = http_->start();
  if (!bound) return lockcore::fail(bound.error());
  return *bound;
}

void Node::stop(std::function<void()> done) {
  // The deliverer and the HTTP server stop side by side; once both have, devices leaves the
  // broker (committing the events it holds) and `done` runs.
  credential_tasks_->stop();
  auto remaining = std::make_shared<int>(2);
  std::function<void()> one_stopped = [this, remaining, done = std::move(done)] {
    if (--*remaining != 0) return;
    devices_->stop();
    if (done) done();
  };
  deliverer_->stop(one_stopped);
  if (!http_) {
    one_stopped();
    return;
  }
  http_->on_stopped(one_stopped);
  http_->stop();
}

}  // namespace server
