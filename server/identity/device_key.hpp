#pragma once
// A device's Ed25519 key, and how a device proves it is itself when it signs in.
//
// The proof ("device proof"): the app signs, with the private key it generated at enrollment,
//     "latchkey-sign-in-v1\n" + device id + "\n" + the email, lowercased + "\n" + signed_at
// where signed_at is the RFC 3339 time it sends alongside, exactly as sent. The server accepts a
// proof whose signature verifies under the device's enrolled key, whose time is within
// kProofWindowMs of the server's clock, and whose time is later than the last proof that device
// made (devices.last_proof): so a captured proof cannot be replayed, and no challenge round trip
// (and no server-side challenge state) is needed. A proof only says "this is an enrolled app of
// this account": it lets a sign-in past the per-account cap and binds the session to the device,
// but the password (and code) are still required.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "lockcore/types.hpp"
#include "server/common/error.hpp"

namespace server::identity {

using PublicKey = std::array<std::uint8_t, 32>;
using Signature = std::array<std::uint8_t, 64>;

inline constexpr lockcore::UnixMs kProofWindowMs = 5 * 60'000;

// A public key as the API carries it: 32 bytes in unpadded base64url (43 characters), which must
// be a canonical encoding of a point of the main subgroup (libsodium's
// crypto_core_ed25519_is_valid_point: not small-order, not the identity). Errors: invalid_field.
Result<PublicKey> parse_public_key(std::string_view text, std::string_view field = "public_key");
// A signature: 64 bytes in unpadded base64url (86 characters). Errors: invalid_field.
Result<Signature> parse_signature(std::string_view text, std::string_view field = "signature");

struct DeviceProof {
  std::string device;     // the device id
  std::string signed_at;  // RFC 3339, as sent
  lockcore::UnixMs at = 0;
  Signature signature{};
};

// The bytes a device signs for `proof` on behalf of `email`.
std::string proof_message(const DeviceProof& proof, std::string_view email);
// Whether `proof` is a valid signature by `key` for `email` (time checks are the caller's).
bool verify_proof(const DeviceProof& proof, std::string_view email, const PublicKey& key);

}  // namespace server::identity
