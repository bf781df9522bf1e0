#pragma once
// The canonical byte encodings that are signed, MACed and digested, and the functions that sign
// and verify them. The lock verifies with these; the server signs with the very same functions,
// so the two can never disagree about the bytes.
//
// Encoding: a domain tag first (so a signature over one kind of message never verifies as
// another), then every field except the signature in declaration order; integers big-endian at
// their declared width, byte strings and text with a u16 length prefix, lists with a u16 count.
//
// Signatures by the site key (commands, desired shadows, digital key grants) are Ed25519ph
// (RFC 8032 prehash) through libsodium's crypto_sign_init/update/final, so a 250-slot shadow
// is verified streaming, without a buffer. The phone's response to a Bluetooth challenge is
// plain Ed25519 (crypto_sign_detached) over a short buffer, as any phone keystore can make it.

#include <cstdint>
#include <span>
#include <string_view>

#include <sodium.h>

#include "lockcore/messages.hpp"
#include "lockcore/platform.hpp"

namespace lockcore {

inline constexpr std::string_view kCommandDomain = "latchkey/v1/cmd";
inline constexpr std::string_view kPairDomain = "latchkey/v1/pair";
inline constexpr std::string_view kShadowDomain = "latchkey/v1/shadow";
inline constexpr std::string_view kGrantDomain = "latchkey/v1/grant";
inline constexpr std::string_view kBluetoothDomain = "latchkey/v1/ble-unlock";
inline constexpr std::string_view kCredentialsDomain = "latchkey/v1/credentials";

// Where canonical bytes go: a signature state, a hash state, a buffer.
class ByteSink {
 public:
  virtual void write(std::span<const std::uint8_t> bytes) = 0;

 protected:
  ~ByteSink() = default;
};

// Feeds a BLAKE2b (crypto_generichash) state.
class GenericHashSink final : public ByteSink {
 public:
  explicit GenericHashSink(crypto_generichash_state& state) : state_(state) {}
  void write(std::span<const std::uint8_t> b) override {
    crypto_generichash_update(&state_, b.data(), b.size());
  }

 private:
  crypto_generichash_state& state_;
};

class CanonicalWriter {
 public:
  explicit CanonicalWriter(ByteSink& sink) : sink_(sink) {}
  void u8(std::uint8_t v);
  void u16(std::uint16_t v);
  void u32(std::uint32_t v);
  void u64(std::uint64_t v);
  void i64(std::int64_t v) { u64(static_cast<std::uint64_t>(v)); }
  void bytes(std::span<const std::uint8_t> b);  // u16 length, then the bytes
  void text(std::string_view t);                // u16 length, then the UTF-8 bytes

 private:
  ByteSink& sink_;
};

void encode_command(CanonicalWriter& w, const Command& cmd, std::string_view domain);
void encode_credential(CanonicalWriter& w, const PinCredential& c);
void encode_shadow(CanonicalWriter& w, const DesiredShadow& shadow);
void encode_grant(CanonicalWriter& w, const DigitalKeyGrant& grant);

// What a phone signs to answer a Bluetooth challenge.
struct BluetoothChallenge {
  DeviceId site;
  DeviceId lock;
  std::uint32_t epoch = 0;
  KeyId key{};  // the grant's id
  Nonce nonce{};
};
void encode_bluetooth_challenge(CanonicalWriter& w, const BluetoothChallenge& challenge);

// ---- keys (for the server, the simulator and tests)

struct SigningKeyPair {
  PublicKey public_key{};
  SecretKey secret_key{};
};
// An Ed25519 key pair from 32 bytes of `random` (deterministic under SeededRandom).
SigningKeyPair make_signing_keypair(Random& random);

// The pairing-code key printed (as a code) on the lock: BLAKE2b-256 of the code under a domain
// tag. The code must carry the entropy itself (e.g. 26 base32 characters): it is not stretched.
SymmetricKey pairing_code_key(std::string_view code);

// ---- signatures

Signature sign_command(const Command& cmd, const SecretKey& site_secret);
bool verify_command(const Command& cmd, const PublicKey& site_key);

// `pair`: the first 32 bytes of sig are crypto_auth (HMAC-SHA-512-256) under the pairing-code
// key over the command's encoding with the pair domain; the remaining 32 bytes are zero.
Signature sign_pair_command(const Command& cmd, const SymmetricKey& pairing_code_key);
bool verify_pair_command(const Command& cmd, const SymmetricKey& pairing_code_key);

Signature sign_shadow(const DesiredShadow& shadow, const SecretKey& site_secret);
bool verify_shadow(const DesiredShadow& shadow, const PublicKey& site_key);

Signature sign_grant(const DigitalKeyGrant& grant, const SecretKey& site_secret);
bool verify_grant(const DigitalKeyGrant& grant, const PublicKey& site_key);

Signature sign_bluetooth_response(const BluetoothChallenge& challenge, const SecretKey& holder);
bool verify_bluetooth_response(const BluetoothChallenge& challenge, const Signature& response,
                               const PublicKey& holder);

// ---- the credential digest that ReportedShadow carries

// A lock keeps validity windows at one-second resolution (uint32 seconds); this is the
// credential as the lock holds it: both window bounds rounded down to whole seconds.
PinCredential as_held(const PinCredential& c);

// BLAKE2b-128 over the canonical encoding of `credentials` as held, in slot order (a list in any
// order gives the same digest). The server calls it on its desired list to compare with the
// lock's report: equal digests mean the lock holds exactly that list.
Digest credential_digest(std::span<const PinCredential> credentials);

// The same digest fed one credential at a time, in increasing slot order (how the lock, which
// stores its slots compactly, computes it).
class CredentialDigest {
 public:
  CredentialDigest();
  void add(const PinCredential& c);
  Digest finish();

 private:
  crypto_generichash_state state_;
};

}  // namespace lockcore
