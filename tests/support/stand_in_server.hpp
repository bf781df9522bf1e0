#pragma once
// A v1 server stand-in for integration tests: the server login on a TestBroker, subscribed to one
// site's device channels with a persistent session (so what devices publish while it reconnects
// after a broker restart is kept for it), decoding everything devices publish, storing events
// deduplicated by (lock, seq) as a real server does, and answering each event with events_ack
// when auto_ack is on. It signs what it sends with a SiteAuthority.

#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/io_context.hpp>

#include "lockcore/messages.hpp"
#include "protocol/messages.hpp"
#include "tests/support/site_authority.hpp"
#include "transport/mqtt_client.hpp"

namespace testsupport {

class StandInServer {
 public:
  // `options`: the server login's client options (TestBroker::client_options("server")).
  // `now`: the clock commands are issued on (the fleet's, real or virtual).
  StandInServer(boost::asio::io_context& io, transport::ClientOptions options, SiteAuthority& site,
                std::function<lockcore::UnixMs()> now);

  bool ready() const { return connected_ && subscribed_; }
  transport::MqttClient& client() { return *client_; }

  // ---- sending (each returns whether the client took it)
  bool send(std::string_view lock, const lockcore::Command& command);
  bool send_desired(std::string_view lock, const lockcore::DesiredShadow& desired);
  bool publish_raw(const std::string& topic, std::string_view payload, bool retain = false);
  // Builds, sends and returns a site-signed command.
  lockcore::Command command(std::string_view lock, lockcore::CommandOp op, std::uint32_t upto = 0);
  // Pairs `lock` with its label's code in the epoch its last state reported.
  std::optional<lockcore::Command> pair(std::string_view lock, std::string_view pairing_code);

  // ---- what devices said
  struct LockRecord {
    std::optional<protocol::DeviceStatus> status;
    std::optional<lockcore::StateReport> state;
    std::vector<lockcore::StateReport> states;
    std::vector<lockcore::CommandAck> acks;
    std::optional<lockcore::ReportedShadow> reported;
    std::vector<std::uint32_t> received_seqs;  // every event as it arrived, duplicates included
    std::map<std::uint32_t, lockcore::Event> stored;  // deduplicated by seq
    std::uint32_t acked_upto = 0;
  };
  const LockRecord& lock(std::string_view id);
  std::optional<protocol::DeviceStatus> status(std::string_view device) const;
  std::optional<protocol::HubLinks> links(std::string_view hub) const;
  const lockcore::CommandAck* ack_for(std::string_view lock, const lockcore::CommandId& id);
  // The stored seqs run 1..last with no gap.
  bool stored_without_gaps(std::string_view lock);
  std::size_t undecodable() const { return undecodable_; }
  std::size_t messages() const { return messages_; }

  bool auto_ack = true;

 private:
  void on_message(const transport::InboundMessage& m);
  void store_event(std::string_view lock, const lockcore::Event& e);

  std::unique_ptr<transport::MqttClient> client_;
  SiteAuthority& site_;
  std::function<lockcore::UnixMs()> now_;
  std::map<std::string, LockRecord, std::less<>> locks_;
  std::map<std::string, protocol::DeviceStatus, std::less<>> statuses_;
  std::map<std::string, protocol::HubLinks, std::less<>> links_;
  std::size_t undecodable_ = 0;
  std::size_t messages_ = 0;
  bool connected_ = false;
  bool subscribed_ = false;
  int pending_subs_ = 0;
};

}  // namespace testsupport
