#pragma once
// One virtual hub (bridge): a broker connection of its own (login hub/{site}/{hub}, will = its
// status offline) that publishes its status and `links` (each lock behind it: up, rssi) and
// relays for every lock behind it: their cmd and shadow/desired in, their status, state, event,
// ack and shadow/reported out.
//
// hub_down is the hub dying: its connection closes without DISCONNECT (the broker publishes its
// will) and it stays down until hub_up; the locks behind it see their link go down. A lock's
// status topic keeps what the hub last said about it, so a lock behind an offline hub is
// reachable only when the hub's status is online and its links list the lock as up.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/messages.hpp"
#include "sim/context.hpp"
#include "sim/network.hpp"

namespace sim {

class SimLock;

class SimHub final : private Link::Listener {
 public:
  SimHub(FleetContext& context, std::string id);
  SimHub(const SimHub&) = delete;
  SimHub& operator=(const SimHub&) = delete;

  std::string_view id() const { return id_; }
  // Before start(): puts `lock` behind this hub (at most protocol::kMaxHubLinks).
  void attach(SimLock& lock) { locks_.push_back(&lock); }
  std::span<SimLock* const> locks() const { return locks_; }

  SimResult<void> start();
  void stop();
  bool powered() const { return powered_; }
  // hub_down (false) / hub_up (true).
  SimResult<void> set_power(bool on);
  bool connected() const { return link_.up(); }

  // A lock's radio went on or off: the hub says so (the lock's status, its links) and tells the
  // lock whether its link is up.
  void lock_radio_changed(SimLock& lock);
  // Publishes for a lock behind the hub. False when the hub is not connected.
  bool relay(std::string_view topic, std::string_view payload, bool retain);

  protocol::HubLinks links() const;
  std::uint32_t dropped() const { return dropped_; }

 private:
  void on_link_up() override;
  void on_link_down() override;
  void on_link_message(const transport::InboundMessage& message) override;
  std::string_view link_name() const override { return id_; }

  SimResult<void> update_link();
  bool link_up_for(const SimLock& lock) const;
  void publish_links();
  void publish_offline(const SimLock& lock);

  FleetContext& context_;
  std::string id_;
  std::vector<SimLock*> locks_;
  Link link_;
  std::uint32_t dropped_ = 0;  // messages for a lock whose radio was off
  bool powered_ = true;
  bool started_ = false;
};

}  // namespace sim
