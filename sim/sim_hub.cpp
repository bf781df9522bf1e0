#include "sim/sim_hub.hpp"

#include <spdlog/spdlog.h>

#include "protocol/codec.hpp"
#include "protocol/topics.hpp"
#include "sim/sim_lock.hpp"
#include "transport/broker_config.hpp"

namespace sim {
namespace {
using protocol::Channel;
constexpr std::int8_t kNoSignal = -128;
}  // namespace

SimHub::SimHub(FleetContext& context, std::string id)
    : context_(context), id_(std::move(id)), link_(context.network) {}

SimResult<void> SimHub::start() {
  started_ = true;
  return update_link();
}

void SimHub::stop() {
  started_ = false;
  (void)update_link();
}

SimResult<void> SimHub::set_power(bool on) {
  powered_ = on;
  return update_link();
}

SimResult<void> SimHub::update_link() {
  if (started_ && powered_) {
    std::vector<std::string> filters;
    filters.reserve(locks_.size() * 2);
    for (const SimLock* lock : locks_) {
      filters.push_back(protocol::make_topic(context_.site.view(), lock->id(), Channel::cmd));
      filters.push_back(
          protocol::make_topic(context_.site.view(), lock->id(), Channel::shadow_desired));
    }
    return link_.open(*this, transport::hub_login(context_.site.view(), id_), context_.site.view(),
                      id_, filters);
  }
  if (link_.is_open()) {
    link_.close();
    on_link_down();
  }
  return {};
}

bool SimHub::link_up_for(const SimLock& lock) const {
  return link_.up() && lock.radio_on();
}

protocol::HubLinks SimHub::links() const {
  protocol::HubLinks links;
  for (const SimLock* lock : locks_) {
    const bool up = lock->radio_on();
    [[maybe_unused]] const bool fits = links.links.push_back(
        {lockcore::DeviceId::from(lock->id()), up, up ? lock->rssi() : kNoSignal});
  }
  return links;
}

void SimHub::publish_links() {
  (void)link_.publish(protocol::make_topic(context_.site.view(), id_, Channel::links),
                      protocol::encode(links()), true);
}

void SimHub::on_link_up() {
  (void)link_.publish(protocol::make_topic(context_.site.view(), id_, Channel::status),
                      protocol::encode(protocol::DeviceStatus::online), true);
  publish_links();
  for (SimLock* lock : locks_) {
    if (lock->radio_on()) {
      lock->link_changed(true);
    } else {
      publish_offline(*lock);  // it may have gone quiet while the hub could not say so
    }
  }
}

void SimHub::publish_offline(const SimLock& lock) {
  (void)link_.publish(protocol::make_topic(context_.site.view(), lock.id(), Channel::status),
                      protocol::encode(protocol::DeviceStatus::offline), true);
}

void SimHub::on_link_down() {
  for (SimLock* lock : locks_)
    lock->link_changed(false);
}

void SimHub::lock_radio_changed(SimLock& lock) {
  if (!link_.up()) return;  // the hub says nothing while it is down; it tells all when it is back
  publish_links();
  if (!lock.radio_on()) publish_offline(lock);
  lock.link_changed(link_up_for(lock));
}

bool SimHub::relay(std::string_view topic, std::string_view payload, bool retain) {
  return link_.publish(topic, payload, retain);
}

void SimHub::on_link_message(const transport::InboundMessage& message) {
  auto topic = protocol::parse_topic(message.topic);
  SimLock* target = nullptr;
  if (topic && topic->site == context_.site) {
    for (SimLock* lock : locks_) {
      if (lock->id() == topic->device.view()) target = lock;
    }
  }
  if (target == nullptr) {
    context_.network.stats().refused++;
    spdlog::warn("sim: hub {} refused a message on {}: no lock of its own", id_, message.topic);
    return;
  }
  if (!target->radio_on()) {
    ++dropped_;
    spdlog::info("sim: hub {} could not reach lock {} (its radio is down)", id_, target->id());
    return;
  }
  target->receive(topic->channel, message.payload);
}

}  // namespace sim
