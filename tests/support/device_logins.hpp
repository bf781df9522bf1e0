#pragma once
// Broker logins for test sites with exactly the topics protocol v1 grants a lock or a hub
// (protocol/topics.hpp, through sim/broker_logins.hpp: the same table the broker config of
// `latchkey broker init` comes from), so the ACL tests test the protocol's own ACL.

#include <string>
#include <string_view>
#include <vector>

#include "transport/broker_config.hpp"

namespace testsupport {

// ADD_FAILURE()s (and returns a login without grants) when an id is invalid.
transport::BrokerLogin lock_account(std::string_view site, std::string_view lock);
transport::BrokerLogin hub_account(std::string_view site, std::string_view hub,
                                   const std::vector<std::string>& locks);

}  // namespace testsupport
