#pragma once
// Registry: the sites' key pairs, hubs and locks, in device_sites / device_hubs / device_locks and
// in the in-memory model (model.hpp), which load() rebuilds from the tables at start-up.
//
// A site's Ed25519 key pair is created on first need (registering its first hub or lock). It signs
// commands, desired shadows and digital keys; the secret never leaves the server: no call returns
// it, no log or audit entry names it.

#include <string>
#include <string_view>
#include <vector>

#include "server/devices/context.hpp"
#include "server/devices/types.hpp"

namespace server::devices {

class Registry {
 public:
  explicit Registry(Context& ctx) : ctx_(ctx) {}

  // Reads every site, hub, lock, live placement and health record into the model.
  // Errors: internal (a storage failure or a row this code cannot read).
  Status load();

  // The site's public key, creating the key pair on first need. Errors: invalid_field "site"
  // (not a valid id), internal.
  Result<lockcore::PublicKey> site_key(std::string_view site);
  // The offset of local time from UTC used by every lock's keypad schedules at the site (minutes,
  // -840..840); the locks' desired shadows are published again. Errors: invalid_field
  // "utc_offset_min", not_found (no such site), internal.
  Status set_utc_offset(std::string_view site, int minutes);

  // Errors: invalid_field ("site", "id", "name"), conflict (the id is taken by a hub or a lock of
  // the site), internal.
  Result<HubInfo> add_hub(const HubSpec& spec, std::string_view actor);
  // Errors: invalid_field ("site", "id", "name", "unit", "link", "slots", "backup_pool",
  // "pin_min", "pin_max", "pairing_code"), not_found (the link names no hub of the site),
  // conflict (the id is taken; the hub already links protocol::kMaxHubLinks locks), internal.
  Result<LockInfo> add_lock(const LockSpec& spec, std::string_view actor);
  // Records the code on the lock's label (used by commission() and reenroll()). Errors:
  // invalid_field "pairing_code", not_found, internal.
  Status set_pairing_code(std::string_view site, std::string_view lock, std::string_view code);

  Result<LockInfo> lock(std::string_view site, std::string_view lock);
  Result<HubInfo> hub(std::string_view site, std::string_view hub);
  std::vector<LockInfo> locks(std::string_view site) const;
  std::vector<HubInfo> hubs(std::string_view site) const;

  // Writes the lock's pairing, epoch and shadow fields (call inside a transaction).
  Status save_pairing(const LockRecord& lock);
  Status save_shadow_version(const LockRecord& lock);

 private:
  // Inserts the site with a fresh key pair when the model does not have it (inside the caller's
  // transaction); the caller adds the returned record to the model once committed.
  Result<std::optional<SiteRecord>> insert_site_if_missing(std::string_view site);
  Result<SiteRecord*> ensure_site(std::string_view site);
  Status load_sites();
  Status load_hubs();
  Status load_locks();
  Status load_placements();
  Status load_health();

  Context& ctx_;
};

// Pairing codes: 16–64 printable ASCII characters without spaces (the label's code as written).
bool is_valid_pairing_code(std::string_view code);

}  // namespace server::devices
