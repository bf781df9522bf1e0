#include "tests/support/device_logins.hpp"

#include <gtest/gtest.h>

#include "sim/broker_logins.hpp"

namespace testsupport {
namespace {

transport::BrokerLogin or_fail(protocol::Decoded<transport::BrokerLogin> login,
                               std::string fallback_name) {
  if (login) return std::move(*login);
  ADD_FAILURE() << "invalid device login: " << login.error().message;
  return {std::move(fallback_name), {}};
}

}  // namespace

transport::BrokerLogin lock_account(std::string_view site, std::string_view lock) {
  return or_fail(sim::lock_broker_login(site, lock), transport::lock_login(site, lock));
}

transport::BrokerLogin hub_account(std::string_view site, std::string_view hub,
                                   const std::vector<std::string>& locks) {
  std::vector<lockcore::DeviceId> ids;
  for (const std::string& lock : locks) {
    lockcore::DeviceId id;
    if (!id.assign(lock)) ADD_FAILURE() << "lock id too long: " << lock;
    ids.push_back(id);
  }
  return or_fail(sim::hub_broker_login(site, hub, ids), transport::hub_login(site, hub));
}

}  // namespace testsupport
