#include "sim/sim_lock.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "lockcore/signing.hpp"
#include "protocol/codec.hpp"
#include "protocol/names.hpp"
#include "sim/derive.hpp"
#include "sim/sim_hub.hpp"
#include "transport/broker_config.hpp"

namespace sim {
namespace {

using protocol::Channel;

LinkKind kind_of(const LockSpec& spec) {
  if (spec.link == kWifiLink) return LinkKind::wifi;
  if (spec.link == kNoLink) return LinkKind::none;
  return LinkKind::hub;
}

lockcore::LockConfig firmware_config(const FleetContext& context, const LockSpec& spec) {
  lockcore::LockConfig config;
  config.site = context.site;
  config.lock = lockcore::DeviceId::from(spec.id);
  config.firmware = lockcore::FirmwareVersion::from(spec.firmware);
  config.pin_slots = spec.slots;
  config.has_keypad = spec.keypad;
  config.has_bluetooth = spec.bluetooth;
  config.pairing_code_key = lockcore::pairing_code_key(pairing_code(context.seed, spec.id));
  return config;
}

// Radio strength of the lock's link, as a site survey would find it.
constexpr std::int8_t kStrongestRssi = -45;
constexpr std::uint32_t kRssiSpread = 40;

}  // namespace

SimLock::SimLock(FleetContext& context, const LockSpec& spec, SimHub* hub)
    : context_(context),
      spec_(spec),
      hub_(hub),
      id_(lockcore::DeviceId::from(spec.id)),
      kind_(kind_of(spec)),
      random_(lock_seed(context.seed, spec.id)),
      hw_(context.scheduler, random_, kind_ == LinkKind::none ? nullptr : this),
      battery_set_((hw_.battery().set_percent(spec.battery_pct), true)),
      lock_(firmware_config(context, spec), context.scheduler, random_, hw_),
      wifi_(context.network),
      powered_(lock_.powered()) {
  hw_.set_rssi(static_cast<std::int8_t>(kStrongestRssi - random_.uniform(kRssiSpread)));
  // Nothing is connected yet: the firmware learns of its link from link_changed().
  hw_.set_link_up(false);
  rearm();
}

SimLock::~SimLock() {
  if (timer_ != 0) context_.scheduler.cancel(timer_);
}

// ---- the radio --------------------------------------------------------------------------------

SimResult<void> SimLock::start() {
  started_ = true;
  return update_wifi();
}

void SimLock::stop() {
  started_ = false;
  (void)update_wifi();
}

SimResult<void> SimLock::set_radio(bool on) {
  if (kind_ == LinkKind::none) {
    return sim_fail(SimErrorCode::not_applicable,
                    fmt::format("lock \"{}\" has no radio link (link \"none\")", spec_.id));
  }
  radio_on_ = on;
  return radio_changed();
}

SimResult<void> SimLock::radio_changed() {
  if (kind_ == LinkKind::hub) {
    hub_->lock_radio_changed(*this);
    return {};
  }
  return update_wifi();
}

void SimLock::follow_power() {
  if (lock_.powered() == powered_) return;
  powered_ = lock_.powered();
  if (kind_ == LinkKind::none) return;
  if (auto changed = radio_changed(); !changed)
    spdlog::warn("sim: lock {} could not follow its power on the link: {}", spec_.id,
                 changed.error().message);
}

SimResult<void> SimLock::set_wifi_provisioned(bool provisioned) {
  if (kind_ != LinkKind::wifi) {
    return sim_fail(SimErrorCode::not_applicable,
                    fmt::format("lock \"{}\" is not on Wi-Fi (link \"{}\")", spec_.id, spec_.link));
  }
  provisioned_ = provisioned;
  return update_wifi();
}

SimResult<void> SimLock::update_wifi() {
  if (kind_ != LinkKind::wifi) return {};
  if (started_ && radio_on() && provisioned_) {
    std::string filters[] = {
        protocol::make_topic(context_.site.view(), spec_.id, Channel::cmd),
        protocol::make_topic(context_.site.view(), spec_.id, Channel::shadow_desired)};
    return wifi_.open(*this, transport::lock_login(context_.site.view(), spec_.id),
                      context_.site.view(), spec_.id, filters);
  }
  if (wifi_.is_open()) {
    wifi_.close();
    link_changed(false);
  }
  return {};
}

void SimLock::link_changed(bool up) {
  hw_.set_link_up(up);
  if (up) {
    publish(Channel::status, protocol::encode(protocol::DeviceStatus::online));
    lock_.on_radio_connected();
  }
  rearm();
}

void SimLock::on_link_message(const transport::InboundMessage& message) {
  auto topic = protocol::parse_topic(message.topic);
  if (!topic || !(topic->site == context_.site) || !(topic->device == id_)) {
    return refuse(Channel::cmd, fmt::format("a topic that is not this lock's: {}", message.topic));
  }
  receive(topic->channel, message.payload);
}

void SimLock::receive(Channel channel, std::string_view payload) {
  if (channel == Channel::cmd) {
    auto command = protocol::decode_command(payload, context_.site, id_);
    if (!command) return refuse(channel, command.error().message);
    ++counters_.received;
    auto done = lock_.on_command(*command);
    if (!done) {
      ++counters_.firmware_refused;
      spdlog::info("sim: lock {} refused a {} command: {}", spec_.id,
                   protocol::wire_name(command->op), protocol::wire_name(done.error()));
    }
  } else if (channel == Channel::shadow_desired) {
    // An empty retained payload is the server clearing the topic, not a message.
    if (payload.empty()) return;
    auto desired = protocol::decode_desired_shadow(payload, context_.site, id_);
    if (!desired) return refuse(channel, desired.error().message);
    ++counters_.received;
    auto applied = lock_.on_desired(*desired);
    if (!applied) {
      ++counters_.firmware_refused;
      // The retained shadow comes again with every connection: stale is the normal case.
      const auto level = applied.error() == lockcore::LockError::stale_version
                             ? spdlog::level::debug
                             : spdlog::level::info;
      spdlog::log(level, "sim: lock {} refused desired shadow version {}: {}", spec_.id,
                  desired->version, protocol::wire_name(applied.error()));
    }
  } else {
    return refuse(channel, "a lock reads only cmd and shadow/desired");
  }
  rearm();
}

void SimLock::refuse(Channel channel, std::string_view reason) {
  ++counters_.refused;
  context_.network.stats().refused++;
  spdlog::warn("sim: lock {} refused a {} message: {}", spec_.id, protocol::info(channel).suffix,
               reason);
}

bool SimLock::publish(Channel channel, std::string_view payload) {
  const std::string topic = protocol::make_topic(context_.site.view(), spec_.id, channel);
  const bool retain = protocol::info(channel).retained;
  if (kind_ == LinkKind::hub) return hub_->relay(topic, payload, retain);
  return wifi_.publish(topic, payload, retain);
}

bool SimLock::send_state(const lockcore::StateReport& state) {
  return publish(Channel::state, protocol::encode(state));
}
bool SimLock::send_event(const lockcore::Event& event) {
  return publish(Channel::event, protocol::encode(event));
}
bool SimLock::send_ack(const lockcore::CommandAck& ack) {
  return publish(Channel::ack, protocol::encode(ack));
}
bool SimLock::send_reported(const lockcore::ReportedShadow& reported) {
  return publish(Channel::shadow_reported, protocol::encode(reported));
}

// ---- the firmware and the physical world ------------------------------------------------------

lockcore::AccessResult SimLock::enter_pin(std::string_view digits) {
  return with_firmware([&](lockcore::Lock& lock) { return lock.enter_pin(digits); });
}

bool SimLock::turn_key(bool to_locked) {
  const bool turned = hw_.turn_key(to_locked);
  interrupt();
  return turned;
}

void SimLock::realign_door() {
  hw_.realign_door();
  interrupt();
}

lockcore::Result<lockcore::Nonce, lockcore::LockError> SimLock::begin_bluetooth() {
  return with_firmware([&](lockcore::Lock& lock) { return lock.begin_bluetooth(); });
}

lockcore::AccessResult SimLock::bluetooth_unlock(const lockcore::DigitalKeyGrant& grant,
                                                 const lockcore::Signature& response) {
  return with_firmware(
      [&](lockcore::Lock& lock) { return lock.bluetooth_unlock(grant, response); });
}

lockcore::Result<void, lockcore::LockError> SimLock::factory_reset() {
  return with_firmware([&](lockcore::Lock& lock) { return lock.factory_reset(); });
}

void SimLock::set_firmware(const lockcore::FirmwareVersion& version) {
  lock_.set_firmware(version);
  rearm();
}

void SimLock::interrupt() {
  lock_.poll();
  rearm();
}

// One timer per lock, at the firmware's next deadline.
void SimLock::rearm(bool after_poll) {
  follow_power();
  lockcore::UnixMs due = lock_.next_deadline();
  // The firmware skips its battery sample while the motor runs (the voltage sags under load) yet
  // keeps naming the missed sample as its deadline until the turn ends; a timer at that deadline
  // would fire again at once, for ever on a virtual clock. Look again a millisecond later.
  const lockcore::UnixMs now = context_.scheduler.now();
  if (after_poll && due <= now) due = now + 1;
  if (timer_ != 0 && due == timer_due_) return;
  if (timer_ != 0) context_.scheduler.cancel(timer_);
  timer_ = 0;
  timer_due_ = due;
  if (due == lockcore::kNever) return;
  timer_ = context_.scheduler.call_at(due, [this] {
    timer_ = 0;
    lock_.poll();
    rearm(true);
  });
}

}  // namespace sim
