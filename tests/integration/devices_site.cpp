#include "tests/integration/devices_site.hpp"

#include "protocol/codec.hpp"
#include "protocol/topics.hpp"
#include "server/store/sqlite_database.hpp"
#include "sim/broker_logins.hpp"
#include "tests/support/site_authority.hpp"

namespace devicesim {

sim::LockSpec lock_spec(std::string id, std::string link) {
  sim::LockSpec spec;
  spec.id = std::move(id);
  spec.link = std::move(link);
  return spec;
}

sim::FleetConfig site_config(std::vector<sim::LockSpec> locks, std::vector<sim::HubSpec> hubs) {
  sim::FleetConfig config;
  config.site = std::string(kSite);
  config.seed = 23;
  config.virtual_clock = true;
  config.locks = std::move(locks);
  config.hubs = std::move(hubs);
  return config;
}

void DevicesSite::start(sim::FleetConfig config) {
  const std::vector<sim::LockSpec> locks = config.locks;
  const std::vector<sim::HubSpec> hubs = config.hubs;
  ASSERT_NO_FATAL_FAILURE(start_fleet(std::move(config)));
  options.broker = broker->client_options("server");
  options.writer.max_delay = 2ms;
  ASSERT_NO_FATAL_FAILURE(start_server());
  for (const sim::HubSpec& h : hubs) {
    auto added = devices->add_hub({std::string(kSite), h.id, "Hub " + h.id}, kManager);
    ASSERT_TRUE(added) << added.error().message;
  }
  for (const sim::LockSpec& l : locks) {
    server::devices::LockSpec spec;
    spec.site = std::string(kSite);
    spec.id = l.id;
    spec.name = "Door " + l.id;
    spec.link = l.link;
    spec.slots = l.slots;
    spec.backup_pool = 2;
    auto added = devices->add_lock(spec, kManager);
    ASSERT_TRUE(added) << added.error().message;
  }
  ASSERT_NO_FATAL_FAILURE(connect_fleet(locks));
}

void DevicesSite::start_fleet(sim::FleetConfig config) {
  auto logins = sim::fleet_broker_logins(config);
  ASSERT_TRUE(logins) << logins.error().message;
  logins->push_back(transport::server_login());
  logins->push_back(transport::server_login("intruder"));
  ASSERT_NO_FATAL_FAILURE(start_broker(std::move(*logins)));
  config.broker.host = "127.0.0.1";
  config.broker.port = broker->port();
  config.broker.keepalive = 10s;
  config.broker.reconnect_initial = 50ms;
  config.broker.reconnect_max = 500ms;
  config.credentials = broker->process().credentials();
  auto fleet_or = sim::Fleet::create(io, std::move(config));
  ASSERT_TRUE(fleet_or) << fleet_or.error().message;
  fleet = std::move(*fleet_or);
  audit_log = std::make_unique<server::audit::AuditLog>(store.db(), fleet->scheduler());
}

void DevicesSite::connect_fleet(const std::vector<sim::LockSpec>& locks) {
  ASSERT_TRUE(fleet->start());
  ASSERT_TRUE(wait_for([&] {
    const sim::FleetSummary s = fleet->summary();
    return s.net.links_up == s.links_expected;
  }));
  settle();
  for (const sim::LockSpec& l : locks) {
    ASSERT_TRUE(run_until([&] {
      auto h = server_devices()->health(kSite, l.id);
      return h && h->has_state && h->reachability == server::devices::Reachability::online;
    })) << l.id;
  }
}

void DevicesSite::start_server() {
  auto second = server::store::open_sqlite(store.dir().file("latchkey.db"));
  ASSERT_TRUE(second) << second.error().message;
  devices = std::make_unique<server::devices::Devices>(
      io, fleet->scheduler(), store.db(), std::move(*second), *audit_log, live, metrics, options);
  auto started = devices->start();
  ASSERT_TRUE(started) << started.error().message;
  ASSERT_TRUE(wait_for([&] { return devices->broker_connected(); }));
}

void DevicesSite::stop_server() {
  devices.reset();
}

void DevicesSite::settle() {
  for (int i = 0; i < 5; ++i) {
    if (server::devices::Devices* d = server_devices()) d->sync();
    auto settled = fleet->settle({20ms, 10s});
    ASSERT_TRUE(settled) << settled.error().message;
  }
}

void DevicesSite::run_for(std::chrono::milliseconds by) {
  settle();
  auto advanced = fleet->advance_by(by, {20ms, 10s});
  ASSERT_TRUE(advanced) << advanced.error().message;
  settle();
}

bool DevicesSite::run_until(const std::function<bool()>& done, std::chrono::milliseconds step,
                            std::chrono::milliseconds limit) {
  settle();
  for (auto waited = 0ms; !done(); waited += step) {
    if (waited >= limit) return false;
    run_for(step);
  }
  return true;
}

void DevicesSite::commission(std::string_view lock) {
  auto code = fleet->pairing_code(lock);
  ASSERT_TRUE(code);
  auto done = run(server_devices()->commission(std::string(kSite), std::string(lock), *code,
                                               std::string(kManager)));
  ASSERT_TRUE(done) << done.error().message;
  ASSERT_TRUE(done->paired);
  settle();
}

std::unique_ptr<testsupport::RecordingClient> DevicesSite::intruder_on(std::string_view lock) {
  auto intruder =
      std::make_unique<testsupport::RecordingClient>(io, broker->client_options("intruder"));
  EXPECT_TRUE(
      intruder->client().subscribe(protocol::make_topic(kSite, lock, protocol::Channel::cmd), 1));
  intruder->client().connect();
  EXPECT_TRUE(wait_for([&] { return !intruder->subacks.empty(); }));
  return intruder;
}

void DevicesSite::publish_forged_unlock(testsupport::RecordingClient& intruder,
                                        std::string_view lock) {
  testsupport::SiteAuthority impostor(std::string(kSite), 99);
  const lockcore::Command forged =
      impostor.command(std::string(lock), lockcore::CommandOp::unlock, fleet->now());
  EXPECT_TRUE(intruder.client().publish(protocol::make_topic(kSite, lock, protocol::Channel::cmd),
                                        protocol::encode(forged), 1, false));
  settle();
}

bool DevicesSite::replay_command(testsupport::RecordingClient& intruder, std::string_view lock,
                                 std::string_view id) {
  const std::string topic = protocol::make_topic(kSite, lock, protocol::Channel::cmd);
  std::string replay;
  for (const auto* m : intruder.on_topic(topic))
    if (m->payload.find(id) != std::string::npos) replay = m->payload;
  if (replay.empty()) return false;
  return static_cast<bool>(intruder.client().publish(topic, replay, 1, false));
}

server::devices::CredentialStatus DevicesSite::status_of(std::string_view lock,
                                                         std::string_view credential) {
  auto p = server_devices()->placement(kSite, lock, credential);
  EXPECT_TRUE(p) << p.error().message;
  return p ? p->status : server::devices::CredentialStatus::failed;
}

std::vector<server::audit::Entry> DevicesSite::audits(server::audit::AuditType type) {
  server::audit::Filter filter;
  filter.type = type;
  filter.limit = 1000;
  auto entries = audit_log->list(filter);
  EXPECT_TRUE(entries);
  return entries ? *entries : std::vector<server::audit::Entry>{};
}

std::uint32_t DevicesSite::lock_event_seq(std::string_view lock) {
  auto view = fleet->inspect(lock);
  EXPECT_TRUE(view);
  return view ? view->state.event_seq : 0;
}

std::uint64_t DevicesSite::stored_events(std::string_view lock) {
  auto n = server_devices()->event_numbers_stored(kSite, lock);
  EXPECT_TRUE(n) << n.error().message;
  return n ? *n : 0;
}

void DevicesSite::TearDown() {
  // The server and the fleet go before the broker (stopped by BrokerTest).
  devices.reset();
  fleet.reset();
}

}  // namespace devicesim
