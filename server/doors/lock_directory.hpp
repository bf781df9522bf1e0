#pragma once
// The devices domain as access's LockDirectory (server/access/lock_directory.hpp): where a door
// is, so the policy knows which memberships cover it. Devices is built after access (it needs the
// store's second connection), so this holds the Node's pointer and knows no lock until it is set.

#include <memory>

#include "server/access/lock_directory.hpp"
#include "server/devices/devices.hpp"

namespace server::doors {

class DeviceLockDirectory final : public access::LockDirectory {
 public:
  explicit DeviceLockDirectory(const std::unique_ptr<devices::Devices>& devices)
      : devices_(devices) {}

  Result<std::optional<access::LockPlacement>> find_lock(std::string_view site,
                                                         std::string_view lock) const override;
  Result<bool> unit_has_locks(std::string_view site, std::string_view unit) const override;

 private:
  const std::unique_ptr<devices::Devices>& devices_;
};

}  // namespace server::doors
