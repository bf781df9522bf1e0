#pragma once
// A simulated site on a real Mosquitto: the broker configured with the fleet's logins (the
// protocol's ACL) plus the server's, the fleet on the test's io_context (virtual clock unless
// asked otherwise), and a server stand-in subscribed to the site.

#include <chrono>
#include <memory>
#include <set>
#include <string>
#include <string_view>

#include <gtest/gtest.h>

#include "sim/broker_logins.hpp"
#include "sim/fleet.hpp"
#include "tests/support/site_authority.hpp"
#include "tests/support/stand_in_server.hpp"
#include "tests/support/test_broker.hpp"

namespace simtest {

using namespace std::chrono_literals;

class SimSite : public testsupport::BrokerTest {
 protected:
  // Starts broker, fleet and server; waits until every device and the server are connected.
  void start(sim::FleetConfig config, std::vector<transport::BrokerLogin> extra_logins = {}) {
    auto logins = sim::fleet_broker_logins(config);
    ASSERT_TRUE(logins) << logins.error().message;
    logins->push_back(transport::server_login());
    for (auto& login : extra_logins)
      logins->push_back(std::move(login));
    ASSERT_NO_FATAL_FAILURE(start_broker(std::move(*logins)));
    config.broker.host = "127.0.0.1";
    config.broker.port = broker->port();
    config.broker.keepalive = 10s;
    config.broker.reconnect_initial = 50ms;
    config.broker.reconnect_max = 500ms;
    config.credentials = broker->process().credentials();
    auto fleet_or = sim::Fleet::create(io, std::move(config));
    ASSERT_TRUE(fleet_or) << fleet_or.error().message;
    fleet = std::move(*fleet_or);
    server = std::make_unique<testsupport::StandInServer>(
        io, broker->client_options("server"), authority, [this] { return fleet->now(); });
    ASSERT_TRUE(wait_for([&] { return server->ready(); }));
    ASSERT_TRUE(fleet->start());
    ASSERT_TRUE(wait_for([&] { return all_up(); }));
    settle();
  }

  bool all_up() const {
    const sim::FleetSummary s = fleet->summary();
    return s.net.links_up == s.links_expected;
  }

  void settle() {
    auto settled = fleet->settle({20ms, 10s});
    ASSERT_TRUE(settled) << settled.error().message;
  }
  void run_for(std::chrono::milliseconds d) {
    auto advanced = fleet->advance_by(d, {20ms, 10s});
    ASSERT_TRUE(advanced) << advanced.error().message;
  }

  // Pairs `lock` through the broker with its label's code; waits for the ok ack.
  void pair(std::string_view lock) {
    ASSERT_TRUE(wait_for([&] { return server->lock(lock).state.has_value(); })) << lock;
    auto cmd = server->pair(lock, *fleet->pairing_code(lock));
    ASSERT_TRUE(cmd);
    ASSERT_TRUE(wait_for([&] { return server->ack_for(lock, cmd->id) != nullptr; })) << lock;
    ASSERT_EQ(server->ack_for(lock, cmd->id)->error, lockcore::LockError::none);
    settle();
  }

  // Sends a desired shadow with `codes` and waits for the lock's report of that version.
  void set_codes(std::string_view lock, const std::vector<lockcore::PinCredential>& codes) {
    auto desired =
        authority.desired(lock, ++version_, server->lock(lock).state->epoch, codes, {5, 60, 0, 0});
    ASSERT_TRUE(server->send_desired(lock, *desired));
    ASSERT_TRUE(wait_for([&] {
      const auto& r = server->lock(lock).reported;
      return r && r->version == version_;
    }));
  }

  // Sends a site-signed command and waits (advancing the virtual clock) for its ack.
  const lockcore::CommandAck* command(std::string_view lock, lockcore::CommandOp op) {
    const lockcore::Command cmd = server->command(lock, op);
    return await_ack(lock, cmd.id);
  }
  const lockcore::CommandAck* await_ack(std::string_view lock, const lockcore::CommandId& id) {
    for (int i = 0; i < 20 && server->ack_for(lock, id) == nullptr; ++i) {
      settle();
      if (server->ack_for(lock, id) == nullptr) run_for(500ms);
    }
    return server->ack_for(lock, id);
  }

  bool no_gaps_no_duplicates(std::string_view lock) {
    const auto& record = server->lock(lock);
    std::set<std::uint32_t> seen(record.received_seqs.begin(), record.received_seqs.end());
    return server->stored_without_gaps(lock) && seen.size() == record.received_seqs.size();
  }

  testsupport::SiteAuthority authority{"maple-court"};
  std::unique_ptr<sim::Fleet> fleet;
  std::unique_ptr<testsupport::StandInServer> server;

  void TearDown() override {
    // The fleet's devices go before the broker (stopped by BrokerTest), as the simulator dies.
    server.reset();
    fleet.reset();
  }

 private:
  std::uint64_t version_ = 0;
};

inline sim::LockSpec lock_spec(std::string id, std::string link = "wifi") {
  sim::LockSpec spec;
  spec.id = std::move(id);
  spec.link = std::move(link);
  return spec;
}

inline sim::FleetConfig site_config(std::vector<sim::LockSpec> locks,
                                    std::vector<sim::HubSpec> hubs = {}) {
  sim::FleetConfig config;
  config.site = "maple-court";
  config.seed = 11;
  config.virtual_clock = true;
  config.locks = std::move(locks);
  config.hubs = std::move(hubs);
  return config;
}

}  // namespace simtest
