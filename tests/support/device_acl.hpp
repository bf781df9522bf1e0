#pragma once
// Broker logins for test sites, granting each lock and hub the v1 topics of shared/DESIGN.md
// section 4. A stand-in until protocol/topics.hpp provides the authoritative list; tests that
// check ACL refusals go through these so they follow the protocol once it is wired in.

#include <string>
#include <string_view>
#include <vector>

#include "transport/broker_config.hpp"

namespace testsupport {

std::string lock_topic(std::string_view site, std::string_view lock, std::string_view channel);

// What a lock writes (status, state, event, ack, shadow/reported) and reads (cmd,
// shadow/desired), on its own topics only.
std::vector<transport::TopicGrant> lock_grants(std::string_view site, std::string_view lock);

// The same for every lock behind the hub, plus the hub's own links/status topics.
std::vector<transport::TopicGrant> hub_grants(std::string_view site, std::string_view hub,
                                              const std::vector<std::string>& locks);

transport::BrokerLogin lock_account(std::string_view site, std::string_view lock);
transport::BrokerLogin hub_account(std::string_view site, std::string_view hub,
                                   const std::vector<std::string>& locks);

}  // namespace testsupport
