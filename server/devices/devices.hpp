#pragma once
// server::devices::Devices: the server's side of every lock and hub, and the one C++ interface the
// API and the other domains use. It owns the broker connection (broker_link.hpp) and the parts:
//   registry.hpp       sites' key pairs, hubs, locks
//   commissioning.hpp  pairing with the label's code, epoch changes, re-enrollment
//   commands.hpp       action attempts: unlock / lock, with their outcome
//   placements.hpp     keypad codes on locks, backup-code pools
//   shadows.hpp        the desired/reported reconciler
//   event_ingest.hpp   events stored once each, acknowledged once durable, audited
//   health.hpp         online/offline, battery, jams, flakiness
//   digital_keys.hpp   keys for the Bluetooth path
// The broker is lossy and may duplicate: the database is the truth and every inbound message is
// idempotent. Every inbound message is parsed (topic, size, strict decoder) and must come from a
// registered device on a channel that device may use, or it is refused (refusals.hpp).
//
// Single-threaded: construct, call and destroy on the thread that runs the io_context. Every
// security-relevant change writes its audit entry in the same transaction.
//
// Access control is not here: callers (the API with the access policy, the lockout engine) decide
// who may call what; `actor` / `requested_by` name them for the audit trail ("account:acc_…").

#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>

#include "protocol/topics.hpp"
#include "runtime/scheduler.hpp"
#include "server/audit/audit_log.hpp"
#include "server/common/error.hpp"
#include "server/devices/digital_keys.hpp"
#include "server/devices/observer.hpp"
#include "server/devices/options.hpp"
#include "server/devices/placements.hpp"
#include "server/devices/types.hpp"
#include "server/http/metrics.hpp"
#include "server/live/bus.hpp"
#include "server/store/database.hpp"

namespace server::devices {

struct Context;

struct DevicesStats {
  std::uint64_t broker_connections = 0;
  std::uint64_t refused = 0;           // inbound messages refused
  std::uint64_t refusals_audited = 0;  // of which audited
  std::uint64_t events_stored = 0;
  std::uint64_t events_duplicate = 0;
  std::size_t commands_in_flight = 0;
};

class Devices {
 public:
  // `event_db`: a second connection to the same store, for the batch writer (events, health).
  Devices(boost::asio::io_context& io, runtime::Scheduler& scheduler, store::Database& db,
          std::unique_ptr<store::Database> event_db, audit::AuditLog& audit, live::Bus& live,
          http::Registry& metrics, DevicesOptions options);
  ~Devices();
  Devices(const Devices&) = delete;
  Devices& operator=(const Devices&) = delete;

  // Loads the registry from the store, audits events a previous run stored but did not audit,
  // watches commands still in flight, then connects to the broker (if configured). Register
  // observers before. Errors: internal (storage), unavailable (the broker client).
  Status start();
  // Disconnects from the broker and commits what the batch writer holds.
  void stop();

  void add_observer(Observer* observer);
  void remove_observer(Observer* observer);

  // ---- registry (registry.hpp)
  Result<lockcore::PublicKey> site_key(std::string_view site);
  Status set_utc_offset(std::string_view site, int minutes);
  Result<HubInfo> add_hub(const HubSpec& spec, std::string_view actor);
  Result<LockInfo> add_lock(const LockSpec& spec, std::string_view actor);
  Status set_pairing_code(std::string_view site, std::string_view lock, std::string_view code);
  Result<LockInfo> lock(std::string_view site, std::string_view lock);
  Result<HubInfo> hub(std::string_view site, std::string_view hub);
  std::vector<LockInfo> locks(std::string_view site);
  std::vector<HubInfo> hubs(std::string_view site);

  // ---- commissioning (commissioning.hpp)
  boost::asio::awaitable<Result<LockInfo>> commission(std::string site, std::string lock,
                                                      std::optional<std::string> pairing_code,
                                                      std::string actor);
  boost::asio::awaitable<Result<LockInfo>> reenroll(std::string site, std::string lock,
                                                    std::string actor);

