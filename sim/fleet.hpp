#pragma once
// A simulated site: every lock and hub of a FleetConfig on one io_context, one Scheduler (real or
// virtual) and one ConnectGate, with the C++ API that tests, the control channel and the scenario
// runner drive it through: faults, actions at the door, inspection and, on the virtual clock,
// time.
//
// Single-threaded: create, drive and destroy a fleet on the thread that runs its io_context. The
// calls that run the io_context themselves (settle, advance_to, advance_by) must not be called
// from inside a handler running on it: use the *_async forms there (the control channel does).
//
// Settling (the network is quiet) means, all at once:
//  - every QoS 1 message a connected device published has been acknowledged (PUBACK);
//  - every subscription sent on a connection has been answered (SUBACK);
//  - no connection attempt is under way or waiting for a ConnectGate slot (a device backing off
//    after a failure is not waited for: that takes real time, not network time);
//  - nothing was sent, acknowledged, received, connected or lost for SettleOptions::idle, counted
//    from the call for settle() (so that a message just sent by someone else, e.g. a test's
//    server, has time to arrive) and from the last such thing between two timers of an advance
//    (a timer that sent nothing cannot have caused anything to come back).
// It fails with `timeout` when that has not happened by SettleOptions::deadline.
//
// Advancing the virtual clock to T: settle; then, while a timer is due at or before T, move the
// clock to the earliest due time, run every timer due then (each lock's firmware deadline) and
// settle again before the next; finally set the clock to T. With the same seed and the same
// inputs at the same virtual times, every lock ends in the same state with the same events.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/asio/io_context.hpp>

#include "lockcore/lock.hpp"
#include "protocol/messages.hpp"
#include "runtime/scheduler.hpp"
#include "runtime/virtual_scheduler.hpp"
#include "sim/context.hpp"
#include "sim/fault.hpp"
#include "sim/fleet_config.hpp"
#include "sim/network.hpp"
#include "sim/sim_error.hpp"
#include "sim/sim_hub.hpp"
#include "sim/sim_lock.hpp"

namespace sim {

struct SettleOptions {
  std::chrono::milliseconds idle{10};
  std::chrono::milliseconds deadline{10'000};
};

struct AdvanceReport {
  lockcore::UnixMs now = 0;    // the virtual time reached
  std::size_t timers_run = 0;  // firmware deadlines run on the way
};

// What inspection shows of one lock: the firmware's view and the physical world's.
struct LockView {
  std::string id;
  std::string link;  // "wifi", "none" or the hub's id
  bool radio_on = false;
  bool wifi_provisioned = false;
  bool link_up = false;
  lockcore::StateReport state;  // as the firmware would report it now
  bool powered = false;
  bool paired = false;
  std::uint8_t wrong_codes = 0;
  lockcore::KeypadPattern display = lockcore::KeypadPattern::off;  // what the keypad shows
  lockcore::BuzzerTone last_tone = lockcore::BuzzerTone::accept;
  std::uint32_t beeps = 0;
  lockcore::MotorDrive motor = lockcore::MotorDrive::stop;
  float bolt_position = 0.0F;           // 0 retracted .. 1 extended
  bool bolt_stuck = false;              // the jam fault is on
  std::vector<lockcore::Event> events;  // not yet acknowledged by the server, oldest first
  std::vector<lockcore::PinCredential> credentials;
  std::uint64_t shadow_version = 0;
  LockCounters counters;
};

struct HubView {
  std::string id;
  bool powered = false;
  bool connected = false;
  protocol::HubLinks links;
  std::uint32_t dropped = 0;
};

struct FleetSummary {
  std::size_t locks = 0;
  std::size_t hubs = 0;
  std::size_t locks_linked = 0;  // locks whose link is up now
  std::size_t hubs_connected = 0;
  std::size_t links_expected = 0;  // connections the fleet wants up (Wi-Fi locks and hubs now on)
  lockcore::UnixMs now = 0;
  bool virtual_clock = false;
  NetStats net;
};

class Fleet {
 public:
  using AdvanceHandler = std::function<void(SimResult<AdvanceReport>)>;
  using SettleHandler = std::function<void(SimResult<void>)>;

  // Errors: invalid_config (see validate()), missing_credentials (a Wi-Fi lock's or hub's login).
  // The fleet keeps the config, except its credentials, which move into the fleet's Network.
  static SimResult<std::unique_ptr<Fleet>> create(boost::asio::io_context& io, FleetConfig config);
  ~Fleet();
  Fleet(const Fleet&) = delete;
  Fleet& operator=(const Fleet&) = delete;

