#pragma once
// What a simulated site is made of: its locks (as the scenario format describes them), its hubs,
// the broker to reach and the seed every random choice derives from.
//
// Link kinds, as in the scenario format: "wifi" (the lock has its own broker connection and
// login), a hub id (the hub relays for it), or "none" (keypad and Bluetooth only).

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "lockcore/types.hpp"
#include "sim/sim_error.hpp"
#include "transport/credentials_file.hpp"

namespace sim {

inline constexpr std::string_view kWifiLink = "wifi";
inline constexpr std::string_view kNoLink = "none";
inline constexpr std::string_view kDefaultFirmware = "2.4.1";
// 2026-01-01T00:00:00Z: where a virtual clock starts unless told otherwise.
inline constexpr lockcore::UnixMs kDefaultStart = 1'767'225'600'000;

struct LockSpec {
  std::string id;
  std::string link{kWifiLink};  // "wifi", "none" or a hub id
  bool keypad = true;
  bool bluetooth = true;
  bool physical_key = true;
  std::uint8_t battery_pct = 100;  // 0..100
  std::string firmware{kDefaultFirmware};
  std::uint16_t slots = 250;      // 1..250
  std::uint16_t backup_pool = 5;  // backup codes the server keeps in reserve (manifest only)
};

struct HubSpec {
  std::string id;
};

struct BrokerOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 1883;
  std::chrono::seconds keepalive{30};  // the heartbeat: a PINGREQ when nothing else was sent
  std::chrono::milliseconds reconnect_initial{100};
  std::chrono::milliseconds reconnect_max{30'000};
  std::size_t connect_window = 64;  // transport::ConnectGate: attempts in flight at once
};

struct FleetConfig {
  std::string site;
  BrokerOptions broker;
  transport::Credentials credentials;  // must hold the login of every Wi-Fi lock and every hub
  std::uint64_t seed = 1;
  bool virtual_clock = false;
  lockcore::UnixMs start = kDefaultStart;  // the virtual clock's zero (ignored on the real clock)
  std::vector<LockSpec> locks;
  std::vector<HubSpec> hubs;
};

// The fleet `latchkey sim` and `latchkey broker init` agree on for the same arguments: locks
// lock-0001.. (4 digits, more when N needs them), hubs hub-01.., lock i behind hub i % hubs
// while that hub has room (protocol::kMaxHubLinks), on Wi-Fi otherwise. With hubs == 0 every
// lock is on Wi-Fi. No credentials, default broker options.
FleetConfig standard_fleet(std::string_view site, std::size_t locks, std::size_t hubs,
                           std::uint64_t seed = 1);

// Checks everything Fleet::create needs except credentials: valid and distinct ids (a hub and a
// lock may not share one: they share the topic namespace), links naming a declared hub, at most
// protocol::kMaxHubLinks locks per hub, battery 0..100, slots 1..250, firmware 1–16 characters
// of [A-Za-z0-9._+-], a non-empty broker host. Errors: invalid_config, naming the field.
SimResult<void> validate(const FleetConfig& config);

bool is_valid_firmware(std::string_view text);

}  // namespace sim
