#pragma once
// Messages that protocol/ defines itself (the lock's own ones are in lockcore/messages.hpp).

#include <cstdint>

#include "lockcore/fixed.hpp"
#include "lockcore/types.hpp"

namespace protocol {

// status (lock/hub ->, retained, also the last will set at connect).
enum class DeviceStatus : std::uint8_t { online, offline };

// links (hub ->, retained): the radio link to each lock behind the hub.
constexpr std::size_t kMaxHubLinks = 64;

struct HubLink {
  lockcore::DeviceId lock;
  bool up = false;
  std::int8_t rssi = 0;  // dBm
  friend bool operator==(const HubLink&, const HubLink&) = default;
};

struct HubLinks {
  lockcore::FixedVector<HubLink, kMaxHubLinks> links;  // each lock at most once
  friend bool operator==(const HubLinks&, const HubLinks&) = default;
};

}  // namespace protocol
