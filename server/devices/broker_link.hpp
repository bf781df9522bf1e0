#pragma once
// BrokerLink: the server's one MQTT v5 connection (login "server" unless configured otherwise),
// subscribed to protocol::server_filters(). It checks what can be checked before anything is
// decoded: the topic (protocol::parse_topic) and the payload's size limit for its channel, and
// hands the rest on. A message refused here is reported through on_refused with the reason.
// The session is persistent (clean start off, kept a day): QoS 1 messages published while the
// server is away are queued for it by the broker. The client reconnects by itself; on_connected
// runs after every accepted (re)connection, when whatever is not yet confirmed should be published
// again.
//
// Single-threaded: everything runs on the io_context's thread.

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <boost/asio/io_context.hpp>

#include "lockcore/result.hpp"
#include "protocol/topics.hpp"
#include "server/http/metrics.hpp"
#include "transport/mqtt_client.hpp"

namespace server::devices {

class BrokerLink {
 public:
  using MessageHandler =
      std::function<void(const protocol::Topic& topic, std::string_view payload, bool retained)>;
  // `topic` as received (it may be malformed), `parsed` when it could be parsed; `kind`
  // "bad_topic" or "too_large", `detail` what exactly.
  using RefusalHandler = std::function<void(std::string_view topic, const protocol::Topic* parsed,
                                            std::string_view kind, std::string_view detail)>;
  using ConnectionHandler = std::function<void(bool connected)>;

  // Without options the link never connects: publishing fails with not_connected. With
  // `test_publish` it publishes there instead and counts as connected (domain tests).
  using TestPublish = std::function<bool(std::string_view, std::string_view, bool)>;
  BrokerLink(boost::asio::io_context& io, std::optional<transport::ClientOptions> options,
             http::Registry& metrics, TestPublish test_publish = {});
  ~BrokerLink();
  BrokerLink(const BrokerLink&) = delete;
  BrokerLink& operator=(const BrokerLink&) = delete;

  void on_message(MessageHandler handler) { on_message_ = std::move(handler); }
  void on_refused(RefusalHandler handler) { on_refused_ = std::move(handler); }
  void on_connection(ConnectionHandler handler) { on_connection_ = std::move(handler); }

  // Creates the client, remembers the subscriptions and starts connecting. Errors: a message
  // naming what libmosquitto refused.
  lockcore::Result<void, std::string> start();
  // Disconnects cleanly; no reconnection after this.
  void stop();
  // Closes the socket without DISCONNECT (tests: the broker "loses" the server); reconnects.
  void drop();

  bool connected() const;
  // QoS 1. Errors: not_connected when there is no connection (nothing is queued), and the
  // transport's other errors.
  lockcore::Result<int, transport::TransportError> publish(std::string_view topic,
                                                           std::string_view payload, bool retain);

  std::uint64_t connections() const { return connections_; }
  // Test link only: the connection goes down or comes back (on_connection runs).
  void set_test_connected(bool connected);

  // Where every inbound message enters (also for tests that feed messages without a broker).
  void received(const transport::InboundMessage& message);

 private:
  boost::asio::io_context& io_;
  std::optional<transport::ClientOptions> options_;
  std::unique_ptr<transport::MqttClient> client_;
  TestPublish test_publish_;
  bool test_connected_ = true;
  MessageHandler on_message_;
  RefusalHandler on_refused_;
  ConnectionHandler on_connection_;
  http::Counter& received_;
  http::Counter& published_;
  http::Gauge& connected_gauge_;
  std::uint64_t connections_ = 0;
};

}  // namespace server::devices
