#pragma once
// What access needs from devices: where a door is. The policy needs a lock's unit to decide which
// memberships cover it (a unit membership covers its unit's doors and the common doors). devices
// implements it over its locks table at integration (until then Node wires NoLocks).

#include <optional>
#include <string>
#include <string_view>

#include "server/common/error.hpp"

namespace server::access {

struct LockPlacement {
  std::optional<std::string> unit;  // nullopt: a common door of the site
};

class LockDirectory {
 public:
  virtual ~LockDirectory() = default;
  // Lock `lock` of site `site`; nullopt when that site has no such lock (a lock of another site
  // included). Errors: internal, unavailable (the store).
  virtual Result<std::optional<LockPlacement>> find_lock(std::string_view site,
                                                         std::string_view lock) const = 0;
  // Whether any lock of `site` is placed in `unit` (a unit with doors cannot be removed).
  // Errors: internal, unavailable.
  virtual Result<bool> unit_has_locks(std::string_view site, std::string_view unit) const = 0;
};

// Node's stand-in until devices lands: no site has a lock.
class NoLocks final : public LockDirectory {
 public:
  Result<std::optional<LockPlacement>> find_lock(std::string_view,
                                                 std::string_view) const override {
    return std::optional<LockPlacement>();
  }
  Result<bool> unit_has_locks(std::string_view, std::string_view) const override { return false; }
};

}  // namespace server::access
