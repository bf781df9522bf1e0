#include "sim/network.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "protocol/codec.hpp"
#include "protocol/topics.hpp"

namespace sim {

namespace {
constexpr int kQos = protocol::kQos;
constexpr int kFirstFailureReason = 128;  // MQTT 5: reason codes >= 128 are failures
}  // namespace

Network::Network(boost::asio::io_context& io, BrokerOptions options,
                 transport::Credentials credentials)
    : io_(io),
      options_(std::move(options)),
      credentials_(std::move(credentials)),
      gate_(std::make_shared<transport::ConnectGate>(options_.connect_window)) {}

bool Network::has_login(std::string_view login) const {
  return credentials_.password_for(login).has_value();
}

transport::ClientOptions Network::client_options(std::string_view login) const {
  transport::ClientOptions options;
  options.host = options_.host;
  options.port = options_.port;
  options.username = std::string(login);
  options.client_id = options.username;
  options.password = std::string(credentials_.password_for(login).value_or(""));
  options.keepalive = options_.keepalive;
  options.reconnect_initial = options_.reconnect_initial;
  options.reconnect_max = options_.reconnect_max;
  options.connect_gate = gate_;
  return options;
}

// ---- Link -----------------------------------------------------------------------------------

SimResult<void> Link::open(Listener& listener, std::string_view login, std::string_view site,
                           std::string_view device, std::span<const std::string> filters) {
  if (client_) return {};
  if (!network_->has_login(login)) {
    return sim_fail(SimErrorCode::missing_credentials,
                    fmt::format("no broker password for login \"{}\"", login));
  }
  transport::ClientOptions options = network_->client_options(login);
  options.will = transport::Will{protocol::make_topic(site, device, protocol::Channel::status),
                                 protocol::encode(protocol::DeviceStatus::offline), kQos, true};
  auto client = transport::MqttClient::create(network_->io(), std::move(options));
  if (!client) {
    return sim_fail(SimErrorCode::client_error,
                    fmt::format("cannot create the MQTT client of \"{}\": {}", login,
                                transport::to_string(client.error())));
  }
  listener_ = &listener;
  client_.emplace(std::move(*client));
  for (const std::string& filter : filters) {
    // Remembered by the client and sent on every accepted connection.
    (void)client_->subscribe(filter, kQos);
  }
  filters_ = static_cast<std::uint16_t>(filters.size());
  client_->on_connect([this](const transport::ConnectResult& r) { connected(r); });
  client_->on_disconnect([this](const transport::DisconnectInfo&) { lost(); });
  client_->on_published([this](const transport::PublishAck& ack) { published(ack); });
  client_->on_subscribed([this](const transport::SubscribeAck& ack) { subscribed(ack); });
  client_->on_message([this](const transport::InboundMessage& m) {
    network_->stats().received++;
    network_->touch();
    listener_->on_link_message(m);
  });
  client_->connect();
  network_->touch();
  return {};
}

void Link::close() {
  if (!client_) return;
  leave_books();
  in_flight_ = 0;
  client_.reset();
  network_->touch();
}

bool Link::publish(std::string_view topic, std::string_view payload, bool retain) {
  if (!client_ || !up_) {
    network_->stats().publish_failed++;
    return false;
  }
  auto sent = client_->publish(topic, payload, kQos, retain);
  // connection_lost: the message was still handed over and libmosquitto sends it again after
  // reconnecting, so it is in flight all the same.
  if (!sent && sent.error() != transport::TransportError::connection_lost) {
    network_->stats().publish_failed++;
    spdlog::warn("sim: {} could not publish on {}: {}", listener_->link_name(), topic,
                 transport::to_string(sent.error()));
    return false;
  }
  ++in_flight_;
  network_->stats().in_flight++;
  network_->stats().published++;
  network_->touch();
  return true;
}

void Link::connected(const transport::ConnectResult& result) {
  network_->touch();
  if (result.outcome != transport::ConnectOutcome::accepted) {
    network_->stats().connect_failures++;
    if (result.will_retry) {
      spdlog::debug("sim: {} could not connect ({}), retrying", listener_->link_name(),
                    transport::to_string(result.outcome));
    } else {
      spdlog::error("sim: {} was refused by the broker ({}) and gives up", listener_->link_name(),
                    transport::to_string(result.outcome));
    }
    return;
  }
  NetStats& stats = network_->stats();
  up_ = true;
  stats.links_up++;
  stats.connects++;
  stats.in_flight += in_flight_;  // what libmosquitto now sends again
  if (!result.session_present) pending_subacks_ = filters_;
  stats.pending_subacks += pending_subacks_;
  listener_->on_link_up();
}

void Link::lost() {
  if (!up_) return;
  network_->stats().disconnects++;
  leave_books();
  network_->touch();
  listener_->on_link_down();
}

// The link's share of the fleet's counts, while it is not connected.
void Link::leave_books() {
  if (!up_) return;
  NetStats& stats = network_->stats();
  up_ = false;
  stats.links_up--;
  stats.in_flight -= in_flight_;
  stats.pending_subacks -= pending_subacks_;
  pending_subacks_ = 0;
}

void Link::published(const transport::PublishAck& ack) {
  network_->touch();
  if (in_flight_ > 0) {
    --in_flight_;
    if (up_) network_->stats().in_flight--;
  }
  if (ack.reason_code >= kFirstFailureReason) {
    network_->stats().publish_refused++;
    spdlog::warn("sim: the broker refused a message from {} (reason {})", listener_->link_name(),
                 ack.reason_code);
  }
}

void Link::subscribed(const transport::SubscribeAck& ack) {
  network_->touch();
  if (pending_subacks_ > 0) {
    --pending_subacks_;
    network_->stats().pending_subacks--;
  }
  for (int granted : ack.granted) {
    if (granted >= kFirstFailureReason) {
      network_->stats().subscribe_refused++;
      spdlog::warn("sim: the broker refused a subscription of {} (reason {})",
                   listener_->link_name(), granted);
    }
  }
}

}  // namespace sim
