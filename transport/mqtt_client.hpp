#pragma once
// An MQTT client (v3.1.1 or v5) on libmosquitto, driven by an asio::io_context instead of a thread
// of its own, so that thousands of clients share one io_context on one thread (the simulator runs
// 10,000 in one process; the server runs one or a few).
//
// Threading: a client and all its callbacks live on the thread running its io_context. No call is
// thread-safe; post() to that thread from anywhere else.
//
// Callbacks run synchronously inside the client's event handling. Views passed to them
// (topic, payload, granted QoS list) are valid only during the call. A callback may call any
// method of this or any other client, and may even destroy this client (its teardown is then
// deferred until the callback returns).
//
// Connection life:
//   connect() -> [TCP + CONNECT] -> on_connect(accepted)          -> connected
//                                -> on_connect(bad_credentials / not_authorized / refused
//                                   permanently)                  -> idle, no retry
//                                -> on_connect(network_error or a transient refusal)
//                                   -> retry after capped exponential backoff with jitter
//   connected -> socket lost -> on_disconnect(requested = false) -> retry after backoff
//   disconnect() -> DISCONNECT (the broker discards the will) -> on_disconnect(requested = true)
//   destroying a connected client, drop_connection(), or the process dying closes the socket
//   without DISCONNECT: the broker publishes the will.
//
// Publishing while not connected is refused with not_connected and nothing is queued. (libmosquitto
// 2.0.11 itself would queue a QoS 1 message handed to it while disconnected, return
// MOSQ_ERR_NO_CONN anyway, and send it on the next connection: a caller would see "failed" for a
// message that is later delivered, perhaps long after it mattered. Latchkey's own reliability
// lives above the broker: locks resend unacknowledged events after reconnecting and the server
// reconciles shadows, so an honest "not sent" is what those layers need.) A QoS 1 message already
// handed over and not yet acknowledged when the connection drops is retransmitted by libmosquitto
// after the reconnection; its acknowledgement then arrives through on_published as usual.
//
// Subscriptions are remembered: each accepted connection subscribes to all of them again, even
// when the broker restored the session. Subscribing is what makes the broker send the retained
// messages (a lock's status, state, reported shadow), and a restarted process or a long outage
// needs them; with a restored session they come once more, which every handler already absorbs.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include <boost/asio/io_context.hpp>

#include "lockcore/result.hpp"
#include "transport/connect_gate.hpp"
#include "transport/transport_error.hpp"

namespace transport {

enum class MqttVersion : std::uint8_t { v311, v5 };

struct Will {
  std::string topic;
  std::string payload;
  int qos = 1;
  bool retain = true;
};

struct ClientOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 1883;
  std::string client_id;  // empty: the username (Latchkey's broker forces client id = username)
  std::string username;
  std::string password;
  std::chrono::seconds keepalive{30};  // also bounds how long a CONNECT may wait for its CONNACK
  bool clean_session = true;           // v5: clean start, and the session ends with the connection
  // v5 with clean_session = false: how long the broker keeps the session (subscriptions, queued
  // QoS 1 messages) after the connection ends. UINT32_MAX: forever, as 3.1.1 does.
  std::uint32_t session_expiry_s = UINT32_MAX;
  MqttVersion version = MqttVersion::v5;
  std::optional<Will> will;
  std::chrono::milliseconds reconnect_initial{100};
  std::chrono::milliseconds reconnect_max{30'000};
  std::uint64_t jitter_seed = 0;  // 0: derived from the client id
  // Shared by a fleet to pace its connection attempts (connect_gate.hpp); null: no limit.
  std::shared_ptr<ConnectGate> connect_gate;
  std::size_t max_payload_bytes = 256 * 1024;
};

enum class ConnectOutcome : std::uint8_t {
  accepted,
  bad_credentials,  // CONNACK: bad user name or password (v3.1.1 code 4, v5 reason 134)
  not_authorized,   // CONNACK: not authorised (v3.1.1 code 5, v5 reason 135)
  refused,          // any other CONNACK refusal (see ConnectResult::will_retry)
  network_error,    // no CONNACK at all: TCP refused or reset, timed out, DNS, descriptors...
};

std::string_view to_string(ConnectOutcome outcome);

struct ConnectResult {
  ConnectOutcome outcome = ConnectOutcome::network_error;
  int reason_code = -1;  // CONNACK code as the broker sent it (v3.1.1: 0..5, v5: 0 or >= 128);
                         // -1 when there was no CONNACK
  int sys_errno = 0;     // for network_error, when the system reported one
  bool session_present = false;
  bool will_retry = false;  // the client will try again by itself after a backoff
};

struct DisconnectInfo {
  bool requested = false;  // true after disconnect(); false when the connection was lost
  int reason = 0;          // libmosquitto's code (MOSQ_ERR_*) or a v5 DISCONNECT reason
};

struct InboundMessage {
  std::string_view topic;
  std::string_view payload;
  int qos = 0;
  bool retained = false;
};

struct PublishAck {
  int message_id = 0;
  // v5: the PUBACK reason (0 success, 16 no matching subscribers, >= 128 failure). v3.1.1 has
  // no reason: always 0. For QoS 0 the "ack" means handed to the socket.
  int reason_code = 0;
};

struct SubscribeAck {
  int message_id = 0;
  std::span<const int> granted;  // per filter: granted QoS 0..2, or >= 128 refused (v5: 135 = not
                                 // authorised; v3.1.1: 128 = failure)
};

enum class ClientState : std::uint8_t {
  idle,           // not connected, not trying (initially, after disconnect(), after a refusal)
  connecting,     // TCP and CONNECT sent, waiting for CONNACK
  connected,      // CONNACK accepted
  backing_off,    // waiting before the next attempt (backoff delay, or a ConnectGate slot)
  disconnecting,  // DISCONNECT queued, waiting for the socket to close
};

class MqttClient {
 public:
  using ConnectHandler = std::function<void(const ConnectResult&)>;
  using DisconnectHandler = std::function<void(const DisconnectInfo&)>;
  using MessageHandler = std::function<void(const InboundMessage&)>;
  using PublishedHandler = std::function<void(const PublishAck&)>;
  using SubscribedHandler = std::function<void(const SubscribeAck&)>;

