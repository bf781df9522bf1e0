#include "tests/support/stand_in_server.hpp"

#include <gtest/gtest.h>

#include "protocol/codec.hpp"
#include "protocol/topics.hpp"

namespace testsupport {

using protocol::Channel;

StandInServer::StandInServer(boost::asio::io_context& io, transport::ClientOptions options,
                             SiteAuthority& site, std::function<lockcore::UnixMs()> now)
    : site_(site), now_(std::move(now)) {
  options.clean_session = false;  // keep what arrives while we reconnect
  auto client = transport::MqttClient::create(io, std::move(options));
  if (!client) {
    ADD_FAILURE() << "cannot create the server's client";
    return;
  }
  client_ = std::make_unique<transport::MqttClient>(std::move(*client));
  auto filters = protocol::server_filters(site_.site());
  pending_subs_ = static_cast<int>(filters->size());
  for (const std::string& filter : *filters)
    (void)client_->subscribe(filter, protocol::kQos);
  client_->on_connect([this](const transport::ConnectResult& r) {
    connected_ = r.outcome == transport::ConnectOutcome::accepted;
    if (connected_ && r.session_present) subscribed_ = true;
  });
  client_->on_disconnect([this](const transport::DisconnectInfo&) { connected_ = false; });
  client_->on_subscribed([this](const transport::SubscribeAck&) {
    if (--pending_subs_ <= 0) subscribed_ = true;
  });
  client_->on_message([this](const transport::InboundMessage& m) { on_message(m); });
  client_->connect();
}

bool StandInServer::publish_raw(const std::string& topic, std::string_view payload, bool retain) {
  return client_ && client_->publish(topic, payload, protocol::kQos, retain).ok();
}

bool StandInServer::send(std::string_view lock, const lockcore::Command& command) {
  return publish_raw(protocol::make_topic(site_.site(), lock, Channel::cmd),
                     protocol::encode(command));
}

bool StandInServer::send_desired(std::string_view lock, const lockcore::DesiredShadow& desired) {
  return publish_raw(protocol::make_topic(site_.site(), lock, Channel::shadow_desired),
                     protocol::encode(desired), true);
}

lockcore::Command StandInServer::command(std::string_view lock, lockcore::CommandOp op,
                                         std::uint32_t upto) {
  lockcore::Command cmd = site_.command(lock, op, now_(), upto);
  EXPECT_TRUE(send(lock, cmd));
  return cmd;
}

std::optional<lockcore::Command> StandInServer::pair(std::string_view lock,
                                                     std::string_view pairing_code) {
  const LockRecord& record = this->lock(lock);
  if (!record.state) {
    ADD_FAILURE() << "no state from " << lock << " yet: its epoch is unknown";
    return std::nullopt;
  }
  lockcore::Command cmd = site_.pair(lock, pairing_code, record.state->epoch, now_());
  EXPECT_TRUE(send(lock, cmd));
  return cmd;
}

const StandInServer::LockRecord& StandInServer::lock(std::string_view id) {
  return locks_[std::string(id)];
}

std::optional<protocol::DeviceStatus> StandInServer::status(std::string_view device) const {
  auto it = statuses_.find(device);
  if (it == statuses_.end()) return std::nullopt;
  return it->second;
}

std::optional<protocol::HubLinks> StandInServer::links(std::string_view hub) const {
  auto it = links_.find(hub);
  if (it == links_.end()) return std::nullopt;
  return it->second;
}

const lockcore::CommandAck* StandInServer::ack_for(std::string_view lock,
                                                   const lockcore::CommandId& id) {
  for (const auto& ack : this->lock(lock).acks) {
    if (ack.id == id) return &ack;
  }
  return nullptr;
}

bool StandInServer::stored_without_gaps(std::string_view lock) {
  std::uint32_t expected = 1;
  for (const auto& [seq, event] : this->lock(lock).stored) {
    if (seq != expected) return false;
    expected = (event.type == lockcore::EventType::gap ? event.value : seq) + 1;
  }
  return true;
}

void StandInServer::on_message(const transport::InboundMessage& m) {
  ++messages_;
  auto topic = protocol::parse_topic(m.topic);
  if (!topic) {
    ++undecodable_;
    return;
  }
  const std::string device(topic->device.view());
  auto refused = [&](const protocol::DecodeError& e) {
    ++undecodable_;
    ADD_FAILURE() << "server could not decode " << m.topic << ": " << e.message << "\n"
                  << m.payload;
  };
  switch (topic->channel) {
    case Channel::status: {
      auto s = protocol::decode_status(m.payload);
      if (!s) return refused(s.error());
      statuses_[device] = *s;
      locks_[device].status = *s;
      return;
    }
    case Channel::state: {
      auto s = protocol::decode_state(m.payload);
      if (!s) return refused(s.error());
      locks_[device].state = *s;
      locks_[device].states.push_back(*s);
      return;
    }
    case Channel::event: {
      auto e = protocol::decode_event(m.payload);
      if (!e) return refused(e.error());
      return store_event(device, *e);
    }
    case Channel::ack: {
      auto a = protocol::decode_ack(m.payload);
      if (!a) return refused(a.error());
      locks_[device].acks.push_back(*a);
      return;
    }
    case Channel::shadow_reported: {
      auto r = protocol::decode_reported_shadow(m.payload);
      if (!r) return refused(r.error());
      locks_[device].reported = *r;
      return;
    }
    case Channel::links: {
      auto l = protocol::decode_hub_links(m.payload);
      if (!l) return refused(l.error());
      links_[device] = *l;
      return;
    }
    case Channel::cmd:
    case Channel::shadow_desired:
      ++undecodable_;  // not a device's to publish
      return;
  }
}

void StandInServer::store_event(std::string_view lock, const lockcore::Event& e) {
  LockRecord& record = locks_[std::string(lock)];
  record.received_seqs.push_back(e.seq);
  record.stored.emplace(e.seq, e);
  if (!auto_ack) return;
  // Acknowledge what is stored without a hole, and nothing beyond: the lock forgets what is acked.
  std::uint32_t upto = 0;
  for (const auto& [seq, event] : record.stored) {
    if (seq != upto + 1) break;
    upto = event.type == lockcore::EventType::gap ? event.value : seq;
  }
  if (upto > record.acked_upto) {
    record.acked_upto = upto;
    (void)send(lock, site_.command(lock, lockcore::CommandOp::events_ack, now_(), upto));
  }
}

}  // namespace testsupport
