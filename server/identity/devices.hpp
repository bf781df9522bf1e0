#pragma once
// Devices: one per installed app, each with its own Ed25519 key pair (the private key never
// leaves the phone). Enrolled by a signed-in session (one that passed MFA when MFA is on), which
// becomes bound to the new device; listed; removed, which ends every session bound to it. A
// device proves itself at sign-in by signing (device_key.hpp), which is what lets its owner past
// the per-account sign-in cap and what makes a sign-in "from a known device" (no notice).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "server/common/error.hpp"
#include "server/identity/actor.hpp"
#include "server/identity/context.hpp"
#include "server/identity/device_key.hpp"

namespace server::identity {

class Accounts;
class Sessions;

inline constexpr std::size_t kMaxDevicesPerAccount = 20;
inline constexpr std::size_t kMaxDeviceNameLength = 64;

struct Device {
  std::string id;  // "dev_…"
  std::string account;
  std::string name;
  std::string public_key;  // base64url
  lockcore::UnixMs created = 0;
  lockcore::UnixMs last_seen = 0;
};

class Devices {
 public:
  Devices(Context& context, Accounts& accounts, Sessions& sessions)
      : ctx_(context), accounts_(accounts), sessions_(sessions) {}

  // Enrolls a device for the actor's account and binds the actor's session to it (if it has no
  // device yet). Errors: forbidden (MFA is on and this session has not passed it);
  // missing_field / invalid_field (name: 1..64 bytes of printable text; public_key:
  // device_key.hpp); conflict (the key is enrolled already, or the account has
  // kMaxDevicesPerAccount devices); internal.
  Result<Device> enroll(const Actor& actor, std::string_view name, std::string_view public_key);
  // The account's devices, oldest first. Errors: internal.
  Result<std::vector<Device>> list(std::string_view account) const;
  // Removes one of the actor's account's devices and ends every session bound to it (the
  // actor's own, if it is bound to it). Errors: forbidden (MFA on and not passed by this
  // session); not_found (no such device of this account); internal.
  Status remove(const Actor& actor, std::string_view device);

  // For sign-in: the id of the device that made `proof`, when it is a device of the account
  // with `email`, the signature verifies, its time is within kProofWindowMs of now and later
  // than that device's previous proof. Records the proof's time so it cannot be used again.
  // nullopt for any proof that does not pass (the sign-in goes on without it). Errors: internal.
  Result<std::optional<std::string>> accept_proof(const DeviceProof& proof, std::string_view email);
  // Sets last_seen to now. Errors: internal.
  Status touch(std::string_view device);

 private:
  Context& ctx_;
  Accounts& accounts_;
  Sessions& sessions_;
};

}  // namespace server::identity
