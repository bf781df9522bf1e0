#include "server/devices/broker_link.hpp"

#include <spdlog/spdlog.h>

#include "protocol/codec.hpp"

namespace server::devices {

namespace {
// Long enough for a server restart or an upgrade; a login that is gone for good stops costing the
// broker memory after a day.
constexpr std::uint32_t kSessionExpiry = 24 * 3600;
}  // namespace

BrokerLink::BrokerLink(boost::asio::io_context& io, std::optional<transport::ClientOptions> options,
                       http::Registry& metrics, TestPublish test_publish)
    : io_(io),
      options_(std::move(options)),
      test_publish_(std::move(test_publish)),
      received_(metrics.counter("latchkey_device_messages_received_total",
                                "MQTT messages received from locks and hubs")),
      published_(metrics.counter("latchkey_device_messages_published_total",
                                 "MQTT messages the server published to locks")),
      connected_gauge_(metrics.gauge("latchkey_broker_connected",
                                     "1 while the server's broker connection is up")) {}

BrokerLink::~BrokerLink() = default;

lockcore::Result<void, std::string> BrokerLink::start() {
  if (!options_ || client_) return {};
  transport::ClientOptions options = *options_;
  options.version = transport::MqttVersion::v5;
  // A persistent session: what locks publish while the server is away (restarting, or its
  // connection lost) waits at the broker instead of being dropped; a lock resends only when its
  // own link comes back, so a dropped event would wait for that.
  options.clean_session = false;
  options.session_expiry_s = kSessionExpiry;
  options.max_payload_bytes = protocol::kMaxDesiredShadowBytes;
  auto created = transport::MqttClient::create(io_, std::move(options));
  if (!created) {
    return lockcore::fail("broker client: " + std::string(transport::to_string(created.error())));
  }
  client_ = std::make_unique<transport::MqttClient>(std::move(*created));
  client_->on_connect([this](const transport::ConnectResult& result) {
    if (result.outcome != transport::ConnectOutcome::accepted) {
      spdlog::warn("devices: broker refused the server's connection: {}{}",
                   transport::to_string(result.outcome),
                   result.will_retry ? " (retrying)" : " (not retrying: check the login)");
      return;
    }
    ++connections_;
    connected_gauge_.set(1);
    spdlog::info("devices: connected to the broker");
    if (on_connection_) on_connection_(true);
  });
  client_->on_disconnect([this](const transport::DisconnectInfo& info) {
    connected_gauge_.set(0);
    if (!info.requested) spdlog::warn("devices: lost the broker connection; reconnecting");
    if (on_connection_) on_connection_(false);
  });
  client_->on_message([this](const transport::InboundMessage& m) { received(m); });
  for (const std::string& filter : protocol::server_filters()) {
    auto subscribed = client_->subscribe(filter, protocol::kQos);
    if (!subscribed) {
      return lockcore::fail("broker subscribe " + filter + ": " +
                            std::string(transport::to_string(subscribed.error())));
    }
  }
  client_->connect();
  return {};
}

void BrokerLink::stop() {
  if (client_) client_->disconnect();
}

void BrokerLink::drop() {
  if (client_) client_->drop_connection();
}

bool BrokerLink::connected() const {
  if (test_publish_) return test_connected_;
  return client_ && client_->connected();
}

void BrokerLink::set_test_connected(bool connected) {
  if (!test_publish_ || connected == test_connected_) return;
  test_connected_ = connected;
  if (connected) ++connections_;
  if (on_connection_) on_connection_(connected);
}

lockcore::Result<int, transport::TransportError> BrokerLink::publish(std::string_view topic,
                                                                     std::string_view payload,
                                                                     bool retain) {
  if (test_publish_) {
    if (!test_connected_ || !test_publish_(topic, payload, retain)) {
      return lockcore::fail(transport::TransportError::not_connected);
    }
    published_.inc();
    return 1;
  }
  if (!client_) return lockcore::fail(transport::TransportError::not_connected);
  auto sent = client_->publish(topic, payload, protocol::kQos, retain);
  if (sent) published_.inc();
  return sent;
}

void BrokerLink::received(const transport::InboundMessage& message) {
  received_.inc();
  auto topic = protocol::parse_topic(message.topic);
  if (!topic) {
    if (on_refused_) on_refused_(message.topic, nullptr, "bad_topic", topic.error().message);
    return;
  }
  if (message.payload.size() > protocol::max_payload_bytes(topic->channel)) {
    if (on_refused_) {
      on_refused_(message.topic, &*topic, "too_large",
                  std::to_string(message.payload.size()) + " bytes");
    }
    return;
  }
  if (on_message_) on_message_(*topic, message.payload, message.retained);
}

}  // namespace server::devices
