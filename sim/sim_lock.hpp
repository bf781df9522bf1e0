#pragma once
// One virtual lock: the real firmware (lockcore::Lock) over the physical model
// (lockcore::model::ModelHardware), with a radio that speaks protocol v1 on the lock's link:
//  - wifi: its own broker connection (login lock/{site}/{lock}, will = status offline retained,
//    status online retained on every connection, keepalive = the heartbeat, subscribed to its cmd
//    and shadow/desired), and on_radio_connected() after every (re)connection;
//  - a hub: no connection of its own; the hub relays both ways while the lock's radio and the hub
//    are up;
//  - none: keypad and Bluetooth only.
// The firmware's timer is one Scheduler timer at Lock::next_deadline(), re-armed after every call
// into the firmware: no polling loop.
//
// Inbound cmd and shadow/desired payloads are decoded strictly; a refused one is logged with its
// reason, counted, and changes nothing. Decoded ones go to the firmware, which judges signatures,
// expiry and replay itself (and acks what it refuses).

#include <cstdint>
#include <string_view>

#include "lockcore/lock.hpp"
#include "lockcore/model/model_hardware.hpp"
#include "lockcore/platform.hpp"
#include "protocol/topics.hpp"
#include "runtime/timer_queue.hpp"
#include "sim/context.hpp"
#include "sim/fleet_config.hpp"
#include "sim/network.hpp"

namespace sim {

class SimHub;

enum class LinkKind : std::uint8_t { wifi, hub, none };

// Per-lock counts of what arrived over the radio.
struct LockCounters {
  std::uint32_t received = 0;          // cmd and shadow/desired payloads that reached the lock
  std::uint32_t refused = 0;           // refused before the firmware: malformed or misaddressed
  std::uint32_t firmware_refused = 0;  // decoded, then refused by the firmware
};

class SimLock final : public lockcore::model::RadioLink, private Link::Listener {
 public:
  // `spec` must outlive the lock and be valid (validate()); `hub` is its hub for a hub link.
  SimLock(FleetContext& context, const LockSpec& spec, SimHub* hub);
  ~SimLock();
  SimLock(const SimLock&) = delete;
  SimLock& operator=(const SimLock&) = delete;

  std::string_view id() const { return spec_.id; }
  const LockSpec& spec() const { return spec_; }
  LinkKind link_kind() const { return kind_; }
  SimHub* hub() const { return hub_; }

  // ---- the radio
  // Wi-Fi: connects (when the radio is on and provisioned) / closes the connection.
  SimResult<void> start();
  void stop();
  // The radio transmits: not switched off (lock_radio_down) and the firmware powered. An empty
  // battery makes the lock silent (DESIGN.md: radio silent at 0 %), so the link drops and the
  // broker or hub says offline; a new pack brings it back.
  bool radio_on() const { return radio_on_ && lock_.powered(); }
  // The lock's own radio (lock_radio_down / lock_radio_up). Wi-Fi: the connection closes (the
  // broker publishes the will) or opens; hub: the hub reports the link and relays again.
  SimResult<void> set_radio(bool on);
  bool wifi_provisioned() const { return provisioned_; }
  // wifi_change (false): the home network changed and the lock cannot join it, so it stays
  // offline; re-provisioning (true) lets it connect again. Wi-Fi locks only.
  SimResult<void> set_wifi_provisioned(bool provisioned);
  bool link_up() const { return hw_.radio_up(); }
  // From the hub (or the lock's own connection): the link came up or went down. Up: status online,
  // then the firmware's on_radio_connected() (state, unacknowledged events, acks, reported).
  void link_changed(bool up);
  // A cmd or shadow/desired payload addressed to this lock, from its connection or its hub.
  void receive(protocol::Channel channel, std::string_view payload);

  // ---- the firmware and the physical world; every call re-arms the firmware's timer
  lockcore::AccessResult enter_pin(std::string_view digits);
  bool turn_key(bool to_locked);
  void realign_door();
  lockcore::Result<lockcore::Nonce, lockcore::LockError> begin_bluetooth();
  lockcore::AccessResult bluetooth_unlock(const lockcore::DigitalKeyGrant& grant,
                                          const lockcore::Signature& response);
  lockcore::Result<void, lockcore::LockError> factory_reset();
  void set_firmware(const lockcore::FirmwareVersion& version);
  // Changes the physical world (a jam, a battery, a motor fault...), then lets the firmware look
  // at its sensors (poll(), the hardware interrupt).
  template <class Change>
  void change_world(Change&& change) {
    change(hw_);
    interrupt();
  }

  const lockcore::Lock& firmware() const { return lock_; }
  // Reading the model brings it up to the clock (battery drain, bolt motion).
  lockcore::model::ModelHardware& hardware() { return hw_; }
  std::int8_t rssi() const { return hw_.rssi(); }
  const LockCounters& counters() const { return counters_; }

 private:
  // lockcore::model::RadioLink
  bool send_state(const lockcore::StateReport& state) override;
  bool send_event(const lockcore::Event& event) override;
  bool send_ack(const lockcore::CommandAck& ack) override;
  bool send_reported(const lockcore::ReportedShadow& reported) override;
  // Link::Listener (Wi-Fi)
  void on_link_up() override { link_changed(true); }
  void on_link_down() override { link_changed(false); }
  void on_link_message(const transport::InboundMessage& message) override;
  std::string_view link_name() const override { return spec_.id; }

  // Every call into the firmware goes through here: its deadline may have moved.
  template <class Call>
  auto with_firmware(Call&& call) {
    auto result = call(lock_);
    rearm();
    return result;
  }
  bool publish(protocol::Channel channel, std::string_view payload);
  SimResult<void> update_wifi();
  // The radio was switched or lost its power: the hub reports the link, or Wi-Fi reconnects/closes.
  SimResult<void> radio_changed();
  void refuse(protocol::Channel channel, std::string_view reason);
  void interrupt();
  void rearm(bool after_poll = false);
  // After the firmware ran: when it lost or regained power, the link follows (radio_on()).
  void follow_power();

  FleetContext& context_;
  const LockSpec& spec_;
  SimHub* hub_;
  lockcore::DeviceId id_;
  LinkKind kind_;
  lockcore::SeededRandom random_;
  lockcore::model::ModelHardware hw_;
  bool battery_set_;  // the spec's battery level, set before the firmware first samples it
  lockcore::Lock lock_;
  Link wifi_;
  runtime::TimerId timer_ = 0;
  lockcore::UnixMs timer_due_ = lockcore::kNever;
  LockCounters counters_;
  bool radio_on_ = true;
  bool powered_ = true;  // the firmware's power as the link last followed it
  bool provisioned_ = true;
  bool started_ = false;
};

}  // namespace sim
