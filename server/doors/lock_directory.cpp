#include "server/doors/lock_directory.hpp"

#include <algorithm>

namespace server::doors {

Result<std::optional<access::LockPlacement>> DeviceLockDirectory::find_lock(
    std::string_view site, std::string_view lock) const {
  if (!devices_) return std::optional<access::LockPlacement>();
  auto found = devices_->lock(site, lock);
  if (!found) {
    // Not a lock of this site (or not even a well-formed id): nothing to place.
    if (found.error().code == Errc::not_found || found.error().code == Errc::invalid_field)
      return std::optional<access::LockPlacement>();
    return fail(found.error());
  }
  return std::optional<access::LockPlacement>(access::LockPlacement{found->unit});
}

Result<bool> DeviceLockDirectory::unit_has_locks(std::string_view site,
                                                 std::string_view unit) const {
  if (!devices_) return false;
  const auto locks = devices_->locks(site);
  return std::any_of(locks.begin(), locks.end(),
                     [unit](const devices::LockInfo& l) { return l.unit == unit; });
}

}  // namespace server::doors
