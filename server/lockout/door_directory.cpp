#include "server/lockout/door_directory.hpp"

namespace server::lockout {

Result<std::optional<access::LockPlacement>> DoorDirectory::find_lock(std::string_view site,
                                                                      std::string_view lock) const {
  auto info = devices_.lock(site, lock);
  if (!info) {
    if (info.error().code == Errc::not_found) return std::optional<access::LockPlacement>();
    return fail(info.error());
  }
  return std::optional<access::LockPlacement>(access::LockPlacement{info->unit});
}

Result<bool> DoorDirectory::unit_has_locks(std::string_view site, std::string_view unit) const {
  for (const devices::LockInfo& l : devices_.locks(site))
    if (l.unit && *l.unit == unit) return true;
  return false;
}

}  // namespace server::lockout
