#include "server/lockout/firmware_support.hpp"

#include <array>
#include <charconv>
#include <optional>

namespace server::lockout {

namespace {

struct Support {
  int firmware_major;
  int oldest_app_major;  // 0: no current app speaks it
};

constexpr std::array<Support, 3> kSupport = {{{1, 0}, {2, 5}, {3, 6}}};

// The major version of "2.4.1" (digits up to the first dot); nullopt if it does not parse.
std::optional<int> major_of(std::string_view version) {
  const std::size_t dot = version.find('.');
  const std::string_view head = version.substr(0, dot);
  int major = 0;
  const auto [end, ec] = std::from_chars(head.data(), head.data() + head.size(), major);
  if (head.empty() || ec != std::errc() || end != head.data() + head.size() || major < 0)
    return std::nullopt;
  return major;
}

}  // namespace

FirmwareCompat firmware_compat_of(std::string_view firmware, std::string_view app_version) {
  const auto fw = major_of(firmware);
  if (!fw) return FirmwareCompat::unknown;
  for (const Support& s : kSupport) {
    if (s.firmware_major != *fw) continue;
    if (s.oldest_app_major == 0) return FirmwareCompat::firmware_too_old;
    const auto app = major_of(app_version);
    if (app && *app < s.oldest_app_major) return FirmwareCompat::app_too_old;
    return FirmwareCompat::compatible;
  }
  return FirmwareCompat::unknown;
}

}  // namespace server::lockout