  // Creates the client; it does nothing until connect(). Fails with invalid_argument when
  // libmosquitto rejects an option (e.g. a will topic with wildcards) or no_memory.
  static lockcore::Result<MqttClient, TransportError> create(boost::asio::io_context& io,
                                                             ClientOptions options);

  MqttClient(MqttClient&&) noexcept;
  MqttClient& operator=(MqttClient&&) noexcept;
  MqttClient(const MqttClient&) = delete;
  MqttClient& operator=(const MqttClient&) = delete;
  // Closes the socket without DISCONNECT (the broker publishes the will); no callback runs.
  ~MqttClient();

  // Handlers may be set or replaced at any time; an empty one ignores the event.
  void on_connect(ConnectHandler handler);
  void on_disconnect(DisconnectHandler handler);
  void on_message(MessageHandler handler);
  void on_published(PublishedHandler handler);
  void on_subscribed(SubscribedHandler handler);

  // Starts connecting (non-blocking) when idle; otherwise does nothing. The outcome arrives
  // through on_connect.
  void connect();

  // Clean disconnect: sends DISCONNECT (no will) and stops reconnecting. on_disconnect runs with
  // requested = true once the socket is closed (possibly before this returns). Idle or backing
  // off: just stops.
  void disconnect();

  // Closes the TCP connection without DISCONNECT, as a crash or a network cut would: the broker
  // publishes the will, on_disconnect reports requested = false and the client reconnects after
  // its backoff. For tests, and for the simulator's network faults. No-op unless connected.
  void drop_connection();

  // Hands a message to the broker connection. Returns its message id (matches PublishAck).
  // Errors: not_connected (nothing queued), payload_too_large, invalid_topic (empty, wildcards,
  // bad UTF-8), invalid_argument (qos not 0..2), refused (above the broker's maximum QoS, or
  // retain unsupported), connection_lost, no_memory.
  lockcore::Result<int, TransportError> publish(std::string_view topic, std::string_view payload,
                                                int qos, bool retain);

  // Remembers the filter (a second call with the same filter replaces its QoS) and, when
  // connected, sends SUBSCRIBE and returns its message id (matches SubscribeAck). When not
  // connected it returns 0: the filter is subscribed on the next accepted connection.
  // Errors: invalid_topic (bad filter), invalid_argument (qos), no_memory.
  lockcore::Result<int, TransportError> subscribe(std::string_view filter, int qos);

  ClientState state() const;
  bool connected() const { return state() == ClientState::connected; }

 private:
  class Impl;
  explicit MqttClient(std::shared_ptr<Impl> impl);
  std::shared_ptr<Impl> impl_;  // shared with in-flight asio handlers, which may outlive *this
};

}  // namespace transport
