#include "sim/broker_logins.hpp"

namespace sim {

std::vector<transport::TopicGrant> to_grants(std::span<const protocol::AclEntry> acl) {
  std::vector<transport::TopicGrant> grants;
  grants.reserve(acl.size());
  for (const protocol::AclEntry& entry : acl) {
    grants.push_back({entry.topic, entry.access == protocol::Access::read
                                       ? transport::Access::read
                                       : transport::Access::write});
  }
  return grants;
}

protocol::Decoded<transport::BrokerLogin> lock_broker_login(std::string_view site,
                                                            std::string_view lock) {
  auto acl = protocol::lock_acl(site, lock);
  if (!acl) return lockcore::fail(acl.error());
  return transport::BrokerLogin{transport::lock_login(site, lock), to_grants(*acl)};
}

protocol::Decoded<transport::BrokerLogin> hub_broker_login(
    std::string_view site, std::string_view hub, std::span<const lockcore::DeviceId> locks) {
  auto acl = protocol::hub_acl(site, hub, locks);
  if (!acl) return lockcore::fail(acl.error());
  return transport::BrokerLogin{transport::hub_login(site, hub), to_grants(*acl)};
}

SimResult<std::vector<transport::BrokerLogin>> fleet_broker_logins(const FleetConfig& config) {
  if (auto valid = validate(config); !valid) return lockcore::fail(valid.error());
  std::vector<transport::BrokerLogin> logins;
  auto refuse = [](const protocol::DecodeError& e) {
    return sim_fail(SimErrorCode::invalid_config, e.message);
  };
  for (const HubSpec& hub : config.hubs) {
    std::vector<lockcore::DeviceId> locks;
    for (const LockSpec& lock : config.locks) {
      if (lock.link == hub.id) locks.push_back(lockcore::DeviceId::from(lock.id));
    }
    auto login = hub_broker_login(config.site, hub.id, locks);
    if (!login) return refuse(login.error());
    logins.push_back(std::move(*login));
  }
  for (const LockSpec& lock : config.locks) {
    if (lock.link != kWifiLink) continue;
    auto login = lock_broker_login(config.site, lock.id);
    if (!login) return refuse(login.error());
    logins.push_back(std::move(*login));
  }
  return logins;
}

}  // namespace sim
