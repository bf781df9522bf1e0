#include "tests/support/device_acl.hpp"

namespace testsupport {

using transport::Access;
using transport::TopicGrant;

namespace {

constexpr std::string_view kWritten[] = {"status", "state", "event", "ack", "shadow/reported"};
constexpr std::string_view kRead[] = {"cmd", "shadow/desired"};

void add_lock_grants(std::vector<TopicGrant>& grants, std::string_view site,
                     std::string_view lock) {
  for (std::string_view channel : kWritten) {
    grants.push_back({lock_topic(site, lock, channel), Access::write});
  }
  for (std::string_view channel : kRead) {
    grants.push_back({lock_topic(site, lock, channel), Access::read});
  }
}

}  // namespace

std::string lock_topic(std::string_view site, std::string_view lock, std::string_view channel) {
  std::string topic = "latchkey/v1/";
  topic += site;
  topic += '/';
  topic += lock;
  topic += '/';
  topic += channel;
  return topic;
}

std::vector<TopicGrant> lock_grants(std::string_view site, std::string_view lock) {
  std::vector<TopicGrant> grants;
  add_lock_grants(grants, site, lock);
  return grants;
}

std::vector<TopicGrant> hub_grants(std::string_view site, std::string_view hub,
                                   const std::vector<std::string>& locks) {
  std::vector<TopicGrant> grants;
  for (const std::string& lock : locks)
    add_lock_grants(grants, site, lock);
  const std::string base = "latchkey/v1/" + std::string(site) + "/hubs/" + std::string(hub) + "/";
  grants.push_back({base + "links", Access::write});
  grants.push_back({base + "status", Access::write});
  return grants;
}

transport::BrokerLogin lock_account(std::string_view site, std::string_view lock) {
  return {transport::lock_login(site, lock), lock_grants(site, lock)};
}

transport::BrokerLogin hub_account(std::string_view site, std::string_view hub,
                                   const std::vector<std::string>& locks) {
  return {transport::hub_login(site, hub), hub_grants(site, hub, locks)};
}

}  // namespace testsupport
