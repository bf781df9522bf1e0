#pragma once
// The fleet's side of the broker: one Network shared by every simulated device (the io_context,
// the broker's address, the logins' passwords, one ConnectGate so that thousands of connections
// do not overflow Mosquitto's listen backlog) and one Link per broker connection (a Wi-Fi lock's
// or a hub's), which keeps the books that Fleet::settle() reads: QoS 1 publishes not yet
// acknowledged, subscriptions not yet granted, when anything last happened.
//
// Single-threaded: everything runs on the thread that runs the io_context.

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include <boost/asio/io_context.hpp>

#include "sim/fleet_config.hpp"
#include "sim/sim_error.hpp"
#include "transport/connect_gate.hpp"
#include "transport/credentials_file.hpp"
#include "transport/mqtt_client.hpp"

namespace sim {

// Counts across every link of a fleet.
struct NetStats {
  std::uint64_t in_flight = 0;        // QoS 1 publishes on connected links awaiting their PUBACK
  std::uint64_t pending_subacks = 0;  // SUBSCRIBEs on connected links awaiting their SUBACK
  std::size_t links_up = 0;           // connections the broker has accepted, now
  std::uint64_t connects = 0;         // accepted connections, in total
  std::uint64_t connect_failures = 0;
  std::uint64_t disconnects = 0;  // accepted connections lost (not closed by the simulator)
  std::uint64_t published = 0;
  std::uint64_t publish_failed = 0;   // refused by the client (not connected...)
  std::uint64_t publish_refused = 0;  // PUBACK with a failure reason (e.g. the ACL)
  std::uint64_t subscribe_refused = 0;
  std::uint64_t received = 0;
  std::uint64_t refused = 0;  // inbound payloads refused: malformed or wrongly addressed
  std::chrono::steady_clock::time_point last_activity{};
};

class Network {
 public:
  Network(boost::asio::io_context& io, BrokerOptions options, transport::Credentials credentials);
  Network(const Network&) = delete;
  Network& operator=(const Network&) = delete;

  boost::asio::io_context& io() { return io_; }
  const BrokerOptions& options() const { return options_; }
  const transport::ConnectGate& gate() const { return *gate_; }
  NetStats& stats() { return stats_; }
  const NetStats& stats() const { return stats_; }
  bool has_login(std::string_view login) const;
  void touch() { stats_.last_activity = std::chrono::steady_clock::now(); }

  // Client options for `login` (precondition: has_login). The client id is the login.
  transport::ClientOptions client_options(std::string_view login) const;

 private:
  boost::asio::io_context& io_;
  BrokerOptions options_;
  transport::Credentials credentials_;
  std::shared_ptr<transport::ConnectGate> gate_;
  NetStats stats_;
};

// One device's broker connection. Closed, it has no client at all; open, its client connects and
// reconnects by itself (with backoff, through the gate) until close().
class Link {
 public:
  class Listener {
   public:
    virtual void on_link_up() = 0;    // accepted by the broker (after every reconnection too)
    virtual void on_link_down() = 0;  // an accepted connection was lost
    virtual void on_link_message(const transport::InboundMessage& message) = 0;
    virtual std::string_view link_name() const = 0;  // for the log

   protected:
    ~Listener() = default;
  };

  explicit Link(Network& network) : network_(&network) {}
  Link(const Link&) = delete;
  Link& operator=(const Link&) = delete;
  ~Link() { close(); }

  // Creates the client for `device` of `site` with its broker login and the v1 will (its status
  // offline, retained) and starts connecting; subscribes `filters` (QoS 1) on every accepted
  // connection. Opening an open link does nothing. Errors: missing_credentials, client_error.
  SimResult<void> open(Listener& listener, std::string_view login, std::string_view site,
                       std::string_view device, std::span<const std::string> filters);
  // Destroys the client: the socket closes without DISCONNECT, so the broker publishes the will,
  // as when a device dies or its radio goes off. No callback runs.
  void close();
  // Hands a QoS 1 message to the broker connection. False when it was not accepted (not
  // connected, or the client refused it).
  bool publish(std::string_view topic, std::string_view payload, bool retain);

  bool is_open() const { return client_.has_value(); }
  bool up() const { return up_; }
  std::uint32_t in_flight() const { return in_flight_; }

 private:
  void connected(const transport::ConnectResult& result);
  void lost();
  void published(const transport::PublishAck& ack);
  void subscribed(const transport::SubscribeAck& ack);
  void leave_books();

  Network* network_;
  Listener* listener_ = nullptr;
  std::optional<transport::MqttClient> client_;
  std::uint32_t in_flight_ = 0;  // on this link, counted in NetStats only while up
  std::uint16_t filters_ = 0;
  std::uint16_t pending_subacks_ = 0;
  bool up_ = false;
};

}  // namespace sim
