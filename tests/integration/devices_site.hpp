#pragma once
// The devices domain on a real Mosquitto against the real simulator: the broker configured with
// the fleet's logins (the protocol's ACL), the server's and an intruder's (a second login with the
// server's rights, for forged and replayed commands); the fleet on the test's io_context and a
// virtual clock, and a real server::devices::Devices on a migrated store sharing that clock.
// The server can be destroyed and built anew on the same store (a server restart).

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <gtest/gtest.h>

#include "server/audit/audit_log.hpp"
#include "server/devices/devices.hpp"
#include "server/http/metrics.hpp"
#include "server/live/bus.hpp"
#include "sim/fleet.hpp"
#include "tests/server/devices/loopback_site.hpp"
#include "tests/support/migrated_store.hpp"
#include "tests/support/recording_client.hpp"
#include "tests/support/test_broker.hpp"

namespace devicesim {

using namespace std::chrono_literals;

inline constexpr std::string_view kSite = "maple-court";
inline constexpr std::string_view kManager = "account:acc_manager";

using devicestest::all_migrations;  // audit, notify, devices
using devicestest::pin_code;        // a keypad code for Ana

sim::LockSpec lock_spec(std::string id, std::string link = "wifi");
sim::FleetConfig site_config(std::vector<sim::LockSpec> locks, std::vector<sim::HubSpec> hubs = {});

class DevicesSite : public testsupport::BrokerTest {
 protected:
  // Starts the broker, the fleet and the server; registers every lock and hub with the server;
  // waits until every device and the server are connected and the server has seen each lock.
  void start(sim::FleetConfig config);
  // start() in its parts, for tests that run another server than this Devices (a whole Node):
  // the broker with the fleet's, the server's and the intruder's logins, and the fleet (not yet
  // started); then the fleet started and connected, and each lock seen online by the server.
  void start_fleet(sim::FleetConfig config);
  void connect_fleet(const std::vector<sim::LockSpec>& locks);
  // The server's devices domain the helpers below use: this fixture's own, or a subclass's.
  virtual server::devices::Devices* server_devices() { return devices.get(); }
  // Builds the server (anew, on the same store after stop_server()).
  void start_server();
  // The server goes away; what it had not stored is lost, what the store holds stays.
  void stop_server();

  // The network quiet and the server's writes committed.
  void settle();
  // Advances the virtual clock by `by`, settling at each due timer.
  void run_for(std::chrono::milliseconds by);
  // Settles and advances the clock in steps until `done` holds (at most `limit` of virtual time).
  bool run_until(const std::function<bool()>& done, std::chrono::milliseconds step = 500ms,
                 std::chrono::milliseconds limit = 120s);

  // Runs `task` to completion while the clock advances in `step`s.
  template <class T>
  T run(boost::asio::awaitable<T> task, std::chrono::milliseconds step = 200ms) {
    std::optional<T> out;
    boost::asio::co_spawn(
        io,
        [&out, t = std::move(task)]() mutable -> boost::asio::awaitable<void> {
          out.emplace(co_await std::move(t));
        },
        [](std::exception_ptr e) {
          if (e) std::rethrow_exception(e);
        });
    run_until([&] { return out.has_value(); }, step);
    if (!out) {
      ADD_FAILURE() << "the task did not finish";
      std::abort();
    }
    return std::move(*out);
  }

  void commission(std::string_view lock);

  // The intruder's login, listening on `lock`'s command topic: it sees the server's commands and
  // may publish its own. Connected and subscribed (or a test failure).
  std::unique_ptr<testsupport::RecordingClient> intruder_on(std::string_view lock);
  // The intruder publishes an unlock of `lock` signed with another site key, then settles.
  void publish_forged_unlock(testsupport::RecordingClient& intruder, std::string_view lock);
  // The intruder publishes again, byte for byte, the server's command `id` that it saw on `lock`'s
  // command topic; false when it never saw it.
  bool replay_command(testsupport::RecordingClient& intruder, std::string_view lock,
                      std::string_view id);

  server::devices::CredentialStatus status_of(std::string_view lock, std::string_view credential);
  std::vector<server::audit::Entry> audits(server::audit::AuditType type);
  // The lock's own event numbers (its state) against what the server stored for it.
  std::uint32_t lock_event_seq(std::string_view lock);
  std::uint64_t stored_events(std::string_view lock);

  void TearDown() override;

  std::unique_ptr<sim::Fleet> fleet;
  std::unique_ptr<server::devices::Devices> devices;
  server::devices::DevicesOptions options;
  testsupport::MigratedStore store{all_migrations()};
  server::http::Registry metrics;
  server::live::Bus live;
  std::unique_ptr<server::audit::AuditLog> audit_log;
};

}  // namespace devicesim
