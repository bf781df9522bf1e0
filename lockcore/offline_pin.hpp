#pragma once
// Offline time-bound PINs: codes the server can issue while a lock is unreachable, which the
// lock checks on its own. Both sides share a per-lock secret derived at pairing (crypto_kx
// between the lock's pairing key pair and the server's PairArgs::server_kx key); a PIN is
// keyed BLAKE2b over (start hour, duration code, counter) reduced to 8 digits. The lock accepts
// an entered PIN when one of the finitely many windows containing now derives it.
//
// Offline PINs cannot be revoked one by one (the lock never hears of them): their window is their
// only limit, so the durations are short. Re-pairing changes the secret and voids them all.

#include <array>
#include <cstdint>

#include "lockcore/platform.hpp"
#include "lockcore/result.hpp"
#include "lockcore/types.hpp"

namespace lockcore {

enum class OfflineDuration : std::uint8_t { h1, h4, h12, h24 };
inline constexpr std::array<std::uint8_t, 4> kOfflineDurationHours{1, 4, 12, 24};
inline constexpr std::uint8_t kOfflinePinCounters = 4;  // distinct PINs for one window
inline constexpr std::size_t kOfflinePinDigits = 8;

struct OfflinePinSpec {
  std::uint32_t start_hour = 0;  // whole hours since the Unix epoch, UTC
  OfflineDuration duration = OfflineDuration::h1;
  std::uint8_t counter = 0;  // 0..kOfflinePinCounters-1

  bool valid() const;
  Window window() const;  // [start, start + duration)
  // How an offline-PIN unlock names the PIN in Event::value: start_hour << 4 | duration << 2 |
  // counter.
  std::uint32_t packed() const;
  static OfflinePinSpec unpack(std::uint32_t packed);
  friend bool operator==(const OfflinePinSpec&, const OfflinePinSpec&) = default;
};

using OfflineSecret = SymmetricKey;

// The PIN for `spec` (precondition: spec.valid()). The server calls this to issue one.
Pin derive_offline_pin(const OfflineSecret& secret, const OfflinePinSpec& spec);

// The lock's check. Derives the PIN of every spec whose window contains `now` (41 start hours x
// 4 counters), compares each in constant time and never stops early, so the time taken does not
// depend on the PIN entered. Returns the matching spec, or nothing.
bool match_offline_pin(const OfflineSecret& secret, const Pin& entered, UnixMs now,
                       OfflinePinSpec& matched);

// ---- pairing: the X25519 exchange behind the offline secret

struct KxKeyPair {
  PublicKey public_key{};
  SymmetricKey secret_key{};
};
// A crypto_kx key pair from 32 bytes of `random`. The lock makes one at every factory reset;
// its public key is StateReport::pairing_key. The server makes one per pairing (server_kx).
KxKeyPair make_kx_keypair(Random& random);

enum class KxError : std::uint8_t { bad_peer_key };

// The lock's side (crypto_kx client) and the server's side (crypto_kx server) of the same secret.
Result<OfflineSecret, KxError> lock_offline_secret(const KxKeyPair& lock,
                                                   const PublicKey& server_kx);
Result<OfflineSecret, KxError> server_offline_secret(const KxKeyPair& server,
                                                     const PublicKey& lock_pairing_key);

}  // namespace lockcore
