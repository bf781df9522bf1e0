#pragma once
// Broker logins for simulated devices, with exactly the topics protocol/topics.hpp grants them:
// the glue between the protocol's ACL (what a lock or hub may do) and the transport's config
// writer (how Mosquitto is told). `latchkey broker init`, the benchmarks and the tests all get
// their logins here, so the broker always enforces the protocol's table.

#include <span>
#include <string_view>
#include <vector>

#include "lockcore/types.hpp"
#include "protocol/topics.hpp"
#include "sim/fleet_config.hpp"
#include "transport/broker_config.hpp"

namespace sim {

std::vector<transport::TopicGrant> to_grants(std::span<const protocol::AclEntry> acl);

// "lock/{site}/{lock}" with protocol::lock_acl. Errors as protocol::lock_acl (bad_id).
protocol::Decoded<transport::BrokerLogin> lock_broker_login(std::string_view site,
                                                            std::string_view lock);
// "hub/{site}/{hub}" with protocol::hub_acl. Errors as protocol::hub_acl.
protocol::Decoded<transport::BrokerLogin> hub_broker_login(
    std::string_view site, std::string_view hub, std::span<const lockcore::DeviceId> locks);

// Every login `config` connects with: one per Wi-Fi lock, one per hub (with the locks linked to
// it). Locks on a hub or with no link have none. The server's login is not included
// (transport::server_login()). Errors: invalid_config (validate(config) first).
SimResult<std::vector<transport::BrokerLogin>> fleet_broker_logins(const FleetConfig& config);

}  // namespace sim