  // ---- action attempts (commands.hpp)
  boost::asio::awaitable<Result<CommandResult>> unlock(std::string site, std::string lock,
                                                       std::string requested_by);
  boost::asio::awaitable<Result<CommandResult>> lock_door(std::string site, std::string lock,
                                                          std::string requested_by);
  Result<CommandResult> command(std::string_view site, std::string_view id);
  Result<std::vector<CommandResult>> commands(std::string_view site, std::string_view lock,
                                              std::size_t limit = 50);

  // ---- keypad codes (placements.hpp)
  Result<Placement> place(std::string_view site, std::string_view lock, const PinPlacement& spec);
  Result<std::vector<PlaceOutcome>> place_many(std::string_view site,
                                               std::span<const std::string> locks,
                                               const PinPlacement& spec);
  Status resend(std::string_view site, std::string_view lock, std::string_view credential);
  Status withdraw(std::string_view site, std::string_view lock, std::string_view credential);
  Result<std::size_t> withdraw_everywhere(std::string_view site, std::string_view credential);
  Result<Placement> placement(std::string_view site, std::string_view lock,
                              std::string_view credential);
  Result<std::vector<Placement>> placements_on(std::string_view site, std::string_view lock);
  Result<std::vector<Placement>> placements_of(std::string_view site, std::string_view credential);
  Result<FanoutProgress> progress(std::string_view site, std::string_view credential);
  Result<std::size_t> fill_backup_pool(std::string_view site, std::string_view lock);
  Result<BackupCode> take_backup_code(std::string_view site, std::string_view lock,
                                      std::string_view actor);
  Result<bool> rotate_backup_codes(std::string_view site, std::string_view lock);

  // ---- health (health.hpp)
  Result<LockHealth> health(std::string_view site, std::string_view lock);
  Result<HubHealth> hub_health(std::string_view site, std::string_view hub);
  Result<std::vector<BatterySample>> battery_history(std::string_view site, std::string_view lock,
                                                     UnixMs from, UnixMs until,
                                                     std::size_t limit = 1000);

  // ---- events (event_ingest.hpp)
  Result<std::vector<StoredEvent>> events(std::string_view site, std::string_view lock,
                                          std::uint32_t after = 0, std::size_t limit = 100);
  Result<std::uint64_t> event_numbers_stored(std::string_view site, std::string_view lock);

  // ---- digital keys (digital_keys.hpp)
  Result<IssuedKey> issue_key(std::string_view site, std::string_view lock,
                              const lockcore::PublicKey& holder, lockcore::Window window,
                              std::string_view actor);
  Result<std::size_t> revoke_keys(std::string_view site, std::string_view lock,
                                  std::span<const std::string> ids, std::string_view actor);
  Result<std::vector<KeyRecord>> keys(std::string_view site, std::string_view lock);

  // ---- operations and tests
  bool broker_connected() const;
  DevicesStats stats() const;
  // Hands every queued burst over and waits until the batch writer has committed it; the
  // completions then run on the io_context (poll it afterwards).
  void sync();
  // Drops the broker connection without DISCONNECT (tests: the server "crashes" on the network).
  void drop_broker_connection();
  // With DevicesOptions::test_publish: the "broker connection" goes down or comes back.
  void set_test_link(bool up);

  // The inbound path, for tests that feed messages without a broker: `payload` on `topic` as if
  // it had arrived from the broker.
  void receive(std::string_view topic, std::string_view payload, bool retained = false);

 private:
  void on_message(const protocol::Topic& topic, std::string_view payload, bool retained);
  // A device just registered: its retained messages heard before it was are heard now.
  void hear_what_was_kept(std::string_view site, std::string_view device);
  void on_connection(bool connected);

  DevicesOptions options_;
  std::unique_ptr<store::BatchWriter> writer_;
  std::unique_ptr<Context> ctx_;
  struct Parts;
  std::unique_ptr<Parts> parts_;
};

}  // namespace server::devices
