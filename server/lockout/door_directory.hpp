#pragma once
// DoorDirectory: access's LockDirectory port answered from the devices registry, so that the
// lockout domain can ask access's policy about one door (which unit it is in decides which
// memberships cover it). Read-only.

#include "server/access/lock_directory.hpp"
#include "server/devices/devices.hpp"

namespace server::lockout {

class DoorDirectory final : public access::LockDirectory {
 public:
  explicit DoorDirectory(devices::Devices& devices) : devices_(devices) {}

  // nullopt when the site has no such lock. Errors: none beyond the registry's (it is in memory).
  Result<std::optional<access::LockPlacement>> find_lock(std::string_view site,
                                                         std::string_view lock) const override;
  Result<bool> unit_has_locks(std::string_view site, std::string_view unit) const override;

 private:
  devices::Devices& devices_;
};

}  // namespace server::lockout