  // Opens every connection (Wi-Fi locks and hubs that are on); they connect through the gate and
  // keep reconnecting by themselves. Errors: client_error.
  SimResult<void> start();
  // Closes every connection without DISCONNECT (the broker publishes each will), as when the
  // simulator dies.
  void stop();

  // ---- identity
  const FleetConfig& config() const { return config_; }
  std::span<const LockSpec> locks() const { return config_.locks; }
  std::span<const HubSpec> hubs() const { return config_.hubs; }
  // The code on the lock's label that `pair` is authenticated with (see derive.hpp).
  SimResult<std::string> pairing_code(std::string_view lock) const;

  // ---- faults (see FaultKind). Errors: unknown_lock, unknown_hub, not_applicable (a Wi-Fi
  // fault on a hub lock, a hub fault on a Wi-Fi lock, a radio fault on a lock without a link),
  // invalid_argument (battery over 100, bad firmware text, probability outside 0..1), refused
  // (factory_reset with no power), client_error (a connection could not be reopened).
  SimResult<void> apply(const Fault& fault);

  // ---- at the door. Errors: unknown_lock; for the rest as given.
  SimResult<lockcore::AccessResult> enter_pin(std::string_view lock, std::string_view pin);
  // The physical key (not_applicable without one). True when the bolt turned: it does with a
  // dead battery, not when it is stuck.
  SimResult<bool> turn_key(std::string_view lock, bool to_locked);
  SimResult<void> realign_door(std::string_view lock);  // push or pull while turning
  // A Bluetooth challenge (refused as the firmware refuses it: invalid, no_power, not_paired).
  SimResult<lockcore::Nonce> begin_bluetooth(std::string_view lock);
  // The phone's answer: the caller brings the grant and its signature over the challenge.
  SimResult<lockcore::AccessResult> bluetooth_unlock(std::string_view lock,
                                                     const lockcore::DigitalKeyGrant& grant,
                                                     const lockcore::Signature& response);
  // Re-provisioning after wifi_change: the lock joins the new network and connects again.
  SimResult<void> provision_wifi(std::string_view lock);

  // ---- inspection
  SimResult<LockView> inspect(std::string_view lock) const;
  SimResult<HubView> inspect_hub(std::string_view hub) const;
  FleetSummary summary() const;
  const NetStats& net() const { return network_->stats(); }
  // Direct access for tests; nullptr when there is no such device.
  SimLock* find_lock(std::string_view id) const;
  SimHub* find_hub(std::string_view id) const;

  // ---- time
  runtime::Scheduler& scheduler() { return *scheduler_; }
  lockcore::UnixMs now() const { return scheduler_->now(); }
  bool virtual_clock() const { return virtual_ != nullptr; }

  SimResult<void> settle(SettleOptions options = {});
  // Errors: not_virtual, busy (another advance is under way), timeout.
  SimResult<AdvanceReport> advance_to(lockcore::UnixMs target, SettleOptions options = {});
  SimResult<AdvanceReport> advance_by(std::chrono::milliseconds delta, SettleOptions options = {});
  // The same, answering through `done` (never before returning) while the io_context runs.
  void settle_async(SettleOptions options, SettleHandler done);
  void advance_to_async(lockcore::UnixMs target, SettleOptions options, AdvanceHandler done);

 private:
  Fleet(boost::asio::io_context& io, FleetConfig config);
  SimResult<SimLock*> lock_for(std::string_view id) const;
  SimResult<SimHub*> hub_for(const Fault& fault) const;
  SimResult<void> apply_to_lock(SimLock& lock, const Fault& fault);
  bool network_busy() const;
  void wait_quiet(std::chrono::steady_clock::time_point since, SettleOptions options,
                  std::chrono::steady_clock::time_point deadline, SettleHandler done);
  void advance_step(lockcore::UnixMs target, SettleOptions options, AdvanceReport report,
                    std::chrono::steady_clock::time_point since, AdvanceHandler done);
  template <class T>
  SimResult<T> run_io(const std::function<void(std::function<void(SimResult<T>)>)>& start);

  boost::asio::io_context& io_;
  FleetConfig config_;
  std::unique_ptr<runtime::Scheduler> scheduler_;
  runtime::VirtualScheduler* virtual_ = nullptr;
  std::unique_ptr<Network> network_;
  std::unique_ptr<FleetContext> context_;
  std::vector<std::unique_ptr<SimHub>> hubs_;
  std::vector<std::unique_ptr<SimLock>> locks_;
  std::vector<std::pair<std::string_view, SimLock*>> by_id_;    // sorted, for lookups
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);  // weakly held by pending waits
  bool advancing_ = false;
};

}  // namespace sim
