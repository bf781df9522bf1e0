#include "tests/support/recording_client.hpp"

#include <algorithm>

#include <gtest/gtest.h>

namespace testsupport {

RecordingClient::RecordingClient(boost::asio::io_context& io, transport::ClientOptions options) {
  auto created = transport::MqttClient::create(io, std::move(options));
  if (!created) {
    ADD_FAILURE() << "MqttClient::create failed: " << transport::to_string(created.error());
    return;
  }
  client_ = std::make_unique<transport::MqttClient>(std::move(*created));
  client_->on_connect([this](const transport::ConnectResult& r) { connects.push_back(r); });
  client_->on_disconnect([this](const transport::DisconnectInfo& d) { disconnects.push_back(d); });
  client_->on_message([this](const transport::InboundMessage& m) {
    messages.push_back({std::string(m.topic), std::string(m.payload), m.qos, m.retained});
  });
  client_->on_published([this](const transport::PublishAck& a) { acks.push_back(a); });
  client_->on_subscribed([this](const transport::SubscribeAck& s) {
    subacks.push_back({s.message_id, std::vector<int>(s.granted.begin(), s.granted.end())});
  });
}

bool RecordingClient::connected() const {
  return client_ != nullptr && client_->connected();
}

int RecordingClient::accepted_connects() const {
  return static_cast<int>(std::count_if(connects.begin(), connects.end(), [](const auto& c) {
    return c.outcome == transport::ConnectOutcome::accepted;
  }));
}

std::vector<const ReceivedMessage*> RecordingClient::on_topic(std::string_view topic) const {
  std::vector<const ReceivedMessage*> found;
  for (const ReceivedMessage& m : messages) {
    if (m.topic == topic) found.push_back(&m);
  }
  return found;
}

bool RecordingClient::acked(int message_id) const {
  return ack_reason(message_id) >= 0;
}

int RecordingClient::ack_reason(int message_id) const {
  for (const auto& ack : acks) {
    if (ack.message_id == message_id) return ack.reason_code;
  }
  return -1;
}

const ReceivedSubAck* RecordingClient::suback(int message_id) const {
  for (const auto& s : subacks) {
    if (s.message_id == message_id) return &s;
  }
  return nullptr;
}

}  // namespace testsupport
