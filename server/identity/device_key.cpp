#include "server/identity/device_key.hpp"

#include <algorithm>

#include <sodium.h>

#include "server/identity/contact.hpp"
#include "server/identity/secret.hpp"

namespace server::identity {

namespace {

// Exactly N bytes of unpadded base64url; otherwise invalid_field saying what was expected.
template <std::size_t N>
Result<std::array<std::uint8_t, N>> fixed_bytes(std::string_view text, std::string_view field,
                                                std::string_view what) {
  auto bytes = from_base64url(text, N);
  if (!bytes) {
    return fail(Error::invalid_field(field, "must be " + std::string(what) + ": " +
                                                std::to_string(N) +
                                                " bytes in base64url without padding (" +
                                                std::to_string((N * 4 + 2) / 3) + " characters)"));
  }
  std::array<std::uint8_t, N> out{};
  std::copy(bytes->begin(), bytes->end(), out.begin());
  return out;
}

}  // namespace

Result<PublicKey> parse_public_key(std::string_view text, std::string_view field) {
  auto key = fixed_bytes<crypto_sign_PUBLICKEYBYTES>(text, field, "an Ed25519 public key");
  if (!key) return key;
  if (crypto_core_ed25519_is_valid_point(key->data()) != 1)
    return fail(Error::invalid_field(field, "is not a valid Ed25519 public key"));
  return key;
}

Result<Signature> parse_signature(std::string_view text, std::string_view field) {
  return fixed_bytes<crypto_sign_BYTES>(text, field, "an Ed25519 signature");
}

std::string proof_message(const DeviceProof& proof, std::string_view email) {
  return "latchkey-sign-in-v1\n" + proof.device + "\n" + email_key(email) + "\n" + proof.signed_at;
}

bool verify_proof(const DeviceProof& proof, std::string_view email, const PublicKey& key) {
  const std::string message = proof_message(proof, email);
  return crypto_sign_verify_detached(proof.signature.data(),
                                     reinterpret_cast<const unsigned char*>(message.data()),
                                     message.size(), key.data()) == 0;
}

}  // namespace server::identity
