#pragma once
// Health: each lock's and hub's reachability and condition, from their retained status, state and
// links messages.
//
// A Wi-Fi lock is online when its status says so. A hub lock is online only when its hub's status
// is online, the hub's links list it as up, and its status (which the hub publishes for it) says
// online. A lock with no link is never online. Every online/offline transition is written to
// device_transitions and audited (lock_online / lock_offline, hub_online / hub_offline) in one
// transaction, published on the live bus (topics "lock", "hub") and told to observers; a lock with
// at least DevicesOptions::flaky_transitions offline transitions within the flaky window is flaky.
// The rest (bolt, battery, keypad, firmware…) is written through the batch writer, with a battery
// sample whenever the percentage changes or once per sample interval.

#include <optional>
#include <string_view>
#include <vector>

#include "protocol/messages.hpp"
#include "server/devices/context.hpp"

namespace server::devices {

class Health {
 public:
  explicit Health(Context& ctx) : ctx_(ctx) {}

  // ---- inbound (already decoded and addressed to a known device)
  void on_lock_status(LockRecord& lock, protocol::DeviceStatus status);
  void on_lock_state(LockRecord& lock, const lockcore::StateReport& state);
  void on_hub_status(HubRecord& hub, protocol::DeviceStatus status);
  void on_hub_links(HubRecord& hub, const protocol::HubLinks& links);
  // Any message on the lock's topics.
  void seen(LockRecord& lock);
  // A lock was just registered.
  void registered(LockRecord& lock);

  // Ok when a command can be sent to the lock now; else unavailable naming why ("lock u204 is
  // offline", "hub hub-1 is offline", "the link from hub hub-1 to lock u204 is down", "lock u204
  // has no radio link", "no status heard from lock u204 yet", "the broker is not connected").
  Status reachable(const LockRecord& lock) const;
  bool online(const LockRecord& lock) const;

  LockHealth health(const LockRecord& lock) const;
  // Something observers care about changed (pairing, epoch): publish the lock's health.
  void changed(const LockRecord& lock);
  HubHealth hub_health(const HubRecord& hub) const;
  // Errors: not_found, internal.
  Result<std::vector<BatterySample>> battery_history(std::string_view site, std::string_view lock,
                                                     UnixMs from, UnixMs until, std::size_t limit);

 private:
  struct Computed {
    Reachability reachability = Reachability::unknown;
    std::string reason;
  };
  Computed compute(const LockRecord& lock) const;
  // Recomputes reachability of these locks and records every transition, in one transaction.
  void reassess(const std::vector<LockRecord*>& locks);
  // Online and not yet caught up by this run: shadows, events and placements resend to it.
  void catch_up(LockRecord& lock);
  void reassess_hub(HubRecord& hub);
  void persist_state(LockRecord& lock);
  void prune(HealthRecord& health) const;
  bool flaky(const HealthRecord& health) const;

  Context& ctx_;
};

boost::json::object to_json(const LockHealth& health);
boost::json::object to_json(const HubHealth& health);

}  // namespace server::devices
