#include "sim/fleet_config.hpp"

#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "lockcore/credentials.hpp"
#include "protocol/messages.hpp"

namespace sim {
namespace {

std::string numbered(std::string_view prefix, std::size_t n, std::size_t min_digits,
                     std::size_t count) {
  std::size_t digits = min_digits;
  for (std::size_t c = count; c >= 10; c /= 10)
    digits = std::max(digits, std::to_string(c).size());
  std::string number = std::to_string(n);
  std::string id(prefix);
  id.append(digits > number.size() ? digits - number.size() : 0, '0');
  return id + number;
}

constexpr std::string_view kIdRule = "must be 1–32 characters of [A-Za-z0-9._-]";

SimResult<void> config_error(std::string message) {
  return sim_fail(SimErrorCode::invalid_config, std::move(message));
}

}  // namespace

bool is_valid_firmware(std::string_view text) {
  return !text.empty() && text.size() <= lockcore::FirmwareVersion::capacity() &&
         std::all_of(text.begin(), text.end(), [](char c) {
           return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '.' || c == '_' || c == '+' || c == '-';
         });
}

FleetConfig standard_fleet(std::string_view site, std::size_t locks, std::size_t hubs,
                           std::uint64_t seed) {
  FleetConfig config;
  config.site = std::string(site);
  config.seed = seed;
  for (std::size_t h = 0; h < hubs; ++h)
    config.hubs.push_back({numbered("hub-", h + 1, 2, hubs)});
  std::vector<std::size_t> behind(hubs, 0);
  for (std::size_t i = 0; i < locks; ++i) {
    LockSpec lock;
    lock.id = numbered("lock-", i + 1, 4, locks);
    if (hubs > 0 && behind[i % hubs] < protocol::kMaxHubLinks) {
      lock.link = config.hubs[i % hubs].id;
      ++behind[i % hubs];
    }
    config.locks.push_back(std::move(lock));
  }
  return config;
}

SimResult<void> validate(const FleetConfig& config) {
  if (!lockcore::is_valid_id(config.site)) {
    return config_error(fmt::format("site \"{}\" {}", config.site, kIdRule));
  }
  if (config.broker.host.empty()) return config_error("broker host must not be empty");
  std::set<std::string_view> ids;
  for (const HubSpec& hub : config.hubs) {
    if (!lockcore::is_valid_id(hub.id)) {
      return config_error(fmt::format("hub id \"{}\" {}", hub.id, kIdRule));
    }
    if (!ids.insert(hub.id).second) {
      return config_error(fmt::format("hub id \"{}\" is used twice", hub.id));
    }
  }
  std::vector<std::size_t> behind(config.hubs.size(), 0);
  for (const LockSpec& lock : config.locks) {
    auto refuse = [&](std::string_view what) {
      return config_error(fmt::format("lock \"{}\": {}", lock.id, what));
    };
    if (!lockcore::is_valid_id(lock.id)) return refuse(fmt::format("id {}", kIdRule));
    if (!ids.insert(lock.id).second) {
      return refuse("id is used twice (hubs and locks share one namespace)");
    }
    if (lock.link != kWifiLink && lock.link != kNoLink) {
      auto hub = std::find_if(config.hubs.begin(), config.hubs.end(),
                              [&](const HubSpec& h) { return h.id == lock.link; });
      if (hub == config.hubs.end()) {
        return refuse(
            fmt::format("link \"{}\" is neither \"wifi\", \"none\" nor a declared hub", lock.link));
      }
      if (++behind[static_cast<std::size_t>(hub - config.hubs.begin())] > protocol::kMaxHubLinks) {
        return refuse(
            fmt::format("hub \"{}\" already links {} locks", lock.link, protocol::kMaxHubLinks));
      }
    }
    if (lock.battery_pct > 100) return refuse("battery_pct must be 0..100");
    if (lock.slots < 1 || lock.slots > lockcore::kMaxPinSlots) {
      return refuse("slots must be 1..250");
    };
    if (!is_valid_firmware(lock.firmware)) {
      return refuse("firmware must be 1–16 characters of [A-Za-z0-9._+-]");
    }
  }
  return {};
}

}  // namespace sim
