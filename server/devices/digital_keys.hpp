#pragma once
// DigitalKeys: keys for the Bluetooth path. issue() gives an enrolled phone (its Ed25519 public
// key) a lockcore::DigitalKeyGrant for one lock, signed by the site key, bound to the lock's
// current epoch and valid for a window of at most DevicesOptions::max_key_window; the lock checks
// it offline. revoke() puts key ids on the lock's desired shadow (revoked_keys, at most
// lockcore::kMaxRevokedKeys: keys already past their window are dropped first, the oldest first,
// since they open nothing anyway). Both are audited (digital_key_issued, digital_key_revoked).

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "server/devices/context.hpp"

namespace server::devices {

struct KeyRecord {
  std::string id;
  std::string lock;
  lockcore::PublicKey holder{};
  lockcore::Window window;
  std::uint32_t epoch = 0;
  std::string issued_by;
  UnixMs issued_at = 0;
  UnixMs revoked_at = 0;  // 0: not revoked
};

class DigitalKeys {
 public:
  explicit DigitalKeys(Context& ctx) : ctx_(ctx) {}

  // The revoked keys still inside their window, onto each lock's desired shadow. Errors: internal.
  Status load();

  // Errors: not_found; conflict (no Bluetooth; not commissioned or waiting for re-enrollment);
  // invalid_field "holder" (not an Ed25519 public key), "window" (unbounded, empty, longer than
  // the maximum, or already over); internal.
  Result<IssuedKey> issue(std::string_view site, std::string_view lock,
                          const lockcore::PublicKey& holder, lockcore::Window window,
                          std::string_view actor);
  // Returns how many keys were newly revoked. Errors: not_found (no such lock, or a key id that is
  // not one of its keys), invalid_field "keys" (not 16 hex characters), conflict (more than
  // kMaxRevokedKeys keys would still be inside their window), internal.
  Result<std::size_t> revoke(std::string_view site, std::string_view lock,
                             std::span<const std::string> ids, std::string_view actor);
  // Errors: not_found, internal.
  Result<std::vector<KeyRecord>> list(std::string_view site, std::string_view lock);

 private:
  Context& ctx_;
};

}  // namespace server::devices
